//! Financial statements from a [`Ledger`]: laporan posisi keuangan (neraca), laporan hasil
//! usaha (PHU), laporan perubahan ekuitas, laporan arus kas (direct method), with the prior
//! period as comparative; trial balance and general ledger documents; drill-down from any
//! figure to its accounts and entries.
//!
//! All four statements come from **one pass** over the ledger's entries
//! ([`statements`]), so they are consistent with each other by construction.
//!
//! ```
//! use chrono::NaiveDate;
//! use koperasi_core::{ActorId, EntryId, Period, Rupiah};
//! use koperasi_ledger::{kkmp, ChartOfAccounts, JournalEntry, Ledger};
//! use koperasi_reporting::statements::{statements, StatementPolicy};
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
//! let mut books = Ledger::new(ChartOfAccounts::standard_kkmp()?, d(1, 1));
//! books.post(
//!     &JournalEntry::new(EntryId::from_u128(1), d(1, 5), ActorId::from_u128(1))
//!         .with_memo("Setoran simpanan pokok Siti Rahayu")
//!         .debit(kkmp::KAS, Rupiah::from_rupiah(100_000))?
//!         .credit(kkmp::SIMPANAN_POKOK, Rupiah::from_rupiah(100_000))?,
//! )?;
//! books.post(
//!     &JournalEntry::new(EntryId::from_u128(2), d(2, 1), ActorId::from_u128(1))
//!         .debit(kkmp::KAS, Rupiah::from_rupiah(30_000))?
//!         .credit(&kkmp::member_revenue("02"), Rupiah::from_rupiah(30_000))?,
//! )?;
//! let year = Period::new(d(1, 1), d(12, 31))?;
//! let s = statements(&books, year, None, &StatementPolicy::standard_kkmp())?;
//! assert_eq!(s.balance_sheet.total_assets.current, Rupiah::from_rupiah(130_000));
//! assert_eq!(s.balance_sheet.total_liabilities_and_equity.current, Rupiah::from_rupiah(130_000));
//! assert_eq!(s.income_statement.shu.current, Rupiah::from_rupiah(30_000));
//! assert_eq!(s.cash_flow.net_change.current, Rupiah::from_rupiah(130_000));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use koperasi_core::{EntryId, Period, Rupiah};
use koperasi_ledger::{
    AccountClass, AccountKind, BusinessUnit, ChartOfAccounts, Counterparty, EntryKind, Ledger,
    Side, kkmp,
};

use crate::error::Result;
use crate::report::{Block, Cell, Document, Table};

/// Where simpanan pokok and wajib are presented (domain.md §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MemberSavingsPresentation {
    /// As equity (legacy PSAK 27 practice; pre-2025 comparatives).
    #[default]
    Equity,
    /// As non-current liabilities (SAK EP, when the AD gives no unconditional right to refuse
    /// redemption).
    Liability,
}

/// How accounts are grouped into statement lines. Codes refer to the chart; a header code
/// covers every account under it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct StatementPolicy {
    /// Presentation of pokok and wajib.
    pub member_savings: MemberSavingsPresentation,
    /// Pokok/wajib accounts booked in equity.
    pub member_savings_equity: Vec<String>,
    /// Pokok/wajib accounts booked as liabilities.
    pub member_savings_liability: Vec<String>,
    /// Current assets (the rest of the assets are non-current).
    pub current_assets: Vec<String>,
    /// Current liabilities (the rest are non-current).
    pub current_liabilities: Vec<String>,
    /// Cash and bank accounts (the cash flow statement's cash).
    pub cash: Vec<String>,
    /// Counter-accounts whose cash flows are investing.
    pub investing: Vec<String>,
    /// Counter-accounts whose cash flows are financing (the rest are operating).
    pub financing: Vec<String>,
    /// Revenue from member participation.
    pub member_revenue: Vec<String>,
    /// Revenue from business with non-members.
    pub non_member_revenue: Vec<String>,
}

impl StatementPolicy {
    /// The policy for [`ChartOfAccounts::standard_kkmp`], member savings as equity.
    pub fn standard_kkmp() -> StatementPolicy {
        let v = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        StatementPolicy {
            member_savings: MemberSavingsPresentation::Equity,
            member_savings_equity: v(&[kkmp::SIMPANAN_POKOK, kkmp::SIMPANAN_WAJIB]),
            member_savings_liability: v(&[
                kkmp::SIMPANAN_POKOK_LIABILITAS,
                kkmp::SIMPANAN_WAJIB_LIABILITAS,
            ]),
            current_assets: v(&["1-1"]),
            current_liabilities: v(&["2-1"]),
            cash: v(&[kkmp::KAS, kkmp::BANK]),
            investing: v(&["1-2"]),
            financing: v(&[
                "2-2",
                "3",
                kkmp::SIMPANAN_SUKARELA,
                kkmp::SIMPANAN_BERJANGKA,
                kkmp::UTANG_SHU_ANGGOTA,
                kkmp::UTANG_IMBAL_JASA_DESA,
                kkmp::UTANG_ANGGOTA_KELUAR,
            ]),
            member_revenue: v(&["4-1"]),
            non_member_revenue: v(&["4-2"]),
        }
    }

    /// The same policy with another member-savings presentation.
    #[must_use]
    pub fn with_member_savings(mut self, p: MemberSavingsPresentation) -> StatementPolicy {
        self.member_savings = p;
        self
    }
}

/// A pair of figures: this period and the comparative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Amounts {
    /// This period (or date).
    pub current: Rupiah,
    /// The comparative period (or date); zero without one.
    pub prior: Rupiah,
}

impl Amounts {
    fn from_sen(current: i128, prior: i128) -> Result<Amounts> {
        Ok(Amounts {
            current: Rupiah::try_from_sen_i128(current)?,
            prior: Rupiah::try_from_sen_i128(prior)?,
        })
    }
}

/// One line of a statement, with the accounts it came from (drill down with
/// [`entries_behind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StatementLine {
    /// Label (the account name, or a computed line's name).
    pub label: String,
    /// The accounts behind the figure.
    pub accounts: Vec<String>,
    /// The figures.
    pub amounts: Amounts,
}

/// A titled group of lines with its total.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Section {
    /// Title.
    pub title: String,
    /// Lines.
    pub lines: Vec<StatementLine>,
    /// Σ lines.
    pub total: Amounts,
}

fn section(title: &str, lines: Vec<StatementLine>) -> Result<Section> {
    let current = Rupiah::try_sum(lines.iter().map(|l| l.amounts.current))?;
    let prior = Rupiah::try_sum(lines.iter().map(|l| l.amounts.prior))?;
    Ok(Section {
        title: title.to_owned(),
        lines,
        total: Amounts { current, prior },
    })
}

/// Laporan posisi keuangan (neraca).
///
/// # Invariants
/// `total_assets == total_liabilities_and_equity` on both dates
/// (`prop_balance_sheet_balances`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "neraca")]
#[doc(alias = "laporan posisi keuangan")]
pub struct BalanceSheet {
    /// The date.
    pub as_of: NaiveDate,
    /// The comparative date.
    pub prior_as_of: Option<NaiveDate>,
    /// Aset lancar, aset tidak lancar.
    pub assets: Vec<Section>,
    /// Liabilitas jangka pendek, liabilitas jangka panjang.
    pub liabilities: Vec<Section>,
    /// Ekuitas (with the unclosed SHU of the year as a line).
    pub equity: Section,
    /// Σ assets.
    pub total_assets: Amounts,
    /// Σ liabilities + equity.
    pub total_liabilities_and_equity: Amounts,
}

/// Laporan hasil usaha (perhitungan hasil usaha, PHU).
///
/// # Invariants
/// `shu` equals the result the year-end closing moves into SHU tahun berjalan
/// (`prop_income_statement_result_equals_shu`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "PHU")]
#[doc(alias = "laporan hasil usaha")]
#[doc(alias = "perhitungan hasil usaha")]
pub struct IncomeStatement {
    /// The period.
    pub period: Period,
    /// The comparative period.
    pub prior_period: Option<Period>,
    /// Partisipasi anggota, pendapatan dari non-anggota, pendapatan lain, beban pokok,
    /// beban usaha, beban perkoperasian, pajak (each line positive; expenses are subtracted).
    pub sections: Vec<Section>,
    /// Σ revenue.
    pub revenue: Amounts,
    /// Σ expenses before tax (HPP, beban usaha, beban perkoperasian).
    pub expenses: Amounts,
    /// SHU sebelum pajak.
    pub shu_before_tax: Amounts,
    /// SHU (after tax): the result of the period.
    pub shu: Amounts,
    /// Revenue and cost of sales per business unit (from the lines' unit dimension).
    pub by_unit: Vec<UnitResult>,
    /// Revenue by the counterparty recorded on its lines (the counterparty dimension).
    pub by_counterparty: RevenueByCounterparty,
}

/// Revenue of the period by the counterparty recorded on each revenue line (the lines'
/// counterparty dimension), whatever account it was booked to.
///
/// This differs from the sections of [`IncomeStatement`], which group revenue by account
/// ([`StatementPolicy::member_revenue`] and [`non_member_revenue`](StatementPolicy::non_member_revenue)):
/// a penalty or an administration fee paid by a member is *pendapatan lain* by account, but
/// revenue from a member here. Lines without a counterparty are `unspecified`.
///
/// # Invariants
/// `member + non_member + other + unspecified` equals the income statement's
/// revenue of the period (`prop_income_statement_result_equals_shu`).
///
/// ```
/// use chrono::NaiveDate;
/// use koperasi_core::{ActorId, EntryId, Period, Rupiah};
/// use koperasi_ledger::{kkmp, ChartOfAccounts, Counterparty, JournalEntry, Ledger, Line};
/// use koperasi_reporting::statements::{statements, StatementPolicy};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let mut books = Ledger::new(ChartOfAccounts::standard_kkmp()?, d(1, 1));
/// let mut e = JournalEntry::new(EntryId::from_u128(1), d(3, 2), ActorId::from_u128(1))
///     .with_memo("Denda keterlambatan Siti Rahayu");
/// e.lines = vec![
///     Line::debit(kkmp::KAS, Rupiah::from_rupiah(5_000))?,
///     Line::credit(kkmp::PENDAPATAN_DENDA, Rupiah::from_rupiah(5_000))?
///         .counterparty(Counterparty::Member),
/// ];
/// books.post(&e)?;
/// let year = Period::new(d(1, 1), d(12, 31))?;
/// let phu = statements(&books, year, None, &StatementPolicy::standard_kkmp())?.income_statement;
/// // Other revenue by account, revenue from a member by counterparty.
/// assert_eq!(phu.sections[0].total.current, Rupiah::ZERO);
/// assert_eq!(phu.by_counterparty.member, Rupiah::from_rupiah(5_000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RevenueByCounterparty {
    /// From members (anggota).
    pub member: Rupiah,
    /// From non-members (non-anggota).
    pub non_member: Rupiah,
    /// From other cooperatives (koperasi lain), or any other counterparty kind.
    pub other: Rupiah,
    /// Lines without a counterparty.
    pub unspecified: Rupiah,
}

/// Revenue and cost of sales of one business unit in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitResult {
    /// The unit (`None`: lines without a unit).
    pub unit: Option<BusinessUnit>,
    /// Revenue from members.
    pub member_revenue: Rupiah,
    /// Revenue from non-members.
    pub non_member_revenue: Rupiah,
    /// Other revenue.
    pub other_revenue: Rupiah,
    /// Cost of sales.
    pub cost_of_sales: Rupiah,
}

/// One line of the changes in equity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EquityMovement {
    /// Label.
    pub label: String,
    /// Accounts behind it.
    pub accounts: Vec<String>,
    /// Balance at the start of the period.
    pub opening: Rupiah,
    /// Increases (credits; for the unclosed SHU line, the period's result).
    pub increase: Rupiah,
    /// Decreases (debits; for the unclosed SHU line, amounts closed out).
    pub decrease: Rupiah,
    /// Balance at the end.
    pub closing: Rupiah,
}

/// Laporan perubahan ekuitas.
///
/// # Invariants
/// For every line `opening + increase − decrease = closing`; the closing total equals the
/// balance sheet's equity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "perubahan ekuitas")]
pub struct ChangesInEquity {
    /// The period.
    pub period: Period,
    /// Lines.
    pub lines: Vec<EquityMovement>,
    /// Σ opening.
    pub opening: Rupiah,
    /// Σ closing.
    pub closing: Rupiah,
}

/// A cash-flow activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Activity {
    /// Aktivitas operasi.
    Operating,
    /// Aktivitas investasi.
    Investing,
    /// Aktivitas pendanaan.
    Financing,
}

impl Activity {
    /// Indonesian label.
    pub fn label(self) -> &'static str {
        match self {
            Activity::Operating => "Arus kas dari aktivitas operasi",
            Activity::Investing => "Arus kas dari aktivitas investasi",
            Activity::Financing => "Arus kas dari aktivitas pendanaan",
        }
    }
}

/// Laporan arus kas, direct method: receipts and payments per counter-account.
///
/// # Invariants
/// `opening_cash + net_change = closing_cash` (`prop_cash_flow_reconciles`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "arus kas")]
pub struct CashFlowStatement {
    /// The period.
    pub period: Period,
    /// Operating, investing, financing sections (receipts positive, payments negative).
    pub sections: Vec<(Activity, Section)>,
    /// Net change in cash.
    pub net_change: Amounts,
    /// Cash at the start.
    pub opening_cash: Amounts,
    /// Cash at the end.
    pub closing_cash: Amounts,
}

/// The four statements of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FinancialStatements {
    /// Neraca.
    pub balance_sheet: BalanceSheet,
    /// PHU.
    pub income_statement: IncomeStatement,
    /// Perubahan ekuitas.
    pub changes_in_equity: ChangesInEquity,
    /// Arus kas.
    pub cash_flow: CashFlowStatement,
}

fn under(chart: &ChartOfAccounts, code: &str, set: &[String]) -> bool {
    set.iter().any(|s| chart.is_under(code, s))
}

/// Each account's parent, by position in the chart (a chart has no orphans and no cycles).
fn parent_indices(chart: &ChartOfAccounts) -> Vec<Option<usize>> {
    chart
        .accounts()
        .iter()
        .map(|a| a.parent.as_ref().and_then(|p| chart.index_of(p.as_str())))
        .collect()
}

/// For every account, by position: is it one of `set` or under one of them — what
/// [`under`] answers for one account, for the whole chart at once (a walk up the parents'
/// positions, no code lookups).
fn marks(chart: &ChartOfAccounts, parents: &[Option<usize>], set: &[String]) -> Vec<bool> {
    let n = parents.len();
    let mut direct = vec![false; n];
    for code in set {
        if let Some(slot) = chart.index_of(code).and_then(|i| direct.get_mut(i)) {
            *slot = true;
        }
    }
    (0..n)
        .map(|i| {
            let mut cur = Some(i);
            let mut steps = 0_usize;
            while let Some(j) = cur {
                if direct.get(j).copied().unwrap_or(false) {
                    return true;
                }
                steps = steps.saturating_add(1);
                if steps > n {
                    break;
                }
                cur = parents.get(j).copied().flatten();
            }
            false
        })
        .collect()
}

/// For every account, by position: its kind, or the first non-general kind on the way up
/// from it.
fn effective_kinds(chart: &ChartOfAccounts, parents: &[Option<usize>]) -> Vec<AccountKind> {
    let accounts = chart.accounts();
    (0..accounts.len())
        .map(|i| {
            let mut cur = Some(i);
            let mut steps = 0_usize;
            while let Some(a) = cur.and_then(|j| accounts.get(j)) {
                if a.kind != AccountKind::General {
                    return a.kind;
                }
                steps = steps.saturating_add(1);
                if steps > 64 {
                    break;
                }
                cur = cur.and_then(|j| parents.get(j).copied().flatten());
            }
            AccountKind::General
        })
        .collect()
}

/// Whether flag `i` of `marks` is set.
fn marked(marks: &[bool], i: usize) -> bool {
    marks.get(i).copied().unwrap_or(false)
}

fn day_before(d: NaiveDate) -> NaiveDate {
    d.pred_opt().unwrap_or(d)
}

/// Per-account sums in sen (net debit), gathered in one pass.
#[derive(Default, Clone)]
struct Acc {
    end: i128,
    open: i128,
    prior_end: i128,
    prior_open: i128,
    debit: i128,
    credit: i128,
    act: i128,
    prior_act: i128,
    cash_in: i128,
    cash_out: i128,
    prior_cash_in: i128,
    prior_cash_out: i128,
}

fn add(x: &mut i128, v: i128) {
    *x = x.saturating_add(v);
}

/// Builds the four statements for `period`, with `prior` as comparative (its end date is
/// the comparative date of the balance sheet).
///
/// # Errors
/// [`Error::Core`](crate::Error::Core) if a total exceeds `Rupiah`'s range.
pub fn statements(
    ledger: &Ledger,
    period: Period,
    prior: Option<Period>,
    policy: &StatementPolicy,
) -> Result<FinancialStatements> {
    let chart = ledger.chart();
    let n = chart.len();
    let mut acc = vec![Acc::default(); n];
    let is_cash: Vec<bool> = chart
        .accounts()
        .iter()
        .map(|a| policy.cash.iter().any(|c| c == a.code.as_str()))
        .collect();
    let (start, end) = (period.start(), period.end());
    let open_day = day_before(start);
    let (p_start, p_end) = prior.map_or((start, open_day), |p| (p.start(), p.end()));
    let has_prior = prior.is_some();
    let p_open = day_before(p_start);
    // Per-account classification, computed once (no hashing or parent walks per line).
    // 0: not nominal; 1/2/3: member/non-member/other revenue; 4: cost of sales; 5: other expense.
    let parents = parent_indices(chart);
    let kinds = effective_kinds(chart, &parents);
    let member_rev = marks(chart, &parents, &policy.member_revenue);
    let non_member_rev = marks(chart, &parents, &policy.non_member_revenue);
    let kind_of = |i: usize| kinds.get(i).copied().unwrap_or(AccountKind::General);
    let group: Vec<u8> = chart
        .accounts()
        .iter()
        .enumerate()
        .map(|(i, a)| match a.class {
            AccountClass::Revenue if marked(&member_rev, i) => 1,
            AccountClass::Revenue if marked(&non_member_rev, i) => 2,
            AccountClass::Revenue => 3,
            AccountClass::Expense if kind_of(i) == AccountKind::CostOfSales => 4,
            AccountClass::Expense => 5,
            _ => 0,
        })
        .collect();
    let base = chart
        .accounts()
        .first()
        .map_or(0, |a| core::ptr::from_ref(&a.code) as usize);
    let stride = core::mem::size_of::<koperasi_ledger::Account>().max(1);
    // A line's account is a reference into the chart: its position gives the index directly
    // (checked by identity; anything else falls back to the code lookup).
    let index_of = |code: &koperasi_ledger::AccountCode| -> Option<usize> {
        let addr = core::ptr::from_ref(code) as usize;
        let i = addr
            .checked_sub(base)
            .and_then(|off| off.checked_div(stride));
        match i.and_then(|i| chart.accounts().get(i).map(|a| (i, a))) {
            Some((i, a)) if core::ptr::eq(core::ptr::from_ref(&a.code), code) => Some(i),
            _ => chart.index_of(code.as_str()),
        }
    };
    // Per business unit (in order of first appearance): member, non-member and other revenue
    // (credit positive) and cost of sales (debit positive), in sen; made `Rupiah` once at
    // the end, not per line.
    let mut units: Vec<(Option<BusinessUnit>, [i128; 4])> = Vec::new();
    // Current-period revenue by counterparty (credit positive): member, non-member, other
    // (koperasi lain), unspecified.
    let mut by_cp = [0_i128; 4];
    let mut idx: Vec<usize> = Vec::with_capacity(8);
    let mut signed: Vec<i128> = Vec::with_capacity(8);
    for e in ledger.entries() {
        let d = e.date();
        if d > end && (!has_prior || d > p_end) {
            continue;
        }
        let closing = matches!(e.kind(), EntryKind::Closing { .. });
        let in_cur = d >= start && d <= end;
        let in_prior = has_prior && d >= p_start && d <= p_end;
        idx.clear();
        signed.clear();
        let mut cash_delta: i128 = 0;
        for l in e.lines() {
            let Some(i) = index_of(l.account) else {
                continue;
            };
            let v = match l.side {
                Side::Debit => l.amount.to_sen(),
                Side::Credit => l.amount.to_sen().saturating_neg(),
            };
            let Some(a) = acc.get_mut(i) else { continue };
            if d <= end {
                add(&mut a.end, v);
                if d <= open_day {
                    add(&mut a.open, v);
                }
                if in_cur {
                    if v > 0 {
                        add(&mut a.debit, v);
                    } else {
                        add(&mut a.credit, v.saturating_neg());
                    }
                    if !closing {
                        add(&mut a.act, v);
                    }
                }
            }
            if has_prior && d <= p_end {
                add(&mut a.prior_end, v);
                if d <= p_open {
                    add(&mut a.prior_open, v);
                }
                if in_prior && !closing {
                    add(&mut a.prior_act, v);
                }
            }
            if is_cash.get(i).copied().unwrap_or(false) {
                add(&mut cash_delta, v);
            }
            idx.push(i);
            signed.push(v);
            // Per-unit revenue and cost of sales (current period).
            let g = group.get(i).copied().unwrap_or(0);
            if in_cur && !closing && (1..=3).contains(&g) {
                let k = match l.dims.counterparty {
                    Some(Counterparty::Member) => 0,
                    Some(Counterparty::NonMember) => 1,
                    Some(_) => 2,
                    None => 3,
                };
                if let Some(t) = by_cp.get_mut(k) {
                    add(t, v.saturating_neg());
                }
            }
            if in_cur && !closing && g != 0 && g != 5 {
                let pos = if let Some(p) = units.iter().position(|u| u.0 == l.dims.unit) {
                    p
                } else {
                    units.push((l.dims.unit, [0; 4]));
                    units.len().saturating_sub(1)
                };
                if let Some((_, [member, non_member, other, cost])) = units.get_mut(pos) {
                    match g {
                        1 => add(member, v.saturating_neg()),
                        2 => add(non_member, v.saturating_neg()),
                        3 => add(other, v.saturating_neg()),
                        _ => add(cost, v),
                    }
                }
            }
        }
        // Direct-method cash flow: every non-cash line of an entry that moves cash is a
        // receipt from / payment to its account; the parts sum to the cash change exactly.
        if cash_delta != 0 && (in_cur || in_prior) {
            for (i, v) in idx.iter().zip(signed.iter()) {
                if is_cash.get(*i).copied().unwrap_or(false) {
                    continue;
                }
                let flow = v.saturating_neg();
                if let Some(a) = acc.get_mut(*i) {
                    match (in_cur, flow > 0) {
                        (true, true) => add(&mut a.cash_in, flow),
                        (true, false) => add(&mut a.cash_out, flow),
                        _ => {}
                    }
                    match (in_prior, flow > 0) {
                        (true, true) => add(&mut a.prior_cash_in, flow),
                        (true, false) => add(&mut a.prior_cash_out, flow),
                        _ => {}
                    }
                }
            }
        }
    }
    units.sort_by_key(|u| u.0.map(BusinessUnit::number));
    let units = units
        .into_iter()
        .map(|(unit, [member, non_member, other, cost])| {
            Ok(UnitResult {
                unit,
                member_revenue: Rupiah::try_from_sen_i128(member)?,
                non_member_revenue: Rupiah::try_from_sen_i128(non_member)?,
                other_revenue: Rupiah::try_from_sen_i128(other)?,
                cost_of_sales: Rupiah::try_from_sen_i128(cost)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let accounts = chart.accounts();
    let rows = || {
        accounts
            .iter()
            .zip(acc.iter())
            .enumerate()
            .filter(|(_, (a, _))| a.postable)
            .map(|(i, (a, s))| (i, a, s))
    };
    let line = |label: &str, codes: Vec<String>, cur: i128, pri: i128| -> Result<StatementLine> {
        Ok(StatementLine {
            label: label.to_owned(),
            accounts: codes,
            amounts: Amounts::from_sen(cur, if has_prior { pri } else { 0 })?,
        })
    };

    // ---- Balance sheet ----
    let ms_eq = &policy.member_savings_equity;
    let ms_li = &policy.member_savings_liability;
    let as_liability = policy.member_savings == MemberSavingsPresentation::Liability;
    let (mut ca, mut nca, mut cl, mut ncl, mut eq) = (vec![], vec![], vec![], vec![], vec![]);
    let (mut nominal_end, mut nominal_prior) = (0_i128, 0_i128);
    let mut nominal_codes = Vec::new();
    let current_assets = marks(chart, &parents, &policy.current_assets);
    let current_liabilities = marks(chart, &parents, &policy.current_liabilities);
    for (i, a, s) in rows() {
        let code = a.code.as_str().to_owned();
        match a.class {
            AccountClass::Asset => {
                if s.end == 0 && s.prior_end == 0 {
                    continue;
                }
                let l = line(&a.name, vec![code.clone()], s.end, s.prior_end)?;
                if marked(&current_assets, i) {
                    ca.push(l);
                } else {
                    nca.push(l);
                }
            }
            AccountClass::Liability | AccountClass::Equity => {
                if s.end == 0 && s.prior_end == 0 {
                    continue;
                }
                let l = line(
                    &a.name,
                    vec![code.clone()],
                    s.end.saturating_neg(),
                    s.prior_end.saturating_neg(),
                )?;
                let is_ms = ms_eq.contains(&code) || ms_li.contains(&code);
                if is_ms {
                    if as_liability {
                        ncl.push(l);
                    } else {
                        eq.push(l);
                    }
                } else if a.class == AccountClass::Equity {
                    eq.push(l);
                } else if marked(&current_liabilities, i) {
                    cl.push(l);
                } else {
                    ncl.push(l);
                }
            }
            _ => {
                add(&mut nominal_end, s.end.saturating_neg());
                add(&mut nominal_prior, s.prior_end.saturating_neg());
                nominal_codes.push(code);
            }
        }
    }
    // After the year-end close (and before any posting) there is nothing unclosed to show.
    if nominal_end != 0 || nominal_prior != 0 {
        eq.push(line(
            "SHU tahun berjalan (belum ditutup)",
            nominal_codes.clone(),
            nominal_end,
            nominal_prior,
        )?);
    }
    let assets = vec![
        section("Aset lancar", ca)?,
        section("Aset tidak lancar", nca)?,
    ];
    let liabilities = vec![
        section("Liabilitas jangka pendek", cl)?,
        section("Liabilitas jangka panjang", ncl)?,
    ];
    let equity = section("Ekuitas", eq)?;
    let sum2 = |xs: &[&Amounts]| -> Result<Amounts> {
        Ok(Amounts {
            current: Rupiah::try_sum(xs.iter().map(|a| a.current))?,
            prior: Rupiah::try_sum(xs.iter().map(|a| a.prior))?,
        })
    };
    let total_assets = sum2(&assets.iter().map(|s| &s.total).collect::<Vec<_>>())?;
    let mut le: Vec<&Amounts> = liabilities.iter().map(|s| &s.total).collect();
    le.push(&equity.total);
    let total_liabilities_and_equity = sum2(&le)?;
    let balance_sheet = BalanceSheet {
        as_of: end,
        prior_as_of: prior.map(|p| p.end()),
        assets,
        liabilities,
        equity,
        total_assets,
        total_liabilities_and_equity,
    };

    // ---- Income statement ----
    let mut groups: [Vec<StatementLine>; 7] = Default::default();
    for (i, a, s) in rows() {
        if !a.class.is_nominal() || (s.act == 0 && s.prior_act == 0) {
            continue;
        }
        let code = a.code.as_str();
        let (g, cur, pri) = if a.class == AccountClass::Revenue {
            let g = if marked(&member_rev, i) {
                0
            } else if marked(&non_member_rev, i) {
                1
            } else {
                2
            };
            (g, s.act.saturating_neg(), s.prior_act.saturating_neg())
        } else {
            let g = match kind_of(i) {
                AccountKind::CostOfSales => 3,
                AccountKind::CooperativeExpense => 5,
                AccountKind::IncomeTax => 6,
                _ => 4,
            };
            (g, s.act, s.prior_act)
        };
        if let Some(v) = groups.get_mut(g) {
            v.push(line(&a.name, vec![code.to_owned()], cur, pri)?);
        }
    }
    let titles = [
        "Pendapatan partisipasi anggota",
        "Pendapatan dari non-anggota",
        "Pendapatan lain",
        "Beban pokok pendapatan",
        "Beban usaha",
        "Beban perkoperasian",
        "Pajak penghasilan",
    ];
    let sections = titles
        .iter()
        .zip(groups)
        .map(|(t, g)| section(t, g))
        .collect::<Result<Vec<_>>>()?;
    let tot = |r: core::ops::Range<usize>| -> Result<Amounts> {
        sum2(
            &sections
                .get(r)
                .unwrap_or_default()
                .iter()
                .map(|s| &s.total)
                .collect::<Vec<_>>(),
        )
    };
    let revenue = tot(0..3)?;
    let expenses = tot(3..6)?;
    let tax = tot(6..7)?;
    let shu_before_tax = Amounts {
        current: revenue.current.checked_sub(expenses.current)?,
        prior: revenue.prior.checked_sub(expenses.prior)?,
    };
    let shu = Amounts {
        current: shu_before_tax.current.checked_sub(tax.current)?,
        prior: shu_before_tax.prior.checked_sub(tax.prior)?,
    };
    let income_statement = IncomeStatement {
        period,
        prior_period: prior,
        sections,
        revenue,
        expenses,
        shu_before_tax,
        shu,
        by_unit: units,
        by_counterparty: {
            let [member, non_member, other, unspecified] = by_cp.map(Rupiah::try_from_sen_i128);
            RevenueByCounterparty {
                member: member?,
                non_member: non_member?,
                other: other?,
                unspecified: unspecified?,
            }
        },
    };

    // ---- Changes in equity ----
    let mut lines = Vec::new();
    let (mut nom_open, mut nom_debit, mut nom_credit) = (0_i128, 0_i128, 0_i128);
    for (_, a, s) in rows() {
        let code = a.code.as_str();
        let is_ms = ms_eq.iter().any(|c| c == code) || ms_li.iter().any(|c| c == code);
        let in_equity = if is_ms {
            !as_liability
        } else {
            a.class == AccountClass::Equity
        };
        if a.class.is_nominal() {
            add(&mut nom_open, s.open.saturating_neg());
            add(&mut nom_debit, s.debit);
            add(&mut nom_credit, s.credit);
            continue;
        }
        if !in_equity || (s.open == 0 && s.end == 0 && s.debit == 0 && s.credit == 0) {
            continue;
        }
        lines.push(EquityMovement {
            label: a.name.clone(),
            accounts: vec![code.to_owned()],
            opening: Rupiah::try_from_sen_i128(s.open.saturating_neg())?,
            increase: Rupiah::try_from_sen_i128(s.credit)?,
            decrease: Rupiah::try_from_sen_i128(s.debit)?,
            closing: Rupiah::try_from_sen_i128(s.end.saturating_neg())?,
        });
    }
    let nothing_unclosed = nom_open == 0 && nom_debit == 0 && nom_credit == 0 && nominal_end == 0;
    if !nothing_unclosed {
        lines.push(EquityMovement {
            label: "SHU tahun berjalan (belum ditutup)".into(),
            accounts: nominal_codes,
            opening: Rupiah::try_from_sen_i128(nom_open)?,
            increase: Rupiah::try_from_sen_i128(nom_credit)?,
            decrease: Rupiah::try_from_sen_i128(nom_debit)?,
            closing: Rupiah::try_from_sen_i128(nominal_end)?,
        });
    }
    let changes_in_equity = ChangesInEquity {
        period,
        opening: Rupiah::try_sum(lines.iter().map(|l| l.opening))?,
        closing: Rupiah::try_sum(lines.iter().map(|l| l.closing))?,
        lines,
    };

    // ---- Cash flow ----
    let mut cf: [Vec<StatementLine>; 3] = Default::default();
    let (mut open_cash, mut close_cash, mut p_open_cash, mut p_close_cash) =
        (0_i128, 0_i128, 0_i128, 0_i128);
    let investing = marks(chart, &parents, &policy.investing);
    let financing = marks(chart, &parents, &policy.financing);
    for (i, (a, s)) in accounts.iter().zip(acc.iter()).enumerate() {
        if is_cash.get(i).copied().unwrap_or(false) {
            add(&mut open_cash, s.open);
            add(&mut close_cash, s.end);
            add(&mut p_open_cash, s.prior_open);
            add(&mut p_close_cash, s.prior_end);
            continue;
        }
        if s.cash_in == 0 && s.prior_cash_in == 0 && s.cash_out == 0 && s.prior_cash_out == 0 {
            continue;
        }
        let code = a.code.as_str();
        let g = if marked(&investing, i) {
            1
        } else if marked(&financing, i) {
            2
        } else {
            0
        };
        let Some(v) = cf.get_mut(g) else { continue };
        if s.cash_in != 0 || s.prior_cash_in != 0 {
            v.push(line(
                &format!("Penerimaan — {}", a.name),
                vec![code.to_owned()],
                s.cash_in,
                s.prior_cash_in,
            )?);
        }
        if s.cash_out != 0 || s.prior_cash_out != 0 {
            v.push(line(
                &format!("Pembayaran — {}", a.name),
                vec![code.to_owned()],
                s.cash_out,
                s.prior_cash_out,
            )?);
        }
    }
    let activities = [
        Activity::Operating,
        Activity::Investing,
        Activity::Financing,
    ];
    let cf_sections = activities
        .iter()
        .zip(cf)
        .map(|(a, v)| Ok((*a, section(a.label(), v)?)))
        .collect::<Result<Vec<_>>>()?;
    let net_change = sum2(
        &cf_sections
            .iter()
            .map(|(_, s)| &s.total)
            .collect::<Vec<_>>(),
    )?;
    let cash_flow = CashFlowStatement {
        period,
        sections: cf_sections,
        net_change,
        opening_cash: Amounts::from_sen(open_cash, if has_prior { p_open_cash } else { 0 })?,
        closing_cash: Amounts::from_sen(close_cash, if has_prior { p_close_cash } else { 0 })?,
    };
    Ok(FinancialStatements {
        balance_sheet,
        income_statement,
        changes_in_equity,
        cash_flow,
    })
}

/// Drill-down: the entries (in posting order) with a line on any of `accounts` (a header
/// covers its leaves) dated within `from..=to`.
pub fn entries_behind(
    ledger: &Ledger,
    accounts: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<EntryId> {
    let chart = ledger.chart();
    ledger
        .entries()
        .filter(|e| {
            let d = e.date();
            d >= from
                && d <= to
                && e.lines()
                    .any(|l| under(chart, l.account.as_str(), accounts))
        })
        .map(|e| e.id())
        .collect()
}

fn money_cols(has_prior: bool) -> Vec<(&'static str, &'static str)> {
    if has_prior {
        vec![
            ("label", "Pos"),
            ("accounts", "Akun"),
            ("current", "Periode ini"),
            ("prior", "Pembanding"),
        ]
    } else {
        vec![
            ("label", "Pos"),
            ("accounts", "Akun"),
            ("current", "Periode ini"),
        ]
    }
}

fn amount_cells(a: Amounts, has_prior: bool) -> Vec<Cell> {
    if has_prior {
        vec![a.current.into(), a.prior.into()]
    } else {
        vec![a.current.into()]
    }
}

/// The accounts of a line: every code, or for a line over more than three accounts (the
/// unclosed SHU of the neraca) the first and the last and how many.
fn accounts_cell(accounts: &[String]) -> Cell {
    match accounts {
        [first, .., last] if accounts.len() > 3 => {
            Cell::Text(format!("{first} … {last} ({} akun)", accounts.len()))
        }
        _ => Cell::Text(accounts.join(" ")),
    }
}

fn section_table(s: &Section, has_prior: bool) -> Table {
    let mut t = Table::new(&s.title, &money_cols(has_prior));
    for l in &s.lines {
        let mut row = vec![l.label.as_str().into(), accounts_cell(&l.accounts)];
        row.extend(amount_cells(l.amounts, has_prior));
        t.push(row);
    }
    let mut total = vec![
        Cell::Text(format!("Jumlah {}", s.title.to_lowercase())),
        Cell::Empty,
    ];
    total.extend(amount_cells(s.total, has_prior));
    t.total = Some(total);
    t
}

fn total_row(label: &str, a: Amounts, has_prior: bool) -> Table {
    let mut t = Table::new(label, &money_cols(has_prior));
    let mut row = vec![label.into(), Cell::Empty];
    row.extend(amount_cells(a, has_prior));
    t.push(row);
    t
}

impl BalanceSheet {
    /// As a document.
    pub fn document(&self, cooperative: &str) -> Document {
        let p = self.prior_as_of.is_some();
        let mut d = Document::new("Laporan Posisi Keuangan (Neraca)");
        d.subtitle.push(cooperative.to_owned());
        d.subtitle.push(match self.prior_as_of {
            Some(pr) => format!("Per {} (pembanding {})", self.as_of, pr),
            None => format!("Per {}", self.as_of),
        });
        for s in &self.assets {
            d.blocks.push(Block::Table(section_table(s, p)));
        }
        d.blocks
            .push(Block::Table(total_row("Jumlah aset", self.total_assets, p)));
        for s in &self.liabilities {
            d.blocks.push(Block::Table(section_table(s, p)));
        }
        d.blocks.push(Block::Table(section_table(&self.equity, p)));
        d.blocks.push(Block::Table(total_row(
            "Jumlah liabilitas dan ekuitas",
            self.total_liabilities_and_equity,
            p,
        )));
        d
    }
}

impl IncomeStatement {
    /// As a document.
    pub fn document(&self, cooperative: &str) -> Document {
        let p = self.prior_period.is_some();
        let mut d = Document::new("Laporan Hasil Usaha (Perhitungan Hasil Usaha)");
        d.subtitle.push(cooperative.to_owned());
        d.subtitle.push(format!(
            "Periode {} s.d. {}",
            self.period.start(),
            self.period.end()
        ));
        for s in &self.sections {
            if !s.lines.is_empty() {
                d.blocks.push(Block::Table(section_table(s, p)));
            }
        }
        d.blocks.push(Block::Table(total_row(
            "SHU sebelum pajak",
            self.shu_before_tax,
            p,
        )));
        d.blocks.push(Block::Table(total_row(
            "Sisa hasil usaha (SHU)",
            self.shu,
            p,
        )));
        let c = &self.by_counterparty;
        if c.unspecified != self.revenue.current {
            let mut t = Table::new(
                "Pendapatan menurut pihak",
                &[("counterparty", "Pihak"), ("amount", "Jumlah")],
            );
            for (label, amount) in [
                ("Anggota", c.member),
                ("Non-anggota", c.non_member),
                ("Koperasi lain", c.other),
                ("Tanpa keterangan", c.unspecified),
            ] {
                t.push(vec![label.into(), amount.into()]);
            }
            d.blocks.push(Block::Table(t));
        }
        let mut u = Table::new(
            "Per unit usaha",
            &[
                ("unit", "Unit"),
                ("member", "Partisipasi anggota"),
                ("non_member", "Non-anggota"),
                ("other", "Lain-lain"),
                ("cost", "Beban pokok"),
            ],
        );
        for r in &self.by_unit {
            let name = r
                .unit
                .map_or_else(|| "Tanpa unit".to_owned(), |x| format!("{:02}", x.number()));
            u.push(vec![
                name.into(),
                r.member_revenue.into(),
                r.non_member_revenue.into(),
                r.other_revenue.into(),
                r.cost_of_sales.into(),
            ]);
        }
        d.blocks.push(Block::Table(u));
        d
    }
}

impl ChangesInEquity {
    /// As a document.
    pub fn document(&self, cooperative: &str) -> Document {
        let mut d = Document::new("Laporan Perubahan Ekuitas");
        d.subtitle.push(cooperative.to_owned());
        d.subtitle.push(format!(
            "Periode {} s.d. {}",
            self.period.start(),
            self.period.end()
        ));
        let mut t = Table::new(
            "Perubahan ekuitas",
            &[
                ("label", "Pos"),
                ("opening", "Saldo awal"),
                ("increase", "Penambahan"),
                ("decrease", "Pengurangan"),
                ("closing", "Saldo akhir"),
            ],
        );
        for l in &self.lines {
            t.push(vec![
                l.label.as_str().into(),
                l.opening.into(),
                l.increase.into(),
                l.decrease.into(),
                l.closing.into(),
            ]);
        }
        t.total = Some(vec![
            "Jumlah ekuitas".into(),
            self.opening.into(),
            Cell::Empty,
            Cell::Empty,
            self.closing.into(),
        ]);
        d.blocks.push(Block::Table(t));
        d
    }
}

impl CashFlowStatement {
    /// As a document.
    pub fn document(&self, cooperative: &str) -> Document {
        let mut d = Document::new("Laporan Arus Kas (metode langsung)");
        d.subtitle.push(cooperative.to_owned());
        d.subtitle.push(format!(
            "Periode {} s.d. {}",
            self.period.start(),
            self.period.end()
        ));
        for (_, s) in &self.sections {
            d.blocks.push(Block::Table(section_table(s, false)));
        }
        let mut t = Table::new(
            "Rekonsiliasi kas",
            &[("label", "Pos"), ("amount", "Jumlah")],
        );
        t.push(vec![
            "Kenaikan (penurunan) bersih kas".into(),
            self.net_change.current.into(),
        ]);
        t.push(vec![
            "Kas dan bank awal periode".into(),
            self.opening_cash.current.into(),
        ]);
        t.push(vec![
            "Kas dan bank akhir periode".into(),
            self.closing_cash.current.into(),
        ]);
        d.blocks.push(Block::Table(t));
        d
    }
}

/// The ledger's trial balance (neraca saldo) as a document.
///
/// # Errors
/// [`Error::Ledger`](crate::Error::Ledger) if a total exceeds `Rupiah`'s range.
pub fn trial_balance_document(ledger: &Ledger, as_of: NaiveDate) -> Result<Document> {
    let tb = ledger.trial_balance(as_of)?;
    let mut d = Document::new("Neraca Saldo");
    d.subtitle.push(format!("Per {as_of}"));
    let mut t = Table::new(
        "Neraca saldo",
        &[
            ("code", "Kode"),
            ("name", "Akun"),
            ("debit", "Debet"),
            ("credit", "Kredit"),
        ],
    );
    for r in &tb.rows {
        t.push(vec![
            r.account.as_str().into(),
            r.name.as_str().into(),
            r.debit.into(),
            r.credit.into(),
        ]);
    }
    t.total = Some(vec![
        "Jumlah".into(),
        Cell::Empty,
        tb.total_debit.into(),
        tb.total_credit.into(),
    ]);
    d.blocks.push(Block::Table(t));
    Ok(d)
}

/// The general ledger (buku besar) of an account as a document.
///
/// # Errors
/// [`Error::Ledger`](crate::Error::Ledger) for an unknown account.
pub fn general_ledger_document(
    ledger: &Ledger,
    code: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Document> {
    let g = ledger.general_ledger(code, from, to)?;
    let name = ledger
        .chart()
        .get(code)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let mut d = Document::new(&format!("Buku Besar — {code} {name}"));
    d.subtitle.push(format!("Periode {from} s.d. {to}"));
    let mut t = Table::new(
        "Mutasi",
        &[
            ("date", "Tanggal"),
            ("entry", "Jurnal"),
            ("memo", "Keterangan"),
            ("debit", "Debet"),
            ("credit", "Kredit"),
            ("balance", "Saldo"),
        ],
    );
    t.push(vec![
        "".into(),
        "".into(),
        "Saldo awal".into(),
        Cell::Empty,
        Cell::Empty,
        g.opening.into(),
    ]);
    for r in &g.rows {
        let (dr, cr) = match r.side {
            Side::Debit => (Cell::Money(r.amount), Cell::Empty),
            Side::Credit => (Cell::Empty, Cell::Money(r.amount)),
        };
        t.push(vec![
            r.date.to_string().into(),
            r.entry.as_uuid().to_string().into(),
            r.memo.as_str().into(),
            dr,
            cr,
            r.balance.into(),
        ]);
    }
    t.total = Some(vec![
        "Saldo akhir".into(),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        g.closing.into(),
    ]);
    d.blocks.push(Block::Table(t));
    Ok(d)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use koperasi_core::{ActorId, FiscalYear};
    use koperasi_ledger::{AccountCode, JournalEntry, Line, YearClose};
    use proptest::prelude::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    /// Postable accounts of the standard chart except SHU tahun berjalan (the closing target).
    fn postable() -> Vec<String> {
        ChartOfAccounts::standard_kkmp()
            .unwrap()
            .accounts()
            .iter()
            .filter(|a| a.postable && a.code.as_str() != kkmp::SHU_TAHUN_BERJALAN)
            .map(|a| a.code.as_str().to_owned())
            .collect()
    }

    /// Books with the given entries posted (entries the ledger refuses — a balance limit — are
    /// skipped: the ledger changes nothing for them).
    pub(crate) fn books(spec: &[(usize, usize, i64, u32)]) -> Ledger {
        books_with_counterparties(spec, false)
    }

    /// [`books`], optionally with a counterparty (member, non-member, other cooperative or
    /// none, in turn) on both lines of each entry.
    fn books_with_counterparties(spec: &[(usize, usize, i64, u32)], dims: bool) -> Ledger {
        let counterparties = [
            Some(Counterparty::Member),
            Some(Counterparty::NonMember),
            Some(Counterparty::OtherCoop),
            None,
        ];
        let accounts = postable();
        let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(1, 1));
        for (k, (a, b, sen, day)) in spec.iter().enumerate() {
            let (a, b) = (&accounts[a % accounts.len()], &accounts[b % accounts.len()]);
            if a == b {
                continue;
            }
            let date = d(1, 1) + chrono::Days::new(u64::from(*day % 365));
            let mut e = JournalEntry::new(
                EntryId::from_u128(k as u128 + 1),
                date,
                ActorId::from_u128(1),
            )
            .debit(a, Rupiah::from_sen(*sen))
            .unwrap()
            .credit(b, Rupiah::from_sen(*sen))
            .unwrap();
            if dims {
                for line in &mut e.lines {
                    line.dims.counterparty = counterparties[k % counterparties.len()];
                }
            }
            let _ = l.post(&e);
        }
        l
    }

    fn spec() -> impl Strategy<Value = Vec<(usize, usize, i64, u32)>> {
        proptest::collection::vec(
            (
                0_usize..200,
                0_usize..200,
                1_i64..10_000_000_000,
                0_u32..365,
            ),
            0..60,
        )
    }

    fn halves() -> (Period, Period) {
        (
            Period::new(d(7, 1), d(12, 31)).unwrap(),
            Period::new(d(1, 1), d(6, 30)).unwrap(),
        )
    }

    #[test]
    fn worked_example() {
        let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(1, 1));
        let rp = Rupiah::from_rupiah;
        let post = |l: &mut Ledger, id: u128, date, dr: &str, cr: &str, amt| {
            l.post(
                &JournalEntry::new(EntryId::from_u128(id), date, ActorId::from_u128(1))
                    .debit(dr, amt)
                    .unwrap()
                    .credit(cr, amt)
                    .unwrap(),
            )
            .unwrap();
        };
        post(
            &mut l,
            1,
            d(1, 5),
            kkmp::KAS,
            kkmp::SIMPANAN_POKOK,
            rp(10_000_000),
        );
        post(
            &mut l,
            2,
            d(1, 6),
            kkmp::KAS,
            kkmp::SIMPANAN_WAJIB,
            rp(5_000_000),
        );
        post(
            &mut l,
            3,
            d(2, 1),
            kkmp::PERSEDIAAN,
            kkmp::KAS,
            rp(8_000_000),
        );
        post(
            &mut l,
            4,
            d(2, 10),
            kkmp::KAS,
            &kkmp::member_revenue("02"),
            rp(6_000_000),
        );
        post(
            &mut l,
            5,
            d(2, 10),
            &kkmp::cost_of_sales("02"),
            kkmp::PERSEDIAAN,
            rp(5_000_000),
        );
        post(
            &mut l,
            6,
            d(3, 1),
            kkmp::KAS,
            &kkmp::non_member_revenue("02"),
            rp(3_000_000),
        );
        post(&mut l, 7, d(3, 31), kkmp::BEBAN_RAT, kkmp::KAS, rp(500_000));
        post(
            &mut l,
            8,
            d(4, 1),
            kkmp::PERALATAN,
            kkmp::KAS,
            rp(2_000_000),
        );
        let year = Period::new(d(1, 1), d(12, 31)).unwrap();
        let s = statements(&l, year, None, &StatementPolicy::standard_kkmp()).unwrap();
        // Kas: 10 + 5 − 8 + 6 + 3 − 0,5 − 2 = 13,5 jt; persediaan 3 jt; peralatan 2 jt.
        assert_eq!(s.balance_sheet.assets[0].total.current, rp(16_500_000));
        assert_eq!(s.balance_sheet.assets[1].total.current, rp(2_000_000));
        assert_eq!(
            s.balance_sheet.total_liabilities_and_equity.current,
            rp(18_500_000)
        );
        // PHU: 6 + 3 − 5 − 0,5 = 3,5 jt.
        let phu = &s.income_statement;
        assert_eq!(phu.sections[0].total.current, rp(6_000_000));
        assert_eq!(phu.sections[1].total.current, rp(3_000_000));
        assert_eq!(phu.sections[3].total.current, rp(5_000_000));
        assert_eq!(phu.sections[5].total.current, rp(500_000));
        assert_eq!(phu.shu.current, rp(3_500_000));
        // Cash flow: operating 6 + 3 − 8 − 0,5 = 0,5; investing −2; financing 15.
        let cf = &s.cash_flow;
        let by = |a: Activity| {
            cf.sections
                .iter()
                .find(|(x, _)| *x == a)
                .unwrap()
                .1
                .total
                .current
        };
        assert_eq!(by(Activity::Operating), rp(500_000));
        assert_eq!(by(Activity::Investing), rp(-2_000_000));
        assert_eq!(by(Activity::Financing), rp(15_000_000));
        assert_eq!(cf.closing_cash.current, rp(13_500_000));
        // Member savings as liabilities: equity shrinks by 15 jt, totals still balance.
        let li = statements(
            &l,
            year,
            None,
            &StatementPolicy::standard_kkmp()
                .with_member_savings(MemberSavingsPresentation::Liability),
        )
        .unwrap();
        assert_eq!(li.balance_sheet.equity.total.current, rp(3_500_000));
        assert_eq!(
            li.balance_sheet.liabilities[1].total.current,
            rp(15_000_000)
        );
        // Drill-down: the member-revenue line leads to entry 4.
        let line = &phu.sections[0].lines[0];
        assert_eq!(
            entries_behind(&l, &line.accounts, d(1, 1), d(12, 31)),
            [EntryId::from_u128(4)]
        );
        // Documents render.
        let text = crate::render::text(&s.balance_sheet.document("KDMP Sukamaju"));
        assert!(text.contains("Rp16.500.000"), "{text}");
        // The unclosed SHU line names its first and last account and how many.
        let nominal = s.balance_sheet.equity.lines.last().unwrap();
        assert!(nominal.accounts.len() > 3);
        assert!(
            text.contains(&format!(
                "4-1-01 … 8-1-01 ({} akun)",
                nominal.accounts.len()
            )),
            "{text}"
        );
        assert!(
            crate::render::text(&s.income_statement.document("KDMP Sukamaju"))
                .contains("Rp3.500.000")
        );
        assert!(crate::render::text(&s.cash_flow.document("x")).contains("Rp13.500.000"));
        assert!(crate::render::text(&s.changes_in_equity.document("x")).contains("Rp18.500.000"));
        assert!(
            crate::render::text(&trial_balance_document(&l, d(12, 31)).unwrap())
                .contains("Rp24.000.000")
        );
        assert!(
            crate::render::text(
                &general_ledger_document(&l, kkmp::KAS, d(1, 1), d(12, 31)).unwrap()
            )
            .contains("Rp13.500.000")
        );
        assert!(matches!(
            general_ledger_document(&l, "9-9", d(1, 1), d(12, 31)),
            Err(crate::Error::Ledger(_))
        ));
    }

    #[test]
    fn revenue_by_counterparty() {
        let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(1, 1));
        let rp = Rupiah::from_rupiah;
        let lines = [
            // A member's sale, a member's penalty (other revenue by account), a non-member's
            // sale, interest from the bank (no counterparty) and a sale reversed in part.
            (
                kkmp::member_revenue("02"),
                Side::Credit,
                rp(60_000),
                Some(Counterparty::Member),
            ),
            (
                kkmp::PENDAPATAN_DENDA.to_owned(),
                Side::Credit,
                rp(5_000),
                Some(Counterparty::Member),
            ),
            (
                kkmp::non_member_revenue("02"),
                Side::Credit,
                rp(40_000),
                Some(Counterparty::NonMember),
            ),
            (
                kkmp::PENDAPATAN_BUNGA_BANK.to_owned(),
                Side::Credit,
                rp(1_000),
                None,
            ),
            (
                kkmp::member_revenue("02"),
                Side::Debit,
                rp(10_000),
                Some(Counterparty::Member),
            ),
        ];
        for (k, (code, side, amount, cp)) in lines.into_iter().enumerate() {
            let mut e = JournalEntry::new(
                EntryId::from_u128(k as u128 + 1),
                d(3, 1),
                ActorId::from_u128(1),
            );
            let mut revenue = Line::new(AccountCode::new(&code).unwrap(), side, amount);
            revenue.dims.counterparty = cp;
            let cash = Line::new(
                AccountCode::new(kkmp::KAS).unwrap(),
                side.opposite(),
                amount,
            );
            e.lines = vec![cash, revenue];
            l.post(&e).unwrap();
        }
        let year = Period::new(d(1, 1), d(12, 31)).unwrap();
        let phu = statements(&l, year, None, &StatementPolicy::standard_kkmp())
            .unwrap()
            .income_statement;
        assert_eq!(
            phu.by_counterparty,
            RevenueByCounterparty {
                member: rp(55_000),
                non_member: rp(40_000),
                other: Rupiah::ZERO,
                unspecified: rp(1_000),
            }
        );
        // By account, the penalty is other revenue.
        assert_eq!(phu.sections[0].total.current, rp(50_000));
        assert_eq!(phu.revenue.current, rp(96_000));
        let text = crate::render::text(&phu.document("KDMP Sukamaju"));
        assert!(text.contains("Pendapatan menurut pihak"), "{text}");
        assert!(text.contains("Rp55.000"), "{text}");
        // Without counterparties the table is left out.
        let plain = statements(
            &books(&[(0, 1, 100, 3)]),
            year,
            None,
            &StatementPolicy::standard_kkmp(),
        )
        .unwrap();
        assert!(
            !crate::render::text(&plain.income_statement.document("x"))
                .contains("Pendapatan menurut pihak")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn prop_balance_sheet_balances(s in spec(), liability in any::<bool>()) {
            let l = books(&s);
            let (cur, prior) = halves();
            let p = StatementPolicy::standard_kkmp().with_member_savings(if liability {
                MemberSavingsPresentation::Liability
            } else {
                MemberSavingsPresentation::Equity
            });
            let st = statements(&l, cur, Some(prior), &p).unwrap();
            let bs = &st.balance_sheet;
            prop_assert_eq!(bs.total_assets, bs.total_liabilities_and_equity);
            prop_assert_eq!(st.changes_in_equity.closing, bs.equity.total.current);
            for m in &st.changes_in_equity.lines {
                prop_assert_eq!(m.opening.checked_add(m.increase).unwrap().checked_sub(m.decrease).unwrap(), m.closing);
            }
        }

        #[test]
        fn prop_income_statement_result_equals_shu(s in spec(), dims in any::<bool>()) {
            let mut l = books_with_counterparties(&s, dims);
            let year = Period::new(d(1, 1), d(12, 31)).unwrap();
            let before = statements(&l, year, None, &StatementPolicy::standard_kkmp()).unwrap();
            // The unclosed-SHU line is only shown when there is something unclosed.
            let unclosed = before
                .balance_sheet
                .equity
                .lines
                .iter()
                .find(|l| l.label == "SHU tahun berjalan (belum ditutup)")
                .map_or(Rupiah::ZERO, |l| l.amounts.current);
            prop_assert_eq!(before.income_statement.shu.current, unclosed);
            let c = before.income_statement.by_counterparty;
            prop_assert_eq!(
                Rupiah::try_sum([c.member, c.non_member, c.other, c.unspecified]).unwrap(),
                before.income_statement.revenue.current
            );
            l.close_year(YearClose::new(
                FiscalYear::calendar(2026).unwrap(),
                EntryId::from_u128(999_999),
                AccountCode::new(kkmp::SHU_TAHUN_BERJALAN).unwrap(),
                ActorId::from_u128(1),
            )).unwrap();
            let shu = l.balance(kkmp::SHU_TAHUN_BERJALAN, d(12, 31)).unwrap();
            prop_assert_eq!(before.income_statement.shu.current, shu);
            let after = statements(&l, year, None, &StatementPolicy::standard_kkmp()).unwrap();
            prop_assert_eq!(after.income_statement.shu.current, shu);
            prop_assert!(after
                .balance_sheet
                .equity
                .lines
                .iter()
                .all(|l| l.label != "SHU tahun berjalan (belum ditutup)"));
            prop_assert_eq!(after.balance_sheet.total_assets, after.balance_sheet.total_liabilities_and_equity);
        }

        #[test]
        fn prop_cash_flow_reconciles(s in spec()) {
            let l = books(&s);
            let (cur, prior) = halves();
            let cf = statements(&l, cur, Some(prior), &StatementPolicy::standard_kkmp()).unwrap().cash_flow;
            prop_assert_eq!(cf.opening_cash.current.checked_add(cf.net_change.current).unwrap(), cf.closing_cash.current);
            prop_assert_eq!(cf.opening_cash.prior.checked_add(cf.net_change.prior).unwrap(), cf.closing_cash.prior);
        }
    }
}

//! From simulated (or real) books to the city monitoring view of `koperasi-reporting`, and
//! the report files of `koperasi demo`.
//!
//! [`snapshot`] reads one book into a
//! [`CooperativeSnapshot`] — every figure from
//! the ledger or the subledgers, as of the fiscal year's last day; [`CityReport::build`]
//! assembles the city view, each cooperative's statements and audit tree head, and
//! [`CityReport::files`] gives the files to write (the library does no I/O).

use std::fmt::Write as _;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, FiscalYear, Rupiah};
use koperasi_ledger::kkmp;
use koperasi_membership::MemberStatus;
use koperasi_reporting::city::{
    AllocationLine, CityView, CooperativeSnapshot, HealthStatus, HimbaraStatus, Thresholds,
};
use koperasi_reporting::health::{
    Assessment, HealthInputs, Precision, assess, inputs_from_ledger, perdep_06_2016,
};
use koperasi_reporting::render;
use koperasi_reporting::statements::{FinancialStatements, IncomeStatement};
use koperasi_savings_loans::{Collectibility, LoanStatus, SavingsKind};
use koperasi_shu::LineKind;

use crate::book::Koperasi;
use crate::error::{Error, Result, ledger, reporting, sl};
use crate::posting::PostingRole as R;

fn add(a: Rupiah, b: Rupiah) -> Result<Rupiah> {
    Ok(a.checked_add(b)?)
}

/// The monitoring snapshot of one book for fiscal year `year`, as of the year's last day.
///
/// # Errors
/// [`Error::Ledger`], [`Error::SavingsLoans`] or [`Error::Core`] on a failed query.
pub fn snapshot(
    book: &Koperasi,
    code: &str,
    name: &str,
    year: FiscalYear,
) -> Result<CooperativeSnapshot> {
    snapshot_with(book, code, name, year, None)
}

fn snapshot_with(
    book: &Koperasi,
    code: &str,
    name: &str,
    year: FiscalYear,
    phu: Option<&IncomeStatement>,
) -> Result<CooperativeSnapshot> {
    let as_of = year.end();
    // One pass over the ledger for every balance at the year's end.
    let balances = book.ledger().balances(as_of).map_err(ledger("snapshot"))?;
    let chart = book.ledger().chart();
    let bal = |role: R| -> Result<Rupiah> {
        let code = book.code(role);
        let side = chart.get(&code).map_or(
            koperasi_ledger::Side::Debit,
            koperasi_ledger::Account::normal_side,
        );
        Ok(balances
            .iter()
            .find(|(c, _)| c.as_str() == code)
            .map_or(Rupiah::ZERO, |(_, b)| b.on_side(side)))
    };
    let mut s = CooperativeSnapshot {
        code: code.to_owned(),
        name: name.to_owned(),
        as_of,
        ..CooperativeSnapshot::default()
    };
    let counts = book.registry().counts_on(as_of);
    s.anggota = u64::try_from(counts.get(MemberStatus::Member)).unwrap_or(u64::MAX);
    s.calon_anggota = u64::try_from(counts.get(MemberStatus::Candidate)).unwrap_or(u64::MAX);
    s.savings.pokok = bal(R::MemberSavings(SavingsKind::Principal))?;
    s.savings.wajib = bal(R::MemberSavings(SavingsKind::Mandatory))?;
    s.savings.sukarela = bal(R::MemberSavings(SavingsKind::Voluntary))?;
    s.savings.berjangka = bal(R::MemberSavings(SavingsKind::TimeDeposit))?;
    for l in book.loans().values() {
        if l.loan.status() != LoanStatus::Active {
            continue;
        }
        let out = l.loan.outstanding_principal().map_err(sl("snapshot"))?;
        let slot = match l.class {
            Collectibility::Current => &mut s.loans.lancar,
            Collectibility::Substandard => &mut s.loans.kurang_lancar,
            Collectibility::Doubtful => &mut s.loans.diragukan,
            Collectibility::Loss => &mut s.loans.macet,
        };
        *slot = add(*slot, out)?;
    }
    s.loan_reserve = bal(R::LoanLossReserve)?;
    s.kas_bank = add(bal(R::Cash)?, bal(R::Bank)?)?;
    s.kewajiban_lancar = Rupiah::try_sum(
        balances
            .iter()
            .filter(|(c, _)| c.as_str().starts_with("2-1-"))
            .map(|(_, b)| b.on_side(koperasi_ledger::Side::Credit)),
    )?;
    let owned;
    let phu = if let Some(p) = phu {
        p
    } else {
        owned = book.statements(year.period()?, None)?.income_statement;
        &owned
    };
    // Sales to members and non-members by the lines' counterparty (a member's penalty or
    // fee counts as business with a member).
    s.sales_member = phu.by_counterparty.member;
    s.sales_non_member = phu.by_counterparty.non_member;
    if let Some(c) = book.closed_years().get(&year.year()) {
        s.shu = c.shu;
        for (label, amount) in &c.allocation {
            let mut a = AllocationLine::default();
            a.label.clone_from(label);
            a.amount = *amount;
            if label.contains("desa") {
                s.shu_desa = add(s.shu_desa, *amount)?;
            }
            s.shu_allocation.push(a);
        }
        s.rat_held = c.distributed_on;
    }
    s.rat_deadline = koperasi_core::clamped_date(year.year().saturating_add(1), 3, 31).ok();
    if let Some(h) = book.himbara() {
        let mut st = HimbaraStatus {
            outstanding: h.outstanding_principal().map_err(sl("snapshot"))?,
            ..HimbaraStatus::default()
        };
        for i in h.installments().iter().filter(|i| i.due_date <= as_of) {
            let due = Rupiah::try_sum([i.due.principal, i.due.interest, i.due.fee, i.due.penalty])?;
            let paid = Rupiah::try_sum([
                i.paid.principal,
                i.paid.interest,
                i.paid.fee,
                i.paid.penalty,
            ])?;
            st.due = add(st.due, due)?;
            st.paid = add(st.paid, paid)?;
        }
        let late = h.arrears(as_of).map_err(sl("snapshot"))?;
        st.late = Rupiah::try_sum([late.principal, late.interest, late.fee, late.penalty])?;
        st.days_late = h.days_past_due(as_of);
        s.himbara = st;
    }
    Ok(s)
}

/// One yes/no questionnaire of the management aspect: how many questions were asked and how
/// many were answered *ya*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Questionnaire {
    /// Number of questions (must be positive).
    pub questions: u32,
    /// Number answered *ya* (at most `questions`).
    pub yes: u32,
}

impl Questionnaire {
    /// `yes` of `questions`.
    pub fn new(questions: u32, yes: u32) -> Questionnaire {
        Questionnaire { questions, yes }
    }
}

/// The answers to the five management questionnaires of Perdep 06/2016 (*manajemen umum,
/// kelembagaan, permodalan, aktiva, likuiditas*). They are not in the books: the pengawas or
/// the Dinas fill them from their checklist, so they are an explicit input of the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ManagementAnswers {
    /// Manajemen umum (12 questions in the Permen 14/2009 worksheet).
    pub umum: Questionnaire,
    /// Kelembagaan (6).
    pub kelembagaan: Questionnaire,
    /// Manajemen permodalan (5).
    pub permodalan: Questionnaire,
    /// Manajemen aktiva (10).
    pub aktiva: Questionnaire,
    /// Manajemen likuiditas (5).
    pub likuiditas: Questionnaire,
}

impl ManagementAnswers {
    /// The number of questions of each questionnaire in the Permen 14/2009 worksheets, in the
    /// order umum, kelembagaan, permodalan, aktiva, likuiditas.
    pub const QUESTIONS: [u32; 5] = [12, 6, 5, 10, 5];

    /// `(key, questionnaire)` in profile order.
    pub fn by_key(&self) -> [(&'static str, Questionnaire); 5] {
        [
            ("umum", self.umum),
            ("kelembagaan", self.kelembagaan),
            ("permodalan", self.permodalan),
            ("aktiva", self.aktiva),
            ("likuiditas", self.likuiditas),
        ]
    }
}

fn overflow() -> Error {
    Error::Core(koperasi_core::Error::Overflow {
        op: "health inputs",
    })
}

fn dsum(xs: &[Decimal]) -> Result<Decimal> {
    xs.iter()
        .try_fold(Decimal::ZERO, |a, x| a.checked_add(*x))
        .ok_or_else(overflow)
}

fn dsub(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_sub(b).ok_or_else(overflow)
}

/// `x × num / den` rounded half-up to the sen; zero when `den` is zero.
fn part(x: Decimal, num: Decimal, den: Decimal) -> Result<Decimal> {
    if den.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let product = x.checked_mul(num).ok_or_else(overflow)?;
    Precision::TWO_HALF_UP
        .divide(product, Decimal::ONE, den)
        .map_err(reporting("health inputs"))
}

/// `Σ coefficient% × balance(code)` at `as_of`.
fn weighted(book: &Koperasi, as_of: NaiveDate, terms: &[(&str, i64)]) -> Result<Decimal> {
    let mut t = Decimal::ZERO;
    for (code, pct) in terms {
        let b = book
            .ledger()
            .balance(code, as_of)
            .map_err(ledger("health inputs"))?
            .to_decimal();
        t = t
            .checked_add(part(b, Decimal::from(*pct), Decimal::ONE_HUNDRED)?)
            .ok_or_else(overflow)?;
    }
    Ok(t)
}

/// Σ of the PHU lines (revenue, HPP, expenses and tax) whose account code starts with
/// `prefix`.
fn phu_sum(phu: &IncomeStatement, prefix: &str) -> Result<Decimal> {
    let mut t = Decimal::ZERO;
    for l in phu
        .sections
        .iter()
        .flat_map(|s| &s.lines)
        .filter(|l| l.accounts.iter().any(|c| c.starts_with(prefix)))
    {
        t = t
            .checked_add(l.amounts.current.to_decimal())
            .ok_or_else(overflow)?;
    }
    Ok(t)
}

/// Every input of the Perdep 06/2016 health profile for fiscal `year`, from the book and the
/// management questionnaires — nothing else. The readings chosen where the regulation leaves
/// room are in `docs/decisions.md` (*Health assessment inputs*):
///
/// * the ledger figures of [`inputs_from_ledger`] (total aset, kas, bank, kewajiban lancar,
///   modal sendiri, pinjaman diberikan, PPAP, SHU sebelum pajak, partisipasi bruto,
///   pendapatan, simpanan pokok and wajib);
/// * `pinjaman_kurang_lancar` / `_diragukan` / `_macet`: the outstanding principal of the
///   active loans by their collectibility at the last month-end;
/// * `pinjaman_berisiko`: loans without adequate collateral (*tanpa agunan memadai*) — the
///   outstanding principal of every active loan whose recorded collateral is below it (the
///   book records none, so every loan);
/// * `modal_tertimbang` with the domain.md §5.1 weights, `atmr` with kas 0 %, bank 20 %,
///   aset tetap 70 % and every other asset 100 %;
/// * `volume_pinjaman`: the principal of the loans disbursed in the year;
/// * `beban_usaha` (class 6), `beban_perkoperasian` (class 7), `biaya_karyawan` (beban gaji),
///   `shu_kotor` (revenue − HPP), `beban_operasi_anggota` (the members' share of each unit's
///   HPP plus jasa simpanan), `partisipasi_neto` (partisipasi bruto − the members' HPP);
/// * `dana_diterima`: liabilities + equity less accrued costs (utang jasa simpanan, utang
///   pajak) and undistributed SHU;
/// * `shu_bagian_anggota`: the jasa modal and jasa usaha lines of the year's SHU allocation
///   (as booked at the RAT, else by the book's SHU policy); `mepp`: the jasa simpanan paid
///   or accrued to members in the year;
/// * `manajemen_*`: the questionnaire answers.
///
/// # Errors
/// [`Error::Config`] if a questionnaire has no questions or more *ya* than questions;
/// [`Error::Ledger`], [`Error::SavingsLoans`], [`Error::Core`] on a failed query or overflow;
/// [`Error::Internal`] if the reporting crate rejects the ledger.
pub fn health_inputs(
    book: &Koperasi,
    year: FiscalYear,
    management: &ManagementAnswers,
) -> Result<HealthInputs> {
    let phu = book.statements(year.period()?, None)?.income_statement;
    health_inputs_with(book, year, management, &phu)
}

fn health_inputs_with(
    book: &Koperasi,
    year: FiscalYear,
    management: &ManagementAnswers,
    phu: &IncomeStatement,
) -> Result<HealthInputs> {
    let period = year.period()?;
    let end = year.end();
    let mut h = inputs_from_ledger(book.ledger(), period).map_err(reporting("health inputs"))?;
    let input = |h: &HealthInputs, k: &str| h.inputs.get(k).copied().unwrap_or(Decimal::ZERO);

    // Loan portfolio by collectibility; loans without adequate collateral; the year's volume.
    let (mut kl, mut d, mut m, mut berisiko, mut volume) = (
        Rupiah::ZERO,
        Rupiah::ZERO,
        Rupiah::ZERO,
        Rupiah::ZERO,
        Rupiah::ZERO,
    );
    for l in book.loans().values() {
        let terms = l.loan.terms();
        if year.contains(terms.disbursement) {
            volume = add(volume, terms.principal)?;
        }
        if l.loan.status() != LoanStatus::Active {
            continue;
        }
        let out = l
            .loan
            .outstanding_principal()
            .map_err(sl("health inputs"))?;
        // No collateral is recorded on a loan account: every loan is *tanpa agunan memadai*.
        berisiko = add(berisiko, out)?;
        match l.class {
            Collectibility::Current => {}
            Collectibility::Substandard => kl = add(kl, out)?,
            Collectibility::Doubtful => d = add(d, out)?,
            Collectibility::Loss => m = add(m, out)?,
        }
    }

    // Capital adequacy.
    let modal_tertimbang = weighted(
        book,
        end,
        &[
            (kkmp::SIMPANAN_POKOK, 100),
            (kkmp::SIMPANAN_WAJIB, 100),
            (kkmp::SIMPANAN_POKOK_LIABILITAS, 100),
            (kkmp::SIMPANAN_WAJIB_LIABILITAS, 100),
            (kkmp::MODAL_PENYERTAAN, 50),
            (kkmp::CADANGAN, 100),
            (kkmp::HIBAH, 100),
            (kkmp::SHU_BELUM_DIBAGI, 50),
            (kkmp::SHU_TAHUN_BERJALAN, 50),
            (kkmp::SIMPANAN_SUKARELA, 50),
            (kkmp::SIMPANAN_BERJANGKA, 50),
            (kkmp::UTANG_JASA_SIMPANAN, 50),
            (kkmp::PINJAMAN_HIMBARA, 50),
            (kkmp::UTANG_DESA, 50),
        ],
    )?;
    let aset_tetap = dsub(
        weighted(book, end, &[("1-2", 100)])?,
        weighted(book, end, &[(kkmp::PENYERTAAN, 100)])?,
    )?;
    let kas = input(&h, "kas");
    let bank = input(&h, "bank");
    let lainnya = dsub(input(&h, "total_aset"), dsum(&[kas, bank, aset_tetap])?)?;
    let atmr = dsum(&[
        part(bank, Decimal::from(20), Decimal::ONE_HUNDRED)?,
        part(aset_tetap, Decimal::from(70), Decimal::ONE_HUNDRED)?,
        lainnya,
    ])?;

    // Efficiency and independence from the PHU.
    let mut hpp_anggota = Decimal::ZERO;
    for (unit, _) in kkmp::UNITS {
        let member = phu_sum(phu, &kkmp::member_revenue(unit))?;
        let all = dsum(&[member, phu_sum(phu, &kkmp::non_member_revenue(unit))?])?;
        let hpp = phu_sum(phu, &kkmp::cost_of_sales(unit))?;
        hpp_anggota = dsum(&[hpp_anggota, part(hpp, member, all)?])?;
    }
    let jasa_simpanan = phu_sum(phu, kkmp::BEBAN_JASA_SIMPANAN)?;
    let shu_kotor = dsub(phu_sum(phu, "4")?, phu_sum(phu, "5")?)?;
    let dana_diterima = dsub(
        weighted(book, end, &[("2", 100), ("3", 100)])?,
        weighted(
            book,
            end,
            &[
                (kkmp::UTANG_JASA_SIMPANAN, 100),
                (kkmp::UTANG_PAJAK, 100),
                (kkmp::SHU_BELUM_DIBAGI, 100),
                (kkmp::SHU_TAHUN_BERJALAN, 100),
            ],
        )?,
    )?;
    let shu_bagian_anggota = shu_for_members(book, year, input(&h, "shu_sebelum_pajak"))?;
    let partisipasi_neto = dsub(input(&h, "partisipasi_bruto"), hpp_anggota)?;

    h.set_input("pinjaman_kurang_lancar", kl.to_decimal())
        .set_input("pinjaman_diragukan", d.to_decimal())
        .set_input("pinjaman_macet", m.to_decimal())
        .set_input("pinjaman_berisiko", berisiko.to_decimal())
        .set_input("modal_tertimbang", modal_tertimbang)
        .set_input("atmr", atmr)
        .set_input("volume_pinjaman", volume.to_decimal())
        .set_input("beban_usaha", phu_sum(phu, "6")?)
        .set_input("beban_perkoperasian", phu_sum(phu, "7")?)
        .set_input("biaya_karyawan", phu_sum(phu, kkmp::BEBAN_GAJI)?)
        .set_input("shu_kotor", shu_kotor)
        .set_input(
            "beban_operasi_anggota",
            dsum(&[hpp_anggota, jasa_simpanan])?,
        )
        .set_input("partisipasi_neto", partisipasi_neto)
        .set_input("dana_diterima", dana_diterima)
        .set_input("shu_bagian_anggota", shu_bagian_anggota)
        .set_input("mepp", jasa_simpanan);
    for (key, q) in management.by_key() {
        if q.questions == 0 || q.yes > q.questions {
            return Err(Error::Config {
                what: format!("manajemen {key}: {} ya of {} questions", q.yes, q.questions),
            });
        }
        h.set_input(&format!("manajemen_{key}_ya"), Decimal::from(q.yes))
            .set_input(
                &format!("manajemen_{key}_pertanyaan"),
                Decimal::from(q.questions),
            );
    }
    Ok(h)
}

/// The members' part of the year's SHU (jasa modal + jasa usaha): as booked at the RAT when
/// the SHU has been distributed, else by the book's SHU policy on `shu` (nothing on a loss).
fn shu_for_members(book: &Koperasi, year: FiscalYear, shu: Decimal) -> Result<Decimal> {
    let pool = |k: LineKind| matches!(k, LineKind::CapitalPool | LineKind::PatronagePool);
    if let Some(c) = book.closed_years().get(&year.year())
        && !c.allocation.is_empty()
    {
        let mut t = Decimal::ZERO;
        for (name, amount) in &c.allocation {
            if pool(LineKind::from_name(name)) {
                t = t.checked_add(amount.to_decimal()).ok_or_else(overflow)?;
            }
        }
        return Ok(t);
    }
    if shu <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    let mut t = Decimal::ZERO;
    for l in book
        .config()
        .shu_policy
        .lines()
        .iter()
        .filter(|l| pool(l.kind))
    {
        t = t
            .checked_add(part(shu, l.percent, Decimal::ONE_HUNDRED)?)
            .ok_or_else(overflow)?;
    }
    Ok(t)
}

/// The Perdep 06/2016 health assessment of the book for fiscal `year`, from
/// [`health_inputs`].
///
/// # Errors
/// As [`health_inputs`]; [`Error::Internal`] if the engine rejects the inputs (e.g. a zero
/// denominator such as no kewajiban lancar at all).
pub fn assess_health(
    book: &Koperasi,
    year: FiscalYear,
    management: &ManagementAnswers,
) -> Result<Assessment> {
    assess(&perdep_06_2016(), &health_inputs(book, year, management)?)
        .map_err(reporting("health assessment"))
}

/// [`snapshot`] with the health assessment of the year: `health` is the total score and
/// predikat of [`assess_health`], or `None` when the profile cannot score the book (an
/// indicator's denominator is zero without a profile nilai for it, e.g. no loans at all):
/// the city view then flags the cooperative as not assessed.
///
/// # Errors
/// As [`snapshot`] and [`health_inputs`]; [`Error::Internal`] if the engine rejects the
/// inputs otherwise.
pub fn snapshot_with_health(
    book: &Koperasi,
    code: &str,
    name: &str,
    year: FiscalYear,
    management: &ManagementAnswers,
) -> Result<CooperativeSnapshot> {
    let phu = book.statements(year.period()?, None)?.income_statement;
    let a = assess_with(book, year, management, &phu)?;
    let mut s = snapshot_with(book, code, name, year, Some(&phu))?;
    s.health = a.as_ref().map(health_status);
    Ok(s)
}

fn assess_with(
    book: &Koperasi,
    year: FiscalYear,
    management: &ManagementAnswers,
    phu: &IncomeStatement,
) -> Result<Option<Assessment>> {
    match assess(
        &perdep_06_2016(),
        &health_inputs_with(book, year, management, phu)?,
    ) {
        Ok(a) => Ok(Some(a)),
        Err(koperasi_reporting::Error::ZeroDenominator { .. }) => Ok(None),
        Err(e) => Err(reporting("health assessment")(e)),
    }
}

fn health_status(a: &Assessment) -> HealthStatus {
    HealthStatus {
        score: a.total,
        predikat: a.predikat,
    }
}

/// One cooperative of a city report: its book and what the book does not hold — the code
/// the city office knows it by, its display name, an optional label (the profile of a
/// simulated book) and the management questionnaires of the health assessment.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct CityEntry<'a> {
    /// Its code.
    pub code: &'a str,
    /// Its name.
    pub name: &'a str,
    /// A free label shown in `audit.csv` (the profile of a simulated book; may be empty).
    pub label: &'a str,
    /// The book.
    pub book: &'a Koperasi,
    /// The management questionnaires filled in by the pengawas or the Dinas.
    pub management: &'a ManagementAnswers,
}

impl<'a> CityEntry<'a> {
    /// The entry of `book`, known as `code` / `name`, with its management answers.
    pub fn new(
        code: &'a str,
        name: &'a str,
        book: &'a Koperasi,
        management: &'a ManagementAnswers,
    ) -> CityEntry<'a> {
        CityEntry {
            code,
            name,
            label: "",
            book,
            management,
        }
    }

    /// With a label (e.g. the profile of a simulated book).
    #[must_use]
    pub fn with_label(mut self, label: &'a str) -> CityEntry<'a> {
        self.label = label;
        self
    }
}

/// One cooperative's part of the city report.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CooperativeReport {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The entry's label ([`CityEntry::label`]; the profile of a simulated book).
    pub profile: String,
    /// The statements of the year ([`Koperasi::statements`]): neraca at the year's end,
    /// PHU, perubahan ekuitas, arus kas.
    pub statements: FinancialStatements,
    /// Entries posted.
    pub entries: usize,
    /// Audit log size and root (hex).
    pub audit_size: u64,
    /// Audit root, hex.
    pub audit_root: String,
    /// All control accounts reconcile.
    pub controls_reconcile: bool,
    /// The Perdep 06/2016 health assessment of the year ([`assess_health`]); `None` when
    /// the profile cannot score the book (see [`snapshot_with_health`]).
    pub health: Option<Assessment>,
}

/// The city monitoring view plus each cooperative's statements and audit tree head.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CityReport {
    /// The fiscal year.
    pub year: FiscalYear,
    /// The view (totals, flags, ranking).
    pub view: CityView,
    /// Per cooperative, in city order.
    pub cooperatives: Vec<CooperativeReport>,
}

impl CityReport {
    /// Builds the report of the cooperatives' books for fiscal `year`.
    ///
    /// # Errors
    /// The first failed query; [`Error::Internal`] if the city view rejects a snapshot.
    pub fn build(city: &str, coops: &[CityEntry<'_>], year: i32) -> Result<CityReport> {
        let fy = FiscalYear::calendar(year)?;
        let mut snapshots = Vec::with_capacity(coops.len());
        let mut reports = Vec::with_capacity(coops.len());
        for c in coops {
            let statements = c.book.statements(fy.period()?, None)?;
            let phu = &statements.income_statement;
            let health = assess_with(c.book, fy, c.management, phu)?;
            let mut snap = snapshot_with(c.book, c.code, c.name, fy, Some(phu))?;
            snap.health = health.as_ref().map(health_status);
            snapshots.push(snap);
            let head = c.book.audit_head();
            reports.push(CooperativeReport {
                code: c.code.to_owned(),
                name: c.name.to_owned(),
                profile: c.label.to_owned(),
                statements,
                entries: c.book.ledger().len(),
                audit_size: head.size,
                audit_root: head.root.to_string(),
                controls_reconcile: c
                    .book
                    .reconcile()?
                    .iter()
                    .all(crate::ControlCheck::reconciles),
                health,
            });
        }
        let view =
            CityView::build(city, snapshots, &Thresholds::default()).map_err(reporting("city"))?;
        Ok(CityReport {
            year: fy,
            view,
            cooperatives: reports,
        })
    }

    /// The report files: `(relative path, contents)` — `index.html` (dashboard),
    /// `kota.json`, `kota.csv`, `kota.md`, `audit.csv` (each cooperative's tree head), and per
    /// cooperative `koperasi/<code>/{neraca,phu,arus_kas}.{txt,html}` and `audit.txt`.
    ///
    /// # Errors
    /// [`Error::Internal`] if a renderer fails.
    pub fn files(&self) -> Result<Vec<(String, String)>> {
        let doc = self.view.document();
        let mut out = vec![
            ("index.html".to_owned(), render::html(&doc)),
            ("kota.md".to_owned(), render::markdown(&doc)),
            (
                "kota.csv".to_owned(),
                render::csv(&doc).map_err(reporting("csv"))?,
            ),
        ];
        #[cfg(feature = "serde")]
        out.push((
            "kota.json".to_owned(),
            render::json(&self.view).map_err(reporting("json"))?,
        ));
        let mut audit =
            String::from("kode,nama,profil,entri,ukuran_log,akar_audit,kontrol_cocok\n");
        for c in &self.cooperatives {
            let dir = format!("koperasi/{}", c.code);
            for (name, d) in [
                ("neraca", c.statements.balance_sheet.document(&c.name)),
                ("phu", c.statements.income_statement.document(&c.name)),
                ("arus_kas", c.statements.cash_flow.document(&c.name)),
            ]
            .into_iter()
            .chain(c.health.as_ref().map(|h| ("kesehatan", h.document())))
            {
                out.push((format!("{dir}/{name}.txt"), render::text(&d)));
                out.push((format!("{dir}/{name}.html"), render::html(&d)));
            }
            out.push((
                format!("{dir}/audit.txt"),
                format!(
                    "{}\nukuran log audit: {}\nakar (SHA-256, RFC 6962): {}\nentri jurnal: {}\n",
                    c.name, c.audit_size, c.audit_root, c.entries
                ),
            ));
            let _ = writeln!(
                audit,
                "{},{},{},{},{},{},{}",
                c.code,
                c.name,
                c.profile,
                c.entries,
                c.audit_size,
                c.audit_root,
                if c.controls_reconcile { "ya" } else { "tidak" }
            );
        }
        out.push(("audit.csv".to_owned(), audit));
        Ok(out)
    }

    /// A short summary in Indonesian.
    pub fn summary(&self) -> String {
        let t = &self.view.totals;
        let m = &self.view.total_metrics;
        let pct = |p: Option<koperasi_core::Decimal>| {
            p.map_or_else(|| "–".to_owned(), |d| format!("{} %", d.normalize()))
        };
        let shu = Rupiah::try_sum(
            self.cooperatives
                .iter()
                .map(|c| c.statements.income_statement.shu.current),
        )
        .unwrap_or(Rupiah::ZERO);
        let reconciled = self
            .cooperatives
            .iter()
            .filter(|c| c.controls_reconcile)
            .count();
        let entries: usize = self.cooperatives.iter().map(|c| c.entries).sum();
        let health = koperasi_reporting::health::Predikat::ALL
            .iter()
            .map(|p| {
                let n = self
                    .cooperatives
                    .iter()
                    .filter(|c| c.health.as_ref().is_some_and(|h| h.predikat == *p))
                    .count();
                format!("{}: {n}", p.label())
            })
            .chain(core::iter::once(format!(
                "tidak dinilai: {}",
                self.cooperatives
                    .iter()
                    .filter(|c| c.health.is_none())
                    .count()
            )))
            .collect::<Vec<_>>()
            .join("  ·  ");
        format!(
            "Pemantauan {} — tahun buku {}\n\
             Koperasi: {}  ·  anggota: {}  ·  calon anggota: {}\n\
             Simpanan anggota: {}  ·  pinjaman beredar: {} (NPL {})\n\
             SHU tahun berjalan (jumlah): {}\n\
             Kesehatan (Perdep 06/2016): {}\n\
             Jurnal: {} entri  ·  akun kontrol cocok: {}/{}  ·  peringatan: {}",
            self.view.city,
            self.year,
            t.cooperatives,
            t.anggota,
            t.calon_anggota,
            m.savings_total,
            m.loans_outstanding,
            pct(m.npl_pct),
            shu,
            health,
            entries,
            reconciled,
            self.cooperatives.len(),
            self.view.flags.len(),
        )
    }
}

//! The Perdep 06/2016 health inputs of a book, each with its trace.
//!
//! Every input is derived through the book's posting map ([`PostingRole`]s), the chart's
//! account classes and kinds, the loan portfolio's collectibility as of the date and the SHU
//! allocation lines' kinds — never an account code or a label. A book on a renumbered chart
//! (with its posting map) gets the same inputs as the same book on the standard chart.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, FiscalYear, Rupiah};
use koperasi_ledger::{AccountClass, AccountKind, BusinessUnit};
use koperasi_reporting::health::{
    Assessment, HealthInputs, InputTrace, TracePart, assess, perdep_06_2016,
};
use koperasi_reporting::statements::IncomeStatement;
use koperasi_savings_loans::SavingsKind;
use koperasi_shu::LineKind;

use super::accounts::{Accounts, neg, overflow, part};
use crate::book::Koperasi;
use crate::error::{Error, Result, reporting};
use crate::posting::PostingRole as R;
use crate::snapshot::BookSnapshot;

#[cfg(doc)]
use crate::posting::PostingRole;

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

fn dsum(xs: &[Decimal]) -> Result<Decimal> {
    xs.iter()
        .try_fold(Decimal::ZERO, |a, x| a.checked_add(*x))
        .ok_or_else(overflow)
}

/// The book's figures a health assessment reads, computed once: the snapshot as of the
/// year's end and the year's PHU.
pub(crate) struct Figures<'a> {
    pub(crate) book: &'a Koperasi,
    pub(crate) year: FiscalYear,
    pub(crate) snap: &'a BookSnapshot,
    pub(crate) phu: &'a IncomeStatement,
    /// The report's date: an SHU allocation booked at a RAT after it is not known yet.
    pub(crate) reported_on: NaiveDate,
}

/// Every input of the Perdep 06/2016 health profile for fiscal `year`, from the book and the
/// management questionnaires — nothing else — each with its trace
/// ([`HealthInputs::traces`]: roles and accounts, balances, the date, the derivation). The
/// figures are as of the year's end; the SHU allocation is the one booked at the RAT if the
/// RAT was held by the book's last date. See [`health_inputs_on`] for the derivation of each
/// input.
///
/// # Errors
/// As [`health_inputs_on`].
pub fn health_inputs(
    book: &Koperasi,
    year: FiscalYear,
    management: &ManagementAnswers,
) -> Result<HealthInputs> {
    health_inputs_on(book, year, book.last_date().max(year.end()), management)
}

/// [`health_inputs`] of a report made on `reported_on`: every figure as of the year's end,
/// and the SHU allocation booked at the RAT only if the RAT was held on or before
/// `reported_on` — so operations dated after both change nothing.
///
/// Each input, through the book's posting map ([`PostingRole`]), the chart's classes and
/// kinds, the loan subledger and the SHU lines' kinds (the readings chosen where the
/// regulation leaves room are in `docs/decisions.md`, *Health assessment inputs*):
///
/// * `total_aset`: every asset account (contra accounts subtract); `kas`, `bank`: the
///   [`Cash`](PostingRole::Cash) and [`Bank`](PostingRole::Bank) accounts;
/// * `kewajiban_lancar`: the current liabilities — the current liability roles (sukarela,
///   berjangka, payables, SHU funds and payables, accrued jasa) and every other liability
///   account sitting beside them in the chart;
/// * `simpanan_pokok`, `simpanan_wajib`: the member-savings roles (equity or liability);
///   `modal_sendiri`: pokok + wajib + hibah + cadangan + SHU belum dibagi + 50 % of modal
///   penyertaan;
/// * `pinjaman_diberikan`: the loan receivable control account; `pinjaman_anggota`: the loan
///   subledger (loans to members) by collectibility; `pinjaman_kurang_lancar` / `_diragukan`
///   / `_macet`: the outstanding principal by collectibility computed as of the year's end;
///   `pinjaman_berisiko`: the loans not Lancar (KL + D + M); `cadangan_risiko`: the PPAP;
/// * `modal_tertimbang` (domain.md §5.1 weights) and `atmr` (kas 0 %, bank 20 %, the fixed
///   asset group 70 %, every other asset 100 %);
/// * `volume_pinjaman`: the principal of the loans disbursed in the year;
/// * from the year's PHU: `shu_sebelum_pajak`, `partisipasi_bruto` (member revenue roles),
///   `pendapatan` (all other revenue), `shu_kotor` (revenue − cost of sales), `beban_usaha`
///   (general expenses), `beban_perkoperasian` (the cooperative-expense kind),
///   `biaya_karyawan` ([`PersonnelExpense`](PostingRole::PersonnelExpense)), `mepp` (jasa
///   simpanan), `beban_operasi_anggota` (the members' share of each unit's cost of sales plus
///   jasa simpanan), `partisipasi_neto` (partisipasi bruto − that cost share);
/// * `dana_diterima`: liabilities + equity less accrued jasa, tax payable and the SHU not
///   yet distributed;
/// * `shu_bagian_anggota`: the jasa modal and jasa usaha lines (by kind) of the allocation
///   booked at the RAT, else of the book's SHU policy;
/// * `manajemen_*`: the questionnaire answers.
///
/// # Errors
/// [`Error::Config`] if a questionnaire has no questions or more *ya* than questions;
/// [`Error::Ledger`], [`Error::SavingsLoans`], [`Error::Core`] on a failed query or overflow;
/// [`Error::Internal`] if the reporting crate rejects the ledger.
pub fn health_inputs_on(
    book: &Koperasi,
    year: FiscalYear,
    reported_on: NaiveDate,
    management: &ManagementAnswers,
) -> Result<HealthInputs> {
    let phu = book.statements(year.period()?, None)?.income_statement;
    let snap = book.snapshot(year.end())?;
    derive(
        &Figures {
            book,
            year,
            snap: &snap,
            phu: &phu,
            reported_on,
        },
        management,
    )
}

fn check_management(management: &ManagementAnswers) -> Result<()> {
    for (key, q) in management.by_key() {
        if q.questions == 0 || q.yes > q.questions {
            return Err(Error::Config {
                what: format!("manajemen {key}: {} ya of {} questions", q.yes, q.questions),
            });
        }
    }
    Ok(())
}

const MEMBER_SAVINGS: [R; 2] = [
    R::MemberSavings(SavingsKind::Principal),
    R::MemberSavings(SavingsKind::Mandatory),
];

/// Every input, from figures computed once.
#[expect(
    clippy::too_many_lines,
    reason = "one block per input, in profile order"
)]
pub(crate) fn derive(f: &Figures<'_>, management: &ManagementAnswers) -> Result<HealthInputs> {
    check_management(management)?;
    let accounts = Accounts::read(f.book, f.snap, f.phu).with_period_start(f.year.start());
    let a = &accounts;
    let snap = f.snap;
    let mut h = HealthInputs::default();
    let role_trace = |role: R, how: &str| -> Result<InputTrace> {
        a.balance_trace(how, vec![a.role_part(role, 100)?])
    };

    // ---- Balances as of the year's end ----
    h.set_traced(
        "total_aset",
        a.balance_trace(
            "Σ saldo akun kelas aset (akun kontra mengurangi)",
            a.balance_parts("class:asset", |x| {
                (x.class == AccountClass::Asset).then_some(100)
            })?,
        )?,
    );
    h.set_traced("kas", role_trace(R::Cash, "saldo akun peran kas")?);
    h.set_traced("bank", role_trace(R::Bank, "saldo akun peran bank")?);
    h.set_traced(
        "kewajiban_lancar",
        a.balance_trace(
            "Σ liabilitas lancar: akun peran lancar dan akun di kelompok yang sama",
            a.balance_parts("class:liability.current", |x| {
                (x.class == AccountClass::Liability && x.current).then_some(100)
            })?,
        )?,
    );
    h.set_traced(
        "simpanan_pokok",
        role_trace(MEMBER_SAVINGS[0], "saldo simpanan pokok (akun kontrol)")?,
    );
    h.set_traced(
        "simpanan_wajib",
        role_trace(MEMBER_SAVINGS[1], "saldo simpanan wajib (akun kontrol)")?,
    );
    h.set_traced(
        "modal_sendiri",
        a.balance_trace(
            "pokok + wajib + hibah + cadangan + SHU belum dibagi + 50 % modal penyertaan",
            vec![
                a.role_part(MEMBER_SAVINGS[0], 100)?,
                a.role_part(MEMBER_SAVINGS[1], 100)?,
                a.role_part(R::Grant, 100)?,
                a.role_part(R::Reserve, 100)?,
                a.role_part(R::ShuUndistributed, 100)?,
                a.role_part(R::EquityParticipation, 50)?,
            ],
        )?,
    );
    h.set_traced(
        "pinjaman_diberikan",
        role_trace(R::LoanReceivable, "saldo piutang pinjaman (akun kontrol)")?,
    );
    let class_part = |key: &str, label: &str, r: Rupiah| {
        TracePart::whole(
            &format!("collectibility:{key}"),
            None,
            label,
            r.to_decimal(),
        )
    };
    let c = &snap.by_class;
    let (l, kl, d, m) = (
        class_part("lancar", "Lancar", c.lancar),
        class_part("kurang_lancar", "Kurang Lancar", c.kurang_lancar),
        class_part("diragukan", "Diragukan", c.diragukan),
        class_part("macet", "Macet", c.macet),
    );
    let how_class = "pokok pinjaman beredar menurut kolektibilitas per tanggal (jadwal dan angsuran \
                     sampai tanggal itu)";
    h.set_traced(
        "pinjaman_anggota",
        a.balance_trace(
            &format!("subbuku pinjaman anggota: {how_class}"),
            vec![l, kl.clone(), d.clone(), m.clone()],
        )?,
    );
    h.set_traced(
        "pinjaman_kurang_lancar",
        a.balance_trace(how_class, vec![kl.clone()])?,
    );
    h.set_traced(
        "pinjaman_diragukan",
        a.balance_trace(how_class, vec![d.clone()])?,
    );
    h.set_traced(
        "pinjaman_macet",
        a.balance_trace(how_class, vec![m.clone()])?,
    );
    h.set_traced(
        "pinjaman_berisiko",
        a.balance_trace(
            "pinjaman tidak lancar (KL + D + M) per kolektibilitas",
            vec![kl, d, m],
        )?,
    );
    h.set_traced(
        "cadangan_risiko",
        role_trace(
            R::LoanLossReserve,
            "saldo cadangan kerugian pinjaman (PPAP)",
        )?,
    );

    // Capital adequacy: modal tertimbang and ATMR.
    let mut mt = vec![
        a.role_part(MEMBER_SAVINGS[0], 100)?,
        a.role_part(MEMBER_SAVINGS[1], 100)?,
        a.role_part(R::Reserve, 100)?,
        a.role_part(R::Grant, 100)?,
        a.role_part(R::EquityParticipation, 50)?,
        a.role_part(R::ShuUndistributed, 50)?,
        a.role_part(R::ShuCurrentYear, 50)?,
        // The result not yet closed into SHU tahun berjalan (revenue − expenses to date), so
        // the figure is the same before and after the year's closing entry.
        unclosed_result(a)?,
        a.role_part(R::MemberSavings(SavingsKind::Voluntary), 50)?,
        a.role_part(R::MemberSavings(SavingsKind::TimeDeposit), 50)?,
        a.role_part(R::AccruedSavingsInterest, 50)?,
    ];
    // Funds received: the non-current liabilities other than member savings (Himbara and
    // what sits beside it).
    mt.extend(a.balance_parts("class:liability.non_current", |x| {
        (x.class == AccountClass::Liability
            && !x.current
            && !matches!(x.role, Some(R::MemberSavings(_))))
        .then_some(50)
    })?);
    h.set_traced(
        "modal_tertimbang",
        a.balance_trace(
            "bobot domain.md §5.1: pokok, wajib, cadangan, hibah 100 %; penyertaan, SHU, \
             sukarela, berjangka, jasa YMH dibayar, dana diterima 50 %",
            mt,
        )?,
    );
    h.set_traced(
        "atmr",
        a.balance_trace(
            "aset tertimbang menurut risiko: kas 0 %, bank 20 %, aset tetap 70 %, lainnya 100 %",
            a.balance_parts("class:asset", |x| {
                (x.class == AccountClass::Asset).then_some(match x.role {
                    Some(R::Cash) => 0,
                    Some(R::Bank) => 20,
                    _ if x.fixed => 70,
                    _ => 100,
                })
            })?,
        )?,
    );

    // ---- Flows of the year ----
    let mut disbursed = Decimal::ZERO;
    let mut n = 0_usize;
    for l in snap
        .loans
        .iter()
        .filter(|l| f.year.contains(l.disbursed_on))
    {
        disbursed = disbursed
            .checked_add(l.principal.to_decimal())
            .ok_or_else(overflow)?;
        n = n.saturating_add(1);
    }
    h.set_traced(
        "volume_pinjaman",
        a.flow_trace(
            "pokok pinjaman yang dicairkan dalam tahun buku (subbuku pinjaman)",
            vec![TracePart::whole(
                "loans:disbursed",
                None,
                &format!("{n} pinjaman dicairkan"),
                disbursed,
            )],
        )?,
    );
    let is_member_revenue = |r: Option<R>| matches!(r, Some(R::MemberRevenue(_)));
    let revenue = |x: &super::accounts::AccountView<'_>| x.class == AccountClass::Revenue;
    let expense_kind = |x: &super::accounts::AccountView<'_>, k: AccountKind| {
        x.class == AccountClass::Expense && x.kind == k
    };
    h.set_traced(
        "shu_sebelum_pajak",
        a.flow_trace(
            "PHU: pendapatan − beban (selain pajak penghasilan)",
            a.flow_parts("class:nominal", |x| {
                if revenue(x) {
                    Some(100)
                } else if x.class == AccountClass::Expense && x.kind != AccountKind::IncomeTax {
                    Some(-100)
                } else {
                    None
                }
            })?,
        )?,
    );
    h.set_traced(
        "partisipasi_bruto",
        a.flow_trace(
            "PHU: pendapatan dari anggota (akun peran pendapatan anggota per unit)",
            a.flow_parts("class:revenue", |x| {
                (revenue(x) && is_member_revenue(x.role)).then_some(100)
            })?,
        )?,
    );
    h.set_traced(
        "pendapatan",
        a.flow_trace(
            "PHU: pendapatan selain partisipasi anggota (non-anggota dan lain-lain)",
            a.flow_parts("class:revenue", |x| {
                (revenue(x) && !is_member_revenue(x.role)).then_some(100)
            })?,
        )?,
    );
    h.set_traced(
        "shu_kotor",
        a.flow_trace(
            "PHU: pendapatan − beban pokok pendapatan (HPP)",
            a.flow_parts("class:nominal", |x| {
                if revenue(x) {
                    Some(100)
                } else if expense_kind(x, AccountKind::CostOfSales) {
                    Some(-100)
                } else {
                    None
                }
            })?,
        )?,
    );
    h.set_traced(
        "beban_usaha",
        a.flow_trace(
            "PHU: beban usaha (beban jenis umum)",
            a.flow_parts("kind:general", |x| {
                expense_kind(x, AccountKind::General).then_some(100)
            })?,
        )?,
    );
    h.set_traced(
        "beban_perkoperasian",
        a.flow_trace(
            "PHU: beban perkoperasian (jenis akun)",
            a.flow_parts("kind:cooperative_expense", |x| {
                expense_kind(x, AccountKind::CooperativeExpense).then_some(100)
            })?,
        )?,
    );
    h.set_traced(
        "biaya_karyawan",
        a.flow_trace(
            "PHU: beban gaji dan tunjangan (akun peran biaya karyawan)",
            vec![a.role_flow_part(R::PersonnelExpense, 100)?],
        )?,
    );
    let mepp = a.role_flow_part(R::SavingsInterestExpense, 100)?;
    h.set_traced(
        "mepp",
        a.flow_trace(
            "jasa simpanan anggota tahun ini (manfaat ekonomi yang tercatat)",
            vec![mepp.clone()],
        )?,
    );
    // The members' share of each unit's cost of sales, pro rata to its member revenue.
    let mut hpp_members = Vec::new();
    for u in BusinessUnit::STANDARD {
        let hpp = a.flow(R::CostOfSales(u));
        if hpp.is_zero() {
            continue;
        }
        let member = a.flow(R::MemberRevenue(u));
        let all = dsum(&[member, a.flow(R::NonMemberRevenue(u))])?;
        let share = part(hpp, member, all)?;
        let weight = part(Decimal::ONE_HUNDRED, member, all)?;
        let acc = a.role(R::CostOfSales(u));
        hpp_members.push(TracePart::weighted(
            &format!("role:{}", R::CostOfSales(u).key()),
            acc.map(|x| x.code),
            &format!(
                "{} × pendapatan anggota / pendapatan unit",
                acc.map_or("", |x| x.name)
            ),
            hpp,
            weight,
            share,
        ));
    }
    let mut boa = hpp_members.clone();
    boa.push(mepp);
    h.set_traced(
        "beban_operasi_anggota",
        a.flow_trace(
            "HPP bagian anggota (per unit, sebanding pendapatan anggota) + jasa simpanan",
            boa,
        )?,
    );
    let mut neto = a.flow_parts("class:revenue", |x| {
        (revenue(x) && is_member_revenue(x.role)).then_some(100)
    })?;
    for p in &hpp_members {
        neto.push(TracePart::weighted(
            &p.source,
            p.account.as_deref(),
            &p.label,
            p.basis,
            neg(p.weight)?,
            neg(p.amount)?,
        ));
    }
    h.set_traced(
        "partisipasi_neto",
        a.flow_trace("partisipasi bruto − HPP bagian anggota", neto)?,
    );

    // Dana yang diterima: total pasiva other than accrued costs and undistributed SHU.
    let excluded = [
        R::AccruedSavingsInterest,
        R::AccruedHimbaraInterest,
        R::TaxPayable,
        R::ShuUndistributed,
        R::ShuCurrentYear,
    ];
    h.set_traced(
        "dana_diterima",
        a.balance_trace(
            "liabilitas + ekuitas, kecuali jasa dan bunga YMH dibayar, utang pajak dan SHU belum \
             dibagi",
            a.balance_parts("class:liability_equity", |x| {
                (matches!(x.class, AccountClass::Liability | AccountClass::Equity)
                    && !x.role.is_some_and(|r| excluded.contains(&r)))
                .then_some(100)
            })?,
        )?,
    );
    let shu = h
        .inputs
        .get("shu_sebelum_pajak")
        .copied()
        .unwrap_or(Decimal::ZERO);
    h.set_traced("shu_bagian_anggota", shu_for_members(f, &accounts, shu)?);

    for (key, q) in management.by_key() {
        let trace = |v: u32, what: &str| {
            InputTrace::balance(
                f.year.end(),
                "kuesioner manajemen, diisi pengawas atau Dinas (tidak dari buku)",
                vec![TracePart::whole(
                    &format!("questionnaire:{key}"),
                    None,
                    what,
                    Decimal::from(v),
                )],
            )
            .map_err(reporting("health inputs"))
        };
        h.set_traced(&format!("manajemen_{key}_ya"), trace(q.yes, "jawaban ya")?)
            .set_traced(
                &format!("manajemen_{key}_pertanyaan"),
                trace(q.questions, "jumlah pertanyaan")?,
            );
    }
    Ok(h)
}

/// Σ revenue − Σ expenses as of the date: the result not yet closed, at 50 %.
fn unclosed_result(a: &Accounts<'_>) -> Result<TracePart> {
    let mut t = Decimal::ZERO;
    for x in &a.list {
        t = match x.class {
            AccountClass::Revenue => t.checked_add(x.balance),
            AccountClass::Expense => t.checked_sub(x.balance),
            _ => Some(t),
        }
        .ok_or_else(overflow)?;
    }
    let half = part(t, Decimal::from(50), Decimal::ONE_HUNDRED)?;
    Ok(TracePart::weighted(
        "class:nominal.unclosed",
        None,
        "hasil tahun berjalan yang belum ditutup (pendapatan − beban)",
        t,
        Decimal::from(50),
        half,
    ))
}

/// The members' part of the year's SHU (jasa modal + jasa usaha, by line kind): as booked at
/// the RAT if it was held by the report's date, else by the book's SHU policy on `shu`
/// (nothing on a loss).
fn shu_for_members(f: &Figures<'_>, a: &Accounts<'_>, shu: Decimal) -> Result<InputTrace> {
    let pool = |k: LineKind| matches!(k, LineKind::CapitalPool | LineKind::PatronagePool);
    let kind_key = |k: LineKind| match k {
        LineKind::CapitalPool => "shu_line:capital_pool",
        _ => "shu_line:patronage_pool",
    };
    if let Some(c) = f.book.closed_years().get(&f.year.year())
        && let Some(held) = c.distributed_on.filter(|d| *d <= f.reported_on)
        && !c.lines.is_empty()
    {
        let parts = c
            .lines
            .iter()
            .filter(|l| pool(l.kind))
            .map(|l| TracePart::whole(kind_key(l.kind), None, &l.name, l.amount.to_decimal()))
            .collect();
        return a.flow_trace(
            &format!(
                "SHU bagian anggota (jasa modal + jasa usaha) dibagikan pada RAT {}",
                held.format("%d-%m-%Y")
            ),
            parts,
        );
    }
    let mut parts = Vec::new();
    if shu > Decimal::ZERO {
        for l in f
            .book
            .config()
            .shu_policy
            .lines()
            .iter()
            .filter(|l| pool(l.kind))
        {
            let share = part(shu, l.percent, Decimal::ONE_HUNDRED)?;
            parts.push(TracePart::weighted(
                kind_key(l.kind),
                None,
                &l.name,
                shu,
                l.percent,
                share,
            ));
        }
    }
    a.flow_trace(
        "belum ada RAT: kebijakan SHU (jasa modal + jasa usaha) atas SHU sebelum pajak",
        parts,
    )
}

/// Scores the Perdep 06/2016 profile over figures computed once; `None` when the profile
/// cannot score the book (a zero denominator without a profile nilai).
pub(crate) fn assess_figures(
    f: &Figures<'_>,
    management: &ManagementAnswers,
) -> Result<Option<Assessment>> {
    match assess(&perdep_06_2016(), &derive(f, management)?) {
        Ok(a) => Ok(Some(a)),
        Err(koperasi_reporting::Error::ZeroDenominator { .. }) => Ok(None),
        Err(e) => Err(reporting("health assessment")(e)),
    }
}

/// The Perdep 06/2016 health assessment of the book for fiscal `year`, from
/// [`health_inputs`]; the assessment carries each input's trace.
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

/// [`assess_health`] of a report made on `reported_on` (see [`health_inputs_on`]): every
/// figure as of the year's end, and the SHU allocation booked at the RAT only if the RAT was
/// held on or before `reported_on`. The RAT package assesses the year as of its last day, so
/// the assessment presented at the RAT does not change once the SHU is distributed.
///
/// # Errors
///
/// As [`assess_health`].
pub fn assess_health_on(
    book: &Koperasi,
    year: FiscalYear,
    reported_on: NaiveDate,
    management: &ManagementAnswers,
) -> Result<Assessment> {
    assess(
        &perdep_06_2016(),
        &health_inputs_on(book, year, reported_on, management)?,
    )
    .map_err(reporting("health assessment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_questionnaires_are_rejected() {
        let q = |n: u32| Questionnaire::new(n, n / 2);
        let ok = ManagementAnswers {
            umum: q(12),
            kelembagaan: q(6),
            permodalan: q(5),
            aktiva: q(10),
            likuiditas: q(5),
        };
        assert!(check_management(&ok).is_ok());
        for bad in [Questionnaire::new(0, 0), Questionnaire::new(5, 6)] {
            let mut m = ok;
            m.aktiva = bad;
            assert!(matches!(check_management(&m), Err(Error::Config { .. })));
        }
    }
}

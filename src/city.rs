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
use koperasi_reporting::city::{
    AllocationLine, CityView, CooperativeSnapshot, HealthStatus, ThresholdSchedule, Thresholds,
};
use koperasi_reporting::health::{
    Assessment, HealthInputs, Precision, assess, inputs_from_ledger, perdep_06_2016,
};
use koperasi_reporting::render;
use koperasi_reporting::statements::{FinancialStatements, IncomeStatement};
use koperasi_shu::LineKind;

use crate::book::Koperasi;
use crate::error::{Error, Result, ledger, reporting};
use crate::snapshot::BookSnapshot;

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn add(a: Rupiah, b: Rupiah) -> Result<Rupiah> {
    Ok(a.checked_add(b)?)
}

/// The monitoring snapshot of one book for fiscal `year`: every figure as of the year's last
/// day ([`Koperasi::snapshot`]), the PHU of the year, the RAT as held by the year's end.
///
/// # Errors
/// [`Error::Ledger`], [`Error::SavingsLoans`] or [`Error::Core`] on a failed query.
pub fn snapshot(
    book: &Koperasi,
    code: &str,
    name: &str,
    year: FiscalYear,
) -> Result<CooperativeSnapshot> {
    snapshot_with(
        book,
        code,
        name,
        year,
        year.end(),
        &Thresholds::default(),
        None,
    )
}

/// The figures' date of a report of `year` made on `as_of`: the year's end, or `as_of` if the
/// year is still running.
fn figures_date(year: FiscalYear, as_of: NaiveDate) -> NaiveDate {
    as_of.min(year.end())
}

/// The year's PHU up to the figures' date.
fn year_phu(book: &Koperasi, year: FiscalYear, as_of: NaiveDate) -> Result<IncomeStatement> {
    let end = figures_date(year, as_of);
    let period = if end == year.end() {
        year.period()?
    } else {
        koperasi_core::Period::new(year.start(), end.max(year.start()))?
    };
    Ok(book.statements(period, None)?.income_statement)
}

/// Σ of the current liabilities of the book's statement policy (accounts at or under each
/// listed code), credit side, from a snapshot's balances.
fn current_liabilities(book: &Koperasi, snap: &BookSnapshot) -> Result<Rupiah> {
    let policy = book.statement_policy();
    let chart = book.ledger().chart();
    Ok(Rupiah::try_sum(
        snap.balances
            .iter()
            .filter(|(c, _)| {
                policy
                    .current_liabilities
                    .iter()
                    .any(|p| c.as_str() == p || chart.is_under(c.as_str(), p))
            })
            .map(|(_, b)| b.on_side(koperasi_ledger::Side::Credit)),
    )?)
}

/// The [`LineKind`] of an allocation line booked at the RAT, by the book's SHU policy.
fn allocation_kind(book: &Koperasi, name: &str) -> Option<LineKind> {
    book.config()
        .shu_policy
        .lines()
        .iter()
        .find(|l| l.name == name)
        .map(|l| l.kind)
}

/// The RAT deadline of `year`: `months` after the year's end (clamped to the month's end).
fn rat_deadline(year: FiscalYear, months: u32) -> Option<NaiveDate> {
    year.end()
        .checked_add_months(koperasi_core::chrono::Months::new(months))
}

fn snapshot_with(
    book: &Koperasi,
    code: &str,
    name: &str,
    year: FiscalYear,
    as_of: NaiveDate,
    thresholds: &Thresholds,
    phu: Option<&IncomeStatement>,
) -> Result<CooperativeSnapshot> {
    let fig = figures_date(year, as_of);
    let snap = book.snapshot(fig)?;
    let mut s = CooperativeSnapshot {
        code: code.to_owned(),
        name: name.to_owned(),
        as_of: fig,
        reported_on: (as_of > fig).then_some(as_of),
        ..CooperativeSnapshot::default()
    };
    s.anggota = snap.anggota();
    s.calon_anggota = snap.calon_anggota();
    s.savings = snap.savings;
    s.loans = snap.by_class;
    s.loan_reserve = snap.reserve_booked;
    s.kas_bank = snap.cash_and_bank;
    s.kewajiban_lancar = current_liabilities(book, &snap)?;
    s.himbara = snap.financing;
    let owned;
    let phu = if let Some(p) = phu {
        p
    } else {
        owned = year_phu(book, year, as_of)?;
        &owned
    };
    // Sales to members and non-members by the lines' counterparty (a member's penalty or
    // fee counts as business with a member).
    s.sales_member = phu.by_counterparty.member;
    s.sales_non_member = phu.by_counterparty.non_member;
    s.shu = phu.shu.current;
    if let Some(c) = book.closed_years().get(&year.year())
        && let Some(held) = c.distributed_on.filter(|d| *d <= as_of)
    {
        for (label, amount) in &c.allocation {
            let mut a = AllocationLine::default();
            a.label.clone_from(label);
            a.amount = *amount;
            if allocation_kind(book, label) == Some(LineKind::VillageShare) {
                s.shu_desa = add(s.shu_desa, *amount)?;
            }
            s.shu_allocation.push(a);
        }
        s.rat_held = Some(held);
    }
    s.rat_deadline = rat_deadline(year, thresholds.rat_deadline_months);
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
///
/// `balances` are the book's one-pass balances as of `as_of` ([`BookSnapshot::balances`]);
/// a header code sums the accounts under it on the header's normal side, as
/// [`Ledger::balance`](koperasi_ledger::Ledger::balance) does.
fn weighted(
    book: &Koperasi,
    as_of: NaiveDate,
    balances: &[(koperasi_ledger::AccountCode, koperasi_ledger::Balance)],
    terms: &[(&str, i64)],
) -> Result<Decimal> {
    let chart = book.ledger().chart();
    let mut t = Decimal::ZERO;
    for (code, pct) in terms {
        let Some(account) = chart.get(code) else {
            // Unknown code: the ledger's typed error.
            book.ledger()
                .balance(code, as_of)
                .map_err(ledger("health inputs"))?;
            continue;
        };
        let side = account.normal_side();
        let b = Rupiah::try_sum(
            balances
                .iter()
                .filter(|(c, _)| c.as_str() == *code || chart.is_under(c.as_str(), code))
                .map(|(_, b)| b.on_side(side)),
        )?
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
    let snap = book.snapshot(end)?;
    let bals = &snap.balances;
    let input = |h: &HealthInputs, k: &str| h.inputs.get(k).copied().unwrap_or(Decimal::ZERO);

    // Loan portfolio by collectibility as of the year's end; the year's volume.
    let (kl, d, m) = (
        snap.by_class.kurang_lancar,
        snap.by_class.diragukan,
        snap.by_class.macet,
    );
    // Pinjaman berisiko: the loans not Lancar as of the year's end.
    let berisiko = Rupiah::try_sum([kl, d, m])?;
    let mut volume = Rupiah::ZERO;
    for l in &snap.loans {
        if year.contains(l.disbursed_on) {
            volume = add(volume, l.principal)?;
        }
    }

    // Capital adequacy.
    let modal_tertimbang = weighted(
        book,
        end,
        bals,
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
        weighted(book, end, bals, &[("1-2", 100)])?,
        weighted(book, end, bals, &[(kkmp::PENYERTAAN, 100)])?,
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
        weighted(book, end, bals, &[("2", 100), ("3", 100)])?,
        weighted(
            book,
            end,
            bals,
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
    let mut s = snapshot_with(
        book,
        code,
        name,
        year,
        year.end(),
        &Thresholds::default(),
        Some(&phu),
    )?;
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

/// A book the city office monitors: the book itself and what the book does not hold.
///
/// Implement it for whatever holds a loaded book (a stored book, a book read with
/// [`Koperasi::from_json_lines`]); only [`book`](MonitoredBook::book) is required. The
/// defaults: the code is the book's village code (*kode wilayah*), the name the book's name,
/// no label, and no management questionnaires (the cooperative is then reported as not
/// assessed for health).
///
/// ```
/// # use koperasi::Koperasi;
/// use koperasi::city::{ManagementAnswers, MonitoredBook};
///
/// struct StoredBook { book: Koperasi, answers: Option<ManagementAnswers> }
///
/// impl MonitoredBook for StoredBook {
///     fn book(&self) -> &Koperasi { &self.book }
///     fn management(&self) -> Option<&ManagementAnswers> { self.answers.as_ref() }
/// }
/// ```
pub trait MonitoredBook {
    /// The book.
    fn book(&self) -> &Koperasi;

    /// The code the city office knows it by (unique in the city). Default: the village code.
    fn code(&self) -> String {
        self.book().config().village.to_string()
    }

    /// The display name. Default: the book's name.
    fn name(&self) -> String {
        self.book().config().name.clone()
    }

    /// A free label shown in `audit.csv` (e.g. the profile of a simulated book).
    fn label(&self) -> String {
        String::new()
    }

    /// The management questionnaires of the health assessment, filled in by the pengawas or
    /// the Dinas; `None` if not (yet) filled in.
    fn management(&self) -> Option<&ManagementAnswers> {
        None
    }
}

impl MonitoredBook for Koperasi {
    fn book(&self) -> &Koperasi {
        self
    }
}

impl<T: MonitoredBook + ?Sized> MonitoredBook for &T {
    fn book(&self) -> &Koperasi {
        (**self).book()
    }
    fn code(&self) -> String {
        (**self).code()
    }
    fn name(&self) -> String {
        (**self).name()
    }
    fn label(&self) -> String {
        (**self).label()
    }
    fn management(&self) -> Option<&ManagementAnswers> {
        (**self).management()
    }
}

/// A book with its code, name, label and management answers given explicitly.
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
    pub management: Option<&'a ManagementAnswers>,
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
            management: Some(management),
        }
    }

    /// With a label (e.g. the profile of a simulated book).
    #[must_use]
    pub fn with_label(mut self, label: &'a str) -> CityEntry<'a> {
        self.label = label;
        self
    }
}

impl MonitoredBook for CityEntry<'_> {
    fn book(&self) -> &Koperasi {
        self.book
    }
    fn code(&self) -> String {
        self.code.to_owned()
    }
    fn name(&self) -> String {
        self.name.to_owned()
    }
    fn label(&self) -> String {
        self.label.to_owned()
    }
    fn management(&self) -> Option<&ManagementAnswers> {
        self.management
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
    /// The fiscal year (of the first book).
    pub year: FiscalYear,
    /// The date of the report.
    pub as_of: NaiveDate,
    /// Built from simulated books ([`CityReport::simulated`]).
    pub simulated: bool,
    /// The view (totals, flags, ranking).
    pub view: CityView,
    /// Per cooperative, in city order.
    pub cooperatives: Vec<CooperativeReport>,
}

impl CityReport {
    /// Builds the report of fiscal `year` (named by the calendar year it starts in, each
    /// book's fiscal start month) on `as_of`, from any books: every figure is as of the
    /// year's end (or `as_of` while the year runs) — operations dated later change nothing —
    /// and the RAT is checked on `as_of`. The thresholds are those in force on `as_of`.
    ///
    /// # Errors
    /// The first failed query; [`Error::Internal`] if the city view rejects a snapshot (e.g.
    /// two books with the same code).
    pub fn build<B: MonitoredBook>(
        city: &str,
        books: &[B],
        year: i32,
        as_of: NaiveDate,
        thresholds: &ThresholdSchedule,
    ) -> Result<CityReport> {
        let t = thresholds.on(as_of);
        let mut snapshots = Vec::with_capacity(books.len());
        let mut reports = Vec::with_capacity(books.len());
        let mut first_year = None;
        for c in books {
            let book = c.book();
            let fy = FiscalYear::new(year, book.config().fiscal_start_month)?;
            first_year.get_or_insert(fy);
            let fig = figures_date(fy, as_of);
            let period = if fig == fy.end() {
                fy.period()?
            } else {
                koperasi_core::Period::new(fy.start(), fig.max(fy.start()))?
            };
            let statements = book.statements(period, None)?;
            let phu = &statements.income_statement;
            let health = match c.management() {
                Some(m) if fig == fy.end() => assess_with(book, fy, m, phu)?,
                _ => None,
            };
            let (code, name) = (c.code(), c.name());
            let mut snap = snapshot_with(book, &code, &name, fy, as_of, &t, Some(phu))?;
            snap.health = health.as_ref().map(health_status);
            snapshots.push(snap);
            let head = book.audit_head();
            reports.push(CooperativeReport {
                code,
                name,
                profile: c.label(),
                statements,
                entries: book.ledger().len(),
                audit_size: head.size,
                audit_root: head.root.to_string(),
                controls_reconcile: book
                    .reconcile()?
                    .iter()
                    .all(crate::ControlCheck::reconciles),
                health,
            });
        }
        let view = CityView::build(city, snapshots, &t).map_err(reporting("city"))?;
        Ok(CityReport {
            year: first_year.map_or_else(|| FiscalYear::calendar(year), Ok)?,
            as_of,
            simulated: false,
            view,
            cooperatives: reports,
        })
    }

    /// Marks the report as built from simulated books: every file then says SIMULASI (title,
    /// footer, a `"simulated": true` field in JSON).
    #[must_use]
    pub fn simulated(mut self) -> CityReport {
        self.simulated = true;
        self
    }

    /// The report files: `(relative path, contents)` — `index.html` (dashboard),
    /// `kota.json`, `kota.md`, one CSV per table `kota_<table>.csv` (names in
    /// [`CSV_TABLES`](koperasi_reporting::city::CSV_TABLES)), `audit.csv` (each
    /// cooperative's tree head), and per cooperative
    /// `koperasi/<code>/{neraca,phu,arus_kas,kesehatan}.{txt,html}` and `audit.txt`. CSV
    /// headers are English `snake_case` in every file. A simulated report says SIMULASI in
    /// every file (title and last line, a `simulated` column or field).
    ///
    /// # Errors
    /// [`Error::Internal`] if a renderer fails.
    pub fn files(&self) -> Result<Vec<(String, String)>> {
        let mut view = self.view.clone();
        if self.simulated {
            view.mark_simulated();
        }
        let doc = view.document();
        let mut out = vec![
            ("index.html".to_owned(), render::html(&doc)),
            ("kota.md".to_owned(), render::markdown(&doc)),
        ];
        for (name, csv) in view.csv_files().map_err(reporting("csv"))? {
            out.push((format!("kota_{name}.csv"), csv));
        }
        #[cfg(feature = "serde")]
        out.push((
            "kota.json".to_owned(),
            render::json(&view).map_err(reporting("json"))?,
        ));
        let label = |mut d: koperasi_reporting::report::Document| {
            if self.simulated {
                let note = koperasi_reporting::report::Block::Note(
                    koperasi_reporting::city::SIMULATED_NOTICE.to_owned(),
                );
                d.title = format!("SIMULASI — {}", d.title);
                d.blocks.insert(0, note.clone());
                d.blocks.push(note);
            }
            d
        };
        let mut audit =
            String::from("code,name,profile,entries,audit_log_size,audit_root,controls_reconcile");
        audit.push_str(if self.simulated { ",simulated\n" } else { "\n" });
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
                let d = label(d);
                out.push((format!("{dir}/{name}.txt"), render::text(&d)));
                out.push((format!("{dir}/{name}.html"), render::html(&d)));
            }
            let notice = if self.simulated {
                format!("{}\n", koperasi_reporting::city::SIMULATED_NOTICE)
            } else {
                String::new()
            };
            out.push((
                format!("{dir}/audit.txt"),
                format!(
                    "{notice}{}\nukuran log audit: {}\nakar (SHA-256, RFC 6962): {}\nentri jurnal: {}\n{notice}",
                    c.name, c.audit_size, c.audit_root, c.entries
                ),
            ));
            let _ = write!(
                audit,
                "{},{},{},{},{},{},{}",
                csv_field(&c.code),
                csv_field(&c.name),
                csv_field(&c.profile),
                c.entries,
                c.audit_size,
                c.audit_root,
                c.controls_reconcile
            );
            audit.push_str(if self.simulated { ",true\n" } else { "\n" });
        }
        out.push(("audit.csv".to_owned(), audit));
        Ok(out)
    }

    /// A short summary in Indonesian.
    pub fn summary(&self) -> String {
        let t = &self.view.totals;
        let m = &self.view.total_metrics;
        let pct = |p: Option<koperasi_core::Decimal>| {
            p.map_or_else(
                || "–".to_owned(),
                |d| format!("{} %", koperasi_reporting::report::decimal_id(d)),
            )
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
        let simulated = if self.simulated {
            format!("{}\n", koperasi_reporting::city::SIMULATED_NOTICE)
        } else {
            String::new()
        };
        format!(
            "{simulated}Pemantauan {} — tahun buku {}\n\
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

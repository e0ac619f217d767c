//! One book's monitoring snapshot ([`CooperativeSnapshot`]) as of a date.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{FiscalYear, Rupiah};
use koperasi_ledger::AccountClass;
use koperasi_reporting::city::{AllocationLine, CooperativeSnapshot, HealthStatus, Thresholds};
use koperasi_reporting::health::Assessment;
use koperasi_reporting::statements::IncomeStatement;
use koperasi_shu::LineKind;

use super::accounts::Accounts;
use super::health::{Figures, ManagementAnswers, assess_figures};
use crate::book::Koperasi;
use crate::error::Result;

/// The monitoring snapshot of one book for fiscal `year`: every figure as of the year's last
/// day ([`Koperasi::snapshot`]), the PHU of the year, the RAT as held by the year's end.
///
/// # Errors
/// [`Error::Ledger`](crate::Error::Ledger), [`Error::SavingsLoans`](crate::Error::SavingsLoans)
/// or [`Error::Core`](crate::Error::Core) on a failed query.
pub fn snapshot(
    book: &Koperasi,
    code: &str,
    name: &str,
    year: FiscalYear,
) -> Result<CooperativeSnapshot> {
    let as_of = year.end();
    let snap = book.snapshot(as_of)?;
    let phu = year_phu(book, year, as_of)?;
    snapshot_with(
        &Figures {
            book,
            year,
            snap: &snap,
            phu: &phu,
            reported_on: as_of,
        },
        code,
        name,
        &Thresholds::default(),
    )
}

/// The figures' date of a report of `year` made on `as_of`: the year's end, or `as_of` if the
/// year is still running.
pub(crate) fn figures_date(year: FiscalYear, as_of: NaiveDate) -> NaiveDate {
    as_of.min(year.end())
}

/// The period of the year's figures on `as_of`.
pub(crate) fn figures_period(year: FiscalYear, as_of: NaiveDate) -> Result<koperasi_core::Period> {
    let end = figures_date(year, as_of);
    Ok(if end == year.end() {
        year.period()?
    } else {
        koperasi_core::Period::new(year.start(), end.max(year.start()))?
    })
}

/// The year's PHU up to the figures' date.
fn year_phu(book: &Koperasi, year: FiscalYear, as_of: NaiveDate) -> Result<IncomeStatement> {
    Ok(book
        .statements(figures_period(year, as_of)?, None)?
        .income_statement)
}

/// The RAT deadline of `year`: `months` after the year's end (clamped to the month's end).
fn rat_deadline(year: FiscalYear, months: u32) -> Option<NaiveDate> {
    year.end()
        .checked_add_months(koperasi_core::chrono::Months::new(months))
}

/// The snapshot from figures computed once (`f.snap` as of the figures' date, `f.phu` of the
/// year to that date, `f.reported_on` the report's date).
pub(crate) fn snapshot_with(
    f: &Figures<'_>,
    code: &str,
    name: &str,
    thresholds: &Thresholds,
) -> Result<CooperativeSnapshot> {
    let (book, snap, phu, year) = (f.book, f.snap, f.phu, f.year);
    let fig = snap.as_of;
    let mut s = CooperativeSnapshot {
        code: code.to_owned(),
        name: name.to_owned(),
        as_of: fig,
        reported_on: (f.reported_on > fig).then_some(f.reported_on),
        ..CooperativeSnapshot::default()
    };
    s.anggota = snap.anggota();
    s.calon_anggota = snap.calon_anggota();
    s.savings = snap.savings;
    s.loans = snap.by_class;
    s.loan_reserve = snap.reserve_booked;
    s.kas_bank = snap.cash_and_bank;
    // Current liabilities: the current liability roles and the accounts beside them.
    let accounts = Accounts::read(book, snap, phu);
    s.kewajiban_lancar = Rupiah::try_sum(
        accounts
            .list
            .iter()
            .filter(|a| a.class == AccountClass::Liability && a.current)
            .map(|a| Rupiah::new(a.balance))
            .collect::<core::result::Result<Vec<_>, _>>()?,
    )?;
    s.himbara = snap.financing;
    // Sales to members and non-members by the lines' counterparty (a member's penalty or
    // fee counts as business with a member).
    s.sales_member = phu.by_counterparty.member;
    s.sales_non_member = phu.by_counterparty.non_member;
    s.shu = phu.shu.current;
    if let Some(c) = book.closed_years().get(&year.year())
        && let Some(held) = c.distributed_on.filter(|d| *d <= f.reported_on)
    {
        for l in &c.lines {
            let mut a = AllocationLine::default();
            a.label.clone_from(&l.name);
            a.amount = l.amount;
            if l.kind == LineKind::VillageShare {
                s.shu_desa = s.shu_desa.checked_add(l.amount)?;
            }
            s.shu_allocation.push(a);
        }
        s.rat_held = Some(held);
    }
    s.rat_deadline = rat_deadline(year, thresholds.rat_deadline_months);
    Ok(s)
}

pub(crate) fn health_status(a: &Assessment) -> HealthStatus {
    HealthStatus {
        score: a.total,
        predikat: a.predikat,
    }
}

/// [`snapshot`] with the health assessment of the year: `health` is the total score and
/// predikat of [`assess_health`](super::assess_health), or `None` when the profile cannot
/// score the book (an indicator's denominator is zero without a profile nilai for it, e.g.
/// no loans at all): the city view then flags the cooperative as not assessed.
///
/// # Errors
/// As [`snapshot`] and [`health_inputs`](super::health_inputs);
/// [`Error::Internal`](crate::Error::Internal) if the engine rejects the inputs otherwise.
pub fn snapshot_with_health(
    book: &Koperasi,
    code: &str,
    name: &str,
    year: FiscalYear,
    management: &ManagementAnswers,
) -> Result<CooperativeSnapshot> {
    let as_of = year.end();
    let snap = book.snapshot(as_of)?;
    let phu = year_phu(book, year, as_of)?;
    let f = Figures {
        book,
        year,
        snap: &snap,
        phu: &phu,
        reported_on: book.last_date().max(as_of),
    };
    let a = assess_figures(&f, management)?;
    let f = Figures {
        reported_on: as_of,
        ..f
    };
    let mut s = snapshot_with(&f, code, name, &Thresholds::default())?;
    s.health = a.as_ref().map(health_status);
    Ok(s)
}

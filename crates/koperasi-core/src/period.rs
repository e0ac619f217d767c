//! Fiscal years, periods, month arithmetic and working days.
//!
//! Dates are [`NaiveDate`] (business dates: tanggal transaksi, jatuh tempo). Nothing here reads
//! the clock: every function takes the dates it works on.

use std::collections::BTreeSet;

use chrono::{Datelike, Months, NaiveDate, Weekday};

use crate::{Error, Result};

/// How many days [`HolidayCalendar::next_business_day`] searches before giving up.
pub const BUSINESS_DAY_SEARCH_LIMIT: u32 = 366;

/// `date` plus `months` calendar months (negative goes back), clamped to the end of the month:
/// 31 January + 1 month = 28 (or 29) February.
///
/// ```
/// use chrono::NaiveDate;
/// use koperasi_core::add_months;
///
/// let d = NaiveDate::from_ymd_opt(2025, 1, 31).unwrap();
/// assert_eq!(add_months(d, 1)?, NaiveDate::from_ymd_opt(2025, 2, 28).unwrap());
/// assert_eq!(add_months(d, -2)?, NaiveDate::from_ymd_opt(2024, 11, 30).unwrap());
/// # Ok::<(), koperasi_core::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidDate`] if the result is outside chrono's date range.
pub fn add_months(date: NaiveDate, months: i32) -> Result<NaiveDate> {
    let out = if months >= 0 {
        date.checked_add_months(Months::new(months.unsigned_abs()))
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs()))
    };
    out.ok_or(Error::InvalidDate {
        year: date.year(),
        month: date.month(),
        day: date.day(),
    })
}

/// The last day of the month of `year`/`month`.
///
/// # Errors
/// [`Error::InvalidMonth`] for a month outside 1..=12; [`Error::InvalidDate`] outside chrono's
/// range.
pub fn month_end(year: i32, month: u32) -> Result<NaiveDate> {
    let first = first_of_month(year, month)?;
    add_months(first, 1)?.pred_opt().ok_or(Error::InvalidDate {
        year,
        month,
        day: 1,
    })
}

fn first_of_month(year: i32, month: u32) -> Result<NaiveDate> {
    if !(1..=12).contains(&month) {
        return Err(Error::InvalidMonth { month });
    }
    NaiveDate::from_ymd_opt(year, month, 1).ok_or(Error::InvalidDate {
        year,
        month,
        day: 1,
    })
}

/// Day `day` of `year`/`month`, clamped to the month's last day (day 31 of April is 30 April).
///
/// # Errors
/// [`Error::InvalidDay`] for a day outside 1..=31; [`Error::InvalidMonth`];
/// [`Error::InvalidDate`].
pub fn clamped_date(year: i32, month: u32, day: u32) -> Result<NaiveDate> {
    if !(1..=31).contains(&day) {
        return Err(Error::InvalidDay { day });
    }
    let end = month_end(year, month)?;
    Ok(end.with_day(day.min(end.day())).unwrap_or(end))
}

/// An inclusive range of dates, e.g. a month, a quarter or a fiscal year.
///
/// # Invariants
/// `start <= end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PeriodRepr"))]
#[doc(alias = "periode")]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct PeriodRepr {
    start: NaiveDate,
    end: NaiveDate,
}

#[cfg(feature = "serde")]
impl TryFrom<PeriodRepr> for Period {
    type Error = Error;
    fn try_from(r: PeriodRepr) -> Result<Period> {
        Period::new(r.start, r.end)
    }
}

impl Period {
    /// The dates from `start` to `end`, both included.
    ///
    /// # Errors
    /// [`Error::InvalidPeriod`] if `end < start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Period> {
        if end < start {
            return Err(Error::InvalidPeriod { start, end });
        }
        Ok(Period { start, end })
    }

    /// The calendar month `year`/`month`.
    ///
    /// # Errors
    /// [`Error::InvalidMonth`]; [`Error::InvalidDate`].
    pub fn month(year: i32, month: u32) -> Result<Period> {
        Ok(Period {
            start: first_of_month(year, month)?,
            end: month_end(year, month)?,
        })
    }

    /// The month containing `date`.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] at the edge of chrono's range.
    pub fn month_of(date: NaiveDate) -> Result<Period> {
        Period::month(date.year(), date.month())
    }

    /// First day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day (included).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// `true` if `date` lies in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Number of days, both ends included.
    pub fn days(&self) -> i64 {
        self.end
            .signed_duration_since(self.start)
            .num_days()
            .saturating_add(1)
    }

    /// The calendar months that overlap the period, each clipped to it.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] at the edge of chrono's range.
    pub fn months(&self) -> Result<Vec<Period>> {
        let mut out = Vec::new();
        let mut cur = Period::month_of(self.start)?;
        loop {
            out.push(Period {
                start: cur.start.max(self.start),
                end: cur.end.min(self.end),
            });
            if cur.end >= self.end {
                return Ok(out);
            }
            let next = cur.end.succ_opt().ok_or(Error::InvalidDate {
                year: cur.end.year(),
                month: cur.end.month(),
                day: cur.end.day(),
            })?;
            cur = Period::month_of(next)?;
        }
    }
}

impl core::fmt::Display for Period {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}..={}", self.start, self.end)
    }
}

/// A fiscal year (tahun buku): twelve months from a start month. The calendar year by default
/// (UU 25/1992 leaves it to the AD; almost every cooperative uses January–December).
///
/// A fiscal year is named by the calendar year in which it **starts**.
///
/// ```
/// use chrono::NaiveDate;
/// use koperasi_core::FiscalYear;
///
/// let fy = FiscalYear::calendar(2025)?;
/// assert_eq!(fy.end(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
/// let july = FiscalYear::containing(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), 7)?;
/// assert_eq!(july.start(), NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
/// # Ok::<(), koperasi_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "tahun buku")]
pub struct FiscalYear {
    year: i32,
    start_month: u32,
}

impl FiscalYear {
    /// The calendar year `year` (January–December).
    ///
    /// # Errors
    /// [`Error::InvalidDate`] outside chrono's range.
    pub fn calendar(year: i32) -> Result<FiscalYear> {
        FiscalYear::new(year, 1)
    }

    /// The fiscal year starting on the first of `start_month` in `year`.
    ///
    /// # Errors
    /// [`Error::InvalidMonth`]; [`Error::InvalidDate`] outside chrono's range.
    pub fn new(year: i32, start_month: u32) -> Result<FiscalYear> {
        let fy = FiscalYear { year, start_month };
        fy.period()?;
        Ok(fy)
    }

    /// The fiscal year (starting in `start_month`) that contains `date`.
    ///
    /// # Errors
    /// [`Error::InvalidMonth`]; [`Error::InvalidDate`].
    pub fn containing(date: NaiveDate, start_month: u32) -> Result<FiscalYear> {
        if !(1..=12).contains(&start_month) {
            return Err(Error::InvalidMonth { month: start_month });
        }
        let year = if date.month() >= start_month {
            date.year()
        } else {
            date.year().saturating_sub(1)
        };
        FiscalYear::new(year, start_month)
    }

    /// The calendar year in which it starts.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month it starts in (1 = January).
    pub fn start_month(&self) -> u32 {
        self.start_month
    }

    /// Its dates.
    ///
    /// # Errors
    /// Never for a value built by the constructors (they check this).
    pub fn period(&self) -> Result<Period> {
        let start = first_of_month(self.year, self.start_month)?;
        let end = add_months(start, 12)?
            .pred_opt()
            .ok_or(Error::InvalidDate {
                year: self.year,
                month: self.start_month,
                day: 1,
            })?;
        Period::new(start, end)
    }

    /// First day.
    pub fn start(&self) -> NaiveDate {
        self.period().map_or(NaiveDate::MIN, |p| p.start)
    }

    /// Last day.
    pub fn end(&self) -> NaiveDate {
        self.period().map_or(NaiveDate::MAX, |p| p.end)
    }

    /// `true` if `date` falls in this fiscal year.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.period().is_ok_and(|p| p.contains(date))
    }

    /// The following fiscal year.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] at the edge of chrono's range.
    pub fn next(&self) -> Result<FiscalYear> {
        FiscalYear::new(self.year.saturating_add(1), self.start_month)
    }

    /// The preceding fiscal year.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] at the edge of chrono's range.
    pub fn previous(&self) -> Result<FiscalYear> {
        FiscalYear::new(self.year.saturating_sub(1), self.start_month)
    }
}

impl core::fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.start_month == 1 {
            write!(f, "{}", self.year)
        } else {
            write!(f, "{}/{}", self.year, self.year.saturating_add(1))
        }
    }
}

/// Which days are working days. Supply your own (e.g. from the government's SKB on national
/// holidays and cuti bersama) or use [`Holidays`].
pub trait HolidayCalendar {
    /// `true` if no business is done on `date` (weekend or holiday).
    fn is_holiday(&self, date: NaiveDate) -> bool;

    /// `date` itself if it is a working day, else the next working day.
    ///
    /// # Errors
    /// [`Error::NoBusinessDay`] if none is found within [`BUSINESS_DAY_SEARCH_LIMIT`] days.
    fn next_business_day(&self, date: NaiveDate) -> Result<NaiveDate> {
        let mut d = date;
        for _ in 0..BUSINESS_DAY_SEARCH_LIMIT {
            if !self.is_holiday(d) {
                return Ok(d);
            }
            d = d.succ_opt().ok_or(Error::NoBusinessDay {
                from: date,
                days: BUSINESS_DAY_SEARCH_LIMIT,
            })?;
        }
        Err(Error::NoBusinessDay {
            from: date,
            days: BUSINESS_DAY_SEARCH_LIMIT,
        })
    }

    /// "Due on day `day` of `year`/`month`, or the next working day": the day is clamped to the
    /// month's end first (due day 31 in April is 30 April), then moved forward past holidays.
    ///
    /// # Errors
    /// [`Error::InvalidDay`], [`Error::InvalidMonth`], [`Error::InvalidDate`],
    /// [`Error::NoBusinessDay`].
    fn due_date(&self, year: i32, month: u32, day: u32) -> Result<NaiveDate> {
        self.next_business_day(clamped_date(year, month, day)?)
    }
}

/// A holiday calendar: chosen weekend days plus a set of dated holidays.
///
/// ```
/// use chrono::NaiveDate;
/// use koperasi_core::{HolidayCalendar, Holidays};
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// // 12 Oct 2025 is a Sunday: a Himbara installment "due on the 12th" moves to Monday 13th.
/// let cal = Holidays::weekends();
/// assert_eq!(cal.due_date(2025, 10, 12)?, d(2025, 10, 13));
/// // Idul Fitri 31 Mar 2025 (Monday) and cuti bersama 1 Apr: due on the 31st → 2 April.
/// let cal = Holidays::weekends().with_holidays([d(2025, 3, 31), d(2025, 4, 1)]);
/// assert_eq!(cal.due_date(2025, 3, 31)?, d(2025, 4, 2));
/// # Ok::<(), koperasi_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "hari libur")]
#[doc(alias = "hari kerja")]
pub struct Holidays {
    weekend: Vec<Weekday>,
    dates: BTreeSet<NaiveDate>,
}

impl Holidays {
    /// No holidays at all: every day is a working day.
    pub fn none() -> Holidays {
        Holidays::default()
    }

    /// Saturdays and Sundays off.
    pub fn weekends() -> Holidays {
        Holidays {
            weekend: vec![Weekday::Sat, Weekday::Sun],
            dates: BTreeSet::new(),
        }
    }

    /// These weekdays off every week.
    pub fn with_weekend(weekend: impl IntoIterator<Item = Weekday>) -> Holidays {
        Holidays {
            weekend: weekend.into_iter().collect(),
            dates: BTreeSet::new(),
        }
    }

    /// Adds dated holidays.
    #[must_use]
    pub fn with_holidays(mut self, dates: impl IntoIterator<Item = NaiveDate>) -> Holidays {
        self.dates.extend(dates);
        self
    }

    /// Adds one dated holiday.
    pub fn insert(&mut self, date: NaiveDate) {
        self.dates.insert(date);
    }
}

impl HolidayCalendar for Holidays {
    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.weekend.contains(&date.weekday()) || self.dates.contains(&date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_arithmetic_clamps() {
        assert_eq!(add_months(d(2024, 1, 31), 1).unwrap(), d(2024, 2, 29));
        assert_eq!(add_months(d(2024, 3, 31), -1).unwrap(), d(2024, 2, 29));
        assert_eq!(add_months(d(2025, 8, 15), 72).unwrap(), d(2031, 8, 15));
        assert_eq!(month_end(2025, 2).unwrap(), d(2025, 2, 28));
        assert_eq!(clamped_date(2025, 4, 31).unwrap(), d(2025, 4, 30));
        assert_eq!(month_end(2025, 13), Err(Error::InvalidMonth { month: 13 }));
        assert_eq!(clamped_date(2025, 1, 0), Err(Error::InvalidDay { day: 0 }));
        assert!(matches!(
            add_months(NaiveDate::MAX, 1),
            Err(Error::InvalidDate { .. })
        ));
    }

    #[test]
    fn periods() {
        let p = Period::month(2025, 2).unwrap();
        assert_eq!(p.days(), 28);
        assert!(p.contains(d(2025, 2, 28)));
        assert!(!p.contains(d(2025, 3, 1)));
        assert_eq!(
            Period::new(d(2025, 2, 2), d(2025, 2, 1)),
            Err(Error::InvalidPeriod {
                start: d(2025, 2, 2),
                end: d(2025, 2, 1)
            })
        );
        let q = Period::new(d(2025, 1, 15), d(2025, 3, 10)).unwrap();
        let ms = q.months().unwrap();
        assert_eq!(ms.len(), 3);
        assert_eq!(ms[0].start(), d(2025, 1, 15));
        assert_eq!(ms[2].end(), d(2025, 3, 10));
    }

    #[test]
    fn fiscal_years() {
        let fy = FiscalYear::calendar(2025).unwrap();
        assert_eq!(fy.start(), d(2025, 1, 1));
        assert_eq!(fy.end(), d(2025, 12, 31));
        assert_eq!(fy.to_string(), "2025");
        let fy = FiscalYear::new(2025, 7).unwrap();
        assert_eq!(fy.end(), d(2026, 6, 30));
        assert_eq!(fy.to_string(), "2025/2026");
        assert_eq!(fy.next().unwrap().start(), d(2026, 7, 1));
        assert_eq!(fy.previous().unwrap().start(), d(2024, 7, 1));
        assert_eq!(
            FiscalYear::new(2025, 0),
            Err(Error::InvalidMonth { month: 0 })
        );
        assert_eq!(
            FiscalYear::containing(d(2025, 6, 30), 7).unwrap().year(),
            2024
        );
        assert_eq!(
            FiscalYear::containing(d(2025, 6, 30), 13),
            Err(Error::InvalidMonth { month: 13 })
        );
    }

    #[test]
    fn every_day_a_holiday_is_an_error() {
        let cal = Holidays::with_weekend([
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]);
        assert!(matches!(
            cal.next_business_day(d(2025, 1, 1)),
            Err(Error::NoBusinessDay {
                days: BUSINESS_DAY_SEARCH_LIMIT,
                ..
            })
        ));
        assert_eq!(
            Holidays::none().next_business_day(d(2025, 1, 4)).unwrap(),
            d(2025, 1, 4)
        );
    }

    proptest! {
        /// Adding months lands in the right month, never past the target day, and clamps only
        /// at month end.
        #[test]
        fn prop_add_months_clamps_to_month_end(days in 0_i64..40_000, n in -600_i32..600) {
            let date = d(1970, 1, 1) + chrono::Duration::days(days);
            let out = add_months(date, n).unwrap();
            let months = date.year() * 12 + i32::try_from(date.month()).unwrap() - 1 + n;
            prop_assert_eq!(out.year() * 12 + i32::try_from(out.month()).unwrap() - 1, months);
            prop_assert!(out.day() <= date.day());
            if out.day() < date.day() {
                prop_assert_eq!(out, month_end(out.year(), out.month()).unwrap());
            }
        }

        /// A due date is a working day, not before the (clamped) nominal day, and every day in
        /// between is a holiday.
        #[test]
        fn prop_due_date_is_next_working_day(
            y in 2000_i32..2100, m in 1_u32..=12, day in 1_u32..=31,
            holidays in prop::collection::vec(0_i64..40, 0..10),
        ) {
            let nominal = clamped_date(y, m, day).unwrap();
            let cal = Holidays::weekends()
                .with_holidays(holidays.iter().map(|k| nominal + chrono::Duration::days(*k)));
            let due = cal.due_date(y, m, day).unwrap();
            prop_assert!(due >= nominal);
            prop_assert!(!cal.is_holiday(due));
            let mut x = nominal;
            while x < due { prop_assert!(cal.is_holiday(x)); x = x.succ_opt().unwrap(); }
        }
    }
}

//! The plan: units with their capex, revenue, costs and working capital; the financing; the
//! appraisal parameters. Validation says what is wrong and where.

use chrono::NaiveDate;
use koperasi_core::{Decimal, Rupiah};

use crate::scheme::{GraceTreatment, SchemeId, SchemeRules};
use crate::{Error, Result};

/// The longest plan horizon accepted, in months.
pub const MAX_PLAN_MONTHS: u32 = 120;

/// The kind of a business unit: the seven KDMP units (PMK 49/2025 Pasal 3; chart numbering
/// `01`…`07`) and others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum UnitKind {
    /// Unit simpan pinjam (01).
    #[doc(alias = "simpan pinjam")]
    SimpanPinjam,
    /// Gerai / kios sembako (02).
    #[doc(alias = "gerai sembako")]
    #[cfg_attr(feature = "serde", serde(rename = "gerai-sembako", alias = "sembako"))]
    Sembako,
    /// Klinik desa/kelurahan (03).
    Klinik,
    /// Apotek desa/kelurahan (04).
    Apotek,
    /// Pergudangan / cold storage (05).
    #[doc(alias = "pergudangan")]
    #[cfg_attr(
        feature = "serde",
        serde(rename = "cold-storage", alias = "pergudangan")
    )]
    ColdStorage,
    /// Sarana logistik (06).
    Logistik,
    /// Kantor koperasi (07): agency, `BRILink`, layanan.
    KantorKoperasi,
    /// Another unit chosen for local potential (LPG, pupuk …).
    #[default]
    Other,
}

impl UnitKind {
    /// The seven standard units, in chart order.
    pub const STANDARD: [UnitKind; 7] = [
        UnitKind::SimpanPinjam,
        UnitKind::Sembako,
        UnitKind::Klinik,
        UnitKind::Apotek,
        UnitKind::ColdStorage,
        UnitKind::Logistik,
        UnitKind::KantorKoperasi,
    ];

    /// The unit number of the standard KKMP chart (`1`…`7`), `None` for [`UnitKind::Other`].
    pub fn chart_number(self) -> Option<u8> {
        match self {
            UnitKind::SimpanPinjam => Some(1),
            UnitKind::Sembako => Some(2),
            UnitKind::Klinik => Some(3),
            UnitKind::Apotek => Some(4),
            UnitKind::ColdStorage => Some(5),
            UnitKind::Logistik => Some(6),
            UnitKind::KantorKoperasi => Some(7),
            UnitKind::Other => None,
        }
    }

    /// The Indonesian label.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::SimpanPinjam => "Unit simpan pinjam",
            UnitKind::Sembako => "Gerai sembako",
            UnitKind::Klinik => "Klinik desa/kelurahan",
            UnitKind::Apotek => "Apotek desa/kelurahan",
            UnitKind::ColdStorage => "Pergudangan/cold storage",
            UnitKind::Logistik => "Sarana logistik",
            UnitKind::KantorKoperasi => "Kantor koperasi",
            UnitKind::Other => "Unit lainnya",
        }
    }
}

/// Staff of a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Staff {
    /// The job (jabatan), e.g. `"kasir"`.
    pub role: String,
    /// Number of people.
    pub count: u32,
    /// Salary per person per month (gaji).
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::num::de::rupiah"))]
    pub monthly_salary: Rupiah,
}

impl Staff {
    /// `count` people in `role` at `monthly_salary` each.
    pub fn new(role: &str, count: u32, monthly_salary: Rupiah) -> Staff {
        Staff {
            role: role.to_owned(),
            count,
            monthly_salary,
        }
    }
}

/// The plan of one business unit (rencana usaha unit).
///
/// Revenue is `monthly_revenue`, or `volume_per_month × price` when those are given instead;
/// it grows by `revenue_growth_percent_per_year` at each anniversary of the unit's start and
/// follows `seasonality` (12 percentages by calendar month, January first; 100 = an average
/// month). HPP is `cogs_percent` of revenue. Working capital: receivables are `receivable_days`
/// of revenue, inventory `inventory_days` of HPP, payables `payable_days` of HPP (30-day
/// months).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[doc(alias = "rencana usaha")]
pub struct UnitPlan {
    /// The unit's name, e.g. `"Gerai sembako Kel. Sukabumi"`.
    pub name: String,
    /// The kind of unit.
    #[cfg_attr(feature = "serde", serde(default))]
    pub kind: UnitKind,
    /// Investment (belanja modal) at the start of the plan.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::rupiah")
    )]
    pub capex: Rupiah,
    /// Straight-line depreciation period of the capex, months.
    #[cfg_attr(feature = "serde", serde(default))]
    pub useful_life_months: u32,
    /// Revenue of an average month at the start (pendapatan).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::opt_rupiah")
    )]
    pub monthly_revenue: Option<Rupiah>,
    /// Volume sold in an average month (instead of `monthly_revenue`, with `price`).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::opt_decimal")
    )]
    pub volume_per_month: Option<Decimal>,
    /// Price per unit of volume.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::opt_rupiah")
    )]
    pub price: Option<Rupiah>,
    /// Revenue growth, percent per year (at each anniversary of the start).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::decimal")
    )]
    pub revenue_growth_percent_per_year: Decimal,
    /// Seasonality: empty, or 12 percentages by calendar month (January first).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::decimals")
    )]
    pub seasonality: Vec<Decimal>,
    /// HPP as a percentage of revenue.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::decimal")
    )]
    pub cogs_percent: Decimal,
    /// Operating costs per month other than staff (rent, power, transport …).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::rupiah")
    )]
    pub monthly_opex: Rupiah,
    /// Growth of operating costs and salaries, percent per year.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::decimal")
    )]
    pub opex_growth_percent_per_year: Decimal,
    /// Staff and salaries.
    #[cfg_attr(feature = "serde", serde(default))]
    pub staff: Vec<Staff>,
    /// Plan month the unit opens (1 = the first month); revenue and costs start then.
    #[cfg_attr(feature = "serde", serde(default = "one"))]
    pub start_month: u32,
    /// Inventory days (of HPP).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::decimal")
    )]
    pub inventory_days: Decimal,
    /// Receivable days (of revenue).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::decimal")
    )]
    pub receivable_days: Decimal,
    /// Payable days (of HPP).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::decimal")
    )]
    pub payable_days: Decimal,
}

#[cfg(feature = "serde")]
fn one() -> u32 {
    1
}

impl UnitPlan {
    /// A unit with capex, useful life, monthly revenue, HPP percentage and monthly opex; no
    /// growth, seasonality, staff or working capital; opens in month 1.
    pub fn new(
        name: &str,
        kind: UnitKind,
        capex: Rupiah,
        useful_life_months: u32,
        monthly_revenue: Rupiah,
        cogs_percent: Decimal,
        monthly_opex: Rupiah,
    ) -> UnitPlan {
        UnitPlan {
            name: name.to_owned(),
            kind,
            capex,
            useful_life_months,
            monthly_revenue: Some(monthly_revenue),
            volume_per_month: None,
            price: None,
            revenue_growth_percent_per_year: Decimal::ZERO,
            seasonality: Vec::new(),
            cogs_percent,
            monthly_opex,
            opex_growth_percent_per_year: Decimal::ZERO,
            staff: Vec::new(),
            start_month: 1,
            inventory_days: Decimal::ZERO,
            receivable_days: Decimal::ZERO,
            payable_days: Decimal::ZERO,
        }
    }

    /// With staff.
    #[must_use]
    pub fn with_staff(mut self, staff: Vec<Staff>) -> Self {
        self.staff = staff;
        self
    }

    /// With working capital: inventory, receivable and payable days.
    #[must_use]
    pub fn with_working_capital(
        mut self,
        inventory_days: Decimal,
        receivable_days: Decimal,
        payable_days: Decimal,
    ) -> Self {
        self.inventory_days = inventory_days;
        self.receivable_days = receivable_days;
        self.payable_days = payable_days;
        self
    }

    /// With revenue growth (percent per year).
    #[must_use]
    pub fn with_growth(mut self, revenue_percent: Decimal, opex_percent: Decimal) -> Self {
        self.revenue_growth_percent_per_year = revenue_percent;
        self.opex_growth_percent_per_year = opex_percent;
        self
    }

    /// With seasonality (12 percentages, January first).
    #[must_use]
    pub fn with_seasonality(mut self, seasonality: Vec<Decimal>) -> Self {
        self.seasonality = seasonality;
        self
    }

    /// Opening in plan month `month`.
    #[must_use]
    pub fn with_start_month(mut self, month: u32) -> Self {
        self.start_month = month;
        self
    }

    /// The revenue of an average month at the start: `monthly_revenue`, or volume × price
    /// rounded half-up to the rupiah.
    ///
    /// # Errors
    /// [`Error::InvalidList`] if neither (or both) are given; [`Error::Overflow`].
    pub fn base_revenue(&self, at: &str) -> Result<Rupiah> {
        match (self.monthly_revenue, self.volume_per_month, self.price) {
            (Some(r), None, None) => Ok(r),
            (None, Some(v), Some(p)) => {
                Ok(p.mul_rounded(v, koperasi_core::RoundingPolicy::WHOLE_RUPIAH)?)
            }
            _ => Err(Error::InvalidList {
                field: format!("{at}.monthly_revenue"),
                detail: "give monthly_revenue, or volume_per_month with price".to_owned(),
            }),
        }
    }

    /// The unit's salaries per month.
    ///
    /// # Errors
    /// [`Error::Overflow`].
    pub fn monthly_salaries(&self) -> Result<Rupiah> {
        let mut total = Rupiah::ZERO;
        for s in &self.staff {
            total = total.checked_add(s.monthly_salary.checked_mul_int(i128::from(s.count))?)?;
        }
        Ok(total)
    }
}

/// The financing of a plan (one instrument plus own funds in [`Plan`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[doc(alias = "pembiayaan")]
pub struct Financing {
    /// The scheme.
    pub scheme: SchemeId,
    /// The loan (plafon used).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::rupiah")
    )]
    pub principal: Rupiah,
    /// The part of the loan for operating costs (belanja operasional).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::rupiah")
    )]
    pub operational: Rupiah,
    /// Nominal rate, percent per year (interest per month = rate / 12).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::decimal")
    )]
    pub rate_percent_per_year: Decimal,
    /// Tenor in months.
    #[cfg_attr(feature = "serde", serde(default))]
    pub tenor_months: u32,
    /// Grace months at the start of the tenor.
    #[cfg_attr(feature = "serde", serde(default))]
    pub grace_months: u32,
    /// Interest-only or capitalised grace.
    #[cfg_attr(feature = "serde", serde(default))]
    pub grace: GraceTreatment,
    /// Whether `tenor_months` includes the grace (default) or the grace comes on top.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub tenor_includes_grace: bool,
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

impl Default for Financing {
    fn default() -> Self {
        Financing::none()
    }
}

impl Financing {
    /// No borrowing.
    pub fn none() -> Financing {
        Financing {
            scheme: SchemeId::None,
            principal: Rupiah::ZERO,
            operational: Rupiah::ZERO,
            rate_percent_per_year: Decimal::ZERO,
            tenor_months: 0,
            grace_months: 0,
            grace: GraceTreatment::InterestOnly,
            tenor_includes_grace: true,
        }
    }

    /// A loan under `scheme`.
    pub fn loan(
        scheme: SchemeId,
        principal: Rupiah,
        rate_percent_per_year: Decimal,
        tenor_months: u32,
        grace_months: u32,
        grace: GraceTreatment,
    ) -> Financing {
        Financing {
            scheme,
            principal,
            operational: Rupiah::ZERO,
            rate_percent_per_year,
            tenor_months,
            grace_months,
            grace,
            tenor_includes_grace: true,
        }
    }

    /// With a part for operating costs.
    #[must_use]
    pub fn with_operational(mut self, operational: Rupiah) -> Self {
        self.operational = operational;
        self
    }

    /// The number of monthly installments (grace included).
    pub fn installments(&self) -> u32 {
        if self.tenor_includes_grace {
            self.tenor_months
        } else {
            self.tenor_months.saturating_add(self.grace_months)
        }
    }

    /// `true` when there is a loan to repay.
    pub fn borrows(&self) -> bool {
        self.scheme != SchemeId::None && self.principal.is_positive()
    }
}

/// A cooperative's business plan: the input of [`assess`](crate::assess).
///
/// Month 1 is the month of `start`; the investment (capex), the loan disbursement and the
/// paid-in funds happen at the opening (the eve of month 1), so the first installment falls
/// due in month 1.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[doc(alias = "rencana bisnis")]
#[doc(alias = "proposal bisnis")]
pub struct Plan {
    /// Name of the cooperative or the plan.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: String,
    /// First month of the plan.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::num::de::month"))]
    pub start: NaiveDate,
    /// Horizon in months (1…120).
    pub months: u32,
    /// The units.
    pub units: Vec<UnitPlan>,
    /// The financing.
    #[cfg_attr(feature = "serde", serde(default))]
    pub financing: Financing,
    /// Own capital paid in at the opening (modal sendiri, hibah).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::rupiah")
    )]
    pub own_capital: Rupiah,
    /// Member savings paid in at the opening (simpanan pokok and wajib).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::rupiah")
    )]
    pub member_savings: Rupiah,
    /// Discount rate for NPV, percent per year (monthly = rate / 12). Default 12.
    #[cfg_attr(
        feature = "serde",
        serde(
            default = "default_discount",
            deserialize_with = "crate::num::de::decimal"
        )
    )]
    pub discount_rate_percent_per_year: Decimal,
    /// Minimum DSCR the lender wants. Default 1,25.
    #[cfg_attr(
        feature = "serde",
        serde(default = "default_dscr", deserialize_with = "crate::num::de::decimal")
    )]
    pub dscr_threshold: Decimal,
    /// Share of (revenue − costs) counted as repayment capacity (RPC). Default 75%.
    #[cfg_attr(
        feature = "serde",
        serde(default = "default_rpc", deserialize_with = "crate::num::de::decimal")
    )]
    pub rpc_percent: Decimal,
    /// Rules replacing the built-in ones of the scheme (e.g. a bank's own limits).
    #[cfg_attr(feature = "serde", serde(default))]
    pub scheme_rules: Option<SchemeRules>,
}

#[cfg(feature = "serde")]
fn default_discount() -> Decimal {
    Decimal::from(12)
}
#[cfg(feature = "serde")]
fn default_dscr() -> Decimal {
    Decimal::new(125, 2)
}
#[cfg(feature = "serde")]
fn default_rpc() -> Decimal {
    Decimal::from(75)
}

fn in_range(field: impl FnOnce() -> String, v: Decimal, min: Decimal, max: Decimal) -> Result<()> {
    if v < min || v > max {
        return Err(Error::OutOfRange {
            field: field(),
            value: v,
            min,
            max,
        });
    }
    Ok(())
}

fn non_negative(field: impl FnOnce() -> String, v: Rupiah) -> Result<()> {
    if v.is_negative() {
        return Err(Error::NegativeAmount {
            field: field(),
            value: v,
        });
    }
    Ok(())
}

impl Plan {
    /// A plan over `months` months from `start` (the first day of a month) with these units,
    /// no financing, no own funds; discount rate 12%, DSCR threshold 1,25, RPC 75%.
    pub fn new(name: &str, start: NaiveDate, months: u32, units: Vec<UnitPlan>) -> Plan {
        Plan {
            name: name.to_owned(),
            start,
            months,
            units,
            financing: Financing::none(),
            own_capital: Rupiah::ZERO,
            member_savings: Rupiah::ZERO,
            discount_rate_percent_per_year: Decimal::from(12),
            dscr_threshold: Decimal::new(125, 2),
            rpc_percent: Decimal::from(75),
            scheme_rules: None,
        }
    }

    /// With financing.
    #[must_use]
    pub fn with_financing(mut self, financing: Financing) -> Self {
        self.financing = financing;
        self
    }

    /// With own capital and member savings paid in at the opening.
    #[must_use]
    pub fn with_own_funds(mut self, own_capital: Rupiah, member_savings: Rupiah) -> Self {
        self.own_capital = own_capital;
        self.member_savings = member_savings;
        self
    }

    /// With the discount rate for NPV (percent per year).
    #[must_use]
    pub fn with_discount_rate(mut self, percent_per_year: Decimal) -> Self {
        self.discount_rate_percent_per_year = percent_per_year;
        self
    }

    /// The scheme rules in effect: the plan's own, or the built-in ones.
    pub fn rules(&self) -> SchemeRules {
        self.scheme_rules
            .clone()
            .unwrap_or_else(|| SchemeRules::builtin(self.financing.scheme))
    }

    /// Checks every field (not the scheme's limits: see [`assess`](crate::assess)).
    ///
    /// # Errors
    /// [`Error::StartNotFirstOfMonth`], [`Error::MonthsOutOfRange`], [`Error::InvalidList`],
    /// [`Error::NegativeAmount`], [`Error::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<()> {
        use chrono::Datelike;
        if self.start.day() != 1 {
            return Err(Error::StartNotFirstOfMonth { date: self.start });
        }
        months_in(|| "months".to_owned(), self.months, 1, MAX_PLAN_MONTHS)?;
        if self.units.is_empty() {
            return Err(Error::InvalidList {
                field: "units".to_owned(),
                detail: "a plan needs at least one unit".to_owned(),
            });
        }
        let hundred = Decimal::ONE_HUNDRED;
        for (i, u) in self.units.iter().enumerate() {
            let at = format!("units[{i}]");
            if u.name.trim().is_empty() {
                return Err(Error::InvalidList {
                    field: format!("{at}.name"),
                    detail: "a unit needs a name".to_owned(),
                });
            }
            non_negative(|| format!("{at}.capex"), u.capex)?;
            let rev = u.base_revenue(&at)?;
            non_negative(|| format!("{at}.monthly_revenue"), rev)?;
            if let Some(v) = u.volume_per_month {
                in_range(
                    || format!("{at}.volume_per_month"),
                    v,
                    Decimal::ZERO,
                    Decimal::MAX,
                )?;
            }
            if let Some(p) = u.price {
                non_negative(|| format!("{at}.price"), p)?;
            }
            non_negative(|| format!("{at}.monthly_opex"), u.monthly_opex)?;
            if u.capex.is_positive() {
                months_in(
                    || format!("{at}.useful_life_months"),
                    u.useful_life_months,
                    1,
                    600,
                )?;
            }
            in_range(
                || format!("{at}.cogs_percent"),
                u.cogs_percent,
                Decimal::ZERO,
                hundred,
            )?;
            in_range(
                || format!("{at}.revenue_growth_percent_per_year"),
                u.revenue_growth_percent_per_year,
                Decimal::from(-100),
                Decimal::from(1000),
            )?;
            in_range(
                || format!("{at}.opex_growth_percent_per_year"),
                u.opex_growth_percent_per_year,
                Decimal::from(-100),
                Decimal::from(1000),
            )?;
            if !(u.seasonality.is_empty() || u.seasonality.len() == 12) {
                return Err(Error::InvalidList {
                    field: format!("{at}.seasonality"),
                    detail: format!(
                        "expected 12 monthly percentages (January first), got {}",
                        u.seasonality.len()
                    ),
                });
            }
            for (k, s) in u.seasonality.iter().enumerate() {
                in_range(
                    || format!("{at}.seasonality[{k}]"),
                    *s,
                    Decimal::ZERO,
                    Decimal::from(1000),
                )?;
            }
            months_in(
                || format!("{at}.start_month"),
                u.start_month,
                1,
                self.months,
            )?;
            for (name, d) in [
                ("inventory_days", u.inventory_days),
                ("receivable_days", u.receivable_days),
                ("payable_days", u.payable_days),
            ] {
                in_range(
                    || format!("{at}.{name}"),
                    d,
                    Decimal::ZERO,
                    Decimal::from(365),
                )?;
            }
            for (k, s) in u.staff.iter().enumerate() {
                non_negative(
                    || format!("{at}.staff[{k}].monthly_salary"),
                    s.monthly_salary,
                )?;
            }
            u.monthly_salaries()?;
        }
        non_negative(|| "own_capital".to_owned(), self.own_capital)?;
        non_negative(|| "member_savings".to_owned(), self.member_savings)?;
        in_range(
            || "discount_rate_percent_per_year".to_owned(),
            self.discount_rate_percent_per_year,
            Decimal::ZERO,
            Decimal::from(1000),
        )?;
        in_range(
            || "dscr_threshold".to_owned(),
            self.dscr_threshold,
            Decimal::ZERO,
            Decimal::from(100),
        )?;
        in_range(
            || "rpc_percent".to_owned(),
            self.rpc_percent,
            Decimal::ZERO,
            hundred,
        )?;
        let f = &self.financing;
        non_negative(|| "financing.principal".to_owned(), f.principal)?;
        non_negative(|| "financing.operational".to_owned(), f.operational)?;
        if f.operational > f.principal {
            return Err(Error::OutOfRange {
                field: "financing.operational".to_owned(),
                value: f.operational.to_decimal(),
                min: Decimal::ZERO,
                max: f.principal.to_decimal(),
            });
        }
        in_range(
            || "financing.rate_percent_per_year".to_owned(),
            f.rate_percent_per_year,
            Decimal::ZERO,
            hundred,
        )?;
        if f.scheme == SchemeId::None && f.principal.is_positive() {
            return Err(Error::OutOfRange {
                field: "financing.principal".to_owned(),
                value: f.principal.to_decimal(),
                min: Decimal::ZERO,
                max: Decimal::ZERO,
            });
        }
        if f.borrows() {
            months_in(
                || "financing.tenor_months".to_owned(),
                f.tenor_months,
                1,
                koperasi_savings_loans::MAX_INSTALLMENTS,
            )?;
            let n = f.installments();
            if f.grace_months >= n {
                return Err(Error::MonthsOutOfRange {
                    field: "financing.grace_months".to_owned(),
                    value: f.grace_months,
                    min: 0,
                    max: n.saturating_sub(1),
                });
            }
        }
        Ok(())
    }
}

fn months_in(field: impl FnOnce() -> String, v: u32, min: u32, max: u32) -> Result<()> {
    if v < min || v > max {
        return Err(Error::MonthsOutOfRange {
            field: field(),
            value: v,
            min,
            max,
        });
    }
    Ok(())
}

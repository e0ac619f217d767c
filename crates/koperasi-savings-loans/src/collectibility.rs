//! Collectibility (kolektibilitas), problem-loan risk and the loss reserve (PPAP).

use chrono::NaiveDate;
use koperasi_core::{Decimal, Rupiah, add_months};

#[cfg(doc)]
use crate::Error;
use crate::Result;
use crate::loan::{Loan, LoanStatus};
use crate::money::{add, check_percent, rp};

/// Cooperative collectibility classes (Permen 14/2009, Perdep 06/2016): four, not five.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[doc(alias = "kolektibilitas")]
pub enum Collectibility {
    /// Lancar (current).
    #[doc(alias = "lancar")]
    Current,
    /// Kurang Lancar (substandard).
    #[doc(alias = "kurang lancar")]
    Substandard,
    /// Diragukan (doubtful).
    #[doc(alias = "diragukan")]
    Doubtful,
    /// Macet (loss).
    #[doc(alias = "macet")]
    Loss,
}

impl Collectibility {
    /// The Indonesian name.
    pub fn indonesian(self) -> &'static str {
        match self {
            Collectibility::Current => "Lancar",
            Collectibility::Substandard => "Kurang Lancar",
            Collectibility::Doubtful => "Diragukan",
            Collectibility::Loss => "Macet",
        }
    }
}

/// The bank-style five-class profile (BI/OJK), offered for dashboards that want five
/// buckets. Not a cooperative classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum BankCollectibility {
    /// Lancar: no arrears.
    Current,
    /// Dalam Perhatian Khusus: 1–90 days past due.
    #[doc(alias = "dalam perhatian khusus")]
    SpecialMention,
    /// Kurang Lancar: 91–180 days.
    Substandard,
    /// Diragukan: 181–270 days.
    Doubtful,
    /// Macet: more than 270 days.
    Loss,
}

/// The bank five-class profile by days past due (0; 1–90; 91–180; 181–270; > 270).
pub fn bank_collectibility(days_past_due: u32) -> BankCollectibility {
    match days_past_due {
        0 => BankCollectibility::Current,
        1..=90 => BankCollectibility::SpecialMention,
        91..=180 => BankCollectibility::Substandard,
        181..=270 => BankCollectibility::Doubtful,
        _ => BankCollectibility::Loss,
    }
}

/// What the classification looks at, for one loan on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CollectibilityFacts {
    /// Classification date.
    pub as_of: NaiveDate,
    /// Installment period in months (0 for periods shorter than a month); `None` for a
    /// non-installment (bullet) loan.
    pub installment_months: Option<u32>,
    /// Due date of the oldest unpaid principal.
    pub oldest_unpaid_principal: Option<NaiveDate>,
    /// Due date of the oldest unpaid interest.
    pub oldest_unpaid_interest: Option<NaiveDate>,
    /// Maturity (for a non-installment loan).
    pub maturity: Option<NaiveDate>,
    /// Debt including interest (outstanding principal + interest due).
    pub debt: Rupiah,
    /// Value of the collateral (agunan), as appraised.
    pub collateral: Rupiah,
    /// The loan can still be rescued (pengurus' judgement).
    pub salvageable: bool,
    /// Since when the loan has been Diragukan, if it has.
    pub doubtful_since: Option<NaiveDate>,
    /// Date of the last repayment.
    pub last_repayment: Option<NaiveDate>,
    /// Settlement handed to the Pengadilan Negeri or a credit-insurance claim filed.
    pub legal_or_insurance: bool,
}

impl CollectibilityFacts {
    /// Facts for an installment loan on `as_of`, no collateral, salvageable.
    pub fn new(as_of: NaiveDate, installment_months: Option<u32>, debt: Rupiah) -> Self {
        CollectibilityFacts {
            as_of,
            installment_months,
            oldest_unpaid_principal: None,
            oldest_unpaid_interest: None,
            maturity: None,
            debt,
            collateral: Rupiah::ZERO,
            salvageable: true,
            doubtful_since: None,
            last_repayment: None,
            legal_or_insurance: false,
        }
    }
}

/// Collateral information for [`Loan::classify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "agunan")]
pub struct CollateralInfo {
    /// Appraised value of the collateral.
    pub value: Rupiah,
    /// The loan is not salvageable (pengurus' judgement). Default: salvageable.
    pub not_salvageable: bool,
    /// Handed to court or an insurance claim was filed.
    pub legal_or_insurance: bool,
}

/// "More than `m` months after `since`, as of `as_of`" (calendar months).
fn beyond(since: Option<NaiveDate>, m: i32, as_of: NaiveDate) -> Result<bool> {
    match since {
        None => Ok(false),
        Some(d) => Ok(as_of > add_months(d, m)?),
    }
}

/// Classifies a loan by the cooperative rules (domain.md §3.4):
/// * Kurang Lancar — installment loans: principal arrears > 1 and ≤ 2 months (installments
///   more often than monthly), > 3 and ≤ 6 months (monthly to 5-monthly), > 6 and ≤ 12 months
///   (every 6 months or longer); or interest arrears > 1 and ≤ 3 months (shorter than a
///   month) / > 3 and ≤ 6 months (a month or longer). Non-installment loans: not yet due with
///   interest arrears > 3 and ≤ 6 months, or past due and unpaid ≤ 3 months.
/// * Beyond Kurang Lancar: Diragukan if salvageable with collateral ≥ 75% of the debt, or not
///   salvageable with collateral ≥ 100%; otherwise Macet.
/// * Macet also when Diragukan for 12 months with no repayment since, or when handed to court
///   or an insurance claim is filed.
///
/// ```
/// use koperasi_core::{chrono::NaiveDate, Rupiah};
/// use koperasi_savings_loans::{classify, Collectibility, CollectibilityFacts};
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let mut f = CollectibilityFacts::new(d(2025, 6, 30), Some(1), Rupiah::from_rupiah(5_000_000));
/// f.oldest_unpaid_principal = Some(d(2025, 2, 10)); // 4 months in arrears
/// assert_eq!(classify(&f)?, Collectibility::Substandard);
/// # Ok::<(), koperasi_savings_loans::Error>(())
/// ```
///
/// # Errors
/// [`Error::Core`] for dates beyond the calendar's range.
pub fn classify(f: &CollectibilityFacts) -> Result<Collectibility> {
    if f.legal_or_insurance {
        return Ok(Collectibility::Loss);
    }
    if let Some(since) = f.doubtful_since {
        let no_repayment = f.last_repayment.is_none_or(|r| r <= since);
        if no_repayment && f.as_of >= add_months(since, 12)? {
            return Ok(Collectibility::Loss);
        }
    }
    // (lower, upper) month bounds of Kurang Lancar for principal and interest arrears
    let beyond_kl;
    let in_kl;
    if let Some(months) = f.installment_months {
        {
            let (pl, pu) = match months {
                0 => (1, 2),
                1..=5 => (3, 6),
                _ => (6, 12),
            };
            let (il, iu) = if months == 0 { (1, 3) } else { (3, 6) };
            let p_l = beyond(f.oldest_unpaid_principal, pl, f.as_of)?;
            let p_u = beyond(f.oldest_unpaid_principal, pu, f.as_of)?;
            let i_l = beyond(f.oldest_unpaid_interest, il, f.as_of)?;
            let i_u = beyond(f.oldest_unpaid_interest, iu, f.as_of)?;
            beyond_kl = p_u || i_u;
            in_kl = p_l || i_l;
        }
    } else {
        {
            let past_due = f.maturity.is_some_and(|m| f.as_of > m);
            if past_due {
                beyond_kl = beyond(f.maturity, 3, f.as_of)?;
                in_kl = true;
            } else {
                beyond_kl = beyond(f.oldest_unpaid_interest, 6, f.as_of)?;
                in_kl = beyond(f.oldest_unpaid_interest, 3, f.as_of)?;
            }
        }
    }
    if !beyond_kl {
        return Ok(if in_kl {
            Collectibility::Substandard
        } else {
            Collectibility::Current
        });
    }
    // collateral test: collateral × 100 ≥ debt × 75 (salvageable) or × 100
    let c = f.collateral.to_sen().saturating_mul(100);
    let need = f
        .debt
        .to_sen()
        .saturating_mul(if f.salvageable { 75 } else { 100 });
    if c >= need {
        Ok(Collectibility::Doubtful)
    } else {
        Ok(Collectibility::Loss)
    }
}

impl Loan {
    /// The facts [`classify`] needs, taken from this loan on `as_of`.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn collectibility_facts(
        &self,
        as_of: NaiveDate,
        collateral: &CollateralInfo,
    ) -> Result<CollectibilityFacts> {
        let due = self.due_as_of(as_of)?;
        let debt = self.outstanding_principal()?.checked_add(due.interest)?;
        let single = self.installments().len() == 1;
        Ok(CollectibilityFacts {
            as_of,
            installment_months: if single {
                None
            } else {
                Some(self.terms().every_months)
            },
            oldest_unpaid_principal: self.oldest_unpaid(false).filter(|d| *d < as_of),
            oldest_unpaid_interest: self.oldest_unpaid(true).filter(|d| *d < as_of),
            maturity: self.installments().last().map(|s| s.due_date),
            debt,
            collateral: collateral.value,
            salvageable: !collateral.not_salvageable,
            doubtful_since: self.doubtful_since,
            last_repayment: self.last_repayment(),
            legal_or_insurance: collateral.legal_or_insurance,
        })
    }

    /// Classifies the loan on `as_of` and remembers since when it is Diragukan (the clock of
    /// the 12-month rule; it stops when the loan leaves Diragukan). A closed loan is Lancar.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow or dates out of range.
    pub fn classify(
        &mut self,
        as_of: NaiveDate,
        collateral: &CollateralInfo,
    ) -> Result<Collectibility> {
        if self.status() == LoanStatus::Closed {
            return Ok(Collectibility::Current);
        }
        let c = classify(&self.collectibility_facts(as_of, collateral)?)?;
        match c {
            Collectibility::Doubtful => {
                if self.doubtful_since.is_none() {
                    self.doubtful_since = Some(as_of);
                }
            }
            Collectibility::Loss => {}
            _ => self.doubtful_since = None,
        }
        Ok(c)
    }
}

/// Reserve rates (PPAP) per class, in percent. Defaults 0,5 / 10 / 50 / 100 — bank-derived
/// rates often reused in cooperative policies; configuration, not law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "PPAP")]
#[doc(alias = "penyisihan penghapusan aktiva produktif")]
pub struct ReserveRates {
    /// Lancar.
    pub current: Decimal,
    /// Kurang Lancar.
    pub substandard: Decimal,
    /// Diragukan.
    pub doubtful: Decimal,
    /// Macet.
    pub loss: Decimal,
    /// Deduct eligible collateral from the outstanding before applying the rate (not for Lancar).
    pub net_of_collateral: bool,
}

impl Default for ReserveRates {
    fn default() -> Self {
        ReserveRates {
            current: Decimal::new(5, 1),
            substandard: Decimal::TEN,
            doubtful: Decimal::from(50),
            loss: Decimal::ONE_HUNDRED,
            net_of_collateral: false,
        }
    }
}

impl ReserveRates {
    /// Rates per class in percent.
    ///
    /// # Errors
    /// [`Error::InvalidPercent`] for a rate outside 0..=100.
    pub fn new(
        current: Decimal,
        substandard: Decimal,
        doubtful: Decimal,
        loss: Decimal,
    ) -> Result<Self> {
        let r = ReserveRates {
            current,
            substandard,
            doubtful,
            loss,
            net_of_collateral: false,
        };
        r.validate()?;
        Ok(r)
    }

    /// Deduct eligible collateral first.
    #[must_use]
    pub fn net_of_collateral(mut self, yes: bool) -> Self {
        self.net_of_collateral = yes;
        self
    }

    fn validate(&self) -> Result<()> {
        for (what, p) in [
            ("reserve rate lancar", self.current),
            ("reserve rate kurang lancar", self.substandard),
            ("reserve rate diragukan", self.doubtful),
            ("reserve rate macet", self.loss),
        ] {
            check_percent(what, p)?;
        }
        Ok(())
    }

    fn rate(&self, c: Collectibility) -> Decimal {
        match c {
            Collectibility::Current => self.current,
            Collectibility::Substandard => self.substandard,
            Collectibility::Doubtful => self.doubtful,
            Collectibility::Loss => self.loss,
        }
    }
}

/// One loan in a portfolio: its class, outstanding principal and eligible collateral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortfolioLine {
    /// Class.
    pub class: Collectibility,
    /// Outstanding principal.
    pub outstanding: Rupiah,
    /// Collateral eligible for deduction.
    pub eligible_collateral: Rupiah,
}

/// Amounts per class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ByClass {
    /// Lancar.
    pub current: Rupiah,
    /// Kurang Lancar.
    pub substandard: Rupiah,
    /// Diragukan.
    pub doubtful: Rupiah,
    /// Macet.
    pub loss: Rupiah,
}

impl ByClass {
    fn get_mut(&mut self, c: Collectibility) -> &mut Rupiah {
        match c {
            Collectibility::Current => &mut self.current,
            Collectibility::Substandard => &mut self.substandard,
            Collectibility::Doubtful => &mut self.doubtful,
            Collectibility::Loss => &mut self.loss,
        }
    }

    /// Σ of the four classes.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn total(&self) -> Result<Rupiah> {
        Ok(Rupiah::try_sum([
            self.current,
            self.substandard,
            self.doubtful,
            self.loss,
        ])?)
    }
}

/// Outstanding principal per class.
///
/// # Errors
/// [`Error::Core`] on overflow.
pub fn portfolio_by_class(lines: &[PortfolioLine]) -> Result<ByClass> {
    let mut b = ByClass::default();
    for l in lines {
        let slot = b.get_mut(l.class);
        *slot = slot.checked_add(l.outstanding)?;
    }
    Ok(b)
}

/// Problem-loan risk (risiko pinjaman bermasalah): 50%·KL + 75%·D + 100%·M of the
/// outstanding, rounded half-up to the rupiah, and its ratio to the whole portfolio
/// (percent, 4 decimals; zero for an empty portfolio).
///
/// ```
/// use koperasi_core::Rupiah;
/// use koperasi_savings_loans::{problem_loan_risk, ByClass};
///
/// let r = Rupiah::from_rupiah;
/// let b = ByClass { current: r(80_000_000), substandard: r(10_000_000), doubtful: r(6_000_000), loss: r(4_000_000) };
/// let (risk, ratio) = problem_loan_risk(&b)?;
/// assert_eq!(risk, r(13_500_000)); // 5 + 4,5 + 4 juta
/// assert_eq!(ratio.to_string(), "13.5");
/// # Ok::<(), koperasi_savings_loans::Error>(())
/// ```
///
/// # Errors
/// [`Error::Core`] on overflow.
#[doc(alias = "risiko pinjaman bermasalah")]
pub fn problem_loan_risk(b: &ByClass) -> Result<(Rupiah, Decimal)> {
    let weighted = add(
        add(
            b.substandard.to_sen().saturating_mul(50),
            b.doubtful.to_sen().saturating_mul(75),
        )?,
        b.loss.to_sen().saturating_mul(100),
    )?;
    let risk = crate::money::div_round(weighted, 10_000, koperasi_core::RoundingMode::HalfUp)?
        .saturating_mul(100);
    let total = b.total()?.to_sen();
    let ratio = if total == 0 {
        Decimal::ZERO
    } else {
        // weighted / total is already ×100 (a percent)
        let q = crate::money::div_round(
            weighted.saturating_mul(10_000),
            total,
            koperasi_core::RoundingMode::HalfUp,
        )?;
        Decimal::try_from_i128_with_scale(q, 4)
            .map_err(|_| crate::money::overflow("problem_loan_risk"))?
            .normalize()
    };
    Ok((rp(risk)?, ratio))
}

/// The required reserve (PPAP) per class and in total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReserveRequirement {
    /// Per class.
    pub by_class: ByClass,
    /// Total required.
    pub total: Rupiah,
}

impl ReserveRequirement {
    /// The adjustment to post to bring `current` reserve to the requirement: positive = add
    /// (beban penyisihan), negative = release.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn adjustment(&self, current: Rupiah) -> Result<Rupiah> {
        Ok(self.total.checked_sub(current)?)
    }
}

/// The required reserve (PPAP): per loan, rate × (outstanding − eligible collateral if
/// configured, never below zero; Lancar never nets collateral), rounded half-up to the rupiah.
///
/// # Errors
/// [`Error::InvalidPercent`] for bad rates; [`Error::Core`] on overflow.
pub fn required_reserve(
    lines: &[PortfolioLine],
    rates: &ReserveRates,
) -> Result<ReserveRequirement> {
    rates.validate()?;
    let mut b = ByClass::default();
    for l in lines {
        let base = if rates.net_of_collateral && l.class != Collectibility::Current {
            l.outstanding
                .checked_sub(l.eligible_collateral)?
                .max(Rupiah::ZERO)
        } else {
            l.outstanding
        };
        let r = check_percent("reserve rate", rates.rate(l.class))?;
        let amount = rp(r.apply(base.to_sen(), 100, koperasi_core::RoundingMode::HalfUp)?)?;
        let slot = b.get_mut(l.class);
        *slot = slot.checked_add(amount)?;
    }
    Ok(ReserveRequirement {
        total: b.total()?,
        by_class: b,
    })
}

//! Savings (simpanan): pokok, wajib, sukarela, berjangka; withdrawal rules, interest, exit
//! settlement.

use chrono::{Datelike, NaiveDate};
use koperasi_core::{Decimal, Rate, RoundingMode, Rupiah, SavingsAccountId, add_months};

use crate::loan::Charge;
use crate::money::{Ratio, add, check_percent, days_between, rp, sub};
use crate::terms::annual_ratio;
use crate::{Error, Result};

/// The kinds of member savings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[doc(alias = "simpanan")]
pub enum SavingsKind {
    /// Simpanan pokok: paid once on entry, the same for every member, refunded only on exit.
    #[doc(alias = "simpanan pokok")]
    Principal,
    /// Simpanan wajib: periodic obligation set by the Rapat Anggota, refunded only on exit.
    #[doc(alias = "simpanan wajib")]
    Mandatory,
    /// Simpanan sukarela / tabungan: withdrawable, may earn interest.
    #[doc(alias = "simpanan sukarela")]
    #[doc(alias = "tabungan")]
    Voluntary,
    /// Simpanan berjangka: a term deposit, withdrawable at maturity.
    #[doc(alias = "simpanan berjangka")]
    #[doc(alias = "deposito")]
    TimeDeposit,
}

impl core::fmt::Display for SavingsKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            SavingsKind::Principal => "simpanan pokok",
            SavingsKind::Mandatory => "simpanan wajib",
            SavingsKind::Voluntary => "simpanan sukarela",
            SavingsKind::TimeDeposit => "simpanan berjangka",
        })
    }
}

/// Whether the holder is still a member (withdrawal rules depend on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum MemberStanding {
    /// An active member (anggota aktif).
    Active,
    /// The member has left, was dismissed or died (keluar, diberhentikan, meninggal).
    Exited,
}

/// The balance interest is computed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum BalanceMethod {
    /// Saldo harian: each day's balance earns a day's interest; days below the minimum for
    /// interest earn nothing.
    #[default]
    #[doc(alias = "saldo harian")]
    Daily,
    /// Saldo rata-rata harian: the month's average daily balance earns the month's interest,
    /// if it reaches the minimum for interest.
    #[doc(alias = "saldo rata-rata")]
    AverageDaily,
    /// Saldo terendah: the lowest balance of the month earns a month's interest (rate ÷ 12).
    #[doc(alias = "saldo terendah")]
    LowestMonthly,
}

/// When interest is credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Posting {
    /// At every month end.
    #[default]
    Monthly,
    /// At the end of December (computed monthly, accumulated).
    Yearly,
}

/// Withholding tax on savings interest (`PPh` Pasal 4(2), final). The domain note cites 10%
/// on interest above Rp240.000 a month — verify the current regulation; configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "PPh pasal 4 ayat 2")]
pub struct WithholdingTax {
    /// Percent withheld on the whole posted interest once it exceeds the threshold.
    pub percent: Decimal,
    /// Posted interest up to this amount is not taxed.
    pub threshold: Rupiah,
}

impl Default for WithholdingTax {
    fn default() -> Self {
        WithholdingTax {
            percent: Decimal::TEN,
            threshold: Rupiah::from_rupiah(240_000),
        }
    }
}

/// Interest on a savings product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct InterestPolicy {
    /// Rate (jasa simpanan).
    pub rate: Rate,
    /// Balance method.
    pub method: BalanceMethod,
    /// Posting frequency.
    pub posting: Posting,
    /// Balance below which no interest is earned.
    pub minimum_for_interest: Rupiah,
    /// Withholding tax.
    pub tax: WithholdingTax,
}

impl InterestPolicy {
    /// Interest at `rate` by `method`, posted monthly, no minimum, default tax.
    pub fn new(rate: Rate, method: BalanceMethod) -> Self {
        InterestPolicy {
            rate,
            method,
            posting: Posting::Monthly,
            minimum_for_interest: Rupiah::ZERO,
            tax: WithholdingTax::default(),
        }
    }

    /// With a posting frequency.
    #[must_use]
    pub fn with_posting(mut self, p: Posting) -> Self {
        self.posting = p;
        self
    }

    /// With a minimum balance for interest.
    #[must_use]
    pub fn with_minimum_for_interest(mut self, m: Rupiah) -> Self {
        self.minimum_for_interest = m;
        self
    }

    /// With a withholding tax.
    #[must_use]
    pub fn with_tax(mut self, t: WithholdingTax) -> Self {
        self.tax = t;
        self
    }
}

/// What happens when a term deposit is withdrawn before maturity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EarlyWithdrawal {
    /// Interest is forfeited (else it is paid pro rata by days, actual/365).
    pub forfeit_interest: bool,
    /// Penalty: fixed, or a percentage of the deposit.
    pub penalty: Charge,
}

/// A savings product, as decided by the Rapat Anggota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SavingsProduct {
    /// Kind.
    pub kind: SavingsKind,
    /// Balance that must stay in the account (sukarela).
    pub minimum_balance: Rupiah,
    /// Fixed amount: the simpanan pokok, or the simpanan wajib per month.
    pub amount: Rupiah,
    /// Interest, if any.
    pub interest: Option<InterestPolicy>,
    /// Term in months (berjangka).
    pub term_months: u32,
    /// Early withdrawal (berjangka).
    pub early_withdrawal: Option<EarlyWithdrawal>,
}

impl SavingsProduct {
    /// Simpanan pokok of `amount`.
    pub fn principal(amount: Rupiah) -> Self {
        SavingsProduct {
            kind: SavingsKind::Principal,
            minimum_balance: Rupiah::ZERO,
            amount,
            interest: None,
            term_months: 0,
            early_withdrawal: None,
        }
    }

    /// Simpanan wajib of `per_month`.
    pub fn mandatory(per_month: Rupiah) -> Self {
        SavingsProduct {
            kind: SavingsKind::Mandatory,
            ..SavingsProduct::principal(per_month)
        }
    }

    /// Simpanan sukarela with a minimum balance and optional interest.
    pub fn voluntary(minimum_balance: Rupiah, interest: Option<InterestPolicy>) -> Self {
        SavingsProduct {
            kind: SavingsKind::Voluntary,
            minimum_balance,
            interest,
            ..SavingsProduct::principal(Rupiah::ZERO)
        }
    }

    /// Simpanan berjangka for `term_months` at `rate` (simple interest, paid at maturity).
    pub fn time_deposit(term_months: u32, rate: Rate, early: EarlyWithdrawal) -> Self {
        SavingsProduct {
            kind: SavingsKind::TimeDeposit,
            term_months,
            interest: Some(InterestPolicy::new(rate, BalanceMethod::Daily)),
            early_withdrawal: Some(early),
            ..SavingsProduct::principal(Rupiah::ZERO)
        }
    }

    fn validate(&self) -> Result<()> {
        for (what, a) in [
            ("minimum balance", self.minimum_balance),
            ("product amount", self.amount),
        ] {
            if a.is_negative() {
                return Err(Error::NonPositiveAmount { what, amount: a });
            }
        }
        if let Some(i) = &self.interest {
            annual_ratio(i.rate)?;
            check_percent("withholding tax", i.tax.percent)?;
        }
        match self.early_withdrawal.map(|e| e.penalty) {
            Some(Charge::Percent(p)) => {
                check_percent("early-withdrawal penalty", p)?;
            }
            Some(Charge::Fixed(a)) if a.is_negative() => {
                return Err(Error::NonPositiveAmount {
                    what: "early-withdrawal penalty",
                    amount: a,
                });
            }
            _ => {}
        }
        if self.kind == SavingsKind::Principal && !self.amount.is_positive() {
            return Err(Error::NonPositiveAmount {
                what: "simpanan pokok",
                amount: self.amount,
            });
        }
        if self.kind == SavingsKind::TimeDeposit && self.term_months == 0 {
            return Err(Error::InvalidTenor {
                installments: 0,
                max: crate::terms::MAX_INSTALLMENTS,
            });
        }
        Ok(())
    }
}

/// A deposit or withdrawal, for posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SavingsTransaction {
    /// Account.
    pub account: SavingsAccountId,
    /// Kind of savings.
    pub kind: SavingsKind,
    /// Date.
    pub date: NaiveDate,
    /// Amount (positive: deposit; negative: withdrawal).
    pub amount: Rupiah,
    /// Balance after.
    pub balance: Rupiah,
}

/// One month's interest on a savings account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "jasa simpanan")]
pub struct InterestPosting {
    /// Account.
    pub account: SavingsAccountId,
    /// First day of the interest period.
    pub period_start: NaiveDate,
    /// Last day of the interest period.
    pub period_end: NaiveDate,
    /// Interest earned in the period (interest expense, accrual).
    pub earned: Rupiah,
    /// Whether interest was credited now.
    pub posted: bool,
    /// Gross interest credited (0 if not posted).
    pub gross: Rupiah,
    /// Tax withheld (a payable to the tax office).
    pub tax_withheld: Rupiah,
    /// Net credited to the balance.
    pub net: Rupiah,
}

/// The payout of a term deposit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TimeDepositPayout {
    /// Date.
    pub date: NaiveDate,
    /// Before maturity.
    pub early: bool,
    /// Principal returned.
    pub principal: Rupiah,
    /// Interest earned.
    pub interest: Rupiah,
    /// Tax withheld on the interest.
    pub tax_withheld: Rupiah,
    /// Early-withdrawal penalty (income).
    pub penalty: Rupiah,
    /// Cash paid: principal + interest − tax − penalty (never below zero; a penalty larger
    /// than that is capped).
    pub net: Rupiah,
}

/// A member's savings account.
///
/// # Invariants
/// The balance never goes below the product minimum through a withdrawal
/// (`prop_withdrawal_never_overdraws`); pokok and wajib cannot be withdrawn by an active
/// member (`prop_pokok_wajib_not_withdrawable_by_active_member`).
///
/// ```
/// use koperasi_core::{chrono::NaiveDate, Rupiah, SavingsAccountId};
/// use koperasi_savings_loans::{MemberStanding, SavingsAccount, SavingsProduct, Error};
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let mut wajib = SavingsAccount::open(SavingsAccountId::from_u128(1),
///     SavingsProduct::mandatory(Rupiah::from_rupiah(50_000)), d(2025, 1, 1))?;
/// wajib.deposit(d(2025, 1, 5), Rupiah::from_rupiah(50_000))?;
/// assert!(matches!(wajib.withdraw(d(2025, 2, 1), Rupiah::from_rupiah(10_000), MemberStanding::Active),
///     Err(Error::NotWithdrawable { .. })));
/// assert_eq!(wajib.mandatory_arrears(d(2025, 3, 31))?, Rupiah::from_rupiah(100_000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SavingsAccount {
    id: SavingsAccountId,
    product: SavingsProduct,
    opened: NaiveDate,
    closed: bool,
    balance: i128,
    deposited: i128,
    last_date: NaiveDate,
    period_start: NaiveDate,
    balance_days: i128,
    eligible_days: i128,
    lowest: Option<i128>,
    accrued: i128,
    maturity: Option<NaiveDate>,
}

impl SavingsAccount {
    /// Opens an account with a zero balance.
    ///
    /// # Errors
    /// [`Error::NonPositiveAmount`], [`Error::RateOutOfRange`], [`Error::InvalidPercent`] or
    /// [`Error::InvalidTenor`] for an invalid product.
    pub fn open(id: SavingsAccountId, product: SavingsProduct, date: NaiveDate) -> Result<Self> {
        product.validate()?;
        Ok(SavingsAccount {
            id,
            product,
            opened: date,
            closed: false,
            balance: 0,
            deposited: 0,
            last_date: date,
            period_start: date,
            balance_days: 0,
            eligible_days: 0,
            lowest: None,
            accrued: 0,
            maturity: None,
        })
    }

    /// Opens a term deposit (simpanan berjangka) of `amount` placed on `date`.
    ///
    /// # Errors
    /// As [`open`](SavingsAccount::open); [`Error::WrongSavingsKind`] for another kind;
    /// [`Error::NonPositiveAmount`].
    pub fn open_time_deposit(
        id: SavingsAccountId,
        product: SavingsProduct,
        date: NaiveDate,
        amount: Rupiah,
    ) -> Result<(Self, SavingsTransaction)> {
        if product.kind != SavingsKind::TimeDeposit {
            return Err(Error::WrongSavingsKind {
                operation: "open_time_deposit",
                kind: product.kind,
            });
        }
        if !amount.is_positive() {
            return Err(Error::NonPositiveAmount {
                what: "deposit",
                amount,
            });
        }
        let mut acc = SavingsAccount::open(id, product, date)?;
        let term =
            i32::try_from(product.term_months).map_err(|_| crate::money::overflow("term"))?;
        acc.maturity = Some(add_months(date, term)?);
        acc.balance = amount.to_sen();
        acc.deposited = acc.balance;
        let t = acc.tx(date, amount)?;
        Ok((acc, t))
    }

    /// Id.
    pub fn id(&self) -> SavingsAccountId {
        self.id
    }

    /// Product.
    pub fn product(&self) -> &SavingsProduct {
        &self.product
    }

    /// Kind.
    pub fn kind(&self) -> SavingsKind {
        self.product.kind
    }

    /// Balance.
    pub fn balance(&self) -> Rupiah {
        Rupiah::try_from_sen_i128(self.balance).unwrap_or(Rupiah::ZERO)
    }

    /// Closed.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The date the account was opened (a term deposit: placed).
    pub fn opened(&self) -> NaiveDate {
        self.opened
    }

    /// Maturity of a term deposit.
    pub fn maturity(&self) -> Option<NaiveDate> {
        self.maturity
    }

    /// Interest earned and not yet credited (yearly posting).
    pub fn accrued_interest(&self) -> Rupiah {
        Rupiah::try_from_sen_i128(self.accrued).unwrap_or(Rupiah::ZERO)
    }

    fn tx(&self, date: NaiveDate, amount: Rupiah) -> Result<SavingsTransaction> {
        Ok(SavingsTransaction {
            account: self.id,
            kind: self.product.kind,
            date,
            amount,
            balance: rp(self.balance)?,
        })
    }

    fn check(&self, what: &'static str, date: NaiveDate) -> Result<()> {
        if self.closed {
            return Err(Error::AccountClosed);
        }
        if date < self.last_date {
            return Err(Error::DateOutOfOrder {
                what,
                date,
                earliest: self.last_date,
            });
        }
        Ok(())
    }

    /// Balance-days up to (not including) `date`: (all, eligible for interest).
    fn days_until(&self, date: NaiveDate) -> Result<(i128, i128)> {
        let days = i128::from(days_between(self.last_date, date).max(0));
        let bd = self
            .balance
            .checked_mul(days)
            .ok_or_else(|| crate::money::overflow("balance days"))?;
        let min = self
            .product
            .interest
            .map_or(0, |i| i.minimum_for_interest.to_sen());
        let eligible = if self.balance >= min { bd } else { 0 };
        Ok((
            add(self.balance_days, bd)?,
            add(self.eligible_days, eligible)?,
        ))
    }

    fn roll_to(&mut self, date: NaiveDate) -> Result<()> {
        let (a, e) = self.days_until(date)?;
        self.lowest = self.lowest_until(date);
        self.balance_days = a;
        self.eligible_days = e;
        self.last_date = date;
        Ok(())
    }

    /// The lowest end-of-day balance of the period up to (not including) `date`.
    fn lowest_until(&self, date: NaiveDate) -> Option<i128> {
        if date > self.last_date {
            Some(self.lowest.map_or(self.balance, |l| l.min(self.balance)))
        } else {
            self.lowest
        }
    }

    /// Deposits `amount` on `date`. Simpanan pokok takes exactly the product amount, once.
    ///
    /// # Errors
    /// [`Error::NonPositiveAmount`], [`Error::AccountClosed`], [`Error::DateOutOfOrder`],
    /// [`Error::PrincipalSavingsAmount`], [`Error::WrongSavingsKind`] (term deposits take no
    /// further deposits).
    #[doc(alias = "setor")]
    pub fn deposit(&mut self, date: NaiveDate, amount: Rupiah) -> Result<SavingsTransaction> {
        if !amount.is_positive() {
            return Err(Error::NonPositiveAmount {
                what: "deposit",
                amount,
            });
        }
        self.check("deposit", date)?;
        match self.product.kind {
            SavingsKind::TimeDeposit => {
                return Err(Error::WrongSavingsKind {
                    operation: "deposit",
                    kind: SavingsKind::TimeDeposit,
                });
            }
            SavingsKind::Principal if self.deposited != 0 || amount != self.product.amount => {
                return Err(Error::PrincipalSavingsAmount {
                    expected: self.product.amount,
                    amount,
                });
            }
            _ => {}
        }
        let new_balance = add(self.balance, amount.to_sen())?;
        let deposited = add(self.deposited, amount.to_sen())?;
        self.roll_to(date)?;
        self.balance = new_balance;
        self.deposited = deposited;
        self.tx(date, amount)
    }

    /// Withdraws `amount` on `date`. Pokok and wajib only once the member has exited;
    /// sukarela never below the product minimum (on exit, down to zero).
    ///
    /// # Errors
    /// [`Error::NonPositiveAmount`], [`Error::AccountClosed`], [`Error::DateOutOfOrder`],
    /// [`Error::NotWithdrawable`], [`Error::InsufficientBalance`], [`Error::WrongSavingsKind`]
    /// (use [`withdraw_time_deposit`](SavingsAccount::withdraw_time_deposit)).
    #[doc(alias = "tarik")]
    pub fn withdraw(
        &mut self,
        date: NaiveDate,
        amount: Rupiah,
        standing: MemberStanding,
    ) -> Result<SavingsTransaction> {
        if !amount.is_positive() {
            return Err(Error::NonPositiveAmount {
                what: "withdrawal",
                amount,
            });
        }
        self.check("withdrawal", date)?;
        let minimum = match (self.product.kind, standing) {
            (SavingsKind::TimeDeposit, _) => {
                return Err(Error::WrongSavingsKind {
                    operation: "withdraw",
                    kind: SavingsKind::TimeDeposit,
                });
            }
            (k @ (SavingsKind::Principal | SavingsKind::Mandatory), MemberStanding::Active) => {
                return Err(Error::NotWithdrawable { kind: k });
            }
            (SavingsKind::Voluntary, MemberStanding::Active) => {
                self.product.minimum_balance.to_sen()
            }
            _ => 0,
        };
        let after = sub(self.balance, amount.to_sen())?;
        if after < minimum {
            return Err(Error::InsufficientBalance {
                balance: rp(self.balance)?,
                requested: amount,
                minimum: rp(minimum)?,
            });
        }
        self.roll_to(date)?;
        self.balance = after;
        Ok(SavingsTransaction {
            amount: amount.negated(),
            ..self.tx(date, amount)?
        })
    }

    /// Simpanan wajib owed and unpaid by `as_of`: the product amount for every month from the
    /// opening month to `as_of`'s month, minus what was deposited (never negative).
    ///
    /// # Errors
    /// [`Error::WrongSavingsKind`] for other kinds; [`Error::Core`] on overflow.
    #[doc(alias = "tunggakan simpanan wajib")]
    pub fn mandatory_arrears(&self, as_of: NaiveDate) -> Result<Rupiah> {
        if self.product.kind != SavingsKind::Mandatory {
            return Err(Error::WrongSavingsKind {
                operation: "mandatory_arrears",
                kind: self.product.kind,
            });
        }
        let months = i64::from(as_of.year())
            .saturating_sub(i64::from(self.opened.year()))
            .saturating_mul(12)
            .saturating_add(i64::from(as_of.month()))
            .saturating_sub(i64::from(self.opened.month()))
            .saturating_add(1);
        let months = i128::from(months.max(0));
        let owed = self
            .product
            .amount
            .to_sen()
            .checked_mul(months)
            .ok_or_else(|| crate::money::overflow("arrears"))?;
        rp(sub(owed, self.deposited)?.max(0))
    }

    /// Closes the interest period ending on `period_end` (inclusive; normally a month end):
    /// computes the period's interest by the product's balance method and credits it (less
    /// withholding tax) when the posting frequency says so — every month, or in December for
    /// yearly posting. Products without interest return a zero posting.
    ///
    /// Rounding: interest half-up to the sen per period; tax half-up to the rupiah.
    ///
    /// # Errors
    /// [`Error::AccountClosed`], [`Error::DateOutOfOrder`], [`Error::Core`] on overflow.
    pub fn close_interest_period(&mut self, period_end: NaiveDate) -> Result<InterestPosting> {
        self.check("interest period end", period_end)?;
        let next = period_end
            .succ_opt()
            .ok_or_else(|| crate::money::overflow("date"))?;
        let (all, eligible) = self.days_until(next)?;
        let days = i128::from(days_between(self.period_start, next).max(1));
        let mut earned = 0_i128;
        let mut post = true;
        let mut tax_rule = None;
        if let Some(pol) = self
            .product
            .interest
            .filter(|_| self.product.kind != SavingsKind::TimeDeposit)
        {
            {
                let annual = annual_ratio(pol.rate)?;
                let min = pol.minimum_for_interest.to_sen();
                earned = match pol.method {
                    BalanceMethod::Daily => annual.mul(Ratio { num: 1, den: 365 })?.apply(
                        eligible,
                        1,
                        RoundingMode::HalfUp,
                    )?,
                    BalanceMethod::AverageDaily => {
                        if all >= min.saturating_mul(days) {
                            annual.mul(Ratio { num: 1, den: 365 })?.apply(
                                all,
                                1,
                                RoundingMode::HalfUp,
                            )?
                        } else {
                            0
                        }
                    }
                    BalanceMethod::LowestMonthly => {
                        let low = self.lowest_until(next).unwrap_or(self.balance);
                        if low >= min {
                            annual.mul(Ratio { num: 1, den: 12 })?.apply(
                                low,
                                1,
                                RoundingMode::HalfUp,
                            )?
                        } else {
                            0
                        }
                    }
                };
                post = pol.posting == Posting::Monthly || period_end.month() == 12;
                tax_rule = Some(pol.tax);
            }
        }
        let accrued = add(self.accrued, earned)?;
        let (gross, tax) = if post {
            let tax = match tax_rule {
                Some(t) if accrued > t.threshold.to_sen() => check_percent(
                    "withholding tax",
                    t.percent,
                )?
                .apply(accrued, 100, RoundingMode::HalfUp)?,
                _ => 0,
            };
            (accrued, tax.min(accrued))
        } else {
            (0, 0)
        };
        let net = sub(gross, tax)?;
        let new_balance = add(self.balance, net)?;
        let start = self.period_start;
        // commit
        self.last_date = next;
        self.balance = new_balance;
        self.period_start = next;
        self.balance_days = 0;
        self.eligible_days = 0;
        self.lowest = None;
        self.accrued = if post { 0 } else { accrued };
        Ok(InterestPosting {
            account: self.id,
            period_start: start,
            period_end,
            earned: rp(earned)?,
            posted: post,
            gross: rp(gross)?,
            tax_withheld: rp(tax)?,
            net: rp(net)?,
        })
    }

    /// Pays out a term deposit on `date` and closes it. At or after maturity: principal plus
    /// simple interest for the term (`rate × months ÷ 12`); before maturity: the product's
    /// early-withdrawal rule (interest forfeited or pro rata by days at actual/365, and the
    /// penalty). Interest half-up to the sen; tax as the product's withholding rule.
    ///
    /// # Errors
    /// [`Error::WrongSavingsKind`], [`Error::AccountClosed`], [`Error::DateOutOfOrder`],
    /// [`Error::Core`] on overflow.
    pub fn withdraw_time_deposit(&mut self, date: NaiveDate) -> Result<TimeDepositPayout> {
        if self.product.kind != SavingsKind::TimeDeposit {
            return Err(Error::WrongSavingsKind {
                operation: "withdraw_time_deposit",
                kind: self.product.kind,
            });
        }
        self.check("time deposit withdrawal", date)?;
        let maturity = self.maturity.unwrap_or(self.opened);
        let early = date < maturity;
        let principal = self.balance;
        let pol = self.product.interest;
        let annual = match pol {
            Some(p) => annual_ratio(p.rate)?,
            None => Ratio { num: 0, den: 1 },
        };
        let ew = self.product.early_withdrawal;
        let interest = if early {
            if ew.is_some_and(|e| e.forfeit_interest) {
                0
            } else {
                let days = i128::from(days_between(self.opened, date).max(0));
                annual
                    .mul(Ratio {
                        num: days,
                        den: 365,
                    })?
                    .apply(principal, 1, RoundingMode::HalfUp)?
            }
        } else {
            annual
                .mul(Ratio {
                    num: i128::from(self.product.term_months),
                    den: 12,
                })?
                .apply(principal, 1, RoundingMode::HalfUp)?
        };
        let tax = match pol {
            Some(p) if interest > p.tax.threshold.to_sen() => check_percent(
                "withholding tax",
                p.tax.percent,
            )?
            .apply(interest, 100, RoundingMode::HalfUp)?,
            _ => 0,
        }
        .min(interest);
        let penalty =
            if early {
                match ew.map(|e| e.penalty) {
                    Some(Charge::Fixed(a)) => a.to_sen(),
                    Some(Charge::Percent(p)) => check_percent("early-withdrawal penalty", p)?
                        .apply(principal, 100, RoundingMode::HalfUp)?,
                    None => 0,
                }
            } else {
                0
            };
        let gross = sub(add(principal, interest)?, tax)?;
        let penalty = penalty.min(gross).max(0);
        let net = sub(gross, penalty)?;
        let out = TimeDepositPayout {
            date,
            early,
            principal: rp(principal)?,
            interest: rp(interest)?,
            tax_withheld: rp(tax)?,
            penalty: rp(penalty)?,
            net: rp(net)?,
        };
        self.roll_to(date)?;
        self.balance = 0;
        self.closed = true;
        Ok(out)
    }

    /// Closes the account of a member who exits, paying out the whole balance (pokok and
    /// wajib included). For a term deposit use
    /// [`withdraw_time_deposit`](SavingsAccount::withdraw_time_deposit).
    ///
    /// # Errors
    /// [`Error::AccountClosed`], [`Error::DateOutOfOrder`], [`Error::WrongSavingsKind`].
    pub fn close_on_exit(&mut self, date: NaiveDate) -> Result<SavingsTransaction> {
        if self.product.kind == SavingsKind::TimeDeposit {
            return Err(Error::WrongSavingsKind {
                operation: "close_on_exit",
                kind: SavingsKind::TimeDeposit,
            });
        }
        self.check("exit", date)?;
        let amount = rp(self.balance)?;
        self.roll_to(date)?;
        self.balance = 0;
        self.closed = true;
        Ok(SavingsTransaction {
            amount: amount.negated(),
            ..self.tx(date, amount)?
        })
    }
}

/// An obligation of a leaving member, set off against the savings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Obligation {
    /// The payoff amount of a loan ([`Loan::payoff_amount`](crate::Loan::payoff_amount)).
    Loan(koperasi_core::LoanId, Rupiah),
    /// Unpaid simpanan wajib, if the AD requires it.
    MandatoryArrears(Rupiah),
    /// Anything else the cooperative is owed.
    Other(Rupiah),
}

impl Obligation {
    fn amount(&self) -> Rupiah {
        match self {
            Obligation::Loan(_, a) | Obligation::MandatoryArrears(a) | Obligation::Other(a) => *a,
        }
    }
}

/// The settlement of a member's exit (keluar / diberhentikan / meninggal): all savings
/// refunded minus outstanding obligations, or the shortfall the member must pay.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "pengembalian simpanan")]
pub struct ExitSettlement {
    /// Savings by kind (pokok, wajib, sukarela, berjangka).
    pub savings: Vec<(SavingsKind, Rupiah)>,
    /// Σ savings.
    pub savings_total: Rupiah,
    /// Σ obligations.
    pub obligations_total: Rupiah,
    /// Amount set off (kompensasi): min(savings, obligations).
    pub set_off: Rupiah,
    /// Cash refunded to the member.
    pub refund: Rupiah,
    /// What the member still has to pay.
    pub shortfall: Rupiah,
}

/// Computes an exit settlement from the member's accounts and obligations (pure: close the
/// accounts with [`SavingsAccount::close_on_exit`] when paying out).
///
/// ```
/// use koperasi_core::{chrono::NaiveDate, LoanId, Rupiah, SavingsAccountId};
/// use koperasi_savings_loans::{exit_settlement, Obligation, SavingsAccount, SavingsProduct};
///
/// let d = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
/// let r = Rupiah::from_rupiah;
/// let mut pokok = SavingsAccount::open(SavingsAccountId::from_u128(1), SavingsProduct::principal(r(100_000)), d)?;
/// pokok.deposit(d, r(100_000))?;
/// let s = exit_settlement(&[&pokok], &[Obligation::Loan(LoanId::from_u128(9), r(30_000))])?;
/// assert_eq!(s.refund, r(70_000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Core`] on overflow.
pub fn exit_settlement(
    accounts: &[&SavingsAccount],
    obligations: &[Obligation],
) -> Result<ExitSettlement> {
    let kinds = [
        SavingsKind::Principal,
        SavingsKind::Mandatory,
        SavingsKind::Voluntary,
        SavingsKind::TimeDeposit,
    ];
    let mut savings = Vec::with_capacity(4);
    let mut total = 0_i128;
    for k in kinds {
        let mut t = 0_i128;
        for a in accounts.iter().filter(|a| a.kind() == k && !a.is_closed()) {
            t = add(t, a.balance)?;
        }
        total = add(total, t)?;
        savings.push((k, rp(t)?));
    }
    let mut owed = 0_i128;
    for o in obligations {
        owed = add(owed, o.amount().to_sen().max(0))?;
    }
    let set_off = total.min(owed);
    Ok(ExitSettlement {
        savings,
        savings_total: rp(total)?,
        obligations_total: rp(owed)?,
        set_off: rp(set_off)?,
        refund: rp(sub(total, set_off)?)?,
        shortfall: rp(sub(owed, set_off)?)?,
    })
}

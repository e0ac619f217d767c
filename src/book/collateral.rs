//! Collateral (agunan) on loans, the pengurus' assessment of a loan, and the rule that only a
//! Macet loan (or one with a documented override) is written off.
//!
//! Collateral is pledged on the application or later (a re-appraisal adds an item); its
//! value is what the 4-class scheme of `koperasi-savings-loans` weighs beyond Kurang Lancar
//! (Diragukan when the collateral covers 75% of the debt, Macet otherwise) and what the PPAP
//! may net (when the reserve rates are configured net of collateral).

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, LoanId, Rupiah};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::{CollateralInfo, Collectibility};

use crate::error::{Error, Result};

use super::{Applied, Koperasi, add, pos};

/// What a collateral is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CollateralKind {
    /// Land or a building with its certificate (SHM, SHGB).
    #[doc(alias = "sertifikat tanah")]
    Land,
    /// A vehicle with its BPKB.
    #[doc(alias = "BPKB")]
    Vehicle,
    /// Savings or a time deposit held by the cooperative.
    #[doc(alias = "simpanan")]
    Deposit,
    /// Gold.
    #[doc(alias = "emas")]
    Gold,
    /// Anything else (inventory, receivables, equipment).
    Other,
}

/// One collateral item of a loan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "agunan")]
pub struct Collateral {
    /// What it is.
    pub kind: CollateralKind,
    /// Appraised value (nilai taksasi).
    pub value: Rupiah,
    /// Date of the appraisal.
    pub appraised_on: NaiveDate,
    /// The documents held (e.g. `SHM No. 1234/Mangunharjo`, `BPKB H-1234-AB`); at least one.
    pub documents: Vec<String>,
}

impl Collateral {
    /// A collateral item.
    pub fn new(
        kind: CollateralKind,
        value: Rupiah,
        appraised_on: NaiveDate,
        documents: Vec<String>,
    ) -> Collateral {
        Collateral {
            kind,
            value,
            appraised_on,
            documents,
        }
    }
}

/// The pengurus' assessment of a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Assessment {
    pub(super) not_salvageable: bool,
    pub(super) legal_or_insurance: bool,
}

impl Koperasi {
    pub(super) fn pledge_collateral(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        loan: LoanId,
        c: &Collateral,
    ) -> Result<Applied> {
        let op = "pledge_collateral";
        self.permit(a, op, Permission::PostEntry, Subject::Loan(loan))?;
        let open = self.applications.contains_key(&loan)
            || self
                .loans
                .get(&loan)
                .is_some_and(|l| l.loan.status() == koperasi_savings_loans::LoanStatus::Active);
        if !open {
            return Err(if self.loans.contains_key(&loan) {
                Error::LoanState {
                    op,
                    loan,
                    state: "not active",
                }
            } else {
                Error::UnknownLoan { op, loan }
            });
        }
        pos(op, "collateral value", c.value)?;
        if c.appraised_on > d {
            return Err(Error::InvalidTerms {
                op,
                what: format!("appraisal date {} is after {d}", c.appraised_on),
            });
        }
        if c.documents.iter().all(|x| x.trim().is_empty()) {
            return Err(Error::InvalidTerms {
                op,
                what: "collateral needs at least one document".into(),
            });
        }
        let items = self
            .registers
            .collateral
            .get(&loan)
            .map_or(&[][..], Vec::as_slice);
        // The loan's collateral total must stay within range.
        items.iter().try_fold(c.value, |t, x| add(t, x.value))?;
        self.registers
            .collateral
            .entry(loan)
            .or_default()
            .push(c.clone());
        Ok(Applied::default())
    }

    pub(super) fn assess_loan(
        &mut self,
        a: ActorId,
        loan: LoanId,
        salvageable: bool,
        legal_or_insurance: bool,
    ) -> Result<Applied> {
        let op = "assess_loan";
        self.permit(a, op, Permission::ApproveLoan, Subject::Loan(loan))?;
        self.active_loan(op, loan)?;
        self.registers.assessment.insert(
            loan,
            Assessment {
                not_salvageable: !salvageable,
                legal_or_insurance,
            },
        );
        Ok(Applied::default())
    }

    pub(super) fn write_off_override(
        &mut self,
        a: ActorId,
        loan: LoanId,
        reason: &str,
    ) -> Result<Applied> {
        let op = "write_off_override";
        self.permit(a, op, Permission::ApproveLoan, Subject::Loan(loan))?;
        self.active_loan(op, loan)?;
        if reason.trim().is_empty() {
            return Err(Error::InvalidTerms {
                op,
                what: "a write-off override needs a documented reason".into(),
            });
        }
        self.registers.overrides.insert(loan, reason.to_owned());
        Ok(Applied::default())
    }

    /// A write-off needs the loan to be Macet at the last month-end, or a documented
    /// override.
    pub(super) fn check_write_off(&self, op: &'static str, loan: LoanId) -> Result<()> {
        let l = self.loan_for(op, loan)?;
        if l.class == Collectibility::Loss || self.registers.overrides.contains_key(&loan) {
            Ok(())
        } else {
            Err(Error::NotMacet {
                op,
                loan,
                class: l.class,
            })
        }
    }

    /// The collateral facts of a loan for its classification.
    pub(super) fn collateral_info(&self, loan: LoanId) -> Result<CollateralInfo> {
        let value = Rupiah::try_sum(
            self.registers
                .collateral
                .get(&loan)
                .into_iter()
                .flatten()
                .map(|c| c.value),
        )?;
        let s = self
            .registers
            .assessment
            .get(&loan)
            .copied()
            .unwrap_or_default();
        Ok(CollateralInfo {
            value,
            not_salvageable: s.not_salvageable,
            legal_or_insurance: s.legal_or_insurance,
        })
    }

    /// The collateral pledged for a loan (application or disbursed).
    #[doc(alias = "agunan")]
    pub fn collateral(&self, loan: LoanId) -> &[Collateral] {
        self.registers
            .collateral
            .get(&loan)
            .map_or(&[][..], Vec::as_slice)
    }

    /// A documented write-off override of a loan, if any.
    pub fn write_off_override_of(&self, loan: LoanId) -> Option<&str> {
        self.registers.overrides.get(&loan).map(String::as_str)
    }
}

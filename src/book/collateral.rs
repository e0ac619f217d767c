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

use super::corrections::Restore;
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
        let before = self.registers.collateral.get(&loan).cloned();
        self.undo.changed(Restore::Collateral(loan, before));
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
        let before = self.registers.assessment.get(&loan).copied();
        self.undo.changed(Restore::Assessment(loan, before));
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
        let before = self.registers.overrides.get(&loan).cloned();
        self.undo.changed(Restore::Override(loan, before));
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
    pub(crate) fn collateral_info(&self, loan: LoanId) -> Result<CollateralInfo> {
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use koperasi_core::LoanId;
    use koperasi_savings_loans::Collectibility;

    use super::super::fixture::*;
    use super::{Collateral, CollateralKind};
    use crate::Error;
    use crate::event::Operation;
    use crate::posting::PostingRole as R;

    fn bpkb(value: i64) -> Operation {
        Operation::PledgeCollateral {
            loan: LOAN,
            collateral: Collateral::new(
                CollateralKind::Vehicle,
                rp(value),
                d(2026, 1, 4),
                vec!["BPKB N-1234-AB".into()],
            ),
        }
    }

    /// Member 0's loan with `collateral` pledged on its application.
    fn with_collateral(value: i64) -> crate::Koperasi {
        let mut b = book(1, false);
        let on = d(2026, 1, 5);
        ok(
            &mut b,
            on,
            KASIR,
            Operation::ApplyLoan {
                loan: LOAN,
                member: member(0),
                terms: terms(on),
            },
        );
        ok(&mut b, on, KASIR, bpkb(value));
        approve(&mut b, LOAN, on);
        ok(
            &mut b,
            on,
            BENDAHARA,
            Operation::DisburseLoan {
                loan: LOAN,
                via: crate::Via::Bank,
            },
        );
        b
    }

    #[test]
    fn collateral_makes_diragukan_reachable_and_the_time_in_class_rule_fires() {
        // Was missing: loans carried no collateral, so Diragukan was unreachable.
        let mut b = with_collateral(3_000_000);
        assert_eq!(b.collateral(LOAN).len(), 1);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        assert!(b.loan_accruals().contains_key(&LOAN));
        // Nothing paid for 7 months: beyond Kurang Lancar; the collateral covers 75% of the
        // debt, so Diragukan — reserve 50%, no interest accrued.
        ok(&mut b, d(2026, 8, 31), BENDAHARA, Operation::MonthEnd);
        assert_eq!(b.loans()[&LOAN].class, Collectibility::Doubtful);
        assert_eq!(bal(&b, R::LoanLossReserve), rp(1_500_000));
        assert!(b.loan_accruals().is_empty());
        assert_eq!(
            bal(&b, R::InterestReceivable),
            b.loans()[&LOAN]
                .loan
                .installments()
                .iter()
                .map(|i| i.outstanding().unwrap().penalty)
                .fold(rp(0), |t, x| t.checked_add(x).unwrap())
        );
        // Not yet Macet: no write-off.
        let e = fails(
            &mut b,
            d(2026, 9, 1),
            MANAJER,
            Operation::WriteOffLoan { loan: LOAN },
        );
        assert!(
            matches!(
                e,
                Error::NotMacet {
                    class: Collectibility::Doubtful,
                    ..
                }
            ),
            "{e}"
        );
        // Twelve months in Diragukan without a repayment: Macet.
        ok(&mut b, d(2027, 7, 31), BENDAHARA, Operation::MonthEnd);
        assert_eq!(b.loans()[&LOAN].class, Collectibility::Doubtful);
        ok(&mut b, d(2027, 8, 31), BENDAHARA, Operation::MonthEnd);
        assert_eq!(b.loans()[&LOAN].class, Collectibility::Loss);
        write_off(&mut b, LOAN, d(2027, 9, 1));
        reconciled(&b);
    }

    #[test]
    fn too_little_collateral_is_macet() {
        let mut b = with_collateral(1_000_000);
        ok(&mut b, d(2026, 8, 31), BENDAHARA, Operation::MonthEnd);
        assert_eq!(b.loans()[&LOAN].class, Collectibility::Loss);
    }

    #[test]
    fn legal_action_is_macet() {
        let mut b = with_collateral(3_000_000);
        ok(
            &mut b,
            d(2026, 3, 1),
            MANAJER,
            Operation::AssessLoan {
                loan: LOAN,
                salvageable: false,
                legal_or_insurance: true,
            },
        );
        ok(&mut b, d(2026, 3, 31), BENDAHARA, Operation::MonthEnd);
        assert_eq!(b.loans()[&LOAN].class, Collectibility::Loss);
    }

    #[test]
    fn write_off_of_a_performing_loan_needs_a_documented_override() {
        let mut b = book(1, true);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let e = fails(
            &mut b,
            d(2026, 2, 1),
            MANAJER,
            Operation::WriteOffLoan { loan: LOAN },
        );
        assert!(
            matches!(
                e,
                Error::NotMacet {
                    class: Collectibility::Current,
                    ..
                }
            ),
            "{e}"
        );
        let e = fails(
            &mut b,
            d(2026, 2, 1),
            MANAJER,
            Operation::WriteOffOverride {
                loan: LOAN,
                reason: " ".into(),
            },
        );
        assert!(matches!(e, Error::InvalidTerms { .. }), "{e}");
        ok(
            &mut b,
            d(2026, 2, 1),
            MANAJER,
            Operation::WriteOffOverride {
                loan: LOAN,
                reason:
                    "Peminjam meninggal dunia, tanpa ahli waris (keputusan rapat pengurus 1/2026)"
                        .into(),
            },
        );
        assert!(b.write_off_override_of(LOAN).is_some());
        write_off(&mut b, LOAN, d(2026, 2, 1));
        ok(&mut b, d(2026, 2, 28), BENDAHARA, Operation::MonthEnd);
        reconciled(&b);
    }

    #[test]
    fn pledges_are_checked() {
        let mut b = book(1, true);
        let pledge = |loan, value, on, docs: Vec<String>| Operation::PledgeCollateral {
            loan,
            collateral: Collateral::new(CollateralKind::Land, rp(value), on, docs),
        };
        let shm = || vec!["SHM 12/Mangunharjo".to_owned()];
        let e = fails(
            &mut b,
            d(2026, 1, 6),
            KASIR,
            pledge(LOAN, 5_000_000, d(2026, 1, 6), vec![]),
        );
        assert!(matches!(e, Error::InvalidTerms { .. }), "{e}");
        let e = fails(
            &mut b,
            d(2026, 1, 6),
            KASIR,
            pledge(LOAN, 0, d(2026, 1, 6), shm()),
        );
        assert!(matches!(e, Error::NonPositive { .. }), "{e}");
        let e = fails(
            &mut b,
            d(2026, 1, 6),
            KASIR,
            pledge(LOAN, 5_000_000, d(2026, 1, 7), shm()),
        );
        assert!(matches!(e, Error::InvalidTerms { .. }), "{e}");
        let other = LoanId::from_u128(9);
        let e = fails(
            &mut b,
            d(2026, 1, 6),
            KASIR,
            pledge(other, 5_000_000, d(2026, 1, 6), shm()),
        );
        assert!(matches!(e, Error::UnknownLoan { .. }), "{e}");
        ok(
            &mut b,
            d(2026, 1, 6),
            KASIR,
            pledge(LOAN, 5_000_000, d(2026, 1, 6), shm()),
        );
        assert_eq!(b.collateral(LOAN)[0].value, rp(5_000_000));
    }
}

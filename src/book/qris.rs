//! QRIS: dynamic-QR sales and the provider's settlement.

use std::collections::BTreeSet;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, Rupiah};
use koperasi_ledger::{BusinessUnit, Dimensions, Side};
use koperasi_membership::{Permission, Subject};

use crate::error::{Error, Result};
use crate::event::{Buyer, Item};
use crate::posting::PostingRole as R;

use super::{Applied, Koperasi, add, pos, sub};

impl Koperasi {
    pub(super) fn qris_sale(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        unit: BusinessUnit,
        item: &Item,
        buyer: Buyer,
        payload: &str,
    ) -> Result<Applied> {
        let op = "qris_sale";
        let q = koperasi_qris::Qris::parse(payload).map_err(|source| Error::Qris { op, source })?;
        if !q.is_dynamic() {
            return Err(Error::QrisIncomplete {
                op,
                what: "dynamic point of initiation (12)",
            });
        }
        let amount = q.amount_decimal().ok_or(Error::QrisIncomplete {
            op,
            what: "amount (54)",
        })?;
        let price = Rupiah::new(amount)?;
        let reference = q
            .bill_number()
            .or_else(|| q.reference_label())
            .filter(|r| !r.is_empty())
            .ok_or(Error::QrisIncomplete {
                op,
                what: "bill number or reference label (62)",
            })?
            .to_owned();
        if self.qris_seen.contains(&reference) {
            return Err(Error::Duplicate {
                op,
                what: "QRIS reference",
                id: reference,
            });
        }
        self.sale(
            d,
            a,
            unit,
            item,
            price,
            buyer,
            R::QrisReceivable,
            Some(reference),
        )
    }

    pub(super) fn settle_qris(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        references: &[String],
        fee: Rupiah,
    ) -> Result<Applied> {
        let op = "settle_qris";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        if fee.is_negative() {
            return Err(Error::NonPositive {
                op,
                what: "fee (may be zero)",
                amount: fee,
            });
        }
        let mut seen = BTreeSet::new();
        let mut gross = Rupiah::ZERO;
        for r in references {
            let p = self.qris_pending.get(r).filter(|_| seen.insert(r.as_str()));
            let p = p.ok_or_else(|| Error::UnknownQrisReference {
                op,
                reference: r.clone(),
            })?;
            gross = add(gross, p.amount)?;
        }
        pos(op, "settled amount", gross)?;
        if fee >= gross {
            return Err(Error::Overpayment {
                op,
                amount: fee,
                owed: gross,
            });
        }
        let source = format!(
            "qris-settlement:{}",
            references.first().map_or("", String::as_str)
        );
        let applied = self.post_entry(
            op,
            d,
            a,
            "Settlement QRIS",
            source,
            vec![
                self.line(
                    R::Bank,
                    Side::Debit,
                    sub(gross, fee)?,
                    Dimensions::default(),
                )?,
                self.line(R::QrisFeeExpense, Side::Debit, fee, Dimensions::default())?,
                self.line(
                    R::QrisReceivable,
                    Side::Credit,
                    gross,
                    Dimensions::default(),
                )?,
            ],
        )?;
        for r in references {
            self.qris_pending.remove(r);
        }
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use crate::book::testkit::{BENDAHARA, book, d, rp};
    use crate::error::Error;
    use crate::event::Operation;

    #[test]
    fn settling_an_unknown_reference_or_a_negative_fee_is_refused() {
        let mut b = book(0);
        let err = b
            .run(
                d(1, 5),
                BENDAHARA,
                Operation::SettleQris {
                    references: vec!["NOPE".into()],
                    fee: rp(0),
                },
            )
            .unwrap_err();
        assert!(
            matches!(err, Error::UnknownQrisReference { ref reference, .. } if reference == "NOPE"),
            "{err:?}"
        );
        let err = b
            .run(
                d(1, 5),
                BENDAHARA,
                Operation::SettleQris {
                    references: Vec::new(),
                    fee: rp(-1),
                },
            )
            .unwrap_err();
        assert!(matches!(err, Error::NonPositive { .. }), "{err:?}");
    }
}

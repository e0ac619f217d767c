//! Trade and stock: purchases, payments to suppliers, sales at moving-average cost.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, Decimal, Rupiah};
use koperasi_ledger::{BusinessUnit, Counterparty, Dimensions, Side};
use koperasi_membership::{Permission, Subject};

use crate::error::{Error, Result};
use crate::event::{Buyer, Item, PurchasePayment, Via};
use crate::posting::PostingRole as R;

use super::corrections::Restore;
use super::{Applied, Koperasi, Leg, Pair, PendingQris, Stock, WHOLE, add, pos, sub, via_role};

impl Koperasi {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn purchase(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        unit: BusinessUnit,
        sku: &str,
        quantity: u64,
        cost: Rupiah,
        payment: PurchasePayment,
    ) -> Result<Applied> {
        let op = "purchase";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "cost", cost)?;
        if quantity == 0 || sku.trim().is_empty() {
            return Err(Error::InsufficientStock {
                op,
                sku: sku.to_owned(),
                available: 0,
                requested: quantity,
            });
        }
        let key = (unit, sku.to_owned());
        let old = self.stock.get(&key).copied().unwrap_or(Stock {
            quantity: 0,
            value: Rupiah::ZERO,
        });
        let new = Stock {
            quantity: old.quantity.checked_add(quantity).ok_or(Error::Internal {
                op,
                what: "quantity overflow".into(),
            })?,
            value: add(old.value, cost)?,
        };
        let credit = match payment {
            PurchasePayment::OnCredit => R::TradePayable,
            PurchasePayment::Paid(v) => via_role(v),
        };
        let ud = Dimensions {
            unit: Some(unit),
            ..Dimensions::default()
        };
        let pair = Pair {
            memo: &format!("Pembelian {sku}"),
            source: format!("stock:{:02}/{sku}", unit.number()),
            amount: cost,
            debit: Leg::Role(R::Inventory, ud),
            credit: Leg::Role(credit, ud),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        let old = self.stock.insert(key.clone(), new);
        self.undo.changed(Restore::Stock(key, old));
        Ok(applied)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn sale(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        unit: BusinessUnit,
        item: &Item,
        price: Rupiah,
        buyer: Buyer,
        debit: R,
        qris: Option<String>,
    ) -> Result<Applied> {
        let op = if qris.is_some() { "qris_sale" } else { "sale" };
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "price", price)?;
        let (revenue, dims) = match buyer {
            Buyer::Member(m) => {
                self.active_member(op, m)?;
                (
                    R::MemberRevenue(unit),
                    Dimensions {
                        unit: Some(unit),
                        counterparty: Some(Counterparty::Member),
                        member: Some(m),
                    },
                )
            }
            Buyer::NonMember => (
                R::NonMemberRevenue(unit),
                Dimensions {
                    unit: Some(unit),
                    counterparty: Some(Counterparty::NonMember),
                    member: None,
                },
            ),
        };
        let mut stock_update = None;
        let mut cost = Rupiah::ZERO;
        if let Item::Goods { sku, quantity } = item {
            let key = (unit, sku.clone());
            let s = self.stock.get(&key).copied().unwrap_or(Stock {
                quantity: 0,
                value: Rupiah::ZERO,
            });
            if *quantity == 0 || *quantity > s.quantity {
                return Err(Error::InsufficientStock {
                    op,
                    sku: sku.clone(),
                    available: s.quantity,
                    requested: *quantity,
                });
            }
            cost = if *quantity == s.quantity {
                s.value
            } else {
                s.value
                    .mul_div(Decimal::from(*quantity), Decimal::from(s.quantity), WHOLE)?
            };
            let left = Stock {
                quantity: s.quantity.saturating_sub(*quantity),
                value: sub(s.value, cost)?,
            };
            stock_update = Some((key, left));
        }
        let (memo, source) = match &qris {
            Some(r) => ("Penjualan QRIS".to_owned(), format!("qris:{r}")),
            None => (
                format!("Penjualan unit {:02}", unit.number()),
                format!("sale:{:02}", unit.number()),
            ),
        };
        let ud = Dimensions {
            unit: Some(unit),
            ..Dimensions::default()
        };
        let lines = vec![
            self.line(debit, Side::Debit, price, ud)?,
            self.line(revenue, Side::Credit, price, dims)?,
            self.line(R::CostOfSales(unit), Side::Debit, cost, dims)?,
            self.line(R::Inventory, Side::Credit, cost, ud)?,
        ];
        let year = self.year_of(d)?;
        let patronage = match buyer {
            Buyer::Member(m) => Some((
                m,
                self.patronage_after(year, m, |t| {
                    t.purchases.checked_add(price).map(|v| t.purchases = v)
                })?,
            )),
            Buyer::NonMember => None,
        };
        let applied = self.post_entry(op, d, a, &memo, source, lines)?;
        if let Some((k, s)) = stock_update {
            let old = self.stock.insert(k.clone(), s);
            self.undo.changed(Restore::Stock(k, old));
        }
        if let Some(r) = qris {
            self.qris_seen.insert(r.clone());
            self.qris_pending.insert(
                r,
                PendingQris {
                    date: d,
                    amount: price,
                },
            );
        }
        if let Some((m, t)) = patronage {
            self.set_patronage(year, m, t);
        }
        Ok(applied)
    }

    pub(super) fn pay_supplier(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "pay_supplier";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        let owed = self.role_balance(R::TradePayable)?;
        if amount > owed {
            return Err(Error::Overpayment { op, amount, owed });
        }
        let pair = Pair {
            memo: "Pembayaran utang usaha",
            source: "supplier".into(),
            amount,
            debit: Leg::role(R::TradePayable),
            credit: Leg::via(via),
        };
        self.post_pair(op, d, a, pair)
    }
}

#[cfg(test)]
mod tests {
    use koperasi_ledger::BusinessUnit;

    use crate::book::testkit::{BENDAHARA, KASIR, book, d, rp};
    use crate::error::Error;
    use crate::event::{Buyer, Item, Operation, PurchasePayment, Via};

    fn purchase(quantity: u64, cost: i64) -> Operation {
        Operation::Purchase {
            unit: BusinessUnit::Sembako,
            sku: "gula-1kg".into(),
            quantity,
            cost: rp(cost),
            payment: PurchasePayment::OnCredit,
        }
    }

    #[test]
    fn sales_are_costed_at_the_moving_average_and_suppliers_paid_at_most_what_is_owed() {
        let mut b = book(0);
        b.run(d(1, 10), BENDAHARA, purchase(10, 10_000)).unwrap();
        b.run(d(1, 10), BENDAHARA, purchase(10, 12_000)).unwrap();
        b.run(
            d(1, 11),
            KASIR,
            Operation::Sale {
                unit: BusinessUnit::Sembako,
                item: Item::Goods {
                    sku: "gula-1kg".into(),
                    quantity: 5,
                },
                price: rp(8_000),
                buyer: Buyer::NonMember,
                via: Via::Cash,
            },
        )
        .unwrap();
        let s = b.stock[&(BusinessUnit::Sembako, "gula-1kg".to_owned())];
        assert_eq!((s.quantity, s.value), (15, rp(16_500)));
        let err = b
            .run(
                d(1, 12),
                BENDAHARA,
                Operation::PaySupplier {
                    amount: rp(22_001),
                    via: Via::Bank,
                },
            )
            .unwrap_err();
        assert!(
            matches!(err, Error::Overpayment { owed, .. } if owed == rp(22_000)),
            "{err:?}"
        );
    }
}

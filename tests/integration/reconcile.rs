//! Bank reconciliation in the book: reconciled with `koperasi-reconcile`, approved by a
//! second person, recorded as an event, replayed.

use std::fmt::Write as _;

use koperasi::core::Rupiah;
use koperasi::core::chrono::NaiveDate;
use koperasi::ledger::BusinessUnit;
use koperasi::ledger::{Ledger, Side, kkmp};
use koperasi::reconcile::{Config, MdrSchedule, MerchantCategory, mt940, reconcile};
use koperasi::{BankAdjustment, BankReconciliation, Buyer, Item, Koperasi, Operation};

use crate::common::*;

fn mt(sen: i128) -> String {
    format!("{},{:02}", sen.abs() / 100, sen.abs() % 100)
}

/// The bank's statement of January: every bank line of the books a day later, the QRIS
/// settlement (net of MDR) the day after the sales, and the month's interest, tax and fee.
fn statement(l: &Ledger, settlement_net: i128) -> String {
    let mut lines: Vec<(NaiveDate, i128, String)> = Vec::new();
    for e in l.entries() {
        for line in e.lines() {
            if line.account.as_str() == kkmp::BANK {
                let s = line.amount.to_sen();
                let s = if line.side == Side::Debit { s } else { -s };
                lines.push((e.date().succ_opt().unwrap(), s, "MUTASI".to_owned()));
            }
        }
    }
    lines.push((d(1, 7), settlement_net, "QRIS SETTLEMENT".to_owned()));
    lines.push((d(1, 31), 345_678, "BUNGA JASA GIRO".to_owned()));
    lines.push((d(1, 31), -69_135, "PAJAK BUNGA".to_owned()));
    lines.push((d(1, 31), -1_250_000, "BIAYA ADM BULANAN".to_owned()));
    lines.sort_by_key(|x| x.0);
    let mut s = String::from(":20:JAN\n:25:0123456789\n:28C:1/1\n:60F:C260101IDR0,00\n");
    let mut bal = 0i128;
    for (day, sen, desc) in &lines {
        bal += sen;
        let date = day.format("%y%m%d").to_string();
        let mark = if *sen < 0 { 'D' } else { 'C' };
        let _ = writeln!(
            s,
            ":61:{date}{}{mark}{}NTRFNONREF\n:86:{desc}",
            &date[2..],
            mt(*sen)
        );
    }
    let _ = writeln!(s, ":62F:C260131IDR{}", mt(bal));
    s
}

fn sell(b: &mut Koperasi, amount: i64, reference: &str) {
    b.run(
        d(1, 6),
        KASIR,
        Operation::QrisSale {
            unit: BusinessUnit::Sembako,
            item: Item::Goods {
                sku: "beras-5kg".into(),
                quantity: 1,
            },
            buyer: Buyer::NonMember,
            payload: dynamic_qris(amount, reference),
        },
    )
    .unwrap();
}

#[test]
fn approved_reconciliation_is_an_event_and_posts_its_adjustments() {
    let mut b = book(2);
    sell(&mut b, 150_000, "INV-0001");
    sell(&mut b, 500_000, "INV-0002");
    sell(&mut b, 750_000, "INV-0003");
    // the MDR of the settlement by the configured rule (usaha mikro): 0,3% of Rp750.000 only
    let refs: Vec<String> = b.pending_qris().keys().cloned().collect();
    let mdr = b
        .qris_mdr(
            &refs,
            &MdrSchedule::bank_indonesia(),
            MerchantCategory::Micro,
        )
        .unwrap();
    assert_eq!(mdr, rp(2_250));
    let net = (rp(1_400_000).to_sen()) - mdr.to_sen();
    let text = statement(b.ledger(), net);
    let sts = mt940::parse("januari.sta", text.as_bytes()).unwrap();
    let r = reconcile(b.ledger(), kkmp::BANK, &sts, &Config::default()).unwrap();
    assert_eq!(r.proposed_entries.len(), 4, "{}", r.to_text());
    let rec = BankReconciliation::from_result(&r).unwrap();
    assert!(
        matches!(&rec.adjustments[0], BankAdjustment::QrisSettlement { references, .. } if references.len() == 3)
    );

    // the bendahara records it: a request, nothing posted yet
    let before = b.ledger().len();
    let made = b
        .run(
            d(1, 31),
            BENDAHARA,
            Operation::RecordBankReconciliation {
                reconciliation: rec.clone(),
            },
        )
        .unwrap();
    let request = made.request.expect("a two-person request");
    assert_eq!(b.ledger().len(), before);
    // the maker cannot approve it herself; the ketua does
    assert!(
        b.run(d(1, 31), BENDAHARA, Operation::Approve { request })
            .is_err()
    );
    let done = b
        .run(d(1, 31), KETUA, Operation::Approve { request })
        .unwrap();
    assert_eq!(done.entries.len(), 4);
    assert!(b.pending_qris().is_empty());

    // everything reconciles now
    let again = reconcile(b.ledger(), kkmp::BANK, &sts, &Config::default()).unwrap();
    assert!(again.is_reconciled(), "{}", again.to_text());
    assert_eq!(again.saldo_bank, again.saldo_books);

    // approving the same reconciliation again is refused and posts nothing
    let n = b.ledger().len();
    let again = b
        .run(
            d(1, 31),
            BENDAHARA,
            Operation::RecordBankReconciliation {
                reconciliation: rec,
            },
        )
        .unwrap();
    let fp = fingerprint(&b);
    let twice = b.run(
        d(1, 31),
        KETUA,
        Operation::Approve {
            request: again.request.unwrap(),
        },
    );
    assert!(
        matches!(twice, Err(koperasi::Error::Duplicate { .. })),
        "{twice:?}"
    );
    assert_eq!(b.ledger().len(), n);
    assert_eq!(fingerprint(&b), fp);

    // the log replays to the same book
    let replayed = Koperasi::replay(config(), b.events().iter().cloned()).unwrap();
    assert_eq!(replayed.ledger(), b.ledger());
    assert_ne!(
        replayed.ledger().balance(kkmp::BANK, d(1, 31)).unwrap(),
        Rupiah::ZERO
    );
}

//! A correction after a month-end (koreksi setelah tutup bulan): a motorbike booked on the wrong
//! day is depreciated by two month-ends before the mistake is found. A plain reversal is
//! refused (it would leave the depreciation behind); the bendahara asks for the correction,
//! the ketua approves it, and the books are as if the purchase had never been booked.
//! `cargo run --example correction`
use koperasi::core::{ActorId, CooperativeId, Rupiah, chrono::NaiveDate};
use koperasi::membership::Role;
use koperasi::{
    BookConfig, CapitalKind, Koperasi, Operation, PostingRole, PurchasePayment, ReversalTarget, Via,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).ok_or("bad date");
    let (ketua, bendahara) = (ActorId::from_u128(1), ActorId::from_u128(2));
    let config = BookConfig::kkmp(
        CooperativeId::from_u128(1),
        "KKMP Mangunharjo",
        "35.74.04.1002".parse()?,
        d(1, 1)?,
        vec![(ketua, Role::Chair), (bendahara, Role::Treasurer)],
    );
    let mut book = Koperasi::new(config)?;
    book.run(
        d(1, 2)?,
        bendahara,
        Operation::Capital {
            kind: CapitalKind::Grant,
            amount: Rupiah::from_rupiah(50_000_000),
            via: Via::Bank,
        },
    )?;
    book.run(
        d(1, 10)?,
        bendahara,
        Operation::AcquireFixedAsset {
            asset: "MTR-001".into(),
            account: "1-2-04".into(),
            cost: Rupiah::from_rupiah(24_000_000),
            useful_life_months: 96,
            residual: Rupiah::ZERO,
            payment: PurchasePayment::Paid(Via::Bank),
            memo: "Motor roda tiga (salah input)".into(),
        },
    )?;
    let purchase = book.events().len() - 1;
    for end in [d(1, 31)?, d(2, 28)?] {
        book.run(end, bendahara, Operation::MonthEnd)?;
    }
    let show = |book: &Koperasi, when: &str| -> Result<(), koperasi::Error> {
        println!(
            "{when}: bank {}, akumulasi penyusutan {}, beban penyusutan {}, aset di register {}",
            book.role_balance(PostingRole::Bank)?,
            book.role_balance(PostingRole::AccumulatedDepreciation)?,
            book.role_balance(PostingRole::DepreciationExpense)?,
            book.fixed_assets().len()
        );
        Ok(())
    };
    show(&book, "Setelah dua kali tutup bulan")?;

    // A plain reversal would leave two months of depreciation behind: refused.
    let on = d(3, 2)?;
    let reverse = book.run(
        on,
        bendahara,
        Operation::Reverse {
            target: ReversalTarget::Event(purchase),
            reason: "salah input".into(),
        },
    )?;
    if let Some(request) = reverse.request {
        let refused = book.run(on, ketua, Operation::Approve { request });
        if let Err(e) = refused {
            println!("Pembalikan biasa ditolak: {e}");
        }
    }

    // The correction after a month-end: requested by the bendahara, approved by the ketua.
    let made = book.run(
        on,
        bendahara,
        Operation::CorrectAfterMonthEnd {
            event: purchase,
            reason: "aset dicatat pada koperasi yang salah".into(),
        },
    )?;
    let request = made.request.ok_or("a correction is a two-person request")?;
    let done = book.run(on, ketua, Operation::Approve { request })?;
    for id in &done.entries {
        if let Some(e) = book.ledger().entry(*id) {
            println!("  {}  {}  ({})", e.date(), e.memo(), e.source());
        }
    }
    show(&book, "Setelah koreksi")?;
    for c in book.reconcile()? {
        assert!(c.reconciles(), "{c:?}");
    }
    Ok(())
}

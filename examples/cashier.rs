//! The cashier: the cooperative's static QRIS sticker becomes a dynamic QRIS for one sale, the
//! customer pays, the sale is recorded from the payload (amount and reference), and the payment
//! provider settles to the bank less its fee. `cargo run --example cashier`
use koperasi::core::{ActorId, CooperativeId, Rupiah, chrono::NaiveDate};
use koperasi::ledger::BusinessUnit;
use koperasi::membership::Role;
use koperasi::qris::{Amount, MerchantCriteria, Qris, QrisBuilder};
use koperasi::{BookConfig, Buyer, Item, Koperasi, Operation, PostingRole, PurchasePayment};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("date")?;
    let (bendahara, kasir) = (ActorId::from_u128(1), ActorId::from_u128(2));
    let config = BookConfig::kkmp(
        CooperativeId::from_u128(1),
        "KKMP Mangunharjo",
        "35.74.04.1002".parse()?,
        NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?,
        vec![(bendahara, Role::Treasurer), (kasir, Role::Teller)],
    );
    let mut book = Koperasi::new(config)?;
    book.run(
        day,
        bendahara,
        Operation::Purchase {
            unit: BusinessUnit::Apotek,
            sku: "paracetamol-strip".into(),
            quantity: 50,
            cost: Rupiah::from_rupiah(150_000),
            payment: PurchasePayment::OnCredit,
        },
    )?;

    // 1. The static QRIS printed at the apotek counter.
    let sticker = QrisBuilder::new("KKMP MANGUNHARJO", "PROBOLINGGO", "5912")
        .merchant_account(
            26,
            "ID.CO.BANKMERAH.WWW",
            "936000021234567890",
            "KKMP0001",
            MerchantCriteria::Umi,
        )
        .national("ID1025123456789", MerchantCriteria::Umi)
        .terminal_label("APOTEK-01")
        .build()?;
    println!("QRIS statis : {sticker}");

    // 2. A customer buys 3 strips for Rp13.500: the cashier's screen shows a dynamic QRIS.
    let payload = Qris::parse(&sticker)?.to_dynamic_with_reference(
        &Amount::parse("13500")?,
        None,
        "APT-0001",
    )?;
    println!("QRIS dinamis: {payload}");

    // 3. Paid: the sale is recorded from the payload (amount 54, reference 62.05).
    book.run(
        day,
        kasir,
        Operation::QrisSale {
            unit: BusinessUnit::Apotek,
            item: Item::Goods {
                sku: "paracetamol-strip".into(),
                quantity: 3,
            },
            buyer: Buyer::NonMember,
            payload,
        },
    )?;
    println!(
        "Piutang QRIS: {}",
        book.role_balance(PostingRole::QrisReceivable)?
    );

    // 4. Next day the payment provider settles, less MDR 0,3% (Rp41 rounded).
    let next = day.succ_opt().ok_or("date")?;
    book.run(
        next,
        bendahara,
        Operation::SettleQris {
            references: vec!["APT-0001".into()],
            fee: Rupiah::from_rupiah(41),
        },
    )?;
    println!("Bank        : {}", book.role_balance(PostingRole::Bank)?);
    println!(
        "Piutang QRIS: {}",
        book.role_balance(PostingRole::QrisReceivable)?
    );
    for e in book.ledger().entries() {
        println!("  {} {:<22} {}", e.date(), e.source(), e.memo());
    }
    Ok(())
}

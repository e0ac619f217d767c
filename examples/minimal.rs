//! The smallest embedding: open a KKMP book, admit a member, take a deposit, check the books.
use koperasi::core::{ActorId, CooperativeId, MemberId, Rupiah, chrono::NaiveDate};
use koperasi::membership::Role;
use koperasi::savings_loans::SavingsKind;
use koperasi::{BookConfig, Koperasi, Operation, Via};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).ok_or("bad date");
    let (ketua, kasir, siti) = (
        ActorId::from_u128(1),
        ActorId::from_u128(2),
        MemberId::from_u128(7),
    );
    let config = BookConfig::kkmp(
        CooperativeId::from_u128(1),
        "KKMP Mangunharjo",
        "35.74.04.1002".parse()?,
        d(1, 1)?,
        vec![(ketua, Role::Chair), (kasir, Role::Teller)],
    );
    let mut book = Koperasi::new(config)?;
    book.run(
        d(1, 5)?,
        ketua,
        Operation::RegisterMember {
            member: siti,
            nik: "3574044506900001".into(),
            name: "Siti Rahayu".into(),
            birth_date: NaiveDate::from_ymd_opt(1990, 6, 5).ok_or("bad date")?,
            domicile: None,
            gender: None,
            associate: false,
        },
    )?;
    book.run(
        d(1, 6)?,
        kasir,
        Operation::PayPrincipalSavings {
            member: siti,
            via: Via::Cash,
        },
    )?;
    book.run(
        d(1, 6)?,
        kasir,
        Operation::Deposit {
            member: siti,
            kind: SavingsKind::Voluntary,
            amount: Rupiah::from_rupiah(250_000),
            via: Via::Cash,
        },
    )?;
    println!("Kas: {}", book.role_balance(koperasi::PostingRole::Cash)?);
    for c in book.reconcile()? {
        println!(
            "{:<26} GL {:>12}  subledger {:>12}  {}",
            c.name,
            c.general_ledger.to_string(),
            c.subledger.to_string(),
            if c.reconciles() { "cocok" } else { "SELISIH" }
        );
    }
    println!("Audit tree head: {} entries", book.audit_head().size);
    Ok(())
}

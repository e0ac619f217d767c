//! A small book for tests.
use koperasi::core::chrono::NaiveDate;
use koperasi::core::{ActorId, CooperativeId, LoanId, MemberId, Rate, Rupiah};
use koperasi::ledger::BusinessUnit;
use koperasi::membership::Role;
use koperasi::qris::{Amount, MerchantCriteria, Qris, QrisBuilder};
use koperasi::savings_loans::{LoanTerms, Method, SavingsKind};
use koperasi::{BookConfig, Koperasi, Operation, PurchasePayment, Via};

pub const KETUA: ActorId = ActorId::from_u128(1);
pub const BENDAHARA: ActorId = ActorId::from_u128(2);
pub const KASIR: ActorId = ActorId::from_u128(3);
pub const MANAJER: ActorId = ActorId::from_u128(4);
pub const SEKRETARIS: ActorId = ActorId::from_u128(5);
pub const PENGAWAS: ActorId = ActorId::from_u128(6);
pub const OUTSIDER: ActorId = ActorId::from_u128(99);

pub fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

pub fn rp(n: i64) -> Rupiah {
    Rupiah::from_rupiah(n)
}

pub fn member(i: u128) -> MemberId {
    MemberId::from_u128(100 + i)
}

pub fn config() -> BookConfig {
    BookConfig::kkmp(
        CooperativeId::from_u128(7),
        "KKMP Mangunharjo",
        "35.74.04.1002".parse().unwrap(),
        d(1, 1),
        vec![
            (KETUA, Role::Chair),
            (BENDAHARA, Role::Treasurer),
            (KASIR, Role::Teller),
            (MANAJER, Role::Manager),
            (SEKRETARIS, Role::Secretary),
            (PENGAWAS, Role::Supervisor),
        ],
    )
}

/// A valid NIK of Kota Probolinggo for member `i` (born 5 June 1990).
pub fn nik(i: u128) -> String {
    format!("357404050690{:04}", i + 1)
}

pub fn born() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 6, 5).unwrap()
}

/// A book on 10 January 2026 with a grant in the bank, `n` anggota with some sukarela, stock of
/// sembako, and one disbursed loan (member 0).
pub fn book(n: u128) -> Koperasi {
    let mut b = Koperasi::new(config()).unwrap();
    b.run(
        d(1, 2),
        BENDAHARA,
        Operation::Capital {
            kind: koperasi::CapitalKind::Grant,
            amount: rp(100_000_000),
            via: Via::Bank,
        },
    )
    .unwrap();
    for i in 0..n {
        b.run(
            d(1, 3),
            KETUA,
            Operation::RegisterMember {
                member: member(i),
                nik: nik(i),
                name: format!("Anggota {i}"),
                birth_date: born(),
                domicile: None,
                gender: None,
                associate: false,
            },
        )
        .unwrap();
        b.run(
            d(1, 3),
            KASIR,
            Operation::PayPrincipalSavings {
                member: member(i),
                via: Via::Cash,
            },
        )
        .unwrap();
        b.run(
            d(1, 3),
            KASIR,
            Operation::Deposit {
                member: member(i),
                kind: SavingsKind::Voluntary,
                amount: rp(500_000),
                via: Via::Cash,
            },
        )
        .unwrap();
    }
    b.run(
        d(1, 4),
        MANAJER,
        Operation::Purchase {
            unit: BusinessUnit::Sembako,
            sku: "beras-5kg".into(),
            quantity: 100,
            cost: rp(6_500_000),
            payment: PurchasePayment::Paid(Via::Bank),
        },
    )
    .unwrap();
    let terms = LoanTerms::new(
        rp(3_000_000),
        Rate::per_month(koperasi::core::Decimal::ONE).unwrap(),
        6,
        Method::Flat,
        d(1, 5),
    );
    b.run(
        d(1, 5),
        KASIR,
        Operation::ApplyLoan {
            loan: LoanId::from_u128(1),
            member: member(0),
            terms,
        },
    )
    .unwrap();
    b.run(
        d(1, 5),
        MANAJER,
        Operation::ApproveLoan {
            loan: LoanId::from_u128(1),
        },
    )
    .unwrap();
    b.run(
        d(1, 5),
        BENDAHARA,
        Operation::DisburseLoan {
            loan: LoanId::from_u128(1),
            via: Via::Bank,
        },
    )
    .unwrap();
    b
}

/// The static QRIS of the test cooperative.
pub fn static_qris() -> String {
    QrisBuilder::new("KKMP MANGUNHARJO", "PROBOLINGGO", "5411")
        .merchant_account(
            26,
            "ID.CO.BANKMERAH.WWW",
            "936000021234567890",
            "KKMP0001",
            MerchantCriteria::Umi,
        )
        .national("ID1025123456789", MerchantCriteria::Umi)
        .build()
        .unwrap()
}

/// A dynamic payload for `amount` with `reference`.
pub fn dynamic_qris(amount: i64, reference: &str) -> String {
    let s = static_qris();
    Qris::parse(&s)
        .unwrap()
        .to_dynamic_with_reference(
            &Amount::parse(&amount.to_string()).unwrap(),
            None,
            reference,
        )
        .unwrap()
}

/// Everything observable about a book, for "nothing changed" checks.
pub fn fingerprint(b: &Koperasi) -> String {
    format!("{b:?}")
}

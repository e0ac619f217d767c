//! Month-end of a cooperative with 300 members, 2,000 loans and 50 fixed assets: sukarela
//! interest, penalties, collectibility with collateral, loan and time-deposit accruals, PPAP,
//! depreciation, prepaid amortisation and the Himbara loan's interest accrual in one atomic
//! posting. One loan in seven is in
//! arrears (penalties, Kurang Lancar to Macet by June), the rest pay on time. The book is built once (a
//! SIMULASI book: invented members and loans); each iteration runs the June month-end on a
//! clone (the clone and its drop are not timed). Run short on a shared machine:
//! `cargo bench --bench month_end -- --warm-up-time 1 --measurement-time 3`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use koperasi::core::chrono::NaiveDate;
use koperasi::core::{ActorId, CooperativeId, Decimal, LoanId, MemberId, Rate, Rupiah};
use koperasi::membership::Role;
use koperasi::savings_loans::{LoanTerms, Method, SavingsKind};
use koperasi::{
    BookConfig, CapitalKind, Collateral, CollateralKind, Koperasi, Operation, PurchasePayment, Via,
};

const KETUA: ActorId = ActorId::from_u128(1);
const BENDAHARA: ActorId = ActorId::from_u128(2);
const KASIR: ActorId = ActorId::from_u128(3);
const MANAJER: ActorId = ActorId::from_u128(4);

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn rp(n: i64) -> Rupiah {
    Rupiah::from_rupiah(n)
}

fn run(b: &mut Koperasi, date: NaiveDate, actor: ActorId, op: Operation) {
    b.run(date, actor, op).unwrap();
}

/// 300 anggota, 2,000 loans of Rp1 juta over 12 months disbursed in January (one in seven
/// never repaid, one in seven with collateral), 50 fixed assets, month-ends January to May.
fn book() -> Koperasi {
    let config = BookConfig::kkmp(
        CooperativeId::from_u128(9),
        "KKMP Bench (SIMULASI)",
        "35.74.04.1002".parse().unwrap(),
        d(1, 1),
        vec![
            (KETUA, Role::Chair),
            (BENDAHARA, Role::Treasurer),
            (KASIR, Role::Teller),
            (MANAJER, Role::Manager),
        ],
    );
    let mut b = Koperasi::new(config).unwrap();
    run(
        &mut b,
        d(1, 2),
        BENDAHARA,
        Operation::Capital {
            kind: CapitalKind::Grant,
            amount: rp(10_000_000_000),
            via: Via::Bank,
        },
    );
    let members: Vec<MemberId> = (0..300u128)
        .map(|i| MemberId::from_u128(1_000 + i))
        .collect();
    for (i, m) in members.iter().enumerate() {
        run(
            &mut b,
            d(1, 3),
            KETUA,
            Operation::RegisterMember {
                member: *m,
                nik: format!("357404050690{:04}", i + 1),
                name: format!("Anggota {i}"),
                birth_date: NaiveDate::from_ymd_opt(1990, 6, 5).unwrap(),
                domicile: None,
                gender: None,
                associate: false,
            },
        );
        run(
            &mut b,
            d(1, 3),
            KASIR,
            Operation::PayPrincipalSavings {
                member: *m,
                via: Via::Cash,
            },
        );
        run(
            &mut b,
            d(1, 3),
            KASIR,
            Operation::Deposit {
                member: *m,
                kind: SavingsKind::Voluntary,
                amount: rp(1_000_000),
                via: Via::Cash,
            },
        );
    }
    for k in 0..50 {
        run(
            &mut b,
            d(1, 4),
            BENDAHARA,
            Operation::AcquireFixedAsset {
                asset: format!("AT-{k:02}"),
                account: if k % 2 == 0 { "1-2-05" } else { "1-2-03" }.into(),
                cost: rp(10_000_000 + 1_000_000 * k),
                useful_life_months: 48 + 12 * u32::try_from(k % 5).unwrap(),
                residual: rp(1_000_000),
                payment: PurchasePayment::Paid(Via::Bank),
                memo: "SIMULASI".into(),
            },
        );
    }
    // The cooperative's own Himbara loan (Rp3 miliar, 6 months' grace), whose interest
    // incurred and not yet paid each month-end accrues.
    run(
        &mut b,
        d(1, 4),
        KETUA,
        Operation::HimbaraDrawdown {
            principal: rp(3_000_000_000),
            operational: rp(500_000_000),
            tenor_months: 72,
            grace_months: 6,
        },
    );
    for k in 0..2_000u128 {
        let loan = LoanId::from_u128(10_000 + k);
        let member = members[usize::try_from(k % 300).unwrap()];
        let on = d(1, 5 + u32::try_from(k / 100).unwrap());
        let terms = LoanTerms::new(
            rp(1_000_000),
            Rate::per_month(Decimal::ONE).unwrap(),
            12,
            if k % 2 == 0 {
                Method::Flat
            } else {
                Method::Annuity
            },
            on,
        );
        run(
            &mut b,
            on,
            KASIR,
            Operation::ApplyLoan {
                loan,
                member,
                terms,
            },
        );
        if k % 7 == 0 {
            run(
                &mut b,
                on,
                KASIR,
                Operation::PledgeCollateral {
                    loan,
                    collateral: Collateral::new(
                        CollateralKind::Vehicle,
                        rp(900_000),
                        on,
                        vec![format!("BPKB {k}")],
                    ),
                },
            );
        }
        run(&mut b, on, MANAJER, Operation::ApproveLoan { loan });
        run(
            &mut b,
            on,
            BENDAHARA,
            Operation::DisburseLoan {
                loan,
                via: Via::Bank,
            },
        );
    }
    run(&mut b, d(1, 31), BENDAHARA, Operation::MonthEnd);
    // Six loans in seven pay each installment on its due date; the others never pay.
    for month in 2..=5u32 {
        for k in (0..2_000u128).filter(|k| k % 7 != 3) {
            let loan = LoanId::from_u128(10_000 + k);
            let due = {
                let i = &b.loans()[&loan].loan.installments()[usize::try_from(month - 2).unwrap()];
                (
                    i.due_date,
                    Rupiah::try_sum([i.due.principal, i.due.interest, i.due.fee]).unwrap(),
                )
            };
            run(
                &mut b,
                due.0,
                KASIR,
                Operation::RepayLoan {
                    loan,
                    amount: due.1,
                    via: Via::Cash,
                },
            );
        }
        let end = koperasi::core::month_end(2026, month).unwrap();
        let himbara = b
            .himbara()
            .unwrap()
            .due_as_of(end)
            .unwrap()
            .total()
            .unwrap();
        run(
            &mut b,
            end,
            BENDAHARA,
            Operation::HimbaraInstallment { amount: himbara },
        );
        run(&mut b, end, BENDAHARA, Operation::MonthEnd);
    }
    b
}

fn month_end(c: &mut Criterion) {
    let b = book();
    assert_eq!(b.loans().len(), 2_000);
    assert_eq!(b.fixed_assets().len(), 50);
    assert!(b.himbara_accrual().is_positive());
    let mut g = c.benchmark_group("month_end");
    g.sample_size(20);
    g.bench_function("300_members_2000_loans_50_assets", |bench| {
        bench.iter_batched(
            || {
                // A live book's tables grow by doubling; a clone has no room to spare.
                let mut x = b.clone();
                x.reserve(16, 1_000);
                x
            },
            |mut x| {
                x.run(d(6, 30), BENDAHARA, Operation::MonthEnd).unwrap();
                x // dropped outside the timing
            },
            BatchSize::LargeInput,
        );
    });
    g.finish();
}

criterion_group!(benches, month_end);
criterion_main!(benches);

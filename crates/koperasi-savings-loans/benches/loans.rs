//! Loan benchmarks: full 72-month annuity schedules, repayment allocation.
//!
//! `cargo bench -p koperasi-savings-loans --bench loans -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, Rate, Rupiah};
use koperasi_savings_loans::{
    AllocationOrder, Dues, Loan, LoanOptions, LoanTerms, Method, allocate,
};

/// CPU time of this thread in nanoseconds (`/proc/thread-self/schedstat`, first field): the
/// build machine is shared, so wall time includes time other jobs hold the core.
pub fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Runs `f` `iters` times and returns the CPU time spent (wall time if unavailable).
pub fn cpu_time<F: FnMut()>(iters: u64, mut f: F) -> Duration {
    let wall = Instant::now();
    let start = cpu_ns();
    for _ in 0..iters {
        f();
    }
    match (start, cpu_ns()) {
        (Some(a), Some(b)) => Duration::from_nanos(b.saturating_sub(a)),
        _ => wall.elapsed(),
    }
}

fn terms() -> LoanTerms {
    LoanTerms::new(
        Rupiah::from_rupiah(150_000_000),
        Rate::per_year(Decimal::new(95, 1)).unwrap(),
        72,
        Method::Annuity,
        NaiveDate::from_ymd_opt(2025, 1, 15).unwrap(),
    )
}

fn schedules(c: &mut Criterion) {
    let mut g = c.benchmark_group("schedule");
    g.throughput(Throughput::Elements(1));
    let t = terms();
    g.bench_function("annuity_72_months", |b| {
        b.iter(|| black_box(&t).schedule().unwrap());
    });
    let flat = LoanTerms::new(
        Rupiah::from_rupiah(150_000_000),
        Rate::per_month(Decimal::ONE).unwrap(),
        72,
        Method::Flat,
        NaiveDate::from_ymd_opt(2025, 1, 15).unwrap(),
    );
    g.bench_function("flat_72_months", |b| {
        b.iter(|| black_box(&flat).schedule().unwrap());
    });
    g.finish();
}

fn repayments(c: &mut Criterion) {
    let mut g = c.benchmark_group("repayment");
    g.throughput(Throughput::Elements(1));
    let r = Rupiah::from_rupiah;
    let owed = [
        Dues {
            penalty: r(12_000),
            fee: r(0),
            interest: r(1_187_500),
            principal: r(1_553_000),
        },
        Dues {
            penalty: r(3_000),
            fee: r(0),
            interest: r(1_175_200),
            principal: r(1_565_300),
        },
        Dues {
            penalty: r(0),
            fee: r(0),
            interest: r(1_162_800),
            principal: r(1_577_700),
        },
    ];
    let order = AllocationOrder::default();
    g.bench_function("allocate_3_installments", |b| {
        b.iter(|| allocate(black_box(r(5_000_000)), black_box(&owed), &order).unwrap());
    });
    let (loan, _) = Loan::disburse(terms(), LoanOptions::default(), &[]).unwrap();
    let day = NaiveDate::from_ymd_opt(2025, 4, 20).unwrap();
    g.bench_function("loan_repay_arrears", |b| {
        b.iter_batched_ref(
            || loan.clone(),
            |l| l.repay(day, r(5_000_000)).unwrap(),
            BatchSize::SmallInput,
        );
    });
    // A surplus short of the payoff: the payoff is computed (72 rows) and the surplus paid
    // ahead; the legacy repayment is the same without the payoff check.
    let on_time = NaiveDate::from_ymd_opt(2025, 2, 20).unwrap();
    for (name, legacy) in [
        ("loan_repay_pay_ahead", false),
        ("loan_repay_pay_ahead_legacy", true),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched_ref(
                || loan.clone(),
                |l| {
                    if legacy {
                        l.repay_legacy(on_time, r(20_000_000)).unwrap()
                    } else {
                        l.repay(on_time, r(20_000_000)).unwrap()
                    }
                },
                BatchSize::SmallInput,
            );
        });
    }
    // Paying the payoff amount: the loan is settled in one pass.
    let payoff = loan.payoff_amount(day).unwrap();
    g.bench_function("loan_pay_off", |b| {
        b.iter_batched_ref(
            || loan.clone(),
            |l| l.repay(day, payoff).unwrap(),
            BatchSize::SmallInput,
        );
    });
    g.finish();
}

/// The same work measured in CPU time of the benchmark thread (the shared build machine's wall
/// time includes other jobs); one iteration = 1,000 operations, so the tick-granular CPU clock
/// is read over spans of milliseconds.
fn cpu(c: &mut Criterion) {
    let mut g = c.benchmark_group("cpu_time");
    g.throughput(Throughput::Elements(1_000));
    g.sample_size(20);
    let t = terms();
    g.bench_function("annuity_72_months_x1000", |b| {
        b.iter_custom(|iters| {
            cpu_time(iters, || {
                for _ in 0..1_000 {
                    black_box(black_box(&t).schedule().unwrap());
                }
            })
        });
    });
    let r = Rupiah::from_rupiah;
    let owed = [
        Dues {
            penalty: r(12_000),
            fee: r(0),
            interest: r(1_187_500),
            principal: r(1_553_000),
        },
        Dues {
            penalty: r(3_000),
            fee: r(0),
            interest: r(1_175_200),
            principal: r(1_565_300),
        },
        Dues {
            penalty: r(0),
            fee: r(0),
            interest: r(1_162_800),
            principal: r(1_577_700),
        },
    ];
    let order = AllocationOrder::default();
    g.bench_function("allocate_3_installments_x1000", |b| {
        b.iter_custom(|iters| {
            cpu_time(iters, || {
                for _ in 0..1_000 {
                    black_box(allocate(black_box(r(5_000_000)), black_box(&owed), &order).unwrap());
                }
            })
        });
    });
    g.finish();
}

criterion_group!(benches, schedules, repayments, cpu);
criterion_main!(benches);

//! Savings benchmark: a month's interest on 1,000,000 sukarela accounts.
//!
//! `cargo bench -p koperasi-savings-loans --bench savings -- --warm-up-time 1 --measurement-time 3`

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, Rate, Rupiah, SavingsAccountId, add_months, month_end};
use koperasi_savings_loans::{BalanceMethod, InterestPolicy, SavingsAccount, SavingsProduct};

const ACCOUNTS: u32 = 1_000_000;

fn interest(c: &mut Criterion) {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let mut g = c.benchmark_group("savings");
    g.sample_size(10);
    for method in [
        BalanceMethod::Daily,
        BalanceMethod::AverageDaily,
        BalanceMethod::LowestMonthly,
    ] {
        let policy = InterestPolicy::new(Rate::per_year(Decimal::new(35, 1)).unwrap(), method)
            .with_minimum_for_interest(Rupiah::from_rupiah(50_000));
        let product = SavingsProduct::voluntary(Rupiah::from_rupiah(10_000), Some(policy));
        let mut accounts: Vec<SavingsAccount> = (0..ACCOUNTS)
            .map(|i| {
                let mut a = SavingsAccount::open(
                    SavingsAccountId::from_u128(u128::from(i)),
                    product,
                    start,
                )
                .unwrap();
                a.deposit(
                    start,
                    Rupiah::from_rupiah(100_000 + i64::from(i % 1000) * 1_000),
                )
                .unwrap();
                a
            })
            .collect();
        let mut month = 0_i32;
        let cpu = method == BalanceMethod::Daily;
        let label = if cpu { "_cpu_time" } else { "" };
        g.bench_function(
            format!("month_interest_1m_accounts_{method:?}{label}"),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let m = add_months(start, month).unwrap();
                        let end = month_end(chrono_year(m), chrono_month(m)).unwrap();
                        month += 1;
                        let t = Instant::now();
                        let c0 = cpu_ns();
                        for a in &mut accounts {
                            std::hint::black_box(a.close_interest_period(end).unwrap());
                        }
                        let wall = t.elapsed();
                        total += match (c0, cpu_ns()) {
                            (Some(a), Some(b)) if cpu => Duration::from_nanos(b.saturating_sub(a)),
                            _ => wall,
                        };
                    }
                    total
                });
            },
        );
    }
    g.finish();
}

/// CPU time of this thread in nanoseconds (`/proc/thread-self/schedstat`).
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn chrono_year(d: NaiveDate) -> i32 {
    koperasi_core::chrono::Datelike::year(&d)
}

fn chrono_month(d: NaiveDate) -> u32 {
    koperasi_core::chrono::Datelike::month(&d)
}

criterion_group!(benches, interest);
criterion_main!(benches);

use super::*;
use crate::error::Error;
use chrono::NaiveDate;
use koperasi_core::Rupiah;
use proptest::prelude::*;
use rust_decimal_macros::dec;

pub(crate) fn fixture() -> Vec<CooperativeSnapshot> {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let rp = Rupiah::from_rupiah;
    let base = CooperativeSnapshot {
        as_of: d(2026, 6, 30),
        rat_deadline: Some(d(2026, 3, 31)),
        ..CooperativeSnapshot::default()
    };
    vec![
        CooperativeSnapshot {
            code: "KDMP-001".into(),
            name: "KDMP Sukamaju".into(),
            anggota: 412,
            calon_anggota: 35,
            savings: SavingsByKind {
                pokok: rp(4_120_000),
                wajib: rp(24_720_000),
                sukarela: rp(51_300_000),
                berjangka: rp(20_000_000),
            },
            loans: LoansByCollectibility {
                lancar: rp(180_000_000),
                kurang_lancar: rp(6_000_000),
                diragukan: rp(2_000_000),
                macet: rp(1_000_000),
            },
            loan_reserve: rp(4_200_000),
            kas_bank: rp(30_000_000),
            kewajiban_lancar: rp(240_000_000),
            sales_member: rp(310_000_000),
            sales_non_member: rp(95_000_000),
            shu: rp(42_500_000),
            shu_allocation: vec![AllocationLine {
                label: "Cadangan".into(),
                amount: rp(17_000_000),
            }],
            shu_desa: rp(8_500_000),
            himbara: HimbaraStatus {
                outstanding: rp(1_450_000_000),
                due: rp(116_000_000),
                paid: rp(116_000_000),
                ..HimbaraStatus::default()
            },
            rat_held: Some(d(2026, 3, 20)),
            health: Some(HealthStatus {
                score: dec!(84.75),
                predikat: Predikat::Sehat,
            }),
            ..base.clone()
        },
        CooperativeSnapshot {
            code: "KDMP-002".into(),
            name: "KDMP Sukamakmur".into(),
            anggota: 268,
            calon_anggota: 80,
            savings: SavingsByKind {
                pokok: rp(2_680_000),
                wajib: rp(12_060_000),
                sukarela: rp(9_500_000),
                berjangka: Rupiah::ZERO,
            },
            loans: LoansByCollectibility {
                lancar: rp(70_000_000),
                kurang_lancar: rp(9_000_000),
                diragukan: rp(4_000_000),
                macet: rp(7_000_000),
            },
            loan_reserve: rp(9_100_000),
            kas_bank: rp(3_000_000),
            kewajiban_lancar: rp(60_000_000),
            sales_member: rp(120_000_000),
            sales_non_member: rp(140_000_000),
            shu: rp(10_000_000),
            shu_desa: rp(1_500_000),
            himbara: HimbaraStatus {
                outstanding: rp(980_000_000),
                due: rp(58_000_000),
                paid: rp(43_500_000),
                late: rp(14_500_000),
                days_late: 9,
                intercepted: rp(14_500_000),
            },
            rat_held: Some(d(2026, 4, 15)),
            health: Some(HealthStatus {
                score: dec!(58.5),
                predikat: Predikat::DalamPengawasan,
            }),
            ..base.clone()
        },
        CooperativeSnapshot {
            code: "KKMP-003".into(),
            name: "KKMP Jati".into(),
            anggota: 150,
            calon_anggota: 12,
            savings: SavingsByKind {
                pokok: rp(1_500_000),
                wajib: rp(6_000_000),
                sukarela: rp(2_000_000),
                berjangka: Rupiah::ZERO,
            },
            kas_bank: rp(15_000_000),
            kewajiban_lancar: rp(50_000_000),
            sales_member: rp(20_000_000),
            shu: rp(-2_500_000),
            ..base
        },
    ]
}

/// PMK 49/2025 Pasal 11: an installment unpaid more than 4 working days after its due
/// date exposes the Dana Desa/DAU; not within those days; never under a transfer-funded
/// scheme. The rule in force is chosen by date.
#[test]
fn intercept_flag_follows_the_financing_scheme() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let as_of = d(2026, 6, 30); // a Tuesday
    let snap = |days_late: u32| {
        let mut s = fixture().remove(1);
        s.as_of = as_of;
        s.himbara.days_late = days_late;
        s.himbara.intercepted = Rupiah::ZERO;
        vec![s]
    };
    let risk = |v: &CityView| {
        v.flags
            .iter()
            .any(|f| f.kind == FlagKind::DanaDesaInterceptRisk)
    };
    let pmk = Thresholds::default();
    // Due Wed 24 June: Thu, Fri, Mon, Tue = 4 working days: not yet.
    assert!(!risk(&CityView::build("K", snap(6), &pmk).unwrap()));
    // Due Tue 23 June: 5 working days: exposed.
    assert!(risk(&CityView::build("K", snap(7), &pmk).unwrap()));
    let agrinas = Thresholds::default().with_intercept(InterceptRule::TransferFunded);
    let v = CityView::build("K", snap(30), &agrinas).unwrap();
    assert!(!risk(&v));
    assert!(v.flags.iter().any(|f| f.kind == FlagKind::HimbaraLate));
    // Dated configuration: the scheme in force on the date applies.
    let schedule = ThresholdSchedule::default().with(d(2026, 1, 1), agrinas);
    assert_eq!(schedule.on(d(2025, 12, 31)), pmk);
    assert_eq!(schedule.on(as_of), agrinas);
    assert_eq!(schedule.on(d(2020, 1, 1)), pmk);
}

#[test]
fn fixture_totals_metrics_and_flags() {
    let t = Thresholds::default().with_idle_cash_pct(dec!(20));
    let v = CityView::build("Kota Probolinggo", fixture(), &t).unwrap();
    assert_eq!(v.totals.cooperatives, 3);
    assert_eq!(v.totals.anggota, 830);
    assert_eq!(v.totals.savings.pokok, Rupiah::from_rupiah(8_300_000));
    assert_eq!(v.totals.loans.macet, Rupiah::from_rupiah(8_000_000));
    // NPL: 9 jt / 189 jt = 4,76 %; 20 jt / 90 jt = 22,22 %; city 29 / 279 = 10,39 %.
    assert_eq!(v.cooperatives[0].metrics.npl_pct, Some(dec!(4.76)));
    assert_eq!(v.cooperatives[1].metrics.npl_pct, Some(dec!(22.22)));
    assert_eq!(v.total_metrics.npl_pct, Some(dec!(10.39)));
    assert_eq!(v.cooperatives[2].metrics.npl_pct, None);
    // Rasio kas: 12,5 % (ok), 5 % (low), 30 % (idle).
    assert_eq!(v.cooperatives[0].metrics.rasio_kas_pct, Some(dec!(12.5)));
    let kinds = |code: &str| -> Vec<FlagKind> {
        v.flags
            .iter()
            .filter(|f| f.cooperative == code)
            .map(|f| f.kind)
            .collect()
    };
    assert_eq!(kinds("KDMP-001"), Vec::<FlagKind>::new());
    assert_eq!(
        kinds("KDMP-002"),
        vec![
            FlagKind::NplHigh,
            FlagKind::LiquidityLow,
            FlagKind::DesaShareLow,
            FlagKind::HimbaraLate,
            FlagKind::DanaDesaInterceptRisk,
            FlagKind::DanaDesaIntercepted,
            FlagKind::RatLate,
            FlagKind::HealthBelowThreshold,
        ]
    );
    assert_eq!(
        kinds("KKMP-003"),
        vec![
            FlagKind::LiquidityIdle,
            FlagKind::RatLate,
            FlagKind::NoHealthAssessment,
            FlagKind::ShuNegative
        ]
    );
    // Without an idle-cash limit (the default) the 30 % cash ratio raises nothing.
    let plain = CityView::build("Kota", fixture(), &Thresholds::default()).unwrap();
    assert!(
        plain
            .flags
            .iter()
            .all(|f| f.kind != FlagKind::LiquidityIdle)
    );
    assert_eq!(v.totals.rat_on_time, 1);
    assert_eq!(v.totals.rat_late, 2);
    assert_eq!(v.totals.predikat_counts, [1, 0, 1, 0]);
    assert_eq!(v.totals.unassessed, 1);
    let rank: Vec<&str> = v
        .ranking(RankBy::Health)
        .iter()
        .map(|(_, r)| r.snapshot.code.as_str())
        .collect();
    assert_eq!(rank, ["KDMP-001", "KDMP-002", "KKMP-003"]);
    let rank: Vec<&str> = v
        .ranking(RankBy::Npl)
        .iter()
        .map(|(_, r)| r.snapshot.code.as_str())
        .collect();
    assert_eq!(rank, ["KDMP-001", "KDMP-002", "KKMP-003"]);
    let rank: Vec<usize> = v
        .ranking(RankBy::Flags)
        .iter()
        .map(|(_, r)| r.flags)
        .collect();
    assert_eq!(rank, [0, 4, 8]);
    assert_eq!(v.ranking(RankBy::Members)[0].1.snapshot.anggota, 412);
    assert_eq!(v.ranking(RankBy::Savings)[0].1.snapshot.code, "KDMP-001");
}

#[test]
fn threshold_configuration_changes_flags() {
    let t = Thresholds {
        non_member_sales_max_pct: Some(dec!(50)),
        npl_max_pct: dec!(25),
        ..Thresholds::default()
    };
    let v = CityView::build("Kota Probolinggo", fixture(), &t).unwrap();
    let k2: Vec<FlagKind> = v
        .flags
        .iter()
        .filter(|f| f.cooperative == "KDMP-002")
        .map(|f| f.kind)
        .collect();
    assert!(k2.contains(&FlagKind::NonMemberSalesHigh));
    assert!(!k2.contains(&FlagKind::NplHigh));
}

#[test]
fn errors() {
    let mut f = fixture();
    f[1].code = "KDMP-001".into();
    assert_eq!(
        CityView::build("x", f, &Thresholds::default()),
        Err(Error::DuplicateCooperative {
            code: "KDMP-001".into()
        })
    );
    let mut f = fixture();
    f[0].savings.wajib = Rupiah::from_rupiah(-1);
    assert_eq!(
        CityView::build("x", f, &Thresholds::default()),
        Err(Error::InvalidSnapshot {
            code: "KDMP-001".into(),
            field: "savings.wajib",
            reason: "negative"
        })
    );
    let mut f = fixture();
    f[0].code = String::new();
    assert!(matches!(
        CityView::build("x", f, &Thresholds::default()),
        Err(Error::InvalidSnapshot { field: "code", .. })
    ));
    let mut f = fixture();
    f[0].health = Some(HealthStatus {
        score: dec!(101),
        predikat: Predikat::Sehat,
    });
    assert!(matches!(
        CityView::build("x", f, &Thresholds::default()),
        Err(Error::InvalidSnapshot {
            field: "health.score",
            ..
        })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn prop_city_total_is_sum_of_cooperatives(snaps in crate::strategy::snapshots(12)) {
        let v = CityView::build("Kota", snaps.clone(), &Thresholds::default()).unwrap();
        let sum = |f: &dyn Fn(&CooperativeSnapshot) -> Rupiah| Rupiah::try_sum(snaps.iter().map(f)).unwrap();
        let t = &v.totals;
        prop_assert_eq!(t.cooperatives, snaps.len() as u64);
        prop_assert_eq!(t.anggota, snaps.iter().map(|s| s.anggota).sum::<u64>());
        prop_assert_eq!(t.calon_anggota, snaps.iter().map(|s| s.calon_anggota).sum::<u64>());
        prop_assert_eq!(t.savings.pokok, sum(&|s| s.savings.pokok));
        prop_assert_eq!(t.savings.wajib, sum(&|s| s.savings.wajib));
        prop_assert_eq!(t.savings.sukarela, sum(&|s| s.savings.sukarela));
        prop_assert_eq!(t.savings.berjangka, sum(&|s| s.savings.berjangka));
        prop_assert_eq!(t.loans.lancar, sum(&|s| s.loans.lancar));
        prop_assert_eq!(t.loans.kurang_lancar, sum(&|s| s.loans.kurang_lancar));
        prop_assert_eq!(t.loans.diragukan, sum(&|s| s.loans.diragukan));
        prop_assert_eq!(t.loans.macet, sum(&|s| s.loans.macet));
        prop_assert_eq!(t.loan_reserve, sum(&|s| s.loan_reserve));
        prop_assert_eq!(t.kas_bank, sum(&|s| s.kas_bank));
        prop_assert_eq!(t.kewajiban_lancar, sum(&|s| s.kewajiban_lancar));
        prop_assert_eq!(t.sales_member, sum(&|s| s.sales_member));
        prop_assert_eq!(t.sales_non_member, sum(&|s| s.sales_non_member));
        prop_assert_eq!(t.shu, sum(&|s| s.shu));
        prop_assert_eq!(t.shu_desa, sum(&|s| s.shu_desa));
        prop_assert_eq!(t.himbara.due, sum(&|s| s.himbara.due));
        prop_assert_eq!(t.himbara.paid, sum(&|s| s.himbara.paid));
        prop_assert_eq!(t.himbara.late, sum(&|s| s.himbara.late));
        prop_assert_eq!(t.himbara.outstanding, sum(&|s| s.himbara.outstanding));
        prop_assert_eq!(t.himbara.intercepted, sum(&|s| s.himbara.intercepted));
        prop_assert_eq!(
            t.predikat_counts.iter().sum::<u64>() + t.unassessed,
            snaps.len() as u64
        );
        let row_sum = Rupiah::try_sum(v.cooperatives.iter().map(|r| r.metrics.savings_total)).unwrap();
        prop_assert_eq!(v.total_metrics.savings_total, row_sum);
        prop_assert_eq!(v.flags.len(), v.cooperatives.iter().map(|r| r.flags).sum::<usize>());
    }
}

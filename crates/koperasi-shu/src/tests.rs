//! Unit, example and property tests.

use std::collections::BTreeMap;

use koperasi_core::Rupiah;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::strategy;
use crate::*;

fn rp(n: i64) -> Rupiah {
    Rupiah::from_rupiah(n)
}

fn dist<K: Ord + Clone + std::fmt::Display>(
    policy: &ShuPolicy,
    year: &ShuYear,
    members: &[MemberContribution<K>],
) -> Distribution<K> {
    match distribute(policy, year, members).unwrap() {
        ShuOutcome::Distributed(d) => d,
        ShuOutcome::Loss(l) => panic!("unexpected loss {l:?}"),
    }
}

/// The issue's allocation: jasa modal 25%, jasa usaha 30%, cadangan 45%.
fn issue_policy() -> ShuPolicy {
    ShuPolicy::new(vec![
        AllocationLine::named("jasa_modal", dec!(25)),
        AllocationLine::named("jasa_usaha", dec!(30)),
        AllocationLine::named("cadangan", dec!(45)),
    ])
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Example tests
// ---------------------------------------------------------------------------------------------

/// The worked example of issue 6 (the CLI's input), by hand:
/// jasa modal = 25% × 40.000.000 = 10.000.000; jasa usaha = 30% × 40.000.000 = 12.000.000;
/// cadangan = 45% = 18.000.000.
/// A-001: JMA = 3.000.000 / 60.000.000 × 10.000.000 = 500.000;
///        JUA = 1.000.000 / 100.000.000 × 12.000.000 = 120.000; total 620.000.
/// Unpaid (other members): 9.500.000 and 11.880.000; residue 0.
#[test]
fn issue_example_one_member_from_published_totals() {
    let year = ShuYear::new(rp(40_000_000)).with_totals(Totals {
        capital: Some(rp(60_000_000)),
        patronage: Some(rp(100_000_000)),
        units: BTreeMap::new(),
    });
    let members = [MemberContribution::simple(
        "A-001".to_owned(),
        rp(3_000_000),
        rp(1_000_000),
    )];
    let d = dist(&issue_policy(), &year, &members);
    let amounts: Vec<_> = d
        .lines
        .iter()
        .map(|l| (l.name.as_str(), l.amount))
        .collect();
    assert_eq!(
        amounts,
        [
            ("jasa_modal", rp(10_000_000)),
            ("jasa_usaha", rp(12_000_000)),
            ("cadangan", rp(18_000_000))
        ]
    );
    let a = d.member(&"A-001".to_owned()).unwrap();
    assert_eq!(
        (a.capital, a.patronage, a.total),
        (rp(500_000), rp(120_000), rp(620_000))
    );
    let cap = d.pool(Pool::Capital).unwrap();
    let pat = d.pool(Pool::Patronage).unwrap();
    assert_eq!((cap.unpaid, cap.residue), (rp(9_500_000), Rupiah::ZERO));
    assert_eq!((pat.unpaid, pat.residue), (rp(11_880_000), Rupiah::ZERO));
    assert_eq!(d.residue_to.as_deref(), Some("cadangan"));
}

/// The typical AD/ART split cited by domain.md §4.2 from [S70] (koperasi.net): cadangan 40%,
/// anggota 40% (jasa modal + jasa usaha, halves here), dana pengurus 5%, dana karyawan 5%,
/// dana pendidikan 5%, dana sosial 5%. On an SHU of Rp100.000.000 each line is its percentage.
#[test]
fn typical_split_40_40_5_5_5_5() {
    let d = dist::<u32>(&ShuPolicy::typical(), &ShuYear::new(rp(100_000_000)), &[]);
    let amounts: Vec<_> = d.lines.iter().map(|l| l.amount).collect();
    assert_eq!(
        amounts,
        [40, 20, 20, 5, 5, 5, 5].map(|m| rp(m * 1_000_000)).to_vec()
    );
    // Nobody to pay: both pools go to cadangan, named undistributed (not a rounding residue).
    assert_eq!(d.residue, Rupiah::ZERO);
    assert_eq!(d.undistributed, rp(40_000_000));
    assert_eq!(
        d.line("cadangan").unwrap().undistributed_received,
        rp(40_000_000)
    );
    assert_eq!(
        d.line("cadangan").unwrap().booked().unwrap(),
        rp(80_000_000)
    );
}

/// Rounding as published (domain.md §4.5, [S80] adjar.grid.id, *Lembar Aktivitas 8*, Ekonomi
/// kelas 11): the solution floors Heri's SHU of Rp397.058,82 to Rp397.058. Our notes keep the
/// figure, not the exercise's inputs; 397.058,82 is 6.750.000 / 17 to the sen, so this test
/// reproduces the rounding step with a pool of Rp6.750.000 and Heri holding 1/17 of the basis.
#[test]
fn published_floor_to_the_rupiah_heri() {
    let policy = ShuPolicy::new(vec![
        AllocationLine::named("cadangan", dec!(50)),
        AllocationLine::named("jasa_usaha", dec!(50)),
    ])
    .unwrap();
    let year = ShuYear::new(rp(13_500_000)).with_totals(Totals {
        patronage: Some(rp(17_000_000)),
        ..Totals::default()
    });
    let heri = [MemberContribution::simple(
        "Heri",
        Rupiah::ZERO,
        rp(1_000_000),
    )];
    let d = dist(&policy, &year, &heri);
    assert_eq!(d.member(&"Heri").unwrap().patronage, rp(397_058));
    // The other members' part floors too; the two floors' sen go to cadangan.
    let pool = d.pool(Pool::Patronage).unwrap();
    assert_eq!(pool.unpaid, rp(6_352_941)); // 6.750.000 × 16/17 = 6.352.941,17…
    assert_eq!(pool.residue, rp(1)); // 0,82 + 0,17… + 0,00… → Rp1
}

/// Truncation to thousands as in the Rani solution (domain.md §4.5, [S81]): with a Rp1.000
/// step, each member is floored to the thousand and the rest goes to cadangan.
#[test]
fn floor_to_thousands() {
    let policy =
        issue_policy().with_rounding(ShareRounding::new(RoundingMethod::Floor, rp(1000)).unwrap());
    let members = [
        MemberContribution::simple("A", rp(1_000_000), rp(3_000_000)),
        MemberContribution::simple("B", rp(2_000_000), rp(0)),
    ];
    let d = dist(&policy, &ShuYear::new(rp(1_000_000)), &members);
    // jasa modal 250.000: A 83.333,33 → 83.000; B 166.666,67 → 166.000.
    assert_eq!(d.member(&"A").unwrap().capital, rp(83_000));
    assert_eq!(d.member(&"B").unwrap().capital, rp(166_000));
    assert_eq!(d.pool(Pool::Capital).unwrap().residue, rp(1_000));
    // jasa usaha 300.000: all to A.
    assert_eq!(d.member(&"A").unwrap().patronage, rp(300_000));
}

/// The per-member formulas of domain.md §4.3 ([S76] santiyani.blogspot.com, [S77]
/// riauonline.id "cara menghitung SHU"): `JMA = S_i/ΣS × %JM × SHU`, `JUA = T_i/ΣT × %JU × SHU`,
/// in the textbook form "SHU Rp30.000.000; jasa modal 20%, jasa usaha 25%; total simpanan
/// Rp120.000.000, total penjualan Rp400.000.000; Andi: simpanan Rp1.500.000, pembelian
/// Rp4.000.000" (figures ours, in the form of those exercises):
/// JMA = 1.500.000/120.000.000 × 6.000.000 = 75.000; JUA = 4.000.000/400.000.000 × 7.500.000
/// = 75.000; SHU Andi = 150.000.
#[test]
fn textbook_formula_single_member() {
    let policy = ShuPolicy::new(vec![
        AllocationLine::named("cadangan", dec!(40)),
        AllocationLine::named("jasa_modal", dec!(20)),
        AllocationLine::named("jasa_usaha", dec!(25)),
        AllocationLine::named("dana_pengurus", dec!(5)),
        AllocationLine::named("dana_karyawan", dec!(5)),
        AllocationLine::named("dana_sosial", dec!(5)),
    ])
    .unwrap();
    let year = ShuYear::new(rp(30_000_000)).with_totals(Totals {
        capital: Some(rp(120_000_000)),
        patronage: Some(rp(400_000_000)),
        ..Totals::default()
    });
    let andi = [MemberContribution::new(
        "Andi",
        Savings {
            pokok: rp(100_000),
            wajib: rp(1_400_000),
            sukarela: rp(3_000_000), // not counted: pokok + wajib by default
        },
        Transactions {
            purchases: rp(4_000_000),
            ..Transactions::default()
        },
    )];
    let d = dist(&policy, &year, &andi);
    let a = d.member(&"Andi").unwrap();
    assert_eq!(
        (a.capital, a.patronage, a.total),
        (rp(75_000), rp(75_000), rp(150_000))
    );

    // Counting sukarela (some exercises do) changes the basis: 4.500.000/120.000.000 × 6.000.000.
    let with_sukarela = policy.with_capital_basis(CapitalBasis {
        include_sukarela: true,
        balances: BalanceKind::YearEnd,
    });
    let d = dist(&with_sukarela, &year, &andi);
    assert_eq!(d.member(&"Andi").unwrap().capital, rp(225_000));
}

/// Whole-coop distribution with sen in the pool, largest remainder: each pool paid out to the
/// rupiah, only the pool's own sen left.
#[test]
fn largest_remainder_pays_the_pool_exactly() {
    let policy = ShuPolicy::typical().with_rounding(ShareRounding::EXACT_RUPIAH);
    let members = [
        MemberContribution::simple(3_u32, rp(100), rp(1)),
        MemberContribution::simple(1, rp(100), rp(1)),
        MemberContribution::simple(2, rp(100), rp(1)),
    ];
    // SHU 1.000,05: jasa modal 20% = 200,01 → payable 200: 67 + 67 + 66 (ties → lower key).
    let d = dist(&policy, &ShuYear::new(Rupiah::from_sen(100_005)), &members);
    let caps: Vec<_> = d.members.iter().map(|m| (m.id, m.capital)).collect();
    assert_eq!(caps, [(1, rp(67)), (2, rp(67)), (3, rp(66))]);
    let cap = d.pool(Pool::Capital).unwrap();
    assert_eq!(cap.amount, Rupiah::from_sen(20_001));
    assert_eq!(cap.residue, Rupiah::from_sen(1));
}

#[test]
fn kdmp_desa_share_and_non_member_shu() {
    let policy = ShuPolicy::kdmp();
    let year = ShuYear::new(rp(100_000_000)).with_non_member_part(rp(30_000_000));
    let members = [MemberContribution::simple("A", rp(1), rp(1))];
    let d = dist(&policy, &year, &members);
    let desa = d.line("bagian_desa").unwrap();
    // 20% of 70.000.000 + 20/70 of 30.000.000 = 14.000.000 + 8.571.428,57
    assert_eq!(desa.from_members, rp(14_000_000));
    assert_eq!(desa.from_non_members, Rupiah::from_sen(857_142_857));
    assert!(desa.amount >= rp(20_000_000));
    // Pools only from the member part: 15% of 70.000.000.
    assert_eq!(d.pool(Pool::Capital).unwrap().amount, rp(10_500_000));
    assert_eq!(d.line("jasa_modal").unwrap().from_non_members, Rupiah::ZERO);
    assert_eq!(d.from_members, rp(70_000_000));

    // Non-member SHU all to cadangan (typical policy, no minimum lines).
    let to_reserve = ShuPolicy::typical()
        .with_non_member(NonMemberShu::ToReserve)
        .unwrap();
    let d = dist(&to_reserve, &year, &members);
    assert_eq!(d.line("cadangan").unwrap().from_non_members, rp(30_000_000));
    assert_eq!(
        d.line("dana_sosial").unwrap().from_non_members,
        Rupiah::ZERO
    );
}

#[test]
fn presets_are_valid() {
    for p in [
        ShuPolicy::typical(),
        ShuPolicy::kdmp(),
        ShuPolicy::typical_with_regional_development(),
    ] {
        assert_eq!(ShuPolicy::new(p.lines().to_vec()).unwrap(), p);
    }
    assert_eq!(
        ShuPolicy::typical_with_regional_development()
            .line("dana_pembangunan_daerah_kerja")
            .map(|l| l.kind),
        Some(LineKind::RegionalDevelopmentFund)
    );
}

#[test]
fn loss_year_reports_reserve_cover() {
    let members = [MemberContribution::simple("A", rp(1), rp(1))];
    let out = distribute(
        &ShuPolicy::typical(),
        &ShuYear::new(rp(-5_000_000)),
        &members,
    )
    .unwrap();
    assert_eq!(
        out.loss(),
        Some(&LossYear {
            loss: rp(5_000_000),
            reserve_needed: rp(5_000_000),
            coverage: None
        })
    );
    assert!(out.distribution().is_none());
    let year = ShuYear::new(rp(-5_000_000)).with_reserve_balance(rp(3_000_000));
    let out = distribute(&ShuPolicy::typical(), &year, &members).unwrap();
    assert_eq!(
        out.loss().unwrap().coverage,
        Some(LossCoverage {
            reserve_balance: rp(3_000_000),
            covered: rp(3_000_000),
            uncovered: rp(2_000_000)
        })
    );
    let year = ShuYear::new(rp(-5_000_000)).with_reserve_balance(rp(9_000_000));
    let out = distribute(&ShuPolicy::typical(), &year, &members).unwrap();
    assert_eq!(
        out.loss().unwrap().coverage.unwrap().uncovered,
        Rupiah::ZERO
    );
}

#[test]
fn zero_shu_pays_zero() {
    let members = [MemberContribution::simple("A", rp(1), rp(1))];
    let d = dist(&ShuPolicy::typical(), &ShuYear::new(Rupiah::ZERO), &members);
    assert!(d.members.iter().all(|m| m.total.is_zero()));
    assert_eq!(d.residue, Rupiah::ZERO);
}

#[test]
fn departed_members_excluded_or_included() {
    let members = [
        MemberContribution::simple("A", rp(1_000), rp(1_000)),
        MemberContribution::simple("B", rp(1_000), rp(1_000)).departed(),
    ];
    let year = ShuYear::new(rp(1_000_000));
    let d = dist(&ShuPolicy::typical(), &year, &members);
    assert_eq!(d.excluded, ["B"]);
    assert_eq!(d.members.len(), 1);
    assert_eq!(d.member(&"A").unwrap().total, rp(400_000));

    let include = ShuPolicy::typical().with_departed(DepartedMembers::Include);
    let d = dist(&include, &year, &members);
    assert!(d.excluded.is_empty());
    assert_eq!(d.member(&"B").unwrap().total, rp(200_000));
}

#[test]
fn loan_interest_basis() {
    let policy = issue_policy()
        .with_patronage_basis(PatronageBasis::LoanInterest)
        .unwrap();
    let members = [
        MemberContribution::new(
            "A",
            Savings::default(),
            Transactions {
                loan_interest: rp(300),
                purchases: rp(1_000_000),
                ..Transactions::default()
            },
        ),
        MemberContribution::new(
            "B",
            Savings::default(),
            Transactions {
                loan_interest: rp(100),
                ..Transactions::default()
            },
        ),
    ];
    let d = dist(&policy, &ShuYear::new(rp(1_000_000)), &members);
    assert_eq!(d.member(&"A").unwrap().patronage, rp(225_000));
    assert_eq!(d.member(&"B").unwrap().patronage, rp(75_000));
    // Nobody has savings: the whole jasa modal pool is undistributed, not a residue.
    let capital = d.pool(Pool::Capital).unwrap();
    assert_eq!(capital.residue, Rupiah::ZERO);
    assert_eq!(capital.undistributed, rp(250_000));
}

#[test]
fn per_unit_pools_weighted_by_unit() {
    let policy = issue_policy()
        .with_patronage_basis(PatronageBasis::Units(vec![
            UnitWeight::new("sembako", dec!(3)),
            UnitWeight::new("usp", dec!(1)),
        ]))
        .unwrap();
    let tx = |sembako: i64, usp: i64| Transactions {
        units: [
            ("sembako".to_owned(), rp(sembako)),
            ("usp".to_owned(), rp(usp)),
        ]
        .into_iter()
        .collect(),
        ..Transactions::default()
    };
    let members = [
        MemberContribution::new("A", Savings::default(), tx(1_000, 0)),
        MemberContribution::new("B", Savings::default(), tx(1_000, 500)),
    ];
    let year = ShuYear::new(rp(1_000_000)).with_totals(Totals {
        units: [("usp".to_owned(), rp(1_000))].into_iter().collect(),
        ..Totals::default()
    });
    let d = dist(&policy, &year, &members);
    // jasa usaha 300.000: sembako 225.000 (A, B half each), usp 75.000 (B 500 of 1.000).
    assert_eq!(d.member(&"A").unwrap().patronage, rp(112_500));
    assert_eq!(d.member(&"B").unwrap().patronage, rp(150_000));
    let pool = d.pool(Pool::Patronage).unwrap();
    assert_eq!(pool.units.len(), 2);
    assert_eq!(pool.unpaid, rp(37_500));
    assert_eq!(pool.units[1].unpaid, rp(37_500));
}

#[test]
fn umbrella_member_ids_work_as_keys() {
    use koperasi_core::{MemberId, uuid::Uuid};
    let a = MemberId::from_uuid(Uuid::from_u128(2));
    let b = MemberId::from_uuid(Uuid::from_u128(1));
    let members = [
        MemberContribution::simple(a, rp(1), rp(1)),
        MemberContribution::simple(b, rp(3), rp(0)),
    ];
    let d = dist(&ShuPolicy::typical(), &ShuYear::new(rp(1_000)), &members);
    assert_eq!(d.members.first().map(|m| m.id), Some(b));
    assert_eq!(d.member(&b).unwrap().capital, rp(150));
}

#[test]
fn line_kind_from_name() {
    for (name, kind) in [
        ("cadangan", LineKind::Reserve),
        ("Dana Pengurus", LineKind::ManagementFund),
        ("dana-karyawan", LineKind::EmployeeFund),
        ("dana_pendidikan", LineKind::EducationFund),
        ("dana_sosial", LineKind::SocialFund),
        (
            "dana_pembangunan_daerah_kerja",
            LineKind::RegionalDevelopmentFund,
        ),
        ("bagian_desa", LineKind::VillageShare),
        ("jasa_modal", LineKind::CapitalPool),
        ("jasa_usaha", LineKind::PatronagePool),
        ("dana_audit", LineKind::OtherFund),
    ] {
        assert_eq!(LineKind::from_name(name), kind, "{name}");
    }
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trip_and_validation() {
    let p = ShuPolicy::kdmp().with_rounding(ShareRounding::EXACT_RUPIAH);
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<ShuPolicy>(&json).unwrap(), p);
    let bad = json.replace("\"20\"", "\"25\"");
    let err = serde_json::from_str::<ShuPolicy>(&bad).unwrap_err();
    assert!(err.to_string().contains("105"), "{err}");
    let members = [MemberContribution::simple("A".to_owned(), rp(5), rp(5))];
    let d = dist(&p, &ShuYear::new(rp(1_000)), &members);
    let back: Distribution<String> =
        serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
    assert!(serde_json::from_str::<ShareRounding>(r#"{"method":"floor","step":"0"}"#).is_err());
}

// ---------------------------------------------------------------------------------------------
// Every error variant
// ---------------------------------------------------------------------------------------------

fn line(name: &str, pct: Decimal) -> AllocationLine {
    AllocationLine::named(name, pct)
}

#[test]
fn policy_errors_name_the_line() {
    assert_eq!(ShuPolicy::new(vec![]), Err(Error::EmptyPolicy));
    assert_eq!(
        ShuPolicy::new(vec![line("cadangan", dec!(50)), line(" ", dec!(50))]),
        Err(Error::UnnamedLine { index: 1 })
    );
    assert_eq!(
        ShuPolicy::new(vec![line("cadangan", dec!(50)), line("cadangan", dec!(50))]),
        Err(Error::DuplicateLine {
            line: "cadangan".into()
        })
    );
    assert_eq!(
        ShuPolicy::new(vec![
            line("cadangan", dec!(110)),
            line("dana_sosial", dec!(-10))
        ]),
        Err(Error::NegativePercent {
            line: "dana_sosial".into(),
            percent: dec!(-10)
        })
    );
    assert_eq!(
        ShuPolicy::new(vec![
            line("cadangan", dec!(85)),
            AllocationLine::village_share(dec!(15))
        ]),
        Err(Error::BelowMinimum {
            line: "bagian_desa".into(),
            percent: dec!(15),
            minimum: dec!(20)
        })
    );
    // domain.md §4.2: published ADs that sum to 105%.
    let err = ShuPolicy::new(vec![
        line("cadangan", dec!(40)),
        line("jasa_modal", dec!(20)),
        line("jasa_usaha", dec!(20)),
        line("dana_pengurus", dec!(10)),
        line("dana_karyawan", dec!(5)),
        line("dana_sosial", dec!(10)),
    ])
    .unwrap_err();
    assert_eq!(err, Error::PercentSum { sum: dec!(105) });
    assert_eq!(
        err.to_string(),
        "allocation percentages sum to 105%, not 100%"
    );
    assert_eq!(
        ShuPolicy::new(vec![
            line("cadangan", dec!(50)),
            line("jasa_modal", dec!(25)),
            AllocationLine::new("jasa_modal_2", dec!(25), LineKind::CapitalPool),
        ]),
        Err(Error::DuplicatePool {
            line: "jasa_modal_2".into(),
            pool: Pool::Capital
        })
    );
    assert!(matches!(
        ShuPolicy::new(vec![
            line("dana_sosial", dec!(50)),
            line("jasa_usaha", dec!(50))
        ]),
        Err(Error::MissingReserve { .. })
    ));
    // A fund-only policy is valid, but cannot route non-member SHU to a reserve it lacks.
    let funds = ShuPolicy::new(vec![line("dana_sosial", dec!(100))]).unwrap();
    assert!(matches!(
        funds.with_non_member(NonMemberShu::ToReserve),
        Err(Error::MissingReserve { .. })
    ));
    assert_eq!(
        ShuPolicy::kdmp().with_non_member(NonMemberShu::ToReserve),
        Err(Error::MinimumNotGuaranteed {
            line: "bagian_desa".into()
        })
    );
    assert_eq!(
        ShareRounding::new(RoundingMethod::Floor, Rupiah::ZERO),
        Err(Error::InvalidRoundingStep { step: dec!(0.00) })
    );
}

#[test]
fn unit_weight_errors() {
    let try_units =
        |u: Vec<UnitWeight>| ShuPolicy::typical().with_patronage_basis(PatronageBasis::Units(u));
    let reason = |r: Result<ShuPolicy>| match r {
        Err(Error::InvalidUnitWeights { reason }) => reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(reason(try_units(vec![])), "no business unit listed");
    assert_eq!(
        reason(try_units(vec![UnitWeight::new("", dec!(1))])),
        "a unit has no name"
    );
    assert_eq!(
        reason(try_units(vec![
            UnitWeight::new("usp", dec!(1)),
            UnitWeight::new("usp", dec!(1))
        ])),
        "unit \"usp\" appears twice"
    );
    assert_eq!(
        reason(try_units(vec![UnitWeight::new("usp", dec!(-1))])),
        "unit \"usp\" has a negative weight (-1)"
    );
    assert_eq!(
        reason(try_units(vec![UnitWeight::new("usp", dec!(0))])),
        "every unit weight is zero"
    );
}

#[test]
fn input_errors_name_the_member_or_total() {
    let p = ShuPolicy::typical();
    let y = ShuYear::new(rp(1_000));
    let ok = MemberContribution::simple("A", rp(1), rp(1));
    let one = [ok.clone()];

    let neg = MemberContribution::simple("B", rp(-1), rp(1));
    assert_eq!(
        distribute(&p, &y, &[ok.clone(), neg]),
        Err(Error::NegativeAmount {
            field: "pokok".into(),
            place: "member #1 (B)".into(),
            amount: dec!(-1.00)
        })
    );
    assert!(matches!(
        distribute(&p, &y.clone().with_reserve_balance(rp(-1)), &one),
        Err(Error::NegativeAmount { .. })
    ));
    let neg_total = y.clone().with_totals(Totals {
        capital: Some(rp(-5)),
        ..Totals::default()
    });
    assert!(matches!(
        distribute(&p, &neg_total, &one),
        Err(Error::NegativeAmount { field, .. }) if field == "capital"
    ));
    assert_eq!(
        distribute(&p, &y.clone().with_non_member_part(rp(2_000)), &one),
        Err(Error::NonMemberShuOutOfRange {
            non_member: dec!(2000.00),
            shu: dec!(1000.00)
        })
    );
    assert_eq!(
        distribute(
            &p,
            &y,
            &[
                ok.clone(),
                MemberContribution::simple("C", rp(1), rp(1)),
                ok.clone()
            ]
        ),
        Err(Error::DuplicateMember {
            id: "A".into(),
            index: 2
        })
    );
    let funds = ShuPolicy::new(vec![line("cadangan", dec!(100))]).unwrap();
    assert_eq!(
        distribute(&funds, &y, &one),
        Err(Error::NoMemberPool { members: 1 })
    );
    // A fund-only policy with no members is fine.
    assert!(distribute::<&str>(&funds, &y, &[]).is_ok());

    let over = y.clone().with_totals(Totals {
        capital: Some(Rupiah::ZERO),
        ..Totals::default()
    });
    assert_eq!(
        distribute(&p, &over, &one),
        Err(Error::TotalsExceeded {
            pool: Pool::Capital,
            unit: None,
            members: dec!(1.00),
            total: dec!(0.00)
        })
    );
    let over = y.clone().with_totals(Totals {
        patronage: Some(Rupiah::ZERO),
        ..Totals::default()
    });
    assert!(matches!(
        distribute(&p, &over, &one),
        Err(Error::TotalsExceeded {
            pool: Pool::Patronage,
            ..
        })
    ));
    // …also in a loss year: bad input is bad input.
    let mut loss_over = over.clone();
    loss_over.shu = rp(-1);
    assert!(matches!(
        distribute(&p, &loss_over, &one),
        Err(Error::TotalsExceeded { .. })
    ));

    let units = p
        .clone()
        .with_patronage_basis(PatronageBasis::Units(vec![UnitWeight::new("usp", dec!(1))]))
        .unwrap();
    let in_unit = |unit: &str, amount: i64| {
        MemberContribution::new(
            "U",
            Savings::default(),
            Transactions {
                units: [(unit.to_owned(), rp(amount))].into_iter().collect(),
                ..Transactions::default()
            },
        )
    };
    assert_eq!(
        distribute(&units, &y, &[in_unit("apotek", 5)]),
        Err(Error::UnknownUnit {
            unit: "apotek".into(),
            place: "member #0 (U)".into()
        })
    );
    assert!(matches!(
        distribute(&units, &y, &[in_unit("usp", -5)]),
        Err(Error::NegativeAmount { .. })
    ));
    let unit_totals = |unit: &str, t: i64| {
        y.clone().with_totals(Totals {
            units: [(unit.to_owned(), rp(t))].into_iter().collect(),
            ..Totals::default()
        })
    };
    assert_eq!(
        distribute(&units, &unit_totals("apotek", 5), &[in_unit("usp", 5)]),
        Err(Error::UnknownUnit {
            unit: "apotek".into(),
            place: "totals".into()
        })
    );
    assert!(matches!(
        distribute(&units, &unit_totals("usp", -5), &[in_unit("usp", 5)]),
        Err(Error::NegativeAmount { .. })
    ));
    assert_eq!(
        distribute(&units, &unit_totals("usp", 4), &[in_unit("usp", 5)]),
        Err(Error::TotalsExceeded {
            pool: Pool::Patronage,
            unit: Some("usp".into()),
            members: dec!(5.00),
            total: dec!(4.00)
        })
    );
    let single_total = y.clone().with_totals(Totals {
        patronage: Some(rp(10)),
        ..Totals::default()
    });
    assert!(matches!(
        distribute(&units, &single_total, &[in_unit("usp", 5)]),
        Err(Error::UnusedTotal { .. })
    ));

    // Arithmetic overflow surfaces as a core error: a pool of ~Rp1,4·10²⁶ times a weight of
    // ~Rp7·10²⁶ exceeds 128 bits in the integer path and in koperasi-core's general path.
    let huge = Rupiah::try_from_sen_i128(70_000_000_000_000_000_000_000_000_000).unwrap();
    let big = MemberContribution::new(
        "Z",
        Savings {
            pokok: huge,
            wajib: Rupiah::ZERO,
            sukarela: Rupiah::ZERO,
        },
        Transactions::default(),
    );
    assert!(matches!(
        distribute(&p, &ShuYear::new(huge), &[big]),
        Err(Error::Core(koperasi_core::Error::Overflow { .. }))
    ));
}

// ---------------------------------------------------------------------------------------------
// Property tests (DESIGN §5 invariant 10)
// ---------------------------------------------------------------------------------------------

fn year() -> impl Strategy<Value = ShuYear> {
    (0_i64..10_000_000_000_000, 0_u32..=100).prop_map(|(sen, pct)| {
        let shu = Rupiah::from_sen(sen);
        let non_member = Rupiah::from_sen(sen / 100 * i64::from(pct) / 100);
        ShuYear::new(shu).with_non_member_part(non_member)
    })
}

fn sum(it: impl IntoIterator<Item = Rupiah>) -> Rupiah {
    Rupiah::try_sum(it).unwrap()
}

proptest! {
    /// Σ line amounts = SHU; the member part and the non-member part each add up; pools take
    /// only the member part.
    #[test]
    fn prop_allocation_conserves_total(
        policy in strategy::policy(),
        year in year(),
        members in strategy::members(20),
    ) {
        let d = dist(&policy, &year, &members);
        prop_assert_eq!(sum(d.lines.iter().map(|l| l.amount)), year.shu);
        prop_assert_eq!(sum(d.lines.iter().map(|l| l.from_members)), d.from_members);
        prop_assert_eq!(sum(d.lines.iter().map(|l| l.from_non_members)), d.from_non_members);
        for l in &d.lines {
            prop_assert!(!l.amount.is_negative());
            if l.kind.pool().is_some() {
                prop_assert!(l.from_non_members.is_zero());
            }
        }
        // Everything booked: funds + residue to cadangan + members + unpaid = SHU.
        let funds = sum(d.lines.iter().filter(|l| l.kind.pool().is_none()).map(|l| l.booked().unwrap()));
        let paid = sum(d.members.iter().map(|m| m.total));
        let unpaid = sum(d.pools.iter().map(|p| p.unpaid));
        prop_assert_eq!(sum([funds, paid, unpaid]), year.shu);
    }

    /// For each pool: Σ member shares + unpaid + residue + undistributed = pool (undistributed
    /// only when nobody could receive anything), with unpaid = 0 without
    /// stated totals; residue non-negative and below one step per member (+1 for the pool's
    /// own sub-step remainder).
    #[test]
    fn prop_member_shares_plus_residue_equal_pool(
        policy in strategy::policy(),
        year in year(),
        members in strategy::members(30),
    ) {
        let d = dist(&policy, &year, &members);
        let step = policy.rounding().step();
        for p in &d.pools {
            let shares = match p.pool {
                Pool::Capital => sum(d.members.iter().map(|m| m.capital)),
                Pool::Patronage => sum(d.members.iter().map(|m| m.patronage)),
            };
            prop_assert_eq!(shares, p.paid);
            prop_assert!(p.unpaid.is_zero());
            prop_assert_eq!(sum([p.paid, p.residue, p.undistributed]), p.amount);
            prop_assert!(!p.residue.is_negative());
            // Undistributed only when nobody received anything from the pool.
            prop_assert!(p.undistributed.is_zero() || p.paid.is_zero() || !p.units.is_empty());
            if p.undistributed.is_zero() {
                let bound = step.checked_mul_int(d.members.len() as i128 + 1).unwrap();
                prop_assert!(p.residue < bound, "{:?} residue {} ≥ {}", p.pool, p.residue, bound);
            }
            if policy.rounding().method() == RoundingMethod::LargestRemainder && p.paid.is_positive() {
                prop_assert!(p.residue < step);
            }
        }
        prop_assert_eq!(d.residue, sum(d.pools.iter().map(|p| p.residue)));
        for m in &d.members {
            prop_assert_eq!(m.total, m.capital.checked_add(m.patronage).unwrap());
            prop_assert_eq!(m.total.to_sen() % step.to_sen(), 0);
        }
    }

    /// Stated totals: Σ shares + unpaid + residue = pool, the others' part is reported.
    #[test]
    fn prop_totals_remainder_is_reported(
        policy in strategy::policy(),
        year in year(),
        members in strategy::members(10),
        extra in 0_i64..1_000_000_000_000,
    ) {
        let capital: Rupiah = sum(members.iter().map(|m| m.savings.pokok.checked_add(m.savings.wajib).unwrap()));
        let purchases: Rupiah = sum(members.iter().map(|m| m.transactions.purchases));
        let year = year.with_totals(Totals {
            capital: Some(capital.checked_add(Rupiah::from_sen(extra)).unwrap()),
            patronage: Some(purchases.checked_add(Rupiah::from_sen(extra)).unwrap()),
            ..Totals::default()
        });
        let d = dist(&policy, &year, &members);
        for p in &d.pools {
            prop_assert_eq!(sum([p.paid, p.unpaid, p.residue]), p.amount);
            prop_assert!(!p.residue.is_negative());
        }
    }

    /// No savings → no jasa modal; no transactions → no jasa usaha.
    #[test]
    fn prop_zero_contribution_gets_nothing(
        policy in strategy::policy(),
        year in year(),
        members in strategy::members(20),
    ) {
        let d = dist(&policy, &year, &members);
        for m in &members {
            let share = d.member(&m.id).unwrap();
            if m.savings.pokok.is_zero() && m.savings.wajib.is_zero() {
                prop_assert!(share.capital.is_zero());
            }
            if m.transactions.purchases.is_zero() {
                prop_assert!(share.patronage.is_zero());
            }
        }
    }

    /// Within a distribution a larger basis never gets less from that pool (both methods);
    /// with floor rounding, raising one member's savings never lowers their jasa modal.
    #[test]
    fn prop_more_contribution_never_less(
        policy in strategy::policy(),
        year in year(),
        members in strategy::members(20),
        who in any::<prop::sample::Index>(),
        more in 1_i64..1_000_000_000_000,
    ) {
        let d = dist(&policy, &year, &members);
        let capital = |m: &MemberContribution<u32>| m.savings.pokok.checked_add(m.savings.wajib).unwrap();
        for a in &members {
            for b in &members {
                let (sa, sb) = (d.member(&a.id).unwrap(), d.member(&b.id).unwrap());
                if capital(a) > capital(b) {
                    prop_assert!(sa.capital >= sb.capital);
                }
                if a.transactions.purchases > b.transactions.purchases {
                    prop_assert!(sa.patronage >= sb.patronage);
                }
            }
        }
        if !members.is_empty() {
            let floor = policy.clone().with_rounding(
                ShareRounding::new(RoundingMethod::Floor, policy.rounding().step()).unwrap(),
            );
            let before = dist(&floor, &year, &members);
            let mut raised = members.clone();
            let i = who.index(raised.len());
            raised[i].savings.wajib = raised[i].savings.wajib.checked_add(Rupiah::from_sen(more)).unwrap();
            let after = dist(&floor, &year, &raised);
            let id = raised[i].id;
            prop_assert!(after.member(&id).unwrap().capital >= before.member(&id).unwrap().capital);
        }
    }

    /// Permuting the members changes nothing (members are sorted by key before splitting).
    #[test]
    fn prop_member_order_does_not_matter(
        policy in strategy::policy(),
        year in year(),
        (members, shuffled) in strategy::members(25).prop_flat_map(|m| (Just(m.clone()), Just(m).prop_shuffle())),
    ) {
        prop_assert_eq!(dist(&policy, &year, &members), dist(&policy, &year, &shuffled));
    }

    /// Equal contributions: the same result every time and in any order; under largest
    /// remainder the extra units go to the lowest keys, so shares never increase with the key
    /// and differ by at most one step.
    #[test]
    fn prop_ties_are_deterministic(
        policy in strategy::policy(),
        year in year(),
        keys in prop::collection::btree_set(0_u32..1000, 1..12),
        capital in 1_i64..1_000_000,
        purchases in 1_i64..1_000_000,
    ) {
        let members: Vec<_> = keys
            .iter()
            .map(|&k| MemberContribution::simple(k, rp(capital), rp(purchases)))
            .collect();
        let reversed: Vec<_> = members.iter().rev().cloned().collect();
        let d = dist(&policy, &year, &members);
        prop_assert_eq!(&d, &dist(&policy, &year, &members));
        prop_assert_eq!(&d, &dist(&policy, &year, &reversed));
        let step = policy.rounding().step();
        for w in d.members.windows(2) {
            prop_assert!(w[0].capital >= w[1].capital);
            prop_assert!(w[0].patronage >= w[1].patronage);
            prop_assert!(w[0].capital.checked_sub(w[1].capital).unwrap() <= step);
        }
        if policy.rounding().method() == RoundingMethod::Floor {
            prop_assert!(d.members.windows(2).all(|w| w[0].total == w[1].total));
        }
    }
}

/// Regression (issue 19, `shu distribute` with no members): a pool with nobody to divide it
/// among is reported as undistributed, never as rounding residue.
#[test]
fn regression_no_members_pool_is_undistributed_not_residue() {
    let d = dist::<u32>(&issue_policy(), &ShuYear::new(rp(40_000_000)), &[]);
    assert_eq!(d.residue, Rupiah::ZERO);
    assert_eq!(d.undistributed, rp(22_000_000));
    for p in &d.pools {
        assert_eq!(p.residue, Rupiah::ZERO);
        assert_eq!(p.undistributed, p.amount);
    }
    let cadangan = d.line("cadangan").unwrap();
    assert_eq!(cadangan.residue_received, Rupiah::ZERO);
    assert_eq!(cadangan.undistributed_received, rp(22_000_000));
    assert_eq!(cadangan.booked().unwrap(), rp(40_000_000));
}

/// Regression (issue 19, every basis zero): members given but all with zero capital and
/// patronage: both pools undistributed, the members get nothing, no residue.
#[test]
fn regression_all_zero_basis_pool_is_undistributed_not_residue() {
    let members = [
        MemberContribution::simple("A", Rupiah::ZERO, Rupiah::ZERO),
        MemberContribution::simple("B", Rupiah::ZERO, Rupiah::ZERO),
    ];
    let d = dist(&issue_policy(), &ShuYear::new(rp(40_000_000)), &members);
    assert_eq!(d.residue, Rupiah::ZERO);
    assert_eq!(d.undistributed, rp(22_000_000));
    assert!(d.members.iter().all(|m| m.total.is_zero()));
}

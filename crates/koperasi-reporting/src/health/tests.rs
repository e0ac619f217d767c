use super::perdep::d;
use super::*;
use crate::error::{Error, ProfileProblem};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The worked example "KSP Sukamaju" (testdata/koperasi-reporting/health-sukamaju.json),
/// every figure computed by hand in the test comments.
pub(crate) fn sukamaju() -> HealthInputs {
    let mut i = HealthInputs::default();
    for (k, v) in [
        ("modal_sendiri", 450_000_000),
        ("total_aset", 1_000_000_000),
        ("pinjaman_berisiko", 600_000_000),
        ("modal_tertimbang", 90_000_000),
        ("atmr", 1_000_000_000),
        ("pinjaman_anggota", 700_000_000),
        ("pinjaman_diberikan", 800_000_000),
        ("pinjaman_kurang_lancar", 40_000_000),
        ("pinjaman_diragukan", 20_000_000),
        ("pinjaman_macet", 10_000_000),
        ("cadangan_risiko", 30_000_000),
        ("manajemen_umum_ya", 10),
        ("manajemen_umum_pertanyaan", 12),
        ("manajemen_kelembagaan_ya", 6),
        ("manajemen_kelembagaan_pertanyaan", 6),
        ("manajemen_permodalan_ya", 4),
        ("manajemen_permodalan_pertanyaan", 5),
        ("manajemen_aktiva_ya", 7),
        ("manajemen_aktiva_pertanyaan", 10),
        ("manajemen_likuiditas_ya", 5),
        ("manajemen_likuiditas_pertanyaan", 5),
        ("beban_operasi_anggota", 80_000_000),
        ("partisipasi_bruto", 100_000_000),
        ("beban_usaha", 30_000_000),
        ("shu_kotor", 60_000_000),
        ("biaya_karyawan", 12_000_000),
        ("volume_pinjaman", 800_000_000),
        ("kas", 60_000_000),
        ("bank", 40_000_000),
        ("kewajiban_lancar", 800_000_000),
        ("dana_diterima", 1_000_000_000),
        ("shu_sebelum_pajak", 60_000_000),
        ("shu_bagian_anggota", 18_000_000),
        ("partisipasi_neto", 50_000_000),
        ("beban_perkoperasian", 10_000_000),
        ("pendapatan", 20_000_000),
        ("mepp", 5_000_000),
        ("simpanan_pokok", 100_000_000),
        ("simpanan_wajib", 200_000_000),
    ] {
        i.set_input(k, Decimal::from(v));
    }
    i
}

fn skor(a: &Assessment, code: &str) -> (Decimal, Decimal, Decimal) {
    let c = a.component(code).unwrap();
    (c.ratio, c.nilai, c.skor)
}

/// Issue 19: health ranges in Indonesian decimal form.
#[test]
fn interval_uses_decimal_commas() {
    let b = Band {
        lower: Bound::Inclusive(dec!(7.5)),
        upper: Bound::Exclusive(dec!(10)),
        nilai: dec!(50),
    };
    assert_eq!(b.interval(), "[7,5; 10)");
    let b = Band {
        lower: Bound::Exclusive(dec!(1000.25)),
        upper: Bound::Unbounded,
        nilai: dec!(0),
    };
    assert_eq!(b.interval(), "(1.000,25; +∞)");
}

#[test]
fn validate_rejects_impossible_inputs() {
    let mut ok = HealthInputs::default();
    ok.set_input("kas", d(0))
        .set_input("manajemen_umum_pertanyaan", d(12))
        .set_input("manajemen_umum_ya", d(12))
        .set_input("shu_sebelum_pajak", d(-5)); // a loss is possible
    assert_eq!(ok.validate(), Ok(()));
    let kind = |h: &HealthInputs| match h.validate() {
        Err(Error::InvalidInput { key, .. }) => key,
        other => panic!("{other:?}"),
    };
    // Issue 19: "20 yes answers out of 12 questions".
    let mut h = ok.clone();
    h.set_input("manajemen_umum_ya", d(20));
    assert_eq!(kind(&h), "manajemen_umum_ya");
    let mut h = ok.clone();
    h.set_input("kas", d(-1));
    assert_eq!(kind(&h), "kas");
    let mut h = ok.clone();
    h.set_input("manajemen_umum_pertanyaan", d(0));
    assert_eq!(kind(&h), "manajemen_umum_pertanyaan");
    let mut h = ok.clone();
    h.set_input("manajemen_umum_ya", Decimal::new(25, 1));
    assert_eq!(kind(&h), "manajemen_umum_ya");
    let mut h = ok;
    h.set_ratio("manajemen_aktiva", d(120));
    assert_eq!(kind(&h), "manajemen_aktiva");
}

#[test]
fn perdep_profile_is_valid_and_weighs_100() {
    let p = perdep_06_2016();
    p.validate().unwrap();
    assert_eq!(p.aspects.len(), 7);
    assert_eq!(p.indicators().count(), 22);
    let bobot: Vec<Decimal> = p
        .aspects
        .iter()
        .map(|a| a.indicators.iter().map(|i| i.bobot).sum())
        .collect();
    assert_eq!(bobot, [15, 25, 15, 10, 15, 10, 10].map(Decimal::from));
}

#[test]
fn sukamaju_hand_computed() {
    let a = assess(&perdep_06_2016(), &sukamaju()).unwrap();
    // Permodalan: 45 % → 100 → 6; 75 % → 70 → 4,2; 9 % → 100 → 3.
    assert_eq!(
        skor(&a, "modal_sendiri_total_aset"),
        (dec!(45), dec!(100), dec!(6))
    );
    assert_eq!(
        skor(&a, "modal_sendiri_pinjaman_berisiko"),
        (dec!(75), dec!(70), dec!(4.2))
    );
    assert_eq!(skor(&a, "kecukupan_modal"), (dec!(9), dec!(100), dec!(3)));
    // KAP: 87,5 % → 100 → 10; RPM 45 jt / 800 jt = 5,625 → 5,63 → 80 → 4;
    // 30/45 = 66,67 → 66 → 3,3; 75 % → 25 → 1,25.
    assert_eq!(
        skor(&a, "volume_pinjaman_anggota"),
        (dec!(87.5), dec!(100), dec!(10))
    );
    assert_eq!(
        skor(&a, "risiko_pinjaman_bermasalah"),
        (dec!(5.63), dec!(80), dec!(4))
    );
    assert_eq!(
        skor(&a, "cadangan_risiko"),
        (dec!(66.67), dec!(66), dec!(3.3))
    );
    assert_eq!(
        skor(&a, "pinjaman_berisiko"),
        (dec!(75), dec!(25), dec!(1.25))
    );
    // Manajemen: 10/12 = 83,33 → skor 2,4999 → 2,50.
    assert_eq!(
        skor(&a, "manajemen_umum"),
        (dec!(83.33), dec!(83.33), dec!(2.5))
    );
    assert_eq!(
        skor(&a, "manajemen_aktiva"),
        (dec!(70), dec!(70), dec!(2.1))
    );
    // Efisiensi: 80 → 75 → 3; 50 → 75 → 3; 1,5 → 100 → 2.
    assert_eq!(
        skor(&a, "beban_operasi_anggota"),
        (dec!(80), dec!(75), dec!(3))
    );
    assert_eq!(
        skor(&a, "beban_usaha_shu_kotor"),
        (dec!(50), dec!(75), dec!(3))
    );
    assert_eq!(
        skor(&a, "efisiensi_pelayanan"),
        (dec!(1.5), dec!(100), dec!(2))
    );
    // Likuiditas: 12,5 → 100 → 10; 80 → 100 → 5.
    assert_eq!(skor(&a, "rasio_kas"), (dec!(12.5), dec!(100), dec!(10)));
    assert_eq!(
        skor(&a, "pinjaman_dana_diterima"),
        (dec!(80), dec!(100), dec!(5))
    );
    // Kemandirian: 6 → 50 → 1,5; 4 → 75 → 2,25; 125 → 100 → 4.
    assert_eq!(
        skor(&a, "rentabilitas_aset"),
        (dec!(6), dec!(50), dec!(1.5))
    );
    assert_eq!(
        skor(&a, "rentabilitas_modal_sendiri"),
        (dec!(4), dec!(75), dec!(2.25))
    );
    assert_eq!(
        skor(&a, "kemandirian_operasional"),
        (dec!(125), dec!(100), dec!(4))
    );
    // Jatidiri: 100/120 = 83,33 → 100 → 7; 23/300 = 7,67 → 75 → 2,25.
    assert_eq!(
        skor(&a, "partisipasi_bruto"),
        (dec!(83.33), dec!(100), dec!(7))
    );
    assert_eq!(
        skor(&a, "promosi_ekonomi_anggota"),
        (dec!(7.67), dec!(75), dec!(2.25))
    );
    let aspects: Vec<Decimal> = a.aspects.iter().map(|x| x.skor).collect();
    assert_eq!(
        aspects,
        [
            dec!(13.2),
            dec!(18.55),
            dec!(13),
            dec!(8),
            dec!(15),
            dec!(7.75),
            dec!(9.25)
        ]
    );
    assert_eq!(a.total, dec!(84.75));
    assert_eq!(a.predikat, Predikat::Sehat);
    // Traceable: the cash ratio names its inputs.
    match &a.component("rasio_kas").unwrap().source {
        RatioSource::Computed {
            numerator,
            denominator,
            inputs,
        } => {
            assert_eq!(*numerator, dec!(100000000));
            assert_eq!(*denominator, dec!(800000000));
            assert_eq!(inputs.len(), 3);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn given_ratio_overrides_formula_and_band_edges() {
    let p = perdep_06_2016();
    let mut i = sukamaju();
    for (r, n) in [
        (dec!(10), 25),
        (dec!(10.01), 100),
        (dec!(15), 100),
        (dec!(15.01), 50),
        (dec!(20.01), 25),
    ] {
        i.set_ratio("rasio_kas", r);
        let a = assess(&p, &i).unwrap();
        assert_eq!(
            a.component("rasio_kas").unwrap().nilai,
            Decimal::from(n),
            "ratio {r}"
        );
        assert_eq!(a.component("rasio_kas").unwrap().source, RatioSource::Given);
    }
}

#[test]
fn zero_denominator_uses_profile_nilai_or_fails() {
    let p = perdep_06_2016();
    let mut i = sukamaju();
    for k in [
        "pinjaman_kurang_lancar",
        "pinjaman_diragukan",
        "pinjaman_macet",
    ] {
        i.set_input(k, Decimal::ZERO);
    }
    let a = assess(&p, &i).unwrap();
    assert_eq!(a.component("cadangan_risiko").unwrap().nilai, dec!(100));
    assert_eq!(
        a.component("risiko_pinjaman_bermasalah").unwrap().nilai,
        dec!(100)
    );
    i.set_input("kewajiban_lancar", Decimal::ZERO);
    assert_eq!(
        assess(&p, &i),
        Err(Error::ZeroDenominator {
            indicator: "rasio_kas".into()
        })
    );
}

#[test]
fn every_error_variant_of_the_engine() {
    let p = perdep_06_2016();
    let mut i = sukamaju();
    i.inputs.remove("kas");
    assert_eq!(
        assess(&p, &i),
        Err(Error::MissingInput {
            indicator: "rasio_kas".into(),
            input: "kas".into()
        })
    );
    let mut i = sukamaju();
    i.set_input("kass", Decimal::ONE);
    assert!(matches!(assess(&p, &i), Err(Error::UnknownInput { key, .. }) if key == "kass"));
    let mut i = sukamaju();
    i.set_ratio("rasio_kass", Decimal::ONE);
    assert!(matches!(assess(&p, &i), Err(Error::UnknownInput { .. })));
    assert!(matches!(
        profile("permenkop-9-2020"),
        Err(Error::UnknownProfile { .. })
    ));
    assert!(matches!(
        Predikat::from_score(dec!(100.01)),
        Err(Error::ScoreOutOfRange { .. })
    ));
    assert!(matches!(
        Predikat::from_score(dec!(-1)),
        Err(Error::ScoreOutOfRange { .. })
    ));

    let mut bad = perdep_06_2016();
    bad.aspects[0].indicators[0].bobot = dec!(7);
    assert!(matches!(
        bad.validate(),
        Err(Error::InvalidProfile {
            problem: ProfileProblem::WeightsDoNotSum { .. },
            ..
        })
    ));
    let mut bad = perdep_06_2016();
    bad.aspects[0].indicators[0].scoring = Scoring::Bands(vec![
        Band::new(Bound::Unbounded, Bound::Exclusive(dec!(5)), 1),
        Band::new(Bound::Exclusive(dec!(5)), Bound::Unbounded, 2),
    ]);
    assert!(matches!(
        bad.validate(),
        Err(Error::InvalidProfile {
            problem: ProfileProblem::BadBands { .. },
            ..
        })
    ));
    let mut bad = perdep_06_2016();
    bad.aspects[0].indicators[0].formula.denominator.clear();
    assert!(matches!(
        bad.validate(),
        Err(Error::InvalidProfile {
            problem: ProfileProblem::EmptyDenominator { .. },
            ..
        })
    ));
    let mut bad = perdep_06_2016();
    let dup = bad.aspects[0].indicators[0].clone();
    bad.aspects[0].indicators[1].code = dup.code;
    assert!(matches!(
        bad.validate(),
        Err(Error::InvalidProfile {
            problem: ProfileProblem::DuplicateIndicator { .. },
            ..
        })
    ));
    let mut bad = perdep_06_2016();
    bad.predikat_bands.reverse();
    assert!(matches!(
        bad.validate(),
        Err(Error::InvalidProfile {
            problem: ProfileProblem::PredikatBandsUnordered,
            ..
        })
    ));
    let mut bad = perdep_06_2016();
    bad.ratio_precision.decimals = 3;
    assert!(matches!(
        bad.validate(),
        Err(Error::InvalidProfile {
            problem: ProfileProblem::PrecisionTooFine { decimals: 3 },
            ..
        })
    ));
    // A profile whose bands do not cover the ratio (validation skipped by building the
    // band table with a hole is impossible through validate, so score directly):
    let p = perdep_06_2016();
    let mut holey = p.aspects[4].indicators[0].clone();
    holey.scoring = Scoring::Bands(vec![Band::new(
        Bound::Inclusive(dec!(0)),
        Bound::Inclusive(dec!(1)),
        1,
    )]);
    let mut i = sukamaju();
    i.set_ratio("rasio_kas", dec!(50));
    assert!(matches!(
        score_indicator(&p, &p.aspects[4], &holey, &i),
        Err(Error::NoBand { .. })
    ));
}

#[test]
fn predikat_bands() {
    for (s, p) in [
        (dec!(100), Predikat::Sehat),
        (dec!(80), Predikat::Sehat),
        (dec!(79.99), Predikat::CukupSehat),
        (dec!(66), Predikat::CukupSehat),
        (dec!(65.99), Predikat::DalamPengawasan),
        (dec!(51), Predikat::DalamPengawasan),
        (dec!(50.99), Predikat::DalamPengawasanKhusus),
        (dec!(0), Predikat::DalamPengawasanKhusus),
    ] {
        assert_eq!(Predikat::from_score(s).unwrap(), p, "{s}");
    }
}

proptest! {
    #[test]
    fn prop_total_is_sum_of_components(ratios in proptest::collection::vec(0_i64..=20_000, 22)) {
        let p = perdep_06_2016();
        let mut i = HealthInputs::default();
        for (code, r) in p.indicator_codes().zip(ratios) {
            i.set_ratio(code, Decimal::new(r, 2));
        }
        let a = assess(&p, &i).unwrap();
        let sum: Decimal = a.components.iter().map(|c| c.skor).sum();
        let asum: Decimal = a.aspects.iter().map(|c| c.skor).sum();
        prop_assert_eq!(sum, a.total);
        prop_assert_eq!(asum, a.total);
        prop_assert!(a.total >= Decimal::ZERO && a.total <= Decimal::ONE_HUNDRED);
        prop_assert_eq!(Predikat::from_score(a.total).unwrap(), a.predikat);
    }

    #[test]
    fn prop_every_ratio_falls_in_exactly_one_band(r in -100_000_i64..=100_000) {
        let x = Decimal::new(r, 2);
        for (_, ind) in perdep_06_2016().indicators() {
            if let Scoring::Bands(b) = &ind.scoring {
                prop_assert_eq!(b.iter().filter(|b| b.contains(x)).count(), 1);
            }
        }
    }
}

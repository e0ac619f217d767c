//! Example tests for every error variant and the property tests of the crate's invariants.

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, LoanId, MemberId, Period, Rupiah};
use proptest::prelude::*;

use crate::strategy::{NikSpec, nik_spec};
use crate::*;

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn village() -> VillageCode {
    "35.74.01.1001".parse().unwrap()
}

fn mid(n: u128) -> MemberId {
    MemberId::from_u128(n)
}

fn aid(n: u128) -> ActorId {
    ActorId::from_u128(n)
}

/// A valid NIK with serial `n` (men born 1 January 1980 in Kota Probolinggo).
fn nik_n(n: u16) -> Nik {
    Nik::parse(&format!("357401010180{n:04}")).unwrap()
}

fn applicant(n: u16) -> Applicant {
    Applicant::new(
        mid(u128::from(n)),
        nik_n(n),
        format!("Anggota {n}"),
        d(1980, 1, 1),
        village(),
    )
}

/// A KDMP registry with `k` admitted anggota, ids 1..=k, admitted on 2025-07-01.
fn registry_with(k: u16) -> Registry {
    let mut reg = Registry::new(MembershipRules::kdmp(village()));
    for n in 1..=k {
        reg.register(applicant(n), d(2025, 7, 1)).unwrap();
        reg.record_pokok_payment(mid(u128::from(n)), d(2025, 7, 1))
            .unwrap();
        reg.admit(mid(u128::from(n)), d(2025, 7, 1), "rapat pendirian")
            .unwrap();
    }
    reg
}

// ---------------------------------------------------------------- NIK

#[test]
fn nik_decodes_worked_example() {
    let nik = Nik::parse("3574014506900001").unwrap();
    let p = nik.decode(d(2026, 1, 5), &CenturyRule::default()).unwrap();
    assert_eq!(p.province.code(), 35);
    assert_eq!(p.province.name(), "Jawa Timur");
    assert_eq!(p.regency_code, 74);
    assert_eq!(p.district_code, 1);
    assert_eq!(p.birth_date, d(1990, 6, 5));
    assert_eq!(p.gender, Gender::Female);
    assert_eq!(p.serial, 1);
    assert!(!p.century_ambiguous);
    assert_eq!(p.age_on(d(2026, 1, 5)), Some(35));
    assert_eq!(nik.region(), "35.74.01");
    let male = Nik::parse("3201010512990123").unwrap();
    assert_eq!(male.gender(), Gender::Male);
    assert_eq!(male.birth_day(), 5);
    assert_eq!(male.serial(), 123);
    assert_eq!(male.province().name(), "Jawa Barat");
}

#[test]
fn nik_separators_are_ignored() {
    let a = Nik::parse("35.74.01-450690-0001").unwrap();
    let b = Nik::parse(" 3574 0145 0690 0001 ").unwrap();
    assert_eq!(a, b);
    assert_eq!(a.to_string(), "3574014506900001");
    assert_eq!("3574014506900001".parse::<Nik>().unwrap(), a);
}

#[test]
fn nik_error_non_digit() {
    assert_eq!(
        Nik::parse("35740145O6900001"),
        Err(Error::NikNonDigit {
            offset: 8,
            found: 'O'
        })
    );
    assert_eq!(
        Nik::parse("3574é"),
        Err(Error::NikNonDigit {
            offset: 4,
            found: 'é'
        })
    );
    assert_eq!(
        Nik::parse("3574014506900001\n"),
        Err(Error::NikNonDigit {
            offset: 16,
            found: '\n'
        })
    );
    let mut bytes = *b"3574014506900001";
    bytes[3] = b'x';
    assert_eq!(
        Nik::from_digits(bytes),
        Err(Error::NikNonDigit {
            offset: 3,
            found: 'x'
        })
    );
}

#[test]
fn nik_error_length() {
    assert_eq!(Nik::parse(""), Err(Error::NikLength { digits: 0 }));
    assert_eq!(
        Nik::parse("357401450690000"),
        Err(Error::NikLength { digits: 15 })
    );
    assert_eq!(
        Nik::parse("35740145069000011"),
        Err(Error::NikLength { digits: 17 })
    );
    assert_eq!(Nik::parse("- . -"), Err(Error::NikLength { digits: 0 }));
}

#[test]
fn nik_error_province() {
    for code in ["00", "10", "20", "37", "54", "90", "97", "99"] {
        let s = format!("{code}74014506900001");
        let n: u8 = code.parse().unwrap();
        assert_eq!(
            Nik::parse(&s),
            Err(Error::NikUnknownProvince { code: n }),
            "{s}"
        );
    }
    assert_eq!(
        Province::from_code(37),
        Err(Error::NikUnknownProvince { code: 37 })
    );
}

#[test]
fn nik_error_zero_regency_and_district() {
    assert_eq!(Nik::parse("3500014506900001"), Err(Error::NikZeroRegency));
    assert_eq!(Nik::parse("3574004506900001"), Err(Error::NikZeroDistrict));
}

#[test]
fn nik_error_birth_day() {
    for dd in [0u8, 32, 39, 40, 72, 99] {
        let s = format!("357401{dd:02}0690") + "0001";
        assert_eq!(Nik::parse(&s), Err(Error::NikBirthDay { value: dd }), "{s}");
    }
    assert!(Nik::parse("3574013106900001").is_err()); // 31 June
    assert!(Nik::parse("3574014101900001").is_ok()); // female, 1 January
    assert!(Nik::parse("3574017101900001").is_ok()); // female, 31 January
}

#[test]
fn nik_error_birth_month() {
    assert_eq!(
        Nik::parse("3574010500900001"),
        Err(Error::NikBirthMonth { value: 0 })
    );
    assert_eq!(
        Nik::parse("3574010513900001"),
        Err(Error::NikBirthMonth { value: 13 })
    );
}

#[test]
fn nik_error_birth_date() {
    assert_eq!(
        Nik::parse("3574013104900001"),
        Err(Error::NikBirthDate {
            day: 31,
            month: 4,
            year_2: 90
        })
    );
    // 29 February: yy = 01 is never a leap year; women's form too.
    assert_eq!(
        Nik::parse("3574016902010001"),
        Err(Error::NikBirthDate {
            day: 29,
            month: 2,
            year_2: 1
        })
    );
    assert_eq!(
        Nik::parse("3574013002880001"),
        Err(Error::NikBirthDate {
            day: 30,
            month: 2,
            year_2: 88
        })
    );
    // 29 February 1988 and 2000 exist.
    assert!(Nik::parse("3574012902880001").is_ok());
    let y2000 = Nik::parse("3574012902000001").unwrap();
    // 1900 was not a leap year: only 2000 is a candidate, even when 1900 would fit the ages.
    let b = y2000
        .birth_date(d(2026, 1, 1), &CenturyRule::new(0, 200))
        .unwrap();
    assert_eq!(
        b,
        BirthDate {
            date: d(2000, 2, 29),
            ambiguous: false
        }
    );
}

#[test]
fn nik_error_zero_serial() {
    assert_eq!(Nik::parse("3574014506900000"), Err(Error::NikZeroSerial));
}

#[test]
fn nik_error_birth_year_and_century() {
    let nik = Nik::parse("3574010101200001").unwrap(); // yy = 20
    let as_of = d(2026, 1, 5);
    assert_eq!(
        nik.birth_date(as_of, &CenturyRule::new(17, 90)),
        Err(Error::NikBirthYear {
            year_2: 20,
            as_of,
            min_age: 17,
            max_age: 90
        })
    );
    // Default range 0..=120: 1920 (106) and 2020 (6) both fit → the younger, flagged.
    let b = nik.birth_date(as_of, &CenturyRule::default()).unwrap();
    assert_eq!(
        b,
        BirthDate {
            date: d(2020, 1, 1),
            ambiguous: true
        }
    );
    // An adult's rule picks 1920.
    let b = nik.birth_date(as_of, &CenturyRule::new(17, 120)).unwrap();
    assert_eq!(
        b,
        BirthDate {
            date: d(1920, 1, 1),
            ambiguous: false
        }
    );
    // A birth date after the reference date is impossible.
    let future = Nik::parse("3574010512250001").unwrap(); // 5 Dec ..25
    let b = future
        .birth_date(d(2025, 6, 1), &CenturyRule::default())
        .unwrap();
    assert_eq!(b.date, d(1925, 12, 5));
    assert!(
        Nik::parse_as_of("3574010512250001", d(2025, 6, 1))
            .unwrap()
            .birth_date
            == d(1925, 12, 5)
    );
}

#[test]
fn nik_masked_and_debug_hide_personal_data() {
    let nik = Nik::parse("3574014506900001").unwrap();
    assert_eq!(nik.masked().to_string(), "3574**********01");
    assert_eq!(format!("{nik:?}"), "Nik(3574**********01)");
    let e = Error::DuplicateNik {
        nik: nik.masked(),
        existing: mid(1),
    };
    assert!(!e.to_string().contains("4506900001"));
}

#[test]
fn province_table_is_complete_and_ordered() {
    assert_eq!(PROVINCES.len(), 38);
    assert!(PROVINCES.windows(2).all(|w| w[0].0 < w[1].0));
    for &(code, name) in PROVINCES {
        assert_eq!(Province::from_code(code).unwrap().name(), name);
    }
    for (code, name) in [
        (91, "Papua"),
        (92, "Papua Barat"),
        (93, "Papua Selatan"),
        (94, "Papua Tengah"),
        (95, "Papua Pegunungan"),
        (96, "Papua Barat Daya"),
        (65, "Kalimantan Utara"),
        (76, "Sulawesi Barat"),
    ] {
        assert_eq!(Province::from_code(code).unwrap().name(), name);
        assert_eq!(Province::from_code(code).unwrap().to_string(), name);
    }
}

#[test]
fn village_code_errors() {
    let v = village();
    assert_eq!(v.digits(), "3574011001");
    assert!(v.is_kelurahan());
    assert!(
        !"35.13.05.2001"
            .parse::<VillageCode>()
            .unwrap()
            .is_kelurahan()
    );
    assert_eq!(
        VillageCode::parse("35.74.01.10a1"),
        Err(Error::VillageCodeNonDigit {
            offset: 11,
            found: 'a'
        })
    );
    assert_eq!(
        VillageCode::parse("35.74.01.100"),
        Err(Error::VillageCodeLength { digits: 9 })
    );
    for (s, part) in [
        ("20.74.01.1001", "province"),
        ("35.00.01.1001", "regency"),
        ("35.74.00.1001", "district"),
        ("35.74.01.0000", "village"),
    ] {
        assert_eq!(VillageCode::parse(s), Err(Error::VillageCodePart { part }));
    }
}

fn spec_strategy_unambiguous() -> impl Strategy<Value = NikSpec> {
    // Birth dates 1927-01-02..=2025-12-31 with ages 0..=98 on 2026-01-01: one century only.
    nik_spec().prop_filter("unambiguous century", |s| {
        s.birth_date >= d(1927, 1, 2) && s.birth_date <= d(2025, 12, 31)
    })
}

proptest! {
    #[test]
    fn prop_valid_nik_round_trips(spec in spec_strategy_unambiguous(), sep in 0usize..3) {
        let digits = spec.digits();
        let input = match sep {
            0 => digits.clone(),
            1 => format!("{} {} {} {}", &digits[..4], &digits[4..8], &digits[8..12], &digits[12..]),
            _ => format!("{}.{}.{}-{}-{}", &digits[..2], &digits[2..4], &digits[4..6], &digits[6..12], &digits[12..]),
        };
        let nik = Nik::parse(&input).unwrap();
        prop_assert_eq!(nik.as_str(), digits.as_str());
        let p = nik.decode(d(2026, 1, 1), &CenturyRule::new(0, 98)).unwrap();
        prop_assert_eq!(p.province.code(), spec.province);
        prop_assert_eq!(p.regency_code, spec.regency);
        prop_assert_eq!(p.district_code, spec.district);
        prop_assert_eq!(p.birth_date, spec.birth_date);
        prop_assert!(!p.century_ambiguous);
        prop_assert_eq!(p.gender, spec.gender);
        prop_assert_eq!(p.serial, spec.serial);
        prop_assert_eq!(Nik::parse(&nik.to_string()).unwrap(), nik);
    }

    #[test]
    fn prop_non_digit_rejected(spec in nik_spec(), pos in 0usize..16, c in any::<char>()) {
        prop_assume!(!c.is_ascii_digit() && c != ' ' && c != '.' && c != '-');
        let mut s = spec.digits();
        s.replace_range(pos..=pos, &c.to_string());
        prop_assert_eq!(Nik::parse(&s), Err(Error::NikNonDigit { offset: pos, found: c }));
    }

    #[test]
    fn prop_wrong_length_rejected(digits in "[0-9]{0,40}") {
        prop_assume!(digits.len() != 16);
        prop_assert_eq!(Nik::parse(&digits), Err(Error::NikLength { digits: digits.len() }));
    }

    #[test]
    fn prop_bad_date_rejected(spec in nik_spec(), which in 0u8..3, v in 0u8..100) {
        let mut s = spec.digits();
        match which {
            0 => {
                prop_assume!(!(1..=31).contains(&v) && !(41..=71).contains(&v));
                s.replace_range(6..8, &format!("{v:02}"));
                prop_assert_eq!(Nik::parse(&s), Err(Error::NikBirthDay { value: v }));
            }
            1 => {
                prop_assume!(!(1..=12).contains(&v));
                s.replace_range(8..10, &format!("{v:02}"));
                prop_assert_eq!(Nik::parse(&s), Err(Error::NikBirthMonth { value: v }));
            }
            _ => {
                // A day just past the end of the month (30 Feb, 31 Apr, 29 Feb of yy % 4 != 0…).
                let month = 1 + v % 12;
                let yy = spec.birth_date.format("%y").to_string().parse::<u8>().unwrap();
                let last = match month { 2 if yy % 4 == 0 => 29, 2 => 28, 4 | 6 | 9 | 11 => 30, _ => 31 };
                prop_assume!(last < 31);
                let day = last + 1;
                s.replace_range(6..10, &format!("{day:02}{month:02}"));
                prop_assert_eq!(Nik::parse(&s), Err(Error::NikBirthDate { day, month, year_2: yy }));
            }
        }
    }

    #[test]
    fn prop_zero_serial_rejected(spec in nik_spec()) {
        let mut s = spec.digits();
        s.replace_range(12..16, "0000");
        prop_assert_eq!(Nik::parse(&s), Err(Error::NikZeroSerial));
    }

    #[test]
    fn prop_parse_never_panics(s in any::<String>()) {
        let _ = Nik::parse(&s);
        let _ = VillageCode::parse(&s);
    }
}

// ---------------------------------------------------------------- registry and lifecycle

#[test]
fn register_admit_and_lookup() {
    let mut reg = Registry::new(MembershipRules::kdmp(village()));
    let siti = Applicant::new(
        mid(1),
        Nik::parse("3574014506900001").unwrap(),
        "Siti  Rahayu",
        d(1990, 6, 5),
        village(),
    )
    .with_gender(Gender::Female);
    let r = reg.register(siti, d(2026, 1, 5)).unwrap();
    assert_eq!(r.id, mid(1));
    assert!(r.warnings.is_empty());
    let m = reg.get(mid(1)).unwrap();
    assert_eq!(m.status(), MemberStatus::Candidate);
    assert_eq!(m.registered_on(), d(2026, 1, 5));
    assert_eq!(reg.admission_deadline(m), Some(d(2026, 4, 5)));
    reg.record_pokok_payment(mid(1), d(2026, 1, 10)).unwrap();
    assert_eq!(
        reg.admit(mid(1), d(2026, 4, 5), "SK 1/2026").unwrap(),
        MemberStatus::Member
    );
    let m = reg.get(mid(1)).unwrap();
    assert_eq!(m.admitted_on(), Some(d(2026, 4, 5)));
    assert_eq!(m.pokok_paid_on(), Some(d(2026, 1, 10)));
    assert_eq!(m.history().len(), 2);
    assert_eq!(m.history()[1].reason, "SK 1/2026");
    assert_eq!(m.status_on(d(2026, 1, 4)), None);
    assert_eq!(m.status_on(d(2026, 2, 1)), Some(MemberStatus::Candidate));
    assert_eq!(m.status_on(d(2026, 4, 5)), Some(MemberStatus::Member));
    assert_eq!(m.name(), "Siti  Rahayu");
    assert_eq!(m.kind(), MembershipKind::Regular);
    assert_eq!(m.domicile(), village());
    assert_eq!(m.gender(), Some(Gender::Female));
    assert_eq!(m.citizenship(), Citizenship::Indonesian);
    assert!(!m.married());
    assert_eq!(m.birth_date(), d(1990, 6, 5));
    assert_eq!(
        reg.by_nik(&Nik::parse("3574014506900001").unwrap())
            .map(Member::id),
        Some(mid(1))
    );
    assert_eq!(reg.find_by_name("siti rahayu").count(), 1);
    assert_eq!(reg.find_by_name("RAHAYU").count(), 1);
    assert_eq!(reg.find_by_name("budi").count(), 0);
    assert_eq!(reg.find_by_name("  ").count(), 0);
    assert_eq!(reg.len(), 1);
    assert!(!reg.is_empty());
    let c = reg.counts();
    assert_eq!(
        (c.get(MemberStatus::Member), c.active(), c.total()),
        (1, 1, 1)
    );
    let before = reg.counts_on(d(2026, 2, 1));
    assert_eq!(before.get(MemberStatus::Candidate), 1);
    assert_eq!(before.get(MemberStatus::Member), 0);
    assert_eq!(reg.counts_on(d(2025, 1, 1)).total(), 0);
    assert_eq!(c.iter().count(), 6);
}

#[test]
fn registration_warnings_for_ktp_mismatch() {
    let mut reg = Registry::default();
    let a = Applicant::new(
        mid(1),
        Nik::parse("3574014506900001").unwrap(),
        "Siti",
        d(1990, 6, 6),
        village(),
    )
    .with_gender(Gender::Male);
    let r = reg.register(a, d(2026, 1, 5)).unwrap();
    assert_eq!(
        r.warnings,
        vec![
            RegistrationWarning::NikBirthDateMismatch {
                nik: (5, 6, 90),
                ktp: d(1990, 6, 6)
            },
            RegistrationWarning::NikGenderMismatch {
                nik: Gender::Female,
                ktp: Gender::Male
            }
        ]
    );
}

#[test]
fn registry_errors_duplicate_and_unknown() {
    let mut reg = registry_with(1);
    let snapshot = reg.clone();
    let mut dup = applicant(1);
    dup.id = mid(99);
    assert_eq!(
        reg.register(dup, d(2026, 1, 1)),
        Err(Error::DuplicateNik {
            nik: nik_n(1).masked(),
            existing: mid(1)
        })
    );
    let mut dup_id = applicant(2);
    dup_id.id = mid(1);
    assert_eq!(
        reg.register(dup_id, d(2026, 1, 1)),
        Err(Error::DuplicateMemberId { id: mid(1) })
    );
    let mut noname = applicant(3);
    noname.name = "  ".into();
    assert_eq!(reg.register(noname, d(2026, 1, 1)), Err(Error::EmptyName));
    assert_eq!(
        reg.admit(mid(42), d(2026, 1, 1), "x"),
        Err(Error::UnknownMember { id: mid(42) })
    );
    assert_eq!(
        reg.record_pokok_payment(mid(42), d(2026, 1, 1)),
        Err(Error::UnknownMember { id: mid(42) })
    );
    assert_eq!(reg, snapshot);
}

#[test]
fn eligibility_rules() {
    let reg = Registry::new(MembershipRules::kdmp(village()));
    let on = d(2026, 1, 5);
    let inel = |reason| Err(Error::Ineligible { id: mid(1), reason });
    let young = Applicant::new(mid(1), nik_n(1), "Budi", d(2010, 1, 1), village());
    assert_eq!(
        reg.check_eligibility(&young, on),
        inel(Ineligibility::TooYoung {
            age: 16,
            min_age: 17
        })
    );
    assert_eq!(
        reg.check_eligibility(&young.clone().with_married(true), on),
        Ok(())
    );
    let unborn = Applicant::new(mid(1), nik_n(1), "Budi", d(2027, 1, 1), village());
    assert_eq!(
        reg.check_eligibility(&unborn, on),
        inel(Ineligibility::NotBorn)
    );
    let adult = applicant(1);
    assert_eq!(
        reg.check_eligibility(&adult.clone().with_citizenship(Citizenship::Foreign), on),
        inel(Ineligibility::NotCitizen)
    );
    assert_eq!(
        reg.check_eligibility(&adult.clone().with_guardianship(true), on),
        inel(Ineligibility::UnderGuardianship)
    );
    let elsewhere: VillageCode = "35.13.05.2001".parse().unwrap();
    let mut outsider = adult.clone();
    outsider.domicile = elsewhere;
    assert_eq!(
        reg.check_eligibility(&outsider, on),
        inel(Ineligibility::DomicileMismatch {
            domicile: elsewhere,
            required: village()
        })
    );
    // An anggota luar biasa may live elsewhere and be a foreigner (defaults)…
    let assoc = outsider
        .clone()
        .with_citizenship(Citizenship::Foreign)
        .with_kind(MembershipKind::Associate);
    assert_eq!(reg.check_eligibility(&assoc, on), Ok(()));
    // …unless the AD admits none.
    let mut rules = MembershipRules::kdmp(village());
    rules.eligibility.allow_associates = false;
    let strict = Registry::new(rules);
    assert_eq!(
        strict.check_eligibility(&assoc, on),
        inel(Ineligibility::AssociatesNotAllowed)
    );
    // Configurable age.
    let mut rules = MembershipRules::default();
    rules.eligibility.min_age = None;
    assert_eq!(Registry::new(rules).check_eligibility(&young, on), Ok(()));
    // The reasons have messages.
    for r in [
        Ineligibility::NotCitizen,
        Ineligibility::NotBorn,
        Ineligibility::UnderGuardianship,
        Ineligibility::AssociatesNotAllowed,
    ] {
        assert!(!r.to_string().is_empty());
    }
}

#[test]
fn lifecycle_errors() {
    let mut reg = Registry::new(MembershipRules::kdmp(village()));
    reg.register(applicant(1), d(2026, 1, 5)).unwrap();
    let snapshot = reg.clone();
    assert_eq!(
        reg.admit(mid(1), d(2026, 1, 6), "SK"),
        Err(Error::PokokNotPaid {
            member: mid(1),
            on: d(2026, 1, 6)
        })
    );
    assert_eq!(
        reg.admit(mid(1), d(2026, 1, 6), " "),
        Err(Error::EmptyReason)
    );
    assert_eq!(
        reg.record_pokok_payment(mid(1), d(2026, 1, 4)),
        Err(Error::DateBeforeLastChange {
            member: mid(1),
            last: d(2026, 1, 5),
            on: d(2026, 1, 4)
        })
    );
    assert_eq!(reg, snapshot);
    reg.record_pokok_payment(mid(1), d(2026, 1, 20)).unwrap();
    assert_eq!(
        reg.record_pokok_payment(mid(1), d(2026, 1, 21)),
        Err(Error::PokokAlreadyPaid {
            member: mid(1),
            paid_on: d(2026, 1, 20)
        })
    );
    // Paid on the 20th: admission on the 19th is before the payment.
    assert_eq!(
        reg.admit(mid(1), d(2026, 1, 19), "SK"),
        Err(Error::PokokNotPaid {
            member: mid(1),
            on: d(2026, 1, 19)
        })
    );
    assert_eq!(
        reg.admit(mid(1), d(2026, 4, 6), "SK"),
        Err(Error::AdmissionDeadlinePassed {
            member: mid(1),
            deadline: d(2026, 4, 5),
            on: d(2026, 4, 6)
        })
    );
    assert_eq!(reg.overdue_candidates(d(2026, 4, 6)).count(), 1);
    assert_eq!(reg.overdue_candidates(d(2026, 4, 5)).count(), 0);
    reg.dismiss(mid(1), d(2026, 4, 6), "tidak memenuhi tenggat")
        .unwrap();
    assert_eq!(
        reg.admit(mid(1), d(2026, 4, 7), "SK"),
        Err(Error::InvalidTransition {
            member: mid(1),
            from: MemberStatus::Dismissed,
            transition: Transition::Admit
        })
    );
    assert_eq!(
        reg.record_pokok_payment(mid(1), d(2026, 4, 7)),
        Err(Error::InvalidTransition {
            member: mid(1),
            from: MemberStatus::Dismissed,
            transition: Transition::Admit
        })
    );
    assert_eq!(
        reg.record_death(mid(1), d(2026, 5, 1), "akta kematian"),
        Err(Error::InvalidTransition {
            member: mid(1),
            from: MemberStatus::Dismissed,
            transition: Transition::Death
        })
    );
}

#[test]
fn admission_deadline_anchor_and_exits() {
    let mut rules = MembershipRules::kdmp(village());
    rules.admission.anchor = DeadlineAnchor::PokokPayment;
    let mut reg = Registry::new(rules);
    reg.register(applicant(1), d(2026, 1, 5)).unwrap();
    assert_eq!(reg.admission_deadline(reg.get(mid(1)).unwrap()), None);
    reg.record_pokok_payment(mid(1), d(2026, 5, 1)).unwrap();
    reg.admit(mid(1), d(2026, 7, 31), "SK").unwrap();
    assert_eq!(
        reg.resign(mid(1), d(2026, 7, 30), "surat"),
        Err(Error::DateBeforeLastChange {
            member: mid(1),
            last: d(2026, 7, 31),
            on: d(2026, 7, 30)
        })
    );
    reg.record_death(mid(1), d(2026, 8, 1), "akta kematian")
        .unwrap();
    assert_eq!(reg.get(mid(1)).unwrap().status(), MemberStatus::Deceased);
    assert!(reg.get(mid(1)).unwrap().status().is_final());
    // No deadline at all.
    let mut rules = MembershipRules::default();
    rules.admission.deadline_months = None;
    let mut reg = Registry::new(rules);
    reg.register(applicant(2), d(2020, 1, 1)).unwrap();
    reg.record_pokok_payment(mid(2), d(2020, 1, 1)).unwrap();
    reg.admit(mid(2), d(2026, 1, 1), "SK").unwrap();
    reg.resign(mid(2), d(2026, 2, 1), "pindah").unwrap();
    assert_eq!(reg.counts().get(MemberStatus::Resigned), 1);
}

#[test]
fn associates_and_voting() {
    let mut reg = registry_with(1);
    let elsewhere: VillageCode = "35.13.05.2001".parse().unwrap();
    let mut a = applicant(2).with_kind(MembershipKind::Associate);
    a.domicile = elsewhere;
    reg.register(a, d(2025, 7, 1)).unwrap();
    reg.record_pokok_payment(mid(2), d(2025, 7, 2)).unwrap();
    assert_eq!(
        reg.admit(mid(2), d(2025, 7, 2), "SK").unwrap(),
        MemberStatus::Associate
    );
    reg.register(applicant(3), d(2025, 7, 1)).unwrap();
    let on = d(2026, 1, 1);
    assert!(reg.can_vote(mid(1), on));
    assert!(!reg.can_vote(mid(2), on)); // associate: no vote by default
    assert!(!reg.can_vote(mid(3), on)); // calon: no vote
    assert!(!reg.can_vote(mid(1), d(2025, 6, 30))); // not yet a member
    assert_eq!(reg.voters(on).collect::<Vec<_>>(), vec![mid(1)]);
    let mut rules = reg.rules().clone();
    rules.associates_may_vote = true;
    let reg2 = Registry::from_members(rules, reg.members().cloned().collect()).unwrap();
    assert!(reg2.can_vote(mid(2), on));
}

#[test]
fn from_members_rechecks_invariants() {
    let reg = registry_with(2);
    let mut members: Vec<Member> = reg.members().cloned().collect();
    let rules = reg.rules().clone();
    assert_eq!(
        Registry::from_members(rules.clone(), members.clone()).unwrap(),
        reg
    );
    let mut twice = members.clone();
    twice.push(members[0].clone());
    assert!(matches!(
        Registry::from_members(rules.clone(), twice),
        Err(Error::DuplicateNik { .. })
    ));
    let mut same_id = members.clone();
    same_id[1].id = mid(1);
    assert_eq!(
        Registry::from_members(rules.clone(), same_id),
        Err(Error::DuplicateMemberId { id: mid(1) })
    );
    members[0].pokok_paid_on = None;
    assert_eq!(
        Registry::from_members(rules.clone(), members.clone()),
        Err(Error::Inconsistent {
            what: "member admitted without simpanan pokok"
        })
    );
    members[0].history.clear();
    assert!(matches!(
        Registry::from_members(rules, members),
        Err(Error::Inconsistent { .. })
    ));
}

#[derive(Debug, Clone)]
enum Op {
    Register(u16, u32),
    Pay(u16, u32),
    Apply(u16, Transition, u32),
}

fn op() -> impl Strategy<Value = Op> {
    let who = 1u16..8;
    let day = 0u32..200;
    prop_oneof![
        (who.clone(), day.clone()).prop_map(|(w, t)| Op::Register(w, t)),
        (who.clone(), day.clone()).prop_map(|(w, t)| Op::Pay(w, t)),
        (who, proptest::sample::select(Transition::ALL.to_vec()), day)
            .prop_map(|(w, tr, t)| Op::Apply(w, tr, t)),
    ]
}

fn recount(reg: &Registry) -> [usize; 6] {
    let mut c = [0; 6];
    for m in reg.members() {
        c[m.status().index()] += 1;
    }
    c
}

proptest! {
    #[test]
    fn prop_registry_nik_unique(entries in proptest::collection::vec((1u128..50, 1u16..10), 0..60)) {
        let mut reg = Registry::default();
        for (id, serial) in entries {
            let a = Applicant::new(mid(id), nik_n(serial), "Warga", d(1980, 1, 1), village());
            let had_nik = reg.by_nik(&nik_n(serial)).is_some();
            let had_id = reg.get(mid(id)).is_some();
            let len = reg.len();
            let r = reg.register(a, d(2026, 1, 1));
            prop_assert_eq!(r.is_ok(), !had_nik && !had_id);
            prop_assert_eq!(reg.len(), len + usize::from(r.is_ok()));
        }
        let mut niks: Vec<Nik> = reg.members().map(|m| *m.nik()).collect();
        let n = niks.len();
        niks.sort();
        niks.dedup();
        prop_assert_eq!(niks.len(), n);
        for m in reg.members() {
            prop_assert_eq!(reg.by_nik(m.nik()).map(Member::id), Some(m.id()));
        }
    }

    #[test]
    fn prop_lifecycle_stays_valid(ops in proptest::collection::vec(op(), 0..60)) {
        let start = d(2026, 1, 1);
        let at = |t: u32| start + chrono::Days::new(u64::from(t));
        let mut reg = Registry::new(MembershipRules::kdmp(village()));
        for op in ops {
            let before = reg.clone();
            let result = match op {
                Op::Register(w, t) => reg.register(applicant(w), at(t)).map(|_| ()),
                Op::Pay(w, t) => reg.record_pokok_payment(mid(u128::from(w)), at(t)),
                Op::Apply(w, tr, t) => reg.apply(mid(u128::from(w)), tr, at(t), "keputusan").map(|_| ()),
            };
            if result.is_err() {
                prop_assert_eq!(&reg, &before, "a rejected operation changed the registry");
            }
            for m in reg.members() {
                prop_assert!(m.check().is_ok(), "invalid history: {:?}", m);
                if m.status().is_admitted() {
                    prop_assert!(m.pokok_paid_on().is_some());
                    let deadline = reg.admission_deadline(m).unwrap();
                    prop_assert!(m.admitted_on().unwrap() <= deadline);
                }
            }
            let counts = reg.counts();
            for s in MemberStatus::ALL {
                prop_assert_eq!(counts.get(s), recount(&reg)[s.index()]);
            }
        }
    }
}

// ---------------------------------------------------------------- organs

fn term() -> Term {
    Term::new(d(2025, 7, 21), d(2030, 7, 20))
}

fn pm(n: u128) -> Person {
    Person::Member(mid(n))
}

fn kades() -> Person {
    Person::ExOfficio(aid(99))
}

fn full_board(reg: &Registry) -> Board {
    let mut b = Board::new(GovernanceRules::kdmp());
    b.appoint(
        Seat::new(Organ::Management, Office::Chair, pm(1), term()),
        reg,
    )
    .unwrap();
    b.appoint(
        Seat::new(Organ::Management, Office::Secretary, pm(2), term()),
        reg,
    )
    .unwrap();
    b.appoint(
        Seat::new(Organ::Management, Office::Treasurer, pm(3), term()),
        reg,
    )
    .unwrap();
    b.appoint(
        Seat::new(Organ::Supervisory, Office::Chair, kades(), term()),
        reg,
    )
    .unwrap();
    b
}

#[test]
fn board_valid_composition() {
    let reg = registry_with(6);
    let b = full_board(&reg);
    assert_eq!(b.check(&reg, d(2026, 1, 1)), Ok(()));
    assert_eq!(b.holder(Organ::Management, Office::Treasurer), Some(pm(3)));
    assert_eq!(b.seats().len(), 4);
    assert_eq!(b.seats_of(Organ::Supervisory).count(), 1);
    assert!(b.rules().ex_officio_supervisory_chair);
    assert_eq!(Organ::Management.other(), Organ::Supervisory);
    assert_eq!(pm(1).to_string(), format!("member {}", mid(1)));
}

#[test]
fn board_appoint_errors() {
    let mut reg = registry_with(6);
    reg.register(applicant(7), d(2025, 7, 1)).unwrap(); // calon
    let mut b = full_board(&reg);
    let snapshot = b.clone();
    let seat = |organ, office, p| Seat::new(organ, office, p, term());
    assert_eq!(
        b.appoint(seat(Organ::Management, Office::Member, pm(7)), &reg),
        Err(Error::NotElectable {
            member: mid(7),
            status: MemberStatus::Candidate
        })
    );
    assert_eq!(
        b.appoint(seat(Organ::Management, Office::Member, pm(70)), &reg),
        Err(Error::UnknownMember { id: mid(70) })
    );
    assert_eq!(
        b.appoint(
            seat(Organ::Management, Office::Member, Person::ExOfficio(aid(5))),
            &reg
        ),
        Err(Error::ExOfficio {
            organ: Organ::Management,
            office: Office::Member
        })
    );
    assert_eq!(
        b.appoint(seat(Organ::Supervisory, Office::Member, pm(1)), &reg),
        Err(Error::AlreadySeated { person: pm(1) })
    );
    assert_eq!(
        b.appoint(seat(Organ::Management, Office::Chair, pm(4)), &reg),
        Err(Error::OfficeTaken {
            organ: Organ::Management,
            office: Office::Chair
        })
    );
    let bad_term = Seat::new(
        Organ::Management,
        Office::Member,
        pm(4),
        Term::new(d(2026, 1, 1), d(2025, 1, 1)),
    );
    assert_eq!(
        b.appoint(bad_term, &reg),
        Err(Error::InvalidTerm {
            person: pm(4),
            start: d(2026, 1, 1),
            end: d(2025, 1, 1),
            on: d(2026, 1, 1)
        })
    );
    let long_term = Seat::new(
        Organ::Management,
        Office::Member,
        pm(4),
        Term::new(d(2025, 1, 1), d(2030, 1, 1)),
    );
    assert!(matches!(
        b.appoint(long_term, &reg),
        Err(Error::InvalidTerm { .. })
    ));
    assert_eq!(b, snapshot);
    // Kinship declared first, then a relative proposed for the other organ.
    b.declare_kinship(pm(3), pm(4)).unwrap();
    assert!(b.related(pm(4), pm(3)));
    assert_eq!(
        b.appoint(seat(Organ::Supervisory, Office::Member, pm(4)), &reg),
        Err(Error::KinshipConflict { a: pm(4), b: pm(3) })
    );
    // A relative in the same organ is fine.
    b.appoint(seat(Organ::Management, Office::Member, pm(4)), &reg)
        .unwrap();
    // Both seated in different organs, then kinship declared: rejected, nothing recorded.
    b.appoint(seat(Organ::Supervisory, Office::Member, pm(5)), &reg)
        .unwrap();
    assert_eq!(
        b.declare_kinship(pm(1), pm(5)),
        Err(Error::KinshipConflict { a: pm(1), b: pm(5) })
    );
    assert!(!b.related(pm(1), pm(5)));
    assert_eq!(b.vacate(pm(5)).map(|s| s.person), Some(pm(5)));
    assert_eq!(b.vacate(pm(5)), None);
    // Kinship allowed by an AD that does not forbid it.
    let rules = GovernanceRules {
        forbid_kinship: false,
        ..GovernanceRules::default()
    };
    let mut lax = Board::new(rules);
    lax.declare_kinship(pm(1), pm(2)).unwrap();
    lax.appoint(seat(Organ::Management, Office::Chair, pm(1)), &reg)
        .unwrap();
    lax.appoint(seat(Organ::Supervisory, Office::Chair, pm(2)), &reg)
        .unwrap();
}

#[test]
fn board_check_errors() {
    let mut reg = registry_with(6);
    let on = d(2026, 1, 1);
    // Even pengurus.
    let mut b = full_board(&reg);
    b.appoint(
        Seat::new(Organ::Management, Office::Member, pm(4), term()),
        &reg,
    )
    .unwrap();
    assert_eq!(
        b.check(&reg, on),
        Err(Error::OrganSize {
            organ: Organ::Management,
            count: 4,
            min: 3,
            must_be_odd: true
        })
    );
    // Too few.
    let mut b = full_board(&reg);
    b.vacate(pm(3));
    assert_eq!(
        b.check(&reg, on),
        Err(Error::OrganSize {
            organ: Organ::Management,
            count: 2,
            min: 3,
            must_be_odd: true
        })
    );
    // Treasurer missing.
    b.appoint(
        Seat::new(Organ::Management, Office::Member, pm(3), term()),
        &reg,
    )
    .unwrap();
    assert_eq!(
        b.check(&reg, on),
        Err(Error::MissingOffice {
            organ: Organ::Management,
            office: Office::Treasurer
        })
    );
    // KDMP: the ketua pengawas must be the kepala desa.
    let mut b = full_board(&reg);
    b.vacate(kades());
    b.appoint(
        Seat::new(Organ::Supervisory, Office::Chair, pm(5), term()),
        &reg,
    )
    .unwrap();
    assert_eq!(
        b.check(&reg, on),
        Err(Error::ExOfficio {
            organ: Organ::Supervisory,
            office: Office::Chair
        })
    );
    // Expired terms.
    let b = full_board(&reg);
    assert!(matches!(
        b.check(&reg, d(2030, 7, 21)),
        Err(Error::InvalidTerm { .. })
    ));
    // A pengurus who resigned from the cooperative.
    reg.resign(mid(2), d(2025, 12, 1), "pindah domisili")
        .unwrap();
    assert_eq!(
        b.check(&reg, on),
        Err(Error::NotElectable {
            member: mid(2),
            status: MemberStatus::Resigned
        })
    );
}

// ---------------------------------------------------------------- rapat anggota

#[test]
fn meeting_quorum_and_decisions() {
    let mut reg = registry_with(5);
    reg.register(applicant(6), d(2025, 7, 1)).unwrap(); // calon: no vote
    let half = Threshold::more_than(1, 2).unwrap();
    let mut rat = Meeting::open(&reg, MeetingKind::Annual, d(2026, 3, 28), half);
    assert_eq!(rat.kind(), MeetingKind::Annual);
    assert_eq!(rat.date(), d(2026, 3, 28));
    assert_eq!(rat.voters().len(), 5);
    assert_eq!(
        rat.record_attendance(mid(6)),
        Err(Error::NoVote { member: mid(6) })
    );
    rat.record_attendance(mid(1)).unwrap();
    rat.record_attendance(mid(2)).unwrap();
    assert_eq!(
        rat.record_attendance(mid(2)),
        Err(Error::AlreadyPresent { member: mid(2) })
    );
    assert_eq!(
        rat.quorum(),
        QuorumStatus {
            eligible: 5,
            present: 2,
            required: 3,
            reached: false
        }
    );
    let yes = |n| (mid(n), Vote::Yes);
    assert_eq!(
        rat.decide("Pengesahan SHU", MajorityRule::default(), &[yes(1)]),
        Err(Error::QuorumNotReached {
            present: 2,
            required: 3
        })
    );
    rat.record_attendance(mid(3)).unwrap();
    assert!(rat.quorum().reached);
    assert_eq!(
        rat.decide("Pengesahan SHU", MajorityRule::default(), &[yes(4)]),
        Err(Error::NotPresent { member: mid(4) })
    );
    assert_eq!(
        rat.decide("Pengesahan SHU", MajorityRule::default(), &[yes(6)]),
        Err(Error::NoVote { member: mid(6) })
    );
    assert_eq!(
        rat.decide("Pengesahan SHU", MajorityRule::default(), &[yes(1), yes(1)]),
        Err(Error::DuplicateBallot { member: mid(1) })
    );
    assert_eq!(
        rat.decide(" ", MajorityRule::default(), &[yes(1)]),
        Err(Error::EmptyReason)
    );
    assert!(rat.decisions().is_empty());
    let dec = rat
        .decide(
            "Pengesahan SHU 2025",
            MajorityRule::default(),
            &[yes(1), yes(2), (mid(3), Vote::Abstain)],
        )
        .unwrap()
        .clone();
    assert!(dec.adopted);
    assert_eq!(
        dec.tally,
        Tally {
            yes: 2,
            no: 0,
            abstain: 1
        }
    );
    assert_eq!(dec.present, 3);
    // Two thirds of those present: 2 of 3 is enough with at_least, not with more_than.
    let two_thirds = MajorityRule::new(Threshold::at_least(2, 3).unwrap(), VoteBase::Present);
    let dec = rat
        .decide(
            "Perubahan AD",
            two_thirds,
            &[yes(1), yes(2), (mid(3), Vote::No)],
        )
        .unwrap();
    assert!(dec.adopted);
    let strict = MajorityRule::new(Threshold::more_than(2, 3).unwrap(), VoteBase::Present);
    let dec = rat
        .decide("Pembubaran", strict, &[yes(1), yes(2), (mid(3), Vote::No)])
        .unwrap();
    assert!(!dec.adopted);
    // Nobody voting yes or no adopts nothing.
    let dec = rat
        .decide("Lain-lain", MajorityRule::default(), &[])
        .unwrap();
    assert!(!dec.adopted);
    assert_eq!(rat.decisions().len(), 4);
    assert_eq!(rat.present().len(), 3);
    // A reconvened meeting without quorum.
    let mut second = Meeting::open(
        &reg,
        MeetingKind::Extraordinary,
        d(2026, 4, 4),
        Threshold::NONE,
    );
    second.record_attendance(mid(1)).unwrap();
    assert!(
        second
            .decide("Pengesahan", MajorityRule::default(), &[yes(1)])
            .unwrap()
            .adopted
    );
}

#[test]
fn threshold_errors_and_arithmetic() {
    assert_eq!(
        Threshold::more_than(1, 0),
        Err(Error::InvalidFraction {
            numerator: 1,
            denominator: 0
        })
    );
    assert_eq!(
        Threshold::at_least(3, 2),
        Err(Error::InvalidFraction {
            numerator: 3,
            denominator: 2
        })
    );
    let half = Threshold::more_than(1, 2).unwrap();
    assert_eq!(
        (half.required(4), half.required(5), half.required(0)),
        (3, 3, 1)
    );
    assert!(half.met(3, 4) && !half.met(2, 4));
    let al = Threshold::at_least(1, 2).unwrap();
    assert_eq!((al.required(4), al.required(5)), (2, 3));
    assert_eq!(Threshold::NONE.required(100), 0);
    assert!(Threshold::NONE.met(0, 100));
}

proptest! {
    #[test]
    fn prop_threshold_required_is_minimal(num in 0u32..10, extra in 0u32..10, total in 0usize..500, strict in any::<bool>()) {
        let den = num + extra + 1;
        let t = if strict { Threshold::more_than(num, den) } else { Threshold::at_least(num, den) }.unwrap();
        let r = t.required(total);
        if r <= total {
            prop_assert!(t.met(r, total));
        }
        if r > 0 {
            prop_assert!(!t.met(r - 1, total));
        }
    }
}

// ---------------------------------------------------------------- access control

fn acl() -> AccessControl {
    let mut acl = AccessControl::default();
    acl.grant(aid(1), Role::Chair);
    acl.grant(aid(2), Role::Treasurer);
    acl.grant(aid(3), Role::ExternalSupervisor);
    acl.grant(aid(4), Role::Member);
    acl.link_member(aid(4), mid(40));
    acl.grant(aid(5), Role::Teller);
    acl.grant(aid(6), Role::Supervisor);
    acl.grant(aid(7), Role::Secretary);
    acl
}

#[test]
fn permission_checks() {
    let acl = acl();
    let coop = Subject::Cooperative;
    assert_eq!(acl.check(aid(2), Permission::PostEntry, coop), Ok(()));
    assert_eq!(
        acl.check(
            aid(2),
            Permission::DisburseLoan,
            Subject::Loan(LoanId::from_u128(1))
        ),
        Ok(())
    );
    assert_eq!(acl.check(aid(1), Permission::RunShu, coop), Ok(()));
    assert_eq!(acl.check(aid(1), Permission::ClosePeriod, coop), Ok(()));
    assert_eq!(
        acl.check(aid(5), Permission::ApproveLoan, coop),
        Err(Error::PermissionDenied {
            actor: aid(5),
            permission: Permission::ApproveLoan,
            subject: coop
        })
    );
    assert_eq!(
        acl.check(aid(6), Permission::PostEntry, coop),
        Err(Error::PermissionDenied {
            actor: aid(6),
            permission: Permission::PostEntry,
            subject: coop
        })
    );
    assert_eq!(
        acl.check(aid(77), Permission::PostEntry, coop),
        Err(Error::UnknownActor { actor: aid(77) })
    );
    // City office: aggregates only.
    assert_eq!(acl.check(aid(3), Permission::ViewAggregates, coop), Ok(()));
    for p in Permission::ALL {
        if p != Permission::ViewAggregates {
            assert!(
                acl.check(aid(3), p, Subject::Member(mid(40))).is_err(),
                "{p:?}"
            );
        }
    }
    // A member sees only their own data.
    assert_eq!(
        acl.check(
            aid(4),
            Permission::ViewPersonalData,
            Subject::Member(mid(40))
        ),
        Ok(())
    );
    assert_eq!(
        acl.check(aid(4), Permission::ViewOwnData, Subject::Member(mid(40))),
        Ok(())
    );
    let other = Subject::Member(mid(41));
    assert_eq!(
        acl.check(aid(4), Permission::ViewPersonalData, other),
        Err(Error::PermissionDenied {
            actor: aid(4),
            permission: Permission::ViewPersonalData,
            subject: other
        })
    );
    assert!(acl.check(aid(4), Permission::ViewOwnData, other).is_err());
    assert!(acl.check(aid(4), Permission::ViewAggregates, coop).is_err());
    // Staff see personal data.
    assert_eq!(
        acl.check(aid(5), Permission::ViewPersonalData, other),
        Ok(())
    );
    // Revoke.
    let mut acl = acl;
    assert!(acl.revoke(aid(2), Role::Treasurer));
    assert!(!acl.revoke(aid(2), Role::Treasurer));
    assert!(acl.check(aid(2), Permission::PostEntry, coop).is_err());
    assert_eq!(acl.grant_of(aid(4)).and_then(|g| g.member), Some(mid(40)));
    assert!(acl.permissions_of(aid(77)).iter().next().is_none());
    // A custom policy.
    let mut policy = RolePolicy::default();
    policy.set(
        Role::Teller,
        PermissionSet::EMPTY.with(Permission::ApproveLoan),
    );
    let mut custom = AccessControl::new(policy, MakerCheckerRules::default());
    custom.grant(aid(5), Role::Teller);
    assert_eq!(custom.check(aid(5), Permission::ApproveLoan, coop), Ok(()));
    assert!(custom.check(aid(5), Permission::PostEntry, coop).is_err());
    assert!(
        custom
            .policy()
            .permissions(Role::Teller)
            .contains(Permission::ApproveLoan)
    );
    let s = PermissionSet::of(&[Permission::PostEntry]).without(Permission::PostEntry);
    assert_eq!(s, PermissionSet::EMPTY);
    assert_eq!(
        Vec::<Permission>::from(PermissionSet::of(&[Permission::RunShu])),
        vec![Permission::RunShu]
    );
    assert_eq!(
        PermissionSet::from(vec![Permission::RunShu]),
        PermissionSet::of(&[Permission::RunShu])
    );
    for p in Permission::ALL {
        assert!(PermissionSet::of(&Permission::ALL).contains(p));
    }
}

#[test]
fn maker_checker_flows() {
    let acl = acl();
    let on = d(2026, 2, 2);
    let small = ControlledOp::LoanApproval {
        loan: LoanId::from_u128(1),
        amount: Rupiah::from_rupiah(10_000_000),
    };
    let big = ControlledOp::LoanApproval {
        loan: LoanId::from_u128(2),
        amount: Rupiah::from_rupiah(10_000_001),
    };
    // At the limit: one person suffices.
    let Authorization::Granted(a) = acl.request(aid(1), small, on).unwrap() else {
        panic!("granted")
    };
    assert_eq!((a.maker(), a.checker(), *a.op()), (aid(1), None, small));
    // Above: two.
    let Authorization::Pending(mut ap) = acl.request(aid(1), big, on).unwrap() else {
        panic!("pending")
    };
    assert_eq!((ap.maker(), ap.requested_on(), *ap.op()), (aid(1), on, big));
    assert_eq!(ap.state(), &ApprovalState::Pending);
    let snapshot = ap.clone();
    assert_eq!(
        ap.approve(&acl, aid(1), on),
        Err(Error::SameActor {
            maker: aid(1),
            checker: aid(1)
        })
    );
    assert_eq!(
        ap.approve(&acl, aid(5), on),
        Err(Error::PermissionDenied {
            actor: aid(5),
            permission: Permission::ApproveLoan,
            subject: Subject::Loan(LoanId::from_u128(2))
        })
    );
    assert_eq!(
        ap.approve(&acl, aid(88), on),
        Err(Error::UnknownActor { actor: aid(88) })
    );
    assert_eq!(ap.reject(&acl, aid(2), on, ""), Err(Error::EmptyReason));
    assert_eq!(ap, snapshot);
    let ok = ap.approve(&acl, aid(2), on).unwrap();
    assert_eq!(ok.checker(), Some(aid(2)));
    assert_eq!(ap.approve(&acl, aid(2), on), Err(Error::AlreadyDecided));
    // The maker must hold the permission.
    assert_eq!(
        acl.request(aid(5), big, on).unwrap_err(),
        Error::PermissionDenied {
            actor: aid(5),
            permission: Permission::ApproveLoan,
            subject: Subject::Loan(LoanId::from_u128(2))
        }
    );
    // Reopen: ketua proposes, a pengawas checks; rejection recorded.
    let period = Period::month(2025, 12).unwrap();
    let reopen = ControlledOp::PeriodReopen { period };
    let Authorization::Pending(mut ap) = acl.request(aid(1), reopen, on).unwrap() else {
        panic!("pending")
    };
    ap.reject(&acl, aid(6), on, "tidak ada dasar koreksi")
        .unwrap();
    assert!(matches!(ap.state(), ApprovalState::Rejected { checker, .. } if *checker == aid(6)));
    assert_eq!(
        ap.reject(&acl, aid(6), on, "lagi"),
        Err(Error::AlreadyDecided)
    );
    // Reversal: the bendahara cannot approve their own reversal; the ketua can.
    let rev = ControlledOp::EntryReversal {
        entry: EntryId::from_u128(7),
    };
    let Authorization::Pending(mut ap) = acl.request(aid(2), rev, on).unwrap() else {
        panic!("pending")
    };
    assert!(ap.approve(&acl, aid(2), on).is_err());
    assert!(ap.approve(&acl, aid(1), on).is_ok());
    // Two actor ids of one person (linked to the same member) do not make two people.
    let mut acl2 = acl.clone();
    acl2.grant(aid(20), Role::Treasurer);
    acl2.link_member(aid(20), mid(9));
    acl2.link_member(aid(1), mid(9));
    let Authorization::Pending(mut ap) = acl2.request(aid(1), big, on).unwrap() else {
        panic!("pending")
    };
    assert_eq!(
        ap.approve(&acl2, aid(20), on),
        Err(Error::SameActor {
            maker: aid(1),
            checker: aid(20)
        })
    );
    // Rules off: reopen and reversal by one person; every loan with limit None.
    let rules = MakerCheckerRules {
        period_reopen: false,
        entry_reversal: false,
        loan_approval_limit: None,
    };
    let mut acl3 = AccessControl::new(RolePolicy::default(), rules);
    acl3.grant(aid(1), Role::Chair);
    assert!(matches!(
        acl3.request(aid(1), reopen, on),
        Ok(Authorization::Granted(_))
    ));
    assert!(matches!(
        acl3.request(aid(1), rev, on),
        Ok(Authorization::Granted(_))
    ));
    assert!(matches!(
        acl3.request(aid(1), small, on),
        Ok(Authorization::Pending(_))
    ));
    assert_eq!(acl3.maker_checker().loan_approval_limit, None);
}

fn controlled_op() -> impl Strategy<Value = ControlledOp> {
    prop_oneof![
        (0i64..30_000_000).prop_map(|a| ControlledOp::LoanApproval {
            loan: LoanId::from_u128(1),
            amount: Rupiah::from_rupiah(a)
        }),
        Just(ControlledOp::PeriodReopen {
            period: Period::month(2025, 12).unwrap()
        }),
        Just(ControlledOp::EntryReversal {
            entry: EntryId::from_u128(1)
        }),
    ]
}

proptest! {
    #[test]
    fn prop_maker_checker_needs_two(
        grants in proptest::collection::vec((0u128..4, proptest::sample::select(Role::ALL.to_vec())), 0..10),
        links in proptest::collection::vec((0u128..4, 0u128..2), 0..4),
        op in controlled_op(),
        maker in 0u128..4,
        checkers in proptest::collection::vec(0u128..4, 0..6),
    ) {
        let mut acl = AccessControl::default();
        for (a, r) in grants { acl.grant(aid(a), r); }
        for (a, m) in links { acl.link_member(aid(a), mid(m)); }
        let on = d(2026, 1, 1);
        match acl.request(aid(maker), op, on) {
            Err(_) => prop_assert!(acl.check(aid(maker), op.permission(), op.subject()).is_err()),
            Ok(Authorization::Granted(a)) => {
                prop_assert!(!acl.needs_checker(&op));
                prop_assert_eq!(a.checker(), None);
            }
            Ok(Authorization::Pending(mut ap)) => {
                let mut approvals = 0;
                for c in checkers {
                    if let Ok(a) = ap.approve(&acl, aid(c), on) {
                        approvals += 1;
                        let checker = a.checker().unwrap();
                        prop_assert_ne!(checker, a.maker());
                        prop_assert!(!acl.same_person(checker, a.maker()));
                        prop_assert!(acl.check(checker, op.permission(), op.subject()).is_ok());
                    }
                }
                prop_assert!(approvals <= 1);
            }
        }
    }
}

// ---------------------------------------------------------------- serde

#[cfg(feature = "serde")]
mod serde_tests {
    use super::*;

    #[test]
    fn nik_serde_revalidates() {
        let nik = nik_n(1);
        let json = serde_json::to_string(&nik).unwrap();
        assert_eq!(json, "\"3574010101800001\"");
        assert_eq!(serde_json::from_str::<Nik>(&json).unwrap(), nik);
        assert!(serde_json::from_str::<Nik>("\"3574010101800000\"").is_err());
        let v: VillageCode = serde_json::from_str("\"35.74.01.1001\"").unwrap();
        assert_eq!(v, village());
        assert_eq!(
            serde_json::to_string(&Province::from_code(35).unwrap()).unwrap(),
            "35"
        );
        assert!(serde_json::from_str::<Province>("37").is_err());
    }

    #[test]
    fn registry_serde_round_trip_and_recheck() {
        let mut reg = registry_with(3);
        reg.register(applicant(4), d(2026, 1, 1)).unwrap();
        let json = serde_json::to_value(&reg).unwrap();
        let back: Registry = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, reg);
        // A duplicated record is rejected on the way in.
        let mut bad = json.clone();
        let first = bad["members"][0].clone();
        bad["members"].as_array_mut().unwrap().push(first);
        assert!(serde_json::from_value::<Registry>(bad).is_err());
        // So is a status that skips admission.
        let mut bad = json;
        bad["members"][3]["history"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"on": "2026-01-02", "transition": "resign", "status": "member", "reason": "x"}));
        assert!(serde_json::from_value::<Registry>(bad).is_err());
    }

    #[test]
    fn other_types_serde() {
        let reg = registry_with(3);
        let board = full_board(&reg);
        let b: Board = serde_json::from_value(serde_json::to_value(&board).unwrap()).unwrap();
        assert_eq!(b, board);
        let acl = acl();
        let a: AccessControl = serde_json::from_value(serde_json::to_value(&acl).unwrap()).unwrap();
        assert_eq!(a, acl);
        let ps = serde_json::to_value(PermissionSet::of(&[
            Permission::PostEntry,
            Permission::RunShu,
        ]))
        .unwrap();
        assert_eq!(ps, serde_json::json!(["post_entry", "run_shu"]));
        let rat = Meeting::open(&reg, MeetingKind::Annual, d(2026, 3, 1), Threshold::NONE);
        let m: Meeting = serde_json::from_value(serde_json::to_value(&rat).unwrap()).unwrap();
        assert_eq!(m, rat);
    }
}

#[test]
fn fast_hasher_spreads_sequential_ids_and_niks() {
    use std::collections::HashSet;
    use std::hash::BuildHasher;
    let b = foldhash::quality::FixedState::default();
    for hashes in [
        (1..=1000u128)
            .map(|n| b.hash_one(mid(n)))
            .collect::<Vec<u64>>(),
        (1..=1000u16)
            .map(|n| b.hash_one(nik_n(n)))
            .collect::<Vec<u64>>(),
    ] {
        let top7: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
        let low10: HashSet<u64> = hashes.iter().map(|h| h & 1023).collect();
        assert!(top7.len() >= 120, "top bits: {}", top7.len());
        assert!(low10.len() >= 550, "low bits: {}", low10.len());
    }
}

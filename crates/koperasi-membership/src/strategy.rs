//! [`proptest`](https://docs.rs/proptest) strategies for the types of this crate, for
//! embedders' own property tests.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use crate::nik::{Gender, Nik, PROVINCES};

/// The parts a valid NIK is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NikSpec {
    /// Province code (from [`PROVINCES`]).
    pub province: u8,
    /// Kabupaten/kota code, 1..=99.
    pub regency: u8,
    /// Kecamatan code, 1..=99.
    pub district: u8,
    /// Birth date, 1906-01-01..=2025-12-31.
    pub birth_date: NaiveDate,
    /// Gender.
    pub gender: Gender,
    /// Serial, 1..=9999.
    pub serial: u16,
}

impl NikSpec {
    /// The 16 digits of the NIK these parts describe.
    pub fn digits(&self) -> String {
        let day = self.birth_date.day().saturating_add(match self.gender {
            Gender::Male => 0,
            Gender::Female => 40,
        });
        format!(
            "{:02}{:02}{:02}{:02}{:02}{:02}{:04}",
            self.province,
            self.regency,
            self.district,
            day,
            self.birth_date.month(),
            self.birth_date.year().rem_euclid(100),
            self.serial
        )
    }
}

/// Valid NIK parts.
pub fn nik_spec() -> impl Strategy<Value = NikSpec> {
    (
        proptest::sample::select(PROVINCES.iter().map(|&(c, _)| c).collect::<Vec<_>>()),
        1u8..=99,
        1u8..=99,
        (0u64..43_829).prop_map(|d| {
            NaiveDate::from_ymd_opt(1906, 1, 1)
                .and_then(|s| s.checked_add_days(chrono::Days::new(d)))
                .unwrap_or_default()
        }),
        prop_oneof![Just(Gender::Male), Just(Gender::Female)],
        1u16..=9999,
    )
        .prop_map(
            |(province, regency, district, birth_date, gender, serial)| NikSpec {
                province,
                regency,
                district,
                birth_date,
                gender,
                serial,
            },
        )
}

/// Valid NIKs.
pub fn nik() -> impl Strategy<Value = Nik> {
    nik_spec().prop_filter_map("valid NIK", |s| Nik::parse(&s.digits()).ok())
}

//! [`Nik`]: the 16-digit Indonesian population number (Nomor Induk Kependudukan).
//!
//! Layout (PP 37/2007 Pasal 37; domain notes §1.2):
//!
//! ```text
//! PP KK CC DD MM YY NNNN
//! |  |  |  |  |  |  +-- serial, 0001..9999 (never 0000)
//! |  |  |  |  |  +----- last two digits of the birth year
//! |  |  |  |  +-------- birth month 01..12
//! |  |  |  +----------- birth day 01..31; women: day + 40 (41..71)
//! |  |  +-------------- kecamatan (district) code of first registration, ≠ 00
//! |  +----------------- kabupaten (01..69) / kota (71..99) code, ≠ 00
//! +-------------------- province code (Kemendagri table)
//! ```

use core::fmt;
use core::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};

macro_rules! provinces {
    ($( $code:literal => $name:literal, )*) => {
        /// Every province code of the Kemendagri code list (Permendagri 72/2019 as amended,
        /// Kepmendagri 100.1.1-6117/2022 for the Papua provinces formed in 2022), with its name,
        /// in code order.
        ///
        /// ```
        /// use koperasi_membership::PROVINCES;
        /// assert_eq!(PROVINCES.len(), 38);
        /// assert!(PROVINCES.contains(&(93, "Papua Selatan")));
        /// ```
        pub const PROVINCES: &[(u8, &str)] = &[ $( ($code, $name), )* ];

        /// The name of a province code, or `None` if the code is not in [`PROVINCES`].
        const fn province_name(code: u8) -> Option<&'static str> {
            match code {
                $( $code => Some($name), )*
                _ => None,
            }
        }
    };
}

provinces! {
    11 => "Aceh",
    12 => "Sumatera Utara",
    13 => "Sumatera Barat",
    14 => "Riau",
    15 => "Jambi",
    16 => "Sumatera Selatan",
    17 => "Bengkulu",
    18 => "Lampung",
    19 => "Kepulauan Bangka Belitung",
    21 => "Kepulauan Riau",
    31 => "DKI Jakarta",
    32 => "Jawa Barat",
    33 => "Jawa Tengah",
    34 => "DI Yogyakarta",
    35 => "Jawa Timur",
    36 => "Banten",
    51 => "Bali",
    52 => "Nusa Tenggara Barat",
    53 => "Nusa Tenggara Timur",
    61 => "Kalimantan Barat",
    62 => "Kalimantan Tengah",
    63 => "Kalimantan Selatan",
    64 => "Kalimantan Timur",
    65 => "Kalimantan Utara",
    71 => "Sulawesi Utara",
    72 => "Sulawesi Tengah",
    73 => "Sulawesi Selatan",
    74 => "Sulawesi Tenggara",
    75 => "Gorontalo",
    76 => "Sulawesi Barat",
    81 => "Maluku",
    82 => "Maluku Utara",
    91 => "Papua",
    92 => "Papua Barat",
    93 => "Papua Selatan",
    94 => "Papua Tengah",
    95 => "Papua Pegunungan",
    96 => "Papua Barat Daya",
}

/// A province (provinsi) by its two-digit Kemendagri code.
///
/// # Invariants
/// The code is in [`PROVINCES`]; [`Province::name`] therefore always has a name.
///
/// ```
/// use koperasi_membership::Province;
/// let p = Province::from_code(35)?;
/// assert_eq!(p.name(), "Jawa Timur");
/// assert!(Province::from_code(20).is_err());
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[doc(alias = "provinsi")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u8", into = "u8"))]
pub struct Province(pub(crate) u8);

impl Province {
    /// The province with this code.
    ///
    /// # Errors
    /// [`Error::NikUnknownProvince`] if the code is not in [`PROVINCES`].
    pub const fn from_code(code: u8) -> Result<Province> {
        if province_name(code).is_some() {
            Ok(Province(code))
        } else {
            Err(Error::NikUnknownProvince { code })
        }
    }

    /// The two-digit code (e.g. `35`).
    pub const fn code(self) -> u8 {
        self.0
    }

    /// The name (e.g. `"Jawa Timur"`).
    pub const fn name(self) -> &'static str {
        match province_name(self.0) {
            Some(n) => n,
            None => "",
        }
    }
}

impl TryFrom<u8> for Province {
    type Error = Error;
    fn try_from(code: u8) -> Result<Province> {
        Province::from_code(code)
    }
}

impl From<Province> for u8 {
    fn from(p: Province) -> u8 {
        p.0
    }
}

impl fmt::Display for Province {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Gender (jenis kelamin) as encoded in a NIK: women have 40 added to the birth day.
#[doc(alias = "jenis kelamin")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Gender {
    /// Laki-laki.
    Male,
    /// Perempuan.
    Female,
}

impl Gender {
    /// `"male"` or `"female"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the birth-year century is chosen: the NIK carries only two digits of the year.
///
/// Both 19yy and 20yy are tried; a candidate is kept when it is a real date and the person's
/// age on the reference date lies in `min_age..=max_age`. If both are kept, the later (younger)
/// one wins and the result is flagged [`ambiguous`](BirthDate::ambiguous) — the embedder should
/// then prefer the birth date written on the KTP (domain notes §1.2 step 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CenturyRule {
    /// Youngest plausible age in whole years (default 0).
    pub min_age: u32,
    /// Oldest plausible age in whole years (default 120).
    pub max_age: u32,
}

impl Default for CenturyRule {
    fn default() -> Self {
        CenturyRule {
            min_age: 0,
            max_age: 120,
        }
    }
}

impl CenturyRule {
    /// A rule with the given age range (inclusive).
    pub const fn new(min_age: u32, max_age: u32) -> CenturyRule {
        CenturyRule { min_age, max_age }
    }
}

/// A birth date decoded from a NIK, with its century resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BirthDate {
    /// The date.
    pub date: NaiveDate,
    /// `true` when both centuries gave a plausible age and the later one was chosen.
    pub ambiguous: bool,
}

/// A structurally valid NIK: 16 ASCII digits with a known province, non-zero regency and
/// district codes, a valid (gender-coded) birth day and month that form a real date for some
/// century, and a non-zero serial.
///
/// `Display` and [`as_str`](Nik::as_str) give the 16 digits. The NIK is personal data:
/// `Debug` prints the [masked](Nik::masked) form so that it does not leak into logs, and
/// reports should use [`Nik::masked`].
///
/// # Invariants
/// Every `Nik` value passed all checks of [`Nik::parse`] (also when deserialised).
///
/// ```
/// use koperasi_membership::{Gender, Nik};
/// let nik = Nik::parse("3574 0145 0690 0001")?; // spaces, dots and dashes are ignored
/// assert_eq!(nik.as_str(), "3574014506900001");
/// assert_eq!(nik.province().name(), "Jawa Timur");
/// assert_eq!((nik.regency_code(), nik.district_code()), (74, 1));
/// assert_eq!(nik.gender(), Gender::Female);
/// assert_eq!((nik.birth_day(), nik.birth_month(), nik.birth_year_2()), (5, 6, 90));
/// assert_eq!(nik.serial(), 1);
/// assert_eq!(nik.masked().to_string(), "3574**********01");
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[doc(alias = "nomor induk kependudukan")]
#[doc(alias = "KTP")]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Nik([u8; 16]);

/// Two ASCII digits as a number (both are known to be digits).
#[inline]
const fn num2(a: u8, b: u8) -> u8 {
    a.wrapping_sub(b'0')
        .wrapping_mul(10)
        .wrapping_add(b.wrapping_sub(b'0'))
}

/// Days in `month` (1..=12) for a year that is (or is not) a leap year.
#[inline]
const fn days_in_month(month: u8, leap: bool) -> u8 {
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[inline]
const fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

impl Nik {
    /// Parses and validates a NIK (domain notes §1.2, steps 1–5, 7 and 8).
    ///
    /// Spaces, `.` and `-` are ignored; what remains must be exactly 16 ASCII digits. The
    /// parser works on the bytes of `s` and never allocates. Checks, in order: characters,
    /// length, province, regency, district, birth day, birth month, calendar date (29 February
    /// needs a year divisible by 4 in some century), serial. The birth-year century needs a
    /// reference date: see [`Nik::birth_date`] and [`Nik::decode`].
    ///
    /// # Errors
    /// One variant per rejection reason: [`Error::NikNonDigit`] (with the byte offset and the
    /// character), [`Error::NikLength`], [`Error::NikUnknownProvince`],
    /// [`Error::NikZeroRegency`], [`Error::NikZeroDistrict`], [`Error::NikBirthDay`],
    /// [`Error::NikBirthMonth`], [`Error::NikBirthDate`], [`Error::NikZeroSerial`].
    ///
    /// ```
    /// use koperasi_membership::{Error, Nik};
    /// assert!(Nik::parse("35.74.01-450690-0001").is_ok());
    /// assert_eq!(Nik::parse("357401450690000"), Err(Error::NikLength { digits: 15 }));
    /// assert_eq!(Nik::parse("3574014506900000"), Err(Error::NikZeroSerial));
    /// assert_eq!(Nik::parse("3574013202900001"), Err(Error::NikBirthDay { value: 32 }));
    /// ```
    pub fn parse(s: &str) -> Result<Nik> {
        let bytes = s.as_bytes();
        // Fast path: exactly 16 digits, no separators.
        if let Ok(digits) = <[u8; 16]>::try_from(bytes)
            && digits.iter().all(u8::is_ascii_digit)
        {
            return Nik::validate(digits);
        }
        let mut digits = [0u8; 16];
        let mut n: usize = 0;
        for (offset, &b) in bytes.iter().enumerate() {
            match b {
                b'0'..=b'9' => {
                    if let Some(slot) = digits.get_mut(n) {
                        *slot = b;
                    }
                    n = n.saturating_add(1);
                }
                b' ' | b'.' | b'-' => {}
                _ => {
                    let found = s
                        .get(offset..)
                        .and_then(|rest| rest.chars().next())
                        .unwrap_or(char::REPLACEMENT_CHARACTER);
                    return Err(Error::NikNonDigit { offset, found });
                }
            }
        }
        if n != 16 {
            return Err(Error::NikLength { digits: n });
        }
        Nik::validate(digits)
    }

    /// Validates 16 ASCII digits (all checks of [`Nik::parse`] after the character and length
    /// checks).
    ///
    /// # Errors
    /// As [`Nik::parse`]; a byte that is not an ASCII digit gives [`Error::NikNonDigit`].
    pub fn from_digits(digits: [u8; 16]) -> Result<Nik> {
        if let Some(offset) = digits.iter().position(|b| !b.is_ascii_digit()) {
            let found = digits
                .get(offset)
                .map_or(char::REPLACEMENT_CHARACTER, |&b| char::from(b));
            return Err(Error::NikNonDigit { offset, found });
        }
        Nik::validate(digits)
    }

    /// The structural checks on 16 bytes known to be ASCII digits.
    #[inline]
    fn validate(digits: [u8; 16]) -> Result<Nik> {
        let [
            p1,
            p2,
            k1,
            k2,
            c1,
            c2,
            d1,
            d2,
            m1,
            m2,
            y1,
            y2,
            s1,
            s2,
            s3,
            s4,
        ] = digits;
        let province = num2(p1, p2);
        if province_name(province).is_none() {
            return Err(Error::NikUnknownProvince { code: province });
        }
        if k1 == b'0' && k2 == b'0' {
            return Err(Error::NikZeroRegency);
        }
        if c1 == b'0' && c2 == b'0' {
            return Err(Error::NikZeroDistrict);
        }
        let dd = num2(d1, d2);
        let day = match dd {
            1..=31 => dd,
            41..=71 => dd.wrapping_sub(40),
            _ => return Err(Error::NikBirthDay { value: dd }),
        };
        let month = num2(m1, m2);
        if !(1..=12).contains(&month) {
            return Err(Error::NikBirthMonth { value: month });
        }
        let yy = num2(y1, y2);
        // 29 February exists in 19yy or 20yy iff yy is divisible by 4 (2000 is a leap year).
        if day > days_in_month(month, yy.is_multiple_of(4)) {
            return Err(Error::NikBirthDate {
                day,
                month,
                year_2: yy,
            });
        }
        if s1 == b'0' && s2 == b'0' && s3 == b'0' && s4 == b'0' {
            return Err(Error::NikZeroSerial);
        }
        Ok(Nik(digits))
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        // The bytes are ASCII digits (invariant), hence valid UTF-8.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The 16 digits as bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The `i`-th pair of digits as a number (0 = province … 5 = year).
    const fn pair(&self, i: usize) -> u8 {
        let [p1, p2, k1, k2, c1, c2, d1, d2, m1, m2, y1, y2, ..] = self.0;
        match i {
            0 => num2(p1, p2),
            1 => num2(k1, k2),
            2 => num2(c1, c2),
            3 => num2(d1, d2),
            4 => num2(m1, m2),
            _ => num2(y1, y2),
        }
    }

    /// The province of first registration.
    pub const fn province(&self) -> Province {
        Province(self.pair(0))
    }

    /// The kabupaten/kota code (01..99; 71 and above are kota under Permendagri 137/2017).
    #[doc(alias = "kabupaten")]
    #[doc(alias = "kota")]
    pub const fn regency_code(&self) -> u8 {
        self.pair(1)
    }

    /// The kecamatan code (01..99).
    #[doc(alias = "kecamatan")]
    pub const fn district_code(&self) -> u8 {
        self.pair(2)
    }

    /// The region of first registration as `PP.KK.CC` (e.g. `35.74.01`).
    pub fn region(&self) -> String {
        let [a, b, c, d, e, f, ..] = self.0;
        [a, b, b'.', c, d, b'.', e, f]
            .iter()
            .map(|&x| char::from(x))
            .collect()
    }

    /// The gender encoded in the birth day.
    pub const fn gender(&self) -> Gender {
        if self.pair(3) > 40 {
            Gender::Female
        } else {
            Gender::Male
        }
    }

    /// The day of birth (1..=31), with the female offset removed.
    pub const fn birth_day(&self) -> u8 {
        let dd = self.pair(3);
        if dd > 40 { dd.wrapping_sub(40) } else { dd }
    }

    /// The month of birth (1..=12).
    pub const fn birth_month(&self) -> u8 {
        self.pair(4)
    }

    /// The last two digits of the birth year (0..=99).
    pub const fn birth_year_2(&self) -> u8 {
        self.pair(5)
    }

    /// The serial number (1..=9999).
    pub const fn serial(&self) -> u16 {
        let [.., a, b, c, d] = self.0;
        let hi = num2(a, b) as u16;
        let lo = num2(c, d) as u16;
        hi.wrapping_mul(100).wrapping_add(lo)
    }

    /// The birth date with its century resolved on the reference date `as_of`.
    ///
    /// # Errors
    /// [`Error::NikBirthYear`] if neither 19yy nor 20yy gives a real date with an age in the
    /// rule's range on `as_of`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use koperasi_membership::{CenturyRule, Nik};
    /// let nik = Nik::parse("3574014506900001")?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    /// let b = nik.birth_date(as_of, &CenturyRule::default())?;
    /// assert_eq!(b.date, NaiveDate::from_ymd_opt(1990, 6, 5).unwrap());
    /// assert!(!b.ambiguous);
    /// # Ok::<(), koperasi_membership::Error>(())
    /// ```
    pub fn birth_date(&self, as_of: NaiveDate, rule: &CenturyRule) -> Result<BirthDate> {
        let yy = i32::from(self.birth_year_2());
        let (m, d) = (u32::from(self.birth_month()), u32::from(self.birth_day()));
        let plausible = |year: i32| -> Option<NaiveDate> {
            if d == 29 && m == 2 && !is_leap(year) {
                return None;
            }
            let date = NaiveDate::from_ymd_opt(year, m, d)?;
            let age = as_of.years_since(date)?;
            (rule.min_age <= age && age <= rule.max_age).then_some(date)
        };
        let late = plausible(yy.wrapping_add(2000));
        let early = plausible(yy.wrapping_add(1900));
        match (early, late) {
            (Some(_), Some(date)) => Ok(BirthDate {
                date,
                ambiguous: true,
            }),
            (Some(date), None) | (None, Some(date)) => Ok(BirthDate {
                date,
                ambiguous: false,
            }),
            (None, None) => Err(Error::NikBirthYear {
                year_2: self.birth_year_2(),
                as_of,
                min_age: rule.min_age,
                max_age: rule.max_age,
            }),
        }
    }

    /// All decoded parts, with the century resolved on `as_of`.
    ///
    /// # Errors
    /// [`Error::NikBirthYear`] as [`Nik::birth_date`].
    pub fn decode(&self, as_of: NaiveDate, rule: &CenturyRule) -> Result<NikParts> {
        let birth = self.birth_date(as_of, rule)?;
        Ok(NikParts {
            nik: *self,
            province: self.province(),
            regency_code: self.regency_code(),
            district_code: self.district_code(),
            birth_date: birth.date,
            century_ambiguous: birth.ambiguous,
            gender: self.gender(),
            serial: self.serial(),
        })
    }

    /// Parses and decodes in one step, with the default [`CenturyRule`] (age 0..=120 on
    /// `as_of`).
    ///
    /// # Errors
    /// Any error of [`Nik::parse`] or [`Nik::decode`].
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use koperasi_membership::{Gender, Nik};
    /// let as_of = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    /// let p = Nik::parse_as_of("3574015208050003", as_of)?;
    /// assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(2005, 8, 12).unwrap());
    /// assert_eq!(p.gender, Gender::Female);
    /// assert_eq!(p.province.name(), "Jawa Timur");
    /// # Ok::<(), koperasi_membership::Error>(())
    /// ```
    pub fn parse_as_of(s: &str, as_of: NaiveDate) -> Result<NikParts> {
        Nik::parse(s)?.decode(as_of, &CenturyRule::default())
    }

    /// The masked form for reports: the first four digits (province and regency) and the last
    /// two, the rest as `*` (`3574**********01`).
    pub const fn masked(&self) -> MaskedNik {
        MaskedNik(*self)
    }
}

impl fmt::Display for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

impl FromStr for Nik {
    type Err = Error;
    fn from_str(s: &str) -> Result<Nik> {
        Nik::parse(s)
    }
}

impl TryFrom<String> for Nik {
    type Error = Error;
    fn try_from(s: String) -> Result<Nik> {
        Nik::parse(&s)
    }
}

impl TryFrom<&str> for Nik {
    type Error = Error;
    fn try_from(s: &str) -> Result<Nik> {
        Nik::parse(s)
    }
}

impl From<Nik> for String {
    fn from(n: Nik) -> String {
        n.as_str().to_owned()
    }
}

/// A NIK displayed with the personal part hidden (`3574**********01`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MaskedNik(Nik);

impl fmt::Display for MaskedNik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0.0;
        let mut buf = [b'*'; 16];
        if let (Some(dst), Some(src)) = (buf.get_mut(..4), d.get(..4)) {
            dst.copy_from_slice(src);
        }
        if let (Some(dst), Some(src)) = (buf.get_mut(14..), d.get(14..)) {
            dst.copy_from_slice(src);
        }
        f.write_str(core::str::from_utf8(&buf).unwrap_or_default())
    }
}

impl fmt::Debug for MaskedNik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Every part of a NIK, decoded, with the birth-year century resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct NikParts {
    /// The NIK itself.
    pub nik: Nik,
    /// Province of first registration.
    pub province: Province,
    /// Kabupaten/kota code.
    pub regency_code: u8,
    /// Kecamatan code.
    pub district_code: u8,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Both centuries were plausible; the later one was chosen.
    pub century_ambiguous: bool,
    /// Gender.
    pub gender: Gender,
    /// Serial (1..=9999).
    pub serial: u16,
}

impl NikParts {
    /// The age in whole years on `on` (`None` if `on` is before the birth date).
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        on.years_since(self.birth_date)
    }
}

/// The age in whole years on `on` of a person born on `birth` (`None` if `on` < `birth`).
pub(crate) fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    on.years_since(birth)
}

/// `true` when the NIK's day, month and last two year digits match `date`.
pub(crate) fn nik_matches_date(nik: &Nik, date: NaiveDate) -> bool {
    u32::from(nik.birth_day()) == date.day()
        && u32::from(nik.birth_month()) == date.month()
        && i64::from(nik.birth_year_2()) == i64::from(date.year()).rem_euclid(100)
}

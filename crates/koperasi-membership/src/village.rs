//! [`VillageCode`]: the Kemendagri code of a desa or kelurahan.

use core::fmt;
use core::str::FromStr;

use crate::error::{Error, Result};
use crate::nik::Province;

/// The 10-digit Kemendagri code of a desa/kelurahan, `PP.KK.CC.DDDD` (province, kabupaten/kota,
/// kecamatan, village; kelurahan are numbered 1001…, desa 2001…).
///
/// A KDMP/KKMP member must be domiciled in the cooperative's village, proven by the KTP
/// address; compare this code, not the NIK prefix (the NIK keeps its first-registration region
/// for life).
///
/// ```
/// use koperasi_membership::VillageCode;
/// let v: VillageCode = "35.74.01.1001".parse()?;
/// assert_eq!(v.to_string(), "35.74.01.1001");
/// assert_eq!(v.province().name(), "Jawa Timur");
/// assert!(v.is_kelurahan());
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[doc(alias = "kode desa")]
#[doc(alias = "kode wilayah")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct VillageCode([u8; 10]);

impl VillageCode {
    /// Parses `PP.KK.CC.DDDD` (dots optional).
    ///
    /// # Errors
    /// [`Error::VillageCodeNonDigit`], [`Error::VillageCodeLength`] or
    /// [`Error::VillageCodePart`] (unknown province, or a zero regency, district or village
    /// part).
    pub fn parse(s: &str) -> Result<VillageCode> {
        let mut d = [0u8; 10];
        let mut n: usize = 0;
        for (offset, &b) in s.as_bytes().iter().enumerate() {
            match b {
                b'0'..=b'9' => {
                    if let Some(slot) = d.get_mut(n) {
                        *slot = b;
                    }
                    n = n.saturating_add(1);
                }
                b'.' => {}
                _ => {
                    let found = s
                        .get(offset..)
                        .and_then(|r| r.chars().next())
                        .unwrap_or(char::REPLACEMENT_CHARACTER);
                    return Err(Error::VillageCodeNonDigit { offset, found });
                }
            }
        }
        if n != 10 {
            return Err(Error::VillageCodeLength { digits: n });
        }
        let [p1, p2, k1, k2, c1, c2, v1, v2, v3, v4] = d;
        let province = p1
            .wrapping_sub(b'0')
            .wrapping_mul(10)
            .wrapping_add(p2.wrapping_sub(b'0'));
        if Province::from_code(province).is_err() {
            return Err(Error::VillageCodePart { part: "province" });
        }
        if [k1, k2] == *b"00" {
            return Err(Error::VillageCodePart { part: "regency" });
        }
        if [c1, c2] == *b"00" {
            return Err(Error::VillageCodePart { part: "district" });
        }
        if [v1, v2, v3, v4] == *b"0000" {
            return Err(Error::VillageCodePart { part: "village" });
        }
        Ok(VillageCode(d))
    }

    /// The province.
    pub fn province(&self) -> Province {
        let [a, b, ..] = self.0;
        let code = a
            .wrapping_sub(b'0')
            .wrapping_mul(10)
            .wrapping_add(b.wrapping_sub(b'0'));
        // Checked by `parse` (invariant).
        Province(code)
    }

    /// `true` for a kelurahan (village part 1xxx), `false` for a desa (2xxx).
    #[doc(alias = "kelurahan")]
    pub fn is_kelurahan(&self) -> bool {
        let [.., v, _, _, _] = self.0;
        v == b'1'
    }

    /// The 10 digits without dots.
    pub fn digits(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for VillageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        let part = |r: core::ops::Range<usize>| d.get(r).unwrap_or_default();
        write!(
            f,
            "{}.{}.{}.{}",
            part(0..2),
            part(2..4),
            part(4..6),
            part(6..10)
        )
    }
}

impl FromStr for VillageCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<VillageCode> {
        VillageCode::parse(s)
    }
}

impl TryFrom<String> for VillageCode {
    type Error = Error;
    fn try_from(s: String) -> Result<VillageCode> {
        VillageCode::parse(&s)
    }
}

impl From<VillageCode> for String {
    fn from(v: VillageCode) -> String {
        v.to_string()
    }
}

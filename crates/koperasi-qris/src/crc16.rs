//! CRC-16/CCITT-FALSE (`CRC_16_IBM_3740` in the `crc` crate): poly 0x1021, init 0xFFFF, no
//! reflection, xorout 0, check value 0x29B1.

use crc::{CRC_16_IBM_3740, Crc, Table};

/// Slice-by-16 table: the payload is hashed 16 bytes per step.
static CRC16: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&CRC_16_IBM_3740);

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// CRC-16/CCITT-FALSE of `bytes`, the checksum of QRIS tag 63.
///
/// For a payload it runs over the UTF-8 bytes of everything up to and including the `6304`
/// header of the CRC object.
///
/// ```
/// assert_eq!(koperasi_qris::crc16(b"123456789"), 0x29B1);
/// ```
#[doc(alias = "CRC-16/CCITT-FALSE")]
#[doc(alias = "CRC_16_IBM_3740")]
pub fn crc16(bytes: &[u8]) -> u16 {
    CRC16.checksum(bytes)
}

/// The four uppercase, zero-padded hex digits of a CRC (`0x00C6` → `"00C6"`).
///
/// ```
/// assert_eq!(koperasi_qris::crc_hex(0x00C6), "00C6");
/// ```
pub fn crc_hex(crc: u16) -> String {
    let d = hex4(crc);
    d.iter().map(|&b| char::from(b)).collect()
}

pub(crate) fn hex4(crc: u16) -> [u8; 4] {
    let nib = |shift: u32| -> u8 {
        let i = usize::from((crc >> shift) & 0xF);
        HEX.get(i).copied().unwrap_or(b'0')
    };
    [nib(12), nib(8), nib(4), nib(0)]
}

/// Parses exactly four hex digits (either case). `None` otherwise.
pub(crate) fn parse_hex4(s: &[u8]) -> Option<u16> {
    if s.len() != 4 {
        return None;
    }
    let mut v: u16 = 0;
    for &c in s {
        let d = match c {
            b'0'..=b'9' => c.wrapping_sub(b'0'),
            b'A'..=b'F' => c.wrapping_sub(b'A').wrapping_add(10),
            b'a'..=b'f' => c.wrapping_sub(b'a').wrapping_add(10),
            _ => return None,
        };
        v = (v << 4) | u16::from(d);
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn hex_is_uppercase_and_padded() {
        assert_eq!(crc_hex(0), "0000");
        assert_eq!(crc_hex(0xA13A), "A13A");
        assert_eq!(crc_hex(0x00d7), "00D7");
        assert_eq!(parse_hex4(b"a13A"), Some(0xA13A));
        assert_eq!(parse_hex4(b"A13"), None);
        assert_eq!(parse_hex4(b"A13G"), None);
    }
}

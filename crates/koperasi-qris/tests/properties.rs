//! Property tests of the invariants listed in the crate docs (DESIGN §5 #11).

use koperasi_qris::{Qris, QrisBuilder, crc_hex, crc16, strategy};
use proptest::prelude::*;
use std::fmt::Write as _;

const VALID: &str = include_str!("../../../testdata/qris/valid.tsv");

fn vectors() -> Vec<&'static str> {
    VALID
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_once('\t').unwrap().1)
        .collect()
}

fn seal(body: &str) -> String {
    let b = format!("{body}6304");
    let c = crc_hex(crc16(b.as_bytes()));
    format!("{b}{c}")
}

/// Checks what the no-panic promise and the CRC promise say about any input.
fn check_any(s: &str) {
    for q in [Qris::parse(s), Qris::parse_lenient(s)]
        .into_iter()
        .flatten()
    {
        {
            // Every accessor works on whatever was accepted.
            let _ = (q.amount_decimal(), q.nmid(), q.tip(), q.merchant_criteria());
            let _ = q.objects().flat_map(|o| o.children()).count();
            if let Ok(e) = q.encode() {
                // Re-encoding is parseable at least structurally.
                assert!(Qris::parse_lenient(&e).is_ok(), "{s:?} -> {e:?}");
            }
            if q.is_valid() {
                assert_eq!(
                    q.crc().map(str::to_ascii_uppercase),
                    Some(crc_hex(q.computed_crc()))
                );
            }
        }
    }
}

/// A single-character substitution of a valid payload is rejected, or is still valid with a
/// correct CRC; a one-byte (ASCII for ASCII) change outside the CRC digits is always rejected
/// (CRC-16 detects every error burst of up to 16 bits), and inside them only a change of case.
fn check_mutation(s: &str, index: usize, c: char) {
    let chars: Vec<char> = s.chars().collect();
    let i = index % chars.len();
    let orig = chars[i];
    if orig == c {
        return;
    }
    let mut m = chars.clone();
    m[i] = c;
    let m: String = m.into_iter().collect();
    match Qris::parse(&m) {
        Err(_) => {}
        Ok(q) => {
            let n = m.len();
            assert_eq!(q.computed_crc(), crc16(&m.as_bytes()[..n - 4]));
            assert_eq!(
                q.crc().map(str::to_ascii_uppercase),
                Some(crc_hex(q.computed_crc()))
            );
            if orig.is_ascii() && c.is_ascii() {
                assert!(
                    i >= chars.len() - 4 && orig.eq_ignore_ascii_case(&c),
                    "undetected change {orig:?} -> {c:?} at {i} in {s}"
                );
            }
        }
    }
}

#[test]
fn every_ascii_mutation_of_the_vectors_is_detected() {
    let extra = ['Ü', '最', '\u{1F600}', '\n', '\0'];
    for s in vectors().into_iter().take(4) {
        let n = s.chars().count();
        for i in 0..n {
            for c in (0x20u8..=0x7E).map(char::from).chain(extra) {
                check_mutation(s, i, c);
            }
        }
    }
}

fn shuffled(s: &str, seed: u64) -> String {
    let q = Qris::parse(s).unwrap();
    let mut objs: Vec<&str> = q
        .objects()
        .filter(|o| o.tag() != 0 && o.tag() != 63)
        .map(|o| o.raw())
        .collect();
    // Deterministic Fisher-Yates from the seed.
    let mut x = seed | 1;
    for i in (1..objs.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let j = usize::try_from(x % (u64::try_from(i).unwrap() + 1)).unwrap();
        objs.swap(i, j);
    }
    seal(&format!("000201{}", objs.concat()))
}

fn tlv_noise() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (0u8..100, 0u8..100, "[ -~ÜÉ最]{0,12}", any::<bool>()),
        0..24,
    )
    .prop_map(|parts| {
        let mut body = String::new();
        for (t, l, v, honest) in parts {
            let len = if honest {
                v.chars().count()
            } else {
                usize::from(l)
            };
            let _ = write!(body, "{t:02}{len:02}{v}");
        }
        if body.len().is_multiple_of(2) {
            seal(&body)
        } else {
            body
        }
    })
}

proptest! {
    #[test]
    fn prop_build_parse_roundtrip(b in strategy::builder()) {
        let s = b.build().unwrap();
        let q = Qris::parse(&s).unwrap();
        prop_assert_eq!(q.to_builder(), b);
        prop_assert!(q.is_valid(), "{}", q.report());
    }

    #[test]
    fn prop_reencode_is_identity(b in strategy::builder(), seed in any::<u64>()) {
        let s = b.build().unwrap();
        prop_assert_eq!(Qris::parse(&s).unwrap().encode().unwrap(), s.clone());
        // Any order of root objects is preserved byte for byte.
        let t = shuffled(&s, seed);
        let q = Qris::parse(&t).unwrap();
        prop_assert_eq!(q.encode().unwrap(), t.clone());
        prop_assert_eq!(q.to_builder(), b);
    }

    #[test]
    fn prop_single_char_mutation_detected(
        b in strategy::builder(),
        index in any::<usize>(),
        c in any::<char>(),
    ) {
        let s = b.build().unwrap();
        check_mutation(&s, index, c);
        let v = vectors();
        check_mutation(v[index % v.len()], index / 7, c);
    }

    #[test]
    fn prop_arbitrary_input_never_panics(s in any::<String>(), noise in tlv_noise()) {
        check_any(&s);
        check_any(&noise);
        // Truncations and extensions of valid payloads.
        let v = vectors();
        let base = v[s.len() % v.len()];
        let cut: String = base.chars().take(s.chars().count() % (base.chars().count() + 1)).collect();
        check_any(&cut);
        check_any(&format!("{base}{s}"));
    }

    #[test]
    fn prop_dynamic_static_roundtrip(
        b in strategy::builder(),
        amount in strategy::amount(),
        fee in proptest::option::of(strategy::fee()),
        reference in proptest::option::of("[A-Z0-9-]{1,12}"),
    ) {
        let sticker: QrisBuilder = b.remove(54).remove(55).remove(56).remove(57)
            .point_of_initiation(koperasi_qris::PointOfInitiation::Static);
        let s = sticker.build().unwrap();
        let q = Qris::parse(&s).unwrap();
        let d = match &reference {
            Some(r) => q.to_dynamic_with_reference(&amount, fee.as_ref(), r),
            None => q.to_dynamic(&amount, fee.as_ref()),
        };
        let Ok(d) = d else {
            // Only a reference that overflows template 62 may be refused.
            prop_assert!(reference.is_some());
            return Ok(());
        };
        let p = Qris::parse(&d).unwrap();
        prop_assert!(p.is_dynamic());
        prop_assert_eq!(p.amount(), Some(amount.as_str()));
        prop_assert_eq!(p.reference_label().map(str::to_owned), reference.clone().or_else(|| q.reference_label().map(str::to_owned)));
        // Everything but 01, 54–57, 62 and 63 is kept verbatim and in order.
        let keep = |x: &Qris<'_>| -> Vec<String> {
            x.objects()
                .filter(|o| !matches!(o.tag(), 1 | 54..=57 | 62 | 63))
                .map(|o| o.raw().to_owned())
                .collect()
        };
        prop_assert_eq!(keep(&q), keep(&p));
        let back = Qris::parse(&p.to_static().unwrap()).unwrap().to_builder();
        let mut expected = sticker.clone();
        if let Some(r) = &reference {
            expected = expected.reference_label(r);
        }
        prop_assert_eq!(back, expected);
    }
}

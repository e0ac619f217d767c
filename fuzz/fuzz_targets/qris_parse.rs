//! Parse any UTF-8 input; whatever is accepted must re-encode, and a valid payload must
//! round-trip through the builder and re-encode byte for byte.
#![no_main]

use koperasi_qris::{Qris, crc_hex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Qris::parse(s);
    let Ok(q) = Qris::parse_lenient(s) else {
        return;
    };
    let _ = (
        q.amount_decimal(),
        q.nmid(),
        q.tip(),
        q.merchant_criteria(),
        q.language(),
    );
    let _ = q
        .objects()
        .flat_map(|o| o.children())
        .flat_map(|o| o.children())
        .count();
    let encoded = q.encode().expect("a parsed payload re-encodes");
    assert!(Qris::parse_lenient(&encoded).is_ok(), "re-encoding parses");
    if q.is_valid() {
        if q.crc() == Some(crc_hex(q.computed_crc()).as_str()) {
            assert_eq!(encoded, s, "valid payload re-encodes identically");
        }
        let b = q.to_builder();
        if let Ok(built) = b.build() {
            let again = Qris::parse(&built).expect("built payload parses");
            assert_eq!(again.to_builder(), b, "parse(build(x)) == x");
        }
        let amount = "12500".parse().expect("amount");
        if let Ok(d) = q.to_dynamic(&amount, None) {
            let p = Qris::parse(&d).expect("dynamic payload parses");
            assert_eq!(p.amount(), Some("12500"));
        }
    }
});

//! Test vectors from `testdata/qris/` and example tests for every error class.

use koperasi_qris::{
    Amount, Error, Fee, IssueCode, MerchantCriteria, Mode, Percentage, PointOfInitiation, Qris,
    QrisBuilder, Severity, TagPath, Tip, TlvFault,
};
use rust_decimal::Decimal;

const VALID: &str = include_str!("../../../testdata/qris/valid.tsv");
const INVALID: &str = include_str!("../../../testdata/qris/invalid.tsv");

fn valid() -> Vec<(&'static str, &'static str)> {
    VALID
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_once('\t').unwrap())
        .collect()
}

fn invalid() -> Vec<(&'static str, &'static str, String)> {
    INVALID
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut it = l.splitn(3, '\t');
            let name = it.next().unwrap();
            let code = it.next().unwrap();
            let payload = it
                .next()
                .unwrap()
                .replace("\\n", "\n")
                .replace("\\\\", "\\");
            (name, code, payload)
        })
        .collect()
}

fn vector(name: &str) -> &'static str {
    valid().into_iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn valid_vectors_parse_and_reencode_identically() {
    let v = valid();
    assert!(v.len() >= 12);
    for (name, s) in v {
        let q = Qris::parse(s).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(q.is_valid(), "{name}");
        assert_eq!(q.encode().unwrap(), s, "{name}: re-encoding");
        assert_eq!(q.crc(), Some(&s[s.len() - 4..]));
        assert_eq!(koperasi_qris::crc_hex(q.computed_crc()), &s[s.len() - 4..]);
        // Canonical rebuild parses back to the same typed parts.
        let b = q.to_builder();
        let rebuilt = b.build().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(Qris::parse(&rebuilt).unwrap().to_builder(), b, "{name}");
    }
}

#[test]
fn invalid_vectors_report_their_class() {
    let v = invalid();
    assert!(v.len() >= 30);
    for (name, code, s) in v {
        match Qris::parse(&s) {
            Ok(q) => panic!("{name}: accepted {q:?}"),
            Err(Error::Invalid { report }) => {
                assert!(report.has(code), "{name}: expected {code}, got {report}");
                assert!(report.errors().any(|i| i.code().as_str() == code), "{name}");
            }
            Err(e) => assert_eq!(e.code(), code, "{name}: {e}"),
        }
    }
}

#[test]
fn emvco_sample_a13a() {
    let q = Qris::parse(vector("emvco-spec-sample")).unwrap();
    assert_eq!(q.crc(), Some("A13A"));
    assert_eq!(q.computed_crc(), 0xA13A);
    assert_eq!(q.point_of_initiation(), Some(PointOfInitiation::Dynamic));
    assert_eq!(q.country(), Some("CN"));
    assert_eq!(q.currency(), Some("156"));
    assert_eq!(q.amount(), Some("23.72"));
    assert_eq!(q.amount_decimal(), Some(Decimal::new(2372, 2)));
    assert_eq!(q.tip(), Some(Tip::Prompt));
    assert_eq!(q.mcc(), Some("4111"));
    assert_eq!(q.merchant_name(), Some("BEST TRANSPORT"));
    let lang = q.language().unwrap();
    assert_eq!(lang.preference(), Some("ZH"));
    assert_eq!(lang.merchant_name(), Some("最佳运输"));
    assert_eq!(lang.merchant_city(), Some("北京"));
    let ad = q.additional_data().unwrap();
    assert_eq!(ad.store_label(), Some("1234"));
    assert_eq!(ad.customer_label(), Some("***"));
    assert_eq!(ad.terminal_label(), Some("A6008667"));
    assert_eq!(ad.consumer_data_request(), Some("ME"));
    let accounts: Vec<u8> = q.merchant_accounts().map(|m| m.tag()).collect();
    assert_eq!(accounts, [29, 31]);
    assert_eq!(q.merchant_account(29).unwrap().guid(), Some("D15600000000"));
    let un: Vec<_> = q.unreserved().collect();
    assert_eq!(un.len(), 1);
    assert_eq!(un[0].tag(), 91);
    assert_eq!(un[0].child_value(7), Some("12345678"));
    assert!(q.report().is_empty());
    let tags: Vec<u8> = q.objects().map(|o| o.tag()).collect();
    assert_eq!(
        tags,
        [0, 1, 29, 31, 52, 58, 59, 60, 64, 54, 53, 55, 62, 91, 63]
    );
}

#[test]
fn qris_accessors() {
    let q = Qris::parse(vector("kdmp-dynamic-fixed-fee")).unwrap();
    assert!(q.is_dynamic());
    assert_eq!(q.amount(), Some("125000"));
    assert_eq!(q.tip(), Some(Tip::Fixed(Some("1000"))));
    assert_eq!(q.fee_fixed(), Some("1000"));
    assert_eq!(q.reference_label(), Some("INV-0042"));
    assert_eq!(q.terminal_label(), Some("KASIR-01"));
    assert_eq!(q.nmid(), Some("ID1025123456789"));
    assert_eq!(q.merchant_criteria(), Some(MerchantCriteria::Umi));
    assert_eq!(q.postal_code(), Some("67219"));
    assert_eq!(q.merchant_city(), Some("PROBOLINGGO"));
    let m = q.merchant_account(26).unwrap();
    assert_eq!(m.guid(), Some("ID.CO.BRI.WWW"));
    assert_eq!(m.pan(), Some("936000021234567890"));
    assert_eq!(m.nns(), Some("93600002"));
    assert_eq!(m.merchant_id(), Some("KDMP00125"));
    assert_eq!(m.criteria(), Some(MerchantCriteria::Umi));
    assert_eq!(m.subtags().count(), 4);
    assert!(q.national().unwrap().is_national());

    let q = Qris::parse(vector("warung-dynamic-tip-percent")).unwrap();
    assert_eq!(q.tip(), Some(Tip::Percent(Some("0.7"))));
    assert_eq!(q.amount_decimal(), Some(Decimal::new(3_900_000, 2)));

    let q = Qris::parse(vector("nonascii-name")).unwrap();
    assert_eq!(q.merchant_name(), Some("KOPI SÜSU"));
    let w: Vec<_> = q
        .report()
        .warnings()
        .map(|i| (i.code(), i.path()))
        .collect();
    assert_eq!(w, [(IssueCode::NotAns, TagPath::tag(59))]);

    let q = Qris::parse(vector("linkaja-dynamic-unordered")).unwrap();
    assert_eq!(q.amount(), Some("250000"));
    assert_eq!(q.tip(), Some(Tip::Prompt));
}

#[test]
fn lowercase_crc_is_a_warning_and_reencodes_uppercase() {
    let s = vector("qriskit-static-gopay").replace("3ACC", "3acc");
    let q = Qris::parse(&s).unwrap();
    let w: Vec<_> = q.report().warnings().collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].code().as_str(), "crc.lowercase");
    assert_eq!(w[0].severity(), Severity::Warning);
    assert_eq!(q.encode().unwrap(), vector("qriskit-static-gopay"));
}

#[test]
fn structural_errors_carry_offset_and_path() {
    assert_eq!(Qris::parse(""), Err(Error::Empty));
    let big = "0".repeat(70_000);
    assert_eq!(Qris::parse(&big), Err(Error::TooLong { len: 70_000 }));
    let s = vector("kdmp-static-bri");
    // Value overflow names the object and the remaining characters.
    let cut = &s[..s.len() - 20];
    match Qris::parse(cut) {
        Err(Error::ValueOverflow {
            path,
            declared,
            remaining,
            offset,
        }) => {
            assert_eq!(path, TagPath::tag(62));
            assert_eq!(declared, 12);
            assert!(remaining < 12);
            assert_eq!(&cut[offset..offset + 2], "62");
        }
        other => panic!("{other:?}"),
    }
    // Malformed template defined by EMVCo (62): offset inside 62.
    let inv = invalid();
    let (_, _, m) = inv.iter().find(|v| v.0 == "malformed-template").unwrap();
    let at = m.find("6214NOT A TEMPLATE").unwrap();
    match Qris::parse(m) {
        Err(e @ Error::MalformedTemplate { .. }) => {
            assert_eq!(e.path(), Some(TagPath::tag(62)));
            assert_eq!(e.offset(), Some(at + 4));
            assert!(matches!(
                e,
                Error::MalformedTemplate {
                    fault: TlvFault::BadTag,
                    ..
                }
            ));
        }
        other => panic!("{other:?}"),
    }
    let (_, _, d) = inv.iter().find(|v| v.0 == "duplicate-nested").unwrap();
    let e = Qris::parse(d).unwrap_err();
    assert_eq!(e.path(), Some(TagPath::sub(26, 1)));
    let (_, _, c) = inv.iter().find(|v| v.0 == "crc-mismatch").unwrap();
    match Qris::parse(c) {
        Err(Error::CrcMismatch {
            offset,
            expected,
            found,
        }) => {
            assert_eq!(offset, c.len() - 8);
            assert_ne!(expected, found);
            assert_eq!(koperasi_qris::crc16(&c.as_bytes()[..c.len() - 4]), expected);
        }
        other => panic!("{other:?}"),
    }
    for e in [
        Error::BadTag {
            offset: 4,
            parent: TagPath::ROOT,
        },
        Error::BadLength {
            offset: 4,
            path: TagPath::tag(1),
        },
        Error::ZeroLength {
            offset: 4,
            path: TagPath::tag(1),
        },
        Error::TruncatedHeader {
            offset: 4,
            parent: TagPath::sub(62, 50),
        },
    ] {
        assert!(e.to_string().contains("byte 4"), "{e}");
    }
}

#[test]
fn lenient_mode_reports_everything_at_once() {
    // Static, wrong currency, bad MCC, name too long, and a broken CRC.
    let s = "000201010211265900130ID.CO.BRI.WWW";
    assert!(Qris::parse_lenient(s).is_err());
    let body = "00020101021126590013ID.CO.BRI.WWW01189360000212345678900209KDMP001250303UMI5204AB1153038405802ID5929KOPERASI DESA MERAH PUTIH SKM6011PROBOLINGGO6304";
    let s = format!("{body}FFFF");
    assert!(matches!(Qris::parse(&s), Err(Error::CrcMismatch { .. })));
    let q = Qris::parse_with(&s, Mode::Lenient).unwrap();
    let codes: Vec<_> = q
        .report()
        .issues()
        .iter()
        .map(|i| (i.code().as_str(), i.path().to_string()))
        .collect();
    for want in [
        ("crc.mismatch", "63"),
        ("mcc.format", "52"),
        ("qris.currency", "53"),
        ("length.too_long", "59"),
        ("qris.postal_missing", "61"),
        ("qris.national_missing", "51"),
    ] {
        assert!(
            codes.iter().any(|(c, p)| *c == want.0 && p == want.1),
            "{want:?} in {codes:?}"
        );
    }
    assert!(!q.is_valid());
    // Strict mode with a correct CRC gives the same rule errors in one Error::Invalid.
    let fixed = format!(
        "{body}{}",
        koperasi_qris::crc_hex(koperasi_qris::crc16(body.as_bytes()))
    );
    let e = Qris::parse(&fixed).unwrap_err();
    let report = e.report().unwrap();
    assert_eq!(report.errors().count(), 3);
    assert!(e.to_string().contains("26") || e.to_string().contains("52"));
    // to_dynamic refuses a payload with errors (e.g. a bad CRC).
    assert!(matches!(
        q.to_dynamic(&"1000".parse().unwrap(), None),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn to_dynamic_matches_qriskit() {
    let q = Qris::parse(vector("qriskit-static-gopay")).unwrap();
    let fee = Fee::Fixed("1000".parse().unwrap());
    let d = q.to_dynamic(&"25000".parse().unwrap(), Some(&fee)).unwrap();
    assert!(d.contains("5204581253033605405250005502025604100058"));
    assert!(d.ends_with("6304748B"));
    assert!(d.starts_with("000201010212"));
    // Back to static: only 01 differs from the original, and the CRC.
    let back = Qris::parse(&d).unwrap().to_static().unwrap();
    assert_eq!(back, vector("qriskit-static-gopay"));
}

#[test]
fn to_dynamic_on_unordered_and_missing_poi() {
    let q = Qris::parse(vector("linkaja-dynamic-unordered")).unwrap();
    let pct = Fee::Percent(Percentage::parse("2.5").unwrap());
    let d = q
        .to_dynamic(&"99000.50".parse().unwrap(), Some(&pct))
        .unwrap();
    let p = Qris::parse(&d).unwrap();
    assert_eq!(p.amount(), Some("99000.50"));
    assert_eq!(p.tip(), Some(Tip::Percent(Some("2.5"))));
    // 54–57 inserted before 58, the old ones (after 62) dropped; everything else in order.
    let tags: Vec<u8> = p.objects().map(|o| o.tag()).collect();
    assert_eq!(
        tags,
        [0, 1, 26, 51, 52, 54, 55, 57, 58, 59, 60, 61, 62, 53, 63]
    );

    // Without 01: it is inserted right after 00.
    let s = vector("emvco-spec-sample");
    let no_poi = format!("000201{}", &s[12..s.len() - 4]);
    let no_poi = format!(
        "{no_poi}{}",
        koperasi_qris::crc_hex(koperasi_qris::crc16(no_poi.as_bytes()))
    );
    let q = Qris::parse(&no_poi).unwrap();
    assert_eq!(q.point_of_initiation(), None);
    let d = q
        .to_dynamic(&"10".parse().unwrap(), Some(&Fee::TipPrompt))
        .unwrap();
    assert!(d.starts_with("000201010212"));
}

#[test]
fn to_dynamic_with_reference_edits_or_creates_62() {
    let q = Qris::parse(vector("kdmp-static-bri")).unwrap();
    let d = q
        .to_dynamic_with_reference(&"125000".parse().unwrap(), None, "INV-0042")
        .unwrap();
    let p = Qris::parse(&d).unwrap();
    assert_eq!(p.reference_label(), Some("INV-0042"));
    assert_eq!(p.terminal_label(), Some("KASIR-01"));
    // Replace an existing reference in place.
    let d2 = p
        .to_dynamic_with_reference(&"5000".parse().unwrap(), None, "INV-0043")
        .unwrap();
    let p2 = Qris::parse(&d2).unwrap();
    assert_eq!(p2.reference_label(), Some("INV-0043"));
    assert_eq!(p2.additional_data().unwrap().objects().count(), 2);
    // No 62 at all: created before the first higher ID.
    let q = Qris::parse(vector("nonascii-name")).unwrap();
    let d = q
        .to_dynamic_with_reference(&"5000".parse().unwrap(), None, "A-1")
        .unwrap();
    assert_eq!(Qris::parse(&d).unwrap().reference_label(), Some("A-1"));
    // Too long a reference is refused.
    assert!(
        q.to_dynamic_with_reference(&"5000".parse().unwrap(), None, &"X".repeat(26))
            .is_err()
    );
}

#[test]
fn builder_errors() {
    let b = QrisBuilder::new("", "KOTA", "5411");
    assert!(matches!(
        b.encode(),
        Err(Error::Build {
            reason: "empty value",
            ..
        })
    ));
    let b = QrisBuilder::new("TOKO", "KOTA", "5411").object(70, &"X".repeat(100));
    assert!(matches!(b.encode(), Err(Error::Build { path, .. }) if path == TagPath::tag(70)));
    let b = QrisBuilder::new("TOKO", "KOTA", "5411").object(120, "X");
    assert!(matches!(
        b.encode(),
        Err(Error::Build {
            reason: "ID above 99",
            ..
        })
    ));
    // No merchant account: rule error from the strict check.
    let e = QrisBuilder::new("TOKO", "KOTA", "5411")
        .build()
        .unwrap_err();
    assert!(e.report().unwrap().has("mai.missing"));
    let ok = QrisBuilder::new("TOKO", "KOTA", "5411")
        .national("ID1020012345678", MerchantCriteria::Umi)
        .postal_code("10110")
        .amount(&Amount::from_decimal(Decimal::new(1_500_050, 2)).unwrap())
        .fee(&Fee::TipPrompt)
        .build()
        .unwrap();
    let q = Qris::parse(&ok).unwrap();
    assert_eq!(q.amount(), Some("15000.50"));
    assert!(q.is_dynamic());
    assert_eq!(q.tip(), Some(Tip::Prompt));
    assert_eq!(ok.len(), ok.chars().count());
}

#[test]
fn amount_and_percentage_errors() {
    assert!(matches!(
        Amount::parse("1.000"),
        Err(Error::InvalidAmount {
            reason: "more than two decimals",
            ..
        })
    ));
    assert!(matches!(
        Amount::parse("12,5"),
        Err(Error::InvalidAmount { .. })
    ));
    assert!(matches!(
        Percentage::parse("0"),
        Err(Error::InvalidPercentage { .. })
    ));
    assert_eq!(
        Error::InvalidAmount {
            value: "x".into(),
            reason: "r"
        }
        .code(),
        "amount.invalid"
    );
}

#[test]
fn criteria_from_str() {
    assert_eq!("ume".parse::<MerchantCriteria>(), Ok(MerchantCriteria::Ume));
    assert!("ABC".parse::<MerchantCriteria>().is_err());
    assert_eq!(MerchantCriteria::Ube.description(), "usaha besar");
}

#[cfg(feature = "svg")]
#[test]
fn svg_renders_and_refuses_oversize() {
    let svg = koperasi_qris::to_svg(vector("kdmp-static-bri")).unwrap();
    assert!(svg.contains("<svg"));
    let e = koperasi_qris::to_svg(&"9".repeat(8000)).unwrap_err();
    assert_eq!(e.code(), "render");
}

/// Replays inputs the fuzzer found (one file per input in `testdata/qris/fuzz/`).
#[test]
fn fuzz_regressions() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/qris/fuzz");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        if let Ok(s) = std::str::from_utf8(&bytes)
            && let Ok(q) = Qris::parse_lenient(s)
        {
            let _ = q.encode();
            let _ = q.to_builder().build();
        }
    }
}

/// Regression (issue 19): real payloads from Indonesian issuers put data that is not TLV in
/// the payment-system templates (62.50–99, 26–51, 80–99). The default mode accepts them with
/// a `template.opaque` warning and keeps the raw value; `Mode::Pedantic` rejects them.
#[test]
fn regression_opaque_payment_system_templates_are_accepted_with_a_warning() {
    let cases = [
        (
            "opaque-62-50-wallet",
            TagPath::sub(62, 50),
            "ID.CO.WALLET.WWW|TRX=7781",
        ),
        (
            "opaque-62-60-proprietary",
            TagPath::sub(62, 60),
            "PRIV:0A1B2C3D",
        ),
        (
            "opaque-27-acquirer",
            TagPath::tag(27),
            "ACQ/ID.CO.EXAMPLE/0001",
        ),
        (
            "opaque-80-unreserved",
            TagPath::tag(80),
            "LOYALTY POINTS X2",
        ),
    ];
    for (name, path, raw) in cases {
        let s = vector(name);
        for mode in [Mode::Strict, Mode::Lenient] {
            let q = Qris::parse_with(s, mode).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(q.is_valid(), "{name}");
            let warnings: Vec<_> = q.report().warnings().collect();
            assert_eq!(warnings.len(), 1, "{name}: {}", q.report());
            assert_eq!(warnings[0].code().as_str(), "template.opaque", "{name}");
            assert_eq!(warnings[0].path(), path, "{name}");
            // The raw value is there, and the object is not read as a template.
            let o = match path.tags() {
                [t] => q.object(*t).unwrap(),
                [62, sub] => q
                    .additional_data()
                    .unwrap()
                    .objects()
                    .find(|c| c.tag() == *sub)
                    .unwrap(),
                _ => unreachable!(),
            };
            assert_eq!(o.value(), raw, "{name}");
            assert_eq!(
                &s[warnings[0].offset().unwrap()..][..2],
                &format!("{:02}", path.last().unwrap())
            );
            assert!(o.is_opaque() && !o.is_template() && o.children().next().is_none());
            // Re-encoding and conversion keep it verbatim.
            assert_eq!(q.encode().unwrap(), s, "{name}");
            let amount: Amount = "10000".parse().unwrap();
            let d = q.to_dynamic(&amount, None).unwrap();
            assert!(d.contains(raw), "{name}: {d}");
        }
        match Qris::parse_with(s, Mode::Pedantic) {
            Err(e @ Error::MalformedTemplate { .. }) => assert_eq!(e.path(), Some(path), "{name}"),
            other => panic!("{name}: pedantic mode accepted it: {other:?}"),
        }
    }
    // 62 and 64 are EMVCo's own templates: not TLV is still an error in every mode.
    let inv = invalid();
    let (_, _, m) = inv.iter().find(|v| v.0 == "malformed-template").unwrap();
    assert!(matches!(
        Qris::parse_lenient(m),
        Err(Error::MalformedTemplate { .. })
    ));
}

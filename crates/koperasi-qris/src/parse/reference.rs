//! The straightforward validator the parser's fast path is checked against (tests only).
//!
//! It walks the parsed tree through the same [`DataObject`] views that users see and checks
//! every rule one object at a time, with no precomputed spans and no shortcut for printable
//! payloads. `parse::tests` asserts that the fast validator in `parse.rs` produces the very
//! same report, issue for issue and in the same order, for every test vector and for
//! generated payloads that break the rules in every way.

use crate::amount::{check_percentage, scan_number};
use crate::error::{Issue, IssueCode, Report, Severity};
use crate::model::{MerchantCriteria, NATIONAL_GUID, PointOfInitiation};
use crate::tlv::{DataObject, TagPath};

use super::{
    Qris, all_digits, consumer_request_ok, currency_exponent, has_pipe, is_ans, present_in,
};

fn is_digits(s: &str) -> bool {
    !s.is_empty() && all_digits(s.as_bytes())
}

struct Checker<'r> {
    report: &'r mut Report,
}

impl Checker<'_> {
    fn error(&mut self, code: IssueCode, path: TagPath, offset: Option<usize>) {
        self.report
            .push(Issue::new(code, Severity::Error, path, offset));
    }
    fn warn(&mut self, code: IssueCode, path: TagPath, offset: Option<usize>) {
        self.report
            .push(Issue::new(code, Severity::Warning, path, offset));
    }
    fn on(&mut self, code: IssueCode, o: &DataObject<'_>) {
        self.error(code, o.path(), Some(o.offset()));
    }
    fn warn_on(&mut self, code: IssueCode, o: &DataObject<'_>) {
        self.warn(code, o.path(), Some(o.offset()));
    }
    /// Length limit (error) and ans character set (warning).
    fn ans(&mut self, o: &DataObject<'_>, max: u8) {
        if o.char_len() > usize::from(max) {
            self.on(IssueCode::TooLong { max }, o);
        }
        if !is_ans(o.value()) {
            self.warn_on(IssueCode::NotAns, o);
        }
    }
    fn too_long(&mut self, o: &DataObject<'_>, max: u8) {
        if o.char_len() > usize::from(max) {
            self.on(IssueCode::TooLong { max }, o);
        }
    }
}

pub(super) fn validate(q: &Qris<'_>, report: &mut Report) {
    let mut c = Checker { report };
    let qris = q.country() == Some("ID");

    // 00, 01
    if let Some(o) = q.object(0)
        && o.value() != "01"
    {
        c.on(IssueCode::PfiInvalid, &o);
    }
    let poi = q.object(1);
    if let Some(o) = poi
        && PointOfInitiation::from_code(o.value()).is_none()
    {
        c.on(IssueCode::PoiInvalid, &o);
    }

    // 02–51
    let mut any_mai = false;
    let mut criteria: Option<&str> = None;
    let mut criteria_mismatch = false;
    for tag in present_in(q.present, 2, 51) {
        let Some(o) = q.object(tag) else { continue };
        any_mai = true;
        if tag <= 25 {
            if !is_ans(o.value()) {
                c.warn_on(IssueCode::NotAns, &o);
            }
            continue;
        }
        if o.is_opaque() {
            c.warn_on(IssueCode::TemplateOpaque, &o);
            continue;
        }
        if let Some(cr) = check_account(&mut c, &o, qris) {
            match criteria {
                None => criteria = Some(cr.value()),
                Some(prev) if prev != cr.value() && !criteria_mismatch => {
                    criteria_mismatch = true;
                    c.warn_on(IssueCode::QrisCriteriaMismatch, &cr);
                }
                Some(_) => {}
            }
        }
    }
    if !any_mai {
        c.error(IssueCode::MerchantAccountMissing, TagPath::ROOT, None);
    }
    let dynamic = poi.map(|o| o.value()) == Some("12");
    let is_static = poi.map(|o| o.value()) == Some("11");
    if qris && is_static && q.object(51).is_none() {
        c.warn(IssueCode::QrisNationalMissing, TagPath::tag(51), None);
    }

    // 52, 53
    match q.object(52) {
        None => c.error(IssueCode::TagMissing, TagPath::tag(52), None),
        Some(o) if o.value().len() != 4 || !is_digits(o.value()) => c.on(IssueCode::MccFormat, &o),
        Some(_) => {}
    }
    let currency = q.object(53);
    match currency {
        None => c.error(IssueCode::TagMissing, TagPath::tag(53), None),
        Some(o) if o.value().len() != 3 || !is_digits(o.value()) => {
            c.on(IssueCode::CurrencyFormat, &o);
        }
        Some(o) if qris && o.value() != "360" => c.on(IssueCode::QrisCurrency, &o),
        Some(_) => {}
    }

    // 54
    match q.object(54) {
        Some(o) => {
            check_amount(&mut c, &o, currency.map_or("360", |o| o.value()));
            if qris && is_static {
                c.warn_on(IssueCode::QrisStaticWithAmount, &o);
            }
        }
        None => {
            if qris && dynamic {
                c.warn(IssueCode::QrisDynamicWithoutAmount, TagPath::tag(54), None);
            }
        }
    }

    // 55–57
    check_tip(&mut c, q);

    // 58–61
    match q.object(58) {
        None => c.error(IssueCode::TagMissing, TagPath::tag(58), None),
        Some(o) if o.value().len() != 2 || !o.value().bytes().all(|b| b.is_ascii_uppercase()) => {
            c.on(IssueCode::CountryFormat, &o);
        }
        Some(_) => {}
    }
    for (tag, max) in [(59u8, 25u8), (60, 15)] {
        match q.object(tag) {
            None => c.error(IssueCode::TagMissing, TagPath::tag(tag), None),
            Some(o) => c.ans(&o, max),
        }
    }
    match q.object(61) {
        Some(o) => c.ans(&o, 10),
        None if qris => c.warn(IssueCode::QrisPostalMissing, TagPath::tag(61), None),
        None => {}
    }

    // 62
    if let Some(t) = q.object(62) {
        for o in t.children() {
            match o.tag() {
                50..=99 if o.is_opaque() => c.warn_on(IssueCode::TemplateOpaque, &o),
                1..=8 => c.ans(&o, 25),
                9 => {
                    c.ans(&o, 3);
                    if !consumer_request_ok(o.value()) {
                        c.on(IssueCode::ConsumerRequest, &o);
                    }
                }
                10 => c.ans(&o, 20),
                11 if o.char_len() != 3 => c.on(IssueCode::WrongLength { len: 3 }, &o),
                _ => {}
            }
        }
    }

    // 64
    if let Some(t) = q.object(64) {
        match t.child(0) {
            None => c.error(IssueCode::LanguageMissingSubtag, TagPath::sub(64, 0), None),
            Some(o)
                if o.value().len() != 2 || !o.value().bytes().all(|b| b.is_ascii_alphabetic()) =>
            {
                c.on(IssueCode::LanguageFormat, &o);
            }
            Some(_) => {}
        }
        match t.child(1) {
            None => c.error(IssueCode::LanguageMissingSubtag, TagPath::sub(64, 1), None),
            Some(o) => c.too_long(&o, 25),
        }
        if let Some(o) = t.child(2) {
            c.too_long(&o, 15);
        }
    }

    // 65–79
    for tag in present_in(q.present, 65, 79) {
        if let Some(o) = q.object(tag) {
            c.warn_on(IssueCode::TagRfu, &o);
        }
    }

    // 80–99
    for tag in present_in(q.present, 80, 99) {
        if let Some(o) = q.object(tag)
            && o.is_opaque()
        {
            c.warn_on(IssueCode::TemplateOpaque, &o);
        }
    }

    let chars = if q.ascii {
        q.src.len()
    } else {
        q.src.chars().count()
    };
    if chars > 512 {
        c.warn(IssueCode::PayloadTooLong, TagPath::ROOT, None);
    }
}

fn check_account<'a>(
    c: &mut Checker<'_>,
    o: &DataObject<'a>,
    qris: bool,
) -> Option<DataObject<'a>> {
    let tag = o.tag();
    let path = o.path();
    let (mut guid, mut pan, mut mid, mut crit) = (None, None, None, None);
    for sub in o.children() {
        match sub.tag() {
            0 => guid = Some(sub),
            1 => pan = Some(sub),
            2 => mid = Some(sub),
            3 => crit = Some(sub),
            _ => {}
        }
        if sub.tag() != 0 && !is_ans(sub.value()) {
            c.warn_on(IssueCode::NotAns, &sub);
        }
    }
    match guid {
        None => c.error(IssueCode::GuidMissing, TagPath::sub(tag, 0), None),
        Some(g) => {
            c.ans(&g, 32);
            if qris && tag == 51 && g.value() != NATIONAL_GUID {
                c.warn_on(IssueCode::QrisNationalGuid, &g);
            }
        }
    }
    if !qris || !((26..=45).contains(&tag) || tag == 51) {
        return crit;
    }
    let national = tag == 51;
    match pan {
        None if !national => c.error(IssueCode::QrisMaiSubtag, path.child(1), None),
        Some(p) if !is_digits(p.value()) || !(8..=19).contains(&p.value().len()) => {
            c.on(IssueCode::QrisPanFormat, &p);
        }
        _ => {}
    }
    match mid {
        None => c.error(IssueCode::QrisMaiSubtag, path.child(2), None),
        Some(m) => {
            c.too_long(&m, 15);
            if has_pipe(m.value().as_bytes()) {
                c.on(IssueCode::QrisPipe, &m);
            }
            if national {
                let v = m.value().as_bytes();
                let shape = v.len() == 15
                    && v.starts_with(b"ID")
                    && v.get(2..).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
                if !shape {
                    c.warn_on(IssueCode::QrisNmidFormat, &m);
                }
            }
        }
    }
    match crit {
        None => c.warn(IssueCode::QrisCriteriaMissing, path.child(3), None),
        Some(k) => {
            if has_pipe(k.value().as_bytes()) {
                c.on(IssueCode::QrisPipe, &k);
            } else if MerchantCriteria::from_code(k.value()).is_none() {
                c.on(IssueCode::QrisCriteria, &k);
            }
        }
    }
    crit
}

fn check_amount(c: &mut Checker<'_>, o: &DataObject<'_>, currency: &str) {
    if o.char_len() > 13 {
        c.on(IssueCode::TooLong { max: 13 }, o);
        return;
    }
    match scan_number(o.value()) {
        None => c.on(IssueCode::AmountFormat, o),
        Some(n) if n.zero => c.on(IssueCode::AmountZero, o),
        Some(n) if n.decimals > currency_exponent(currency) => c.on(IssueCode::AmountDecimals, o),
        Some(n) if n.trailing_dot => c.warn_on(IssueCode::AmountTrailingDot, o),
        Some(_) => {}
    }
}

fn check_tip(c: &mut Checker<'_>, q: &Qris<'_>) {
    let fixed = q.object(56);
    let pct = q.object(57);
    let orphan = |c: &mut Checker<'_>, o: Option<DataObject<'_>>| {
        if let Some(o) = o {
            c.on(IssueCode::TipOrphanFee, &o);
        }
    };
    let Some(ind) = q.object(55) else {
        orphan(c, fixed);
        orphan(c, pct);
        return;
    };
    match ind.value() {
        "01" => {
            orphan(c, fixed);
            orphan(c, pct);
        }
        "02" => {
            match fixed {
                None => c.error(IssueCode::TipFeeMissing, TagPath::tag(56), None),
                Some(f) => {
                    if f.char_len() > 13 {
                        c.on(IssueCode::TooLong { max: 13 }, &f);
                    } else {
                        match scan_number(f.value()) {
                            None => c.on(IssueCode::FeeFormat, &f),
                            Some(n) if n.zero => c.on(IssueCode::FeeZero, &f),
                            Some(_) => {}
                        }
                    }
                }
            }
            orphan(c, pct);
        }
        "03" => {
            match pct {
                None => c.error(IssueCode::TipFeeMissing, TagPath::tag(57), None),
                Some(p) => match check_percentage(p.value()) {
                    Ok(_) => {}
                    Err((_, true)) => c.on(IssueCode::FeeRange, &p),
                    Err((_, false)) => c.on(IssueCode::FeeFormat, &p),
                },
            }
            orphan(c, fixed);
        }
        _ => c.on(IssueCode::TipInvalid, &ind),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::validate;
    use crate::error::Report;
    use crate::parse::{both_paths, scans_agree};
    use crate::{Qris, crc_hex, crc16};

    /// The report the straightforward validator gives: the CRC issues the parser recorded
    /// (they come first), then every rule violation.
    fn reference_report(q: &Qris<'_>) -> Report {
        let mut r = Report::default();
        for i in q.report().issues() {
            if i.code().as_str().starts_with("crc.") {
                r.push(*i);
            }
        }
        validate(q, &mut r);
        r
    }

    /// The parser's report equals the reference; so does the full rule pass on its own
    /// (even where the fast path skips it); and the fast path only passes payloads about
    /// which the reference has nothing to say. Returns whether the fast path was taken.
    fn same_report(s: &str) -> bool {
        assert!(scans_agree(s), "fast and precise scans disagree on {s:?}");
        let Ok(q) = Qris::parse_lenient(s) else {
            return false;
        };
        let reference = reference_report(&q);
        assert_eq!(q.report(), &reference, "{s:?}");
        assert_eq!(Qris::parse(s).is_ok(), q.is_valid(), "{s:?}");
        let Some((rules, clean)) = both_paths(s) else {
            panic!("parsed leniently but not structurally: {s:?}");
        };
        let mut rules_only = Report::default();
        validate(&q, &mut rules_only);
        assert_eq!(rules, rules_only, "{s:?}");
        if clean {
            assert!(
                rules_only.is_empty(),
                "fast path passed {s:?}: {rules_only}"
            );
        }
        clean
    }

    fn vectors() -> Vec<String> {
        let valid = include_str!("../../../../testdata/qris/valid.tsv");
        let invalid = include_str!("../../../../testdata/qris/invalid.tsv");
        let mut out = Vec::new();
        for line in valid.lines().chain(invalid.lines()) {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let Some(raw) = line.rsplit('\t').next() else {
                continue;
            };
            let json = format!("\"{raw}\"");
            out.push(serde_json::from_str::<String>(&json).unwrap_or_else(|_| raw.to_owned()));
        }
        out
    }

    #[test]
    fn fast_rules_equal_reference_on_every_vector_and_mutation() {
        let alphabet = ['0', '9', 'A', 'z', ' ', '|', '.', '\u{7}', 'é', '运'];
        for v in vectors() {
            same_report(&v);
            for end in 0..v.len() {
                if let Some(prefix) = v.get(..end) {
                    same_report(prefix);
                }
            }
            let chars: Vec<char> = v.chars().collect();
            for i in 0..chars.len() {
                for &c in &alphabet {
                    let mut m = chars.clone();
                    m[i] = c;
                    same_report(&m.into_iter().collect::<String>());
                }
            }
        }
    }

    /// A value drawn from character classes that break one rule or another.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,20}",
            "[0-9]{1,10}\\.[0-9]{0,4}",
            "[A-Z]{1,4}",
            "(01|11|12|02|03|04|ID|id|360|UMI|UKE|URE|XYZ|AME|AA|ID.CO.QRIS.WWW)",
            "ID[0-9]{13}",
            "[A-Za-z0-9 .|-]{1,40}",
            "[ -~]{1,30}",
            "[a-zé运\u{7}\t]{1,12}",
            boundary(),
        ]
    }

    /// Digits, letters or a mix at the lengths where limits lie (3, 4, 8, 10, 13, 15, 19,
    /// 20, 25, 32 characters and one either side).
    fn boundary() -> impl Strategy<Value = String> {
        let lengths = [
            1usize, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 24, 25, 26,
            31, 32, 33,
        ];
        (proptest::sample::select(lengths.to_vec()), 0u8..3).prop_flat_map(|(n, class)| {
            let pattern = match class {
                0 => format!("[0-9]{{{n}}}"),
                1 => format!("[A-Z]{{{n}}}"),
                _ => format!("ID[0-9]{{{}}}", n.saturating_sub(2)),
            };
            proptest::string::string_regex(&pattern).unwrap_or_else(|_| unreachable!())
        })
    }

    /// Fields with a length limit: (ID, sub-ID, limit in characters).
    const LIMITS: [(u8, Option<u8>, usize); 23] = [
        (52, None, 4),
        (53, None, 3),
        (54, None, 13),
        (56, None, 13),
        (59, None, 25),
        (60, None, 15),
        (61, None, 10),
        (26, Some(0), 32),
        (26, Some(1), 8),
        (26, Some(1), 19),
        (26, Some(2), 15),
        (51, Some(0), 32),
        (51, Some(2), 15),
        (62, Some(1), 25),
        (62, Some(5), 25),
        (62, Some(7), 25),
        (62, Some(8), 25),
        (62, Some(9), 3),
        (62, Some(10), 20),
        (62, Some(11), 3),
        (64, Some(0), 2),
        (64, Some(1), 25),
        (64, Some(2), 15),
    ];

    /// An ID that carries rules (or borders on one that does).
    fn rule_tag() -> impl Strategy<Value = u8> {
        proptest::sample::select(vec![
            0u8, 1, 2, 25, 26, 27, 45, 46, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 64,
            65, 79, 80, 99,
        ])
    }

    fn object(tag: u8, v: &str) -> String {
        format!("{tag:02}{:02}{v}", v.chars().count().min(99))
    }

    /// A template's content: sub-objects with IDs drawn from `ids` and rule-breaking values.
    fn template(ids: core::ops::RangeInclusive<u8>) -> impl Strategy<Value = String> {
        proptest::collection::btree_map(ids, value(), 0..5).prop_map(|m| {
            m.iter()
                .filter(|(_, v)| v.chars().count() <= 99)
                .map(|(t, v)| object(*t, v))
                .collect()
        })
    }

    fn payload() -> impl Strategy<Value = String> {
        let root = (
            proptest::collection::btree_map(1u8..=25, value(), 0..3),
            proptest::collection::btree_map(26u8..=51, template(0..=5), 0..4),
            proptest::collection::btree_map(52u8..=61, value(), 3..10),
            proptest::option::of(template(0..=12)),
            proptest::option::of(template(0..=3)),
            proptest::collection::btree_map(65u8..=99, value(), 0..2),
            any::<bool>(),
            "(01|02)",
        );
        root.prop_map(|(prim, mai, mid, add, lang, tail, lower, pfi)| {
            let mut objs: Vec<(u8, String)> = Vec::new();
            objs.extend(prim);
            objs.extend(mai.into_iter().filter(|(_, v)| !v.is_empty()));
            objs.extend(mid);
            objs.extend(add.filter(|v| !v.is_empty()).map(|v| (62, v)));
            objs.extend(lang.filter(|v| !v.is_empty()).map(|v| (64, v)));
            objs.extend(tail);
            let mut body = object(0, &pfi);
            for (t, v) in objs {
                if v.chars().count() <= 99 {
                    body.push_str(&object(t, &v));
                }
            }
            body.push_str("6304");
            let crc = crc_hex(crc16(body.as_bytes()));
            let crc = if lower { crc.to_ascii_lowercase() } else { crc };
            format!("{body}{crc}")
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Invariant: the fast rule pass (spans from the structural pass, no `ans` checks on a
        /// printable payload) reports exactly what the straightforward validator reports.
        #[test]
        fn fast_rules_equal_reference_on_generated_payloads(s in payload()) {
            same_report(&s);
        }

        /// Invariant: the printable fast scan accepts exactly what the precise scan accepts,
        /// with the same spans, on arbitrary printable text and TLV-shaped noise.
        #[test]
        fn fast_scan_agrees_with_precise_scan(
            s in prop_oneof!["[ -~]{0,80}", "([0-9]{2}0[0-9][ -~]{0,9}){1,12}6304[0-9A-F]{4}"],
        ) {
            prop_assert!(scans_agree(&s), "{:?}", s);
        }

        /// Invariant: a valid payload with one object replaced, set or removed gets the
        /// reference's report (each rule of the fast path is hit on its own this way).
        #[test]
        fn one_edit_from_valid_gets_the_reference_report(
            b in crate::strategy::builder(),
            edit in 0u8..3,
            tag in rule_tag(),
            sub in 0u8..=12,
            v in value(),
        ) {
            let b = match edit {
                0 => b.object(tag, &v),
                1 if matches!(tag, 26..=51 | 62 | 64) => b.sub(tag, sub, &v),
                _ => b.remove(tag),
            };
            if let Ok(s) = b.encode() {
                same_report(&s);
            }
        }

        /// Invariant: a valid payload with one field set to a length at, just under or just
        /// over one of its limits gets the reference's report.
        #[test]
        fn length_limits_get_the_reference_report(
            b in crate::strategy::builder(),
            field in proptest::sample::select(LIMITS.to_vec()),
            delta in 0usize..3,
            digits in any::<bool>(),
        ) {
            let (tag, sub, limit) = field;
            let n = (limit + delta).saturating_sub(1).max(1);
            let v: String = if digits {
                (0..n).map(|i| char::from(b'1' + u8::try_from(i % 9).unwrap_or(0))).collect()
            } else {
                "X".repeat(n)
            };
            // 26–45 need a template to edit: the builder's acquirer template is the first.
            let tag = if tag == 26 {
                b.objects().keys().copied().find(|t| (26..=45).contains(t)).unwrap_or(26)
            } else {
                tag
            };
            let b = match sub {
                Some(sub) => b.sub(tag, sub, &v),
                None => b.object(tag, &v),
            };
            if let Ok(s) = b.encode() {
                same_report(&s);
            }
        }

        /// Invariant: what the builder makes without a language template (the everyday
        /// static sticker and dynamic payment code) takes the fast path.
        #[test]
        fn built_payloads_take_the_fast_path(b in crate::strategy::builder()) {
            let s = b.build().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let clean = same_report(&s);
            let q = Qris::parse(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
            if q.language().is_none() && q.report().is_empty() {
                prop_assert!(clean, "{}", s);
            }
        }
    }
}

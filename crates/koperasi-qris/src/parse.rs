//! The parser: one pass over the bytes, no allocation for a valid payload, then the rule
//! checks.

use core::fmt;

use rust_decimal::Decimal;

use crate::amount::{Tip, check_percentage, scan_number, to_decimal};
use crate::crc16::{crc16, parse_hex4};
use crate::error::{Error, Issue, IssueCode, Report, Severity};
use crate::model::{
    AdditionalData, Language, MerchantAccount, MerchantCriteria, NATIONAL_GUID, PointOfInitiation,
};
use crate::tlv::{DataObject, Objects, TagPath, read_object};

/// How rule violations are treated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mode {
    /// Any structural problem, CRC problem or rule error fails the parse (warnings are kept
    /// in the report). What a payment app should use.
    #[default]
    Strict,
    /// Only TLV structure problems fail the parse; a CRC mismatch, a malformed CRC value and
    /// rule errors are recorded in the [`Report`] so a broken payload can be inspected.
    Lenient,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u16,
    end: u16,
}

impl Span {
    const ABSENT: Span = Span { start: 0, end: 0 };

    /// A value's byte range (payloads are at most 65,535 bytes long).
    fn new(start: usize, end: usize) -> Span {
        Span {
            start: u16::try_from(start).unwrap_or(0),
            end: u16::try_from(end).unwrap_or(0),
        }
    }
}

/// A parsed QRIS / `EMVCo` merchant-presented payload, borrowing from the input.
///
/// Obtained from [`Qris::parse`] (strict) or [`Qris::parse_lenient`]. Accessors return
/// slices of the input; nothing is copied.
///
/// ```
/// use koperasi_qris::{PointOfInitiation, Qris};
///
/// let s = "00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW0215ID10200123456780303UMI5204581253033605802ID5911TOKO CONTOH6007JAKARTA61051011062120708KASIR-0163043ACC";
/// let q = Qris::parse(s)?;
/// assert_eq!(q.point_of_initiation(), Some(PointOfInitiation::Static));
/// assert_eq!(q.merchant_name(), Some("TOKO CONTOH"));
/// assert_eq!(q.nmid(), Some("ID1020012345678"));
/// assert_eq!(q.merchant_account(26).and_then(|m| m.pan()), Some("9360091412345678901"));
/// # Ok::<(), koperasi_qris::Error>(())
/// ```
#[derive(Clone)]
pub struct Qris<'a> {
    src: &'a str,
    ascii: bool,
    /// Bit `t` set when root object `t` is present.
    present: u128,
    spans: [Span; 100],
    computed_crc: u16,
    report: Report,
}

impl<'a> Qris<'a> {
    /// Parses and validates a payload in [`Mode::Strict`].
    ///
    /// # Errors
    /// The first structural problem ([`Error::Empty`], [`Error::BadTag`],
    /// [`Error::ValueOverflow`], [`Error::MalformedTemplate`], [`Error::DuplicateTag`],
    /// [`Error::PfiNotFirst`], [`Error::CrcNotLast`], [`Error::CrcMismatch`], …) with its byte
    /// offset and tag path; otherwise [`Error::Invalid`] with every rule violation when there
    /// is at least one error-level issue.
    pub fn parse(src: &'a str) -> Result<Qris<'a>, Error> {
        Qris::parse_with(src, Mode::Strict)
    }

    /// Parses in [`Mode::Lenient`]: only TLV structure problems fail; everything else is in
    /// [`Qris::report`].
    ///
    /// # Errors
    /// Structural errors, as for [`Qris::parse`], except CRC mismatch and CRC format.
    pub fn parse_lenient(src: &'a str) -> Result<Qris<'a>, Error> {
        Qris::parse_with(src, Mode::Lenient)
    }

    /// Parses in the given mode.
    ///
    /// # Errors
    /// See [`Qris::parse`] and [`Qris::parse_lenient`].
    pub fn parse_with(src: &'a str, mode: Mode) -> Result<Qris<'a>, Error> {
        let len = src.len();
        if len == 0 {
            return Err(Error::Empty);
        }
        if len > usize::from(u16::MAX) {
            return Err(Error::TooLong { len });
        }
        let b = src.as_bytes();
        let printable = is_printable(b);
        let mut q = Qris {
            src,
            ascii: printable || b.is_ascii(),
            present: 0,
            spans: [Span::ABSENT; 100],
            computed_crc: 0,
            report: Report::default(),
        };
        let mut subs = Subs::EMPTY;
        let crc_pos = q.scan(&mut subs)?;
        let data_end = crc_pos.saturating_add(4);
        q.computed_crc = crc16(b.get(..data_end).unwrap_or(b));
        q.check_crc(crc_pos, mode)?;
        let mut report = core::mem::take(&mut q.report);
        Validator {
            q: &q,
            report: &mut report,
            printable,
        }
        .run(&subs);
        q.report = report;
        if mode == Mode::Strict && !q.report.is_valid() {
            return Err(Error::Invalid { report: q.report });
        }
        Ok(q)
    }

    /// The structural pass: every object well formed, 00 first, 63 last, no duplicate IDs
    /// (root or within a template). Records the root spans in `self` and the sub-object
    /// spans the rules need in `subs`; returns the offset of the CRC object.
    fn scan(&mut self, subs: &mut Subs) -> Result<usize, Error> {
        let b = self.src.as_bytes();
        let len = b.len();
        let mut pos = 0usize;
        let mut crc_pos = None;
        while pos < len {
            let raw = read_object(b, pos, len, self.ascii)
                .map_err(|f| Error::from_fault(f, pos, TagPath::ROOT, tag_at(b, pos)))?;
            if let Some(offset) = crc_pos {
                // Something well formed follows the CRC (a malformed tail, such as a
                // trailing newline, was reported by `read_object` above).
                return Err(Error::CrcNotLast { offset });
            }
            if pos == 0 && raw.tag != 0 {
                return Err(Error::PfiNotFirst { offset: 0 });
            }
            let bit = 1u128.checked_shl(u32::from(raw.tag)).unwrap_or(0);
            if self.present & bit != 0 {
                return Err(Error::DuplicateTag {
                    offset: pos,
                    path: TagPath::tag(raw.tag),
                });
            }
            self.present |= bit;
            let value = (raw.value_start, raw.value_end);
            let path = TagPath::tag(raw.tag);
            match raw.tag {
                26..=51 => {
                    let record = subs
                        .accounts
                        .get_mut(usize::from(raw.tag.wrapping_sub(26)))
                        .map_or(&mut [][..], |r| &mut r[..]);
                    check_template(b, value, self.ascii, path, record)?;
                }
                64 => check_template(b, value, self.ascii, path, &mut subs.language)?,
                62 | 80..=99 => check_template(b, value, self.ascii, path, &mut [])?,
                63 => crc_pos = Some(pos),
                _ => {}
            }
            if let Some(slot) = self.spans.get_mut(usize::from(raw.tag)) {
                *slot = Span::new(raw.value_start, raw.value_end);
            }
            pos = raw.value_end;
        }
        crc_pos.ok_or(Error::CrcMissing)
    }

    /// Compares the CRC as written with the computed one: a mismatch or a malformed value
    /// fails in strict mode and is reported in lenient mode; a lowercase CRC is a warning.
    fn check_crc(&mut self, crc_pos: usize, mode: Mode) -> Result<(), Error> {
        let data_end = crc_pos.saturating_add(4);
        let crc_bytes = self.src.as_bytes().get(data_end..).unwrap_or(&[]);
        let issue = |code, severity| Issue::new(code, severity, TagPath::tag(63), Some(crc_pos));
        match parse_hex4(crc_bytes) {
            None => {
                if mode == Mode::Strict {
                    return Err(Error::CrcFormat {
                        offset: crc_pos,
                        found: self.src.get(data_end..).unwrap_or("").to_owned(),
                    });
                }
                self.report
                    .push(issue(IssueCode::CrcFormat, Severity::Error));
            }
            Some(found) if found != self.computed_crc => {
                let expected = self.computed_crc;
                if mode == Mode::Strict {
                    return Err(Error::CrcMismatch {
                        offset: crc_pos,
                        expected,
                        found,
                    });
                }
                self.report.push(issue(
                    IssueCode::CrcMismatch { expected, found },
                    Severity::Error,
                ));
            }
            Some(_) => {
                if crc_bytes.iter().any(u8::is_ascii_lowercase) {
                    self.report
                        .push(issue(IssueCode::CrcLowercase, Severity::Warning));
                }
            }
        }
        Ok(())
    }

    /// The payload as given.
    pub fn as_str(&self) -> &'a str {
        self.src
    }

    /// The rule report: warnings (and, in lenient mode, errors).
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// `true` when the report has no error (always the case after a strict parse).
    pub fn is_valid(&self) -> bool {
        self.report.is_valid()
    }

    /// The root data object with ID `tag`.
    pub fn object(&self, tag: u8) -> Option<DataObject<'a>> {
        let span = *self.spans.get(usize::from(tag))?;
        if span == Span::ABSENT {
            return None;
        }
        let start = usize::from(span.start);
        Some(DataObject::from_parts(
            self.src,
            self.ascii,
            TagPath::tag(tag),
            start.checked_sub(4)?,
            start,
            usize::from(span.end),
        ))
    }

    /// The value of root data object `tag`.
    pub fn value(&self, tag: u8) -> Option<&'a str> {
        self.object(tag).map(|o| o.value())
    }

    /// Every root data object in payload order, unknown IDs included.
    pub fn objects(&self) -> Objects<'a> {
        Objects::new(self.src, 0, self.src.len(), TagPath::ROOT, self.ascii)
    }

    /// 00: payload format indicator (`"01"`).
    pub fn payload_format_indicator(&self) -> Option<&'a str> {
        self.value(0)
    }

    /// 01: static or dynamic (`None` when absent or not `11`/`12`).
    pub fn point_of_initiation(&self) -> Option<PointOfInitiation> {
        self.value(1).and_then(PointOfInitiation::from_code)
    }

    /// `true` for a dynamic payload (01 = `12`).
    pub fn is_dynamic(&self) -> bool {
        self.point_of_initiation() == Some(PointOfInitiation::Dynamic)
    }

    /// Merchant account information objects 02–51, in payload order.
    pub fn merchant_accounts(&self) -> impl Iterator<Item = MerchantAccount<'a>> + use<'a> {
        self.objects()
            .filter(|o| (2..=51).contains(&o.tag()))
            .map(MerchantAccount::new)
    }

    /// Merchant account information object `tag` (02–51).
    pub fn merchant_account(&self, tag: u8) -> Option<MerchantAccount<'a>> {
        if (2..=51).contains(&tag) {
            self.object(tag).map(MerchantAccount::new)
        } else {
            None
        }
    }

    /// 51: the QRIS national repository template.
    pub fn national(&self) -> Option<MerchantAccount<'a>> {
        self.merchant_account(51)
    }

    /// 51.02: the National Merchant ID (NMID).
    #[doc(alias = "NMID")]
    pub fn nmid(&self) -> Option<&'a str> {
        self.national().and_then(|m| m.merchant_id())
    }

    /// The merchant criteria as written: 51.03, else the first 26–45 template's 03.
    pub fn merchant_criteria_str(&self) -> Option<&'a str> {
        self.national().and_then(|m| m.criteria_str()).or_else(|| {
            (26..=45)
                .filter_map(|t| self.merchant_account(t))
                .find_map(|m| m.criteria_str())
        })
    }

    /// The merchant criteria (kriteria merchant), when it is a known code.
    #[doc(alias = "kriteria merchant")]
    pub fn merchant_criteria(&self) -> Option<MerchantCriteria> {
        self.merchant_criteria_str()
            .and_then(MerchantCriteria::from_code)
    }

    /// 52: merchant category code.
    pub fn mcc(&self) -> Option<&'a str> {
        self.value(52)
    }

    /// 53: transaction currency (ISO 4217 numeric; `"360"` = rupiah).
    pub fn currency(&self) -> Option<&'a str> {
        self.value(53)
    }

    /// 54: transaction amount as written (`"25000"`, `"39000.00"`).
    #[doc(alias = "nominal")]
    pub fn amount(&self) -> Option<&'a str> {
        self.value(54)
    }

    /// 54: transaction amount as an exact decimal (`None` when absent or malformed).
    pub fn amount_decimal(&self) -> Option<Decimal> {
        self.amount()
            .filter(|a| scan_number(a).is_some())
            .and_then(to_decimal)
    }

    /// 55–57: tip or convenience fee.
    #[doc(alias = "biaya layanan")]
    pub fn tip(&self) -> Option<Tip<'a>> {
        Some(match self.value(55)? {
            "01" => Tip::Prompt,
            "02" => Tip::Fixed(self.value(56)),
            "03" => Tip::Percent(self.value(57)),
            other => Tip::Other(other),
        })
    }

    /// 56: fixed convenience fee as written.
    pub fn fee_fixed(&self) -> Option<&'a str> {
        self.value(56)
    }

    /// 57: convenience fee percentage as written.
    pub fn fee_percentage(&self) -> Option<&'a str> {
        self.value(57)
    }

    /// 58: country code (`"ID"`).
    pub fn country(&self) -> Option<&'a str> {
        self.value(58)
    }

    /// 59: merchant name.
    pub fn merchant_name(&self) -> Option<&'a str> {
        self.value(59)
    }

    /// 60: merchant city.
    pub fn merchant_city(&self) -> Option<&'a str> {
        self.value(60)
    }

    /// 61: postal code.
    #[doc(alias = "kode pos")]
    pub fn postal_code(&self) -> Option<&'a str> {
        self.value(61)
    }

    /// 62: additional data field template.
    pub fn additional_data(&self) -> Option<AdditionalData<'a>> {
        self.object(62).map(AdditionalData::new)
    }

    /// 62.05: reference label (invoice number of a dynamic payload).
    #[doc(alias = "referensi")]
    pub fn reference_label(&self) -> Option<&'a str> {
        self.additional_data().and_then(|a| a.reference_label())
    }

    /// 62.01: bill number.
    pub fn bill_number(&self) -> Option<&'a str> {
        self.additional_data().and_then(|a| a.bill_number())
    }

    /// 62.07: terminal label.
    pub fn terminal_label(&self) -> Option<&'a str> {
        self.additional_data().and_then(|a| a.terminal_label())
    }

    /// 64: merchant information in an alternate language.
    pub fn language(&self) -> Option<Language<'a>> {
        self.object(64).map(Language::new)
    }

    /// 80–99: unreserved templates, in payload order.
    pub fn unreserved(&self) -> impl Iterator<Item = DataObject<'a>> + use<'a> {
        self.objects().filter(|o| (80..=99).contains(&o.tag()))
    }

    /// 65–79: objects with IDs reserved for `EMVCo` (preserved, reported as warnings).
    pub fn reserved(&self) -> impl Iterator<Item = DataObject<'a>> + use<'a> {
        self.objects().filter(|o| (65..=79).contains(&o.tag()))
    }

    /// 63: the CRC as written.
    pub fn crc(&self) -> Option<&'a str> {
        self.value(63)
    }

    /// The CRC computed over the payload (equal to [`Qris::crc`] when the payload is intact).
    pub fn computed_crc(&self) -> u16 {
        self.computed_crc
    }
}

impl fmt::Debug for Qris<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Qris")
            .field("payload", &self.src)
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Qris<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.src == other.src && self.report == other.report
    }
}

impl Eq for Qris<'_> {}

fn tag_at(b: &[u8], pos: usize) -> u8 {
    match b.get(pos..pos.saturating_add(2)) {
        Some(&[a, c]) if a.is_ascii_digit() && c.is_ascii_digit() => a
            .wrapping_sub(b'0')
            .wrapping_mul(10)
            .wrapping_add(c.wrapping_sub(b'0')),
        _ => 0,
    }
}

/// Sub-object spans recorded by the structural pass, so that the rule pass reads the
/// sub-objects it needs without walking the templates again.
struct Subs {
    /// 26–51 (index `tag - 26`): sub-objects 00–03 (GUID, PAN, merchant ID, criteria).
    accounts: [[Span; 4]; 26],
    /// 64: sub-objects 00–02 (language, name, city).
    language: [Span; 3],
}

impl Subs {
    const EMPTY: Subs = Subs {
        accounts: [[Span::ABSENT; 4]; 26],
        language: [Span::ABSENT; 3],
    };
}

/// Checks that `b[start..end]` is a TLV sequence without duplicate IDs, recursing into
/// 62.50–99, and records the spans of sub-objects `0..record.len()` in `record`.
fn check_template(
    b: &[u8],
    (start, end): (usize, usize),
    ascii: bool,
    path: TagPath,
    record: &mut [Span],
) -> Result<(), Error> {
    let mut pos = start;
    let mut seen: u128 = 0;
    while pos < end {
        let raw = read_object(b, pos, end, ascii).map_err(|fault| Error::MalformedTemplate {
            offset: pos,
            path,
            fault,
        })?;
        let bit = 1u128.checked_shl(u32::from(raw.tag)).unwrap_or(0);
        if seen & bit != 0 {
            return Err(Error::DuplicateTag {
                offset: pos,
                path: path.child(raw.tag),
            });
        }
        seen |= bit;
        if let Some(slot) = record.get_mut(usize::from(raw.tag)) {
            *slot = Span::new(raw.value_start, raw.value_end);
        } else if raw.tag >= 50 && path == TagPath::tag(62) {
            check_template(
                b,
                (raw.value_start, raw.value_end),
                ascii,
                path.child(raw.tag),
                &mut [],
            )?;
        }
        pos = raw.value_end;
    }
    Ok(())
}

/// Printable ASCII (0x20–0x7E) throughout; branch-free so that it vectorises. When the whole
/// payload is printable, no `ans` field can break its character set and the rule pass skips
/// those checks.
fn is_printable(b: &[u8]) -> bool {
    b.iter()
        .fold(true, |ok, &c| ok & (c.wrapping_sub(0x20) < 0x5F))
}

/// Printable ASCII (0x20–0x7E): the `ans` character set.
fn is_ans(s: &str) -> bool {
    is_printable(s.as_bytes())
}

fn has_pipe(s: &str) -> bool {
    // Values are short: a plain loop beats `memchr`'s set-up.
    s.bytes().any(|c| c == b'|')
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

/// Decimals allowed by an ISO 4217 numeric currency code (default 2).
fn currency_exponent(code: &str) -> usize {
    match code {
        // JPY, KRW, VND, CLP, ISK, PYG, UGX, XAF, XOF, KMF, RWF, DJF, GNF, VUV, XPF
        "392" | "410" | "704" | "152" | "352" | "600" | "800" | "950" | "952" | "174" | "646"
        | "262" | "324" | "548" | "953" => 0,
        // BHD, IQD, JOD, KWD, LYD, OMR, TND
        "048" | "368" | "400" | "414" | "434" | "512" | "788" => 3,
        _ => 2,
    }
}

/// The present root IDs within `lo..=hi`, ascending.
fn present_in(present: u128, lo: u32, hi: u32) -> impl Iterator<Item = u8> {
    let high = u128::MAX
        .checked_shr(127u32.saturating_sub(hi))
        .unwrap_or(0);
    let low = u128::MAX.checked_shl(lo).unwrap_or(0);
    let mut m = present & high & low;
    core::iter::from_fn(move || {
        if m == 0 {
            return None;
        }
        let t = m.trailing_zeros();
        m &= m.wrapping_sub(1);
        u8::try_from(t).ok()
    })
}

fn consumer_request_ok(v: &str) -> bool {
    let mut seen = [false; 3];
    for ch in v.bytes() {
        let i = match ch {
            b'A' => 0,
            b'M' => 1,
            b'E' => 2,
            _ => return false,
        };
        match seen.get_mut(i) {
            Some(s) if !*s => *s = true,
            _ => return false,
        }
    }
    true
}

/// A data object as the rule pass sees it: where it is and its value.
#[derive(Clone, Copy)]
struct Obj<'a> {
    path: TagPath,
    offset: usize,
    value: &'a str,
}

impl<'a> Obj<'a> {
    fn from_data(o: &DataObject<'a>) -> Obj<'a> {
        Obj {
            path: o.path(),
            offset: o.offset(),
            value: o.value(),
        }
    }

    fn is(&self, v: &str) -> bool {
        self.value == v
    }
}

/// The rule pass: reads objects through the spans of the structural pass and reports every
/// rule violation, in a fixed order (the order of the checks below).
struct Validator<'q, 'a> {
    q: &'q Qris<'a>,
    report: &'q mut Report,
    /// The whole payload is printable ASCII: every `ans` check passes.
    printable: bool,
}

impl<'a> Validator<'_, 'a> {
    fn at(&self, path: TagPath, span: Span) -> Option<Obj<'a>> {
        if span == Span::ABSENT {
            return None;
        }
        let start = usize::from(span.start);
        Some(Obj {
            path,
            offset: start.checked_sub(4)?,
            value: self.q.src.get(start..usize::from(span.end))?,
        })
    }

    fn root(&self, tag: u8) -> Option<Obj<'a>> {
        self.at(TagPath::tag(tag), *self.q.spans.get(usize::from(tag))?)
    }

    fn chars(&self, o: &Obj<'_>) -> usize {
        if self.q.ascii {
            o.value.len()
        } else {
            o.value.chars().count()
        }
    }

    fn error(&mut self, code: IssueCode, path: TagPath) {
        self.report
            .push(Issue::new(code, Severity::Error, path, None));
    }
    fn warn(&mut self, code: IssueCode, path: TagPath) {
        self.report
            .push(Issue::new(code, Severity::Warning, path, None));
    }
    fn on(&mut self, code: IssueCode, o: &Obj<'_>) {
        self.report
            .push(Issue::new(code, Severity::Error, o.path, Some(o.offset)));
    }
    fn warn_on(&mut self, code: IssueCode, o: &Obj<'_>) {
        self.report
            .push(Issue::new(code, Severity::Warning, o.path, Some(o.offset)));
    }
    /// The `ans` character set (warning); always met by a printable payload.
    fn charset(&mut self, o: &Obj<'_>) {
        if !self.printable && !is_ans(o.value) {
            self.warn_on(IssueCode::NotAns, o);
        }
    }
    /// Length limit (error) and `ans` character set (warning).
    fn ans(&mut self, o: &Obj<'_>, max: u8) {
        self.too_long(o, max);
        self.charset(o);
    }
    fn too_long(&mut self, o: &Obj<'_>, max: u8) {
        if self.chars(o) > usize::from(max) {
            self.on(IssueCode::TooLong { max }, o);
        }
    }

    fn run(&mut self, subs: &Subs) {
        let q = self.q;
        let country = self.root(58);
        let qris = country.is_some_and(|o| o.is("ID"));

        // 00, 01
        if let Some(o) = self.root(0)
            && !o.is("01")
        {
            self.on(IssueCode::PfiInvalid, &o);
        }
        let poi = self.root(1);
        if let Some(o) = poi
            && PointOfInitiation::from_code(o.value).is_none()
        {
            self.on(IssueCode::PoiInvalid, &o);
        }

        // 02–51
        let mut any_mai = false;
        let mut criteria: Option<&str> = None;
        let mut criteria_mismatch = false;
        for tag in present_in(q.present, 2, 51) {
            let Some(o) = self.root(tag) else { continue };
            any_mai = true;
            let Some(spans) = subs.accounts.get(usize::from(tag.wrapping_sub(26))) else {
                // 02–25: primitive.
                self.charset(&o);
                continue;
            };
            if let Some(cr) = self.account(&o, spans, qris) {
                match criteria {
                    None => criteria = Some(cr.value),
                    Some(prev) if prev != cr.value && !criteria_mismatch => {
                        criteria_mismatch = true;
                        self.warn_on(IssueCode::QrisCriteriaMismatch, &cr);
                    }
                    Some(_) => {}
                }
            }
        }
        if !any_mai {
            self.error(IssueCode::MerchantAccountMissing, TagPath::ROOT);
        }
        let dynamic = poi.is_some_and(|o| o.is("12"));
        let is_static = poi.is_some_and(|o| o.is("11"));
        if qris && is_static && q.spans.get(51) == Some(&Span::ABSENT) {
            self.warn(IssueCode::QrisNationalMissing, TagPath::tag(51));
        }

        // 52, 53
        match self.root(52) {
            None => self.error(IssueCode::TagMissing, TagPath::tag(52)),
            Some(o) if o.value.len() != 4 || !is_digits(o.value) => {
                self.on(IssueCode::MccFormat, &o);
            }
            Some(_) => {}
        }
        let currency = self.root(53);
        match currency {
            None => self.error(IssueCode::TagMissing, TagPath::tag(53)),
            Some(o) if o.value.len() != 3 || !is_digits(o.value) => {
                self.on(IssueCode::CurrencyFormat, &o);
            }
            Some(o) if qris && !o.is("360") => self.on(IssueCode::QrisCurrency, &o),
            Some(_) => {}
        }

        // 54
        match self.root(54) {
            Some(o) => {
                self.amount(&o, currency.map_or("360", |c| c.value));
                if qris && is_static {
                    self.warn_on(IssueCode::QrisStaticWithAmount, &o);
                }
            }
            None => {
                if qris && dynamic {
                    self.warn(IssueCode::QrisDynamicWithoutAmount, TagPath::tag(54));
                }
            }
        }

        // 55–57
        self.tip();

        // 58–61
        match country {
            None => self.error(IssueCode::TagMissing, TagPath::tag(58)),
            Some(o) if o.value.len() != 2 || !o.value.bytes().all(|b| b.is_ascii_uppercase()) => {
                self.on(IssueCode::CountryFormat, &o);
            }
            Some(_) => {}
        }
        for (tag, max) in [(59u8, 25u8), (60, 15)] {
            match self.root(tag) {
                None => self.error(IssueCode::TagMissing, TagPath::tag(tag)),
                Some(o) => self.ans(&o, max),
            }
        }
        match self.root(61) {
            Some(o) => self.ans(&o, 10),
            None if qris => self.warn(IssueCode::QrisPostalMissing, TagPath::tag(61)),
            None => {}
        }

        // 62, in payload order
        if let Some(t) = q.object(62) {
            for d in t.children() {
                let o = Obj::from_data(&d);
                match d.tag() {
                    1..=8 => self.ans(&o, 25),
                    9 => {
                        self.ans(&o, 3);
                        if !consumer_request_ok(o.value) {
                            self.on(IssueCode::ConsumerRequest, &o);
                        }
                    }
                    10 => self.ans(&o, 20),
                    11 if self.chars(&o) != 3 => self.on(IssueCode::WrongLength { len: 3 }, &o),
                    _ => {}
                }
            }
        }

        // 64
        if q.spans.get(64).is_some_and(|s| *s != Span::ABSENT) {
            let [pref, name, city] = subs.language;
            match self.at(TagPath::sub(64, 0), pref) {
                None => self.error(IssueCode::LanguageMissingSubtag, TagPath::sub(64, 0)),
                Some(o)
                    if o.value.len() != 2 || !o.value.bytes().all(|b| b.is_ascii_alphabetic()) =>
                {
                    self.on(IssueCode::LanguageFormat, &o);
                }
                Some(_) => {}
            }
            match self.at(TagPath::sub(64, 1), name) {
                None => self.error(IssueCode::LanguageMissingSubtag, TagPath::sub(64, 1)),
                Some(o) => self.too_long(&o, 25),
            }
            if let Some(o) = self.at(TagPath::sub(64, 2), city) {
                self.too_long(&o, 15);
            }
        }

        // 65–79
        for tag in present_in(q.present, 65, 79) {
            if let Some(o) = self.root(tag) {
                self.warn_on(IssueCode::TagRfu, &o);
            }
        }

        let chars = if q.ascii {
            q.src.len()
        } else {
            q.src.chars().count()
        };
        if chars > 512 {
            self.warn(IssueCode::PayloadTooLong, TagPath::ROOT);
        }
    }

    /// Checks a merchant account template (26–51) from its recorded sub-objects; returns
    /// its criteria object.
    fn account(&mut self, o: &Obj<'a>, spans: &[Span; 4], qris: bool) -> Option<Obj<'a>> {
        let tag = o.path.last().unwrap_or(0);
        let path = o.path;
        if !self.printable
            && let Some(d) = self.q.object(tag)
        {
            // The character set of every sub-object but the GUID, in payload order.
            for sub in d.children() {
                if sub.tag() != 0 && !is_ans(sub.value()) {
                    self.warn_on(IssueCode::NotAns, &Obj::from_data(&sub));
                }
            }
        }
        let [guid, pan, mid, crit] = *spans;
        let crit = self.at(path.child(3), crit);
        match self.at(path.child(0), guid) {
            None => self.error(IssueCode::GuidMissing, TagPath::sub(tag, 0)),
            Some(g) => {
                self.ans(&g, 32);
                if qris && tag == 51 && !g.is(NATIONAL_GUID) {
                    self.warn_on(IssueCode::QrisNationalGuid, &g);
                }
            }
        }
        if !qris || !((26..=45).contains(&tag) || tag == 51) {
            return crit;
        }
        let national = tag == 51;
        match self.at(path.child(1), pan) {
            None if !national => self.error(IssueCode::QrisMaiSubtag, path.child(1)),
            Some(p) if !is_digits(p.value) || !(8..=19).contains(&p.value.len()) => {
                self.on(IssueCode::QrisPanFormat, &p);
            }
            _ => {}
        }
        match self.at(path.child(2), mid) {
            None => self.error(IssueCode::QrisMaiSubtag, path.child(2)),
            Some(m) => {
                self.too_long(&m, 15);
                if has_pipe(m.value) {
                    self.on(IssueCode::QrisPipe, &m);
                }
                if national {
                    let v = m.value.as_bytes();
                    let shape = v.len() == 15
                        && v.starts_with(b"ID")
                        && v.get(2..).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
                    if !shape {
                        self.warn_on(IssueCode::QrisNmidFormat, &m);
                    }
                }
            }
        }
        match crit {
            None => self.warn(IssueCode::QrisCriteriaMissing, path.child(3)),
            Some(k) => {
                if has_pipe(k.value) {
                    self.on(IssueCode::QrisPipe, &k);
                } else if MerchantCriteria::from_code(k.value).is_none() {
                    self.on(IssueCode::QrisCriteria, &k);
                }
            }
        }
        crit
    }

    fn amount(&mut self, o: &Obj<'_>, currency: &str) {
        if self.chars(o) > 13 {
            self.on(IssueCode::TooLong { max: 13 }, o);
            return;
        }
        match scan_number(o.value) {
            None => self.on(IssueCode::AmountFormat, o),
            Some(n) if n.zero => self.on(IssueCode::AmountZero, o),
            Some(n) if n.decimals > currency_exponent(currency) => {
                self.on(IssueCode::AmountDecimals, o);
            }
            Some(n) if n.trailing_dot => self.warn_on(IssueCode::AmountTrailingDot, o),
            Some(_) => {}
        }
    }

    fn orphan(&mut self, o: Option<Obj<'_>>) {
        if let Some(o) = o {
            self.on(IssueCode::TipOrphanFee, &o);
        }
    }

    fn tip(&mut self) {
        let fixed = self.root(56);
        let pct = self.root(57);
        let Some(ind) = self.root(55) else {
            self.orphan(fixed);
            self.orphan(pct);
            return;
        };
        match ind.value {
            "01" => {
                self.orphan(fixed);
                self.orphan(pct);
            }
            "02" => {
                match fixed {
                    None => self.error(IssueCode::TipFeeMissing, TagPath::tag(56)),
                    Some(f) if self.chars(&f) > 13 => self.on(IssueCode::TooLong { max: 13 }, &f),
                    Some(f) => match scan_number(f.value) {
                        None => self.on(IssueCode::FeeFormat, &f),
                        Some(n) if n.zero => self.on(IssueCode::FeeZero, &f),
                        Some(_) => {}
                    },
                }
                self.orphan(pct);
            }
            "03" => {
                match pct {
                    None => self.error(IssueCode::TipFeeMissing, TagPath::tag(57)),
                    Some(p) => match check_percentage(p.value) {
                        Ok(_) => {}
                        Err((_, true)) => self.on(IssueCode::FeeRange, &p),
                        Err((_, false)) => self.on(IssueCode::FeeFormat, &p),
                    },
                }
                self.orphan(fixed);
            }
            _ => self.on(IssueCode::TipInvalid, &ind),
        }
    }
}

#[cfg(test)]
mod reference;

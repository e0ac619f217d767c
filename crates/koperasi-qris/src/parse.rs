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
use crate::tlv::{DataObject, Objects, TagPath, count_chars, read_object};

/// Why a template could not be read as TLV (the structural error and whether the template
/// may hold opaque data instead).
type TemplateResult = Result<(), Error>;

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
    /// [`Mode::Strict`], and every template must be TLV: a payment-system template holding
    /// opaque data (26–51, 80–99, 62.50–99; accepted by the other modes with a
    /// `template.opaque` warning, because issuers in circulation do this) fails as
    /// [`Error::MalformedTemplate`]. For conformance testing, not for paying: a wallet using
    /// it refuses real merchants.
    Pedantic,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
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

    /// A value for `src` before the structural pass: no object, no CRC, empty report.
    fn unscanned(src: &'a str, ascii: bool) -> Qris<'a> {
        Qris {
            src,
            ascii,
            present: 0,
            spans: [Span::ABSENT; 100],
            computed_crc: 0,
            report: Report::default(),
        }
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
        let mut q = Qris::unscanned(src, printable || b.is_ascii());
        let mut subs = Subs::EMPTY;
        let fast = if printable {
            scan_printable(b, &mut q.spans, &mut subs)
        } else {
            None
        };
        let crc_pos = if let Some((present, crc_pos)) = fast {
            q.present = present;
            crc_pos
        } else {
            // Not printable, or structurally wrong: the precise scan finds out what and where.
            q.spans = [Span::ABSENT; 100];
            subs = Subs::EMPTY;
            q.scan(&mut subs, mode != Mode::Pedantic)?
        };
        let data_end = crc_pos.saturating_add(4);
        q.computed_crc = crc16(b.get(..data_end).unwrap_or(b));
        q.check_crc(crc_pos, mode == Mode::Lenient)?;
        if !(printable && certainly_clean(&q, &subs)) {
            let mut report = core::mem::take(&mut q.report);
            Validator {
                q: &q,
                report: &mut report,
                printable,
            }
            .run(&subs);
            q.report = report;
        }
        if mode != Mode::Lenient && !q.report.is_valid() {
            return Err(Error::Invalid { report: q.report });
        }
        Ok(q)
    }

    /// The structural pass: every object well formed, 00 first, 63 last, no duplicate IDs
    /// (root or within a template). Records the root spans in `self` and the sub-object
    /// spans the rules need in `subs`; returns the offset of the CRC object.
    ///
    /// With `allow_opaque`, a payment-system template (26–51, 80–99, 62.50–99) that is not
    /// TLV is recorded in `subs` as opaque instead of failing.
    fn scan(&mut self, subs: &mut Subs, allow_opaque: bool) -> Result<usize, Error> {
        let b = self.src.as_bytes();
        let len = b.len();
        let ascii = self.ascii;
        // Root IDs seen: 00–63 and 64–99 (two words are cheaper than one u128).
        let (mut low, mut high) = (0u64, 0u64);
        let mut pos = 0usize;
        while pos < len {
            let raw = read_object(b, pos, len, ascii)
                .map_err(|f| Error::from_fault(f, pos, TagPath::ROOT, tag_at(b, pos)))?;
            let tag = raw.tag;
            if pos == 0 && tag != 0 {
                return Err(Error::PfiNotFirst { offset: 0 });
            }
            let word = if tag < 64 { &mut low } else { &mut high };
            let bit = 1u64.wrapping_shl(u32::from(tag));
            if *word & bit != 0 {
                return Err(duplicate(pos, TagPath::tag(tag)));
            }
            *word |= bit;
            let value = (raw.value_start, raw.value_end);
            let path = TagPath::tag(tag);
            let opaque = match tag {
                26..=51 => {
                    let record = subs
                        .accounts
                        .get_mut(usize::from(tag.wrapping_sub(26)))
                        .map_or(&mut [][..], |r| &mut r[..]);
                    let r = check_template(b, value, ascii, path, record, None);
                    let opaque = opaque_or(r, allow_opaque)?;
                    if opaque {
                        record.fill(Span::ABSENT);
                    }
                    opaque
                }
                62 => {
                    let nested = allow_opaque.then_some(&mut subs.opaque_additional);
                    check_template(b, value, ascii, path, &mut subs.additional, nested)?;
                    false
                }
                64 => {
                    check_template(b, value, ascii, path, &mut subs.language, None)?;
                    false
                }
                80..=99 => {
                    let r = check_template(b, value, ascii, path, &mut [], None);
                    opaque_or(r, allow_opaque)?
                }
                _ => false,
            };
            if opaque {
                subs.opaque |= 1u128 << tag;
            }
            if let Some(slot) = self.spans.get_mut(usize::from(tag)) {
                *slot = Span::new(raw.value_start, raw.value_end);
            }
            if tag == 63 {
                self.present = u128::from(high).wrapping_shl(64) | u128::from(low);
                return if raw.value_end == len {
                    Ok(pos)
                } else {
                    Err(after_crc(b, pos, raw.value_end, ascii))
                };
            }
            pos = raw.value_end;
        }
        Err(Error::CrcMissing)
    }

    /// Compares the CRC as written with the computed one: a mismatch or a malformed value
    /// fails in strict mode and is reported in lenient mode; a lowercase CRC is a warning.
    fn check_crc(&mut self, crc_pos: usize, lenient: bool) -> Result<(), Error> {
        let data_end = crc_pos.saturating_add(4);
        let crc_bytes = self.src.as_bytes().get(data_end..).unwrap_or(&[]);
        let issue = |code, severity| Issue::new(code, severity, TagPath::tag(63), Some(crc_pos));
        match parse_hex4(crc_bytes) {
            None => {
                if !lenient {
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
                if !lenient {
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

/// Header and value range of the object at `pos` of a printable payload, whose value must
/// end at or before `end`: `(tag, value_start, value_end)`. `None` for any fault.
#[inline]
fn printable_object(b: &[u8], pos: usize, end: usize) -> Option<(u8, usize, usize)> {
    let start = pos.wrapping_add(4);
    let &[t1, t2, l1, l2] = b.get(pos..start)? else {
        return None;
    };
    let header = u32::from_le_bytes([t1, t2, l1, l2]);
    // Four ASCII digits: every high nibble is 3 and no low nibble exceeds 9.
    if header & 0xF0F0_F0F0 != 0x3030_3030
        || header.wrapping_add(0x0606_0606) & 0xF0F0_F0F0 != 0x3030_3030
    {
        return None;
    }
    // Both two-digit numbers at once: byte 0 of `pairs` is 10·t1 + t2, byte 2 is 10·l1 + l2.
    let pairs = (header & 0x0F0F_0F0F).wrapping_mul(10 << 8 | 1) >> 8;
    let [tag, _, len, _] = pairs.to_le_bytes();
    let value_end = start.wrapping_add(usize::from(len));
    (len != 0 && value_end <= end).then_some((tag, start, value_end))
}

/// The structural pass for a printable (hence ASCII) payload, answering only "well formed
/// or not": every object well formed, 00 first, 63 last, no duplicate IDs. Fills `spans` and
/// `subs` like [`Qris::scan`] and returns the present IDs and the CRC offset; `None` on any
/// fault, and then [`Qris::scan`] runs to say what is wrong and where. Tested to agree with
/// [`Qris::scan`] on every input (`parse::reference`).
fn scan_printable(b: &[u8], spans: &mut [Span; 100], subs: &mut Subs) -> Option<(u128, usize)> {
    let len = b.len();
    let (mut low, mut high) = (0u64, 0u64);
    let mut pos = 0usize;
    loop {
        let (tag, start, end) = printable_object(b, pos, len)?;
        if pos == 0 && tag != 0 {
            return None;
        }
        let word = if tag < 64 { &mut low } else { &mut high };
        let bit = 1u64.wrapping_shl(u32::from(tag));
        if *word & bit != 0 {
            return None;
        }
        *word |= bit;
        *spans.get_mut(usize::from(tag))? = Span::new(start, end);
        match tag {
            26..=51 => {
                let record = subs.accounts.get_mut(usize::from(tag.wrapping_sub(26)))?;
                scan_printable_template(b, start, end, record, false)?;
            }
            62 => scan_printable_template(b, start, end, &mut subs.additional, true)?,
            64 => scan_printable_template(b, start, end, &mut subs.language, false)?,
            80..=99 => scan_printable_template(b, start, end, &mut [], false)?,
            63 => {
                let present = u128::from(high).wrapping_shl(64) | u128::from(low);
                return (end == len).then_some((present, pos));
            }
            _ => {}
        }
        pos = end;
    }
}

/// [`scan_printable`] for the objects of a template: well formed, no duplicate IDs, sub-IDs
/// below `record.len()` recorded; 62.50–99 (`additional`) are templates themselves.
#[inline]
fn scan_printable_template(
    b: &[u8],
    mut pos: usize,
    end: usize,
    record: &mut [Span],
    additional: bool,
) -> Option<()> {
    let (mut low, mut high) = (0u64, 0u64);
    while pos < end {
        let (tag, start, value_end) = printable_object(b, pos, end)?;
        let word = if tag < 64 { &mut low } else { &mut high };
        let bit = 1u64.wrapping_shl(u32::from(tag));
        if *word & bit != 0 {
            return None;
        }
        *word |= bit;
        if let Some(slot) = record.get_mut(usize::from(tag)) {
            *slot = Span::new(start, value_end);
        } else if additional && tag >= 50 {
            scan_printable_template(b, start, value_end, &mut [], false)?;
        }
        pos = value_end;
    }
    Some(())
}

#[cold]
fn duplicate(offset: usize, path: TagPath) -> Error {
    Error::DuplicateTag { offset, path }
}

/// The error for bytes after the CRC object at `crc_pos`: the first malformed object, or
/// [`Error::CrcNotLast`] when what follows is well formed.
#[cold]
fn after_crc(b: &[u8], crc_pos: usize, next: usize, ascii: bool) -> Error {
    match read_object(b, next, b.len(), ascii) {
        Err(f) => Error::from_fault(f, next, TagPath::ROOT, tag_at(b, next)),
        Ok(_) => Error::CrcNotLast { offset: crc_pos },
    }
}

/// Sub-object spans recorded by the structural pass, so that the rule pass reads the
/// sub-objects it needs without walking the templates again.
#[derive(PartialEq, Eq, Debug)]
struct Subs {
    /// 26–51 (index `tag - 26`): sub-objects 00–03 (GUID, PAN, merchant ID, criteria).
    accounts: [[Span; 4]; 26],
    /// 62: sub-objects 00–11 (01–11 carry rules).
    additional: [Span; 12],
    /// 64: sub-objects 00–02 (language, name, city).
    language: [Span; 3],
    /// Bit `t` set when root payment-system template `t` (26–51, 80–99) is opaque.
    opaque: u128,
    /// Bit `t` set when 62.`t` (50–99) is opaque.
    opaque_additional: u128,
}

impl Subs {
    const EMPTY: Subs = Subs {
        accounts: [[Span::ABSENT; 4]; 26],
        additional: [Span::ABSENT; 12],
        language: [Span::ABSENT; 3],
        opaque: 0,
        opaque_additional: 0,
    };

    /// `true` when some template was found opaque.
    fn any_opaque(&self) -> bool {
        self.opaque != 0 || self.opaque_additional != 0
    }
}

/// The outcome of reading a payment-system template: `Ok(true)` when it is not TLV and
/// opaque data is allowed, the structural error when it is not allowed (or is a duplicate
/// ID, which no opaque reading excuses).
fn opaque_or(r: TemplateResult, allow_opaque: bool) -> Result<bool, Error> {
    match r {
        Ok(()) => Ok(false),
        Err(Error::MalformedTemplate { .. }) if allow_opaque => Ok(true),
        Err(e) => Err(e),
    }
}

/// Checks that `b[start..end]` is a TLV sequence without duplicate IDs, recursing into
/// 62.50–99, and records the spans of sub-objects `0..record.len()` in `record`. With
/// `opaque` (for 62), a 62.50–99 template that is not TLV sets its bit there instead of
/// failing.
fn check_template(
    b: &[u8],
    (start, end): (usize, usize),
    ascii: bool,
    path: TagPath,
    record: &mut [Span],
    mut opaque: Option<&mut u128>,
) -> TemplateResult {
    let mut pos = start;
    let (mut low, mut high) = (0u64, 0u64);
    while pos < end {
        let raw = read_object(b, pos, end, ascii).map_err(|fault| Error::MalformedTemplate {
            offset: pos,
            path,
            fault,
        })?;
        let word = if raw.tag < 64 { &mut low } else { &mut high };
        let bit = 1u64.wrapping_shl(u32::from(raw.tag));
        if *word & bit != 0 {
            return Err(duplicate(pos, path.child(raw.tag)));
        }
        *word |= bit;
        if let Some(slot) = record.get_mut(usize::from(raw.tag)) {
            *slot = Span::new(raw.value_start, raw.value_end);
        } else if raw.tag >= 50 && path == TagPath::tag(62) {
            let r = check_template(
                b,
                (raw.value_start, raw.value_end),
                ascii,
                path.child(raw.tag),
                &mut [],
                None,
            );
            if opaque_or(r, opaque.is_some())?
                && let Some(bits) = opaque.as_deref_mut()
            {
                *bits |= 1u128 << raw.tag;
            }
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

/// The little-endian words of the whole eight-byte chunks of `v`, and the remaining bytes.
fn words(v: &[u8]) -> (impl Iterator<Item = u64> + '_, &[u8]) {
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    let words = chunks.map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
    (words, rest)
}

/// `true` when `v` contains a `|`. Values are short: eight bytes at a time (a zero byte of
/// `w ^ '|'…` marks a pipe) beats the set-up of `contains` (memchr).
fn has_pipe(v: &[u8]) -> bool {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const PIPES: u64 = LOW.wrapping_mul(b'|' as u64);
    let (mut words, rest) = words(v);
    words.any(|w| {
        let x = w ^ PIPES;
        x.wrapping_sub(LOW) & !x & (LOW << 7) != 0
    }) || rest.contains(&b'|')
}

/// `true` when every byte of `v` is an ASCII digit (and for the empty slice), eight bytes at
/// a time: every high nibble 3 and no low nibble above 9.
fn all_digits(v: &[u8]) -> bool {
    const THREES: u64 = 0x3030_3030_3030_3030;
    const NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let (mut words, rest) = words(v);
    words
        .all(|x| x & NIBBLES == THREES && x.wrapping_add(0x0606_0606_0606_0606) & NIBBLES == THREES)
        && rest.iter().all(u8::is_ascii_digit)
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

/// The fast path of the rule pass: `true` only when [`Validator::run`] would report
/// nothing for this printable payload, decided with direct checks on the recorded spans.
///
/// It is deliberately conservative: it answers `false` for anything unusual (a country
/// other than `ID`, a language template, reserved IDs, …) and the full rule pass then
/// produces the exact report. `parse::reference` tests that a `true` here always comes with
/// an empty reference report, and that the payloads the builder makes take this path.
fn certainly_clean(q: &Qris<'_>, subs: &Subs) -> bool {
    let b = q.src.as_bytes();
    let v = |s: Span| -> &[u8] {
        b.get(usize::from(s.start)..usize::from(s.end))
            .unwrap_or(&[])
    };
    if subs.any_opaque() {
        return false;
    }
    let root = |tag: usize| v(q.spans.get(tag).copied().unwrap_or(Span::ABSENT));
    let poi = root(1);
    let dynamic = poi == b"12";
    let amount = root(54);
    // The QRIS profile, a known point of initiation with the amount it calls for.
    let basics = root(0) == b"01"
        && root(58) == b"ID"
        && (dynamic || poi == b"11")
        && dynamic != amount.is_empty()
        && (dynamic || !root(51).is_empty())
        && b.len() <= 512;
    // No reserved ID (65–79), no language template (64): left to the full pass.
    if !basics || present_in(q.present, 64, 79).next().is_some() {
        return false;
    }
    // 02–51: at least one; templates complete and consistent.
    let mut any = false;
    let mut criteria: &[u8] = &[];
    for tag in present_in(q.present, 2, 51) {
        any = true;
        let Some(&[guid, pan, mid, crit]) = subs.accounts.get(usize::from(tag.wrapping_sub(26)))
        else {
            continue; // 02–25: primitive, printable.
        };
        let (guid, pan, mid, crit) = (v(guid), v(pan), v(mid), v(crit));
        if guid.is_empty() || guid.len() > 32 {
            return false;
        }
        if (46..=50).contains(&tag) {
            if !crit.is_empty() && !criteria.is_empty() && crit != criteria {
                return false;
            }
            if criteria.is_empty() {
                criteria = crit;
            }
            continue;
        }
        let national = tag == 51;
        let pan_ok = if pan.is_empty() {
            national
        } else {
            (8..=19).contains(&pan.len()) && all_digits(pan)
        };
        let mid_ok = !mid.is_empty() && mid.len() <= 15 && !has_pipe(mid);
        let national_ok = !national
            || (guid == NATIONAL_GUID.as_bytes()
                && mid.len() == 15
                && mid.starts_with(b"ID")
                && mid.get(2..).is_some_and(all_digits));
        let crit_ok = matches!(
            crit,
            b"UMI" | b"UKE" | b"UME" | b"UBE" | b"URE" | b"PSO" | b"BLU"
        ) && (criteria.is_empty() || crit == criteria);
        if !(pan_ok && mid_ok && national_ok && crit_ok) {
            return false;
        }
        criteria = crit;
    }
    let mcc = root(52);
    let currency = root(53);
    let coded = any && mcc.len() == 4 && all_digits(mcc) && currency == b"360";
    let amount_ok = amount.is_empty() || (amount.len() <= 13 && plain_amount(amount, 2));
    let (fixed, percent) = (root(56), root(57));
    let tip_ok = match root(55) {
        b"" | b"01" => fixed.is_empty() && percent.is_empty(),
        b"02" => percent.is_empty() && fixed.len() <= 13 && plain_amount(fixed, usize::MAX),
        b"03" => {
            fixed.is_empty()
                && !percent.is_empty()
                && check_percentage(core::str::from_utf8(percent).unwrap_or("")).is_ok()
        }
        _ => false,
    };
    let (name, city, postal) = (root(59), root(60), root(61));
    let merchant = !name.is_empty()
        && name.len() <= 25
        && !city.is_empty()
        && city.len() <= 15
        && !postal.is_empty()
        && postal.len() <= 10;
    let width = |s: &Span| usize::from(s.end.wrapping_sub(s.start));
    let [_, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11] = &subs.additional;
    let labels = [a1, a2, a3, a4, a5, a6, a7, a8]
        .iter()
        .fold(0, |longest, s| longest.max(width(s)));
    let consumer = v(*a9);
    let additional = labels <= 25
        && (consumer.is_empty() || (consumer.len() <= 3 && consumer_request_ok_bytes(consumer)))
        && width(a10) <= 20
        && (*a11 == Span::ABSENT || width(a11) == 3);
    coded && amount_ok && tip_ok && merchant && additional
}

/// A non-zero number in the amount grammar, at most `decimals` digits after the point and
/// no trailing point.
fn plain_amount(v: &[u8], decimals: usize) -> bool {
    match scan_number(core::str::from_utf8(v).unwrap_or("")) {
        Some(n) => !n.zero && !n.trailing_dot && n.decimals <= decimals,
        None => false,
    }
}

fn consumer_request_ok_bytes(v: &[u8]) -> bool {
    core::str::from_utf8(v).is_ok_and(consumer_request_ok)
}

/// The rule pass: reads values through the spans of the structural pass (an absent object
/// reads as an empty value: structurally, present values are never empty) and reports every
/// rule violation, in a fixed order (the order of the checks below). Objects are only
/// materialised, with their path and offset, when an issue is reported.
struct Validator<'q, 'a> {
    q: &'q Qris<'a>,
    report: &'q mut Report,
    /// The whole payload is printable ASCII: every `ans` check passes.
    printable: bool,
}

impl<'a> Validator<'_, 'a> {
    fn span(&self, tag: u8) -> Span {
        self.q
            .spans
            .get(usize::from(tag))
            .copied()
            .unwrap_or(Span::ABSENT)
    }

    /// The value bytes of a span (empty when absent).
    fn bytes(&self, span: Span) -> &'a [u8] {
        self.q
            .src
            .as_bytes()
            .get(usize::from(span.start)..usize::from(span.end))
            .unwrap_or(&[])
    }

    /// The value of a span as text (empty when absent).
    fn text(&self, span: Span) -> &'a str {
        self.q
            .src
            .get(usize::from(span.start)..usize::from(span.end))
            .unwrap_or("")
    }

    fn chars(&self, v: &[u8]) -> usize {
        if self.q.ascii {
            v.len()
        } else {
            count_chars(v)
        }
    }

    fn push(&mut self, code: IssueCode, severity: Severity, path: TagPath, span: Span) {
        let offset = (span != Span::ABSENT).then(|| usize::from(span.start).saturating_sub(4));
        self.report.push(Issue::new(code, severity, path, offset));
    }
    /// An error on the object at `path` (`span` absent: the object is missing).
    fn error(&mut self, code: IssueCode, path: TagPath, span: Span) {
        self.push(code, Severity::Error, path, span);
    }
    fn warn(&mut self, code: IssueCode, path: TagPath, span: Span) {
        self.push(code, Severity::Warning, path, span);
    }
    /// The `ans` character set (warning); always met by a printable payload.
    fn charset(&mut self, path: TagPath, span: Span) {
        if !self.printable && !is_printable(self.bytes(span)) {
            self.warn(IssueCode::NotAns, path, span);
        }
    }
    /// Length limit (error) and `ans` character set (warning).
    fn ans(&mut self, path: TagPath, span: Span, max: u8) {
        self.too_long(path, span, max);
        self.charset(path, span);
    }
    fn too_long(&mut self, path: TagPath, span: Span, max: u8) {
        if self.chars(self.bytes(span)) > usize::from(max) {
            self.error(IssueCode::TooLong { max }, path, span);
        }
    }

    #[allow(clippy::too_many_lines)]
    fn run(&mut self, subs: &Subs) {
        let q = self.q;
        let root = TagPath::tag;
        let country = self.bytes(self.span(58));
        let qris = country == b"ID";

        // 00, 01
        let pfi = self.span(0);
        if pfi != Span::ABSENT && self.bytes(pfi) != b"01" {
            self.error(IssueCode::PfiInvalid, root(0), pfi);
        }
        let poi = self.bytes(self.span(1));
        if !poi.is_empty() && poi != b"11" && poi != b"12" {
            self.error(IssueCode::PoiInvalid, root(1), self.span(1));
        }

        // 02–51
        let mut criteria: Option<&[u8]> = None;
        let mut criteria_mismatch = false;
        let any_mai = present_in(q.present, 2, 51).next().is_some();
        for tag in present_in(q.present, 2, 51) {
            let Some(spans) = subs.accounts.get(usize::from(tag.wrapping_sub(26))) else {
                // 02–25: primitive.
                self.charset(root(tag), self.span(tag));
                continue;
            };
            if subs.opaque & (1u128 << tag) != 0 {
                // Not TLV: kept raw, nothing inside it can be checked.
                self.warn(IssueCode::TemplateOpaque, root(tag), self.span(tag));
                continue;
            }
            let crit = self.account(tag, spans, qris);
            if crit != Span::ABSENT {
                let value = self.bytes(crit);
                match criteria {
                    None => criteria = Some(value),
                    Some(prev) if prev != value && !criteria_mismatch => {
                        criteria_mismatch = true;
                        self.warn(IssueCode::QrisCriteriaMismatch, TagPath::sub(tag, 3), crit);
                    }
                    Some(_) => {}
                }
            }
        }
        if !any_mai {
            self.error(
                IssueCode::MerchantAccountMissing,
                TagPath::ROOT,
                Span::ABSENT,
            );
        }
        let dynamic = poi == b"12";
        let is_static = poi == b"11";
        if qris && is_static && self.span(51) == Span::ABSENT {
            self.warn(IssueCode::QrisNationalMissing, root(51), Span::ABSENT);
        }

        // 52, 53
        let mcc = self.span(52);
        let v = self.bytes(mcc);
        if v.is_empty() {
            self.error(IssueCode::TagMissing, root(52), mcc);
        } else if v.len() != 4 || !all_digits(v) {
            self.error(IssueCode::MccFormat, root(52), mcc);
        }
        let currency = self.span(53);
        let v = self.bytes(currency);
        if v.is_empty() {
            self.error(IssueCode::TagMissing, root(53), currency);
        } else if v.len() != 3 || !all_digits(v) {
            self.error(IssueCode::CurrencyFormat, root(53), currency);
        } else if qris && v != b"360" {
            self.error(IssueCode::QrisCurrency, root(53), currency);
        }

        // 54
        let amount = self.span(54);
        if amount == Span::ABSENT {
            if qris && dynamic {
                self.warn(IssueCode::QrisDynamicWithoutAmount, root(54), amount);
            }
        } else {
            let code = if currency == Span::ABSENT {
                "360"
            } else {
                self.text(currency)
            };
            self.amount(amount, code);
            if qris && is_static {
                self.warn(IssueCode::QrisStaticWithAmount, root(54), amount);
            }
        }

        // 55–57
        self.tip();

        // 58–61
        if country.is_empty() {
            self.error(IssueCode::TagMissing, root(58), Span::ABSENT);
        } else if country.len() != 2 || !country.iter().all(u8::is_ascii_uppercase) {
            self.error(IssueCode::CountryFormat, root(58), self.span(58));
        }
        for (tag, max) in [(59u8, 25u8), (60, 15)] {
            let s = self.span(tag);
            if s == Span::ABSENT {
                self.error(IssueCode::TagMissing, root(tag), s);
            } else {
                self.ans(root(tag), s, max);
            }
        }
        let postal = self.span(61);
        if postal != Span::ABSENT {
            self.ans(root(61), postal, 10);
        } else if qris {
            self.warn(IssueCode::QrisPostalMissing, root(61), postal);
        }

        // 62, in payload order
        if let Some(t) = q.object(62) {
            for d in t.children() {
                let path = d.path();
                let s = Span::new(
                    d.value_offset(),
                    d.value_offset().saturating_add(d.value().len()),
                );
                match d.tag() {
                    50..=99 if subs.opaque_additional & (1u128 << d.tag()) != 0 => {
                        self.warn(IssueCode::TemplateOpaque, path, s);
                    }
                    1..=8 => self.ans(path, s, 25),
                    9 => {
                        self.ans(path, s, 3);
                        if !consumer_request_ok(d.value()) {
                            self.error(IssueCode::ConsumerRequest, path, s);
                        }
                    }
                    10 => self.ans(path, s, 20),
                    11 if self.chars(self.bytes(s)) != 3 => {
                        self.error(IssueCode::WrongLength { len: 3 }, path, s);
                    }
                    _ => {}
                }
            }
        }

        // 64
        if self.span(64) != Span::ABSENT {
            let [pref, name, city] = subs.language;
            let v = self.bytes(pref);
            if v.is_empty() {
                self.error(IssueCode::LanguageMissingSubtag, TagPath::sub(64, 0), pref);
            } else if v.len() != 2 || !v.iter().all(u8::is_ascii_alphabetic) {
                self.error(IssueCode::LanguageFormat, TagPath::sub(64, 0), pref);
            }
            if name == Span::ABSENT {
                self.error(IssueCode::LanguageMissingSubtag, TagPath::sub(64, 1), name);
            } else {
                self.too_long(TagPath::sub(64, 1), name, 25);
            }
            if city != Span::ABSENT {
                self.too_long(TagPath::sub(64, 2), city, 15);
            }
        }

        // 65–79
        for tag in present_in(q.present, 65, 79) {
            self.warn(IssueCode::TagRfu, root(tag), self.span(tag));
        }

        // 80–99: only whether each is TLV (their content belongs to the payment system).
        for tag in present_in(subs.opaque, 80, 99) {
            self.warn(IssueCode::TemplateOpaque, root(tag), self.span(tag));
        }

        if self.chars(q.src.as_bytes()) > 512 {
            self.warn(IssueCode::PayloadTooLong, TagPath::ROOT, Span::ABSENT);
        }
    }

    /// Checks a merchant account template (26–51) from its recorded sub-objects; returns
    /// the span of its criteria.
    fn account(&mut self, tag: u8, spans: &[Span; 4], qris: bool) -> Span {
        let path = TagPath::tag(tag);
        if !self.printable
            && let Some(d) = self.q.object(tag)
        {
            // The character set of every sub-object but the GUID, in payload order.
            for sub in d.children() {
                if sub.tag() != 0 && !is_ans(sub.value()) {
                    self.report.push(Issue::new(
                        IssueCode::NotAns,
                        Severity::Warning,
                        sub.path(),
                        Some(sub.offset()),
                    ));
                }
            }
        }
        let [guid, pan, mid, crit] = *spans;
        if guid == Span::ABSENT {
            self.error(IssueCode::GuidMissing, path.child(0), guid);
        } else {
            self.ans(path.child(0), guid, 32);
            if qris && tag == 51 && self.bytes(guid) != NATIONAL_GUID.as_bytes() {
                self.warn(IssueCode::QrisNationalGuid, path.child(0), guid);
            }
        }
        if !qris || !((26..=45).contains(&tag) || tag == 51) {
            return crit;
        }
        let national = tag == 51;
        let v = self.bytes(pan);
        if v.is_empty() {
            if !national {
                self.error(IssueCode::QrisMaiSubtag, path.child(1), pan);
            }
        } else if !all_digits(v) || !(8..=19).contains(&v.len()) {
            self.error(IssueCode::QrisPanFormat, path.child(1), pan);
        }
        let v = self.bytes(mid);
        if v.is_empty() {
            self.error(IssueCode::QrisMaiSubtag, path.child(2), mid);
        } else {
            self.too_long(path.child(2), mid, 15);
            if has_pipe(v) {
                self.error(IssueCode::QrisPipe, path.child(2), mid);
            }
            if national {
                let shape =
                    v.len() == 15 && v.starts_with(b"ID") && v.get(2..).is_some_and(all_digits);
                if !shape {
                    self.warn(IssueCode::QrisNmidFormat, path.child(2), mid);
                }
            }
        }
        let v = self.bytes(crit);
        if v.is_empty() {
            self.warn(IssueCode::QrisCriteriaMissing, path.child(3), crit);
        } else if has_pipe(v) {
            self.error(IssueCode::QrisPipe, path.child(3), crit);
        } else if MerchantCriteria::from_code(self.text(crit)).is_none() {
            self.error(IssueCode::QrisCriteria, path.child(3), crit);
        }
        crit
    }

    fn amount(&mut self, span: Span, currency: &str) {
        let path = TagPath::tag(54);
        if self.chars(self.bytes(span)) > 13 {
            self.error(IssueCode::TooLong { max: 13 }, path, span);
            return;
        }
        match scan_number(self.text(span)) {
            None => self.error(IssueCode::AmountFormat, path, span),
            Some(n) if n.zero => self.error(IssueCode::AmountZero, path, span),
            Some(n) if n.decimals > currency_exponent(currency) => {
                self.error(IssueCode::AmountDecimals, path, span);
            }
            Some(n) if n.trailing_dot => self.warn(IssueCode::AmountTrailingDot, path, span),
            Some(_) => {}
        }
    }

    fn orphan(&mut self, tag: u8, span: Span) {
        if span != Span::ABSENT {
            self.error(IssueCode::TipOrphanFee, TagPath::tag(tag), span);
        }
    }

    fn tip(&mut self) {
        let fixed = self.span(56);
        let pct = self.span(57);
        let ind = self.span(55);
        match self.bytes(ind) {
            b"" | b"01" => {
                self.orphan(56, fixed);
                self.orphan(57, pct);
            }
            b"02" => {
                let path = TagPath::tag(56);
                if fixed == Span::ABSENT {
                    self.error(IssueCode::TipFeeMissing, path, fixed);
                } else if self.chars(self.bytes(fixed)) > 13 {
                    self.error(IssueCode::TooLong { max: 13 }, path, fixed);
                } else {
                    match scan_number(self.text(fixed)) {
                        None => self.error(IssueCode::FeeFormat, path, fixed),
                        Some(n) if n.zero => self.error(IssueCode::FeeZero, path, fixed),
                        Some(_) => {}
                    }
                }
                self.orphan(57, pct);
            }
            b"03" => {
                let path = TagPath::tag(57);
                if pct == Span::ABSENT {
                    self.error(IssueCode::TipFeeMissing, path, pct);
                } else {
                    match check_percentage(self.text(pct)) {
                        Ok(_) => {}
                        Err((_, true)) => self.error(IssueCode::FeeRange, path, pct),
                        Err((_, false)) => self.error(IssueCode::FeeFormat, path, pct),
                    }
                }
                self.orphan(56, fixed);
            }
            _ => self.error(IssueCode::TipInvalid, TagPath::tag(55), ind),
        }
    }
}

/// For the differential tests: the report of the full rule pass (run even when the fast
/// path would skip it) and whether the fast path finds the payload clean. `None` when the
/// payload is structurally invalid.
#[cfg(test)]
fn both_paths(src: &str) -> Option<(Report, bool)> {
    let b = src.as_bytes();
    let printable = is_printable(b);
    let mut q = Qris::unscanned(src, printable || b.is_ascii());
    let mut subs = Subs::EMPTY;
    q.scan(&mut subs, true).ok()?;
    let mut report = Report::default();
    Validator {
        q: &q,
        report: &mut report,
        printable,
    }
    .run(&subs);
    Some((report, printable && certainly_clean(&q, &subs)))
}

/// For the differential tests: `true` when the printable fast scan and the precise scan agree
/// on `src` (both reject it, or both accept it with the same spans, sub-spans, IDs and CRC
/// offset). Inputs that are not printable are only scanned precisely, and agree trivially.
/// The fast scan never accepts an opaque template: it leaves those payloads to the precise
/// scan (and `Mode::Pedantic`'s precise scan rejects exactly those).
#[cfg(test)]
fn scans_agree(src: &str) -> bool {
    let b = src.as_bytes();
    if !is_printable(b) || b.is_empty() || b.len() > usize::from(u16::MAX) {
        return true;
    }
    let mut q = Qris::unscanned(src, true);
    let mut subs = Subs::EMPTY;
    let precise = q.scan(&mut subs, true).ok();
    let mut pedantic = Qris::unscanned(src, true);
    let mut pedantic_subs = Subs::EMPTY;
    let pedantic = pedantic.scan(&mut pedantic_subs, false).ok();
    if precise.is_some() && (pedantic.is_some() == subs.any_opaque()) {
        return false;
    }
    let mut spans = [Span::ABSENT; 100];
    let mut fast_subs = Subs::EMPTY;
    match (scan_printable(b, &mut spans, &mut fast_subs), precise) {
        (None, None) => true,
        (None, Some(_)) => subs.any_opaque(),
        (Some((present, crc)), Some(crc_pos)) => {
            present == q.present && crc == crc_pos && spans == q.spans && fast_subs == subs
        }
        _ => false,
    }
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod word_tests {
    use proptest::prelude::*;

    use super::{all_digits, has_pipe};

    proptest! {
        /// Invariant: the eight-bytes-at-a-time helpers answer like the byte loops.
        #[test]
        fn word_helpers_equal_byte_loops(
            v in proptest::collection::vec(prop_oneof![any::<u8>(), b'0'..=b'9', Just(b'|')], 0..40),
        ) {
            prop_assert_eq!(all_digits(&v), v.iter().all(u8::is_ascii_digit));
            prop_assert_eq!(has_pipe(&v), v.contains(&b'|'));
        }
    }
}

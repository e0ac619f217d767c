//! Errors (structural: parsing stops) and issues (rule violations: all reported at once).

use core::fmt;

use crate::tlv::{TagPath, TlvFault};

/// Everything that can go wrong in this crate.
///
/// Structural variants stop parsing at the first problem and carry the byte offset and the
/// tag path; rule violations are collected in a [`Report`] and returned together as
/// [`Error::Invalid`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is empty.
    #[error("empty payload")]
    Empty,
    /// The input is longer than any payload can be (65,535 bytes).
    #[error("payload of {len} bytes is longer than any QRIS payload can be")]
    TooLong {
        /// Length of the input in bytes.
        len: usize,
    },
    /// Fewer than 4 characters remain where an ID and a length are expected (this includes a
    /// trailing newline).
    #[error("truncated data object header at byte {offset} (in {parent})")]
    TruncatedHeader {
        /// Byte offset of the incomplete header.
        offset: usize,
        /// The enclosing object.
        parent: TagPath,
    },
    /// An ID is not two ASCII digits.
    #[error("invalid ID at byte {offset} (in {parent}): not two digits")]
    BadTag {
        /// Byte offset of the ID.
        offset: usize,
        /// The enclosing object.
        parent: TagPath,
    },
    /// A length is not two ASCII digits.
    #[error("invalid length of {path} at byte {offset}: not two digits")]
    BadLength {
        /// Byte offset of the object.
        offset: usize,
        /// The object whose length is bad.
        path: TagPath,
    },
    /// A length of `00`: empty values are not allowed.
    #[error("{path} at byte {offset} has length 00 (empty values are not allowed)")]
    ZeroLength {
        /// Byte offset of the object.
        offset: usize,
        /// The object.
        path: TagPath,
    },
    /// A declared length runs past the end of the payload (truncated value).
    #[error("{path} at byte {offset} declares {declared} characters but only {remaining} remain")]
    ValueOverflow {
        /// Byte offset of the object.
        offset: usize,
        /// The object.
        path: TagPath,
        /// Characters declared by the length field.
        declared: u8,
        /// Characters remaining.
        remaining: usize,
    },
    /// The value of a template (26–51, 62, 64, 80–99, 62.50–99) is not a TLV sequence.
    #[error("malformed template {path}: {fault} at byte {offset}")]
    MalformedTemplate {
        /// Byte offset of the fault inside the template.
        offset: usize,
        /// The template.
        path: TagPath,
        /// What is wrong at `offset`.
        fault: TlvFault,
    },
    /// The same ID appears twice at one level.
    #[error("duplicate {path} at byte {offset}")]
    DuplicateTag {
        /// Byte offset of the second occurrence.
        offset: usize,
        /// The repeated object.
        path: TagPath,
    },
    /// The payload does not start with the payload format indicator (ID 00).
    #[error("the payload format indicator (00) must be the first data object (byte {offset})")]
    PfiNotFirst {
        /// Byte offset of the first object.
        offset: usize,
    },
    /// There is no CRC object (ID 63).
    #[error("no CRC (63) data object")]
    CrcMissing,
    /// The CRC object is not the last data object.
    #[error("the CRC (63) at byte {offset} is not the last data object")]
    CrcNotLast {
        /// Byte offset of the CRC object.
        offset: usize,
    },
    /// The CRC value is not four hex digits.
    #[error("CRC (63) at byte {offset} is not 4 hex digits: {found:?}")]
    CrcFormat {
        /// Byte offset of the CRC object.
        offset: usize,
        /// The value found.
        found: String,
    },
    /// The checksum does not match the payload.
    #[error("CRC mismatch at byte {offset}: payload says {found:04X}, computed {expected:04X}")]
    CrcMismatch {
        /// Byte offset of the CRC object.
        offset: usize,
        /// The CRC computed over the payload.
        expected: u16,
        /// The CRC written in the payload.
        found: u16,
    },
    /// The payload is well formed but breaks `EMVCo`/QRIS rules; the report lists every
    /// violation (and the warnings).
    #[error("invalid payload: {report}")]
    Invalid {
        /// All issues found.
        report: Report,
    },
    /// An amount (tag 54 or 56) is not a positive number with at most 13 characters and at
    /// most two decimals.
    #[error("invalid amount {value:?}: {reason}")]
    InvalidAmount {
        /// The rejected text.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// A convenience fee percentage (tag 57) is not between 00.01 and 99.99.
    #[error("invalid fee percentage {value:?}: {reason}")]
    InvalidPercentage {
        /// The rejected text.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// A value given to the builder or a converter cannot be encoded.
    #[error("cannot encode {path}: {reason}")]
    Build {
        /// The object.
        path: TagPath,
        /// Why.
        reason: &'static str,
    },
    /// The payload cannot be rendered as a QR code.
    #[error("cannot render the QR code: {reason}")]
    Render {
        /// Why.
        reason: String,
    },
}

impl Error {
    /// Stable machine code of the error class (`tlv.bad_tag`, `crc.mismatch`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Empty => "empty",
            Error::TooLong { .. } => "payload.too_long",
            Error::TruncatedHeader { .. } => "tlv.truncated_header",
            Error::BadTag { .. } => "tlv.bad_tag",
            Error::BadLength { .. } => "tlv.bad_length",
            Error::ZeroLength { .. } => "tlv.zero_length",
            Error::ValueOverflow { .. } => "tlv.value_overflow",
            Error::MalformedTemplate { .. } => "template.malformed",
            Error::DuplicateTag { .. } => "tag.duplicate",
            Error::PfiNotFirst { .. } => "pfi.not_first",
            Error::CrcMissing => "crc.missing",
            Error::CrcNotLast { .. } => "crc.not_last",
            Error::CrcFormat { .. } => "crc.format",
            Error::CrcMismatch { .. } => "crc.mismatch",
            Error::Invalid { .. } => "invalid",
            Error::InvalidAmount { .. } => "amount.invalid",
            Error::InvalidPercentage { .. } => "fee.invalid",
            Error::Build { .. } => "build",
            Error::Render { .. } => "render",
        }
    }

    /// Byte offset in the payload where the problem was found, when there is one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::TruncatedHeader { offset, .. }
            | Error::BadTag { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::ZeroLength { offset, .. }
            | Error::ValueOverflow { offset, .. }
            | Error::MalformedTemplate { offset, .. }
            | Error::DuplicateTag { offset, .. }
            | Error::PfiNotFirst { offset }
            | Error::CrcNotLast { offset }
            | Error::CrcFormat { offset, .. }
            | Error::CrcMismatch { offset, .. } => Some(*offset),
            _ => None,
        }
    }

    /// Tag path of the object concerned, when there is one (`root` for the payload).
    pub fn path(&self) -> Option<TagPath> {
        match self {
            Error::TruncatedHeader { parent, .. } | Error::BadTag { parent, .. } => Some(*parent),
            Error::BadLength { path, .. }
            | Error::ZeroLength { path, .. }
            | Error::ValueOverflow { path, .. }
            | Error::MalformedTemplate { path, .. }
            | Error::DuplicateTag { path, .. }
            | Error::Build { path, .. } => Some(*path),
            Error::PfiNotFirst { .. } => Some(TagPath::tag(0)),
            Error::CrcMissing
            | Error::CrcNotLast { .. }
            | Error::CrcFormat { .. }
            | Error::CrcMismatch { .. } => Some(TagPath::tag(63)),
            _ => None,
        }
    }

    /// The rule report of an [`Error::Invalid`].
    pub fn report(&self) -> Option<&Report> {
        match self {
            Error::Invalid { report } => Some(report),
            _ => None,
        }
    }

    pub(crate) fn from_fault(fault: TlvFault, offset: usize, parent: TagPath, tag: u8) -> Error {
        match fault {
            TlvFault::TruncatedHeader => Error::TruncatedHeader { offset, parent },
            TlvFault::BadTag => Error::BadTag { offset, parent },
            TlvFault::BadLength => Error::BadLength {
                offset,
                path: parent.child(tag),
            },
            TlvFault::ZeroLength => Error::ZeroLength {
                offset,
                path: parent.child(tag),
            },
            TlvFault::ValueOverflow {
                declared,
                remaining,
            } => Error::ValueOverflow {
                offset,
                path: parent.child(tag),
                declared,
                remaining,
            },
        }
    }
}

/// Whether an issue makes the payload invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// The payload breaks a rule: paying apps may refuse it.
    Error,
    /// A deviation seen in real payloads, tolerated.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A rule violation found in a well-formed payload. Codes are stable strings
/// ([`IssueCode::as_str`]); see the crate docs for the full table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssueCode {
    /// `pfi.invalid`: 00 is not `01`.
    PfiInvalid,
    /// `poi.invalid`: 01 is not `11` or `12`.
    PoiInvalid,
    /// `tag.missing`: a mandatory object is absent.
    TagMissing,
    /// `tag.rfu`: an ID reserved for `EMVCo` (65–79) is present (warning).
    TagRfu,
    /// `template.opaque`: a template reserved for a payment system (26–51, 80–99, 62.50–99)
    /// holds data that is not TLV (warning). Real issuers do this; the value is kept raw
    /// ([`DataObject::value`](crate::DataObject::value)) and nothing inside it is checked.
    /// [`Mode::Pedantic`](crate::Mode::Pedantic) rejects it as [`Error::MalformedTemplate`].
    TemplateOpaque,
    /// `mai.missing`: none of the merchant account objects 02–51 is present.
    MerchantAccountMissing,
    /// `mai.guid_missing`: a merchant account template has no 00 (GUID).
    GuidMissing,
    /// `length.too_long`: the value is longer than its maximum.
    TooLong {
        /// Maximum number of characters.
        max: u8,
    },
    /// `length.exact`: the value must have exactly this many characters.
    WrongLength {
        /// Required number of characters.
        len: u8,
    },
    /// `charset.numeric`: a numeric (N) value contains something other than digits.
    NotNumeric,
    /// `charset.ans`: an alphanumeric-special (ans) value contains characters outside
    /// printable ASCII (warning: real codes carry accented names).
    NotAns,
    /// `mcc.format`: 52 is not 4 digits.
    MccFormat,
    /// `currency.format`: 53 is not 3 digits.
    CurrencyFormat,
    /// `country.format`: 58 is not two uppercase letters.
    CountryFormat,
    /// `amount.format`: 54 is not digits with at most one `.`.
    AmountFormat,
    /// `amount.zero`: 54 is zero.
    AmountZero,
    /// `amount.decimals`: 54 has more decimals than the currency allows.
    AmountDecimals,
    /// `amount.trailing_dot`: 54 ends with `.` (allowed by `EMVCo`, rejected by some apps;
    /// warning).
    AmountTrailingDot,
    /// `tip.invalid`: 55 is not `01`, `02` or `03`.
    TipInvalid,
    /// `tip.fee_missing`: 55 = `02` without 56, or `03` without 57.
    TipFeeMissing,
    /// `tip.orphan_fee`: 56 or 57 present without the matching 55.
    TipOrphanFee,
    /// `fee.format`: 56 or 57 is not a number of the right shape.
    FeeFormat,
    /// `fee.zero`: 56 is zero.
    FeeZero,
    /// `fee.range`: 57 is outside 00.01–99.99.
    FeeRange,
    /// `additional.consumer_request`: 62.09 is not a combination of `A`, `M`, `E`.
    ConsumerRequest,
    /// `language.missing_subtag`: 64 lacks 00 or 01.
    LanguageMissingSubtag,
    /// `language.format`: 64.00 is not two letters.
    LanguageFormat,
    /// `payload.too_long`: more than 512 characters (warning).
    PayloadTooLong,
    /// `crc.lowercase`: the CRC is correct but written in lowercase (warning).
    CrcLowercase,
    /// `crc.mismatch` (lenient mode only; strict mode fails with [`Error::CrcMismatch`]).
    CrcMismatch {
        /// CRC computed over the payload.
        expected: u16,
        /// CRC written in the payload.
        found: u16,
    },
    /// `crc.format` (lenient mode only): the CRC is not 4 hex digits.
    CrcFormat,
    /// `qris.currency`: the country is ID but 53 is not `360`.
    QrisCurrency,
    /// `qris.postal_missing`: the country is ID and 61 is absent (warning).
    QrisPostalMissing,
    /// `qris.national_missing`: a static QRIS without the national repository template 51
    /// (warning).
    QrisNationalMissing,
    /// `qris.national_guid`: 51.00 is not `ID.CO.QRIS.WWW` (warning: legacy GUIDs exist).
    QrisNationalGuid,
    /// `qris.nmid_format`: 51.02 is not `ID` followed by 13 digits (warning).
    QrisNmidFormat,
    /// `qris.criteria`: merchant criteria is not UMI, UKE, UME, UBE, URE (or PSO, BLU).
    QrisCriteria,
    /// `qris.criteria_mismatch`: two templates state different merchant criteria (warning).
    QrisCriteriaMismatch,
    /// `qris.criteria_missing`: a merchant account template has no criteria (03); issuers
    /// then assume URE (warning).
    QrisCriteriaMissing,
    /// `qris.mai_subtag`: a QRIS merchant account template lacks a mandatory sub-object
    /// (26–45: 01 PAN, 02 merchant ID; 51: 02 NMID).
    QrisMaiSubtag,
    /// `qris.pan_format`: merchant PAN is not 8–19 digits.
    QrisPanFormat,
    /// `qris.pipe`: `|` in a merchant ID or criteria.
    QrisPipe,
    /// `qris.dynamic_without_amount`: 01 = `12` without 54 (warning).
    QrisDynamicWithoutAmount,
    /// `qris.static_with_amount`: 01 = `11` with 54 (warning).
    QrisStaticWithAmount,
}

impl IssueCode {
    /// The stable code string (`qris.postal_missing`, …).
    pub fn as_str(&self) -> &'static str {
        match self {
            IssueCode::PfiInvalid => "pfi.invalid",
            IssueCode::PoiInvalid => "poi.invalid",
            IssueCode::TagMissing => "tag.missing",
            IssueCode::TagRfu => "tag.rfu",
            IssueCode::TemplateOpaque => "template.opaque",
            IssueCode::MerchantAccountMissing => "mai.missing",
            IssueCode::GuidMissing => "mai.guid_missing",
            IssueCode::TooLong { .. } => "length.too_long",
            IssueCode::WrongLength { .. } => "length.exact",
            IssueCode::NotNumeric => "charset.numeric",
            IssueCode::NotAns => "charset.ans",
            IssueCode::MccFormat => "mcc.format",
            IssueCode::CurrencyFormat => "currency.format",
            IssueCode::CountryFormat => "country.format",
            IssueCode::AmountFormat => "amount.format",
            IssueCode::AmountZero => "amount.zero",
            IssueCode::AmountDecimals => "amount.decimals",
            IssueCode::AmountTrailingDot => "amount.trailing_dot",
            IssueCode::TipInvalid => "tip.invalid",
            IssueCode::TipFeeMissing => "tip.fee_missing",
            IssueCode::TipOrphanFee => "tip.orphan_fee",
            IssueCode::FeeFormat => "fee.format",
            IssueCode::FeeZero => "fee.zero",
            IssueCode::FeeRange => "fee.range",
            IssueCode::ConsumerRequest => "additional.consumer_request",
            IssueCode::LanguageMissingSubtag => "language.missing_subtag",
            IssueCode::LanguageFormat => "language.format",
            IssueCode::PayloadTooLong => "payload.too_long",
            IssueCode::CrcLowercase => "crc.lowercase",
            IssueCode::CrcMismatch { .. } => "crc.mismatch",
            IssueCode::CrcFormat => "crc.format",
            IssueCode::QrisCurrency => "qris.currency",
            IssueCode::QrisPostalMissing => "qris.postal_missing",
            IssueCode::QrisNationalMissing => "qris.national_missing",
            IssueCode::QrisNationalGuid => "qris.national_guid",
            IssueCode::QrisNmidFormat => "qris.nmid_format",
            IssueCode::QrisCriteria => "qris.criteria",
            IssueCode::QrisCriteriaMismatch => "qris.criteria_mismatch",
            IssueCode::QrisCriteriaMissing => "qris.criteria_missing",
            IssueCode::QrisMaiSubtag => "qris.mai_subtag",
            IssueCode::QrisPanFormat => "qris.pan_format",
            IssueCode::QrisPipe => "qris.pipe",
            IssueCode::QrisDynamicWithoutAmount => "qris.dynamic_without_amount",
            IssueCode::QrisStaticWithAmount => "qris.static_with_amount",
        }
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueCode::PfiInvalid => f.write_str("payload format indicator must be \"01\""),
            IssueCode::PoiInvalid => {
                f.write_str("point of initiation must be \"11\" (static) or \"12\" (dynamic)")
            }
            IssueCode::TagMissing => f.write_str("mandatory data object is missing"),
            IssueCode::TagRfu => f.write_str("ID reserved for future use by EMVCo"),
            IssueCode::TemplateOpaque => f.write_str(
                "payment-system template holds data that is not TLV (kept raw, not checked)",
            ),
            IssueCode::MerchantAccountMissing => {
                f.write_str("no merchant account information (02-51)")
            }
            IssueCode::GuidMissing => {
                f.write_str("merchant account template has no globally unique identifier (00)")
            }
            IssueCode::TooLong { max } => write!(f, "value longer than {max} characters"),
            IssueCode::WrongLength { len } => write!(f, "value must have {len} characters"),
            IssueCode::NotNumeric => f.write_str("value must contain digits only"),
            IssueCode::NotAns => {
                f.write_str("value contains characters outside the EMV common character set")
            }
            IssueCode::MccFormat => f.write_str("merchant category code must be 4 digits"),
            IssueCode::CurrencyFormat => {
                f.write_str("transaction currency must be a 3-digit ISO 4217 code")
            }
            IssueCode::CountryFormat => {
                f.write_str("country code must be 2 uppercase letters (ISO 3166-1)")
            }
            IssueCode::AmountFormat => f.write_str(
                "transaction amount must be digits with at most one \".\" (e.g. 25000 or 25000.00)",
            ),
            IssueCode::AmountZero => f.write_str("transaction amount must not be zero"),
            IssueCode::AmountDecimals => {
                f.write_str("transaction amount has more decimals than the currency allows")
            }
            IssueCode::AmountTrailingDot => {
                f.write_str("transaction amount ends with \".\" (some apps refuse it)")
            }
            IssueCode::TipInvalid => {
                f.write_str("tip or convenience indicator must be \"01\", \"02\" or \"03\"")
            }
            IssueCode::TipFeeMissing => f.write_str(
                "indicator 02 requires a fixed fee (56), indicator 03 a percentage (57)",
            ),
            IssueCode::TipOrphanFee => {
                f.write_str("convenience fee present without the matching indicator (55)")
            }
            IssueCode::FeeFormat => f.write_str("convenience fee is not a valid number"),
            IssueCode::FeeZero => f.write_str("fixed convenience fee must not be zero"),
            IssueCode::FeeRange => {
                f.write_str("convenience fee percentage must be between 00.01 and 99.99")
            }
            IssueCode::ConsumerRequest => f.write_str(
                "additional consumer data request must combine A, M and E, each at most once",
            ),
            IssueCode::LanguageMissingSubtag => f.write_str(
                "language template requires 00 (language) and 01 (alternate merchant name)",
            ),
            IssueCode::LanguageFormat => {
                f.write_str("language preference must be 2 letters (ISO 639)")
            }
            IssueCode::PayloadTooLong => f.write_str("payload longer than 512 characters"),
            IssueCode::CrcLowercase => f.write_str("CRC written in lowercase hex"),
            IssueCode::CrcMismatch { expected, found } => write!(
                f,
                "CRC mismatch: payload says {found:04X}, computed {expected:04X}"
            ),
            IssueCode::CrcFormat => f.write_str("CRC is not 4 hex digits"),
            IssueCode::QrisCurrency => {
                f.write_str("QRIS (country ID) requires currency 360 (rupiah)")
            }
            IssueCode::QrisPostalMissing => f.write_str("QRIS requires a postal code (61)"),
            IssueCode::QrisNationalMissing => f.write_str(
                "static QRIS without the national repository template (51) and its NMID",
            ),
            IssueCode::QrisNationalGuid => {
                f.write_str("national repository GUID is not ID.CO.QRIS.WWW")
            }
            IssueCode::QrisNmidFormat => f.write_str("NMID is not \"ID\" followed by 13 digits"),
            IssueCode::QrisCriteria => {
                f.write_str("merchant criteria must be UMI, UKE, UME, UBE or URE")
            }
            IssueCode::QrisCriteriaMismatch => {
                f.write_str("merchant criteria differ between merchant account templates")
            }
            IssueCode::QrisCriteriaMissing => {
                f.write_str("merchant criteria (03) missing; issuers assume URE")
            }
            IssueCode::QrisMaiSubtag => {
                f.write_str("mandatory sub-object of the QRIS merchant account template missing")
            }
            IssueCode::QrisPanFormat => f.write_str("merchant PAN must be 8 to 19 digits"),
            IssueCode::QrisPipe => f.write_str("\"|\" is not allowed in this value"),
            IssueCode::QrisDynamicWithoutAmount => {
                f.write_str("dynamic QRIS without a transaction amount (54)")
            }
            IssueCode::QrisStaticWithAmount => {
                f.write_str("static QRIS carries a transaction amount (54)")
            }
        }
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)
    }
}

/// One rule violation: code, severity, path and byte offset of the object concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Issue {
    code: IssueCode,
    severity: Severity,
    path: TagPath,
    offset: Option<usize>,
}

impl Issue {
    pub(crate) fn new(
        code: IssueCode,
        severity: Severity,
        path: TagPath,
        offset: Option<usize>,
    ) -> Self {
        Issue {
            code,
            severity,
            path,
            offset,
        }
    }

    /// What is wrong.
    pub fn code(&self) -> IssueCode {
        self.code
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// `true` for an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The object concerned (`26.01`); the root for payload-wide issues.
    pub fn path(&self) -> TagPath {
        self.path
    }

    /// Byte offset of the object concerned; `None` when it is missing.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// A one-line English message.
    pub fn message(&self) -> String {
        self.code.to_string()
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} [{}]: ",
            self.severity.as_str(),
            self.path,
            self.code.as_str()
        )?;
        self.code.describe(f)
    }
}

/// All rule violations of a payload, errors and warnings, in the order found.
///
/// A valid payload without warnings has an empty report, which does not allocate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    issues: Vec<Issue>,
}

impl Report {
    pub(crate) fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    /// Every issue, in the order found.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| !i.is_error())
    }

    /// `true` when there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(Issue::is_error)
    }

    /// `true` when there is neither an error nor a warning.
    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }

    /// `true` when an issue with this code is present.
    pub fn has(&self, code: &str) -> bool {
        self.issues.iter().any(|i| i.code.as_str() == code)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.issues.is_empty() {
            return f.write_str("no issues");
        }
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{issue}")?;
        }
        Ok(())
    }
}

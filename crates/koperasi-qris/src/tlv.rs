//! The TLV layer: tag paths, borrowed data objects and the scanner shared by the parser, the
//! iterators and the converters.

use core::fmt;

/// Where a data object sits in the tree: `54`, `26.01`, `62.50.00`; the root itself is
/// empty and displays as `root`.
///
/// An ID's meaning depends on its parent (root `01` is the point of initiation, `62.01` the
/// bill number), so issues and errors name objects by their path.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TagPath {
    tags: [u8; 3],
    len: u8,
}

impl TagPath {
    /// The root (the payload itself).
    pub const ROOT: TagPath = TagPath {
        tags: [0; 3],
        len: 0,
    };

    /// The path of a root data object (`TagPath::tag(54)` is `54`).
    pub const fn tag(tag: u8) -> TagPath {
        TagPath {
            tags: [tag, 0, 0],
            len: 1,
        }
    }

    /// The path of a sub-object of a root template (`TagPath::sub(26, 1)` is `26.01`).
    pub const fn sub(tag: u8, sub: u8) -> TagPath {
        TagPath {
            tags: [tag, sub, 0],
            len: 2,
        }
    }

    /// The path of child `tag` under this path. Paths are at most three deep (`62.50.00`);
    /// deeper children keep the path of their depth-3 ancestor.
    #[must_use]
    pub fn child(self, tag: u8) -> TagPath {
        let mut p = self;
        if let Some(slot) = p.tags.get_mut(usize::from(p.len)) {
            *slot = tag;
            p.len = p.len.saturating_add(1);
        }
        p
    }

    /// The IDs along the path, outermost first (empty for the root).
    pub fn tags(&self) -> &[u8] {
        self.tags.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// `true` for the root path.
    pub fn is_root(&self) -> bool {
        self.len == 0
    }

    /// The ID of the object itself (last element), `None` for the root.
    pub fn last(&self) -> Option<u8> {
        self.tags().last().copied()
    }
}

impl fmt::Display for TagPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_root() {
            return f.write_str("root");
        }
        for (i, t) in self.tags().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{t:02}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for TagPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TagPath({self})")
    }
}

/// A low-level TLV fault: why the bytes at some offset are not a data object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlvFault {
    /// Fewer than 4 bytes remain where an ID and a length are expected.
    TruncatedHeader,
    /// The ID is not two ASCII digits.
    BadTag,
    /// The length is not two ASCII digits.
    BadLength,
    /// The length is `00` (empty values are not allowed).
    ZeroLength,
    /// The declared length runs past the end of the enclosing value.
    ValueOverflow {
        /// Characters the length field declares.
        declared: u8,
        /// Characters that actually remain.
        remaining: usize,
    },
}

impl TlvFault {
    /// Stable machine code (`tlv.bad_tag`, …).
    pub fn code(&self) -> &'static str {
        match self {
            TlvFault::TruncatedHeader => "tlv.truncated_header",
            TlvFault::BadTag => "tlv.bad_tag",
            TlvFault::BadLength => "tlv.bad_length",
            TlvFault::ZeroLength => "tlv.zero_length",
            TlvFault::ValueOverflow { .. } => "tlv.value_overflow",
        }
    }
}

impl fmt::Display for TlvFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlvFault::TruncatedHeader => f.write_str("truncated ID/length header"),
            TlvFault::BadTag => f.write_str("ID is not two digits"),
            TlvFault::BadLength => f.write_str("length is not two digits"),
            TlvFault::ZeroLength => f.write_str("length 00 (empty value)"),
            TlvFault::ValueOverflow {
                declared,
                remaining,
            } => write!(
                f,
                "length declares {declared} characters but only {remaining} remain"
            ),
        }
    }
}

/// One scanned object: ID and the byte range of its value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Raw {
    pub(crate) tag: u8,
    pub(crate) value_start: usize,
    pub(crate) value_end: usize,
}

/// Width in bytes of the UTF-8 sequence starting with `lead`.
#[inline]
fn utf8_width(lead: u8) -> usize {
    if lead < 0x80 {
        1
    } else if lead < 0xE0 {
        2
    } else if lead < 0xF0 {
        3
    } else {
        4
    }
}

/// Number of characters in UTF-8 bytes (counts the non-continuation bytes).
#[inline]
pub(crate) fn count_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c & 0xC0) != 0x80).count()
}

/// Reads the data object at `pos`, whose value must end at or before `end`.
///
/// `ascii` tells that the whole input is ASCII (then characters are bytes). `pos` and `end`
/// must lie on character boundaries; the value range returned does too.
#[inline]
pub(crate) fn read_object(b: &[u8], pos: usize, end: usize, ascii: bool) -> Result<Raw, TlvFault> {
    let hdr_end = pos.wrapping_add(4);
    let header = match b.get(pos..hdr_end) {
        Some(&[t1, t2, l1, l2]) if hdr_end <= end => u32::from_le_bytes([t1, t2, l1, l2]),
        _ => return Err(TlvFault::TruncatedHeader),
    };
    // Four ASCII digits: every high nibble is 3 and no low nibble exceeds 9 (adding 6 to it
    // must not carry into the high nibble).
    let all_digits = header & 0xF0F0_F0F0 == 0x3030_3030
        && header.wrapping_add(0x0606_0606) & 0xF0F0_F0F0 == 0x3030_3030;
    if !all_digits {
        return Err(header_fault(header));
    }
    let [t1, t2, l1, l2] = header.to_le_bytes();
    let tag = (t1 & 0x0F).wrapping_mul(10).wrapping_add(t2 & 0x0F);
    let len = (l1 & 0x0F).wrapping_mul(10).wrapping_add(l2 & 0x0F);
    let value_end = if ascii {
        let e = hdr_end.wrapping_add(usize::from(len));
        (e <= end && len != 0).then_some(e)
    } else if len == 0 {
        None
    } else {
        advance_chars(b, hdr_end, end, len)
    };
    match value_end {
        Some(value_end) => Ok(Raw {
            tag,
            value_start: hdr_end,
            value_end,
        }),
        None => Err(value_fault(b, hdr_end, end, len)),
    }
}

/// Which half of a header that is not four digits is wrong.
#[cold]
fn header_fault(header: u32) -> TlvFault {
    let [t1, t2, ..] = header.to_le_bytes();
    if t1.is_ascii_digit() && t2.is_ascii_digit() {
        TlvFault::BadLength
    } else {
        TlvFault::BadTag
    }
}

/// Why the value after a well-formed header does not fit.
#[cold]
fn value_fault(b: &[u8], start: usize, end: usize, declared: u8) -> TlvFault {
    if declared == 0 {
        return TlvFault::ZeroLength;
    }
    TlvFault::ValueOverflow {
        declared,
        remaining: b.get(start..end).map_or(0, count_chars),
    }
}

/// Byte position after `n` characters starting at `start`, if they end at or before `end`.
#[inline]
fn advance_chars(b: &[u8], start: usize, end: usize, n: u8) -> Option<usize> {
    let mut p = start;
    for _ in 0..n {
        if p >= end {
            return None;
        }
        let lead = *b.get(p)?;
        p = p.checked_add(utf8_width(lead))?;
    }
    (p <= end).then_some(p)
}

/// `true` when the object at `path` is a template (its value is itself TLV): root 26–51,
/// 62, 64 and 80–99, and 50–99 inside 62. Merchant account IDs 02–25 are primitive.
///
/// The templates reserved for payment systems ([`may_be_opaque`]) may in practice hold data
/// that is not TLV: [`DataObject::is_template`] tells for a given object.
pub fn is_template(path: TagPath) -> bool {
    match path.tags() {
        [t] => matches!(t, 26..=51 | 62 | 64 | 80..=99),
        [62, s] => matches!(s, 50..=99),
        _ => false,
    }
}

/// `true` for the templates `EMVCo` reserves for payment systems, whose content real issuers
/// sometimes fill with data that is not TLV: root 26–51 and 80–99, and 50–99 inside 62.
pub fn may_be_opaque(path: TagPath) -> bool {
    match path.tags() {
        [t] => matches!(t, 26..=51 | 80..=99),
        [62, s] => matches!(s, 50..=99),
        _ => false,
    }
}

/// `true` when `b[start..end]` is a sequence of well-formed data objects.
pub(crate) fn is_tlv(b: &[u8], start: usize, end: usize, ascii: bool) -> bool {
    let mut pos = start;
    while pos < end {
        match read_object(b, pos, end, ascii) {
            Ok(raw) => pos = raw.value_end,
            Err(_) => return false,
        }
    }
    true
}

/// A data object borrowed from the payload: ID, value and position.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DataObject<'a> {
    src: &'a str,
    /// The whole payload is ASCII (characters are bytes).
    ascii: bool,
    path: TagPath,
    offset: usize,
    value_start: usize,
    value_end: usize,
}

impl<'a> DataObject<'a> {
    pub(crate) fn from_parts(
        src: &'a str,
        ascii: bool,
        path: TagPath,
        offset: usize,
        value_start: usize,
        value_end: usize,
    ) -> Self {
        DataObject {
            src,
            ascii,
            path,
            offset,
            value_start,
            value_end,
        }
    }

    /// The object's ID (`26`, or `01` for `26.01`).
    pub fn tag(&self) -> u8 {
        self.path.last().unwrap_or(0)
    }

    /// The object's path (`26.01`).
    pub fn path(&self) -> TagPath {
        self.path
    }

    /// Byte offset of the object's ID in the payload.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Byte offset of the value in the payload.
    pub fn value_offset(&self) -> usize {
        self.value_start
    }

    /// The value, borrowed from the payload.
    pub fn value(&self) -> &'a str {
        self.src.get(self.value_start..self.value_end).unwrap_or("")
    }

    /// The whole object as it appears in the payload: ID, length and value.
    pub fn raw(&self) -> &'a str {
        self.src.get(self.offset..self.value_end).unwrap_or("")
    }

    /// Length of the value in characters (what the length field says).
    pub fn char_len(&self) -> usize {
        if self.ascii {
            return self.value_end.saturating_sub(self.value_start);
        }
        self.src
            .as_bytes()
            .get(self.value_start..self.value_end)
            .map_or(0, count_chars)
    }

    /// `true` when this object is a template (see [`is_template`]) whose value is TLV: a
    /// payment-system template holding opaque data ([`DataObject::is_opaque`]) is not.
    pub fn is_template(&self) -> bool {
        is_template(self.path) && !self.is_opaque()
    }

    /// `true` for a payment-system template ([`may_be_opaque`]) whose value is not a TLV
    /// sequence: accepted with a `template.opaque` warning, read only as its raw
    /// [`value`](DataObject::value).
    pub fn is_opaque(&self) -> bool {
        may_be_opaque(self.path)
            && !is_tlv(
                self.src.as_bytes(),
                self.value_start,
                self.value_end,
                self.ascii,
            )
    }

    /// The sub-objects of a template in payload order; empty for a primitive object.
    pub fn children(&self) -> Objects<'a> {
        if self.is_template() {
            Objects::new(
                self.src,
                self.value_start,
                self.value_end,
                self.path,
                self.ascii,
            )
        } else {
            Objects::empty(self.src)
        }
    }

    /// The sub-object with ID `tag` of a template.
    pub fn child(&self, tag: u8) -> Option<DataObject<'a>> {
        self.children().find(|o| o.tag() == tag)
    }

    /// The value of sub-object `tag` of a template.
    pub fn child_value(&self, tag: u8) -> Option<&'a str> {
        self.child(tag).map(|o| o.value())
    }
}

impl fmt::Debug for DataObject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataObject")
            .field("path", &self.path)
            .field("offset", &self.offset)
            .field("value", &self.value())
            .finish()
    }
}

/// Iterator over the data objects of the root or of a template, in payload order (unknown
/// IDs included). Stops at the first malformed object (a parsed [`crate::Qris`] has none).
#[derive(Clone, Debug)]
pub struct Objects<'a> {
    src: &'a str,
    pos: usize,
    end: usize,
    parent: TagPath,
    ascii: bool,
}

impl<'a> Objects<'a> {
    pub(crate) fn new(
        src: &'a str,
        start: usize,
        end: usize,
        parent: TagPath,
        ascii: bool,
    ) -> Self {
        Objects {
            src,
            pos: start,
            end,
            parent,
            ascii,
        }
    }

    pub(crate) fn empty(src: &'a str) -> Self {
        Objects {
            src,
            pos: 0,
            end: 0,
            parent: TagPath::ROOT,
            ascii: true,
        }
    }
}

impl<'a> Iterator for Objects<'a> {
    type Item = DataObject<'a>;

    fn next(&mut self) -> Option<DataObject<'a>> {
        if self.pos >= self.end {
            return None;
        }
        let Ok(raw) = read_object(self.src.as_bytes(), self.pos, self.end, self.ascii) else {
            self.pos = self.end;
            return None;
        };
        let obj = DataObject {
            src: self.src,
            ascii: self.ascii,
            path: self.parent.child(raw.tag),
            offset: self.pos,
            value_start: raw.value_start,
            value_end: raw.value_end,
        };
        self.pos = raw.value_end;
        Some(obj)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_display() {
        assert_eq!(TagPath::ROOT.to_string(), "root");
        assert_eq!(TagPath::sub(26, 1).to_string(), "26.01");
        assert_eq!(TagPath::sub(62, 50).child(0).to_string(), "62.50.00");
        assert_eq!(
            TagPath::sub(62, 50).child(0).child(1).to_string(),
            "62.50.00"
        );
    }

    #[test]
    fn read_counts_characters() {
        let s = "5909KOPI SÜSU6304";
        let r = read_object(s.as_bytes(), 0, s.len(), false);
        assert!(matches!(
            r,
            Ok(Raw {
                tag: 59,
                value_start: 4,
                value_end: 14
            })
        ));
        let r = read_object(s.as_bytes(), 0, 12, false);
        assert_eq!(
            r.err(),
            Some(TlvFault::ValueOverflow {
                declared: 9,
                remaining: 7
            })
        );
    }

    #[test]
    fn faults() {
        let f = |s: &str| read_object(s.as_bytes(), 0, s.len(), s.is_ascii()).err();
        assert_eq!(f("590"), Some(TlvFault::TruncatedHeader));
        assert_eq!(f("5A01x"), Some(TlvFault::BadTag));
        assert_eq!(f("59+1x"), Some(TlvFault::BadLength));
        assert_eq!(f("5900"), Some(TlvFault::ZeroLength));
    }
}

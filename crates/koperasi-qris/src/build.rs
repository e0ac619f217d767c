//! Building payloads, re-serialising parsed ones, and static ↔ dynamic conversion.

use std::collections::BTreeMap;

use crate::amount::{Amount, Fee};
use crate::crc16::{crc16, hex4};
use crate::error::Error;
use crate::model::{MerchantCriteria, NATIONAL_GUID, PointOfInitiation};
use crate::parse::Qris;
use crate::tlv::{DataObject, TagPath, count_chars};

/// The value of a root data object held by a [`QrisBuilder`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Node {
    /// A primitive value.
    Text(String),
    /// A template: sub-object ID → value (sub-templates such as 62.50 are kept as their TLV
    /// text).
    Template(BTreeMap<u8, String>),
}

/// Builds a payload from typed parts, in canonical order (ascending IDs, 00 first, 63 last),
/// with the CRC in four uppercase hex digits.
///
/// [`QrisBuilder::build`] validates the result with the strict parser, so what it returns
/// is a valid payload. [`Qris::to_builder`] goes the other way: `parse(build(x))` gives `x`
/// back.
///
/// ```
/// use koperasi_qris::{Amount, MerchantCriteria, Qris, QrisBuilder};
///
/// let payload = QrisBuilder::new("KOPDES MERAH PUTIH", "PROBOLINGGO", "5411")
///     .merchant_account(26, "ID.CO.BANKMERAH.WWW", "936000021234567890", "KDMP0001", MerchantCriteria::Umi)
///     .national("ID1025123456789", MerchantCriteria::Umi)
///     .postal_code("67211")
///     .terminal_label("KASIR-01")
///     .build()?;
/// let q = Qris::parse(&payload)?;
/// assert_eq!(q.merchant_city(), Some("PROBOLINGGO"));
/// assert_eq!(q.to_builder(), QrisBuilder::new("KOPDES MERAH PUTIH", "PROBOLINGGO", "5411")
///     .merchant_account(26, "ID.CO.BANKMERAH.WWW", "936000021234567890", "KDMP0001", MerchantCriteria::Umi)
///     .national("ID1025123456789", MerchantCriteria::Umi)
///     .postal_code("67211")
///     .terminal_label("KASIR-01"));
/// # Ok::<(), koperasi_qris::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QrisBuilder {
    root: BTreeMap<u8, Node>,
}

impl QrisBuilder {
    /// A static QRIS (00 = `01`, 01 = `11`, 53 = `360`, 58 = `ID`) for a merchant with name
    /// (≤25 characters), city (≤15) and merchant category code (4 digits). Add at least one
    /// merchant account ([`QrisBuilder::national`], [`QrisBuilder::merchant_account`]).
    pub fn new(merchant_name: &str, merchant_city: &str, mcc: &str) -> QrisBuilder {
        QrisBuilder::empty()
            .object(0, "01")
            .object(1, PointOfInitiation::Static.code())
            .object(52, mcc)
            .object(53, "360")
            .object(58, "ID")
            .object(59, merchant_name)
            .object(60, merchant_city)
    }

    /// A builder with no data object at all (00 and 63 are still written by
    /// [`QrisBuilder::build`]; 00 is `01` unless set).
    pub fn empty() -> QrisBuilder {
        QrisBuilder {
            root: BTreeMap::new(),
        }
    }

    /// Sets 01: static or dynamic.
    #[must_use]
    pub fn point_of_initiation(self, poi: PointOfInitiation) -> QrisBuilder {
        self.object(1, poi.code())
    }

    /// Sets a QRIS domestic merchant account template (26–45): 00 GUID (reverse domain of
    /// the acquirer), 01 merchant PAN, 02 merchant ID, 03 criteria.
    #[must_use]
    pub fn merchant_account(
        self,
        tag: u8,
        guid: &str,
        pan: &str,
        merchant_id: &str,
        criteria: MerchantCriteria,
    ) -> QrisBuilder {
        self.sub(tag, 0, guid)
            .sub(tag, 1, pan)
            .sub(tag, 2, merchant_id)
            .sub(tag, 3, criteria.as_str())
    }

    /// Sets the national repository template 51: GUID `ID.CO.QRIS.WWW`, 02 NMID, 03 criteria.
    #[doc(alias = "NMID")]
    #[must_use]
    pub fn national(self, nmid: &str, criteria: MerchantCriteria) -> QrisBuilder {
        self.sub(51, 0, NATIONAL_GUID)
            .sub(51, 2, nmid)
            .sub(51, 3, criteria.as_str())
    }

    /// Sets 53: transaction currency (ISO 4217 numeric).
    #[must_use]
    pub fn currency(self, code: &str) -> QrisBuilder {
        self.object(53, code)
    }

    /// Sets 58: country code.
    #[must_use]
    pub fn country(self, code: &str) -> QrisBuilder {
        self.object(58, code)
    }

    /// Sets 54 (transaction amount) and makes the payload dynamic (01 = `12`).
    #[must_use]
    pub fn amount(self, amount: &Amount) -> QrisBuilder {
        self.object(54, amount.as_str())
            .point_of_initiation(PointOfInitiation::Dynamic)
    }

    /// Sets 55 and 56 or 57, replacing any previous tip or fee.
    #[must_use]
    pub fn fee(mut self, fee: &Fee) -> QrisBuilder {
        for t in 55..=57 {
            self.root.remove(&t);
        }
        let b = self.object(55, fee.indicator());
        match fee {
            Fee::TipPrompt => b,
            Fee::Fixed(a) => b.object(56, a.as_str()),
            Fee::Percent(p) => b.object(57, p.as_str()),
        }
    }

    /// Sets 61: postal code.
    #[must_use]
    pub fn postal_code(self, code: &str) -> QrisBuilder {
        self.object(61, code)
    }

    /// Sets 62.`sub` (additional data: 01 bill number … 11 merchant channel).
    #[must_use]
    pub fn additional(self, sub: u8, value: &str) -> QrisBuilder {
        self.sub(62, sub, value)
    }

    /// Sets 62.01: bill number.
    #[must_use]
    pub fn bill_number(self, v: &str) -> QrisBuilder {
        self.additional(1, v)
    }

    /// Sets 62.03: store label.
    #[must_use]
    pub fn store_label(self, v: &str) -> QrisBuilder {
        self.additional(3, v)
    }

    /// Sets 62.05: reference label (invoice number).
    #[must_use]
    pub fn reference_label(self, v: &str) -> QrisBuilder {
        self.additional(5, v)
    }

    /// Sets 62.07: terminal label.
    #[must_use]
    pub fn terminal_label(self, v: &str) -> QrisBuilder {
        self.additional(7, v)
    }

    /// Sets 64: merchant name (and optionally city) in an alternate language.
    #[must_use]
    pub fn language(self, preference: &str, name: &str, city: Option<&str>) -> QrisBuilder {
        let b = self.sub(64, 0, preference).sub(64, 1, name);
        match city {
            Some(c) => b.sub(64, 2, c),
            None => b,
        }
    }

    /// Sets root data object `tag` to a primitive value (replacing a template).
    #[must_use]
    pub fn object(mut self, tag: u8, value: &str) -> QrisBuilder {
        self.root.insert(tag, Node::Text(value.to_owned()));
        self
    }

    /// Sets sub-object `sub` of template `tag` (turning a primitive `tag` into a template).
    #[must_use]
    pub fn sub(mut self, tag: u8, sub: u8, value: &str) -> QrisBuilder {
        let node = self
            .root
            .entry(tag)
            .or_insert_with(|| Node::Template(BTreeMap::new()));
        if let Node::Text(_) = node {
            *node = Node::Template(BTreeMap::new());
        }
        if let Node::Template(m) = node {
            m.insert(sub, value.to_owned());
        }
        self
    }

    /// Removes root data object `tag`.
    #[must_use]
    pub fn remove(mut self, tag: u8) -> QrisBuilder {
        self.root.remove(&tag);
        self
    }

    /// The root data objects, by ID.
    pub fn objects(&self) -> &BTreeMap<u8, Node> {
        &self.root
    }

    /// Writes the payload without rule validation: canonical order, lengths in characters,
    /// CRC. Use [`QrisBuilder::build`] unless you need to produce invalid test payloads.
    ///
    /// # Errors
    /// [`Error::Build`] when an ID is above 99 or a value is empty or longer than 99
    /// characters.
    pub fn encode(&self) -> Result<String, Error> {
        let mut out = String::with_capacity(256);
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// [`QrisBuilder::encode`] appending to a buffer the caller reuses (a service issuing
    /// many dynamic codes saves an allocation per payload). On error `out` is left as it was.
    ///
    /// ```
    /// use koperasi_qris::{MerchantCriteria, Qris, QrisBuilder};
    ///
    /// let sticker = QrisBuilder::new("KOPDES MERAH PUTIH SKMJ", "PROBOLINGGO", "5411")
    ///     .national("ID1025123456789", MerchantCriteria::Umi);
    /// let mut buf = String::new();
    /// for invoice in ["INV-0001", "INV-0002"] {
    ///     buf.clear();
    ///     sticker.clone().reference_label(invoice).encode_into(&mut buf)?;
    ///     assert_eq!(Qris::parse(&buf)?.reference_label(), Some(invoice));
    /// }
    /// # Ok::<(), koperasi_qris::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`QrisBuilder::encode`].
    pub fn encode_into(&self, out: &mut String) -> Result<(), Error> {
        let start = out.len();
        let written = self.write(out);
        if written.is_err() {
            out.truncate(start);
        }
        written?;
        out.push_str("6304");
        let crc = crc16(out.as_bytes().get(start..).unwrap_or_default());
        let [a, b, c, d] = hex4(crc);
        out.extend([a, b, c, d].map(char::from));
        Ok(())
    }

    /// Writes every object but the CRC: straight into the `String` (values are text, IDs and
    /// lengths ASCII digits), each template's length computed before its sub-objects are
    /// written, so nothing is patched or re-validated.
    fn write(&self, out: &mut String) -> Result<(), Error> {
        if !self.root.contains_key(&0) {
            push_text(out, TagPath::tag(0), "01")?;
        }
        for (&tag, node) in &self.root {
            let path = TagPath::tag(tag);
            if tag > 99 {
                return Err(Error::Build {
                    path,
                    reason: "ID above 99",
                });
            }
            if tag == 63 {
                continue;
            }
            match node {
                Node::Text(v) => push_text(out, path, v)?,
                Node::Template(m) => {
                    let mut n = 0usize;
                    for (&sub, v) in m {
                        let sp = path.child(sub);
                        if sub > 99 {
                            return Err(Error::Build {
                                path: sp,
                                reason: "ID above 99",
                            });
                        }
                        let len = usize::from(check_len(char_len(v), sp)?);
                        n = n.saturating_add(len).saturating_add(4);
                    }
                    push_header(out, tag, check_len(n, path)?);
                    for (&sub, v) in m {
                        push_text(out, path.child(sub), v)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes the payload and checks it with the strict parser.
    ///
    /// # Errors
    /// [`Error::Build`] as for [`QrisBuilder::encode`]; [`Error::Invalid`] with every rule
    /// violation (missing merchant account, MCC not 4 digits, name too long, …).
    pub fn build(&self) -> Result<String, Error> {
        let s = self.encode()?;
        Qris::parse(&s)?;
        Ok(s)
    }
}

/// "00", "01", … "99": the two-digit IDs and lengths.
const TWO_DIGITS: &str = "\
0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/// Appends the ID and length of an object (both at most 99).
fn push_header(out: &mut String, tag: u8, len: u8) {
    let pair = |n: u8| {
        let at = usize::from(n).saturating_mul(2);
        TWO_DIGITS.get(at..at.saturating_add(2)).unwrap_or("00")
    };
    out.reserve(4);
    out.push_str(pair(tag));
    out.push_str(pair(len));
}

/// Appends a primitive object with its length in characters. Always inlined: it runs once
/// per value and the call overhead was a third of its cost.
#[allow(clippy::inline_always)]
#[inline(always)]
fn push_text(out: &mut String, path: TagPath, value: &str) -> Result<(), Error> {
    let len = check_len(char_len(value), path)?;
    push_header(out, path.last().unwrap_or(0), len);
    out.push_str(value);
    Ok(())
}

/// The ASCII digit of `d` (0–9).
fn digit(d: u8) -> u8 {
    b'0'.wrapping_add(d)
}

fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

fn push_tlv(out: &mut Vec<u8>, path: TagPath, value: &str) -> Result<(), Error> {
    let n = char_len(value);
    let len = check_len(n, path)?;
    let tag = path.last().unwrap_or(0);
    out.extend_from_slice(&[
        digit(tag / 10),
        digit(tag % 10),
        digit(len / 10),
        digit(len % 10),
    ]);
    out.extend_from_slice(value.as_bytes());
    Ok(())
}

fn check_len(n: usize, path: TagPath) -> Result<u8, Error> {
    if n == 0 {
        return Err(Error::Build {
            path,
            reason: "empty value",
        });
    }
    // Not `ok_or(Error::Build { .. })`: that builds (and drops) an error on every call.
    match u8::try_from(n) {
        Ok(len) if len <= 99 => Ok(len),
        _ => Err(Error::Build {
            path,
            reason: "value longer than 99 characters",
        }),
    }
}

/// Writes a template header with a placeholder length; returns where the value starts.
fn open(out: &mut Vec<u8>, tag: u8) -> usize {
    out.extend_from_slice(&[digit(tag / 10), digit(tag % 10), b'0', b'0']);
    out.len()
}

/// Fills in the length of the template opened at `at`.
fn close(out: &mut [u8], at: usize, path: TagPath) -> Result<(), Error> {
    let n = match out.get(at..) {
        Some(value) if value.is_ascii() => value.len(),
        Some(value) => count_chars(value),
        None => 0,
    };
    let len = check_len(n, path)?;
    if let Some([tens, ones]) = out.get_mut(at.saturating_sub(2)..at) {
        *tens = digit(len / 10);
        *ones = digit(len % 10);
    }
    Ok(())
}

/// Appends `6304` and the CRC.
fn seal(mut out: Vec<u8>) -> Result<String, Error> {
    out.extend_from_slice(b"6304");
    let crc = crc16(&out);
    out.extend_from_slice(&hex4(crc));
    String::from_utf8(out).map_err(|_| Error::Build {
        path: TagPath::ROOT,
        reason: "not UTF-8",
    })
}

fn encode_object(out: &mut Vec<u8>, o: &DataObject<'_>) -> Result<(), Error> {
    if o.is_template() {
        let at = open(out, o.tag());
        for c in o.children() {
            encode_object(out, &c)?;
        }
        close(out, at, o.path())
    } else {
        push_tlv(out, o.path(), o.value())
    }
}

impl Qris<'_> {
    /// Re-serialises the parsed tree: every object in its original order, lengths recomputed
    /// in characters, templates re-encoded from their sub-objects, and a freshly computed
    /// uppercase CRC. For a valid payload with an uppercase CRC the result is identical to
    /// the input.
    ///
    /// # Errors
    /// [`Error::Build`] only if a template grew past 99 characters, which cannot happen for
    /// a parsed payload.
    pub fn encode(&self) -> Result<String, Error> {
        let mut out = Vec::with_capacity(self.as_str().len());
        for o in self.objects() {
            if o.tag() != 63 {
                encode_object(&mut out, &o)?;
            }
        }
        seal(out)
    }

    /// The typed parts of this payload as a builder: `Qris::parse(&b.build()?)?.to_builder()
    /// == b` for every builder `b` whose build succeeds.
    pub fn to_builder(&self) -> QrisBuilder {
        let mut root = BTreeMap::new();
        for o in self.objects() {
            if o.tag() == 63 {
                continue;
            }
            let node = if o.is_template() {
                Node::Template(
                    o.children()
                        .map(|c| (c.tag(), c.value().to_owned()))
                        .collect(),
                )
            } else {
                Node::Text(o.value().to_owned())
            };
            root.insert(o.tag(), node);
        }
        QrisBuilder { root }
    }

    /// Converts to a dynamic payload for one payment, as qris.md §4 recommends: the source
    /// must be valid (CRC included); 01 is set to `12` in place (inserted after 00 if
    /// absent); any 54–57 are dropped; the new 54 and the tip/fee objects are inserted in
    /// ascending ID position; every other object is kept verbatim and in order; the CRC is
    /// recomputed.
    ///
    /// The acquirer did not issue this amount: match the payment through the acquirer's
    /// notification or statement, and let the paying app decide acceptance.
    ///
    /// ```
    /// use koperasi_qris::{Amount, Fee, Qris};
    ///
    /// let sticker = Qris::parse("00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW0215ID10200123456780303UMI5204581253033605802ID5911TOKO CONTOH6007JAKARTA61051011062120708KASIR-0163043ACC")?;
    /// let fee = Fee::Fixed("1000".parse()?);
    /// let dynamic = sticker.to_dynamic(&"25000".parse()?, Some(&fee))?;
    /// assert!(dynamic.contains("5204581253033605405250005502025604100058"));
    /// assert!(dynamic.ends_with("6304748B"));
    /// let q = Qris::parse(&dynamic)?;
    /// assert_eq!(q.amount(), Some("25000"));
    /// # Ok::<(), koperasi_qris::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Invalid`] when the source has rule errors or a bad CRC (from a lenient
    /// parse); [`Error::Invalid`] or [`Error::Build`] if the result would be invalid.
    pub fn to_dynamic(&self, amount: &Amount, fee: Option<&Fee>) -> Result<String, Error> {
        self.convert(PointOfInitiation::Dynamic, Some(amount), fee, None)
    }

    /// [`Qris::to_dynamic`] that also sets the reference label 62.05 (at most 25
    /// characters), creating template 62 if needed; e.g. an invoice number to match the
    /// payment.
    ///
    /// # Errors
    /// As [`Qris::to_dynamic`]; [`Error::Invalid`] when the reference is longer than 25
    /// characters or makes template 62 longer than 99.
    pub fn to_dynamic_with_reference(
        &self,
        amount: &Amount,
        fee: Option<&Fee>,
        reference: &str,
    ) -> Result<String, Error> {
        self.convert(
            PointOfInitiation::Dynamic,
            Some(amount),
            fee,
            Some(reference),
        )
    }

    /// Back to a static payload: 01 = `11` in place, 54–57 dropped, everything else kept,
    /// CRC recomputed.
    ///
    /// # Errors
    /// As [`Qris::to_dynamic`].
    pub fn to_static(&self) -> Result<String, Error> {
        self.convert(PointOfInitiation::Static, None, None, None)
    }

    fn convert(
        &self,
        poi: PointOfInitiation,
        amount: Option<&Amount>,
        fee: Option<&Fee>,
        reference: Option<&str>,
    ) -> Result<String, Error> {
        if !self.is_valid() {
            return Err(Error::Invalid {
                report: self.report().clone(),
            });
        }
        let mut out = Vec::with_capacity(self.as_str().len().saturating_add(48));
        let mut money_done = false;
        let has_poi = self.object(1).is_some();
        let has_additional = self.object(62).is_some();
        // A new 62 is inserted before the first higher ID only when there is none to edit.
        let mut ref_done = reference.is_none();
        let emit_money = |out: &mut Vec<u8>| -> Result<(), Error> {
            if let Some(a) = amount {
                push_tlv(out, TagPath::tag(54), a.as_str())?;
            }
            if let Some(f) = fee {
                push_tlv(out, TagPath::tag(55), f.indicator())?;
                match f {
                    Fee::TipPrompt => {}
                    Fee::Fixed(v) => push_tlv(out, TagPath::tag(56), v.as_str())?,
                    Fee::Percent(p) => push_tlv(out, TagPath::tag(57), p.as_str())?,
                }
            }
            Ok(())
        };
        for o in self.objects() {
            let tag = o.tag();
            if !money_done && tag > 57 {
                emit_money(&mut out)?;
                money_done = true;
            }
            if !ref_done && !has_additional && tag > 62 {
                if let Some(r) = reference {
                    push_reference(&mut out, None, r)?;
                }
                ref_done = true;
            }
            match tag {
                1 => push_tlv(&mut out, o.path(), poi.code())?,
                54..=57 | 63 => {}
                62 if !ref_done => {
                    if let Some(r) = reference {
                        push_reference(&mut out, Some(&o), r)?;
                    }
                    ref_done = true;
                }
                _ => out.extend_from_slice(o.raw().as_bytes()),
            }
            if tag == 0 && !has_poi {
                push_tlv(&mut out, TagPath::tag(1), poi.code())?;
            }
        }
        if !money_done {
            emit_money(&mut out)?;
        }
        if !ref_done && let Some(r) = reference {
            push_reference(&mut out, None, r)?;
        }
        let s = seal(out)?;
        Qris::parse(&s)?;
        Ok(s)
    }
}

/// Writes template 62 with 05 = `reference`: the existing sub-objects in order with 05
/// replaced in place or inserted before the first higher ID.
fn push_reference(
    out: &mut Vec<u8>,
    t: Option<&DataObject<'_>>,
    reference: &str,
) -> Result<(), Error> {
    let path = TagPath::tag(62);
    let rpath = TagPath::sub(62, 5);
    let at = open(out, 62);
    let mut done = false;
    if let Some(t) = t {
        for c in t.children() {
            if c.tag() == 5 || (!done && c.tag() > 5) {
                if !done {
                    push_tlv(out, rpath, reference)?;
                    done = true;
                }
                if c.tag() == 5 {
                    continue;
                }
            }
            out.extend_from_slice(c.raw().as_bytes());
        }
    }
    if !done {
        push_tlv(out, rpath, reference)?;
    }
    close(out, at, path)
}

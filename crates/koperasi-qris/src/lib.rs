//! # koperasi-qris — QRIS / `EMVCo` merchant-presented QR codes
//!
//! Parse, validate, build and convert QRIS payloads (Quick Response Code Indonesian
//! Standard, the Bank Indonesia profile of the `EMVCo` Merchant-Presented Mode), exactly,
//! fast and without ever panicking. This crate depends on nothing else of the koperasi
//! workspace: anyone handling QRIS in Rust can use it alone.
//!
//! * [`Qris::parse`] reads a payload **without copying**: every accessor returns a slice of
//!   the input. No allocation for a valid payload; the CRC-16/CCITT-FALSE is computed with
//!   carry-less multiplication (`crc-fast`). A printable payload takes a fast path (a lean
//!   structural scan, then a direct check that the QRIS profile holds); anything unusual
//!   or wrong goes through the precise passes that say what and where. Both paths are
//!   tested to give identical results.
//! * Structural problems stop parsing with the byte offset and the tag path
//!   ([`Error::ValueOverflow`], [`Error::CrcMismatch`], …); rule violations are all
//!   reported at once in a [`Report`] of [`Issue`]s with paths like `26.01`, separated into
//!   errors and warnings. [`Mode::Strict`] (default) fails on any error;
//!   [`Mode::Lenient`] keeps them in the report; [`Mode::Pedantic`] is strict and also
//!   rejects opaque payment-system templates (below).
//! * [`QrisBuilder`] writes a payload from typed parts in canonical order;
//!   [`Qris::to_dynamic`] turns a static sticker into a per-payment code;
//!   [`Qris::to_static`] goes back; [`Qris::encode`] re-serialises what was parsed.
//! * Feature `svg`: [`to_svg`] renders the QR code.
//!
//! ## Guide: from a static sticker to a payment
//!
//! ```
//! use koperasi_qris::{Amount, Fee, MerchantCriteria, PointOfInitiation, Qris, QrisBuilder};
//!
//! // The cooperative's static QRIS sticker (as printed by its acquirer).
//! let sticker = QrisBuilder::new("KOPDES MERAH PUTIH SKMJ", "PROBOLINGGO", "5411")
//!     .merchant_account(26, "ID.CO.BANKMERAH.WWW", "9360001234567890123", "KDMP-SKMJ-01", MerchantCriteria::Umi)
//!     .national("ID1025123456789", MerchantCriteria::Umi)
//!     .postal_code("67219")
//!     .terminal_label("KASIR-01")
//!     .build()?;
//!
//! let q = Qris::parse(&sticker)?;
//! assert_eq!(q.point_of_initiation(), Some(PointOfInitiation::Static));
//! assert_eq!(q.nmid(), Some("ID1025123456789"));
//! assert_eq!(q.merchant_criteria(), Some(MerchantCriteria::Umi));
//! assert!(q.report().is_empty()); // no warnings either
//!
//! // Siti Rahayu buys rice for Rp125.000 plus a Rp1.000 service fee, invoice INV-0042.
//! let amount: Amount = "125000".parse()?;
//! let fee = Fee::Fixed("1000".parse()?);
//! let payload = q.to_dynamic_with_reference(&amount, Some(&fee), "INV-0042")?;
//!
//! let sale = Qris::parse(&payload)?;
//! assert!(sale.is_dynamic());
//! assert_eq!(sale.amount(), Some("125000"));
//! assert_eq!(sale.amount_decimal(), Some(125_000.into()));
//! assert_eq!(sale.fee_fixed(), Some("1000"));
//! assert_eq!(sale.reference_label(), Some("INV-0042"));
//!
//! // Back to static: 01 = 11, amount and fee gone, everything else kept.
//! let static_again = sale.to_static()?;
//! let back = Qris::parse(&static_again)?;
//! assert_eq!(back.point_of_initiation(), Some(PointOfInitiation::Static));
//! assert_eq!(back.amount(), None);
//! assert_eq!(back.reference_label(), Some("INV-0042"));
//! # Ok::<(), koperasi_qris::Error>(())
//! ```
//!
//! Errors name what and where:
//!
//! ```
//! use koperasi_qris::{Error, Qris};
//!
//! // One character changed in the name: the CRC no longer matches.
//! let s = "00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW0215ID10200123456780303UMI5204581253033605802ID5911TOKO KONTOH6007JAKARTA61051011062120708KASIR-0163043ACC";
//! match Qris::parse(s) {
//!     Err(Error::CrcMismatch { expected, found: 0x3ACC, offset }) => {
//!         assert_eq!(offset, s.len() - 8);
//!         assert_ne!(expected, 0x3ACC);
//!     }
//!     other => panic!("{other:?}"),
//! }
//!
//! // Lenient mode parses it anyway and reports every problem.
//! let q = Qris::parse_lenient(s)?;
//! assert!(!q.is_valid());
//! assert_eq!(q.report().errors().next().map(|i| i.code().as_str()), Some("crc.mismatch"));
//! # Ok::<(), koperasi_qris::Error>(())
//! ```
//!
//! ## Untrusted input
//!
//! **No function of this crate panics, whatever the input.** Payloads come from cameras,
//! clipboards and strangers; every byte sequence that is a `&str` — empty, truncated,
//! gigantic, non-ASCII, with lengths that lie — yields either a value or an [`Error`]. The
//! library code contains no `unwrap`, `expect`, `panic!`, indexing or unchecked
//! arithmetic (denied by lints), recursion is bounded (templates nest at most three deep),
//! and every loop advances through the input. This is checked by property tests over
//! arbitrary strings and over every single-character mutation of valid payloads (each
//! mutation is rejected, or is still valid with a correct CRC), and by a cargo-fuzz target
//! (`fuzz/fuzz_targets/qris_parse.rs` at the repository root). Inputs over 65,535 bytes are
//! rejected up front ([`Error::TooLong`]); no valid payload comes near that size.
//!
//! Parsing a valid payload is not the same as trusting it: a dynamic code converted by a
//! third party can carry any amount. Match payments through the acquirer's notification.
//!
//! ## Format notes
//!
//! * Lengths count **characters**, not bytes (UTF-8 text appears in template 64); the CRC
//!   runs over the UTF-8 **bytes** of everything up to and including `6304`.
//! * Any order of root objects is accepted (00 must be first and 63 last); templates
//!   26–51, 62, 64, 80–99 and 62.50–99 are parsed; 02–25 are primitive; unknown and
//!   reserved IDs are preserved in order.
//! * Payment-system templates (26–51, 80–99, 62.50–99; [`may_be_opaque`]) whose value is
//!   not TLV — issuers in circulation put proprietary data there — are accepted in
//!   [`Mode::Strict`] and [`Mode::Lenient`] with a `template.opaque` warning: the raw value
//!   stays available ([`DataObject::value`], [`DataObject::is_opaque`]), nothing inside it is
//!   checked, and re-encoding or conversion keeps it verbatim. [`Mode::Pedantic`] rejects
//!   them as `template.malformed`. 62 and 64 are `EMVCo`'s own templates: not TLV is an
//!   error in every mode.
//! * The QRIS profile rules apply when the country (58) is `ID`.
//!
//! ## Issue codes
//!
//! | code | severity | trigger |
//! |---|---|---|
//! | `pfi.invalid`, `poi.invalid` | error | 00 ≠ `01`; 01 ∉ {`11`,`12`} |
//! | `tag.missing`, `mai.missing`, `mai.guid_missing` | error | 52, 53, 58, 59 or 60 absent; none of 02–51; template without 00 |
//! | `length.too_long`, `length.exact`, `charset.numeric` | error | per-tag limits (59 ≤ 25, 60 ≤ 15, 61 ≤ 10, 62.01–08 ≤ 25, …) |
//! | `charset.ans` | warning | non-printable-ASCII text in an ans field |
//! | `mcc.format`, `currency.format`, `country.format` | error | 52 not 4 digits, 53 not 3 digits, 58 not 2 uppercase letters |
//! | `amount.format`, `amount.zero`, `amount.decimals` | error | 54 grammar, zero, decimals beyond the currency exponent |
//! | `amount.trailing_dot` | warning | `98.` (`EMVCo` allows it, some apps refuse it) |
//! | `tip.invalid`, `tip.fee_missing`, `tip.orphan_fee`, `fee.format`, `fee.zero`, `fee.range` | error | the 55/56/57 matrix |
//! | `additional.consumer_request`, `language.missing_subtag`, `language.format` | error | 62.09, 64 |
//! | `tag.rfu`, `payload.too_long`, `crc.lowercase` | warning | 65–79 present; > 512 characters; lowercase CRC |
//! | `template.opaque` | warning | 26–51, 80–99 or 62.50–99 holds data that is not TLV (an error, `template.malformed`, in [`Mode::Pedantic`]) |
//! | `crc.mismatch`, `crc.format` | error (lenient mode) | structural errors in strict mode |
//! | `qris.currency`, `qris.mai_subtag`, `qris.pan_format`, `qris.pipe`, `qris.criteria` | error | country `ID`: 53 ≠ `360`; 26–45 without 01/02, 51 without 02; PAN not 8–19 digits; `\|` in 02/03; unknown criteria |
//! | `qris.postal_missing`, `qris.national_missing`, `qris.national_guid`, `qris.nmid_format`, `qris.criteria_missing`, `qris.criteria_mismatch`, `qris.dynamic_without_amount`, `qris.static_with_amount` | warning | deviations seen in real QRIS codes |
//!
//! Structural error codes ([`Error::code`]): `empty`, `tlv.truncated_header`,
//! `tlv.bad_tag`, `tlv.bad_length`, `tlv.zero_length`, `tlv.value_overflow`,
//! `template.malformed`, `tag.duplicate`, `pfi.not_first`, `crc.missing`, `crc.not_last`,
//! `crc.format`, `crc.mismatch`.
//!
//! ## Glossary
//!
//! | Indonesian / QRIS term | API |
//! |---|---|
//! | QRIS (Quick Response Code Indonesian Standard) | [`Qris`] |
//! | QRIS statis / QRIS dinamis | [`PointOfInitiation::Static`] / [`PointOfInitiation::Dynamic`] |
//! | NMID (National Merchant ID) | [`Qris::nmid`], [`QrisBuilder::national`] |
//! | MPAN (Merchant PAN), NNS | [`MerchantAccount::pan`], [`MerchantAccount::nns`] |
//! | PJP / PJSP (penyelenggara jasa pembayaran, the acquirer) | [`MerchantAccount::guid`] |
//! | kriteria merchant UMI / UKE / UME / UBE / URE | [`MerchantCriteria`] |
//! | nominal transaksi | [`Qris::amount`], [`Amount`] |
//! | tip, biaya layanan (tetap / persentase) | [`Fee`], [`Tip`], [`Percentage`] |
//! | nama / kota merchant, kode pos | [`Qris::merchant_name`], [`Qris::merchant_city`], [`Qris::postal_code`] |
//! | nomor referensi, label terminal | [`Qris::reference_label`], [`Qris::terminal_label`] |
//!
//! ## Invariants (each has a named property test)
//!
//! * `parse(build(x)) == x`: `Qris::parse(&b.build()?)?.to_builder() == b` —
//!   `prop_build_parse_roundtrip`.
//! * `build(parse(s)) == s` for a valid `s`: `Qris::parse(s)?.encode()? == s` —
//!   `prop_reencode_is_identity`.
//! * Any single-character change of a valid payload is rejected, or is still valid with a
//!   correct CRC (only a change of case in the CRC digits, or a multi-byte substitution with
//!   a CRC collision, can be) — `prop_single_char_mutation_detected`.
//! * Arbitrary input never panics — `prop_arbitrary_input_never_panics`.
//! * `to_dynamic` keeps every other object verbatim and `to_static` undoes it —
//!   `prop_dynamic_static_roundtrip`.
//! * The fast paths agree with the precise ones: same accept/reject and spans
//!   (`fast_scan_agrees_with_precise_scan`), same report
//!   (`fast_rules_equal_reference_on_generated_payloads`,
//!   `one_edit_from_valid_gets_the_reference_report`,
//!   `length_limits_get_the_reference_report`).
//!
//! # Panics
//!
//! Never (see *Untrusted input*).
//!
//! # Crate features
//!
//! * `serde`: `Serialize`/`Deserialize` for [`QrisBuilder`], [`Node`],
//!   [`PointOfInitiation`] and [`MerchantCriteria`].
//! * `proptest`: `koperasi_qris::strategy`, strategies for valid builders, amounts and fees.
//! * `svg`: [`to_svg`] and [`Qris::to_svg`] (through the `qrcode` crate).
#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod amount;
mod build;
mod crc16;
mod error;
mod model;
mod parse;
#[cfg(any(test, feature = "proptest"))]
pub mod strategy;
#[cfg(feature = "svg")]
mod svg;
mod tlv;

pub use amount::{Amount, Fee, Percentage, Tip};
pub use build::{Node, QrisBuilder};
pub use crc16::{crc_hex, crc16};
pub use error::{Error, Issue, IssueCode, Report, Severity};
pub use model::{
    AdditionalData, Language, MerchantAccount, MerchantCriteria, NATIONAL_GUID, PointOfInitiation,
    UnknownCriteria,
};
pub use parse::{Mode, Qris};
pub use rust_decimal::Decimal;
#[cfg(feature = "svg")]
pub use svg::to_svg;
pub use tlv::{DataObject, Objects, TagPath, TlvFault, is_template, may_be_opaque};

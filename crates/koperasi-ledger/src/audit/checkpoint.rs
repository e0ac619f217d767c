//! C2SP `tlog-checkpoint` text and C2SP `signed-note` Ed25519 signatures.

use core::fmt;
use core::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::{Error, Hash, TreeHead};

/// The first word of the extension line that carries a balance state root.
pub const BALANCES_EXTENSION: &str = "balances";

/// Most signature lines a note may carry (C2SP signed-note: verifiers reject more than 100).
pub const MAX_SIGNATURES: usize = 100;

/// Ed25519 signature type byte of C2SP signed-note keys.
const ED25519_TYPE: u8 = 0x01;

/// The em dash that opens every signature line (U+2014).
const SIG_PREFIX: &str = "\u{2014} ";

/// A line of note text: non-empty and free of control characters.
fn check_text_line(line_no: usize, line: &str) -> Result<(), Error> {
    if line.is_empty() {
        return Err(Error::EmptyLine { line: line_no });
    }
    if line.chars().any(char::is_control) {
        return Err(Error::ControlCharacter { line: line_no });
    }
    Ok(())
}

/// Parses a `balances <64 lowercase hex>` extension line.
fn parse_balances(line_no: usize, line: &str) -> Result<Option<Hash>, Error> {
    let mut words = line.splitn(2, ' ');
    if words.next() != Some(BALANCES_EXTENSION) {
        return Ok(None);
    }
    let bad = || Error::InvalidBalancesExtension { line: line_no };
    let hex = words.next().ok_or_else(bad)?;
    if hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(bad());
    }
    hex.parse::<Hash>().map(Some).map_err(|_| bad())
}

/// A checkpoint: the C2SP `tlog-checkpoint` commitment to a tree head.
///
/// Text form (each line ends with `\n`, UTF-8, no control characters):
///
/// ```text
/// <origin>                      line 1: non-empty, names the log
/// <tree size>                   line 2: ASCII decimal, no sign, no leading zeros
/// <root hash>                   line 3: standard base64 (with padding) of the 32-byte root
/// <extension line>…             lines 4…: optional, non-empty, opaque
/// ```
///
/// This crate gives one extension a meaning: `balances <64 lowercase hex digits>` carries the
/// root of the [`BalanceTree`](super::BalanceTree) of all account balances at this tree size
/// (at most one such line).
///
/// # Invariants
/// `Checkpoint::parse(&cp.to_text()) == Ok(cp)` (`prop_checkpoint_text_round_trip`): every
/// value is validated at construction, so its text form is always well-formed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[doc(alias = "titik periksa")]
#[doc(alias = "laporan bulanan")]
pub struct Checkpoint {
    origin: String,
    size: u64,
    root: Hash,
    extensions: Vec<String>,
}

impl Checkpoint {
    /// A checkpoint of `head` for the log named `origin` (for example
    /// `"koperasi.example/kdmp-sukamaju/ledger"`).
    ///
    /// # Errors
    /// [`Error::EmptyLine`] or [`Error::ControlCharacter`] (line 1) for a bad origin.
    pub fn new(origin: impl Into<String>, head: TreeHead) -> Result<Checkpoint, Error> {
        let origin = origin.into();
        check_text_line(1, &origin)?;
        Ok(Checkpoint {
            origin,
            size: head.size,
            root: head.root,
            extensions: Vec::new(),
        })
    }

    /// Adds an extension line.
    ///
    /// # Errors
    /// [`Error::EmptyLine`] or [`Error::ControlCharacter`] for a bad line,
    /// [`Error::InvalidBalancesExtension`] for a malformed `balances` line and
    /// [`Error::DuplicateBalancesExtension`] for a second one; each names the line number it
    /// would have had.
    pub fn with_extension(mut self, line: impl Into<String>) -> Result<Checkpoint, Error> {
        let line = line.into();
        let line_no = self.extensions.len().saturating_add(4);
        check_text_line(line_no, &line)?;
        if parse_balances(line_no, &line)?.is_some() && self.balances_root().is_some() {
            return Err(Error::DuplicateBalancesExtension { line: line_no });
        }
        self.extensions.push(line);
        Ok(self)
    }

    /// Adds the `balances <hex>` extension line carrying a balance state root.
    ///
    /// # Errors
    /// [`Error::DuplicateBalancesExtension`] if there is one already.
    pub fn with_balances_root(self, state_root: Hash) -> Result<Checkpoint, Error> {
        self.with_extension(format!("{BALANCES_EXTENSION} {state_root}"))
    }

    /// The origin line.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The tree size.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root hash.
    pub fn root(&self) -> Hash {
        self.root
    }

    /// Size and root.
    pub fn tree_head(&self) -> TreeHead {
        TreeHead {
            size: self.size,
            root: self.root,
        }
    }

    /// The extension lines, in order.
    pub fn extensions(&self) -> &[String] {
        &self.extensions
    }

    /// The balance state root of the `balances` extension line, if present.
    pub fn balances_root(&self) -> Option<Hash> {
        self.extensions
            .iter()
            .find_map(|l| parse_balances(0, l).ok().flatten())
    }

    /// The checkpoint text (the note text that gets signed), ending with a newline.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root.0)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }

    /// Parses checkpoint text (not a signed note: see [`Checkpoint::verify_signed`] or
    /// [`Note::parse`]).
    ///
    /// # Errors
    /// With the 1-based line number: [`Error::MissingFinalNewline`],
    /// [`Error::MissingLine`], [`Error::EmptyLine`], [`Error::ControlCharacter`],
    /// [`Error::InvalidTreeSize`], [`Error::InvalidRootHash`],
    /// [`Error::InvalidBalancesExtension`], [`Error::DuplicateBalancesExtension`].
    pub fn parse(text: &str) -> Result<Checkpoint, Error> {
        let Some(body) = text.strip_suffix('\n') else {
            return Err(Error::MissingFinalNewline {
                line: text.split('\n').count(),
            });
        };
        let mut lines = body
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i.saturating_add(1), l));
        let mut next = |expected: &'static str, line: usize| {
            let (n, l) = lines.next().ok_or(Error::MissingLine { line, expected })?;
            check_text_line(n, l)?;
            Ok::<_, Error>((n, l))
        };
        let (_, origin) = next("origin", 1)?;
        let (n, size_text) = next("tree size", 2)?;
        let size = parse_size(size_text).ok_or_else(|| Error::InvalidTreeSize {
            line: n,
            text: size_text.to_owned(),
        })?;
        let (n, root_text) = next("root hash", 3)?;
        let root = B64
            .decode(root_text)
            .ok()
            .and_then(|v| <[u8; 32]>::try_from(v).ok())
            .ok_or(Error::InvalidRootHash { line: n })?;
        let mut cp = Checkpoint::new(
            origin,
            TreeHead {
                size,
                root: Hash(root),
            },
        )?;
        for (n, l) in lines {
            check_text_line(n, l)?;
            if parse_balances(n, l)?.is_some() && cp.balances_root().is_some() {
                return Err(Error::DuplicateBalancesExtension { line: n });
            }
            cp.extensions.push(l.to_owned());
        }
        Ok(cp)
    }

    /// Signs the checkpoint text as a C2SP signed note with one signature line.
    pub fn sign(&self, signer: &NoteSigner) -> String {
        let mut note = Note {
            text: self.to_text(),
            signatures: Vec::new(),
        };
        note.add_signature(signer);
        note.to_string()
    }

    /// Parses a signed checkpoint and verifies the signature of `verifier`'s key on it.
    /// Signatures by other keys are ignored.
    ///
    /// # Errors
    /// Anything [`Note::parse`], [`Note::verify`] or [`Checkpoint::parse`] reports.
    pub fn verify_signed(signed: &str, verifier: &NoteVerifier) -> Result<Checkpoint, Error> {
        let note = Note::parse(signed)?;
        note.verify(verifier)?;
        Checkpoint::parse(note.text())
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// Decimal without sign or leading zeros ("0" alone is fine).
fn parse_size(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

#[cfg(feature = "serde")]
mod serde_impl {
    use super::{Checkpoint, Hash, Note, NoteVerifier, TreeHead};

    /// A verifier serializes as its vkey string.
    impl serde::Serialize for NoteVerifier {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> serde::Deserialize<'de> for NoteVerifier {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<NoteVerifier, D::Error> {
            let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
            NoteVerifier::parse_vkey(&s).map_err(serde::de::Error::custom)
        }
    }

    /// A note serializes as its signed text.
    impl serde::Serialize for Note {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> serde::Deserialize<'de> for Note {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Note, D::Error> {
            let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
            Note::parse(&s).map_err(serde::de::Error::custom)
        }
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Repr {
        origin: String,
        size: u64,
        root: Hash,
        #[serde(default)]
        extensions: Vec<String>,
    }

    impl serde::Serialize for Checkpoint {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            Repr {
                origin: self.origin.clone(),
                size: self.size,
                root: self.root,
                extensions: self.extensions.clone(),
            }
            .serialize(s)
        }
    }

    impl<'de> serde::Deserialize<'de> for Checkpoint {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Checkpoint, D::Error> {
            let r = Repr::deserialize(d)?;
            let mut cp = Checkpoint::new(
                r.origin,
                TreeHead {
                    size: r.size,
                    root: r.root,
                },
            )
            .map_err(serde::de::Error::custom)?;
            for e in r.extensions {
                cp = cp.with_extension(e).map_err(serde::de::Error::custom)?;
            }
            Ok(cp)
        }
    }
}

/// A C2SP key name: non-empty, no whitespace, no control characters, no `+`.
fn check_key_name(name: &str) -> Result<(), Error> {
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '+')
    {
        return Err(Error::InvalidKeyName {
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[..4]` (C2SP signed-note key id for Ed25519).
fn key_id(name: &str, key: &VerifyingKey) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([0x0a, ED25519_TYPE]);
    h.update(key.as_bytes());
    let d: [u8; 32] = h.finalize().into();
    let [a, b, c, e, ..] = d;
    [a, b, c, e]
}

/// A named Ed25519 key that signs notes (the cooperative's checkpoint key).
///
/// Ed25519 signing is deterministic: no randomness is needed, the caller passes the key.
#[doc(alias = "tanda tangan")]
pub struct NoteSigner {
    name: String,
    key: SigningKey,
    id: [u8; 4],
}

impl fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .field("key_id", &hex::encode(self.id))
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A signer named `name` (for example `"kdmp-sukamaju"`).
    ///
    /// # Errors
    /// [`Error::InvalidKeyName`] if the name is empty or has whitespace, control characters
    /// or `+`.
    pub fn new(name: impl Into<String>, key: SigningKey) -> Result<NoteSigner, Error> {
        let name = name.into();
        check_key_name(&name)?;
        let id = key_id(&name, &key.verifying_key());
        Ok(NoteSigner { name, key, id })
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The matching verifier (give its [`NoteVerifier::to_vkey`] string to the city office).
    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            key: self.key.verifying_key(),
            id: self.id,
        }
    }
}

/// A named Ed25519 public key that verifies notes.
///
/// Its C2SP `vkey` text form is `<name>+<8 hex digits of key id>+<base64(0x01 ‖ public key)>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(alias = "kunci publik")]
pub struct NoteVerifier {
    name: String,
    key: VerifyingKey,
    id: [u8; 4],
}

impl NoteVerifier {
    /// A verifier named `name`.
    ///
    /// # Errors
    /// [`Error::InvalidKeyName`] for a bad name.
    pub fn new(name: impl Into<String>, key: VerifyingKey) -> Result<NoteVerifier, Error> {
        let name = name.into();
        check_key_name(&name)?;
        let id = key_id(&name, &key);
        Ok(NoteVerifier { name, key, id })
    }

    /// Parses a C2SP `vkey` string.
    ///
    /// # Errors
    /// [`Error::InvalidKeyName`] for a bad name, [`Error::InvalidVerifierKey`] saying what is
    /// wrong otherwise (shape, key id, key type, key bytes, id mismatch).
    pub fn parse_vkey(vkey: &str) -> Result<NoteVerifier, Error> {
        let bad = |reason: &'static str| Error::InvalidVerifierKey { reason };
        let mut parts = vkey.splitn(3, '+');
        let (Some(name), Some(id_hex), Some(key_b64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("expected <name>+<key id>+<key>"));
        };
        check_key_name(name)?;
        let mut id = [0u8; 4];
        if id_hex.len() != 8 || hex::decode_to_slice(id_hex, &mut id).is_err() {
            return Err(bad("key id is not 8 hex digits"));
        }
        let raw = B64.decode(key_b64).map_err(|_| bad("key is not base64"))?;
        let Some((&ty, key)) = raw.split_first() else {
            return Err(bad("key is empty"));
        };
        if ty != ED25519_TYPE {
            return Err(bad("key type is not Ed25519 (0x01)"));
        }
        let key = <[u8; 32]>::try_from(key).map_err(|_| bad("Ed25519 key is not 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| bad("not a valid Ed25519 key"))?;
        let v = NoteVerifier::new(name, key)?;
        if v.id != id {
            return Err(bad("key id does not match name and key"));
        }
        Ok(v)
    }

    /// The C2SP `vkey` string.
    pub fn to_vkey(&self) -> String {
        let mut raw = Vec::with_capacity(33);
        raw.push(ED25519_TYPE);
        raw.extend_from_slice(self.key.as_bytes());
        format!("{}+{}+{}", self.name, hex::encode(self.id), B64.encode(raw))
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 4-byte key id.
    pub fn key_id(&self) -> [u8; 4] {
        self.id
    }

    /// The Ed25519 public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }
}

impl FromStr for NoteVerifier {
    type Err = Error;

    fn from_str(s: &str) -> Result<NoteVerifier, Error> {
        NoteVerifier::parse_vkey(s)
    }
}

impl fmt::Display for NoteVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_vkey())
    }
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NoteSignature {
    /// The key name.
    pub key_name: String,
    /// The 4-byte key id.
    pub key_id: [u8; 4],
    /// The signature bytes (64 for Ed25519).
    pub signature: Vec<u8>,
    /// 1-based line number in the signed note.
    pub line: usize,
}

/// A C2SP signed note: text, a blank line, then signature lines
/// `— <key name> <base64(key id ‖ signature)>`. The signature covers the text including its
/// final newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    signatures: Vec<NoteSignature>,
}

impl Note {
    /// An unsigned note over `text`.
    ///
    /// # Errors
    /// [`Error::MissingFinalNewline`] unless the text ends with a newline,
    /// [`Error::EmptyLine`] for an empty text, [`Error::ControlCharacter`] for a control
    /// character other than newline.
    pub fn new(text: impl Into<String>) -> Result<Note, Error> {
        let text = text.into();
        check_note_text(&text)?;
        Ok(Note {
            text,
            signatures: Vec::new(),
        })
    }

    /// Parses a signed note (signatures are not checked: see [`Note::verify`]).
    ///
    /// # Errors
    /// [`Error::NotSignedNote`] without a blank line followed by signature lines,
    /// [`Error::InvalidSignatureLine`] for a malformed signature line (with its number),
    /// [`Error::TooManySignatures`] above [`MAX_SIGNATURES`], and the errors of
    /// [`Note::new`] for the text.
    pub fn parse(signed: &str) -> Result<Note, Error> {
        let Some(split) = signed.rfind("\n\n") else {
            return Err(Error::NotSignedNote);
        };
        let (text, rest) = signed.split_at(split.saturating_add(1));
        let block = rest.strip_prefix('\n').ok_or(Error::NotSignedNote)?;
        check_note_text(text)?;
        let first_line = text.matches('\n').count().saturating_add(2);
        if block.is_empty() {
            return Err(Error::NotSignedNote);
        }
        let Some(block) = block.strip_suffix('\n') else {
            let line = first_line.saturating_add(block.matches('\n').count());
            return Err(Error::MissingFinalNewline { line });
        };
        if block.is_empty() {
            return Err(Error::NotSignedNote);
        }
        let mut signatures = Vec::new();
        for (i, l) in block.split('\n').enumerate() {
            let line = first_line.saturating_add(i);
            if signatures.len() >= MAX_SIGNATURES {
                return Err(Error::TooManySignatures {
                    max: MAX_SIGNATURES,
                });
            }
            signatures.push(parse_signature_line(line, l)?);
        }
        Ok(Note {
            text: text.to_owned(),
            signatures,
        })
    }

    /// The note text (ends with a newline).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The signature lines, in order.
    pub fn signatures(&self) -> &[NoteSignature] {
        &self.signatures
    }

    /// Adds a signature by `signer` (for example a witness co-signing a checkpoint).
    pub fn add_signature(&mut self, signer: &NoteSigner) {
        let sig = signer.key.sign(self.text.as_bytes());
        let line = self
            .text
            .matches('\n')
            .count()
            .saturating_add(2)
            .saturating_add(self.signatures.len());
        self.signatures.push(NoteSignature {
            key_name: signer.name.clone(),
            key_id: signer.id,
            signature: sig.to_bytes().to_vec(),
            line,
        });
    }

    /// Checks the signature of `verifier`'s key (same name and key id); other signatures are
    /// ignored.
    ///
    /// # Errors
    /// [`Error::NoMatchingSignature`] if no line is from that key, [`Error::BadSignature`]
    /// (with the line) if a line from that key does not verify.
    pub fn verify(&self, verifier: &NoteVerifier) -> Result<(), Error> {
        let mut found = false;
        for s in &self.signatures {
            if s.key_name != verifier.name || s.key_id != verifier.id {
                continue;
            }
            found = true;
            let bad = || Error::BadSignature {
                line: s.line,
                key_name: s.key_name.clone(),
            };
            let sig = Signature::from_slice(&s.signature).map_err(|_| bad())?;
            verifier
                .key
                .verify_strict(self.text.as_bytes(), &sig)
                .map_err(|_| bad())?;
        }
        if !found {
            return Err(Error::NoMatchingSignature {
                key_name: verifier.name.clone(),
            });
        }
        Ok(())
    }
}

impl fmt::Display for Note {
    /// The signed-note text: text, blank line, one line per signature.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        f.write_str("\n")?;
        for s in &self.signatures {
            let mut raw = Vec::with_capacity(s.signature.len().saturating_add(4));
            raw.extend_from_slice(&s.key_id);
            raw.extend_from_slice(&s.signature);
            writeln!(f, "{SIG_PREFIX}{} {}", s.key_name, B64.encode(raw))?;
        }
        Ok(())
    }
}

fn check_note_text(text: &str) -> Result<(), Error> {
    if text.is_empty() {
        return Err(Error::EmptyLine { line: 1 });
    }
    let Some(body) = text.strip_suffix('\n') else {
        return Err(Error::MissingFinalNewline {
            line: text.split('\n').count(),
        });
    };
    for (i, l) in body.split('\n').enumerate() {
        if l.chars().any(char::is_control) {
            return Err(Error::ControlCharacter {
                line: i.saturating_add(1),
            });
        }
    }
    Ok(())
}

fn parse_signature_line(line: usize, l: &str) -> Result<NoteSignature, Error> {
    let bad = |reason: &'static str| Error::InvalidSignatureLine { line, reason };
    let rest = l
        .strip_prefix(SIG_PREFIX)
        .ok_or_else(|| bad("does not start with \"— \""))?;
    let (name, b64) = rest
        .split_once(' ')
        .ok_or_else(|| bad("missing space after key name"))?;
    if check_key_name(name).is_err() {
        return Err(bad("invalid key name"));
    }
    let raw = B64
        .decode(b64)
        .map_err(|_| bad("signature is not base64"))?;
    if raw.len() < 5 {
        return Err(bad("signature shorter than key id plus one byte"));
    }
    let (id, sig) = raw.split_at(4);
    let key_id = <[u8; 4]>::try_from(id).map_err(|_| bad("missing key id"))?;
    Ok(NoteSignature {
        key_name: name.to_owned(),
        key_id,
        signature: sig.to_vec(),
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn signer(name: &str, seed: u8) -> NoteSigner {
        NoteSigner::new(name, SigningKey::from_bytes(&[seed; 32])).unwrap()
    }

    fn sample() -> Checkpoint {
        Checkpoint::new(
            "koperasi.example/kdmp-sukamaju/ledger",
            TreeHead {
                size: 1234,
                root: Hash::of_leaf(b"x"),
            },
        )
        .unwrap()
    }

    #[test]
    fn go_note_known_answer() {
        // The example of golang.org/x/mod/sumdb/note (C2SP signed-note's reference code).
        let skey = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
        let raw = B64.decode(skey).unwrap();
        assert_eq!(raw[0], 1);
        let seed: [u8; 32] = raw[1..].try_into().unwrap();
        let s = NoteSigner::new("PeterNeumann", SigningKey::from_bytes(&seed)).unwrap();
        let vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
        assert_eq!(s.verifier().to_vkey(), vkey);
        let v = NoteVerifier::parse_vkey(vkey).unwrap();
        assert_eq!(v, s.verifier());
        let text = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
        let signed = format!(
            "{text}\n\u{2014} PeterNeumann \
             x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        );
        let note = Note::parse(&signed).unwrap();
        assert_eq!(note.text(), text);
        note.verify(&v).unwrap();
        let mut mine = Note::new(text).unwrap();
        mine.add_signature(&s);
        assert_eq!(mine.to_string(), signed);
    }

    #[test]
    fn text_format() {
        let cp = sample().with_extension("note bulan Juni 2026").unwrap();
        let root_b64 = B64.encode(Hash::of_leaf(b"x").0);
        assert_eq!(
            cp.to_text(),
            format!(
                "koperasi.example/kdmp-sukamaju/ledger\n1234\n{root_b64}\nnote bulan Juni 2026\n"
            )
        );
        assert_eq!(Checkpoint::parse(&cp.to_text()).unwrap(), cp);
        assert_eq!(cp.to_string(), cp.to_text());
        assert_eq!(
            cp.tree_head(),
            TreeHead {
                size: 1234,
                root: Hash::of_leaf(b"x")
            }
        );
        assert_eq!(cp.origin(), "koperasi.example/kdmp-sukamaju/ledger");
        assert_eq!(cp.extensions(), ["note bulan Juni 2026"]);
        assert_eq!(cp.balances_root(), None);
        let with_bal = cp.with_balances_root(Hash::EMPTY_TREE).unwrap();
        assert_eq!(with_bal.balances_root(), Some(Hash::EMPTY_TREE));
        assert!(
            with_bal
                .to_text()
                .ends_with(&format!("\nbalances {}\n", Hash::EMPTY_TREE))
        );
    }

    #[test]
    fn sign_and_verify() {
        let coop = signer("kdmp-sukamaju", 7);
        let witness = signer("dinas-koperasi-kota", 9);
        let cp = sample()
            .with_balances_root(Hash::of_leaf(b"saldo"))
            .unwrap();
        let signed = cp.sign(&coop);
        assert_eq!(
            Checkpoint::verify_signed(&signed, &coop.verifier()).unwrap(),
            cp
        );
        // Co-signing keeps the first signature valid; unknown keys are ignored.
        let mut note = Note::parse(&signed).unwrap();
        note.add_signature(&witness);
        let both = note.to_string();
        assert_eq!(
            Checkpoint::verify_signed(&both, &coop.verifier()).unwrap(),
            cp
        );
        assert_eq!(
            Checkpoint::verify_signed(&both, &witness.verifier()).unwrap(),
            cp
        );
        assert_eq!(Note::parse(&both).unwrap().signatures()[1].line, 7);
        // Wrong key.
        assert_eq!(
            Checkpoint::verify_signed(&signed, &witness.verifier()),
            Err(Error::NoMatchingSignature {
                key_name: "dinas-koperasi-kota".into()
            })
        );
        // Same name, other key: different key id, so not matching either.
        let impostor = signer("kdmp-sukamaju", 8);
        assert!(matches!(
            Checkpoint::verify_signed(&signed, &impostor.verifier()),
            Err(Error::NoMatchingSignature { .. })
        ));
        // Tampered text.
        let tampered = signed.replacen("1234", "1235", 1);
        assert_eq!(
            Checkpoint::verify_signed(&tampered, &coop.verifier()),
            Err(Error::BadSignature {
                line: 6,
                key_name: "kdmp-sukamaju".into()
            })
        );
        // A matching line whose signature has the wrong length.
        let short = format!(
            "{}\n\u{2014} kdmp-sukamaju {}\n",
            cp.to_text(),
            B64.encode([coop.verifier().key_id().as_slice(), &[1, 2, 3]].concat())
        );
        assert!(matches!(
            Checkpoint::verify_signed(&short, &coop.verifier()),
            Err(Error::BadSignature { line: 6, .. })
        ));
        assert!(format!("{coop:?}").contains("kdmp-sukamaju"));
        assert_eq!(coop.name(), "kdmp-sukamaju");
        let v = coop.verifier();
        assert_eq!(v.name(), "kdmp-sukamaju");
        assert_eq!(
            v.verifying_key(),
            &SigningKey::from_bytes(&[7; 32]).verifying_key()
        );
        assert_eq!(v.to_string().parse::<NoteVerifier>().unwrap(), v);
        assert_eq!(
            NoteVerifier::new("kdmp-sukamaju", *v.verifying_key()).unwrap(),
            v
        );
    }

    #[test]
    fn checkpoint_parse_errors() {
        let root = B64.encode([0u8; 32]);
        let cases: Vec<(String, Error)> = vec![
            ("o\n1\nAAAA".into(), Error::MissingFinalNewline { line: 3 }),
            (
                "o\n".into(),
                Error::MissingLine {
                    line: 2,
                    expected: "tree size",
                },
            ),
            (
                "o\n1\n".into(),
                Error::MissingLine {
                    line: 3,
                    expected: "root hash",
                },
            ),
            (format!("\n1\n{root}\n"), Error::EmptyLine { line: 1 }),
            (format!("o\n1\n{root}\n\n"), Error::EmptyLine { line: 4 }),
            (
                format!("o\t\n1\n{root}\n"),
                Error::ControlCharacter { line: 1 },
            ),
            (
                format!("o\n01\n{root}\n"),
                Error::InvalidTreeSize {
                    line: 2,
                    text: "01".into(),
                },
            ),
            (
                format!("o\n+1\n{root}\n"),
                Error::InvalidTreeSize {
                    line: 2,
                    text: "+1".into(),
                },
            ),
            (
                format!("o\n99999999999999999999\n{root}\n"),
                Error::InvalidTreeSize {
                    line: 2,
                    text: "99999999999999999999".into(),
                },
            ),
            ("o\n1\nAAAA\n".into(), Error::InvalidRootHash { line: 3 }),
            ("o\n1\n!!!\n".into(), Error::InvalidRootHash { line: 3 }),
            (
                format!("o\n1\n{root}\nbalances 12\n"),
                Error::InvalidBalancesExtension { line: 4 },
            ),
            (
                format!("o\n1\n{root}\nbalances\n"),
                Error::InvalidBalancesExtension { line: 4 },
            ),
            (
                format!(
                    "o\n1\n{root}\nbalances {}\n",
                    Hash::EMPTY_TREE.to_string().to_uppercase()
                ),
                Error::InvalidBalancesExtension { line: 4 },
            ),
            (
                format!(
                    "o\n1\n{root}\nx\nbalances {h}\nbalances {h}\n",
                    h = Hash::EMPTY_TREE
                ),
                Error::DuplicateBalancesExtension { line: 6 },
            ),
        ];
        for (text, err) in cases {
            assert_eq!(Checkpoint::parse(&text), Err(err), "{text:?}");
        }
        assert_eq!(
            sample().with_extension(""),
            Err(Error::EmptyLine { line: 4 })
        );
        assert_eq!(
            sample().with_extension("a").unwrap().with_extension("b\nc"),
            Err(Error::ControlCharacter { line: 5 })
        );
        assert_eq!(
            sample()
                .with_balances_root(Hash::EMPTY_TREE)
                .unwrap()
                .with_balances_root(Hash::EMPTY_TREE),
            Err(Error::DuplicateBalancesExtension { line: 5 })
        );
        assert_eq!(
            Checkpoint::new("", TreeHead::EMPTY),
            Err(Error::EmptyLine { line: 1 })
        );
    }

    #[test]
    fn note_errors() {
        let cp = sample().to_text();
        let s = signer("kdmp", 1);
        let good = sample().sign(&s);
        assert_eq!(Note::parse(&cp), Err(Error::NotSignedNote));
        assert_eq!(Note::parse(&format!("{cp}\n")), Err(Error::NotSignedNote));
        assert_eq!(
            Note::parse(good.trim_end_matches('\n')),
            Err(Error::MissingFinalNewline { line: 5 })
        );
        assert_eq!(
            Note::parse(&format!("{cp}\n- kdmp AAAAAAAA\n")),
            Err(Error::InvalidSignatureLine {
                line: 5,
                reason: "does not start with \"— \""
            })
        );
        assert_eq!(
            Note::parse(&format!("{cp}\n\u{2014} kdmp\n")),
            Err(Error::InvalidSignatureLine {
                line: 5,
                reason: "missing space after key name"
            })
        );
        assert_eq!(
            Note::parse(&format!("{cp}\n\u{2014} kd+mp AAAAAAAA\n")),
            Err(Error::InvalidSignatureLine {
                line: 5,
                reason: "invalid key name"
            })
        );
        assert_eq!(
            Note::parse(&format!("{cp}\n\u{2014} kdmp ***\n")),
            Err(Error::InvalidSignatureLine {
                line: 5,
                reason: "signature is not base64"
            })
        );
        assert_eq!(
            Note::parse(&format!("{cp}\n\u{2014} kdmp AAAA\n")),
            Err(Error::InvalidSignatureLine {
                line: 5,
                reason: "signature shorter than key id plus one byte"
            })
        );
        let sig_line = good.lines().last().unwrap();
        let many = format!(
            "{cp}\n{}",
            format!("{sig_line}\n").repeat(MAX_SIGNATURES + 1)
        );
        assert_eq!(
            Note::parse(&many),
            Err(Error::TooManySignatures {
                max: MAX_SIGNATURES
            })
        );
        let exactly = format!("{cp}\n{}", format!("{sig_line}\n").repeat(MAX_SIGNATURES));
        assert_eq!(
            Note::parse(&exactly).unwrap().signatures().len(),
            MAX_SIGNATURES
        );
        assert_eq!(Note::new(""), Err(Error::EmptyLine { line: 1 }));
        assert_eq!(
            Note::new("a\nb"),
            Err(Error::MissingFinalNewline { line: 2 })
        );
        assert_eq!(
            Note::new("a\nb\u{7}\n"),
            Err(Error::ControlCharacter { line: 2 })
        );
        assert_eq!(
            Note::parse(&format!("a\u{0}\n\n{sig_line}\n")),
            Err(Error::ControlCharacter { line: 1 })
        );
    }

    #[test]
    fn key_errors() {
        let key = SigningKey::from_bytes(&[3; 32]);
        for name in ["", "a b", "a+b", "a\nb"] {
            assert_eq!(
                NoteSigner::new(name, key.clone()).unwrap_err(),
                Error::InvalidKeyName { name: name.into() }
            );
            assert_eq!(
                NoteVerifier::new(name, key.verifying_key()),
                Err(Error::InvalidKeyName { name: name.into() })
            );
        }
        let v = NoteSigner::new("kdmp", key).unwrap().verifier().to_vkey();
        let (name, rest) = v.split_once('+').unwrap();
        let (id, k) = rest.split_once('+').unwrap();
        let bad = |reason| Err(Error::InvalidVerifierKey { reason });
        assert_eq!(
            NoteVerifier::parse_vkey("kdmp"),
            bad("expected <name>+<key id>+<key>")
        );
        assert_eq!(
            NoteVerifier::parse_vkey(&format!(" {name}+{id}+{k}")),
            Err(Error::InvalidKeyName {
                name: format!(" {name}")
            })
        );
        assert_eq!(
            NoteVerifier::parse_vkey(&format!("{name}+zz+{k}")),
            bad("key id is not 8 hex digits")
        );
        assert_eq!(
            NoteVerifier::parse_vkey(&format!("{name}+{id}+***")),
            bad("key is not base64")
        );
        assert_eq!(
            NoteVerifier::parse_vkey(&format!("{name}+{id}+")),
            bad("key is empty")
        );
        let mut raw = B64.decode(k).unwrap();
        raw[0] = 2;
        assert_eq!(
            NoteVerifier::parse_vkey(&format!("{name}+{id}+{}", B64.encode(&raw))),
            bad("key type is not Ed25519 (0x01)")
        );
        assert_eq!(
            NoteVerifier::parse_vkey(&format!("{name}+{id}+{}", B64.encode([1u8, 2, 3]))),
            bad("Ed25519 key is not 32 bytes")
        );
        // y = 2 is not the encoding of a curve point.
        let mut not_point = [0u8; 33];
        not_point[0] = 1;
        not_point[1] = 2;
        assert_eq!(
            NoteVerifier::parse_vkey(&format!("{name}+{id}+{}", B64.encode(not_point))),
            bad("not a valid Ed25519 key")
        );
        assert_eq!(
            NoteVerifier::parse_vkey(&format!("other+{id}+{k}")),
            bad("key id does not match name and key")
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_checks_fields() {
        let cp = sample().with_balances_root(Hash::EMPTY_TREE).unwrap();
        let json = serde_json::to_string(&cp).unwrap();
        assert_eq!(serde_json::from_str::<Checkpoint>(&json).unwrap(), cp);
        let bad = json.replace("koperasi.example/kdmp-sukamaju/ledger", "");
        assert!(serde_json::from_str::<Checkpoint>(&bad).is_err());
        let bad_ext = json.replace("balances ", "balances x");
        assert!(serde_json::from_str::<Checkpoint>(&bad_ext).is_err());

        let s = signer("kdmp", 2);
        let v = s.verifier();
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, format!("\"{}\"", v.to_vkey()));
        assert_eq!(serde_json::from_str::<NoteVerifier>(&json).unwrap(), v);
        assert!(serde_json::from_str::<NoteVerifier>("\"kdmp+00+AA==\"").is_err());
        let note = Note::parse(&cp.sign(&s)).unwrap();
        let json = serde_json::to_string(&note).unwrap();
        assert_eq!(serde_json::from_str::<Note>(&json).unwrap(), note);
        assert!(serde_json::from_str::<Note>("\"no signatures\\n\"").is_err());
        let sig = &note.signatures()[0];
        let json = serde_json::to_string(sig).unwrap();
        assert_eq!(&serde_json::from_str::<NoteSignature>(&json).unwrap(), sig);
    }

    proptest! {
        #[test]
        fn prop_checkpoint_text_round_trip(
            origin in "[a-z0-9./ -]{1,40}",
            size in any::<u64>(),
            root in any::<[u8; 32]>(),
            extensions in prop::collection::vec("[\\PC]{1,30}", 0..4),
            balances in prop::option::of(any::<[u8; 32]>()),
        ) {
            let mut cp = Checkpoint::new(origin, TreeHead { size, root: Hash(root) }).unwrap();
            for e in extensions {
                if let Ok(next) = cp.clone().with_extension(e) {
                    cp = next;
                }
            }
            if let Some(Ok(next)) = balances.map(|b| cp.clone().with_balances_root(Hash(b))) {
                cp = next;
            }
            let text = cp.to_text();
            prop_assert_eq!(Checkpoint::parse(&text).unwrap(), cp);
        }
    }

    proptest! {
        // Ed25519 is slow in unoptimised test builds: fewer cases.
        #![proptest_config(ProptestConfig::with_cases(16))]
        #[test]
        fn prop_signed_checkpoint_round_trip(
            size in any::<u64>(),
            root in any::<[u8; 32]>(),
            seed in any::<[u8; 32]>(),
        ) {
            let cp = Checkpoint::new("kdmp", TreeHead { size, root: Hash(root) }).unwrap();
            let s = NoteSigner::new("kdmp-sukamaju", SigningKey::from_bytes(&seed)).unwrap();
            prop_assert_eq!(Checkpoint::verify_signed(&cp.sign(&s), &s.verifier()).unwrap(), cp);
        }
    }
}

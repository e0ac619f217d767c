//! The [`Hash`](struct@Hash) newtype and the RFC 6962 hashing primitives.

use core::fmt;
use core::str::FromStr;

use sha2::{Digest, Sha256};

use super::Error;

/// A SHA-256 digest: a leaf hash, a node hash or a tree root.
///
/// Displayed and parsed as 64 lowercase hex digits (parsing also accepts uppercase). With the
/// `serde` feature it serializes as that hex string.
///
/// ```
/// use koperasi_ledger::audit::Hash;
///
/// let empty = Hash::EMPTY_TREE;
/// assert_eq!(
///     empty.to_string(),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// assert_eq!(empty.to_string().parse::<Hash>()?, empty);
/// # Ok::<(), koperasi_ledger::audit::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[doc(alias = "hash akar")]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The root of the empty tree: `SHA-256("")` (RFC 6962 §2.1).
    pub const EMPTY_TREE: Hash = Hash([
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9,
        0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52,
        0xb8, 0x55,
    ]);

    /// Wraps 32 raw bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Hash {
        Hash(bytes)
    }

    /// The 32 raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The RFC 6962 leaf hash: `SHA-256(0x00 ‖ leaf)`.
    pub fn of_leaf(leaf: &[u8]) -> Hash {
        let mut h = Sha256::new();
        h.update([0x00]);
        h.update(leaf);
        Hash(h.finalize().into())
    }

    /// [`Hash::of_leaf`] of `bytes[1..]`, given `bytes` that already start with the `0x00`
    /// leaf prefix (saves copying the leaf behind the prefix).
    pub(crate) fn of_prefixed_leaf(bytes: &[u8]) -> Hash {
        debug_assert_eq!(bytes.first(), Some(&0x00));
        Hash(Sha256::digest(bytes).into())
    }

    /// The RFC 6962 interior node hash: `SHA-256(0x01 ‖ left ‖ right)`.
    pub fn of_node(left: &Hash, right: &Hash) -> Hash {
        let mut h = Sha256::new();
        h.update([0x01]);
        h.update(left.0);
        h.update(right.0);
        Hash(h.finalize().into())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 64];
        // Cannot fail: the buffer is exactly twice the input length.
        if hex::encode_to_slice(self.0, &mut buf).is_err() {
            return Err(fmt::Error);
        }
        f.write_str(core::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

impl FromStr for Hash {
    type Err = Error;

    /// Parses 64 hex digits.
    ///
    /// # Errors
    /// [`Error::HashLength`] unless the text is 64 characters long, [`Error::HashCharacter`]
    /// at the first non-hex character.
    fn from_str(s: &str) -> Result<Hash, Error> {
        if s.len() != 64 {
            return Err(Error::HashLength { found: s.len() });
        }
        if let Some(position) = s.bytes().position(|b| !b.is_ascii_hexdigit()) {
            return Err(Error::HashCharacter { position });
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| Error::HashLength { found: s.len() })?;
        Ok(Hash(out))
    }
}

impl From<[u8; 32]> for Hash {
    fn from(bytes: [u8; 32]) -> Hash {
        Hash(bytes)
    }
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Hash, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Hash;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SHA-256 hash as 64 hex digits")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Hash, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_tree_is_sha256_of_nothing() {
        assert_eq!(Hash(Sha256::digest(b"").into()), Hash::EMPTY_TREE);
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let h = Hash::of_leaf(b"kas");
        assert_eq!(h.to_string().parse::<Hash>().unwrap(), h);
        assert_eq!(h.to_string().to_uppercase().parse::<Hash>().unwrap(), h);
        assert_eq!("abc".parse::<Hash>(), Err(Error::HashLength { found: 3 }));
        let mut bad = h.to_string();
        bad.replace_range(10..11, "g");
        assert_eq!(
            bad.parse::<Hash>(),
            Err(Error::HashCharacter { position: 10 })
        );
        assert_eq!(format!("{h:?}"), format!("Hash({h})"));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_as_hex() {
        let h = Hash::of_leaf(b"kas");
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, format!("\"{h}\""));
        assert_eq!(serde_json::from_str::<Hash>(&json).unwrap(), h);
        assert!(serde_json::from_str::<Hash>("\"zz\"").is_err());
    }
}

//! A small, fast, non-cryptographic hasher for in-memory indexes (keys are entry ids, member
//! ids and account codes chosen by the embedder, never by an attacker over a network; the
//! index is rebuilt on load).

use core::hash::{BuildHasherDefault, Hasher};
use std::collections::HashMap;

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// A rustc-hash style multiply-add hasher with a murmur3 finalizer.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fx(u64);

impl Fx {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = self.0.wrapping_add(x).wrapping_mul(K);
    }
}

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            for (d, s) in b.iter_mut().zip(rest) {
                *d = *s;
            }
            self.add(u64::from_le_bytes(b) ^ 0xff);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    /// The state through murmur3's 64-bit finalizer, so that inputs differing only in their
    /// high bits (big-endian UUIDs of sequential numbers) still spread over the low bits that
    /// pick a bucket.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// A `HashMap` with the [`Fx`] hasher.
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// An index from entry ids to positions, split into 256 shards so that growing it rehashes
/// one small (cache-resident) table at a time instead of one table of millions of entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdIndex {
    shards: Vec<FxMap<koperasi_core::EntryId, u32>>,
}

const SHARDS: usize = 256;

impl Default for IdIndex {
    fn default() -> Self {
        IdIndex {
            shards: vec![FxMap::default(); SHARDS],
        }
    }
}

impl IdIndex {
    /// The shard of an id: bits 48..56 of its hash, which the shard's own table does not use
    /// for bucket selection (low bits) or tags (top 7 bits).
    #[inline]
    fn shard(id: &koperasi_core::EntryId) -> usize {
        use core::hash::{BuildHasher, BuildHasherDefault};
        let h = BuildHasherDefault::<Fx>::default().hash_one(id);
        usize::from(h.to_be_bytes().get(1).copied().unwrap_or(0))
    }

    #[inline]
    pub(crate) fn get(&self, id: &koperasi_core::EntryId) -> Option<&u32> {
        self.shards.get(Self::shard(id)).and_then(|m| m.get(id))
    }

    #[inline]
    pub(crate) fn insert(&mut self, id: koperasi_core::EntryId, idx: u32) {
        if let Some(m) = self.shards.get_mut(Self::shard(&id)) {
            m.insert(id, idx);
        }
    }

    pub(crate) fn reserve(&mut self, additional: usize) {
        let per = additional.div_ceil(SHARDS);
        for m in &mut self.shards {
            m.reserve(per);
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.shards
            .iter()
            .map(std::collections::HashMap::capacity)
            .sum()
    }
}

//! In-memory indexes: a fast, non-cryptographic hasher (keys are entry ids, member ids and
//! account codes chosen by the embedder, never by an attacker over a network; the index is
//! rebuilt on load).

use std::collections::HashMap;

/// A `HashMap` with foldhash's quality, fixed-seed hasher (deterministic across runs; every input
/// bit reaches the bucket bits, so sequential big-endian UUIDs spread well).
pub(crate) type FxMap<K, V> = HashMap<K, V, foldhash::quality::FixedState>;

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
        use core::hash::BuildHasher;
        let h = foldhash::quality::FixedState::default().hash_one(id);
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

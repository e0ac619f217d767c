//! In-memory indexes: a fast, non-cryptographic hasher (keys are entry ids, member ids and
//! account codes chosen by the embedder, never by an attacker over a network; the index is
//! rebuilt on load).

use std::collections::HashMap;

/// A `HashMap` with foldhash's quality, fixed-seed hasher (deterministic across runs; every input
/// bit reaches the bucket bits, so sequential big-endian UUIDs spread well).
pub(crate) type FxMap<K, V> = HashMap<K, V, foldhash::quality::FixedState>;

/// An index from entry ids to positions.
///
/// Ids are usually minted in increasing order (UUID v7 is time-ordered; sequential ids in
/// imports and tests), so an id larger than every earlier one is appended to a sorted vector:
/// no hashing, no random memory access, and a new id is known to be absent after one
/// comparison with the largest. Any other id goes to a hash map ([`ShardedIdMap`]). Every id
/// is in exactly one of the two; `prop_id_index_matches_hash_map` checks the index against a
/// plain `HashMap`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct IdIndex {
    /// Ids each larger than all earlier ids, hence ascending, with their positions.
    ascending: Vec<(koperasi_core::EntryId, u32)>,
    /// Every other id.
    others: ShardedIdMap,
}

impl IdIndex {
    #[inline]
    pub(crate) fn get(&self, id: &koperasi_core::EntryId) -> Option<&u32> {
        match self.ascending.last() {
            // Larger than the largest: posted nowhere (the map only holds smaller ids).
            Some((max, _)) if id > max => return None,
            None => return self.others.get(id),
            Some(_) => {}
        }
        if let Ok(i) = self.ascending.binary_search_by(|(k, _)| k.cmp(id)) {
            return self.ascending.get(i).map(|(_, v)| v);
        }
        self.others.get(id)
    }

    /// Adds `id` (which must not be present) at position `idx`.
    #[inline]
    pub(crate) fn insert(&mut self, id: koperasi_core::EntryId, idx: u32) {
        if self.ascending.last().is_none_or(|(max, _)| id > *max) {
            self.ascending.push((id, idx));
        } else {
            self.others.insert(id, idx);
        }
    }

    /// Room for `additional` more ids in increasing order.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.ascending.reserve(additional);
    }

    /// Heap bytes held, from capacities.
    pub(crate) fn heap_bytes(&self) -> usize {
        let entry = core::mem::size_of::<(koperasi_core::EntryId, u32)>();
        self.ascending
            .capacity()
            .saturating_mul(entry)
            .saturating_add(
                self.others
                    .capacity()
                    .saturating_mul(entry.saturating_add(1)),
            )
    }
}

/// A hash map from entry ids to positions, split into 256 shards so that growing it rehashes
/// one small (cache-resident) table at a time instead of one table of millions of entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShardedIdMap {
    shards: Vec<FxMap<koperasi_core::EntryId, u32>>,
}

const SHARDS: usize = 256;

impl Default for ShardedIdMap {
    fn default() -> Self {
        ShardedIdMap {
            shards: vec![FxMap::default(); SHARDS],
        }
    }
}

impl ShardedIdMap {
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

    pub(crate) fn capacity(&self) -> usize {
        self.shards
            .iter()
            .map(std::collections::HashMap::capacity)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use koperasi_core::EntryId;
    use proptest::prelude::*;

    use super::IdIndex;

    proptest! {
        /// The index answers like a plain `HashMap` for any mix of increasing, repeated-range
        /// and random ids, looked up before and after insertion.
        #[test]
        fn prop_id_index_matches_hash_map(
            ops in proptest::collection::vec((0u8..3, 0u128..64, any::<u128>()), 0..400),
        ) {
            let mut index = IdIndex::default();
            let mut reference: HashMap<EntryId, u32> = HashMap::new();
            let mut next = 0u128;
            for (pos, (kind, small, random)) in ops.into_iter().enumerate() {
                let id = EntryId::from_u128(match kind {
                    0 => { next += 1 + small; next }
                    1 => small,
                    _ => random,
                });
                prop_assert_eq!(index.get(&id), reference.get(&id));
                if let std::collections::hash_map::Entry::Vacant(slot) = reference.entry(id) {
                    let pos = u32::try_from(pos).unwrap();
                    index.insert(id, pos);
                    slot.insert(pos);
                }
                prop_assert_eq!(index.get(&id), reference.get(&id));
            }
            for (id, pos) in &reference {
                prop_assert_eq!(index.get(id), Some(pos));
            }
            for probe in 0u128..80 {
                let id = EntryId::from_u128(probe);
                prop_assert_eq!(index.get(&id), reference.get(&id));
            }
        }
    }
}

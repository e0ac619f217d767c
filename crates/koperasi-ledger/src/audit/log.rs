//! The append-only Merkle log ([`AuditLog`]), its proofs and their verification.

use super::{Error, Hash};

/// The size and root hash of a log at one moment: what a checkpoint commits to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "kepala pohon")]
pub struct TreeHead {
    /// Number of leaves.
    pub size: u64,
    /// `MTH` of those leaves (RFC 6962 §2.1); [`Hash::EMPTY_TREE`] for size 0.
    pub root: Hash,
}

impl TreeHead {
    /// The head of the empty log.
    pub const EMPTY: TreeHead = TreeHead {
        size: 0,
        root: Hash::EMPTY_TREE,
    };
}

fn to_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn to_usize(n: u64) -> Option<usize> {
    usize::try_from(n).ok()
}

/// The largest power of two strictly smaller than `n` (RFC 6962 `k`), for `n >= 2`.
fn split_point(n: u64) -> Option<u64> {
    let m = n.checked_sub(1)?;
    if m == 0 {
        return None;
    }
    1u64.checked_shl(63u32.checked_sub(m.leading_zeros())?)
}

/// An append-only Merkle log over byte leaves, hashed exactly as RFC 6962 §2.1.
///
/// Every complete subtree hash is stored, level by level: level 0 holds the leaf hashes, level
/// `k` the hashes of the aligned subtrees of `2^k` leaves. An append therefore costs one leaf
/// hash plus, amortised, one node hash; the root at any past size, inclusion and consistency
/// proofs are `O(log n)` look-ups plus at most `O(log n)` hashes for the one incomplete
/// subtree on the right edge. Memory: about 64 bytes per leaf (32 for the leaf hash, 32 for
/// the interior nodes), plus `Vec` growth slack; see [`AuditLog::heap_bytes`].
///
/// # Invariants
/// * `root_at(n)` equals the RFC 6962 `MTH` of the first `n` leaves for every `n <= len()`
///   (`prop_root_matches_reference`).
/// * Every proof produced verifies against the matching tree heads
///   (`prop_inclusion_proofs_verify`, `prop_consistency_proofs_verify`).
#[derive(Clone, Default)]
#[doc(alias = "log audit")]
#[doc(alias = "jejak audit")]
pub struct AuditLog {
    levels: Vec<Vec<Hash>>,
}

/// Two logs are equal when they hold the same leaf hashes (capacity does not matter).
impl PartialEq for AuditLog {
    fn eq(&self, other: &AuditLog) -> bool {
        self.leaf_hashes() == other.leaf_hashes()
    }
}

impl Eq for AuditLog {}

/// Shows the tree head, not the (possibly millions of) stored hashes.
impl core::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let head = self.tree_head();
        f.debug_struct("AuditLog")
            .field("size", &head.size)
            .field("root", &head.root)
            .finish()
    }
}

impl AuditLog {
    /// An empty log.
    pub fn new() -> AuditLog {
        AuditLog { levels: Vec::new() }
    }

    /// An empty log with room for `leaves` leaves (and their interior nodes) without
    /// reallocation.
    pub fn with_capacity(leaves: usize) -> AuditLog {
        let mut levels = Vec::new();
        let mut n = leaves;
        while n > 0 {
            levels.push(Vec::with_capacity(n));
            n >>= 1;
        }
        AuditLog { levels }
    }

    /// Reserves room for `additional` more leaves (and their interior nodes), so that the next
    /// `additional` appends do not reallocate.
    pub fn reserve(&mut self, additional: usize) {
        let mut level = 0usize;
        let mut leaves = self
            .levels
            .first()
            .map_or(0, Vec::len)
            .saturating_add(additional);
        while leaves > 0 {
            if self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            if let Some(row) = self.levels.get_mut(level) {
                row.reserve(leaves.saturating_sub(row.len()));
            }
            leaves >>= 1;
            level = level.saturating_add(1);
        }
    }

    /// Appends a leaf (its bytes are hashed as `SHA-256(0x00 ‖ leaf)`), returning its index.
    pub fn append(&mut self, leaf: &[u8]) -> u64 {
        self.append_hash(Hash::of_leaf(leaf))
    }

    /// Appends an already computed leaf hash ([`Hash::of_leaf`]), returning its index.
    pub fn append_hash(&mut self, leaf_hash: Hash) -> u64 {
        let index = self.len();
        let mut carry = leaf_hash;
        let mut level = 0usize;
        loop {
            if self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            let Some(row) = self.levels.get_mut(level) else {
                break;
            };
            row.push(carry);
            if row.len() % 2 == 1 {
                break;
            }
            let mut pair = row.iter().rev();
            let (Some(right), Some(left)) = (pair.next(), pair.next()) else {
                break;
            };
            carry = Hash::of_node(left, right);
            level = level.saturating_add(1);
        }
        index
    }

    /// Number of leaves.
    pub fn len(&self) -> u64 {
        to_u64(self.levels.first().map_or(0, Vec::len))
    }

    /// Whether the log has no leaves.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The leaf hash at `index`, if it exists.
    pub fn leaf_hash(&self, index: u64) -> Option<Hash> {
        self.node(0, index)
    }

    /// All leaf hashes in order.
    pub fn leaf_hashes(&self) -> &[Hash] {
        self.levels.first().map_or(&[], Vec::as_slice)
    }

    /// The current size and root.
    pub fn tree_head(&self) -> TreeHead {
        let size = self.len();
        // The whole range is always present, so the fallback is never taken.
        let root = self.range_hash(0, size).unwrap_or(Hash::EMPTY_TREE);
        TreeHead { size, root }
    }

    /// The root the log had when it held `size` leaves.
    ///
    /// # Errors
    /// [`Error::SizeOutOfRange`] if `size > len()`.
    pub fn root_at(&self, size: u64) -> Result<Hash, Error> {
        self.check_size(size)?;
        self.range_hash(0, size).ok_or(Error::SizeOutOfRange {
            size,
            len: self.len(),
        })
    }

    /// The tree head the log had when it held `size` leaves.
    ///
    /// # Errors
    /// [`Error::SizeOutOfRange`] if `size > len()`.
    pub fn tree_head_at(&self, size: u64) -> Result<TreeHead, Error> {
        Ok(TreeHead {
            size,
            root: self.root_at(size)?,
        })
    }

    /// Proof that leaf `index` is in the tree of the first `size` leaves (RFC 6962 §2.1.1
    /// `PATH(m, D[n])`).
    ///
    /// # Errors
    /// [`Error::SizeOutOfRange`] if `size > len()`, [`Error::IndexOutOfRange`] if
    /// `index >= size`.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<InclusionProof, Error> {
        self.check_size(size)?;
        if index >= size {
            return Err(Error::IndexOutOfRange { index, size });
        }
        let missing = || Error::IndexOutOfRange { index, size };
        let mut path = Vec::with_capacity(64);
        let (mut start, mut end) = (0u64, size);
        while let Some(k) = split_point(end.checked_sub(start).ok_or_else(missing)?) {
            let mid = start.checked_add(k).ok_or_else(missing)?;
            if index < mid {
                path.push(self.range_hash(mid, end).ok_or_else(missing)?);
                end = mid;
            } else {
                path.push(self.range_hash(start, mid).ok_or_else(missing)?);
                start = mid;
            }
        }
        path.reverse();
        Ok(InclusionProof {
            leaf_index: index,
            tree_size: size,
            path,
        })
    }

    /// Proof that the tree of the first `old_size` leaves is a prefix of the tree of the first
    /// `new_size` leaves (RFC 6962 §2.1.2 `PROOF(m, D[n])`). Empty when `old_size` is 0 or
    /// equals `new_size`.
    ///
    /// # Errors
    /// [`Error::SizeOutOfRange`] if `new_size > len()`, [`Error::SizesReversed`] if
    /// `old_size > new_size`.
    pub fn consistency_proof(
        &self,
        old_size: u64,
        new_size: u64,
    ) -> Result<ConsistencyProof, Error> {
        self.check_size(new_size)?;
        if old_size > new_size {
            return Err(Error::SizesReversed { old_size, new_size });
        }
        let mut path = Vec::with_capacity(64);
        if old_size > 0 && old_size < new_size {
            let missing = || Error::SizeOutOfRange {
                size: new_size,
                len: self.len(),
            };
            let (mut start, mut end, mut whole) = (0u64, new_size, true);
            loop {
                if old_size == end {
                    if !whole {
                        path.push(self.range_hash(start, end).ok_or_else(missing)?);
                    }
                    break;
                }
                let k =
                    split_point(end.checked_sub(start).ok_or_else(missing)?).ok_or_else(missing)?;
                let mid = start.checked_add(k).ok_or_else(missing)?;
                if old_size <= mid {
                    path.push(self.range_hash(mid, end).ok_or_else(missing)?);
                    end = mid;
                } else {
                    path.push(self.range_hash(start, mid).ok_or_else(missing)?);
                    start = mid;
                    whole = false;
                }
            }
            path.reverse();
        }
        Ok(ConsistencyProof {
            old_size,
            new_size,
            path,
        })
    }

    /// Consistency proofs between each consecutive pair of `sizes` (for example the sizes of
    /// the monthly checkpoints), to be checked with [`verify_consistency_chain`].
    ///
    /// # Errors
    /// As [`AuditLog::consistency_proof`] for the first failing pair.
    pub fn consistency_chain(&self, sizes: &[u64]) -> Result<Vec<ConsistencyProof>, Error> {
        sizes
            .windows(2)
            .map(|w| match w {
                [old, new] => self.consistency_proof(*old, *new),
                _ => Err(Error::ChainLength {
                    heads: sizes.len(),
                    proofs: 0,
                }),
            })
            .collect()
    }

    /// Bytes of heap memory held (vector capacities), for memory-per-leaf measurements.
    pub fn heap_bytes(&self) -> usize {
        let rows: usize = self
            .levels
            .iter()
            .map(|r| r.capacity().saturating_mul(32))
            .sum();
        rows.saturating_add(
            self.levels
                .capacity()
                .saturating_mul(size_of::<Vec<Hash>>()),
        )
    }

    fn check_size(&self, size: u64) -> Result<(), Error> {
        let len = self.len();
        if size > len {
            return Err(Error::SizeOutOfRange { size, len });
        }
        Ok(())
    }

    fn node(&self, level: u32, index: u64) -> Option<Hash> {
        let row = self.levels.get(to_usize(u64::from(level))?)?;
        row.get(to_usize(index)?).copied()
    }

    /// `MTH` of leaves `start..end`, where `start` is a multiple of the power of two at or
    /// above `end - start` (true of every range in the RFC 6962 recursion).
    fn range_hash(&self, start: u64, end: u64) -> Option<Hash> {
        let mut size = end.checked_sub(start)?;
        if size == 0 {
            return Some(Hash::EMPTY_TREE);
        }
        let mut cursor = end;
        let mut acc: Option<Hash> = None;
        while size != 0 {
            let level = size.trailing_zeros();
            let width = 1u64.checked_shl(level)?;
            cursor = cursor.checked_sub(width)?;
            let h = self.node(level, cursor.checked_shr(level)?)?;
            acc = Some(match acc {
                None => h,
                Some(right) => Hash::of_node(&h, &right),
            });
            size &= !width;
        }
        acc
    }
}

/// Expected number of hashes in an inclusion proof for `index` in a tree of `size`.
fn inclusion_path_len(index: u64, size: u64) -> usize {
    let (mut start, mut end, mut n) = (0u64, size, 0usize);
    while let Some(k) = end.checked_sub(start).and_then(split_point) {
        let mid = start.saturating_add(k);
        if index < mid {
            end = mid;
        } else {
            start = mid;
        }
        n = n.saturating_add(1);
    }
    n
}

/// Expected number of hashes in a consistency proof from `old` to `new` (`0 < old < new`).
fn consistency_path_len(old: u64, new: u64) -> usize {
    let (mut start, mut end, mut whole, mut n) = (0u64, new, true, 0usize);
    loop {
        if old == end {
            if !whole {
                n = n.saturating_add(1);
            }
            return n;
        }
        let Some(k) = end.checked_sub(start).and_then(split_point) else {
            return n;
        };
        let mid = start.saturating_add(k);
        if old <= mid {
            end = mid;
        } else {
            start = mid;
            whole = false;
        }
        n = n.saturating_add(1);
    }
}

/// Proof that one leaf is in a tree of a given size (RFC 6962 §2.1.1 audit path).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "bukti inklusi")]
pub struct InclusionProof {
    /// 0-based index of the leaf.
    pub leaf_index: u64,
    /// Size of the tree the proof is for.
    pub tree_size: u64,
    /// Sibling hashes from the leaf up to the root.
    pub path: Vec<Hash>,
}

impl InclusionProof {
    /// Verifies that `leaf` (the leaf bytes) is at `leaf_index` in the tree `head`.
    ///
    /// # Errors
    /// As [`InclusionProof::verify_hash`].
    pub fn verify(&self, leaf: &[u8], head: &TreeHead) -> Result<(), Error> {
        self.verify_hash(&Hash::of_leaf(leaf), head)
    }

    /// Verifies that the leaf with hash `leaf_hash` is at `leaf_index` in the tree `head`,
    /// with the algorithm of RFC 9162 §2.1.3.2.
    ///
    /// # Errors
    /// [`Error::TreeSizeMismatch`] if the proof is for another size than `head.size`,
    /// [`Error::IndexOutOfRange`] if `leaf_index >= tree_size`, [`Error::ProofLength`] if the
    /// path has the wrong number of hashes, [`Error::RootMismatch`] if the recomputed root
    /// differs from `head.root`.
    pub fn verify_hash(&self, leaf_hash: &Hash, head: &TreeHead) -> Result<(), Error> {
        if self.tree_size != head.size {
            return Err(Error::TreeSizeMismatch {
                proof: self.tree_size,
                head: head.size,
            });
        }
        let computed = self.root_from(leaf_hash)?;
        if computed != head.root {
            return Err(Error::RootMismatch {
                tree_size: head.size,
                expected: head.root,
                computed,
            });
        }
        Ok(())
    }

    /// The root this proof yields for `leaf_hash` (without comparing it to anything).
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] if `leaf_index >= tree_size`, [`Error::ProofLength`] if the
    /// path has the wrong number of hashes.
    pub fn root_from(&self, leaf_hash: &Hash) -> Result<Hash, Error> {
        let (index, size) = (self.leaf_index, self.tree_size);
        if index >= size {
            return Err(Error::IndexOutOfRange { index, size });
        }
        let expected = inclusion_path_len(index, size);
        let wrong_len = Error::ProofLength {
            expected,
            found: self.path.len(),
        };
        if self.path.len() != expected {
            return Err(wrong_len);
        }
        let mut f = index;
        let mut s = size.saturating_sub(1);
        let mut r = *leaf_hash;
        for p in &self.path {
            if s == 0 {
                return Err(wrong_len);
            }
            if f & 1 == 1 || f == s {
                r = Hash::of_node(p, &r);
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            } else {
                r = Hash::of_node(&r, p);
            }
            f >>= 1;
            s >>= 1;
        }
        if s != 0 {
            return Err(wrong_len);
        }
        Ok(r)
    }
}

/// Proof that a tree of `old_size` leaves is a prefix of a tree of `new_size` leaves: nothing
/// was changed, removed, inserted or reordered, only appended (RFC 6962 §2.1.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "bukti konsistensi")]
pub struct ConsistencyProof {
    /// Size of the older tree.
    pub old_size: u64,
    /// Size of the newer tree.
    pub new_size: u64,
    /// The RFC 6962 `PROOF(m, D[n])` hashes.
    pub path: Vec<Hash>,
}

impl ConsistencyProof {
    /// Verifies that `old` is a prefix of `new` with the algorithm of RFC 9162 §2.1.4.2.
    /// Size 0 is a prefix of everything (empty proof); equal sizes need equal roots (empty
    /// proof).
    ///
    /// # Errors
    /// [`Error::TreeSizeMismatch`] if a head's size differs from the proof's,
    /// [`Error::SizesReversed`] if `old_size > new_size`, [`Error::ProofLength`] if the path
    /// has the wrong number of hashes, [`Error::RootMismatch`] naming the tree size whose
    /// root does not match.
    pub fn verify(&self, old: &TreeHead, new: &TreeHead) -> Result<(), Error> {
        if self.old_size != old.size {
            return Err(Error::TreeSizeMismatch {
                proof: self.old_size,
                head: old.size,
            });
        }
        if self.new_size != new.size {
            return Err(Error::TreeSizeMismatch {
                proof: self.new_size,
                head: new.size,
            });
        }
        let (m, n) = (self.old_size, self.new_size);
        if m > n {
            return Err(Error::SizesReversed {
                old_size: m,
                new_size: n,
            });
        }
        let mismatch = |head: &TreeHead, computed: Hash| Error::RootMismatch {
            tree_size: head.size,
            expected: head.root,
            computed,
        };
        if m == 0 || m == n {
            if !self.path.is_empty() {
                return Err(Error::ProofLength {
                    expected: 0,
                    found: self.path.len(),
                });
            }
            if m == 0 && old.root != Hash::EMPTY_TREE {
                return Err(mismatch(old, Hash::EMPTY_TREE));
            }
            if m == n && old.root != new.root {
                return Err(mismatch(new, old.root));
            }
            return Ok(());
        }
        let expected = consistency_path_len(m, n);
        let wrong_len = Error::ProofLength {
            expected,
            found: self.path.len(),
        };
        if self.path.len() != expected {
            return Err(wrong_len);
        }
        let (seed, rest) = if m.is_power_of_two() {
            (old.root, self.path.as_slice())
        } else {
            match self.path.split_first() {
                Some((first, rest)) => (*first, rest),
                None => return Err(wrong_len),
            }
        };
        let mut f = m.saturating_sub(1);
        let mut s = n.saturating_sub(1);
        while f & 1 == 1 {
            f >>= 1;
            s >>= 1;
        }
        let (mut fr, mut sr) = (seed, seed);
        for c in rest {
            if s == 0 {
                return Err(wrong_len);
            }
            if f & 1 == 1 || f == s {
                fr = Hash::of_node(c, &fr);
                sr = Hash::of_node(c, &sr);
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            } else {
                sr = Hash::of_node(&sr, c);
            }
            f >>= 1;
            s >>= 1;
        }
        if s != 0 {
            return Err(wrong_len);
        }
        if fr != old.root {
            return Err(mismatch(old, fr));
        }
        if sr != new.root {
            return Err(mismatch(new, sr));
        }
        Ok(())
    }
}

/// The tree head of `leaves`, recomputed from scratch with `O(log n)` memory.
pub fn compute_tree_head<'a, I>(leaves: I) -> TreeHead
where
    I: IntoIterator<Item = &'a [u8]>,
{
    // Stack of complete subtrees (level, hash), strictly decreasing levels.
    let mut stack: Vec<(u32, Hash)> = Vec::with_capacity(64);
    let mut size = 0u64;
    for leaf in leaves {
        let mut carry = (0u32, Hash::of_leaf(leaf));
        while let Some(&(level, left)) = stack.last() {
            if level != carry.0 {
                break;
            }
            stack.pop();
            carry = (level.saturating_add(1), Hash::of_node(&left, &carry.1));
        }
        stack.push(carry);
        size = size.saturating_add(1);
    }
    let root = stack
        .iter()
        .rev()
        .map(|&(_, h)| h)
        .reduce(|right, left| Hash::of_node(&left, &right))
        .unwrap_or(Hash::EMPTY_TREE);
    TreeHead { size, root }
}

/// Recomputes the tree over `leaves` and compares it with `expected`: detects any changed,
/// removed, inserted or reordered leaf.
///
/// # Errors
/// [`Error::LogSizeMismatch`] if the number of leaves differs, [`Error::RootMismatch`] if
/// the root differs.
pub fn verify_log<'a, I>(leaves: I, expected: &TreeHead) -> Result<(), Error>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let head = compute_tree_head(leaves);
    if head.size != expected.size {
        return Err(Error::LogSizeMismatch {
            expected: expected.size,
            found: head.size,
        });
    }
    if head.root != expected.root {
        return Err(Error::RootMismatch {
            tree_size: head.size,
            expected: expected.root,
            computed: head.root,
        });
    }
    Ok(())
}

/// Checks that a sequence of tree heads (for example the monthly checkpoints a city office
/// kept) only grew: `proofs[i]` must prove `heads[i]` is a prefix of `heads[i + 1]`.
/// Obtain the proofs from the cooperative with [`AuditLog::consistency_chain`].
///
/// # Errors
/// [`Error::ChainLength`] unless there is exactly one proof per consecutive pair of heads,
/// [`Error::ConsistencyChain`] with the failing step (and the underlying error) otherwise.
#[doc(alias = "pemeriksaan dinas koperasi")]
pub fn verify_consistency_chain(
    heads: &[TreeHead],
    proofs: &[ConsistencyProof],
) -> Result<(), Error> {
    if proofs.len() != heads.len().saturating_sub(1) {
        return Err(Error::ChainLength {
            heads: heads.len(),
            proofs: proofs.len(),
        });
    }
    for (step, (pair, proof)) in heads.windows(2).zip(proofs).enumerate() {
        if let [old, new] = pair {
            proof
                .verify(old, new)
                .map_err(|e| Error::ConsistencyChain {
                    step,
                    source: Box::new(e),
                })?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation, reason = "test sizes are small")]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // ---- An independent, naive RFC 6962 reference (recursive definitions, §2.1). ----

    fn k_of(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    /// The plain recursive definitions of RFC 6962 §2.1, over a range `lo..hi` of `d`, with a
    /// memo of sub-tree roots so the tests stay fast in debug builds.
    struct Reference<'a> {
        d: &'a [Vec<u8>],
        memo: std::collections::HashMap<(usize, usize), Hash>,
    }

    impl<'a> Reference<'a> {
        fn new(d: &'a [Vec<u8>]) -> Self {
            Reference {
                d,
                memo: std::collections::HashMap::new(),
            }
        }

        fn mth(&mut self, lo: usize, hi: usize) -> Hash {
            use sha2::{Digest, Sha256};
            if let Some(h) = self.memo.get(&(lo, hi)) {
                return *h;
            }
            let h = match hi - lo {
                0 => Hash(Sha256::digest(b"").into()),
                1 => {
                    let mut v = vec![0u8];
                    v.extend_from_slice(&self.d[lo]);
                    Hash(Sha256::digest(&v).into())
                }
                n => {
                    let k = k_of(n);
                    let mut v = vec![1u8];
                    v.extend_from_slice(&self.mth(lo, lo + k).0);
                    v.extend_from_slice(&self.mth(lo + k, hi).0);
                    Hash(Sha256::digest(&v).into())
                }
            };
            self.memo.insert((lo, hi), h);
            h
        }

        /// `PATH(m, D[lo:hi])`.
        fn path(&mut self, m: usize, lo: usize, hi: usize) -> Vec<Hash> {
            let n = hi - lo;
            if n <= 1 {
                return vec![];
            }
            let k = k_of(n);
            if m < k {
                let mut p = self.path(m, lo, lo + k);
                p.push(self.mth(lo + k, hi));
                p
            } else {
                let mut p = self.path(m - k, lo + k, hi);
                p.push(self.mth(lo, lo + k));
                p
            }
        }

        /// `SUBPROOF(m, D[lo:hi], b)`.
        fn subproof(&mut self, m: usize, lo: usize, hi: usize, b: bool) -> Vec<Hash> {
            let n = hi - lo;
            if m == n {
                return if b { vec![] } else { vec![self.mth(lo, hi)] };
            }
            let k = k_of(n);
            if m <= k {
                let mut p = self.subproof(m, lo, lo + k, b);
                p.push(self.mth(lo + k, hi));
                p
            } else {
                let mut p = self.subproof(m - k, lo + k, hi, false);
                p.push(self.mth(lo, lo + k));
                p
            }
        }
    }

    fn leaves(n: usize) -> Vec<Vec<u8>> {
        (0..n).map(|i| format!("entri-{i}").into_bytes()).collect()
    }

    fn log_of(d: &[Vec<u8>]) -> AuditLog {
        let mut log = AuditLog::new();
        for (i, leaf) in d.iter().enumerate() {
            assert_eq!(log.append(leaf), i as u64);
        }
        log
    }

    #[test]
    fn empty_log() {
        let log = AuditLog::new();
        assert!(log.is_empty());
        assert_eq!(log.tree_head(), TreeHead::EMPTY);
        assert_eq!(
            log.tree_head().root.to_string(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(log.root_at(0), Ok(Hash::EMPTY_TREE));
        assert_eq!(log.leaf_hash(0), None);
        assert_eq!(compute_tree_head(std::iter::empty()), TreeHead::EMPTY);
    }

    #[test]
    fn known_answers() {
        // Leaf hash of the empty leaf: SHA-256(0x00).
        assert_eq!(
            Hash::of_leaf(b"").to_string(),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
        // A one-leaf tree's root is its leaf hash; two leaves: H(0x01 ‖ h0 ‖ h1).
        let mut log = AuditLog::new();
        log.append(b"");
        assert_eq!(log.tree_head().root, Hash::of_leaf(b""));
        log.append(b"\x00");
        assert_eq!(
            log.tree_head().root,
            Hash::of_node(&Hash::of_leaf(b""), &Hash::of_leaf(b"\x00"))
        );
    }

    #[test]
    fn matches_reference_for_sizes_0_to_70() {
        let d = leaves(70);
        let log = log_of(&d);
        let mut r = Reference::new(&d);
        for n in 0..=70usize {
            let head = log.tree_head_at(n as u64).unwrap();
            assert_eq!(head.root, r.mth(0, n), "root at {n}");
            assert_eq!(compute_tree_head(d[..n].iter().map(Vec::as_slice)), head);
            for (m, leaf) in d.iter().enumerate().take(n) {
                let proof = log.inclusion_proof(m as u64, n as u64).unwrap();
                assert_eq!(proof.path, r.path(m, 0, n), "path {m} in {n}");
                proof.verify(leaf, &head).unwrap();
                assert_eq!(proof.path.len(), inclusion_path_len(m as u64, n as u64));
            }
            for m in 1..n {
                let proof = log.consistency_proof(m as u64, n as u64).unwrap();
                assert_eq!(proof.path, r.subproof(m, 0, n, true), "proof {m}..{n}");
                assert_eq!(proof.path.len(), consistency_path_len(m as u64, n as u64));
                let old = log.tree_head_at(m as u64).unwrap();
                proof.verify(&old, &head).unwrap();
            }
        }
    }

    #[test]
    fn rfc6962_style_vectors() {
        // The eight-leaf test tree of the CT reference implementations
        // (certificate-transparency-go merkletree tests), with their published roots.
        let inputs: [&[u8]; 8] = [
            b"",
            b"\x00",
            b"\x10",
            b"\x20\x21",
            b"\x30\x31",
            b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
        ];
        let roots = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ];
        let mut log = AuditLog::new();
        for (leaf, root) in inputs.iter().zip(roots) {
            log.append(leaf);
            assert_eq!(log.tree_head().root.to_string(), root);
        }
    }

    #[test]
    fn request_errors() {
        let d = leaves(5);
        let log = log_of(&d);
        assert_eq!(
            log.root_at(6),
            Err(Error::SizeOutOfRange { size: 6, len: 5 })
        );
        assert_eq!(
            log.inclusion_proof(5, 5),
            Err(Error::IndexOutOfRange { index: 5, size: 5 })
        );
        assert_eq!(
            log.inclusion_proof(0, 9).unwrap_err(),
            Error::SizeOutOfRange { size: 9, len: 5 }
        );
        assert_eq!(
            log.consistency_proof(4, 3),
            Err(Error::SizesReversed {
                old_size: 4,
                new_size: 3
            })
        );
        assert_eq!(log.consistency_proof(0, 5).unwrap().path, vec![]);
        assert_eq!(log.consistency_proof(5, 5).unwrap().path, vec![]);
        assert!(log.consistency_chain(&[1, 3, 2]).is_err());
    }

    #[test]
    fn verification_errors() {
        let d = leaves(7);
        let log = log_of(&d);
        let head = log.tree_head();
        let old = log.tree_head_at(3).unwrap();
        let p = log.inclusion_proof(2, 7).unwrap();
        assert_eq!(
            p.verify(&d[2], &old),
            Err(Error::TreeSizeMismatch { proof: 7, head: 3 })
        );
        let mut short = p.clone();
        short.path.pop();
        assert_eq!(
            short.verify(&d[2], &head),
            Err(Error::ProofLength {
                expected: 3,
                found: 2
            })
        );
        let mut bad_index = p.clone();
        bad_index.leaf_index = 7;
        assert_eq!(
            bad_index.verify(&d[2], &head),
            Err(Error::IndexOutOfRange { index: 7, size: 7 })
        );
        match p.verify(b"lain", &head) {
            Err(Error::RootMismatch {
                tree_size: 7,
                expected,
                ..
            }) => {
                assert_eq!(expected, head.root);
            }
            other => panic!("{other:?}"),
        }

        let c = log.consistency_proof(3, 7).unwrap();
        c.verify(&old, &head).unwrap();
        assert_eq!(
            c.verify(&head, &head),
            Err(Error::TreeSizeMismatch { proof: 3, head: 7 })
        );
        assert_eq!(
            c.verify(&old, &old),
            Err(Error::TreeSizeMismatch { proof: 7, head: 3 })
        );
        let mut long = c.clone();
        long.path.push(Hash::EMPTY_TREE);
        assert!(matches!(
            long.verify(&old, &head),
            Err(Error::ProofLength { found: 5, .. })
        ));
        let forged_old = TreeHead {
            size: 3,
            root: Hash::EMPTY_TREE,
        };
        assert!(matches!(
            c.verify(&forged_old, &head),
            Err(Error::RootMismatch { tree_size: 3, .. })
        ));
        let forged_new = TreeHead {
            size: 7,
            root: Hash::EMPTY_TREE,
        };
        assert!(matches!(
            c.verify(&old, &forged_new),
            Err(Error::RootMismatch { tree_size: 7, .. })
        ));
        let reversed = ConsistencyProof {
            old_size: 7,
            new_size: 3,
            path: vec![],
        };
        assert_eq!(
            reversed.verify(&head, &old),
            Err(Error::SizesReversed {
                old_size: 7,
                new_size: 3
            })
        );
        let same = ConsistencyProof {
            old_size: 7,
            new_size: 7,
            path: vec![],
        };
        same.verify(&head, &head).unwrap();
        assert!(same.verify(&head, &forged_new).is_err());
        let from_empty = ConsistencyProof {
            old_size: 0,
            new_size: 7,
            path: vec![],
        };
        from_empty.verify(&TreeHead::EMPTY, &head).unwrap();
        assert!(
            from_empty
                .verify(
                    &TreeHead {
                        size: 0,
                        root: head.root
                    },
                    &head
                )
                .is_err()
        );
        let padded = ConsistencyProof {
            old_size: 0,
            new_size: 7,
            path: vec![head.root],
        };
        assert_eq!(
            padded.verify(&TreeHead::EMPTY, &head),
            Err(Error::ProofLength {
                expected: 0,
                found: 1
            })
        );
    }

    #[test]
    fn verify_log_and_chain() {
        let d = leaves(20);
        let log = log_of(&d);
        let head = log.tree_head();
        verify_log(d.iter().map(Vec::as_slice), &head).unwrap();
        assert_eq!(
            verify_log(d[..19].iter().map(Vec::as_slice), &head),
            Err(Error::LogSizeMismatch {
                expected: 20,
                found: 19
            })
        );
        let mut swapped = d.clone();
        swapped.swap(3, 4);
        assert!(matches!(
            verify_log(swapped.iter().map(Vec::as_slice), &head),
            Err(Error::RootMismatch { tree_size: 20, .. })
        ));

        let sizes = [0, 1, 5, 8, 8, 13, 20];
        let heads: Vec<TreeHead> = sizes
            .iter()
            .map(|&s| log.tree_head_at(s).unwrap())
            .collect();
        let proofs = log.consistency_chain(&sizes).unwrap();
        verify_consistency_chain(&heads, &proofs).unwrap();
        verify_consistency_chain(&[], &[]).unwrap();
        assert_eq!(
            verify_consistency_chain(&heads, &proofs[1..]),
            Err(Error::ChainLength {
                heads: 7,
                proofs: 5
            })
        );
        // A rewritten history: month 3's head comes from a different log.
        let mut other = d.clone();
        other[2] = b"dipalsukan".to_vec();
        let forged = log_of(&other);
        let mut bad = heads.clone();
        bad[3] = forged.tree_head_at(8).unwrap();
        match verify_consistency_chain(&bad, &proofs) {
            Err(Error::ConsistencyChain { step: 2, source }) => {
                assert!(matches!(*source, Error::RootMismatch { tree_size: 8, .. }));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn with_capacity_and_memory() {
        let mut log = AuditLog::with_capacity(1000);
        let before = log.heap_bytes();
        for i in 0..1000u32 {
            log.append_hash(Hash::of_leaf(&i.to_be_bytes()));
        }
        assert_eq!(log.heap_bytes(), before);
        let mut plain = AuditLog::new();
        for i in 0..1000u32 {
            plain.append(&i.to_be_bytes());
        }
        assert_eq!(plain, log);
        plain.append(b"lagi");
        assert_ne!(plain, log);
        assert_eq!(AuditLog::with_capacity(8), AuditLog::new());
        assert_eq!(
            format!("{:?}", AuditLog::new()),
            format!("AuditLog {{ size: 0, root: Hash({}) }}", Hash::EMPTY_TREE)
        );
        assert_eq!(log.leaf_hashes().len(), 1000);
        assert_eq!(
            log.leaf_hash(999),
            Some(Hash::of_leaf(&999u32.to_be_bytes()))
        );
        assert!(log.heap_bytes() < 1000 * 70);
    }

    #[test]
    fn reserve_avoids_reallocation_and_changes_nothing() {
        let mut log = AuditLog::new();
        for i in 0..37u32 {
            log.append(&i.to_be_bytes());
        }
        let head = log.tree_head();
        log.reserve(1000);
        assert_eq!(log.tree_head(), head);
        let before = log.heap_bytes();
        let mut plain = AuditLog::new();
        for i in 0..37u32 {
            plain.append(&i.to_be_bytes());
        }
        for i in 37..1037u32 {
            log.append(&i.to_be_bytes());
            plain.append(&i.to_be_bytes());
            assert_eq!(log.tree_head(), plain.tree_head());
        }
        assert_eq!(log.heap_bytes(), before);
        assert_eq!(
            log.consistency_proof(37, 1037),
            plain.consistency_proof(37, 1037)
        );
    }

    fn arb_leaves(max: usize) -> impl Strategy<Value = Vec<Vec<u8>>> {
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..24), 0..max)
    }

    proptest! {
        #[test]
        fn prop_root_matches_reference(d in arb_leaves(80)) {
            let log = log_of(&d);
            let mut r = Reference::new(&d);
            for n in 0..=d.len() {
                prop_assert_eq!(log.root_at(n as u64).unwrap(), r.mth(0, n));
            }
        }

        #[test]
        fn prop_inclusion_proofs_verify(d in arb_leaves(300), seed in any::<u64>()) {
            prop_assume!(!d.is_empty());
            let log = log_of(&d);
            let n = 1 + (seed % d.len() as u64);
            let m = (seed >> 17) % n;
            let head = log.tree_head_at(n).unwrap();
            let proof = log.inclusion_proof(m, n).unwrap();
            prop_assert!(proof.verify(&d[m as usize], &head).is_ok());
            prop_assert_eq!(proof.path, Reference::new(&d).path(m as usize, 0, n as usize));
        }

        #[test]
        fn prop_consistency_proofs_verify(d in arb_leaves(300), a in any::<u64>(), b in any::<u64>()) {
            let len = d.len() as u64 + 1;
            let (x, y) = (a % len, b % len);
            let (m, n) = (x.min(y), x.max(y));
            let log = log_of(&d);
            let proof = log.consistency_proof(m, n).unwrap();
            let old = log.tree_head_at(m).unwrap();
            let new = log.tree_head_at(n).unwrap();
            prop_assert!(proof.verify(&old, &new).is_ok());
        }

        #[test]
        fn prop_tampered_leaf_changes_root(
            d in arb_leaves(100),
            pick in any::<usize>(),
            byte in any::<u8>(),
        ) {
            prop_assume!(!d.is_empty());
            let i = pick % d.len();
            let mut t = d.clone();
            t[i].push(byte);
            prop_assert_ne!(log_of(&d).tree_head(), log_of(&t).tree_head());
            let head = log_of(&d).tree_head();
            prop_assert!(verify_log(t.iter().map(Vec::as_slice), &head).is_err());
        }

        #[test]
        fn prop_any_reorder_insert_delete_detected(
            d in arb_leaves(60),
            op in 0u8..3,
            i in any::<usize>(),
            j in any::<usize>(),
            extra in prop::collection::vec(any::<u8>(), 0..8),
        ) {
            prop_assume!(d.len() >= 2);
            let head = log_of(&d).tree_head();
            let mut t = d.clone();
            match op {
                0 => {
                    let (a, b) = (i % d.len(), j % d.len());
                    prop_assume!(d[a] != d[b]);
                    t.swap(a, b);
                }
                1 => t.insert(i % (d.len() + 1), extra),
                _ => { t.remove(i % d.len()); }
            }
            prop_assert!(verify_log(t.iter().map(Vec::as_slice), &head).is_err());
            // And the new log is not a consistent extension of the old head unless it really
            // extends it (an insert at the end is an append).
            let tl = log_of(&t);
            if tl.len() >= head.size {
                let appended = t[..d.len()] == d[..];
                let p = tl.consistency_proof(head.size, tl.len()).unwrap();
                let ok = p.verify(&head, &tl.tree_head()).is_ok();
                prop_assert_eq!(ok, appended);
            }
        }

        #[test]
        fn prop_wrong_proof_rejected(
            d in arb_leaves(120),
            seed in any::<u64>(),
            flip in any::<u8>(),
        ) {
            prop_assume!(d.len() >= 2);
            let log = log_of(&d);
            let n = 2 + seed % (d.len() as u64 - 1);
            let m = (seed >> 13) % n;
            let head = log.tree_head_at(n).unwrap();
            // Wrong leaf.
            let p = log.inclusion_proof(m, n).unwrap();
            let mut wrong_leaf = d[m as usize].clone();
            wrong_leaf.push(flip);
            prop_assert!(p.verify(&wrong_leaf, &head).is_err());
            // Corrupted path hash.
            let mut q = p.clone();
            let k = usize::try_from(seed >> 40).unwrap() % q.path.len();
            q.path[k].0[(flip % 32) as usize] ^= 1 | flip;
            prop_assert!(q.verify(&d[m as usize], &head).is_err());
            // Proof for another index.
            let other = (m + 1) % n;
            let mut r = p.clone();
            r.leaf_index = other;
            if log.leaf_hash(other) != log.leaf_hash(m) {
                prop_assert!(r.verify(&d[m as usize], &head).is_err());
            }
            // Corrupted consistency proof.
            let old_size = 1 + (seed >> 7) % (n - 1);
            let c = log.consistency_proof(old_size, n).unwrap();
            let old = log.tree_head_at(old_size).unwrap();
            if !c.path.is_empty() {
                let mut c2 = c.clone();
                let k = usize::try_from(seed >> 33).unwrap() % c2.path.len();
                c2.path[k].0[(flip % 32) as usize] ^= 1 | flip;
                prop_assert!(c2.verify(&old, &head).is_err());
            }
        }
    }
}

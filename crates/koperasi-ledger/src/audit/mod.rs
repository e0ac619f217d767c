//! Verifiable audit log: an RFC 6962 Merkle log, proofs, signed checkpoints, balance proofs.
//!
//! (Guide in progress.)

mod hash;
mod log;

pub use hash::Hash;
pub use log::{
    AuditLog, ConsistencyProof, InclusionProof, TreeHead, compute_tree_head,
    verify_consistency_chain, verify_log,
};

/// Everything that can go wrong in the audit module: a bad request to the log, a proof or log
/// that does not verify, or malformed checkpoint, note or key text (with its line number).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A leaf index at or beyond the tree size.
    #[error("leaf index {index} is outside a tree of size {size}")]
    IndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A tree size larger than the log.
    #[error("tree size {size} is larger than the log ({len} leaves)")]
    SizeOutOfRange {
        /// The size asked for.
        size: u64,
        /// The log's current number of leaves.
        len: u64,
    },
    /// A consistency proof from a larger to a smaller tree.
    #[error("consistency from tree size {old_size} to smaller tree size {new_size}")]
    SizesReversed {
        /// The older (first) size.
        old_size: u64,
        /// The newer (second) size.
        new_size: u64,
    },
    /// A proof checked against a tree head of another size.
    #[error("proof is for tree size {proof} but the tree head has size {head}")]
    TreeSizeMismatch {
        /// Size recorded in the proof.
        proof: u64,
        /// Size of the tree head.
        head: u64,
    },
    /// A proof with the wrong number of hashes.
    #[error("proof has {found} hashes, {expected} expected")]
    ProofLength {
        /// Number of hashes the proof must have.
        expected: usize,
        /// Number of hashes it has.
        found: usize,
    },
    /// A recomputed root differs from the expected one.
    #[error(
        "root of tree size {tree_size} does not match: expected {expected}, computed {computed}"
    )]
    RootMismatch {
        /// The tree size whose root was checked.
        tree_size: u64,
        /// The root claimed by the tree head.
        expected: Hash,
        /// The root recomputed from the data and the proof.
        computed: Hash,
    },
    /// A recomputed log has another number of leaves than its tree head.
    #[error("log has {found} leaves but the tree head says {expected}")]
    LogSizeMismatch {
        /// Size in the tree head.
        expected: u64,
        /// Number of leaves found.
        found: u64,
    },
    /// A consistency chain whose number of proofs is not one less than its number of heads.
    #[error("consistency chain of {heads} tree heads needs {} proofs, got {proofs}", heads.saturating_sub(1))]
    ChainLength {
        /// Number of tree heads.
        heads: usize,
        /// Number of proofs.
        proofs: usize,
    },
    /// One step of a consistency chain failed.
    #[error("consistency chain broken at step {step} (head {step} to head {}): {source}", step.saturating_add(1))]
    ConsistencyChain {
        /// 0-based index of the older head of the failing pair.
        step: usize,
        /// Why the step failed.
        source: Box<Error>,
    },
    /// A hash text that is not 64 characters long.
    #[error("hash must be 64 hex digits, found {found} characters")]
    HashLength {
        /// Length of the text.
        found: usize,
    },
    /// A hash text with a non-hex character.
    #[error("hash has a non-hex character at position {position}")]
    HashCharacter {
        /// 0-based byte position.
        position: usize,
    },
}

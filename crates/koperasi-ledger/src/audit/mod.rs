//! Verifiable audit log: an RFC 6962 Merkle log, proofs, signed checkpoints, balance proofs.
//!
//! (Guide in progress.)

mod balance;
mod checkpoint;
mod hash;
mod log;

pub use balance::{BalanceProof, BalanceTree, balance_leaf};
pub use checkpoint::{
    BALANCES_EXTENSION, Checkpoint, MAX_SIGNATURES, Note, NoteSignature, NoteSigner, NoteVerifier,
};
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
    /// Text that does not end with a newline.
    #[error("line {line}: text does not end with a newline")]
    MissingFinalNewline {
        /// 1-based number of the unterminated line.
        line: usize,
    },
    /// A checkpoint with too few lines.
    #[error("line {line}: missing the {expected} line")]
    MissingLine {
        /// 1-based number of the missing line.
        line: usize,
        /// What that line should hold.
        expected: &'static str,
    },
    /// An empty line (an empty origin, extension or note text).
    #[error("line {line}: empty line")]
    EmptyLine {
        /// 1-based line number.
        line: usize,
    },
    /// A control character (other than the line-ending newline).
    #[error("line {line}: control character")]
    ControlCharacter {
        /// 1-based line number.
        line: usize,
    },
    /// A tree size line that is not a decimal `u64` without sign or leading zeros.
    #[error("line {line}: tree size {text:?} is not a decimal number without leading zeros")]
    InvalidTreeSize {
        /// 1-based line number.
        line: usize,
        /// The line's text.
        text: String,
    },
    /// A root hash line that is not the standard base64 of 32 bytes.
    #[error("line {line}: root hash is not the base64 of 32 bytes")]
    InvalidRootHash {
        /// 1-based line number.
        line: usize,
    },
    /// A `balances` extension line not of the form `balances <64 lowercase hex>`.
    #[error("line {line}: balances extension must be \"balances <64 lowercase hex digits>\"")]
    InvalidBalancesExtension {
        /// 1-based line number.
        line: usize,
    },
    /// A second `balances` extension line.
    #[error("line {line}: second balances extension")]
    DuplicateBalancesExtension {
        /// 1-based line number.
        line: usize,
    },
    /// A checkpoint with no `balances` extension where a balance proof needs one.
    #[error("checkpoint has no balances extension line")]
    MissingBalancesExtension,
    /// Text with no blank line followed by signature lines.
    #[error("not a signed note: no blank line followed by signature lines")]
    NotSignedNote,
    /// A malformed signature line.
    #[error("line {line}: invalid signature line: {reason}")]
    InvalidSignatureLine {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// More signature lines than allowed.
    #[error("note has more than {max} signatures")]
    TooManySignatures {
        /// The limit.
        max: usize,
    },
    /// No signature line from the verifier's key.
    #[error("no signature by key {key_name:?}")]
    NoMatchingSignature {
        /// The verifier's key name.
        key_name: String,
    },
    /// A signature line from the verifier's key that does not verify.
    #[error("line {line}: signature by key {key_name:?} does not verify")]
    BadSignature {
        /// 1-based line number of the signature line.
        line: usize,
        /// The key name.
        key_name: String,
    },
    /// A key name that is empty or has whitespace, control characters or `+`.
    #[error("invalid key name {name:?} (must be non-empty, without spaces or '+')")]
    InvalidKeyName {
        /// The name.
        name: String,
    },
    /// A malformed verifier key (`vkey`) string.
    #[error("invalid verifier key: {reason}")]
    InvalidVerifierKey {
        /// What is wrong.
        reason: &'static str,
    },
    /// Balances whose account codes are out of order.
    #[error(
        "balance {index}: account {code:?} comes after {previous:?} (codes must be strictly increasing)"
    )]
    BalancesNotSorted {
        /// 0-based position in the input.
        index: usize,
        /// The code before it.
        previous: String,
        /// The out-of-order code.
        code: String,
    },
    /// The same account code twice.
    #[error("balance {index}: account {code:?} appears twice")]
    DuplicateAccount {
        /// 0-based position of the second occurrence.
        index: usize,
        /// The code.
        code: String,
    },
    /// An empty account code.
    #[error("balance {index}: empty account code")]
    EmptyAccountCode {
        /// 0-based position in the input.
        index: usize,
    },
    /// An account code longer than 65,535 bytes.
    #[error("balance {index}: account code of {len} bytes is longer than 65535")]
    AccountCodeTooLong {
        /// 0-based position in the input.
        index: usize,
        /// Its length in bytes.
        len: usize,
    },
    /// No such account in the balance tree.
    #[error("no account {code:?} in the balance tree")]
    AccountNotFound {
        /// The code asked for.
        code: String,
    },
    /// A balance proof for another state root than the trusted one.
    #[error("balance proof is for state root {found}, expected {expected}")]
    StateRootMismatch {
        /// The trusted state root.
        expected: Hash,
        /// The proof's state root.
        found: Hash,
    },
}

//! Verifiable audit log: an RFC 6962 Merkle log, proofs, signed checkpoints, balance proofs.
//!
//! The point: a city office (*dinas koperasi*) that keeps only the signed checkpoints a
//! cooperative reports each month can later prove that no history was rewritten, and check
//! any account's balance at any reported size, without holding the books.
//!
//! This module is independent of the journal: it works on opaque byte leaves (the ledger
//! appends one canonical encoding per posted entry) and on `(account code, balance in sen)`
//! pairs.
//!
//! # Guide
//!
//! ```
//! use ed25519_dalek::SigningKey;
//! use koperasi_ledger::audit::{
//!     AuditLog, BalanceTree, Checkpoint, NoteSigner, NoteVerifier, verify_consistency_chain,
//! };
//!
//! // The cooperative appends one leaf per posted journal entry.
//! let mut log = AuditLog::new();
//! log.append(b"JU-2026-0001 setoran simpanan pokok Siti Rahayu 100000.00");
//! log.append(b"JU-2026-0002 setoran simpanan wajib Siti Rahayu 50000.00");
//! let june = log.tree_head();
//! log.append(b"JU-2026-0003 penjualan gerai sembako 1250000.00");
//! let july = log.tree_head();
//! assert_eq!(july.size, 3);
//!
//! // Inclusion: entry 1 is in July's tree.
//! let proof = log.inclusion_proof(1, july.size)?;
//! proof.verify(b"JU-2026-0002 setoran simpanan wajib Siti Rahayu 50000.00", &july)?;
//!
//! // Balances at July's size, committed to by a state root in the checkpoint.
//! let balances = BalanceTree::from_balances(
//!     july.size,
//!     [("1-101", 140_000_000), ("3-101", 10_000_000), ("3-102", 5_000_000)],
//! )?;
//!
//! // The cooperative signs its monthly checkpoint (Ed25519; the caller supplies the key).
//! let signer = NoteSigner::new("kdmp-sukamaju", SigningKey::from_bytes(&[7; 32]))?;
//! let vkey = signer.verifier().to_vkey(); // handed to the city office once
//! let signed = Checkpoint::new("koperasi.example/kdmp-sukamaju/ledger", july)?
//!     .with_balances_root(balances.root())?
//!     .sign(&signer);
//!
//! // The city office verifies the checkpoint with the published key …
//! let verifier: NoteVerifier = vkey.parse()?;
//! let checkpoint = Checkpoint::verify_signed(&signed, &verifier)?;
//! assert_eq!(checkpoint.tree_head(), july);
//! // … a balance the cooperative claims (simpanan wajib: 50,000.00 rupiah = 5,000,000 sen) …
//! let claim = balances.prove("3-102")?;
//! claim.verify_checkpoint(&checkpoint)?;
//! assert_eq!(claim.balance_sen, 5_000_000);
//! // … that there was no simpanan sukarela account (3-103) at that size …
//! balances.prove_absence("3-103")?.verify_checkpoint(&checkpoint)?;
//! // … and that June's checkpoint is a prefix of July's: history only grew.
//! let proofs = log.consistency_chain(&[june.size, july.size])?;
//! verify_consistency_chain(&[june, july], &proofs)?;
//! # Ok::<(), koperasi_ledger::audit::Error>(())
//! ```
//!
//! # Formats, for an independent verifier
//!
//! Everything below is fixed; a tool in any language can check a cooperative's log and
//! checkpoints with SHA-256, base64, hex and Ed25519 alone.
//!
//! ## Tree hashing (RFC 6962 §2.1, RFC 9162 §2.1)
//! * Leaf hash: `SHA-256(0x00 ‖ leaf bytes)`. Node hash: `SHA-256(0x01 ‖ left ‖ right)`.
//! * `MTH` of `n > 1` leaves: node hash of `MTH` of the first `k` leaves and `MTH` of the
//!   rest, where `k` is the largest power of two `< n`. `MTH` of one leaf is its leaf hash;
//!   of zero leaves `SHA-256("")` = `e3b0c442…b855` ([`Hash::EMPTY_TREE`]).
//! * Inclusion proofs are RFC 6962 `PATH(m, D[n])` (leaf-to-root order) and verify with
//!   RFC 9162 §2.1.3.2 ([`InclusionProof::verify`]). Consistency proofs are RFC 6962
//!   `PROOF(m, D[n])` and verify with RFC 9162 §2.1.4.2 ([`ConsistencyProof::verify`]).
//!   Conventions where the RFCs are silent: a proof from size 0 is empty and always
//!   consistent (given the old root is the empty-tree root); a proof between equal sizes is
//!   empty and requires equal roots.
//! * Hashes print as 64 lowercase hex digits ([`Hash`](struct@Hash)'s `Display`, serde form).
//!
//! ## Checkpoint (C2SP `tlog-checkpoint`)
//! UTF-8, every line ends with `\n`, no other control characters, no empty lines: line 1 the
//! origin (non-empty, names the log), line 2 the tree size (ASCII decimal, no sign, no leading
//! zeros), line 3 the root hash (standard padded base64 of the 32 bytes), then optional
//! extension lines (non-empty).
//!
//! //! Extension lines are opaque to C2SP. This crate gives one a meaning: a line whose first
//! space-separated word is `balances` ([`BALANCES_EXTENSION`]) must be exactly
//! `balances <64 lowercase hex digits>`, at most once, and holds the [`BalanceTree`] root of
//! all account balances at that tree size.
//!
//! ## Signed note (C2SP `signed-note`, Ed25519)
//! The signed form is the checkpoint text, one empty line, then one or more signature lines
//! (at most [`MAX_SIGNATURES`]), each `— <key name> <base64(key id ‖ signature)>\n` where `—`
//! is U+2014 EM DASH. The signature is Ed25519 over the checkpoint text **including its
//! final newline**. The key id is the first 4 bytes of
//! `SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte Ed25519 public key)`. Key names are non-empty
//! and contain no whitespace and no `+`. The verifier key travels as the C2SP vkey
//! string `<key name>+<8 lowercase hex digits of key id>+<base64(0x01 ‖ public key)>`
//! ([`NoteVerifier::to_vkey`], [`NoteVerifier::parse_vkey`]). Verification ignores lines
//! from other keys (so witnesses can co-sign, [`Note::add_signature`]) and fails if no line
//! carries the expected name and key id or if such a line does not verify.
//!
//! ## A complete example
//! The guide's July checkpoint, signed with the Ed25519 key whose 32-byte seed is `[7; 32]`
//! (pinned by the test `guide_vector`):
//!
//! ```text
//! koperasi.example/kdmp-sukamaju/ledger
//! 3
//! xgRNMUDy61nQEZYfvRgaSYW8HaoZcC268Nw+d4bY2KI=
//! balances 4870b3eb6ed2c93c8f771fc244f6cdc33a4d566ec8d9222aa048d3fa1404a76a
//!
//! — kdmp-sukamaju 0it2WMGHdeCltQuDmVMZ8dOj0fxAg02cvBZQlrRKI7xAe0VYblvXdWiOoaV0niPKfuyzh2IvgMFpqJMIlVmhbUEZngM=
//! ```
//!
//! and its vkey `kdmp-sukamaju+d22b7658+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs`.
//!
//! ## Balance leaves
//! [`balance_leaf`]: `u16` big-endian byte length of the account code, the code's UTF-8
//! bytes, then the balance in sen as a 16-byte big-endian two's-complement `i128`. Leaves are
//! ordered by strictly increasing account code (bytewise) and hashed as an RFC 6962 tree; a
//! [`BalanceProof`] is an inclusion proof of one leaf in it.
//!
//! ## What a city office does
//! 1. Store each month's signed checkpoint and the cooperative's vkey.
//! 2. To check that history only grew, ask the cooperative for
//!    [`AuditLog::consistency_chain`] over the stored sizes and run
//!    [`verify_consistency_chain`] on the stored tree heads: any changed, removed, inserted
//!    or reordered entry before a stored size breaks the chain.
//! 3. To check a balance, ask for a [`BalanceProof`] and run
//!    [`BalanceProof::verify_checkpoint`] with the verified checkpoint of that size; to check
//!    that an account did not exist at that size, an [`AbsenceProof`]
//!    ([`BalanceTree::prove_absence`]: its two neighbours in code order are adjacent
//!    leaves).
//! 4. To audit the full books, recompute the log from the entries with [`verify_log`].
//!
//! # Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | jejak audit, log audit | [`AuditLog`] |
//! | kepala pohon (ukuran + akar) | [`TreeHead`] |
//! | bukti inklusi | [`InclusionProof`] |
//! | bukti konsistensi | [`ConsistencyProof`] |
//! | titik periksa, laporan bulanan bertanda tangan | [`Checkpoint`], [`Note`] |
//! | tanda tangan koperasi, kunci publik | [`NoteSigner`], [`NoteVerifier`] |
//! | saldo akun, bukti saldo | [`BalanceTree`], [`BalanceProof`] |
//! | bukti akun tidak ada | [`AbsenceProof`] |
//! | dinas koperasi (pemeriksa) | the verifier of [`verify_consistency_chain`] |
//!
//! # Invariants (each has a named property test)
//! * The root at every size equals the naive recursive RFC 6962 `MTH` —
//!   `prop_root_matches_reference` (and exhaustively for sizes 0..=70).
//! * Every inclusion and consistency proof produced verifies — `prop_inclusion_proofs_verify`,
//!   `prop_consistency_proofs_verify`; any corrupted proof, wrong leaf or wrong index is
//!   rejected — `prop_wrong_proof_rejected`.
//! * Any changed leaf changes the root — `prop_tampered_leaf_changes_root`; any reordered,
//!   inserted or removed leaf fails [`verify_log`] and the consistency check —
//!   `prop_any_reorder_insert_delete_detected`.
//! * Checkpoint text round-trips — `prop_checkpoint_text_round_trip`,
//!   `prop_signed_checkpoint_round_trip`.
//! * Every balance proof verifies, and a changed balance does not —
//!   `prop_balance_proof_verifies`; an account has either a balance proof or an absence
//!   proof, never both — `prop_absence_proof_verifies`.
//!
//! # Panics
//! Nothing in this module panics; all failures are [`Error`] values.
//!
//! # Performance
//! [`AuditLog`] keeps every complete subtree hash: appends cost one leaf hash plus one node
//! hash amortised, and past roots and proofs are `O(log n)`. About 64 bytes per leaf.

mod balance;
mod checkpoint;
mod hash;
mod log;

pub use balance::{AbsenceProof, BalanceProof, BalanceTree, balance_leaf};
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
    /// An absence proof asked for an account that is in the tree.
    #[error("account {code:?} is in the balance tree; prove its balance instead")]
    AccountExists {
        /// The code asked for.
        code: String,
    },
    /// An absence proof whose neighbours do not show the account is missing.
    #[error("absence not proven: {reason}")]
    AbsenceNotProven {
        /// What is wrong.
        reason: &'static str,
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

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNED: &str = "koperasi.example/kdmp-sukamaju/ledger
3
xgRNMUDy61nQEZYfvRgaSYW8HaoZcC268Nw+d4bY2KI=
balances 4870b3eb6ed2c93c8f771fc244f6cdc33a4d566ec8d9222aa048d3fa1404a76a

\u{2014} kdmp-sukamaju 0it2WMGHdeCltQuDmVMZ8dOj0fxAg02cvBZQlrRKI7xAe0VYblvXdWiOoaV0niPKfuyzh2IvgMFpqJMIlVmhbUEZngM=
";

    #[test]
    fn guide_vector() {
        let mut log = AuditLog::new();
        log.append(b"JU-2026-0001 setoran simpanan pokok Siti Rahayu 100000.00");
        log.append(b"JU-2026-0002 setoran simpanan wajib Siti Rahayu 50000.00");
        log.append(b"JU-2026-0003 penjualan gerai sembako 1250000.00");
        let balances = BalanceTree::from_balances(
            3,
            [
                ("1-101", 140_000_000),
                ("3-101", 10_000_000),
                ("3-102", 5_000_000),
            ],
        )
        .unwrap();
        let signer = NoteSigner::new(
            "kdmp-sukamaju",
            ed25519_dalek::SigningKey::from_bytes(&[7; 32]),
        )
        .unwrap();
        let signed = Checkpoint::new("koperasi.example/kdmp-sukamaju/ledger", log.tree_head())
            .unwrap()
            .with_balances_root(balances.root())
            .unwrap()
            .sign(&signer);
        assert_eq!(signed, SIGNED);
        assert_eq!(
            signer.verifier().to_vkey(),
            "kdmp-sukamaju+d22b7658+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trips() {
        let mut log = AuditLog::new();
        for i in 0..9u8 {
            log.append(&[i]);
        }
        let head = log.tree_head();
        let json = serde_json::to_string(&head).unwrap();
        assert_eq!(json, format!("{{\"size\":9,\"root\":\"{}\"}}", head.root));
        assert_eq!(serde_json::from_str::<TreeHead>(&json).unwrap(), head);
        let p = log.inclusion_proof(4, 9).unwrap();
        let back: InclusionProof =
            serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
        let c = log.consistency_proof(5, 9).unwrap();
        let back: ConsistencyProof =
            serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        let b = BalanceTree::from_balances(9, [("1-101", -5), ("1-102", 7)]).unwrap();
        let bp = b.prove("1-102").unwrap();
        let back: BalanceProof =
            serde_json::from_str(&serde_json::to_string(&bp).unwrap()).unwrap();
        assert_eq!(back, bp);
        back.verify(&b.root()).unwrap();
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = Error::ConsistencyChain {
            step: 2,
            source: Box::new(Error::ProofLength {
                expected: 3,
                found: 2,
            }),
        };
        assert_eq!(
            e.to_string(),
            "consistency chain broken at step 2 (head 2 to head 3): proof has 2 hashes, 3 expected"
        );
        assert_eq!(
            Error::ChainLength {
                heads: 4,
                proofs: 1
            }
            .to_string(),
            "consistency chain of 4 tree heads needs 3 proofs, got 1"
        );
        assert_eq!(
            Error::InvalidTreeSize {
                line: 2,
                text: "01".into()
            }
            .to_string(),
            "line 2: tree size \"01\" is not a decimal number without leading zeros"
        );
    }
}

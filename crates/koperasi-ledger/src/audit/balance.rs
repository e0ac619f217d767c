//! Balance proofs: a Merkle tree over every account's balance at one tree size.

use super::{AuditLog, Checkpoint, Error, Hash, InclusionProof, TreeHead};

/// The canonical leaf of a [`BalanceTree`]: `u16` big-endian byte length of the account code,
/// the code's UTF-8 bytes, then the balance in sen as a big-endian two's-complement `i128`.
///
/// ```
/// use koperasi_ledger::audit::balance_leaf;
///
/// let leaf = balance_leaf("1-101", 150_000_00)?;
/// assert_eq!(&leaf[..2], &[0, 5]);
/// assert_eq!(&leaf[2..7], b"1-101");
/// assert_eq!(&leaf[7..], &15_000_000_i128.to_be_bytes());
/// # Ok::<(), koperasi_ledger::audit::Error>(())
/// ```
///
/// # Errors
/// [`Error::EmptyAccountCode`] for `""`, [`Error::AccountCodeTooLong`] above 65,535 bytes
/// (both with index 0).
pub fn balance_leaf(code: &str, balance_sen: i128) -> Result<Vec<u8>, Error> {
    encode_leaf(0, code, balance_sen)
}

fn encode_leaf(index: usize, code: &str, balance_sen: i128) -> Result<Vec<u8>, Error> {
    if code.is_empty() {
        return Err(Error::EmptyAccountCode { index });
    }
    let len = u16::try_from(code.len()).map_err(|_| Error::AccountCodeTooLong {
        index,
        len: code.len(),
    })?;
    let mut leaf = Vec::with_capacity(code.len().saturating_add(18));
    leaf.extend_from_slice(&len.to_be_bytes());
    leaf.extend_from_slice(code.as_bytes());
    leaf.extend_from_slice(&balance_sen.to_be_bytes());
    Ok(leaf)
}

/// Every account's balance at one log tree size, committed to by one state root: an RFC 6962
/// Merkle tree over [`balance_leaf`]s in strictly increasing (bytewise) account-code order.
///
/// The state root goes into the checkpoint of that tree size as the extension line
/// `balances <hex root>` ([`Checkpoint::with_balances_root`]); a [`BalanceProof`] then shows
/// one account's balance against a signed checkpoint.
///
/// # Invariants
/// Account codes are strictly increasing; every account's proof verifies against
/// [`BalanceTree::root`] (`prop_balance_proof_verifies`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(alias = "saldo")]
#[doc(alias = "bukti saldo")]
pub struct BalanceTree {
    tree_size: u64,
    accounts: Vec<(String, i128)>,
    merkle: AuditLog,
}

impl BalanceTree {
    /// Builds the tree of the balances at log tree size `tree_size`, given in strictly
    /// increasing account-code order (as a `BTreeMap` iterates).
    ///
    /// # Errors
    /// [`Error::BalancesNotSorted`] or [`Error::DuplicateAccount`] (with the position) when the
    /// codes are not strictly increasing, [`Error::EmptyAccountCode`],
    /// [`Error::AccountCodeTooLong`].
    pub fn from_balances<'a, I>(tree_size: u64, balances: I) -> Result<BalanceTree, Error>
    where
        I: IntoIterator<Item = (&'a str, i128)>,
    {
        let iter = balances.into_iter();
        let mut accounts: Vec<(String, i128)> = Vec::with_capacity(iter.size_hint().0);
        let mut merkle = AuditLog::with_capacity(iter.size_hint().0);
        for (index, (code, sen)) in iter.enumerate() {
            if let Some((previous, _)) = accounts.last() {
                if previous.as_str() == code {
                    return Err(Error::DuplicateAccount {
                        index,
                        code: code.to_owned(),
                    });
                }
                if previous.as_str() > code {
                    return Err(Error::BalancesNotSorted {
                        index,
                        previous: previous.clone(),
                        code: code.to_owned(),
                    });
                }
            }
            merkle.append(&encode_leaf(index, code, sen)?);
            accounts.push((code.to_owned(), sen));
        }
        Ok(BalanceTree {
            tree_size,
            accounts,
            merkle,
        })
    }

    /// The log tree size these balances belong to.
    pub fn tree_size(&self) -> u64 {
        self.tree_size
    }

    /// The state root ([`Hash::EMPTY_TREE`] when there are no accounts).
    pub fn root(&self) -> Hash {
        self.merkle.tree_head().root
    }

    /// Number of accounts.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// Whether there are no accounts.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The balance of `code`, in sen.
    pub fn balance(&self, code: &str) -> Option<i128> {
        let i = self.position(code)?;
        self.accounts.get(i).map(|(_, sen)| *sen)
    }

    /// The accounts and balances (sen), in code order.
    pub fn accounts(&self) -> impl Iterator<Item = (&str, i128)> {
        self.accounts.iter().map(|(c, s)| (c.as_str(), *s))
    }

    /// Proof of `code`'s balance.
    ///
    /// # Errors
    /// [`Error::AccountNotFound`] if the tree has no such account.
    pub fn prove(&self, code: &str) -> Result<BalanceProof, Error> {
        let not_found = || Error::AccountNotFound {
            code: code.to_owned(),
        };
        let index = self.position(code).ok_or_else(not_found)?;
        let (_, balance_sen) = self.accounts.get(index).ok_or_else(not_found)?;
        let leaf_index = u64::try_from(index).map_err(|_| not_found())?;
        let proof = self.merkle.inclusion_proof(leaf_index, self.merkle.len())?;
        Ok(BalanceProof {
            tree_size: self.tree_size,
            account: code.to_owned(),
            balance_sen: *balance_sen,
            leaf_index,
            leaf_count: proof.tree_size,
            state_root: self.root(),
            path: proof.path,
        })
    }

    /// Proof that `code` has **no** leaf in the tree: the inclusion proofs of its two
    /// neighbours in code order (or of the first or last leaf, or nothing for an empty tree).
    ///
    /// # Errors
    /// [`Error::AccountExists`] if the account is in the tree (prove its balance instead).
    pub fn prove_absence(&self, code: &str) -> Result<AbsenceProof, Error> {
        let Err(insert_at) = self
            .accounts
            .binary_search_by(|(c, _)| c.as_str().cmp(code))
        else {
            return Err(Error::AccountExists {
                code: code.to_owned(),
            });
        };
        let neighbour = |i: usize| -> Result<BalanceProof, Error> {
            let (c, _) = self.accounts.get(i).ok_or_else(|| Error::AccountNotFound {
                code: code.to_owned(),
            })?;
            self.prove(c)
        };
        let before = match insert_at.checked_sub(1) {
            Some(i) => Some(neighbour(i)?),
            None => None,
        };
        let after = if insert_at < self.accounts.len() {
            Some(neighbour(insert_at)?)
        } else {
            None
        };
        Ok(AbsenceProof {
            tree_size: self.tree_size,
            account: code.to_owned(),
            leaf_count: self.merkle.len(),
            state_root: self.root(),
            before,
            after,
        })
    }

    fn position(&self, code: &str) -> Option<usize> {
        self.accounts
            .binary_search_by(|(c, _)| c.as_str().cmp(code))
            .ok()
    }
}

/// Proof that `account` had balance `balance_sen` at log tree size `tree_size`: an inclusion
/// proof of its [`balance_leaf`] in the [`BalanceTree`] with root `state_root`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "bukti saldo")]
pub struct BalanceProof {
    /// The log tree size the balance is as of.
    pub tree_size: u64,
    /// The account code.
    pub account: String,
    /// The balance, in sen (debit-positive or as the ledger defines; opaque here).
    pub balance_sen: i128,
    /// Index of the account's leaf in the balance tree.
    pub leaf_index: u64,
    /// Number of accounts in the balance tree.
    pub leaf_count: u64,
    /// Root of the balance tree.
    pub state_root: Hash,
    /// Inclusion path of the leaf, leaf to root.
    pub path: Vec<Hash>,
}

/// [`Error::StateRootMismatch`] unless the proof's state root is the trusted one.
fn same_state_root(found: &Hash, expected: &Hash) -> Result<(), Error> {
    if found == expected {
        Ok(())
    } else {
        Err(Error::StateRootMismatch {
            expected: *expected,
            found: *found,
        })
    }
}

impl BalanceProof {
    /// Verifies the proof against a state root the verifier trusts (from a checkpoint).
    ///
    /// # Errors
    /// [`Error::StateRootMismatch`] if the proof is for another state root; the errors of
    /// [`InclusionProof::verify`] if the path does not lead from the leaf to that root.
    pub fn verify(&self, expected_state_root: &Hash) -> Result<(), Error> {
        same_state_root(&self.state_root, expected_state_root)?;
        let leaf = balance_leaf(&self.account, self.balance_sen)?;
        let proof = InclusionProof {
            leaf_index: self.leaf_index,
            tree_size: self.leaf_count,
            path: self.path.clone(),
        };
        proof.verify(
            &leaf,
            &TreeHead {
                size: self.leaf_count,
                root: self.state_root,
            },
        )
    }

    /// Verifies the proof against a checkpoint (already signature-checked, e.g. by
    /// [`Checkpoint::verify_signed`]): same tree size, and its `balances` extension holds the
    /// state root.
    ///
    /// # Errors
    /// [`Error::TreeSizeMismatch`] for another tree size, [`Error::MissingBalancesExtension`]
    /// if the checkpoint has no `balances` line, then as [`BalanceProof::verify`].
    pub fn verify_checkpoint(&self, checkpoint: &Checkpoint) -> Result<(), Error> {
        if self.tree_size != checkpoint.size() {
            return Err(Error::TreeSizeMismatch {
                proof: self.tree_size,
                head: checkpoint.size(),
            });
        }
        let root = checkpoint
            .balances_root()
            .ok_or(Error::MissingBalancesExtension)?;
        self.verify(&root)
    }
}

/// Proof that `account` has no leaf in the [`BalanceTree`] with root `state_root` (no such
/// account at that tree size): its neighbours in code order are adjacent leaves.
///
/// Like every proof over a sorted tree, it relies on the tree being sorted by code, which
/// [`BalanceTree::from_balances`] enforces and a full audit (replaying the log) confirms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "bukti akun tidak ada")]
pub struct AbsenceProof {
    /// The log tree size the balances are as of.
    pub tree_size: u64,
    /// The account code shown absent.
    pub account: String,
    /// Number of accounts in the balance tree.
    pub leaf_count: u64,
    /// Root of the balance tree.
    pub state_root: Hash,
    /// The last account before `account` in code order, if any.
    pub before: Option<BalanceProof>,
    /// The first account after `account` in code order, if any.
    pub after: Option<BalanceProof>,
}

impl AbsenceProof {
    /// Verifies the proof against a trusted state root.
    ///
    /// # Errors
    /// [`Error::StateRootMismatch`] for another state root, the errors of
    /// [`BalanceProof::verify`] for a neighbour, and [`Error::AbsenceNotProven`] if the
    /// neighbours are not adjacent, not on both sides of the account, or disagree with the
    /// proof's tree.
    pub fn verify(&self, expected_state_root: &Hash) -> Result<(), Error> {
        same_state_root(&self.state_root, expected_state_root)?;
        let fail = |reason: &'static str| Err(Error::AbsenceNotProven { reason });
        for n in [&self.before, &self.after].into_iter().flatten() {
            if n.tree_size != self.tree_size || n.leaf_count != self.leaf_count {
                return fail("a neighbour belongs to another tree");
            }
            n.verify(&self.state_root)?;
        }
        match (&self.before, &self.after) {
            (None, None) => {
                if self.leaf_count != 0 || self.state_root != Hash::EMPTY_TREE {
                    return fail("no neighbours given for a non-empty tree");
                }
            }
            (Some(b), None) => {
                if b.account.as_str() >= self.account.as_str() {
                    return fail("the account before does not sort before the account");
                }
                if b.leaf_index.checked_add(1) != Some(self.leaf_count) {
                    return fail("the account before is not the last leaf");
                }
            }
            (None, Some(a)) => {
                if a.account.as_str() <= self.account.as_str() {
                    return fail("the account after does not sort after the account");
                }
                if a.leaf_index != 0 {
                    return fail("the account after is not the first leaf");
                }
            }
            (Some(b), Some(a)) => {
                if b.account.as_str() >= self.account.as_str()
                    || a.account.as_str() <= self.account.as_str()
                {
                    return fail("the neighbours are not on both sides of the account");
                }
                if b.leaf_index.checked_add(1) != Some(a.leaf_index) {
                    return fail("the neighbours are not adjacent leaves");
                }
            }
        }
        Ok(())
    }

    /// Verifies the proof against a (signature-checked) checkpoint of the same tree size.
    ///
    /// # Errors
    /// [`Error::TreeSizeMismatch`], [`Error::MissingBalancesExtension`], then as
    /// [`AbsenceProof::verify`].
    pub fn verify_checkpoint(&self, checkpoint: &Checkpoint) -> Result<(), Error> {
        if self.tree_size != checkpoint.size() {
            return Err(Error::TreeSizeMismatch {
                proof: self.tree_size,
                head: checkpoint.size(),
            });
        }
        let root = checkpoint
            .balances_root()
            .ok_or(Error::MissingBalancesExtension)?;
        self.verify(&root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn sample() -> BalanceTree {
        BalanceTree::from_balances(
            42,
            [
                ("1-101", 15_000_000),
                ("1-102", 250_000_000),
                ("2-201", -7_500_000),
                ("3-301", 0),
            ],
        )
        .unwrap()
    }

    #[test]
    fn root_is_rfc6962_over_canonical_leaves() {
        let t = sample();
        let leaves: Vec<Vec<u8>> = t
            .accounts()
            .map(|(c, s)| balance_leaf(c, s).unwrap())
            .collect();
        assert_eq!(
            t.root(),
            super::super::compute_tree_head(leaves.iter().map(Vec::as_slice)).root
        );
        assert_eq!(t.len(), 4);
        assert!(!t.is_empty());
        assert_eq!(t.tree_size(), 42);
        assert_eq!(t.balance("2-201"), Some(-7_500_000));
        assert_eq!(t.balance("9"), None);
        let empty = BalanceTree::from_balances(0, []).unwrap();
        assert_eq!(empty.root(), Hash::EMPTY_TREE);
        assert!(empty.is_empty());
        assert_eq!(
            empty.prove("1"),
            Err(Error::AccountNotFound { code: "1".into() })
        );
    }

    #[test]
    fn proof_against_signed_checkpoint() {
        use crate::audit::{Checkpoint, NoteSigner};
        use ed25519_dalek::SigningKey;
        let t = sample();
        let signer = NoteSigner::new("kdmp-sukamaju", SigningKey::from_bytes(&[1; 32])).unwrap();
        let cp = Checkpoint::new(
            "kdmp",
            TreeHead {
                size: 42,
                root: Hash::of_leaf(b"log"),
            },
        )
        .unwrap()
        .with_balances_root(t.root())
        .unwrap();
        let signed = cp.sign(&signer);
        // The city office: only the signed checkpoint, the cooperative's public key and a proof.
        let trusted = Checkpoint::verify_signed(&signed, &signer.verifier()).unwrap();
        let proof = t.prove("1-102").unwrap();
        assert_eq!(proof.balance_sen, 250_000_000);
        proof.verify_checkpoint(&trusted).unwrap();

        let mut lie = proof.clone();
        lie.balance_sen += 1;
        assert!(matches!(
            lie.verify_checkpoint(&trusted),
            Err(Error::RootMismatch { .. })
        ));
        let mut other = proof.clone();
        other.account = "1-101".into();
        assert!(other.verify(&t.root()).is_err());
        let mut wrong_size = proof.clone();
        wrong_size.tree_size = 41;
        assert_eq!(
            wrong_size.verify_checkpoint(&trusted),
            Err(Error::TreeSizeMismatch {
                proof: 41,
                head: 42
            })
        );
        let bare = Checkpoint::new(
            "kdmp",
            TreeHead {
                size: 42,
                root: Hash::EMPTY_TREE,
            },
        )
        .unwrap();
        assert_eq!(
            proof.verify_checkpoint(&bare),
            Err(Error::MissingBalancesExtension)
        );
        assert_eq!(
            proof.verify(&Hash::EMPTY_TREE),
            Err(Error::StateRootMismatch {
                expected: Hash::EMPTY_TREE,
                found: t.root()
            })
        );
        let mut forged = proof.clone();
        forged.account = String::new();
        assert_eq!(
            forged.verify(&t.root()),
            Err(Error::EmptyAccountCode { index: 0 })
        );
    }

    #[test]
    fn input_errors() {
        assert_eq!(
            BalanceTree::from_balances(1, [("2", 1), ("1", 2)]),
            Err(Error::BalancesNotSorted {
                index: 1,
                previous: "2".into(),
                code: "1".into()
            })
        );
        assert_eq!(
            BalanceTree::from_balances(1, [("1", 1), ("2", 2), ("2", 3)]),
            Err(Error::DuplicateAccount {
                index: 2,
                code: "2".into()
            })
        );
        assert_eq!(
            BalanceTree::from_balances(1, [("1", 1), ("", 2)]),
            Err(Error::BalancesNotSorted {
                index: 1,
                previous: "1".into(),
                code: String::new()
            })
        );
        assert_eq!(
            BalanceTree::from_balances(1, [("", 2)]),
            Err(Error::EmptyAccountCode { index: 0 })
        );
        let long = "9".repeat(70_000);
        assert_eq!(
            BalanceTree::from_balances(1, [("1", 1), (long.as_str(), 2)]),
            Err(Error::AccountCodeTooLong {
                index: 1,
                len: 70_000
            })
        );
        assert_eq!(
            balance_leaf(&long, 0),
            Err(Error::AccountCodeTooLong {
                index: 0,
                len: 70_000
            })
        );
        assert_eq!(
            sample().prove("9-999"),
            Err(Error::AccountNotFound {
                code: "9-999".into()
            })
        );
    }

    #[test]
    fn absence_proofs() {
        let t = sample(); // 1-101, 1-102, 2-201, 3-301
        let root = t.root();
        for code in ["0", "1-101a", "1-2", "2-999", "9"] {
            let p = t.prove_absence(code).unwrap();
            p.verify(&root).unwrap();
        }
        assert!(t.prove_absence("0").unwrap().before.is_none());
        assert!(t.prove_absence("9").unwrap().after.is_none());
        assert_eq!(
            t.prove_absence("1-102"),
            Err(Error::AccountExists {
                code: "1-102".into()
            })
        );
        let empty = BalanceTree::from_balances(3, []).unwrap();
        empty
            .prove_absence("1-101")
            .unwrap()
            .verify(&Hash::EMPTY_TREE)
            .unwrap();

        let fail = |reason| Err(Error::AbsenceNotProven { reason });
        let mid = t.prove_absence("1-2").unwrap();
        // Claiming absence of an account that sits between non-adjacent leaves.
        let mut gap = mid.clone();
        gap.after = t.prove_absence("3").unwrap().after;
        gap.account = "2-5".into();
        assert_eq!(
            gap.verify(&root),
            fail("the neighbours are not adjacent leaves")
        );
        let mut wrong_side = mid.clone();
        wrong_side.account = "2-500".into();
        assert_eq!(
            wrong_side.verify(&root),
            fail("the neighbours are not on both sides of the account")
        );
        let mut none = mid.clone();
        none.before = None;
        none.after = None;
        assert_eq!(
            none.verify(&root),
            fail("no neighbours given for a non-empty tree")
        );
        let mut not_first = mid.clone();
        not_first.before = None;
        assert_eq!(
            not_first.verify(&root),
            fail("the account after is not the first leaf")
        );
        let mut not_last = mid.clone();
        not_last.after = None;
        assert_eq!(
            not_last.verify(&root),
            fail("the account before is not the last leaf")
        );
        let mut first_wrong = t.prove_absence("0").unwrap();
        first_wrong.account = "5".into();
        assert_eq!(
            first_wrong.verify(&root),
            fail("the account after does not sort after the account")
        );
        let mut last_wrong = t.prove_absence("9").unwrap();
        last_wrong.account = "0".into();
        assert_eq!(
            last_wrong.verify(&root),
            fail("the account before does not sort before the account")
        );
        let mut other_tree = mid.clone();
        other_tree.leaf_count = 5;
        assert_eq!(
            other_tree.verify(&root),
            fail("a neighbour belongs to another tree")
        );
        assert_eq!(
            mid.verify(&Hash::EMPTY_TREE),
            Err(Error::StateRootMismatch {
                expected: Hash::EMPTY_TREE,
                found: root
            })
        );
        let mut bad_neighbour = mid.clone();
        if let Some(b) = bad_neighbour.before.as_mut() {
            b.balance_sen += 1;
        }
        assert!(matches!(
            bad_neighbour.verify(&root),
            Err(Error::RootMismatch { .. })
        ));

        let cp = Checkpoint::new(
            "kdmp",
            TreeHead {
                size: 42,
                root: Hash::EMPTY_TREE,
            },
        )
        .unwrap()
        .with_balances_root(root)
        .unwrap();
        mid.verify_checkpoint(&cp).unwrap();
        let bare = Checkpoint::new(
            "kdmp",
            TreeHead {
                size: 42,
                root: Hash::EMPTY_TREE,
            },
        )
        .unwrap();
        assert_eq!(
            mid.verify_checkpoint(&bare),
            Err(Error::MissingBalancesExtension)
        );
        let later = Checkpoint::new(
            "kdmp",
            TreeHead {
                size: 43,
                root: Hash::EMPTY_TREE,
            },
        )
        .unwrap();
        assert_eq!(
            mid.verify_checkpoint(&later),
            Err(Error::TreeSizeMismatch {
                proof: 42,
                head: 43
            })
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn prop_absence_proof_verifies(
            balances in prop::collection::btree_map("[0-9]{1,2}", any::<i128>(), 0..40),
            probe in "[0-9]{1,2}",
        ) {
            let t = BalanceTree::from_balances(1, balances.iter().map(|(c, s)| (c.as_str(), *s)))
                .unwrap();
            if balances.contains_key(&probe) {
                prop_assert!(t.prove_absence(&probe).is_err());
                prop_assert!(t.prove(&probe).unwrap().verify(&t.root()).is_ok());
            } else {
                prop_assert!(t.prove_absence(&probe).unwrap().verify(&t.root()).is_ok());
                prop_assert!(t.prove(&probe).is_err());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn prop_balance_proof_verifies(
            balances in prop::collection::btree_map("[0-9]{1,2}(-[0-9]{3})?", any::<i128>(), 1..120),
            pick in any::<usize>(),
            delta in 1i128..1_000,
        ) {
            let map: BTreeMap<String, i128> = balances;
            let t = BalanceTree::from_balances(7, map.iter().map(|(c, s)| (c.as_str(), *s))).unwrap();
            let (code, sen) = map.iter().nth(pick % map.len()).unwrap();
            let proof = t.prove(code).unwrap();
            prop_assert_eq!(proof.balance_sen, *sen);
            prop_assert!(proof.verify(&t.root()).is_ok());
            let mut lie = proof.clone();
            lie.balance_sen = sen.wrapping_add(delta);
            prop_assert!(lie.verify(&t.root()).is_err());
        }
    }
}

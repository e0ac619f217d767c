//! Inputs, outputs and the distribution itself.

use std::collections::BTreeMap;
use std::fmt::Display;

use koperasi_core::{RoundingMode, RoundingPolicy, Rupiah, split_exact, split_floor};
use rust_decimal::Decimal;

use crate::{
    DepartedMembers, Error, LineKind, NonMemberShu, PatronageBasis, Pool, Result, RoundingMethod,
    ShareRounding, ShuPolicy,
};

/// A member's savings balances (average or year-end: see
/// [`BalanceKind`](crate::BalanceKind)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "simpanan")]
pub struct Savings {
    /// Simpanan pokok.
    #[cfg_attr(feature = "serde", serde(default = "zero"))]
    pub pokok: Rupiah,
    /// Simpanan wajib.
    #[cfg_attr(feature = "serde", serde(default = "zero"))]
    pub wajib: Rupiah,
    /// Simpanan sukarela (counted only with
    /// [`CapitalBasis::include_sukarela`](crate::CapitalBasis::include_sukarela)).
    #[cfg_attr(feature = "serde", serde(default = "zero"))]
    pub sukarela: Rupiah,
}

// `Rupiah::default()` (derived in koperasi-core) is a zero of scale 0, which its checked
// arithmetic rejects; the defaults here use `Rupiah::ZERO`.
#[cfg(feature = "serde")]
fn zero() -> Rupiah {
    Rupiah::ZERO
}

impl Default for Savings {
    /// All balances zero.
    fn default() -> Self {
        Savings {
            pokok: Rupiah::ZERO,
            wajib: Rupiah::ZERO,
            sukarela: Rupiah::ZERO,
        }
    }
}

impl Default for Transactions {
    /// No transactions.
    fn default() -> Self {
        Transactions {
            purchases: Rupiah::ZERO,
            loan_interest: Rupiah::ZERO,
            units: BTreeMap::new(),
        }
    }
}

/// A member's transactions with the cooperative during the year.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "transaksi")]
pub struct Transactions {
    /// Purchases from the cooperative ([`PatronageBasis::Purchases`]).
    #[cfg_attr(feature = "serde", serde(default = "zero"))]
    pub purchases: Rupiah,
    /// Loan interest paid ([`PatronageBasis::LoanInterest`]).
    #[cfg_attr(feature = "serde", serde(default = "zero"))]
    pub loan_interest: Rupiah,
    /// Transactions per business unit ([`PatronageBasis::Units`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub units: BTreeMap<String, Rupiah>,
}

/// One member's contribution to the year, identified by a caller-chosen key `K`.
///
/// `K` is generic (`Ord + Clone + Display`) so that the cooperative's book passes its
/// [`MemberId`](koperasi_core::MemberId)s and a CLI or a spreadsheet import passes member
/// numbers such as `"A-001"`, with no conversion and no allocation per member. `Ord` is what
/// makes the result independent of the input order (members are sorted by key before
/// splitting); `Display` names a duplicate in the error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MemberContribution<K> {
    /// The member's key.
    pub id: K,
    /// Savings balances (capital basis).
    #[cfg_attr(feature = "serde", serde(default))]
    pub savings: Savings,
    /// Transactions (patronage basis).
    #[cfg_attr(feature = "serde", serde(default))]
    pub transactions: Transactions,
    /// The member left the cooperative during the year (see
    /// [`DepartedMembers`](crate::DepartedMembers)).
    #[cfg_attr(feature = "serde", serde(default))]
    pub left_during_year: bool,
}

impl<K> MemberContribution<K> {
    /// A member with the given savings and transactions, active at year end.
    pub fn new(id: K, savings: Savings, transactions: Transactions) -> Self {
        MemberContribution {
            id,
            savings,
            transactions,
            left_during_year: false,
        }
    }

    /// A member whose capital basis and purchases are already known as single figures (as in
    /// textbook exercises): `capital` is recorded as simpanan pokok (so it is the basis under
    /// the default pokok + wajib rule) and `patronage` as purchases.
    pub fn simple(id: K, capital: Rupiah, patronage: Rupiah) -> Self {
        MemberContribution::new(
            id,
            Savings {
                pokok: capital,
                ..Savings::default()
            },
            Transactions {
                purchases: patronage,
                ..Transactions::default()
            },
        )
    }

    /// The same member, marked as having left during the year.
    #[must_use]
    pub fn departed(mut self) -> Self {
        self.left_during_year = true;
        self
    }
}

/// Published totals of the contribution bases, for computing shares from figures such as a
/// RAT report's (textbook exercises: "total simpanan anggota Rp60.000.000"). Members given to
/// [`distribute`] may then be only some of the members: the part of each pool that belongs to
/// the others is reported as [`PoolResult::unpaid`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Totals {
    /// Total capital basis of all members.
    #[cfg_attr(feature = "serde", serde(default))]
    pub capital: Option<Rupiah>,
    /// Total patronage basis of all members (not for a per-unit basis).
    #[cfg_attr(feature = "serde", serde(default))]
    pub patronage: Option<Rupiah>,
    /// Total transactions per business unit (per-unit basis only).
    #[cfg_attr(feature = "serde", serde(default))]
    pub units: BTreeMap<String, Rupiah>,
}

/// The year's figures: the SHU and what is known about it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "SHU tahun berjalan")]
pub struct ShuYear {
    /// SHU of the year (after tax). Negative for a loss year.
    pub shu: Rupiah,
    /// The part of the SHU earned from business with non-members, where known. Only the
    /// member-sourced part feeds the member pools.
    #[cfg_attr(feature = "serde", serde(default))]
    pub from_non_members: Option<Rupiah>,
    /// The cadangan balance before this SHU, to report how much of a loss it covers.
    #[cfg_attr(feature = "serde", serde(default))]
    pub reserve_balance: Option<Rupiah>,
    /// Published totals of the bases (optional; default: Σ over the members given).
    #[cfg_attr(feature = "serde", serde(default))]
    pub totals: Totals,
}

impl ShuYear {
    /// A year with this SHU, all of it member-sourced, no stated totals.
    pub fn new(shu: Rupiah) -> Self {
        ShuYear {
            shu,
            from_non_members: None,
            reserve_balance: None,
            totals: Totals::default(),
        }
    }

    /// The same year with the non-member part of the SHU.
    #[must_use]
    pub fn with_non_member_part(mut self, from_non_members: Rupiah) -> Self {
        self.from_non_members = Some(from_non_members);
        self
    }

    /// The same year with the cadangan balance before this SHU.
    #[must_use]
    pub fn with_reserve_balance(mut self, reserve_balance: Rupiah) -> Self {
        self.reserve_balance = Some(reserve_balance);
        self
    }

    /// The same year with published totals.
    #[must_use]
    pub fn with_totals(mut self, totals: Totals) -> Self {
        self.totals = totals;
        self
    }
}

/// What [`distribute`] gives: a distribution, or — in a loss year — none.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ShuOutcome<K> {
    /// A positive (or zero) SHU, allocated and distributed.
    Distributed(Distribution<K>),
    /// A loss year: nothing is distributed.
    Loss(LossYear),
}

impl<K> ShuOutcome<K> {
    /// The distribution, unless this is a loss year.
    pub fn distribution(&self) -> Option<&Distribution<K>> {
        match self {
            ShuOutcome::Distributed(d) => Some(d),
            ShuOutcome::Loss(_) => None,
        }
    }

    /// The loss, if this is a loss year.
    pub fn loss(&self) -> Option<&LossYear> {
        match self {
            ShuOutcome::Loss(l) => Some(l),
            ShuOutcome::Distributed(_) => None,
        }
    }
}

/// A loss year (*SHU negatif / rugi*): no distribution; how much cadangan it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "rugi")]
#[doc(alias = "SHU negatif")]
pub struct LossYear {
    /// The loss, as a positive amount.
    pub loss: Rupiah,
    /// Cadangan needed to cover it in full (= `loss`).
    pub reserve_needed: Rupiah,
    /// With a known cadangan balance: how much of the loss it covers and what remains.
    pub coverage: Option<LossCoverage>,
}

/// How much of a loss the cadangan covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LossCoverage {
    /// The cadangan balance before the loss.
    pub reserve_balance: Rupiah,
    /// `min(loss, reserve_balance)`.
    pub covered: Rupiah,
    /// `loss − covered`: what the cadangan cannot cover (carried forward or per RAT).
    pub uncovered: Rupiah,
}

/// One allocation line's amount.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LineAmount {
    /// The line's name.
    pub name: String,
    /// Its kind.
    pub kind: LineKind,
    /// Its percentage.
    pub percent: Decimal,
    /// From the member-sourced SHU.
    pub from_members: Rupiah,
    /// From the non-member SHU.
    pub from_non_members: Rupiah,
    /// `from_members + from_non_members`. Σ over the lines = the SHU.
    pub amount: Rupiah,
    /// Rounding residue of the member pools credited to this line (cadangan only).
    pub residue_received: Rupiah,
    /// Undistributed member pools credited to this line (cadangan only): pools that no
    /// member contributed to (see [`PoolResult::undistributed`]). Not a rounding residue.
    #[doc(alias = "tidak terbagi")]
    pub undistributed_received: Rupiah,
}

impl LineAmount {
    /// What is booked to the line: `amount + residue_received + undistributed_received` (for
    /// a pool line, its `amount`; the pool's own residue and undistributed amount are shown
    /// on the cadangan line).
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn booked(&self) -> Result<Rupiah> {
        Ok(self
            .amount
            .checked_add(self.residue_received)?
            .checked_add(self.undistributed_received)?)
    }
}

/// One business unit's sub-pool of a per-unit jasa usaha basis.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitResult {
    /// The unit.
    pub unit: String,
    /// Its sub-pool.
    pub amount: Rupiah,
    /// Paid to the members given.
    pub paid: Rupiah,
    /// Belonging to members not given (explicit totals).
    pub unpaid: Rupiah,
    /// Rounding residue.
    pub residue: Rupiah,
    /// The whole sub-pool when nobody transacted in the unit (zero otherwise).
    pub undistributed: Rupiah,
}

/// One member pool's distribution. `paid + unpaid + residue + undistributed = amount`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PoolResult {
    /// The pool line's name.
    pub line: String,
    /// Which pool.
    pub pool: Pool,
    /// The pool (the line's member-sourced amount).
    pub amount: Rupiah,
    /// Σ of the members' shares.
    pub paid: Rupiah,
    /// The share of contributions of members not given, when explicit totals exceed the sum
    /// over the members given (rounded like a member share). Zero without explicit totals.
    pub unpaid: Rupiah,
    /// *Selisih pembulatan*: `amount − paid − unpaid − undistributed`, credited to cadangan.
    /// Only rounding: never more than one rounding step per member.
    #[doc(alias = "selisih pembulatan")]
    pub residue: Rupiah,
    /// The part of the pool nobody could receive because no member (given or, with stated
    /// totals, not given) had a basis for it — no members, or every basis zero — credited to
    /// cadangan. A separate, named outcome, not a rounding residue: callers should require
    /// the user's consent (the `koperasi shu distribute` command does).
    #[doc(alias = "tidak terbagi")]
    pub undistributed: Rupiah,
    /// Per business unit (per-unit basis only; empty otherwise).
    pub units: Vec<UnitResult>,
}

/// One member's SHU.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "SHU anggota")]
pub struct MemberShare<K> {
    /// The member's key.
    pub id: K,
    /// *Jasa modal* (JMA).
    #[doc(alias = "jasa modal")]
    pub capital: Rupiah,
    /// *Jasa usaha* (JUA), summed over units for a per-unit basis.
    #[doc(alias = "jasa usaha")]
    pub patronage: Rupiah,
    /// `capital + patronage`.
    pub total: Rupiah,
}

/// A year's SHU allocated to the lines and distributed to the members, exact to the sen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Distribution<K> {
    /// SHU of the year.
    pub shu: Rupiah,
    /// Member-sourced part.
    pub from_members: Rupiah,
    /// Non-member-sourced part.
    pub from_non_members: Rupiah,
    /// One per allocation line, in policy order; Σ `amount` = `shu`.
    pub lines: Vec<LineAmount>,
    /// One per member pool line, in policy order.
    pub pools: Vec<PoolResult>,
    /// One per member paid, **sorted by key**.
    pub members: Vec<MemberShare<K>>,
    /// Members left out because they left during the year ([`DepartedMembers::Exclude`]),
    /// sorted by key.
    pub excluded: Vec<K>,
    /// Σ of the pools' residues.
    pub residue: Rupiah,
    /// Σ of the pools' undistributed amounts (pools without any member basis), credited to
    /// the same cadangan line as the residue.
    pub undistributed: Rupiah,
    /// The line that received the residue (the first cadangan line), if there are pools.
    pub residue_to: Option<String>,
    /// The rounding applied to member amounts.
    pub rounding: ShareRounding,
}

impl<K: Ord> Distribution<K> {
    /// The share of one member (binary search: members are sorted by key).
    pub fn member(&self, id: &K) -> Option<&MemberShare<K>> {
        self.members
            .binary_search_by(|m| m.id.cmp(id))
            .ok()
            .and_then(|i| self.members.get(i))
    }
}

impl<K> Distribution<K> {
    /// The result of a pool.
    pub fn pool(&self, pool: Pool) -> Option<&PoolResult> {
        self.pools.iter().find(|p| p.pool == pool)
    }

    /// The amount of a line.
    pub fn line(&self, name: &str) -> Option<&LineAmount> {
        self.lines.iter().find(|l| l.name == name)
    }
}

impl ShuPolicy {
    /// Allocates and distributes a year's SHU under this policy. See [`distribute`].
    ///
    /// # Errors
    /// As [`distribute`].
    pub fn distribute<K: Ord + Clone + Display>(
        &self,
        year: &ShuYear,
        members: &[MemberContribution<K>],
    ) -> Result<ShuOutcome<K>> {
        distribute(self, year, members)
    }
}

/// Allocates a year's SHU to the policy's lines and distributes the member pools.
///
/// 1. **Loss year** (`shu < 0`): [`ShuOutcome::Loss`], nothing distributed (inputs are still
///    validated).
/// 2. **Allocation**: the member-sourced SHU over every line by percentage, the non-member SHU
///    per [`NonMemberShu`]; each by largest remainder to the sen, so Σ lines = SHU exactly.
/// 3. **Pools**: each member pool (its member-sourced amount) over the members in proportion
///    to their basis (`JMA_i = S_i/ΣS × pool`, `JUA_i = T_i/ΣT × pool`), with ΣS, ΣT the sums
///    over the members or the stated [`Totals`]; rounded per [`ShareRounding`]. Members are
///    **sorted by key before splitting**, so the result does not depend on the input order and
///    ties (largest remainder) go to the lower key.
/// 4. **Residue**: Σ over pools of `amount − paid − unpaid`, credited to the first cadangan line.
///
/// ```
/// use koperasi_shu::{distribute, MemberContribution, ShuPolicy, ShuYear};
/// use koperasi_core::Rupiah;
///
/// let policy = ShuPolicy::typical(); // jasa modal 20%, jasa usaha 20%
/// let year = ShuYear::new(Rupiah::from_rupiah(10_000_000));
/// let members = [
///     MemberContribution::simple("A-001", Rupiah::from_rupiah(1_000_000), Rupiah::from_rupiah(3_000_000)),
///     MemberContribution::simple("A-002", Rupiah::from_rupiah(2_000_000), Rupiah::ZERO),
/// ];
/// let out = distribute(&policy, &year, &members)?;
/// let d = out.distribution().unwrap();
/// let a1 = d.member(&"A-001").unwrap();
/// assert_eq!(a1.capital, Rupiah::from_rupiah(666_666));   // 2.000.000 × 1/3, floored
/// assert_eq!(a1.patronage, Rupiah::from_rupiah(2_000_000));
/// assert_eq!(d.residue, Rupiah::from_rupiah(1));          // to cadangan
/// assert_eq!(d.residue_to.as_deref(), Some("cadangan"));
/// # Ok::<(), koperasi_shu::Error>(())
/// ```
///
/// # Errors
/// Validation of the year and the members, before anything is computed:
/// [`Error::NonMemberShuOutOfRange`]; [`Error::NegativeAmount`] (a negative balance,
/// transaction, total or reserve balance, naming the member by position and key);
/// [`Error::DuplicateMember`]; [`Error::UnknownUnit`]; [`Error::UnusedTotal`];
/// [`Error::TotalsExceeded`] (the members' sum exceeds a stated total);
/// [`Error::NoMemberPool`] (members given, no pool line). [`Error::Core`] on arithmetic
/// overflow.
#[doc(alias = "pembagian SHU")]
#[doc(alias = "bagi SHU")]
pub fn distribute<K: Ord + Clone + Display>(
    policy: &ShuPolicy,
    year: &ShuYear,
    members: &[MemberContribution<K>],
) -> Result<ShuOutcome<K>> {
    // ---- validation (nothing is computed before all input is known good) ----
    let non_member = validate_year(year)?;
    let unit_names: Vec<&str> = match policy.patronage_basis() {
        PatronageBasis::Units(u) => u.iter().map(|u| u.unit.as_str()).collect(),
        _ => Vec::new(),
    };
    validate_totals(policy, &year.totals, &unit_names)?;
    let has_pool = policy.lines().iter().any(|l| l.kind.pool().is_some());
    if !members.is_empty() && !has_pool {
        return Err(Error::NoMemberPool {
            members: members.len(),
        });
    }

    // ---- one sequential pass: validate each member, take its key and bases in sen ----
    let include_sukarela = policy.capital_basis().include_sukarela;
    let patronage_field = match policy.patronage_basis() {
        PatronageBasis::Purchases => Some(false),
        PatronageBasis::LoanInterest => Some(true),
        PatronageBasis::Units(_) => None,
    };
    let mut rows: Vec<Row<'_, K>> = Vec::with_capacity(members.len());
    for (index, m) in members.iter().enumerate() {
        validate_member(index, m, &unit_names)?;
        let s = &m.savings;
        let mut capital = sen(s.pokok)?
            .checked_add(sen(s.wajib)?)
            .ok_or_else(overflow)?;
        if include_sukarela {
            capital = capital.checked_add(sen(s.sukarela)?).ok_or_else(overflow)?;
        }
        let patronage = match patronage_field {
            Some(false) => sen(m.transactions.purchases)?,
            Some(true) => sen(m.transactions.loan_interest)?,
            None => 0,
        };
        rows.push(Row {
            id: m.id.clone(),
            index,
            departed: m.left_during_year,
            member: m,
            capital,
            patronage,
        });
    }
    // ---- sorted by key: the result does not depend on the input order ----
    sort_by_key(&mut rows)?;
    let (rows, excluded) =
        if policy.departed() == DepartedMembers::Include || !rows.iter().any(|r| r.departed) {
            (rows, Vec::new())
        } else {
            let (left, rows): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.departed);
            (rows, left.into_iter().map(|r| r.id).collect::<Vec<K>>())
        };
    check_totals(&year.totals, &rows)?;

    // ---- loss year ----
    if year.shu.is_negative() {
        let loss = year.shu.negated();
        let coverage = year.reserve_balance.map(|reserve_balance| {
            let covered = loss.min(reserve_balance);
            LossCoverage {
                reserve_balance,
                covered,
                uncovered: loss.checked_sub(covered).unwrap_or(Rupiah::ZERO),
            }
        });
        return Ok(ShuOutcome::Loss(LossYear {
            loss,
            reserve_needed: loss,
            coverage,
        }));
    }

    // ---- allocation to lines ----
    let mut lines = allocate(policy, year.shu, non_member)?;

    // ---- pools ----
    let n = rows.len();
    // At most one pool of each kind (checked by the policy): its parts are the shares.
    let mut capital: Option<Vec<u128>> = None;
    let mut patronage: Option<Vec<u128>> = None;
    let mut pools = Vec::new();
    for line in &lines {
        let Some(pool) = line.kind.pool() else {
            continue;
        };
        let (result, acc, parts) = match pool {
            Pool::Capital => {
                let split = split_pool(
                    line.from_members,
                    rows.iter().map(|r| r.capital),
                    n,
                    year.totals.capital,
                    policy.rounding(),
                )?;
                (
                    PoolResult {
                        line: line.name.clone(),
                        pool,
                        amount: line.from_members,
                        paid: split.paid,
                        unpaid: split.unpaid,
                        residue: split.residue,
                        undistributed: split.undistributed,
                        units: Vec::new(),
                    },
                    &mut capital,
                    split.parts,
                )
            }
            Pool::Patronage => {
                let (result, parts) =
                    patronage_pool(policy, &year.totals, &line.name, line.from_members, &rows)?;
                (result, &mut patronage, parts)
            }
        };
        *acc = Some(parts);
        pools.push(result);
    }

    // ---- residue to cadangan ----
    let residue = Rupiah::try_sum(pools.iter().map(|p| p.residue))?;
    let undistributed = Rupiah::try_sum(pools.iter().map(|p| p.undistributed))?;
    let residue_to = if pools.is_empty() {
        None
    } else {
        let reserve = lines
            .iter_mut()
            .find(|l| l.kind == LineKind::Reserve)
            .ok_or(Error::MissingReserve {
                purpose: "the rounding residue of the member pools",
            })?;
        reserve.residue_received = residue;
        reserve.undistributed_received = undistributed;
        Some(reserve.name.clone())
    };

    let mut shares = Vec::with_capacity(n);
    let capital = capital.unwrap_or_else(|| vec![0; n]);
    let patronage = patronage.unwrap_or_else(|| vec![0; n]);
    for ((r, c), p) in rows.into_iter().zip(capital).zip(patronage) {
        shares.push(MemberShare {
            id: r.id,
            capital: rupiah(c)?,
            patronage: rupiah(p)?,
            total: rupiah(c.checked_add(p).ok_or_else(overflow)?)?,
        });
    }

    Ok(ShuOutcome::Distributed(Distribution {
        shu: year.shu,
        from_members: year.shu.checked_sub(non_member)?,
        from_non_members: non_member,
        lines,
        pools,
        members: shares,
        excluded,
        residue,
        undistributed,
        residue_to,
        rounding: policy.rounding(),
    }))
}

/// A member taking part, with its bases in sen.
struct Row<'a, K> {
    /// The member's key (cloned once; moved into the result).
    id: K,
    /// Position in the input.
    index: usize,
    /// Left during the year.
    departed: bool,
    member: &'a MemberContribution<K>,
    capital: u128,
    /// Purchases or loan interest (zero for a per-unit basis, read per unit instead).
    patronage: u128,
}

fn overflow() -> Error {
    Error::Core(koperasi_core::Error::Overflow {
        op: "SHU distribution",
    })
}

/// A validated (non-negative) amount in sen.
fn sen(r: Rupiah) -> Result<u128> {
    u128::try_from(r.to_sen()).map_err(|_| overflow())
}

fn rupiah(sen: u128) -> Result<Rupiah> {
    // The common case first: a count of sen that fits an `i64` needs no 128-bit conversion.
    match i64::try_from(sen) {
        Ok(small) => Ok(Rupiah::from_sen(small)),
        Err(_) => Ok(Rupiah::try_from_sen_i128(
            i128::try_from(sen).map_err(|_| overflow())?,
        )?),
    }
}

fn validate_year(year: &ShuYear) -> Result<Rupiah> {
    if let Some(r) = year.reserve_balance
        && r.is_negative()
    {
        return Err(negative("reserve balance", "the year".to_owned(), r));
    }
    let non_member = year.from_non_members.unwrap_or(Rupiah::ZERO);
    if !year.shu.is_negative() && (non_member.is_negative() || non_member > year.shu) {
        return Err(Error::NonMemberShuOutOfRange {
            non_member: non_member.to_decimal(),
            shu: year.shu.to_decimal(),
        });
    }
    Ok(if year.shu.is_negative() {
        Rupiah::ZERO
    } else {
        non_member
    })
}

fn validate_totals(policy: &ShuPolicy, totals: &Totals, unit_names: &[&str]) -> Result<()> {
    let place = || "totals".to_owned();
    for (field, t) in [("capital", totals.capital), ("patronage", totals.patronage)] {
        if let Some(t) = t
            && t.is_negative()
        {
            return Err(negative(field, place(), t));
        }
    }
    let units_basis = matches!(policy.patronage_basis(), PatronageBasis::Units(_));
    if units_basis && totals.patronage.is_some() {
        return Err(Error::UnusedTotal {
            what: "patronage".to_owned(),
            reason: "the policy pays jasa usaha per business unit: state per-unit totals",
        });
    }
    for (unit, t) in &totals.units {
        if !unit_names.contains(&unit.as_str()) {
            return Err(Error::UnknownUnit {
                unit: unit.clone(),
                place: place(),
            });
        }
        if t.is_negative() {
            return Err(negative(&format!("total of unit {unit:?}"), place(), *t));
        }
    }
    Ok(())
}

fn validate_member<K: Display>(
    index: usize,
    m: &MemberContribution<K>,
    unit_names: &[&str],
) -> Result<()> {
    let place = || format!("member #{index} ({})", m.id);
    let s = &m.savings;
    let t = &m.transactions;
    // The common case in one test; the loop below only runs to name the offending field.
    let any_negative = s.pokok.is_negative()
        || s.wajib.is_negative()
        || s.sukarela.is_negative()
        || t.purchases.is_negative()
        || t.loan_interest.is_negative();
    if !any_negative && t.units.is_empty() {
        return Ok(());
    }
    for (field, amount) in [
        ("pokok", s.pokok),
        ("wajib", s.wajib),
        ("sukarela", s.sukarela),
        ("purchases", t.purchases),
        ("loan interest", t.loan_interest),
    ] {
        if amount.is_negative() {
            return Err(negative(field, place(), amount));
        }
    }
    for (unit, amount) in &t.units {
        if amount.is_negative() {
            return Err(negative(&format!("unit {unit:?}"), place(), *amount));
        }
        if !unit_names.is_empty() && !unit_names.contains(&unit.as_str()) {
            return Err(Error::UnknownUnit {
                unit: unit.clone(),
                place: place(),
            });
        }
    }
    Ok(())
}

/// The members' sums against stated totals (before anything is computed).
fn check_totals<K>(totals: &Totals, rows: &[Row<'_, K>]) -> Result<()> {
    let exceeded = |pool, unit: Option<&str>, sum: u128, total: Rupiah| {
        if sum > sen(total)? {
            Err(Error::TotalsExceeded {
                pool,
                unit: unit.map(str::to_owned),
                members: rupiah(sum)?.to_decimal(),
                total: total.to_decimal(),
            })
        } else {
            Ok(())
        }
    };
    let total_of = |f: fn(&Row<'_, K>) -> u128| {
        rows.iter()
            .try_fold(0_u128, |acc, r| acc.checked_add(f(r)))
            .ok_or_else(overflow)
    };
    if let Some(total) = totals.capital {
        exceeded(Pool::Capital, None, total_of(|r| r.capital)?, total)?;
    }
    if let Some(total) = totals.patronage {
        exceeded(Pool::Patronage, None, total_of(|r| r.patronage)?, total)?;
    }
    for (unit, total) in &totals.units {
        let mut sum = 0_u128;
        for r in rows {
            if let Some(a) = r.member.transactions.units.get(unit) {
                sum = sum.checked_add(sen(*a)?).ok_or_else(overflow)?;
            }
        }
        exceeded(Pool::Patronage, Some(unit), sum, *total)?;
    }
    Ok(())
}

fn negative(field: &str, place: String, amount: Rupiah) -> Error {
    Error::NegativeAmount {
        field: field.to_owned(),
        place,
        amount: amount.to_decimal(),
    }
}

/// Sorts the rows by member key; a repeated key is an error naming its later occurrence.
///
/// Input already in strictly increasing key order (the book iterates its members by id) is
/// recognised in one pass and left as it is.
fn sort_by_key<K: Ord + Display>(rows: &mut [Row<'_, K>]) -> Result<()> {
    let increasing = rows.windows(2).all(|w| matches!(w, [a, b] if a.id < b.id));
    if increasing {
        return Ok(());
    }
    // Equal keys are ordered by input position, so the error names the later occurrence.
    rows.sort_unstable_by(|a, b| a.id.cmp(&b.id).then(a.index.cmp(&b.index)));
    for w in rows.windows(2) {
        if let [a, b] = w
            && a.id == b.id
        {
            return Err(Error::DuplicateMember {
                id: b.id.to_string(),
                index: b.index,
            });
        }
    }
    Ok(())
}

/// Allocates the SHU over the lines: member part by every line's percentage, non-member part
/// per the policy. Largest remainder to the sen.
fn allocate(policy: &ShuPolicy, shu: Rupiah, non_member: Rupiah) -> Result<Vec<LineAmount>> {
    let lines = policy.lines();
    let member_part = shu.checked_sub(non_member)?;
    let percents: Vec<Decimal> = lines.iter().map(|l| l.percent).collect();
    let from_members = split_exact(member_part, &percents, Rupiah::SEN)?;
    let fund_weights: Vec<Decimal> = lines
        .iter()
        .map(|l| {
            if l.kind.pool().is_some() {
                Decimal::ZERO
            } else {
                l.percent
            }
        })
        .collect();
    let to_reserve =
        policy.non_member() == NonMemberShu::ToReserve || fund_weights.iter().all(Decimal::is_zero);
    let from_non_members = if non_member.is_zero() {
        vec![Rupiah::ZERO; lines.len()]
    } else if to_reserve {
        let reserve = lines
            .iter()
            .position(|l| l.kind == LineKind::Reserve)
            .ok_or(Error::MissingReserve {
                purpose: "the non-member SHU",
            })?;
        (0..lines.len())
            .map(|i| {
                if i == reserve {
                    non_member
                } else {
                    Rupiah::ZERO
                }
            })
            .collect()
    } else {
        split_exact(non_member, &fund_weights, Rupiah::SEN)?
    };
    lines
        .iter()
        .zip(from_members)
        .zip(from_non_members)
        .map(|((l, m), nm)| {
            Ok(LineAmount {
                name: l.name.clone(),
                kind: l.kind,
                percent: l.percent,
                from_members: m,
                from_non_members: nm,
                amount: m.checked_add(nm)?,
                residue_received: Rupiah::ZERO,
                undistributed_received: Rupiah::ZERO,
            })
        })
        .collect()
}

struct PoolSplit {
    /// Per member, in sen.
    parts: Vec<u128>,
    paid: Rupiah,
    unpaid: Rupiah,
    residue: Rupiah,
    undistributed: Rupiah,
}

/// Splits one pool over the members' weights in sen (and, with a stated total, the others'
/// weight `total − Σ weights`, reported as unpaid).
fn split_pool(
    amount: Rupiah,
    weights: impl Iterator<Item = u128> + Clone,
    n: usize,
    total: Option<Rupiah>,
    rounding: ShareRounding,
) -> Result<PoolSplit> {
    let sum = weights
        .clone()
        .try_fold(0_u128, u128::checked_add)
        .ok_or_else(overflow)?;
    // The others' weight, for stated totals (already checked: Σ ≤ total).
    let others = match total {
        Some(t) => Some(sen(t)?.saturating_sub(sum)),
        None => None,
    };
    let all = sum.checked_add(others.unwrap_or(0)).ok_or_else(overflow)?;
    if all == 0 || amount.is_zero() {
        // Nothing to pay, or nobody to pay it to: the pool is undistributed (not a residue).
        return Ok(PoolSplit {
            parts: vec![0; n],
            paid: Rupiah::ZERO,
            unpaid: Rupiah::ZERO,
            residue: Rupiah::ZERO,
            undistributed: amount,
        });
    }
    let amount_sen = sen(amount)?;
    let step = sen(rounding.step())?;
    let mut parts = match rounding.method() {
        RoundingMethod::Floor => {
            crate::split::floor(amount_sen, weights.clone(), n, others, all, step)
        }
        RoundingMethod::LargestRemainder => {
            let units = amount_sen.checked_div(step).ok_or_else(overflow)?;
            crate::split::largest_remainder(units, weights.clone(), n, others, all, step)
        }
    };
    if parts.is_none() {
        // An intermediate beyond 128 bits: the general (slower) path of koperasi-core.
        parts = Some(core_split(amount, weights, others, rounding)?);
    }
    let mut parts = parts.ok_or_else(overflow)?;
    let unpaid = if others.is_some() {
        parts.pop().unwrap_or(0)
    } else {
        0
    };
    let paid = parts
        .iter()
        .try_fold(0_u128, |acc, p| acc.checked_add(*p))
        .ok_or_else(overflow)?;
    let paid = rupiah(paid)?;
    let unpaid = rupiah(unpaid)?;
    let residue = amount.checked_sub(paid)?.checked_sub(unpaid)?;
    Ok(PoolSplit {
        parts,
        paid,
        unpaid,
        residue,
        undistributed: Rupiah::ZERO,
    })
}

/// The same split through `koperasi_core::split_floor` / `split_exact` (Decimal weights).
fn core_split(
    amount: Rupiah,
    weights: impl Iterator<Item = u128>,
    others: Option<u128>,
    rounding: ShareRounding,
) -> Result<Vec<u128>> {
    let w = weights
        .chain(others)
        .map(|x| Ok(rupiah(x)?.to_decimal()))
        .collect::<Result<Vec<Decimal>>>()?;
    let parts = match rounding.method() {
        RoundingMethod::Floor => split_floor(amount, &w, rounding.step())?.parts,
        RoundingMethod::LargestRemainder => {
            let payable =
                RoundingPolicy::new(RoundingMode::Down, rounding.step())?.round(amount)?;
            split_exact(payable, &w, rounding.step())?
        }
    };
    parts.into_iter().map(sen).collect()
}

fn patronage_pool<K>(
    policy: &ShuPolicy,
    totals: &Totals,
    line: &str,
    amount: Rupiah,
    rows: &[Row<'_, K>],
) -> Result<(PoolResult, Vec<u128>)> {
    let rounding = policy.rounding();
    let PatronageBasis::Units(units) = policy.patronage_basis() else {
        let s = split_pool(
            amount,
            rows.iter().map(|r| r.patronage),
            rows.len(),
            totals.patronage,
            rounding,
        )?;
        return Ok((
            PoolResult {
                line: line.to_owned(),
                pool: Pool::Patronage,
                amount,
                paid: s.paid,
                unpaid: s.unpaid,
                residue: s.residue,
                undistributed: s.undistributed,
                units: Vec::new(),
            },
            s.parts,
        ));
    };
    let unit_weights: Vec<Decimal> = units.iter().map(|u| u.weight).collect();
    let sub_pools = split_exact(amount, &unit_weights, Rupiah::SEN)?;
    let mut parts = vec![0_u128; rows.len()];
    let mut results = Vec::with_capacity(units.len());
    for (u, sub) in units.iter().zip(sub_pools) {
        let weights = rows
            .iter()
            .map(|r| {
                r.member
                    .transactions
                    .units
                    .get(&u.unit)
                    .map_or(Ok(0), |a| sen(*a))
            })
            .collect::<Result<Vec<u128>>>()?;
        let s = split_pool(
            sub,
            weights.iter().copied(),
            weights.len(),
            totals.units.get(&u.unit).copied(),
            rounding,
        )?;
        for (a, p) in parts.iter_mut().zip(&s.parts) {
            *a = a.checked_add(*p).ok_or_else(overflow)?;
        }
        results.push(UnitResult {
            unit: u.unit.clone(),
            amount: sub,
            paid: s.paid,
            unpaid: s.unpaid,
            residue: s.residue,
            undistributed: s.undistributed,
        });
    }
    let paid = Rupiah::try_sum(results.iter().map(|r| r.paid))?;
    let unpaid = Rupiah::try_sum(results.iter().map(|r| r.unpaid))?;
    let residue = Rupiah::try_sum(results.iter().map(|r| r.residue))?;
    let undistributed = Rupiah::try_sum(results.iter().map(|r| r.undistributed))?;
    Ok((
        PoolResult {
            line: line.to_owned(),
            pool: Pool::Patronage,
            amount,
            paid,
            unpaid,
            residue,
            undistributed,
            units: results,
        },
        parts,
    ))
}

//! The crate's one error type.

use rust_decimal::Decimal;

use crate::Pool;

/// Every way an operation of `koperasi-shu` can fail.
///
/// Each variant says what was wrong and where: the allocation line by name, the member by its
/// position in the input (and its id where there is one), the pool and the business unit.
/// A failed call changes nothing and returns no partial result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The policy has no allocation line.
    #[error("the SHU policy has no allocation line")]
    EmptyPolicy,
    /// An allocation line has an empty name.
    #[error("allocation line #{index} has no name")]
    UnnamedLine {
        /// Position of the line in the policy (0-based).
        index: usize,
    },
    /// Two allocation lines have the same name.
    #[error("allocation line {line:?} appears twice")]
    DuplicateLine {
        /// The repeated name.
        line: String,
    },
    /// An allocation line has a negative percentage.
    #[error("allocation line {line:?} has a negative percentage ({percent}%)")]
    NegativePercent {
        /// The line.
        line: String,
        /// Its percentage.
        percent: Decimal,
    },
    /// An allocation line is below its legal or statutory minimum (e.g. the desa share of a
    /// KDMP, at least 20% per Permendes 10/2025 Pasal 7).
    #[error("allocation line {line:?} is {percent}%, below its minimum of {minimum}%")]
    BelowMinimum {
        /// The line.
        line: String,
        /// Its percentage.
        percent: Decimal,
        /// The minimum.
        minimum: Decimal,
    },
    /// The percentages do not sum to exactly 100.
    #[error("allocation percentages sum to {sum}%, not 100%")]
    PercentSum {
        /// The actual sum.
        sum: Decimal,
    },
    /// Two lines are the same member pool (jasa modal or jasa usaha).
    #[error("allocation line {line:?} repeats the {pool} pool")]
    DuplicatePool {
        /// The second line naming the pool.
        line: String,
        /// The pool.
        pool: Pool,
    },
    /// A reserve (cadangan) line is needed — to receive the rounding residue of the member
    /// pools, or the non-member SHU — but the policy has none.
    #[error("the policy needs a cadangan (reserve) line to receive {purpose}")]
    MissingReserve {
        /// What the reserve line was needed for.
        purpose: &'static str,
    },
    /// Members are to be paid but the policy has no member pool (jasa modal / jasa usaha).
    #[error("{members} members are to be paid but the policy has no jasa modal or jasa usaha line")]
    NoMemberPool {
        /// How many members were given.
        members: usize,
    },
    /// Non-member SHU is routed to cadangan only, which would leave a line with a minimum
    /// (such as the desa share) below that minimum of the whole SHU.
    #[error(
        "line {line:?} has a minimum share, which routing non-member SHU only to cadangan could breach"
    )]
    MinimumNotGuaranteed {
        /// The line with a minimum.
        line: String,
    },
    /// The rounding step for member amounts is zero or negative.
    #[error("rounding step {step} must be positive")]
    InvalidRoundingStep {
        /// The rejected step.
        step: Decimal,
    },
    /// The unit weights of a per-unit patronage basis are unusable.
    #[error("business unit weights: {reason}")]
    InvalidUnitWeights {
        /// What is wrong (empty, duplicate unit, negative or all-zero weight), naming the unit.
        reason: String,
    },
    /// A business unit that the policy's unit weights do not list.
    #[error("business unit {unit:?} (in {place}) is not in the policy's unit weights")]
    UnknownUnit {
        /// The unit.
        unit: String,
        /// Where it was found: `member #i` or `totals`.
        place: String,
    },
    /// An amount that must not be negative is negative.
    #[error("{field} of {place} is negative ({amount})")]
    NegativeAmount {
        /// Which amount (e.g. `pokok`, `purchases`, `total capital`).
        field: String,
        /// Where: `member #i (id)`, `totals`, `year`.
        place: String,
        /// The amount.
        amount: Decimal,
    },
    /// The non-member part of the SHU is negative or larger than the SHU.
    #[error("non-member SHU {non_member} is outside 0..={shu}")]
    NonMemberShuOutOfRange {
        /// The non-member part given.
        non_member: Decimal,
        /// The SHU of the year.
        shu: Decimal,
    },
    /// The same member id appears twice.
    #[error("member {id} appears twice (member #{index})")]
    DuplicateMember {
        /// The id, as displayed.
        id: String,
        /// Position of the second occurrence in the input.
        index: usize,
    },
    /// The members' contributions exceed the stated total for a pool (or unit).
    #[error("{pool} contributions of the members ({members}) exceed the stated total ({total}){}",
        unit.as_ref().map(|u| format!(" of unit {u:?}")).unwrap_or_default())]
    TotalsExceeded {
        /// The pool.
        pool: Pool,
        /// The business unit, for a per-unit patronage basis.
        unit: Option<String>,
        /// Σ of the members' contributions.
        members: Decimal,
        /// The stated total.
        total: Decimal,
    },
    /// A stated total does not apply to the policy (e.g. a single patronage total for a
    /// per-unit basis).
    #[error("stated total for {what} does not apply to this policy: {reason}")]
    UnusedTotal {
        /// Which total.
        what: String,
        /// Why it does not apply.
        reason: &'static str,
    },
    /// Arithmetic from `koperasi-core` failed (overflow of an intermediate).
    #[error(transparent)]
    Core(#[from] koperasi_core::Error),
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

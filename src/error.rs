//! The umbrella's error type.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, LoanId, MemberId, Rupiah, SavingsAccountId};
use koperasi_membership::Role;

use crate::event::RequestId;

use crate::posting::PostingRole;

/// A `Result` with the umbrella's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Every way an operation of the book can be rejected. A rejected operation changes nothing:
/// not the ledger, not the registry, not an account, not the event log.
///
/// Errors of the domain crates are wrapped with the operation that raised them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error of `koperasi-core` (amounts, dates, overflow).
    #[error(transparent)]
    Core(#[from] koperasi_core::Error),
    /// The ledger rejected the operation's entries (or a query).
    #[error("{op}: ledger: {source}")]
    Ledger {
        /// The operation.
        op: &'static str,
        /// Why.
        #[source]
        source: koperasi_ledger::Error,
    },
    /// Membership rules or permissions rejected the operation.
    #[error("{op}: {source}")]
    Membership {
        /// The operation.
        op: &'static str,
        /// Why.
        #[source]
        source: koperasi_membership::Error,
    },
    /// The savings-and-loans engine rejected the operation.
    #[error("{op}: {source}")]
    SavingsLoans {
        /// The operation.
        op: &'static str,
        /// Why.
        #[source]
        source: koperasi_savings_loans::Error,
    },
    /// The SHU computation rejected the operation.
    #[error("{op}: {source}")]
    Shu {
        /// The operation.
        op: &'static str,
        /// Why.
        #[source]
        source: koperasi_shu::Error,
    },
    /// The QRIS payload was rejected.
    #[error("{op}: QRIS: {source}")]
    Qris {
        /// The operation.
        op: &'static str,
        /// Why.
        #[source]
        source: koperasi_qris::Error,
    },
    /// A posting role maps to an unusable account.
    #[error("posting map: role {role:?} → {code:?}: {reason}")]
    PostingMap {
        /// The role.
        role: PostingRole,
        /// The mapped code.
        code: String,
        /// Why it is unusable.
        reason: &'static str,
    },
    /// An invalid book configuration.
    #[error("configuration: {what}")]
    Config {
        /// What is wrong.
        what: String,
    },
    /// Operations must come in date order.
    #[error("{op}: date {date} is before the last operation's date {last}")]
    DateOutOfOrder {
        /// The operation.
        op: &'static str,
        /// Its date.
        date: NaiveDate,
        /// The last applied operation's date.
        last: NaiveDate,
    },
    /// The date is before the book's opening date.
    #[error("{op}: date {date} is before the book's opening {opening}")]
    BeforeOpening {
        /// The operation.
        op: &'static str,
        /// Its date.
        date: NaiveDate,
        /// The opening date.
        opening: NaiveDate,
    },
    /// An amount must be positive.
    #[error("{op}: {what} must be positive, got {amount}")]
    NonPositive {
        /// The operation.
        op: &'static str,
        /// Which amount.
        what: &'static str,
        /// The amount.
        amount: Rupiah,
    },
    /// The member is not in the registry.
    #[error("{op}: unknown member {member}")]
    UnknownMember {
        /// The operation.
        op: &'static str,
        /// The member.
        member: MemberId,
    },
    /// The member is not an active anggota (calon, keluar …).
    #[error("{op}: member {member} is not an active anggota")]
    NotActiveMember {
        /// The operation.
        op: &'static str,
        /// The member.
        member: MemberId,
    },
    /// The member has no account of this kind.
    #[error("{op}: member {member} has no {kind} account")]
    NoSavingsAccount {
        /// The operation.
        op: &'static str,
        /// The member.
        member: MemberId,
        /// The savings kind.
        kind: &'static str,
    },
    /// The savings kind is not allowed for this operation.
    #[error("{op}: {kind} not allowed here")]
    WrongSavingsKind {
        /// The operation.
        op: &'static str,
        /// The kind.
        kind: &'static str,
    },
    /// An id is already in use.
    #[error("{op}: {what} {id} already exists")]
    Duplicate {
        /// The operation.
        op: &'static str,
        /// What kind of id.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// No loan (or application) with this id.
    #[error("{op}: unknown loan {loan}")]
    UnknownLoan {
        /// The operation.
        op: &'static str,
        /// The loan.
        loan: LoanId,
    },
    /// The loan is not in the state the operation needs.
    #[error("{op}: loan {loan} is {state}")]
    LoanState {
        /// The operation.
        op: &'static str,
        /// The loan.
        loan: LoanId,
        /// Its state.
        state: &'static str,
    },
    /// Maker-checker: a second person must approve, and none (or the maker) was given.
    #[error("{op}: a checker (a second person) must approve")]
    CheckerRequired {
        /// The operation.
        op: &'static str,
    },
    /// No time deposit with this id.
    #[error("{op}: unknown time deposit {account}")]
    UnknownDeposit {
        /// The operation.
        op: &'static str,
        /// The account.
        account: SavingsAccountId,
    },
    /// The payment exceeds what is owed.
    #[error("{op}: payment {amount} exceeds what is owed ({owed})")]
    Overpayment {
        /// The operation.
        op: &'static str,
        /// The payment.
        amount: Rupiah,
        /// What is owed.
        owed: Rupiah,
    },
    /// Not enough stock of the item.
    #[error("{op}: {sku:?} has {available} in stock, {requested} requested")]
    InsufficientStock {
        /// The operation.
        op: &'static str,
        /// The item.
        sku: String,
        /// In stock.
        available: u64,
        /// Requested.
        requested: u64,
    },
    /// A QRIS reference is unknown or already settled.
    #[error("{op}: QRIS reference {reference:?} is not pending settlement")]
    UnknownQrisReference {
        /// The operation.
        op: &'static str,
        /// The reference.
        reference: String,
    },
    /// A QRIS payload without what a sale needs (a dynamic amount, a reference).
    #[error("{op}: QRIS payload has no {what}")]
    QrisIncomplete {
        /// The operation.
        op: &'static str,
        /// What is missing.
        what: &'static str,
    },
    /// The account code is not a postable expense account.
    #[error("{op}: {code:?} is not an open expense account")]
    NotExpenseAccount {
        /// The operation.
        op: &'static str,
        /// The code.
        code: String,
    },
    /// A transfer from an account to itself.
    #[error("{op}: from and to are the same account")]
    SameAccount {
        /// The operation.
        op: &'static str,
    },
    /// The account code is not a postable non-current asset account (`1-2-…`).
    #[error("{op}: {code:?} is not an open non-current asset account")]
    NotAssetAccount {
        /// The operation.
        op: &'static str,
        /// The code.
        code: String,
    },
    /// The Himbara loan is not in the state the operation needs.
    #[error("{op}: {state}")]
    HimbaraState {
        /// The operation.
        op: &'static str,
        /// The state.
        state: &'static str,
    },
    /// Month-end must be run on a month's last day, once per month, in order.
    #[error("{op}: {reason}")]
    MonthEnd {
        /// The operation.
        op: &'static str,
        /// Why.
        reason: String,
    },
    /// The year is not closed yet, or its SHU was already distributed.
    #[error("{op}: year {year}: {reason}")]
    YearState {
        /// The operation.
        op: &'static str,
        /// The year.
        year: i32,
        /// Why.
        reason: &'static str,
    },
    /// The member still has something that blocks the operation (e.g. a time deposit).
    #[error("{op}: member {member}: {reason}")]
    MemberBlocked {
        /// The operation.
        op: &'static str,
        /// The member.
        member: MemberId,
        /// Why.
        reason: &'static str,
    },
    /// An event log line could not be read.
    #[error("event log line {line}: {message}")]
    EventLog {
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// Year-end close before the month-end of the year's last month.
    #[error("{op}: year {year}: run the month-end of {month_end} first")]
    MonthEndMissing {
        /// The operation.
        op: &'static str,
        /// The year.
        year: i32,
        /// The month-end that must have run.
        month_end: NaiveDate,
    },
    /// No fixed asset with this tag in the register, or it is already disposed of.
    #[error("{op}: fixed asset {asset:?} {state}")]
    AssetState {
        /// The operation.
        op: &'static str,
        /// The asset's tag.
        asset: String,
        /// `is unknown`, `is already disposed of`.
        state: &'static str,
    },
    /// Terms that cannot be booked (a residual above the cost, zero months, …).
    #[error("{op}: {what}")]
    InvalidTerms {
        /// The operation.
        op: &'static str,
        /// What is wrong.
        what: String,
    },
    /// A stock surplus of an item with no cost to value it at.
    #[error("{op}: {sku:?} has no stock to value a surplus at; record a purchase")]
    NoCostBasis {
        /// The operation.
        op: &'static str,
        /// The item.
        sku: String,
    },
    /// A write-off of a loan that is not Macet at the last month-end, without a documented
    /// override ([`Operation::WriteOffOverride`](crate::Operation::WriteOffOverride)).
    #[error("{op}: loan {loan} is {class:?}, not Macet; write-off needs a documented override")]
    NotMacet {
        /// The operation.
        op: &'static str,
        /// The loan.
        loan: LoanId,
        /// Its class at the last month-end.
        class: koperasi_savings_loans::Collectibility,
    },
    /// The payout route cannot take this payable (e.g. an exit refund into a closed
    /// sukarela).
    #[error("{op}: {what}")]
    PayoutRoute {
        /// The operation.
        op: &'static str,
        /// Why.
        what: &'static str,
    },
    /// No two-person request has this number.
    #[error("{op}: unknown {request}")]
    UnknownRequest {
        /// The operation.
        op: &'static str,
        /// The request.
        request: RequestId,
    },
    /// The request was already approved or rejected.
    #[error("{op}: {request} is already {state}")]
    RequestDecided {
        /// The operation.
        op: &'static str,
        /// The request.
        request: RequestId,
        /// `approved`, `rejected` or `withdrawn`.
        state: &'static str,
    },
    /// The request expired before the checker acted.
    #[error("{op}: {request} expired on {expired_on}")]
    RequestExpired {
        /// The operation.
        op: &'static str,
        /// The request.
        request: RequestId,
        /// Its last valid day.
        expired_on: NaiveDate,
    },
    /// The checker must hold a particular role (reopening a year: a pengawas).
    #[error("{op}: the checker {checker} must hold the role {role:?}")]
    CheckerRole {
        /// The operation.
        op: &'static str,
        /// The would-be checker.
        checker: ActorId,
        /// The role required.
        role: Role,
    },
    /// A reason is required and was empty.
    #[error("{op}: a reason is required")]
    EmptyReason {
        /// The operation.
        op: &'static str,
    },
    /// The date falls in a closed fiscal year: nothing may be posted there until the year is
    /// reopened ([`Operation::ReopenYear`](crate::Operation::ReopenYear)).
    #[error("{op}: {date} falls in the closed fiscal year {year}")]
    ClosedPeriod {
        /// The operation.
        op: &'static str,
        /// The date.
        date: NaiveDate,
        /// The closed fiscal year.
        year: i32,
    },
    /// What a reversal names cannot be reversed safely (see
    /// [`Operation::Reverse`](crate::Operation::Reverse) and `docs/invariants.md`).
    #[error("{op}: {what} cannot be reversed: {reason}")]
    NotReversible {
        /// The operation.
        op: &'static str,
        /// The entry or event.
        what: String,
        /// Why.
        reason: &'static str,
    },
    /// An adjusting entry names a control account kept with a subledger.
    #[error("{op}: {code:?} is a control account with a subledger; reverse the operation instead")]
    ControlAccount {
        /// The operation.
        op: &'static str,
        /// The account code.
        code: String,
    },
    /// The actor is already linked to a member (links are never changed).
    #[error("{op}: actor {actor} is already linked to member {member}")]
    AlreadyLinked {
        /// The operation.
        op: &'static str,
        /// The actor.
        actor: ActorId,
        /// The member it is linked to.
        member: MemberId,
    },
    /// Only the maker of a request may withdraw it.
    #[error("{op}: {request} was made by {maker}; only its maker may withdraw it, not {actor}")]
    NotMaker {
        /// The operation.
        op: &'static str,
        /// The request.
        request: RequestId,
        /// Its maker.
        maker: ActorId,
        /// Who tried to withdraw it.
        actor: ActorId,
    },
    /// An event of a format this crate does not know.
    #[error("event format {found} is newer than the supported {supported}")]
    EventFormat {
        /// The event's format.
        found: u32,
        /// The newest format this crate reads.
        supported: u32,
    },
    /// A book snapshot ([`Koperasi::from_snapshot`](crate::Koperasi::from_snapshot)) has a
    /// wrong header or version, a payload that does not match its SHA-256, or a state that
    /// does not decode. Nothing is loaded.
    #[error("book snapshot: {what}")]
    Snapshot {
        /// What is wrong.
        what: String,
    },
    /// An internal consistency check failed (a bug: please report it). Nothing was changed.
    #[error("{op}: internal consistency check failed: {what}")]
    Internal {
        /// The operation.
        op: &'static str,
        /// What.
        what: String,
    },
    /// A bank reconciliation does not fit the book (another account, a settlement whose net
    /// is not its sales less MDR, a proposal of an unexpected shape).
    #[error("{op}: bank reconciliation: {what}")]
    BankReconciliation {
        /// The operation.
        op: &'static str,
        /// What does not fit.
        what: String,
    },
}

impl Error {
    /// A short machine-readable kind (`snake_case`), e.g. for a CLI's JSON error object.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Core(_) => "core",
            Error::Ledger { .. } => "ledger",
            Error::Membership { .. } => "membership",
            Error::SavingsLoans { .. } => "savings_loans",
            Error::Shu { .. } => "shu",
            Error::Qris { .. } => "qris",
            Error::PostingMap { .. } => "posting_map",
            Error::Config { .. } => "config",
            Error::DateOutOfOrder { .. } => "date_out_of_order",
            Error::BeforeOpening { .. } => "before_opening",
            Error::NonPositive { .. } => "non_positive",
            Error::UnknownMember { .. } => "unknown_member",
            Error::NotActiveMember { .. } => "not_active_member",
            Error::NoSavingsAccount { .. } => "no_savings_account",
            Error::WrongSavingsKind { .. } => "wrong_savings_kind",
            Error::Duplicate { .. } => "duplicate",
            Error::UnknownLoan { .. } => "unknown_loan",
            Error::LoanState { .. } => "loan_state",
            Error::CheckerRequired { .. } => "checker_required",
            Error::UnknownDeposit { .. } => "unknown_deposit",
            Error::Overpayment { .. } => "overpayment",
            Error::InsufficientStock { .. } => "insufficient_stock",
            Error::UnknownQrisReference { .. } => "unknown_qris_reference",
            Error::QrisIncomplete { .. } => "qris_incomplete",
            Error::NotExpenseAccount { .. } => "not_expense_account",
            Error::SameAccount { .. } => "same_account",
            Error::NotAssetAccount { .. } => "not_asset_account",
            Error::HimbaraState { .. } => "himbara_state",
            Error::MonthEnd { .. } => "month_end",
            Error::YearState { .. } => "year_state",
            Error::MemberBlocked { .. } => "member_blocked",
            Error::EventLog { .. } => "event_log",
            Error::MonthEndMissing { .. } => "month_end_missing",
            Error::AssetState { .. } => "asset_state",
            Error::InvalidTerms { .. } => "invalid_terms",
            Error::NoCostBasis { .. } => "no_cost_basis",
            Error::NotMacet { .. } => "not_macet",
            Error::PayoutRoute { .. } => "payout_route",
            Error::UnknownRequest { .. } => "unknown_request",
            Error::RequestDecided { .. } => "request_decided",
            Error::RequestExpired { .. } => "request_expired",
            Error::CheckerRole { .. } => "checker_role",
            Error::EmptyReason { .. } => "empty_reason",
            Error::ClosedPeriod { .. } => "closed_period",
            Error::NotReversible { .. } => "not_reversible",
            Error::ControlAccount { .. } => "control_account",
            Error::AlreadyLinked { .. } => "already_linked",
            Error::NotMaker { .. } => "not_maker",
            Error::EventFormat { .. } => "event_format",
            Error::Snapshot { .. } => "snapshot",
            Error::Internal { .. } => "internal",
            Error::BankReconciliation { .. } => "bank_reconciliation",
        }
    }
}

/// Wrapping helpers: `.map_err(ledger("op"))`.
pub(crate) fn ledger(op: &'static str) -> impl Fn(koperasi_ledger::Error) -> Error {
    move |source| Error::Ledger { op, source }
}
pub(crate) fn membership(op: &'static str) -> impl Fn(koperasi_membership::Error) -> Error {
    move |source| Error::Membership { op, source }
}
pub(crate) fn sl(op: &'static str) -> impl Fn(koperasi_savings_loans::Error) -> Error {
    move |source| Error::SavingsLoans { op, source }
}
pub(crate) fn shu(op: &'static str) -> impl Fn(koperasi_shu::Error) -> Error {
    move |source| Error::Shu { op, source }
}
/// An amount out of range stays [`Error::Core`]; anything else `koperasi-reporting` rejects
/// is [`Error::Internal`] (the book hands it only its own ledger and figures).
pub(crate) fn reporting(op: &'static str) -> impl Fn(koperasi_reporting::Error) -> Error {
    move |e| match e {
        koperasi_reporting::Error::Core(source) => Error::Core(source),
        e => Error::Internal {
            op,
            what: format!("reporting: {e}"),
        },
    }
}

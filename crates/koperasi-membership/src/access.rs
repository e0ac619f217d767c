//! Roles, permissions and maker-checker (dual control).
//!
//! The umbrella book calls [`AccessControl::check`] before every operation, and
//! [`AccessControl::request`] + [`Approval::approve`] for the operations that need two
//! different authorised people.

use core::fmt;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, LoanId, MemberId, Period, Rupiah};

use crate::error::{Error, Result};

/// An operation the book offers, as a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Permission {
    /// Post journal entries (mencatat jurnal).
    PostEntry,
    /// Reverse a posted entry (jurnal balik); maker-checker by default.
    ReverseEntry,
    /// Record savings deposits and withdrawals (setoran/penarikan simpanan).
    RecordSavings,
    /// Approve a loan (persetujuan pinjaman); maker-checker above the configured limit.
    ApproveLoan,
    /// Disburse an approved loan (pencairan pinjaman).
    DisburseLoan,
    /// Close an accounting period (tutup buku).
    ClosePeriod,
    /// Reopen a closed period; maker-checker by default.
    ReopenPeriod,
    /// Compute and book the SHU distribution.
    RunShu,
    /// Register members and change their status.
    ManageMembers,
    /// Appoint pengurus/pengawas and record Rapat Anggota decisions.
    ManageGovernance,
    /// See any member's personal data (NIK, address, balances).
    ViewPersonalData,
    /// See one's own data (a member linked to the actor).
    ViewOwnData,
    /// See aggregate figures and reports without personal data (e.g. a city office).
    ViewAggregates,
    /// Grant and revoke roles.
    ManageAccess,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 14] = [
        Permission::PostEntry,
        Permission::ReverseEntry,
        Permission::RecordSavings,
        Permission::ApproveLoan,
        Permission::DisburseLoan,
        Permission::ClosePeriod,
        Permission::ReopenPeriod,
        Permission::RunShu,
        Permission::ManageMembers,
        Permission::ManageGovernance,
        Permission::ViewPersonalData,
        Permission::ViewOwnData,
        Permission::ViewAggregates,
        Permission::ManageAccess,
    ];

    const fn bit(self) -> u32 {
        1u32 << (self as u32)
    }
}

/// A set of permissions.
///
/// ```
/// use koperasi_membership::{Permission, PermissionSet};
/// let s = PermissionSet::of(&[Permission::PostEntry, Permission::ViewAggregates]);
/// assert!(s.contains(Permission::PostEntry));
/// assert!(!s.contains(Permission::ApproveLoan));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(from = "Vec<Permission>", into = "Vec<Permission>")
)]
pub struct PermissionSet(u32);

impl PermissionSet {
    /// The empty set.
    pub const EMPTY: PermissionSet = PermissionSet(0);

    /// The set of the given permissions.
    pub fn of(permissions: &[Permission]) -> PermissionSet {
        permissions
            .iter()
            .fold(PermissionSet::EMPTY, |s, &p| s.with(p))
    }
    /// This set plus `p`.
    #[must_use]
    pub const fn with(self, p: Permission) -> PermissionSet {
        PermissionSet(self.0 | p.bit())
    }
    /// This set without `p`.
    #[must_use]
    pub const fn without(self, p: Permission) -> PermissionSet {
        PermissionSet(self.0 & !p.bit())
    }
    /// The union.
    #[must_use]
    pub const fn union(self, other: PermissionSet) -> PermissionSet {
        PermissionSet(self.0 | other.0)
    }
    /// `true` if `p` is in the set.
    pub const fn contains(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }
    /// The permissions, in [`Permission::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(move |&p| self.contains(p))
    }
}

impl From<Vec<Permission>> for PermissionSet {
    fn from(v: Vec<Permission>) -> PermissionSet {
        PermissionSet::of(&v)
    }
}

impl From<PermissionSet> for Vec<Permission> {
    fn from(s: PermissionSet) -> Vec<Permission> {
        s.iter().collect()
    }
}

/// A role an actor can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Role {
    /// Ketua pengurus.
    #[doc(alias = "ketua")]
    Chair,
    /// Wakil ketua pengurus.
    #[doc(alias = "wakil ketua")]
    ViceChair,
    /// Sekretaris.
    #[doc(alias = "sekretaris")]
    Secretary,
    /// Bendahara.
    #[doc(alias = "bendahara")]
    Treasurer,
    /// Anggota pengurus without a single office.
    ManagementMember,
    /// Pengawas (any seat).
    #[doc(alias = "pengawas")]
    Supervisor,
    /// Manajer / pengelola hired by the pengurus.
    #[doc(alias = "manajer")]
    Manager,
    /// Kasir / petugas (staff at the counter).
    #[doc(alias = "kasir")]
    Teller,
    /// An anggota using the member app: own data only.
    #[doc(alias = "anggota")]
    Member,
    /// An outside supervisor such as the Dinas Koperasi of the city: aggregates only.
    #[doc(alias = "dinas koperasi")]
    ExternalSupervisor,
    /// An auditor (akuntan publik, pengawas eksternal): read-only, personal data included.
    #[doc(alias = "auditor")]
    Auditor,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 11] = [
        Role::Chair,
        Role::ViceChair,
        Role::Secretary,
        Role::Treasurer,
        Role::ManagementMember,
        Role::Supervisor,
        Role::Manager,
        Role::Teller,
        Role::Member,
        Role::ExternalSupervisor,
        Role::Auditor,
    ];

    /// The default permissions of the role (see [`RolePolicy::default`]).
    pub fn default_permissions(self) -> PermissionSet {
        use Permission as P;
        let read = [P::ViewPersonalData, P::ViewAggregates, P::ViewOwnData];
        let set = |extra: &[Permission]| PermissionSet::of(&read).union(PermissionSet::of(extra));
        match self {
            Role::Chair => set(&[
                P::PostEntry,
                P::ReverseEntry,
                P::ApproveLoan,
                P::ClosePeriod,
                P::ReopenPeriod,
                P::RunShu,
                P::ManageMembers,
                P::ManageGovernance,
                P::ManageAccess,
            ]),
            Role::ViceChair => set(&[P::ApproveLoan, P::ReopenPeriod, P::ManageMembers]),
            Role::Secretary => set(&[P::ManageMembers, P::ManageGovernance]),
            Role::Treasurer => set(&[
                P::PostEntry,
                P::ReverseEntry,
                P::RecordSavings,
                P::ApproveLoan,
                P::DisburseLoan,
                P::ClosePeriod,
                P::ReopenPeriod,
                P::RunShu,
            ]),
            Role::ManagementMember | Role::Auditor => set(&[]),
            Role::Supervisor => set(&[P::ReopenPeriod, P::ReverseEntry]),
            Role::Manager => set(&[
                P::PostEntry,
                P::ReverseEntry,
                P::RecordSavings,
                P::ApproveLoan,
                P::DisburseLoan,
                P::ClosePeriod,
                P::ManageMembers,
            ]),
            Role::Teller => PermissionSet::of(&[
                P::PostEntry,
                P::RecordSavings,
                P::ViewPersonalData,
                P::ViewOwnData,
            ]),
            Role::Member => PermissionSet::of(&[P::ViewOwnData]),
            Role::ExternalSupervisor => PermissionSet::of(&[P::ViewAggregates]),
        }
    }
}

/// Which permissions each role has. Default: [`Role::default_permissions`].
///
/// The default follows the division of duties of a typical KDMP ART: pengurus run the
/// business (the bendahara posts and disburses, the ketua approves and closes), pengawas
/// and auditors read everything and can act as checker for reopening a period or reversing an
/// entry, staff post and record savings, a member sees only their own data, and the city office
/// sees aggregates only.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RolePolicy(BTreeMap<Role, PermissionSet>);

impl Default for RolePolicy {
    fn default() -> Self {
        RolePolicy(
            Role::ALL
                .iter()
                .map(|&r| (r, r.default_permissions()))
                .collect(),
        )
    }
}

impl RolePolicy {
    /// The permissions of a role.
    pub fn permissions(&self, role: Role) -> PermissionSet {
        self.0.get(&role).copied().unwrap_or_default()
    }
    /// Replaces the permissions of a role.
    pub fn set(&mut self, role: Role, permissions: PermissionSet) {
        self.0.insert(role, permissions);
    }
}

/// What an operation touches; used for "own data only" and in denial messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Subject {
    /// The cooperative as a whole (books, reports, periods).
    Cooperative,
    /// One member's data.
    Member(MemberId),
    /// A loan.
    Loan(LoanId),
    /// A journal entry.
    Entry(EntryId),
    /// An accounting period.
    Period(Period),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Cooperative => f.write_str("the cooperative"),
            Subject::Member(id) => write!(f, "member {id}"),
            Subject::Loan(id) => write!(f, "loan {id}"),
            Subject::Entry(id) => write!(f, "entry {id}"),
            Subject::Period(p) => write!(f, "period {p}"),
        }
    }
}

/// An actor's roles and, for a member using the app, the member they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Grant {
    /// Roles held.
    pub roles: BTreeSet<Role>,
    /// The member this actor is (for own-data access and for the same-person rule of
    /// maker-checker).
    pub member: Option<MemberId>,
}

/// When two different authorised people are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MakerCheckerRules {
    /// Loans above this amount need a checker; `None`: every loan approval needs one.
    /// Default Rp10.000.000 (an AD/SOP figure: no regulation fixes it).
    pub loan_approval_limit: Option<Rupiah>,
    /// Reopening a closed period needs a checker. Default `true`.
    pub period_reopen: bool,
    /// Reversing a posted entry needs a checker. Default `true`.
    pub entry_reversal: bool,
}

impl Default for MakerCheckerRules {
    fn default() -> Self {
        MakerCheckerRules {
            loan_approval_limit: Some(Rupiah::from_rupiah(10_000_000)),
            period_reopen: true,
            entry_reversal: true,
        }
    }
}

/// An operation subject to maker-checker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ControlledOp {
    /// Approving a loan of `amount`.
    LoanApproval {
        /// The loan.
        loan: LoanId,
        /// The principal.
        amount: Rupiah,
    },
    /// Reopening a closed period.
    PeriodReopen {
        /// The period.
        period: Period,
    },
    /// Reversing a posted entry.
    EntryReversal {
        /// The entry.
        entry: EntryId,
    },
}

impl ControlledOp {
    /// The permission both maker and checker need.
    pub const fn permission(&self) -> Permission {
        match self {
            ControlledOp::LoanApproval { .. } => Permission::ApproveLoan,
            ControlledOp::PeriodReopen { .. } => Permission::ReopenPeriod,
            ControlledOp::EntryReversal { .. } => Permission::ReverseEntry,
        }
    }
    /// What the operation touches.
    pub const fn subject(&self) -> Subject {
        match *self {
            ControlledOp::LoanApproval { loan, .. } => Subject::Loan(loan),
            ControlledOp::PeriodReopen { period } => Subject::Period(period),
            ControlledOp::EntryReversal { entry } => Subject::Entry(entry),
        }
    }
}

/// Proof that an operation was authorised: by the maker alone, or by maker and checker.
/// Only this crate creates it (no `Deserialize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Authorized {
    op: ControlledOp,
    maker: ActorId,
    checker: Option<ActorId>,
}

impl Authorized {
    /// The operation.
    pub fn op(&self) -> &ControlledOp {
        &self.op
    }
    /// Who initiated it.
    pub fn maker(&self) -> ActorId {
        self.maker
    }
    /// Who approved it, when a checker was needed.
    pub fn checker(&self) -> Option<ActorId> {
        self.checker
    }
}

/// The outcome of [`AccessControl::request`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Authorization {
    /// The maker alone may do it.
    Granted(Authorized),
    /// A second person must approve.
    Pending(Approval),
}

/// Where an approval stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ApprovalState {
    /// Waiting for a checker.
    Pending,
    /// Approved.
    Approved {
        /// The checker.
        checker: ActorId,
        /// When.
        on: NaiveDate,
    },
    /// Rejected.
    Rejected {
        /// The checker.
        checker: ActorId,
        /// When.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
}

/// A maker-checker request waiting for a second authorised person.
///
/// # Invariants
/// An approval is approved at most once, never by its maker (nor by another actor linked to
/// the same member), and only by an actor holding the operation's permission.
#[doc(alias = "maker-checker")]
#[doc(alias = "persetujuan")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Approval {
    op: ControlledOp,
    maker: ActorId,
    requested_on: NaiveDate,
    state: ApprovalState,
}

impl Approval {
    /// The operation.
    pub fn op(&self) -> &ControlledOp {
        &self.op
    }
    /// The maker.
    pub fn maker(&self) -> ActorId {
        self.maker
    }
    /// When it was requested.
    pub fn requested_on(&self) -> NaiveDate {
        self.requested_on
    }
    /// Where it stands.
    pub fn state(&self) -> &ApprovalState {
        &self.state
    }

    fn check_checker(&self, acl: &AccessControl, checker: ActorId) -> Result<()> {
        if self.state != ApprovalState::Pending {
            return Err(Error::AlreadyDecided);
        }
        if acl.same_person(self.maker, checker) {
            return Err(Error::SameActor {
                maker: self.maker,
                checker,
            });
        }
        acl.check(checker, self.op.permission(), self.op.subject())
    }

    /// Approves as `checker` on `on` and returns the authorisation.
    ///
    /// # Errors
    /// [`Error::AlreadyDecided`], [`Error::SameActor`] (checker is the maker or the same
    /// member), [`Error::UnknownActor`], [`Error::PermissionDenied`] (the checker lacks the
    /// operation's permission). Nothing changes on error.
    pub fn approve(
        &mut self,
        acl: &AccessControl,
        checker: ActorId,
        on: NaiveDate,
    ) -> Result<Authorized> {
        self.check_checker(acl, checker)?;
        self.state = ApprovalState::Approved { checker, on };
        Ok(Authorized {
            op: self.op,
            maker: self.maker,
            checker: Some(checker),
        })
    }

    /// Rejects as `checker` on `on`.
    ///
    /// # Errors
    /// As [`Approval::approve`], and [`Error::EmptyReason`].
    pub fn reject(
        &mut self,
        acl: &AccessControl,
        checker: ActorId,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(Error::EmptyReason);
        }
        self.check_checker(acl, checker)?;
        self.state = ApprovalState::Rejected {
            checker,
            on,
            reason: reason.to_owned(),
        };
        Ok(())
    }
}

/// Who may do what: roles per actor, the role policy and the maker-checker rules.
///
/// ```
/// use chrono::NaiveDate;
/// use koperasi_core::{ActorId, LoanId, MemberId, Rupiah};
/// use koperasi_membership::*;
///
/// let on = NaiveDate::from_ymd_opt(2026, 2, 2).unwrap();
/// let [ketua, bendahara, dinas, siti] = [1, 2, 3, 4].map(ActorId::from_u128);
/// let mut acl = AccessControl::default();
/// acl.grant(ketua, Role::Chair);
/// acl.grant(bendahara, Role::Treasurer);
/// acl.grant(dinas, Role::ExternalSupervisor);
/// acl.grant(siti, Role::Member);
/// acl.link_member(siti, MemberId::from_u128(40));
///
/// acl.check(bendahara, Permission::PostEntry, Subject::Cooperative)?;
/// // The city office sees aggregates, not a member's data:
/// acl.check(dinas, Permission::ViewAggregates, Subject::Cooperative)?;
/// assert!(matches!(
///     acl.check(dinas, Permission::ViewPersonalData, Subject::Member(MemberId::from_u128(40))),
///     Err(Error::PermissionDenied { permission: Permission::ViewPersonalData, .. })
/// ));
/// // A member sees their own data only:
/// acl.check(siti, Permission::ViewPersonalData, Subject::Member(MemberId::from_u128(40)))?;
/// assert!(acl.check(siti, Permission::ViewPersonalData, Subject::Member(MemberId::from_u128(41))).is_err());
///
/// // A Rp50.000.000 loan needs two people:
/// let op = ControlledOp::LoanApproval { loan: LoanId::from_u128(9), amount: Rupiah::from_rupiah(50_000_000) };
/// let Authorization::Pending(mut approval) = acl.request(ketua, op, on)? else { unreachable!() };
/// assert!(matches!(approval.approve(&acl, ketua, on), Err(Error::SameActor { .. })));
/// let done = approval.approve(&acl, bendahara, on)?;
/// assert_eq!((done.maker(), done.checker()), (ketua, Some(bendahara)));
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[doc(alias = "hak akses")]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AccessControl {
    policy: RolePolicy,
    maker_checker: MakerCheckerRules,
    actors: BTreeMap<ActorId, Grant>,
}

impl AccessControl {
    /// Access control with a role policy and maker-checker rules, and no actors.
    pub fn new(policy: RolePolicy, maker_checker: MakerCheckerRules) -> AccessControl {
        AccessControl {
            policy,
            maker_checker,
            actors: BTreeMap::new(),
        }
    }

    /// The role policy.
    pub fn policy(&self) -> &RolePolicy {
        &self.policy
    }
    /// The maker-checker rules.
    pub fn maker_checker(&self) -> &MakerCheckerRules {
        &self.maker_checker
    }
    /// An actor's grant.
    pub fn grant_of(&self, actor: ActorId) -> Option<&Grant> {
        self.actors.get(&actor)
    }

    /// Gives `actor` a role (idempotent).
    pub fn grant(&mut self, actor: ActorId, role: Role) {
        self.actors.entry(actor).or_default().roles.insert(role);
    }

    /// Takes a role away; returns `true` if the actor had it.
    pub fn revoke(&mut self, actor: ActorId, role: Role) -> bool {
        self.actors
            .get_mut(&actor)
            .is_some_and(|g| g.roles.remove(&role))
    }

    /// Links an actor to the member they are.
    pub fn link_member(&mut self, actor: ActorId, member: MemberId) {
        self.actors.entry(actor).or_default().member = Some(member);
    }

    /// The union of the permissions of the actor's roles.
    pub fn permissions_of(&self, actor: ActorId) -> PermissionSet {
        self.actors.get(&actor).map_or(PermissionSet::EMPTY, |g| {
            g.roles.iter().fold(PermissionSet::EMPTY, |s, &r| {
                s.union(self.policy.permissions(r))
            })
        })
    }

    /// `true` if the two actor ids are the same person (same id, or linked to the same member).
    pub fn same_person(&self, a: ActorId, b: ActorId) -> bool {
        if a == b {
            return true;
        }
        let member = |x| self.actors.get(&x).and_then(|g| g.member);
        matches!((member(a), member(b)), (Some(x), Some(y)) if x == y)
    }

    /// Checks that `actor` may exercise `permission` on `subject`. Call it before every
    /// operation.
    ///
    /// [`Permission::ViewPersonalData`] on [`Subject::Member`] is also granted by
    /// [`Permission::ViewOwnData`] when the actor is linked to that member; an actor with
    /// only [`Permission::ViewAggregates`] is denied any member's data.
    ///
    /// # Errors
    /// [`Error::UnknownActor`] if the actor has no grant; [`Error::PermissionDenied`] naming
    /// the missing permission.
    pub fn check(&self, actor: ActorId, permission: Permission, subject: Subject) -> Result<()> {
        let grant = self
            .actors
            .get(&actor)
            .ok_or(Error::UnknownActor { actor })?;
        let perms = self.permissions_of(actor);
        let own = matches!(subject, Subject::Member(m) if grant.member == Some(m));
        let allowed = match permission {
            Permission::ViewPersonalData | Permission::ViewOwnData => {
                (permission == Permission::ViewPersonalData && perms.contains(permission))
                    || (own
                        && (perms.contains(Permission::ViewOwnData)
                            || perms.contains(Permission::ViewPersonalData)))
            }
            _ => perms.contains(permission),
        };
        if allowed {
            Ok(())
        } else {
            Err(Error::PermissionDenied {
                actor,
                permission,
                subject,
            })
        }
    }

    /// `true` if the operation needs a checker under the rules.
    pub fn needs_checker(&self, op: &ControlledOp) -> bool {
        match op {
            ControlledOp::LoanApproval { amount, .. } => self
                .maker_checker
                .loan_approval_limit
                .is_none_or(|limit| *amount > limit),
            ControlledOp::PeriodReopen { .. } => self.maker_checker.period_reopen,
            ControlledOp::EntryReversal { .. } => self.maker_checker.entry_reversal,
        }
    }

    /// Starts a controlled operation as `maker` on `on`: granted at once when one person
    /// suffices, otherwise a pending [`Approval`] for a second authorised person.
    ///
    /// # Errors
    /// [`Error::UnknownActor`], [`Error::PermissionDenied`] (the maker lacks the operation's
    /// permission).
    pub fn request(
        &self,
        maker: ActorId,
        op: ControlledOp,
        on: NaiveDate,
    ) -> Result<Authorization> {
        self.check(maker, op.permission(), op.subject())?;
        if self.needs_checker(&op) {
            Ok(Authorization::Pending(Approval {
                op,
                maker,
                requested_on: on,
                state: ApprovalState::Pending,
            }))
        } else {
            Ok(Authorization::Granted(Authorized {
                op,
                maker,
                checker: None,
            }))
        }
    }
}

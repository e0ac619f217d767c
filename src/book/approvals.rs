//! Access and approvals: granting roles, linking officers to the members they are, the loan
//! approval, and the two-person rule — a request made by a maker, completed or refused by a
//! separate act of a checker.
//!
//! [`Koperasi::two_person`] decides which operations need a second person; any operation
//! added later is routed through the same request store by adding an arm there.

use koperasi_core::chrono::{Days, NaiveDate};
use koperasi_core::{ActorId, EntryId, LoanId, MemberId};
use koperasi_membership::{ControlledOp, Permission, Role, Subject};

use crate::error::{Error, Result};
use crate::event::{Event, Operation, RequestId};

use super::{Applied, Koperasi};

/// Where a two-person request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum RequestState {
    /// Waiting for the checker (see [`Request::expires_on`]).
    Pending,
    /// Completed by the checker; the operation was applied.
    Approved {
        /// The checker.
        checker: ActorId,
        /// When.
        on: NaiveDate,
        /// The entries the operation posted.
        entries: Vec<EntryId>,
    },
    /// Refused by the checker; nothing was posted.
    Rejected {
        /// The checker.
        checker: ActorId,
        /// When.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Withdrawn by its maker before a checker decided it; nothing was posted.
    Withdrawn {
        /// When.
        on: NaiveDate,
    },
}

/// A two-person request: an operation proposed by its maker and held, unposted, until a
/// second person approves or rejects it (or it expires).
#[doc(alias = "permohonan persetujuan")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Request {
    /// Its number.
    pub id: RequestId,
    /// The proposed operation.
    pub op: Operation,
    /// Who proposed it.
    pub maker: ActorId,
    /// When.
    pub requested_on: NaiveDate,
    /// The last day it can be approved or rejected.
    pub expires_on: NaiveDate,
    /// The permission the checker must hold.
    pub checker_permission: Permission,
    /// The role the checker must hold, if any (reopening a year: [`Role::Supervisor`]).
    pub checker_role: Option<Role>,
    /// Where it stands.
    pub state: RequestState,
}

impl Request {
    /// Pending and not expired on `on`.
    pub fn is_open(&self, on: NaiveDate) -> bool {
        self.state == RequestState::Pending && on <= self.expires_on
    }
}

/// Who must act for an operation that needs two people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TwoPerson {
    /// The maker's permission (checked when the request is made).
    pub(super) maker: Permission,
    /// The checker's permission.
    pub(super) checker: Permission,
    /// A role the checker must also hold.
    pub(super) role: Option<Role>,
    /// What the operation touches.
    pub(super) subject: Subject,
}

impl TwoPerson {
    const fn same(p: Permission, subject: Subject) -> TwoPerson {
        TwoPerson {
            maker: p,
            checker: p,
            role: None,
            subject,
        }
    }
}

/// A role that can post, approve, disburse, close, reopen, reverse, run the SHU or manage
/// access under `policy`.
fn privileged(access: &koperasi_membership::AccessControl, role: Role) -> bool {
    use Permission as P;
    let perms = access.policy().permissions(role);
    [
        P::PostEntry,
        P::ReverseEntry,
        P::ApproveLoan,
        P::DisburseLoan,
        P::ClosePeriod,
        P::ReopenPeriod,
        P::RunShu,
        P::ManageAccess,
        P::ManageGovernance,
    ]
    .into_iter()
    .any(|p| perms.contains(p))
}

impl Koperasi {
    /// Every two-person request made, by number.
    pub fn requests(&self) -> &std::collections::BTreeMap<RequestId, Request> {
        &self.requests
    }

    /// Requests still waiting for a checker on `on` (pending, not expired).
    pub fn open_requests(&self, on: NaiveDate) -> impl Iterator<Item = &Request> {
        self.requests.values().filter(move |r| r.is_open(on))
    }

    /// Whether `op` needs a second person, and who may act. The one place that decides it:
    /// granting a privileged role, approving a loan above the maker-checker limit, disbursing
    /// above [`BookConfig::disbursement_checker_limit`](crate::BookConfig), writing off,
    /// reversing (when the maker-checker rules say so), corrections after a month-end,
    /// adjusting entries and reopening a year.
    pub(super) fn two_person(&self, op: &Operation) -> Option<TwoPerson> {
        use Permission as P;
        match op {
            Operation::GrantRole { role, .. } if privileged(&self.access, *role) => {
                Some(TwoPerson {
                    maker: P::ManageAccess,
                    checker: P::ManageGovernance,
                    role: None,
                    subject: Subject::Cooperative,
                })
            }
            Operation::ApproveLoan { loan } => {
                let app = self.applications.get(loan)?;
                let ctl = ControlledOp::LoanApproval {
                    loan: *loan,
                    amount: app.terms.principal,
                };
                (app.approved.is_none() && self.access.needs_checker(&ctl))
                    .then_some(TwoPerson::same(P::ApproveLoan, Subject::Loan(*loan)))
            }
            // An operation that is bound to fail is not made a request: it is applied (and
            // refused) at once, so the maker learns of the error now.
            Operation::DisburseLoan { loan, .. } => {
                let app = self.applications.get(loan)?;
                let limit = self.config.disbursement_checker_limit?;
                (app.approved.is_some() && app.terms.principal > limit).then_some(TwoPerson {
                    maker: P::DisburseLoan,
                    checker: P::ApproveLoan,
                    role: None,
                    subject: Subject::Loan(*loan),
                })
            }
            // Only a Macet loan (or one with a documented override) can be written off.
            Operation::WriteOffLoan { loan } => self
                .check_write_off("write_off_loan", *loan)
                .is_ok()
                .then_some(TwoPerson::same(P::ApproveLoan, Subject::Loan(*loan))),
            Operation::Reverse { .. } if self.access.maker_checker().entry_reversal => {
                Some(TwoPerson::same(P::ReverseEntry, Subject::Cooperative))
            }
            Operation::Adjust { .. } => {
                Some(TwoPerson::same(P::ReverseEntry, Subject::Cooperative))
            }
            // It rewrites month-end results: always two people.
            Operation::CorrectAfterMonthEnd { event, .. } => self
                .can_correct(*event)
                .then_some(TwoPerson::same(P::ReverseEntry, Subject::Cooperative)),
            Operation::RecordBankReconciliation { .. } => {
                Some(TwoPerson::same(P::PostEntry, Subject::Cooperative))
            }
            Operation::ReopenYear { year, .. } if self.closed.contains_key(year) => {
                Some(TwoPerson {
                    maker: P::ReopenPeriod,
                    checker: P::ReopenPeriod,
                    role: Some(Role::Supervisor),
                    subject: Subject::Cooperative,
                })
            }
            _ => None,
        }
    }

    /// The first act: records the request (nothing is posted). The maker's permission and
    /// the reason of a correction are checked now; the operation itself when it is approved.
    pub(super) fn make_request(&mut self, e: &Event, rule: TwoPerson) -> Result<Applied> {
        let op = e.op.name();
        self.permit(e.actor, op, rule.maker, rule.subject)?;
        if let Operation::Reverse { reason, .. }
        | Operation::CorrectAfterMonthEnd { reason, .. }
        | Operation::ReopenYear { reason, .. }
        | Operation::Adjust { memo: reason, .. } = &e.op
            && reason.trim().is_empty()
        {
            return Err(Error::EmptyReason { op });
        }
        let n = u64::try_from(self.requests.len())
            .ok()
            .and_then(|n| n.checked_add(1))
            .ok_or_else(|| Error::Internal {
                op,
                what: "request numbers exhausted".into(),
            })?;
        let id = RequestId(n);
        let expires_on = e
            .date
            .checked_add_days(Days::new(u64::from(self.config.request_expiry_days)))
            .ok_or(Error::Config {
                what: format!("request expiry {} days", self.config.request_expiry_days),
            })?;
        self.requests.insert(
            id,
            Request {
                id,
                op: e.op.clone(),
                maker: e.actor,
                requested_on: e.date,
                expires_on,
                checker_permission: rule.checker,
                checker_role: rule.role,
                state: RequestState::Pending,
            },
        );
        Ok(Applied {
            request: Some(id),
            ..Applied::default()
        })
    }

    /// Checks that `checker` may decide request `id` on `on`.
    fn decidable(
        &self,
        op: &'static str,
        checker: ActorId,
        id: RequestId,
        on: NaiveDate,
    ) -> Result<&Request> {
        let r = self
            .requests
            .get(&id)
            .ok_or(Error::UnknownRequest { op, request: id })?;
        match r.state {
            RequestState::Pending => {}
            RequestState::Approved { .. } => {
                return Err(Error::RequestDecided {
                    op,
                    request: id,
                    state: "approved",
                });
            }
            RequestState::Rejected { .. } => {
                return Err(Error::RequestDecided {
                    op,
                    request: id,
                    state: "rejected",
                });
            }
            RequestState::Withdrawn { .. } => {
                return Err(Error::RequestDecided {
                    op,
                    request: id,
                    state: "withdrawn",
                });
            }
        }
        if on > r.expires_on {
            return Err(Error::RequestExpired {
                op,
                request: id,
                expired_on: r.expires_on,
            });
        }
        if self.access.same_person(r.maker, checker) {
            return Err(Error::Membership {
                op,
                source: koperasi_membership::Error::SameActor {
                    maker: r.maker,
                    checker,
                },
            });
        }
        let subject = self
            .two_person(&r.op)
            .map_or(Subject::Cooperative, |t| t.subject);
        self.permit(checker, op, r.checker_permission, subject)?;
        if let Some(role) = r.checker_role
            && !self
                .access
                .grant_of(checker)
                .is_some_and(|g| g.roles.contains(&role))
        {
            return Err(Error::CheckerRole { op, checker, role });
        }
        Ok(r)
    }

    /// The second act: the checker completes request `id`; the operation is applied now,
    /// as the maker's, and the request records the checker.
    pub(super) fn approve(&mut self, d: NaiveDate, a: ActorId, id: RequestId) -> Result<Applied> {
        let r = self.decidable("approve", a, id, d)?;
        let event = Event::new(d, r.maker, r.op.clone());
        let mut applied = self.dispatch(&event, Some(a))?;
        if let Some(r) = self.requests.get_mut(&id) {
            r.state = RequestState::Approved {
                checker: a,
                on: d,
                entries: applied.entries.clone(),
            };
        }
        applied.request = Some(id);
        Ok(applied)
    }

    /// The checker refuses request `id`.
    pub(super) fn reject(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        id: RequestId,
        reason: &str,
    ) -> Result<Applied> {
        let op = "reject";
        if reason.trim().is_empty() {
            return Err(Error::EmptyReason { op });
        }
        self.decidable(op, a, id, d)?;
        if let Some(r) = self.requests.get_mut(&id) {
            r.state = RequestState::Rejected {
                checker: a,
                on: d,
                reason: reason.to_owned(),
            };
        }
        Ok(Applied {
            request: Some(id),
            ..Applied::default()
        })
    }

    /// The maker withdraws his own pending request `id` (the same actor id that made it; a
    /// linked id of the same person is not the maker). An expired request cannot be
    /// withdrawn: it is already dead.
    pub(super) fn withdraw_request(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        id: RequestId,
    ) -> Result<Applied> {
        let op = "withdraw_request";
        let r = self
            .requests
            .get(&id)
            .ok_or(Error::UnknownRequest { op, request: id })?;
        let state = match r.state {
            RequestState::Pending => None,
            RequestState::Approved { .. } => Some("approved"),
            RequestState::Rejected { .. } => Some("rejected"),
            RequestState::Withdrawn { .. } => Some("withdrawn"),
        };
        if let Some(state) = state {
            return Err(Error::RequestDecided {
                op,
                request: id,
                state,
            });
        }
        if r.maker != a {
            return Err(Error::NotMaker {
                op,
                request: id,
                maker: r.maker,
                actor: a,
            });
        }
        if d > r.expires_on {
            return Err(Error::RequestExpired {
                op,
                request: id,
                expired_on: r.expires_on,
            });
        }
        if let Some(r) = self.requests.get_mut(&id) {
            r.state = RequestState::Withdrawn { on: d };
        }
        Ok(Applied {
            request: Some(id),
            ..Applied::default()
        })
    }

    pub(super) fn grant_role(
        &mut self,
        a: ActorId,
        grantee: ActorId,
        role: Role,
    ) -> Result<Applied> {
        self.permit(
            a,
            "grant_role",
            Permission::ManageAccess,
            Subject::Cooperative,
        )?;
        self.access.grant(grantee, role);
        Ok(Applied::default())
    }

    /// Links an officer's actor id to the member they are; a link is never changed.
    pub(super) fn link_member(
        &mut self,
        a: ActorId,
        actor: ActorId,
        member: MemberId,
    ) -> Result<Applied> {
        let op = "link_member";
        self.permit(a, op, Permission::ManageAccess, Subject::Member(member))?;
        if self.registry.get(member).is_none() {
            return Err(Error::UnknownMember { op, member });
        }
        if let Some(m) = self.access.grant_of(actor).and_then(|g| g.member) {
            return Err(Error::AlreadyLinked {
                op,
                actor,
                member: m,
            });
        }
        self.access.link_member(actor, member);
        Ok(Applied::default())
    }

    /// Approves a loan application: by the maker alone at or below the limit, or — through
    /// [`Koperasi::approve`] — with the `checker` who completed the request.
    pub(super) fn approve_loan(
        &mut self,
        a: ActorId,
        loan: LoanId,
        checker: Option<ActorId>,
    ) -> Result<Applied> {
        let op = "approve_loan";
        self.permit(a, op, Permission::ApproveLoan, Subject::Loan(loan))?;
        let app = self
            .applications
            .get(&loan)
            .ok_or(Error::UnknownLoan { op, loan })?;
        if app.approved.is_some() {
            return Err(Error::LoanState {
                op,
                loan,
                state: "already approved",
            });
        }
        if let Some(app) = self.applications.get_mut(&loan) {
            app.approved = Some((a, checker));
        }
        self.undo.touch(super::corrections::Key::Application(loan));
        Ok(Applied::default())
    }
}

#[cfg(test)]
mod tests {
    use koperasi_core::LoanId;
    use koperasi_membership::{Permission, Role};

    use super::privileged;
    use crate::book::testkit::{BENDAHARA, KASIR, KETUA, PENGAWAS, book, d};
    use crate::error::Error;
    use crate::event::{Operation, RequestId};

    #[test]
    fn privileged_roles_are_those_that_can_act() {
        let b = book(0);
        assert!(!privileged(&b.access, Role::Member));
        assert!(!privileged(&b.access, Role::Auditor));
        assert!(
            privileged(&b.access, Role::Teller),
            "a teller posts entries"
        );
        assert!(privileged(&b.access, Role::Supervisor));
    }

    #[test]
    fn requests_are_numbered_in_order_and_hold_the_checker_rule() {
        let mut b = book(0);
        let grant = Operation::GrantRole {
            grantee: koperasi_core::ActorId::from_u128(50),
            role: Role::Manager,
        };
        let r1 = b.run(d(1, 5), KETUA, grant).unwrap().request;
        let reopen = Operation::ReopenYear {
            year: 2026,
            reason: "x".into(),
        };
        // Not closed: refused at once, no request.
        let err = b.run(d(1, 5), BENDAHARA, reopen).unwrap_err();
        assert!(matches!(err, Error::YearState { .. }), "{err:?}");
        assert_eq!(r1, Some(RequestId(1)));
        let r = &b.requests()[&RequestId(1)];
        assert_eq!(r.checker_permission, Permission::ManageGovernance);
        assert_eq!(r.expires_on, d(2, 4));
        // A write-off of an unknown loan is refused at once.
        let err = b
            .run(
                d(1, 5),
                KETUA,
                Operation::WriteOffLoan {
                    loan: LoanId::from_u128(9),
                },
            )
            .unwrap_err();
        assert!(matches!(err, Error::UnknownLoan { .. }), "{err:?}");
        // Nobody but the maker holds ManageGovernance here: the pengawas and kasir cannot.
        for checker in [PENGAWAS, KASIR] {
            let err = b
                .run(
                    d(1, 6),
                    checker,
                    Operation::Approve {
                        request: RequestId(1),
                    },
                )
                .unwrap_err();
            assert!(matches!(err, Error::Membership { .. }), "{err:?}");
        }
        assert_eq!(b.open_requests(d(1, 6)).count(), 1);
    }

    #[test]
    fn the_maker_alone_withdraws_his_pending_request_and_it_can_no_longer_be_decided() {
        use crate::book::RequestState;
        let mut b = book(0);
        let grant = Operation::GrantRole {
            grantee: koperasi_core::ActorId::from_u128(50),
            role: Role::Manager,
        };
        let id = b.run(d(1, 5), KETUA, grant).unwrap().request.unwrap();
        // Not the maker: a typed error naming the maker; nothing changes.
        let before = b.requests().clone();
        let err = b
            .run(
                d(1, 6),
                BENDAHARA,
                Operation::WithdrawRequest { request: id },
            )
            .unwrap_err();
        assert!(
            matches!(err, Error::NotMaker { request, maker, actor, .. }
                if request == id && maker == KETUA && actor == BENDAHARA),
            "{err:?}"
        );
        assert_eq!(&before, b.requests());
        let unknown = b
            .run(
                d(1, 6),
                KETUA,
                Operation::WithdrawRequest {
                    request: RequestId(9),
                },
            )
            .unwrap_err();
        assert!(
            matches!(unknown, Error::UnknownRequest { .. }),
            "{unknown:?}"
        );
        // The maker withdraws it: no entries, the request is closed.
        let events = b.events().len();
        let applied = b
            .run(d(1, 6), KETUA, Operation::WithdrawRequest { request: id })
            .unwrap();
        assert_eq!(applied.request, Some(id));
        assert!(applied.entries.is_empty());
        assert_eq!(b.events().len(), events + 1);
        assert_eq!(
            b.requests()[&id].state,
            RequestState::Withdrawn { on: d(1, 6) }
        );
        assert_eq!(b.open_requests(d(1, 6)).count(), 0);
        // Neither approved, rejected nor withdrawn again.
        for op in [
            Operation::Approve { request: id },
            Operation::Reject {
                request: id,
                reason: "x".into(),
            },
        ] {
            let err = b.run(d(1, 7), PENGAWAS, op).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::RequestDecided {
                        state: "withdrawn",
                        ..
                    }
                ),
                "{err:?}"
            );
        }
        let again = b
            .run(d(1, 7), KETUA, Operation::WithdrawRequest { request: id })
            .unwrap_err();
        assert!(
            matches!(
                again,
                Error::RequestDecided {
                    state: "withdrawn",
                    ..
                }
            ),
            "{again:?}"
        );
        // Replay reproduces the withdrawn request.
        let replayed =
            crate::Koperasi::replay(b.config().clone(), b.events().iter().cloned()).unwrap();
        assert_eq!(replayed.requests(), b.requests());
    }

    #[test]
    fn an_expired_request_cannot_be_withdrawn() {
        let mut b = book(0);
        let grant = Operation::GrantRole {
            grantee: koperasi_core::ActorId::from_u128(50),
            role: Role::Manager,
        };
        let id = b.run(d(1, 5), KETUA, grant).unwrap().request.unwrap();
        let err = b
            .run(d(3, 1), KETUA, Operation::WithdrawRequest { request: id })
            .unwrap_err();
        assert!(matches!(err, Error::RequestExpired { .. }), "{err:?}");
    }
}

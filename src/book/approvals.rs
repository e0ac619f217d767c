//! Access and approvals: granting roles, the maker-checker approval of loans.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, LoanId};
use koperasi_membership::{Authorization, ControlledOp, Permission, Role, Subject};

use crate::error::{Error, Result, membership};

use super::{Applied, Koperasi};

impl Koperasi {
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

    pub(super) fn approve_loan(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        loan: LoanId,
        checker: Option<ActorId>,
    ) -> Result<Applied> {
        let op = "approve_loan";
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
        let ctl = ControlledOp::LoanApproval {
            loan,
            amount: app.terms.principal,
        };
        let approved = match self.access.request(a, ctl, d).map_err(membership(op))? {
            Authorization::Granted(_) => (a, None),
            Authorization::Pending(mut approval) => {
                let c = checker.ok_or(Error::CheckerRequired { op })?;
                approval
                    .approve(&self.access, c, d)
                    .map_err(membership(op))?;
                (a, Some(c))
            }
        };
        if let Some(app) = self.applications.get_mut(&loan) {
            app.approved = Some(approved);
        }
        Ok(Applied::default())
    }
}

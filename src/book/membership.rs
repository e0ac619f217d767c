//! Members: registration (domicile from the input, anggota luar biasa, NIK warnings),
//! simpanan pokok and admission, and leaving — resignation, dismissal (pemberhentian), death
//! with settlement to the heirs (ahli waris).

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, MemberId, Rupiah};
use koperasi_ledger::Side;
use koperasi_membership::{
    Applicant, Gender, Ineligibility, MemberStatus, MembershipKind, Nik, Permission, Subject,
    VillageCode,
};
use koperasi_savings_loans::{
    LoanStatus, Obligation, SavingsAccount, SavingsKind, SavingsProduct, exit_settlement,
};

use crate::error::{Error, Result, membership, sl};
use crate::event::Via;
use crate::posting::PostingRole as R;

use super::config::DomicileScope;
use super::corrections::savings_key;
use super::{
    Applied, Koperasi, Leg, MemberAccounts, Pair, account_ids, add, member_dims, sub,
    voluntary_product,
};

impl Koperasi {
    /// Registers a calon anggota (or a calon anggota luar biasa) with the domicile from the
    /// input, checked against the configured eligibility ([`DomicileScope`]).
    pub(super) fn register(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        r: &Registering<'_>,
    ) -> Result<Applied> {
        let op = "register_member";
        let member = r.member;
        self.permit(a, op, Permission::ManageMembers, Subject::Member(member))?;
        let nik = Nik::parse(r.nik).map_err(membership(op))?;
        let domicile = r.domicile.unwrap_or(self.config.village);
        let kind = if r.associate {
            MembershipKind::Associate
        } else {
            MembershipKind::Regular
        };
        let rules = &self.registry.rules().eligibility;
        let exempt = r.associate && rules.associates_exempt_domicile;
        if self.config.domicile_scope == DomicileScope::District
            && !exempt
            && domicile.digits().get(..6) != self.config.village.digits().get(..6)
        {
            return Err(Error::Membership {
                op,
                source: koperasi_membership::Error::Ineligible {
                    id: member,
                    reason: Ineligibility::DomicileMismatch {
                        domicile,
                        required: self.config.village,
                    },
                },
            });
        }
        let mut applicant =
            Applicant::new(member, nik, r.name, r.birth_date, domicile).with_kind(kind);
        if let Some(g) = r.gender {
            applicant = applicant.with_gender(g);
        }
        let reg = self
            .registry
            .register(applicant, d)
            .map_err(membership(op))?;
        Ok(Applied {
            warnings: reg.warnings,
            ..Applied::default()
        })
    }

    pub(super) fn pay_pokok(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        via: Via,
    ) -> Result<Applied> {
        let op = "pay_principal_savings";
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        let m = self
            .registry
            .get(member)
            .ok_or(Error::UnknownMember { op, member })?;
        // The registry's own conditions for recording the payment and admitting, checked
        // before anything is posted so that the registry steps below cannot fail.
        if m.status() != MemberStatus::Candidate || m.pokok_paid_on().is_some() {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "not a calon anggota awaiting simpanan pokok",
            });
        }
        if d < m.last_change_on() {
            return Err(Error::DateOutOfOrder {
                op,
                date: d,
                last: m.last_change_on(),
            });
        }
        if self.registry.admission_deadline(m).is_some_and(|dl| d > dl) {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "admission deadline passed",
            });
        }
        if self.accounts.contains_key(&member) {
            return Err(Error::Duplicate {
                op,
                what: "savings accounts of member",
                id: member.to_string(),
            });
        }
        let ids = account_ids(member);
        let mut pokok =
            SavingsAccount::open(ids[0], SavingsProduct::principal(self.config.pokok), d)
                .map_err(sl(op))?;
        pokok.deposit(d, self.config.pokok).map_err(sl(op))?;
        let wajib = SavingsAccount::open(ids[1], SavingsProduct::mandatory(self.config.wajib), d)
            .map_err(sl(op))?;
        let sukarela =
            SavingsAccount::open(ids[2], voluntary_product(&self.config)?, d).map_err(sl(op))?;
        let pair = Pair {
            memo: "Setoran simpanan pokok",
            source: format!("savings:{member}/pokok"),
            amount: self.config.pokok,
            debit: Leg::via(via),
            credit: Leg::Role(
                R::MemberSavings(SavingsKind::Principal),
                member_dims(member),
            ),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        self.accounts.insert(
            member,
            MemberAccounts {
                pokok,
                wajib,
                sukarela,
            },
        );
        // Checked above: a calon anggota, pokok unpaid, date not before the last change,
        // within the admission deadline.
        let r1 = self.registry.record_pokok_payment(member, d);
        let r2 = self.registry.admit(member, d, "simpanan pokok lunas");
        if let Err(e) = r1.and(r2.map(|_| ())) {
            return Err(Error::Internal {
                op,
                what: format!("registry rejected a pre-checked admission: {e}"),
            });
        }
        Ok(applied)
    }

    /// A member leaves — resigns, is dismissed, or dies — from any status that can leave:
    /// a calon anggota simply leaves the registry (nothing was paid); an anggota or anggota
    /// luar biasa has the savings set off against the loans and the rest owed as a refund
    /// (to the heirs on death).
    pub(super) fn leave(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        reason: &str,
        how: Leaving<'_>,
    ) -> Result<Applied> {
        let op = how.op();
        self.permit(a, op, Permission::ManageMembers, Subject::Member(member))?;
        let m = self
            .registry
            .get(member)
            .ok_or(Error::UnknownMember { op, member })?;
        let status = m.status();
        if !matches!(
            status,
            MemberStatus::Candidate | MemberStatus::Member | MemberStatus::Associate
        ) {
            return Err(Error::NotActiveMember { op, member });
        }
        if d < m.last_change_on() {
            return Err(Error::DateOutOfOrder {
                op,
                date: d,
                last: m.last_change_on(),
            });
        }
        if reason.trim().is_empty() {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "a reason is required",
            });
        }
        if let Leaving::Death { heirs } = how
            && heirs.trim().is_empty()
        {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "the heirs (ahli waris) must be named",
            });
        }
        let record = match how {
            Leaving::Death { heirs } => format!("{reason}; ahli waris: {heirs}"),
            _ => reason.to_owned(),
        };
        if status == MemberStatus::Candidate && !self.accounts.contains_key(&member) {
            self.registry_leave(op, member, d, &record, how)?;
            return Ok(Applied::default());
        }
        if self
            .deposits
            .values()
            .any(|(x, acc)| *x == member && !acc.is_closed())
        {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "has an open simpanan berjangka",
            });
        }
        let accts = self.accounts.get(&member).ok_or(Error::NoSavingsAccount {
            op,
            member,
            kind: "pokok",
        })?;
        let mut obligations = Vec::new();
        let mut open = Vec::new();
        for (id, l) in self
            .loans
            .iter()
            .filter(|(_, l)| l.member == member && l.loan.status() == LoanStatus::Active)
        {
            let owed = self.payoff_amount(&l.loan, d).map_err(sl(op))?;
            obligations.push(Obligation::Loan(*id, owed));
            open.push((*id, l.loan.clone(), owed));
        }
        let s = exit_settlement(&[&accts.pokok, &accts.wajib, &accts.sukarela], &obligations)
            .map_err(sl(op))?;
        let md = member_dims(member);
        let mut lines = Vec::new();
        let mut closed = accts.clone();
        for (kind, acc) in [
            (SavingsKind::Principal, &mut closed.pokok),
            (SavingsKind::Mandatory, &mut closed.wajib),
            (SavingsKind::Voluntary, &mut closed.sukarela),
        ] {
            let bal = acc.balance();
            if !acc.is_closed() {
                acc.close_on_exit(d).map_err(sl(op))?;
            }
            lines.push(self.line(R::MemberSavings(kind), Side::Debit, bal, md)?);
        }
        let mut remaining = s.set_off;
        let mut repaid = Vec::new();
        let mut interest = Rupiah::ZERO;
        for (id, mut state, owed) in open {
            let pay = remaining.min(owed);
            if pay.is_positive() {
                let r = self.repay_loan(&mut state, d, pay).map_err(sl(op))?;
                remaining = sub(remaining, pay)?;
                interest = add(interest, r.totals.interest)?;
                let mut rl = self.repayment_lines(member, &r)?;
                // No excess: the set-off never exceeds the payoff amount.
                rl.retain(|l| {
                    !(l.side == Side::Credit
                        && l.account.as_str()
                            == self.code(R::MemberSavings(SavingsKind::Voluntary)))
                });
                lines.extend(rl);
                repaid.push((id, state));
            }
        }
        lines.push(self.line(R::ExitRefundPayable, Side::Credit, s.refund, md)?);
        let year = self.year_of(d)?;
        let patronage = self.patronage_after(year, member, |t| {
            t.loan_interest
                .checked_add(interest)
                .map(|v| t.loan_interest = v)
        })?;
        let applied = self.post_entry(op, d, a, how.memo(), how.source(member), lines)?;
        self.accounts.insert(member, closed);
        for kind in [
            SavingsKind::Principal,
            SavingsKind::Mandatory,
            SavingsKind::Voluntary,
        ] {
            self.undo.touch(savings_key(member, kind));
        }
        for (id, state) in repaid {
            self.set_loan(id, state, None);
        }
        self.set_patronage(year, member, patronage);
        self.departed.entry(year).or_default().insert(member);
        self.registry_leave(op, member, d, &record, how)?;
        Ok(applied)
    }

    /// The registry's transition of a departure checked before (date, status).
    fn registry_leave(
        &mut self,
        op: &'static str,
        member: MemberId,
        d: NaiveDate,
        reason: &str,
        how: Leaving<'_>,
    ) -> Result<()> {
        let r = match how {
            Leaving::Resign => self.registry.resign(member, d, reason),
            Leaving::Dismiss => self.registry.dismiss(member, d, reason),
            Leaving::Death { .. } => self.registry.record_death(member, d, reason),
        };
        r.map(|_| ()).map_err(|e| Error::Internal {
            op,
            what: format!("registry rejected a pre-checked departure: {e}"),
        })
    }
}

/// How a member leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leaving<'a> {
    /// Keluar atas permintaan sendiri.
    Resign,
    /// Pemberhentian by the pengurus.
    Dismiss,
    /// Meninggal dunia; the refund is owed to the heirs.
    Death {
        /// The heirs (ahli waris) as named in the letter of inheritance.
        heirs: &'a str,
    },
}

impl Leaving<'_> {
    fn op(self) -> &'static str {
        match self {
            Leaving::Resign => "member_exit",
            Leaving::Dismiss => "dismiss_member",
            Leaving::Death { .. } => "member_death",
        }
    }
    fn memo(self) -> &'static str {
        match self {
            Leaving::Resign => "Anggota keluar: pengembalian simpanan dan kompensasi pinjaman",
            Leaving::Dismiss => {
                "Anggota diberhentikan: pengembalian simpanan dan kompensasi pinjaman"
            }
            Leaving::Death { .. } => {
                "Anggota meninggal dunia: simpanan dikompensasikan, sisanya utang kepada ahli waris"
            }
        }
    }
    fn source(self, member: MemberId) -> String {
        match self {
            Leaving::Resign => format!("member:{member}/exit"),
            Leaving::Dismiss => format!("member:{member}/dismissal"),
            Leaving::Death { .. } => format!("member:{member}/death"),
        }
    }
}

/// The input of a registration.
#[derive(Debug, Clone, Copy)]
pub(super) struct Registering<'a> {
    pub(super) member: MemberId,
    pub(super) nik: &'a str,
    pub(super) name: &'a str,
    pub(super) birth_date: NaiveDate,
    pub(super) domicile: Option<VillageCode>,
    pub(super) gender: Option<Gender>,
    pub(super) associate: bool,
}

#[cfg(test)]
mod tests {
    use koperasi_membership::MemberStatus;

    use super::Leaving;
    use crate::book::testkit::{KETUA, book, d, member, register};
    use crate::event::Operation;

    #[test]
    fn each_way_of_leaving_has_its_own_operation_and_source() {
        let m = member(3);
        let ways = [
            Leaving::Resign,
            Leaving::Dismiss,
            Leaving::Death { heirs: "Budi" },
        ];
        let ops: Vec<_> = ways.iter().map(|w| w.op()).collect();
        assert_eq!(ops, ["member_exit", "dismiss_member", "member_death"]);
        let sources: Vec<_> = ways.iter().map(|w| w.source(m)).collect();
        assert!(sources[0].ends_with("/exit") && sources[1].ends_with("/dismissal"));
        assert!(sources[2].ends_with("/death"));
    }

    #[test]
    fn a_calon_anggota_is_dismissed_without_a_posting() {
        let mut b = book(0);
        b.run(d(1, 5), KETUA, register(5)).unwrap();
        let len = b.ledger.len();
        let applied = b
            .run(
                d(1, 6),
                KETUA,
                Operation::DismissMember {
                    member: member(5),
                    reason: "data palsu".into(),
                },
            )
            .unwrap();
        assert!(applied.entries.is_empty());
        assert_eq!(b.ledger.len(), len);
        assert_eq!(
            b.registry.get(member(5)).unwrap().status(),
            MemberStatus::Dismissed
        );
    }
}

//! Issue 13: the two-person rule, corrections, closed periods, the SHU basis at the fiscal
//! year end and the versioned event format — one named test per "missing today" bullet.
use koperasi::core::{LoanId, Rupiah};
use koperasi::ledger::Side;
use koperasi::membership::{self, Role};
use koperasi::savings_loans::SavingsKind;
use koperasi::{
    AdjustLine, Error, Koperasi, Operation, PostingRole, RequestId, RequestState, ReversalTarget,
    Via,
};

use crate::common::*;

fn balance(b: &Koperasi, m: u128, kind: SavingsKind) -> Rupiah {
    b.savings_balance(member(m), kind).unwrap()
}

fn reconciles(b: &Koperasi) {
    for c in b.reconcile().unwrap() {
        assert!(c.reconciles(), "{c:?}");
    }
}

/// A documented override for writing off loan 1 (which is not Macet): the write-off itself
/// still needs two persons.
fn documented_write_off(b: &mut Koperasi) {
    b.run(
        d(2, 1),
        KETUA,
        Operation::WriteOffOverride {
            loan: LoanId::from_u128(1),
            reason: "Peminjam meninggal dunia (keputusan rapat pengurus)".into(),
        },
    )
    .unwrap();
}

fn write_off(loan: u128) -> Operation {
    Operation::WriteOffLoan {
        loan: LoanId::from_u128(loan),
    }
}

// ---- the two-person rule -----------------------------------------------------------------

#[test]
fn missing_two_person_rule_write_off_is_a_request_until_a_second_person_approves() {
    let mut b = book(2);
    documented_write_off(&mut b);
    let ledger_before = b.ledger().len();
    let made = b.run(d(2, 1), KETUA, write_off(1)).unwrap();
    let request = made.request.expect("a write-off is a request");
    assert!(made.entries.is_empty());
    assert_eq!(
        b.ledger().len(),
        ledger_before,
        "nothing posted before completion"
    );
    assert_eq!(b.open_requests(d(2, 1)).count(), 1);

    // The maker himself cannot complete it.
    let before = fingerprint(&b);
    let err = b
        .run(d(2, 2), KETUA, Operation::Approve { request })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Membership {
                source: membership::Error::SameActor { maker, checker },
                ..
            } if maker == KETUA && checker == KETUA
        ),
        "{err:?}"
    );
    assert_eq!(before, fingerprint(&b));
    // A teller lacks the permission.
    let err = b
        .run(d(2, 2), KASIR, Operation::Approve { request })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Membership {
                source: membership::Error::PermissionDenied { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(before, fingerprint(&b));

    let done = b
        .run(d(2, 2), BENDAHARA, Operation::Approve { request })
        .unwrap();
    assert_eq!(done.request, Some(request));
    assert_eq!(done.entries.len(), 1);
    let r = &b.requests()[&request];
    assert!(matches!(r.state, RequestState::Approved { checker, .. } if checker == BENDAHARA));
    assert_eq!(r.maker, KETUA);
    // Approving twice is refused.
    let err = b
        .run(d(2, 3), MANAJER, Operation::Approve { request })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::RequestDecided {
                state: "approved",
                ..
            }
        ),
        "{err:?}"
    );
    reconciles(&b);
}

#[test]
fn missing_two_person_rule_an_id_linked_to_the_same_member_is_the_same_person() {
    let mut b = book(2);
    // The bendahara is anggota 0; a second id of hers holds the manager role.
    let second = koperasi::core::ActorId::from_u128(40);
    b.run(
        d(1, 20),
        KETUA,
        Operation::LinkMember {
            officer: BENDAHARA,
            member: member(0),
        },
    )
    .unwrap();
    let made = b
        .run(
            d(1, 20),
            KETUA,
            Operation::GrantRole {
                grantee: second,
                role: Role::Manager,
            },
        )
        .unwrap();
    let grant = made.request.expect("a privileged role is a request");
    // The granter cannot complete it; the sekretaris can.
    assert!(
        b.run(d(1, 20), KETUA, Operation::Approve { request: grant })
            .is_err()
    );
    b.run(d(1, 20), SEKRETARIS, Operation::Approve { request: grant })
        .unwrap();
    b.run(
        d(1, 20),
        KETUA,
        Operation::LinkMember {
            officer: second,
            member: member(0),
        },
    )
    .unwrap();
    // A link is never changed.
    let err = b
        .run(
            d(1, 20),
            KETUA,
            Operation::LinkMember {
                officer: second,
                member: member(1),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::AlreadyLinked { .. }), "{err:?}");

    documented_write_off(&mut b);
    let request = b
        .run(d(2, 1), BENDAHARA, write_off(1))
        .unwrap()
        .request
        .unwrap();
    let before = fingerprint(&b);
    let err = b
        .run(d(2, 1), second, Operation::Approve { request })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Membership {
                source: membership::Error::SameActor { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(before, fingerprint(&b));
    b.run(d(2, 1), MANAJER, Operation::Approve { request })
        .unwrap();
}

#[test]
fn missing_two_person_rule_a_large_loan_approval_is_completed_by_the_checker_acting() {
    let mut b = book(2);
    let loan = LoanId::from_u128(5);
    let terms = koperasi::savings_loans::LoanTerms::new(
        rp(30_000_000),
        koperasi::core::Rate::per_month(koperasi::core::Decimal::ONE).unwrap(),
        12,
        koperasi::savings_loans::Method::Flat,
        d(2, 1),
    );
    b.run(
        d(2, 1),
        KASIR,
        Operation::ApplyLoan {
            loan,
            member: member(1),
            terms,
        },
    )
    .unwrap();
    let approval = b
        .run(d(2, 1), MANAJER, Operation::ApproveLoan { loan })
        .unwrap()
        .request
        .unwrap();
    assert!(b.applications()[&loan].approved.is_none());
    // Disbursing before the approval is completed is refused.
    let err = b
        .run(
            d(2, 1),
            BENDAHARA,
            Operation::DisburseLoan {
                loan,
                via: Via::Bank,
            },
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::LoanState {
                state: "not approved",
                ..
            }
        ),
        "{err:?}"
    );
    b.run(d(2, 2), KETUA, Operation::Approve { request: approval })
        .unwrap();
    assert_eq!(
        b.applications()[&loan].approved,
        Some((MANAJER, Some(KETUA)))
    );
    // Rp30 juta is above the disbursement limit: a request too.
    let disb = b
        .run(
            d(2, 3),
            BENDAHARA,
            Operation::DisburseLoan {
                loan,
                via: Via::Bank,
            },
        )
        .unwrap();
    let r = disb.request.unwrap();
    assert!(disb.entries.is_empty() && !b.loans().contains_key(&loan));
    b.run(d(2, 3), KETUA, Operation::Approve { request: r })
        .unwrap();
    assert!(b.loans().contains_key(&loan));
    reconciles(&b);
}

#[test]
fn missing_two_person_rule_reject_and_expiry_post_nothing() {
    let mut b = book(2);
    documented_write_off(&mut b);
    let r1 = b
        .run(d(2, 1), KETUA, write_off(1))
        .unwrap()
        .request
        .unwrap();
    let err = b
        .run(
            d(2, 1),
            BENDAHARA,
            Operation::Reject {
                request: r1,
                reason: " ".into(),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::EmptyReason { .. }), "{err:?}");
    b.run(
        d(2, 1),
        BENDAHARA,
        Operation::Reject {
            request: r1,
            reason: "masih ada jaminan".into(),
        },
    )
    .unwrap();
    assert!(matches!(
        b.requests()[&r1].state,
        RequestState::Rejected { .. }
    ));
    let err = b
        .run(d(2, 2), MANAJER, Operation::Approve { request: r1 })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::RequestDecided {
                state: "rejected",
                ..
            }
        ),
        "{err:?}"
    );

    let r2 = b
        .run(d(2, 2), KETUA, write_off(1))
        .unwrap()
        .request
        .unwrap();
    let expires = b.requests()[&r2].expires_on;
    assert_eq!(expires, d(3, 4));
    assert_eq!(b.open_requests(d(3, 5)).count(), 0);
    let err = b
        .run(d(3, 5), BENDAHARA, Operation::Approve { request: r2 })
        .unwrap_err();
    assert!(
        matches!(err, Error::RequestExpired { expired_on, .. } if expired_on == expires),
        "{err:?}"
    );
    let err = b
        .run(
            d(3, 5),
            BENDAHARA,
            Operation::Approve {
                request: RequestId(77),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::UnknownRequest { .. }), "{err:?}");
    assert!(
        b.loans()[&LoanId::from_u128(1)].loan.status()
            == koperasi::savings_loans::LoanStatus::Active
    );
}

#[test]
fn missing_two_person_rule_replay_reproduces_pending_requests() {
    let mut b = book(2);
    documented_write_off(&mut b);
    b.run(d(2, 1), KETUA, write_off(1)).unwrap();
    let again = Koperasi::replay(b.config().clone(), b.events().iter().cloned()).unwrap();
    assert_eq!(again.requests(), b.requests());
    assert_eq!(again.audit_head(), b.audit_head());
    let json = Koperasi::from_json_lines(&b.to_json_lines().unwrap()).unwrap();
    assert_eq!(json.requests(), b.requests());
}

// ---- corrections ---------------------------------------------------------------------------

fn reverse(i: usize) -> Operation {
    Operation::Reverse {
        target: ReversalTarget::Event(i),
        reason: "salah input".into(),
    }
}

/// Applies a reversal as maker and completes it as checker.
fn reverse_now(b: &mut Koperasi, date: koperasi::core::chrono::NaiveDate, op: Operation) {
    let r = b.run(date, BENDAHARA, op).unwrap().request.unwrap();
    b.run(date, PENGAWAS, Operation::Approve { request: r })
        .unwrap();
}

#[test]
fn missing_corrections_reversing_a_repayment_restores_the_loan() {
    let mut b = book(2);
    let loan = LoanId::from_u128(1);
    let before = b.loans()[&loan].clone();
    let receivable = b.role_balance(PostingRole::LoanReceivable).unwrap();
    b.run(
        d(2, 5),
        KASIR,
        Operation::RepayLoan {
            loan,
            amount: rp(530_000),
            via: Via::Cash,
        },
    )
    .unwrap();
    let i = b.events().len() - 1;
    assert!(b.role_balance(PostingRole::LoanReceivable).unwrap() < receivable);
    reverse_now(&mut b, d(2, 6), reverse(i));
    assert_eq!(
        b.loans()[&loan],
        before,
        "the loan is as before the repayment"
    );
    assert_eq!(
        b.role_balance(PostingRole::LoanReceivable).unwrap(),
        receivable
    );
    assert_eq!(
        b.transactions(2026, member(0))
            .map_or(Rupiah::ZERO, |t| t.loan_interest),
        Rupiah::ZERO
    );
    assert_eq!(b.reversed_by(i), Some(b.events().len() - 1));
    reconciles(&b);
    // Twice is refused.
    let r = b
        .run(d(2, 6), BENDAHARA, reverse(i))
        .unwrap()
        .request
        .unwrap();
    let err = b
        .run(d(2, 6), PENGAWAS, Operation::Approve { request: r })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotReversible {
                reason: "already reversed",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn missing_corrections_reversing_a_deposit_restores_the_savings_account() {
    let mut b = book(2);
    let before = b.member_accounts(member(1)).unwrap().clone();
    b.run(
        d(1, 20),
        KASIR,
        Operation::Deposit {
            member: member(1),
            kind: SavingsKind::Mandatory,
            amount: rp(10_000),
            via: Via::Cash,
        },
    )
    .unwrap();
    let first = b.events().len() - 1;
    b.run(
        d(1, 21),
        KASIR,
        Operation::Deposit {
            member: member(1),
            kind: SavingsKind::Mandatory,
            amount: rp(20_000),
            via: Via::Cash,
        },
    )
    .unwrap();
    let second = b.events().len() - 1;
    // The older one is not reversed while a later one changed the account.
    let r = b
        .run(d(1, 22), BENDAHARA, reverse(first))
        .unwrap()
        .request
        .unwrap();
    let fp = fingerprint(&b);
    let err = b
        .run(d(1, 22), PENGAWAS, Operation::Approve { request: r })
        .unwrap_err();
    assert!(matches!(err, Error::NotReversible { .. }), "{err:?}");
    assert_eq!(fp, fingerprint(&b));
    reverse_now(&mut b, d(1, 22), reverse(second));
    assert_eq!(balance(&b, 1, SavingsKind::Mandatory), rp(10_000));
    reconciles(&b);
    // A month-end registry operation is corrected otherwise.
    let err = {
        let r = b
            .run(d(1, 22), BENDAHARA, reverse(1))
            .unwrap()
            .request
            .unwrap();
        b.run(d(1, 22), PENGAWAS, Operation::Approve { request: r })
            .unwrap_err()
    };
    assert!(matches!(err, Error::NotReversible { .. }), "{err:?}");
    let _ = before;
}

#[test]
fn missing_corrections_a_single_entry_touching_a_subledger_is_refused() {
    let mut b = book(1);
    let entry = *b
        .ledger()
        .entries()
        .last()
        .map(|e| e.id())
        .as_ref()
        .unwrap();
    let r = b
        .run(
            d(2, 1),
            BENDAHARA,
            Operation::Reverse {
                target: ReversalTarget::Entry(entry),
                reason: "salah".into(),
            },
        )
        .unwrap()
        .request
        .unwrap();
    let err = b
        .run(d(2, 1), PENGAWAS, Operation::Approve { request: r })
        .unwrap_err();
    assert!(matches!(err, Error::NotReversible { .. }), "{err:?}");
    // An expense entry is reversed alone.
    let e = b
        .run(
            d(2, 1),
            MANAJER,
            Operation::Expense {
                account: "6-1-02".into(),
                amount: rp(150_000),
                unit: None,
                via: Via::Cash,
                memo: "listrik".into(),
            },
        )
        .unwrap()
        .entries[0];
    let cash = b.role_balance(PostingRole::Cash).unwrap();
    reverse_now(
        &mut b,
        d(2, 2),
        Operation::Reverse {
            target: ReversalTarget::Entry(e),
            reason: "tagihan ganda".into(),
        },
    );
    assert_eq!(
        b.role_balance(PostingRole::Cash).unwrap(),
        cash.checked_add(rp(150_000)).unwrap()
    );
}

#[test]
fn missing_corrections_adjusting_entry_needs_two_persons_and_no_control_account() {
    let mut b = book(1);
    let lines = vec![
        AdjustLine::new("6-1-02", Side::Debit, rp(75_000)),
        AdjustLine::new("1-1-01", Side::Credit, rp(75_000)),
    ];
    let made = b
        .run(
            d(2, 1),
            BENDAHARA,
            Operation::Adjust {
                entry_date: d(1, 31),
                memo: "beban listrik Januari".into(),
                lines: lines.clone(),
            },
        )
        .unwrap();
    assert!(made.entries.is_empty());
    let done = b
        .run(
            d(2, 1),
            PENGAWAS,
            Operation::Approve {
                request: made.request.unwrap(),
            },
        )
        .unwrap();
    let e = b.ledger().entry(done.entries[0]).unwrap();
    assert_eq!(e.date(), d(1, 31));
    // A control account (simpanan sukarela) is refused.
    let bad = vec![
        AdjustLine::new(
            b.code(PostingRole::MemberSavings(SavingsKind::Voluntary)),
            Side::Debit,
            rp(1_000),
        ),
        AdjustLine::new("1-1-01", Side::Credit, rp(1_000)),
    ];
    let r = b
        .run(
            d(2, 1),
            BENDAHARA,
            Operation::Adjust {
                entry_date: d(2, 1),
                memo: "x".into(),
                lines: bad,
            },
        )
        .unwrap()
        .request
        .unwrap();
    let err = b
        .run(d(2, 1), PENGAWAS, Operation::Approve { request: r })
        .unwrap_err();
    assert!(matches!(err, Error::ControlAccount { .. }), "{err:?}");
    // So are the accounts kept with the month-end registers: an adjusting entry on them would
    // part the general ledger from the asset register, the prepaid and accrual registers.
    for role in [
        PostingRole::AccumulatedDepreciation,
        PostingRole::PrepaidExpense,
        PostingRole::AccruedSavingsInterest,
        PostingRole::InterestReceivable,
    ] {
        let code = b.code(role);
        let lines = vec![
            AdjustLine::new(code.clone(), Side::Debit, rp(1_000)),
            AdjustLine::new("1-1-01", Side::Credit, rp(1_000)),
        ];
        let r = b
            .run(
                d(2, 1),
                BENDAHARA,
                Operation::Adjust {
                    entry_date: d(2, 1),
                    memo: "x".into(),
                    lines,
                },
            )
            .unwrap()
            .request
            .unwrap();
        let before = b.audit_head();
        let err = b
            .run(d(2, 1), PENGAWAS, Operation::Approve { request: r })
            .unwrap_err();
        assert!(
            matches!(&err, Error::ControlAccount { code: c, .. } if *c == code),
            "{role:?}: {err:?}"
        );
        assert_eq!(b.audit_head(), before);
    }
}

#[test]
fn missing_corrections_closed_period_refuses_postings_and_reopen_needs_a_pengawas() {
    let mut b = book(2);
    b.run(d(12, 31), BENDAHARA, Operation::MonthEnd).unwrap();
    b.run(d(12, 31), KETUA, Operation::CloseYear { year: 2026 })
        .unwrap();
    let shu = b.closed_years()[&2026].shu;
    let fp = fingerprint(&b);
    let err = b
        .run(
            d(12, 31),
            KASIR,
            Operation::Deposit {
                member: member(0),
                kind: SavingsKind::Voluntary,
                amount: rp(1_000),
                via: Via::Cash,
            },
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::ClosedPeriod { year: 2026, .. }),
        "{err:?}"
    );
    assert_eq!(fp, fingerprint(&b));

    let reopen = Operation::ReopenYear {
        year: 2026,
        reason: "koreksi auditor".into(),
    };
    let r = b
        .run(dy(2027, 1, 10), BENDAHARA, reopen.clone())
        .unwrap()
        .request
        .unwrap();
    // A manager is not a pengawas.
    let err = b
        .run(dy(2027, 1, 10), KETUA, Operation::Approve { request: r })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::CheckerRole {
                role: Role::Supervisor,
                ..
            }
        ),
        "{err:?}"
    );
    b.run(dy(2027, 1, 10), PENGAWAS, Operation::Approve { request: r })
        .unwrap();
    assert!(!b.closed_years().contains_key(&2026));
    // An adjusting entry dated in the reopened year, then the close again.
    let a = b
        .run(
            dy(2027, 1, 11),
            BENDAHARA,
            Operation::Adjust {
                entry_date: d(12, 31),
                memo: "beban belum dicatat".into(),
                lines: vec![
                    AdjustLine::new("6-1-02", Side::Debit, rp(100_000)),
                    AdjustLine::new("1-1-01", Side::Credit, rp(100_000)),
                ],
            },
        )
        .unwrap()
        .request
        .unwrap();
    b.run(dy(2027, 1, 11), PENGAWAS, Operation::Approve { request: a })
        .unwrap();
    b.run(dy(2027, 1, 12), KETUA, Operation::CloseYear { year: 2026 })
        .unwrap();
    let c = &b.closed_years()[&2026];
    assert_eq!(c.shu, shu.checked_sub(rp(100_000)).unwrap());
    assert_eq!(c.reopenings.len(), 1);
    reconciles(&b);
}

/// A date with a year.
fn dy(y: i32, m: u32, day: u32) -> koperasi::core::chrono::NaiveDate {
    koperasi::core::chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

// ---- membership ----------------------------------------------------------------------------

fn register(i: u128, domicile: &str, associate: bool) -> Operation {
    Operation::RegisterMember {
        member: member(i),
        nik: nik(i),
        name: format!("Calon {i}"),
        birth_date: born(),
        domicile: Some(domicile.parse().unwrap()),
        gender: None,
        associate,
    }
}

#[test]
fn missing_membership_domicile_comes_from_the_input_with_the_configured_scope() {
    let mut b = Koperasi::new(config()).unwrap();
    let fp = fingerprint(&b);
    let err = b
        .run(d(1, 3), KETUA, register(1, "35.74.04.1001", false))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Membership {
                source: membership::Error::Ineligible {
                    reason: membership::Ineligibility::DomicileMismatch { .. },
                    ..
                },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(fp, fingerprint(&b));
    // An anggota luar biasa from elsewhere is admitted.
    b.run(d(1, 3), KETUA, register(2, "35.74.01.1001", true))
        .unwrap();
    b.run(
        d(1, 3),
        KASIR,
        Operation::PayPrincipalSavings {
            member: member(2),
            via: Via::Cash,
        },
    )
    .unwrap();
    assert_eq!(
        b.registry().get(member(2)).unwrap().status(),
        membership::MemberStatus::Associate
    );

    // A KKMP whose AD admits the whole kecamatan.
    let mut c = config();
    c.domicile_scope = koperasi::DomicileScope::District;
    let mut k = Koperasi::new(c).unwrap();
    k.run(d(1, 3), KETUA, register(1, "35.74.04.1001", false))
        .unwrap();
    let err = k
        .run(d(1, 3), KETUA, register(3, "35.74.01.1001", false))
        .unwrap_err();
    assert!(matches!(err, Error::Membership { .. }), "{err:?}");
}

#[test]
fn missing_membership_nik_warnings_are_returned() {
    let mut b = Koperasi::new(config()).unwrap();
    let applied = b
        .run(
            d(1, 3),
            KETUA,
            Operation::RegisterMember {
                member: member(1),
                nik: nik(1),
                name: "Siti".into(),
                birth_date: koperasi::core::chrono::NaiveDate::from_ymd_opt(1990, 6, 6).unwrap(),
                domicile: None,
                gender: Some(membership::Gender::Female),
                associate: false,
            },
        )
        .unwrap();
    assert_eq!(applied.warnings.len(), 2, "{:?}", applied.warnings);
    assert!(applied.warnings.iter().any(|w| matches!(
        w,
        membership::RegistrationWarning::NikBirthDateMismatch { .. }
    )));
    assert!(
        applied
            .warnings
            .iter()
            .any(|w| matches!(w, membership::RegistrationWarning::NikGenderMismatch { .. }))
    );
}

#[test]
fn missing_membership_dismissal_death_and_exit_from_every_status() {
    let mut b = book(3);
    // A calon anggota leaves: nothing was paid, nothing is posted.
    b.run(d(1, 20), KETUA, register(9, "35.74.04.1002", false))
        .unwrap();
    let left = b
        .run(
            d(1, 20),
            KETUA,
            Operation::MemberExit {
                member: member(9),
                reason: "batal".into(),
            },
        )
        .unwrap();
    assert!(left.entries.is_empty());
    assert_eq!(
        b.registry().get(member(9)).unwrap().status(),
        membership::MemberStatus::Resigned
    );

    // Dismissal: savings owed back.
    let refund = b.role_balance(PostingRole::ExitRefundPayable).unwrap();
    b.run(
        d(1, 21),
        KETUA,
        Operation::DismissMember {
            member: member(1),
            reason: "melanggar AD/ART".into(),
        },
    )
    .unwrap();
    assert_eq!(
        b.registry().get(member(1)).unwrap().status(),
        membership::MemberStatus::Dismissed
    );
    let owed = b.role_balance(PostingRole::ExitRefundPayable).unwrap();
    assert_eq!(
        owed,
        refund.checked_add(rp(600_000)).unwrap(),
        "pokok 100.000 + sukarela 500.000"
    );

    // Death of the borrower: savings set off against the loan, the rest to the heirs.
    let err = b
        .run(
            d(1, 22),
            KETUA,
            Operation::MemberDeath {
                member: member(0),
                reason: "akta kematian 12/2026".into(),
                heirs: " ".into(),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::MemberBlocked { .. }), "{err:?}");
    b.run(
        d(1, 22),
        KETUA,
        Operation::MemberDeath {
            member: member(0),
            reason: "akta kematian 12/2026".into(),
            heirs: "Budi (anak)".into(),
        },
    )
    .unwrap();
    let m0 = b.registry().get(member(0)).unwrap();
    assert_eq!(m0.status(), membership::MemberStatus::Deceased);
    // The loan of Rp3 juta exceeds the Rp600.000 of savings: nothing is owed to the heirs.
    assert_eq!(
        b.role_balance(PostingRole::ExitRefundPayable).unwrap(),
        owed
    );
    // Leaving twice is refused.
    let err = b
        .run(
            d(1, 23),
            KETUA,
            Operation::DismissMember {
                member: member(0),
                reason: "x".into(),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::NotActiveMember { .. }), "{err:?}");
    reconciles(&b);
}

// ---- SHU basis ---------------------------------------------------------------------------

#[test]
fn missing_shu_basis_is_the_fiscal_year_end_whatever_the_close_date() {
    let mut early = book(2);
    early
        .run(d(12, 31), BENDAHARA, Operation::MonthEnd)
        .unwrap();
    let mut late = early.clone();
    early
        .run(d(12, 31), KETUA, Operation::CloseYear { year: 2026 })
        .unwrap();
    // Closed in January after January deposits: the same basis.
    late.run(
        dy(2027, 1, 5),
        KASIR,
        Operation::Deposit {
            member: member(1),
            kind: SavingsKind::Voluntary,
            amount: rp(9_000_000),
            via: Via::Cash,
        },
    )
    .unwrap();
    late.run(dy(2027, 1, 6), KETUA, Operation::CloseYear { year: 2026 })
        .unwrap();
    assert_eq!(
        early.closed_years()[&2026].savings,
        late.closed_years()[&2026].savings
    );
    // Rp500.000 and the sukarela interest credited by the month-ends.
    assert_eq!(
        late.closed_years()[&2026].savings[&member(1)].sukarela,
        early
            .savings_balance(member(1), SavingsKind::Voluntary)
            .unwrap()
    );
}

#[test]
fn missing_shu_line_kinds_are_kept_in_the_closed_year() {
    let mut b = book(2);
    b.run(
        d(6, 1),
        KASIR,
        Operation::Sale {
            unit: koperasi::ledger::BusinessUnit::Sembako,
            item: koperasi::Item::Goods {
                sku: "beras-5kg".into(),
                quantity: 10,
            },
            price: rp(6_000_000),
            buyer: koperasi::Buyer::Member(member(1)),
            via: Via::Cash,
        },
    )
    .unwrap();
    b.run(d(12, 31), BENDAHARA, Operation::MonthEnd).unwrap();
    b.run(d(12, 31), KETUA, Operation::CloseYear { year: 2026 })
        .unwrap();
    b.run(
        dy(2027, 3, 1),
        KETUA,
        Operation::DistributeShu {
            year: 2026,
            payout: koperasi::ShuPayout::Payable,
        },
    )
    .unwrap();
    let c = &b.closed_years()[&2026];
    assert!(!c.lines.is_empty());
    assert_eq!(c.lines.len(), c.allocation.len());
    assert!(
        c.lines
            .iter()
            .any(|l| l.kind == koperasi::shu::LineKind::VillageShare)
    );
    assert!(
        c.lines
            .iter()
            .any(|l| l.kind == koperasi::shu::LineKind::Reserve)
    );
    let total = Rupiah::try_sum(c.lines.iter().map(|l| l.amount)).unwrap();
    assert_eq!(total, c.shu);
}

// ---- no silent fallbacks, event format ---------------------------------------------------

#[test]
fn missing_no_silent_fallbacks_balances_are_results() {
    let b = book(2);
    // The sum of time deposits is checked: a `Result`, never Rp0 on overflow.
    let r: Result<Rupiah, Error> = b.savings_balance(member(0), SavingsKind::TimeDeposit);
    assert_eq!(r.unwrap(), Rupiah::ZERO);
    assert_eq!(balance(&b, 0, SavingsKind::Voluntary), rp(500_000));
}

#[test]
fn events_carry_their_format_and_a_newer_format_is_refused() {
    let mut b = book(1);
    assert!(
        b.events()
            .iter()
            .all(|e| e.format == koperasi::EVENT_FORMAT)
    );
    let mut e = koperasi::Event::new(d(2, 1), KETUA, Operation::MonthEnd);
    e.format = koperasi::EVENT_FORMAT + 1;
    let fp = fingerprint(&b);
    let err = b.apply(e).unwrap_err();
    assert!(matches!(err, Error::EventFormat { found, .. } if found == koperasi::EVENT_FORMAT + 1));
    assert_eq!(fp, fingerprint(&b));
}

#[test]
fn an_event_without_format_reads_as_format_1() {
    let b = book(1);
    let log = b.to_json_lines().unwrap();
    let current = format!(r#""format":{},"#, koperasi::EVENT_FORMAT);
    assert!(log.lines().skip(1).all(|l| l.contains(&current)), "{log}");
    // A log written before events carried a format (header version 1) still loads.
    let old = log.replace(&current, "").replacen(
        r#"{"koperasi_event_log":2"#,
        r#"{"koperasi_event_log":1"#,
        1,
    );
    assert!(!old.contains(r#""format""#));
    let loaded = Koperasi::from_json_lines(&old).unwrap();
    assert!(loaded.events().iter().all(|e| e.format == 1));
    assert_eq!(loaded.audit_head(), b.audit_head());
    // A log of format 2 (before `withdraw_request`) loads unchanged.
    let v2 = log.replace(&current, r#""format":2,"#);
    let loaded = Koperasi::from_json_lines(&v2).unwrap();
    assert!(loaded.events().iter().all(|e| e.format == 2));
    assert_eq!(loaded.audit_head(), b.audit_head());
    // A log of format 3 (before `correct_after_month_end`) loads unchanged.
    let v3 = log.replace(&current, r#""format":3,"#);
    let loaded = Koperasi::from_json_lines(&v3).unwrap();
    assert!(loaded.events().iter().all(|e| e.format == 3));
    assert_eq!(loaded.audit_head(), b.audit_head());
}

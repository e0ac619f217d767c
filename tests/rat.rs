//! The RAT package from a book: its invariants against the ledger, savings-loans and shu, the
//! reader's view, the renderings, and its typed errors.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use koperasi::core::chrono::NaiveDate;
use koperasi::core::{MemberId, Rupiah};
use koperasi::membership::MemberStatus;
use koperasi::rat::{self, RatOptions, RatPackage, Reader};
use koperasi::savings_loans::{PortfolioLine, SavingsKind, required_reserve};
use koperasi::{Error, Koperasi, Operation, PostingRole, Via};
use koperasi_sim::{SimConfig, SimulatedCoop, simulate_cooperative};
use proptest::prelude::*;

const YEAR: i32 = 2026;

fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, 12, 31).unwrap()
}

/// Simulated years (SIMULASI): closed on 31 December 2026, SHU distributed and paid out in
/// March 2027. Index 5 is a troubled cooperative (late payers, defaulters, a write-off).
fn coop(index: usize) -> &'static SimulatedCoop {
    static C: OnceLock<Vec<SimulatedCoop>> = OnceLock::new();
    let all = C.get_or_init(|| {
        [0usize, 5]
            .iter()
            .map(|i| simulate_cooperative(&SimConfig::new(6, 40, 17), *i).unwrap())
            .collect()
    });
    all.iter().find(|c| c.index == index).unwrap()
}

/// The member a package's register number (*nomor anggota*) names.
fn id_of(book: &Koperasi, number: &str) -> MemberId {
    let n: u32 = number.parse().unwrap();
    book.registry()
        .members()
        .map(koperasi::membership::Member::id)
        .find(|&id| book.registry().number(id) == Some(n))
        .unwrap()
}

fn officer(c: &SimulatedCoop) -> RatPackage {
    rat::build(
        &c.book,
        YEAR,
        &RatOptions::new(Reader::Officer).with_management(c.management),
    )
    .unwrap()
}

/// The book replayed from the events dated on or before `d`.
fn book_as_of(book: &Koperasi, d: NaiveDate) -> Koperasi {
    Koperasi::replay(
        book.config().clone(),
        book.events().iter().filter(|e| e.date <= d).cloned(),
    )
    .unwrap()
}

/// The book with more operations after the year: a deposit and a withdrawal in April 2027.
fn with_later_operations(c: &SimulatedCoop) -> Koperasi {
    let mut book = c.book.clone();
    let teller = c
        .book
        .events()
        .iter()
        .find(|e| matches!(e.op, Operation::Deposit { .. }))
        .unwrap()
        .actor;
    let p = officer(c);
    let m = id_of(
        &book,
        &p.members
            .iter()
            .find(|m| m.status == "anggota")
            .unwrap()
            .member
            .number,
    );
    let april = NaiveDate::from_ymd_opt(YEAR + 1, 4, 6).unwrap();
    book.run(
        april,
        teller,
        Operation::Deposit {
            member: m,
            kind: SavingsKind::Voluntary,
            amount: Rupiah::from_rupiah(75_000),
            via: Via::Cash,
        },
    )
    .unwrap();
    book.run(
        april,
        teller,
        Operation::Withdraw {
            member: m,
            amount: Rupiah::from_rupiah(25_000),
            via: Via::Cash,
        },
    )
    .unwrap();
    book
}

/// Member statements sum to the ledger's control balances at the year end (savings by kind,
/// loans outstanding), read here straight from the ledger; each statement's closing equals
/// opening plus movements.
#[test]
fn statements_sum_to_the_ledger_control_balances() {
    for index in [0, 5] {
        let c = coop(index);
        let p = officer(c);
        assert!(p.statements_sum_to_controls().unwrap());
        for (kind, control) in &p.controls.savings {
            let code = c.book.code(PostingRole::MemberSavings(*kind));
            let ledger = c.book.ledger().balance(&code, end()).unwrap();
            assert_eq!(*control, ledger, "{kind:?}");
        }
        let code = c.book.code(PostingRole::LoanReceivable);
        assert_eq!(
            p.controls.loans_outstanding,
            c.book.ledger().balance(&code, end()).unwrap()
        );
        let loans: Rupiah =
            Rupiah::try_sum(p.members.iter().flat_map(|m| &m.loans).map(|l| l.closing)).unwrap();
        assert!(loans.is_positive());
        for m in &p.members {
            m.validate().unwrap();
        }
    }
}

/// Each member's pokok, wajib and sukarela at the year end equal the jasa modal basis the
/// book kept when it closed the year (a separate computation in the book).
#[test]
fn member_savings_match_the_closed_years_basis() {
    let c = coop(0);
    let p = officer(c);
    let closed = &c.book.closed_years()[&YEAR];
    let mut checked = 0;
    for m in &p.members {
        let id = id_of(&c.book, &m.member.number);
        let Some(basis) = closed.savings.get(&id) else {
            continue;
        };
        let of = |k| m.savings.iter().find(|s| s.kind == k).unwrap().closing;
        assert_eq!(of(SavingsKind::Principal), basis.pokok);
        assert_eq!(of(SavingsKind::Mandatory), basis.wajib);
        assert_eq!(of(SavingsKind::Voluntary), basis.sukarela);
        checked += 1;
    }
    assert!(checked >= 30, "{checked}");
    // Wajib was paid during the year: movements are real, not only balances.
    assert!(p.members.iter().any(|m| {
        m.savings
            .iter()
            .any(|s| s.kind == SavingsKind::Mandatory && s.deposits.is_positive())
    }));
}

/// Loans of members still in the cooperative move only by disbursement, repayment and
/// write-off; repayments carry principal and jasa.
#[test]
fn loan_lines_are_explained_by_their_entries() {
    let c = coop(5);
    let p = officer(c);
    let mut paid = Rupiah::ZERO;
    for m in p.members.iter().filter(|m| m.status == "anggota") {
        for l in &m.loans {
            assert_eq!(l.other, Rupiah::ZERO, "loan {}", l.loan);
            paid = paid.checked_add(l.principal_paid).unwrap();
            if l.principal_paid.is_positive() {
                assert!(l.interest_paid.is_positive(), "loan {}", l.loan);
            }
        }
    }
    assert!(paid.is_positive());
    assert!(
        p.members
            .iter()
            .flat_map(|m| &m.loans)
            .any(|l| l.written_off.is_positive()),
        "the troubled cooperative wrote a loan off"
    );
}

/// The portfolio's PPAP is savings-loans' own: recomputed here from the as-of snapshot's loans
/// with `required_reserve` and the book's rates, and equal to what the December month-end
/// booked.
#[test]
fn portfolio_ppap_is_savings_loans_own() {
    for index in [0, 5] {
        let c = coop(index);
        let p = officer(c);
        let snap = c.book.snapshot(end()).unwrap();
        let lines: Vec<PortfolioLine> = snap
            .loans
            .iter()
            .filter(|l| l.outstanding.is_positive())
            .map(|l| PortfolioLine {
                class: l.class,
                outstanding: l.outstanding,
                eligible_collateral: Rupiah::try_sum(
                    c.book.collateral(l.loan).iter().map(|x| x.value),
                )
                .unwrap(),
            })
            .collect();
        let own = required_reserve(&lines, &c.book.config().reserve_rates).unwrap();
        assert_eq!(p.portfolio.reserve_required, own);
        assert_eq!(p.portfolio.reserve_booked, own.total);
        assert_eq!(p.portfolio.loans.len(), lines.len());
    }
    // The troubled cooperative has loans in arrears at the year end (still lancar by the
    // cooperative rules: installments less than three months late).
    let troubled = officer(coop(5));
    assert!(troubled.portfolio.loans.iter().any(|l| l.days_past_due > 0));
}

/// SHU per member sums to the pools, and each member's share is what the book booked when it
/// distributed the year.
#[test]
fn shu_per_member_sums_to_the_pools_and_the_booking() {
    let c = coop(0);
    let p = officer(c);
    let shu = &p.shu;
    assert!(shu.shu.is_positive());
    let pools = Rupiah::try_sum(shu.pools.iter().map(|x| x.amount)).unwrap();
    let members = Rupiah::try_sum(shu.members.iter().map(|m| m.share.total)).unwrap();
    let rest = Rupiah::try_sum(
        shu.pools
            .iter()
            .flat_map(|x| [x.unpaid, x.residue, x.undistributed]),
    )
    .unwrap();
    assert_eq!(members.checked_add(rest).unwrap(), pools);
    assert_eq!(
        Rupiah::try_sum(shu.allocations.iter().map(|a| a.amount)).unwrap(),
        shu.shu
    );
    // The booked distribution (March 2027): the member lines of `shu:2026`.
    let payable = c.book.code(PostingRole::MemberShuPayable);
    let mut booked: BTreeMap<String, Rupiah> = BTreeMap::new();
    for e in c.book.ledger().entries_by_source("shu:2026") {
        for l in e.lines() {
            if let Some(m) = l.dims.member
                && l.account.as_str() == payable
            {
                let number = c.book.registry().number(m).unwrap();
                let s = booked.entry(format!("{number:04}")).or_default();
                *s = s.checked_add(l.amount).unwrap();
            }
        }
    }
    assert_eq!(booked.len(), shu.members.len());
    for m in &shu.members {
        assert_eq!(booked[&m.member.number], m.share.total);
    }
    // The member statements carry the same shares.
    for s in &p.members {
        let row = shu
            .members
            .iter()
            .find(|m| m.member.number == s.member.number);
        assert_eq!(row.map_or(Rupiah::ZERO, |r| r.share.total), s.shu.total);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    /// A package as of year Y is unchanged by operations dated after Y's end: the full book
    /// (SHU distributed and paid out in March, more savings in April) gives the package of
    /// the book replayed up to 31 December — for every reader, the health assessment
    /// included (it is assessed as of the year's last day, before the RAT's distribution).
    #[test]
    fn prop_rat_ignores_later_operations(index in prop::sample::select(vec![0usize, 5]), who in 0usize..3, names: bool) {
        let c = coop(index);
        let later = with_later_operations(c);
        let past = book_as_of(&c.book, end());
        let member = id_of(&c.book, &officer(c).members[who].member.number);
        let reader = [Reader::Officer, Reader::Public, Reader::Member(member)][who];
        let options = RatOptions::new(reader).with_names(names).with_management(c.management);
        let a = rat::build(&later, YEAR, &options).unwrap();
        let b = rat::build(&past, YEAR, &options).unwrap();
        // Part by part first, for a readable failure.
        prop_assert!(a.members == b.members, "member statements");
        prop_assert!(a.controls == b.controls, "controls");
        prop_assert!(a.portfolio == b.portfolio, "portfolio");
        prop_assert!(a.shu == b.shu, "SHU");
        prop_assert!(a.statements == b.statements, "statements");
        prop_assert!(a.health == b.health, "health");
        prop_assert_eq!(a, b);
    }
}

#[test]
fn readers_see_what_they_may() {
    let c = coop(5);
    let all = officer(c);
    assert!(
        all.members
            .iter()
            .all(|m| m.member.nik.contains("**********"))
    );
    assert!(all.portfolio.loans.iter().all(|l| l.member.is_some()));
    let borrower = all.members.iter().find(|m| !m.loans.is_empty()).unwrap();
    let id = id_of(&c.book, &borrower.member.number);
    let nik = c.book.registry().get(id).unwrap().nik().as_str().to_owned();

    let mine = rat::build(&c.book, YEAR, &RatOptions::new(Reader::Member(id))).unwrap();
    assert_eq!(mine.members.len(), 1);
    assert_eq!(mine.members[0].member.nik, nik);
    assert_eq!(mine.members[0], {
        let mut s = borrower.clone();
        s.member.nik = nik.clone();
        s
    });
    for l in &mine.portfolio.loans {
        let own = borrower.loans.iter().any(|x| x.loan == l.loan);
        assert_eq!(l.member.is_some(), own, "{}", l.loan);
    }
    let html = mine.html().unwrap();
    assert!(html.contains(&nik));
    for other in all
        .members
        .iter()
        .filter(|m| m.member.number != borrower.member.number)
    {
        let full = c
            .book
            .registry()
            .get(id_of(&c.book, &other.member.number))
            .unwrap()
            .nik()
            .as_str()
            .to_owned();
        assert!(!html.contains(&full));
    }

    let public = rat::build(&c.book, YEAR, &RatOptions::new(Reader::Public)).unwrap();
    assert!(public.members.is_empty());
    assert!(public.portfolio.loans.iter().all(|l| l.member.is_none()));
    assert!(public.shu.members.iter().all(|m| m.member.name.is_none()));
    assert_eq!(
        public.portfolio.reserve_required,
        all.portfolio.reserve_required
    );
    let name = c.book.registry().get(id).unwrap().name().to_owned();
    assert!(!public.html().unwrap().contains(&name));
    assert!(
        !public
            .csv_files()
            .unwrap()
            .iter()
            .any(|(_, f)| f.contains(&name))
    );
}

#[test]
fn renderings_are_self_contained_and_labelled() {
    let c = coop(0);
    let p = rat::build(
        &c.book,
        YEAR,
        &RatOptions::new(Reader::Officer)
            .with_management(c.management)
            .simulated(true),
    )
    .unwrap();
    assert!(p.health.is_some());
    let html = p.html().unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    assert!(!html.contains("http://") && !html.contains("https://"));
    for label in [
        "Neraca",
        "Simpanan wajib",
        "Kolektibilitas",
        "Pembagian SHU",
        "Jasa modal",
        "Penilaian Kesehatan",
        "@media print",
    ] {
        assert!(html.contains(label), "{label}");
    }
    assert!(html.contains("SIMULASI"));
    // Amounts in Indonesian form.
    let closing = p.controls.savings[1].1;
    assert!(html.contains(&format!("{closing}")), "{closing}");
    assert!(format!("{closing}").starts_with("Rp"));
    // One member statement per member.
    assert_eq!(
        html.matches("<section id=\"anggota_").count(),
        p.members.len()
    );
    let csv = p.csv_files().unwrap();
    assert!(csv.len() >= 10, "{}", csv.len());
    for (name, body) in &csv {
        assert!(
            std::path::Path::new(name)
                .extension()
                .is_some_and(|e| e == "csv")
        );
        if name == "00_simulasi.csv" {
            assert!(body.contains("SIMULASI"));
            continue;
        }
        let header = body.lines().next().unwrap();
        assert!(header.ends_with(",simulated"), "{name}: {header}");
    }
    assert!(csv.iter().any(|(n, _)| n.contains("simpanan_anggota")));

    let real = officer(c);
    assert!(!real.html().unwrap().contains("SIMULASI"));
}

#[test]
fn errors_are_typed() {
    let c = coop(0);
    // A year that has not ended in the book.
    assert!(matches!(
        rat::build(&c.book, YEAR + 1, &RatOptions::new(Reader::Officer)),
        Err(Error::YearState {
            year: 2027,
            reason: "has not ended in the book",
            ..
        })
    ));
    // A year that ended but is not closed: the book without its close.
    let open = Koperasi::replay(
        c.book.config().clone(),
        c.book
            .events()
            .iter()
            .filter(|e| e.date <= end() && !matches!(e.op, Operation::CloseYear { .. }))
            .cloned(),
    )
    .unwrap();
    assert!(matches!(
        rat::build(&open, YEAR, &RatOptions::new(Reader::Officer)),
        Err(Error::YearState {
            year: 2026,
            reason: "not closed",
            ..
        })
    ));
    // A year before the book: it never ended in the book either way, and is not closed.
    assert!(matches!(
        rat::build(&c.book, YEAR - 1, &RatOptions::new(Reader::Officer)),
        Err(Error::YearState {
            year: 2025,
            reason: "not closed",
            ..
        })
    ));
    // An unknown member as the reader.
    let stranger = MemberId::from_u128(0xDEAD_BEEF);
    assert!(matches!(
        rat::build(&c.book, YEAR, &RatOptions::new(Reader::Member(stranger))),
        Err(Error::UnknownMember { member, .. }) if member == stranger
    ));
}

/// Members who left during the year keep their statement with the set-off or refund, and
/// their status says so.
#[test]
fn departed_members_keep_their_statement() {
    let c = coop(5);
    let p = officer(c);
    let left: Vec<_> = c
        .book
        .registry()
        .members()
        .filter(|m| {
            matches!(
                m.status_on(end()),
                Some(MemberStatus::Resigned | MemberStatus::Deceased | MemberStatus::Dismissed)
            )
        })
        .map(|m| format!("{:04}", c.book.registry().number(m.id()).unwrap()))
        .collect();
    for number in &left {
        if let Some(s) = p.members.iter().find(|m| &m.member.number == number) {
            assert_ne!(s.status, "anggota");
            assert!(
                s.savings
                    .iter()
                    .all(|l| l.closing.is_zero() || l.kind == SavingsKind::TimeDeposit)
            );
        }
    }
}

/// A reversed deposit (a two-person correction) nets against the deposits of the year, and
/// the statement still sums to the control account; a loan repaid in the year shows its
/// principal and jasa.
#[test]
fn a_reversal_nets_against_what_it_reverses() {
    use koperasi::core::{ActorId, CooperativeId, Decimal, LoanId, Rate};
    use koperasi::membership::Role;
    use koperasi::savings_loans::{LoanTerms, Method};
    use koperasi::{BookConfig, CapitalKind, ReversalTarget};

    let d = |m, day| NaiveDate::from_ymd_opt(YEAR, m, day).unwrap();
    let [ketua, bendahara, kasir] = [1, 2, 3].map(ActorId::from_u128);
    let siti = MemberId::from_u128(7);
    let config = BookConfig::kkmp(
        CooperativeId::from_u128(1),
        "KKMP Mangunharjo",
        "35.74.04.1002".parse().unwrap(),
        d(1, 1),
        vec![
            (ketua, Role::Chair),
            (bendahara, Role::Treasurer),
            (kasir, Role::Teller),
        ],
    );
    let mut book = Koperasi::new(config).unwrap();
    let rp = Rupiah::from_rupiah;
    book.run(
        d(1, 2),
        bendahara,
        Operation::Capital {
            kind: CapitalKind::Grant,
            amount: rp(50_000_000),
            via: Via::Bank,
        },
    )
    .unwrap();
    book.run(
        d(1, 5),
        ketua,
        Operation::RegisterMember {
            member: siti,
            nik: "3574044506900001".into(),
            name: "Siti Rahayu".into(),
            birth_date: NaiveDate::from_ymd_opt(1990, 6, 5).unwrap(),
            domicile: None,
            gender: None,
            associate: false,
        },
    )
    .unwrap();
    book.run(
        d(1, 5),
        kasir,
        Operation::PayPrincipalSavings {
            member: siti,
            via: Via::Cash,
        },
    )
    .unwrap();
    let deposit = |amount| Operation::Deposit {
        member: siti,
        kind: SavingsKind::Voluntary,
        amount: rp(amount),
        via: Via::Cash,
    };
    book.run(d(3, 5), kasir, deposit(100_000)).unwrap();
    let wrong = book.events().len() - 1;
    let request = book
        .run(
            d(3, 7),
            bendahara,
            Operation::Reverse {
                target: ReversalTarget::Event(wrong),
                reason: "salah input".into(),
            },
        )
        .unwrap()
        .request
        .unwrap();
    book.run(d(3, 7), ketua, Operation::Approve { request })
        .unwrap();
    book.run(d(3, 8), kasir, deposit(40_000)).unwrap();
    let loan = LoanId::from_u128(1);
    let terms = LoanTerms::new(
        rp(2_000_000),
        Rate::per_month(Decimal::ONE).unwrap(),
        10,
        Method::Flat,
        d(4, 1),
    );
    book.run(
        d(4, 1),
        kasir,
        Operation::ApplyLoan {
            loan,
            member: siti,
            terms,
        },
    )
    .unwrap();
    book.run(d(4, 1), ketua, Operation::ApproveLoan { loan })
        .unwrap();
    book.run(
        d(4, 1),
        bendahara,
        Operation::DisburseLoan {
            loan,
            via: Via::Bank,
        },
    )
    .unwrap();
    book.run(
        d(5, 1),
        kasir,
        Operation::RepayLoan {
            loan,
            amount: rp(220_000),
            via: Via::Cash,
        },
    )
    .unwrap();
    book.run(d(12, 31), bendahara, Operation::MonthEnd).unwrap();
    book.run(d(12, 31), ketua, Operation::CloseYear { year: YEAR })
        .unwrap();

    let p = rat::build(&book, YEAR, &RatOptions::new(Reader::Officer)).unwrap();
    assert!(p.statements_sum_to_controls().unwrap());
    let s = &p.members[0];
    let sukarela = s
        .savings
        .iter()
        .find(|l| l.kind == SavingsKind::Voluntary)
        .unwrap();
    assert_eq!(sukarela.deposits, rp(40_000));
    assert_eq!(sukarela.withdrawals, Rupiah::ZERO);
    // The December month-end credited the year's jasa simpanan.
    assert!(sukarela.interest.is_positive());
    assert_eq!(
        sukarela.closing,
        rp(40_000).checked_add(sukarela.interest).unwrap()
    );
    let l = &s.loans[0];
    assert_eq!(
        (l.disbursed, l.principal_paid, l.interest_paid, l.closing),
        (rp(2_000_000), rp(200_000), rp(20_000), rp(1_800_000))
    );
    assert_eq!(l.other, Rupiah::ZERO);

    // The next year opens where this one closed; this year's package does not move.
    let next = |m, day| NaiveDate::from_ymd_opt(YEAR + 1, m, day).unwrap();
    book.run(next(1, 10), kasir, deposit(10_000)).unwrap();
    book.run(
        next(2, 1),
        kasir,
        Operation::RepayLoan {
            loan,
            amount: rp(220_000),
            via: Via::Cash,
        },
    )
    .unwrap();
    book.run(next(12, 31), bendahara, Operation::MonthEnd)
        .unwrap();
    book.run(next(12, 31), ketua, Operation::CloseYear { year: YEAR + 1 })
        .unwrap();
    assert_eq!(
        rat::build(&book, YEAR, &RatOptions::new(Reader::Officer)).unwrap(),
        p
    );
    let q = rat::build(&book, YEAR + 1, &RatOptions::new(Reader::Officer)).unwrap();
    assert!(q.statements_sum_to_controls().unwrap());
    let s2 = &q.members[0];
    for (a, b) in s.savings.iter().zip(&s2.savings) {
        assert_eq!(b.opening, a.closing, "{:?}", a.kind);
    }
    let l2 = &s2.loans[0];
    assert_eq!((l2.opening, l2.disbursed), (rp(1_800_000), Rupiah::ZERO));
    // The loan is months in arrears by then: the payment goes to penalties and jasa first,
    // and all of it is accounted for.
    let paid = Rupiah::try_sum([l2.principal_paid, l2.interest_paid, l2.penalty_paid]).unwrap();
    assert_eq!(paid, rp(220_000));
    assert!(l2.penalty_paid.is_positive());
    assert_eq!(
        l2.closing,
        rp(1_800_000).checked_sub(l2.principal_paid).unwrap()
    );
    // The statements carry the prior year alongside.
    let bs = &q.statements.balance_sheet;
    assert_eq!(bs.prior_as_of, Some(d(12, 31)));
    assert_eq!(
        bs.total_assets.prior,
        p.statements.balance_sheet.total_assets.current
    );
}

/// Statements carry the member's register number (*nomor anggota*), not an internal id:
/// numbers are unique, zero-padded, in register order, and name the same member in every
/// part of the package.
#[test]
fn member_numbers_are_register_numbers_in_order() {
    let c = coop(0);
    let p = officer(c);
    let numbers: Vec<&str> = p.members.iter().map(|m| m.member.number.as_str()).collect();
    assert!(
        numbers
            .iter()
            .all(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
    );
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
    for m in &p.members {
        let id = id_of(&c.book, &m.member.number);
        let member = c.book.registry().get(id).unwrap();
        assert_eq!(m.member.name.as_deref(), Some(member.name()));
    }
    // The first member registered is number 0001.
    let first = c.book.registry().members().next().unwrap().id();
    assert_eq!(c.book.registry().number(first), Some(1));
    if let Some(s) = p
        .members
        .iter()
        .find(|m| id_of(&c.book, &m.member.number) == first)
    {
        assert_eq!(s.member.number, "0001");
    }
}

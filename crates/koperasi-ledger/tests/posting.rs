//! Example tests: posting, every validation error variant, reversals, batches, queries,
//! period close.

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, FiscalYear, MemberId, Rupiah};
use koperasi_ledger::{
    Account, AccountClass, BalanceLimit, BusinessUnit, ChartOfAccounts, Counterparty, EntryField,
    EntryKind, Error, JournalEntry, Ledger, LedgerOptions, Line, Reversal, Side, YearClose,
    YearReopen, kkmp,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn rp(x: i64) -> Rupiah {
    Rupiah::from_rupiah(x)
}
fn id(n: u128) -> EntryId {
    EntryId::from_u128(n)
}
const ACTOR: ActorId = ActorId::from_u128(99);

fn books() -> Ledger {
    Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(2025, 1, 1))
}

fn entry(n: u128, date: NaiveDate, dr: &str, cr: &str, amount: Rupiah) -> JournalEntry {
    JournalEntry::new(id(n), date, ACTOR)
        .with_memo(format!("entry {n}"))
        .with_source(format!("test:{n}"))
        .debit(dr, amount)
        .unwrap()
        .credit(cr, amount)
        .unwrap()
}

fn deposit(n: u128, amount: i64) -> JournalEntry {
    entry(
        n,
        d(2025, 1, 2),
        kkmp::KAS,
        kkmp::SIMPANAN_POKOK,
        rp(amount),
    )
}

#[test]
fn post_and_balance() {
    let mut l = books();
    assert_eq!(l.post(&deposit(1, 100_000)).unwrap(), id(1));
    assert_eq!(l.balance(kkmp::KAS, d(2025, 1, 2)).unwrap(), rp(100_000));
    assert_eq!(
        l.balance(kkmp::SIMPANAN_POKOK, d(2025, 1, 2)).unwrap(),
        rp(100_000)
    );
    assert_eq!(l.balance(kkmp::KAS, d(2025, 1, 1)).unwrap(), Rupiah::ZERO);
    assert_eq!(l.balance("1", d(2025, 12, 31)).unwrap(), rp(100_000));
    let tb = l.trial_balance(d(2025, 12, 31)).unwrap();
    assert_eq!(tb.total_debit, tb.total_credit);
    assert_eq!(tb.rows.len(), 2);
    assert_eq!(tb.rows[0].account.as_str(), kkmp::KAS);
    assert_eq!(tb.rows[0].debit, rp(100_000));
    assert_eq!(l.audit().len(), 1);
}

fn err(l: &mut Ledger, e: &JournalEntry) -> Error {
    let before = l.clone();
    let r = l.post(e).unwrap_err();
    assert_eq!(*l, before, "a rejected post changed the ledger");
    r
}

#[test]
fn every_validation_error_in_order() {
    let mut l = books();
    l.post(&deposit(1, 100_000)).unwrap();

    // 1. too few lines
    let one = JournalEntry::new(id(2), d(2025, 1, 3), ACTOR)
        .debit(kkmp::KAS, rp(1))
        .unwrap();
    assert_eq!(err(&mut l, &one), Error::TooFewLines { lines: 1 });
    let none = JournalEntry::new(id(2), d(2025, 1, 3), ACTOR);
    assert_eq!(err(&mut l, &none), Error::TooFewLines { lines: 0 });

    // 2. zero or negative amount (checked before balance)
    let zero = entry(2, d(2025, 1, 3), kkmp::KAS, kkmp::BANK, Rupiah::ZERO);
    assert_eq!(
        err(&mut l, &zero),
        Error::NonPositiveAmount {
            line: 0,
            amount: Rupiah::ZERO
        }
    );
    let neg = entry(2, d(2025, 1, 3), kkmp::KAS, kkmp::BANK, rp(-5));
    assert!(matches!(
        err(&mut l, &neg),
        Error::NonPositiveAmount { line: 0, .. }
    ));

    // 3. unbalanced
    let unbalanced = JournalEntry::new(id(2), d(2025, 1, 3), ACTOR)
        .debit(kkmp::KAS, rp(10))
        .unwrap()
        .credit(kkmp::BANK, rp(9))
        .unwrap();
    assert_eq!(
        err(&mut l, &unbalanced),
        Error::Unbalanced {
            debit: rp(10),
            credit: rp(9)
        }
    );

    // 4. unknown account (before header/closed checks)
    let unknown = entry(2, d(2025, 1, 3), "9-9-99", "1", rp(1));
    assert!(matches!(
        err(&mut l, &unknown),
        Error::UnknownAccount { line: 0, .. }
    ));

    // 5. header account
    let header = entry(2, d(2025, 1, 3), kkmp::KAS, "1-1", rp(1));
    assert!(matches!(
        err(&mut l, &header),
        Error::HeaderAccount { line: 1, .. }
    ));

    // 6. closed account
    l.close_account(kkmp::BANK).unwrap();
    let closed = entry(2, d(2025, 1, 3), kkmp::BANK, kkmp::KAS, rp(1));
    assert!(matches!(
        err(&mut l, &closed),
        Error::ClosedAccount { line: 0, .. }
    ));
    l.reopen_account(kkmp::BANK).unwrap();

    // 8. before the opening date
    let early = entry(2, d(2024, 12, 31), kkmp::BANK, kkmp::KAS, rp(1));
    assert_eq!(
        err(&mut l, &early),
        Error::BeforeOpening {
            date: d(2024, 12, 31),
            opening: d(2025, 1, 1)
        }
    );

    // 10. overflow: more than i64::MAX sen on one line
    let huge = Rupiah::try_from_sen_i128(i128::from(i64::MAX) + 1).unwrap();
    let over = entry(2, d(2025, 1, 3), kkmp::BANK, kkmp::MODAL_PENYERTAAN, huge);
    assert!(matches!(
        err(&mut l, &over),
        Error::Overflow { line: 0, .. }
    ));

    // 11. reused id: same content → Exists; different → ExistsWithDifferent
    assert_eq!(
        err(&mut l, &deposit(1, 100_000)),
        Error::Exists { id: id(1) }
    );
    assert!(err(&mut l, &deposit(1, 100_000)).is_exists());
    assert_eq!(
        err(&mut l, &deposit(1, 100_001)),
        Error::ExistsWithDifferent {
            id: id(1),
            field: EntryField::Lines
        }
    );
    let mut other_date = deposit(1, 100_000);
    other_date.date = d(2025, 1, 5);
    assert_eq!(
        err(&mut l, &other_date),
        Error::ExistsWithDifferent {
            id: id(1),
            field: EntryField::Date
        }
    );
    let other_memo = deposit(1, 100_000).with_memo("x");
    assert_eq!(
        err(&mut l, &other_memo),
        Error::ExistsWithDifferent {
            id: id(1),
            field: EntryField::Memo
        }
    );
    let other_source = deposit(1, 100_000).with_source("x");
    assert_eq!(
        err(&mut l, &other_source),
        Error::ExistsWithDifferent {
            id: id(1),
            field: EntryField::Source
        }
    );
    let mut other_actor = deposit(1, 100_000);
    other_actor.actor = ActorId::from_u128(5);
    assert_eq!(
        err(&mut l, &other_actor),
        Error::ExistsWithDifferent {
            id: id(1),
            field: EntryField::Actor
        }
    );

    // 12. balance limit: cash may not go below zero
    let withdraw = entry(2, d(2025, 1, 3), kkmp::BEBAN_GAJI, kkmp::KAS, rp(100_001));
    assert_eq!(
        err(&mut l, &withdraw),
        Error::BalanceLimit {
            account: kkmp::KAS.parse().unwrap(),
            balance: rp(-1)
        }
    );
    // exactly emptying it is fine, and a retry then reports Exists (id before limit)
    let ok = entry(2, d(2025, 1, 3), kkmp::BEBAN_GAJI, kkmp::KAS, rp(100_000));
    l.post(&ok).unwrap();
    assert_eq!(err(&mut l, &ok), Error::Exists { id: id(2) });
}

#[test]
fn closed_period_and_precision() {
    // 9. precision: books kept in whole rupiah
    let mut l = Ledger::with_options(
        ChartOfAccounts::standard_kkmp().unwrap(),
        d(2025, 1, 1),
        LedgerOptions::default().with_unit(Rupiah::ONE),
    )
    .unwrap();
    let sen = entry(
        1,
        d(2025, 1, 2),
        kkmp::KAS,
        kkmp::HIBAH,
        Rupiah::from_sen(150),
    );
    assert_eq!(
        err(&mut l, &sen),
        Error::Precision {
            line: 0,
            amount: Rupiah::from_sen(150),
            unit: Rupiah::ONE
        }
    );
    // 7. closed period (checked before opening date and precision)
    let fy = FiscalYear::calendar(2025).unwrap();
    l.close_year(YearClose::new(
        fy,
        id(100),
        kkmp::SHU_TAHUN_BERJALAN.parse().unwrap(),
        ACTOR,
    ))
    .unwrap();
    assert_eq!(
        err(&mut l, &sen),
        Error::ClosedPeriod {
            date: d(2025, 1, 2),
            year: fy
        }
    );
    assert!(
        Ledger::with_options(
            ChartOfAccounts::standard_kkmp().unwrap(),
            d(2025, 1, 1),
            LedgerOptions::default().with_unit(Rupiah::ZERO)
        )
        .is_err()
    );
}

#[test]
fn reversal_rules() {
    let mut l = books();
    l.post(&deposit(1, 100_000)).unwrap();
    let r = Reversal::new(id(2), d(2025, 1, 4), ACTOR, "salah input");
    assert_eq!(l.reverse(id(1), &r).unwrap(), id(2));
    assert_eq!(l.balance(kkmp::KAS, d(2025, 12, 31)).unwrap(), Rupiah::ZERO);
    let rev = l.entry(id(2)).unwrap();
    assert_eq!(rev.kind(), EntryKind::Reversal { of: id(1) });
    assert_eq!(rev.memo(), "salah input");
    assert_eq!(rev.source(), "test:1");
    assert_eq!(l.entry(id(1)).unwrap().reversed_by(), Some(id(2)));
    // idempotent retry
    assert_eq!(l.reverse(id(1), &r), Err(Error::Exists { id: id(2) }));
    // double reversal
    let r2 = Reversal::new(id(3), d(2025, 1, 4), ACTOR, "lagi");
    assert_eq!(
        l.reverse(id(1), &r2),
        Err(Error::AlreadyReversed {
            id: id(1),
            by: id(2)
        })
    );
    // reversing a reversal
    assert_eq!(
        l.reverse(id(2), &r2),
        Err(Error::NotReversible { id: id(2) })
    );
    assert_eq!(
        l.reverse(id(42), &r2),
        Err(Error::EntryNotFound { id: id(42) })
    );
    assert_eq!(l.entries_by_source("test:1").len(), 2);
}

#[test]
fn batch_all_or_nothing_and_sees_earlier_entries() {
    let mut l = books();
    // second entry spends cash only the first brings in
    let batch = vec![
        deposit(1, 50_000),
        entry(2, d(2025, 1, 3), kkmp::PERSEDIAAN, kkmp::KAS, rp(50_000)),
    ];
    assert_eq!(l.post_batch(&batch).unwrap(), vec![id(1), id(2)]);
    // retried batch: skipped, nothing twice
    assert_eq!(l.post_batch(&batch).unwrap(), vec![id(1), id(2)]);
    assert_eq!(l.len(), 2);
    // a bad entry in the middle rejects everything
    let before = l.clone();
    let bad = vec![
        deposit(3, 10),
        entry(4, d(2025, 1, 3), kkmp::PERSEDIAAN, kkmp::KAS, rp(11)),
        deposit(5, 10),
    ];
    let e = l.post_batch(&bad).unwrap_err();
    assert!(
        matches!(&e, Error::Batch { index: 1, source } if matches!(**source, Error::BalanceLimit { .. }))
    );
    assert_eq!(l, before);
    // duplicate id with different content inside one batch
    let dup = vec![deposit(6, 10), deposit(6, 11)];
    assert!(matches!(
        l.post_batch(&dup),
        Err(Error::Batch { index: 1, source }) if matches!(*source, Error::ExistsWithDifferent { field: EntryField::Lines, .. })
    ));
}

#[test]
fn dimensions_member_and_general_ledger() {
    let mut l = books();
    let siti = MemberId::from_u128(1);
    let budi = MemberId::from_u128(2);
    l.post(&deposit(1, 1_000_000)).unwrap();
    let sale = |n, m: Option<MemberId>, amt| {
        let cp = if m.is_some() {
            Counterparty::Member
        } else {
            Counterparty::NonMember
        };
        let acct = if m.is_some() {
            kkmp::member_revenue("02")
        } else {
            kkmp::non_member_revenue("02")
        };
        let mut cr = Line::credit(&acct, rp(amt))
            .unwrap()
            .unit(BusinessUnit::Sembako)
            .counterparty(cp);
        if let Some(m) = m {
            cr = cr.member(m);
        }
        JournalEntry::new(id(n), d(2025, 2, u32::try_from(n).unwrap()), ACTOR)
            .with_source(format!("sale:{n}"))
            .with_line(
                Line::debit(kkmp::KAS, rp(amt))
                    .unwrap()
                    .unit(BusinessUnit::Sembako),
            )
            .with_line(cr)
    };
    l.post(&sale(2, Some(siti), 30_000)).unwrap();
    l.post(&sale(3, Some(budi), 20_000)).unwrap();
    l.post(&sale(4, None, 5_000)).unwrap();
    l.post(&sale(5, Some(siti), 7_000)).unwrap();

    assert_eq!(l.entries_by_member(siti).len(), 2);
    assert_eq!(l.entries_by_member(MemberId::from_u128(9)).len(), 0);
    assert_eq!(l.entries_by_source_prefix("sale:").len(), 4);

    let by_dim = l.balance_by_dimension("4", d(2025, 12, 31)).unwrap();
    assert_eq!(by_dim.len(), 3);
    let total = l.totals("4", d(2025, 12, 31)).unwrap();
    let sum: i128 = by_dim.iter().map(|(_, b)| b.net_debit.to_sen()).sum();
    assert_eq!(sum, total.net_debit.to_sen());
    assert_eq!(l.balance("4", d(2025, 12, 31)).unwrap(), rp(62_000));
    assert_eq!(l.balance("4-1", d(2025, 12, 31)).unwrap(), rp(57_000));

    let gl = l
        .general_ledger(kkmp::KAS, d(2025, 2, 3), d(2025, 2, 28))
        .unwrap();
    assert_eq!(gl.opening, rp(1_030_000));
    assert_eq!(gl.rows.len(), 3);
    assert_eq!(gl.rows[0].balance, rp(1_050_000));
    assert_eq!(gl.closing, rp(1_062_000));
    assert_eq!(gl.rows[2].side, Side::Debit);
    assert!(matches!(
        l.general_ledger("x", d(2025, 1, 1), d(2025, 1, 2)),
        Err(Error::NoSuchAccount { .. })
    ));
}

#[test]
fn close_and_reopen_year() {
    let mut l = books();
    let fy = FiscalYear::calendar(2025).unwrap();
    l.post(&deposit(1, 1_000_000)).unwrap();
    l.post(&entry(
        2,
        d(2025, 3, 1),
        kkmp::KAS,
        &kkmp::member_revenue("01"),
        rp(300_000),
    ))
    .unwrap();
    l.post(&entry(
        3,
        d(2025, 4, 1),
        kkmp::BEBAN_GAJI,
        kkmp::KAS,
        rp(120_000),
    ))
    .unwrap();
    let shu: koperasi_ledger::AccountCode = kkmp::SHU_TAHUN_BERJALAN.parse().unwrap();

    // bad SHU account, wrong fiscal year: nothing changes
    let before = l.clone();
    assert!(matches!(
        l.close_year(YearClose::new(
            fy,
            id(10),
            kkmp::KAS.parse().unwrap(),
            ACTOR
        )),
        Err(Error::InvalidShuAccount { .. })
    ));
    let july = FiscalYear::new(2025, 7).unwrap();
    assert!(matches!(
        l.close_year(YearClose::new(july, id(10), shu.clone(), ACTOR)),
        Err(Error::FiscalYearMismatch { .. })
    ));
    assert!(matches!(
        l.close_year(YearClose::new(fy, id(1), shu.clone(), ACTOR)),
        Err(Error::ExistsWithDifferent { .. })
    ));
    assert_eq!(l, before);

    assert_eq!(
        l.close_year(YearClose::new(fy, id(10), shu.clone(), ACTOR))
            .unwrap(),
        Some(id(10))
    );
    let end = d(2025, 12, 31);
    assert_eq!(
        l.balance(kkmp::SHU_TAHUN_BERJALAN, end).unwrap(),
        rp(180_000)
    );
    assert_eq!(l.balance("4", end).unwrap(), Rupiah::ZERO);
    assert_eq!(l.balance("6", end).unwrap(), Rupiah::ZERO);
    // income statement activity still visible without closing entries
    let p = fy.period().unwrap();
    assert_eq!(l.period_totals("4", p).unwrap().credit, rp(300_000));
    assert!(l.is_closed(fy));
    assert_eq!(
        l.close_year(YearClose::new(fy, id(11), shu.clone(), ACTOR)),
        Err(Error::AlreadyClosed { year: fy })
    );
    assert!(matches!(
        l.post(&entry(4, d(2025, 6, 1), kkmp::KAS, kkmp::HIBAH, rp(1))),
        Err(Error::ClosedPeriod { .. })
    ));
    assert!(matches!(
        l.reverse(id(10), &Reversal::new(id(12), d(2026, 1, 2), ACTOR, "x")),
        Err(Error::NotReversible { .. })
    ));
    // the next year is open
    l.post(&entry(4, d(2026, 1, 5), kkmp::KAS, kkmp::HIBAH, rp(1)))
        .unwrap();

    // reopen: recorded, closing entry reversed
    assert_eq!(
        l.reopen_year(YearReopen::new(
            FiscalYear::calendar(2024).unwrap(),
            id(20),
            ACTOR,
            "x"
        )),
        Err(Error::NotClosed {
            year: FiscalYear::calendar(2024).unwrap()
        })
    );
    l.reopen_year(YearReopen::new(fy, id(20), ACTOR, "koreksi audit"))
        .unwrap();
    assert!(!l.is_closed(fy));
    assert_eq!(
        l.balance(kkmp::SHU_TAHUN_BERJALAN, end).unwrap(),
        Rupiah::ZERO
    );
    assert_eq!(l.balance("4", end).unwrap(), rp(300_000));
    assert_eq!(l.period_events().len(), 2);
    l.post(&entry(
        5,
        d(2025, 6, 1),
        kkmp::KAS,
        kkmp::PENDAPATAN_LAIN,
        rp(20_000),
    ))
    .unwrap();
    l.close_year(YearClose::new(fy, id(30), shu, ACTOR))
        .unwrap();
    assert_eq!(
        l.balance(kkmp::SHU_TAHUN_BERJALAN, end).unwrap(),
        rp(200_000)
    );
    let tb = l.trial_balance(d(2026, 12, 31)).unwrap();
    assert_eq!(tb.total_debit, tb.total_credit);
}

#[test]
fn custom_chart_and_limits() {
    let chart = ChartOfAccounts::new(vec![
        Account::header("1", "Aset", AccountClass::Asset).unwrap(),
        Account::postable("1-01", "Kas", AccountClass::Asset)
            .unwrap()
            .with_parent("1")
            .unwrap()
            .with_limit(BalanceLimit::CreditsMustNotExceedDebits),
        Account::postable("2-01", "Simpanan", AccountClass::Liability)
            .unwrap()
            .with_limit(BalanceLimit::DebitsMustNotExceedCredits),
    ])
    .unwrap();
    let mut l = Ledger::new(chart, d(2025, 1, 1));
    l.post(&entry(1, d(2025, 1, 1), "1-01", "2-01", rp(10)))
        .unwrap();
    assert!(matches!(
        l.post(&entry(2, d(2025, 1, 1), "2-01", "1-01", rp(11))),
        Err(Error::BalanceLimit { .. })
    ));
    l.add_account(
        Account::postable("1-02", "Bank", AccountClass::Asset)
            .unwrap()
            .with_parent("1")
            .unwrap(),
    )
    .unwrap();
    l.post(&entry(3, d(2025, 1, 1), "1-02", "1-01", rp(10)))
        .unwrap();
    assert_eq!(l.balance("1", d(2025, 1, 1)).unwrap(), rp(10));
    assert!(
        l.add_account(Account::postable("1-02", "x", AccountClass::Asset).unwrap())
            .is_err()
    );
    assert!(matches!(
        l.close_account("zz"),
        Err(Error::NoSuchAccount { .. })
    ));
}

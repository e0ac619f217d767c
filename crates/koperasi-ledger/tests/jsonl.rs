//! The JSON Lines journal format: exact round trip, line-numbered errors, nothing partially
//! loaded, tamper detection through `head` records.
#![cfg(feature = "serde")]

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, FiscalYear, MemberId, Rupiah};
use koperasi_ledger::{
    BusinessUnit, ChartOfAccounts, Counterparty, Error, JournalEntry, Ledger, Line, Reversal,
    YearClose, YearReopen, kkmp,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
const A: ActorId = ActorId::from_u128(1);

fn sample() -> Ledger {
    let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(2025, 1, 1));
    let rp = Rupiah::from_rupiah;
    l.post(
        &JournalEntry::new(EntryId::from_u128(1), d(2025, 1, 2), A)
            .with_memo("Setoran simpanan pokok \"Siti\" — 1/2")
            .with_source("savings:siti/pokok")
            .with_line(Line::debit(kkmp::KAS, rp(100_000)).unwrap())
            .with_line(
                Line::credit(kkmp::SIMPANAN_POKOK, rp(100_000))
                    .unwrap()
                    .member(MemberId::from_u128(7))
                    .counterparty(Counterparty::Member),
            ),
    )
    .unwrap();
    l.post(
        &JournalEntry::new(EntryId::from_u128(2), d(2025, 2, 2), A)
            .with_source("sale:1")
            .with_line(
                Line::debit(kkmp::KAS, Rupiah::from_sen(2_550))
                    .unwrap()
                    .unit(BusinessUnit::Other(9)),
            )
            .with_line(
                Line::credit(&kkmp::non_member_revenue("02"), Rupiah::from_sen(2_550))
                    .unwrap()
                    .unit(BusinessUnit::Sembako)
                    .counterparty(Counterparty::NonMember),
            ),
    )
    .unwrap();
    l.reverse(
        EntryId::from_u128(2),
        &Reversal::new(EntryId::from_u128(3), d(2025, 2, 3), A, "batal"),
    )
    .unwrap();
    let fy = FiscalYear::calendar(2025).unwrap();
    let shu = kkmp::SHU_TAHUN_BERJALAN.parse().unwrap();
    l.post(
        &JournalEntry::new(EntryId::from_u128(4), d(2025, 3, 1), A)
            .debit(kkmp::KAS, rp(5_000))
            .unwrap()
            .credit(kkmp::PENDAPATAN_DENDA, rp(5_000))
            .unwrap(),
    )
    .unwrap();
    l.close_year(YearClose::new(fy, EntryId::from_u128(5), shu, A))
        .unwrap();
    l.reopen_year(YearReopen::new(fy, EntryId::from_u128(6), A, "koreksi"))
        .unwrap();
    l.close_year(YearClose::new(
        fy,
        EntryId::from_u128(7),
        kkmp::SHU_TAHUN_BERJALAN.parse().unwrap(),
        A,
    ))
    .unwrap();
    // a year with nothing to close
    l.close_year(YearClose::new(
        FiscalYear::calendar(2026).unwrap(),
        EntryId::from_u128(8),
        kkmp::SHU_TAHUN_BERJALAN.parse().unwrap(),
        A,
    ))
    .unwrap();
    l.close_account(kkmp::GUDANG).unwrap();
    l
}

#[test]
fn round_trip_is_exact() {
    let l = sample();
    let text = l.to_jsonl().unwrap();
    let back = Ledger::from_jsonl(&text).unwrap();
    assert_eq!(back, l);
    assert_eq!(back.to_jsonl().unwrap(), text);
    back.verify().unwrap();
    // records: chart, 3 entries (1, 2, reversal 3), 4, close, reopen, close, close, head
    assert_eq!(text.lines().count(), 10);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("\"format\":\"koperasi-ledger/1\"")
    );
    // serde of the whole ledger goes through the same records
    let json = serde_json::to_string(&l).unwrap();
    let again: Ledger = serde_json::from_str(&json).unwrap();
    assert_eq!(again, l);
}

#[test]
fn errors_name_the_line_and_load_nothing() {
    let text = sample().to_jsonl().unwrap();
    let lines: Vec<&str> = text.lines().collect();

    // malformed JSON on line 3
    let mut bad = lines.clone();
    bad[2] = "{not json";
    let err = Ledger::from_jsonl(&bad.join("\n")).unwrap_err();
    assert!(
        matches!(&err, Error::Journal { line: 3, source } if matches!(**source, Error::Format { .. }))
    );

    // an unbalanced entry on line 2
    let mut bad = lines.clone();
    let unbalanced = lines[1].replacen("\"100000.00\"", "\"99999.00\"", 1);
    bad[1] = &unbalanced;
    let err = Ledger::from_jsonl(&bad.join("\n")).unwrap_err();
    assert!(
        matches!(&err, Error::Journal { line: 2, source } if matches!(**source, Error::Unbalanced { .. }))
    );

    // a duplicated entry line
    let mut bad = lines.clone();
    bad.insert(2, lines[1]);
    let err = Ledger::from_jsonl(&bad.join("\n")).unwrap_err();
    assert!(
        matches!(&err, Error::Journal { line: 3, source } if matches!(**source, Error::Exists { .. }))
    );

    // entries swapped: the date is fine but the head no longer matches
    let mut bad = lines.clone();
    bad.swap(1, 2);
    let err = Ledger::from_jsonl(&bad.join("\n")).unwrap_err();
    assert!(matches!(err, Error::Journal { line: 10, .. }), "{err:?}");

    // a changed memo, everything else valid: caught by the head record
    let mut bad = lines.clone();
    let memo = lines[1].replace("Siti", "Sita");
    bad[1] = &memo;
    let err = Ledger::from_jsonl(&bad.join("\n")).unwrap_err();
    assert!(
        matches!(&err, Error::Journal { line: 10, source } if matches!(**source, Error::Audit(_)))
    );

    // a removed entry line
    let mut bad = lines.clone();
    bad.remove(5);
    assert!(Ledger::from_jsonl(&bad.join("\n")).is_err());

    // the chart must come first, exactly once
    let err = Ledger::from_jsonl(&lines[1..].join("\n")).unwrap_err();
    assert!(matches!(err, Error::Journal { line: 1, .. }));
    let mut bad = lines.clone();
    bad.insert(1, lines[0]);
    assert!(matches!(
        Ledger::from_jsonl(&bad.join("\n")),
        Err(Error::Journal { line: 2, .. })
    ));
    assert!(matches!(
        Ledger::from_jsonl(""),
        Err(Error::Journal { line: 1, .. })
    ));

    // a reversal that does not mirror its original
    let mut bad = lines.clone();
    let rev = lines[3].replace("sale:1", "sale:2");
    assert_ne!(rev, lines[3]);
    bad[3] = &rev;
    let err = Ledger::from_jsonl(&bad.join("\n")).unwrap_err();
    assert!(
        matches!(&err, Error::Journal { line: 4, source } if matches!(**source, Error::Format { .. })),
        "{err:?}"
    );
}

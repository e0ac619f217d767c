//! The hand-written fixtures of `testdata/reconcile/`, imported and reconciled.
#![allow(clippy::cast_possible_truncation)]

mod common;

use common::*;
use koperasi_core::{EntryId, Rupiah};
use koperasi_ledger::{Ledger, kkmp};
use koperasi_reconcile::{
    Config, Error, FieldErrorKind, Mapping, MatchKind, MdrSchedule, MerchantCategory,
    Mt940ErrorKind, ProblemKind, QrisMapping, Reconciliation, Severity, mt940, reconcile,
};

#[test]
fn story_ledger_fixture_is_current() {
    let text = story_ledger().to_jsonl().unwrap();
    let path = fixture("sukamaju-2025-01.jsonl");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert_eq!(std::fs::read_to_string(path).unwrap(), text);
}

#[test]
fn mt940_fixture_reads_with_block_wrappers_and_decimal_commas() {
    let sts = mt940::parse("sukamaju-2025-01.sta", &read("sukamaju-2025-01.sta")).unwrap();
    assert_eq!(sts.len(), 1);
    let s = &sts[0];
    assert_eq!(s.account.as_deref(), Some("1230001234567"));
    assert_eq!(s.lines.len(), 10);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(
        s.closing.as_ref().unwrap().amount,
        Rupiah::from_sen(2_123_437_565)
    );
    let l = &s.lines[6];
    assert_eq!(l.amount, Rupiah::from_sen(123_456));
    assert_eq!(l.description, "BUNGA REKENING");
    assert_eq!(l.source.line, 18);
    assert_eq!(s.lines[3].reference.as_deref(), Some("PO-2025-0007"));
    assert_eq!(s.lines[3].amount, Rupiah::from_rupiah(-750_000));
}

#[test]
fn mt940_errors_name_the_line() {
    let bad =
        ":20:X\n:25:1\n:60F:C250101IDR0,00\n:61:2501020102C15O,00NTRFX\n:62F:C250101IDR0,00\n";
    assert_eq!(
        mt940::parse("x.sta", bad.as_bytes()),
        Err(Error::Mt940 {
            file: "x.sta".into(),
            line: 4,
            kind: Mt940ErrorKind::BadAmount
        })
    );
    let usd = ":20:X\n:60F:C250101USD0,00\n:62F:C250101USD0,00\n";
    assert!(matches!(
        mt940::parse("x.sta", usd.as_bytes()),
        Err(Error::Mt940 {
            line: 2,
            kind: Mt940ErrorKind::NotRupiah,
            ..
        })
    ));
    let no_close = ":20:X\n:60F:C250101IDR0,00\n";
    assert!(matches!(
        mt940::parse("x.sta", no_close.as_bytes()),
        Err(Error::Mt940 {
            kind: Mt940ErrorKind::MissingClosing,
            ..
        })
    ));
    assert!(matches!(
        mt940::parse("x.sta", b":61:2501020102C1,00NTRFX\n"),
        Err(Error::Mt940 {
            line: 1,
            kind: Mt940ErrorKind::OutsideStatement,
            ..
        })
    ));
    assert!(matches!(
        mt940::parse("x.sta", b""),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        mt940::parse("x.sta", b":20:X\n\xff\n"),
        Err(Error::Mt940 {
            line: 2,
            kind: Mt940ErrorKind::NotText,
            ..
        })
    ));
}

#[test]
fn mt940_reversals_and_closing_mismatch() {
    let text = ":20:X\n:25:1\n:60F:C250101IDR100,00\n:61:250102RD10,00NTRFA1\n:61:250102RC30,00NTRFA2\n:62F:C250102IDR81,00\n";
    let s = &mt940::parse("x.sta", text.as_bytes()).unwrap()[0];
    assert_eq!(s.lines[0].amount, Rupiah::from_rupiah(10));
    assert_eq!(s.lines[1].amount, Rupiah::from_rupiah(-30));
    assert_eq!(s.problems.len(), 1);
    assert_eq!(
        s.problems[0].kind,
        ProblemKind::ClosingMismatch {
            computed: Rupiah::from_rupiah(80),
            stated: Rupiah::from_rupiah(81)
        }
    );
    assert_eq!(s.problems[0].source.line, 6);
}

#[test]
fn bri_csv_with_indonesian_numbers() {
    let s = Mapping::bri()
        .import_csv("bri-2025-01.csv", &read("bri-2025-01.csv"))
        .unwrap();
    assert_eq!(s.lines.len(), 9);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(s.opening.as_ref().unwrap().amount, Rupiah::ZERO);
    assert_eq!(
        s.closing.as_ref().unwrap().amount,
        Rupiah::from_sen(2_153_437_565)
    );
    assert_eq!(s.lines[7].amount, Rupiah::from_sen(-24_691));
    assert_eq!(s.lines[0].source.line, 2);
    assert_eq!(s.lines[0].reference.as_deref(), Some("0000"));
}

#[test]
fn broken_saldo_is_reported_once_with_its_line() {
    let s = Mapping::bri()
        .import_csv("bri-broken-saldo.csv", &read("bri-broken-saldo.csv"))
        .unwrap();
    let kinds: Vec<(u32, &ProblemKind)> = s
        .problems
        .iter()
        .map(|p| (p.source.line, &p.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                4,
                &ProblemKind::SaldoBreak {
                    expected: Rupiah::from_rupiah(2_000_000),
                    stated: Rupiah::from_rupiah(2_100_000)
                }
            ),
            (
                6,
                &ProblemKind::ClosingMismatch {
                    computed: Rupiah::from_rupiah(1_450_000),
                    stated: Rupiah::from_rupiah(1_550_000)
                }
            ),
        ]
    );
    assert!(s.problems.iter().all(|p| p.severity == Severity::Error));
}

#[test]
fn bri_next_day_remark_is_the_same_line() {
    let h0 = Mapping::bri()
        .import_csv("h0.csv", &read("bri-h0-2025-01-02.csv"))
        .unwrap();
    let h1 = Mapping::bri()
        .import_csv("h1.csv", &read("bri-h1-2025-01-03.csv"))
        .unwrap();
    assert_ne!(h0.lines[0].description, h1.lines[0].description);
    assert_eq!(h0.lines[0].fingerprint, h1.lines[0].fingerprint);
    let r = reconcile(&story_ledger(), kkmp::BANK, &[h0, h1], &Config::default()).unwrap();
    let dups: Vec<_> = r
        .problems
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::Duplicate { .. }))
        .collect();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0].source.to_string(), "h1.csv:2");
    assert!(
        matches!(&dups[0].kind, ProblemKind::Duplicate { first, .. } if first.to_string() == "h0.csv:2")
    );
    // the transfer matched once, by its reference
    assert_eq!(
        r.matched
            .iter()
            .filter(|m| m.kind == MatchKind::Reference)
            .count(),
        1
    );
}

#[test]
fn bni_and_mandiri_presets() {
    let bni = Mapping::bni()
        .import_csv("bni.csv", &read("bni-2025-01.csv"))
        .unwrap();
    assert_eq!(bni.lines.len(), 2);
    assert_eq!(bni.lines[1].amount, Rupiah::from_rupiah(-10_000));
    assert_eq!(bni.lines[0].time.unwrap().to_string(), "09:12:01");
    assert!(bni.problems.is_empty());
    let mandiri = Mapping::mandiri()
        .import_csv("mandiri.csv", &read("mandiri-2025-01.csv"))
        .unwrap();
    assert_eq!(mandiri.lines.len(), 2);
    assert_eq!(mandiri.lines[0].amount, Rupiah::from_rupiah(1_500_000));
    assert_eq!(mandiri.lines[0].reference.as_deref(), Some("TRF250102001"));
    assert!(mandiri.problems.is_empty());
    // a mapping that does not fit the file says which column
    let err = Mapping::mandiri()
        .import_csv("bni.csv", &read("bni-2025-01.csv"))
        .unwrap_err();
    assert!(
        matches!(err, Error::Mapping { ref message, .. } if message.contains("Tgl.")),
        "{err}"
    );
    // a bad cell names line and column
    let csv =
        "Tanggal Transaksi;Uraian Transaksi;Teller;Debet;Kredit;Saldo\n02/01/25;X;1;;1.5O0,00;\n";
    assert!(matches!(
        Mapping::bri().import_csv("x.csv", csv.as_bytes()),
        Err(Error::Field { line: 2, ref column, kind: FieldErrorKind::BadAmount, .. }) if column == "Kredit"
    ));
}

#[test]
fn xlsx_statement_reads_numbers_and_dates_exactly() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "Tgl.",
        "Tgl. Val.",
        "Rincian Transaksi",
        "No. Referensi",
        "Debit",
        "Kredit",
        "Saldo",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let d = ExcelDateTime::from_ymd(2025, 1, 2).unwrap();
    ws.write_datetime_with_format(1, 0, &d, &date).unwrap();
    ws.write_string(1, 2, "TRANSFER MASUK").unwrap();
    ws.write_string(1, 3, "TRF250102001").unwrap();
    ws.write_number(1, 5, 1_500_000.55).unwrap();
    ws.write_number(1, 6, 1_500_000.55).unwrap();
    ws.write_string(2, 0, "31/01/2025").unwrap();
    ws.write_string(2, 2, "BIAYA ADM").unwrap();
    ws.write_string(2, 4, "10.000,00").unwrap();
    ws.write_number(2, 6, 1_490_000.55).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let s = Mapping::mandiri()
        .import_xlsx("mandiri.xlsx", &bytes)
        .unwrap();
    assert_eq!(s.lines.len(), 2);
    assert_eq!(s.lines[0].booking_date, day(2));
    assert_eq!(s.lines[0].amount, Rupiah::from_sen(150_000_055));
    assert_eq!(s.lines[1].amount, Rupiah::from_rupiah(-10_000));
    assert_eq!(s.lines[1].source.line, 3);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert!(matches!(
        Mapping::mandiri().import_xlsx("x.xlsx", b"PK\x03\x04nonsense"),
        Err(Error::Xlsx { .. })
    ));
}

#[test]
fn qris_report_of_40_sales_at_the_micro_threshold() {
    let r = QrisMapping::standard()
        .import_csv(
            "qris.csv",
            &read("qris-2025-01-14.csv"),
            &MdrSchedule::bank_indonesia(),
            MerchantCategory::Micro,
        )
        .unwrap();
    assert_eq!(r.transactions.len(), 40);
    assert_eq!(r.settlements.len(), 1);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let mdr = Rupiah::try_sum(r.transactions.iter().map(|t| t.mdr)).unwrap();
    assert_eq!(mdr, Rupiah::from_rupiah(40_000));
    assert_eq!(r.transactions[24].mdr, Rupiah::ZERO); // Rp500.000: 0%
    assert_eq!(r.transactions[25].mdr, Rupiah::from_rupiah(1_500)); // Rp500.001: 0,3%
    assert_eq!(r.settlements[0].total_net, Rupiah::from_sen(2_009_338_800));
    // as a regular merchant every MDR differs from the schedule (0,7%): warnings, not errors
    let r = QrisMapping::standard()
        .import_csv(
            "qris.csv",
            &read("qris-2025-01-14.csv"),
            &MdrSchedule::bank_indonesia(),
            MerchantCategory::Regular,
        )
        .unwrap();
    assert_eq!(r.problems.len(), 40);
    assert!(r.problems.iter().all(|p| p.severity == Severity::Warning));
}

fn story_statement() -> Vec<koperasi_reconcile::Statement> {
    vec![
        Mapping::bri()
            .import_csv("bri-2025-01.csv", &read("bri-2025-01.csv"))
            .unwrap(),
    ]
}

fn post_all(ledger: &mut Ledger, r: &Reconciliation, first_id: u128) {
    for (k, p) in r.proposed_entries.iter().enumerate() {
        let e = p
            .to_journal_entry(EntryId::from_u128(first_id + k as u128), BENDAHARA)
            .unwrap();
        ledger.post(&e).unwrap();
    }
}

#[test]
fn story_reconciles_after_the_proposed_entries() {
    let mut books = story_ledger();
    let r = reconcile(&books, kkmp::BANK, &story_statement(), &Config::default()).unwrap();
    let kinds: Vec<MatchKind> = r.matched.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == MatchKind::Reference).count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == MatchKind::DateOrder).count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == MatchKind::ManyToOne).count(),
        1,
        "{kinds:?}"
    );
    let rules: Vec<&str> = r.proposed_entries.iter().map(|p| p.rule.as_str()).collect();
    assert_eq!(
        rules,
        [
            "qris_settlement",
            "bank_interest",
            "interest_tax",
            "bank_fee"
        ]
    );
    let settle = &r.proposed_entries[0];
    assert_eq!(settle.books.len(), 40);
    assert_eq!(settle.lines[1].account, kkmp::BEBAN_MDR_QRIS);
    assert_eq!(settle.lines[1].amount, Rupiah::from_rupiah(40_000));
    assert_eq!(settle.lines[2].amount, Rupiah::from_sen(2_013_338_800));
    // the outstanding payment of 30 January, one day old at the statement's end
    assert_eq!(r.unmatched_books.len(), 1);
    assert_eq!(r.unmatched_books[0].age_days, 1);
    assert_eq!(r.outstanding_payments, Rupiah::from_rupiah(300_000));
    let young = &r.ageing.buckets[0];
    assert_eq!((young.label.as_str(), young.books_count), ("0-7", 1));
    assert_eq!(young.books_total, Rupiah::from_rupiah(-300_000));
    assert_eq!(young.bank_count, 3); // interest, tax and fee of 31 January
    let older = &r.ageing.buckets[1];
    assert_eq!((older.label.as_str(), older.bank_count), ("8-30", 1)); // the settlement of the 15th
    assert!(
        r.ageing.buckets[2..]
            .iter()
            .all(|b| b.bank_count == 0 && b.books_count == 0)
    );
    assert!(r.unexplained.is_zero(), "{}", r.to_text());
    assert!(r.suggestions.is_empty());
    assert!(!r.is_reconciled());
    assert_eq!(r.saldo_bank, Rupiah::from_sen(2_153_437_565));

    post_all(&mut books, &r, 1_000);
    let again = reconcile(&books, kkmp::BANK, &story_statement(), &Config::default()).unwrap();
    assert!(again.unmatched_bank.is_empty(), "{}", again.to_text());
    assert!(again.proposed_entries.is_empty());
    assert_eq!(again.unmatched_books.len(), 1);
    assert!(again.unexplained.is_zero());
    // bank − books = the payment not yet cleared
    assert_eq!(again.difference, Rupiah::from_rupiah(300_000));

    // the MT940 version also shows PO-2025-0011 clearing on 31 January: all reconciles
    let sta = mt940::parse("s.sta", &read("sukamaju-2025-01.sta")).unwrap();
    let done = reconcile(&books, kkmp::BANK, &sta, &Config::default()).unwrap();
    assert!(done.is_reconciled(), "{}", done.to_text());
    assert_eq!(done.saldo_bank, done.saldo_books);
    let posted = books.to_jsonl().unwrap();
    let path = fixture("sukamaju-2025-01-posted.jsonl");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &posted).unwrap();
    }
    assert_eq!(std::fs::read_to_string(path).unwrap(), posted);
}

#[test]
fn duplicated_import_adds_nothing() {
    let books = story_ledger();
    let sta = mt940::parse("s.sta", &read("sukamaju-2025-01.sta")).unwrap();
    let once = reconcile(&books, kkmp::BANK, &sta, &Config::default()).unwrap();
    let twice_input: Vec<_> = sta.iter().chain(sta.iter()).cloned().collect();
    let twice = reconcile(&books, kkmp::BANK, &twice_input, &Config::default()).unwrap();
    assert_eq!(once.matched, twice.matched);
    assert_eq!(once.proposed_entries, twice.proposed_entries);
    let dups = twice
        .problems
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::Duplicate { .. }))
        .count();
    assert_eq!(dups, 10);
}

#[test]
fn renderers() {
    let books = story_ledger();
    let r = reconcile(&books, kkmp::BANK, &story_statement(), &Config::default()).unwrap();
    let text = r.to_text();
    assert!(text.contains("Saldo menurut bank"), "{text}");
    assert!(text.contains("Rp21.534.375,65"), "{text}");
    assert!(text.contains("Jurnal usulan"), "{text}");
    let html = r.to_html();
    assert!(html.starts_with("<!doctype html>") && html.contains("BIAYA ADM BULANAN"));
    let v = r.to_json().unwrap();
    for key in [
        "saldo_bank",
        "saldo_books",
        "difference",
        "matched",
        "unmatched_bank",
        "unmatched_books",
        "proposed_entries",
        "problems",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["saldo_bank"], "21534375.65");
    assert_eq!(v["reconciled"], false);
    let xlsx = r.to_xlsx().unwrap();
    assert!(xlsx.starts_with(b"PK"));
}

#[test]
fn qris_report_reconciles_with_the_receivable() {
    let report = QrisMapping::standard()
        .import_csv(
            "qris.csv",
            &read("qris-2025-01-14.csv"),
            &MdrSchedule::bank_indonesia(),
            MerchantCategory::Micro,
        )
        .unwrap();
    let st = report.to_statement().unwrap();
    let mut cfg = Config::default();
    cfg.rules.clear();
    cfg.qris = None;
    let mut books = story_ledger();
    let r = reconcile(&books, kkmp::PIUTANG_QRIS, std::slice::from_ref(&st), &cfg).unwrap();
    assert_eq!(r.matched.len(), 40);
    assert!(r.matched.iter().all(|m| m.kind == MatchKind::Reference));
    // the settlement is not in the books yet
    assert_eq!(r.unmatched_bank.len(), 1);
    assert_eq!(
        r.unmatched_bank[0].line.amount,
        Rupiah::from_sen(-2_013_338_800)
    );
    // once the bank reconciliation's settlement entry is posted, the receivable reconciles
    let bank = reconcile(&books, kkmp::BANK, &story_statement(), &Config::default()).unwrap();
    post_all(&mut books, &bank, 2_000);
    let r = reconcile(&books, kkmp::PIUTANG_QRIS, &[st], &cfg).unwrap();
    assert!(r.is_reconciled(), "{}", r.to_text());
}

//! The story behind the fixtures in `testdata/reconcile/`: KKMP Sukamaju's bank account in
//! January 2025.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, Rupiah};
use koperasi_ledger::{ChartOfAccounts, JournalEntry, Ledger, kkmp};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/reconcile")
        .join(name)
}

pub fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, d).unwrap()
}

pub const BENDAHARA: ActorId = ActorId::from_u128(2);

/// The 40 QRIS sales of 14 January 2025 (gross, in rupiah), as in `qris-2025-01-14.csv`.
pub fn qris_sales() -> Vec<(String, i64)> {
    (1..=40)
        .map(|i: i64| {
            let g = match i {
                1..=15 => 15_000 * i,
                16..=25 => 500_000,
                26..=35 => 500_000 + (i - 25),
                _ => [750_000, 1_000_000, 1_250_000, 2_000_000, 3_333_333][(i - 36) as usize],
            };
            (format!("2501140000{i:02}"), g)
        })
        .collect()
}

fn entry(id: u128, d: u32, memo: &str, source: &str) -> JournalEntry {
    JournalEntry::new(EntryId::from_u128(id), day(d), BENDAHARA)
        .with_memo(memo)
        .with_source(source)
}

/// The books of January 2025 (before reconciliation).
pub fn story_ledger() -> Ledger {
    let rp = Rupiah::from_rupiah;
    let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), day(1));
    let mut post = |e: JournalEntry| {
        l.post(&e).unwrap();
    };
    post(
        entry(1, 2, "Hibah kas desa", "transfer:TRF250102001")
            .debit(kkmp::BANK, rp(1_500_000))
            .unwrap()
            .credit(kkmp::HIBAH, rp(1_500_000))
            .unwrap(),
    );
    post(
        entry(
            2,
            3,
            "Simpanan wajib Siti Rahayu",
            "savings:siti/wajib/2025-01",
        )
        .debit(kkmp::BANK, rp(250_000))
        .unwrap()
        .credit(kkmp::SIMPANAN_WAJIB, rp(250_000))
        .unwrap(),
    );
    post(
        entry(
            3,
            3,
            "Simpanan wajib Budi Santoso",
            "savings:budi/wajib/2025-01",
        )
        .debit(kkmp::BANK, rp(250_000))
        .unwrap()
        .credit(kkmp::SIMPANAN_WAJIB, rp(250_000))
        .unwrap(),
    );
    post(
        entry(
            4,
            6,
            "Pembelian pupuk CV Tani Makmur",
            "purchase:PO-2025-0007",
        )
        .debit(kkmp::PERSEDIAAN, rp(750_000))
        .unwrap()
        .credit(kkmp::BANK, rp(750_000))
        .unwrap(),
    );
    post(
        entry(
            5,
            8,
            "Simpanan wajib Dewi (tunai, disetor ke bank)",
            "savings:dewi/wajib/2025-01",
        )
        .debit(kkmp::BANK, rp(120_000))
        .unwrap()
        .credit(kkmp::SIMPANAN_WAJIB, rp(120_000))
        .unwrap(),
    );
    post(
        entry(
            6,
            8,
            "Simpanan wajib Agus (tunai, disetor ke bank)",
            "savings:agus/wajib/2025-01",
        )
        .debit(kkmp::BANK, rp(80_000))
        .unwrap()
        .credit(kkmp::SIMPANAN_WAJIB, rp(80_000))
        .unwrap(),
    );
    for (k, (rrn, g)) in qris_sales().into_iter().enumerate() {
        post(
            entry(
                100 + k as u128,
                14,
                "Penjualan QRIS",
                &format!("qris:{rrn}"),
            )
            .debit(kkmp::PIUTANG_QRIS, rp(g))
            .unwrap()
            .credit(&kkmp::member_revenue("02"), rp(g))
            .unwrap(),
        );
    }
    post(
        entry(
            7,
            30,
            "Pembelian beras UD Sumber Rejeki",
            "purchase:PO-2025-0011",
        )
        .debit(kkmp::PERSEDIAAN, rp(300_000))
        .unwrap()
        .credit(kkmp::BANK, rp(300_000))
        .unwrap(),
    );
    l
}

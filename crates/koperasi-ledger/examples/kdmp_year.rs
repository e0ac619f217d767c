//! A small KDMP year in the books, written as a JSON Lines journal on stdout.
//!
//! `cargo run -p koperasi-ledger --example kdmp_year --features serde > kdmp-2025.jsonl`
//!
//! (This is how `testdata/koperasi-ledger/kdmp-2025.jsonl` was made.)

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, FiscalYear, MemberId, Rupiah};
use koperasi_ledger::{
    BusinessUnit, ChartOfAccounts, Counterparty, JournalEntry, Ledger, Line, Reversal, YearClose,
    kkmp,
};

fn main() -> Result<(), koperasi_ledger::Error> {
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap_or_default();
    let rp = Rupiah::from_rupiah;
    let bendahara = ActorId::from_u128(0xb0);
    let mut n = 0u128;
    let mut next = || {
        n += 1;
        EntryId::from_u128(n)
    };
    let mut books = Ledger::new(ChartOfAccounts::standard_kkmp()?, d(1, 1));
    let members = [
        MemberId::from_u128(1),
        MemberId::from_u128(2),
        MemberId::from_u128(3),
    ];

    // simpanan pokok Rp100.000 and wajib Rp50.000 from each member
    for (i, m) in members.iter().enumerate() {
        let day = u32::try_from(i).unwrap_or(0) + 2;
        books.post(
            &JournalEntry::new(next(), d(1, day), bendahara)
                .with_memo("Setoran simpanan pokok dan wajib")
                .with_source(format!("savings:{m}/pokok+wajib/2025-01"))
                .with_line(Line::debit(kkmp::KAS, rp(150_000))?)
                .with_line(Line::credit(kkmp::SIMPANAN_POKOK, rp(100_000))?.member(*m))
                .with_line(Line::credit(kkmp::SIMPANAN_WAJIB, rp(50_000))?.member(*m)),
        )?;
    }
    // Himbara loan received into the bank
    books.post(
        &JournalEntry::new(next(), d(2, 3), bendahara)
            .with_memo("Pencairan pinjaman Himbara (PMK 49/2025)")
            .with_source("himbara:akad-001")
            .debit(kkmp::BANK, rp(500_000_000))?
            .credit(kkmp::PINJAMAN_HIMBARA, rp(500_000_000))?,
    )?;
    // stock bought, sold to a member and to a non-member
    books.post(
        &JournalEntry::new(next(), d(2, 10), bendahara)
            .with_memo("Pembelian sembako")
            .with_source("purchase:PO-001")
            .with_line(Line::debit(kkmp::PERSEDIAAN, rp(2_000_000))?.unit(BusinessUnit::Sembako))
            .with_line(Line::credit(kkmp::BANK, rp(2_000_000))?),
    )?;
    for (i, (member, amount, cost)) in [
        (Some(members[0]), 300_000, 250_000),
        (None, 120_000, 100_000),
    ]
    .into_iter()
    .enumerate()
    {
        let (acct, cp) = match member {
            Some(_) => (kkmp::member_revenue("02"), Counterparty::Member),
            None => (kkmp::non_member_revenue("02"), Counterparty::NonMember),
        };
        let mut credit = Line::credit(&acct, rp(amount))?
            .unit(BusinessUnit::Sembako)
            .counterparty(cp);
        if let Some(m) = member {
            credit = credit.member(m);
        }
        books.post(
            &JournalEntry::new(next(), d(3, 5 + u32::try_from(i).unwrap_or(0)), bendahara)
                .with_memo("Penjualan sembako")
                .with_source(format!("sale:S-{:03}", i + 1))
                .with_line(Line::debit(kkmp::PIUTANG_QRIS, rp(amount))?.unit(BusinessUnit::Sembako))
                .with_line(credit)
                .with_line(
                    Line::debit(&kkmp::cost_of_sales("02"), rp(cost))?.unit(BusinessUnit::Sembako),
                )
                .with_line(Line::credit(kkmp::PERSEDIAAN, rp(cost))?.unit(BusinessUnit::Sembako)),
        )?;
    }
    // QRIS settlement from the PJP, less MDR
    books.post(
        &JournalEntry::new(next(), d(3, 7), bendahara)
            .with_memo("Settlement QRIS")
            .with_source("qris:settlement/2025-03-07")
            .debit(kkmp::BANK, rp(418_320))?
            .debit(kkmp::BEBAN_MDR_QRIS, rp(1_680))?
            .credit(kkmp::PIUTANG_QRIS, rp(420_000))?,
    )?;
    // a loan to a member and its first installment
    books.post(
        &JournalEntry::new(next(), d(4, 1), bendahara)
            .with_memo("Pencairan pinjaman anggota")
            .with_source("loan:L-001/disbursement")
            .with_line(
                Line::debit(kkmp::PIUTANG_PINJAMAN, rp(3_000_000))?
                    .member(members[1])
                    .unit(BusinessUnit::SimpanPinjam),
            )
            .with_line(Line::credit(kkmp::BANK, rp(3_000_000))?),
    )?;
    books.post(
        &JournalEntry::new(next(), d(5, 1), bendahara)
            .with_memo("Angsuran ke-1")
            .with_source("loan:L-001/installment:1")
            .with_line(Line::debit(kkmp::KAS, rp(280_000))?)
            .with_line(
                Line::credit(kkmp::PIUTANG_PINJAMAN, rp(250_000))?
                    .member(members[1])
                    .unit(BusinessUnit::SimpanPinjam),
            )
            .with_line(
                Line::credit(&kkmp::member_revenue("01"), rp(30_000))?
                    .member(members[1])
                    .unit(BusinessUnit::SimpanPinjam)
                    .counterparty(Counterparty::Member),
            ),
    )?;
    // a wrong expense, reversed
    let wrong = next();
    books.post(
        &JournalEntry::new(wrong, d(6, 1), bendahara)
            .with_memo("Listrik Juni")
            .with_source("bill:PLN-2025-06")
            .debit(kkmp::BEBAN_UTILITAS, rp(450_000))?
            .credit(kkmp::KAS, rp(450_000))?,
    )?;
    books.reverse(
        wrong,
        &Reversal::new(next(), d(6, 2), bendahara, "Salah nominal"),
    )?;
    books.post(
        &JournalEntry::new(next(), d(6, 2), bendahara)
            .with_memo("Listrik Juni")
            .with_source("bill:PLN-2025-06")
            .debit(kkmp::BEBAN_UTILITAS, rp(405_000))?
            .credit(kkmp::KAS, rp(405_000))?,
    )?;
    // RAT expense and Himbara interest
    books.post(
        &JournalEntry::new(next(), d(11, 20), bendahara)
            .with_memo("Bunga pinjaman Himbara")
            .with_source("himbara:akad-001/bunga/2025")
            .debit(kkmp::BEBAN_BUNGA_BANK, rp(2_500_000))?
            .credit(kkmp::BANK, rp(2_500_000))?,
    )?;
    books.post(
        &JournalEntry::new(next(), d(12, 15), bendahara)
            .with_memo("Konsumsi rapat pengurus")
            .with_source("receipt:K-077")
            .debit(kkmp::BEBAN_RAPAT_PENGURUS, rp(150_000))?
            .credit(kkmp::KAS, rp(150_000))?,
    )?;
    books.close_year(YearClose::new(
        FiscalYear::calendar(2025)?,
        next(),
        kkmp::SHU_TAHUN_BERJALAN.parse()?,
        bendahara,
    ))?;
    books.verify()?;
    print!("{}", books.to_jsonl()?);
    Ok(())
}

//! One KKMP's fiscal year, simulated with a seed: a few hundred members, all seven business
//! units, loans with late payers and defaulters, QRIS sales, the Himbara loan, month-ends, the
//! close and the SHU — then its statements, control accounts and audit tree head.
//! `cargo run --release --example kkmp_year -- [members] [seed]`
use koperasi::core::FiscalYear;
use koperasi::reporting::render;
use koperasi_sim::{SimConfig, simulate_cooperative};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let members = usize::try_from(args.first().copied().unwrap_or(300))?;
    let seed = args.get(1).copied().unwrap_or(2026);
    let coop = simulate_cooperative(&SimConfig::new(1, members, seed), 0)?;
    let book = &coop.book;
    let year = FiscalYear::calendar(2026)?;

    println!(
        "{} ({}), {} operasi, {} entri jurnal\n",
        coop.name,
        coop.profile.label(),
        book.events().len(),
        book.ledger().len()
    );
    let statements = book.statements(year.period()?, None)?;
    for doc in [
        statements.balance_sheet.document(&coop.name),
        statements.income_statement.document(&coop.name),
        statements.changes_in_equity.document(&coop.name),
        statements.cash_flow.document(&coop.name),
    ] {
        println!("{}", render::text(&doc));
    }

    let closed = book.closed_years().get(&2026).ok_or("year not closed")?;
    println!(
        "SHU {} (= hasil PHU {}), dibagi pada RAT {:?}:",
        closed.shu, statements.income_statement.shu.current, closed.distributed_on
    );
    for (line, amount) in &closed.allocation {
        println!("  {line:<28} {amount}");
    }
    println!("\nAkun kontrol (buku besar = Σ buku pembantu):");
    for c in book.reconcile()? {
        println!(
            "  {:<26} {:>22} {}",
            c.name,
            c.general_ledger.to_string(),
            if c.reconciles() { "cocok" } else { "SELISIH" }
        );
    }
    let snapshot =
        koperasi::city::snapshot_with_health(book, &coop.code, &coop.name, year, &coop.management)?;
    let m = snapshot.metrics()?;
    println!(
        "\nKesehatan: NPL {:?} %, rasio kas {:?} %, bagian desa {:?} %",
        m.npl_pct, m.rasio_kas_pct, m.desa_share_pct
    );
    // The management questionnaires are simulated (the pengawas fills them in a real city);
    // every other figure comes from the book.
    let health = koperasi::city::assess_health(book, year, &coop.management)?;
    println!(
        "Penilaian kesehatan ({} v{}): skor {} — {}",
        health.profile, health.profile_version, health.total, health.predikat
    );
    for a in &health.aspects {
        println!("  {:<30} {:>6} / {}", a.name, a.skor, a.bobot);
    }
    book.ledger().verify()?;
    let head = book.audit_head();
    println!(
        "Log audit terverifikasi: {} daun, akar {}",
        head.size, head.root
    );
    Ok(())
}

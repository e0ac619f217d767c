//! The city: 29 KKMP of Kota Probolinggo simulated for a year with varied profiles, then the
//! city monitoring view. `cargo run --release --example city -- [coops] [members] [seed]`.
use koperasi_sim::{SimConfig, simulate_city};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let coops = usize::try_from(args.first().copied().unwrap_or(29))?;
    let members = usize::try_from(args.get(1).copied().unwrap_or(300))?;
    let seed = args.get(2).copied().unwrap_or(2026);
    let start = std::time::Instant::now();
    let city = simulate_city(&SimConfig::new(coops, members, seed), &|_, _| {})?;
    let elapsed = start.elapsed();
    for c in &city {
        let year = c
            .book
            .closed_years()
            .values()
            .next()
            .ok_or("year not closed")?;
        let ok = c
            .book
            .reconcile()?
            .iter()
            .all(koperasi::ControlCheck::reconciles);
        println!(
            "{:<28} {:<11} anggota {:>4}  entri {:>6}  SHU {:>16}  kontrol {}",
            c.name,
            c.profile.label(),
            c.book
                .registry()
                .counts()
                .get(koperasi::membership::MemberStatus::Member),
            c.book.ledger().len(),
            year.shu.to_string(),
            if ok { "cocok" } else { "SELISIH" }
        );
    }
    println!(
        "{} koperasi disimulasikan dalam {:.2?}",
        city.len(),
        elapsed
    );
    Ok(())
}

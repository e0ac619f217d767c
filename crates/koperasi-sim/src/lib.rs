//! # koperasi-sim — SIMULASI: simulated cooperatives, not real data
//!
//! A deterministic simulation of cooperatives through a fiscal year, shared by the `city`
//! example, the `koperasi demo` command and the benchmark. It lives outside the umbrella
//! library so that embedders of `koperasi` do not depend on `rand`; it drives the book only
//! through its public operations ([`Koperasi::apply`]), exactly as a real cooperative's
//! cashier and treasurer would. **Everything it produces is simulated (SIMULASI)**: names,
//! codes, answers and figures are invented.
//!
//! Each cooperative gets its own `ChaCha8` random stream derived from the seed and its index
//! (`ChaCha8` is reproducible across `rand_chacha` versions and platforms), so the result depends
//! only on [`SimConfig`] — not on the number of threads or the order in which cooperatives
//! finish. Every change goes through [`Koperasi::apply`], so each simulated book carries a
//! complete event log that replays to the same audit root.
//!
//! A year of one cooperative: members register in the first quarter and pay simpanan pokok
//! (a few never do and stay calon anggota); simpanan wajib every month (some skip),
//! sukarela deposits and withdrawals, a few simpanan berjangka; loans with fees, on-time and
//! late payers and some defaulters (penalties, collectibility, PPAP, write-off and a
//! recovery); stock purchases and sales in all seven units to members and non-members,
//! QRIS sales settled to the bank less MDR; expenses; the Himbara loan (drawdown, grace,
//! installments on the 12th); a gerai and cold storage bought; members leaving with set-off;
//! month-ends; the year-end close; and the SHU distributed at the RAT in March.
//!
//! ```
//! use koperasi_sim::{SimConfig, simulate_cooperative};
//!
//! let coop = simulate_cooperative(&SimConfig::new(1, 20, 7), 0)?;
//! assert!(coop.book.closed_years().contains_key(&2026));
//! assert!(coop.book.reconcile()?.iter().all(koperasi::ControlCheck::reconciles));
//! # Ok::<(), koperasi::Error>(())
//! ```
#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use koperasi::PostingRole;
use koperasi::city::{ManagementAnswers, Questionnaire};
use koperasi::core::chrono::{Datelike, NaiveDate};
use koperasi::core::{
    ActorId, CooperativeId, Decimal, LoanId, MemberId, Rate, Rupiah, SavingsAccountId,
};
use koperasi::ledger::{BusinessUnit, kkmp};
use koperasi::membership::{Role, VillageCode};
use koperasi::qris::{Amount, MerchantCriteria, Qris, QrisBuilder};
use koperasi::savings_loans::{Collectibility, LoanStatus, LoanTerms, Method, SavingsKind};
use koperasi::{
    BookConfig, Buyer, CapitalKind, Error, Item, Koperasi, Operation, PurchasePayment, Result,
    ReversalTarget, ShuPayout, Via,
};
use koperasi::{Payable, PayoutRoute};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Wraps an error of `koperasi-savings-loans` raised by the simulation's own queries.
fn sl(op: &'static str) -> impl Fn(koperasi::savings_loans::Error) -> Error {
    move |source| Error::SavingsLoans { op, source }
}

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SimConfig {
    /// Number of cooperatives (the city of Probolinggo supervises 29 KKMP).
    pub coops: usize,
    /// Members per cooperative (registered; a few stay calon anggota or leave).
    pub members_per_coop: usize,
    /// The seed.
    pub seed: u64,
    /// The fiscal (calendar) year simulated; the SHU is distributed in March of the next.
    pub year: i32,
    /// Worker threads (0 = as many as the machine has).
    pub threads: usize,
}

impl SimConfig {
    /// `coops` cooperatives of `members_per_coop` members, seed `seed`, year 2026.
    pub fn new(coops: usize, members_per_coop: usize, seed: u64) -> SimConfig {
        SimConfig {
            coops,
            members_per_coop,
            seed,
            year: 2026,
            threads: 0,
        }
    }

    /// With a year.
    #[must_use]
    pub fn with_year(mut self, year: i32) -> SimConfig {
        self.year = year;
        self
    }

    /// With a number of worker threads (0 = automatic).
    #[must_use]
    pub fn with_threads(mut self, threads: usize) -> SimConfig {
        self.threads = threads;
        self
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig::new(29, 300, 2026)
    }
}

/// The kind of cooperative a simulated one is, which drives its behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Profile {
    /// Well run: members save and repay on time, busy units, a large Himbara loan.
    Mandiri,
    /// Growing: average discipline and trade.
    Berkembang,
    /// Just started: few loans, little trade, no Himbara loan yet.
    Rintisan,
    /// In trouble: many late payers and defaulters, weak savings discipline.
    Bermasalah,
}

impl Profile {
    /// Indonesian label.
    pub fn label(self) -> &'static str {
        match self {
            Profile::Mandiri => "mandiri",
            Profile::Berkembang => "berkembang",
            Profile::Rintisan => "rintisan",
            Profile::Bermasalah => "bermasalah",
        }
    }

    fn of(index: usize) -> Profile {
        match index % 7 {
            0 | 3 => Profile::Mandiri,
            1 | 4 | 6 => Profile::Berkembang,
            2 => Profile::Rintisan,
            _ => Profile::Bermasalah,
        }
    }

    /// (wajib paid %, loan uptake ‰ per month, late %, default %, trade level 1–4).
    fn params(self) -> (u32, u32, u32, u32, u32) {
        match self {
            Profile::Mandiri => (95, 30, 8, 1, 4),
            Profile::Berkembang => (85, 25, 15, 4, 3),
            Profile::Rintisan => (75, 10, 15, 3, 1),
            Profile::Bermasalah => (55, 30, 35, 15, 2),
        }
    }
}

/// One simulated cooperative.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SimulatedCoop {
    /// Position in the city (0-based).
    pub index: usize,
    /// Code, e.g. `KKMP-3574-01-1001`.
    pub code: String,
    /// Name, e.g. "KKMP Mangunharjo".
    pub name: String,
    /// Its profile.
    pub profile: Profile,
    /// The book after the year (closed, SHU distributed).
    pub book: Koperasi,
    /// The management questionnaires of the health assessment, **simulated**
    /// ([`simulated_management`]): in a real city the pengawas or the Dinas fill them in.
    pub management: ManagementAnswers,
}

/// Simulated answers to the five management questionnaires of the health assessment
/// (Perdep 06/2016): each question of the Permen 14/2009 worksheets
/// ([`ManagementAnswers::QUESTIONS`]) is answered *ya* with a probability that follows the
/// profile (mandiri 90 %, berkembang 75 %, rintisan 60 %, bermasalah 40 %), drawn from a
/// `ChaCha8` stream of its own derived from `seed`, so the books' stream is untouched and the
/// answers depend only on the profile and the seed.
pub fn simulated_management(profile: Profile, seed: u64) -> ManagementAnswers {
    let p: u32 = match profile {
        Profile::Mandiri => 90,
        Profile::Berkembang => 75,
        Profile::Rintisan => 60,
        Profile::Bermasalah => 40,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6D61_6E61_6A65_6D65);
    let mut q = [Questionnaire::default(); 5];
    for (slot, n) in q.iter_mut().zip(ManagementAnswers::QUESTIONS) {
        let yes = (0..n).filter(|_| rng.random_range(0..100u32) < p).count();
        *slot = Questionnaire::new(n, u32::try_from(yes).unwrap_or(n));
    }
    let [umum, kelembagaan, permodalan, aktiva, likuiditas] = q;
    ManagementAnswers {
        umum,
        kelembagaan,
        permodalan,
        aktiva,
        likuiditas,
    }
}

/// Kelurahan of Kota Probolinggo (kecamatan code, name): 29, as many as the city's KKMP.
const KELURAHAN: [(u8, &str); 29] = [
    (1, "Kademangan"),
    (1, "Pilang"),
    (1, "Ketapang"),
    (1, "Triwung Kidul"),
    (1, "Triwung Lor"),
    (1, "Pohsangit Kidul"),
    (2, "Kedopok"),
    (2, "Jrebeng Wetan"),
    (2, "Jrebeng Lor"),
    (2, "Jrebeng Kulon"),
    (2, "Kareng Lor"),
    (2, "Sumber Taman"),
    (3, "Wonoasih"),
    (3, "Kedunggaleng"),
    (3, "Jrebeng Kidul"),
    (3, "Pakistaji"),
    (3, "Sumbertaman"),
    (3, "Kedungasem"),
    (4, "Mayangan"),
    (4, "Mangunharjo"),
    (4, "Jati"),
    (4, "Sukabumi"),
    (4, "Wiroborang"),
    (5, "Kanigaran"),
    (5, "Kebonsari Kulon"),
    (5, "Kebonsari Wetan"),
    (5, "Curahgrinting"),
    (5, "Tisnonegaran"),
    (5, "Sukoharjo"),
];

const GIVEN: [&str; 16] = [
    "Siti", "Budi", "Agus", "Dewi", "Sri", "Joko", "Wati", "Eko", "Nur", "Rina", "Hadi", "Yuli",
    "Slamet", "Lestari", "Bambang", "Ani",
];
const FAMILY: [&str; 12] = [
    "Rahayu",
    "Santoso",
    "Wibowo",
    "Lestari",
    "Hidayat",
    "Susanti",
    "Setiawan",
    "Handayani",
    "Kurniawan",
    "Sulistyo",
    "Pratama",
    "Maulana",
];

/// The actors of a simulated cooperative: ketua, bendahara, manajer, kasir, sekretaris.
#[derive(Debug, Clone, Copy)]
struct Staff {
    ketua: ActorId,
    bendahara: ActorId,
    manajer: ActorId,
    kasir: ActorId,
    sekretaris: ActorId,
}

impl Staff {
    fn of(index: usize) -> Staff {
        let base = (u128::try_from(index).unwrap_or(0).saturating_add(1)) << 16;
        let id = |k: u128| ActorId::from_u128(base | k);
        Staff {
            ketua: id(1),
            bendahara: id(2),
            manajer: id(3),
            kasir: id(4),
            sekretaris: id(5),
        }
    }
}

/// The code, name and village of the cooperative at `index`.
fn identity(index: usize) -> Result<(String, String, VillageCode)> {
    let (kec, name) = KELURAHAN
        .get(index.checked_rem(KELURAHAN.len()).unwrap_or(0))
        .copied()
        .unwrap_or((1, "Kademangan"));
    let round = index.checked_div(KELURAHAN.len()).unwrap_or(0);
    let serial = 1001usize
        .saturating_add(index.checked_rem(KELURAHAN.len()).unwrap_or(0))
        .saturating_add(round.saturating_mul(100));
    let village: VillageCode =
        format!("35.74.{kec:02}.{serial:04}")
            .parse()
            .map_err(|e| Error::Config {
                what: format!("village code: {e}"),
            })?;
    let display = if round == 0 {
        format!("KKMP {name}")
    } else {
        format!("KKMP {name} {}", round.saturating_add(1))
    };
    Ok((format!("KKMP-3574-{kec:02}-{serial:04}"), display, village))
}

/// Simulates one cooperative of the city (deterministic in `cfg.seed` and `index`).
///
/// # Errors
/// An [`Error`] if an operation is rejected — a bug in the simulation, since it only
/// generates valid operations.
pub fn simulate_cooperative(cfg: &SimConfig, index: usize) -> Result<SimulatedCoop> {
    let (code, name, village) = identity(index)?;
    let profile = Profile::of(index);
    let seed = cfg
        .seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(u64::try_from(index).unwrap_or(0));
    let mut sim = CoopSim::new(cfg, index, &name, village, profile, seed)?;
    sim.run_year()?;
    Ok(SimulatedCoop {
        index,
        code,
        name,
        profile,
        book: sim.book,
        management: simulated_management(profile, seed),
    })
}

/// Simulates the city: `cfg.coops` cooperatives in parallel, results in index order.
/// `progress(done, total)` is called after each cooperative (from worker threads).
///
/// # Errors
/// The first cooperative's error.
pub fn simulate_city(
    cfg: &SimConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<SimulatedCoop>> {
    let threads = if cfg.threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    } else {
        cfg.threads
    }
    .clamp(1, cfg.coops.max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<SimulatedCoop>>>> =
        Mutex::new((0..cfg.coops).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= cfg.coops {
                        break;
                    }
                    let r = simulate_cooperative(cfg, i);
                    if let Ok(mut v) = results.lock()
                        && let Some(slot) = v.get_mut(i)
                    {
                        *slot = Some(r);
                    }
                    let n = done.fetch_add(1, Ordering::Relaxed).saturating_add(1);
                    progress(n, cfg.coops);
                }
            });
        }
    });
    let v = results.into_inner().map_err(|_| Error::Internal {
        op: "simulate_city",
        what: "a worker panicked".into(),
    })?;
    v.into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(Error::Internal {
                    op: "simulate_city",
                    what: "a cooperative was not simulated".into(),
                })
            })
        })
        .collect()
}

struct SimLoan {
    id: LoanId,
    member: MemberId,
    late: bool,
    stops_after: Option<u32>,
    paid: u32,
}

struct CoopSim {
    book: Koperasi,
    rng: ChaCha8Rng,
    staff: Staff,
    year: i32,
    members: Vec<MemberId>,
    loans: Vec<SimLoan>,
    deposits: Vec<SavingsAccountId>,
    qris_static: String,
    qris_seq: u64,
    params: (u32, u32, u32, u32, u32),
    index: u128,
    n_members: usize,
}

fn rp(n: i64) -> Rupiah {
    Rupiah::from_rupiah(n)
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate> {
    Ok(koperasi::core::clamped_date(y, m, d)?)
}

/// Goods sold by the units: (unit, sku, unit cost, unit price).
const GOODS: [(BusinessUnit, &str, i64, i64); 4] = [
    (BusinessUnit::Sembako, "paket-sembako", 50_000, 57_500),
    (BusinessUnit::Sembako, "lpg-3kg", 16_000, 19_000),
    (BusinessUnit::Apotek, "obat-generik", 10_000, 13_000),
    (BusinessUnit::Sembako, "pupuk-50kg", 112_500, 120_000),
];

impl CoopSim {
    fn new(
        cfg: &SimConfig,
        index: usize,
        name: &str,
        village: VillageCode,
        profile: Profile,
        seed: u64,
    ) -> Result<CoopSim> {
        let staff = Staff::of(index);
        let founders = vec![
            (staff.ketua, Role::Chair),
            (staff.bendahara, Role::Treasurer),
            (staff.manajer, Role::Manager),
            (staff.kasir, Role::Teller),
            (staff.sekretaris, Role::Secretary),
        ];
        let idx = u128::try_from(index).unwrap_or(0).saturating_add(1);
        let coop = CooperativeId::from_u128(idx << 64);
        let opening = date(cfg.year, 1, 1)?;
        let config = BookConfig::kkmp(coop, name, village, opening, founders);
        let mut book = Koperasi::new(config)?;
        // About 28 entries of 2–3 lines per member in a year: room for them up front, so the
        // ledger's tables are not copied each time they double.
        book.reserve(cfg.members_per_coop.saturating_mul(32), 3);
        let merchant: String = format!("KKMP {}", name.trim_start_matches("KKMP "))
            .chars()
            .take(25)
            .collect();
        let qris_static = QrisBuilder::new(&merchant, "PROBOLINGGO", "5411")
            .merchant_account(
                26,
                "ID.CO.BANKMERAH.WWW",
                &format!("9360000{idx:012}"),
                &format!("KKMP{idx:04}"),
                MerchantCriteria::Umi,
            )
            .national(&format!("ID10253574{idx:05}"), MerchantCriteria::Umi)
            .build()
            .map_err(|source| Error::Qris {
                op: "simulation",
                source,
            })?;
        Ok(CoopSim {
            book,
            rng: ChaCha8Rng::seed_from_u64(seed),
            staff,
            year: cfg.year,
            members: Vec::new(),
            loans: Vec::new(),
            deposits: Vec::new(),
            qris_static,
            qris_seq: 0,
            params: profile.params(),
            index: idx,
            n_members: cfg.members_per_coop,
        })
    }

    fn run(&mut self, d: NaiveDate, actor: ActorId, op: Operation) -> Result<()> {
        self.book.run(d, actor, op).map(|_| ())
    }

    /// Balance of kas or bank.
    fn bal(&self, via: Via) -> Result<Rupiah> {
        self.book.role_balance(match via {
            Via::Bank => PostingRole::Bank,
            _ => PostingRole::Cash,
        })
    }

    /// Pays from the bank if it can, else from kas if it can; `None` if neither can.
    fn payer(&self, amount: Rupiah) -> Result<Option<Via>> {
        Ok(if self.bal(Via::Bank)? >= amount {
            Some(Via::Bank)
        } else if self.bal(Via::Cash)? >= amount {
            Some(Via::Cash)
        } else {
            None
        })
    }

    fn pct(&mut self, p: u32) -> bool {
        self.rng.random_range(0..100u32) < p
    }

    fn run_year(&mut self) -> Result<()> {
        let y = self.year;
        let s = self.staff;
        // Opening: a government grant (hibah) to the bank, a cash float.
        self.run(
            date(y, 1, 2)?,
            s.bendahara,
            Operation::Capital {
                kind: CapitalKind::Grant,
                amount: rp(150_000_000),
                via: Via::Bank,
            },
        )?;
        self.run(
            date(y, 1, 2)?,
            s.bendahara,
            Operation::Capital {
                kind: CapitalKind::Participation,
                amount: rp(20_000_000),
                via: Via::Cash,
            },
        )?;
        for month in 1..=12u32 {
            self.month(month)?;
        }
        // Year end: close, then the RAT distributes the SHU in March.
        self.run(date(y, 12, 31)?, s.ketua, Operation::CloseYear { year: y })?;
        self.run(
            date(y.saturating_add(1), 3, 20)?,
            s.ketua,
            Operation::DistributeShu {
                year: y,
                payout: ShuPayout::Payable,
            },
        )?;
        self.settle_shu(date(y.saturating_add(1), 3, 25)?)?;
        Ok(())
    }

    /// After the RAT: the members' SHU paid out (in cash, from the bank or into sukarela, by
    /// the member's choice) and the desa/kelurahan share transferred to the village treasury.
    fn settle_shu(&mut self, day: NaiveDate) -> Result<()> {
        let s = self.staff;
        let owed_all = self.book.member_payables()?;
        let members = self.members.clone();
        for (k, m) in members.into_iter().enumerate() {
            let payable = Payable::MemberShu { member: m };
            let Some(&owed) = owed_all.get(&payable) else {
                continue;
            };
            if !owed.is_positive() {
                continue;
            }
            let sukarela_open = self
                .book
                .member_accounts(m)
                .is_some_and(|a| !a.sukarela.is_closed());
            let route = match k % 3 {
                0 if self.bal(Via::Cash)? >= owed => PayoutRoute::Cash,
                1 if sukarela_open => PayoutRoute::Voluntary,
                _ if self.bal(Via::Bank)? >= owed => PayoutRoute::Bank,
                _ if sukarela_open => PayoutRoute::Voluntary,
                _ => continue,
            };
            self.run(
                day,
                s.kasir,
                Operation::PayPayable {
                    payable,
                    amount: owed,
                    route,
                },
            )?;
        }
        let desa = self.book.owed(Payable::VillageShare)?;
        if desa.is_positive()
            && let Some(via) = self.payer(desa)?
        {
            self.run(
                day,
                s.bendahara,
                Operation::PayPayable {
                    payable: Payable::VillageShare,
                    amount: desa,
                    route: match via {
                        Via::Bank => PayoutRoute::Bank,
                        _ => PayoutRoute::Cash,
                    },
                },
            )?;
        }
        Ok(())
    }

    fn register_members(&mut self, month: u32) -> Result<()> {
        let y = self.year;
        let s = self.staff;
        // A third of the members register in each of the first three months.
        let per = self.n_members.div_ceil(3);
        let from = per
            .saturating_mul(usize::try_from(month.saturating_sub(1)).unwrap_or(0))
            .min(self.n_members);
        let to = from.saturating_add(per).min(self.n_members);
        for i in from..to {
            let n = u128::try_from(i).unwrap_or(0).saturating_add(1);
            let id = MemberId::from_u128((self.index << 64) | n);
            let female = self.pct(50);
            let by = self.rng.random_range(1960..2004i32);
            let bm = self.rng.random_range(1..=12u32);
            let bd = self.rng.random_range(1..=28u32);
            let dd = if female { bd.saturating_add(40) } else { bd };
            let kec = self.book.config().village.to_string();
            let kec = kec.get(6..8).unwrap_or("01").to_owned();
            let nik = format!(
                "3574{kec}{dd:02}{bm:02}{:02}{:04}",
                by.rem_euclid(100),
                i.saturating_add(1) % 10_000
            );
            let given = GIVEN
                .get(self.rng.random_range(0..GIVEN.len()))
                .copied()
                .unwrap_or("Siti");
            let family = FAMILY
                .get(self.rng.random_range(0..FAMILY.len()))
                .copied()
                .unwrap_or("Rahayu");
            // Registration days 2–11, in member order (operations are applied in date order).
            let span = to.saturating_sub(from).max(1);
            let day = 2u32.saturating_add(
                u32::try_from(
                    i.saturating_sub(from)
                        .saturating_mul(10)
                        .checked_div(span)
                        .unwrap_or(0),
                )
                .unwrap_or(0),
            );
            let reg = date(y, month, day)?;
            self.run(
                reg,
                s.sekretaris,
                Operation::RegisterMember {
                    member: id,
                    nik,
                    name: format!("{given} {family}"),
                    birth_date: date(by, bm, bd)?,
                    domicile: None,
                    gender: None,
                    associate: false,
                },
            )?;
            // 4% never pay simpanan pokok and stay calon anggota.
            if !self.pct(4) {
                self.run(
                    reg,
                    s.kasir,
                    Operation::PayPrincipalSavings {
                        member: id,
                        via: Via::Cash,
                    },
                )?;
                self.members.push(id);
            }
        }
        Ok(())
    }

    fn active(&self, m: MemberId) -> bool {
        self.book
            .registry()
            .get(m)
            .is_some_and(|x| x.status() == koperasi::membership::MemberStatus::Member)
    }

    fn month(&mut self, month: u32) -> Result<()> {
        let y = self.year;
        let s = self.staff;
        let (wajib_pct, loan_permille, late_pct, default_pct, trade) = self.params;
        let first = date(y, month, 1)?;
        if month <= 3 {
            // Registration runs through the first days; do it before the month's trade.
            self.register_members(month)?;
        }
        let d = |day: u32| date(y, month, day);
        // Order within the month (operations are applied in date order): registration
        // (2–11, first quarter), Himbara installment (12), savings (21), loans (22; disbursed
        // on the 22nd, so due on the 22nd), Himbara drawdown (23, February), trade (24–27),
        // expenses, QRIS settlement, exits, write-offs (28), month-end (last day).
        // Himbara installment on the 12th (PMK 49/2025), from March on.
        let day12 = d(12)?;
        if let Some(h) = self.book.himbara()
            && h.status() == LoanStatus::Active
        {
            {
                let due = h.due_as_of(day12).map_err(sl("simulation"))?;
                let amount = Rupiah::try_sum([due.principal, due.interest, due.penalty, due.fee])?;
                if amount.is_positive() && self.bal(Via::Bank)? >= amount {
                    self.run(day12, s.bendahara, Operation::HimbaraInstallment { amount })?;
                }
            }
        }
        let day_savings = d(21)?;
        // 1. Savings.
        let members = self.members.clone();
        let wajib = self.book.config().wajib;
        for &m in &members {
            if !self.active(m) {
                continue;
            }
            if self.pct(wajib_pct) {
                self.run(
                    day_savings,
                    s.kasir,
                    Operation::Deposit {
                        member: m,
                        kind: SavingsKind::Mandatory,
                        amount: wajib,
                        via: Via::Cash,
                    },
                )?;
            }
            if self.pct(25) {
                let amount = rp(self.rng.random_range(2..=50i64).saturating_mul(10_000));
                self.run(
                    day_savings,
                    s.kasir,
                    Operation::Deposit {
                        member: m,
                        kind: SavingsKind::Voluntary,
                        amount,
                        via: Via::Cash,
                    },
                )?;
            } else if self.pct(8) {
                let bal = self.book.savings_balance(m, SavingsKind::Voluntary)?;
                let half = bal
                    .to_sen()
                    .checked_div(200_000)
                    .unwrap_or(0)
                    .saturating_mul(1000);
                if half > 0 && self.bal(Via::Cash)? >= rp(i64::try_from(half).unwrap_or(0)) {
                    let amount = rp(i64::try_from(half).unwrap_or(0));
                    self.run(
                        day_savings,
                        s.kasir,
                        Operation::Withdraw {
                            member: m,
                            amount,
                            via: Via::Cash,
                        },
                    )?;
                }
            }
        }
        if month == 3 {
            for k in 0..self.n_members / 40 {
                let Some(&m) =
                    members.get(k.saturating_mul(7).checked_rem(members.len()).unwrap_or(0))
                else {
                    continue;
                };
                if !self.active(m) {
                    continue;
                }
                let acc = SavingsAccountId::from_u128(
                    (self.index << 64) | (1 << 40) | u128::try_from(k).unwrap_or(0),
                );
                let amount = rp(self.rng.random_range(1..=10i64).saturating_mul(1_000_000));
                self.run(
                    day_savings,
                    s.kasir,
                    Operation::OpenTimeDeposit {
                        account: acc,
                        member: m,
                        amount,
                        term_months: 6,
                        annual_percent: Decimal::from(5),
                        via: Via::Cash,
                    },
                )?;
                self.deposits.push(acc);
            }
        }
        if month == 9 {
            for acc in self.deposits.clone() {
                let owed = self
                    .book
                    .time_deposits()
                    .find(|(id, _, _)| *id == acc)
                    .map(|(_, _, a)| a.balance());
                let Some(owed) = owed else { continue };
                // Principal and interest (at most 5% of it): paid from wherever the money is.
                let need = owed.checked_add(owed.mul_div(
                    Decimal::from(5),
                    Decimal::from(100),
                    koperasi::core::RoundingPolicy::WHOLE_RUPIAH,
                )?)?;
                if let Some(via) = self.payer(need)? {
                    self.run(
                        day_savings,
                        s.kasir,
                        Operation::WithdrawTimeDeposit { account: acc, via },
                    )?;
                }
            }
        }
        // 2. Loans: repayments due on the 22nd, then new loans.
        let day_loans = d(22)?;
        self.repayments(day_loans, first)?;
        if (2..=10).contains(&month) {
            let new = self
                .n_members
                .saturating_mul(usize::try_from(loan_permille).unwrap_or(0))
                / 1000;
            for _ in 0..new {
                let Some(&m) = members.get(self.rng.random_range(0..members.len().max(1))) else {
                    continue;
                };
                if !self.active(m) || self.loans.iter().any(|l| l.member == m) {
                    continue;
                }
                let n = u128::try_from(self.loans.len())
                    .unwrap_or(0)
                    .saturating_add(1);
                let id = LoanId::from_u128((self.index << 64) | n);
                let principal = rp(self.rng.random_range(1..=15i64).saturating_mul(1_000_000));
                let installments = [6u32, 10, 12, 18]
                    .get(self.rng.random_range(0..4usize))
                    .copied()
                    .unwrap_or(12);
                // The unit lends only what the bank holds (keeping a small buffer).
                if self.bal(Via::Bank)? < principal.checked_add(rp(5_000_000))? {
                    continue;
                }
                let terms = LoanTerms::new(
                    principal,
                    Rate::per_month(Decimal::ONE)?,
                    installments,
                    Method::Flat,
                    day_loans,
                );
                self.run(
                    day_loans,
                    s.kasir,
                    Operation::ApplyLoan {
                        loan: id,
                        member: m,
                        terms,
                    },
                )?;
                let made =
                    self.book
                        .run(day_loans, s.manajer, Operation::ApproveLoan { loan: id })?;
                if let Some(request) = made.request {
                    self.run(day_loans, s.ketua, Operation::Approve { request })?;
                }
                self.run(
                    day_loans,
                    s.bendahara,
                    Operation::DisburseLoan {
                        loan: id,
                        via: Via::Bank,
                    },
                )?;
                let late = self.pct(late_pct);
                let stops_after = if self.pct(default_pct) {
                    Some(self.rng.random_range(0..3u32))
                } else {
                    None
                };
                self.loans.push(SimLoan {
                    id,
                    member: m,
                    late,
                    stops_after,
                    paid: 0,
                });
            }
        }
        // 3. Himbara: drawdown in February, assets bought with it.
        let day_him = d(23)?;
        if month == 2 && trade >= 2 {
            let principal = rp(i64::from(trade).saturating_mul(250_000_000));
            self.run(
                day_him,
                s.ketua,
                Operation::HimbaraDrawdown {
                    principal,
                    operational: rp(200_000_000),
                    tenor_months: 60,
                    grace_months: 6,
                },
            )?;
            let gerai = rp(i64::from(trade).saturating_mul(100_000_000));
            for (account, amount, memo) in [
                (kkmp::GEDUNG, gerai, "Pembangunan gerai"),
                (kkmp::GUDANG, rp(100_000_000), "Cold storage"),
            ] {
                if self.bal(Via::Bank)? >= amount {
                    self.run(
                        day_him,
                        s.bendahara,
                        Operation::AcquireAsset {
                            account: account.into(),
                            amount,
                            via: Via::Bank,
                            memo: memo.into(),
                        },
                    )?;
                }
            }
        }
        // 4. Trade: stock in, then sales to members and non-members, some by QRIS.
        self.trade(month, trade, &members)?;
        // 5. Expenses and QRIS settlement on the 28th.
        let day28 = d(28)?;
        let t = i64::from(trade);
        for (account, amount, memo) in [
            (
                kkmp::BEBAN_GAJI,
                3_000_000i64.saturating_mul(t),
                "Gaji karyawan",
            ),
            (
                kkmp::BEBAN_UTILITAS,
                400_000i64.saturating_mul(t),
                "Listrik, air, telepon",
            ),
            (kkmp::BEBAN_ADMINISTRASI, 350_000, "Administrasi dan umum"),
        ] {
            if let Some(via) = self.payer(rp(amount))? {
                self.run(
                    day28,
                    s.bendahara,
                    Operation::Expense {
                        account: account.into(),
                        amount: rp(amount),
                        unit: None,
                        via,
                        memo: memo.into(),
                    },
                )?;
            }
        }
        if month == 3
            && let Some(via) = self.payer(rp(5_000_000))?
        {
            {
                self.run(
                    day28,
                    s.bendahara,
                    Operation::Expense {
                        account: kkmp::BEBAN_RAT.into(),
                        amount: rp(5_000_000),
                        unit: None,
                        via,
                        memo: "Rapat Anggota Tahunan".into(),
                    },
                )?;
            }
        }
        // A correction (koreksi): in June the utility bill is entered twice; the duplicate is
        // reversed by the bendahara and the reversal completed by the ketua (two persons).
        if month == 6
            && let Some(via) = self.payer(rp(400_000))?
        {
            self.run(
                day28,
                s.bendahara,
                Operation::Expense {
                    account: kkmp::BEBAN_UTILITAS.into(),
                    amount: rp(400_000),
                    unit: None,
                    via,
                    memo: "Listrik, air, telepon".into(),
                },
            )?;
            let duplicate = self.book.events().len().saturating_sub(1);
            let made = self.book.run(
                day28,
                s.bendahara,
                Operation::Reverse {
                    target: ReversalTarget::Event(duplicate),
                    reason: "tagihan listrik tercatat dua kali".into(),
                },
            )?;
            if let Some(request) = made.request {
                self.run(day28, s.ketua, Operation::Approve { request })?;
            }
        }
        let refs: Vec<String> = self.book.pending_qris().keys().cloned().collect();
        if !refs.is_empty() {
            let gross = Rupiah::try_sum(self.book.pending_qris().values().map(|p| p.amount))?;
            // MDR 0,3% (usaha mikro), rounded to the rupiah.
            let fee = gross.mul_div(
                Decimal::from(3),
                Decimal::from(1000),
                koperasi::core::RoundingPolicy::WHOLE_RUPIAH,
            )?;
            self.run(
                day28,
                s.bendahara,
                Operation::SettleQris {
                    references: refs,
                    fee,
                },
            )?;
        }
        // 6. Exits: about 1% of members a quarter.
        if month.is_multiple_of(3) {
            for _ in 0..(self.n_members / 100).max(1) {
                let Some(&m) = members.get(self.rng.random_range(0..members.len().max(1))) else {
                    continue;
                };
                if self.active(m)
                    && !self
                        .book
                        .time_deposits()
                        .any(|(_, x, a)| x == m && !a.is_closed())
                {
                    self.run(
                        day28,
                        s.sekretaris,
                        Operation::MemberExit {
                            member: m,
                            reason: "pindah domisili".into(),
                        },
                    )?;
                }
            }
        }
        // A dismissal (pemberhentian) in September, standing for a decision of the pengurus:
        // the first active anggota without a loan or a time deposit is dismissed.
        if month == 9
            && let Some(&m) = members.iter().find(|&&m| {
                self.active(m)
                    && !self.book.loans().values().any(|l| l.member == m)
                    && !self
                        .book
                        .time_deposits()
                        .any(|(_, x, a)| x == m && !a.is_closed())
            })
        {
            self.run(
                day28,
                s.sekretaris,
                Operation::DismissMember {
                    member: m,
                    reason: "tidak memenuhi kewajiban anggota (AD/ART)".into(),
                },
            )?;
        }
        // 7. Write-offs in December of loans classified Macet, a recovery on one.
        if month == 12 {
            let ids: Vec<LoanId> = self
                .book
                .loans()
                .iter()
                .filter(|(_, l)| {
                    l.class == Collectibility::Loss && l.loan.status() == LoanStatus::Active
                })
                .map(|(id, _)| *id)
                .collect();
            for (k, id) in ids.iter().enumerate() {
                let made = self
                    .book
                    .run(day28, s.ketua, Operation::WriteOffLoan { loan: *id })?;
                if let Some(request) = made.request {
                    self.run(day28, s.bendahara, Operation::Approve { request })?;
                }
                if k == 0 {
                    self.run(
                        day28,
                        s.kasir,
                        Operation::RecoverLoan {
                            loan: *id,
                            amount: rp(250_000),
                            via: Via::Cash,
                        },
                    )?;
                }
            }
        }
        let last = koperasi::core::month_end(y, month)?;
        self.run(last, s.bendahara, Operation::MonthEnd)?;
        Ok(())
    }

    fn repayments(&mut self, day: NaiveDate, _first: NaiveDate) -> Result<()> {
        let s = self.staff;
        let month_start = date(day.year(), day.month(), 1)?;
        for k in 0..self.loans.len() {
            let Some(l) = self.loans.get(k) else { continue };
            let (id, late, stops, paid) = (l.id, l.late, l.stops_after, l.paid);
            let Some(acct) = self.book.loans().get(&id) else {
                continue;
            };
            if acct.loan.status() != LoanStatus::Active || stops.is_some_and(|n| paid >= n) {
                continue;
            }
            // Late payers pay last month's installment now; on-time payers what is due today.
            let as_of = if late { month_start } else { day };
            let due = acct.loan.due_as_of(as_of).map_err(sl("simulation"))?;
            let mut amount = Rupiah::try_sum([due.principal, due.interest, due.penalty, due.fee])?;
            if late {
                // …plus the penalties charged for paying late.
                let owed = acct.loan.payoff_amount(day).map_err(sl("simulation"))?;
                let extra = rp(20_000);
                amount = amount.checked_add(extra)?.min(owed);
            }
            if amount.is_positive() {
                self.run(
                    day,
                    s.kasir,
                    Operation::RepayLoan {
                        loan: id,
                        amount,
                        via: Via::Cash,
                    },
                )?;
                if let Some(l) = self.loans.get_mut(k) {
                    l.paid = l.paid.saturating_add(1);
                }
            }
        }
        Ok(())
    }

    fn trade(&mut self, month: u32, trade: u32, members: &[MemberId]) -> Result<()> {
        let y = self.year;
        let s = self.staff;
        let day_stock = date(y, month, 24)?;
        let t = u64::from(trade);
        let n = u64::try_from(self.n_members).unwrap_or(0);
        // Plan the month's quantities, buy them (plus a small buffer), then sell.
        let mut plan: Vec<(usize, u64, Buyer, bool)> = Vec::new();
        for &m in members {
            if self.active(m) && self.pct(20_u32.saturating_mul(trade).min(90)) {
                let g = self.rng.random_range(0..GOODS.len());
                let q = self.rng.random_range(2..=8u64);
                let qris = self.pct(15);
                plan.push((g, q, Buyer::Member(m), qris));
            }
        }
        for _ in 0..(n / 10).saturating_mul(t) {
            let g = self.rng.random_range(0..GOODS.len());
            let q = self.rng.random_range(2..=6u64);
            let qris = self.pct(25);
            plan.push((g, q, Buyer::NonMember, qris));
        }
        // Kas above Rp20 juta goes to the bank.
        let cash = self.bal(Via::Cash)?;
        if cash > rp(20_000_000) {
            let amount = cash.checked_sub(rp(10_000_000))?;
            self.run(
                day_stock,
                s.bendahara,
                Operation::Transfer {
                    from: Via::Cash,
                    to: Via::Bank,
                    amount,
                },
            )?;
        }
        for (g, (unit, sku, cost, _)) in GOODS.iter().enumerate() {
            let need: u64 = plan
                .iter()
                .filter(|p| p.0 == g)
                .map(|p| p.1)
                .sum::<u64>()
                .saturating_add(5);
            let have = self
                .book
                .stock()
                .get(&(*unit, (*sku).to_owned()))
                .map_or(0, |x| x.quantity);
            if need > have {
                let q = need.saturating_sub(have);
                let total = rp(cost.saturating_mul(i64::try_from(q).unwrap_or(0)));
                let payment = if g == 0 || self.bal(Via::Bank)? < total {
                    PurchasePayment::OnCredit
                } else {
                    PurchasePayment::Paid(Via::Bank)
                };
                self.run(
                    day_stock,
                    s.manajer,
                    Operation::Purchase {
                        unit: *unit,
                        sku: (*sku).into(),
                        quantity: q,
                        cost: total,
                        payment,
                    },
                )?;
            }
        }
        let day_sales = date(y, month, 26)?;
        for (g, q, buyer, qris) in plan {
            let Some((unit, sku, _, price)) = GOODS.get(g).copied() else {
                continue;
            };
            let total = rp(price.saturating_mul(i64::try_from(q).unwrap_or(0)));
            let item = Item::Goods {
                sku: sku.into(),
                quantity: q,
            };
            self.sale(day_sales, unit, item, total, buyer, qris)?;
        }
        // Services: klinik, pergudangan, logistik, kantor (agen layanan).
        let services = [
            (BusinessUnit::Klinik, 50_000i64, 10u64),
            (BusinessUnit::Pergudangan, 1_500_000, 2),
            (BusinessUnit::Logistik, 500_000, 4),
            (BusinessUnit::KantorKoperasi, 25_000, 10),
        ];
        for (unit, price, per) in services {
            for _ in 0..per.saturating_mul(t) {
                let buyer = match members.get(self.rng.random_range(0..members.len().max(1))) {
                    Some(&m) if self.active(m) && self.pct(60) => Buyer::Member(m),
                    _ => Buyer::NonMember,
                };
                self.sale(day_sales, unit, Item::Service, rp(price), buyer, false)?;
            }
        }
        // Pay the sembako supplier at month end.
        let payable = self
            .book
            .role_balance(PostingRole::TradePayable)?
            .min(self.bal(Via::Bank)?.checked_sub(rp(1_000_000))?);
        if payable.is_positive() {
            self.run(
                date(y, month, 27)?,
                s.bendahara,
                Operation::PaySupplier {
                    amount: payable,
                    via: Via::Bank,
                },
            )?;
        }
        Ok(())
    }

    fn sale(
        &mut self,
        d: NaiveDate,
        unit: BusinessUnit,
        item: Item,
        price: Rupiah,
        buyer: Buyer,
        qris: bool,
    ) -> Result<()> {
        let actor = self.staff.kasir;
        if qris {
            self.qris_seq = self.qris_seq.saturating_add(1);
            let reference = format!("K{:03}-{:08}", self.index, self.qris_seq);
            let q = Qris::parse(&self.qris_static).map_err(|source| Error::Qris {
                op: "simulation",
                source,
            })?;
            let amount =
                Amount::from_decimal(price.to_decimal()).map_err(|source| Error::Qris {
                    op: "simulation",
                    source,
                })?;
            let payload = q
                .to_dynamic_with_reference(&amount, None, &reference)
                .map_err(|source| Error::Qris {
                    op: "simulation",
                    source,
                })?;
            self.run(
                d,
                actor,
                Operation::QrisSale {
                    unit,
                    item,
                    buyer,
                    payload,
                },
            )
        } else {
            self.run(
                d,
                actor,
                Operation::Sale {
                    unit,
                    item,
                    price,
                    buyer,
                    via: Via::Cash,
                },
            )
        }
    }
}

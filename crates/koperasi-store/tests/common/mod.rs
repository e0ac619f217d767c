//! Test helpers: the same suite against SQLite (always) and PostgreSQL (when
//! `KOPERASI_TEST_PG_URL` is set; otherwise skipped with a printed notice).
#![allow(dead_code)]

use std::path::PathBuf;

use koperasi_store::{Options, Store};

/// One backend for a test.
pub struct Db {
    pub name: &'static str,
    pub url: String,
    dir: Option<PathBuf>,
}

impl Db {
    pub fn open(&self) -> Store {
        Store::open(&self.url).unwrap()
    }
    pub fn open_with(&self, o: Options) -> Store {
        Store::open_with(&self.url, o).unwrap()
    }
    /// Removes the test's SQLite directory or drops its PostgreSQL database (also done on
    /// drop, so a failing test leaves nothing behind).
    pub fn cleanup(&self) {
        if let Some(d) = &self.dir {
            let _ = std::fs::remove_dir_all(d);
        }
        if self.dir.is_none() {
            drop_pg_database(&self.url);
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        self.cleanup();
    }
}

/// Drops the PostgreSQL database a URL names (through the cluster URL), terminating the
/// connections still open to it. Nothing happens without `KOPERASI_TEST_PG_URL`.
pub fn drop_pg_database(url: &str) {
    let Some(base) = pg_url() else { return };
    let name = url
        .rsplit('/')
        .next()
        .unwrap_or("")
        .split('?')
        .next()
        .unwrap_or("");
    // Only the databases the tests create (`t_…`), never the cluster's own.
    if !name.starts_with("t_") {
        return;
    }
    if let Ok(mut c) = postgres::Client::connect(&base, postgres::NoTls) {
        let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

/// A PostgreSQL database created for one test, dropped when this guard is dropped.
pub struct PgDatabase {
    pub url: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        drop_pg_database(&self.url);
    }
}

/// [`pg_database`] with a guard that drops the database at the end of the test.
pub fn pg_database_guard(test: &str) -> Option<PgDatabase> {
    pg_database(test).map(|url| PgDatabase { url })
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A number unique within this test process.
pub fn next_n() -> u64 {
    COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A fresh temporary directory.
pub fn temp_dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "koperasi-store-{test}-{}-{}",
        std::process::id(),
        next_n()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The PostgreSQL URL of the test cluster, if any.
pub fn pg_url() -> Option<String> {
    match std::env::var("KOPERASI_TEST_PG_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => None,
    }
}

/// A fresh PostgreSQL database for one test (created through the cluster URL).
pub fn pg_database(test: &str) -> Option<String> {
    let base = pg_url()?;
    let name = format!(
        "t_{}_{}_{}",
        test.replace('-', "_"),
        std::process::id(),
        next_n()
    );
    let mut c = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    Some(with_dbname(&base, &name))
}

/// `base` with its database replaced by `name` (URL form `postgres://…/db?…`).
pub fn with_dbname(base: &str, name: &str) -> String {
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (base, None),
    };
    let rest = head.split_once("://").map_or(head, |(_, r)| r);
    let prefix_len = head.len() - rest.len();
    let host_part = rest.split('/').next().unwrap_or(rest);
    let mut url = format!("{}{}/{}", &head[..prefix_len], host_part, name);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

/// SQLite always; PostgreSQL when configured (a notice is printed otherwise).
pub fn backends(test: &str) -> Vec<Db> {
    let dir = temp_dir(test);
    let mut v = vec![Db {
        name: "sqlite",
        url: dir.join("koperasi.db").to_string_lossy().into_owned(),
        dir: Some(dir),
    }];
    match pg_database(test) {
        Some(url) => v.push(Db {
            name: "postgres",
            url,
            dir: None,
        }),
        None => eprintln!(
            "notice: KOPERASI_TEST_PG_URL is not set; the PostgreSQL run of `{test}` is skipped"
        ),
    }
    v
}

use koperasi::core::chrono::NaiveDate;
use koperasi::core::{ActorId, CooperativeId, MemberId, Rupiah};
use koperasi::membership::Role;
use koperasi::savings_loans::SavingsKind;
use koperasi::{BookConfig, CapitalKind, Event, Operation, Via};

pub const KETUA: ActorId = ActorId::from_u128(1);
pub const BENDAHARA: ActorId = ActorId::from_u128(2);
pub const KASIR: ActorId = ActorId::from_u128(3);

pub fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

/// A small KKMP configuration.
pub fn config(n: u128) -> BookConfig {
    BookConfig::kkmp(
        CooperativeId::from_u128(1000 + n),
        format!("KKMP Uji {n}"),
        "35.74.04.1002".parse().unwrap(),
        d(1, 1),
        vec![
            (KETUA, Role::Chair),
            (BENDAHARA, Role::Treasurer),
            (KASIR, Role::Teller),
        ],
    )
}

/// Member `i` of a test cooperative.
pub fn member(i: u32) -> MemberId {
    MemberId::from_u128(10_000 + u128::from(i))
}

/// The events that open member `i`: registration and simpanan pokok.
pub fn join(i: u32) -> Vec<Event> {
    let day = 1 + (i % 28);
    let nik = format!("357404{:02}0690{:04}", day, i + 1);
    vec![
        Event::new(
            d(1, 5),
            KETUA,
            Operation::RegisterMember {
                member: member(i),
                nik,
                name: format!("Anggota {i}"),
                birth_date: NaiveDate::from_ymd_opt(1990, 6, day).unwrap(),
                domicile: None,
                gender: None,
                associate: false,
            },
        ),
        Event::new(
            d(1, 5),
            KASIR,
            Operation::PayPrincipalSavings {
                member: member(i),
                via: Via::Cash,
            },
        ),
    ]
}

/// A two-line operation: a simpanan sukarela deposit of `rupiah` by member `i`.
pub fn deposit(i: u32, rupiah: i64) -> Event {
    Event::new(
        d(2, 1),
        KASIR,
        Operation::Deposit {
            member: member(i),
            kind: SavingsKind::Voluntary,
            amount: Rupiah::from_rupiah(rupiah),
            via: Via::Cash,
        },
    )
}

/// A grant to the cooperative's bank account.
pub fn grant(rupiah: i64) -> Event {
    Event::new(
        d(1, 2),
        BENDAHARA,
        Operation::Capital {
            kind: CapitalKind::Grant,
            amount: Rupiah::from_rupiah(rupiah),
            via: Via::Bank,
        },
    )
}

/// A tiny deterministic generator (xorshift64*), for test choices only.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

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
    pub fn cleanup(&self) {
        if let Some(d) = &self.dir {
            let _ = std::fs::remove_dir_all(d);
        }
    }
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

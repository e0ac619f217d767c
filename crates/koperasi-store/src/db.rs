//! One small connection type over both backends: SQL is written once with `$1`-style
//! placeholders, values are [`Value`]s, and rows come back as `Vec<Value>`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Backend, Error, Result};

/// A value bound to or read from a statement. NULLs are only used for text columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

impl Value {
    pub(crate) fn opt_text(s: Option<String>) -> Value {
        s.map_or(Value::Null, Value::Text)
    }
}

/// A row of a query result.
pub(crate) type Row = Vec<Value>;

/// Where a store lives.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Sqlite {
        path: PathBuf,
        max_page_count: Option<u64>,
    },
    Postgres {
        url: String,
    },
}

impl Target {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Target::Sqlite { .. } => Backend::Sqlite,
            Target::Postgres { .. } => Backend::Postgres,
        }
    }
}

/// The `wal_autocheckpoint` every SQLite connection opens with (pages of 4 KiB).
pub(crate) const WAL_AUTOCHECKPOINT: u32 = 8192;

/// A connection to either backend.
#[allow(clippy::large_enum_variant)] // one per pooled connection; boxing buys nothing
pub(crate) enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres {
        client: postgres::Client,
        statements: HashMap<String, postgres::Statement>,
    },
}

impl core::fmt::Debug for Conn {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Conn::Sqlite(_) => "Conn::Sqlite",
            Conn::Postgres { .. } => "Conn::Postgres",
        })
    }
}

/// `$1` → `?1` for SQLite (both are positional there, but `?N` binds by number).
fn sqlite_sql(sql: &str) -> String {
    let mut bytes = sql.as_bytes().to_vec();
    let mut i = 0;
    while let Some(off) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|b| *b == b'$'))
    {
        i = i.saturating_add(off);
        if bytes
            .get(i.saturating_add(1))
            .is_some_and(u8::is_ascii_digit)
            && let Some(b) = bytes.get_mut(i)
        {
            *b = b'?';
        }
        i = i.saturating_add(1);
    }
    // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|_| sql.to_owned())
}

fn sqlite_open(path: &Path, max_page_count: Option<u64>) -> Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // Durable settings only: WAL with a full fsync at every commit.
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Database {
            backend: Backend::Sqlite,
            message: format!(
                "{}: cannot switch to WAL (journal_mode is {mode})",
                path.display()
            ),
        });
    }
    conn.execute_batch(
        // A 64 MiB page cache (allocated as used): the write path touches many index pages.
        // Checkpoint the WAL into the database every 8,192 pages (32 MiB) instead of 1,000:
        // index pages rewritten by many commits are copied back once (durability is the
        // WAL's fsync at every commit either way).
        "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA recursive_triggers=ON; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=8192;",
    )?;
    debug_assert_eq!(WAL_AUTOCHECKPOINT, 8192);
    if let Some(pages) = max_page_count {
        conn.query_row(&format!("PRAGMA max_page_count={pages}"), [], |_| Ok(()))?;
    }
    conn.set_prepared_statement_cache_capacity(512);
    // Keep each cached statement's query plan across runs (the query planner stability
    // guarantee): without it SQLite re-prepares every statement whose WHERE binds a
    // parameter, at each run — 11 % of a single commit's CPU and most of a balance lookup
    // (docs/performance.md, "koperasi-store beside doubleentry"). No plan here depends on a
    // bound value (no ANALYZE statistics, no LIKE), so nothing is lost.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(conn)
}

impl Conn {
    pub(crate) fn open(target: &Target) -> Result<Conn> {
        match target {
            Target::Sqlite {
                path,
                max_page_count,
            } => Ok(Conn::Sqlite(sqlite_open(path, *max_page_count)?)),
            Target::Postgres { url } => {
                let client = postgres::Client::connect(url, postgres::NoTls)?;
                Ok(Conn::Postgres {
                    client,
                    statements: HashMap::new(),
                })
            }
        }
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Whether the connection can be reused (a PostgreSQL connection may have been closed).
    pub(crate) fn is_healthy(&self) -> bool {
        match self {
            Conn::Sqlite(c) => c.is_autocommit(),
            Conn::Postgres { client, .. } => !client.is_closed(),
        }
    }

    /// Runs several statements without parameters.
    pub(crate) fn batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Postgres { client, .. } => Ok(client.batch_execute(sql)?),
        }
    }

    /// Executes one statement; the number of rows changed.
    pub(crate) fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare_cached(&sqlite_sql(sql))?;
                let n = st.execute(rusqlite::params_from_iter(params.iter()))?;
                Ok(u64::try_from(n).unwrap_or(u64::MAX))
            }
            Conn::Postgres { client, statements } => {
                let st = pg_prepare(client, statements, sql)?;
                let boxed = pg_params(params);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    boxed.iter().map(|b| &**b as _).collect();
                Ok(client.execute(&st, &refs)?)
            }
        }
    }

    /// Executes one statement once per row of parameters (SQLite: prepared once, bound by
    /// reference; PostgreSQL: prepared once, one round trip per row).
    pub(crate) fn execute_each(&mut self, sql: &str, rows: &[Vec<Value>]) -> Result<()> {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare_cached(&sqlite_sql(sql))?;
                for params in rows {
                    st.execute(rusqlite::params_from_iter(params.iter()))?;
                }
                Ok(())
            }
            Conn::Postgres { .. } => {
                for params in rows {
                    self.execute(sql, params)?;
                }
                Ok(())
            }
        }
    }

    /// Runs a query and returns every row.
    pub(crate) fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare_cached(&sqlite_sql(sql))?;
                let n = st.column_count();
                let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut row = Vec::with_capacity(n);
                    for i in 0..n {
                        row.push(sqlite_value(r.get_ref(i)?));
                    }
                    out.push(row);
                }
                Ok(out)
            }
            Conn::Postgres { client, statements } => {
                let st = pg_prepare(client, statements, sql)?;
                let boxed = pg_params(params);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    boxed.iter().map(|b| &**b as _).collect();
                let rows = client.query(&st, &refs)?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    /// Begins a write transaction. SQLite: `BEGIN IMMEDIATE` (the file's write lock now).
    /// PostgreSQL: `BEGIN` and a transaction-scoped advisory lock per key, taken in the
    /// order given (callers sort them), so writers on different cooperatives never wait.
    pub(crate) fn begin_write(&mut self, lock_keys: &[i64]) -> Result<()> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch("BEGIN IMMEDIATE")?),
            Conn::Postgres { .. } => {
                self.batch("BEGIN")?;
                for k in lock_keys {
                    if let Err(e) =
                        self.query("SELECT pg_advisory_xact_lock($1)", &[Value::Int(*k)])
                    {
                        self.rollback();
                        return Err(e);
                    }
                }
                Ok(())
            }
        }
    }

    /// Begins a read transaction (a consistent snapshot for several queries).
    pub(crate) fn begin_read(&mut self) -> Result<()> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch("BEGIN")?),
            Conn::Postgres { .. } => {
                self.batch("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            }
        }
    }

    pub(crate) fn commit(&mut self) -> Result<()> {
        self.batch("COMMIT")
    }

    /// Rolls back, ignoring errors (the transaction is gone either way: a lost connection or
    /// a failed statement leaves nothing committed).
    pub(crate) fn rollback(&mut self) {
        match self {
            Conn::Sqlite(c) => {
                if !c.is_autocommit() {
                    let _ = c.execute_batch("ROLLBACK");
                }
            }
            Conn::Postgres { client, .. } => {
                if !client.is_closed() {
                    let _ = client.batch_execute("ROLLBACK");
                }
            }
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        // No REAL columns exist; a REAL read back is kept as its text (and then refused by
        // the typed readers).
        ValueRef::Real(f) => Value::Text(f.to_string()),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    }
}

fn pg_prepare(
    client: &mut postgres::Client,
    statements: &mut HashMap<String, postgres::Statement>,
    sql: &str,
) -> Result<postgres::Statement> {
    if let Some(st) = statements.get(sql) {
        return Ok(st.clone());
    }
    let st = client.prepare(sql)?;
    statements.insert(sql.to_owned(), st.clone());
    Ok(st)
}

fn pg_params(params: &[Value]) -> Vec<Box<dyn postgres::types::ToSql + Sync>> {
    params
        .iter()
        .map(|v| -> Box<dyn postgres::types::ToSql + Sync> {
            match v {
                Value::Null => Box::new(Option::<String>::None),
                Value::Int(i) => Box::new(*i),
                Value::Text(s) => Box::new(s.clone()),
                Value::Bytes(b) => Box::new(b.clone()),
            }
        })
        .collect()
}

fn pg_row(r: &postgres::Row) -> Result<Row> {
    use postgres::types::Type;
    let mut row = Vec::with_capacity(r.len());
    for (i, c) in r.columns().iter().enumerate() {
        let t = c.type_();
        let v = if *t == Type::INT8 {
            r.try_get::<_, Option<i64>>(i)?
                .map_or(Value::Null, Value::Int)
        } else if *t == Type::INT4 {
            r.try_get::<_, Option<i32>>(i)?
                .map_or(Value::Null, |n| Value::Int(i64::from(n)))
        } else if *t == Type::INT2 {
            r.try_get::<_, Option<i16>>(i)?
                .map_or(Value::Null, |n| Value::Int(i64::from(n)))
        } else if *t == Type::BYTEA {
            r.try_get::<_, Option<Vec<u8>>>(i)?
                .map_or(Value::Null, Value::Bytes)
        } else if *t == Type::BOOL {
            r.try_get::<_, Option<bool>>(i)?
                .map_or(Value::Null, |b| Value::Int(i64::from(b)))
        } else if *t == Type::VOID {
            Value::Null
        } else {
            r.try_get::<_, Option<String>>(i)?
                .map_or(Value::Null, Value::Text)
        };
        row.push(v);
    }
    Ok(row)
}

//! The server's own durable state (`koperasi-server`): an append-only journal of JSON records
//! by kind — mentoring findings and their follow-ups, users with their Argon2id hashes and their
//! administration, sessions (by a hash of the token, never the token) — in
//! the table of `migrations/0004_server_records.sql`, next to the books.
//!
//! The store never interprets a record: the server serialises its own types. Each record is
//! numbered per kind (1, 2, …) in the transaction that writes it, with who wrote it and when;
//! records are never updated or deleted (a later record with the same key supersedes an
//! earlier one for readers that want the latest).

use crate::db::{Conn, Value};
use crate::error::{Backend, Error, Result};
use crate::store::Store;

/// One stored server record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerRecord {
    /// The record's kind (`finding`, `user`, …).
    pub kind: String,
    /// Its number within the kind (1, 2, … in commit order).
    pub seq: u64,
    /// Its key (e.g. a finding's number, a user name).
    pub key: String,
    /// Who wrote it.
    pub author: String,
    /// When (as given by the writer: the server's clock, UTC, RFC 3339).
    pub recorded_at: String,
    /// The record, JSON.
    pub body: String,
}

/// The advisory lock serialising writers of the server records on PostgreSQL.
const RECORDS_LOCK: i64 = 0x6b6f_7073_7276_7231; // "kopsrvr1"

fn render(template: &str, backend: Backend) -> String {
    let (int, strict) = match backend {
        Backend::Postgres => ("BIGINT", ""),
        Backend::Sqlite => ("INTEGER", " STRICT"),
    };
    template
        .replace("{{int}}", int)
        .replace("{{strict}}", strict)
}

fn ensure(conn: &mut Conn) -> Result<()> {
    let backend = conn.backend();
    conn.batch(&render(
        include_str!("../migrations/0004_server_records.sql"),
        backend,
    ))
}

fn int(v: Option<&Value>) -> Result<i64> {
    match v {
        Some(Value::Int(n)) => Ok(*n),
        other => Err(Error::InvalidArgument(format!(
            "server record: expected an integer, found {other:?}"
        ))),
    }
}

fn text(v: Option<&Value>) -> Result<String> {
    match v {
        Some(Value::Text(s)) => Ok(s.clone()),
        other => Err(Error::InvalidArgument(format!(
            "server record: expected text, found {other:?}"
        ))),
    }
}

impl Store {
    /// Appends a server record of `kind` in its own durable transaction (creating the table
    /// on first use) and returns its number within the kind.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an empty kind or a body that is not JSON; a database
    /// error (nothing written).
    #[doc(alias = "catatan server")]
    pub fn append_server_record(
        &self,
        kind: &str,
        key: &str,
        author: &str,
        recorded_at: &str,
        body: &str,
    ) -> Result<u64> {
        if kind.is_empty() {
            return Err(Error::InvalidArgument(
                "a server record needs a kind".into(),
            ));
        }
        serde_json::from_str::<serde_json::Value>(body)
            .map_err(|e| Error::InvalidArgument(format!("server record body: {e}")))?;
        self.read_tx(|conn| {
            // The pooled connection's read transaction is ended and a write transaction
            // begun on the same connection.
            conn.rollback();
            conn.begin_write(&[RECORDS_LOCK])?;
            let r = (|| -> Result<u64> {
                ensure(conn)?;
                let rows = conn.query(
                    "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM server_records WHERE kind = $1",
                    &[Value::Text(kind.to_owned())],
                )?;
                let seq = int(rows.first().and_then(|r| r.first()))?.saturating_add(1);
                conn.execute(
                    "INSERT INTO server_records (kind, seq, record_key, author, recorded_at, body) VALUES ($1, $2, $3, $4, $5, $6)",
                    &[
                        Value::Text(kind.to_owned()),
                        Value::Int(seq),
                        Value::Text(key.to_owned()),
                        Value::Text(author.to_owned()),
                        Value::Text(recorded_at.to_owned()),
                        Value::Text(body.to_owned()),
                    ],
                )?;
                Ok(u64::try_from(seq).unwrap_or(0))
            })();
            match r {
                Ok(seq) => {
                    conn.commit()?;
                    Ok(seq)
                }
                Err(e) => {
                    conn.rollback();
                    Err(e)
                }
            }
        })
    }

    /// Appends several server records in one durable transaction (all or none), each
    /// numbered within its kind; returns their numbers in order. A record is
    /// `(kind, key, author, recorded_at, body)`.
    ///
    /// # Errors
    /// As [`append_server_record`](Self::append_server_record) for any record (nothing is
    /// written then).
    #[doc(alias = "catatan server")]
    pub fn append_server_records(
        &self,
        records: &[(&str, &str, &str, &str, &str)],
    ) -> Result<Vec<u64>> {
        for (kind, _, _, _, body) in records {
            if kind.is_empty() {
                return Err(Error::InvalidArgument(
                    "a server record needs a kind".into(),
                ));
            }
            serde_json::from_str::<serde_json::Value>(body)
                .map_err(|e| Error::InvalidArgument(format!("server record body: {e}")))?;
        }
        if records.is_empty() {
            return Ok(Vec::new());
        }
        self.read_tx(|conn| {
            conn.rollback();
            conn.begin_write(&[RECORDS_LOCK])?;
            let r = (|| -> Result<Vec<u64>> {
                ensure(conn)?;
                let mut next: std::collections::HashMap<&str, i64> =
                    std::collections::HashMap::new();
                let mut out = Vec::with_capacity(records.len());
                for (kind, key, author, at, body) in records {
                    let seq = if let Some(n) = next.get(kind) {
                        *n
                    } else {
                        let rows = conn.query(
                            "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM server_records WHERE kind = $1",
                            &[Value::Text((*kind).to_owned())],
                        )?;
                        int(rows.first().and_then(|r| r.first()))?.saturating_add(1)
                    };
                    conn.execute(
                        "INSERT INTO server_records (kind, seq, record_key, author, recorded_at, body) VALUES ($1, $2, $3, $4, $5, $6)",
                        &[
                            Value::Text((*kind).to_owned()),
                            Value::Int(seq),
                            Value::Text((*key).to_owned()),
                            Value::Text((*author).to_owned()),
                            Value::Text((*at).to_owned()),
                            Value::Text((*body).to_owned()),
                        ],
                    )?;
                    next.insert(kind, seq.saturating_add(1));
                    out.push(u64::try_from(seq).unwrap_or(0));
                }
                Ok(out)
            })();
            match r {
                Ok(v) => {
                    conn.commit()?;
                    Ok(v)
                }
                Err(e) => {
                    conn.rollback();
                    Err(e)
                }
            }
        })
    }

    /// SQLite: copies the write-ahead log into the database now, without waiting for readers
    /// or the writer (`PRAGMA wal_checkpoint(PASSIVE)`), on a pooled connection of its own;
    /// returns the log's frames and the frames copied. A server calls it from a thread of
    /// its own so that the WAL stays short and the committing thread never has to run the
    /// (automatic, much larger) checkpoint itself. Durability is unchanged: every commit is
    /// the WAL's fsync either way. `PostgreSQL`: nothing to do (`None`).
    ///
    /// # Errors
    /// A database error.
    #[doc(alias = "checkpoint WAL")]
    pub fn checkpoint_wal_passive(&self) -> Result<Option<(i64, i64)>> {
        if self.backend() != Backend::Sqlite {
            return Ok(None);
        }
        self.read_tx(|conn| {
            // out of the read transaction: a checkpoint runs outside any transaction
            conn.rollback();
            let rows = conn.query("PRAGMA wal_checkpoint(PASSIVE)", &[])?;
            let row = rows.first();
            Ok(Some((
                int(row.and_then(|r| r.get(1)))?,
                int(row.and_then(|r| r.get(2)))?,
            )))
        })
    }

    /// Every server record of `kind`, in number order (none if the table does not exist yet).
    ///
    /// # Errors
    /// A database error.
    pub fn server_records(&self, kind: &str) -> Result<Vec<ServerRecord>> {
        self.read_tx(|conn| {
            conn.rollback();
            conn.begin_write(&[RECORDS_LOCK])?;
            let r = (|| -> Result<Vec<ServerRecord>> {
                ensure(conn)?;
                let rows = conn.query(
                    "SELECT seq, record_key, author, recorded_at, body FROM server_records WHERE kind = $1 ORDER BY seq",
                    &[Value::Text(kind.to_owned())],
                )?;
                rows.iter()
                    .map(|row| {
                        Ok(ServerRecord {
                            kind: kind.to_owned(),
                            seq: u64::try_from(int(row.first())?).unwrap_or(0),
                            key: text(row.get(1))?,
                            author: text(row.get(2))?,
                            recorded_at: text(row.get(3))?,
                            body: text(row.get(4))?,
                        })
                    })
                    .collect()
            })();
            match r {
                Ok(v) => {
                    conn.commit()?;
                    Ok(v)
                }
                Err(e) => {
                    conn.rollback();
                    Err(e)
                }
            }
        })
    }
}

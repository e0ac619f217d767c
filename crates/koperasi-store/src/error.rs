//! The store's error type.

use koperasi::core::CooperativeId;

/// Which database a [`Store`](crate::Store) talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// An embedded SQLite file (WAL, `synchronous=FULL`).
    Sqlite,
    /// A PostgreSQL server (`postgres://…`).
    Postgres,
}

impl core::fmt::Display for Backend {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

/// Everything that can go wrong in the store. A failed call changes nothing: a transaction
/// that did not commit is rolled back by the database, and the store drops any cached book it
/// touched so the next call starts from what is durable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The book refused the operation (validation, permission, balance…); nothing was written.
    #[error("koperasi {koperasi}: the book refused the operation: {source}")]
    Rejected {
        /// The cooperative.
        koperasi: CooperativeId,
        /// The book's error.
        #[source]
        source: koperasi::Error,
    },
    /// The idempotency key was already used for a different operation
    /// (`ExistsWithDifferent`): nothing was written.
    #[error(
        "koperasi {koperasi}: idempotency key {key:?} was already used for a different operation (event {seq})"
    )]
    IdempotencyConflict {
        /// The cooperative.
        koperasi: CooperativeId,
        /// The key.
        key: String,
        /// The event stored under the key.
        seq: u64,
    },
    /// No such cooperative in the store.
    #[error("koperasi {0} is not in the store")]
    UnknownKoperasi(CooperativeId),
    /// A cooperative with this id already exists with a different configuration.
    #[error("koperasi {0} already exists in the store with a different configuration")]
    KoperasiExists(CooperativeId),
    /// The database was written by a newer version of this crate.
    #[error(
        "the database has schema version {found}; this build of koperasi-store supports up to {supported}: upgrade the program"
    )]
    SchemaTooNew {
        /// The version found.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The database file is not a database or is damaged.
    #[error("{backend}: the database is corrupt or not a database: {message}")]
    Corrupt {
        /// Which database.
        backend: Backend,
        /// The database's message.
        message: String,
    },
    /// The disk (or the SQLite file's `max_page_count`) is full; the transaction was rolled
    /// back.
    #[error("{backend}: the database or disk is full; nothing was written: {message}")]
    Full {
        /// Which database.
        backend: Backend,
        /// The database's message.
        message: String,
    },
    /// The connection to the database was lost. If it was lost during a commit, the outcome
    /// is unknown: retry with the same idempotency key.
    #[error("{backend}: the connection was lost: {message}")]
    ConnectionLost {
        /// Which database.
        backend: Backend,
        /// The database's message.
        message: String,
    },
    /// The database refused to change an append-only table (a trigger fired).
    #[error("{backend}: refused by the append-only rules: {message}")]
    AppendOnly {
        /// Which database.
        backend: Backend,
        /// The database's message.
        message: String,
    },
    /// Any other database error.
    #[error("{backend}: {message}")]
    Database {
        /// Which database.
        backend: Backend,
        /// The database's message.
        message: String,
    },
    /// A stored row cannot be read back (a wrong type, a malformed id or date, bad JSON).
    #[error("koperasi {koperasi}: stored {what} cannot be read: {message}")]
    BadRow {
        /// The cooperative (nil if not known).
        koperasi: CooperativeId,
        /// What was being read.
        what: &'static str,
        /// Why.
        message: String,
    },
    /// Replaying the stored log failed at an event: the log does not rebuild a book.
    #[error("koperasi {koperasi}: replay failed at event {seq}: {source}")]
    Replay {
        /// The cooperative.
        koperasi: CooperativeId,
        /// The event's sequence number.
        seq: u64,
        /// The book's error.
        #[source]
        source: koperasi::Error,
    },
    /// An amount does not fit the 64-bit sen column.
    #[error("koperasi {koperasi}: amount of {what} does not fit a 64-bit sen column")]
    Overflow {
        /// The cooperative.
        koperasi: CooperativeId,
        /// Which amount.
        what: &'static str,
    },
    /// A book snapshot could not be written (the book's state did not serialise; not
    /// expected). Nothing was written.
    #[error("koperasi {koperasi}: snapshot at event {seq}: {message}")]
    Snapshot {
        /// The cooperative.
        koperasi: CooperativeId,
        /// The event it follows.
        seq: u64,
        /// The book's error.
        message: String,
    },
    /// A value could not be serialised to JSON (not expected for the book's types).
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Bad input to a store function (an empty path, a malformed URL, a zero page size…).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

/// The store's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode as C;
        let backend = Backend::Sqlite;
        let message = e.to_string();
        match e.sqlite_error_code() {
            Some(C::DatabaseCorrupt | C::NotADatabase) => Error::Corrupt { backend, message },
            Some(C::DiskFull) => Error::Full { backend, message },
            Some(C::ConstraintViolation) if message.contains("append-only") => {
                Error::AppendOnly { backend, message }
            }
            _ => Error::Database { backend, message },
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        let backend = Backend::Postgres;
        let message = match e.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), db.code().code()),
            None => e.to_string(),
        };
        if e.is_closed() {
            return Error::ConnectionLost { backend, message };
        }
        match e.code().map(postgres::error::SqlState::code) {
            Some("P0001") if message.contains("append-only") => {
                Error::AppendOnly { backend, message }
            }
            Some("53100") => Error::Full { backend, message },
            Some("57P01" | "57P02" | "57P03" | "08000" | "08003" | "08006") => {
                Error::ConnectionLost { backend, message }
            }
            Some("XX001" | "XX002") => Error::Corrupt { backend, message },
            None if e.as_db_error().is_none() && message.contains("connection") => {
                Error::ConnectionLost { backend, message }
            }
            _ => Error::Database { backend, message },
        }
    }
}

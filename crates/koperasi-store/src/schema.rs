//! Versioned migrations: SQL files applied in order inside one transaction and recorded in
//! `schema_migrations`. A small in-house runner, because `refinery` (MSRV 1.92) and
//! `rusqlite_migration` (1.95) need a newer Rust than the workspace's 1.89.

use crate::db::{Conn, Value};
use crate::error::{Backend, Error, Result};

/// One migration: a version, a name, the common SQL (a template) and each dialect's part.
struct Migration {
    version: i64,
    name: &'static str,
    common: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        common: include_str!("../migrations/0001_init.sql"),
        sqlite: include_str!("../migrations/0001_triggers.sqlite.sql"),
        postgres: include_str!("../migrations/0001_triggers.postgres.sql"),
    },
    Migration {
        version: 2,
        name: "active_accounts",
        common: include_str!("../migrations/0002_active_accounts.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 3,
        name: "lean_indexes",
        common: include_str!("../migrations/0003_lean_indexes.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 4,
        name: "server_records",
        common: include_str!("../migrations/0004_server_records.sql"),
        sqlite: include_str!("../migrations/0004_server_records.sqlite.sql"),
        postgres: include_str!("../migrations/0004_server_records.postgres.sql"),
    },
    Migration {
        version: 5,
        name: "snapshots",
        common: include_str!("../migrations/0005_snapshots.sql"),
        sqlite: include_str!("../migrations/0005_snapshots.sqlite.sql"),
        postgres: include_str!("../migrations/0005_snapshots.postgres.sql"),
    },
    Migration {
        version: 6,
        name: "snapshot_pruning",
        common: include_str!("../migrations/0006_snapshot_pruning.sql"),
        sqlite: include_str!("../migrations/0006_snapshot_pruning.sqlite.sql"),
        postgres: include_str!("../migrations/0006_snapshot_pruning.postgres.sql"),
    },
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = 6;

/// The advisory lock that serialises migrations on PostgreSQL.
const MIGRATION_LOCK: i64 = 0x6b6f_7065_7261_7369; // "koperasi"

fn render(template: &str, backend: Backend) -> String {
    let (int, bytes, strict) = match backend {
        Backend::Postgres => ("BIGINT", "BYTEA", ""),
        Backend::Sqlite => ("INTEGER", "BLOB", " STRICT"),
    };
    template
        .replace("{{int}}", int)
        .replace("{{bytes}}", bytes)
        .replace("{{strict}}", strict)
}

/// Brings the database to [`SCHEMA_VERSION`]; refuses a database of a newer version.
pub(crate) fn migrate(conn: &mut Conn) -> Result<i64> {
    let backend = conn.backend();
    conn.begin_write(&[MIGRATION_LOCK])?;
    let result = migrate_in_tx(conn, backend);
    match result {
        Ok(v) => {
            conn.commit()?;
            Ok(v)
        }
        Err(e) => {
            conn.rollback();
            Err(e)
        }
    }
}

fn migrate_in_tx(conn: &mut Conn, backend: Backend) -> Result<i64> {
    conn.batch(&render(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    {{int}} NOT NULL PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        ){{strict}};",
        backend,
    ))?;
    let rows = conn.query(
        "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM schema_migrations",
        &[],
    )?;
    let current = match rows.first().and_then(|r| r.first()) {
        Some(Value::Int(v)) => *v,
        _ => 0,
    };
    if current > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        conn.batch(&render(m.common, backend))?;
        let dialect = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        if !dialect.is_empty() {
            conn.batch(dialect)?;
        }
        conn.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, CAST(CURRENT_TIMESTAMP AS TEXT))",
            &[Value::Int(m.version), Value::Text(m.name.to_owned())],
        )?;
    }
    Ok(SCHEMA_VERSION)
}

//! `koperasi serve`: the HTTP server and live dashboard.

use std::net::SocketAddr;
use std::sync::Arc;

use clap::Args;
use koperasi_server::demo::{DemoConfig, build, build_with_store};
use koperasi_server::{MemoryRepo, ServerConfig, router};

use crate::output::{CliError, Output};

/// The `--db` value that keeps the books in memory only.
const MEMORY: &str = "memory";

/// Arguments of `koperasi serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The store: a path (`SQLite`, the embedded default `koperasi.db` in the current
    /// directory) or a `postgres://` URL; `memory` keeps the books in memory for the life of
    /// the process only. The demo city is imported into a store once and loaded from it
    /// afterwards; every operation, user and session is committed to it.
    #[arg(long, default_value = "koperasi.db")]
    db: String,
    /// Address to listen on (loopback by default; put a TLS reverse proxy in front for
    /// anything else).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Fill the server with the simulated city (labelled SIMULASI) and create the demo users.
    #[arg(long)]
    demo: bool,
    /// Seed of the simulation.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Number of simulated cooperatives.
    #[arg(long, default_value_t = 29)]
    coops: usize,
    /// Members per simulated cooperative.
    #[arg(long, default_value_t = 300)]
    members_per_coop: usize,
    /// Password of the demo users created now (users already kept in `--db` keep theirs).
    #[arg(long, default_value = "demo")]
    demo_password: String,
    /// Mark cookies Secure (when a TLS reverse proxy serves the site over HTTPS).
    #[arg(long)]
    secure_cookies: bool,
}

/// Runs the server until Ctrl-C, then shuts down gracefully (in-flight requests finish).
///
/// # Errors
/// A [`CliError`] if the store is asked for, the demo cannot be built or the address is taken.
pub fn run(args: &ServeArgs, out: &Output) -> Result<(), CliError> {
    if !args.demo {
        return Err(CliError::new(
            "serve",
            "nothing to serve: serving a store without the simulated city is not built yet, so --demo is required (users and sessions are kept in the --db store, koperasi.db by default)",
        ));
    }
    let mut config = ServerConfig::default();
    config.secure_cookies = args.secure_cookies;
    out.note(&format!(
        "Menyiapkan kota simulasi ({} koperasi × {} anggota, seed {})…",
        args.coops, args.members_per_coop, args.seed
    ));
    let demo = DemoConfig::new(
        args.coops,
        args.members_per_coop,
        args.seed,
        args.demo_password.clone(),
    );
    let state = if args.db == MEMORY {
        build(&demo, config, Arc::new(MemoryRepo::new()))
    } else {
        let db = &args.db;
        let store = koperasi_store::Store::open(db)
            .map_err(|e| CliError::new("serve", format!("--db {db}: {e}")))?;
        let first = !db.starts_with("postgres") && !std::path::Path::new(db).exists();
        out.note(&if first {
            format!("Buku disimpan di {db} (pertama kali: kota simulasi diimpor, bisa makan waktu hingga satu menit)")
        } else {
            format!("Buku dimuat dari {db}")
        });
        build_with_store(&demo, config, store)
    }
    .map_err(|e| CliError::new("serve", e.to_string()))?;
    let example = state
        .coops()
        .first()
        .map(|c| c.code.clone())
        .unwrap_or_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new("serve", e.to_string()))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| CliError::new("serve", format!("{}: {e}", args.listen)))?;
        out.line(&format!("Koperasi berjalan di http://{}/  (SIMULASI)", args.listen));
        out.line(&format!("Masuk sebagai: dinas atau dinas-2 (kantor kota) atau pengurus-{example}, sekretaris-{example}, pengawas-{example}, kasir-{example}, bendahara-{example}, anggota-{example}"));
        out.line(&format!("PERINGATAN: semua pengguna demo memakai kata sandi {:?}; hanya untuk demonstrasi di mesin sendiri.", args.demo_password));
        if args.db != MEMORY {
            out.line("Pengguna dan sesi tersimpan di --db: pengguna demo yang sudah ada (kata sandi yang sudah diganti, pengguna nonaktif) tidak dibuat ulang.");
        }
        out.line("Tekan Ctrl-C untuk berhenti.");
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
                write_stop();
            })
            .await
            .map_err(|e| CliError::new("serve", e.to_string()))
    })
}

fn write_stop() {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "Berhenti: menyelesaikan permintaan yang sedang berjalan…"
    );
}

//! `koperasi serve`: the HTTP server and live dashboard.

use std::net::SocketAddr;
use std::sync::Arc;

use clap::Args;
use koperasi_server::demo::{DemoConfig, build, build_with_store};
use koperasi_server::{MemoryRepo, ServerConfig, router};

use crate::output::{CliError, Output};

/// Arguments of `koperasi serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The store: a path (`SQLite`) or a `postgres://` URL. The demo city is imported into it
    /// once and loaded from it afterwards; every operation is committed to it. Without it the
    /// books live in memory for the life of the process.
    #[arg(long)]
    db: Option<String>,
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
    /// Password of every demo user.
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
            "nothing to serve: user administration is not built yet, so --demo is required (with or without --db)",
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
    let state = match &args.db {
        Some(db) => {
            let store = koperasi_store::Store::open(db)
                .map_err(|e| CliError::new("serve", format!("--db {db}: {e}")))?;
            build_with_store(&demo, config, store)
        }
        None => build(&demo, config, Arc::new(MemoryRepo::new())),
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
        out.line(&format!("Masuk sebagai: dinas (kantor kota) atau pengurus-{example}, pengawas-{example}, kasir-{example}, bendahara-{example}, anggota-{example}"));
        out.line(&format!("PERINGATAN: semua pengguna demo memakai kata sandi {:?}; hanya untuk demonstrasi di mesin sendiri.", args.demo_password));
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

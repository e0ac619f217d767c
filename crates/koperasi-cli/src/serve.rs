//! `koperasi serve`: the HTTP server and live dashboard.

use std::net::SocketAddr;
use std::sync::Arc;

use clap::Args;
use koperasi_server::demo::{DemoConfig, build, build_with_store};
use koperasi_server::onboard::{ADMIN_PASSWORD_ENV, bootstrap_admins, open_store};
use koperasi_server::{AppState, MemoryRepo, ServerConfig, router};

use crate::output::{CliError, Output};

/// The `--db` value that keeps the books in memory only.
const MEMORY: &str = "memory";

/// Arguments of `koperasi serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The store: a path (`SQLite`, the embedded default `koperasi.db` in the current
    /// directory) or a `postgres://` URL; `memory` keeps the books in memory for the life of
    /// the process only. Without `--demo` the server serves the cooperatives and users the
    /// store holds; with it the demo city is imported into the store once and loaded from it
    /// afterwards. Every operation, user and session is committed to the store.
    #[arg(long, default_value = "koperasi.db")]
    db: String,
    /// Address to listen on (loopback by default; put a TLS reverse proxy in front for
    /// anything else).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Fill the server with the simulated city (labelled SIMULASI) and create the demo users.
    #[arg(long)]
    demo: bool,
    /// Create the first city administrator of a store that has no user yet (repeat it to
    /// create two: a later administrator needs a second one's approval). The password comes
    /// from the environment variable KOPERASI_ADMIN_PASSWORD, or is generated and shown once;
    /// either way it must be changed at the first login. On a store that has users it does
    /// nothing (no password is ever reset).
    #[allow(
        clippy::doc_markdown,
        reason = "help text shows the doc comment verbatim"
    )]
    #[arg(long = "admin", value_name = "USERNAME", conflicts_with = "demo")]
    admin: Vec<String>,
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
    if args.demo {
        run_demo(args, out)
    } else {
        run_store(args, out)
    }
}

/// The message of a store without users and without `--admin`.
fn no_users(db: &str) -> CliError {
    CliError::new(
        "no_users",
        format!(
            "tidak ada pengguna di {db}: buat administrator dinas pertama dengan --admin NAMA_PENGGUNA (kata sandi dari {ADMIN_PASSWORD_ENV} atau dibuat acak dan ditampilkan sekali) / no user in the store {db}: create the first city administrator with --admin USERNAME, or serve the simulated city with --demo"
        ),
    )
}

/// Serves the cooperatives and users of the store (no simulation).
fn run_store(args: &ServeArgs, out: &Output) -> Result<(), CliError> {
    let mut config = ServerConfig::default();
    config.secure_cookies = args.secure_cookies;
    let db = &args.db;
    let state = if db == MEMORY {
        if args.admin.is_empty() {
            return Err(no_users(db));
        }
        AppState::new(config, Vec::new(), Vec::new(), Arc::new(MemoryRepo::new()))
            .map_err(|e| CliError::new("serve", e.to_string()))?
    } else {
        let fresh = !db.starts_with("postgres") && !std::path::Path::new(db).exists();
        if fresh && args.admin.is_empty() {
            // refused before the file is created
            return Err(no_users(db));
        }
        let store = koperasi_store::Store::open(db)
            .map_err(|e| CliError::new("serve", format!("--db {db}: {e}")))?;
        out.note(&format!("Buku dan pengguna dimuat dari {db}"));
        open_store(config, store).map_err(|e| CliError::new("serve", e.to_string()))?
    };
    if args.admin.is_empty() {
        if state.usernames().is_empty() {
            return Err(no_users(db));
        }
    } else {
        let password = std::env::var(ADMIN_PASSWORD_ENV)
            .ok()
            .filter(|p| !p.is_empty());
        let done = bootstrap_admins(&state, &args.admin, password.as_deref())
            .map_err(|e| CliError::new("admin", e.message))?;
        if done.created.is_empty() {
            out.note(&format!(
                "--admin diabaikan: {db} sudah punya {} pengguna; tidak ada yang diubah, tidak ada kata sandi yang direset / --admin ignored: the store already has users; nothing was changed",
                done.existing_users
            ));
        }
        for (u, pw) in &done.created {
            match pw {
                Some(p) => {
                    out.line(&format!(
                        "Administrator dinas pertama: {u}  kata sandi sekali pakai: {p}"
                    ));
                }
                None => out.line(&format!(
                    "Administrator dinas pertama: {u}  kata sandi dari {ADMIN_PASSWORD_ENV}"
                )),
            }
        }
        if !done.created.is_empty() {
            out.line("PERINGATAN: kata sandi ini wajib diganti saat masuk pertama; catat sekarang, tidak ditampilkan lagi. / WARNING: this password must be changed at the first login; it is not shown again.");
        }
        if done.created.len() == 1 {
            out.line("PERINGATAN: hanya satu administrator dinas. Administrator berikutnya perlu persetujuan administrator kedua (dua orang), jadi tidak ada yang dapat menyetujuinya; berikan dua --admin pada penyimpanan kosong. / WARNING: a single city administrator cannot approve another one (two-person rule).");
        }
    }
    let served = state.coops().len();
    let lines = vec![
        format!(
            "{served} koperasi dilayani; administrator dinas mendaftarkan koperasi baru di /kota/daftar"
        ),
        if db == MEMORY {
            "PERINGATAN: --db memory: tidak ada yang tersimpan setelah berhenti.".to_owned()
        } else {
            format!("Pengguna, sesi dan buku tersimpan di {db}.")
        },
    ];
    serve(state, args, out, "", &lines)
}

/// Serves the simulated city.
fn run_demo(args: &ServeArgs, out: &Output) -> Result<(), CliError> {
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
    let mut lines = vec![
        format!(
            "Masuk sebagai: dinas atau dinas-2 (kantor kota) atau pengurus-{example}, sekretaris-{example}, pengawas-{example}, kasir-{example}, bendahara-{example}, anggota-{example}"
        ),
        format!(
            "PERINGATAN: semua pengguna demo memakai kata sandi {:?}; hanya untuk demonstrasi di mesin sendiri.",
            args.demo_password
        ),
    ];
    if args.db != MEMORY {
        lines.push("Pengguna dan sesi tersimpan di --db: pengguna demo yang sudah ada (kata sandi yang sudah diganti, pengguna nonaktif) tidak dibuat ulang.".to_owned());
    }
    serve(state, args, out, "  (SIMULASI)", &lines)
}

/// Listens and serves `state` until Ctrl-C, after printing `lines`.
fn serve(
    state: AppState,
    args: &ServeArgs,
    out: &Output,
    label: &str,
    lines: &[String],
) -> Result<(), CliError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new("serve", e.to_string()))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| CliError::new("serve", format!("{}: {e}", args.listen)))?;
        out.line(&format!(
            "Koperasi berjalan di http://{}/{label}",
            args.listen
        ));
        for l in lines {
            out.line(l);
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

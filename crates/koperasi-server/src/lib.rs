//! # koperasi-server — the system a city office and its cooperatives run
//!
//! An HTTP server over the books of [`koperasi`]: a JSON API, a live dashboard with
//! drill-down to every rupiah (city triage → cooperative → statement line → accounts →
//! journal entries → one entry with its source, actor, approver and a verified Merkle
//! inclusion proof), sessions with Argon2id passwords, CSRF tokens, a login rate limit,
//! body limits and strict security headers. `koperasi serve` runs it.
//!
//! ```no_run
//! use std::sync::Arc;
//! use koperasi_server::{MemoryRepo, ServerConfig, demo, router};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let state = demo::build(&demo::DemoConfig::new(3, 30, 7, "demo"), ServerConfig::default(), Arc::new(MemoryRepo::new()))?;
//! let app = router(state);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await?;
//! # Ok(()) }
//! ```
//!
//! In-process (no socket), as the tests do:
//!
//! ```
//! use std::sync::Arc;
//! use koperasi_server::{MemoryRepo, ServerConfig, demo, router};
//! use tower::ServiceExt;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let state = demo::build(&demo::DemoConfig::new(1, 12, 7, "demo"), ServerConfig::default(), Arc::new(MemoryRepo::new())).unwrap();
//! let resp = router(state)
//!     .oneshot(axum::http::Request::get("/healthz").body(axum::body::Body::empty()).unwrap())
//!     .await
//!     .unwrap();
//! assert_eq!(resp.status(), 200);
//! # });
//! ```
//!
//! ## Routes
//! [`ROUTES`] lists every route with its method; `docs/openapi.json` documents the API and a
//! test checks the two agree. Errors are `{"error":{"kind","message"}}` ([`ApiError`]).
//!
//! ## Access
//! The city office (`dinas`) sees every cooperative with the permissions of
//! [`Role::ExternalSupervisor`](koperasi::membership::Role) (aggregates; personal data
//! masked); its administrators ([`Access::City`]) also register cooperatives and administer
//! users, its read-only users ([`Access::CityReader`], *pemantau*) only read. A store is
//! served without the simulated city by [`onboard::open_store`]; its first administrators
//! come from `koperasi serve --admin` ([`onboard::bootstrap_admins`]). A cooperative's people have the permissions the book's access control gives
//! their actor; another cooperative's routes answer 404 exactly as an unknown code does.
//! An anggota sees only their own statement. Operations are checked by the book (every
//! permission of `koperasi-membership`); a loan approval that needs a second person becomes
//! a request that another person approves (maker ≠ checker).
//!
//! ## Glossary
//! | Indonesian | API |
//! |---|---|
//! | Dinas Koperasi (kota): administrator, pemantau | [`Access::City`], [`Access::CityReader`] |
//! | pendaftaran koperasi, pendiri | [`onboard::register`], `POST /api/koperasi` |
//! | pengurus, pengawas, kasir, anggota | [`Access::Coop`] |
//! | temuan pembinaan, tindak lanjut | [`Finding`] |
//! | permintaan persetujuan (dua orang) | `POST …/requests/{r}/approve`, [`koperasi::Request`] |
//! | pemantauan langsung | [`LiveEvent`], `GET /api/events` |
//! | pengguna, administrasi pengguna | [`users`], `/api/city/users`, `/api/koperasi/{id}/users` |
//! | kata sandi awal, ganti kata sandi | [`users::initial_password`], `POST /api/password` |
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod admin;
mod api;
pub mod auth;
pub mod demo;
pub mod error;
pub mod onboard;
mod pages;
pub mod repo;
pub mod state;
pub mod users;
pub mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;

pub use error::ApiError;
pub use repo::{BookRepo, MemoryRepo, RepoError, StoreRepo};
pub use state::{Access, AppState, Coop, Finding, LiveEvent, ServerConfig, User};

/// Every route: method and path pattern (`{id}` a cooperative code). HTML pages are those
/// outside `/api/`.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("POST", "/api/login"),
    ("POST", "/api/logout"),
    ("GET", "/api/me"),
    ("GET", "/api/koperasi"),
    ("POST", "/api/koperasi"),
    ("GET", "/api/koperasi/{id}/trial-balance"),
    ("GET", "/api/koperasi/{id}/statements"),
    ("GET", "/api/koperasi/{id}/entries"),
    ("GET", "/api/koperasi/{id}/entries/{entry}"),
    ("GET", "/api/koperasi/{id}/members/{member}/statement"),
    ("GET", "/api/koperasi/{id}/audit/checkpoint"),
    ("GET", "/api/koperasi/{id}/audit/proof"),
    ("POST", "/api/koperasi/{id}/operations"),
    ("GET", "/api/koperasi/{id}/requests"),
    ("POST", "/api/koperasi/{id}/requests/{r}/approve"),
    ("POST", "/api/koperasi/{id}/requests/{r}/reject"),
    ("GET", "/api/koperasi/{id}/findings"),
    ("POST", "/api/koperasi/{id}/findings"),
    ("GET", "/api/koperasi/{id}/users"),
    ("POST", "/api/koperasi/{id}/users"),
    ("POST", "/api/koperasi/{id}/users/{username}/reset"),
    ("POST", "/api/koperasi/{id}/users/{username}/disable"),
    ("POST", "/api/koperasi/{id}/users/{username}/enable"),
    ("GET", "/api/city"),
    ("GET", "/api/city/users"),
    ("POST", "/api/city/users"),
    ("POST", "/api/city/users/{username}/approve"),
    ("POST", "/api/city/users/{username}/reset"),
    ("POST", "/api/city/users/{username}/disable"),
    ("POST", "/api/city/users/{username}/enable"),
    ("POST", "/api/password"),
    ("GET", "/api/events"),
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/kota"),
    ("GET", "/kota/daftar"),
    ("POST", "/kota/daftar"),
    ("GET", "/koperasi/{id}"),
    ("GET", "/koperasi/{id}/akun"),
    ("GET", "/koperasi/{id}/akun/{code}"),
    ("GET", "/koperasi/{id}/jurnal/{entry}"),
    ("GET", "/koperasi/{id}/anggota/{member}"),
    ("GET", "/koperasi/{id}/pembinaan"),
    ("POST", "/koperasi/{id}/pembinaan"),
    ("GET", "/koperasi/{id}/pengguna"),
    ("POST", "/koperasi/{id}/pengguna"),
    ("GET", "/pengguna"),
    ("POST", "/pengguna"),
    ("GET", "/kata-sandi"),
    ("POST", "/kata-sandi"),
    ("GET", "/assets/app.js"),
    ("GET", "/assets/app.css"),
];

/// The application: every route of [`ROUTES`] with the CSRF guard, the body limit and the
/// security headers.
pub fn router(state: AppState) -> Router {
    let limit = state.config().body_limit;
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/api/login", post(api::login))
        .route("/api/logout", post(api::logout))
        .route("/api/me", get(api::me))
        .route("/api/koperasi", get(api::list).post(onboard::register_api))
        .route("/api/koperasi/{id}/trial-balance", get(api::trial_balance))
        .route("/api/koperasi/{id}/statements", get(api::statements))
        .route("/api/koperasi/{id}/entries", get(api::entries))
        .route("/api/koperasi/{id}/entries/{entry}", get(api::entry))
        .route(
            "/api/koperasi/{id}/members/{member}/statement",
            get(api::member_statement),
        )
        .route("/api/koperasi/{id}/audit/checkpoint", get(api::checkpoint))
        .route("/api/koperasi/{id}/audit/proof", get(api::audit_proof))
        .route("/api/koperasi/{id}/operations", post(api::post_operation))
        .route("/api/koperasi/{id}/requests", get(api::requests))
        .route(
            "/api/koperasi/{id}/requests/{r}/approve",
            post(api::approve),
        )
        .route("/api/koperasi/{id}/requests/{r}/reject", post(api::reject))
        .route(
            "/api/koperasi/{id}/findings",
            get(api::findings).post(api::post_finding),
        )
        .route(
            "/api/koperasi/{id}/users",
            get(admin::coop_users).post(admin::coop_create),
        )
        .route(
            "/api/koperasi/{id}/users/{username}/reset",
            post(admin::coop_reset),
        )
        .route(
            "/api/koperasi/{id}/users/{username}/disable",
            post(admin::coop_disable),
        )
        .route(
            "/api/koperasi/{id}/users/{username}/enable",
            post(admin::coop_enable),
        )
        .route("/api/city", get(api::city))
        .route(
            "/api/city/users",
            get(admin::city_users).post(admin::city_create),
        )
        .route(
            "/api/city/users/{username}/approve",
            post(admin::city_approve),
        )
        .route("/api/city/users/{username}/reset", post(admin::city_reset))
        .route(
            "/api/city/users/{username}/disable",
            post(admin::city_disable),
        )
        .route(
            "/api/city/users/{username}/enable",
            post(admin::city_enable),
        )
        .route("/api/password", post(admin::password))
        .route("/api/events", get(api::events))
        .route("/", get(pages::home))
        .route("/login", get(pages::login_get).post(pages::login_post))
        .route("/logout", post(pages::logout_post))
        .route("/kota", get(pages::city_page))
        .route(
            "/kota/daftar",
            get(onboard::register_get).post(onboard::register_post),
        )
        .route("/koperasi/{id}", get(pages::coop_page))
        .route("/koperasi/{id}/akun", get(pages::accounts_page))
        .route("/koperasi/{id}/akun/{code}", get(pages::account_page))
        .route("/koperasi/{id}/jurnal/{entry}", get(pages::entry_page))
        .route("/koperasi/{id}/anggota/{member}", get(pages::member_page))
        .route(
            "/koperasi/{id}/pembinaan",
            get(pages::findings_page).post(pages::findings_post),
        )
        .route(
            "/koperasi/{id}/pengguna",
            get(admin::coop_users_get).post(admin::coop_users_post),
        )
        .route(
            "/pengguna",
            get(admin::city_users_get).post(admin::city_users_post),
        )
        .route(
            "/kata-sandi",
            get(admin::password_get).post(admin::password_post),
        )
        .route("/assets/app.js", get(pages::app_js))
        .route("/assets/app.css", get(pages::app_css))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_guard,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(middleware::from_fn(auth::security_headers))
        .with_state(state)
}

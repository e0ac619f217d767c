//! Regenerates `docs/screenshots/` with Debian's chromium (headless, through chromedriver):
//!
//! ```text
//! cargo run --release -p koperasi-server --example screenshots -- docs/screenshots
//! ```
//!
//! It simulates the city (29 cooperatives, seed 2026, labelled SIMULASI), serves it on a
//! loopback port, logs in as the demo users and saves the main pages as PNG: login, city
//! triage, cooperative (with the health traces), drill-down to a verified entry, mentoring,
//! the user administration pages (city and cooperative), the registration of a new
//! cooperative and its founders' users page, and the phone layout.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a developer tool")]

#[path = "../tests/common/webdriver.rs"]
mod webdriver;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use koperasi_server::demo::{DemoConfig, build};
use koperasi_server::{MemoryRepo, ServerConfig, router};
use webdriver::{Driver, Session, browser_paths, http};

fn main() {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screenshots".to_owned()),
    );
    std::fs::create_dir_all(&out).unwrap();
    let (chromium, driver) =
        browser_paths().expect("install chromium and chromium-driver (apt-get)");
    let state = build(
        &DemoConfig::default(),
        ServerConfig::default(),
        Arc::new(MemoryRepo::new()),
    )
    .unwrap();
    let k = state.coops().first().unwrap().code.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    rt.spawn(async move {
        axum::serve(
            listener,
            router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    let base = format!("http://{addr}");
    // a finding so that the mentoring page has content
    let (_, login) = http(
        &addr,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json")],
        r#"{"username":"dinas","password":"demo"}"#,
    );
    let token = serde_json::from_str::<serde_json::Value>(&login).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    http(
        &addr,
        "POST",
        &format!("/api/koperasi/{k}/findings"),
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &format!("Bearer {token}")),
        ],
        r#"{"text":"Contoh (SIMULASI): kas fisik belum dicocokkan dengan buku kas setiap hari; mohon berita acara kas opname mingguan.","due":"2027-04-30","status":"terbuka"}"#,
    );
    // a city administrator waiting for the second administrator, and a kasir waiting for the
    // book's two-person request, so that the user pages show both
    http(
        &addr,
        "POST",
        "/api/city/users",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &format!("Bearer {token}")),
        ],
        r#"{"username":"dinas-baru"}"#,
    );
    let (_, login) = http(
        &addr,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json")],
        &format!(r#"{{"username":"pengurus-{k}","password":"demo"}}"#),
    );
    let ketua = serde_json::from_str::<serde_json::Value>(&login).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    http(
        &addr,
        "POST",
        &format!("/api/koperasi/{k}/users"),
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &format!("Bearer {ketua}")),
        ],
        r#"{"username":"kasir-baru","role":"kasir"}"#,
    );
    // a read-only city user, and a disabled one (the page offers to re-enable them)
    for (name, disable) in [("pemantau-kota", false), ("pemantau-lama", true)] {
        http(
            &addr,
            "POST",
            "/api/city/users",
            &[
                ("Content-Type", "application/json"),
                ("Authorization", &format!("Bearer {token}")),
            ],
            &format!(r#"{{"username":"{name}","kind":"pemantau"}}"#),
        );
        if disable {
            http(
                &addr,
                "POST",
                &format!("/api/city/users/{name}/disable"),
                &[("Authorization", &format!("Bearer {token}"))],
                "",
            );
        }
    }
    let d = Driver::start(&driver);
    let save = |s: &Session, name: &str| {
        std::thread::sleep(Duration::from_millis(300));
        let png = s.screenshot();
        std::fs::write(out.join(name), png).unwrap();
        println!("{}", out.join(name).display());
    };
    let full = |s: &Session| {
        let h = s
            .exec("return Math.min(document.documentElement.scrollHeight, 4000)")
            .as_u64()
            .unwrap_or(900);
        s.exec(&format!(
            "window.resizeTo && window.resizeTo(1280, {h}); return 0"
        ));
        h
    };
    let s = Session::new(&d, &chromium, 1280, 800);
    s.goto(&format!("{base}/login"));
    save(&s, "login.png");
    drop(s);
    let tall = Session::new(&d, &chromium, 1366, 1500);
    tall.login(&base, "dinas", "demo");
    let _ = full(&tall);
    save(&tall, "kota.png");
    tall.goto(&format!("{base}/koperasi/{k}"));
    save(&tall, "koperasi.png");
    tall.exec("document.querySelector('.statements').scrollIntoView(); return 0");
    save(&tall, "koperasi-neraca.png");
    let line = tall.find("#neraca-aset tbody tr:nth-child(2) a");
    tall.click(&line);
    save(&tall, "akun-baris.png");
    let a = tall.find("table.accounts tbody tr td a");
    tall.click(&a);
    save(&tall, "buku-besar.png");
    let e = tall.find("#entries tbody tr td a.entry-link");
    tall.click(&e);
    tall.wait_for(
        "return document.getElementById('proof').dataset.browserVerified === 'true'",
        Duration::from_secs(5),
    );
    save(&tall, "jurnal-bukti.png");
    tall.goto(&format!("{base}/koperasi/{k}/pembinaan"));
    save(&tall, "pembinaan.png");
    tall.goto(&format!("{base}/koperasi/{k}"));
    tall.exec(
        "document.querySelectorAll('details.trace').forEach(function (d, i) { d.open = i < 2; }); \
         document.getElementById('asal-angka').scrollIntoView(); return 0",
    );
    save(&tall, "asal-angka.png");
    tall.goto(&format!("{base}/pengguna"));
    save(&tall, "pengguna.png");
    tall.goto(&format!("{base}/koperasi/{k}/pengguna"));
    save(&tall, "koperasi-pengguna.png");
    // registering a new cooperative, then its users page offering the founders' roles
    tall.goto(&format!("{base}/kota/daftar"));
    tall.exec(
        "document.getElementById('code').value = 'KKMP-3574-05-1099'; \
         document.getElementById('name').value = 'KKMP Triwung Tengah'; \
         document.getElementById('village').value = '35.74.05.1099'; \
         document.getElementById('opening').value = '2026-07-01'; return 0",
    );
    save(&tall, "daftar-koperasi.png");
    tall.exec("document.querySelector('form[action=\"/kota/daftar\"]').submit(); return 0");
    tall.wait_for(
        "return !!document.querySelector('.notice')",
        Duration::from_secs(5),
    );
    save(&tall, "daftar-koperasi-selesai.png");
    tall.goto(&format!("{base}/koperasi/KKMP-3574-05-1099/pengguna"));
    save(&tall, "koperasi-baru-pengguna.png");
    drop(tall);
    let phone = Session::new(&d, &chromium, 390, 844);
    phone.login(&base, "dinas", "demo");
    save(&phone, "kota-ponsel.png");
    phone.goto(&format!("{base}/koperasi/{k}"));
    save(&phone, "koperasi-ponsel.png");
}

//! The dashboard in a real browser (Debian `chromium` driven through `chromedriver`): the
//! city office's triage and drill-down to a verified proof, a live update after a kasir posts
//! a QRIS sale through the API, a pengurus of one cooperative shut out of another's pages, and a
//! new city administrator requested through the Pengguna form, and a cooperative registered
//! through "Daftarkan koperasi" with its founding ketua's user.
//! Skips with a notice when chromium or chromedriver is not installed.

mod common;
#[path = "common/webdriver.rs"]
mod webdriver;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use koperasi_server::demo::{DemoConfig, build};
use koperasi_server::{AppState, MemoryRepo, ServerConfig, router};
use serde_json::Value;
use webdriver::{Driver, Session, browser_paths, http};

const PW: &str = "uji-peramban";

fn serve(rt: &tokio::runtime::Runtime, state: AppState) -> String {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move {
        axum::serve(
            listener,
            router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    addr.to_string()
}

#[test]
fn dashboard_in_chromium() {
    let Some((chromium, driver)) = browser_paths() else {
        eprintln!(
            "notice: chromium or chromedriver not installed; browser test skipped (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let state = build(
        &DemoConfig::new(4, 30, 2026, PW),
        ServerConfig::default(),
        Arc::new(MemoryRepo::new()),
    )
    .unwrap();
    let codes: Vec<String> = state.coops().iter().map(|c| c.code.clone()).collect();
    let names: Vec<String> = state.coops().iter().map(|c| c.name.clone()).collect();
    // the running fiscal year (the simulated year is closed; new sales land in the next one)
    let running = {
        use koperasi::core::chrono::Datelike as _;
        state.coops()[0].book.read().unwrap().last_date().year()
    };
    let addr = serve(&rt, state);
    let base = format!("http://{addr}");
    let d = Driver::start(&driver);

    // 1. the city office: triage order, then cooperative → neraca line → accounts → entries →
    //    entry with a proof verified on the page (by the server and again by the browser).
    let s = Session::new(&d, &chromium, 1280, 900);
    s.login(&base, "dinas", PW);
    assert!(s.url().ends_with("/kota"), "{}", s.url());
    let order = s.exec(
        "return Array.from(document.querySelectorAll('#triage tbody tr')).map(r => r.dataset.sev)",
    );
    let rank = |v: &Value| match v.as_str() {
        Some("kritis") => 2,
        Some("perhatian") => 1,
        _ => 0,
    };
    let ranks: Vec<i32> = order.as_array().unwrap().iter().map(rank).collect();
    assert_eq!(ranks.len(), 4);
    assert!(
        ranks.windows(2).all(|w| w[0] >= w[1]),
        "needing attention first: {order}"
    );
    // sorting by a column works (keyboard and click share the handler)
    let th = s.find("#triage thead th:nth-child(2)");
    s.click(&th);
    assert_eq!(s.attr(&th, "aria-sort").as_deref(), Some("ascending"));
    let first = s.find("#triage tbody tr td:nth-child(2) a");
    s.click(&first);
    assert!(s.url().contains("/koperasi/KKMP-"), "{}", s.url());
    let line = s.find("#neraca-aset tbody tr:nth-child(2) a");
    s.click(&line);
    assert!(s.url().contains("/akun?kode="), "{}", s.url());
    let acct = s.find("table.accounts tbody tr td a");
    s.click(&acct);
    let entry = s.find("#entries tbody tr td a.entry-link");
    s.click(&entry);
    assert!(s.url().contains("/jurnal/"), "{}", s.url());
    let src = s.text(&s.find("#source"));
    assert!(!src.is_empty());
    assert!(!s.text(&s.find("#actor")).is_empty());
    assert!(s.text(&s.find("#proof-server")).contains("Terverifikasi"));
    assert!(
        s.wait_for(
            "return document.getElementById('proof').dataset.browserVerified === 'true'",
            Duration::from_secs(5)
        )
        .is_some(),
        "browser-side proof verification: {}",
        s.text(&s.find("#proof-browser"))
    );

    // 2. live: the city page updates within 1 s of a kasir's QRIS sale posted through the API.
    s.goto(&format!("{base}/kota?as_of={running}-12-31"));
    assert!(
        s.wait_for(
            "return document.body.dataset.sse === 'open'",
            Duration::from_secs(5)
        )
        .is_some(),
        "SSE did not connect"
    );
    let k = &codes[1];
    let (_, login) = http(
        &addr,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json")],
        &format!(r#"{{"username":"kasir-{k}","password":"{PW}"}}"#),
    );
    let token = serde_json::from_str::<Value>(&login).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = s.exec(&format!(
        "return document.querySelector('tr[data-code=\"{k}\"] td.sales').textContent"
    ));
    let (st, body) = http(
        &addr,
        "POST",
        &format!("/api/koperasi/{k}/operations"),
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &format!("Bearer {token}")),
            ("Idempotency-Key", "browser-1"),
        ],
        &common::qris_sale(1_250_000, "BROWSER-1"),
    );
    let committed = Instant::now();
    assert_eq!(st, 201, "{body}");
    let took = s.wait_for(
        "return Number(document.body.dataset.updates || 0) >= 1",
        Duration::from_secs(3),
    );
    let took = took.map(|_| committed.elapsed());
    eprintln!("live update reached the browser {took:?} after the commit was acknowledged");
    assert!(
        took.is_some_and(|t| t <= Duration::from_secs(1)),
        "live update too slow: {took:?}"
    );
    let after = s.exec(&format!(
        "return document.querySelector('tr[data-code=\"{k}\"] td.sales').textContent"
    ));
    assert_ne!(before, after, "the sales figure changed");
    drop(s);

    // 3. a pengurus of A cannot reach B's pages.
    let s = Session::new(&d, &chromium, 1280, 900);
    s.login(&base, &format!("pengurus-{}", codes[0]), PW);
    assert!(
        s.url().ends_with(&format!("/koperasi/{}", codes[0])),
        "{}",
        s.url()
    );
    for path in [
        format!("/koperasi/{}", codes[2]),
        format!("/koperasi/{}/akun/1-1-01", codes[2]),
        format!("/koperasi/{}/pembinaan", codes[2]),
        "/kota".to_owned(),
    ] {
        s.goto(&format!("{base}{path}"));
        let h1 = s.text(&s.find("h1"));
        if path == "/kota" {
            let rows = s.exec("return document.querySelectorAll('#triage tbody tr').length");
            assert_eq!(
                rows,
                Value::from(1),
                "the kota page shows only their own cooperative"
            );
        } else {
            assert_eq!(h1, "Tidak dapat ditampilkan", "{path}");
            let text = s.exec("return document.body.textContent");
            assert!(
                !text.as_str().unwrap_or("").contains(&names[2]),
                "{path} shows B's name"
            );
        }
    }
    drop(s);

    // 4. user administration: the city office requests a new city administrator through the
    // Pengguna form; the one-time password is shown once and the request waits for a second
    // administrator (the requester sees no approve button for it).
    let s = Session::new(&d, &chromium, 1280, 900);
    s.login(&base, "dinas", PW);
    s.goto(&format!("{base}/pengguna"));
    let name = s.find("#username");
    s.type_into(&name, "dinas-uji");
    let submit = s.find("form.stack button[type=submit]");
    s.click(&submit);
    s.wait_for(
        "return document.querySelector('code.once') !== null",
        Duration::from_secs(5),
    )
    .expect("the one-time password is shown");
    let body = s.exec("return document.body.textContent");
    let body = body.as_str().unwrap_or("");
    assert!(body.contains("dinas-uji") && body.contains("menunggu persetujuan"));
    s.goto(&format!("{base}/pengguna"));
    let approve = s.exec(
        "return Array.from(document.querySelectorAll('table.users tr')).filter(function (r) { \
         return r.textContent.indexOf('dinas-uji') >= 0 && r.textContent.indexOf('Setujui') >= 0; }).length",
    );
    assert_eq!(approve, Value::from(0), "the maker cannot approve");
    drop(s);

    // 5. onboarding: the city office registers a cooperative through "Daftarkan koperasi",
    // follows the answer to its users page and creates the founding ketua's user, active at
    // once with a one-time password.
    let s = Session::new(&d, &chromium, 1280, 900);
    s.login(&base, "dinas", PW);
    let link = s.find("a[href='/kota/daftar']");
    s.click(&link);
    s.wait_for(
        "return document.getElementById('village') !== null",
        Duration::from_secs(5),
    )
    .expect("the registration form");
    s.exec(
        "document.getElementById('code').value = 'KKMP-3574-05-1199'; \
         document.getElementById('name').value = 'KKMP Uji Peramban'; \
         document.getElementById('village').value = '35.74.05.1199'; \
         document.getElementById('opening').value = '2026-01-02'; return 0",
    );
    let submit = s.find("form[action='/kota/daftar'] button[type=submit]");
    s.click(&submit);
    s.wait_for(
        "return document.querySelector('.notice') !== null",
        Duration::from_secs(5),
    )
    .expect("the registration is confirmed");
    let next = s.find("a[href='/koperasi/KKMP-3574-05-1199/pengguna']");
    s.click(&next);
    s.wait_for(
        "return document.getElementById('role') !== null",
        Duration::from_secs(5),
    )
    .expect("the users page of the new cooperative");
    let name = s.find("#username");
    s.type_into(&name, "ketua-uji");
    s.exec("document.getElementById('role').value = 'ketua'; return 0");
    let submit = s.find("form.stack button[type=submit]");
    s.click(&submit);
    s.wait_for(
        "return document.querySelector('code.once') !== null",
        Duration::from_secs(5),
    )
    .expect("the founder's one-time password is shown");
    let body = s.exec("return document.body.textContent");
    let body = body.as_str().unwrap_or("");
    assert!(
        body.contains("ketua-uji") && body.contains("status: aktif"),
        "the founder's user is active at once"
    );
}

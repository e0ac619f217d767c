//! Serving a real store without the simulated city: the first city administrator of an empty
//! store, the registration of a cooperative with its founding officers, their users acting in
//! the book, a restart from the same file, the refusals (each with its exact kind), re-enabling
//! a disabled user and the read-only city user.

mod common;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use common::*;
use koperasi_server::demo::{DemoConfig, build};
use koperasi_server::onboard::{bootstrap_admins, open_store};
use koperasi_server::{AppState, MemoryRepo, ServerConfig};
use koperasi_store::Store;
use serde_json::{Value, json};

const FIRST: &str = "sandi-awal-dinas";

fn temp_db(name: &str) -> (std::path::PathBuf, String) {
    let dir =
        std::env::temp_dir().join(format!("koperasi-onboarding-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kota.db");
    (dir, path.to_str().unwrap().to_owned())
}

/// A server with no cooperative and no user, in memory.
fn empty() -> AppState {
    AppState::new(
        ServerConfig::default(),
        Vec::new(),
        Vec::new(),
        Arc::new(MemoryRepo::new()),
    )
    .unwrap()
}

async fn login_with(state: &AppState, user: &str, password: &str) -> Resp {
    call(
        state,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        json!({"username": user, "password": password}).to_string(),
    )
    .await
}

async fn post(state: &AppState, token: &str, path: &str, body: &Value) -> Resp {
    let auth = format!("Bearer {token}");
    call(
        state,
        Method::POST,
        path,
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
            ("idempotency-key", &format!("{path}-{body}")),
        ],
        body.to_string(),
    )
    .await
}

/// Logs in with a one-time password, changes it to `new`, returns the session's token.
async fn first_login(state: &AppState, user: &str, once: &str, new: &str) -> String {
    let r = login_with(state, user, once).await;
    assert_eq!(r.status, StatusCode::OK, "{user}: {}", r.text());
    let t = r.json()["token"].as_str().unwrap().to_owned();
    let r = get(state, &t, "/api/koperasi").await;
    assert_eq!(r.json()["error"]["kind"], "password_change_required");
    let r = post(
        state,
        &t,
        "/api/password",
        &json!({"old_password": once, "new_password": new}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    t
}

/// The first administrator of `state` (which must have no user), logged in with a changed
/// password.
async fn first_admin(state: &AppState, name: &str) -> String {
    let done = bootstrap_admins(state, &[name.to_owned()], Some(FIRST)).unwrap();
    assert_eq!(done.created, vec![(name.to_owned(), None)]);
    first_login(state, name, FIRST, &format!("sandi-{name}-baru")).await
}

fn registration(code: &str, village: &str) -> Value {
    json!({"code": code, "name": format!("KKMP {code}"), "village": village, "opening": "2026-01-02"})
}

/// Creates the user `username` of the founder `role` of `k` as the city; returns the one-time
/// password.
async fn founder_user(
    state: &AppState,
    dinas: &str,
    k: &str,
    username: &str,
    role: &str,
) -> String {
    let r = post(
        state,
        dinas,
        &format!("/api/koperasi/{k}/users"),
        &json!({"username": username, "role": role}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{role}: {}", r.text());
    assert_eq!(r.json()["status"], "active");
    r.json()["initial_password"].as_str().unwrap().to_owned()
}

fn capital() -> Value {
    json!({"op": "capital", "kind": "grant", "amount": "5000000.00", "via": "cash"})
}

#[tokio::test]
async fn an_empty_store_is_onboarded_and_everything_survives_a_restart() {
    let (dir, db) = temp_db("restart");
    let s = open_store(ServerConfig::default(), Store::open(&db).unwrap()).unwrap();
    assert!(s.usernames().is_empty() && s.coops().is_empty());
    assert!(
        !s.config().simulated,
        "a real store is not labelled SIMULASI"
    );
    // step 1: the first city administrator logs in and changes the one-time password
    let dinas = first_admin(&s, "kepala-dinas").await;
    // step 2: the city registers a cooperative
    let r = post(
        &s,
        &dinas,
        "/api/koperasi",
        &registration("KKMP-3574-05-2001", "35.74.05.2001"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let k = r.json()["code"].as_str().unwrap().to_owned();
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let roles: Vec<String> = r.json()["founders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["role"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(roles, ["ketua", "sekretaris", "bendahara"]);
    let r = get(&s, &dinas, "/api/koperasi").await;
    assert_eq!(r.json()["koperasi"][0]["code"], k.as_str(), "{}", r.text());
    // step 3: the city creates the users of the founding ketua and sekretaris
    let once = founder_user(&s, &dinas, &k, "ketua-ketapang", "ketua").await;
    let once2 = founder_user(&s, &dinas, &k, "sekretaris-ketapang", "sekretaris").await;
    // a founder's user is created once: a second ketua is the book's own act
    let r = post(
        &s,
        &dinas,
        &format!("/api/koperasi/{k}/users"),
        &json!({"username": "ketua-kedua", "role": "ketua"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["kind"], "book_role");
    // step 4: the ketua logs in and posts an operation in the book
    let ketua = first_login(&s, "ketua-ketapang", &once, "sandi-ketua-baru").await;
    let r = post(
        &s,
        &ketua,
        &format!("/api/koperasi/{k}/operations"),
        &capital(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // the two-person rule holds: the ketua's new kasir waits for the sekretaris
    let r = post(
        &s,
        &ketua,
        &format!("/api/koperasi/{k}/users"),
        &json!({"username": "kasir-ketapang", "role": "kasir"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let request = r.json()["request"].as_u64().unwrap();
    let kasir_once = r.json()["initial_password"].as_str().unwrap().to_owned();
    let approve = format!("/api/koperasi/{k}/requests/{request}/approve");
    let r = post(&s, &ketua, &approve, &Value::Null).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the maker cannot approve");
    let sek = first_login(&s, "sekretaris-ketapang", &once2, "sandi-sekretaris-baru").await;
    let r = post(&s, &sek, &approve, &Value::Null).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let kasir = first_login(&s, "kasir-ketapang", &kasir_once, "sandi-kasir-baru").await;
    assert_eq!(get(&s, &kasir, "/api/me").await.status, StatusCode::OK);
    let entries = s.coops()[0].book.read().unwrap().ledger().len();
    assert!(entries >= 1);
    drop(s);
    // step 5: a restart from the same file — the cooperative, its book and the users are back
    let again = open_store(ServerConfig::default(), Store::open(&db).unwrap()).unwrap();
    assert_eq!(again.coops().len(), 1);
    assert_eq!(again.coops()[0].code, k);
    assert_eq!(
        again.coops()[0]
            .book
            .read()
            .unwrap()
            .config()
            .cooperative
            .to_string(),
        id
    );
    assert_eq!(
        again.coops()[0].book.read().unwrap().ledger().len(),
        entries
    );
    // the sessions survive, and the passwords are the changed ones
    assert_eq!(get(&again, &ketua, "/api/me").await.status, StatusCode::OK);
    assert_eq!(
        login_with(&again, "kasir-ketapang", "sandi-kasir-baru")
            .await
            .status,
        StatusCode::OK
    );
    let r = login_with(&again, "kepala-dinas", "sandi-kepala-dinas-baru").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // the ketua acts again after the restart
    let r = post(
        &again,
        &ketua,
        &format!("/api/koperasi/{k}/operations?date=2026-12-31"),
        &capital(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // the founders' roles are the book's: still no second ketua user for the city
    assert!(
        koperasi_server::onboard::bootstrap_admins(&again, &["lain".to_owned()], None)
            .unwrap()
            .created
            .is_empty()
    );
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn registration_refusals_have_their_exact_kinds() {
    let s = empty();
    let dinas = first_admin(&s, "kepala").await;
    let cases = [
        (
            json!({"code": "kkmp kecil", "name": "KKMP A", "village": "35.74.01.1001", "opening": "2026-01-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            json!({"code": "KKMP-A", "name": "KKMP A", "village": "99.74.01.1001", "opening": "2026-01-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            json!({"code": "KKMP-A", "name": "", "village": "35.74.01.1001", "opening": "2026-01-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            json!({"code": "KKMP-A", "name": "KKMP A", "village": "35.74.01.1001", "opening": "2026-02-30"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            json!({"code": "KKMP-A", "name": "KKMP A", "village": "35.74.01.1001", "opening": "2999-01-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            json!({"code": "KKMP-A", "name": "KKMP A", "village": "35.74.01.1001", "opening": "2026-01-01", "founders": ["ketua", "bendahara"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            json!({"code": "KKMP-A", "name": "KKMP A", "village": "35.74.01.1001", "opening": "2026-01-01", "founders": ["ketua", "sekretaris", "anggota"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            json!({"code": "KKMP-A", "name": "KKMP A", "village": "35.74.01.1001", "opening": "2026-01-01", "founders": ["ketua", "ketua", "sekretaris"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            json!({"code": "KKMP-A", "name": "KKMP A", "village": "35.74.01.1001", "opening": "2026-01-01", "modal": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
    ];
    for (body, status, kind) in &cases {
        let r = post(&s, &dinas, "/api/koperasi", body).await;
        assert_eq!(r.status, *status, "{body}: {}", r.text());
        assert_eq!(r.json()["error"]["kind"], *kind, "{body}");
        assert!(s.coops().is_empty(), "{body} changed nothing");
    }
    let ok = registration("KKMP-3574-01-1001", "35.74.01.1001");
    let r = post(&s, &dinas, "/api/koperasi", &ok).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // the same code again
    let r = post(&s, &dinas, "/api/koperasi", &ok).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["kind"], "koperasi_exists");
    // another code for the same kelurahan
    let r = post(
        &s,
        &dinas,
        "/api/koperasi",
        &registration("KKMP-LAIN", "35.74.01.1001"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["kind"], "village_registered");
    assert_eq!(s.coops().len(), 1);
    // without a session
    let r = call(
        &s,
        Method::POST,
        "/api/koperasi",
        &[("content-type", "application/json")],
        registration("KKMP-B", "35.74.01.1002").to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // a cooperative user (the founding ketua) and a read-only city user: 403
    let once = founder_user(&s, &dinas, "KKMP-3574-01-1001", "ketua-a", "ketua").await;
    let ketua = first_login(&s, "ketua-a", &once, "sandi-ketua-baru").await;
    let r = post(
        &s,
        &dinas,
        "/api/city/users",
        &json!({"username": "pemantau-a", "kind": "pemantau"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let once = r.json()["initial_password"].as_str().unwrap().to_owned();
    let reader = first_login(&s, "pemantau-a", &once, "sandi-pemantau-baru").await;
    for t in [&ketua, &reader] {
        let r = post(
            &s,
            t,
            "/api/koperasi",
            &registration("KKMP-B", "35.74.01.1002"),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert_eq!(r.json()["error"]["kind"], "forbidden");
    }
    assert_eq!(s.coops().len(), 1);
    // an unknown kind of city user
    let r = post(
        &s,
        &dinas,
        "/api/city/users",
        &json!({"username": "siapa", "kind": "raja"}),
    )
    .await;
    assert_eq!(r.json()["error"]["kind"], "unprocessable");
}

#[tokio::test]
async fn a_store_without_users_gets_its_first_administrators_once() {
    let s = empty();
    // invalid names are refused, nothing is created
    for bad in [
        vec![],
        vec!["A B".to_owned()],
        vec!["dua".to_owned(), "dua".to_owned()],
    ] {
        let e = bootstrap_admins(&s, &bad, None).unwrap_err();
        assert_eq!(e.kind, "unprocessable");
        assert!(s.usernames().is_empty());
    }
    let e = bootstrap_admins(&s, &["kepala".to_owned()], Some("pendek")).unwrap_err();
    assert_eq!(e.kind, "unprocessable");
    // two administrators, generated passwords shown once
    let done = bootstrap_admins(&s, &["kepala".to_owned(), "wakil".to_owned()], None).unwrap();
    assert_eq!(done.created.len(), 2);
    let p1 = done.created[0].1.clone().unwrap();
    let p2 = done.created[1].1.clone().unwrap();
    assert_ne!(p1, p2);
    for (u, p) in [("kepala", &p1), ("wakil", &p2)] {
        let user = s.user(u).unwrap();
        assert!(user.must_change_password(), "{u} must change the password");
        assert_eq!(user.created_by(), "bootstrap");
        assert_eq!(login_with(&s, u, p).await.status, StatusCode::OK);
    }
    // again: nothing changes, no password is reset
    let phc = s.user("kepala").unwrap().password_hash().to_owned();
    let again = bootstrap_admins(&s, &["kepala".to_owned()], Some("sandi-baru-sekali")).unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.existing_users, 2);
    assert_eq!(s.user("kepala").unwrap().password_hash(), phc);
    // the two can make a third administrator (two-person)
    let kepala = first_login(&s, "kepala", &p1, "sandi-kepala-baru").await;
    let wakil = first_login(&s, "wakil", &p2, "sandi-wakil-baru").await;
    let r = post(
        &s,
        &kepala,
        "/api/city/users",
        &json!({"username": "ketiga"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let r = post(&s, &wakil, "/api/city/users/ketiga/approve", &Value::Null).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn a_disabled_user_is_re_enabled_with_the_same_authority_and_the_log_shows_it() {
    let s = empty();
    let dinas = first_admin(&s, "kepala").await;
    let r = post(
        &s,
        &dinas,
        "/api/koperasi",
        &registration("KKMP-3574-02-1001", "35.74.02.1001"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let k = "KKMP-3574-02-1001";
    let once = founder_user(&s, &dinas, k, "ketua-b", "ketua").await;
    let once2 = founder_user(&s, &dinas, k, "bendahara-b", "bendahara").await;
    let ketua = first_login(&s, "ketua-b", &once, "sandi-ketua-baru").await;
    let bendahara = first_login(&s, "bendahara-b", &once2, "sandi-bendahara-baru").await;
    // the ketua (ManageAccess) disables and re-enables the bendahara
    let base = format!("/api/koperasi/{k}/users/bendahara-b");
    let r = post(&s, &ketua, &format!("{base}/enable"), &Value::Null).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not disabled");
    assert_eq!(r.json()["error"]["kind"], "conflict");
    let r = post(&s, &ketua, &format!("{base}/disable"), &Value::Null).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        login_with(&s, "bendahara-b", "sandi-bendahara-baru")
            .await
            .json()["error"]["kind"],
        "account_disabled"
    );
    // the bendahara (no ManageAccess) cannot re-enable anyone: 403; the session ended anyway
    assert_eq!(
        get(&s, &bendahara, "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = post(&s, &ketua, &format!("{base}/enable"), &Value::Null).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["user"]["status"], "active");
    // the same password works again (re-enabling resets nothing)
    let r = login_with(&s, "bendahara-b", "sandi-bendahara-baru").await;
    assert_eq!(r.status, StatusCode::OK);
    let bendahara = r.json()["token"].as_str().unwrap().to_owned();
    let r = post(
        &s,
        &bendahara,
        "/api/koperasi/KKMP-3574-02-1001/users/ketua-b/disable",
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // the log shows both acts, by whom
    let r = get(&s, &dinas, &format!("/api/koperasi/{k}/users")).await;
    let log = r.json()["log"].as_array().unwrap().clone();
    let acts: Vec<(String, String)> = log
        .iter()
        .filter(|a| a["username"] == "bendahara-b")
        .map(|a| {
            (
                a["what"].as_str().unwrap().to_owned(),
                a["by"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(acts.contains(&("disabled".to_owned(), "ketua-b".to_owned())));
    assert!(acts.contains(&("enabled".to_owned(), "ketua-b".to_owned())));
    // the city re-enables a city user too (a read-only one here)
    let r = post(
        &s,
        &dinas,
        "/api/city/users",
        &json!({"username": "pemantau-b", "kind": "pemantau"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = post(
        &s,
        &dinas,
        "/api/city/users/pemantau-b/disable",
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = post(
        &s,
        &dinas,
        "/api/city/users/pemantau-b/enable",
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = get(&s, &dinas, "/api/city/users").await;
    assert!(
        r.json()["log"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["username"] == "pemantau-b" && a["what"] == "enabled")
    );
    // the page shows the act in words
    let cookie = {
        let r = login_with(&s, "kepala", "sandi-kepala-baru").await;
        r.headers["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    };
    let html = call(&s, Method::GET, "/pengguna", &[("cookie", &cookie)], "")
        .await
        .text();
    assert!(html.contains("diaktifkan kembali"), "{html}");
}

#[tokio::test]
async fn a_read_only_city_user_sees_every_cooperative_masked_and_cannot_act() {
    let s = build(
        &DemoConfig::new(2, 12, 17, PASSWORD),
        ServerConfig::default(),
        Arc::new(MemoryRepo::new()),
    )
    .unwrap();
    let (dinas, _) = login(&s, "dinas").await;
    let r = post(
        &s,
        &dinas,
        "/api/city/users",
        &json!({"username": "pemantau", "kind": "pemantau"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["status"], "active");
    let once = r.json()["initial_password"].as_str().unwrap().to_owned();
    let t = first_login(&s, "pemantau", &once, "sandi-pemantau-baru").await;
    let me = get(&s, &t, "/api/me").await.json();
    assert_eq!(me["role"], "pemantau");
    // every cooperative
    let list = get(&s, &t, "/api/koperasi").await.json();
    assert_eq!(list["koperasi"].as_array().unwrap().len(), 2);
    assert_eq!(get(&s, &t, "/api/city").await.status, StatusCode::OK);
    let k = code(&s, 0);
    // personal data masked
    let (m, nik) = {
        let coops = s.coops();
        let b = coops[0].book.read().unwrap();
        let m = b.registry().members().next().unwrap();
        (m.id(), m.nik().to_string())
    };
    let r = get(&s, &t, &format!("/api/koperasi/{k}/members/{m}/statement")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["masked"], true);
    assert!(!r.text().contains(&nik));
    // findings can be read, not written
    assert_eq!(
        get(&s, &t, &format!("/api/koperasi/{k}/findings"))
            .await
            .status,
        StatusCode::OK
    );
    let r = post(
        &s,
        &t,
        &format!("/api/koperasi/{k}/findings"),
        &json!({"text": "catatan"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // no operation, no registration, no administration
    let r = post(&s, &t, &format!("/api/koperasi/{k}/operations"), &capital()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = post(
        &s,
        &t,
        "/api/koperasi",
        &registration("KKMP-X", "35.74.04.1101"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for path in [
        "/api/city/users".to_owned(),
        format!("/api/koperasi/{k}/users"),
        "/api/city/users/dinas/disable".to_owned(),
    ] {
        let r = post(
            &s,
            &t,
            &path,
            &json!({"username": "x-baru", "role": "anggota"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text());
    }
    assert_eq!(
        get(&s, &t, "/api/city/users").await.status,
        StatusCode::FORBIDDEN
    );
    // a city administrator resets a pemantau's password alone (no power to steal)
    let r = post(&s, &dinas, "/api/city/users/pemantau/reset", &Value::Null).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn the_registration_page_needs_the_csrf_token_and_shows_the_next_step() {
    let s = empty();
    let _ = first_admin(&s, "kepala").await;
    let r = login_with(&s, "kepala", "sandi-kepala-baru").await;
    let cookie = r.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = r.json()["csrf"].as_str().unwrap().to_owned();
    // the city page links to the form
    let city = call(&s, Method::GET, "/kota", &[("cookie", &cookie)], "").await;
    assert_eq!(city.status, StatusCode::OK, "{}", city.text());
    assert!(city.text().contains("href=\"/kota/daftar\""));
    let form = call(&s, Method::GET, "/kota/daftar", &[("cookie", &cookie)], "").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("Daftarkan koperasi"));
    let ct = ("content-type", "application/x-www-form-urlencoded");
    let body = "code=KKMP-3574-03-1001&name=KKMP+Wonoasih&village=35.74.03.1001&opening=2026-01-05&founders=ketua&founders=sekretaris&founders=pengawas";
    let r = call(
        &s,
        Method::POST,
        "/kota/daftar",
        &[("cookie", &cookie), ct],
        body,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["kind"], "csrf");
    assert!(s.coops().is_empty());
    let r = call(
        &s,
        Method::POST,
        "/kota/daftar",
        &[("cookie", &cookie), ct],
        format!("{body}&_csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(r.text().contains("/koperasi/KKMP-3574-03-1001/pengguna"));
    let founders: Vec<_> = s.coops()[0]
        .book
        .read()
        .unwrap()
        .config()
        .founders
        .iter()
        .map(|(_, r)| koperasi_server::users::role_name(*r))
        .collect();
    assert_eq!(founders, ["ketua", "sekretaris", "pengawas"]);
    // a refusal is shown on the form
    let r = call(
        &s,
        Method::POST,
        "/kota/daftar",
        &[("cookie", &cookie), ct],
        format!("{body}&_csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("sudah terdaftar"));
    // the users page of the new cooperative offers the founders' roles to the city
    let r = call(
        &s,
        Method::GET,
        "/koperasi/KKMP-3574-03-1001/pengguna",
        &[("cookie", &cookie)],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("ketua (pendiri)"), "{}", r.text());
    // the city pages render with the new cooperative (no questionnaire answered yet: no
    // health assessment), and so does its own page with an empty book
    for path in [
        "/kota",
        "/api/city",
        "/kota?as_of=2026-12-31",
        "/api/city?as_of=2026-12-31",
    ] {
        let r = call(&s, Method::GET, path, &[("cookie", &cookie)], "").await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    }
    let r = call(
        &s,
        Method::GET,
        "/koperasi/KKMP-3574-03-1001",
        &[("cookie", &cookie)],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn a_demo_store_served_without_demo_keeps_its_codes_users_and_label() {
    let (dir, db) = temp_db("demo");
    let demo = DemoConfig::new(1, 12, 5, PASSWORD);
    let s = koperasi_server::demo::build_with_store(
        &demo,
        ServerConfig::default(),
        Store::open(&db).unwrap(),
    )
    .unwrap();
    let k = code(&s, 0);
    drop(s);
    let again = open_store(ServerConfig::default(), Store::open(&db).unwrap()).unwrap();
    assert_eq!(code(&again, 0), k, "the code derived from the village");
    assert!(again.config().simulated, "still labelled SIMULASI");
    let (t, _) = login(&again, &format!("pengurus-{k}")).await;
    assert_eq!(
        get(&again, &t, &format!("/api/koperasi/{k}/trial-balance"))
            .await
            .status,
        StatusCode::OK
    );
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..proptest::prelude::ProptestConfig::default() })]

    /// A registration is all or nothing: whatever its fields, either exactly one cooperative
    /// is added (and its founders hold their roles in its book) or the server is unchanged.
    #[test]
    fn prop_a_refused_registration_changes_nothing(
        code in proptest::prop_oneof![
            proptest::strategy::Just("KKMP-3574-01-1001".to_owned()),
            "[A-Za-z0-9 -]{0,12}",
        ],
        village in proptest::prop_oneof![
            proptest::strategy::Just("35.74.01.1001".to_owned()),
            proptest::strategy::Just("35.74.01.1002".to_owned()),
            "[0-9.]{0,14}",
        ],
        founders in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("ketua"),
                proptest::strategy::Just("sekretaris"),
                proptest::strategy::Just("bendahara"),
                proptest::strategy::Just("anggota"),
                proptest::strategy::Just("raja"),
            ],
            0..5,
        ),
        opening in proptest::prop_oneof![
            proptest::strategy::Just("2026-01-01"),
            proptest::strategy::Just("2026-13-01"),
        ],
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            static S: std::sync::OnceLock<(AppState, String)> = std::sync::OnceLock::new();
            let (s, t) = {
                let (s, t) = S.get_or_init(|| {
                    let s = empty();
                    let rt2 = std::thread::spawn({
                        let s = s.clone();
                        move || {
                            tokio::runtime::Builder::new_current_thread()
                                .enable_all()
                                .build()
                                .unwrap()
                                .block_on(first_admin(&s, "kepala"))
                        }
                    });
                    let t = rt2.join().unwrap();
                    (s, t)
                });
                (s.clone(), t.clone())
            };
            let before: Vec<String> = s.coops().iter().map(|c| c.code.clone()).collect();
            let body = json!({"code": code, "name": "KKMP Uji", "village": village,
                              "opening": opening, "founders": founders});
            let r = post(&s, &t, "/api/koperasi", &body).await;
            let after: Vec<String> = s.coops().iter().map(|c| c.code.clone()).collect();
            if r.status == StatusCode::CREATED {
                assert_eq!(after.len(), before.len() + 1);
                assert_eq!(after[..before.len()], before[..]);
                let c = s.coops()[before.len()].clone();
                let b = c.book.read().unwrap();
                for (actor, role) in &b.config().founders {
                    assert!(b.access().grant_of(*actor).is_some_and(|g| g.roles.contains(role)));
                }
            } else {
                assert!(r.status.is_client_error(), "{body}: {}", r.status);
                assert!(r.json()["error"]["kind"].is_string());
                assert_eq!(after, before, "{body} refused but changed the server");
            }
        });
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 8, ..proptest::prelude::ProptestConfig::default() })]

    /// Whatever sequence of disabling and re-enabling a city administrator applies to a user,
    /// the user can log in exactly when the last effective act was not a disable; a repeated
    /// act is 409 and changes nothing; the password never changes.
    #[test]
    fn prop_a_user_logs_in_exactly_when_not_disabled(
        acts in proptest::collection::vec(proptest::bool::ANY, 1..6),
        case in 0u32..1_000_000,
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            static S: std::sync::OnceLock<AppState> = std::sync::OnceLock::new();
            let s = S
                .get_or_init(|| {
                    build(
                        &DemoConfig::new(1, 8, 3, PASSWORD),
                        ServerConfig::default(),
                        Arc::new(MemoryRepo::new()),
                    )
                    .unwrap()
                })
                .clone();
            let (dinas, _) = login(&s, "dinas").await;
            let name = format!("pemantau-{case}-{}", acts.len());
            let r = post(&s, &dinas, "/api/city/users", &json!({"username": name, "kind": "pemantau"})).await;
            if r.status == StatusCode::CONFLICT {
                return; // the same case drawn twice
            }
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            let once = r.json()["initial_password"].as_str().unwrap().to_owned();
            let phc = s.user(&name).unwrap().password_hash().to_owned();
            let mut disabled = false;
            for disable in &acts {
                let what = if *disable { "disable" } else { "enable" };
                let r = post(&s, &dinas, &format!("/api/city/users/{name}/{what}"), &Value::Null).await;
                if *disable == disabled {
                    assert_eq!(r.status, StatusCode::CONFLICT, "{what} twice");
                } else {
                    assert_eq!(r.status, StatusCode::OK, "{what}: {}", r.text());
                    disabled = *disable;
                }
                assert_eq!(s.user(&name).unwrap().is_disabled(), disabled);
                assert_eq!(s.user(&name).unwrap().password_hash(), phc);
            }
            let r = login_with(&s, &name, &once).await;
            if disabled {
                assert_eq!(r.json()["error"]["kind"], "account_disabled", "{acts:?}");
            } else {
                assert_eq!(r.status, StatusCode::OK, "{acts:?}: {}", r.text());
            }
        });
    }
}

/// The same onboarding over `PostgreSQL` when `KOPERASI_TEST_PG_URL` is set: an empty
/// database gets its first administrator, a cooperative is registered, its ketua posts, and
/// a restart serves all of it again.
#[test]
fn an_empty_postgres_store_is_onboarded_and_survives_a_restart() {
    let Some(base) = std::env::var("KOPERASI_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("KOPERASI_TEST_PG_URL is not set: the PostgreSQL test is skipped");
        return;
    };
    let name = format!("t_onboard_{}", std::process::id());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let (head, query) = base
        .split_once('?')
        .map_or((base.as_str(), None), |(h, q)| (h, Some(q)));
    let (scheme, rest) = head.split_once("://").unwrap();
    let host = rest.split('/').next().unwrap();
    let url = match query {
        Some(q) => format!("{scheme}://{host}/{name}?{q}"),
        None => format!("{scheme}://{host}/{name}"),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // the store's PostgreSQL client blocks: opening and the bootstrap run outside the runtime
    let s = open_store(ServerConfig::default(), Store::open(&url).unwrap()).unwrap();
    let done = bootstrap_admins(&s, &["kepala".to_owned()], Some(FIRST)).unwrap();
    assert_eq!(done.created.len(), 1);
    let k = "KKMP-3574-05-2002";
    let ketua = rt.block_on(async {
        let dinas = first_login(&s, "kepala", FIRST, "sandi-kepala-baru").await;
        let r = post(
            &s,
            &dinas,
            "/api/koperasi",
            &registration(k, "35.74.05.2002"),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let once = founder_user(&s, &dinas, k, "ketua-pg", "ketua").await;
        let ketua = first_login(&s, "ketua-pg", &once, "sandi-ketua-baru").await;
        let r = post(
            &s,
            &ketua,
            &format!("/api/koperasi/{k}/operations"),
            &capital(),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        ketua
    });
    let entries = s.coops()[0].book.read().unwrap().ledger().len();
    drop(s);
    let again = open_store(ServerConfig::default(), Store::open(&url).unwrap()).unwrap();
    assert_eq!(again.coops()[0].code, k);
    assert_eq!(
        again.coops()[0].book.read().unwrap().ledger().len(),
        entries
    );
    rt.block_on(async {
        assert_eq!(get(&again, &ketua, "/api/me").await.status, StatusCode::OK);
        let r = login_with(&again, "kepala", "sandi-kepala-baru").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    });
    drop(again);
    drop(rt);
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
}

/// A book imported into the store (`koperasi store import`) is served under the code derived
/// from its village, or — when a registered cooperative holds that code — that code followed
/// by its id's first hex digits; the server starts either way.
#[tokio::test]
async fn an_imported_book_is_served_under_its_derived_code_without_clashing() {
    let (dir, db) = temp_db("imported");
    let s = open_store(ServerConfig::default(), Store::open(&db).unwrap()).unwrap();
    let dinas = first_admin(&s, "kepala").await;
    // registered under the code the imported book's village would give
    let r = post(
        &s,
        &dinas,
        "/api/koperasi",
        &registration("KKMP-3574-01-1001", "35.74.01.1099"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    drop(s);
    let sim =
        koperasi_sim::simulate_cooperative(&koperasi_sim::SimConfig::new(1, 10, 5), 0).unwrap();
    assert_eq!(sim.book.config().village.to_string(), "35.74.01.1001");
    let id = Store::open(&db)
        .unwrap()
        .import_json_lines(&sim.book.to_json_lines().unwrap())
        .unwrap();
    let again = open_store(ServerConfig::default(), Store::open(&db).unwrap()).unwrap();
    let codes: Vec<String> = again.coops().iter().map(|c| c.code.clone()).collect();
    let hex = id.as_uuid().simple().to_string()[..8].to_uppercase();
    assert_eq!(
        codes,
        [
            "KKMP-3574-01-1001".to_owned(),
            format!("KKMP-3574-01-1001-{hex}")
        ]
    );
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

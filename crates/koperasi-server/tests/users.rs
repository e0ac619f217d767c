//! Users and sessions are durable, and user administration follows the two-person rule:
//! over HTTP, in-process, each rule a test (and a restart of a store-backed server for the
//! durable ones).

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use koperasi::membership::MemberStatus;
use koperasi_server::demo::{DemoConfig, build, build_with_store};
use koperasi_server::{AppState, MemoryRepo, ServerConfig};
use koperasi_store::Store;
use serde_json::Value;

fn fresh() -> AppState {
    build(
        &DemoConfig::new(2, 16, 13, PASSWORD),
        ServerConfig::default(),
        Arc::new(MemoryRepo::new()),
    )
    .unwrap()
}

fn temp_db(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("koperasi-users-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kota.db");
    let _ = std::fs::remove_file(&path);
    let db = path.to_str().unwrap().to_owned();
    (dir, db)
}

async fn login_with(state: &AppState, user: &str, password: &str) -> Resp {
    call(
        state,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        serde_json::json!({"username": user, "password": password}).to_string(),
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
        ],
        body.to_string(),
    )
    .await
}

/// Logs in with a one-time password, changes it to `new` and returns a token of the new
/// session.
async fn first_login(state: &AppState, user: &str, once: &str, new: &str) -> String {
    let r = login_with(state, user, once).await;
    assert_eq!(r.status, StatusCode::OK, "{user}: {}", r.text());
    let t = r.json()["token"].as_str().unwrap().to_owned();
    let r = get(state, &t, "/api/koperasi").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"]["kind"], "password_change_required");
    let r = post(
        state,
        &t,
        "/api/password",
        &serde_json::json!({"old_password": once, "new_password": new}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(get(state, &t, "/api/koperasi").await.status, StatusCode::OK);
    t
}

fn a_member(state: &AppState, i: usize) -> String {
    let coops = state.coops();
    let b = coops[i].book.read().unwrap();
    b.registry()
        .members()
        .filter(|m| m.status() == MemberStatus::Member)
        .nth(3)
        .unwrap()
        .id()
        .to_string()
}

#[tokio::test]
async fn a_new_city_administrator_needs_a_second_administrator() {
    let s = fresh();
    let (dinas, _) = login(&s, "dinas").await;
    let r = post(
        &s,
        &dinas,
        "/api/city/users",
        &serde_json::json!({"username": "dinas-baru"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let once = r.json()["initial_password"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["status"], "pending");
    // pending: the right password does not open a session
    let r = login_with(&s, "dinas-baru", &once).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["kind"], "account_pending");
    // maker = checker is refused, and changes nothing
    let r = post(
        &s,
        &dinas,
        "/api/city/users/dinas-baru/approve",
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"]["kind"], "maker_checker");
    assert!(s.user("dinas-baru").unwrap().is_pending());
    // a cooperative's pengurus is no city administrator
    let (peng, _) = login(&s, &format!("pengurus-{}", code(&s, 0))).await;
    let r = post(
        &s,
        &peng,
        "/api/city/users/dinas-baru/approve",
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // the second administrator completes it
    let (dinas2, _) = login(&s, "dinas-2").await;
    let r = post(
        &s,
        &dinas2,
        "/api/city/users/dinas-baru/approve",
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["user"]["status"], "active");
    // pages send a user who must change their password to the password page
    let r = login_with(&s, "dinas-baru", &once).await;
    let tmp = r.json()["token"].as_str().unwrap().to_owned();
    let r = get(&s, &tmp, "/kota").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers["location"], "/kata-sandi");
    assert_eq!(get(&s, &tmp, "/kata-sandi").await.status, StatusCode::OK);
    let t = first_login(&s, "dinas-baru", &once, "sandi-baru-dinas-1").await;
    assert_eq!(get(&s, &t, "/api/city").await.status, StatusCode::OK);
    // the audit log names who did what
    let r = get(&s, &dinas, "/api/city/users").await;
    let log = r.json()["log"].as_array().unwrap().clone();
    let acts: Vec<(String, String)> = log
        .iter()
        .filter(|a| a["username"] == "dinas-baru")
        .map(|a| {
            (
                a["what"].as_str().unwrap().to_owned(),
                a["by"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        vec![
            ("created".to_owned(), "dinas".to_owned()),
            ("role_granted".to_owned(), "dinas-2".to_owned()),
            ("password_changed".to_owned(), "dinas-baru".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_privileged_cooperative_role_is_granted_in_the_book_by_two_people() {
    let s = fresh();
    let k = code(&s, 0);
    let (peng, _) = login(&s, &format!("pengurus-{k}")).await;
    let users = format!("/api/koperasi/{k}/users");
    let r = post(
        &s,
        &peng,
        &users,
        &serde_json::json!({"username": "kasir-dua", "role": "kasir"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let once = r.json()["initial_password"].as_str().unwrap().to_owned();
    let req = r.json()["request"].as_u64().unwrap();
    let r = login_with(&s, "kasir-dua", &once).await;
    assert_eq!(r.json()["error"]["kind"], "account_pending");
    // the user list names the book's request
    let list = get(&s, &peng, &users).await.json();
    let row = list["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "kasir-dua")
        .cloned()
        .unwrap();
    assert_eq!(row["status"], "pending");
    assert_eq!(row["request"], req);
    // the maker cannot complete their own request (the book refuses, nothing changes)
    let approve = format!("/api/koperasi/{k}/requests/{req}/approve");
    let r = post(&s, &peng, &approve, &Value::Null).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(
        login_with(&s, "kasir-dua", &once).await.status,
        StatusCode::FORBIDDEN
    );
    // nor can a kasir (no ManageGovernance)
    let (kasir, _) = login(&s, &format!("kasir-{k}")).await;
    assert_eq!(
        post(&s, &kasir, &approve, &Value::Null).await.status,
        StatusCode::FORBIDDEN
    );
    // the sekretaris (ManageGovernance, another person) completes it
    let (sek, _) = login(&s, &format!("sekretaris-{k}")).await;
    let r = post(&s, &sek, &approve, &Value::Null).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let t = first_login(&s, "kasir-dua", &once, "sandi-kasir-dua-1").await;
    // the new kasir acts in the book with the role granted
    let r = post_json(
        &s,
        &t,
        &format!("/api/koperasi/{k}/operations"),
        "kasir-dua-1",
        &qris_sale(12_000, "KASIR-DUA-1"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let log = get(&s, &peng, &users).await.json()["log"].clone();
    let granted = log
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "kasir-dua" && a["what"] == "role_granted")
        .cloned()
        .unwrap();
    assert_eq!(granted["by"], format!("sekretaris-{k}"));
}

#[tokio::test]
async fn who_may_administer_whom() {
    let s = fresh();
    let (a, b) = (code(&s, 0), code(&s, 1));
    let (dinas, _) = login(&s, "dinas").await;
    let (peng_a, _) = login(&s, &format!("pengurus-{a}")).await;
    let (kasir_a, _) = login(&s, &format!("kasir-{a}")).await;
    let new_kasir = serde_json::json!({"username": "kasir-x", "role": "kasir"});
    // the city office does not grant roles in a cooperative's book
    let r = post(&s, &dinas, &format!("/api/koperasi/{a}/users"), &new_kasir).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["kind"], "book_role");
    // a kasir has no ManageAccess
    let r = post(
        &s,
        &kasir_a,
        &format!("/api/koperasi/{a}/users"),
        &new_kasir,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&s, &kasir_a, &format!("/api/koperasi/{a}/users"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A's pengurus never reaches B's users (404, as for an unknown cooperative)
    for path in [
        format!("/api/koperasi/{b}/users"),
        format!("/api/koperasi/{b}/users/kasir-{b}/reset"),
        format!("/api/koperasi/{b}/users/kasir-{b}/disable"),
    ] {
        let r = if path.ends_with("users") {
            get(&s, &peng_a, &path).await
        } else {
            post(&s, &peng_a, &path, &Value::Null).await
        };
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.text().contains(&format!("kasir-{b}\"")), "{path}");
    }
    // …nor B's user through A's route
    let r = post(
        &s,
        &peng_a,
        &format!("/api/koperasi/{a}/users/kasir-{b}/disable"),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!s.user(&format!("kasir-{b}")).unwrap().is_disabled());
    // a pengurus is no city administrator
    assert_eq!(
        get(&s, &peng_a, "/api/city/users").await.status,
        StatusCode::FORBIDDEN
    );
    // an invalid or taken user name is refused
    for (name, status) in [
        ("X", StatusCode::UNPROCESSABLE_ENTITY),
        ("dinas", StatusCode::CONFLICT),
    ] {
        let r = post(
            &s,
            &dinas,
            "/api/city/users",
            &serde_json::json!({ "username": name }),
        )
        .await;
        assert_eq!(r.status, status, "{name}");
    }
    // nobody resets or disables themself through administration
    let r = post(&s, &dinas, "/api/city/users/dinas/disable", &Value::Null).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_city_office_creates_an_anggota_user_linked_to_a_member() {
    let s = fresh();
    let k = code(&s, 1);
    let m = a_member(&s, 1);
    let (dinas, _) = login(&s, "dinas").await;
    let path = format!("/api/koperasi/{k}/users");
    // an anggota user must name a member
    let r = post(
        &s,
        &dinas,
        &path,
        &serde_json::json!({"username": "siti", "role": "anggota"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        &s,
        &dinas,
        &path,
        &serde_json::json!({"username": "siti", "role": "anggota", "member": m}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let once = r.json()["initial_password"].as_str().unwrap().to_owned();
    let t = first_login(&s, "siti", &once, "sandi-siti-baru").await;
    let own = get(&s, &t, &format!("/api/koperasi/{k}/members/{m}/statement")).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text());
    assert_eq!(own.json()["masked"], false);
    let other = a_member_other(&s, 1, &m);
    let r = get(
        &s,
        &t,
        &format!("/api/koperasi/{k}/members/{other}/statement"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

fn a_member_other(state: &AppState, i: usize, not: &str) -> String {
    let coops = state.coops();
    let b = coops[i].book.read().unwrap();
    b.registry()
        .members()
        .map(|m| m.id().to_string())
        .find(|m| m != not)
        .unwrap()
}

#[tokio::test]
async fn a_reset_password_is_one_time_and_ends_the_sessions() {
    let s = fresh();
    let k = code(&s, 0);
    let kasir = format!("kasir-{k}");
    let (old_session, _) = login(&s, &kasir).await;
    let (dinas, _) = login(&s, "dinas").await;
    let reset = format!("/api/koperasi/{k}/users/{kasir}/reset");
    // a kasir can post entries (power in the book): the reset needs a second administrator
    let r = post(&s, &dinas, &reset, &Value::Null).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    assert_eq!(r.json()["status"], "reset_requested");
    assert!(r.json().get("initial_password").is_none());
    let r = post(&s, &dinas, &reset, &Value::Null).await;
    assert_eq!(r.json()["error"]["kind"], "maker_checker");
    // nothing changed yet
    assert_eq!(
        get(&s, &old_session, "/api/me").await.status,
        StatusCode::OK
    );
    assert_eq!(
        login_with(&s, &kasir, PASSWORD).await.status,
        StatusCode::OK
    );
    // the cooperative's ketua (ManageAccess) completes it and receives the password
    let (peng, _) = login(&s, &format!("pengurus-{k}")).await;
    let r = post(&s, &peng, &reset, &Value::Null).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let once = r.json()["initial_password"].as_str().unwrap().to_owned();
    assert_eq!(
        get(&s, &old_session, "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_with(&s, &kasir, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    first_login(&s, &kasir, &once, "sandi-kasir-baru-1").await;
    // an anggota holds no power: one administrator resets it at once
    let anggota = format!("anggota-{k}");
    let r = post(
        &s,
        &dinas,
        &format!("/api/koperasi/{k}/users/{anggota}/reset"),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.json()["initial_password"].is_string());
}

/// One city administrator cannot take over a second administrator's account to act as both
/// people of a two-person act: resetting a city administrator's password needs a third.
#[tokio::test]
async fn one_administrator_cannot_reset_another_to_approve_alone() {
    let s = fresh();
    let (dinas, _) = login(&s, "dinas").await;
    let r = post(&s, &dinas, "/api/city/users/dinas-2/reset", &Value::Null).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert!(r.json().get("initial_password").is_none());
    let r = post(&s, &dinas, "/api/city/users/dinas-2/reset", &Value::Null).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["kind"], "maker_checker");
    // dinas-2 still logs in with their own password
    assert_eq!(
        login_with(&s, "dinas-2", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_loses_their_sessions() {
    let s = fresh();
    let k = code(&s, 0);
    let kasir = format!("kasir-{k}");
    let (session, _) = login(&s, &kasir).await;
    let (peng, _) = login(&s, &format!("pengurus-{k}")).await;
    let r = post(
        &s,
        &peng,
        &format!("/api/koperasi/{k}/users/{kasir}/disable"),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["user"]["status"], "disabled");
    assert_eq!(
        get(&s, &session, "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = login_with(&s, &kasir, PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["kind"], "account_disabled");
    // a wrong password still gets the plain 401 (nothing about the account is said)
    assert_eq!(
        login_with(&s, &kasir, "salah").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_user_page_shows_the_acts_and_its_forms_need_the_csrf_token() {
    let s = fresh();
    let k = code(&s, 0);
    let r = login_with(&s, &format!("pengurus-{k}"), PASSWORD).await;
    let (token, csrf) = (
        r.json()["token"].as_str().unwrap().to_owned(),
        r.json()["csrf"].as_str().unwrap().to_owned(),
    );
    let cookie = format!("koperasi_session={token}");
    let page = format!("/koperasi/{k}/pengguna");
    let r = call(
        &s,
        Method::GET,
        &page,
        &[("cookie", &cookie)],
        Body::empty(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains(&format!("kasir-{k}")));
    let form = "act=create&username=pengawas-dua&role=pengawas";
    // without the token: refused, nothing created
    let r = call(
        &s,
        Method::POST,
        &page,
        &[
            ("cookie", &cookie),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        form,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(s.user("pengawas-dua").is_none());
    let r = call(
        &s,
        Method::POST,
        &page,
        &[
            ("cookie", &cookie),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        format!("{form}&_csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = r.text();
    assert!(text.contains("Kata sandi awal"), "{text}");
    assert!(text.contains("menunggu persetujuan"));
    let r = call(
        &s,
        Method::GET,
        &page,
        &[("cookie", &cookie)],
        Body::empty(),
    )
    .await;
    assert!(r.text().contains("pengawas-dua"));
    assert!(r.text().contains("dibuat"));
}

#[tokio::test]
async fn users_and_sessions_survive_a_restart() {
    let (dir, db) = temp_db("restart");
    let demo = DemoConfig::new(1, 12, 5, PASSWORD);
    let mut cfg = ServerConfig::default();
    cfg.session_max = Duration::from_secs(3600);
    let s = build_with_store(&demo, cfg.clone(), Store::open(&db).unwrap()).unwrap();
    let k = code(&s, 0);
    let m = a_member(&s, 0);
    let (dinas, _) = login(&s, "dinas").await;
    let r = post(
        &s,
        &dinas,
        &format!("/api/koperasi/{k}/users"),
        &serde_json::json!({"username": "budi", "role": "anggota", "member": m}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let once = r.json()["initial_password"].as_str().unwrap().to_owned();
    let budi = first_login(&s, "budi", &once, "sandi-budi-baru").await;
    let (kasir, _) = login(&s, &format!("kasir-{k}")).await;
    let (gone, _) = login(&s, &format!("pengawas-{k}")).await;
    assert_eq!(
        post(&s, &gone, "/api/logout", &Value::Null).await.status,
        StatusCode::OK
    );
    let (peng, _) = login(&s, &format!("pengurus-{k}")).await;
    let r = post(
        &s,
        &peng,
        &format!("/api/koperasi/{k}/users/bendahara-{k}/disable"),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    drop(s);
    let again = build_with_store(&demo, cfg, Store::open(&db).unwrap()).unwrap();
    // the user created over HTTP logs in with the password they chose
    assert_eq!(
        login_with(&again, "budi", "sandi-budi-baru").await.status,
        StatusCode::OK
    );
    // open sessions are still open…
    assert_eq!(get(&again, &budi, "/api/me").await.status, StatusCode::OK);
    assert_eq!(get(&again, &kasir, "/api/me").await.status, StatusCode::OK);
    // …a logged-out one is not
    assert_eq!(
        get(&again, &gone, "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    // the disabled user stays disabled (and the demo password does not revive them)
    let r = login_with(&again, &format!("bendahara-{k}"), PASSWORD).await;
    assert_eq!(r.json()["error"]["kind"], "account_disabled");
    // the store holds only the hash of a session token, never the token
    let store = Store::open(&db).unwrap();
    for rec in store.server_records("session").unwrap() {
        assert!(!rec.body.contains(&kasir) && rec.key != kasir);
    }
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_expired_session_does_not_come_back_after_a_restart() {
    let (dir, db) = temp_db("expiry");
    let demo = DemoConfig::new(1, 12, 5, PASSWORD);
    let mut cfg = ServerConfig::default();
    cfg.session_max = Duration::from_secs(1);
    let s = build_with_store(&demo, cfg.clone(), Store::open(&db).unwrap()).unwrap();
    let (t, _) = login(&s, "dinas").await;
    drop(s);
    // the session's stored expiry passes while the server is down
    std::thread::sleep(Duration::from_millis(2100));
    let again = build_with_store(&demo, cfg, Store::open(&db).unwrap()).unwrap();
    assert_eq!(
        get(&again, &t, "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

#[derive(Debug, Clone)]
enum Act {
    Create(u8),
    Approve(u8),
    Reset(u8),
    Disable(u8),
}

fn act() -> impl proptest::strategy::Strategy<Value = Act> {
    use proptest::prelude::*;
    prop_oneof![
        (0u8..3).prop_map(Act::Create),
        (0u8..3).prop_map(Act::Approve),
        (0u8..3).prop_map(Act::Reset),
        (0u8..3).prop_map(Act::Disable),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 12, ..proptest::prelude::ProptestConfig::default() })]

    /// Whatever one city administrator does alone — request, approve, reset, disable, in
    /// any order — no city administrator they requested can log in: the second person is
    /// always needed.
    #[test]
    fn prop_one_administrator_alone_never_activates_a_city_administrator(
        acts in proptest::collection::vec(act(), 1..7),
        case in 0u32..1_000_000,
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            static S: std::sync::OnceLock<AppState> = std::sync::OnceLock::new();
            let s = S.get_or_init(fresh).clone();
            let (dinas, _) = login(&s, "dinas").await;
            let name = |i: u8| format!("calon-{case}-{i}");
            let mut passwords = std::collections::HashMap::new();
            for a in &acts {
                let r = match a {
                    Act::Create(i) => post(&s, &dinas, "/api/city/users", &serde_json::json!({"username": name(*i)})).await,
                    Act::Approve(i) => post(&s, &dinas, &format!("/api/city/users/{}/approve", name(*i)), &Value::Null).await,
                    Act::Reset(i) => post(&s, &dinas, &format!("/api/city/users/{}/reset", name(*i)), &Value::Null).await,
                    Act::Disable(i) => post(&s, &dinas, &format!("/api/city/users/{}/disable", name(*i)), &Value::Null).await,
                };
                assert!(r.status.is_client_error() || r.status.is_success(), "{a:?}: {}", r.status);
                if let Some(p) = r.json()["initial_password"].as_str() {
                    passwords.insert(r.json()["username"].as_str().unwrap().to_owned(), p.to_owned());
                }
            }
            for (u, p) in &passwords {
                let r = login_with(&s, u, p).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{u} logged in after {acts:?}");
                let u = s.user(u).unwrap();
                assert!(u.is_pending() || u.is_disabled());
            }
        });
    }
}

/// The same over `PostgreSQL` when `KOPERASI_TEST_PG_URL` is set: a user created over HTTP and
/// an open session survive a restart, a logged-out session does not.
#[test]
fn users_and_sessions_survive_a_restart_on_postgres() {
    let Some(base) = std::env::var("KOPERASI_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("KOPERASI_TEST_PG_URL is not set: the PostgreSQL test is skipped");
        return;
    };
    let name = format!("t_users_{}", std::process::id());
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
    let demo = DemoConfig::new(1, 12, 16, PASSWORD);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let s = build_with_store(&demo, ServerConfig::default(), Store::open(&url).unwrap()).unwrap();
    let k = code(&s, 0);
    let m = a_member(&s, 0);
    let (kasir, gone) = rt.block_on(async {
        let (dinas, _) = login(&s, "dinas").await;
        let r = post(
            &s,
            &dinas,
            &format!("/api/koperasi/{k}/users"),
            &serde_json::json!({"username": "budi", "role": "anggota", "member": m}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let once = r.json()["initial_password"].as_str().unwrap().to_owned();
        first_login(&s, "budi", &once, "sandi-budi-baru").await;
        let (kasir, _) = login(&s, &format!("kasir-{k}")).await;
        let (gone, _) = login(&s, &format!("pengawas-{k}")).await;
        assert_eq!(
            post(&s, &gone, "/api/logout", &Value::Null).await.status,
            StatusCode::OK
        );
        (kasir, gone)
    });
    drop(s);
    let again =
        build_with_store(&demo, ServerConfig::default(), Store::open(&url).unwrap()).unwrap();
    rt.block_on(async {
        assert_eq!(
            login_with(&again, "budi", "sandi-budi-baru").await.status,
            StatusCode::OK
        );
        assert_eq!(get(&again, &kasir, "/api/me").await.status, StatusCode::OK);
        assert_eq!(
            get(&again, &gone, "/api/me").await.status,
            StatusCode::UNAUTHORIZED
        );
    });
    drop(again);
    drop(rt);
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
}

/// Guessing the old password through the password change is limited like logins.
#[tokio::test]
async fn wrong_old_passwords_are_rate_limited() {
    let s = fresh();
    let user = format!("kasir-{}", code(&s, 1));
    let (t, _) = login(&s, &user).await;
    let body =
        serde_json::json!({"old_password": "salah-sekali", "new_password": "sandi-baru-kasir-1"});
    for _ in 0..5 {
        assert_eq!(
            post(&s, &t, "/api/password", &body).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let r = post(&s, &t, "/api/password", &body).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // the right old password is refused too while the limit holds
    let good = serde_json::json!({"old_password": PASSWORD, "new_password": "sandi-baru-kasir-1"});
    assert_eq!(
        post(&s, &t, "/api/password", &good).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

//! Security properties of issue 16, each a test: cross-cooperative isolation over every
//! route, masking, member isolation, permissions, CSRF, Argon2id, rate limit, sessions, body
//! limit, headers, no external resources, and no panic on any input.

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::*;
use koperasi::core::MemberId;
use koperasi::membership::MemberStatus;
use koperasi_server::demo::{DemoConfig, build};
use koperasi_server::{MemoryRepo, ROUTES, ServerConfig};
use proptest::prelude::*;

fn fill(pattern: &str, id: &str, entry: &str, member: &str, account: &str) -> String {
    pattern
        .replace("{id}", id)
        .replace("{entry}", entry)
        .replace("{member}", member)
        .replace("{code}", account)
        .replace("{r}", "1")
        .replace("{username}", &format!("kasir-{id}"))
}

/// Every route with a cooperative in it, as pengurus of A against cooperative B: 403 or 404,
/// and nothing of B's data in the answer.
#[tokio::test]
async fn a_user_of_one_cooperative_never_gets_data_of_another_on_any_route() {
    let s = state();
    let (a, b) = (code(&s, 0), code(&s, 1));
    let (entry, member, account, name) = {
        let coops = s.coops();
        let bk = coops[1].book.read().unwrap();
        let e = bk.ledger().entries().nth(5).unwrap().id().to_string();
        let m = bk.registry().members().next().unwrap().id().to_string();
        (
            e,
            m,
            bk.code(koperasi::PostingRole::Cash),
            s.coops()[1].name.clone(),
        )
    };
    let mut checked = 0;
    for user in ["pengurus", "pengawas", "kasir", "bendahara", "anggota"] {
        let (t, _) = login(&s, &format!("{user}-{a}")).await;
        let auth = format!("Bearer {t}");
        for (method, pattern) in ROUTES.iter().filter(|(_, p)| p.contains("{id}")) {
            let path = fill(pattern, &b, &entry, &member, &account);
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            let r = call(
                &s,
                m,
                &path,
                &[
                    ("authorization", &auth),
                    ("content-type", "application/json"),
                    ("idempotency-key", "k"),
                ],
                "{\"op\":\"month_end\"}",
            )
            .await;
            assert!(
                r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
                "{user}-{a} {method} {path}: {}",
                r.status
            );
            let text = r.text();
            assert!(
                !text.contains(&name) && !text.contains(&entry),
                "{path} leaked data: {text}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 5 * 16);
    // B's own pengurus reaches the same routes
    let (t, _) = login(&s, &format!("pengurus-{b}")).await;
    let r = get(
        &s,
        &t,
        &fill(
            "/api/koperasi/{id}/entries/{entry}",
            &b,
            &entry,
            &member,
            &account,
        ),
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn the_city_office_sees_personal_data_masked() {
    let s = state();
    let k = code(&s, 0);
    let (dinas, _) = login(&s, "dinas").await;
    let (peng, _) = login(&s, &format!("pengurus-{k}")).await;
    let (m, nik, name) = {
        let coops = s.coops();
        let b = coops[0].book.read().unwrap();
        let m = b.registry().members().next().unwrap();
        (m.id(), m.nik().to_string(), m.name().to_owned())
    };
    let path = format!("/api/koperasi/{k}/members/{m}/statement");
    let d = get(&s, &dinas, &path).await;
    assert_eq!(d.status, 200, "{}", d.text());
    let text = d.text();
    assert!(!text.contains(&nik) && !text.contains(&name), "{text}");
    assert_eq!(d.json()["masked"], true);
    assert!(d.json()["nik"].as_str().unwrap().contains('*'));
    let p = get(&s, &peng, &path).await.json();
    assert_eq!(p["nik"], nik.as_str());
    assert_eq!(p["name"], name.as_str());
    // the member page shows the mask too
    let cookie = page_login(&s, "dinas").await;
    let html = call(
        &s,
        Method::GET,
        &format!("/koperasi/{k}/anggota/{m}"),
        &[("cookie", &cookie)],
        "",
    )
    .await
    .text();
    assert!(!html.contains(&nik) && !html.contains(&name));
    // the city office cannot filter entries by member (personal data)
    let r = get(&s, &dinas, &format!("/api/koperasi/{k}/entries?member={m}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_member_sees_only_their_own_statement() {
    let s = state();
    let k = code(&s, 0);
    let (t, _) = login(&s, &format!("anggota-{k}")).await;
    let me = get(&s, &t, "/api/me").await.json();
    let mine: MemberId = me["member"].as_str().unwrap().parse().unwrap();
    let other = {
        let coops = s.coops();
        let b = coops[0].book.read().unwrap();
        b.registry()
            .members()
            .find(|m| m.id() != mine && m.status() == MemberStatus::Member)
            .unwrap()
            .id()
    };
    assert_eq!(
        get(
            &s,
            &t,
            &format!("/api/koperasi/{k}/members/{mine}/statement")
        )
        .await
        .status,
        200
    );
    assert_eq!(
        get(
            &s,
            &t,
            &format!("/api/koperasi/{k}/members/{other}/statement")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    for p in ["trial-balance", "statements", "entries", "audit/checkpoint"] {
        assert_eq!(
            get(&s, &t, &format!("/api/koperasi/{k}/{p}")).await.status,
            StatusCode::FORBIDDEN,
            "{p}"
        );
    }
}

#[tokio::test]
async fn each_operation_is_checked_against_the_membership_permissions() {
    let s = state();
    let k = code(&s, 1);
    let path = format!("/api/koperasi/{k}/operations");
    let (kasir, _) = login(&s, &format!("kasir-{k}")).await;
    let (pengawas, _) = login(&s, &format!("pengawas-{k}")).await;
    let (dinas, _) = login(&s, "dinas").await;
    let (anggota, _) = login(&s, &format!("anggota-{k}")).await;
    // a teller cannot close a period (ClosePeriod)
    let r = post_json(
        &s,
        &kasir,
        &path,
        "p1",
        r#"{"op":"close_year","year":2027}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // a pengawas records no sale (PostEntry)
    let r = post_json(&s, &pengawas, &path, "p2", &qris_sale(10_000, "PERM-1")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // the city office and members write nothing
    assert_eq!(
        post_json(&s, &dinas, &path, "p3", &qris_sale(10_000, "PERM-2"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_json(&s, &anggota, &path, "p4", &qris_sale(10_000, "PERM-3"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // a teller lacks ViewAggregates: no trial balance
    assert_eq!(
        get(&s, &kasir, &format!("/api/koperasi/{k}/trial-balance"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn page_login(s: &koperasi_server::AppState, user: &str) -> String {
    let r = call(
        s,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        format!(r#"{{"username":"{user}","password":"{PASSWORD}"}}"#),
    )
    .await;
    let c = r.headers["set-cookie"].to_str().unwrap();
    c.split(';').next().unwrap().to_owned()
}

/// Every route of `ROUTES` but the public ones (health, login, the two assets) needs a
/// session: an API route answers 401 with the error shape, a page sends the visitor to the
/// login page. New routes are covered as soon as they are listed.
#[tokio::test]
async fn every_route_but_the_public_ones_needs_a_session() {
    let s = state();
    let k = code(&s, 0);
    let public = [
        "/healthz",
        "/api/login",
        "/login",
        "/assets/app.js",
        "/assets/app.css",
    ];
    let mut checked = 0;
    for (method, pattern) in ROUTES.iter().filter(|(_, p)| !public.contains(p)) {
        let path = fill(pattern, &k, "1", "1", "1101");
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let r = call(
            &s,
            m,
            &path,
            &[
                ("content-type", "application/json"),
                ("idempotency-key", "k"),
            ],
            "{}",
        )
        .await;
        if pattern.starts_with("/api/") {
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(r.json()["error"]["kind"], "unauthorized", "{method} {path}");
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{method} {path}");
            assert_eq!(r.headers["location"], "/login", "{method} {path}");
        }
        checked += 1;
    }
    assert_eq!(
        checked,
        ROUTES.len() - public.len() - 1,
        "GET and POST /login"
    );
}

/// The city administration routes — registering a cooperative, the city's users, the
/// registration and user pages — answer 403 to a cooperative's people (pengurus, kasir,
/// anggota) and to a read-only city user (pemantau), and change nothing.
#[tokio::test]
async fn city_administration_routes_refuse_cooperative_users_and_read_only_city_users() {
    let s = state();
    let k = code(&s, 0);
    // a read-only city user, made by a city administrator
    let (dinas, _) = login(&s, "dinas").await;
    let r = post_json(
        &s,
        &dinas,
        "/api/city/users",
        "k",
        r#"{"username":"pemantau-uji","kind":"pemantau"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let once = r.json()["initial_password"].as_str().unwrap().to_owned();
    let r = call(
        &s,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        format!(r#"{{"username":"pemantau-uji","password":"{once}"}}"#),
    )
    .await;
    let reader = r.json()["token"].as_str().unwrap().to_owned();
    let r = post_json(
        &s,
        &reader,
        "/api/password",
        "k",
        &format!(r#"{{"old_password":"{once}","new_password":"sandi-pemantau-uji"}}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let city_admin_only = |m: &str, p: &str| {
        (m == "POST" && p == "/api/koperasi")
            || p.starts_with("/api/city/users")
            || p == "/kota/daftar"
            || p == "/pengguna"
    };
    let coops_before = s.coops().len();
    let users_before = s.usernames().len();
    let mut checked = 0;
    for user in [
        format!("pengurus-{k}"),
        format!("kasir-{k}"),
        format!("anggota-{k}"),
        String::new(),
    ] {
        let token = if user.is_empty() {
            reader.clone()
        } else {
            login(&s, &user).await.0
        };
        let auth = format!("Bearer {token}");
        for (method, pattern) in ROUTES.iter().filter(|(m, p)| city_admin_only(m, p)) {
            let path = pattern.replace("{username}", "dinas-2");
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            let (ct, body) = if path.starts_with("/api/") {
                (
                    "application/json",
                    r#"{"username":"baru-sekali","kind":"pemantau","code":"KKMP-9","name":"KKMP Sembilan","village":"35.74.05.1999","opening":"2026-01-01"}"#,
                )
            } else {
                (
                    "application/x-www-form-urlencoded",
                    "act=create&username=baru-sekali&kind=pemantau&code=KKMP-9&name=KKMP+Sembilan&village=35.74.05.1999&opening=2026-01-01",
                )
            };
            let r = call(
                &s,
                m,
                &path,
                &[("authorization", &auth), ("content-type", ct)],
                body,
            )
            .await;
            let who = if user.is_empty() {
                "pemantau-uji"
            } else {
                &user
            };
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{who} {method} {path}: {}",
                r.text()
            );
            checked += 1;
        }
    }
    assert!(checked >= 4 * 11, "{checked}");
    assert_eq!(s.coops().len(), coops_before);
    assert_eq!(s.usernames().len(), users_before);
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_on_every_post() {
    let s = state();
    let k = code(&s, 1);
    let r = call(
        &s,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        format!(r#"{{"username":"dinas","password":"{PASSWORD}"}}"#),
    )
    .await;
    let cookie = r.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = r.json()["csrf"].as_str().unwrap().to_owned();
    let form = "text=Rapat+pengurus+tidak+tercatat&status=terbuka";
    let path = format!("/koperasi/{k}/pembinaan");
    let ct = ("content-type", "application/x-www-form-urlencoded");
    let no = call(&s, Method::POST, &path, &[("cookie", &cookie), ct], form).await;
    assert_eq!(no.status, StatusCode::FORBIDDEN);
    assert_eq!(no.json()["error"]["kind"], "csrf");
    let wrong = call(
        &s,
        Method::POST,
        &path,
        &[("cookie", &cookie), ct],
        format!("{form}&_csrf=00"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let ok = call(
        &s,
        Method::POST,
        &path,
        &[("cookie", &cookie), ct],
        format!("{form}&_csrf={csrf}"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    // JSON with a cookie: the header is required
    let api = format!("/api/koperasi/{k}/findings");
    let j = ("content-type", "application/json");
    assert_eq!(
        call(
            &s,
            Method::POST,
            &api,
            &[("cookie", &cookie), j],
            r#"{"text":"a"}"#
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(
            &s,
            Method::POST,
            &api,
            &[("cookie", &cookie), j, ("x-csrf-token", &csrf)],
            r#"{"text":"a"}"#
        )
        .await
        .status,
        StatusCode::CREATED
    );
    // the login form checks its double-submit token
    let r = call(
        &s,
        Method::POST,
        "/login",
        &[ct],
        format!("username=dinas&password={PASSWORD}&_csrf=abc"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = call(
        &s,
        Method::POST,
        "/login",
        &[ct, ("cookie", "koperasi_login_csrf=abc")],
        format!("username=dinas&password={PASSWORD}&_csrf=abc"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[test]
fn passwords_are_stored_as_argon2id_with_owasp_parameters() {
    let s = state();
    for name in s.usernames() {
        let u = s.user(&name).unwrap();
        let phc = u.password_hash();
        assert!(
            phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{name}: {phc}"
        );
        assert!(!phc.contains(PASSWORD));
    }
    let ua = s.user("dinas").unwrap();
    let ub = s.user(&format!("kasir-{}", code(&s, 0))).unwrap();
    let (a, b) = (ua.password_hash(), ub.password_hash());
    assert_ne!(a, b, "each hash has its own salt");
    assert!(koperasi_server::auth::verify_password(PASSWORD, a));
    assert!(!koperasi_server::auth::verify_password("demo", a));
}

#[tokio::test]
async fn logins_are_rate_limited_per_user() {
    let s = state();
    let user = format!("pengawas-{}", code(&s, 0));
    let body = |p: &str| format!(r#"{{"username":"{user}","password":"{p}"}}"#);
    for _ in 0..5 {
        let r = call(
            &s,
            Method::POST,
            "/api/login",
            &[("content-type", "application/json")],
            body("tebak"),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = call(
        &s,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        body(PASSWORD),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["error"]["kind"], "too_many_requests");
    assert!(r.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn sessions_expire_and_end_at_logout() {
    let mut cfg = ServerConfig::default();
    cfg.session_idle = Duration::from_millis(300);
    let s = build(
        &DemoConfig::new(1, 12, 3, PASSWORD),
        cfg,
        Arc::new(MemoryRepo::new()),
    )
    .unwrap();
    let (t, _) = login(&s, "dinas").await;
    assert_eq!(get(&s, &t, "/api/me").await.status, 200);
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(
        get(&s, &t, "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let (t, _) = login(&s, "dinas").await;
    let r = call(
        &s,
        Method::POST,
        "/api/logout",
        &[("authorization", &format!("Bearer {t}"))],
        "",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        get(&s, &t, "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn request_bodies_are_limited() {
    let s = state();
    let k = code(&s, 0);
    let (t, _) = login(&s, &format!("kasir-{k}")).await;
    let big = format!(r#"{{"op":"month_end","pad":"{}"}}"#, "x".repeat(100 * 1024));
    let r = post_json(
        &s,
        &t,
        &format!("/api/koperasi/{k}/operations"),
        "big",
        &big,
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"]["kind"], "payload_too_large");
    let r = call(
        &s,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        big,
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_pages_load_nothing_external() {
    let s = state();
    let k = code(&s, 0);
    let cookie = page_login(&s, "dinas").await;
    let entry = s.coops()[0]
        .book
        .read()
        .unwrap()
        .ledger()
        .entries()
        .next()
        .unwrap()
        .id();
    for path in [
        "/login",
        "/kota",
        &format!("/koperasi/{k}"),
        &format!("/koperasi/{k}/jurnal/{entry}"),
        "/api/koperasi",
        "/tidak-ada",
        "/api/tidak-ada",
        "/healthz",
    ] {
        let r = call(&s, Method::GET, path, &[("cookie", &cookie)], "").await;
        let h = |n: &str| {
            r.headers
                .get(n)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let csp = h("content-security-policy");
        assert!(
            csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'")
                && csp.contains("default-src 'none'"),
            "{path}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("http"),
            "{path}"
        );
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("x-frame-options"), "DENY", "{path}");
        let body = r.text();
        if h("content-type").starts_with("text/html") {
            assert!(
                !body.contains("http://") && !body.contains("https://") && !body.contains("//cdn"),
                "{path} references an external resource"
            );
            assert!(
                !body.contains("<script>")
                    && !body.contains(" style=")
                    && !body.contains(" onclick"),
                "{path} has inline script or style"
            );
            assert!(body.len() <= 300 * 1024, "{path}: {} bytes", body.len());
        }
    }
    let r = call(&s, Method::GET, "/api/tidak-ada", &[], "").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"]["kind"], "not_found");
    let r = call(&s, Method::DELETE, "/api/koperasi", &[], "").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.json()["error"]["kind"], "method_not_allowed");
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("api".to_owned()),
        Just("koperasi".to_owned()),
        Just("entries".to_owned()),
        Just("operations".to_owned()),
        Just("requests".to_owned()),
        Just("approve".to_owned()),
        Just("audit".to_owned()),
        Just("proof".to_owned()),
        Just("akun".to_owned()),
        Just("jurnal".to_owned()),
        Just("anggota".to_owned()),
        Just("KKMP-3574-01-1001".to_owned()),
        Just("KKMP-3574-01-1002".to_owned()),
        Just("%FF%00".to_owned()),
        Just("..".to_owned()),
        Just("99999999999999999999999".to_owned()),
        "[a-zA-Z0-9_%.-]{0,12}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z_]{1,8}=[a-zA-Z0-9%.:-]{0,16}".prop_map(|q| format!("?{q}")),
        Just("?as_of=2026-13-40".to_owned()),
        Just("?page=0&per_page=99999999999".to_owned()),
        Just("?period=2026-01-01..2025-01-01".to_owned()),
        Just("?entry=zz".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]
    /// No route panics or fails internally on any path, method, query or body.
    #[test]
    fn prop_no_route_panics_on_any_input(
        segs in prop::collection::vec(segment(), 0..6),
        q in query(),
        method in prop_oneof![Just(Method::GET), Just(Method::POST), Just(Method::PUT), Just(Method::DELETE)],
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            Just(r#"{"op":"deposit","member":"x","kind":"mandatory","amount":"-1","via":"cash"}"#.to_owned()),
            Just(r#"{"op":"qris_sale","unit":"sembako","item":"service","buyer":"non_member","payload":"000201"}"#.to_owned()),
            Just(r#"{"username":1,"password":null}"#.to_owned()),
            Just("[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]".to_owned()),
        ],
        who in 0usize..3,
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let s = state();
            let user = match who { 0 => "dinas".to_owned(), 1 => format!("kasir-{}", code(&s, 0)), _ => String::new() };
            let auth = if user.is_empty() { String::new() } else { format!("Bearer {}", login(&s, &user).await.0) };
            let path = format!("/{}{}", segs.join("/"), q);
            if path.parse::<axum::http::Uri>().is_err() { return; }
            let mut headers = vec![("content-type", "application/json"), ("idempotency-key", "prop")];
            if !auth.is_empty() { headers.push(("authorization", auth.as_str())); }
            let r = call(&s, method.clone(), &path, &headers, body.clone()).await;
            assert!(!r.status.is_server_error(), "{method} {path} → {}: {}", r.status, r.text());
            if r.status.is_client_error() && (path.starts_with("/api/") || path == "/healthz") {
                assert!(r.json()["error"]["kind"].is_string(), "{method} {path}: {}", r.text());
            }
        });
    }
}

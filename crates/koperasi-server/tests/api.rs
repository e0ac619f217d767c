//! The JSON API: paths of issue 16, the error shape, idempotency, two-person requests, live
//! events, and the `OpenAPI` file against the routes.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::*;
use koperasi::Operation;
use koperasi::core::chrono::NaiveDate;
use koperasi::core::{LoanId, MemberId, Rate, Rupiah};
use koperasi::membership::MemberStatus;
use koperasi::savings_loans::{LoanTerms, Method as LoanMethod};
use koperasi_server::ROUTES;

#[tokio::test]
async fn healthz_answers_ok() {
    let s = state();
    let r = call(&s, Method::GET, "/healthz", &[], "").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie_and_returns_a_token() {
    let s = state();
    let user = format!("pengurus-{}", code(&s, 0));
    let r = call(
        &s,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        format!(r#"{{"username":"{user}","password":"{PASSWORD}"}}"#),
    )
    .await;
    assert_eq!(r.status, 200);
    let cookie = r.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("koperasi_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let token = r.json()["token"].as_str().unwrap().to_owned();
    assert!(cookie.contains(&token));
    let me = get(&s, &token, "/api/me").await;
    assert_eq!(me.json()["username"], user.as_str());
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let s = state();
    let body = |u: &str| format!(r#"{{"username":"{u}","password":"salah"}}"#);
    let a = call(
        &s,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        body(&format!("kasir-{}", code(&s, 1))),
    )
    .await;
    let b = call(
        &s,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        body("tidak-ada"),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(b.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.body, b.body);
    assert_eq!(a.json()["error"]["kind"], "unauthorized");
}

#[tokio::test]
async fn the_city_office_sees_every_cooperative_and_a_pengurus_only_theirs() {
    let s = state();
    let (dinas, _) = login(&s, "dinas").await;
    let (peng, _) = login(&s, &format!("pengurus-{}", code(&s, 1))).await;
    let all = get(&s, &dinas, "/api/koperasi").await.json();
    assert_eq!(all["koperasi"].as_array().unwrap().len(), 2);
    let own = get(&s, &peng, "/api/koperasi").await.json();
    let own = own["koperasi"].as_array().unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["code"], code(&s, 1).as_str());
    let city = get(&s, &dinas, "/api/city").await.json();
    assert_eq!(city["triage"].as_array().unwrap().len(), 2);
    let city_own = get(&s, &peng, "/api/city").await.json();
    assert_eq!(city_own["triage"].as_array().unwrap().len(), 1);
    assert_eq!(city_own["view"]["totals"]["cooperatives"], 1);
}

#[tokio::test]
async fn reading_routes_give_the_books_figures() {
    let s = state();
    let k = code(&s, 0);
    let (t, _) = login(&s, &format!("pengurus-{k}")).await;
    let tb = get(
        &s,
        &t,
        &format!("/api/koperasi/{k}/trial-balance?as_of=2026-12-31"),
    )
    .await;
    assert_eq!(tb.status, 200, "{}", tb.text());
    assert_eq!(tb.json()["as_of"], "2026-12-31");
    let st = get(&s, &t, &format!("/api/koperasi/{k}/statements?period=2026")).await;
    assert_eq!(st.status, 200, "{}", st.text());
    let bs = &st.json()["statements"]["balance_sheet"];
    assert_eq!(
        bs["total_assets"]["current"],
        bs["total_liabilities_and_equity"]["current"]
    );
    let bad = get(
        &s,
        &t,
        &format!("/api/koperasi/{k}/statements?period=kemarin"),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"]["kind"], "bad_request");

    let kas = s.coops()[0]
        .book
        .read()
        .unwrap()
        .code(koperasi::PostingRole::Cash);
    let e = get(
        &s,
        &t,
        &format!("/api/koperasi/{k}/entries?account={kas}&per_page=5&page=2"),
    )
    .await;
    assert_eq!(e.status, 200);
    let v = e.json();
    assert_eq!(v["entries"].as_array().unwrap().len(), 5);
    assert!(v["total"].as_u64().unwrap() > 10);
    for entry in v["entries"].as_array().unwrap() {
        assert!(
            entry["lines"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["account"] == kas.as_str())
        );
    }
    let id = v["entries"][0]["id"].as_str().unwrap().to_owned();
    let p = get(&s, &t, &format!("/api/koperasi/{k}/audit/proof?entry={id}"))
        .await
        .json();
    assert_eq!(p["proof"]["verified"], true);
    let cp = get(&s, &t, &format!("/api/koperasi/{k}/audit/checkpoint"))
        .await
        .json();
    assert_eq!(p["proof"]["tree_size"], cp["size"]);
    assert_eq!(p["proof"]["root"], cp["root"]);
    assert!(
        cp["checkpoint"]
            .as_str()
            .unwrap()
            .starts_with(&format!("koperasi/{k}\n"))
    );
    // the proof recomputed here from the leaf and the path gives the checkpoint's root
    let proof = koperasi::ledger::audit::InclusionProof {
        leaf_index: p["proof"]["leaf_index"].as_u64().unwrap(),
        tree_size: p["proof"]["tree_size"].as_u64().unwrap(),
        path: p["proof"]["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap().parse().unwrap())
            .collect(),
    };
    let leaf = hex::decode(p["proof"]["leaf_hex"].as_str().unwrap()).unwrap();
    let head = koperasi::ledger::audit::TreeHead {
        size: proof.tree_size,
        root: cp["root"].as_str().unwrap().parse().unwrap(),
    };
    proof.verify(&leaf, &head).unwrap();
}

#[tokio::test]
async fn a_posted_qris_sale_is_idempotent_and_pushed_live() {
    let s = state();
    let k = code(&s, 1);
    let (t, _) = login(&s, &format!("kasir-{k}")).await;
    let mut live = s.subscribe();
    let before = s.coops()[1].book.read().unwrap().ledger().len();
    let body = qris_sale(25_000, "UJI-IDEM-1");
    let a = post_json(
        &s,
        &t,
        &format!("/api/koperasi/{k}/operations"),
        "kunci-1",
        &body,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    assert_eq!(a.json()["entries"].as_array().unwrap().len(), 1);
    let b = post_json(
        &s,
        &t,
        &format!("/api/koperasi/{k}/operations"),
        "kunci-1",
        &body,
    )
    .await;
    assert_eq!(b.status, StatusCode::CREATED);
    assert_eq!(a.body, b.body);
    assert_eq!(s.coops()[1].book.read().unwrap().ledger().len(), before + 1);
    let other = post_json(
        &s,
        &t,
        &format!("/api/koperasi/{k}/operations"),
        "kunci-1",
        &qris_sale(1, "X"),
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.json()["error"]["kind"], "idempotency_key_reused");
    let ev = live.try_recv().unwrap();
    assert_eq!(ev.coop, k);
    assert_eq!(ev.what, "qris_sale");
    // no key: 400
    let r = call(
        &s,
        Method::POST,
        &format!("/api/koperasi/{k}/operations"),
        &[("authorization", &format!("Bearer {t}"))],
        body,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["kind"], "bad_request");
}

#[tokio::test]
async fn a_large_loan_needs_a_second_person_over_http() {
    let s = state();
    let k = code(&s, 0);
    let (kasir, _) = login(&s, &format!("kasir-{k}")).await;
    let (ketua, _) = login(&s, &format!("pengurus-{k}")).await;
    let (bendahara, _) = login(&s, &format!("bendahara-{k}")).await;
    let member: MemberId = {
        let coops = s.coops();
        let b = coops[0].book.read().unwrap();
        b.registry()
            .members()
            .filter(|m| m.status() == MemberStatus::Member)
            .nth(3)
            .unwrap()
            .id()
    };
    let loan = LoanId::from_u128(0xDEAD_BEEF);
    let terms = LoanTerms::new(
        Rupiah::from_rupiah(15_000_000),
        Rate::per_month(koperasi::core::Decimal::ONE).unwrap(),
        12,
        LoanMethod::Flat,
        NaiveDate::from_ymd_opt(2027, 3, 20).unwrap(),
    );
    let apply = serde_json::to_string(&Operation::ApplyLoan {
        loan,
        member,
        terms,
    })
    .unwrap();
    let r = post_json(
        &s,
        &kasir,
        &format!("/api/koperasi/{k}/operations"),
        "apply-1",
        &apply,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let approve = serde_json::to_string(&Operation::ApproveLoan { loan }).unwrap();
    let r = post_json(
        &s,
        &ketua,
        &format!("/api/koperasi/{k}/operations"),
        "approve-1",
        &approve,
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    assert_eq!(r.json()["request"]["status"], "pending");
    let req = r.json()["request"]["id"].as_u64().unwrap();
    assert!(
        s.coops()[0].book.read().unwrap().applications()[&loan]
            .approved
            .is_none()
    );
    // the maker cannot approve their own request; a teller has no ApproveLoan permission
    let path = format!("/api/koperasi/{k}/requests/{req}/approve");
    let r = post_json(&s, &ketua, &path, "x", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = post_json(&s, &kasir, &path, "x", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_json(&s, &bendahara, &path, "x", "").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        r.json()["request"]["checker"],
        format!("bendahara-{k}").as_str()
    );
    let (maker, checker) = s.coops()[0].book.read().unwrap().applications()[&loan]
        .approved
        .unwrap();
    assert_ne!(Some(maker), checker);
    let again = post_json(&s, &bendahara, &path, "x", "").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn findings_are_written_by_the_city_and_read_by_pengurus_and_pengawas() {
    let s = state();
    let k = code(&s, 1);
    let (dinas, _) = login(&s, "dinas").await;
    let r = call(
        &s,
        Method::POST,
        &format!("/api/koperasi/{k}/findings"),
        &[
            ("authorization", &format!("Bearer {dinas}")),
            ("content-type", "application/json"),
        ],
        r#"{"text":"Buku kas belum direkonsiliasi dengan rekening bank.","due":"2027-04-30"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["finding"]["author"], "dinas");
    for u in ["pengurus", "pengawas"] {
        let (t, _) = login(&s, &format!("{u}-{k}")).await;
        let v = get(&s, &t, &format!("/api/koperasi/{k}/findings"))
            .await
            .json();
        assert!(
            v["findings"]
                .as_array()
                .unwrap_or_else(|| panic!("{u}: {v}"))
                .iter()
                .any(|f| f["text"].as_str().unwrap().contains("direkonsiliasi")),
            "{v}"
        );
        let w = call(
            &s,
            Method::POST,
            &format!("/api/koperasi/{k}/findings"),
            &[
                ("authorization", &format!("Bearer {t}")),
                ("content-type", "application/json"),
            ],
            r#"{"text":"x"}"#,
        )
        .await;
        assert_eq!(w.status, StatusCode::FORBIDDEN);
    }
    let (kasir, _) = login(&s, &format!("kasir-{k}")).await;
    assert_eq!(
        get(&s, &kasir, &format!("/api/koperasi/{k}/findings"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[test]
fn the_openapi_file_documents_exactly_the_api_routes() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/openapi.json"
    ))
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .filter(|(_, p)| p.starts_with("/api/") || *p == "/healthz")
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(documented, routes);
}

/// The per-cooperative view cache stays bounded however many dates are asked for.
#[tokio::test]
async fn the_view_cache_of_a_cooperative_is_bounded() {
    let s = state();
    let k = code(&s, 1);
    let (t, _) = login(&s, &format!("pengurus-{k}")).await;
    let last = s.coops()[1].book.read().unwrap().last_date();
    for d in 0..12u64 {
        let as_of = last - koperasi::core::chrono::Days::new(d * 7);
        let r = get(&s, &t, &format!("/koperasi/{k}?as_of={as_of}")).await;
        assert!(r.status.is_success(), "{as_of}: {}", r.status);
        assert!(s.coops()[1].cached_views() <= koperasi_server::views::VIEWS_KEPT);
    }
    assert!(s.coops()[1].cached_views() >= 2, "the cache is used");
}

/// The cooperative page shows each computed health ratio's *Asal angka*: the inputs it read
/// with their traces, and the accounts they name link to the account's journal lines.
#[tokio::test]
async fn the_health_ratios_show_their_traces_with_links_to_the_accounts() {
    // a cooperative large enough to have loans and a scored closed year
    let s = koperasi_server::demo::build(
        &koperasi_server::demo::DemoConfig::new(1, 150, 11, PASSWORD),
        koperasi_server::ServerConfig::default(),
        std::sync::Arc::new(koperasi_server::MemoryRepo::new()),
    )
    .unwrap();
    let k = code(&s, 0);
    let (t, _) = login(&s, &format!("pengurus-{k}")).await;
    let r = get(&s, &t, &format!("/koperasi/{k}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    let at = page
        .find("id=\"asal-angka\"")
        .expect("an Asal angka section");
    let traces = &page[at..];
    assert!(
        traces.contains("<details class=\"trace\""),
        "one block per ratio"
    );
    // the cash account's code is named by some trace, linked to its ledger page
    let prefix = format!("href=\"/koperasi/{k}/akun/");
    let link = traces
        .match_indices(&prefix)
        .map(|(i, _)| {
            let rest = &traces[i + 6..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .next()
        .expect("a trace names an account");
    let r = get(&s, &t, &link).await;
    assert_eq!(r.status, StatusCode::OK, "{link}");
    assert!(
        r.text().contains("/jurnal/"),
        "the account page lists entries"
    );
}

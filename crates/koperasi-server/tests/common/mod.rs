//! Shared helpers: one small simulated city per test binary, requests in-process.
#![allow(dead_code, reason = "each test binary uses a subset")]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use koperasi::core::{Decimal, Rupiah};
use koperasi::qris::{Amount, MerchantCriteria, Qris, QrisBuilder};
use koperasi_server::demo::{DemoConfig, build};
use koperasi_server::{AppState, MemoryRepo, ServerConfig, router};
use serde_json::Value;
use tower::ServiceExt;

pub const PASSWORD: &str = "rahasia-uji";

/// The shared city: 2 cooperatives of 24 members.
pub fn state() -> AppState {
    static S: OnceLock<AppState> = OnceLock::new();
    S.get_or_init(|| {
        build(
            &DemoConfig::new(2, 24, 11, PASSWORD),
            ServerConfig::default(),
            Arc::new(MemoryRepo::new()),
        )
        .unwrap()
    })
    .clone()
}

pub fn code(state: &AppState, i: usize) -> String {
    state.coops()[i].code.clone()
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub async fn call(
    state: &AppState,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Resp {
    let mut req = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = router(state.clone())
        .oneshot(req.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

/// Logs in over the API; returns (token, csrf).
pub async fn login(state: &AppState, user: &str) -> (String, String) {
    let r = call(
        state,
        Method::POST,
        "/api/login",
        &[("content-type", "application/json")],
        format!(r#"{{"username":"{user}","password":"{PASSWORD}"}}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "login {user}: {}", r.text());
    let v = r.json();
    (
        v["token"].as_str().unwrap().to_owned(),
        v["csrf"].as_str().unwrap().to_owned(),
    )
}

pub async fn get(state: &AppState, token: &str, path: &str) -> Resp {
    let auth = format!("Bearer {token}");
    call(
        state,
        Method::GET,
        path,
        &[("authorization", &auth)],
        Body::empty(),
    )
    .await
}

pub async fn post_json(state: &AppState, token: &str, path: &str, key: &str, body: &str) -> Resp {
    let auth = format!("Bearer {token}");
    call(
        state,
        Method::POST,
        path,
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
            ("idempotency-key", key),
        ],
        body.to_owned(),
    )
    .await
}

/// A dynamic QRIS payload for `rupiah` with reference `reference`.
pub fn qris_payload(rupiah: i64, reference: &str) -> String {
    let s = QrisBuilder::new("KKMP UJI", "PROBOLINGGO", "5411")
        .merchant_account(
            26,
            "ID.CO.BANKMERAH.WWW",
            "9360000000000000099",
            "KKMP0099",
            MerchantCriteria::Umi,
        )
        .national("ID1025357400099", MerchantCriteria::Umi)
        .build()
        .unwrap();
    let q = Qris::parse(&s).unwrap();
    let amount = Amount::from_decimal(Rupiah::from_rupiah(rupiah).to_decimal()).unwrap();
    let _ = Decimal::ONE;
    q.to_dynamic_with_reference(&amount, None, reference)
        .unwrap()
}

/// The JSON of a QRIS sale of a service to a non-member.
pub fn qris_sale(rupiah: i64, reference: &str) -> String {
    serde_json::json!({
        "op": "qris_sale",
        "unit": "sembako",
        "item": "service",
        "buyer": "non_member",
        "payload": qris_payload(rupiah, reference),
    })
    .to_string()
}

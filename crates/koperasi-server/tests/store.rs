//! The server over a durable `SQLite` store: an operation acknowledged over HTTP is in the
//! store, and a restarted server loads the books with it.

mod common;

use axum::http::StatusCode;
use common::*;
use koperasi_server::ServerConfig;
use koperasi_server::demo::{DemoConfig, build_with_store};
use koperasi_store::Store;

#[tokio::test]
async fn an_acknowledged_operation_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("koperasi-server-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kota.db");
    let _ = std::fs::remove_file(&path);
    let db = path.to_str().unwrap().to_owned();
    let demo = DemoConfig::new(1, 12, 5, PASSWORD);
    let s = build_with_store(&demo, ServerConfig::default(), Store::open(&db).unwrap()).unwrap();
    let k = code(&s, 0);
    let before = s.coops()[0].book.read().unwrap().ledger().len();
    let (t, _) = login(&s, &format!("kasir-{k}")).await;
    let r = post_json(
        &s,
        &t,
        &format!("/api/koperasi/{k}/operations"),
        "durable-1",
        &qris_sale(40_000, "DURABLE-1"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let head = s.coops()[0].book.read().unwrap().audit_head();
    drop(s);
    // a fresh process: the store holds the sale, the rebuilt server serves it
    let store = Store::open(&db).unwrap();
    let again = build_with_store(&demo, ServerConfig::default(), store).unwrap();
    let b = again.coops()[0].book.read().unwrap();
    assert_eq!(b.ledger().len(), before + 1);
    assert_eq!(b.audit_head(), head);
    drop(b);
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

//! The server over a durable store: an operation acknowledged over HTTP is in the store,
//! concurrent operations are committed in groups and applied to the books in log order, a
//! retry after a restart is answered from the store's idempotency record, and a restarted
//! server loads the books with everything acknowledged. The same over `PostgreSQL` when
//! `KOPERASI_TEST_PG_URL` is set.

mod common;

use axum::http::StatusCode;
use common::*;
use koperasi_server::ServerConfig;
use koperasi_server::demo::{DemoConfig, build_with_store};
use koperasi_store::Store;

fn temp_db(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("koperasi-server-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kota.db");
    let _ = std::fs::remove_file(&path);
    let db = path.to_str().unwrap().to_owned();
    (dir, db)
}

#[tokio::test]
async fn an_acknowledged_operation_survives_a_restart() {
    let (dir, db) = temp_db("restart");
    let demo = DemoConfig::new(1, 12, 5, PASSWORD);
    let s = build_with_store(&demo, ServerConfig::default(), Store::open(&db).unwrap()).unwrap();
    let k = code(&s, 0);
    let before = s.coops()[0].book.read().unwrap().ledger().len();
    let (t, _) = login(&s, &format!("kasir-{k}")).await;
    let path = format!("/api/koperasi/{k}/operations");
    let sale = qris_sale(40_000, "DURABLE-1");
    let r = post_json(&s, &t, &path, "durable-1", &sale).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let first = r.json();
    let head = s.coops()[0].book.read().unwrap().audit_head();
    assert_eq!(first["audit"]["size"], head.size);
    assert_eq!(first["audit"]["root"], head.root.to_string());
    drop(s);
    // a fresh process: the store holds the sale, the rebuilt server serves it
    let store = Store::open(&db).unwrap();
    let again = build_with_store(&demo, ServerConfig::default(), store).unwrap();
    {
        let b = again.coops()[0].book.read().unwrap();
        assert_eq!(b.ledger().len(), before + 1);
        assert_eq!(b.audit_head(), head);
    }
    // the retry after the restart is answered from the store's idempotency record: the same
    // entries, nothing posted again
    let (t, _) = login(&again, &format!("kasir-{k}")).await;
    let r = post_json(&again, &t, &path, "durable-1", &sale).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["entries"], first["entries"]);
    assert_eq!(r.json()["audit"], first["audit"]);
    assert_eq!(
        again.coops()[0].book.read().unwrap().ledger().len(),
        before + 1
    );
    // the same key for another operation is refused and changes nothing
    let r = post_json(
        &again,
        &t,
        &path,
        "durable-1",
        &qris_sale(41_000, "DURABLE-2"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["error"]["kind"], "idempotency_key_reused");
    assert_eq!(
        again.coops()[0].book.read().unwrap().ledger().len(),
        before + 1
    );
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Many operations in flight on two cooperatives: every one is acknowledged, the books in
/// memory equal the store's logs replayed (same audit heads), and no operation is posted
/// twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_operations_are_group_committed_in_log_order() {
    let (dir, db) = temp_db("group");
    let demo = DemoConfig::new(2, 12, 9, PASSWORD);
    let store = Store::open(&db).unwrap();
    let s = build_with_store(&demo, ServerConfig::default(), store.clone()).unwrap();
    let before: Vec<usize> = s
        .coops()
        .iter()
        .map(|c| c.book.read().unwrap().ledger().len())
        .collect();
    let mut tokens = Vec::new();
    for i in 0..2 {
        tokens.push(login(&s, &format!("kasir-{}", code(&s, i))).await.0);
    }
    let mut tasks = Vec::new();
    for n in 0..40usize {
        let s = s.clone();
        let i = n % 2;
        let k = code(&s, i);
        let t = tokens[i].clone();
        tasks.push(tokio::spawn(async move {
            let reference = format!("GROUP-{n:03}");
            post_json(
                &s,
                &t,
                &format!("/api/koperasi/{k}/operations"),
                &reference,
                &qris_sale(10_000 + i64::try_from(n).unwrap() * 100, &reference),
            )
            .await
        }));
    }
    let mut entries = std::collections::BTreeSet::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        for e in r.json()["entries"].as_array().unwrap() {
            assert!(
                entries.insert(e.to_string()),
                "entry {e} acknowledged twice"
            );
        }
    }
    let ids: Vec<_> = store.list_koperasi().unwrap();
    for (i, c) in s.coops().iter().enumerate() {
        let b = c.book.read().unwrap();
        assert_eq!(b.ledger().len(), before[i] + 20, "{}", c.code);
        let id = b.config().cooperative;
        assert!(ids.iter().any(|k| k.id == id));
        assert_eq!(store.replay(id).unwrap().audit_head(), b.audit_head());
    }
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The server over `PostgreSQL` (`KOPERASI_TEST_PG_URL`, set by CI): posts a sale and reads it
/// back over the API, then again from a server rebuilt from the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_from_postgres_when_configured() {
    let Ok(url) = std::env::var("KOPERASI_TEST_PG_URL") else {
        eprintln!("KOPERASI_TEST_PG_URL is not set: the PostgreSQL test is skipped");
        return;
    };
    // a seed of its own, so the test's cooperative does not collide with other tests' data
    let demo = DemoConfig::new(1, 12, 160_016, PASSWORD);
    let s = build_with_store(&demo, ServerConfig::default(), Store::open(&url).unwrap()).unwrap();
    let k = code(&s, 0);
    let before = s.coops()[0].book.read().unwrap().ledger().len();
    let (t, _) = login(&s, &format!("kasir-{k}")).await;
    let nonce = format!(
        "PG-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let r = post_json(
        &s,
        &t,
        &format!("/api/koperasi/{k}/operations"),
        &nonce,
        &qris_sale(55_000, &nonce),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let entry = r.json()["entries"][0].as_str().unwrap().to_owned();
    let r = get(&s, &t, &format!("/api/koperasi/{k}/entries/{entry}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["proof"]["verified"], true);
    let head = s.coops()[0].book.read().unwrap().audit_head();
    drop(s);
    let again =
        build_with_store(&demo, ServerConfig::default(), Store::open(&url).unwrap()).unwrap();
    let b = again.coops()[0].book.read().unwrap();
    assert_eq!(b.ledger().len(), before + 1);
    assert_eq!(b.audit_head(), head);
}

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
        let coops = again.coops();
        let b = coops[0].book.read().unwrap();
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

/// Mentoring findings and their follow-ups are server records in the store: a restarted
/// server shows them with the same authors, times and hash chain.
#[tokio::test]
async fn findings_survive_a_restart_with_their_hash_chain() {
    let (dir, db) = temp_db("findings");
    let demo = DemoConfig::new(1, 12, 5, PASSWORD);
    let s = build_with_store(&demo, ServerConfig::default(), Store::open(&db).unwrap()).unwrap();
    let k = code(&s, 0);
    let (t, _) = login(&s, "dinas").await;
    let path = format!("/api/koperasi/{k}/findings");
    let r = post_json(
        &s,
        &t,
        &path,
        "f-1",
        r#"{"text":"Kas tidak direkonsiliasi sejak Maret","due":"2027-01-31"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["finding"]["id"].as_u64().unwrap();
    let body = format!(r#"{{"text":"Rekonsiliasi dimulai","status":"proses","follows":{id}}}"#);
    let r = post_json(&s, &t, &path, "f-2", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let before = get(&s, &t, &path).await.json()["findings"].clone();
    assert_eq!(before.as_array().unwrap().len(), 2);
    drop(s);
    let again =
        build_with_store(&demo, ServerConfig::default(), Store::open(&db).unwrap()).unwrap();
    let (t, _) = login(&again, "dinas").await;
    let after = get(&again, &t, &path).await.json()["findings"].clone();
    assert_eq!(after, before);
    assert_eq!(after[0]["author"], "dinas");
    assert_eq!(after[1]["revision"], 2);
    assert_eq!(after[1]["status"], "proses");
    // the records carry who and when
    let records = again.store().unwrap().server_records("finding").unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].author, "dinas");
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
/// back over the API, then again from a server rebuilt from the database. The store's
/// `PostgreSQL` client blocks, so the store is opened outside the async runtime (as
/// `koperasi serve` does) and the requests run in one.
#[test]
fn serves_from_postgres_when_configured() {
    let Some(base) = std::env::var("KOPERASI_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("KOPERASI_TEST_PG_URL is not set: the PostgreSQL test is skipped");
        return;
    };
    // a database of its own on the cluster, dropped at the end
    let name = format!("t_server_{}", std::process::id());
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
    let s = build_with_store(&demo, ServerConfig::default(), Store::open(&url).unwrap()).unwrap();
    let k = code(&s, 0);
    let before = s.coops()[0].book.read().unwrap().ledger().len();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let head = rt.block_on(async {
        let (t, _) = login(&s, &format!("kasir-{k}")).await;
        let r = post_json(
            &s,
            &t,
            &format!("/api/koperasi/{k}/operations"),
            "pg-sale-1",
            &qris_sale(55_000, "PG-SALE-1"),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let entry = r.json()["entries"][0].as_str().unwrap().to_owned();
        let (p, _) = login(&s, &format!("pengurus-{k}")).await;
        let r = get(&s, &p, &format!("/api/koperasi/{k}/entries/{entry}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["proof"]["verified"], true);
        // a mentoring finding is a server record in PostgreSQL too
        let (d, _) = login(&s, "dinas").await;
        let r = post_json(
            &s,
            &d,
            &format!("/api/koperasi/{k}/findings"),
            "pg-f-1",
            r#"{"text":"Uji temuan di PostgreSQL"}"#,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        s.coops()[0].book.read().unwrap().audit_head()
    });
    drop(s);
    let again =
        build_with_store(&demo, ServerConfig::default(), Store::open(&url).unwrap()).unwrap();
    {
        let coops = again.coops();
        let b = coops[0].book.read().unwrap();
        assert_eq!(b.ledger().len(), before + 1);
        assert_eq!(b.audit_head(), head);
    }
    let records = again.store().unwrap().server_records("finding").unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].author, "dinas");
    drop(again);
    drop(rt);
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}

/// The idempotency answers held in memory are bounded over a store; a retry of an evicted
/// answer is answered from the store's record of the key: the same status and body, nothing
/// posted again.
#[tokio::test]
async fn a_retry_after_its_answer_was_evicted_gets_the_same_response() {
    let (dir, db) = temp_db("evict");
    let demo = DemoConfig::new(1, 12, 5, PASSWORD);
    let mut cfg = ServerConfig::default();
    cfg.answers_kept = 2;
    let s = build_with_store(&demo, cfg, Store::open(&db).unwrap()).unwrap();
    let k = code(&s, 0);
    let (t, _) = login(&s, &format!("kasir-{k}")).await;
    let path = format!("/api/koperasi/{k}/operations?date=2099-01-02");
    let mut first = Vec::new();
    for i in 0..5 {
        let r = post_json(
            &s,
            &t,
            &path,
            &format!("evict-{i}"),
            &qris_sale(10_000 + i, &format!("EVICT-{i}")),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        first.push(r.text());
        assert!(s.answers_held() <= 2);
    }
    let len = s.coops()[0].book.read().unwrap().ledger().len();
    // evict-0 is long gone from memory
    let r = post_json(&s, &t, &path, "evict-0", &qris_sale(10_000, "EVICT-0")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.text(), first[0]);
    assert_eq!(s.coops()[0].book.read().unwrap().ledger().len(), len);
    // and the same key with another body is still refused
    let r = post_json(&s, &t, &path, "evict-1", &qris_sale(99_000, "EVICT-X")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(s.answers_held() <= 2);
    // the background WAL checkpoint runs on SQLite (and is nothing on PostgreSQL)
    let (log, copied) = s
        .store()
        .unwrap()
        .checkpoint_wal_passive()
        .unwrap()
        .unwrap();
    assert!(copied <= log, "{copied} of {log}");
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}

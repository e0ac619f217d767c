//! Load test on loopback: `clients` concurrent clients post QRIS sales over HTTP across every
//! cooperative of the demo city for `seconds`, then the city and cooperative pages are timed.
//!
//! ```text
//! cargo run --release -p koperasi-server --example loadtest -- --clients 64 --seconds 10
//! cargo run --release -p koperasi-server --example loadtest -- --db /tmp/kota.db   # keep the store
//! cargo run --release -p koperasi-server --example loadtest -- --db memory         # no store
//! ```
//!
//! By default the server commits to a fresh `SQLite` store in a temporary directory (durable
//! settings: WAL, `synchronous=FULL`; group commit) holding the demo city, removed at the end;
//! `--db PATH` keeps (and on the next run reuses) a store, `--db memory` keeps the books in
//! memory only. The server runs in the same process (same tokio runtime, same 2 cores as the
//! clients), on 127.0.0.1 only; the run is bounded by `--seconds` and stops by itself. Prints
//! operations per second, latency percentiles, errors, and page times and sizes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::too_many_lines,
    reason = "a developer tool"
)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use koperasi::core::Rupiah;
use koperasi::qris::{Amount, MerchantCriteria, Qris, QrisBuilder};
use koperasi_server::demo::{DemoConfig, build, build_with_store};
use koperasi_server::{MemoryRepo, ServerConfig, router};
use koperasi_store::Store;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn arg_str(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn pct(sorted: &[u128], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

fn main() {
    let clients = arg("--clients", 64) as usize;
    let seconds = arg("--seconds", 10);
    let coops = arg("--coops", 29) as usize;
    let members = arg("--members", 300) as usize;
    let t0 = Instant::now();
    let demo = DemoConfig::new(coops, members, 2026, "demo");
    let db = arg_str("--db");
    let temp = std::env::temp_dir().join(format!("koperasi-loadtest-{}", std::process::id()));
    let state = match db.as_deref() {
        Some("memory") => {
            build(&demo, ServerConfig::default(), Arc::new(MemoryRepo::new())).unwrap()
        }
        Some(path) => {
            build_with_store(&demo, ServerConfig::default(), Store::open(path).unwrap()).unwrap()
        }
        None => {
            std::fs::create_dir_all(&temp).unwrap();
            let path = temp.join("kota.db");
            build_with_store(
                &demo,
                ServerConfig::default(),
                Store::open(path.to_str().unwrap()).unwrap(),
            )
            .unwrap()
        }
    };
    eprintln!(
        "store: {}",
        db.as_deref()
            .unwrap_or("temporary SQLite file (durable settings)")
    );
    let codes: Vec<String> = state.coops().iter().map(|c| c.code.clone()).collect();
    eprintln!(
        "demo city of {coops} cooperatives built in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(clients).build_http();
        let base = format!("http://{addr}");
        let send = move |method: &str, path: String, headers: Vec<(String, String)>, body: String| {
            let client = client.clone();
            let mut req = hyper::Request::builder().method(method).uri(format!("{base}{path}"));
            for (k, v) in headers {
                req = req.header(k, v);
            }
            let req = req.body(Full::new(Bytes::from(body))).unwrap();
            async move {
                let resp = client.request(req).await.unwrap();
                let status = resp.status().as_u16();
                let body = resp.into_body().collect().await.unwrap().to_bytes();
                (status, body)
            }
        };
        // one kasir session per cooperative
        let mut tokens = Vec::new();
        for k in &codes {
            let (st, body) = send("POST", "/api/login".into(), vec![("content-type".into(), "application/json".into())],
                format!(r#"{{"username":"kasir-{k}","password":"demo"}}"#)).await;
            assert_eq!(st, 200);
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            tokens.push(v["token"].as_str().unwrap().to_owned());
        }
        let (_, body) = send("POST", "/api/login".into(), vec![("content-type".into(), "application/json".into())], r#"{"username":"dinas","password":"demo"}"#.into()).await;
        let dinas = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["token"].as_str().unwrap().to_owned();
        let static_qris = QrisBuilder::new("KKMP BEBAN", "PROBOLINGGO", "5411")
            .merchant_account(26, "ID.CO.BANKMERAH.WWW", "9360000000000000077", "KKMP0077", MerchantCriteria::Umi)
            .national("ID1025357400077", MerchantCriteria::Umi)
            .build()
            .unwrap();
        let static_qris: &'static str = Box::leak(static_qris.into_boxed_str());
        let q = Arc::new(Qris::parse(static_qris).unwrap());
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..clients {
            let k = codes[c % codes.len()].clone();
            let token = tokens[c % codes.len()].clone();
            let q = q.clone();
            let send = send.clone();
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    let reference = format!("LT{c:03}-{n:09}");
                    let amount = Amount::from_decimal(Rupiah::from_rupiah(10_000 + i64::try_from(n % 90).unwrap() * 1_000).to_decimal()).unwrap();
                    let payload = q.to_dynamic_with_reference(&amount, None, &reference).unwrap();
                    let body = serde_json::json!({"op":"qris_sale","unit":"sembako","item":"service","buyer":"non_member","payload":payload}).to_string();
                    let t = Instant::now();
                    let (st, _) = send("POST", format!("/api/koperasi/{k}/operations"), vec![
                        ("content-type".into(), "application/json".into()),
                        ("authorization".into(), format!("Bearer {token}")),
                        ("idempotency-key".into(), reference.clone()),
                    ], body).await;
                    lat.push(t.elapsed().as_micros());
                    if st != 201 {
                        errors += 1;
                    }
                }
                (lat, errors)
            }));
        }
        let mut all = Vec::new();
        let mut errors = 0;
        for t in tasks {
            let (l, e) = t.await.unwrap();
            all.extend(l);
            errors += e;
        }
        let wall = started.elapsed().as_secs_f64();
        all.sort_unstable();
        println!("operations: {} in {wall:.1} s = {:.0} ops/s, {clients} clients, {} cooperatives, errors {errors}", all.len(), all.len() as f64 / wall, codes.len());
        println!("latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}", pct(&all, 0.5), pct(&all, 0.9), pct(&all, 0.99), pct(&all, 1.0));
        for (label, path) in [("city page /kota", "/kota".to_owned()), ("cooperative page", format!("/koperasi/{}", codes[0])), ("city API /api/city", "/api/city".to_owned())] {
            let mut times = Vec::new();
            let mut size = 0;
            // first request fills the city cache after the load; then 20 timed requests
            for i in 0..21 {
                let t = Instant::now();
                let (st, body) = send("GET", path.clone(), vec![("authorization".into(), format!("Bearer {dinas}"))], String::new()).await;
                assert_eq!(st, 200, "{path}");
                if i > 0 {
                    times.push(t.elapsed().as_micros());
                }
                size = body.len();
            }
            times.sort_unstable();
            // the first request after an operation on the first cooperative (its views are
            // recomputed, the others' come from their caches)
            let mut cold = Vec::new();
            for i in 0..5 {
                let reference = format!("LTPAGE-{label}-{i}").replace([' ', '/'], "_");
                let amount = Amount::from_decimal(Rupiah::from_rupiah(25_000).to_decimal()).unwrap();
                let payload = q.to_dynamic_with_reference(&amount, None, &reference).unwrap();
                let body = serde_json::json!({"op":"qris_sale","unit":"sembako","item":"service","buyer":"non_member","payload":payload}).to_string();
                let (st, _) = send("POST", format!("/api/koperasi/{}/operations", codes[0]), vec![
                    ("content-type".into(), "application/json".into()),
                    ("authorization".into(), format!("Bearer {}", tokens[0])),
                    ("idempotency-key".into(), reference),
                ], body).await;
                assert_eq!(st, 201);
                let t = Instant::now();
                let (st, _) = send("GET", path.clone(), vec![("authorization".into(), format!("Bearer {dinas}"))], String::new()).await;
                assert_eq!(st, 200, "{path}");
                cold.push(t.elapsed().as_micros());
            }
            cold.sort_unstable();
            println!("{label}: median {:.1} ms, max {:.1} ms, {} KB; first request after an operation: median {:.1} ms, max {:.1} ms", pct(&times, 0.5), pct(&times, 1.0), size / 1024, pct(&cold, 0.5), pct(&cold, 1.0));
        }
    });
    drop(rt);
    if db.is_none() {
        let _ = std::fs::remove_dir_all(&temp);
    }
}

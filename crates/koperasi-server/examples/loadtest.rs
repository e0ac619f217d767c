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
//! clients), on 127.0.0.1 only; the run is bounded by `--seconds` and stops by itself. Every
//! request body is prepared before the clock starts (`--prepared N` per client, default
//! 2048). Prints operations per second, latency percentiles, errors, the setup (worker
//! threads, WAL checkpoint thread, load average before the run), the CPU per operation of the
//! process and of the writer thread, and page times and sizes. `--workers N` sets the tokio
//! worker threads; `KOPERASI_NO_WAL_CHECKPOINTER=1` runs without the WAL checkpoint thread;
//! `KOPERASI_TRACE_COMMITS=1` prints every group commit and checkpoint on stderr.
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

/// CPU seconds (user + system) of a `/proc` stat file (Linux; 0 elsewhere).
fn cpu_of(stat: &str) -> f64 {
    let Ok(text) = std::fs::read_to_string(stat) else {
        return 0.0;
    };
    // fields after the command name (which may hold spaces) in parentheses
    let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of stat; `rest` starts at field 3
    (ticks(11) + ticks(12)) / 100.0
}

/// CPU seconds of the whole process and of the server's writer thread.
fn cpu_now() -> (f64, f64) {
    let mut writer = 0.0;
    if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
        for t in dir.flatten() {
            let comm = std::fs::read_to_string(t.path().join("comm")).unwrap_or_default();
            if comm.trim() == "koperasi-server" || comm.trim().starts_with("koperasi-server-w") {
                writer += cpu_of(&t.path().join("stat").to_string_lossy());
            }
        }
    }
    (cpu_of("/proc/self/stat"), writer)
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
    // members of each cooperative, for the deposits
    let members: Vec<Vec<serde_json::Value>> = state
        .coops()
        .iter()
        .map(|c| {
            let b = c.book.read().unwrap();
            b.registry()
                .members()
                .filter(|m| m.status() == koperasi::membership::MemberStatus::Member)
                .take(64)
                .map(|m| serde_json::to_value(m.id()).unwrap())
                .collect()
        })
        .collect();
    let op_kind = arg_str("--op").unwrap_or_else(|| "mix".to_owned());
    assert!(
        ["qris", "deposit", "mix"].contains(&op_kind.as_str()),
        "--op qris|deposit|mix"
    );
    eprintln!(
        "operations: {op_kind} (qris: QRIS sales to non-members; deposit: voluntary savings deposits in cash; mix: alternating)"
    );
    eprintln!(
        "demo city of {coops} cooperatives built in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    // `--workers N`: tokio worker threads (default: one per core, as `koperasi serve`; the
    // store's writer and WAL checkpoint threads come on top)
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let default_workers = cores;
    let workers = arg("--workers", default_workers as u64).max(1) as usize;
    eprintln!(
        "tokio worker threads: {workers} (of {cores} cores; the store's writer and checkpoint threads come on top)"
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .unwrap();
    let checkpointer = std::env::var_os("KOPERASI_NO_WAL_CHECKPOINTER").is_none()
        && db.as_deref() != Some("memory");
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
        // references (and idempotency keys) unique to this run, so that a reused store sees
        // new operations rather than retries (a QRIS reference has at most 25 characters)
        let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() % 1_000_000;
        // every request body prepared before the clock starts, so that the clients (which
        // share the machine with the server) spend their time sending, not building JSON
        // and QRIS payloads; a client that runs out builds the rest on the fly
        let prepared = arg("--prepared", 2048);
        let body_of = {
            let q = q.clone();
            let op_kind = op_kind.clone();
            move |c: usize, n: u64, mems: &[serde_json::Value]| -> (String, String) {
                let reference = format!("LT{run:06}{c:03}{n:08}");
                let deposit = op_kind == "deposit" || (op_kind == "mix" && n.is_multiple_of(2));
                let body = if deposit {
                    let m = &mems[(n as usize) % mems.len()];
                    serde_json::json!({"op":"deposit","member":m,"kind":"voluntary","amount":format!("{}", 5_000 + (n % 20) * 1_000),"via":"cash"}).to_string()
                } else {
                    let amount = Amount::from_decimal(Rupiah::from_rupiah(10_000 + i64::try_from(n % 90).unwrap() * 1_000).to_decimal()).unwrap();
                    let payload = q.to_dynamic_with_reference(&amount, None, &reference).unwrap();
                    serde_json::json!({"op":"qris_sale","unit":"sembako","item":"service","buyer":"non_member","payload":payload}).to_string()
                };
                (reference, body)
            }
        };
        let t_prep = Instant::now();
        let bodies: Vec<Vec<(String, String)>> = (0..clients)
            .map(|c| (1..=prepared).map(|n| body_of(c, n, &members[c % codes.len()])).collect())
            .collect();
        eprintln!("{} request bodies prepared in {:.1} s", clients as u64 * prepared, t_prep.elapsed().as_secs_f64());
        let mut bodies = bodies.into_iter();
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let cpu_before = cpu_now();
        let load_before = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let mut tasks = Vec::new();
        for c in 0..clients {
            let k = codes[c % codes.len()].clone();
            let mems = members[c % codes.len()].clone();
            let token = tokens[c % codes.len()].clone();
            let send = send.clone();
            let mine = bodies.next().unwrap_or_default();
            let body_of = body_of.clone();
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    let (reference, body) = match mine.get((n - 1) as usize) {
                        Some(x) => x.clone(),
                        None => body_of(c, n, &mems),
                    };
                    let t = Instant::now();
                    let (st, resp) = send("POST", format!("/api/koperasi/{k}/operations"), vec![
                        ("content-type".into(), "application/json".into()),
                        ("authorization".into(), format!("Bearer {token}")),
                        ("idempotency-key".into(), reference.clone()),
                    ], body).await;
                    lat.push(t.elapsed().as_micros());
                    if st != 201 {
                        if errors == 0 {
                            eprintln!("client {c}: {st} {}", String::from_utf8_lossy(&resp));
                        }
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
        let cpu_after = cpu_now();
        let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        all.sort_unstable();
        println!("operations: {} in {wall:.1} s = {:.0} ops/s, {clients} clients, {} cooperatives, errors {errors}", all.len(), all.len() as f64 / wall, codes.len());
        println!("latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}", pct(&all, 0.5), pct(&all, 0.9), pct(&all, 0.99), pct(&all, 0.999), pct(&all, 1.0));
        println!(
            "setup: {workers} tokio worker thread(s) on {cores} cores, WAL checkpoint thread {}, machine load average before the run: {}",
            if checkpointer { "on" } else { "off" },
            load_before.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
        let n = all.len().max(1) as f64;
        let (cpu, writer) = (cpu_after.0 - cpu_before.0, cpu_after.1 - cpu_before.1);
        println!(
            "CPU during the run: process {cpu:.2} s ({:.0} µs per operation, clients included), writer thread {writer:.2} s ({:.0} µs per operation); load average at the end: {}",
            cpu / n * 1e6,
            writer / n * 1e6,
            loadavg.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
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
                let reference = format!("LTP{run:06}{}{i}", label.len());
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

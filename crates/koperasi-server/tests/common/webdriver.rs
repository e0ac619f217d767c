//! A minimal W3C WebDriver client over loopback HTTP/1.1 (std only), driving Debian's
//! `chromedriver` and `chromium`. Never downloads anything.
#![allow(
    clippy::doc_markdown,
    clippy::needless_pass_by_value,
    clippy::format_push_string,
    clippy::ptr_arg,
    reason = "test support"
)]
#![allow(
    dead_code,
    reason = "the browser test and the screenshot example use subsets"
)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A plain HTTP/1.1 request on loopback; returns (status, body).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("write");
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let (head, body_start) = loop {
        let n = s.read(&mut buf).expect("read");
        if n == 0 {
            break (String::from_utf8_lossy(&raw).into_owned(), raw.len());
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break (String::from_utf8_lossy(&raw[..i]).into_owned(), i + 4);
        }
    };
    let lower = head.to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let length = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = lower.contains("transfer-encoding: chunked");
    loop {
        let have = raw.len().saturating_sub(body_start);
        let done = match length {
            Some(n) => have >= n,
            None if chunked => raw.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = s.read(&mut buf).expect("read body");
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let rest = String::from_utf8_lossy(&raw[body_start.min(raw.len())..]).into_owned();
    let body = if chunked { dechunk(&rest) } else { rest };
    (status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((len, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(len.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Where Debian's browser and driver are, if installed.
pub fn browser_paths() -> Option<(PathBuf, PathBuf)> {
    let find = |names: &[&str]| names.iter().map(PathBuf::from).find(|p| p.exists());
    let chromium = find(&["/usr/bin/chromium", "/usr/lib/chromium/chromium"])?;
    let driver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])?;
    Some((chromium, driver))
}

/// A running chromedriver (killed on drop).
pub struct Driver {
    child: Child,
    pub addr: String,
}

impl Driver {
    pub fn start(driver: &PathBuf) -> Driver {
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(20) {
            if TcpStream::connect(&addr).is_ok() && http(&addr, "GET", "/status", &[], "").0 == 200
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, addr }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session (a fresh profile directory).
pub struct Session {
    driver: String,
    id: String,
    profile: PathBuf,
}

impl Session {
    pub fn new(d: &Driver, chromium: &PathBuf, width: u32, height: u32) -> Session {
        let profile = std::env::temp_dir().join(format!(
            "koperasi-chromium-{}-{}",
            std::process::id(),
            free_port()
        ));
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium.to_string_lossy(),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     format!("--user-data-dir={}", profile.display()), format!("--window-size={width},{height}")]
        }}}});
        let (st, body) = http(
            &d.addr,
            "POST",
            "/session",
            &[("Content-Type", "application/json")],
            &caps.to_string(),
        );
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let id = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("new session {st}: {body}"))
            .to_owned();
        Session {
            driver: d.addr.clone(),
            id,
            profile,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let p = format!("/session/{}{path}", self.id);
        let b = if method == "GET" {
            String::new()
        } else {
            body.to_string()
        };
        let (st, text) = http(
            &self.driver,
            method,
            &p,
            &[("Content-Type", "application/json")],
            &b,
        );
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert!(st == 200, "webdriver {method} {path}: {st} {text}");
        v["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({"url": url}));
    }
    pub fn url(&self) -> String {
        self.cmd("GET", "/url", Value::Null)
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
    pub fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_owned()
    }
    pub fn try_find(&self, css: &str) -> Option<String> {
        let p = format!("/session/{}/element", self.id);
        let (st, text) = http(
            &self.driver,
            "POST",
            &p,
            &[("Content-Type", "application/json")],
            &json!({"using": "css selector", "value": css}).to_string(),
        );
        if st != 200 {
            return None;
        }
        let v: Value = serde_json::from_str(&text).ok()?;
        v["value"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|x| x.as_str())
            .map(str::to_owned)
    }
    pub fn click(&self, el: &str) {
        self.cmd("POST", &format!("/element/{el}/click"), json!({}));
    }
    pub fn type_into(&self, el: &str, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{el}/value"),
            json!({"text": text}),
        );
    }
    pub fn text(&self, el: &str) -> String {
        self.cmd("GET", &format!("/element/{el}/text"), Value::Null)
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
    pub fn attr(&self, el: &str, name: &str) -> Option<String> {
        self.cmd(
            "GET",
            &format!("/element/{el}/attribute/{name}"),
            Value::Null,
        )
        .as_str()
        .map(str::to_owned)
    }
    /// Runs a script in the page (WebDriver injects it; the page's CSP does not apply).
    pub fn exec(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
    }
    /// Waits until `script` returns true (polling every 25 ms), up to `limit`.
    pub fn wait_for(&self, script: &str, limit: Duration) -> Option<Duration> {
        let t = Instant::now();
        while t.elapsed() < limit {
            if self.exec(script) == Value::Bool(true) {
                return Some(t.elapsed());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        None
    }
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine as _;
        let b = self.cmd("GET", "/screenshot", Value::Null);
        base64::engine::general_purpose::STANDARD
            .decode(b.as_str().unwrap_or(""))
            .unwrap_or_default()
    }
    /// Logs in through the form.
    pub fn login(&self, base: &str, user: &str, password: &str) {
        self.goto(&format!("{base}/login"));
        let u = self.find("#username");
        self.type_into(&u, user);
        let p = self.find("#password");
        self.type_into(&p, password);
        let b = self.find("#login");
        self.click(&b);
        // The click submits the form; the redirect that follows may still be under way when
        // the click returns, so wait (bounded) until the browser has left the login page.
        self.wait_for(
            "return location.pathname !== '/login' && document.readyState === 'complete'",
            Duration::from_secs(10),
        );
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = http(
            &self.driver,
            "DELETE",
            &format!("/session/{}", self.id),
            &[],
            "",
        );
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

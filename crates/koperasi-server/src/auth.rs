//! Passwords (Argon2id), sessions, the login rate limit, CSRF and security headers.

use std::sync::Arc;
use std::time::Instant;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::{AppState, Session, User, lock};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "koperasi_session";
/// The login form's double-submit cookie.
pub const LOGIN_CSRF_COOKIE: &str = "koperasi_login_csrf";
/// The header carrying the CSRF token of a cookie session.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The Content-Security-Policy of every response: scripts and styles only from this server,
/// no inline script, no external resource, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Argon2id with the OWASP minimum: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Result<Argon2<'static>, ApiError> {
    let params = Params::new(19_456, 2, 1, Some(32))
        .map_err(|e| ApiError::internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Random bytes from the operating system.
///
/// # Errors
/// Internal if the OS has no randomness to give.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| ApiError::internal(format!("getrandom: {e}")))?;
    Ok(b)
}

/// Hashes a password with Argon2id (OWASP parameters) and a random salt: a PHC string.
///
/// # Errors
/// Internal if hashing fails.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt_bytes = random_bytes::<16>()?;
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| ApiError::internal(format!("salt: {e}")))?;
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("argon2: {e}")))
}

/// Whether `password` matches the PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

pub(crate) fn token_key(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The CSRF token of a session: derived from the session token (so nothing but the token's
/// hash is stored, and it survives a restart), and useless for finding the token.
pub(crate) fn csrf_of(token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"koperasi-csrf\0");
    h.update(token.as_bytes());
    hex::encode(h.finalize())
}

/// Routes a user who must change their password may still use.
pub const PASSWORD_CHANGE_ROUTES: [&str; 5] = [
    "/api/password",
    "/api/me",
    "/api/logout",
    "/kata-sandi",
    "/logout",
];

/// Constant-time comparison of two byte strings.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A logged-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user: Arc<User>,
    /// The session's CSRF token (for forms).
    pub csrf: String,
}

/// What a successful login gives.
#[derive(Debug, Clone)]
pub struct LoginOk {
    /// The session token (cookie value and bearer token).
    pub token: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// The user.
    pub user: Arc<User>,
}

impl AppState {
    pub(crate) fn too_many(&self, keys: &[String]) -> Result<bool, ApiError> {
        let cfg = self.config();
        let now = Instant::now();
        let mut f = lock(&self.0.failures)?;
        Ok(keys.iter().any(|k| {
            f.get_mut(k).is_some_and(|q| {
                while q
                    .front()
                    .is_some_and(|t| now.duration_since(*t) > cfg.login_window)
                {
                    q.pop_front();
                }
                q.len() >= cfg.login_attempts
            })
        }))
    }

    pub(crate) fn record_failure(&self, keys: &[String]) -> Result<(), ApiError> {
        let mut f = lock(&self.0.failures)?;
        if f.len() > 100_000 {
            f.clear();
        }
        for k in keys {
            f.entry(k.clone()).or_default().push_back(Instant::now());
        }
        Ok(())
    }

    /// Checks a user name and password; on success opens a session.
    ///
    /// Unknown users cost the same Argon2id verification as known ones and get the same
    /// answer. After `login_attempts` failures within `login_window` for the same user name
    /// or the same client address, every attempt is refused with 429 until the window passes.
    ///
    /// # Errors
    /// 401 `unauthorized` on a wrong name or password, 429 `too_many_requests`.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client: Option<String>,
    ) -> Result<LoginOk, ApiError> {
        let mut keys = vec![format!("user:{username}")];
        if let Some(c) = client {
            keys.push(format!("addr:{c}"));
        }
        if self.too_many(&keys)? {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "terlalu banyak percobaan masuk; coba lagi nanti",
            ));
        }
        let user = self.user(username);
        let phc = user
            .as_ref()
            .map_or_else(|| self.0.dummy_phc.clone(), |u| u.phc.clone());
        let pw = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &phc))
            .await
            .map_err(|e| ApiError::internal(format!("verify task: {e}")))?;
        let Some(user) = user.filter(|_| ok) else {
            self.record_failure(&keys)?;
            return Err(ApiError::unauthorized(
                "nama pengguna atau kata sandi salah",
            ));
        };
        // the password was right: the account's state may be said
        if user.disabled {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "account_disabled",
                "akun ini dinonaktifkan",
            ));
        }
        if user.pending || !self.book_grants(&user) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "account_pending",
                "akun ini menunggu persetujuan orang kedua",
            ));
        }
        let token = hex::encode(random_bytes::<32>()?);
        let csrf = csrf_of(&token);
        let key = token_key(&token);
        // durable before it is used: a restart keeps the session (by its hash only)
        let st = self.clone();
        let name = user.username.clone();
        tokio::task::spawn_blocking(move || st.persist_session_open(&key, &name))
            .await
            .map_err(|e| ApiError::internal(format!("session task: {e}")))??;
        let now = Instant::now();
        let mut s = lock(&self.0.sessions)?;
        let cfg = self.config();
        s.retain(|_, v| {
            now.duration_since(v.last_seen) < cfg.session_idle
                && now.duration_since(v.created) < cfg.session_max
        });
        s.insert(
            key,
            Session {
                username: user.username.clone(),
                created: now,
                last_seen: now,
            },
        );
        Ok(LoginOk { token, csrf, user })
    }

    /// Whether a cooperative person's role is in force in the book (a role with power is
    /// granted in the book, two-person; until then the user cannot log in).
    fn book_grants(&self, user: &User) -> bool {
        match &user.access {
            crate::state::Access::Coop {
                coop,
                actor,
                member: None,
                ..
            } => self.coops().get(*coop).is_some_and(|c| {
                c.book.read().is_ok_and(|b| {
                    b.access()
                        .grant_of(*actor)
                        .is_some_and(|g| !g.roles.is_empty())
                })
            }),
            _ => true,
        }
    }

    /// Ends the session of `token` (durably over a store).
    ///
    /// # Errors
    /// Internal on a poisoned lock or if the store cannot record it.
    pub async fn logout(&self, token: &str) -> Result<(), ApiError> {
        let key = token_key(token);
        let removed = lock(&self.0.sessions)?.remove(&key);
        if let Some(s) = removed {
            let st = self.clone();
            tokio::task::spawn_blocking(move || st.persist_sessions_closed(&[key], &s.username))
                .await
                .map_err(|e| ApiError::internal(format!("session task: {e}")))??;
        }
        Ok(())
    }

    /// The session of `token` if it is alive (and touches it).
    pub(crate) fn session(&self, token: &str) -> Result<Option<Session>, ApiError> {
        let cfg = self.config();
        let key = token_key(token);
        let now = Instant::now();
        let mut s = lock(&self.0.sessions)?;
        let alive = s.get(&key).is_some_and(|v| {
            now.duration_since(v.last_seen) < cfg.session_idle
                && now.duration_since(v.created) < cfg.session_max
        });
        if !alive {
            s.remove(&key);
            return Ok(None);
        }
        Ok(s.get_mut(&key).map(|v| {
            v.last_seen = now;
            v.clone()
        }))
    }

    /// The `Set-Cookie` value of a new session.
    pub fn session_cookie(&self, token: &str) -> String {
        let secure = if self.config().secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let age = self.config().session_max.as_secs();
        format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={age}{secure}"
        )
    }

    fn caller_from(&self, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
        let Some(token) = bearer(headers).or_else(|| cookie(headers, SESSION_COOKIE)) else {
            return Ok(None);
        };
        let Some(s) = self.session(token)? else {
            return Ok(None);
        };
        Ok(self
            .user(&s.username)
            .filter(|u| !u.disabled && !u.pending)
            .map(|u| Caller {
                user: u,
                csrf: csrf_of(token),
            }))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let c = state
            .caller_from(&parts.headers)?
            .ok_or_else(|| ApiError::unauthorized("belum masuk atau sesi berakhir"))?;
        if c.user.must_change && !PASSWORD_CHANGE_ROUTES.contains(&parts.uri.path()) {
            return Err(password_change_required());
        }
        Ok(c)
    }
}

fn password_change_required() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "password_change_required",
        "kata sandi awal harus diganti dulu (POST /api/password)",
    )
}

/// A caller of an HTML page: like [`Caller`], but an anonymous visitor is sent to the login
/// page.
#[derive(Debug, Clone)]
pub struct PageCaller(pub Caller);

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match state.caller_from(&parts.headers) {
            Ok(Some(c))
                if c.user.must_change && !PASSWORD_CHANGE_ROUTES.contains(&parts.uri.path()) =>
            {
                Err((
                    StatusCode::SEE_OTHER,
                    [(header::LOCATION, HeaderValue::from_static("/kata-sandi"))],
                )
                    .into_response())
            }
            Ok(Some(c)) => Ok(PageCaller(c)),
            Ok(None) => Err((
                StatusCode::SEE_OTHER,
                [(header::LOCATION, HeaderValue::from_static("/login"))],
            )
                .into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Middleware: every state-changing request authenticated by the session cookie must carry
/// the session's CSRF token, in the `X-CSRF-Token` header or the form field `_csrf`.
/// Requests with a bearer token (not sent by browsers on their own) and the login routes
/// (which check their own double-submit token) are exempt.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let path = req.uri().path();
    if !unsafe_method || path == "/login" || path == "/api/login" || bearer(req.headers()).is_some()
    {
        return next.run(req).await;
    }
    let Some(token) = cookie(req.headers(), SESSION_COOKIE).map(str::to_owned) else {
        return next.run(req).await;
    };
    match state.session(&token) {
        Ok(Some(_)) => {}
        Ok(None) => return ApiError::unauthorized("sesi berakhir").into_response(),
        Err(e) => return e.into_response(),
    }
    let expected = csrf_of(&token);
    if let Some(h) = req.headers().get(CSRF_HEADER) {
        if same(h.as_bytes(), expected.as_bytes()) {
            return next.run(req).await;
        }
        return csrf_error();
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return csrf_error();
    }
    let (parts, body) = req.into_parts();
    let limit = state.config().body_limit;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "isi permintaan terlalu besar",
        )
        .into_response();
    };
    match form_field(&bytes, "_csrf") {
        Some(t) if same(t.as_bytes(), expected.as_bytes()) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => csrf_error(),
    }
}

fn csrf_error() -> Response {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "csrf",
        "token CSRF tidak ada atau salah",
    )
    .into_response()
}

/// Middleware: security headers on every response, and the JSON error shape for errors
/// produced by the framework itself (unknown route, wrong method, rejected body).
pub async fn security_headers(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/") || req.uri().path() == "/healthz";
    let mut r = next.run(req).await;
    let status = r.status();
    if (status.is_client_error() || status.is_server_error())
        && (api || !r.headers().contains_key(header::CONTENT_TYPE))
        && !r
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
    {
        let kind = match status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "unprocessable",
            s if s.is_server_error() => "internal",
            _ => "bad_request",
        };
        let message = status.canonical_reason().unwrap_or("error").to_owned();
        let headers = r.headers().clone();
        r = ApiError::new(status, kind, message).into_response();
        if let Some(allow) = headers.get(header::ALLOW) {
            r.headers_mut().insert(header::ALLOW, allow.clone());
        }
    }
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

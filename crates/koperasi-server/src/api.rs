//! The JSON API (`/api/…`). Every error is `{"error":{"kind","message"}}`.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use futures_util::stream::Stream;
use koperasi::core::chrono::NaiveDate;
use koperasi::core::{EntryId, FiscalYear, MemberId, Period};
use koperasi::membership::Permission;
use koperasi::savings_loans::SavingsKind;
use koperasi::{Event, Operation};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::error::{ApiError, from_book};
use crate::state::{Access, AppState, Finding, LiveEvent, StoredAnswer, lock};
use crate::views::{self, read};
use koperasi::{RequestId, RequestState};

type ApiResult = Result<Response, ApiError>;

#[allow(clippy::unnecessary_wraps, reason = "the handlers' tail expression")]
fn ok(v: &Value) -> ApiResult {
    Ok(Json(v).into_response())
}

fn date_param(s: Option<&str>, name: &str) -> Result<Option<NaiveDate>, ApiError> {
    s.filter(|s| !s.is_empty())
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                ApiError::bad_request(format!("{name}: tanggal harus YYYY-MM-DD, bukan {s:?}"))
            })
        })
        .transpose()
}

fn query<T: serde::de::DeserializeOwned + Default>(
    q: Result<Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, ApiError> {
    q.map(|q| q.0)
        .map_err(|e| ApiError::bad_request(format!("parameter: {e}")))
}

/// `GET /healthz`.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

#[derive(Deserialize)]
struct LoginBody {
    username: String,
    password: String,
}

pub(crate) fn client_addr(req: &Request) -> Option<String> {
    req.extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// `POST /api/login` `{"username","password"}` → `{"token","csrf","user"}` and the session
/// cookie.
pub async fn login(State(state): State<AppState>, req: Request) -> ApiResult {
    let addr = client_addr(&req);
    let bytes = axum::body::to_bytes(req.into_body(), state.config().body_limit)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "isi terlalu besar",
            )
        })?;
    let body: LoginBody =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::bad_request(format!("body: {e}")))?;
    let ok = state.login(&body.username, &body.password, addr).await?;
    let mut r = Json(json!({
        "token": ok.token,
        "csrf": ok.csrf,
        "user": user_json(&state, &ok.user),
    }))
    .into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&state.session_cookie(&ok.token))
            .map_err(|e| ApiError::internal(e.to_string()))?,
    );
    Ok(r)
}

/// `POST /api/logout`.
pub async fn logout(State(state): State<AppState>, _c: Caller, headers: HeaderMap) -> ApiResult {
    if let Some(t) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| crate::auth::cookie(&headers, crate::auth::SESSION_COOKIE))
    {
        state.logout(t).await?;
    }
    let mut r = Json(json!({"status": "ok"})).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("koperasi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    Ok(r)
}

fn user_json(state: &AppState, u: &crate::state::User) -> Value {
    match &u.access {
        Access::City => json!({"username": u.username, "scope": "city", "role": "dinas"}),
        Access::CityReader => {
            json!({"username": u.username, "scope": "city", "role": "pemantau"})
        }
        Access::Coop {
            coop, role, member, ..
        } => json!({
            "username": u.username,
            "scope": "cooperative",
            "koperasi": state.coops().get(*coop).map(|c| c.code.clone()),
            "role": format!("{role:?}"),
            "member": member,
        }),
    }
}

/// `GET /api/me`.
pub async fn me(State(state): State<AppState>, c: Caller) -> ApiResult {
    ok(&user_json(&state, &c.user))
}

/// `GET /api/koperasi`: the cooperatives the caller may see.
pub async fn list(State(state): State<AppState>, c: Caller) -> ApiResult {
    let mut v = Vec::new();
    for i in state.visible(&c.user) {
        if let Some(coop) = state.coops().get(i) {
            let b = read(coop)?;
            let head = b.audit_head();
            v.push(json!({
                "code": coop.code, "name": coop.name,
                "last_date": b.last_date(), "entries": b.ledger().len(),
                "audit": {"size": head.size, "root": head.root.to_string()},
            }));
        }
    }
    ok(&json!({"koperasi": v, "simulated": state.config().simulated}))
}

#[derive(Deserialize, Default)]
pub(crate) struct AsOf {
    as_of: Option<String>,
}

/// `GET /api/koperasi/{id}/trial-balance?as_of=`.
pub async fn trial_balance(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    q: Result<Query<AsOf>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let (_, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let q = query(q)?;
    let b = read(&coop)?;
    let as_of = date_param(q.as_of.as_deref(), "as_of")?.unwrap_or(b.last_date());
    let tb = b
        .ledger()
        .trial_balance(as_of)
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    ok(&json!({"koperasi": coop.code, "as_of": as_of, "trial_balance": tb}))
}

#[derive(Deserialize, Default)]
pub(crate) struct PeriodQ {
    period: Option<String>,
}

/// A period: `2026` (fiscal year), `2026-03` (month) or `2026-01-01..2026-06-30`.
///
/// # Errors
/// 400 on anything else.
pub fn parse_period(s: &str) -> Result<Period, ApiError> {
    let bad = || {
        ApiError::bad_request(format!(
            "period: pakai 2026, 2026-03 atau 2026-01-01..2026-06-30, bukan {s:?}"
        ))
    };
    if let Some((a, b)) = s.split_once("..") {
        let a = date_param(Some(a), "period")?.ok_or_else(bad)?;
        let b = date_param(Some(b), "period")?.ok_or_else(bad)?;
        return Period::new(a, b).map_err(|_| bad());
    }
    if let Some((y, m)) = s.split_once('-') {
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        return Period::month(y, m).map_err(|_| bad());
    }
    let y: i32 = s.parse().map_err(|_| bad())?;
    FiscalYear::calendar(y)
        .and_then(|f| f.period())
        .map_err(|_| bad())
}

/// `GET /api/koperasi/{id}/statements?period=`.
pub async fn statements(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    q: Result<Query<PeriodQ>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let (_, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let q = query(q)?;
    let b = read(&coop)?;
    let period = match q.period.as_deref() {
        Some(p) => parse_period(p)?,
        None => b
            .fiscal_year(b.last_date())
            .and_then(|f| f.period().map_err(Into::into))
            .map_err(|e| from_book(&e))?,
    };
    let st = b.statements(period, None).map_err(|e| from_book(&e))?;
    ok(
        &json!({"koperasi": coop.code, "period": {"start": period.start(), "end": period.end()}, "statements": st}),
    )
}

#[derive(Deserialize, Default)]
pub(crate) struct EntriesQ {
    account: Option<String>,
    member: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<usize>,
    per_page: Option<usize>,
}

/// `GET /api/koperasi/{id}/entries?account=&member=&from=&to=&page=&per_page=`.
pub async fn entries(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    q: Result<Query<EntriesQ>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let (_, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let q = query(q)?;
    let member: Option<MemberId> = q
        .member
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| ApiError::bad_request("member: bukan id anggota"))
        })
        .transpose()?;
    if member.is_some()
        && !state
            .permissions(&c.user, &coop)
            .contains(Permission::ViewPersonalData)
    {
        return Err(ApiError::forbidden(
            "menyaring per anggota perlu izin data pribadi",
        ));
    }
    let from = date_param(q.from.as_deref(), "from")?;
    let to = date_param(q.to.as_deref(), "to")?;
    let per_page = q.per_page.unwrap_or(50).clamp(1, 500);
    let page = q.page.unwrap_or(1).max(1);
    let b = read(&coop)?;
    let ledger = b.ledger();
    let account = q.account.as_deref().filter(|s| !s.is_empty());
    if let Some(a) = account
        && !ledger.chart().contains(a)
    {
        return Err(ApiError::not_found(format!("akun {a:?} tidak ada")));
    }
    let chart = ledger.chart();
    let matches: Vec<_> = ledger
        .entries()
        .filter(|e| from.is_none_or(|f| e.date() >= f) && to.is_none_or(|t| e.date() <= t))
        .filter(|e| {
            e.lines().any(|l| {
                account.is_none_or(|a| chart.is_under(l.account.as_str(), a))
                    && member.is_none_or(|m| l.dims.member == Some(m))
            })
        })
        .collect();
    let total = matches.len();
    let items: Vec<Value> = matches
        .iter()
        .rev()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|e| entry_json(e, account))
        .collect();
    ok(
        &json!({"koperasi": coop.code, "total": total, "page": page, "per_page": per_page, "entries": items}),
    )
}

fn entry_json(e: &koperasi::ledger::EntryRef<'_>, account: Option<&str>) -> Value {
    let lines: Vec<Value> = e
        .lines()
        .map(|l| {
            json!({"account": l.account.as_str(), "side": if l.side == koperasi::ledger::Side::Debit {"debit"} else {"credit"},
                   "amount": l.amount, "unit": l.dims.unit, "member": l.dims.member})
        })
        .collect();
    let _ = account;
    json!({"id": e.id(), "date": e.date(), "memo": e.memo(), "source": e.source(),
           "actor": e.actor(), "leaf": e.leaf(), "lines": lines})
}

/// `GET /api/koperasi/{id}/entries/{entry}`: one entry with its audit proof.
pub async fn entry(
    State(state): State<AppState>,
    c: Caller,
    Path((id, entry)): Path<(String, String)>,
) -> ApiResult {
    let (_, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let eid: EntryId = entry
        .parse()
        .map_err(|_| ApiError::bad_request("entry: bukan id jurnal"))?;
    let b = read(&coop)?;
    let e = b
        .ledger()
        .entry(eid)
        .ok_or_else(|| ApiError::not_found(format!("jurnal {eid} tidak ditemukan")))?;
    let proof = views::proof(&b, eid)?;
    ok(&json!({"koperasi": coop.code, "entry": entry_json(&e, None), "proof": proof}))
}

/// `GET /api/koperasi/{id}/members/{member}/statement`: a member's savings and loans. The
/// member themself, and people with personal-data permission, see everything; the city office
/// sees the figures with the NIK and name masked.
pub async fn member_statement(
    State(state): State<AppState>,
    c: Caller,
    Path((id, member)): Path<(String, String)>,
) -> ApiResult {
    let m: MemberId = member
        .parse()
        .map_err(|_| ApiError::bad_request("member: bukan id anggota"))?;
    let own = matches!(&c.user.access, Access::Coop { member: Some(x), .. } if *x == m);
    let (_, coop) = if own {
        state.authorize(&c.user, &id, Permission::ViewOwnData)?
    } else if matches!(
        c.user.access,
        Access::Coop {
            member: Some(_),
            ..
        }
    ) {
        return Err(ApiError::forbidden(
            "anggota hanya dapat melihat datanya sendiri",
        ));
    } else {
        state.authorize_read(&c.user, &id)?
    };
    ok(&member_json(&state, &c.user, &coop, m)?)
}

pub(crate) fn member_json(
    state: &AppState,
    user: &crate::state::User,
    coop: &crate::state::Coop,
    m: MemberId,
) -> Result<Value, ApiError> {
    let b = read(coop)?;
    let mem = b
        .registry()
        .get(m)
        .ok_or_else(|| ApiError::not_found(format!("anggota {m} tidak ditemukan")))?;
    let personal = state
        .permissions(user, coop)
        .contains(Permission::ViewPersonalData)
        || matches!(&user.access, Access::Coop { member: Some(x), .. } if *x == m);
    let nik = if personal {
        mem.nik().to_string()
    } else {
        mem.nik().masked().to_string()
    };
    let savings: Vec<Value> = [
        SavingsKind::Principal,
        SavingsKind::Mandatory,
        SavingsKind::Voluntary,
        SavingsKind::TimeDeposit,
    ]
    .iter()
    .map(|k| {
        b.savings_balance(m, *k)
            .map(|bal| json!({"kind": k, "balance": bal}))
            .map_err(|e| from_book(&e))
    })
    .collect::<Result<_, _>>()?;
    let loans: Vec<Value> = b
        .loans()
        .iter()
        .filter(|(_, l)| l.member == m)
        .map(|(id, l)| {
            json!({"loan": id, "outstanding_principal": l.loan.outstanding_principal().ok(),
                   "status": format!("{:?}", l.loan.status()), "class": format!("{:?}", l.class)})
        })
        .collect();
    Ok(json!({
        "koperasi": coop.code, "member": m,
        "name": views::member_label(state, user, coop, &b, m),
        "nik": nik, "status": format!("{:?}", mem.status()),
        "savings": savings, "loans": loans, "masked": !personal,
    }))
}

/// `GET /api/koperasi/{id}/audit/checkpoint`: the signed-note text of the current tree head.
pub async fn checkpoint(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    let (_, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let b = read(&coop)?;
    let cp = b
        .ledger()
        .checkpoint(&format!("koperasi/{}", coop.code))
        .map_err(|e| ApiError::internal(e.to_string()))?;
    ok(
        &json!({"koperasi": coop.code, "size": cp.size(), "root": cp.root().to_string(), "checkpoint": cp.to_text()}),
    )
}

#[derive(Deserialize, Default)]
pub(crate) struct ProofQ {
    entry: Option<String>,
}

/// `GET /api/koperasi/{id}/audit/proof?entry=`.
pub async fn audit_proof(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    q: Result<Query<ProofQ>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let (_, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let q = query(q)?;
    let eid: EntryId = q
        .entry
        .as_deref()
        .ok_or_else(|| ApiError::bad_request("entry wajib diisi"))?
        .parse()
        .map_err(|_| ApiError::bad_request("entry: bukan id jurnal"))?;
    let b = read(&coop)?;
    ok(&json!({"koperasi": coop.code, "entry": eid, "proof": views::proof(&b, eid)?}))
}

#[derive(Deserialize, Default)]
pub(crate) struct OpQ {
    date: Option<String>,
}

fn valid_key(k: &str) -> bool {
    (1..=128).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic())
}

/// `POST /api/koperasi/{id}/operations` with `Idempotency-Key` and an [`Operation`] as JSON.
///
/// 201 with the event, the entries posted and the new audit head; the same key again gives
/// the same answer (the same key with another body is 422). A loan approval that needs a
/// second person becomes a request (202) that another user completes with
/// `POST …/requests/{r}/approve`.
pub async fn post_operation(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    q: Result<Query<OpQ>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let (idx, coop) = state
        .authorize(&c.user, &id, Permission::ViewOwnData)
        .or_else(|e| {
            if e.kind == "forbidden" {
                state.authorize(&c.user, &id, Permission::ViewAggregates)
            } else {
                Err(e)
            }
        })?;
    let Access::Coop {
        actor,
        member: None,
        ..
    } = c.user.access
    else {
        return Err(ApiError::forbidden(
            "hanya pengurus dan petugas koperasi yang mencatat transaksi",
        ));
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| valid_key(k))
        .ok_or_else(|| {
            ApiError::bad_request("header Idempotency-Key wajib (1–128 karakter ASCII)")
        })?
        .to_owned();
    let q = query(q)?;
    let body_hash: [u8; 32] = Sha256::digest(&body).into();
    let answer_key = (idx, c.user.username.clone(), key.clone());
    if let Some(a) = lock(&state.0.answers)?.get(&answer_key).cloned() {
        if a.body_hash != body_hash {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "Idempotency-Key ini sudah dipakai untuk isi yang lain",
            ));
        }
        return Ok(stored(&a));
    }
    let op: Operation = serde_json::from_slice(&body)
        .map_err(|e| ApiError::unprocessable(format!("operation: {e}")))?;
    let date = match date_param(q.date.as_deref(), "date")? {
        Some(d) => d,
        None => Utc::now().date_naive().max(read(&coop)?.last_date()),
    };
    let event = Event::new(date, actor, op.clone());
    let store_key = format!("{}:{key}", c.user.username);
    let (status, body_json) = match state.commit(&coop, &event, Some(store_key)).await {
        Ok(posted) => {
            let applied = posted.applied;
            let b = read(&coop)?;
            let head = posted.audit;
            match applied.request.and_then(|r| b.requests().get(&r)) {
                // a two-person operation: the book holds it as a request for a second person
                Some(r) if r.state == RequestState::Pending => (
                    StatusCode::ACCEPTED,
                    json!({"koperasi": coop.code, "event": event, "request": request_json(&state, idx, &b, r)}),
                ),
                _ => (
                    StatusCode::CREATED,
                    json!({"koperasi": coop.code, "event": event, "entries": applied.entries,
                           "request": applied.request.map(|r| r.0),
                           "audit": {"size": head.size, "root": head.root.to_string()}}),
                ),
            }
        }
        Err(Err(e)) => return Err(from_book(&e)),
        Err(Ok(e)) => return Err(e),
    };
    let a = StoredAnswer {
        body_hash,
        status: status.as_u16(),
        body: body_json.to_string(),
    };
    lock(&state.0.answers)?.insert(answer_key, a.clone());
    Ok(stored(&a))
}

fn stored(a: &StoredAnswer) -> Response {
    let mut r = (
        StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK),
        a.body.clone(),
    )
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn request_json(
    state: &AppState,
    idx: usize,
    b: &koperasi::Koperasi,
    r: &koperasi::Request,
) -> Value {
    let who =
        |a: koperasi::core::ActorId| state.username_of(idx, a).unwrap_or_else(|| a.to_string());
    let (status, checker, reason) = match &r.state {
        RequestState::Pending if r.is_open(b.last_date()) => ("pending", None, None),
        RequestState::Pending => ("expired", None, None),
        RequestState::Approved { checker, .. } => ("approved", Some(who(*checker)), None),
        RequestState::Rejected {
            checker, reason, ..
        } => ("rejected", Some(who(*checker)), Some(reason.clone())),
        RequestState::Withdrawn { .. } => ("withdrawn", None, None),
        _ => ("unknown", None, None),
    };
    json!({"id": r.id.0, "operation": r.op, "maker": who(r.maker), "requested_on": r.requested_on,
           "expires_on": r.expires_on, "checker_permission": format!("{:?}", r.checker_permission),
           "status": status, "checker": checker, "reason": reason})
}

/// `GET /api/koperasi/{id}/requests`: the book's two-person requests.
pub async fn requests(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    let (idx, coop) = state.authorize_read(&c.user, &id)?;
    let b = read(&coop)?;
    let v: Vec<Value> = b
        .requests()
        .values()
        .map(|r| request_json(&state, idx, &b, r))
        .collect();
    ok(&json!({"koperasi": coop.code, "requests": v}))
}

#[derive(Deserialize, Default)]
pub(crate) struct RejectBody {
    reason: String,
}

async fn decide(
    state: &AppState,
    c: &Caller,
    id: &str,
    r: u64,
    reject: Option<String>,
) -> ApiResult {
    let (idx, coop) = state.authorize_read(&c.user, id)?;
    let Access::Coop {
        actor,
        member: None,
        ..
    } = c.user.access
    else {
        return Err(ApiError::forbidden(
            "hanya pengurus dan pengawas koperasi yang memutuskan permintaan",
        ));
    };
    let request = RequestId(r);
    if !read(&coop)?.requests().contains_key(&request) {
        return Err(ApiError::not_found(format!(
            "permintaan #{r} tidak ditemukan"
        )));
    }
    let date = Utc::now().date_naive().max(read(&coop)?.last_date());
    let op = match reject {
        Some(reason) => Operation::Reject { request, reason },
        None => Operation::Approve { request },
    };
    let event = Event::new(date, actor, op);
    match state.commit(&coop, &event, None).await {
        Ok(posted) => {
            let applied = posted.applied;
            let (rj, grant) = {
                let b = read(&coop)?;
                let x = b.requests().get(&request);
                // a role granted in the book to a user's actor: an audited user record too
                let grant = x.and_then(|x| match (&x.op, &x.state) {
                    (Operation::GrantRole { grantee, .. }, RequestState::Approved { .. }) => {
                        Some((x.maker, *grantee))
                    }
                    _ => None,
                });
                (x.map(|x| request_json(state, idx, &b, x)), grant)
            };
            if let Some((maker, grantee)) = grant {
                crate::admin::record_book_grant(state, idx, &c.user.username, maker, grantee)
                    .await?;
            }
            let mut resp = Json(json!({"koperasi": coop.code, "event": event, "request": rj, "entries": applied.entries})).into_response();
            *resp.status_mut() = StatusCode::CREATED;
            Ok(resp)
        }
        Err(Err(e)) => Err(from_book(&e)),
        Err(Ok(e)) => Err(e),
    }
}

/// `POST /api/koperasi/{id}/requests/{r}/approve`: a second person completes a request. The
/// book refuses the maker (maker ≠ checker) and a checker without the request's permission.
pub async fn approve(
    State(state): State<AppState>,
    c: Caller,
    Path((id, r)): Path<(String, u64)>,
) -> ApiResult {
    decide(&state, &c, &id, r, None).await
}

/// `POST /api/koperasi/{id}/requests/{r}/reject` `{"reason"}`: a second person refuses it.
pub async fn reject(
    State(state): State<AppState>,
    c: Caller,
    Path((id, r)): Path<(String, u64)>,
    body: Bytes,
) -> ApiResult {
    state.authorize_read(&c.user, &id)?;
    let b: RejectBody =
        serde_json::from_slice(&body).map_err(|e| ApiError::unprocessable(format!("body: {e}")))?;
    decide(&state, &c, &id, r, Some(b.reason)).await
}

#[derive(Deserialize)]
pub(crate) struct FindingBody {
    pub(crate) text: String,
    pub(crate) due: Option<NaiveDate>,
    pub(crate) status: Option<String>,
    pub(crate) follows: Option<u64>,
}

pub(crate) fn can_read_findings(
    state: &AppState,
    c: &Caller,
    id: &str,
) -> Result<std::sync::Arc<crate::state::Coop>, ApiError> {
    use koperasi::membership::Role;
    let (_, coop) = state.authorize_read(&c.user, id)?;
    match &c.user.access {
        Access::City
        | Access::CityReader
        | Access::Coop {
            role:
                Role::Chair
                | Role::ViceChair
                | Role::Secretary
                | Role::Treasurer
                | Role::ManagementMember
                | Role::Supervisor,
            member: None,
            ..
        } => Ok(coop),
        _ => Err(ApiError::forbidden(
            "temuan pembinaan hanya untuk dinas, pengurus dan pengawas",
        )),
    }
}

/// `GET /api/koperasi/{id}/findings`: the mentoring record (dinas, pengurus, pengawas).
pub async fn findings(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    let coop = can_read_findings(&state, &c, &id)?;
    let v: Vec<Finding> = lock(&state.0.findings)?
        .iter()
        .filter(|f| f.coop == coop.code)
        .cloned()
        .collect();
    ok(&json!({"koperasi": coop.code, "findings": v}))
}

/// Records a finding or a follow-up (the city office only).
///
/// # Errors
/// 403 for anyone but the city office; 422 on an empty text or a bad status.
pub(crate) fn add_finding(
    state: &AppState,
    c: &Caller,
    id: &str,
    body: FindingBody,
) -> Result<Finding, ApiError> {
    let coop = can_read_findings(state, c, id)?;
    if c.user.access != Access::City {
        return Err(ApiError::forbidden("hanya dinas yang mencatat temuan"));
    }
    let text = body.text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(ApiError::unprocessable(
            "isi temuan wajib, paling banyak 2000 karakter",
        ));
    }
    let status = body.status.unwrap_or_else(|| "terbuka".to_owned());
    if !["terbuka", "proses", "selesai"].contains(&status.as_str()) {
        return Err(ApiError::unprocessable(
            "status: terbuka, proses atau selesai",
        ));
    }
    let mut all = lock(&state.0.findings)?;
    let (id_num, revision) = match body.follows {
        Some(f) => {
            let last = all
                .iter()
                .filter(|x| x.id == f && x.coop == coop.code)
                .map(|x| x.revision)
                .max()
                .ok_or_else(|| ApiError::not_found(format!("temuan #{f} tidak ditemukan")))?;
            (f, last.saturating_add(1))
        }
        None => (
            all.iter()
                .map(|x| x.id)
                .max()
                .unwrap_or(0)
                .saturating_add(1),
            1,
        ),
    };
    let prev = all.last().map(|x| x.hash.clone()).unwrap_or_default();
    let mut f = Finding {
        id: id_num,
        revision,
        coop: coop.code.clone(),
        author: c.user.username.clone(),
        at: Utc::now().naive_utc(),
        text: text.to_owned(),
        due: body.due,
        status,
        hash: String::new(),
    };
    f.hash = crate::state::finding_hash(&prev, &f);
    if let Some(store) = state.store() {
        // durable before it is shown: the record carries who and when
        let body = serde_json::to_string(&f).map_err(|e| ApiError::internal(e.to_string()))?;
        store
            .append_server_record(
                crate::state::FINDING_RECORD,
                &format!("{}#{}", f.id, f.revision),
                &f.author,
                &f.at.and_utc().to_rfc3339(),
                &body,
            )
            .map_err(|e| ApiError::internal(format!("penyimpanan temuan: {e}")))?;
    }
    all.push(f.clone());
    drop(all);
    state.publish(LiveEvent {
        coop: coop.code.clone(),
        kind: "finding",
        what: format!("temuan #{}", f.id),
        audit_size: 0,
    });
    Ok(f)
}

/// [`add_finding`] on the blocking pool (it writes the durable record to the store, whose
/// clients block).
///
/// # Errors
/// As [`add_finding`]; 500 if the task fails.
pub(crate) async fn add_finding_blocking(
    state: &AppState,
    c: &Caller,
    id: &str,
    body: FindingBody,
) -> Result<Finding, ApiError> {
    let (st, c, id) = (state.clone(), c.clone(), id.to_owned());
    tokio::task::spawn_blocking(move || add_finding(&st, &c, &id, body))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}

/// `POST /api/koperasi/{id}/findings` `{"text","due","status","follows"}` (city office).
pub async fn post_finding(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    can_read_findings(&state, &c, &id)?;
    let body: FindingBody =
        serde_json::from_slice(&body).map_err(|e| ApiError::unprocessable(format!("body: {e}")))?;
    let f = add_finding_blocking(&state, &c, &id, body).await?;
    let mut r = Json(json!({"finding": f})).into_response();
    *r.status_mut() = StatusCode::CREATED;
    Ok(r)
}

/// `GET /api/city?as_of=`: the city monitoring view for the caller's cooperatives.
pub async fn city(
    State(state): State<AppState>,
    c: Caller,
    q: Result<Query<AsOf>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    let as_of = date_param(q.as_of.as_deref(), "as_of")?;
    let user = c.user.clone();
    let data = tokio::task::spawn_blocking(move || views::city_data(&state, &user, as_of))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))??;
    ok(&serde_json::to_value(&data).map_err(|e| ApiError::internal(e.to_string()))?)
}

/// `GET /api/events`: server-sent events of the changes the caller may see (`event:` is the
/// kind, `data:` the JSON of [`LiveEvent`]).
pub async fn events(
    State(state): State<AppState>,
    c: Caller,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let visible: Vec<String> = state
        .visible(&c.user)
        .into_iter()
        .filter_map(|i| state.coops().get(i).map(|x| x.code.clone()))
        .collect();
    let rx = state.subscribe();
    let stream = futures_util::stream::unfold((rx, visible), |(mut rx, visible)| async move {
        loop {
            match rx.recv().await {
                Ok(ev) if visible.contains(&ev.coop) => {
                    let data = serde_json::to_string(&ev).unwrap_or_default();
                    let e = SseEvent::default().event(ev.kind).data(data);
                    return Some((Ok(e), (rx, visible)));
                }
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let e = SseEvent::default().event("lagged").data("{}");
                    return Some((Ok(e), (rx, visible)));
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

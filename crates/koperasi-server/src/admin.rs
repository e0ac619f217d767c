//! User administration over HTTP: the API (`/api/city/users…`, `/api/koperasi/{id}/users…`,
//! `/api/password`) and the pages (`/pengguna`, `/koperasi/{id}/pengguna`, `/kata-sandi`).
//! The rules are in [`crate::users`].

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use koperasi::core::{ActorId, MemberId};
use koperasi::membership::{MemberStatus, Permission, Role};
use koperasi::{Event, Operation, RequestState};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{Caller, PageCaller, hash_password, random_bytes, verify_password};
use crate::error::{ApiError, from_book};
use crate::pages::{PageResult, page};
use crate::state::{Access, AppState, Coop, User};
use crate::users::{
    AdminAct, COOP_ROLES, Scope, UserEvent, initial_password, parse_role, role_name, valid_username,
};
use crate::views::read;

/// The outcome of creating a user or resetting a password: the one-time password is shown
/// once, to the administrator.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) status: &'static str,
    pub(crate) request: Option<u64>,
}

fn issued_json(i: &Issued) -> Value {
    if i.password.is_empty() {
        return json!({"username": i.username, "status": i.status,
                      "message": "menunggu administrator kedua untuk menyelesaikan reset"});
    }
    json!({"username": i.username, "initial_password": i.password, "status": i.status,
           "request": i.request, "must_change_password": true})
}

fn maker_checker() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "maker_checker",
        "pembuat permintaan tidak boleh menyetujuinya sendiri (dua orang)",
    )
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}

/// The cooperative `code` if `user` may administer its users with `perm`: the city office
/// always, a person of the cooperative with `perm` in the book. Another cooperative is 404.
fn coop_admin(
    state: &AppState,
    user: &User,
    code: &str,
    perm: Permission,
) -> Result<(usize, Arc<Coop>), ApiError> {
    // an anggota (own data only) reaches no administration: 403 (another cooperative 404)
    let (idx, coop) = state.authorize_read(user, code).map_err(|e| {
        if e.kind == "forbidden" {
            ApiError::forbidden("tidak berwenang mengelola pengguna")
        } else {
            e
        }
    })?;
    match &user.access {
        Access::City => Ok((idx, coop)),
        Access::Coop { member: None, .. } if state.permissions(user, &coop).contains(perm) => {
            Ok((idx, coop))
        }
        _ => Err(ApiError::forbidden(format!(
            "{} tidak berwenang mengelola pengguna: perlu izin {perm:?}",
            user.username
        ))),
    }
}

pub(crate) fn city_admin(user: &User) -> Result<(), ApiError> {
    if user.access == Access::City {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "hanya administrator dinas yang mengelola pengguna dinas",
        ))
    }
}

fn user_status(state: &AppState, u: &User) -> &'static str {
    if u.disabled {
        return "disabled";
    }
    if u.pending {
        return "pending";
    }
    if let Access::Coop {
        coop,
        actor,
        member: None,
        ..
    } = &u.access
    {
        let granted = state.coop_at(*coop).is_some_and(|c| {
            c.book.read().is_ok_and(|b| {
                b.access()
                    .grant_of(*actor)
                    .is_some_and(|g| !g.roles.is_empty())
            })
        });
        if !granted {
            return "pending";
        }
    }
    "active"
}

/// The book's open `GrantRole` request naming the user's actor, if any.
fn grant_request(state: &AppState, u: &User) -> Option<u64> {
    let Access::Coop {
        coop,
        actor,
        member: None,
        ..
    } = &u.access
    else {
        return None;
    };
    let c = state.coop_at(*coop)?;
    let b = c.book.read().ok()?;
    let on = b.last_date();
    b.open_requests(on)
        .find(|r| matches!(&r.op, Operation::GrantRole { grantee, .. } if grantee == actor))
        .map(|r| r.id.0)
}

fn user_row(state: &AppState, u: &User) -> Value {
    let (role, member) = match &u.access {
        Access::City => ("dinas", None),
        Access::CityReader => ("pemantau", None),
        Access::Coop { role, member, .. } => (role_name(*role), *member),
    };
    json!({"username": u.username, "scope": state.scope_label(u), "role": role, "member": member,
           "status": user_status(state, u), "must_change_password": u.must_change,
           "created_by": u.created_by, "request": grant_request(state, u),
           "reset_requested_by": u.reset_requested_by})
}

fn acts_json(acts: &[AdminAct]) -> Vec<Value> {
    acts.iter()
        .map(|a| json!({"seq": a.seq, "username": a.username, "by": a.author, "at": a.at, "what": a.what}))
        .collect()
}

fn users_of(state: &AppState, scope: &str) -> Vec<Arc<User>> {
    state
        .all_users()
        .into_iter()
        .filter(|u| state.scope_label(u) == scope)
        .collect()
}

fn acts_of(state: &AppState, scope: &str) -> Result<Vec<AdminAct>, ApiError> {
    Ok(state
        .admin_log()?
        .into_iter()
        .filter(|a| a.scope == scope && a.author != "demo")
        .collect())
}

pub(crate) fn fresh_actor() -> Result<ActorId, ApiError> {
    Ok(ActorId::from_u128(u128::from_le_bytes(
        random_bytes::<16>()?
    )))
}

fn check_free(state: &AppState, username: &str) -> Result<(), ApiError> {
    if !valid_username(username) {
        return Err(ApiError::unprocessable(
            "nama pengguna: 3–64 karakter a-z, 0-9, titik, garis bawah atau tanda hubung",
        ));
    }
    if state.user(username).is_some() {
        return Err(ApiError::conflict(format!(
            "nama pengguna {username:?} sudah dipakai"
        )));
    }
    Ok(())
}

/// Creates a user of cooperative `code`.
pub(crate) async fn create_coop_user(
    state: &AppState,
    c: &Caller,
    code: &str,
    username: &str,
    role: &str,
    member: Option<MemberId>,
) -> Result<Issued, ApiError> {
    let (idx, coop) = coop_admin(state, &c.user, code, Permission::ManageAccess)?;
    let _guard = state.0.admin.lock().await;
    check_free(state, username)?;
    let role = parse_role(role).ok_or_else(|| {
        ApiError::unprocessable(format!("peran: salah satu dari {}", COOP_ROLES.join(", ")))
    })?;
    // the city creates the user of a founding officer (named in the book's configuration
    // when it registered the cooperative) once: that user acts as the founder's actor
    let founder = if role != Role::Member && c.user.access == Access::City {
        crate::onboard::unclaimed_founder(state, idx, role)
    } else {
        None
    };
    let actor = match founder {
        Some(a) => a,
        None => fresh_actor()?,
    };
    let mut request = None;
    let mut status = "active";
    if founder.is_some() {
        // the role is the book's from its first day: nothing to grant
    } else if role == Role::Member {
        let m = member.ok_or_else(|| {
            ApiError::unprocessable("pengguna anggota harus ditautkan ke seorang anggota")
        })?;
        let ok = read(&coop)?
            .registry()
            .get(m)
            .is_some_and(|x| x.status() == MemberStatus::Member);
        if !ok {
            return Err(ApiError::unprocessable(format!(
                "anggota {m} tidak ada atau bukan anggota aktif"
            )));
        }
    } else {
        // a role with power in the book: granted in the book by its own GrantRole operation
        let Access::Coop {
            actor: maker,
            member: None,
            ..
        } = c.user.access
        else {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "book_role",
                "peran pengurus, pengawas dan petugas diberikan oleh pengurus koperasi di buku (dua orang); dinas hanya membuat pengguna anggota dan pengguna para pendiri yang belum punya pengguna",
            ));
        };
        let date = Utc::now().date_naive().max(read(&coop)?.last_date());
        let event = Event::new(
            date,
            maker,
            Operation::GrantRole {
                grantee: actor,
                role,
            },
        );
        let posted = match state.commit(&coop, &event, None).await {
            Ok(p) => p,
            Err(Err(e)) => return Err(from_book(&e)),
            Err(Ok(e)) => return Err(e),
        };
        if let Some(r) = posted.applied.request {
            let pending = read(&coop)?
                .requests()
                .get(&r)
                .is_some_and(|x| x.state == RequestState::Pending);
            if pending {
                status = "pending";
                request = Some(r.0);
            }
        }
    }
    let password = initial_password()?;
    let (st, name, author, pw) = (
        state.clone(),
        username.to_owned(),
        c.user.username.clone(),
        password.clone(),
    );
    let scope = Scope::Cooperative {
        koperasi: coop.code.clone(),
        actor,
        role,
        member: if role == Role::Member { member } else { None },
    };
    blocking(move || {
        let ev = UserEvent::Created {
            scope,
            phc: hash_password(&pw)?,
            must_change: true,
            pending: false,
            request,
        };
        st.write_user_events(&author, &[(name, ev)])
    })
    .await?;
    Ok(Issued {
        username: username.to_owned(),
        password,
        status,
        request,
    })
}

/// Requests a new city administrator (pending until a second administrator approves).
pub(crate) async fn create_city_admin(
    state: &AppState,
    c: &Caller,
    username: &str,
) -> Result<Issued, ApiError> {
    new_city_user(state, c, username, Scope::City).await
}

/// Creates a read-only city user (*pemantau*): active at once (they hold no power), with a
/// one-time password.
pub(crate) async fn create_city_reader(
    state: &AppState,
    c: &Caller,
    username: &str,
) -> Result<Issued, ApiError> {
    new_city_user(state, c, username, Scope::CityReader).await
}

/// A new city user with a one-time password: an administrator is pending until a second
/// administrator approves; a read-only user is active at once.
async fn new_city_user(
    state: &AppState,
    c: &Caller,
    username: &str,
    scope: Scope,
) -> Result<Issued, ApiError> {
    city_admin(&c.user)?;
    let pending = matches!(scope, Scope::City);
    let _guard = state.0.admin.lock().await;
    check_free(state, username)?;
    let password = initial_password()?;
    let (st, name, author, pw) = (
        state.clone(),
        username.to_owned(),
        c.user.username.clone(),
        password.clone(),
    );
    blocking(move || {
        let ev = UserEvent::Created {
            scope,
            phc: hash_password(&pw)?,
            must_change: true,
            pending,
            request: None,
        };
        st.write_user_events(&author, &[(name, ev)])
    })
    .await?;
    Ok(Issued {
        username: username.to_owned(),
        password,
        status: if pending { "pending" } else { "active" },
        request: None,
    })
}

/// A new city user of kind `kind`: `administrator` (the default; two-person) or `pemantau`
/// (read-only).
pub(crate) async fn create_city_user(
    state: &AppState,
    c: &Caller,
    username: &str,
    kind: Option<&str>,
) -> Result<Issued, ApiError> {
    match kind.map(str::trim).filter(|k| !k.is_empty()) {
        None | Some("administrator") => create_city_admin(state, c, username).await,
        Some("pemantau") => create_city_reader(state, c, username).await,
        Some(other) => Err(ApiError::unprocessable(format!(
            "jenis pengguna dinas {other:?}: administrator atau pemantau"
        ))),
    }
}

/// A second city administrator completes a pending city administrator.
pub(crate) async fn approve_city_admin(
    state: &AppState,
    c: &Caller,
    username: &str,
) -> Result<(), ApiError> {
    city_admin(&c.user)?;
    let _guard = state.0.admin.lock().await;
    let target = state
        .user(username)
        .filter(|u| u.access == Access::City)
        .ok_or_else(|| ApiError::not_found(format!("pengguna dinas {username:?} tidak ada")))?;
    if !target.pending {
        return Err(ApiError::conflict(format!(
            "{username} tidak menunggu persetujuan"
        )));
    }
    if target.created_by == c.user.username || target.username == c.user.username {
        return Err(maker_checker());
    }
    let (st, name, author, maker) = (
        state.clone(),
        username.to_owned(),
        c.user.username.clone(),
        target.created_by.clone(),
    );
    blocking(move || st.write_user_events(&author, &[(name, UserEvent::RoleGranted { maker })]))
        .await
}

/// Who may reset or disable `target`: the city office anyone; a cooperative's people with
/// `ManageAccess` their own cooperative's users. Never oneself.
fn may_manage(
    state: &AppState,
    c: &Caller,
    scope: Option<&str>,
    target: &User,
) -> Result<(), ApiError> {
    if target.username == c.user.username {
        return Err(ApiError::unprocessable(
            "tidak untuk diri sendiri: ganti kata sandi sendiri di /kata-sandi",
        ));
    }
    match scope {
        None => {
            city_admin(&c.user)?;
            if !target.access.is_city() {
                return Err(ApiError::not_found(format!(
                    "pengguna dinas {:?} tidak ada",
                    target.username
                )));
            }
        }
        Some(code) => {
            coop_admin(state, &c.user, code, Permission::ManageAccess)?;
            if state.scope_label(target) != code {
                return Err(ApiError::not_found(format!(
                    "pengguna {:?} tidak ada di koperasi ini",
                    target.username
                )));
            }
        }
    }
    Ok(())
}

/// The user `username` as one the caller may manage in `scope` (a cooperative's code, or the
/// city), with the administration lock held for the caller's whole act.
async fn managed<'a>(
    state: &'a AppState,
    c: &Caller,
    scope: Option<&str>,
    username: &str,
) -> Result<(tokio::sync::MutexGuard<'a, ()>, Arc<User>), ApiError> {
    if let Some(code) = scope {
        coop_admin(state, &c.user, code, Permission::ManageAccess)?;
    } else {
        city_admin(&c.user)?;
    }
    let guard = state.0.admin.lock().await;
    let target = find(state, username)?;
    may_manage(state, c, scope, &target)?;
    Ok((guard, target))
}

fn find(state: &AppState, username: &str) -> Result<Arc<User>, ApiError> {
    state
        .user(username)
        .ok_or_else(|| ApiError::not_found(format!("pengguna {username:?} tidak ada")))
}

/// Whether `u` holds power a stolen password would give: a city administrator, or a
/// cooperative person whose role in the book can act (post, approve, disburse, close, reopen,
/// reverse, run the SHU, manage access or governance — the book's own list of privileged
/// roles) and so can be the second person of a two-person act.
fn holds_power(state: &AppState, u: &User) -> bool {
    use Permission as P;
    const ACTING: [Permission; 9] = [
        P::PostEntry,
        P::ReverseEntry,
        P::ApproveLoan,
        P::DisburseLoan,
        P::ClosePeriod,
        P::ReopenPeriod,
        P::RunShu,
        P::ManageAccess,
        P::ManageGovernance,
    ];
    match &u.access {
        Access::City => true,
        Access::Coop {
            coop, member: None, ..
        } => state.coop_at(*coop).is_some_and(|c| {
            let p = state.permissions(u, &c);
            ACTING.iter().any(|x| p.contains(*x))
        }),
        Access::Coop { .. } | Access::CityReader => false,
    }
}

/// Resets a password to a new one-time password; closes the user's sessions. For a user who
/// holds power ([`holds_power`]) it is a two-person act: the first administrator's reset is
/// recorded as a request (status `reset_requested`, no password), a *second* administrator's
/// reset completes it and receives the one-time password — otherwise one administrator could
/// reset a second administrator's password and act as both people of a two-person act.
pub(crate) async fn reset_password(
    state: &AppState,
    c: &Caller,
    scope: Option<&str>,
    username: &str,
) -> Result<Issued, ApiError> {
    let (_guard, target) = managed(state, c, scope, username).await?;
    if holds_power(state, &target) {
        match &target.reset_requested_by {
            None => {
                let (st, name, author) =
                    (state.clone(), username.to_owned(), c.user.username.clone());
                blocking(move || {
                    st.write_user_events(&author, &[(name, UserEvent::ResetRequested)])
                })
                .await?;
                return Ok(Issued {
                    username: username.to_owned(),
                    password: String::new(),
                    status: "reset_requested",
                    request: None,
                });
            }
            Some(maker) if *maker == c.user.username => return Err(maker_checker()),
            Some(_) => {}
        }
    }
    let password = initial_password()?;
    let (st, name, author, pw) = (
        state.clone(),
        username.to_owned(),
        c.user.username.clone(),
        password.clone(),
    );
    blocking(move || {
        let ev = UserEvent::PasswordChanged {
            phc: hash_password(&pw)?,
            must_change: true,
        };
        st.write_user_events(&author, &[(name.clone(), ev)])?;
        st.close_sessions_of(&name, &author)
    })
    .await?;
    Ok(Issued {
        username: username.to_owned(),
        password,
        status: user_status(state, &target),
        request: None,
    })
}

/// Disables a user; closes their sessions.
pub(crate) async fn disable_user(
    state: &AppState,
    c: &Caller,
    scope: Option<&str>,
    username: &str,
) -> Result<(), ApiError> {
    let (_guard, target) = managed(state, c, scope, username).await?;
    if target.disabled {
        return Err(ApiError::conflict(format!(
            "{username} sudah dinonaktifkan"
        )));
    }
    let (st, name, author) = (state.clone(), username.to_owned(), c.user.username.clone());
    blocking(move || {
        st.write_user_events(&author, &[(name.clone(), UserEvent::Disabled)])?;
        st.close_sessions_of(&name, &author)
    })
    .await
}

/// Re-enables a disabled user (the same authority as disabling them); the password is
/// unchanged.
pub(crate) async fn enable_user(
    state: &AppState,
    c: &Caller,
    scope: Option<&str>,
    username: &str,
) -> Result<(), ApiError> {
    let (_guard, target) = managed(state, c, scope, username).await?;
    if !target.disabled {
        return Err(ApiError::conflict(format!("{username} tidak nonaktif")));
    }
    let (st, name, author) = (state.clone(), username.to_owned(), c.user.username.clone());
    blocking(move || st.write_user_events(&author, &[(name, UserEvent::Enabled)])).await
}

/// The caller changes their own password.
pub(crate) async fn change_password(
    state: &AppState,
    c: &Caller,
    old: &str,
    new: &str,
) -> Result<(), ApiError> {
    if new.chars().count() < 10 || new.len() > 256 {
        return Err(ApiError::unprocessable(
            "kata sandi baru: 10 sampai 256 karakter",
        ));
    }
    if new == old {
        return Err(ApiError::unprocessable(
            "kata sandi baru harus berbeda dari yang lama",
        ));
    }
    let (st, name, old, new, phc) = (
        state.clone(),
        c.user.username.clone(),
        old.to_owned(),
        new.to_owned(),
        c.user.phc.clone(),
    );
    // wrong old passwords count against the same limit as failed logins of the user
    let keys = vec![format!("user:{name}")];
    if state.too_many(&keys)? {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "terlalu banyak percobaan; coba lagi nanti",
        ));
    }
    let _guard = state.0.admin.lock().await;
    blocking(move || {
        if !verify_password(&old, &phc) {
            st.record_failure(&keys)?;
            return Err(ApiError::unauthorized("kata sandi lama salah"));
        }
        let ev = UserEvent::PasswordChanged {
            phc: hash_password(&new)?,
            must_change: false,
        };
        st.write_user_events(&name, &[(name.clone(), ev)])
    })
    .await
}

/// After the book approved a `GrantRole` request whose grantee is a user's actor: an audited
/// `role_granted` record naming maker and checker.
pub(crate) async fn record_book_grant(
    state: &AppState,
    idx: usize,
    checker: &str,
    maker: ActorId,
    grantee: ActorId,
) -> Result<(), ApiError> {
    let Some(user) = state.all_users().into_iter().find(|u| {
        matches!(&u.access, Access::Coop { coop, actor, member: None, .. } if *coop == idx && *actor == grantee)
    }) else {
        return Ok(());
    };
    let maker = state
        .username_of(idx, maker)
        .unwrap_or_else(|| maker.to_string());
    let (st, name, author) = (state.clone(), user.username.clone(), checker.to_owned());
    blocking(move || st.write_user_events(&author, &[(name, UserEvent::RoleGranted { maker })]))
        .await
}

// ---------------------------------------------------------------------------------------
// API

type ApiResult = Result<Response, ApiError>;

fn created(status: StatusCode, v: &Value) -> Response {
    let mut r = Json(v).into_response();
    *r.status_mut() = status;
    r
}

#[derive(Deserialize)]
struct NewUser {
    username: String,
    role: Option<String>,
    member: Option<MemberId>,
    /// City users: `administrator` (default) or `pemantau`.
    kind: Option<String>,
}

pub(crate) fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::unprocessable(format!("body: {e}")))
}

fn reset_status(i: &Issued) -> StatusCode {
    if i.status == "reset_requested" {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    }
}

fn issued_status(i: &Issued) -> StatusCode {
    if i.status == "pending" || i.status == "reset_requested" {
        StatusCode::ACCEPTED
    } else {
        StatusCode::CREATED
    }
}

/// `GET /api/city/users`: the city office's users and its administration log.
pub async fn city_users(State(state): State<AppState>, c: Caller) -> ApiResult {
    city_admin(&c.user)?;
    let users: Vec<Value> = users_of(&state, "city")
        .iter()
        .map(|u| user_row(&state, u))
        .collect();
    Ok(Json(json!({"users": users, "log": acts_json(&acts_of(&state, "city")?)})).into_response())
}

/// `POST /api/city/users` `{"username","kind"}`: requests a new city administrator (202;
/// pending until a second administrator approves), or creates a read-only city user
/// (`"kind":"pemantau"`, 201).
pub async fn city_create(State(state): State<AppState>, c: Caller, body: Bytes) -> ApiResult {
    city_admin(&c.user)?;
    let b: NewUser = parse(&body)?;
    let i = create_city_user(&state, &c, &b.username, b.kind.as_deref()).await?;
    Ok(created(issued_status(&i), &issued_json(&i)))
}

/// `{"user": …}`: the user as it stands after an administration act.
fn user_response(state: &AppState, username: &str) -> ApiResult {
    let u = find(state, username)?;
    Ok(Json(json!({"user": user_row(state, &u)})).into_response())
}

/// `POST /api/city/users/{username}/approve`: a second administrator completes it.
pub async fn city_approve(
    State(state): State<AppState>,
    c: Caller,
    Path(username): Path<String>,
) -> ApiResult {
    approve_city_admin(&state, &c, &username).await?;
    user_response(&state, &username)
}

/// `POST /api/city/users/{username}/reset`.
pub async fn city_reset(
    State(state): State<AppState>,
    c: Caller,
    Path(username): Path<String>,
) -> ApiResult {
    let i = reset_password(&state, &c, None, &username).await?;
    Ok(created(reset_status(&i), &issued_json(&i)))
}

/// `POST /api/city/users/{username}/disable`.
pub async fn city_disable(
    State(state): State<AppState>,
    c: Caller,
    Path(username): Path<String>,
) -> ApiResult {
    disable_user(&state, &c, None, &username).await?;
    user_response(&state, &username)
}

/// `POST /api/city/users/{username}/enable`: a disabled city user can log in again.
pub async fn city_enable(
    State(state): State<AppState>,
    c: Caller,
    Path(username): Path<String>,
) -> ApiResult {
    enable_user(&state, &c, None, &username).await?;
    user_response(&state, &username)
}

/// `GET /api/koperasi/{id}/users`: a cooperative's users and its administration log.
pub async fn coop_users(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    let (_, coop) = coop_admin(&state, &c.user, &id, Permission::ManageAccess).or_else(|e| {
        if e.kind == "forbidden" {
            coop_admin(&state, &c.user, &id, Permission::ManageGovernance)
        } else {
            Err(e)
        }
    })?;
    let users: Vec<Value> = users_of(&state, &coop.code)
        .iter()
        .map(|u| user_row(&state, u))
        .collect();
    Ok(Json(json!({"koperasi": coop.code, "users": users,
                   "log": acts_json(&acts_of(&state, &coop.code)?)}))
    .into_response())
}

/// `POST /api/koperasi/{id}/users` `{"username","role","member"}`.
pub async fn coop_create(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    coop_admin(&state, &c.user, &id, Permission::ManageAccess)?;
    let b: NewUser = parse(&body)?;
    let role = b
        .role
        .ok_or_else(|| ApiError::unprocessable("peran wajib diisi"))?;
    let i = create_coop_user(&state, &c, &id, &b.username, &role, b.member).await?;
    Ok(created(issued_status(&i), &issued_json(&i)))
}

/// `POST /api/koperasi/{id}/users/{username}/reset`.
pub async fn coop_reset(
    State(state): State<AppState>,
    c: Caller,
    Path((id, username)): Path<(String, String)>,
) -> ApiResult {
    let i = reset_password(&state, &c, Some(&id), &username).await?;
    Ok(created(reset_status(&i), &issued_json(&i)))
}

/// `POST /api/koperasi/{id}/users/{username}/disable`.
pub async fn coop_disable(
    State(state): State<AppState>,
    c: Caller,
    Path((id, username)): Path<(String, String)>,
) -> ApiResult {
    disable_user(&state, &c, Some(&id), &username).await?;
    user_response(&state, &username)
}

/// `POST /api/koperasi/{id}/users/{username}/enable`.
pub async fn coop_enable(
    State(state): State<AppState>,
    c: Caller,
    Path((id, username)): Path<(String, String)>,
) -> ApiResult {
    enable_user(&state, &c, Some(&id), &username).await?;
    user_response(&state, &username)
}

#[derive(Deserialize)]
struct PasswordBody {
    old_password: String,
    new_password: String,
}

/// `POST /api/password` `{"old_password","new_password"}`: the caller's own password.
pub async fn password(State(state): State<AppState>, c: Caller, body: Bytes) -> ApiResult {
    let b: PasswordBody = parse(&body)?;
    change_password(&state, &c, &b.old_password, &b.new_password).await?;
    Ok(Json(json!({"status": "ok"})).into_response())
}

// ---------------------------------------------------------------------------------------
// Pages

fn status_label(s: &str) -> &'static str {
    match s {
        "active" => "aktif",
        "pending" => "menunggu persetujuan",
        "reset_requested" => "reset sandi menunggu administrator kedua",
        "disabled" => "nonaktif",
        _ => "?",
    }
}

fn what_label(s: &str) -> &'static str {
    match s {
        "created" => "dibuat",
        "password_changed" => "kata sandi diganti/direset",
        "reset_requested" => "reset sandi diminta (menunggu orang kedua)",
        "role_granted" => "peran disetujui (orang kedua)",
        "disabled" => "dinonaktifkan",
        "enabled" => "diaktifkan kembali",
        _ => "?",
    }
}

fn notice(n: Option<&Issued>, err: Option<&str>) -> Markup {
    html! {
        @if let Some(i) = n {
            div class="notice" role="status" {
                p { "Pengguna " strong { (i.username) } " — status: " (status_label(i.status)) "." }
                @if let Some(r) = i.request { p { "Peran ini menunggu orang kedua: permintaan #" (r) " di buku koperasi." } }
                @if i.password.is_empty() { p { "Reset kata sandi pengguna ini adalah tindakan dua orang: administrator lain harus menekan Reset sandi juga; dialah yang menerima kata sandi sekali pakai." } }
                @else { p { "Kata sandi awal (sekali tampil, wajib diganti saat masuk pertama): " code class="once" { (i.password) } } }
            }
        }
        @if let Some(e) = err { p class="error" role="alert" { (e) } }
    }
}

fn users_table(
    state: &AppState,
    c: &Caller,
    users: &[Arc<User>],
    action: &str,
    city: bool,
) -> Markup {
    html! {
        div class="table-wrap" { table class="users" {
            caption { "Pengguna" }
            thead { tr { th scope="col" { "Nama pengguna" } th scope="col" { "Peran" } th scope="col" { "Status" } th scope="col" { "Dibuat oleh" } th scope="col" { "Tindakan" } } }
            tbody { @for u in users {
                @let st = user_status(state, u);
                tr {
                    td { (u.username) @if u.must_change { " " small { "(wajib ganti sandi)" } }
                         @if let Some(m) = &u.reset_requested_by { " " small { "(reset diminta oleh " (m) ")" } } }
                    td { (match &u.access { Access::City => "dinas", Access::CityReader => "pemantau (hanya baca)", Access::Coop { role, .. } => role_name(*role) }) }
                    td { (status_label(st)) @if let Some(r) = grant_request(state, u) { " " small { "(permintaan #" (r) " di buku)" } } }
                    td { (u.created_by) }
                    td { @if u.username != c.user.username && st == "disabled" {
                        form method="post" action=(action) class="inline" {
                            input type="hidden" name="_csrf" value=(c.csrf);
                            input type="hidden" name="act" value="enable";
                            input type="hidden" name="username" value=(u.username);
                            button type="submit" { "Aktifkan kembali" }
                        }
                    }
                    @if u.username != c.user.username && st != "disabled" {
                        @if city && u.pending && u.created_by != c.user.username {
                            form method="post" action=(action) class="inline" {
                                input type="hidden" name="_csrf" value=(c.csrf);
                                input type="hidden" name="act" value="approve";
                                input type="hidden" name="username" value=(u.username);
                                button type="submit" { "Setujui" }
                            }
                        }
                        form method="post" action=(action) class="inline" {
                            input type="hidden" name="_csrf" value=(c.csrf);
                            input type="hidden" name="act" value="reset";
                            input type="hidden" name="username" value=(u.username);
                            button type="submit" { "Reset sandi" }
                        }
                        form method="post" action=(action) class="inline" {
                            input type="hidden" name="_csrf" value=(c.csrf);
                            input type="hidden" name="act" value="disable";
                            input type="hidden" name="username" value=(u.username);
                            button type="submit" { "Nonaktifkan" }
                        }
                    } }
                }
            } }
        } }
    }
}

fn log_table(acts: &[AdminAct]) -> Markup {
    html! {
        h2 { "Catatan administrasi" }
        @if acts.is_empty() { p { "Belum ada tindakan (pengguna demo tidak dicatat di sini)." } }
        @else {
            div class="table-wrap" { table class="admin-log" {
                thead { tr { th scope="col" { "No." } th scope="col" { "Waktu (UTC)" } th scope="col" { "Oleh" } th scope="col" { "Pengguna" } th scope="col" { "Tindakan" } } }
                tbody { @for a in acts.iter().rev().take(200) { tr {
                    td { (a.seq) } td { (a.at.get(..19).unwrap_or(&a.at).replace('T', " ")) } td { (a.author) } td { (a.username) } td { (what_label(&a.what)) }
                } } }
            } }
        }
    }
}

fn city_users_page(
    state: &AppState,
    c: &Caller,
    n: Option<&Issued>,
    err: Option<&str>,
) -> Result<Response, ApiError> {
    let users = users_of(state, "city");
    let acts = acts_of(state, "city")?;
    let body = html! {
        p class="crumbs" { a href="/kota" { "Kota" } " › pengguna" }
        h1 { "Pengguna dinas" }
        (notice(n, err))
        p class="hint" { "Administrator dinas baru adalah tindakan dua orang: diminta oleh satu administrator, baru dapat masuk setelah administrator lain menyetujuinya." }
        (users_table(state, c, &users, "/pengguna", true))
        h2 { "Pengguna dinas baru" }
        form method="post" action="/pengguna" class="stack" {
            input type="hidden" name="_csrf" value=(c.csrf);
            input type="hidden" name="act" value="create";
            label for="username" { "Nama pengguna" } input id="username" name="username" required pattern="[a-z0-9][a-z0-9._\\-]{2,63}";
            label for="kind" { "Jenis" }
            select id="kind" name="kind" {
                option value="administrator" { "administrator (disetujui administrator kedua)" }
                option value="pemantau" { "pemantau (hanya baca: semua koperasi, NIK disamarkan)" }
            }
            button type="submit" { "Buat" }
        }
        h2 { "Pengguna koperasi" }
        ul class="coop-links" { @for co in state.coops().iter() { li { a href={"/koperasi/" (co.code) "/pengguna"} { (co.name) } " (" (co.code) ")" } } }
        (log_table(&acts))
    };
    Ok(page("Pengguna", c, false, &body))
}

fn coop_users_page(
    state: &AppState,
    c: &Caller,
    coop: &Coop,
    n: Option<&Issued>,
    err: Option<&str>,
) -> Result<Response, ApiError> {
    let users = users_of(state, &coop.code);
    let acts = acts_of(state, &coop.code)?;
    let may_create = c.user.access == Access::City
        || state
            .permissions(&c.user, coop)
            .contains(Permission::ManageAccess);
    let action = format!("/koperasi/{}/pengguna", coop.code);
    // the founding officers whom no user acts as yet (the city creates their users)
    let founders: Vec<&'static str> = match state.coop_index(&coop.code) {
        Some(idx) if c.user.access == Access::City => {
            let roles: Vec<Role> = read(coop)?
                .config()
                .founders
                .iter()
                .map(|(_, r)| *r)
                .collect();
            let mut out: Vec<&'static str> = Vec::new();
            for r in roles {
                let name = role_name(r);
                if !out.contains(&name)
                    && crate::onboard::unclaimed_founder(state, idx, r).is_some()
                {
                    out.push(name);
                }
            }
            out
        }
        _ => Vec::new(),
    };
    let body = html! {
        p class="crumbs" { @if c.user.access == Access::City { a href="/pengguna" { "Pengguna dinas" } " › " } a href={"/koperasi/" (coop.code)} { (coop.name) } " › pengguna" }
        h1 { "Pengguna: " (coop.name) }
        (notice(n, err))
        p class="hint" { "Peran pengurus, pengawas, kasir dan manajer diberikan di buku koperasi oleh pengurus (izin ManageAccess) dan baru berlaku setelah orang kedua (izin ManageGovernance, bukan orang yang sama) menyetujui permintaannya. Pengguna anggota ditautkan ke seorang anggota dan hanya melihat datanya sendiri." }
        (users_table(state, c, &users, &action, false))
        @if may_create {
            h2 { "Buat pengguna" }
            form method="post" action=(action) class="stack" {
                input type="hidden" name="_csrf" value=(c.csrf);
                input type="hidden" name="act" value="create";
                label for="username" { "Nama pengguna" } input id="username" name="username" required pattern="[a-z0-9][a-z0-9._\\-]{2,63}";
                label for="role" { "Peran" }
                select id="role" name="role" {
                    @if c.user.access == Access::City {
                        @for r in &founders { option value=(r) { (r) " (pendiri)" } }
                        option value="anggota" { "anggota" }
                    }
                    @else { @for r in COOP_ROLES { option value=(r) { (r) } } }
                }
                @if c.user.access == Access::City { p class="hint" { "Dinas membuat pengguna para pendiri (sekali untuk setiap pendiri) dan pengguna anggota; peran pengurus, pengawas dan petugas lainnya diberikan oleh pengurus koperasi di bukunya." } }
                label for="member" { "Nomor anggota (untuk peran anggota)" } input id="member" name="member";
                button type="submit" { "Buat" }
            }
        }
        (log_table(&acts))
    };
    Ok(page("Pengguna koperasi", c, false, &body))
}

/// `GET /pengguna`: the city office's users (city administrators).
pub async fn city_users_get(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
) -> PageResult {
    city_admin(&c.user)?;
    Ok(city_users_page(&state, &c, None, None)?)
}

#[derive(Deserialize)]
struct AdminForm {
    act: String,
    username: String,
    role: Option<String>,
    member: Option<String>,
    kind: Option<String>,
}

fn form(body: &[u8]) -> Result<AdminForm, ApiError> {
    serde_urlencoded::from_bytes(body)
        .map_err(|e| ApiError::unprocessable(format!("formulir: {e}")))
}

/// Errors a form shows on the page (the rest are error pages).
fn shown(e: &ApiError) -> bool {
    e.status.is_client_error() && e.status != StatusCode::NOT_FOUND
}

/// `POST /pengguna` (form): `act` = create, approve, reset or disable.
pub async fn city_users_post(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    body: Bytes,
) -> PageResult {
    city_admin(&c.user)?;
    let f = form(&body)?;
    let r: Result<Option<Issued>, ApiError> = match f.act.as_str() {
        "create" => create_city_user(&state, &c, &f.username, f.kind.as_deref())
            .await
            .map(Some),
        "approve" => approve_city_admin(&state, &c, &f.username)
            .await
            .map(|()| None),
        "reset" => reset_password(&state, &c, None, &f.username)
            .await
            .map(Some),
        "disable" => disable_user(&state, &c, None, &f.username)
            .await
            .map(|()| None),
        "enable" => enable_user(&state, &c, None, &f.username)
            .await
            .map(|()| None),
        _ => Err(ApiError::unprocessable("tindakan tidak dikenal")),
    };
    match r {
        Ok(Some(i)) => Ok(city_users_page(&state, &c, Some(&i), None)?),
        Ok(None) => Ok(Redirect::to("/pengguna").into_response()),
        Err(e) if shown(&e) => {
            let mut resp = city_users_page(&state, &c, None, Some(&e.message))?;
            *resp.status_mut() = e.status;
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /koperasi/{id}/pengguna`: a cooperative's users.
pub async fn coop_users_get(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    Path(id): Path<String>,
) -> PageResult {
    let (_, coop) = coop_admin(&state, &c.user, &id, Permission::ManageAccess).or_else(|e| {
        if e.kind == "forbidden" {
            coop_admin(&state, &c.user, &id, Permission::ManageGovernance)
        } else {
            Err(e)
        }
    })?;
    Ok(coop_users_page(&state, &c, &coop, None, None)?)
}

/// `POST /koperasi/{id}/pengguna` (form): `act` = create, reset or disable.
pub async fn coop_users_post(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let (_, coop) = coop_admin(&state, &c.user, &id, Permission::ManageAccess)?;
    let f = form(&body)?;
    let r: Result<Option<Issued>, ApiError> = match f.act.as_str() {
        "create" => {
            let member = match f.member.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(m) => Some(
                    m.parse::<MemberId>()
                        .map_err(|_| ApiError::unprocessable("nomor anggota tidak dikenal"))?,
                ),
                None => None,
            };
            create_coop_user(
                &state,
                &c,
                &id,
                &f.username,
                f.role.as_deref().unwrap_or(""),
                member,
            )
            .await
            .map(Some)
        }
        "reset" => reset_password(&state, &c, Some(&id), &f.username)
            .await
            .map(Some),
        "disable" => disable_user(&state, &c, Some(&id), &f.username)
            .await
            .map(|()| None),
        "enable" => enable_user(&state, &c, Some(&id), &f.username)
            .await
            .map(|()| None),
        _ => Err(ApiError::unprocessable("tindakan tidak dikenal")),
    };
    match r {
        Ok(Some(i)) => Ok(coop_users_page(&state, &c, &coop, Some(&i), None)?),
        Ok(None) => Ok(Redirect::to(&format!("/koperasi/{id}/pengguna")).into_response()),
        Err(e) if shown(&e) => {
            let mut resp = coop_users_page(&state, &c, &coop, None, Some(&e.message))?;
            *resp.status_mut() = e.status;
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

fn password_page(c: &Caller, err: Option<&str>, status: StatusCode) -> Response {
    let body = html! {
        h1 { "Ganti kata sandi" }
        @if c.user.must_change { p class="notice" role="status" { "Kata sandi awal harus diganti sebelum melanjutkan." } }
        @if let Some(e) = err { p class="error" role="alert" { (e) } }
        form method="post" action="/kata-sandi" class="stack" {
            input type="hidden" name="_csrf" value=(c.csrf);
            label for="old_password" { "Kata sandi sekarang" } input id="old_password" name="old_password" type="password" required autocomplete="current-password";
            label for="new_password" { "Kata sandi baru (paling sedikit 10 karakter)" } input id="new_password" name="new_password" type="password" required minlength="10" autocomplete="new-password";
            button type="submit" { "Simpan" }
        }
    };
    let mut r = page("Kata sandi", c, false, &body);
    *r.status_mut() = status;
    r
}

/// `GET /kata-sandi`.
pub async fn password_get(PageCaller(c): PageCaller) -> Response {
    password_page(&c, None, StatusCode::OK)
}

/// `POST /kata-sandi` (form).
pub async fn password_post(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    body: Bytes,
) -> PageResult {
    let f: PasswordBody = serde_urlencoded::from_bytes(&body)
        .map_err(|e| ApiError::unprocessable(format!("formulir: {e}")))?;
    match change_password(&state, &c, &f.old_password, &f.new_password).await {
        Ok(()) => Ok(Redirect::to("/").into_response()),
        Err(e) if e.status.is_client_error() => Ok(password_page(&c, Some(&e.message), e.status)),
        Err(e) => Err(e.into()),
    }
}

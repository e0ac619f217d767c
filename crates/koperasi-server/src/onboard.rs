//! Serving a real store: the cooperatives and users a store already holds, the first city
//! administrators of an empty store, and the registration of a new cooperative by the city.
//!
//! - [`open_store`] loads every cooperative of a [`koperasi_store::Store`] with its users,
//!   sessions and mentoring findings — no simulation.
//! - [`bootstrap_admins`] creates the first city administrators of a store that has **no user
//!   at all** (`koperasi serve --admin NAME`); on a store that has users it changes nothing.
//! - [`register`] (`POST /api/koperasi`, the page `/kota/daftar`) registers a new KKMP: its
//!   book is created in the store with its **founding officers** (the pengurus named in the
//!   deed of establishment) holding their roles from the first day, so that the city can
//!   create one user for each of them and the cooperative can act at once — the ketua
//!   requests, the sekretaris approves (two persons).
//!
//! ```
//! use koperasi_server::{MemoryRepo, ServerConfig, onboard};
//!
//! // an empty server (no store, no cooperative): the first administrator
//! let state = koperasi_server::AppState::new(
//!     ServerConfig::default(), Vec::new(), Vec::new(), std::sync::Arc::new(MemoryRepo::new()))?;
//! let done = onboard::bootstrap_admins(&state, &["kepala-dinas".to_owned()], None)?;
//! assert_eq!(done.created.len(), 1);
//! assert!(done.created[0].1.is_some(), "a generated one-time password, shown once");
//! // a second call changes nothing
//! let again = onboard::bootstrap_admins(&state, &["kepala-dinas".to_owned()], None)?;
//! assert!(again.created.is_empty());
//! assert_eq!(again.existing_users, 1);
//!
//! // the administrator registers a KKMP with its founding officers
//! let admin = koperasi_server::auth::Caller { user: state.user("kepala-dinas").unwrap(), csrf: String::new() };
//! let opening = koperasi::core::chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
//! let reg = onboard::Registration::new("KKMP-3574-01-1009", "KKMP Ketapang", "35.74.01.1009", opening)
//!     .with_founders(&["ketua", "sekretaris", "bendahara", "pengawas"]);
//! let rt = tokio::runtime::Runtime::new().unwrap();
//! let done = rt.block_on(onboard::register(&state, &admin, reg))?;
//! assert_eq!(done.founders.len(), 4);
//! assert_eq!(state.coops()[0].code, "KKMP-3574-01-1009");
//! # Ok::<(), koperasi_server::ApiError>(())
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use koperasi::city::ManagementAnswers;
use koperasi::core::chrono::NaiveDate;
use koperasi::core::{ActorId, CooperativeId, Rupiah};
use koperasi::membership::{Role, VillageCode};
use koperasi::{BookConfig, Koperasi};
use maud::html;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::admin::{blocking, city_admin, fresh_actor, parse};
use crate::auth::{Caller, PageCaller, random_bytes};
use crate::error::{ApiError, from_book};
use crate::pages::{PageResult, page};
use crate::repo::StoreRepo;
use crate::state::{Access, AppState, Coop, ServerConfig};
use crate::users::{Scope, USER_RECORD, UserEvent, initial_password, parse_role, role_name};

/// The kind of the store's server records that name a registered cooperative: key its code,
/// body `{"id","code","name"}`. A cooperative without one is served under the code derived
/// from its village ([`derived_code`]).
pub const KOPERASI_RECORD: &str = "koperasi";

/// The environment variable holding the first administrators' password (`koperasi serve
/// --admin`); without it a password is generated and shown once.
pub const ADMIN_PASSWORD_ENV: &str = "KOPERASI_ADMIN_PASSWORD";

/// The founding officers of a registration that names none: ketua, sekretaris, bendahara.
pub const DEFAULT_FOUNDERS: [&str; 3] = ["ketua", "sekretaris", "bendahara"];

/// Most founding officers of one registration.
pub const MAX_FOUNDERS: usize = 12;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct KoperasiRecord {
    id: CooperativeId,
    code: String,
    name: String,
}

/// The code of a KKMP derived from its desa/kelurahan code: `35.74.01.1001` →
/// `KKMP-3574-01-1001` (the form the city uses).
///
/// ```
/// assert_eq!(koperasi_server::onboard::derived_code("35.74.01.1001"), "KKMP-3574-01-1001");
/// ```
pub fn derived_code(village: &str) -> String {
    let parts: Vec<&str> = village.split('.').collect();
    match parts.as_slice() {
        [p, r, d, v] => format!("KKMP-{p}{r}-{d}-{v}"),
        _ => format!("KKMP-{}", village.replace('.', "-")),
    }
}

/// Whether `code` is a valid cooperative code: 3–40 characters of `A-Z 0-9 -`, starting with
/// a letter or digit (it is a path segment of every route).
pub fn valid_code(code: &str) -> bool {
    (3..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        && code
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

fn store_error(what: &str, e: &koperasi_store::Error) -> ApiError {
    ApiError::internal(format!("{what}: {e}"))
}

/// The server over every cooperative a store holds (no simulation): each book loaded from the
/// store, with the users, sessions and findings kept there. A cooperative is served under the
/// code it was registered with, or (a book imported with `koperasi store import`) the code
/// derived from its village — followed by the first 8 hex digits of its id if a registered
/// cooperative has that code. Registered cooperatives come first, in the store's order. If the
/// store's users were made by the demo, the pages say SIMULASI.
///
/// Blocking: call before serving.
///
/// # Errors
/// [`ApiError`] (internal) if the store cannot be read, a book cannot be loaded or two
/// cooperatives are registered under the same code.
pub fn open_store(
    mut config: ServerConfig,
    store: koperasi_store::Store,
) -> Result<AppState, ApiError> {
    let listed = store
        .list_koperasi()
        .map_err(|e| store_error("store", &e))?;
    let mut codes: HashMap<CooperativeId, (String, String)> = HashMap::new();
    for r in store
        .server_records(KOPERASI_RECORD)
        .map_err(|e| store_error("koperasi records", &e))?
    {
        let k: KoperasiRecord = serde_json::from_str(&r.body)
            .map_err(|e| ApiError::internal(format!("koperasi record {}: {e}", r.seq)))?;
        codes.insert(k.id, (k.code, k.name));
    }
    // a recorded code first; a book without one (imported) under the code derived from its
    // village, made unique with its id if that code is taken
    let mut named: Vec<(koperasi_store::KoperasiInfo, Option<(String, String)>)> = listed
        .into_iter()
        .map(|k| {
            let rec = codes.remove(&k.id);
            (k, rec)
        })
        .collect();
    named.sort_by_key(|(_, rec)| rec.is_none());
    let mut coops = Vec::with_capacity(named.len());
    let mut ids: HashMap<String, CooperativeId> = HashMap::new();
    for (k, rec) in named {
        let book = store
            .load(k.id)
            .map_err(|e| store_error("store load", &e))?;
        let (code, name) = rec.unwrap_or_else(|| {
            let derived = derived_code(&k.village);
            let code = if ids.contains_key(&derived) {
                let hex = k.id.as_uuid().simple().to_string();
                format!("{derived}-{}", hex.get(..8).unwrap_or(&hex).to_uppercase())
            } else {
                derived
            };
            (code, k.name.clone())
        });
        if ids.insert(code.clone(), k.id).is_some() {
            return Err(ApiError::internal(format!(
                "two cooperatives of the store are registered as {code}"
            )));
        }
        coops.push(Coop::new(code, name, ManagementAnswers::default(), book));
    }
    config.simulated = store
        .server_records(USER_RECORD)
        .map_err(|e| store_error("users", &e))?
        .iter()
        .any(|r| r.author == "demo");
    let repo = StoreRepo::new(store, ids).map_err(|e| ApiError::internal(e.to_string()))?;
    let state = AppState::new(config, coops, Vec::new(), Arc::new(repo))?;
    state.restore_findings()?;
    state.restore_users()?;
    Ok(state)
}

/// What [`bootstrap_admins`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Bootstrap {
    /// The administrators created, each with the one-time password generated for them (shown
    /// once; `None` when it came from [`ADMIN_PASSWORD_ENV`]).
    pub created: Vec<(String, Option<String>)>,
    /// How many users the store already held (nothing was created then).
    pub existing_users: usize,
}

/// Creates the first city administrators of a server that has **no user at all**, each with
/// `password` (from [`ADMIN_PASSWORD_ENV`]) or a generated one-time password. Either way the
/// password must be changed at the first login. On a server that has users it creates
/// nothing and changes nothing — it never resets a password — and says how many users there
/// are.
///
/// Two administrators are what the two-person rule needs: a third is requested by one and
/// approved by another. With a single one, no further administrator can ever be approved.
///
/// Blocking: call before serving.
///
/// # Errors
/// 422 `unprocessable` for an invalid or repeated user name, a password shorter than 10
/// characters, or no user name; 500 if the store cannot record them.
pub fn bootstrap_admins(
    state: &AppState,
    usernames: &[String],
    password: Option<&str>,
) -> Result<Bootstrap, ApiError> {
    let existing = state.usernames().len();
    if existing > 0 {
        return Ok(Bootstrap {
            created: Vec::new(),
            existing_users: existing,
        });
    }
    if usernames.is_empty() {
        return Err(ApiError::unprocessable(
            "administrator pertama: nama pengguna wajib",
        ));
    }
    for (i, u) in usernames.iter().enumerate() {
        if !crate::users::valid_username(u) {
            return Err(ApiError::unprocessable(format!(
                "nama pengguna {u:?}: 3–64 karakter a-z, 0-9, titik, garis bawah atau tanda hubung"
            )));
        }
        if usernames.iter().take(i).any(|x| x == u) {
            return Err(ApiError::unprocessable(format!(
                "nama pengguna {u:?} disebut dua kali"
            )));
        }
    }
    if let Some(p) = password
        && (p.chars().count() < 10 || p.len() > 256)
    {
        return Err(ApiError::unprocessable(format!(
            "{ADMIN_PASSWORD_ENV}: 10 sampai 256 karakter"
        )));
    }
    let mut created = Vec::with_capacity(usernames.len());
    let mut events = Vec::with_capacity(usernames.len());
    for u in usernames {
        let (pw, shown) = if let Some(p) = password {
            (p.to_owned(), None)
        } else {
            let p = initial_password()?;
            (p.clone(), Some(p))
        };
        events.push((
            u.clone(),
            UserEvent::Created {
                scope: Scope::City,
                phc: crate::auth::hash_password(&pw)?,
                must_change: true,
                pending: false,
                request: None,
            },
        ));
        created.push((u.clone(), shown));
    }
    state.write_user_events("bootstrap", &events)?;
    Ok(Bootstrap {
        created,
        existing_users: 0,
    })
}

/// A registration of a new cooperative (`POST /api/koperasi`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Registration {
    /// Its code, e.g. `KKMP-3574-01-1009` (`A-Z 0-9 -`, 3–40 characters): the `{id}` of its
    /// routes.
    pub code: String,
    /// Its name, e.g. "KKMP Ketapang".
    pub name: String,
    /// Its desa/kelurahan (Kemendagri code, e.g. `35.74.01.1009`).
    pub village: String,
    /// The opening date of its books.
    pub opening: NaiveDate,
    /// Its founding officers by role (`ketua`, `sekretaris`, …): ketua and sekretaris at
    /// least. Default [`DEFAULT_FOUNDERS`].
    #[serde(default)]
    pub founders: Option<Vec<String>>,
    /// Simpanan pokok (default Rp100.000).
    #[serde(default)]
    pub pokok: Option<Rupiah>,
    /// Simpanan wajib per month (default Rp10.000).
    #[serde(default)]
    pub wajib: Option<Rupiah>,
}

impl Registration {
    /// A registration with the default founders (ketua, sekretaris, bendahara) and the
    /// default simpanan.
    pub fn new(
        code: impl Into<String>,
        name: impl Into<String>,
        village: impl Into<String>,
        opening: NaiveDate,
    ) -> Registration {
        Registration {
            code: code.into(),
            name: name.into(),
            village: village.into(),
            opening,
            founders: None,
            pokok: None,
            wajib: None,
        }
    }

    /// With these founding officers (roles in Indonesian: `ketua`, `sekretaris`, …).
    #[must_use]
    pub fn with_founders(mut self, roles: &[&str]) -> Registration {
        self.founders = Some(roles.iter().map(|r| (*r).to_owned()).collect());
        self
    }
}

/// A registered cooperative.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Registered {
    /// Its id in the books and the store.
    pub id: CooperativeId,
    /// Its code.
    pub code: String,
    /// The founding officers: role and actor.
    pub founders: Vec<(Role, ActorId)>,
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::unprocessable(msg)
}

/// The founding officers' roles: ketua and sekretaris at least (the ketua's `GrantRole`
/// requests need a second person with `ManageGovernance`), each officer of the board at most
/// once, no anggota.
fn founder_roles(names: &[String]) -> Result<Vec<Role>, ApiError> {
    if names.len() > MAX_FOUNDERS {
        return Err(bad(format!("pendiri: paling banyak {MAX_FOUNDERS} orang")));
    }
    let mut roles = Vec::with_capacity(names.len());
    for n in names {
        let r = parse_role(n.trim())
            .filter(|r| *r != Role::Member)
            .ok_or_else(|| {
                bad(format!(
                    "pendiri: peran {n:?} tidak dikenal (ketua, wakil-ketua, sekretaris, bendahara, pengurus, pengawas, manajer, kasir)"
                ))
            })?;
        let single = matches!(
            r,
            Role::Chair | Role::ViceChair | Role::Secretary | Role::Treasurer
        );
        if single && roles.contains(&r) {
            return Err(bad(format!("pendiri: {n} hanya satu orang")));
        }
        roles.push(r);
    }
    if !roles.contains(&Role::Chair) || !roles.contains(&Role::Secretary) {
        return Err(bad(
            "pendiri: ketua dan sekretaris wajib ada (permintaan ketua disetujui orang kedua)",
        ));
    }
    Ok(roles)
}

fn fresh_cooperative_id() -> Result<CooperativeId, ApiError> {
    Ok(CooperativeId::from_u128(u128::from_le_bytes(
        random_bytes::<16>()?,
    )))
}

/// Registers a new cooperative: checks the registration, creates its book (durably, over a
/// store) with its founding officers, and serves it from now on. Only a city administrator
/// may; the act is serialised with the other acts of administration.
///
/// # Errors
/// 403 `forbidden` for anyone but a city administrator; 422 `unprocessable` for a bad code,
/// name, village, founders, an opening date after tomorrow (UTC) or a configuration the book
/// refuses; 409 `koperasi_exists` for a code already served, 409 `village_registered` for a
/// desa/kelurahan that has its KKMP already; 500 if the store fails (nothing is served then).
pub async fn register(
    state: &AppState,
    c: &Caller,
    reg: Registration,
) -> Result<Registered, ApiError> {
    city_admin(&c.user)
        .map_err(|_| ApiError::forbidden("hanya administrator dinas yang mendaftarkan koperasi"))?;
    let code = reg.code.trim().to_owned();
    if !valid_code(&code) {
        return Err(bad(
            "kode koperasi: 3–40 karakter A-Z, 0-9 atau tanda hubung (mis. KKMP-3574-01-1009)",
        ));
    }
    let name = reg.name.trim().to_owned();
    if !(3..=120).contains(&name.chars().count()) || name.chars().any(char::is_control) {
        return Err(bad("nama koperasi: 3–120 karakter"));
    }
    let village: VillageCode = reg
        .village
        .trim()
        .parse()
        .map_err(|e| bad(format!("kode desa/kelurahan: {e}")))?;
    let names: Vec<String> = reg
        .founders
        .clone()
        .unwrap_or_else(|| DEFAULT_FOUNDERS.iter().map(|s| (*s).to_owned()).collect());
    let roles = founder_roles(&names)?;
    // books open on a day that has come (a day's grace for the time zones of Indonesia): a
    // future opening would make the city's latest date, and every other cooperative's days
    // without an operation, run ahead of the calendar
    let today = chrono::Utc::now().date_naive();
    if reg.opening > today.succ_opt().unwrap_or(today) {
        return Err(bad(format!(
            "tanggal pembukaan buku {} belum tiba",
            reg.opening
        )));
    }
    let _guard = state.0.admin.lock().await;
    if state.coop_index(&code).is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "koperasi_exists",
            format!("kode koperasi {code} sudah terdaftar"),
        ));
    }
    let taken = state.coops().iter().find_map(|co| {
        co.book
            .read()
            .ok()
            .filter(|b| b.config().village == village)
            .map(|_| co.code.clone())
    });
    if let Some(other) = taken {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "village_registered",
            format!("desa/kelurahan {village} sudah punya koperasi ({other})"),
        ));
    }
    let mut founders = Vec::with_capacity(roles.len());
    for r in &roles {
        founders.push((fresh_actor()?, *r));
    }
    let id = fresh_cooperative_id()?;
    let mut config = BookConfig::kkmp(id, name.clone(), village, reg.opening, founders.clone());
    if let Some(p) = reg.pokok {
        config.pokok = p;
    }
    if let Some(w) = reg.wajib {
        config.wajib = w;
    }
    let book = Koperasi::new(config.clone()).map_err(|e| from_book(&e))?;
    if let Some(writer) = state.0.repo.group_writer() {
        let store = writer.store().clone();
        let record = serde_json::to_string(&KoperasiRecord {
            id,
            code: code.clone(),
            name: name.clone(),
        })
        .map_err(|e| ApiError::internal(e.to_string()))?;
        let (k, author) = (code.clone(), c.user.username.clone());
        blocking(move || {
            // the code first: a record whose cooperative never got created names nothing and
            // is ignored at the next start
            store
                .append_server_record(
                    KOPERASI_RECORD,
                    &k,
                    &author,
                    &crate::users::now_rfc3339(),
                    &record,
                )
                .map_err(|e| store_error("koperasi record", &e))?;
            store
                .create_koperasi(&config)
                .map_err(|e| store_error("create koperasi", &e))?;
            Ok(())
        })
        .await?;
        writer
            .add(&code, id)
            .map_err(|e| ApiError::internal(e.to_string()))?;
    }
    state.add_coop(Coop::new(
        code.clone(),
        name,
        ManagementAnswers::default(),
        book,
    ))?;
    state.publish(crate::state::LiveEvent {
        coop: code.clone(),
        kind: "registered",
        what: "koperasi terdaftar".to_owned(),
        audit_size: 0,
    });
    Ok(Registered {
        id,
        code,
        founders: founders.into_iter().map(|(a, r)| (r, a)).collect(),
    })
}

/// The founder of `coop` (index `idx`) holding `role` whom no user acts as yet, if any.
pub(crate) fn unclaimed_founder(state: &AppState, idx: usize, role: Role) -> Option<ActorId> {
    let coop = state.coop_at(idx)?;
    let founders: Vec<(ActorId, Role)> = coop.book.read().ok()?.config().founders.clone();
    let users = state.all_users();
    founders
        .into_iter()
        .filter(|(_, r)| *r == role)
        .map(|(a, _)| a)
        .find(|a| {
            !users.iter().any(|u| {
                matches!(&u.access, Access::Coop { coop, actor, .. } if *coop == idx && actor == a)
            })
        })
}

fn registered_json(r: &Registered) -> Value {
    let founders: Vec<Value> = r
        .founders
        .iter()
        .map(|(role, actor)| json!({"role": role_name(*role), "actor": actor}))
        .collect();
    json!({
        "id": r.id, "code": r.code, "founders": founders,
        "next": format!("POST /api/koperasi/{}/users {{\"username\",\"role\"}} for each founder", r.code),
    })
}

/// `POST /api/koperasi`: a city administrator registers a cooperative → 201
/// `{id, code, founders, next}`.
pub(crate) async fn register_api(
    State(state): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    city_admin(&c.user)
        .map_err(|_| ApiError::forbidden("hanya administrator dinas yang mendaftarkan koperasi"))?;
    let reg: Registration = parse(&body)?;
    let r = register(&state, &c, reg).await?;
    let mut resp = Json(registered_json(&r)).into_response();
    *resp.status_mut() = StatusCode::CREATED;
    Ok(resp)
}

#[derive(Debug, Default)]
struct RegistrationForm {
    code: String,
    name: String,
    village: String,
    opening: String,
    founders: Vec<String>,
}

fn registration_page(
    c: &Caller,
    done: Option<&Registered>,
    err: Option<&str>,
    status: StatusCode,
) -> Response {
    let body = html! {
        p class="crumbs" { a href="/kota" { "Kota" } " › daftarkan koperasi" }
        h1 { "Daftarkan koperasi" }
        @if let Some(r) = done {
            div class="notice" role="status" {
                p { "Koperasi " strong { (r.code) } " terdaftar; bukunya dibuka dengan para pendiri berikut." }
                p { "Langkah berikutnya: buat pengguna untuk setiap pendiri di "
                    a href={"/koperasi/" (r.code) "/pengguna"} { "halaman pengguna koperasi" } "." }
                ul { @for (role, _) in &r.founders { li { (role_name(*role)) } } }
            }
        }
        @if let Some(e) = err { p class="error" role="alert" { (e) } }
        @if done.is_none() { p class="hint" { "Para pendiri (pengurus dalam akta pendirian) memegang perannya sejak hari pertama buku. Ketua dan sekretaris wajib: permintaan ketua di buku (misalnya mengangkat kasir) disetujui orang kedua." } }
        @if done.is_some() { p { a href="/kota/daftar" { "Daftarkan koperasi lain" } } }
        @else {
        form method="post" action="/kota/daftar" class="stack" {
            input type="hidden" name="_csrf" value=(c.csrf);
            label for="code" { "Kode koperasi" } input id="code" name="code" required placeholder="KKMP-3574-01-1009" pattern="[A-Z0-9][A-Z0-9\\-]{2,39}";
            label for="name" { "Nama" } input id="name" name="name" required minlength="3" maxlength="120" placeholder="KKMP Ketapang";
            label for="village" { "Kode desa/kelurahan (Kemendagri)" } input id="village" name="village" required placeholder="35.74.01.1009";
            label for="opening" { "Tanggal pembukaan buku" } input id="opening" name="opening" type="date" required;
            fieldset {
                legend { "Pendiri (akta pendirian)" }
                @for r in ["ketua", "wakil-ketua", "sekretaris", "bendahara", "pengawas"] {
                    label class="check" {
                        input type="checkbox" name="founders" value=(r) checked[DEFAULT_FOUNDERS.contains(&r)];
                        " " (r)
                    }
                }
            }
            button type="submit" { "Daftarkan" }
        }
        }
    };
    let mut r = page("Daftarkan koperasi", c, false, &body);
    *r.status_mut() = status;
    r
}

/// `GET /kota/daftar`: the registration form (city administrators).
pub(crate) async fn register_get(PageCaller(c): PageCaller) -> PageResult {
    city_admin(&c.user)?;
    Ok(registration_page(&c, None, None, StatusCode::OK))
}

/// `POST /kota/daftar` (form, CSRF): registers the cooperative and shows the next step.
pub(crate) async fn register_post(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    body: Bytes,
) -> PageResult {
    city_admin(&c.user)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|e| ApiError::unprocessable(format!("formulir: {e}")))?;
    let mut f = RegistrationForm::default();
    for (k, v) in pairs {
        match k.as_str() {
            "code" => f.code = v,
            "name" => f.name = v,
            "village" => f.village = v,
            "opening" => f.opening = v,
            "founders" => f.founders.push(v),
            _ => {}
        }
    }
    let outcome = match f.opening.parse::<NaiveDate>() {
        Err(_) => Err(ApiError::unprocessable("tanggal pembukaan: YYYY-MM-DD")),
        Ok(opening) => {
            let mut reg = Registration::new(f.code, f.name, f.village, opening);
            reg.founders = Some(f.founders);
            register(&state, &c, reg).await
        }
    };
    match outcome {
        Ok(r) => Ok(registration_page(&c, Some(&r), None, StatusCode::CREATED)),
        Err(e) if e.status.is_client_error() => {
            Ok(registration_page(&c, None, Some(&e.message), e.status))
        }
        Err(e) => Err(e.into()),
    }
}

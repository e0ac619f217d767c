//! The server's state: cooperatives and their books, users, sessions, idempotency records,
//! two-person requests, mentoring findings and the live channel.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use koperasi::city::ManagementAnswers;
use koperasi::core::chrono::{NaiveDate, NaiveDateTime};
use koperasi::core::{ActorId, MemberId};
use koperasi::membership::{Permission, PermissionSet, Role};
use koperasi::{Event, Koperasi};
use serde::Serialize;
use tokio::sync::broadcast;

use crate::error::ApiError;
use crate::repo::{BookRepo, CommitFailure, CommittedQueue};

/// How the server behaves.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The city (kabupaten/kota) name shown on the pages.
    pub city: String,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after login, whatever happens.
    pub session_max: Duration,
    /// Failed logins allowed per user name and per client address within `login_window`.
    pub login_attempts: usize,
    /// The window of the login rate limit.
    pub login_window: Duration,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Mark cookies `Secure` (set it when a TLS reverse proxy is in front).
    pub secure_cookies: bool,
    /// The books are simulated (pages say SIMULASI).
    pub simulated: bool,
    /// Most idempotency answers kept in memory when a store backs the server (the oldest go
    /// first; a retry of an evicted one is answered from the store's record of the key).
    /// Without a store every answer is kept, like the events themselves.
    pub answers_kept: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            city: "Kota Probolinggo".to_owned(),
            session_idle: Duration::from_secs(30 * 60),
            session_max: Duration::from_secs(12 * 60 * 60),
            login_attempts: 5,
            login_window: Duration::from_secs(5 * 60),
            body_limit: 64 * 1024,
            secure_cookies: false,
            simulated: false,
            answers_kept: 10_000,
        }
    }
}

/// One cooperative served: its identity and its book.
#[derive(Debug)]
pub struct Coop {
    /// Code, e.g. `KKMP-3574-01-1001` (the `{id}` of the routes).
    pub code: String,
    /// Name.
    pub name: String,
    /// The answers to the management questionnaires of the health assessment (simulated in the
    /// demo).
    pub management: ManagementAnswers,
    /// The book (the working copy; every change is committed to the repository first).
    pub book: RwLock<Koperasi>,
    /// Events the store committed, waiting to be applied to `book` in log order.
    pub(crate) committed: Mutex<CommittedQueue>,
    /// Views computed from the book, by what they were computed for.
    pub(crate) cache: Mutex<crate::views::CoopCache>,
}

impl Coop {
    /// A cooperative served under `code`, with its book.
    pub fn new(
        code: impl Into<String>,
        name: impl Into<String>,
        management: ManagementAnswers,
        book: Koperasi,
    ) -> Coop {
        Coop {
            code: code.into(),
            name: name.into(),
            management,
            book: RwLock::new(book),
            committed: Mutex::new(CommittedQueue::default()),
            cache: Mutex::new(crate::views::CoopCache::default()),
        }
    }

    /// How many computed views this cooperative holds in its cache (bounded: a few figure
    /// sets by date, one set of trends, one health assessment).
    pub fn cached_views(&self) -> usize {
        self.cache.lock().map_or(0, |c| c.len())
    }

    /// Queues an event the store committed as number `seq` of this cooperative's log.
    pub(crate) fn queue_committed(&self, seq: u64, event: Event) {
        if let Ok(mut q) = self.committed.lock() {
            q.events.insert(seq, event);
        }
    }
}

/// What a user may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Access {
    /// A city administrator (Dinas Koperasi): every cooperative, aggregates only, personal
    /// data masked, read-only on the books; records mentoring findings, registers
    /// cooperatives and administers users.
    City,
    /// A read-only user of the city office (*pemantau*): every cooperative with the same view
    /// as [`Access::City`] (aggregates, personal data masked), and nothing else — no finding,
    /// no registration, no administration.
    CityReader,
    /// A person of one cooperative.
    Coop {
        /// Index of the cooperative.
        coop: usize,
        /// The actor recorded in the book.
        actor: ActorId,
        /// The role (for labels; permissions come from the book's access control).
        role: Role,
        /// For an anggota: the member they are.
        member: Option<MemberId>,
    },
}

impl Access {
    /// Whether this is a user of the city office (administrator or read-only): every
    /// cooperative is visible with the city's view.
    pub fn is_city(&self) -> bool {
        matches!(self, Access::City | Access::CityReader)
    }
}

/// A user who can log in.
#[derive(Clone)]
pub struct User {
    /// Login name.
    pub username: String,
    /// What they may reach.
    pub access: Access,
    /// PHC string of the Argon2id hash.
    pub(crate) phc: String,
    /// The password must be changed before anything else (a new or reset password).
    pub(crate) must_change: bool,
    /// Waiting for a second administrator (two-person act); cannot log in yet.
    pub(crate) pending: bool,
    /// Disabled: cannot log in.
    pub(crate) disabled: bool,
    /// Who created the user (`demo` for the demo users).
    pub(crate) created_by: String,
    /// A reset of this user's password asked by this administrator, waiting for a second one.
    pub(crate) reset_requested_by: Option<String>,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("username", &self.username)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

impl User {
    /// The Argon2id PHC string stored for this user (never the password).
    pub fn password_hash(&self) -> &str {
        &self.phc
    }

    /// Whether the password must be changed before anything else.
    pub fn must_change_password(&self) -> bool {
        self.must_change
    }

    /// Whether the user waits for a second administrator.
    pub fn is_pending(&self) -> bool {
        self.pending
    }

    /// Whether the user is disabled.
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// Who created the user.
    pub fn created_by(&self) -> &str {
        &self.created_by
    }

    /// A user with an Argon2id PHC string, active, password in force.
    pub fn new(username: impl Into<String>, access: Access, phc: impl Into<String>) -> User {
        User {
            username: username.into(),
            access,
            phc: phc.into(),
            must_change: false,
            pending: false,
            disabled: false,
            created_by: String::new(),
            reset_requested_by: None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) username: String,
    pub(crate) created: Instant,
    pub(crate) last_seen: Instant,
}

type AnswerKey = (usize, String, String);

/// The answers to operations by (cooperative, user, idempotency key), the oldest evicted first
/// beyond a capacity.
#[derive(Debug, Default)]
pub(crate) struct Answers {
    map: HashMap<AnswerKey, StoredAnswer>,
    order: VecDeque<AnswerKey>,
    cap: Option<usize>,
}

impl Answers {
    fn new(cap: Option<usize>) -> Answers {
        Answers {
            cap,
            ..Answers::default()
        }
    }

    pub(crate) fn get(&self, k: &AnswerKey) -> Option<&StoredAnswer> {
        self.map.get(k)
    }

    pub(crate) fn insert(&mut self, k: AnswerKey, a: StoredAnswer) {
        if self.map.insert(k.clone(), a).is_none() {
            self.order.push_back(k);
        }
        if let Some(cap) = self.cap {
            while self.map.len() > cap {
                let Some(old) = self.order.pop_front() else {
                    break;
                };
                self.map.remove(&old);
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

/// A stored answer to an operation, replayed for the same idempotency key.
#[derive(Debug, Clone)]
pub(crate) struct StoredAnswer {
    pub(crate) body_hash: [u8; 32],
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// A mentoring finding (temuan pembinaan) recorded by the city office. Over a store every
/// finding and follow-up is also a durable server record (kind `finding`), reloaded at start
/// with its hash chain checked.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Finding {
    /// Number (per server, from 1).
    pub id: u64,
    /// Revision of this finding (1 = recorded; each follow-up adds one).
    pub revision: u32,
    /// Cooperative code.
    pub coop: String,
    /// Who wrote it.
    pub author: String,
    /// When (server clock, UTC).
    pub at: NaiveDateTime,
    /// What was found or what follows up.
    pub text: String,
    /// Due date of the follow-up.
    pub due: Option<NaiveDate>,
    /// `terbuka`, `proses` or `selesai`.
    pub status: String,
    /// SHA-256 over the previous record's hash and this record (an append-only chain).
    pub hash: String,
}

/// What a committed operation did.
#[derive(Debug)]
pub(crate) struct Posted {
    pub(crate) applied: koperasi::Applied,
    pub(crate) audit: koperasi::ledger::audit::TreeHead,
    pub(crate) replayed: bool,
}

/// The kind of the store's server records that hold findings.
pub const FINDING_RECORD: &str = "finding";

/// SHA-256 (hex) over the previous finding's hash and this finding's JSON with an empty hash.
pub(crate) fn finding_hash(prev: &str, f: &Finding) -> String {
    use sha2::Digest as _;
    let mut unhashed = f.clone();
    unhashed.hash = String::new();
    let mut h = sha2::Sha256::new();
    h.update(prev.as_bytes());
    h.update(serde_json::to_vec(&unhashed).unwrap_or_default());
    hex::encode(h.finalize())
}

/// A change pushed to live dashboards.
#[derive(Debug, Clone, Serialize)]
pub struct LiveEvent {
    /// Cooperative code.
    pub coop: String,
    /// `operation`, `checkpoint`, `request`, `finding`.
    pub kind: &'static str,
    /// Operation name, or what happened.
    pub what: String,
    /// Audit log size after the change.
    pub audit_size: u64,
}

pub(crate) struct Inner {
    pub(crate) config: ServerConfig,
    /// The cooperatives served, in city order; a registered cooperative is appended (an index
    /// never changes), the list swapped whole so that readers keep a consistent snapshot.
    pub(crate) coops: RwLock<Arc<Vec<Arc<Coop>>>>,
    /// Index of each cooperative by code (updated after `coops`, so an index found here is
    /// always in the list).
    pub(crate) by_code: RwLock<HashMap<String, usize>>,
    pub(crate) users: RwLock<HashMap<String, Arc<User>>>,
    pub(crate) admin_log: Mutex<Vec<crate::users::AdminAct>>,
    /// Serialises acts of user administration (check, then write).
    pub(crate) admin: tokio::sync::Mutex<()>,
    pub(crate) dummy_phc: String,
    pub(crate) sessions: Mutex<HashMap<[u8; 32], Session>>,
    pub(crate) failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    pub(crate) answers: Mutex<Answers>,
    pub(crate) findings: Mutex<Vec<Finding>>,
    pub(crate) live: broadcast::Sender<LiveEvent>,
    pub(crate) repo: Arc<dyn BookRepo>,
}

/// The shared state of the server (cheap to clone).
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("coops", &self.coops().len())
            .field("users", &self.0.users.read().map_or(0, |u| u.len()))
            .finish_non_exhaustive()
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, ApiError> {
    m.lock()
        .map_err(|_| ApiError::internal("a lock was poisoned"))
}

impl AppState {
    /// A server over `coops` with `users`, committing every change to `repo`.
    ///
    /// # Errors
    /// [`ApiError`] (internal) if the dummy password hash cannot be made.
    pub fn new(
        config: ServerConfig,
        coops: Vec<Coop>,
        users: Vec<User>,
        repo: Arc<dyn BookRepo>,
    ) -> Result<AppState, ApiError> {
        let by_code = coops
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        let (live, _) = broadcast::channel(1024);
        let answers_cap = repo
            .group_writer()
            .is_some()
            .then_some(config.answers_kept.max(1));
        Ok(AppState(Arc::new(Inner {
            config,
            coops: RwLock::new(Arc::new(coops.into_iter().map(Arc::new).collect())),
            by_code: RwLock::new(by_code),
            users: RwLock::new(
                users
                    .into_iter()
                    .map(|u| (u.username.clone(), Arc::new(u)))
                    .collect(),
            ),
            admin_log: Mutex::new(Vec::new()),
            admin: tokio::sync::Mutex::new(()),
            dummy_phc: crate::auth::hash_password("tidak-ada-pengguna-ini")?,
            sessions: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            answers: Mutex::new(Answers::new(answers_cap)),
            findings: Mutex::new(Vec::new()),
            live,
            repo,
        })))
    }

    /// How many idempotency answers are held in memory (bounded by
    /// [`ServerConfig::answers_kept`] over a store).
    pub fn answers_held(&self) -> usize {
        self.0.answers.lock().map_or(0, |a| a.len())
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.0.config
    }

    /// The cooperatives, in city order: a snapshot (a cooperative registered later is not in
    /// it; indices never change).
    pub fn coops(&self) -> Arc<Vec<Arc<Coop>>> {
        self.0
            .coops
            .read()
            .map_or_else(|_| Arc::new(Vec::new()), |c| Arc::clone(&c))
    }

    /// The cooperative with index `idx`.
    pub(crate) fn coop_at(&self, idx: usize) -> Option<Arc<Coop>> {
        self.coops().get(idx).cloned()
    }

    /// Adds a cooperative to those served (after its book is durable) and returns its index.
    ///
    /// # Errors
    /// 409 `conflict` if the code is served already; 500 on a poisoned lock.
    pub(crate) fn add_coop(&self, coop: Coop) -> Result<usize, ApiError> {
        let mut by_code = self
            .0
            .by_code
            .write()
            .map_err(|_| ApiError::internal("a lock was poisoned"))?;
        if by_code.contains_key(&coop.code) {
            return Err(ApiError::conflict(format!(
                "kode koperasi {:?} sudah terdaftar",
                coop.code
            )));
        }
        let code = coop.code.clone();
        let idx = {
            let mut list = self
                .0
                .coops
                .write()
                .map_err(|_| ApiError::internal("a lock was poisoned"))?;
            let mut next: Vec<Arc<Coop>> = list.as_ref().clone();
            next.push(Arc::new(coop));
            let idx = next.len().saturating_sub(1);
            *list = Arc::new(next);
            idx
        };
        by_code.insert(code, idx);
        Ok(idx)
    }

    /// A user by name.
    pub fn user(&self, name: &str) -> Option<Arc<User>> {
        self.0.users.read().ok()?.get(name).cloned()
    }

    /// Every user name, sorted.
    pub fn usernames(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .0
            .users
            .read()
            .map(|u| u.keys().cloned().collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Every user, sorted by name.
    pub fn all_users(&self) -> Vec<Arc<User>> {
        let mut v: Vec<Arc<User>> = self
            .0
            .users
            .read()
            .map(|u| u.values().cloned().collect())
            .unwrap_or_default();
        v.sort_by(|a, b| a.username.cmp(&b.username));
        v
    }

    /// `city` or the code of the user's cooperative.
    pub fn scope_label(&self, u: &User) -> String {
        match &u.access {
            Access::City | Access::CityReader => "city".to_owned(),
            Access::Coop { coop, .. } => self
                .coop_at(*coop)
                .map(|c| c.code.clone())
                .unwrap_or_default(),
        }
    }

    /// Subscribe to live changes.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.0.live.subscribe()
    }

    /// The user name of `actor` in cooperative `coop`, if a user acts as it.
    pub fn username_of(&self, coop: usize, actor: ActorId) -> Option<String> {
        let users = self.0.users.read().ok()?;
        users
            .values()
            .filter(|u| {
                matches!(&u.access, Access::Coop { coop: c, actor: a, member: None, .. } if *c == coop && *a == actor)
            })
            .map(|u| u.username.clone())
            .min()
    }

    pub(crate) fn coop_index(&self, code: &str) -> Option<usize> {
        self.0.by_code.read().ok()?.get(code).copied()
    }

    /// The cooperatives `user` may see (indices).
    pub fn visible(&self, user: &User) -> Vec<usize> {
        match &user.access {
            Access::City | Access::CityReader => (0..self.coops().len()).collect(),
            Access::Coop { coop, .. } => vec![*coop],
        }
    }

    /// The permissions of `user` in cooperative `coop`: for the city office the
    /// `ExternalSupervisor` role; for an anggota the `Member` role; for the cooperative's own
    /// people the permissions the book's access control gives their actor.
    #[allow(
        clippy::unused_self,
        reason = "permissions may come from the server later"
    )]
    pub fn permissions(&self, user: &User, coop: &Coop) -> PermissionSet {
        match &user.access {
            Access::City | Access::CityReader => Role::ExternalSupervisor.default_permissions(),
            Access::Coop {
                actor, member: m, ..
            } => {
                if m.is_some() {
                    return Role::Member.default_permissions();
                }
                coop.book.read().map_or_else(
                    |_| PermissionSet::of(&[]),
                    |b| b.access().permissions_of(*actor),
                )
            }
        }
    }

    /// The cooperative `code` if `user` may reach it with `permission`: another cooperative's
    /// code is answered exactly like an unknown one (404), a missing permission 403.
    ///
    /// # Errors
    /// 404 `not_found` or 403 `forbidden`.
    pub fn authorize(
        &self,
        user: &User,
        code: &str,
        permission: Permission,
    ) -> Result<(usize, Arc<Coop>), ApiError> {
        let not_found = || ApiError::not_found(format!("koperasi {code:?} tidak ditemukan"));
        let idx = self.coop_index(code).ok_or_else(not_found)?;
        if let Access::Coop { coop, .. } = &user.access
            && *coop != idx
        {
            return Err(not_found());
        }
        let coop = self.coop_at(idx).ok_or_else(not_found)?;
        if !self.permissions(user, &coop).contains(permission) {
            return Err(ApiError::forbidden(format!(
                "{} tidak berwenang: perlu izin {permission:?}",
                user.username
            )));
        }
        Ok((idx, coop))
    }

    /// Like [`authorize`](Self::authorize) but for any of the reading permissions
    /// (aggregates or personal data).
    ///
    /// # Errors
    /// As [`authorize`](Self::authorize).
    pub fn authorize_read(&self, user: &User, code: &str) -> Result<(usize, Arc<Coop>), ApiError> {
        self.authorize(user, code, Permission::ViewAggregates)
            .or_else(|e| {
                if e.kind == "forbidden" {
                    self.authorize(user, code, Permission::ViewPersonalData)
                } else {
                    Err(e)
                }
            })
    }

    /// Commits an event and applies it to the book; the book is changed only if the commit
    /// succeeded. Over a store the event goes through the group-commit writer
    /// ([`crate::StoreRepo`]) and this returns after its group committed; `key` is then the
    /// store's idempotency key (a retry of a committed event is answered from the store).
    ///
    /// The commit and the catch-up of the book run in a task of their own, so a client that
    /// goes away cannot leave a committed event unapplied.
    pub(crate) async fn commit(
        &self,
        coop: &Arc<Coop>,
        event: &Event,
        key: Option<String>,
    ) -> Result<Posted, Result<ApiError, koperasi::Error>> {
        let Some(writer) = self.0.repo.group_writer() else {
            return self.commit_in_memory(coop, event);
        };
        let rx = writer
            .enqueue(coop, event.clone(), key)
            .map_err(|e| Ok(ApiError::internal(e.to_string())))?;
        let state = self.clone();
        let c = Arc::clone(coop);
        let ev = event.clone();
        let task = tokio::spawn(async move {
            let appended = match rx.await {
                Ok(Ok(a)) => a,
                Ok(Err(CommitFailure::Rejected(e))) => return Err(Err(e)),
                Ok(Err(CommitFailure::KeyReused)) => {
                    return Err(Ok(ApiError::new(
                        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                        "idempotency_key_reused",
                        "Idempotency-Key ini sudah dipakai untuk isi yang lain",
                    )));
                }
                Ok(Err(CommitFailure::Store(m))) => {
                    return Err(Ok(ApiError::internal(format!("penyimpanan: {m}"))));
                }
                Err(_) => return Err(Ok(ApiError::internal("penulis penyimpanan berhenti"))),
            };
            let posted = state.catch_up(&c, &ev, &appended).map_err(Ok)?;
            if !posted.replayed {
                state.publish(LiveEvent {
                    coop: c.code.clone(),
                    kind: "operation",
                    what: ev.op.name().to_owned(),
                    audit_size: posted.audit.size,
                });
            }
            Ok(posted)
        });
        task.await
            .map_err(|e| Ok(ApiError::internal(e.to_string())))?
    }

    /// Applies every committed event queued for `coop` to its book in log order and returns
    /// the outcome of the one numbered `appended.seq`. If the book cannot follow the store's
    /// log (it should never happen: both apply the same events to the same book), the book is
    /// reloaded from the store — the log is the truth.
    fn catch_up(
        &self,
        coop: &Coop,
        event: &Event,
        appended: &koperasi_store::Appended,
    ) -> Result<Posted, ApiError> {
        let mut book = coop
            .book
            .write()
            .map_err(|_| ApiError::internal("book lock poisoned"))?;
        let mut q = lock(&coop.committed)?;
        let mut diverged = false;
        loop {
            let next = u64::try_from(book.events().len())
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            let Some(ev) = q.events.remove(&next) else {
                break;
            };
            let r = book.apply(ev);
            diverged = r.is_err();
            q.applied.insert(next, r);
            if diverged {
                break;
            }
        }
        let len = u64::try_from(book.events().len()).unwrap_or(u64::MAX);
        if diverged || len < appended.seq {
            let writer = self
                .0
                .repo
                .group_writer()
                .ok_or_else(|| ApiError::internal("no store to reload from"))?;
            let id = writer
                .id(&coop.code)
                .ok_or_else(|| ApiError::internal("cooperative not in the store"))?;
            // on a thread of its own: the store's clients block (PostgreSQL's cannot run
            // inside an async runtime)
            let store = writer.store().clone();
            *book = std::thread::scope(|s| s.spawn(move || store.load(id)).join())
                .map_err(|_| ApiError::internal("reload thread panicked"))?
                .map_err(|e| ApiError::internal(format!("reload: {e}")))?;
            let len = u64::try_from(book.events().len()).unwrap_or(u64::MAX);
            q.events.retain(|s, _| *s > len);
        }
        let mine = q.applied.remove(&appended.seq);
        drop(q);
        let applied = if let Some(Ok(a)) = mine {
            a
        } else {
            // replayed, or applied by a reload: what the store recorded
            let mut a = koperasi::Applied::default();
            a.entries.clone_from(&appended.entries);
            a.request = book
                .requests()
                .values()
                .filter(|r| {
                    r.maker == event.actor && r.op == event.op && r.requested_on == event.date
                })
                .map(|r| r.id)
                .max();
            a
        };
        Ok(Posted {
            applied,
            audit: appended.audit,
            replayed: appended.replayed,
        })
    }

    fn commit_in_memory(
        &self,
        coop: &Coop,
        event: &Event,
    ) -> Result<Posted, Result<ApiError, koperasi::Error>> {
        let mut book = coop
            .book
            .write()
            .map_err(|_| Ok(ApiError::internal("book lock poisoned")))?;
        let applied = book.apply(event.clone()).map_err(Err)?;
        if let Err(e) = self.0.repo.append(&coop.code, event) {
            // Undo in memory by replaying the log without the event: memory never holds what
            // the repository does not.
            let events = book.events();
            let keep = events.len().saturating_sub(1);
            let rebuilt =
                Koperasi::replay(book.config().clone(), events.iter().take(keep).cloned());
            match rebuilt {
                Ok(b) => *book = b,
                Err(r) => return Err(Ok(ApiError::internal(format!("rollback failed: {r}")))),
            }
            return Err(Ok(ApiError::internal(format!("repository: {e}"))));
        }
        let head = book.audit_head();
        let size = head.size;
        drop(book);
        let _ = self.0.live.send(LiveEvent {
            coop: coop.code.clone(),
            kind: "operation",
            what: event.op.name().to_owned(),
            audit_size: size,
        });
        Ok(Posted {
            applied,
            audit: head,
            replayed: false,
        })
    }

    /// The store behind the server, if it commits to one.
    pub fn store(&self) -> Option<&koperasi_store::Store> {
        self.0.repo.group_writer().map(crate::StoreRepo::store)
    }

    /// Loads the mentoring findings kept in the store and checks their hash chain.
    ///
    /// # Errors
    /// 500 if the store cannot be read, a record does not parse or the chain is broken.
    pub(crate) fn restore_findings(&self) -> Result<(), ApiError> {
        let Some(store) = self.store() else {
            return Ok(());
        };
        let records = store
            .server_records(FINDING_RECORD)
            .map_err(|e| ApiError::internal(format!("findings: {e}")))?;
        let mut all = Vec::with_capacity(records.len());
        let mut prev = String::new();
        for r in records {
            let f: Finding = serde_json::from_str(&r.body)
                .map_err(|e| ApiError::internal(format!("finding record {}: {e}", r.seq)))?;
            if finding_hash(&prev, &f) != f.hash {
                return Err(ApiError::internal(format!(
                    "finding record {}: the hash chain is broken",
                    r.seq
                )));
            }
            prev.clone_from(&f.hash);
            all.push(f);
        }
        *lock(&self.0.findings)? = all;
        Ok(())
    }

    pub(crate) fn publish(&self, ev: LiveEvent) {
        let _ = self.0.live.send(ev);
    }
}

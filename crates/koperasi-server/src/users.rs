//! Durable users and sessions, and the administration of users.
//!
//! Over a store every change of a user is an append-only server record of kind
//! [`USER_RECORD`] (key: the user name) — [`UserEvent::Created`], [`UserEvent::PasswordChanged`],
//! [`UserEvent::RoleGranted`], [`UserEvent::Disabled`], [`UserEvent::Enabled`] — with who did
//! it and when; the users are the fold of those records at start. A session is a record of kind [`SESSION_RECORD`]
//! keyed by the SHA-256 of its token (never the token): opened with its expiry, closed at
//! logout or when its user is disabled or their password reset. A session that expired, or
//! was closed, does not come back after a restart; the idle timeout starts again at a restart.
//!
//! ## Who administers whom
//! - A city administrator ([`Access::City`]) creates, resets, disables and re-enables users
//!   of every cooperative, registers cooperatives ([`crate::onboard`]), creates read-only
//!   city users ([`Access::CityReader`], *pemantau*: every cooperative, aggregates, NIK
//!   masked, nothing else; a single act, since they hold no power) and other city
//!   administrators. A new city administrator is a **two-person act**: requested by one
//!   administrator, it can log in only after a *second* administrator approves it (maker ≠
//!   checker, refused with `maker_checker`). The first administrators of an empty store are
//!   made by `koperasi serve --admin` ([`crate::onboard::bootstrap_admins`]).
//! - Re-enabling a disabled user ([`UserEvent::Enabled`]) needs the same authority as
//!   disabling them; the password is unchanged (a reset is its own act).
//! - A cooperative's own people act on that cooperative's users with the permissions the
//!   book's access control gives them: `ManageAccess` to create, reset and disable.
//! - A role with power in the book (pengurus, pengawas, kasir, manajer) is granted **in the
//!   book** by its `GrantRole` operation, made by the creating pengurus (`ManageAccess`): the
//!   book makes it a two-person request that a second person with `ManageGovernance` approves
//!   (`POST …/requests/{r}/approve`; the book refuses the maker and the same linked member).
//!   The user can log in once the book grants the role. The city office cannot grant a role
//!   in a cooperative's book: appointing pengurus and pengawas is the cooperative's own act.
//!   The one exception is a new cooperative's **founding officers** (named in its deed of
//!   establishment and in the book's configuration, `BookConfig::founders`, when the city
//!   registers it): a city administrator creates the user of each founder once, linked to the
//!   founder's actor, who holds the role from the book's first day.
//! - An anggota user is linked to a member of the register and sees only that member's data;
//!   creating one is a single act.
//!
//! A new user, and a user whose password was reset, gets a random initial password shown
//! once to the administrator; it must be changed at the first login (every route but
//! `POST /api/password`, `/kata-sandi`, `/api/me` and logout answers 403
//! `password_change_required` until then).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use koperasi::core::{ActorId, MemberId};
use koperasi::membership::Role;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::{Access, AppState, Session, User, lock};

/// The kind of the store's server records that hold users.
pub const USER_RECORD: &str = "user";
/// The kind of the store's server records that hold sessions (by token hash).
pub const SESSION_RECORD: &str = "session";

/// Where a user belongs, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Scope {
    /// A city administrator.
    City,
    /// A read-only user of the city office (*pemantau*, [`Access::CityReader`]).
    CityReader,
    /// A person of the cooperative `koperasi`.
    Cooperative {
        /// Cooperative code.
        koperasi: String,
        /// The actor in the book.
        actor: ActorId,
        /// The role.
        role: Role,
        /// For an anggota: the member.
        member: Option<MemberId>,
    },
}

/// One change of a user (a server record of kind [`USER_RECORD`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UserEvent {
    /// The user was created.
    Created {
        /// Where they belong.
        #[serde(flatten)]
        scope: Scope,
        /// Argon2id PHC string.
        phc: String,
        /// The password must be changed at the next login.
        must_change: bool,
        /// Waiting for a second administrator (a new city administrator).
        pending: bool,
        /// The book's two-person request granting the role, if one was made.
        request: Option<u64>,
    },
    /// The password was set: by the user, or reset by an administrator (`must_change`).
    PasswordChanged {
        /// Argon2id PHC string.
        phc: String,
        /// The password must be changed at the next login.
        must_change: bool,
    },
    /// An administrator asked to reset the password of a user who holds power; a second
    /// administrator completes it (two-person act).
    ResetRequested,
    /// A second administrator completed the user's privileged role (two-person act).
    RoleGranted {
        /// Who made the request.
        maker: String,
    },
    /// The user can no longer log in.
    Disabled,
    /// A disabled user can log in again (with the password they had; a pending user stays
    /// pending).
    Enabled,
}

/// One change of a session (a server record of kind [`SESSION_RECORD`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum SessionEvent {
    Opened {
        username: String,
        /// Unix seconds.
        created: i64,
        /// Unix seconds after which the session is over whatever happens.
        expires: i64,
    },
    Closed,
}

/// One audited act of administration (a user record), as shown on the Pengguna page.
#[derive(Debug, Clone, Serialize)]
pub struct AdminAct {
    /// Record number.
    pub seq: u64,
    /// The user acted on.
    pub username: String,
    /// Who acted.
    pub author: String,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// What: `created`, `password_changed`, `reset_requested`, `role_granted`, `disabled`,
    /// `enabled`.
    pub what: String,
    /// The user's scope: `city` or a cooperative code.
    pub scope: String,
}

pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339()
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A new random initial password: 16 characters from an alphabet without look-alikes.
///
/// # Errors
/// Internal if the OS gives no randomness.
pub fn initial_password() -> Result<String, ApiError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
    let bytes = crate::auth::random_bytes::<16>()?;
    Ok(bytes
        .iter()
        .map(|b| {
            let i = usize::from(*b) % ALPHABET.len();
            ALPHABET.get(i).map_or('x', |c| char::from(*c))
        })
        .collect())
}

/// Whether `name` is a valid user name: 3–64 characters of `a-z 0-9 . _ -`, starting with a
/// letter or digit.
pub fn valid_username(name: &str) -> bool {
    (3..=64).contains(&name.len())
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_' || b == b'-'
        })
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

/// The role named in Indonesian (`ketua`, `wakil-ketua`, `sekretaris`, `bendahara`,
/// `pengurus`, `pengawas`, `manajer`, `kasir`, `anggota`).
pub fn parse_role(s: &str) -> Option<Role> {
    Some(match s {
        "ketua" => Role::Chair,
        "wakil-ketua" => Role::ViceChair,
        "sekretaris" => Role::Secretary,
        "bendahara" => Role::Treasurer,
        "pengurus" => Role::ManagementMember,
        "pengawas" => Role::Supervisor,
        "manajer" => Role::Manager,
        "kasir" => Role::Teller,
        "anggota" => Role::Member,
        _ => return None,
    })
}

/// The Indonesian name of a role.
pub fn role_name(r: Role) -> &'static str {
    match r {
        Role::Chair => "ketua",
        Role::ViceChair => "wakil-ketua",
        Role::Secretary => "sekretaris",
        Role::Treasurer => "bendahara",
        Role::ManagementMember => "pengurus",
        Role::Supervisor => "pengawas",
        Role::Manager => "manajer",
        Role::Teller => "kasir",
        Role::Member => "anggota",
        Role::ExternalSupervisor => "dinas",
        Role::Auditor => "auditor",
        _ => "lain",
    }
}

/// The roles a cooperative user can be created with, in form order.
pub const COOP_ROLES: [&str; 9] = [
    "anggota",
    "kasir",
    "manajer",
    "pengawas",
    "pengurus",
    "sekretaris",
    "bendahara",
    "wakil-ketua",
    "ketua",
];

impl AppState {
    /// Applies one user record to the in-memory users (the fold at start and after a write).
    pub(crate) fn apply_user_event(
        &self,
        username: &str,
        author: &str,
        ev: &UserEvent,
    ) -> Result<(), ApiError> {
        let mut users = self
            .0
            .users
            .write()
            .map_err(|_| ApiError::internal("users lock poisoned"))?;
        match ev {
            UserEvent::Created {
                scope,
                phc,
                must_change,
                pending,
                ..
            } => {
                let access = match scope {
                    Scope::City => Access::City,
                    Scope::CityReader => Access::CityReader,
                    Scope::Cooperative {
                        koperasi,
                        actor,
                        role,
                        member,
                    } => {
                        let Some(coop) = self.coop_index(koperasi) else {
                            // a cooperative this server does not serve: not loaded
                            return Ok(());
                        };
                        Access::Coop {
                            coop,
                            actor: *actor,
                            role: *role,
                            member: *member,
                        }
                    }
                };
                users.insert(
                    username.to_owned(),
                    Arc::new(User {
                        username: username.to_owned(),
                        access,
                        phc: phc.clone(),
                        must_change: *must_change,
                        pending: *pending,
                        disabled: false,
                        created_by: author.to_owned(),
                        reset_requested_by: None,
                    }),
                );
            }
            UserEvent::PasswordChanged { phc, must_change } => {
                if let Some(u) = users.get_mut(username) {
                    let mut n = (**u).clone();
                    n.phc.clone_from(phc);
                    n.must_change = *must_change;
                    n.reset_requested_by = None;
                    *u = Arc::new(n);
                }
            }
            UserEvent::ResetRequested => {
                if let Some(u) = users.get_mut(username) {
                    let mut n = (**u).clone();
                    n.reset_requested_by = Some(author.to_owned());
                    *u = Arc::new(n);
                }
            }
            UserEvent::RoleGranted { .. } => {
                if let Some(u) = users.get_mut(username) {
                    let mut n = (**u).clone();
                    n.pending = false;
                    *u = Arc::new(n);
                }
            }
            UserEvent::Disabled | UserEvent::Enabled => {
                if let Some(u) = users.get_mut(username) {
                    let mut n = (**u).clone();
                    n.disabled = *ev == UserEvent::Disabled;
                    *u = Arc::new(n);
                }
            }
        }
        Ok(())
    }

    /// Writes user records durably (one transaction) and applies them. Without a store they
    /// are only applied (lost at exit).
    ///
    /// Blocking: call from a blocking thread.
    pub(crate) fn write_user_events(
        &self,
        author: &str,
        events: &[(String, UserEvent)],
    ) -> Result<(), ApiError> {
        if let Some(store) = self.store() {
            let at = now_rfc3339();
            let bodies: Vec<(String, String)> = events
                .iter()
                .map(|(u, e)| {
                    serde_json::to_string(e)
                        .map(|b| (u.clone(), b))
                        .map_err(|e| ApiError::internal(e.to_string()))
                })
                .collect::<Result<_, _>>()?;
            let recs: Vec<(&str, &str, &str, &str, &str)> = bodies
                .iter()
                .map(|(u, b)| (USER_RECORD, u.as_str(), author, at.as_str(), b.as_str()))
                .collect();
            let seqs = store
                .append_server_records(&recs)
                .map_err(|e| ApiError::internal(format!("penyimpanan pengguna: {e}")))?;
            let mut log = lock(&self.0.admin_log)?;
            for ((u, e), seq) in events.iter().zip(seqs) {
                log.push(act(seq, u, author, &at, e, self));
            }
        } else {
            let at = now_rfc3339();
            let mut log = lock(&self.0.admin_log)?;
            for (u, e) in events {
                let seq = u64::try_from(log.len())
                    .unwrap_or(u64::MAX)
                    .saturating_add(1);
                log.push(act(seq, u, author, &at, e, self));
            }
        }
        for (u, e) in events {
            self.apply_user_event(u, author, e)?;
        }
        Ok(())
    }

    /// Loads the users and sessions kept in the store (the fold of their records). Returns
    /// whether the store held any user.
    ///
    /// Blocking: call before serving or from a blocking thread.
    ///
    /// # Errors
    /// 500 if the store cannot be read or a record does not parse.
    pub(crate) fn restore_users(&self) -> Result<bool, ApiError> {
        let Some(store) = self.store() else {
            return Ok(false);
        };
        let records = store
            .server_records(USER_RECORD)
            .map_err(|e| ApiError::internal(format!("users: {e}")))?;
        let any = !records.is_empty();
        for r in &records {
            let ev: UserEvent = serde_json::from_str(&r.body)
                .map_err(|e| ApiError::internal(format!("user record {}: {e}", r.seq)))?;
            self.apply_user_event(&r.key, &r.author, &ev)?;
            let a = act(r.seq, &r.key, &r.author, &r.recorded_at, &ev, self);
            lock(&self.0.admin_log)?.push(a);
        }
        let sessions = store
            .server_records(SESSION_RECORD)
            .map_err(|e| ApiError::internal(format!("sessions: {e}")))?;
        let mut open: HashMap<String, (String, i64, i64)> = HashMap::new();
        for r in sessions {
            let ev: SessionEvent = serde_json::from_str(&r.body)
                .map_err(|e| ApiError::internal(format!("session record {}: {e}", r.seq)))?;
            match ev {
                SessionEvent::Opened {
                    username,
                    created,
                    expires,
                } => {
                    open.insert(r.key, (username, created, expires));
                }
                SessionEvent::Closed => {
                    open.remove(&r.key);
                }
            }
        }
        let now_unix = unix_now();
        let now = Instant::now();
        let max = self.config().session_max;
        let mut s = lock(&self.0.sessions)?;
        for (key, (username, created, expires)) in open {
            let Ok(bytes) = hex::decode(&key) else {
                continue;
            };
            let Ok(k) = <[u8; 32]>::try_from(bytes.as_slice()) else {
                continue;
            };
            let age = u64::try_from(now_unix.saturating_sub(created)).unwrap_or(0);
            // expired by its stored expiry or by this server's maximum: gone
            if now_unix >= expires || Duration::from_secs(age) >= max {
                continue;
            }
            let Some(created_at) = now.checked_sub(Duration::from_secs(age)) else {
                continue;
            };
            s.insert(
                k,
                Session {
                    username,
                    created: created_at,
                    last_seen: now,
                },
            );
        }
        Ok(any)
    }

    /// Records a new session durably (by its token hash).
    ///
    /// Blocking.
    pub(crate) fn persist_session_open(
        &self,
        key: &[u8; 32],
        username: &str,
    ) -> Result<(), ApiError> {
        let Some(store) = self.store() else {
            return Ok(());
        };
        let created = unix_now();
        let max = i64::try_from(self.config().session_max.as_secs()).unwrap_or(i64::MAX);
        let body = serde_json::to_string(&SessionEvent::Opened {
            username: username.to_owned(),
            created,
            expires: created.saturating_add(max),
        })
        .map_err(|e| ApiError::internal(e.to_string()))?;
        store
            .append_server_record(
                SESSION_RECORD,
                &hex::encode(key),
                username,
                &now_rfc3339(),
                &body,
            )
            .map(|_| ())
            .map_err(|e| ApiError::internal(format!("penyimpanan sesi: {e}")))
    }

    /// Records that sessions ended (logout, a disabled user, a reset password).
    ///
    /// Blocking.
    pub(crate) fn persist_sessions_closed(
        &self,
        keys: &[[u8; 32]],
        author: &str,
    ) -> Result<(), ApiError> {
        let Some(store) = self.store() else {
            return Ok(());
        };
        let body = serde_json::to_string(&SessionEvent::Closed)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let at = now_rfc3339();
        let hexes: Vec<String> = keys.iter().map(hex::encode).collect();
        let recs: Vec<(&str, &str, &str, &str, &str)> = hexes
            .iter()
            .map(|k| {
                (
                    SESSION_RECORD,
                    k.as_str(),
                    author,
                    at.as_str(),
                    body.as_str(),
                )
            })
            .collect();
        store
            .append_server_records(&recs)
            .map(|_| ())
            .map_err(|e| ApiError::internal(format!("penyimpanan sesi: {e}")))
    }

    /// Ends every session of `username` (in memory and durably).
    ///
    /// Blocking.
    pub(crate) fn close_sessions_of(&self, username: &str, author: &str) -> Result<(), ApiError> {
        let keys: Vec<[u8; 32]> = {
            let mut s = lock(&self.0.sessions)?;
            let keys: Vec<[u8; 32]> = s
                .iter()
                .filter(|(_, v)| v.username == username)
                .map(|(k, _)| *k)
                .collect();
            for k in &keys {
                s.remove(k);
            }
            keys
        };
        self.persist_sessions_closed(&keys, author)
    }

    /// Every audited act of administration, oldest first.
    ///
    /// # Errors
    /// 500 on a poisoned lock.
    pub fn admin_log(&self) -> Result<Vec<AdminAct>, ApiError> {
        Ok(lock(&self.0.admin_log)?.clone())
    }
}

fn act(
    seq: u64,
    username: &str,
    author: &str,
    at: &str,
    ev: &UserEvent,
    state: &AppState,
) -> AdminAct {
    let what = match ev {
        UserEvent::Created { .. } => "created",
        UserEvent::PasswordChanged { .. } => "password_changed",
        UserEvent::ResetRequested => "reset_requested",
        UserEvent::RoleGranted { .. } => "role_granted",
        UserEvent::Disabled => "disabled",
        UserEvent::Enabled => "enabled",
    };
    let scope = match ev {
        UserEvent::Created {
            scope: Scope::City | Scope::CityReader,
            ..
        } => "city".to_owned(),
        UserEvent::Created {
            scope: Scope::Cooperative { koperasi, .. },
            ..
        } => koperasi.clone(),
        _ => state
            .user(username)
            .map(|u| state.scope_label(&u))
            .unwrap_or_default(),
    };
    AdminAct {
        seq,
        username: username.to_owned(),
        author: author.to_owned(),
        at: at.to_owned(),
        what: what.to_owned(),
        scope,
    }
}

/// The demo users as creation records (the passwords hashed on all cores).
pub(crate) fn demo_user_events(
    specs: &[(String, Scope)],
    password: &str,
) -> Result<Vec<(String, UserEvent)>, ApiError> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let chunk = specs.len().div_ceil(threads).max(1);
    let results: Vec<Result<Vec<(String, UserEvent)>, ApiError>> = std::thread::scope(|s| {
        let handles: Vec<_> = specs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(name, scope)| {
                            Ok((
                                name.clone(),
                                UserEvent::Created {
                                    scope: scope.clone(),
                                    phc: crate::auth::hash_password(password)?,
                                    must_change: false,
                                    pending: false,
                                    request: None,
                                },
                            ))
                        })
                        .collect::<Result<Vec<_>, ApiError>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(ApiError::internal("hash thread panicked")))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(specs.len());
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

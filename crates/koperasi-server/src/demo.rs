//! The demo city: simulated cooperatives (labelled SIMULASI) and their demo users.

use std::sync::Arc;

use koperasi::core::ActorId;
use koperasi::membership::{MemberStatus, Role};
use koperasi::{Event, Operation};
use koperasi_sim::{SimConfig, simulate_city};

use crate::error::ApiError;
use crate::repo::{BookRepo, StoreRepo};
use crate::state::{AppState, Coop, ServerConfig};
use crate::users::{Scope, demo_user_events};

/// What to build.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DemoConfig {
    /// Cooperatives (the city supervises 29).
    pub coops: usize,
    /// Members per cooperative.
    pub members_per_coop: usize,
    /// Simulation seed.
    pub seed: u64,
    /// The demo users' password.
    pub password: String,
}

impl DemoConfig {
    /// `coops` cooperatives of `members` members, seed `seed`, password `password`.
    pub fn new(coops: usize, members: usize, seed: u64, password: impl Into<String>) -> DemoConfig {
        DemoConfig {
            coops,
            members_per_coop: members,
            seed,
            password: password.into(),
        }
    }
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig::new(29, 300, 2026, "demo")
    }
}

/// The demo users of a cooperative with code `K`: `pengurus-K` (ketua), `bendahara-K`,
/// `sekretaris-K`, `pengawas-K`, `kasir-K` and `anggota-K` (its first anggota), plus `dinas`
/// and `dinas-2`, the city office's two administrators (a new city administrator needs both).
pub const COOP_USERS: [&str; 6] = [
    "pengurus",
    "bendahara",
    "sekretaris",
    "pengawas",
    "kasir",
    "anggota",
];

/// The city office's demo users.
pub const CITY_USERS: [&str; 2] = ["dinas", "dinas-2"];

/// Simulates the city and builds the server state with the demo users; every book's events
/// are committed to `repo`. A pengawas is appointed in each book (a `GrantRole` request by the
/// ketua approved by the sekretaris) so that the pengawas user is a real actor of the book.
///
/// # Errors
/// [`ApiError`] (internal) if the simulation or a commit fails.
pub fn build(
    demo: &DemoConfig,
    config: ServerConfig,
    repo: Arc<dyn BookRepo>,
) -> Result<AppState, ApiError> {
    build_inner(demo, config, Some(repo), None)
}

/// [`build`] over a durable store: a cooperative the store already holds is loaded from it
/// (with every operation posted since), a new one is imported from the simulation; every
/// later operation is committed to the store ([`StoreRepo`]).
///
/// # Errors
/// [`ApiError`] (internal) if the simulation, the import or a load fails.
pub fn build_with_store(
    demo: &DemoConfig,
    config: ServerConfig,
    store: koperasi_store::Store,
) -> Result<AppState, ApiError> {
    build_inner(demo, config, None, Some(store))
}

fn build_inner(
    demo: &DemoConfig,
    mut config: ServerConfig,
    memory: Option<Arc<dyn BookRepo>>,
    store: Option<koperasi_store::Store>,
) -> Result<AppState, ApiError> {
    let stored: Vec<koperasi::core::CooperativeId> = match &store {
        Some(s) => s
            .list_koperasi()
            .map_err(|e| ApiError::internal(format!("store: {e}")))?
            .into_iter()
            .map(|k| k.id)
            .collect(),
        None => Vec::new(),
    };
    let mut ids = std::collections::HashMap::new();
    let sim = SimConfig::new(demo.coops, demo.members_per_coop, demo.seed);
    let city = simulate_city(&sim, &|_, _| {})
        .map_err(|e| ApiError::internal(format!("simulation: {e}")))?;
    let mut coops = Vec::with_capacity(city.len());
    let mut specs: Vec<(String, Scope)> = CITY_USERS
        .iter()
        .map(|u| ((*u).to_owned(), Scope::City))
        .collect();
    for (i, c) in city.into_iter().enumerate() {
        let mut book = c.book;
        let base = u128::try_from(i).unwrap_or(0).saturating_add(1) << 16;
        let actor = |k: u128| ActorId::from_u128(base | k);
        let pengawas = actor(6);
        let date = book.last_date();
        // appointing a pengawas is a two-person act: the ketua requests, the sekretaris approves
        let made = book
            .apply(Event::new(
                date,
                actor(1),
                Operation::GrantRole {
                    grantee: pengawas,
                    role: Role::Supervisor,
                },
            ))
            .map_err(|e| ApiError::internal(format!("grant pengawas: {e}")))?;
        if let Some(request) = made.request {
            book.apply(Event::new(date, actor(5), Operation::Approve { request }))
                .map_err(|e| ApiError::internal(format!("approve pengawas: {e}")))?;
        }
        if let Some(repo) = &memory {
            for e in book.events() {
                repo.append(&c.code, e)
                    .map_err(|e| ApiError::internal(e.to_string()))?;
            }
        }
        if let Some(s) = &store {
            let id = book.config().cooperative;
            if stored.contains(&id) {
                book = s
                    .load(id)
                    .map_err(|e| ApiError::internal(format!("store load: {e}")))?;
            } else {
                let text = book
                    .to_json_lines()
                    .map_err(|e| ApiError::internal(format!("export: {e}")))?;
                s.import_json_lines(&text)
                    .map_err(|e| ApiError::internal(format!("store import: {e}")))?;
            }
            ids.insert(c.code.clone(), id);
        }
        let first_member = book
            .registry()
            .members()
            .find(|m| m.status() == MemberStatus::Member)
            .map(koperasi::membership::Member::id);
        let k = &c.code;
        specs.push((
            format!("pengurus-{k}"),
            Scope::Cooperative {
                koperasi: c.code.clone(),
                actor: actor(1),
                role: Role::Chair,
                member: None,
            },
        ));
        specs.push((
            format!("bendahara-{k}"),
            Scope::Cooperative {
                koperasi: c.code.clone(),
                actor: actor(2),
                role: Role::Treasurer,
                member: None,
            },
        ));
        specs.push((
            format!("sekretaris-{k}"),
            Scope::Cooperative {
                koperasi: c.code.clone(),
                actor: actor(5),
                role: Role::Secretary,
                member: None,
            },
        ));
        specs.push((
            format!("pengawas-{k}"),
            Scope::Cooperative {
                koperasi: c.code.clone(),
                actor: pengawas,
                role: Role::Supervisor,
                member: None,
            },
        ));
        specs.push((
            format!("kasir-{k}"),
            Scope::Cooperative {
                koperasi: c.code.clone(),
                actor: actor(4),
                role: Role::Teller,
                member: None,
            },
        ));
        if let Some(m) = first_member {
            specs.push((
                format!("anggota-{k}"),
                Scope::Cooperative {
                    koperasi: c.code.clone(),
                    actor: ActorId::from_u128(base | 0x100),
                    role: Role::Member,
                    member: Some(m),
                },
            ));
        }
        coops.push(Coop::new(c.code, c.name, c.management, book));
    }
    config.simulated = true;
    let repo: Arc<dyn BookRepo> = match (memory, store) {
        (Some(m), _) => m,
        (None, Some(s)) => {
            Arc::new(StoreRepo::new(s, ids).map_err(|e| ApiError::internal(e.to_string()))?)
        }
        (None, None) => Arc::new(crate::repo::MemoryRepo::new()),
    };
    let state = AppState::new(config, coops, Vec::new(), repo)?;
    state.restore_findings()?;
    // users kept in the store come back as they were (passwords changed, users created,
    // disabled); the demo users it does not hold yet are created with the demo password
    state.restore_users()?;
    let have = state.usernames();
    let missing: Vec<(String, Scope)> = specs
        .into_iter()
        .filter(|(u, _)| have.binary_search(u).is_err())
        .collect();
    let events = demo_user_events(&missing, &demo.password)?;
    state.write_user_events("demo", &events)?;
    Ok(state)
}

//! Where committed events go: the [`BookRepo`] seam between the server and persistence.
//!
//! The server keeps each cooperative's book in memory and commits every applied event to a
//! repository before answering. [`MemoryRepo`] keeps the events in memory (tests, the demo
//! without `--db`); a store-backed repository writes them durably.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use koperasi::Event;

/// A repository error (the server answers 500 and leaves the book unchanged).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("repository: {0}")]
pub struct RepoError(pub String);

/// Durable storage of the books' events.
pub trait BookRepo: Send + Sync + fmt::Debug {
    /// Appends one applied event of cooperative `code`. Must be durable when it returns `Ok`.
    ///
    /// # Errors
    /// [`RepoError`] if the event could not be stored; nothing is stored then.
    fn append(&self, code: &str, event: &Event) -> Result<(), RepoError>;

    /// Number of events stored for `code`.
    fn len(&self, code: &str) -> usize;

    /// Whether nothing is stored for `code`.
    fn is_empty(&self, code: &str) -> bool {
        self.len(code) == 0
    }
}

/// Events kept in memory (lost at exit).
#[derive(Debug, Default)]
pub struct MemoryRepo {
    events: Mutex<HashMap<String, Vec<Event>>>,
}

impl MemoryRepo {
    /// An empty repository.
    pub fn new() -> MemoryRepo {
        MemoryRepo::default()
    }
}

impl BookRepo for MemoryRepo {
    fn append(&self, code: &str, event: &Event) -> Result<(), RepoError> {
        let mut m = self
            .events
            .lock()
            .map_err(|_| RepoError("lock poisoned".to_owned()))?;
        m.entry(code.to_owned()).or_default().push(event.clone());
        Ok(())
    }

    fn len(&self, code: &str) -> usize {
        self.events
            .lock()
            .map_or(0, |m| m.get(code).map_or(0, Vec::len))
    }
}

/// Events committed durably to a [`koperasi_store::Store`] (`SQLite` by path, `PostgreSQL` by
/// URL): each event is appended in its own transaction and acknowledged only after the
/// commit returned.
#[derive(Debug)]
pub struct StoreRepo {
    store: koperasi_store::Store,
    ids: HashMap<String, koperasi::core::CooperativeId>,
}

impl StoreRepo {
    /// A repository over `store`, with the cooperatives' codes mapped to their ids.
    pub fn new(
        store: koperasi_store::Store,
        ids: HashMap<String, koperasi::core::CooperativeId>,
    ) -> StoreRepo {
        StoreRepo { store, ids }
    }
}

impl BookRepo for StoreRepo {
    fn append(&self, code: &str, event: &Event) -> Result<(), RepoError> {
        let id = self
            .ids
            .get(code)
            .ok_or_else(|| RepoError(format!("no cooperative {code:?} in the store")))?;
        self.store
            .append(*id, event.clone(), None)
            .map(|_| ())
            .map_err(|e| RepoError(e.to_string()))
    }

    fn len(&self, code: &str) -> usize {
        let Some(id) = self.ids.get(code) else {
            return 0;
        };
        self.store
            .list_koperasi()
            .ok()
            .and_then(|l| l.into_iter().find(|k| k.id == *id))
            .map_or(0, |k| usize::try_from(k.events).unwrap_or(usize::MAX))
    }
}

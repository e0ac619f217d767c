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

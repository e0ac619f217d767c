//! Where committed events go: the [`BookRepo`] seam between the server and persistence.
//!
//! The server keeps each cooperative's book in memory (the working copy every page reads).
//! [`MemoryRepo`] keeps the events in memory (tests, the demo without `--db`): an operation is
//! applied to the book and appended under the book's write lock. [`StoreRepo`] writes them
//! durably to a [`koperasi_store::Store`] with **group commit**: the request handlers queue
//! their events on a channel and await the answer; one dedicated writer thread takes
//! everything queued, commits it in one transaction ([`koperasi_store::Store::commit_group`],
//! durable settings unchanged) and only then answers each request. The committed events are
//! applied to the in-memory books afterwards, in their log order, so a page never shows an
//! operation the store does not hold.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use koperasi::core::CooperativeId;
use koperasi::{Applied, Event};
use koperasi_store::{Appended, SnapshotTiming, Store};
use tokio::sync::oneshot;

use crate::state::Coop;

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

    /// The batching writer of a store-backed repository: the server then commits every
    /// operation through it (group commit) instead of [`append`](Self::append).
    fn group_writer(&self) -> Option<&StoreRepo> {
        None
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

/// Why the store did not commit an operation.
#[derive(Debug)]
pub(crate) enum CommitFailure {
    /// The book refused the operation (nothing written).
    Rejected(koperasi::Error),
    /// The idempotency key was used for a different operation.
    KeyReused,
    /// The database failed (nothing of the group was written).
    Store(String),
}

/// Committed events of one cooperative waiting to be applied to its in-memory book, by
/// their sequence number in the store's log, and the outcome of those applied.
#[derive(Debug, Default)]
pub(crate) struct CommittedQueue {
    pub(crate) events: BTreeMap<u64, Event>,
    pub(crate) applied: HashMap<u64, Result<Applied, koperasi::Error>>,
}

struct Job {
    req: koperasi_store::Request,
    coop: Arc<Coop>,
    reply: oneshot::Sender<Result<Appended, CommitFailure>>,
}

/// Events committed durably to a [`koperasi_store::Store`] (`SQLite` by path, `PostgreSQL` by
/// URL) by one writer thread with group commit: each request is acknowledged only after the
/// transaction holding its event committed. Dropping it lets the writer finish what is queued.
pub struct StoreRepo {
    store: Store,
    ids: RwLock<HashMap<String, CooperativeId>>,
    tx: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    checkpointer: Mutex<Option<(mpsc::Sender<()>, JoinHandle<()>)>>,
}

impl fmt::Debug for StoreRepo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreRepo")
            .field("store", &self.store)
            .field("cooperatives", &self.ids.read().map_or(0, |i| i.len()))
            .finish_non_exhaustive()
    }
}

/// The most operations committed in one transaction.
pub const MAX_GROUP: usize = 512;

/// How often the maintenance thread looks at the store: after a whole interval without a
/// commit the writer counts as idle.
pub const WAL_CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// Under a load that never pauses, the WAL is still copied into the database this often.
pub const WAL_CHECKPOINT_UNDER_LOAD: Duration = Duration::from_secs(30);

/// The WAL pages after which a commit would checkpoint by itself (`SQLite`): the bound on the
/// WAL (512 MiB) should the maintenance thread fall behind; in normal running it never comes
/// into play.
pub const WAL_AUTOCHECKPOINT_BOUND: u32 = 131_072;

/// The longest a due snapshot waits for an idle writer before it is written anyway.
pub const SNAPSHOT_DEFERRAL: Duration = Duration::from_secs(30);

/// The store's background upkeep, done while the writer is idle, so that no group commit
/// waits behind it:
///
/// * `SQLite` (unless `KOPERASI_NO_WAL_CHECKPOINTER` is set): copies the WAL into the
///   database (a passive checkpoint) once the writer has been idle for a whole
///   [`WAL_CHECKPOINT_EVERY`], or every [`WAL_CHECKPOINT_UNDER_LOAD`] under a load that never
///   pauses. The store's automatic checkpoint is raised to [`WAL_AUTOCHECKPOINT_BOUND`]: a
///   checkpoint copying tens of megabytes while commits fsync the WAL was what made one group
///   commit in ten take 40–85 ms instead of 10–15 ms (`docs/performance.md`).
/// * Snapshots: the store runs with [`SnapshotTiming::Deferred`], so a commit that reaches a
///   multiple of `snapshot_every` only marks its cooperative due; this thread writes the due
///   snapshots when the writer is idle, or after [`SNAPSHOT_DEFERRAL`] under a load that
///   never pauses.
///
/// Stops when `stop` is dropped, after checkpointing and writing what is due.
fn maintenance_loop(store: &Store, committed: &AtomicU64, stop: &mpsc::Receiver<()>, wal: bool) {
    let trace = std::env::var_os("KOPERASI_TRACE_COMMITS").is_some();
    let mut seen = committed.load(Ordering::Relaxed);
    let mut checkpointed = seen;
    let mut last_checkpoint = std::time::Instant::now();
    let mut due_since: Option<std::time::Instant> = None;
    loop {
        let stopping = !matches!(
            stop.recv_timeout(WAL_CHECKPOINT_EVERY),
            Err(mpsc::RecvTimeoutError::Timeout)
        );
        let now = committed.load(Ordering::Relaxed);
        let idle = now == seen;
        seen = now;
        let quiet = idle || stopping;
        if wal
            && now != checkpointed
            && (quiet || last_checkpoint.elapsed() >= WAL_CHECKPOINT_UNDER_LOAD)
        {
            let started = std::time::Instant::now();
            let r = store.checkpoint_wal_passive();
            if trace {
                eprintln!(
                    "koperasi-server: WAL checkpoint {r:?} in {} µs",
                    started.elapsed().as_micros()
                );
            }
            checkpointed = now;
            last_checkpoint = std::time::Instant::now();
        }
        if store.snapshots_due().is_empty() {
            due_since = None;
        } else {
            let since = *due_since.get_or_insert_with(std::time::Instant::now);
            if quiet || since.elapsed() >= SNAPSHOT_DEFERRAL {
                let started = std::time::Instant::now();
                let r = store.write_due_snapshots();
                if trace {
                    eprintln!(
                        "koperasi-server: due snapshots {:?} in {} µs",
                        r.as_ref().map(Vec::len),
                        started.elapsed().as_micros()
                    );
                }
                due_since = None;
            }
        }
        if stopping {
            return;
        }
    }
}

fn writer_loop(store: &Store, rx: &mpsc::Receiver<Job>, committed: &AtomicU64) {
    // `KOPERASI_TRACE_COMMITS=1`: one line per group on stderr (size and commit time), to see
    // where a load test spends its time.
    let trace = std::env::var_os("KOPERASI_TRACE_COMMITS").is_some();
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let reqs: Vec<koperasi_store::Request> = jobs.iter().map(|j| j.req.clone()).collect();
        let started = std::time::Instant::now();
        let outcome = store.commit_group(&reqs);
        if trace {
            eprintln!(
                "koperasi-server: group of {} committed in {} µs",
                reqs.len(),
                started.elapsed().as_micros()
            );
        }
        committed.fetch_add(1, Ordering::Relaxed);
        match outcome {
            Ok(results) => {
                for (job, r) in jobs.into_iter().zip(results) {
                    let answer = match r {
                        Ok(a) => {
                            if !a.replayed {
                                job.coop.queue_committed(a.seq, job.req.event);
                            }
                            Ok(a)
                        }
                        Err(koperasi_store::Error::Rejected { source, .. }) => {
                            Err(CommitFailure::Rejected(source))
                        }
                        Err(koperasi_store::Error::IdempotencyConflict { .. }) => {
                            Err(CommitFailure::KeyReused)
                        }
                        Err(e) => Err(CommitFailure::Store(e.to_string())),
                    };
                    let _ = job.reply.send(answer);
                }
            }
            Err(e) => {
                let msg = e.to_string();
                for job in jobs {
                    let _ = job.reply.send(Err(CommitFailure::Store(msg.clone())));
                }
            }
        }
    }
}

impl StoreRepo {
    /// A repository over `store`, with the cooperatives' codes mapped to their ids; starts the
    /// writer thread.
    ///
    /// # Errors
    /// [`RepoError`] if the thread cannot be started.
    pub fn new(store: Store, ids: HashMap<String, CooperativeId>) -> Result<StoreRepo, RepoError> {
        let (tx, rx) = mpsc::channel::<Job>();
        let committed = Arc::new(AtomicU64::new(0));
        let s = store.clone();
        let c = Arc::clone(&committed);
        let thread = std::thread::Builder::new()
            .name("koperasi-server-writer".to_owned())
            .spawn(move || writer_loop(&s, &rx, &c))
            .map_err(|e| RepoError(format!("cannot start the writer thread: {e}")))?;
        // `KOPERASI_NO_WAL_CHECKPOINTER=1`: no WAL checkpoints from the maintenance thread
        // (to measure without them)
        let wal = std::env::var_os("KOPERASI_NO_WAL_CHECKPOINTER").is_none()
            && store.backend() == koperasi_store::Backend::Sqlite;
        let (stop, stopped) = mpsc::channel::<()>();
        let s = store.clone();
        let handle = std::thread::Builder::new()
            .name("koperasi-server-maintenance".to_owned())
            .spawn(move || maintenance_loop(&s, &committed, &stopped, wal))
            .map_err(|e| RepoError(format!("cannot start the maintenance thread: {e}")))?;
        // the maintenance thread writes the periodic snapshots and checkpoints the WAL, off
        // the commit path
        store.set_snapshot_timing(SnapshotTiming::Deferred);
        if wal {
            store
                .set_wal_autocheckpoint(WAL_AUTOCHECKPOINT_BOUND)
                .map_err(|e| RepoError(e.to_string()))?;
        }
        let checkpointer = Some((stop, handle));
        Ok(StoreRepo {
            store,
            ids: RwLock::new(ids),
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
            checkpointer: Mutex::new(checkpointer),
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn id(&self, code: &str) -> Option<CooperativeId> {
        self.ids.read().ok()?.get(code).copied()
    }

    /// Maps the code of a cooperative registered while serving to its id in the store.
    pub(crate) fn add(&self, code: &str, id: CooperativeId) -> Result<(), RepoError> {
        self.ids
            .write()
            .map_err(|_| RepoError("ids lock poisoned".to_owned()))?
            .insert(code.to_owned(), id);
        Ok(())
    }

    /// Queues `event` of `coop` (with the store idempotency `key`) for the next group commit;
    /// the receiver answers after the commit.
    pub(crate) fn enqueue(
        &self,
        coop: &Arc<Coop>,
        event: Event,
        key: Option<String>,
    ) -> Result<oneshot::Receiver<Result<Appended, CommitFailure>>, RepoError> {
        let id = self
            .id(&coop.code)
            .ok_or_else(|| RepoError(format!("no cooperative {:?} in the store", coop.code)))?;
        let mut req = koperasi_store::Request::new(id, event);
        if let Some(k) = key {
            req = req.with_key(k);
        }
        let (reply, rx) = oneshot::channel();
        let guard = self
            .tx
            .lock()
            .map_err(|_| RepoError("writer lock poisoned".to_owned()))?;
        guard
            .as_ref()
            .ok_or_else(|| RepoError("the writer has stopped".to_owned()))?
            .send(Job {
                req,
                coop: Arc::clone(coop),
                reply,
            })
            .map_err(|_| RepoError("the writer has stopped".to_owned()))?;
        Ok(rx)
    }
}

impl Drop for StoreRepo {
    fn drop(&mut self) {
        // the writer first (it finishes what is queued), then the maintenance thread (it
        // writes the snapshots those last groups made due)
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        if let Ok(mut t) = self.thread.lock()
            && let Some(t) = t.take()
        {
            let _ = t.join();
        }
        if let Ok(mut c) = self.checkpointer.lock()
            && let Some((stop, handle)) = c.take()
        {
            drop(stop);
            let _ = handle.join();
        }
    }
}

impl BookRepo for StoreRepo {
    fn append(&self, code: &str, event: &Event) -> Result<(), RepoError> {
        let id = self
            .id(code)
            .ok_or_else(|| RepoError(format!("no cooperative {code:?} in the store")))?;
        self.store
            .append(id, event.clone(), None)
            .map(|_| ())
            .map_err(|e| RepoError(e.to_string()))
    }

    fn len(&self, code: &str) -> usize {
        let Some(id) = self.id(code) else {
            return 0;
        };
        self.store
            .list_koperasi()
            .ok()
            .and_then(|l| l.into_iter().find(|k| k.id == id))
            .map_or(0, |k| usize::try_from(k.events).unwrap_or(usize::MAX))
    }

    fn group_writer(&self) -> Option<&StoreRepo> {
        Some(self)
    }
}

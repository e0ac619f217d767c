//! Group commit for many concurrent writers: operations submitted from any thread are
//! collected by writer threads into one transaction each; every caller is answered only after
//! its transaction committed.

use std::sync::mpsc;
use std::thread::JoinHandle;

use crate::error::{Backend, Error, Result};
use crate::store::{Appended, Request, Store};

struct Job {
    req: Request,
    reply: mpsc::SyncSender<Result<Appended>>,
}

/// Collects operations from many threads into group commits.
///
/// SQLite has one writer per file, so [`Store::group_committer`] starts one writer thread
/// there; on PostgreSQL it starts `writers` threads and routes each cooperative to one of them
/// (its operations stay in submission order), so different cooperatives commit in parallel.
/// Dropping the committer finishes the queued operations and stops its threads.
pub struct GroupCommitter {
    senders: Vec<mpsc::Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl core::fmt::Debug for GroupCommitter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GroupCommitter")
            .field("writers", &self.senders.len())
            .finish_non_exhaustive()
    }
}

/// A copy of a transaction-level error for each caller of the failed group.
fn copy_error(e: &Error) -> Error {
    match e {
        Error::Full { backend, message } => Error::Full {
            backend: *backend,
            message: message.clone(),
        },
        Error::ConnectionLost { backend, message } => Error::ConnectionLost {
            backend: *backend,
            message: message.clone(),
        },
        Error::Corrupt { backend, message } => Error::Corrupt {
            backend: *backend,
            message: message.clone(),
        },
        Error::UnknownKoperasi(id) => Error::UnknownKoperasi(*id),
        Error::Database { backend, message } => Error::Database {
            backend: *backend,
            message: message.clone(),
        },
        other => Error::Database {
            backend: Backend::Sqlite,
            message: other.to_string(),
        },
    }
}

fn writer_loop(store: &Store, rx: &mpsc::Receiver<Job>, max_batch: usize) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < max_batch {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let reqs: Vec<Request> = jobs.iter().map(|j| j.req.clone()).collect();
        match store.commit_group(&reqs) {
            Ok(results) => {
                for (job, r) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(r);
                }
            }
            Err(e) => {
                for job in jobs {
                    let _ = job.reply.send(Err(copy_error(&e)));
                }
            }
        }
    }
}

impl Store {
    /// Starts a group committer: `writers` threads (one on SQLite) that each commit up to
    /// `max_batch` queued operations per transaction.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for zero writers or a zero batch; [`Error::Database`] if a
    /// thread cannot be started.
    pub fn group_committer(&self, writers: usize, max_batch: usize) -> Result<GroupCommitter> {
        if writers == 0 || max_batch == 0 {
            return Err(Error::InvalidArgument(
                "a group committer needs at least one writer and a batch of at least one".into(),
            ));
        }
        let writers = if self.backend() == Backend::Sqlite {
            1
        } else {
            writers
        };
        let mut senders = Vec::with_capacity(writers);
        let mut threads = Vec::with_capacity(writers);
        for n in 0..writers {
            let (tx, rx) = mpsc::channel::<Job>();
            let store = self.clone();
            let handle = std::thread::Builder::new()
                .name(format!("koperasi-store-writer-{n}"))
                .spawn(move || writer_loop(&store, &rx, max_batch))
                .map_err(|e| Error::Database {
                    backend: self.backend(),
                    message: format!("cannot start a writer thread: {e}"),
                })?;
            senders.push(tx);
            threads.push(handle);
        }
        Ok(GroupCommitter { senders, threads })
    }
}

/// An operation queued with [`GroupCommitter::enqueue`]: wait for its commit with
/// [`Pending::wait`].
#[derive(Debug)]
pub struct Pending {
    rx: mpsc::Receiver<Result<Appended>>,
}

impl Pending {
    /// Waits until the operation's group committed (or failed).
    ///
    /// # Errors
    /// As [`Store::commit_group`]: the operation's own error, or its group's.
    pub fn wait(self) -> Result<Appended> {
        self.rx
            .recv()
            .map_err(|_| Error::InvalidArgument("the group committer has stopped".into()))?
    }
}

impl GroupCommitter {
    /// Submits one operation and waits until its group committed.
    ///
    /// # Errors
    /// As [`Store::commit_group`]: the operation's own error, or its group's.
    pub fn submit(&self, req: Request) -> Result<Appended> {
        self.enqueue(req)?.wait()
    }

    /// Queues one operation without waiting (a caller with several operations in flight,
    /// such as a server handling many requests): it is acknowledged only by
    /// [`Pending::wait`], after its group committed. Operations of one cooperative commit in
    /// the order they were queued.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the committer has stopped.
    pub fn enqueue(&self, req: Request) -> Result<Pending> {
        let bytes = req.koperasi.as_uuid().as_u128().to_le_bytes();
        let h = bytes.iter().fold(0usize, |a, b| {
            a.wrapping_mul(31).wrapping_add(usize::from(*b))
        });
        let n = self.senders.len().max(1);
        let sender = self
            .senders
            .get(h % n)
            .ok_or_else(|| Error::InvalidArgument("the group committer has stopped".into()))?;
        let (tx, rx) = mpsc::sync_channel(1);
        sender
            .send(Job { req, reply: tx })
            .map_err(|_| Error::InvalidArgument("the group committer has stopped".into()))?;
        Ok(Pending { rx })
    }
}

impl Drop for GroupCommitter {
    fn drop(&mut self) {
        self.senders.clear();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

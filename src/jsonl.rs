//! The event log as JSON Lines: a header line with the configuration, then one event per line.

use crate::book::{BookConfig, Koperasi};
use crate::error::{Error, Result};
use crate::event::Event;

/// The version of the log's header line: 2 since events carry their own `format`; logs of
/// version 1 (events without `format`) are read too.
const LOG_VERSION: u32 = 2;

/// The header line of an event log.
#[derive(serde::Serialize, serde::Deserialize)]
struct Header {
    /// Format version.
    koperasi_event_log: u32,
    /// The book's configuration.
    config: BookConfig,
}

impl Koperasi {
    /// The book's event log as JSON Lines: a header `{"koperasi_event_log":2,"config":…}`,
    /// then one [`Event`] per line, in the order applied, each with its `format` (see
    /// [`EVENT_FORMAT`](crate::EVENT_FORMAT) and `docs/events.md`).
    ///
    /// # Errors
    /// [`Error::EventLog`] if a value cannot be serialised (not expected).
    pub fn to_json_lines(&self) -> Result<String> {
        // Serialised straight into one buffer (no string per line).
        let mut out: Vec<u8> = Vec::with_capacity(self.events().len().saturating_mul(256));
        let header = Header {
            koperasi_event_log: LOG_VERSION,
            config: self.config().clone(),
        };
        let err = |n: usize| {
            move |e: serde_json::Error| Error::EventLog {
                line: n,
                message: e.to_string(),
            }
        };
        serde_json::to_writer(&mut out, &header).map_err(err(1))?;
        out.push(b'\n');
        for (i, e) in self.events().iter().enumerate() {
            serde_json::to_writer(&mut out, e).map_err(err(i.saturating_add(2)))?;
            out.push(b'\n');
        }
        String::from_utf8(out).map_err(|e| Error::EventLog {
            line: 0,
            message: e.to_string(),
        })
    }

    /// Rebuilds a book from JSON Lines written by [`to_json_lines`](Self::to_json_lines):
    /// opens a book with the header's configuration and replays every event.
    ///
    /// # Errors
    /// [`Error::EventLog`] naming the line that cannot be read; the error of the first event
    /// the book rejects.
    pub fn from_json_lines(text: &str) -> Result<Koperasi> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let (_, first) = lines.next().ok_or(Error::EventLog {
            line: 1,
            message: "empty log: no header".into(),
        })?;
        let header: Header = serde_json::from_str(first).map_err(|e| Error::EventLog {
            line: 1,
            message: e.to_string(),
        })?;
        if !(1..=LOG_VERSION).contains(&header.koperasi_event_log) {
            return Err(Error::EventLog {
                line: 1,
                message: format!("unsupported version {}", header.koperasi_event_log),
            });
        }
        let mut book = Koperasi::new(header.config)?;
        for (i, l) in lines {
            let n = i.saturating_add(1);
            let e: Event = serde_json::from_str(l).map_err(|e| Error::EventLog {
                line: n,
                message: e.to_string(),
            })?;
            book.apply(e)?;
        }
        Ok(book)
    }
}

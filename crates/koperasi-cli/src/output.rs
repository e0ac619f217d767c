//! The command's output and error contract, shared by every subcommand.
//!
//! * Results: readable text (Indonesian labels) or, with `--json`, one JSON document, always on
//!   stdout and always through [`Output`] (the crate denies `print!`/`println!`, so a subcommand
//!   cannot bypass the closed-pipe handling below).
//! * Errors: a [`CliError`] with a stable machine `kind`, a one-line message and a class:
//!   [`ErrorClass::Usage`] (the command line cannot be used as given: exit 2, the Unix
//!   convention) or [`ErrorClass::Failure`] (the command ran and the input, a file or a check
//!   failed: exit 1). Without `--json` the message goes to stderr as `error: …`; with `--json`
//!   (anywhere on the command line) stdout gets
//!   `{"error": {"kind": …, "message": …, "class": "usage"|"failure"}}`.
//! * A closed stdout (`koperasi … | head -1`) is not an error: output stops quietly and the
//!   command's own exit code is kept. Any other write error on stdout is a failure (exit 1).

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Exit code of a failure (the command ran; its input or a check failed).
pub(crate) const EXIT_FAILURE: u8 = 1;
/// Exit code of a usage error (the command line cannot be used as given).
pub(crate) const EXIT_USAGE: u8 = 2;

/// Which of the two error classes of the contract an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorClass {
    /// The command line cannot be used as given (unknown option, missing or malformed
    /// argument, an option value out of its range): exit code 2.
    Usage,
    /// The command ran and failed: bad input data, an invalid payload, a failed check, I/O.
    /// Exit code 1.
    Failure,
}

impl ErrorClass {
    /// The process exit code of this class.
    pub(crate) fn exit_code(self) -> u8 {
        match self {
            ErrorClass::Usage => EXIT_USAGE,
            ErrorClass::Failure => EXIT_FAILURE,
        }
    }

    /// The class as written in the JSON error object.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Usage => "usage",
            ErrorClass::Failure => "failure",
        }
    }
}

/// An error as the CLI reports it: a stable machine `kind`, a one-line message and its class.
#[derive(Debug)]
pub(crate) struct CliError {
    pub(crate) kind: String,
    pub(crate) message: String,
    pub(crate) class: ErrorClass,
}

impl CliError {
    /// A failure (exit 1) of a given kind.
    pub(crate) fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        CliError {
            kind: kind.into(),
            message: scrub_internal_names(&one_line(&message.into())),
            class: ErrorClass::Failure,
        }
    }

    /// A usage error (exit 2): an option or argument value the command cannot use, found
    /// before any work is done (a range check, a malformed date given as an option).
    #[allow(dead_code, reason = "used by subcommands that validate option values")]
    pub(crate) fn usage(kind: impl Into<String>, message: impl Into<String>) -> Self {
        CliError {
            class: ErrorClass::Usage,
            ..CliError::new(kind, message)
        }
    }

    /// A library error as a failure: the kind is the variant name in snake case, taken from
    /// its `Debug` form (`ParseAmount { .. }` → `parse_amount`).
    pub(crate) fn input<E: std::fmt::Debug + std::fmt::Display>(e: E) -> Self {
        CliError::new(kind_of(&e), e.to_string())
    }

    /// An I/O error on a named file.
    #[allow(dead_code, reason = "used by file-reading subcommands")]
    pub(crate) fn io(path: &std::path::Path, e: &std::io::Error) -> Self {
        CliError::new("io", format!("{}: {e}", path.display()))
    }

    /// The JSON error object of the contract.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"error": {
            "kind": self.kind,
            "message": self.message,
            "class": self.class.as_str(),
        }})
    }
}

/// Joins the lines of a message into one (errors are one line by contract).
fn one_line(s: &str) -> String {
    let trimmed = s.trim();
    if trimmed.contains('\n') {
        trimmed
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        trimmed.to_owned()
    }
}

/// Library messages name the internal operation that overflowed or divided by zero
/// (`arithmetic overflow in Rupiah::try_from_sen_i128`); a user learns nothing from it. The
/// operation's name is replaced by what it means for them.
fn scrub_internal_names(msg: &str) -> String {
    let mut out = msg.to_owned();
    for (needle, meaning) in [
        (
            "arithmetic overflow in ",
            "arithmetic overflow (an amount or an intermediate result is too large to compute exactly)",
        ),
        (
            "division by zero in ",
            "division by zero (a total or weight that must not be zero is zero)",
        ),
    ] {
        while let Some(at) = out.find(needle) {
            let rest = out.get(at + needle.len()..).unwrap_or("");
            let op_len = rest
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | ':' | '.')))
                .unwrap_or(rest.len());
            let op_len = if rest.get(..op_len).is_some_and(|op| op.ends_with('.')) {
                op_len - 1
            } else {
                op_len
            };
            let end = at + needle.len() + op_len;
            out.replace_range(at..end, meaning);
        }
    }
    out
}

/// The snake-case name of an enum variant, from its `Debug` form.
pub(crate) fn kind_of<E: std::fmt::Debug>(e: &E) -> String {
    let dbg = format!("{e:?}");
    let name: String = dbg
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Set once stdout was found closed (broken pipe): later output is skipped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
/// The first write error on stdout other than a closed pipe.
static STDOUT_ERROR: OnceLock<String> = OnceLock::new();

/// Writes `text` and a newline to stdout. A closed pipe stops all later output quietly; any
/// other error is remembered and reported by [`finish`].
fn write_stdout(text: &str) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) || STDOUT_ERROR.get().is_some() {
        return;
    }
    let mut lock = std::io::stdout().lock();
    let result = lock
        .write_all(text.as_bytes())
        .and_then(|()| lock.write_all(b"\n"))
        .and_then(|()| lock.flush());
    if let Err(e) = result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        } else {
            let _ = STDOUT_ERROR.set(format!("cannot write to stdout: {e}"));
        }
    }
}

/// Writes a line to stderr; a closed or failing stderr is ignored (nothing else can be told).
fn write_stderr(text: &str) {
    let mut lock = std::io::stderr().lock();
    let _ = lock
        .write_all(text.as_bytes())
        .and_then(|()| lock.write_all(b"\n"));
}

/// The process exit code of a finished command: `code` unless writing to stdout failed for a
/// reason other than a closed pipe (then the error goes to stderr and the code is 1).
pub(crate) fn finish(code: ExitCode) -> ExitCode {
    match STDOUT_ERROR.get() {
        Some(msg) => {
            write_stderr(&format!("error: {msg}"));
            ExitCode::from(EXIT_FAILURE)
        }
        None => code,
    }
}

/// `true` if `--json` occurs on the command line before a `--` terminator: usage errors found
/// by the argument parser are then also reported as JSON.
pub(crate) fn json_requested(args: &[std::ffi::OsString]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|a| a.as_os_str() != "--")
        .any(|a| a.as_os_str() == "--json")
}

/// Where results and errors go: readable text or JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    json: bool,
}

impl Output {
    pub(crate) fn new(json: bool) -> Self {
        Output { json }
    }

    /// `true` when `--json` was given.
    #[allow(dead_code, reason = "used by subcommands with custom output")]
    pub(crate) fn is_json(&self) -> bool {
        self.json
    }

    /// Prints `value` as JSON, or the text produced by `text` (not called in JSON mode).
    pub(crate) fn emit(&self, value: &serde_json::Value, text: impl FnOnce() -> String) {
        if self.json {
            write_stdout(&value.to_string());
        } else {
            write_stdout(&text());
        }
    }

    /// Prints one line of text on stdout in either mode (for subcommands that stream, or
    /// whose JSON is itself a stream of lines).
    #[allow(dead_code, reason = "used by streaming subcommands")]
    pub(crate) fn line(&self, text: &str) {
        let _ = self;
        write_stdout(text);
    }

    /// A note for the reader on stderr, `note: …` (never part of the result on stdout).
    #[allow(dead_code, reason = "used by subcommands that print notes")]
    pub(crate) fn note(&self, text: &str) {
        let _ = self;
        write_stderr(&format!("note: {text}"));
    }

    /// Reports an error and returns its exit code (1 for a failure, 2 for a usage error).
    pub(crate) fn fail(&self, e: &CliError) -> ExitCode {
        if self.json {
            write_stdout(&e.to_json().to_string());
        } else {
            write_stderr(&format!("error: {}", e.message));
        }
        ExitCode::from(e.class.exit_code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(dead_code, reason = "only the Debug form is read")]
    enum E {
        ParseAmount { x: u8 },
        Overflow,
    }

    #[test]
    fn kind_is_snake_case_variant() {
        assert_eq!(kind_of(&E::ParseAmount { x: 1 }), "parse_amount");
        assert_eq!(kind_of(&E::Overflow), "overflow");
    }

    #[test]
    fn internal_operation_names_are_scrubbed() {
        let e = CliError::new("core", "arithmetic overflow in Rupiah::try_from_sen_i128");
        assert!(!e.message.contains("Rupiah::"), "{}", e.message);
        assert!(e.message.starts_with("arithmetic overflow (an amount"));
        let e = CliError::new("x", "line 3: division by zero in split_floor. Next");
        assert_eq!(
            e.message,
            "line 3: division by zero (a total or weight that must not be zero is zero). Next"
        );
    }

    #[test]
    fn messages_are_one_line() {
        let e = CliError::new("x", "first\n\n  second\n");
        assert_eq!(e.message, "first; second");
    }

    #[test]
    fn json_flag_is_found_anywhere_before_the_terminator() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert!(json_requested(&args(&[
            "koperasi", "amount", "--json", "x"
        ])));
        assert!(json_requested(&args(&[
            "koperasi", "amount", "x", "--json"
        ])));
        assert!(!json_requested(&args(&[
            "koperasi", "amount", "--", "--json"
        ])));
        assert!(!json_requested(&args(&["--json"])));
    }
}

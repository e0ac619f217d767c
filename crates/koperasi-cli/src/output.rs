//! Output conventions shared by every subcommand.

use std::process::ExitCode;

/// An error as the CLI reports it: a stable machine `kind` and a one-line message.
#[derive(Debug)]
pub(crate) struct CliError {
    pub(crate) kind: String,
    pub(crate) message: String,
}

impl CliError {
    /// An error of a given kind.
    pub(crate) fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        CliError {
            kind: kind.into(),
            message: message.into(),
        }
    }

    /// A library error: the kind is the variant name in snake case, taken from its `Debug`
    /// form (`ParseAmount { .. }` → `parse_amount`).
    pub(crate) fn input<E: std::fmt::Debug + std::fmt::Display>(e: E) -> Self {
        CliError::new(kind_of(&e), e.to_string())
    }

    /// An I/O error on a named file.
    #[allow(dead_code, reason = "used by file-reading subcommands")]
    pub(crate) fn io(path: &std::path::Path, e: &std::io::Error) -> Self {
        CliError::new("io", format!("{}: {e}", path.display()))
    }
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

    /// Prints `value` as JSON, or the text produced by `text`.
    pub(crate) fn emit(&self, value: &serde_json::Value, text: impl FnOnce() -> String) {
        if self.json {
            println!("{value}");
        } else {
            println!("{}", text());
        }
    }

    /// Reports an error and returns exit code 1.
    pub(crate) fn fail(&self, e: &CliError) -> ExitCode {
        if self.json {
            println!(
                "{}",
                serde_json::json!({"error": {"kind": e.kind, "message": e.message}})
            );
        } else {
            eprintln!("error: {}", e.message);
        }
        ExitCode::from(1)
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
}

//! # koperasi-reporting — reports for koperasi
//!
//! (Guide below.)
#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

pub mod city;
mod error;
pub mod health;
pub mod interop;
pub mod plaintext;
pub mod rat;
pub mod render;
pub mod report;
pub mod statements;
#[cfg(any(test, feature = "proptest"))]
pub mod strategy;

pub use error::{Error, JournalErrorKind, ProfileProblem, Result};

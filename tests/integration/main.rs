//! Cross-crate integration tests of the umbrella: the full-year story's invariants, property
//! tests over random operation sequences, and bad input for every operation.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod after_month_end;
mod bad_input;
mod common;
mod controls;
mod gen_book2;
mod health;
mod health_book;
mod himbara;
mod props;
mod reconcile;
mod snapshot;
mod story;

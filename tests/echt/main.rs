//! Integration tests: the real `echt` binary on fixture sites.
//!
//! Each module covers one feature; `support` has the site builder. Tests
//! that need tools beyond Rust are `#[ignore = "needs …"]` and run in CI
//! with `cargo test -- --include-ignored`.

// Tests may panic on anything unexpected.
#![allow(clippy::unwrap_used)]

mod support;

mod build;
mod cli;
mod errors;
mod feeds;
mod sample;
mod serve;
mod validate;

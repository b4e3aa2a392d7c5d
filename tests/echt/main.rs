//! Integration tests: the real `echt` binary on fixture sites.
//!
//! Each module covers one feature; `support` has the site builder and
//! `served` a running `echt serve`. Tests that need tools beyond Rust are
//! `#[ignore = "needs …"]` and run in CI with
//! `cargo test -- --include-ignored`.

// Tests may panic on anything unexpected.
#![allow(clippy::unwrap_used)]

mod served;
mod support;

mod accessible;
mod authors;
mod browser;
mod build;
mod cache;
mod chromium;
mod cli;
mod comment;
mod comments;
mod differential;
mod errors;
mod feeds;
mod highlight;
mod host;
mod hostile;
mod hosting;
mod import;
mod input;
mod jsonfeed;
mod layers;
mod load;
mod nginx;
mod outputs;
mod permalinks;
mod photos;
mod pictures;
mod privacy;
mod sample;
mod search;
mod series;
mod serve;
mod share;
mod validate;
mod wordpress;

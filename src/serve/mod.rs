//! `echt serve`: the local preview (issue 3, in progress).
//!
//! So far: [`http`], the pure rules for which file a request may see. Still
//! to come: the in-memory preview store, the server loop, watching with
//! notify, the incremental rebuild planner and live reload over
//! Server-Sent Events.

pub mod http;

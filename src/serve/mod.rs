//! `echt serve`: the local preview (issue 3, in progress).
//!
//! So far: [`http`], the pure rules for which file a request may see, and
//! [`store`], the in-memory copy of the site it is served from. Still to
//! come: the server loop, watching with notify, the incremental rebuild
//! planner and live reload over Server-Sent Events.

pub mod http;
pub mod store;

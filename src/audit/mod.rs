//! The privacy audit (in progress).

pub mod css;

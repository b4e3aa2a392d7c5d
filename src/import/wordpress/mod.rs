//! Moving in from WordPress: the pieces of `echt import wordpress` that
//! read an export and convert what its posts say. They are pure: they read
//! text and return values, and write no file.

pub mod content;
pub mod uploads;
pub mod wxr;

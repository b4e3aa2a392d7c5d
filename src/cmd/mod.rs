//! The commands: what runs the pipeline and talks to the person at the
//! terminal.
//!
//! Takes the command line; hands on exit codes, the finished site
//! (`echt build`), a report (`echt check`), a new site (`echt new`, or
//! `echt import` from another generator) or the live preview (`echt
//! serve`). Everything a command does with a site is done by the stages
//! below; the commands only put them in order.

pub mod build;
pub mod check;
pub mod cli;
pub mod comment;
pub mod external;
pub mod import;
pub mod scaffold;
pub mod serve;

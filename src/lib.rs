//! echt turns a folder of Markdown posts into a finished static blog: fast,
//! accessible, and free of anything that tracks readers.
//!
//! The pipeline, one folder per stage, each using only the ones before it
//! (see ARCHITECTURE.md):
//! [`util`] → [`source`] → [`markdown`] → [`site`] → [`output`] →
//! [`audit`] → [`render`] → [`import`] → [`cmd`].

pub mod audit;
pub mod cmd;
pub mod image;
pub mod import;
pub mod markdown;
pub mod output;
pub mod render;
pub mod site;
pub mod source;
pub mod util;

pub use cmd::build::{build, BuildOptions, Report};
pub use util::error::{Diagnostic, Error, Result};

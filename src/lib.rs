//! echt turns a folder of Markdown posts into a finished static blog: fast,
//! accessible, and free of anything that tracks readers.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! [`config`] → [`content`] + [`frontmatter`] → [`markdown`] → [`site`] →
//! [`theme`] + [`render`] + [`feed`] → [`output`]; [`build`] runs it end to
//! end and [`cli`] is the command line.

pub mod audit;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod external;
pub mod feed;
pub mod frontmatter;
pub mod i18n;
pub mod markdown;
pub mod output;
pub mod plan;
pub mod registry;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
pub mod url;
pub mod yaml;

pub use build::{build, BuildOptions, Report};
pub use error::{Diagnostic, Error, Result};

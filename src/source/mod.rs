//! Stage 1, the sources: reading the site folder.
//!
//! Takes the site's root folder; hands on the checked configuration
//! ([`config::Config`]), the list of content files ([`content::Inventory`])
//! and each file's front matter, parsed and checked key by key
//! ([`frontmatter`], on top of the located YAML of [`yaml`]).

pub mod comment;
pub mod config;
pub mod content;
pub mod frontmatter;
pub mod permalink;
pub mod yaml;

//! `echt import jekyll SRC DEST`: a Jekyll site (the folder with
//! `_config.yml`) into an echt site whose every old URL keeps answering.

pub mod config;
pub mod content;
pub mod front;
pub mod read;
pub mod url;

//! Moving in: turns a blog written for another generator into an echt site.
//!
//! An import reads the old site and never writes to it; it writes a new
//! echt site (echt.yaml, content/, static/) and a report of every change and
//! of everything that needs the author's eye. It sits beside the commands,
//! above the pipeline: it produces the input the pipeline reads. A reader's
//! e-mail comes in the same way ([`mail`]): as a comment file beside its post.

pub mod download;
pub(crate) mod html;
pub mod jekyll;
pub mod mail;
pub(crate) mod mapped;
pub mod note;
pub mod wordpress;

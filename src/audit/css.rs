//! URLs that CSS makes the browser load.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Url,
    Import,
    FontFace,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub url: String,
    pub usage: Use,
    pub offset: usize,
    pub len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Stylesheet,
    Declarations,
}

pub fn references(_css: &str, _kind: Kind) -> Vec<Reference> {
    Vec::new()
}

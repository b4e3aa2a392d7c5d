//! The text of one Jekyll post or page turned into echt's: Liquid, kramdown
//! extras and third-party embeds become what echt reads, and everything that
//! cannot be converted stays visible and is noted at its line.
//!
//! The conversion knows nothing of files: what it needs to know about the
//! rest of the old site, it asks through [`Site`].

/// What the conversion of one file needs to know about the rest of the site.
pub trait Site {
    /// The link target for `{% post_url NAME %}` (NAME as written, e.g.
    /// `2014-07-07-some-title` or `2014/2014-07-07-some-title`), relative to
    /// the converted file's place in the new site, e.g.
    /// `2014-07-07-some-title.md`; None when there is no such post.
    fn post_url(&self, name: &str) -> Option<String>;
    /// The link target for `{% link PATH %}` (PATH relative to the old
    /// site's root, e.g. `_posts/2014-07-07-x.md`, `about.md`,
    /// `assets/a.pdf`), relative to the converted file's place for Markdown
    /// files, site-relative (`/assets/a.pdf`) for others; None when there is
    /// no such file.
    fn link(&self, path: &str) -> Option<String>;
    /// The text of `_includes/NAME`, when it exists.
    fn include(&self, name: &str) -> Option<String>;
    /// `baseurl` of `_config.yml`: `""` or `/blog` (no trailing slash).
    fn baseurl(&self) -> &str;
    /// `url` of `_config.yml` without a trailing slash, e.g.
    /// `https://example.org`, or `""`.
    fn url(&self) -> &str;
}

/// What kind of text is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Markdown,
    Html,
}

/// How one file is converted.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub markup: Markup,
    /// The site's or the file's `excerpt_separator`, which becomes
    /// `<!-- more -->`; None for Jekyll's default (the first paragraph,
    /// which is echt's default too).
    pub excerpt_separator: Option<&'a str>,
    /// The language the text is written in (`de`, `en`, …), for the words
    /// the conversion writes itself (an embed's link text).
    pub language: &'a str,
}

/// The converted text and what the report says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub text: String,
    pub notes: Vec<Note>,
}

/// One line of the report, placed in the text that was converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// 1-based, in the body given to [`convert`].
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub kind: NoteKind,
    pub message: String,
}

/// Whether a note records a change or asks for the author's eye.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// Converted; listed so that every change can be reviewed.
    Changed,
    /// Could not be converted (or only partly): kept visible as text.
    Review,
}

/// Converts the body (the text after the front matter) of one file.
///
/// Scaffolding: the conversion itself is being written; until then the
/// text is returned as it is, with nothing noted.
pub fn convert(body: &str, options: &Options<'_>, site: &dyn Site) -> Converted {
    let _ = (options, site);
    Converted {
        text: body.to_string(),
        notes: Vec::new(),
    }
}

//! URLs that CSS makes the browser load.
//!
//! echt promises that a built site loads nothing from another host, and CSS
//! can load in many spellings: `url(x)`, `URL("x")`, `\75 rl(x)`,
//! `image-set("x" 1x)`, `@import "x"`, with comments and escapes in between.
//! Rather than guess with patterns, this module reads the tokens of Servo's
//! `cssparser`, the tokenizer of a browser engine, and returns every URL with
//! its byte span. Judging each URL (own site, allowed, foreign) and reporting
//! file:line:column is the caller's job.
//!
//! The walk is deliberately generous: a URL inside a rule a browser would drop
//! is still returned, because a false alarm costs a look while a miss breaks
//! the promise. Only `@namespace`, which names a URL without loading it, is
//! skipped.

use std::ops::Range;

use cssparser::{Parser, ParserInput, Token};

/// How a URL is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// `url(...)` / `src(...)` in a declaration value (backgrounds, cursors,
    /// masks, list-style, …) or `image-set("x" 1x)` / `-webkit-image-set` /
    /// `image("x")` strings.
    Url,
    /// `@import url(x)` or `@import "x"`.
    Import,
    /// A `src` in `@font-face`.
    FontFace,
}

/// One URL the CSS would load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The URL with CSS escapes resolved, as the browser would request it (not
    /// yet resolved against a base).
    pub url: String,
    pub usage: Use,
    /// Byte offset in the given text where the token starts (the `u` of
    /// `url(`, the `\` of `\75 rl(`, the `"` of a string).
    pub offset: usize,
    /// Byte length of the token: all of `url(…)` including its `)`, or all of
    /// a string including its quotes.
    pub len: usize,
}

/// Whether the text is a whole stylesheet or the declarations of a `style`
/// attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Stylesheet,
    /// At-rules mean nothing here (browsers drop them), so `@import` and
    /// `@font-face` get no special treatment.
    Declarations,
}

/// Every URL `css` makes the browser load, in source order.
pub fn references(css: &str, kind: Kind) -> Vec<Reference> {
    references_checked(css, kind).0
}

/// A place where CSS loads a URL that the text does not show: byte
/// offset, length and why.
pub type Unsure = (usize, usize, &'static str);

/// [`references`], and the places where a URL is computed (`var()` or
/// `attr()` inside `image-set()`, `image()` or `src()`), which the audit
/// cannot follow and so must refuse.
pub fn references_checked(css: &str, kind: Kind) -> (Vec<Reference>, Vec<Unsure>) {
    let mut walk = Walk {
        kind,
        open: vec![Block::top()],
        found: Vec::new(),
        unsure: Vec::new(),
    };
    for (span, token) in Tokens::new(css) {
        walk.token(span, &token);
    }
    let unsure = std::mem::take(&mut walk.unsure);
    let mut found = walk.finish(css.len());
    // A `url("…")` is only complete at its `)`, after any URL nested in it.
    found.sort_by_key(|reference| reference.offset);
    (found, unsure)
}

/// The tokens of `css` with their byte spans, including those inside blocks.
///
/// `Parser` hands out a block's contents only through `parse_nested_block`,
/// which costs a stack frame per nesting level, so a file of ten thousand `(`
/// would overflow the stack. Tokenizing CSS is context-free, so a fresh parser
/// started at each token boundary yields the same tokens, flat, and the walk
/// keeps its own stack of open blocks.
struct Tokens<'a> {
    css: &'a str,
    at: usize,
}

impl<'a> Tokens<'a> {
    fn new(css: &'a str) -> Self {
        Tokens { css, at: 0 }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (Range<usize>, Token<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.css.get(self.at..)?;
        let mut input = ParserInput::new(rest);
        let mut parser = Parser::new(&mut input);
        let token = parser
            .next_including_whitespace_and_comments()
            .ok()?
            .clone();
        let len = parser.position().byte_index();
        if len == 0 {
            // Every token consumes input; never loop if one did not.
            return None;
        }
        let start = self.at;
        self.at += len;
        Some((start..self.at, token))
    }
}

/// The state of the walk over the token stream.
struct Walk {
    kind: Kind,
    /// Open blocks and functions, innermost last. The first entry is the top
    /// level and is never closed.
    open: Vec<Block>,
    found: Vec<Reference>,
    unsure: Vec<Unsure>,
}

/// A block or function the walk is inside.
struct Block {
    /// The token that ends it; `None` for the top level.
    closer: Option<Closer>,
    context: Context,
    /// The at-rule whose prelude the walk is in, at this level.
    prelude: Prelude,
    /// Set for `url(` and `src(` functions, whose first string is their URL.
    url_function: Option<UrlFunction>,
}

impl Block {
    fn top() -> Self {
        Block {
            closer: None,
            context: Context {
                usage: Use::Url,
                strings_are_urls: false,
                inert: false,
            },
            prelude: Prelude::None,
            url_function: None,
        }
    }
}

/// What the tokens inside a block mean.
#[derive(Debug, Clone, Copy)]
struct Context {
    usage: Use,
    /// Inside `image-set()`: a plain string is an image URL.
    strings_are_urls: bool,
    /// Inside `@namespace`: nothing is loaded.
    inert: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prelude {
    None,
    /// Right after `@import`: the next token is the imported URL.
    Import,
    Namespace,
    FontFace,
}

impl Prelude {
    fn of(at_keyword: &str) -> Self {
        if at_keyword.eq_ignore_ascii_case("import") {
            Prelude::Import
        } else if at_keyword.eq_ignore_ascii_case("namespace") {
            Prelude::Namespace
        } else if at_keyword.eq_ignore_ascii_case("font-face") {
            Prelude::FontFace
        } else {
            Prelude::None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closer {
    Parenthesis,
    SquareBracket,
    CurlyBracket,
}

/// A `url(` or `src(` function with a quoted argument, open until its `)`.
struct UrlFunction {
    start: usize,
    usage: Use,
    url: Option<String>,
}

impl Walk {
    fn token(&mut self, span: Range<usize>, token: &Token) {
        let closer = match token {
            Token::WhiteSpace(_) | Token::Comment(_) => return,
            Token::CloseParenthesis => Some(Closer::Parenthesis),
            Token::CloseSquareBracket => Some(Closer::SquareBracket),
            Token::CloseCurlyBracket => Some(Closer::CurlyBracket),
            _ => None,
        };
        if let Some(closer) = closer {
            self.close(closer, span.end);
            return;
        }
        let Some(block) = self.open.last_mut() else {
            return;
        };
        // What this token means: what its block means, unless an at-rule
        // before it says otherwise (`@import "x"`, `@namespace url(x)`).
        let prelude = block.prelude;
        let context = Context {
            usage: match prelude {
                Prelude::Import => Use::Import,
                _ => block.context.usage,
            },
            strings_are_urls: block.context.strings_are_urls || prelude == Prelude::Import,
            inert: block.context.inert || prelude == Prelude::Namespace,
        };
        block.prelude = match (prelude, token) {
            (_, Token::Semicolon | Token::CurlyBracketBlock) => Prelude::None,
            (_, Token::AtKeyword(name)) if self.kind == Kind::Stylesheet => Prelude::of(name),
            (Prelude::Import, _) => Prelude::None,
            (other, _) => other,
        };
        match token {
            Token::UnquotedUrl(url) if !context.inert => {
                push(&mut self.found, url, context.usage, span);
            }
            Token::BadUrl(contents) if !context.inert => {
                if let Some(url) = recover(contents) {
                    push(&mut self.found, &url, context.usage, span);
                }
            }
            Token::QuotedString(string) | Token::BadString(string) if !context.inert => {
                match block.url_function.as_mut() {
                    Some(function) if function.url.is_none() => {
                        function.url = Some(string.to_string());
                    }
                    _ if context.strings_are_urls => {
                        push(&mut self.found, string, context.usage, span);
                    }
                    _ => {}
                }
            }
            Token::Function(name)
                if !context.inert
                    && (context.strings_are_urls || block.url_function.is_some())
                    && ["var", "attr", "env"]
                        .iter()
                        .any(|computed| name.eq_ignore_ascii_case(computed)) =>
            {
                self.unsure.push((
                    span.start,
                    span.len(),
                    "a URL computed with `var()`, `attr()` or `env()` inside `image-set()`, `image()` or `src()`",
                ));
                self.open(Closer::Parenthesis, context, None);
            }
            Token::Function(name) => {
                let is_url = name.eq_ignore_ascii_case("url") || name.eq_ignore_ascii_case("src");
                let url_function = (is_url && !context.inert).then_some(UrlFunction {
                    start: span.start,
                    usage: context.usage,
                    url: None,
                });
                let strings_are_urls = ["image-set", "-webkit-image-set", "image"]
                    .iter()
                    .any(|image| name.eq_ignore_ascii_case(image));
                let context = Context {
                    strings_are_urls,
                    ..context
                };
                self.open(Closer::Parenthesis, context, url_function);
            }
            Token::ParenthesisBlock | Token::SquareBracketBlock => {
                let closer = match token {
                    Token::ParenthesisBlock => Closer::Parenthesis,
                    _ => Closer::SquareBracket,
                };
                let context = Context {
                    strings_are_urls: false,
                    ..context
                };
                self.open(closer, context, None);
            }
            Token::CurlyBracketBlock => {
                let usage = match prelude {
                    Prelude::FontFace => Use::FontFace,
                    _ => block.context.usage,
                };
                let context = Context {
                    usage,
                    strings_are_urls: false,
                    inert: context.inert,
                };
                self.open(Closer::CurlyBracket, context, None);
            }
            _ => {}
        }
    }

    fn open(&mut self, closer: Closer, context: Context, url_function: Option<UrlFunction>) {
        self.open.push(Block {
            closer: Some(closer),
            context,
            prelude: Prelude::None,
            url_function,
        });
    }

    /// Closes the innermost block if `closer` ends it. Like a browser, the
    /// walk ignores a closer that does not match, e.g. the `}` in `( } )`.
    fn close(&mut self, closer: Closer, end: usize) {
        if self.open.len() > 1 && self.open.last().and_then(|block| block.closer) == Some(closer) {
            if let Some(block) = self.open.pop() {
                self.finish_block(block, end);
            }
        }
    }

    fn finish_block(&mut self, block: Block, end: usize) {
        if let Some(UrlFunction {
            start,
            usage,
            url: Some(url),
        }) = block.url_function
        {
            push(&mut self.found, &url, usage, start..end);
        }
    }

    /// Ends the walk; blocks still open end with the input, as in a browser.
    fn finish(mut self, end: usize) -> Vec<Reference> {
        while self.open.len() > 1 {
            if let Some(block) = self.open.pop() {
                self.finish_block(block, end);
            }
        }
        self.found
    }
}

/// Records a reference unless the URL is empty, which browsers do not load.
fn push(found: &mut Vec<Reference>, url: &str, usage: Use, span: Range<usize>) {
    if !url.is_empty() {
        found.push(Reference {
            url: url.to_owned(),
            usage,
            offset: span.start,
            len: span.len(),
        });
    }
}

/// The URL a malformed `url(…)` (a bad-url token) most likely meant.
///
/// Browsers load nothing for it, but reporting the intended host keeps a typo
/// from hiding a foreign URL. `contents` is what follows `url(`: a string if
/// one comes first (`url(/*x*/"…")` is bad because comments are not allowed
/// before it), else the text up to the first space, quote or `(`.
fn recover(contents: &str) -> Option<String> {
    let first = Tokens::new(contents)
        .map(|(_, token)| token)
        .find(|token| !matches!(token, Token::WhiteSpace(_) | Token::Comment(_)));
    if let Some(Token::QuotedString(string) | Token::BadString(string)) = first {
        return Some(string.to_string());
    }
    let head = contents
        .split(|c: char| c == ' ' || c.is_ascii_control() || matches!(c, '"' | '\'' | '('))
        .next()?;
    // Let the tokenizer resolve the escapes.
    let wrapped = format!("url({head})");
    let url = match Tokens::new(&wrapped).next() {
        Some((_, Token::UnquotedUrl(url))) => Some(url.to_string()),
        _ => None,
    };
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each reference as (url, usage, the text its span covers), checking the
    /// invariants every reference must hold.
    fn refs(css: &str, kind: Kind) -> Vec<(String, Use, &str)> {
        references(css, kind)
            .into_iter()
            .map(|reference| {
                assert!(!reference.url.is_empty(), "{reference:?} in {css:?}");
                let span = reference.offset..reference.offset + reference.len;
                let Some(text) = css.get(span) else {
                    panic!("{reference:?} is not a span of {css:?}");
                };
                (reference.url, reference.usage, text)
            })
            .collect()
    }

    fn sheet(css: &str) -> Vec<(String, Use, &str)> {
        refs(css, Kind::Stylesheet)
    }

    fn one(url: &str, usage: Use, text: &str) -> Vec<(String, Use, String)> {
        vec![(url.to_owned(), usage, text.to_owned())]
    }

    fn owned(found: Vec<(String, Use, &str)>) -> Vec<(String, Use, String)> {
        found
            .into_iter()
            .map(|(url, usage, text)| (url, usage, text.to_owned()))
            .collect()
    }

    #[test]
    fn google_fonts_import_with_url() {
        let css = r#"@import url("https://fonts.googleapis.com/css2?family=Inter");"#;
        assert_eq!(
            owned(sheet(css)),
            one(
                "https://fonts.googleapis.com/css2?family=Inter",
                Use::Import,
                r#"url("https://fonts.googleapis.com/css2?family=Inter")"#
            )
        );
    }

    #[test]
    fn import_with_a_string_and_conditions() {
        let css = "@import 'https://fonts.googleapis.com/css2' layer(x) supports(display: grid) screen;\n\
                   @IMPORT url(a.css); @\\69mport \"b.css\";";
        assert_eq!(
            sheet(css),
            vec![
                (
                    "https://fonts.googleapis.com/css2".to_owned(),
                    Use::Import,
                    "'https://fonts.googleapis.com/css2'"
                ),
                ("a.css".to_owned(), Use::Import, "url(a.css)"),
                ("b.css".to_owned(), Use::Import, "\"b.css\""),
            ]
        );
    }

    #[test]
    fn import_inside_a_block_still_counts() {
        let css = "@media print { @import url(//cdn.example/p.css); }";
        assert_eq!(
            owned(sheet(css)),
            one(
                "//cdn.example/p.css",
                Use::Import,
                "url(//cdn.example/p.css)"
            )
        );
    }

    #[test]
    fn font_face_src_but_not_local_or_format() {
        let css = r#"@font-face {
            font-family: "Inter";
            src: url(https://fonts.gstatic.com/x.woff2) format("woff2"), local(Inter), local("Inter Regular");
        }
        p { font-family: "Inter"; }"#;
        assert_eq!(
            owned(sheet(css)),
            one(
                "https://fonts.gstatic.com/x.woff2",
                Use::FontFace,
                "url(https://fonts.gstatic.com/x.woff2)"
            )
        );
    }

    #[test]
    fn font_face_nested_in_media_and_quoted() {
        let css = "@media screen { @FONT-FACE { src: url( 'f.woff2' ) } a { b: url(c) } }";
        assert_eq!(
            sheet(css),
            vec![
                ("f.woff2".to_owned(), Use::FontFace, "url( 'f.woff2' )"),
                ("c".to_owned(), Use::Url, "url(c)"),
            ]
        );
    }

    #[test]
    fn background_unquoted_quoted_and_upper_case() {
        let css = "a { background: url(a.png) } b { background: url(\"b.png\") }\n\
                   c { background: URL('c.png') } d { background: Url(  d.png  ) }";
        assert_eq!(
            sheet(css),
            vec![
                ("a.png".to_owned(), Use::Url, "url(a.png)"),
                ("b.png".to_owned(), Use::Url, "url(\"b.png\")"),
                ("c.png".to_owned(), Use::Url, "URL('c.png')"),
                ("d.png".to_owned(), Use::Url, "Url(  d.png  )"),
            ]
        );
    }

    #[test]
    fn escapes_in_the_function_name_and_the_url() {
        let css = r#"a { background: \75 rl(//cdn.example/x.png) }
            b { background: u\72l("//cdn.example/y.png") }
            c { background: url(//cdn.example/a\ b\29.png) }
            d { background: url("https://\63 dn.example/z.png") }"#;
        assert_eq!(
            sheet(css),
            vec![
                (
                    "//cdn.example/x.png".to_owned(),
                    Use::Url,
                    r"\75 rl(//cdn.example/x.png)"
                ),
                (
                    "//cdn.example/y.png".to_owned(),
                    Use::Url,
                    r#"u\72l("//cdn.example/y.png")"#
                ),
                (
                    "//cdn.example/a b).png".to_owned(),
                    Use::Url,
                    r"url(//cdn.example/a\ b\29.png)"
                ),
                (
                    "https://cdn.example/z.png".to_owned(),
                    Use::Url,
                    r#"url("https://\63 dn.example/z.png")"#
                ),
            ]
        );
    }

    #[test]
    fn comments_around_a_quoted_url() {
        // After the string, comments are ordinary: `url(` with a quote is a
        // function whose arguments are tokens.
        let css = r#"a { background: /*x*/url( "//cdn.example/a.png" /*y*/ ) }"#;
        assert_eq!(
            owned(sheet(css)),
            one(
                "//cdn.example/a.png",
                Use::Url,
                r#"url( "//cdn.example/a.png" /*y*/ )"#
            )
        );
    }

    #[test]
    fn comment_before_the_string_is_a_bad_url_but_still_reported() {
        // The tokenizer (like a browser) sees no quote right after `url(`, so
        // it reads an unquoted URL, meets the `"` and gives a bad-url token.
        let css = r#"a { background: url(/*x*/"//cdn.example/a.png") }"#;
        assert_eq!(
            owned(sheet(css)),
            one(
                "//cdn.example/a.png",
                Use::Url,
                r#"url(/*x*/"//cdn.example/a.png")"#
            )
        );
    }

    #[test]
    fn comment_inside_an_unquoted_url_is_part_of_it() {
        let css = "a { background: url(/*x*/a.png) }";
        assert_eq!(
            owned(sheet(css)),
            one("/*x*/a.png", Use::Url, "url(/*x*/a.png)")
        );
    }

    #[test]
    fn bad_urls_report_what_they_meant() {
        let css = "a { b: url(https://evil.example/a b.png) }\n\
                   c { d: url(https://evil.example/\\65 (x)) }";
        assert_eq!(
            sheet(css),
            vec![
                (
                    "https://evil.example/a".to_owned(),
                    Use::Url,
                    "url(https://evil.example/a b.png)"
                ),
                (
                    "https://evil.example/e".to_owned(),
                    Use::Url,
                    "url(https://evil.example/\\65 (x)"
                ),
            ]
        );
    }

    #[test]
    fn unterminated_urls_and_strings() {
        assert_eq!(
            owned(sheet("a { b: url(//x.example/a")),
            one("//x.example/a", Use::Url, "url(//x.example/a")
        );
        assert_eq!(
            owned(sheet("a { b: url(\"//x.example/a")),
            one("//x.example/a", Use::Url, "url(\"//x.example/a")
        );
        // A newline ends a string as a bad string; the rest is other tokens.
        assert_eq!(
            owned(sheet("a { b: url(\"//x.example/a\n) }")),
            one("//x.example/a", Use::Url, "url(\"//x.example/a\n)")
        );
        assert_eq!(
            owned(sheet("@import \"//x.example/i.css\n;")),
            one("//x.example/i.css", Use::Import, "\"//x.example/i.css")
        );
    }

    #[test]
    fn empty_urls_are_not_loaded() {
        assert_eq!(
            sheet("a { b: url(); c: url( ); d: url(''); e: url(\"\") } @import '';"),
            vec![]
        );
    }

    #[test]
    fn nested_media_supports_layer_and_container() {
        let css = "@layer base { @media (min-width: 1px) { @supports (display: grid) {\n\
                   @container x (width > 1px) { a { background: url(deep.png) } } } } }";
        assert_eq!(
            owned(sheet(css)),
            one("deep.png", Use::Url, "url(deep.png)")
        );
    }

    #[test]
    fn urls_in_any_block_and_function() {
        let css = "a { mask: linear-gradient(red, blue), url(m.svg#x); \
                   cursor: url(c.cur) 2 2, auto; b: [url(x)]; c: (url(y)); }";
        let urls: Vec<String> = sheet(css).into_iter().map(|(url, ..)| url).collect();
        assert_eq!(urls, ["m.svg#x", "c.cur", "x", "y"]);
    }

    #[test]
    fn custom_property() {
        let css = ":root { --hero: url(https://cdn.example/hero.jpg); --font: \"Inter\" }";
        assert_eq!(
            owned(sheet(css)),
            one(
                "https://cdn.example/hero.jpg",
                Use::Url,
                "url(https://cdn.example/hero.jpg)"
            )
        );
    }

    #[test]
    fn image_set_strings() {
        let css = r#"a { background-image: image-set("a.png" 1x, url(b.png) 2x, "c.avif" type("image/avif"));
                      b: -WEBKIT-image-set('d.png' 1x); c: image("e.png", red); content: "not a url" }"#;
        assert_eq!(
            sheet(css),
            vec![
                ("a.png".to_owned(), Use::Url, "\"a.png\""),
                ("b.png".to_owned(), Use::Url, "url(b.png)"),
                ("c.avif".to_owned(), Use::Url, "\"c.avif\""),
                ("d.png".to_owned(), Use::Url, "'d.png'"),
                ("e.png".to_owned(), Use::Url, "\"e.png\""),
            ]
        );
    }

    #[test]
    fn src_function() {
        let css = "a { background: src(\"s.png\") }";
        assert_eq!(owned(sheet(css)), one("s.png", Use::Url, "src(\"s.png\")"));
    }

    #[test]
    fn namespace_is_skipped() {
        let css = "@namespace svg url(http://www.w3.org/2000/svg);\n\
                   @namespace url(\"http://www.w3.org/1999/xhtml\");\n\
                   @namespace 'http://example.org/ns';\n\
                   svg|a { background: url(after.png) }";
        assert_eq!(
            owned(sheet(css)),
            one("after.png", Use::Url, "url(after.png)")
        );
    }

    #[test]
    fn data_urls_are_returned() {
        let css = "a { background: url(data:image/gif;base64,R0lGOD) }";
        assert_eq!(
            owned(sheet(css)),
            one(
                "data:image/gif;base64,R0lGOD",
                Use::Url,
                "url(data:image/gif;base64,R0lGOD)"
            )
        );
    }

    #[test]
    fn style_attribute_declarations() {
        let css = "color: red; background: url(//evil.example/p.gif)";
        assert_eq!(
            owned(refs(css, Kind::Declarations)),
            one(
                "//evil.example/p.gif",
                Use::Url,
                "url(//evil.example/p.gif)"
            )
        );
        // At-rules mean nothing in a style attribute.
        assert_eq!(refs("@import 'x.css'", Kind::Declarations), vec![]);
    }

    #[test]
    fn byte_offsets_after_non_ascii_text() {
        let css = "/* Grüße aus Köln */\n\
                   h1::before { content: \"ä → ö\"; }\n\
                   .größe {\n  background: url(\"https://cdn.example/ü.png\") no-repeat;\n}\n\
                   @import '//fonts.example/ß.css';";
        let found = references(css, Kind::Stylesheet);
        let texts: Vec<&str> = found
            .iter()
            .map(|r| &css[r.offset..r.offset + r.len])
            .collect();
        assert_eq!(
            texts,
            [
                "url(\"https://cdn.example/ü.png\")",
                "'//fonts.example/ß.css'"
            ]
        );
        assert_eq!(found[0].offset, css.find("url(").unwrap_or_default());
        assert_eq!(found[0].url, "https://cdn.example/ü.png");
        assert_eq!(found[1].url, "//fonts.example/ß.css");
    }

    const COMPLEX: &str = r#"@charset "utf-8";
@import url("https://fonts.googleapis.com/css2?family=Inter") layer(fonts);
@namespace svg url(http://www.w3.org/2000/svg);
/* Überschrift */
@font-face { font-family: "Inter"; src: url(https://fonts.gstatic.com/x.woff2) format("woff2"), local(Inter); }
:root { --bg: url('//cdn.example/bg.jpg'); }
@media (min-width: 40em) { @supports (display: grid) { .a { background: \75 rl(//cdn.example/x.png), image-set("y.png" 1x, 'z.png' 2x); } } }
.b::after { content: "ä\"\
"; background: u\72l("//cdn.example/\61 .png") }
.c { background: url(/*x*/"//cdn.example/c.png") url(a b) url( d ) }
"#;

    #[test]
    fn complex_stylesheet() {
        let urls: Vec<(String, Use)> = references(COMPLEX, Kind::Stylesheet)
            .into_iter()
            .map(|r| (r.url, r.usage))
            .collect();
        let expected = [
            (
                "https://fonts.googleapis.com/css2?family=Inter",
                Use::Import,
            ),
            ("https://fonts.gstatic.com/x.woff2", Use::FontFace),
            ("//cdn.example/bg.jpg", Use::Url),
            ("//cdn.example/x.png", Use::Url),
            ("y.png", Use::Url),
            ("z.png", Use::Url),
            ("//cdn.example/a.png", Use::Url),
            ("//cdn.example/c.png", Use::Url),
            ("a", Use::Url),
            ("d", Use::Url),
        ];
        let expected: Vec<(String, Use)> = expected
            .iter()
            .map(|&(url, usage)| (url.to_owned(), usage))
            .collect();
        assert_eq!(urls, expected);
    }

    #[test]
    fn truncated_prefixes_never_panic() {
        for (end, _) in COMPLEX.char_indices() {
            refs(&COMPLEX[..end], Kind::Stylesheet);
            refs(&COMPLEX[end..], Kind::Stylesheet);
            refs(&COMPLEX[..end], Kind::Declarations);
        }
    }

    #[test]
    fn random_garbage_never_panics() {
        const PIECES: &[&str] = &[
            "url(",
            "URL(",
            "\\75 rl(",
            "u\\72l(",
            "src(",
            "image-set(",
            "local(",
            "\"",
            "'",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "\\",
            "\\\n",
            "/*",
            "*/",
            "@import",
            "@font-face",
            "@namespace",
            "@media",
            ";",
            ":",
            ",",
            " ",
            "\n",
            "\r\n",
            "\t",
            "ü",
            "→",
            "a",
            "//x.example/",
            "--v",
            "#",
            "\0",
            "\u{1}",
            "<!--",
            "-->",
            "1x",
            "\\29",
            "\\\"",
        ];
        // xorshift: deterministic, no dependency.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let pieces = 1 + next() % 60;
            let css: String = (0..pieces)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            refs(&css, Kind::Stylesheet);
            refs(&css, Kind::Declarations);
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        for (open, close) in [("(", ")"), ("{", "}"), ("[", "]"), ("a(", ")")] {
            let css = format!(
                "{}url(deep.png){}",
                open.repeat(100_000),
                close.repeat(100_000)
            );
            assert_eq!(
                owned(sheet(&css)),
                one("deep.png", Use::Url, "url(deep.png)")
            );
        }
    }

    #[test]
    fn computed_urls_are_unsure() {
        for css in [
            "a { background: image-set(var(--x) 1x) }",
            "a { background: -webkit-image-set(attr(data-x) 1x) }",
            "a { background: src(var(--u)) }",
            "a { background: image(VAR(--u)) }",
        ] {
            let (_, unsure) = references_checked(css, Kind::Stylesheet);
            assert_eq!(unsure.len(), 1, "{css}");
        }
        let (_, unsure) = references_checked(
            "a { color: var(--c); width: calc(var(--w) * 2) }",
            Kind::Stylesheet,
        );
        assert!(unsure.is_empty());
    }

    #[test]
    fn unmatched_closers_are_ignored() {
        let css = "a { b: ( } url(x) ) } ) ] c { d: url(y) }";
        let urls: Vec<String> = sheet(css).into_iter().map(|(url, ..)| url).collect();
        assert_eq!(urls, ["x", "y"]);
    }
}

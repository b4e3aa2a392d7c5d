//! The CSS oracle: a plain recursive walk over cssparser's tokens (the
//! audit walks a flat token stream with a stack of its own), judging every
//! URL in a position where a browser loads it: `url(…)` in either
//! spelling, `src("…")`, the strings of `image-set()`, `image()` and
//! `@import`. `@namespace` names a URL without loading it.

use cssparser::{ParseError, Parser, ParserInput, Token};
use url::Url;

use crate::Problems;

/// A whole stylesheet, or the declarations of a `style` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Stylesheet,
    Declarations,
}

/// Nesting deeper than this is not followed (the walk recurses).
const MAX_NESTING: usize = 200;

/// How the tokens of a block are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Plain,
    /// Inside `url(` or `src(`: its strings are URLs.
    Url,
    /// Inside `image-set(`, `-webkit-image-set(`, `image(`: strings are
    /// image URLs.
    Images,
}

struct Walk<'b> {
    kind: Kind,
    base: &'b Url,
    depth: usize,
    out: &'b mut Problems,
}

/// Checks the CSS `text`; `depth` counts documents inside documents.
pub fn check(text: &str, kind: Kind, base: &Url, depth: usize, out: &mut Problems) {
    let mut input = ParserInput::new(text);
    let mut parser = Parser::new(&mut input);
    let mut walk = Walk {
        kind,
        base,
        depth,
        out,
    };
    walk.block(&mut parser, Block::Plain, 0);
}

impl Walk<'_> {
    fn url(&mut self, what: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        crate::resource(self.base, what, value, self.out);
    }

    fn block(&mut self, parser: &mut Parser<'_, '_>, block: Block, nesting: usize) {
        // After `@import`: its URL is next. After `@namespace`: nothing in
        // the prelude loads.
        let mut import = false;
        let mut namespace = false;
        // Whether a token came before: only the first one of `url("…")`
        // is its URL (`url("a" "b")` is invalid and loads nothing).
        let mut seen = false;
        loop {
            let token = match parser.next_including_whitespace_and_comments() {
                Ok(token) => token.clone(),
                Err(_) => return,
            };
            match &token {
                Token::WhiteSpace(_) | Token::Comment(_) => continue,
                Token::AtKeyword(name) if self.kind == Kind::Stylesheet => {
                    import = name.eq_ignore_ascii_case("import");
                    namespace = name.eq_ignore_ascii_case("namespace");
                    continue;
                }
                Token::UnquotedUrl(url) if !namespace => {
                    let what = if import { "CSS @import" } else { "CSS url()" };
                    self.url(what, url);
                    if import {
                        crate::inner_document(self.base, "@import", url, self.depth, self.out);
                    }
                }
                Token::QuotedString(string) if !namespace => {
                    if import {
                        self.url("CSS @import", string);
                        crate::inner_document(self.base, "@import", string, self.depth, self.out);
                    } else if block == Block::Images || (block == Block::Url && !seen) {
                        self.url("a CSS URL string", string);
                    }
                }
                Token::Function(name) => {
                    let inner = if namespace {
                        Block::Plain
                    } else if name.eq_ignore_ascii_case("url") || name.eq_ignore_ascii_case("src") {
                        Block::Url
                    } else if ["image-set", "-webkit-image-set", "image"]
                        .iter()
                        .any(|n| name.eq_ignore_ascii_case(n))
                    {
                        Block::Images
                    } else {
                        Block::Plain
                    };
                    let in_import = import && inner == Block::Url;
                    self.nested(parser, inner, nesting, namespace, in_import);
                }
                Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                    self.nested(parser, Block::Plain, nesting, namespace, false);
                }
                _ => {}
            }
            // Whatever followed `@import` was its URL; `;` and a block end
            // an at-rule's prelude.
            import = false;
            seen = true;
            if matches!(token, Token::Semicolon | Token::CurlyBracketBlock) {
                namespace = false;
            }
        }
    }

    fn nested(
        &mut self,
        parser: &mut Parser<'_, '_>,
        block: Block,
        nesting: usize,
        inert: bool,
        import: bool,
    ) {
        if nesting >= MAX_NESTING {
            return;
        }
        let _ = parser.parse_nested_block(|inner| {
            if inert {
                // Consume without judging: `@namespace url("…")`.
                while inner.next_including_whitespace_and_comments().is_ok() {}
            } else if import {
                // `@import url("…")`: the string is an imported stylesheet.
                if let Ok(Token::QuotedString(s)) = inner.next().cloned() {
                    self.url("CSS @import", &s);
                    crate::inner_document(self.base, "@import", &s, self.depth, self.out);
                }
            } else {
                self.block(inner, block, nesting + 1);
            }
            Ok::<(), ParseError<'_, ()>>(())
        });
    }
}

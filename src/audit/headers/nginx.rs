//! Reading nginx configuration the way nginx does, enough to merge a site's
//! snippet with echt's headers and to see where it sends readers.
//!
//! The rules follow nginx's own reader (`ngx_conf_read_token`): a directive
//! is words up to `;`, or up to `{` and then a block closed by `}`; words
//! are split by whitespace; `"` or `'` at the start of a word quote it
//! (with `\"`, `\'`, `\\`, `\t`, `\r`, `\n` as escapes, in any word); `#`
//! at the start of a word comments out the rest of the line, while `#`,
//! quotes and `}` inside a word are part of it, and so is `{` right after
//! `$` (`${name}`). No regular expressions guess at any of it.

use std::ops::Range;

/// One word of a directive, unescaped, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Bytes of the source, quotes included.
    pub span: Range<usize>,
}

/// A directive: its name and arguments, and its block if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: Word,
    pub args: Vec<Word>,
    /// From the name to the `;` or the closing `}`, inclusive.
    pub span: Range<usize>,
    pub block: Option<Block>,
}

/// The directives between `{` and `}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The offset of the `{`.
    pub open: usize,
    pub directives: Vec<Directive>,
}

/// Why the text is not nginx configuration, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(Word),
    /// `;`, `{` or `}`, at the offset.
    Punct(u8, usize),
}

/// Splits `text` into words and punctuation, skipping comments.
fn tokens(text: &str) -> Result<Vec<Token>, SyntaxError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b';' | b'{' | b'}' => {
                out.push(Token::Punct(c, i));
                i += 1;
            }
            b'"' | b'\'' => {
                let start = i;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => {
                            return Err(SyntaxError {
                                offset: start,
                                message: "this quoted string is never closed".into(),
                            })
                        }
                        Some(b'\\') => i += 2,
                        Some(&q) if q == c => break,
                        Some(_) => i += 1,
                    }
                }
                let end = i + 1;
                // nginx wants a space, `;`, `{` or `)` after a closing quote.
                if let Some(&next) = bytes.get(end) {
                    if !matches!(next, b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b')') {
                        return Err(SyntaxError {
                            offset: end,
                            message: format!(
                                "unexpected `{}` right after a quoted string",
                                char::from(next)
                            ),
                        });
                    }
                }
                out.push(Token::Word(Word {
                    text: unescape(&text[start + 1..i]),
                    span: start..end,
                }));
                i = end;
            }
            _ => {
                let start = i;
                let mut variable = false;
                while i < bytes.len() {
                    let b = bytes[i];
                    if b == b'{' && variable {
                        i += 1;
                        continue;
                    }
                    variable = false;
                    match b {
                        b'\\' => i += 2,
                        b'$' => {
                            variable = true;
                            i += 1;
                        }
                        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' => break,
                        _ => i += 1,
                    }
                }
                let end = i.min(bytes.len());
                out.push(Token::Word(Word {
                    text: unescape(&text[start..end]),
                    span: start..end,
                }));
                i = end;
            }
        }
    }
    Ok(out)
}

/// nginx's escapes, in quoted and plain words alike; any other `\x` stays.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some(&q @ ('"' | '\'' | '\\')) => {
                out.push(q);
                chars.next();
            }
            Some('t') => {
                out.push('\t');
                chars.next();
            }
            Some('r') => {
                out.push('\r');
                chars.next();
            }
            Some('n') => {
                out.push('\n');
                chars.next();
            }
            _ => out.push('\\'),
        }
    }
    out
}

/// Parses a snippet meant to be included in a `server` block.
pub fn parse(text: &str) -> Result<Vec<Directive>, SyntaxError> {
    let tokens = tokens(text)?;
    let mut at = 0;
    let directives = parse_block(&tokens, &mut at, None)?;
    Ok(directives)
}

/// Directives up to the `}` that closes the block opened at `open` (or to
/// the end of the text, at the top).
fn parse_block(
    tokens: &[Token],
    at: &mut usize,
    open: Option<usize>,
) -> Result<Vec<Directive>, SyntaxError> {
    let mut directives = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    while let Some(token) = tokens.get(*at) {
        *at += 1;
        match token {
            Token::Word(word) => words.push(word.clone()),
            Token::Punct(b';', offset) => {
                let Some((name, args)) = split(std::mem::take(&mut words)) else {
                    return Err(SyntaxError {
                        offset: *offset,
                        message: "unexpected `;`".into(),
                    });
                };
                directives.push(Directive {
                    span: name.span.start..offset + 1,
                    name,
                    args,
                    block: None,
                });
            }
            Token::Punct(b'{', offset) => {
                let Some((name, args)) = split(std::mem::take(&mut words)) else {
                    return Err(SyntaxError {
                        offset: *offset,
                        message: "unexpected `{`: a block needs a directive name".into(),
                    });
                };
                let inner = parse_block(tokens, at, Some(*offset))?;
                let close = match tokens.get(*at - 1) {
                    Some(Token::Punct(b'}', close)) => *close,
                    _ => *offset,
                };
                directives.push(Directive {
                    span: name.span.start..close + 1,
                    name,
                    args,
                    block: Some(Block {
                        open: *offset,
                        directives: inner,
                    }),
                });
            }
            Token::Punct(_, offset) => {
                if let Some(word) = words.first() {
                    return Err(SyntaxError {
                        offset: word.span.start,
                        message: format!("`{}` is not ended with `;`", word.text),
                    });
                }
                if open.is_none() {
                    return Err(SyntaxError {
                        offset: *offset,
                        message: "unexpected `}`: no block is open here".into(),
                    });
                }
                return Ok(directives);
            }
        }
    }
    if let Some(word) = words.first() {
        return Err(SyntaxError {
            offset: word.span.start,
            message: format!("`{}` is not ended with `;`", word.text),
        });
    }
    if let Some(open) = open {
        return Err(SyntaxError {
            offset: open,
            message: "this block is never closed with `}`".into(),
        });
    }
    Ok(directives)
}

fn split(mut words: Vec<Word>) -> Option<(Word, Vec<Word>)> {
    if words.is_empty() {
        return None;
    }
    let name = words.remove(0);
    Some((name, words))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(directives: &[Directive]) -> Vec<String> {
        directives.iter().map(|d| d.name.text.clone()).collect()
    }

    #[test]
    fn directives_blocks_quotes_and_comments() {
        let text = "# a comment; with { braces }\nadd_header X-A \"a; b { c } # d\" always;\nlocation ~ ^/a#b/(.*)$ {\n  add_header 'X-B' 'it\\'s';\n  if ($x) { return 301 https://e.org/${x}/; }\n}\nroot /srv/a\\ b;";
        let parsed = parse(text).unwrap();
        assert_eq!(names(&parsed), ["add_header", "location", "root"]);
        assert_eq!(parsed[0].args[1].text, "a; b { c } # d");
        assert_eq!(parsed[0].args[2].text, "always");
        assert_eq!(parsed[1].args[1].text, "^/a#b/(.*)$");
        let block = parsed[1].block.as_ref().unwrap();
        assert_eq!(&text[block.open..=block.open], "{");
        assert_eq!(names(&block.directives), ["add_header", "if"]);
        assert_eq!(block.directives[0].args[1].text, "it's");
        assert_eq!(&text[block.directives[0].args[0].span.clone()], "'X-B'");
        let inner = block.directives[1].block.as_ref().unwrap();
        assert_eq!(inner.directives[0].args[1].text, "https://e.org/${x}/");
        // Only quotes, backslashes, t, r and n are escapes; `\ ` stays.
        assert_eq!(parsed[2].args[0].text, "/srv/a\\ b");
        assert!(text[parsed[1].span.clone()].ends_with("; }\n}"));
    }

    #[test]
    fn broken_snippets_say_where() {
        for (text, at, message) in [
            ("add_header X \"y;\n", 13, "never closed"),
            ("location / {\n  root /a;\n", 11, "never closed with `}`"),
            ("root /a;\n}\n", 9, "unexpected `}`"),
            ("root /a\n}", 0, "not ended with `;`"),
            ("{ root /a; }", 0, "needs a directive name"),
            ("return 301 \"a\"b;", 14, "right after a quoted string"),
        ] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.offset, at, "{text}: {err:?}");
            assert!(err.message.contains(message), "{text}: {err:?}");
        }
    }
}

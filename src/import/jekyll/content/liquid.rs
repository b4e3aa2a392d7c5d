//! Liquid, which Jekyll runs over the whole text (code included) before
//! Markdown and echt does not run at all: the tags and variables with an
//! echt equivalent are replaced by it, everything else stays as written
//! and is noted for review.

use std::cell::RefCell;

use super::embeds;
use super::mapped::Out;
use super::words::{What, Words};
use super::{Markup, NoteKind, RawNote, Site};
use crate::util::escape;

/// How deep includes may include each other.
const MAX_DEPTH: usize = 4;

/// One Liquid tag (`{% … %}`) or output (`{{ … }}`) in the input.
#[derive(Debug, Clone, Copy)]
struct Token<'t> {
    start: usize,
    end: usize,
    output: bool,
    name: &'t str,
    markup: &'t str,
    /// `{%-`: the whitespace before is removed.
    lstrip: bool,
    /// `-%}`: the whitespace after is removed.
    rstrip: bool,
}

impl Token<'_> {
    fn text<'i>(&self, input: &'i str) -> &'i str {
        &input[self.start..self.end]
    }

    /// Where the input goes on after the token: past the whitespace after
    /// it (up to `limit`) when it says `-%}`.
    fn next(&self, input: &str, limit: usize) -> usize {
        if self.rstrip {
            skip_space(input, self.end, limit)
        } else {
            self.end
        }
    }
}

/// The Liquid step for one text.
pub(super) struct Liquid<'a> {
    pub(super) site: &'a dyn Site,
    pub(super) markup: Markup,
    pub(super) words: Words,
    /// Parameters of the include being converted (`include.KEY`).
    params: Vec<(String, String)>,
    depth: usize,
    misses: Misses,
}

impl std::fmt::Debug for Liquid<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Liquid")
            .field("depth", &self.depth)
            .finish()
    }
}

/// Converts the Liquid of `input`.
pub(super) fn run(
    input: &str,
    markup: Markup,
    words: Words,
    site: &dyn Site,
) -> (Out, Vec<RawNote>) {
    let liquid = Liquid {
        site,
        markup,
        words,
        params: Vec::new(),
        depth: 0,
        misses: Misses::default(),
    };
    let mut out = Out::default();
    let mut notes = Vec::new();
    liquid.convert(input, 0..input.len(), &mut out, &mut notes);
    (out, notes)
}

/// The next `{%` or `{{` at or after `from`, before `limit`.
fn next_open(input: &str, from: usize, limit: usize) -> Option<usize> {
    let bytes = input.as_bytes();
    let mut i = from;
    while i + 1 < limit {
        if bytes[i] == b'{' && matches!(bytes[i + 1], b'%' | b'{') {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The token starting at `at` (which holds `{%` or `{{`); None when it is
/// never closed before `limit`.
fn token(input: &str, at: usize, limit: usize) -> Option<Token<'_>> {
    let output = input.as_bytes().get(at + 1) == Some(&b'{');
    let close = if output { "}}" } else { "%}" };
    let rel = input.get(at + 2..limit)?.find(close)?;
    let end = at + 2 + rel + 2;
    let mut inner = &input[at + 2..at + 2 + rel];
    let lstrip = inner.starts_with('-');
    if lstrip {
        inner = &inner[1..];
    }
    let rstrip = inner.ends_with('-');
    if rstrip {
        inner = &inner[..inner.len() - 1];
    }
    let inner = inner.trim();
    let (name, markup) = if output {
        ("", inner)
    } else {
        let n = inner
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        (&inner[..n], inner[n..].trim())
    };
    Some(Token {
        start: at,
        end,
        output,
        name,
        markup,
        lstrip,
        rstrip,
    })
}

/// Searches for end tags that found nothing: a later search for the same
/// tag, from further on and within the same limit, finds nothing either
/// (so many unclosed tags cost one pass over the text, not one each).
#[derive(Debug, Default)]
struct Misses(RefCell<Vec<(&'static str, usize, usize)>>);

impl Misses {
    fn known(&self, name: &str, from: usize, limit: usize) -> bool {
        self.0
            .borrow()
            .iter()
            .any(|&(n, f, l)| n == name && l == limit && f <= from)
    }

    fn record(&self, name: &'static str, from: usize, limit: usize) {
        self.0.borrow_mut().push((name, from, limit));
    }
}

/// The first tag named `name` after `from` (for `raw`, whose text is not
/// read as Liquid).
fn find_tag<'i>(
    input: &'i str,
    from: usize,
    limit: usize,
    name: &'static str,
    misses: &Misses,
) -> Option<Token<'i>> {
    if misses.known(name, from, limit) {
        return None;
    }
    let mut i = from;
    while let Some(at) = next_open(input, i, limit) {
        match token(input, at, limit) {
            Some(t) if !t.output && t.name == name => return Some(t),
            _ => i = at + 2,
        }
    }
    misses.record(name, from, limit);
    None
}

/// The tag `end` closing a block opened before `from`, skipping `raw`
/// blocks (whose text may show the end tag).
fn find_end<'i>(
    input: &'i str,
    from: usize,
    limit: usize,
    end: &'static str,
    misses: &Misses,
) -> Option<Token<'i>> {
    if misses.known(end, from, limit) {
        return None;
    }
    let mut i = from;
    while let Some(at) = next_open(input, i, limit) {
        match token(input, at, limit) {
            Some(t) if !t.output && t.name == end => return Some(t),
            Some(t) if !t.output && t.name == "raw" => {
                i = find_tag(input, t.end, limit, "endraw", misses).map_or(t.end, |e| e.end);
            }
            Some(t) => i = t.end,
            None => i = at + 2,
        }
    }
    misses.record(end, from, limit);
    None
}

/// The markup of `{% highlight LANG options %}`.
struct Highlight<'m> {
    /// Lowercase; empty when the tag names none Jekyll accepts.
    lang: String,
    valid: bool,
    linenos: bool,
    /// Options echt has no use for (`hl_lines="1 2"`, …).
    dropped: Vec<&'m str>,
}

impl<'m> Highlight<'m> {
    fn parse(markup: &'m str) -> Self {
        let mut words = markup.split_whitespace();
        let lang = words.next().unwrap_or("");
        let valid = !lang.is_empty()
            && lang
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".+#_-".contains(c));
        let (linenos, dropped): (Vec<&str>, Vec<&str>) =
            words.partition(|w| *w == "linenos" || w.starts_with("linenos="));
        Self {
            lang: if valid {
                lang.to_ascii_lowercase()
            } else {
                String::new()
            },
            valid,
            linenos: !linenos.is_empty(),
            dropped,
        }
    }
}

/// After a block's end tag: its whitespace control, and a line break when
/// text follows on the same line (the block has its lines to itself).
fn after_block(input: &str, end: Token<'_>, limit: usize, out: &mut Out) -> usize {
    let next = end.next(input, limit);
    let rest = &input[next..limit];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if matches!(rest.as_bytes().get(spaces), None | Some(b'\n' | b'\r')) {
        return next;
    }
    out.insert("\n", end.start);
    next + spaces
}

/// Writes `text` for a token, with the token's whitespace control;
/// returns where the input goes on.
fn replace(input: &str, tok: Token<'_>, limit: usize, out: &mut Out, text: &str) -> usize {
    if tok.lstrip {
        out.trim_end();
    }
    out.insert(text, tok.start);
    tok.next(input, limit)
}

/// Past the whitespace after `at` (for `-%}`).
fn skip_space(input: &str, at: usize, limit: usize) -> usize {
    at + input[at..limit].len() - input[at..limit].trim_start().len()
}

impl Liquid<'_> {
    fn convert(
        &self,
        input: &str,
        range: std::ops::Range<usize>,
        out: &mut Out,
        notes: &mut Vec<RawNote>,
    ) {
        let mut i = range.start;
        let mut copied = range.start;
        // From where on `}}` and `%}` are known not to follow.
        let mut unclosed = [usize::MAX; 2];
        while let Some(at) = next_open(input, i, range.end) {
            let kind = usize::from(input.as_bytes()[at + 1] == b'{');
            let tok = if at >= unclosed[kind] {
                None
            } else {
                token(input, at, range.end)
            };
            let Some(tok) = tok else {
                unclosed[kind] = unclosed[kind].min(at);
                let what = if kind == 1 { "{{" } else { "{%" };
                notes.push(RawNote::review(
                    at,
                    format!("`{what}` without its end: kept as text (echt runs no Liquid)"),
                ));
                i = at + 2;
                continue;
            };
            out.copy(input, copied..at);
            let next = self.token(input, tok, range.end, out, notes);
            copied = next;
            i = next;
        }
        out.copy(input, copied..range.end);
    }

    /// Converts one token; returns where the input goes on.
    fn token(
        &self,
        input: &str,
        tok: Token<'_>,
        limit: usize,
        out: &mut Out,
        notes: &mut Vec<RawNote>,
    ) -> usize {
        if tok.output {
            let Some(text) = self.output(input, tok, out) else {
                let why = "Liquid output kept as text: echt runs no Liquid";
                return self.keep(input, tok, out, notes, why);
            };
            let message = if text.is_empty() {
                format!(
                    "`{}` removed: echt adds the site's address itself",
                    tok.text(input)
                )
            } else {
                format!("`{}` became `{text}`", tok.text(input))
            };
            notes.push(RawNote::changed(tok.start, message));
            return replace(input, tok, limit, out, &text);
        }
        match tok.name {
            "raw" => self.raw(input, tok, limit, out, notes),
            "comment" => self.comment(input, tok, limit, out, notes),
            "highlight" => self.highlight(input, tok, limit, out, notes),
            "post_url" | "link" => self.link(input, tok, out, notes),
            "include" => self.include(input, tok, out, notes),
            "gist" | "youtube" | "vimeo" | "tweet" | "twitter" => {
                let Some((url, text, provider)) = plugin(tok, self.words) else {
                    let why = "plugin tag without a usable argument kept as text";
                    return self.keep(input, tok, out, notes, why);
                };
                notes.push(RawNote::changed(
                    tok.start,
                    format!("`{}` ({provider}) became a link to {url}", tok.text(input)),
                ));
                replace(input, tok, limit, out, &embeds::link_html(&url, &text))
            }
            _ => {
                let why = "Liquid tag kept as text: echt runs no Liquid; rewrite or remove it";
                self.keep(input, tok, out, notes, why)
            }
        }
    }

    fn keep(
        &self,
        input: &str,
        tok: Token<'_>,
        out: &mut Out,
        notes: &mut Vec<RawNote>,
        why: &str,
    ) -> usize {
        notes.push(RawNote::review(
            tok.start,
            format!("`{}`: {why}", tok.text(input)),
        ));
        out.copy(input, tok.start..tok.end);
        tok.end
    }

    fn raw(
        &self,
        input: &str,
        tok: Token<'_>,
        limit: usize,
        out: &mut Out,
        notes: &mut Vec<RawNote>,
    ) -> usize {
        let Some(end) = find_tag(input, tok.end, limit, "endraw", &self.misses) else {
            return self.keep(input, tok, out, notes, "no `{% endraw %}` follows");
        };
        if tok.lstrip {
            out.trim_end();
        }
        notes.push(RawNote::changed(
            tok.start,
            "`{% raw %}` … `{% endraw %}` removed, the text between kept as written".to_string(),
        ));
        out.copy(input, tok.end..end.start);
        end.next(input, limit)
    }

    /// A Liquid comment was never published; as an HTML comment it is in
    /// the page's source, which the author should know (hence Review).
    fn comment(
        &self,
        input: &str,
        tok: Token<'_>,
        limit: usize,
        out: &mut Out,
        notes: &mut Vec<RawNote>,
    ) -> usize {
        let Some(end) = find_tag(input, tok.end, limit, "endcomment", &self.misses) else {
            return self.keep(input, tok, out, notes, "no `{% endcomment %}` follows");
        };
        let inner = &input[tok.end..end.start];
        if inner.contains("--") {
            return self.keep(
                input,
                tok,
                out,
                notes,
                "comment with `--` kept as text: it cannot become an HTML comment",
            );
        }
        if tok.lstrip {
            out.trim_end();
        }
        notes.push(RawNote::review(
            tok.start,
            "Liquid comment became an HTML comment: it is now in the page's HTML source; delete it if it must stay private".to_string(),
        ));
        out.insert("<!--", tok.start);
        out.copy(input, tok.end..end.start);
        out.insert("-->", end.start);
        end.next(input, limit)
    }

    fn highlight(
        &self,
        input: &str,
        tok: Token<'_>,
        limit: usize,
        out: &mut Out,
        notes: &mut Vec<RawNote>,
    ) -> usize {
        let Some(end) = find_end(input, tok.end, limit, "endhighlight", &self.misses) else {
            return self.keep(
                input,
                tok,
                out,
                notes,
                "no `{% endhighlight %}` follows; kept as text",
            );
        };
        let Highlight {
            lang,
            valid,
            linenos,
            dropped,
        } = Highlight::parse(tok.markup);
        let body = trim_newlines(input, tok.end, end.start);
        let mut inner = Out::default();
        self.convert(input, body, &mut inner, notes);
        let code = inner.text;
        if tok.lstrip {
            out.trim_end();
        }
        let mut message = format!("`{}` became a code block", tok.text(input));
        if !dropped.is_empty() {
            message.push_str(&format!(" (options dropped: {})", dropped.join(" ")));
        }
        if valid {
            notes.push(RawNote::changed(tok.start, message));
        } else {
            message.push_str(" without a language: the tag names none Jekyll accepts");
            notes.push(RawNote::review(tok.start, message));
        }
        let block = match self.markup {
            Markup::Markdown => fenced(out, tok.start, &code, &lang, linenos),
            Markup::Html => pre(out, tok.start, &code, &lang),
        };
        out.insert(&block, tok.start);
        after_block(input, end, limit, out)
    }

    fn link(&self, input: &str, tok: Token<'_>, out: &mut Out, notes: &mut Vec<RawNote>) -> usize {
        let arg = tok.markup.trim();
        if arg.is_empty() || arg.contains("{{") || arg.contains("{%") {
            return self.keep(
                input,
                tok,
                out,
                notes,
                "its target is not written out; kept as text",
            );
        }
        let target = if tok.name == "post_url" {
            self.site.post_url(arg)
        } else {
            self.site.link(arg)
        };
        let Some(target) = target else {
            let what = if tok.name == "post_url" {
                "post"
            } else {
                "file"
            };
            return self.keep(
                input,
                tok,
                out,
                notes,
                &format!("the old site has no {what} `{arg}`; kept as text"),
            );
        };
        if tok.lstrip {
            out.trim_end();
        }
        let message = format!("`{}` became `{target}`", tok.text(input));
        notes.push(RawNote::changed(tok.start, message));
        out.insert(&target, tok.start);
        tok.next(input, input.len())
    }

    fn include(
        &self,
        input: &str,
        tok: Token<'_>,
        out: &mut Out,
        notes: &mut Vec<RawNote>,
    ) -> usize {
        let mut parts = tok.markup.splitn(2, char::is_whitespace);
        let name = parts.next().unwrap_or("");
        let rest = parts.next().unwrap_or("");
        if name.is_empty() || name.contains("{{") || self.depth >= MAX_DEPTH {
            return self.keep(
                input,
                tok,
                out,
                notes,
                "include that names no file; kept as text",
            );
        }
        let Some(params) = include_params(rest) else {
            return self.keep(
                input,
                tok,
                out,
                notes,
                "include with parameters that are not written out; kept as text",
            );
        };
        let Some(text) = self.site.include(name) else {
            return self.keep(
                input,
                tok,
                out,
                notes,
                &format!("no `_includes/{name}`; kept as text"),
            );
        };
        let included = match self.included(&text, params) {
            Ok(included) => included,
            Err(why) => {
                let why = format!("`_includes/{name}` is not static ({why}); kept as text");
                return self.keep(input, tok, out, notes, &why);
            }
        };
        notes.push(RawNote::changed(
            tok.start,
            format!(
                "`{}` replaced by the text of `_includes/{name}`",
                tok.text(input)
            ),
        ));
        replace(
            input,
            tok,
            input.len(),
            out,
            included.trim_end_matches(['\n', '\r']),
        )
    }

    /// An include's text converted with its parameters; Err (the first
    /// problem) when Liquid would be left in it.
    fn included(&self, text: &str, params: Vec<(String, String)>) -> Result<String, String> {
        let inner = Liquid {
            site: self.site,
            markup: self.markup,
            words: self.words,
            params,
            depth: self.depth + 1,
            misses: Misses::default(),
        };
        let mut included = Out::default();
        let mut notes = Vec::new();
        inner.convert(text, 0..text.len(), &mut included, &mut notes);
        match notes.into_iter().find(|n| n.kind == NoteKind::Review) {
            Some(n) => Err(n.message),
            None => Ok(included.text),
        }
    }

    /// The text a `{{ … }}` stands for, when it only builds an address of
    /// the site (or is a literal, or an include's parameter).
    fn output(&self, input: &str, tok: Token<'_>, out: &Out) -> Option<String> {
        let (value, address) = self.evaluate(tok.markup)?;
        if !address || is_absolute(&value) {
            return Some(value);
        }
        if !value.is_empty() {
            return Some(format!("/{}", value.trim_start_matches('/')));
        }
        // The site's address alone: nothing when a path follows, else the
        // root (in a link) or the whole address (in running text).
        let after = input[tok.end..].chars().next();
        if matches!(after, Some('/' | '{')) {
            return Some(String::new());
        }
        let in_link = out.text.ends_with(['(', '"', '\'', '=', '<']);
        let url = self.site.url();
        if in_link || url.is_empty() {
            Some("/".to_string())
        } else {
            Some(format!("{url}{}/", self.site.baseurl()))
        }
    }

    /// The value of an output's expression, and whether it is an address
    /// of the site (the site's address stands for nothing in it); None for
    /// anything but literals, `site.url`, `site.baseurl`, include
    /// parameters and the filters `relative_url`, `absolute_url`,
    /// `prepend` and `append`.
    fn evaluate(&self, markup: &str) -> Option<(String, bool)> {
        let mut parts = markup.split('|').map(str::trim);
        let base = parts.next()?;
        let mut address = is_site_address(base);
        let mut value = match literal(base) {
            _ if address => String::new(),
            Some(s) => s.to_string(),
            None => {
                let key = base.strip_prefix("include.")?;
                self.params.iter().find(|(k, _)| k == key)?.1.clone()
            }
        };
        let arg_value = |a: Option<&str>| -> Option<String> {
            let a = a?;
            if is_site_address(a) {
                Some(String::new())
            } else {
                literal(a).map(str::to_string)
            }
        };
        for filter in parts {
            let (name, arg) = match filter.split_once(':') {
                Some((n, a)) => (n.trim(), Some(a.trim())),
                None => (filter, None),
            };
            match name {
                "relative_url" | "absolute_url" if arg.is_none() => address = true,
                "prepend" => {
                    let a = arg_value(arg)?;
                    address |= a.is_empty();
                    value = a + &value;
                }
                "append" => value.push_str(&arg_value(arg)?),
                _ => return None,
            }
        }
        Some((value, address))
    }
}

fn is_site_address(expression: &str) -> bool {
    matches!(expression, "site.url" | "site.baseurl" | "site.github.url")
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once("://").is_some_and(|(s, _)| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
}

/// A quoted Liquid string.
fn literal(s: &str) -> Option<&str> {
    let q = s.chars().next()?;
    if (q == '"' || q == '\'') && s.len() >= 2 && s.ends_with(q) {
        Some(&s[1..s.len() - 1])
    } else {
        None
    }
}

/// `key="v" key2='w'`; None when a value is a variable.
fn include_params(mut rest: &str) -> Option<Vec<(String, String)>> {
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Some(params);
        }
        let (key, after) = rest.split_once('=')?;
        let key = key.trim();
        let after = after.trim_start();
        let q = after.chars().next()?;
        if q != '"' && q != '\'' {
            return None;
        }
        let close = after[1..].find(q)? + 1;
        params.push((key.to_string(), after[1..close].to_string()));
        rest = &after[close + 1..];
    }
}

/// The range between the tags without the blank lines at either end.
fn trim_newlines(input: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    let text = &input[start..end];
    let mut from = 0;
    while let Some(n) = text[from..].find('\n') {
        if !text[from..from + n].trim().is_empty() {
            break;
        }
        from += n + 1;
    }
    let mut to = text.len();
    while let Some(n) = text[from..to].rfind('\n') {
        if !text[from + n..to].trim().is_empty() {
            break;
        }
        to = from + n;
    }
    let body = text[from..to].trim_end_matches('\r');
    start + from..start + from + body.len()
}

/// A fenced block on lines of its own, at the indentation of the line it
/// starts on.
fn fenced(out: &mut Out, at: usize, code: &str, lang: &str, linenos: bool) -> String {
    let line_start = out.text.rfind('\n').map_or(0, |i| i + 1);
    let current = out.text[line_start..].to_string();
    let indent = if current.trim().is_empty() {
        out.truncate(line_start);
        current
    } else {
        out.insert("\n", at);
        String::new()
    };
    // A blank line before, so that no paragraph or HTML block (which
    // would leave the code as raw HTML) takes the fence in.
    let before = out.text.strip_suffix('\n').unwrap_or("");
    let last_line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    if !last_line.trim().is_empty() {
        out.insert("\n", at);
    }
    out.insert(&indent, at);
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let mut block = format!("{fence}{lang}");
    if linenos {
        block.push_str(" linenos");
    }
    block.push('\n');
    for line in code.split_inclusive('\n') {
        if !line.trim().is_empty() || !indent.is_empty() {
            block.push_str(&indent);
        }
        block.push_str(line);
    }
    if !code.is_empty() && !code.ends_with('\n') {
        block.push('\n');
    }
    block.push_str(&indent);
    block.push_str(&fence);
    block
}

fn pre(out: &mut Out, at: usize, code: &str, lang: &str) -> String {
    if !out.at_line_start() {
        out.insert("\n", at);
    }
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape::html(lang))
    };
    format!("<pre><code{class}>{}</code></pre>", escape::html(code))
}

/// The link a plugin tag stands for: URL, link text and provider.
fn plugin(tok: Token<'_>, words: Words) -> Option<(String, String, &'static str)> {
    let mut args = tok
        .markup
        .split_whitespace()
        .map(|a| a.trim_matches(['"', '\'']));
    let first = args.next()?;
    match tok.name {
        "gist" => {
            let file = args.next();
            let url = format!("https://gist.github.com/{}", first.trim_matches('/'));
            let mut text = words.on(What::Code, "GitHub Gist");
            text.push_str(": ");
            text.push_str(file.unwrap_or(first));
            Some((url, text, "GitHub Gist"))
        }
        "youtube" => {
            let url = if is_absolute(first) {
                first.to_string()
            } else {
                format!("https://www.youtube.com/watch?v={first}")
            };
            Some((url, words.on(What::Video, "YouTube"), "YouTube"))
        }
        "vimeo" => {
            let url = if is_absolute(first) {
                first.to_string()
            } else {
                format!("https://vimeo.com/{first}")
            };
            Some((url, words.on(What::Video, "Vimeo"), "Vimeo"))
        }
        _ => {
            let url = if is_absolute(first) {
                first.to_string()
            } else if first.bytes().all(|b| b.is_ascii_digit()) {
                format!("https://twitter.com/i/status/{first}")
            } else {
                return None;
            };
            Some((url, words.on(What::Post, "Twitter"), "Twitter"))
        }
    }
}

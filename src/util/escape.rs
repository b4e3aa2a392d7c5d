//! Escaping text for HTML and XML, in one place for every stage.

/// Escapes text for HTML attributes and content.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text, true);
    out
}

/// Appends `text` escaped for HTML content (not attributes): only `&`,
/// `<` and `>`, so that quotes, common in code, stay as they are.
pub fn push_html_text(out: &mut String, text: &str) {
    push_escaped(out, text, false);
}

fn push_escaped(out: &mut String, text: &str, quotes: bool) {
    let mut from = 0;
    // Runs of bytes that need nothing are copied whole; the five escaped
    // characters are ASCII, so every cut is between characters.
    for (i, b) in text.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes => "&quot;",
            b'\'' if quotes => "&#39;",
            _ => continue,
        };
        out.push_str(&text[from..i]);
        out.push_str(escaped);
        from = i + 1;
    }
    out.push_str(&text[from..]);
}

/// Escapes text for XML and drops characters XML 1.0 forbids.
pub fn xml(text: &str) -> String {
    /// Bytes that need a look: the five escaped ones, controls other than
    /// tab and line breaks, and 0xEF, the first byte of U+FFFE and U+FFFF.
    const LOOK: [bool; 256] = {
        let mut look = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            look[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
            b += 1;
        }
        look[b'&' as usize] = true;
        look[b'<' as usize] = true;
        look[b'>' as usize] = true;
        look[b'"' as usize] = true;
        look[b'\'' as usize] = true;
        look[0xEF] = true;
        look
    };
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while let Some(i) = rest.bytes().position(|b| LOOK[usize::from(b)]) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or(' ');
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{html, xml};

    #[test]
    fn html_escaping_keeps_everything_else() {
        assert_eq!(
            html("<a href=\"x\">Ä & 'ö'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Ä &amp; &#39;ö&#39;&lt;/a&gt;"
        );
        assert_eq!(html("ohne"), "ohne");
        assert_eq!(html(""), "");
    }

    #[test]
    fn xml_escaping_drops_forbidden_characters() {
        assert_eq!(xml("a < b & \"c\" \u{8}"), "a &lt; b &amp; &quot;c&quot; ");
    }
}

//! URL slugs, the German way.
//!
//! A slug comes from a file name (or `slug:` in front matter, or a tag name)
//! and must survive title edits, so it is derived once and never from the
//! title. Umlauts become ae/oe/ue and ß becomes ss, as German readers expect;
//! other accented Latin letters lose their accent; everything that is not a
//! letter or digit becomes a single hyphen.

/// Turns `text` into a lowercase, hyphenated slug.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        // Decomposed umlauts (macOS file names): "u" + U+0308 is "ue".
        if c == '\u{308}' && slug.ends_with(['a', 'o', 'u']) && !pending_hyphen {
            slug.push('e');
            continue;
        }
        if ('\u{300}'..='\u{36F}').contains(&c) {
            continue; // other combining accents are dropped
        }
        let mapped = transliterate(c);
        let piece: &str = match &mapped {
            Some(s) => s,
            None => {
                if c.is_alphanumeric() {
                    push_lowercase(&mut slug, c, &mut pending_hyphen);
                } else {
                    pending_hyphen = true;
                }
                continue;
            }
        };
        for p in piece.chars() {
            if p == '-' {
                pending_hyphen = true;
            } else {
                push_lowercase(&mut slug, p, &mut pending_hyphen);
            }
        }
    }
    slug
}

fn push_lowercase(slug: &mut String, c: char, pending_hyphen: &mut bool) {
    if *pending_hyphen && !slug.is_empty() {
        slug.push('-');
    }
    *pending_hyphen = false;
    slug.extend(c.to_lowercase());
}

/// The ASCII spelling of letters that have one.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' | 'Ä' => "ae",
        'ö' | 'Ö' => "oe",
        'ü' | 'Ü' => "ue",
        'ß' | 'ẞ' => "ss",
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Å' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ě' => {
            "e"
        }
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ł' | 'ľ' | 'ĺ' | 'Ł' | 'Ľ' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ø' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ř' | 'ŕ' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ť' | 'ţ' | 'Ť' => "t",
        'ù' | 'ú' | 'û' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ů' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        '&' => "-und-",
        '\'' | '’' | '`' | '´' => "",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn german_transliteration() {
        assert_eq!(slugify("Über Größe und Mut"), "ueber-groesse-und-mut");
        assert_eq!(slugify("Straße ÄÖÜ"), "strasse-aeoeue");
        assert_eq!(slugify("Was willst du wirklich?"), "was-willst-du-wirklich");
        // The same words as macOS writes them in file names (decomposed).
        assert_eq!(slugify("U\u{308}ber Gro\u{308}ße"), "ueber-groesse");
        assert_eq!(slugify("Cafe\u{301}"), "cafe");
    }

    #[test]
    fn punctuation_collapses() {
        assert_eq!(
            slugify("  Hans & Peter -- (2024)!  "),
            "hans-und-peter-2024"
        );
        assert_eq!(slugify("geht's"), "gehts");
        assert_eq!(slugify("Café crème"), "cafe-creme");
        assert_eq!(slugify("already-a-slug"), "already-a-slug");
        assert_eq!(slugify("!!!"), "");
    }
}

//! Messages in the shapes mail programs send, written for these tests.

use std::path::Path;

use super::*;

fn reply(message: &str) -> Reply {
    read(Path::new("m.eml"), message.as_bytes(), Language::De).unwrap()
}

fn reply_bytes(message: &[u8]) -> Reply {
    read(Path::new("m.eml"), message, Language::De).unwrap()
}

fn crlf(message: &str) -> String {
    message.replace('\n', "\r\n")
}

fn error(message: &[u8]) -> String {
    read(Path::new("m.eml"), message, Language::De)
        .unwrap_err()
        .to_string()
}

const PLAIN: &str = "From: Mira Olsen <lotte.k87@example.org>
To: blog@example.net
Subject: Re: Sauerteig
Date: Thu, 12 Mar 2026 14:22:05 +0100
Message-ID: <20260312142205.4711@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Danke für den Beitrag über Sauerteig.
Bei mir hat es beim dritten Mal geklappt.
";

#[test]
fn plain_utf8_message() {
    let r = reply(PLAIN);
    assert_eq!(r.name.as_deref(), Some("Mira Olsen"));
    assert_eq!(
        r.date.map(|d| d.to_rfc3339()),
        Some("2026-03-12T14:22:05+01:00".to_string())
    );
    assert_eq!(
        r.message_id.as_deref(),
        Some("20260312142205.4711@mail.example.org")
    );
    assert!(r.answers.is_empty());
    assert_eq!(
        r.body,
        "Danke für den Beitrag über Sauerteig.\nBei mir hat es beim dritten Mal geklappt.\n"
    );
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn crlf_line_ends_read_the_same() {
    let r = reply(&crlf(PLAIN));
    assert_eq!(r.body, reply(PLAIN).body);
    assert_eq!(r.name.as_deref(), Some("Mira Olsen"));
    assert!(!r.body.contains('\r'));
}

#[test]
fn quoted_printable_with_soft_line_breaks() {
    let message = crlf(
        "From: \"Weber, Jonas\" <jw-1990@example.org>
Date: Fri, 13 Mar 2026 09:00:00 -0500
Message-ID: <qp.1@example.org>
Content-Type: text/plain; charset=\"UTF-8\"
Content-Transfer-Encoding: quoted-printable

Ein ziemlich langer Satz =C3=BCber Br=C3=B6tchen, der vom Mailprogramm umbro=
chen wurde, und ein Gleichheitszeichen: 1 + 1 =3D 2.
",
    );
    let r = reply(&message);
    assert_eq!(r.name.as_deref(), Some("Weber, Jonas"));
    assert_eq!(
        r.body,
        "Ein ziemlich langer Satz über Brötchen, der vom Mailprogramm umbrochen wurde, und ein Gleichheitszeichen: 1 + 1 = 2.\n"
    );
    assert_eq!(
        r.date.map(|d| d.to_rfc3339()),
        Some("2026-03-13T09:00:00-05:00".to_string())
    );
}

#[test]
fn base64_body() {
    let message = "From: Ada <ada.b42@example.org>
Date: Sat, 14 Mar 2026 10:00:00 +0000
Message-ID: <b64@example.org>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

TGllYmUgR3LDvMOfZSBhdXMgS8O2bG4hDQpEZXIgU2F1ZXJ0ZWlnIGlzdCBnZWx1bmdlbi4NCg==
";
    assert_eq!(
        reply(message).body,
        "Liebe Grüße aus Köln!\nDer Sauerteig ist gelungen.\n"
    );
}

#[test]
fn latin1_encoded_words_in_from_and_subject_and_a_latin1_body() {
    let mut message = b"From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <jm.1977@example.org>
Subject: =?ISO-8859-1?B?U3Bh3yBiZWlzZWl0ZTogQuRja2VyIEr8cmdlbg==?=
Date: Sun, 15 Mar 2026 18:30:00 +0100
Message-ID: <latin1@example.org>
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: 8bit

"
    .to_vec();
    // "Schöne Grüße" in ISO-8859-1 bytes.
    message.extend_from_slice(b"Sch\xF6ne Gr\xFC\xDFe\n");
    let r = reply_bytes(&message);
    assert_eq!(r.name.as_deref(), Some("Jürgen Müller"));
    assert_eq!(r.body, "Schöne Grüße\n");
    let parsed = MessageParser::new().parse(&message[..]).unwrap();
    assert_eq!(parsed.subject(), Some("Spaß beiseite: Bäcker Jürgen"));
}

#[test]
fn utf8_encoded_word_split_over_folded_lines() {
    let message = "From: =?UTF-8?Q?Zo=C3=AB?=\n =?UTF-8?B?IE3DvGxsZXI=?= <zm.2001@example.org>
Date: Mon, 16 Mar 2026 08:00:00 +0100
Message-ID: <folded@example.org>

Hallo.
";
    assert_eq!(reply(message).name.as_deref(), Some("Zoë Müller"));
}

#[test]
fn windows_1252_body() {
    let mut message = b"From: Kim <kim.77@example.org>
Date: Mon, 16 Mar 2026 08:00:00 +0100
Message-ID: <cp1252@example.org>
Content-Type: text/plain; charset=windows-1252

"
    .to_vec();
    message.extend_from_slice(b"Kostet 5 \x80 \x93genau\x94.\n");
    assert_eq!(reply_bytes(&message).body, "Kostet 5 € “genau”.\n");
}

const ALTERNATIVE: &str = "From: Mira Olsen <lotte.k87@example.org>
Date: Thu, 12 Mar 2026 14:22:05 +0100
Message-ID: <alt@example.org>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary=\"b1\"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Die Textfassung =E2=80=93 richtig so.

--b1
Content-Type: text/html; charset=utf-8

<html><body><p>Die <b>HTML</b>-Fassung</p></body></html>
--b1--
";

#[test]
fn multipart_alternative_takes_the_plain_text() {
    let r = reply(ALTERNATIVE);
    assert_eq!(r.body, "Die Textfassung – richtig so.\n");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn multipart_mixed_leaves_out_the_attachment_and_says_so() {
    let message = crlf(
        "From: Mira Olsen <lotte.k87@example.org>
Date: Thu, 12 Mar 2026 14:22:05 +0100
Message-ID: <mixed@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"outer\"

This is a multi-part message in MIME format.
--outer
Content-Type: text/plain; charset=utf-8; format=flowed
Content-Transfer-Encoding: 8bit

Anbei mein Rezept als PDF, falls es jemand 
ausprobieren möchte.

--outer
Content-Type: application/pdf; name=\"rezept.pdf\"
Content-Disposition: attachment; filename=\"rezept.pdf\"
Content-Transfer-Encoding: base64

JVBERi0xLjQgZmFrZQ==
--outer--
",
    );
    let r = reply(&message);
    assert_eq!(
        r.body,
        "Anbei mein Rezept als PDF, falls es jemand ausprobieren möchte.\n"
    );
    assert_eq!(r.notes, ["the attachment `rezept.pdf` was left out"]);
}

#[test]
fn html_only_message_gives_the_text_of_its_html() {
    let message = "From: Jonas <jw-1990@example.org>
Date: Thu, 12 Mar 2026 14:22:05 +0100
Message-ID: <html@example.org>
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><head><style>p {color: red}</style></head><body>
<p>Hallo,</p><p>sch=C3=B6n &amp; <i>gut</i>: <a href=3D\"https://example.net/a\">mein =
Blog</a>.</p>
<div class=3D\"gmail_quote\">Am Do. schrieb Mira:<blockquote>Alt</blockquote></div>
</body></html>
";
    let r = reply(message);
    assert_eq!(
        r.body,
        "Hallo,\n\nschön & gut: mein Blog (https://example.net/a).\n"
    );
    assert_eq!(
        r.notes,
        ["the message has no plain text: its words were taken from its HTML"]
    );
}

#[test]
fn html_in_a_multipart_alternative_without_plain_text() {
    let message = "From: Jonas <jw-1990@example.org>
Date: Thu, 12 Mar 2026 14:22:05 +0100
Message-ID: <html2@example.org>
Content-Type: multipart/alternative; boundary=x

--x
Content-Type: text/html; charset=utf-8

<div>Nur HTML.</div><blockquote type=\"cite\"><div>Zitat</div></blockquote>
--x--
";
    assert_eq!(reply(message).body, "Nur HTML.\n");
}

fn with_body(body: &str) -> String {
    format!(
        "From: Mira Olsen <lotte.k87@example.org>
Date: Thu, 12 Mar 2026 14:22:05 +0100
Message-ID: <q@example.org>
Content-Type: text/plain; charset=utf-8

{body}"
    )
}

#[test]
fn apple_mail_quoting_in_german() {
    let body = "Das probiere ich aus!

Liebe Grüße
Mira

> Am 12.03.2026 um 14:22 schrieb Jonas Weber <blog@example.net>:
> 
> Heute geht es um Sauerteig.
";
    let r = reply(&with_body(body));
    assert_eq!(r.body, "Das probiere ich aus!\n\nLiebe Grüße\nMira\n");
    assert!(r.notes.iter().any(|n| n.starts_with("quoted text removed")));
    assert!(!r.body.contains("blog@example.net"));
}

#[test]
fn thunderbird_quoting_in_english_with_a_signature() {
    let body = "On 12.03.26 14:22, Jonas Weber wrote:
> Today: sourdough.
> It takes time.

It does, and it is worth it.

-- 
Mira Olsen · lotte.k87@example.org
";
    let r = reply(&crlf(&with_body(body)));
    assert_eq!(r.body, "It does, and it is worth it.\n");
    assert!(r.notes.iter().any(|n| n.contains("signature")));
}

#[test]
fn outlook_quoting_in_german_and_english() {
    let de = "Sehr schön erklärt.

Viele Grüße
Mira

________________________________
Von: Jonas Weber <blog@example.net>
Gesendet: Donnerstag, 12. März 2026 14:22
An: Mira Olsen
Betreff: Sauerteig

Heute geht es um Sauerteig.
";
    assert_eq!(
        reply(&with_body(de)).body,
        "Sehr schön erklärt.\n\nViele Grüße\nMira\n"
    );
    let en = "Thanks, noted.

-----Original Message-----
From: Jonas Weber
Sent: Thursday, March 12, 2026 2:22 PM
Subject: Sourdough

Today: sourdough.
";
    assert_eq!(reply(&with_body(en)).body, "Thanks, noted.\n");
}

#[test]
fn gmail_attribution_wrapped_in_english() {
    let body = "Great post!

On Thu, Mar 12, 2026 at 2:22 PM Jonas Weber <blog@example.net>
wrote:

> Today: sourdough.
";
    assert_eq!(reply(&with_body(body)).body, "Great post!\n");
}

#[test]
fn the_senders_address_never_leaves_the_reader() {
    // Only an address: no name at all.
    let r = reply(&PLAIN.replace(
        "Mira Olsen <lotte.k87@example.org>",
        "lotte.k87@example.org",
    ));
    assert_eq!(r.name, None);
    // The address as the name, or its local part as the name.
    for from in [
        "\"lotte.k87@example.org\" <lotte.k87@example.org>",
        "lotte.k87 <lotte.k87@example.org>",
        "\"LOTTE.K87\" <lotte.k87@example.org>",
        "\"Mira (lotte.k87)\" <lotte.k87@example.org>",
    ] {
        let r = reply(&PLAIN.replace("Mira Olsen <lotte.k87@example.org>", from));
        assert_eq!(r.name, None, "{from}");
    }
    // Written into the text, in full or by its local part.
    let r = reply(&with_body(
        "Schreib mir: lotte.k87@example.org oder <lotte.k87@example.org>.\nGruß, lotte.k87\n",
    ));
    assert!(!r.body.contains("lotte.k87"), "{}", r.body);
    assert!(!r.body.contains("example.org"), "{}", r.body);
    assert_eq!(
        r.body,
        "Schreib mir: [E-Mail-Adresse entfernt] oder <[E-Mail-Adresse entfernt]>.\nGruß, [E-Mail-Adresse entfernt]\n"
    );
}

#[test]
fn in_reply_to_and_references_nearest_first() {
    let message = PLAIN.replace(
        "MIME-Version: 1.0\n",
        "In-Reply-To: <c@example.org>\nReferences: <a@example.org>\n <b@example.org> <c@example.org>\nMIME-Version: 1.0\n",
    );
    assert_eq!(
        reply(&message).answers,
        ["c@example.org", "b@example.org", "a@example.org"]
    );
}

#[test]
fn markdown_in_a_message_stays_words() {
    let r = reply(&with_body(
        "# nicht als Überschrift\nMit <script>alert(1)</script> drin.\n",
    ));
    assert_eq!(
        r.body,
        "\\# nicht als Überschrift\nMit \\<script>alert(1)\\</script> drin.\n"
    );
}

#[test]
fn what_is_not_a_message_or_has_no_words_is_refused() {
    assert!(error(b"").contains("not an e-mail message"));
    assert!(error(b"Hallo, das ist nur Text.\n").contains("not an e-mail message"));
    let only_attachment = "From: Mira <lotte.k87@example.org>
Date: Thu, 12 Mar 2026 14:22:05 +0100
Message-ID: <att@example.org>
Content-Type: multipart/mixed; boundary=x

--x
Content-Type: image/jpeg; name=a.jpg
Content-Disposition: attachment; filename=a.jpg
Content-Transfer-Encoding: base64

/9j/
--x--
";
    let e = error(only_attachment.as_bytes());
    assert!(e.contains("the message has no text"), "{e}");
    assert!(e.contains("m.eml"), "{e}");
    let only_quote = with_body("On Monday Jonas wrote:\n> Hi\n");
    assert!(error(only_quote.as_bytes()).contains("no words of its own"));
}

#[test]
fn a_message_without_date_is_noted() {
    let r = reply(&PLAIN.replace("Date: Thu, 12 Mar 2026 14:22:05 +0100\n", ""));
    assert_eq!(r.date, None);
    assert!(r.notes.iter().any(|n| n.contains("no Date")));
}

#[test]
fn the_last_check_refuses_any_trace_of_the_address() {
    let path = Path::new("m.eml");
    let sender = Some("Lotte.K87@example.org");
    assert!(keeps_address_out(path, sender, Some("Mira"), "Hallo\n").is_ok());
    for (name, body) in [
        (None, "schreib an lotte.k87@EXAMPLE.org\n"),
        (None, "ich bin xlotte.k87x\n"),
        (Some("Mira LOTTE.K87"), "Hallo\n"),
    ] {
        let e = keeps_address_out(path, sender, name, body).unwrap_err();
        assert!(e.to_string().contains("nothing was written"), "{e}");
    }
}

#[test]
fn an_empty_plain_part_gives_way_to_the_html() {
    let message = "From: Jonas <jw-1990@example.org>
Date: Thu, 12 Mar 2026 14:22:05 +0100
Message-ID: <empty-plain@example.org>
Content-Type: multipart/alternative; boundary=x

--x
Content-Type: text/plain; charset=utf-8

\x20
--x
Content-Type: text/html; charset=utf-8

<p>Nur im HTML steht <em>etwas</em>.</p>
--x--
";
    assert_eq!(reply(message).body, "Nur im HTML steht etwas.\n");
}

#[test]
fn control_characters_in_html_are_no_text() {
    // Found by the fuzz target import_mail.
    let message = "From: Jonas <jw-1990@example.org>
Date: Thu, 12 Mar 2026 14:22:05 +0100
Message-ID: <ctl@example.org>
Content-Type: text/html; charset=utf-8

<p>Mein Bro\u{2}t&#1; klebt.</p>
";
    assert_eq!(reply(message).body, "Mein Brot klebt.\n");
}

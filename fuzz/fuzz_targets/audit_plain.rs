//! The audit's plain reading of a page (`audit::plain`) against html5ever:
//! whenever the plain reader accepts a page, html5ever must read it
//! without a parse error and make exactly the same elements, in the same
//! order, with the same attributes, lines and `<style>` texts. The plain
//! reader decides most pages' verdicts in a build, so a page it reads
//! differently from the tree builder would be judged on the wrong tree.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(why) = echt::audit::plain_reading_agrees(text) {
        panic!("the plain reading differs from html5ever's: {why}\n--- page ---\n{text}");
    }
});

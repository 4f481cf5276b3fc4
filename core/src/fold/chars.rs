//! What folding needs to know about a single char, apart from any text.
//!
//! These functions are the one definition of the char classes folding
//! uses. `core/build.rs` includes this file (it needs only std and
//! `unicode-normalization`) to lay out [`char_flags`] for the whole Basic
//! Multilingual Plane at build time: consulting the normalizer and the
//! Unicode tables for every char of every post is slow, and computing the
//! 64K table at start-up took about a sixth of `Classifier::new()`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

pub(crate) fn is_stretch(c: char) -> bool {
    matches!(c, 'ー' | '〜' | '~' | '～')
}

pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Flag: folding maps the char to itself wherever it stands (NFKC
/// and lower case leave it alone; it is no invisible, combining, stretch or
/// voicing mark, and no half-width kana).
pub(crate) const INERT: u8 = 1;
/// Flag: the char is a letter for `fold::is_letter`.
pub(crate) const LETTER: u8 = 2;

/// The flags of `c` ([`INERT`], [`LETTER`]). The runtime reads them from
/// the table build.rs lays out with this function; a unit test checks the two
/// agree.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn char_flags(c: char) -> u8 {
    // The kana block counts whole, marks and `ー` included, but for the
    // middle dot `・`, which separates words (and letters: し・ね).
    let letter = matches!(c, '\u{3041}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '々')
        || c.is_alphanumeric();
    (if letter { LETTER } else { 0 }) | inert_flag(c)
}

fn inert_flag(c: char) -> u8 {
    let mut nfkc = std::iter::once(c).nfkc();
    let mut lower = c.to_lowercase();
    let identity = nfkc.next() == Some(c)
        && nfkc.next().is_none()
        && lower.next() == Some(c)
        && lower.next().is_none();
    let special = c.is_ascii()
        || is_invisible(c)
        || is_combining_mark(c)
        || is_stretch(c)
        || matches!(c, '\u{309B}' | '\u{309C}' | '\u{FF66}'..='\u{FF9D}');
    if identity && !special { INERT } else { 0 }
}

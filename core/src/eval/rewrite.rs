//! The evasion rewrites that people use to get past filters, applied to a
//! whole post, so that an evaluation can show how many positives survive
//! each one.
//!
//! The classifier folds these spellings away before it reads a post, so a
//! rewrite should change nothing; [`REWRITES`] lists them all.
//!
//! ```
//! use inochi::eval::rewrite;
//!
//! assert_eq!(rewrite::spacing("死にたい"), "死 に た い");
//! assert_eq!(rewrite::tahi("死にたい"), "タヒにたい");
//! assert_eq!(rewrite::half_width_kana("しにたい"), "ｼﾆﾀｲ");
//! let classifier = inochi::Classifier::new()?;
//! assert_eq!(rewrite::hiragana(&classifier, "自殺したい"), "じさつしたい");
//! # Ok::<(), inochi::Error>(())
//! ```

use crate::Classifier;

/// One evasion rewrite.
#[derive(Clone, Copy, Debug)]
pub struct Rewrite {
    /// A stable identifier, snake_case (`zero_width`), for JSON output.
    pub id: &'static str,
    /// A name for people (`zero-width`, `タヒ for 死`).
    pub name: &'static str,
    // The classifier gives the hiragana rewrite its dictionary readings;
    // the others only look at the text.
    rewrite: fn(&Classifier, &str) -> String,
}

impl Rewrite {
    /// Rewrites a whole post. `classifier` lends its dictionary to the
    /// rewrites that need readings.
    ///
    /// ```
    /// use inochi::eval::REWRITES;
    ///
    /// let classifier = inochi::Classifier::new()?;
    /// let full_width = REWRITES.iter().find(|r| r.id == "full_width_latin").unwrap();
    /// assert_eq!(full_width.apply(&classifier, "kys"), "ｋｙｓ");
    /// # Ok::<(), inochi::Error>(())
    /// ```
    pub fn apply(&self, classifier: &Classifier, text: &str) -> String {
        (self.rewrite)(classifier, text)
    }
}

/// Every rewrite the classifier is expected to see through.
pub const REWRITES: [Rewrite; 7] = [
    Rewrite {
        id: "spacing",
        name: "spacing",
        rewrite: |_, t| spacing(t),
    },
    Rewrite {
        id: "zero_width",
        name: "zero-width",
        rewrite: |_, t| zero_width(t),
    },
    Rewrite {
        id: "half_width_kana",
        name: "half-width kana",
        rewrite: |_, t| half_width_kana(t),
    },
    Rewrite {
        id: "tahi",
        name: "タヒ for 死",
        rewrite: |_, t| tahi(t),
    },
    Rewrite {
        id: "full_width_latin",
        name: "full-width Latin",
        rewrite: |_, t| full_width(t),
    },
    Rewrite {
        id: "stretched_vowels",
        name: "stretched vowels",
        rewrite: |_, t| stretched(t),
    },
    Rewrite {
        id: "hiragana",
        name: "hiragana spelling",
        rewrite: hiragana,
    },
];

/// Words with kanji spelled in hiragana from their dictionary reading, the
/// way people write around kanji filters: `死にたい` → `しにたい`, `自殺` →
/// `じさつ`. Latin text and kana are left as they are.
pub fn hiragana(classifier: &Classifier, text: &str) -> String {
    classifier.respell_in_hiragana(text)
}

fn is_japanese(c: char) -> bool {
    ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A space between letters: `死にたい` → `死 に た い`; `die now` →
/// `d i e  n o w`.
pub fn spacing(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if let Some(&n) = chars.get(i + 1) {
            let both_ja = is_japanese(c) && is_japanese(n);
            let both_latin = c.is_ascii_alphabetic() && n.is_ascii_alphabetic();
            if both_ja || both_latin || c == ' ' {
                out.push(' ');
            }
        }
    }
    out
}

/// A zero-width space (U+200B) between every two characters.
pub fn zero_width(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 4);
    for (i, c) in text.chars().enumerate() {
        if i > 0 {
            out.push('\u{200b}');
        }
        out.push(c);
    }
    out
}

/// Kana (hiragana or katakana) written as half-width katakana, voicing
/// marks split off: `しにたい` → `ｼﾆﾀｲ`, `じさつ` → `ｼﾞｻﾂ`.
pub fn half_width_kana(text: &str) -> String {
    const HALF: &str =
        "ｧｱｨｲｩｳｪｴｫｵｶｶｷｷｸｸｹｹｺｺｻｻｼｼｽｽｾｾｿｿﾀﾀﾁﾁｯﾂﾂﾃﾃﾄﾄﾅﾆﾇﾈﾉﾊﾊﾊﾋﾋﾋﾌﾌﾌﾍﾍﾍﾎﾎﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜﾜｲｴｦﾝ";
    // Voicing of the kana from ぁ (U+3041) to ん (U+3093), in order: 0 none,
    // 1 dakuten, 2 handakuten.
    const MARK: &str =
        "00000000000101010101010101010101010010101000000120120120120120000000000000000000000";
    let half: Vec<char> = HALF.chars().collect();
    let mark: Vec<u8> = MARK.bytes().collect();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let hira = match c {
            'ァ'..='ン' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            c => c,
        };
        let i = (hira as u32).wrapping_sub(0x3041) as usize;
        if ('ぁ'..='ん').contains(&hira) && i < half.len() && i < mark.len() {
            out.push(half[i]);
            match mark[i] {
                b'1' => out.push('ﾞ'),
                b'2' => out.push('ﾟ'),
                _ => {}
            }
        } else if c == 'ー' {
            out.push('ｰ');
        } else {
            out.push(c);
        }
    }
    out
}

/// `死` written as `タヒ` (the two katakana look like the kanji).
pub fn tahi(text: &str) -> String {
    text.replace('死', "タヒ")
}

/// Printable ASCII in full width: `kys` → `ｋｙｓ`.
pub fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A stretch mark after every hiragana and kanji: `死にたい` →
/// `死ーにーたーいー`.
pub fn stretched(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        out.push(c);
        if ('\u{3041}'..='\u{3096}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c) {
            out.push('ー');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_look_like_the_evasions_they_name() {
        assert_eq!(spacing("死にたい"), "死 に た い");
        assert_eq!(spacing("die now"), "d i e  n o w");
        assert_eq!(zero_width("死ね"), "死\u{200b}ね");
        assert_eq!(half_width_kana("しにたい"), "ｼﾆﾀｲ");
        assert_eq!(half_width_kana("いっしょにしのう"), "ｲｯｼｮﾆｼﾉｳ");
        assert_eq!(half_width_kana("じさつ"), "ｼﾞｻﾂ");
        assert_eq!(half_width_kana("ぱ"), "ﾊﾟ");
        assert_eq!(tahi("死にたい"), "タヒにたい");
        assert_eq!(full_width("kys"), "ｋｙｓ");
        assert_eq!(stretched("死にたい"), "死ーにーたーいー");
    }

    #[test]
    fn ids_are_unique_snake_case() {
        let mut ids: Vec<&str> = REWRITES.iter().map(|r| r.id).collect();
        assert!(
            ids.iter()
                .all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), REWRITES.len());
        let c = Classifier::new().expect("default classifier");
        for r in REWRITES {
            assert_eq!(r.apply(&c, ""), "", "{} keeps the empty text empty", r.id);
        }
    }

    #[test]
    fn hiragana_spells_kanji_words_from_their_reading() {
        let c = Classifier::new().expect("default classifier");
        assert_eq!(hiragana(&c, "死にたい"), "しにたい");
        assert_eq!(hiragana(&c, "今夜、自殺します"), "こんや、じさつします");
        // Kana, Latin and symbols stay as written.
        assert_eq!(hiragana(&c, "もうむり kys!"), "もうむり kys!");
    }
}

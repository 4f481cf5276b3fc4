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
//! ```

/// One evasion rewrite.
#[derive(Clone, Copy, Debug)]
pub struct Rewrite {
    /// A stable identifier, snake_case (`zero_width`), for JSON output.
    pub id: &'static str,
    /// A name for people (`zero-width`, `タヒ for 死`).
    pub name: &'static str,
    rewrite: fn(&str) -> String,
}

impl Rewrite {
    /// Rewrites a whole post.
    ///
    /// ```
    /// use inochi::eval::REWRITES;
    ///
    /// let full_width = REWRITES.iter().find(|r| r.id == "full_width_latin").unwrap();
    /// assert_eq!(full_width.apply("kys"), "ｋｙｓ");
    /// ```
    pub fn apply(&self, text: &str) -> String {
        (self.rewrite)(text)
    }
}

/// Every rewrite the classifier is expected to see through.
pub const REWRITES: [Rewrite; 6] = [
    Rewrite {
        id: "spacing",
        name: "spacing",
        rewrite: spacing,
    },
    Rewrite {
        id: "zero_width",
        name: "zero-width",
        rewrite: zero_width,
    },
    Rewrite {
        id: "half_width_kana",
        name: "half-width kana",
        rewrite: half_width_kana,
    },
    Rewrite {
        id: "tahi",
        name: "タヒ for 死",
        rewrite: tahi,
    },
    Rewrite {
        id: "full_width_latin",
        name: "full-width Latin",
        rewrite: full_width,
    },
    Rewrite {
        id: "stretched_vowels",
        name: "stretched vowels",
        rewrite: stretched,
    },
];

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
        for r in REWRITES {
            assert_eq!(r.apply(""), "", "{} keeps the empty text empty", r.id);
        }
    }
}

//! The evasion rewrites that people use to get past filters, applied to a
//! whole post, so the corpus can show how many positives survive each one.

/// One rewrite: its name and the function.
pub type Rewrite = (&'static str, fn(&str) -> String);

/// Every rewrite the classifier is expected to see through.
pub const REWRITES: [Rewrite; 6] = [
    ("spacing", spacing),
    ("zero-width", zero_width),
    ("half-width kana", half_width_kana),
    ("タヒ for 死", tahi),
    ("full-width Latin", full_width),
    ("stretched vowels", stretched),
];

fn is_japanese(c: char) -> bool {
    ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// `死にたい` → `死 に た い`; `die together` → `d i e  t o g e t h e r`.
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

/// A zero-width space between every two characters.
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

/// Kana written as half-width katakana (`しにたい` → `ｼﾆﾀｲ`).
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

/// `死` written as `タヒ`.
pub fn tahi(text: &str) -> String {
    text.replace('死', "タヒ")
}

/// ASCII letters and digits in full width (`kys` → `ｋｙｓ`).
pub fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A stretch mark after every kana and kanji (`死ーにーたーいー`).
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
}

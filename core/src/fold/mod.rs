//! Folding: one canonical spelling for the many ways a word can be written.
//!
//! People who post about suicide on moderated platforms spell around filters:
//! `死 に た い`, `自.殺`, `死ーにーたーい`, `ｼﾆﾀｲ`, `ｋｙｓ`, zero-width characters
//! between letters, `タヒ` for `死`. Every later stage matches against the folded
//! text, so each spelling needs to be handled once, here.
//!
//! Folding applies, in order: NFKC per character (full/half width, compatibility
//! forms; half-width katakana becomes hiragana), lower case, removal of zero-width and stray combining characters,
//! composition of separated voicing marks (`ｼﾞ`), removal of stretch marks after
//! kana and kanji (`死ーにーたーい`) and of repeats of a small
//! vowel (`しにたぁぁい`) or of a Latin letter (`dieeee`), removal of separators between single letters
//! (`死 に た い`, `k y s`, `自.殺`), digits inside Latin words (`su1c1de`), and
//! finally the rule pack's evasion table (`タヒ` → `死`).
//!
//! Guarantees: every byte of the folded text knows the range of the original
//! text it came from, the ranges are monotone, and they always lie on char
//! boundaries of the original. So any span found in the folded text maps back
//! to a slice of what the person actually wrote.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{compose, is_combining_mark};

mod chars;

use chars::{INERT, LETTER, is_invisible, is_stretch};

/// A class of characters, used by evasion guards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CharClass {
    Hiragana,
    Katakana,
    Kanji,
    Latin,
    Digit,
}

impl CharClass {
    pub(crate) fn parse(name: &str) -> Option<CharClass> {
        Some(match name {
            "hiragana" => CharClass::Hiragana,
            "katakana" => CharClass::Katakana,
            "kanji" => CharClass::Kanji,
            "latin" => CharClass::Latin,
            "digit" => CharClass::Digit,
            _ => return None,
        })
    }

    fn contains(self, c: char) -> bool {
        match self {
            CharClass::Hiragana => is_hiragana(c),
            CharClass::Katakana => is_katakana(c),
            CharClass::Kanji => is_kanji(c),
            CharClass::Latin => c.is_ascii_alphabetic(),
            CharClass::Digit => c.is_ascii_digit(),
        }
    }
}

/// One entry of the evasion table: `from` is rewritten to `to` unless a guard
/// says the neighbourhood makes it an ordinary word (`タヒチ` is Tahiti).
#[derive(Clone, Debug)]
pub(crate) struct Evasion {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) not_after: Vec<CharClass>,
    pub(crate) not_before: Vec<CharClass>,
    pub(crate) not_before_chars: String,
}

/// Folds text. Built once from a rule pack's fold table; cheap to share.
#[derive(Clone, Debug)]
pub(crate) struct Folder {
    evasions: Vec<Evasion>,
    automaton: Option<AhoCorasick>,
    leet: Vec<(char, char)>,
    // Every leet key is ASCII and not a letter (true of the default pack):
    // other chars need no lookup.
    leet_ascii: bool,
}

/// Text after folding, with the way back to the original.
#[derive(Clone, Debug, Default)]
pub struct Folded {
    text: String,
    // For every byte of `text`, the original range of the source it came from.
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Folded {
    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a range of the folded text (on its char boundaries) to the range
    /// of the original text it came from. The result lies on char boundaries
    /// of the original.
    pub fn original_range(&self, r: Range<usize>) -> Range<usize> {
        if r.start >= r.end || r.start >= self.text.len() {
            let at = self
                .starts
                .get(r.start)
                .copied()
                .or_else(|| self.ends.last().copied())
                .unwrap_or(0) as usize;
            return at..at;
        }
        let end = r.end.min(self.text.len());
        self.starts[r.start] as usize..self.ends[end - 1] as usize
    }
}

#[derive(Clone, Copy, Debug)]
struct Unit {
    c: char,
    start: u32,
    end: u32,
}

impl Folder {
    pub(crate) fn new(evasions: Vec<Evasion>, leet: Vec<(char, char)>) -> Folder {
        let leet_ascii = leet
            .iter()
            .all(|&(k, _)| k.is_ascii() && !k.is_ascii_alphabetic());
        let mut folder = Folder {
            evasions: Vec::new(),
            automaton: None,
            leet,
            leet_ascii,
        };
        // Evasion patterns are folded like the text they will be matched in,
        // so that a pack may write them in any width or case.
        let evasions: Vec<Evasion> = evasions
            .into_iter()
            .map(|mut e| {
                e.from = folder.fold(&e.from).text;
                e
            })
            .filter(|e| !e.from.is_empty())
            .collect();
        if !evasions.is_empty() {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(evasions.iter().map(|e| e.from.as_str()))
                .expect("evasion patterns are plain strings of bounded size");
            folder.automaton = Some(ac);
        }
        folder.evasions = evasions;
        folder
    }

    /// Folds `text`. Texts longer than `u32::MAX` bytes are folded up to that
    /// length; the classifier splits larger inputs before they get here.
    pub(crate) fn fold(&self, text: &str) -> Folded {
        self.apply_evasions(self.fold_plain(text))
    }

    /// `fold` and `fold_plain` of `text` at once, for the cost of one: the
    /// scanner folds every form of a pack both ways at start-up.
    pub(crate) fn fold_both(&self, text: &str) -> (Folded, Folded) {
        let plain = self.fold_plain(text);
        (self.apply_evasions(plain.clone()), plain)
    }

    /// Folds without the evasion table. Pack forms are matched in both
    /// spellings, so that a form such as `しぬ` still finds the text the
    /// evasion table leaves alone (`しぬほうほう`).
    pub(crate) fn fold_plain(&self, text: &str) -> Folded {
        build(self.units(text))
    }

    /// The folded chars of `text` with their original ranges, before the
    /// evasion table: what every fold builds its text from.
    fn units(&self, text: &str) -> Vec<Unit> {
        self.join_separated(self.normalize(text))
    }

    fn normalize(&self, text: &str) -> Vec<Unit> {
        let mut out: Vec<Unit> = Vec::with_capacity(text.len());
        // A Latin letter typed three times or more stretches a word
        // (dieeee, kysss); no English word needs three in a row.
        let mut stretched = false;
        for (i, c) in text.char_indices() {
            if i > u32::MAX as usize - 4 {
                break;
            }
            let start = i as u32;
            let end = (i + c.len_utf8()) as u32;
            if c.is_ascii() {
                // Of ASCII only `~` needs `push`'s stretch handling.
                let c = c.to_ascii_lowercase();
                if c == '~' {
                    push(&mut out, c, start, end);
                } else {
                    stretched |= c.is_ascii_alphabetic()
                        && out.len() >= 2
                        && out[out.len() - 1].c == c
                        && out[out.len() - 2].c == c;
                    out.push(Unit { c, start, end });
                }
                continue;
            }
            // Kana, kanji, CJK punctuation and most other text fold to
            // themselves: skipping the normalizer for them keeps folding cheap.
            if bmp_flags(c) & INERT != 0 {
                if is_small_vowel(c) {
                    push(&mut out, c, start, end);
                } else {
                    out.push(Unit { c, start, end });
                }
                continue;
            }
            if is_invisible(c) {
                continue;
            }
            let c = match c {
                '\u{309B}' => '\u{3099}',
                '\u{309C}' => '\u{309A}',
                c => c,
            };
            // Half-width katakana in a post is nearly always a spelling
            // trick (ｼﾆﾀｲ); folding it to hiragana lets the dictionary and the
            // evasion table read it as the words it spells.
            let halfwidth_kana = ('\u{FF66}'..='\u{FF9D}').contains(&c);
            for n in std::iter::once(c).nfkc() {
                let n = match n {
                    '\u{30A1}'..='\u{30F6}' if halfwidth_kana => {
                        char::from_u32(n as u32 - 0x60).unwrap_or(n)
                    }
                    n => n,
                };
                for l in n.to_lowercase() {
                    push(&mut out, l, start, end);
                }
            }
        }
        if stretched {
            collapse_latin_runs(&mut out);
        }
        out
    }

    fn join_separated(&self, units: Vec<Unit>) -> Vec<Unit> {
        // Pieces are maximal runs of letters; between two pieces lies a run of
        // separators. A separator run is dropped when it splits a word into
        // single letters: `死 に た い`, `自.殺`, `k y s`.
        if !may_join(&units) {
            return self.unleet(units);
        }
        self.join_chains(units)
    }

    /// `join_separated` without the quick check.
    fn join_chains(&self, units: Vec<Unit>) -> Vec<Unit> {
        let n = units.len();
        let mut pieces: Vec<(usize, usize)> = Vec::new(); // [start, end) in units
        let mut i = 0;
        while i < n {
            if is_letter(units[i].c) {
                let s = i;
                while i < n && is_letter(units[i].c) {
                    i += 1;
                }
                pieces.push((s, i));
            } else {
                i += 1;
            }
        }
        let sep_between = |a: (usize, usize), b: (usize, usize)| -> bool {
            let gap = &units[a.1..b.0];
            !gap.is_empty() && gap.len() <= 3 && gap.iter().all(|u| is_separator(u.c))
        };
        // Allocated on the first chain found: most texts have none.
        let mut drop: Vec<bool> = Vec::new();
        let mut space: Vec<bool> = Vec::new();
        // Chains of single-letter pieces joined by separators.
        let mut k = 0;
        while k < pieces.len() {
            let mut j = k;
            while j + 1 < pieces.len() && sep_between(pieces[j], pieces[j + 1]) {
                let (a, b) = (pieces[j], pieces[j + 1]);
                let single_a = a.1 - a.0 == 1;
                let single_b = b.1 - b.0 == 1;
                let cjk = is_japanese(units[a.1 - 1].c) || is_japanese(units[b.0].c);
                if !(cjk && (single_a || single_b)) && !(single_a && single_b) {
                    break;
                }
                j += 1;
            }
            if j > k {
                let chain = &pieces[k..=j];
                let all_single = chain.iter().all(|p| p.1 - p.0 == 1);
                let any_cjk = chain
                    .iter()
                    .any(|p| units[p.0..p.1].iter().any(|u| is_japanese(u.c)));
                // Latin needs three letters in a row: `a b` is ordinary prose.
                if any_cjk || (all_single && chain.len() >= 3) {
                    if drop.is_empty() {
                        drop = vec![false; n];
                        space = vec![false; n];
                    }
                    // In `d i e  t o g e t h e r` the wider gap is a word
                    // break: it stays as one space; so is a space where most
                    // letters are joined by marks, `k-i-l-l y-o-u-r-s-e-l-f`
                    // (one apostrophe, `i t's`, does not make a chain marked).
                    let narrow = chain.windows(2).map(|w| w[1].0 - w[0].1).min().unwrap_or(1);
                    let spaced = |w: &[(usize, usize)]| {
                        units[w[0].1..w[1].0].iter().any(|u| u.c.is_whitespace())
                    };
                    let spaces = chain.windows(2).filter(|w| spaced(w)).count();
                    let marked = 2 * spaces < chain.len() - 1;
                    for w in chain.windows(2) {
                        let single = w[0].1 - w[0].0 == 1 || w[1].1 - w[1].0 == 1;
                        if any_cjk && !single {
                            continue;
                        }
                        let gap = w[0].1..w[1].0;
                        let keep_space = !any_cjk && (gap.len() > narrow || (marked && spaced(w)));
                        drop[gap.clone()].iter_mut().for_each(|d| *d = true);
                        if keep_space {
                            // A word break is one space, and the mark that
                            // ends a word stays: `t o n i g h t.  i` reads
                            // `tonight. i`, as the unspaced post does.
                            let ws = gap.clone().find(|&g| units[g].c.is_whitespace());
                            let at = ws.unwrap_or(gap.start);
                            drop[at] = false;
                            space[at] = true;
                            if ws.is_some() {
                                for g in gap.clone() {
                                    if !units[g].c.is_whitespace() {
                                        drop[g] = false;
                                    }
                                }
                            }
                        } else if !any_cjk
                            && gap.len() == 1
                            && units[gap.start].c == '\''
                            && matches!(units[gap.end].c, 's' | 't' | 'm' | 'd' | 'r' | 'v' | 'l')
                        {
                            // An apostrophe before a contraction's tail is
                            // part of the word: `i t's` reads `it's`.
                            drop[gap.start] = false;
                        }
                    }
                }
            }
            k = j + 1;
        }
        if drop.is_empty() {
            return self.unleet(units);
        }
        let mut units = units;
        for (u, s) in units.iter_mut().zip(&space) {
            if *s {
                u.c = ' ';
            }
        }
        let units = units
            .into_iter()
            .zip(drop)
            .filter_map(|(u, d)| (!d).then_some(u))
            .collect();
        self.unleet(units)
    }

    /// Digits standing for letters inside a Latin word (`su1c1de`).
    fn unleet(&self, mut units: Vec<Unit>) -> Vec<Unit> {
        let n = units.len();
        if !self.leet.is_empty() {
            for i in 1..n.saturating_sub(1) {
                let c = units[i].c;
                if self.leet_ascii && (!c.is_ascii() || c.is_ascii_alphabetic()) {
                    continue;
                }
                let (p, q) = (units[i - 1].c, units[i + 1].c);
                let in_word = p.is_ascii_alphabetic()
                    && (q.is_ascii_alphabetic() || leet_of(&self.leet, q).is_some());
                if let Some(l) = leet_of(&self.leet, c).filter(|_| in_word) {
                    units[i].c = l;
                }
            }
        }
        units
    }

    /// The kana-folded text of [`Folder::fold`], without the map back to
    /// the original: `kana_fold(fold(text).as_str())`, byte for byte.
    ///
    /// Most posts are screened on this text alone and never need the map,
    /// which costs eight bytes per byte of text to build.
    pub(crate) fn fold_kana(&self, text: &str) -> String {
        let units = self.units(text);
        let mut plain = String::with_capacity(units.len() * 3);
        let mut kana = String::with_capacity(units.len() * 3);
        for u in &units {
            plain.push(u.c);
            kana.push(kana_char(u.c));
        }
        let edits = self.evasion_edits(&plain);
        if edits.is_empty() {
            return kana;
        }
        Self::rewrite(&plain, edits)
    }

    /// [`Folder::fold_kana`] without the evasion table: what the screen
    /// reads. Equal to `fold_kana` whenever no evasion source occurs in it.
    pub(crate) fn fold_kana_plain(&self, text: &str) -> String {
        let units = self.units(text);
        let mut kana = String::with_capacity(units.len() * 3);
        for u in &units {
            kana.push(kana_char(u.c));
        }
        kana
    }

    /// The evasion table's sources as matched (folded, before kana folding).
    pub(crate) fn evasion_sources(&self) -> impl Iterator<Item = &str> {
        self.evasions.iter().map(|e| e.from.as_str())
    }

    fn rewrite(plain: &str, edits: Vec<(Range<usize>, &str)>) -> String {
        let mut out = String::with_capacity(plain.len());
        let mut last = 0;
        for (r, to) in edits {
            out.push_str(&plain[last..r.start]);
            out.push_str(to);
            last = r.end;
        }
        out.push_str(&plain[last..]);
        kana_fold(&out)
    }

    /// Where the evasion table rewrites `text`: non-overlapping ranges, in
    /// order, each with its replacement.
    fn evasion_edits(&self, text: &str) -> Vec<(Range<usize>, &str)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut edits = Vec::new();
        for m in ac.find_iter(text) {
            let e = &self.evasions[m.pattern().as_usize()];
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let blocked = before.is_some_and(|c| e.not_after.iter().any(|k| k.contains(c)))
                || after.is_some_and(|c| {
                    e.not_before.iter().any(|k| k.contains(c)) || e.not_before_chars.contains(c)
                });
            if !blocked {
                edits.push((m.start()..m.end(), e.to.as_str()));
            }
        }
        edits
    }

    fn apply_evasions(&self, folded: Folded) -> Folded {
        let edits = self.evasion_edits(&folded.text);
        if edits.is_empty() {
            return folded;
        }
        let text = &folded.text;
        let mut out = Folded {
            text: String::with_capacity(text.len()),
            starts: Vec::with_capacity(text.len()),
            ends: Vec::with_capacity(text.len()),
        };
        let mut last = 0;
        for (r, to) in edits {
            copy(&folded, last..r.start, &mut out);
            let (s, t) = (folded.starts[r.start], folded.ends[r.end - 1]);
            out.text.push_str(to);
            out.starts.extend(std::iter::repeat_n(s, to.len()));
            out.ends.extend(std::iter::repeat_n(t, to.len()));
            last = r.end;
        }
        copy(&folded, last..text.len(), &mut out);
        out
    }
}

/// Katakana to hiragana for one char (U+30A1..=U+30F6 to U+3041..=U+3096).
fn kana_char(c: char) -> char {
    if ('\u{30A1}'..='\u{30F6}').contains(&c) {
        char::from_u32(c as u32 - 0x60).unwrap_or(c)
    } else {
        c
    }
}

/// False when no two neighbouring pieces (maximal runs of letters) are
/// split by one to three separators with a single letter on either side:
/// then `join_separated` has nothing to join. One pass, no allocation; most
/// texts stop here.
fn may_join(units: &[Unit]) -> bool {
    let mut prev = 0; // length of the previous piece, 0 before the first
    let mut cur = 0; // length of the piece being read
    let mut gap = 0; // units since the previous piece ended
    let mut clean = true; // the gap holds only separators
    let mut joinable = false; // the current piece follows a joinable gap
    for u in units {
        if is_letter(u.c) {
            if cur == 0 {
                joinable = prev > 0 && (1..=3).contains(&gap) && clean;
            }
            cur += 1;
            continue;
        }
        if cur > 0 {
            if joinable && (prev == 1 || cur == 1) {
                return true;
            }
            (prev, cur, gap, clean) = (cur, 0, 0, true);
        }
        gap += 1;
        clean &= is_separator(u.c);
    }
    cur > 0 && joinable && (prev == 1 || cur == 1)
}

fn copy(from: &Folded, r: Range<usize>, to: &mut Folded) {
    to.text.push_str(&from.text[r.clone()]);
    to.starts.extend_from_slice(&from.starts[r.clone()]);
    to.ends.extend_from_slice(&from.ends[r]);
}

fn leet_of(table: &[(char, char)], c: char) -> Option<char> {
    table.iter().find(|(d, _)| *d == c).map(|(_, l)| *l)
}

fn push(out: &mut Vec<Unit>, c: char, start: u32, end: u32) {
    if is_combining_mark(c) {
        // A voicing mark or accent typed apart from its letter joins it;
        // anything else stacked on a letter (Zalgo text) is noise.
        if let Some(prev) = out.last_mut()
            && (prev.end == start || prev.end == end)
            && let Some(composed) = compose(prev.c, c)
        {
            prev.c = composed;
            prev.end = end;
        }
        return;
    }
    if is_stretch(c) {
        let prev = out.last().map(|u| u.c);
        if prev.is_some_and(|p| is_hiragana(p) || is_kanji(p) || is_stretch(p)) {
            return;
        }
        // After katakana a stretch mark is part of the word (ゲーム), but one
        // is enough; after anything else it is a wave dash, keep it.
        let c = if c == '〜' || c == '~' { c } else { 'ー' };
        if c == 'ー' && prev == Some('ー') {
            return;
        }
        out.push(Unit { c, start, end });
        return;
    }
    // A small vowel typed again and again stretches a word (しにたぁぁぁい)
    // the way ー does: one is kept, because one can carry meaning (死にてぇ
    // is 死にたい, おめぇ is お前); the pack's evasion table reads the rest.
    if is_small_vowel(c) && out.last().is_some_and(|u| u.c == c) {
        return;
    }
    out.push(Unit { c, start, end });
}

/// Folds each run of three or more of one Latin letter into one unit that
/// spans the whole run in the original.
fn collapse_latin_runs(units: &mut Vec<Unit>) {
    let mut w = 0;
    let mut r = 0;
    while r < units.len() {
        let u = units[r];
        let mut e = r + 1;
        while e < units.len() && units[e].c == u.c {
            e += 1;
        }
        if u.c.is_ascii_alphabetic() && e - r >= 3 {
            units[w] = Unit {
                end: units[e - 1].end,
                ..u
            };
            w += 1;
        } else {
            units.copy_within(r..e, w);
            w += e - r;
        }
        r = e;
    }
    units.truncate(w);
}

fn is_small_vowel(c: char) -> bool {
    matches!(
        c,
        'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ'
    )
}

fn build(units: Vec<Unit>) -> Folded {
    let mut f = Folded {
        text: String::with_capacity(units.len()),
        starts: Vec::with_capacity(units.len()),
        ends: Vec::with_capacity(units.len()),
    };
    for u in units {
        let len = u.c.len_utf8();
        f.text.push(u.c);
        f.starts.extend(std::iter::repeat_n(u.start, len));
        f.ends.extend(std::iter::repeat_n(u.end, len));
    }
    f
}

/// Flags of a char of the Basic Multilingual Plane (0 for others):
/// [`chars::char_flags`] for every BMP char, laid out by `core/build.rs`.
#[cfg(built_tables)]
pub(crate) fn bmp_flags(c: char) -> u8 {
    BMP_FLAGS.get(c as usize).copied().unwrap_or(0)
}

#[cfg(built_tables)]
static BMP_FLAGS: &[u8; 0x10000] = include_bytes!(concat!(env!("OUT_DIR"), "/bmp_flags.bin"));

/// The same flags for build.rs, which includes this module to lay out the
/// table and to fold the default pack's forms (only the crate build.rs
/// builds is given `built_tables`).
#[cfg(not(built_tables))]
pub(crate) fn bmp_flags(c: char) -> u8 {
    if (c as u32) < 0x10000 {
        chars::char_flags(c)
    } else {
        0
    }
}

fn is_separator(c: char) -> bool {
    (c.is_whitespace() && c != '\n' && c != '\r')
        || matches!(
            c,
            '.' | '・' | '-' | '_' | '*' | '/' | '|' | '\'' | '+' | '=' | '#' | ',' | '、'
        )
}

pub(crate) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if (c as u32) < 0x10000 {
        return bmp_flags(c) & LETTER != 0;
    }
    c.is_alphanumeric()
}

pub(crate) fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

pub(crate) fn is_katakana(c: char) -> bool {
    ('\u{30A1}'..='\u{30FA}').contains(&c) || c == 'ー' || ('\u{31F0}'..='\u{31FF}').contains(&c)
}

fn is_kanji_fast(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

pub(crate) fn is_kanji(c: char) -> bool {
    is_kanji_fast(c)
        || ('\u{3400}'..='\u{4DBF}').contains(&c)
        || ('\u{20000}'..='\u{3134F}').contains(&c)
        || c == '々'
}

pub(crate) fn is_japanese(c: char) -> bool {
    is_hiragana(c) || is_katakana(c) || is_kanji(c)
}

/// Katakana to hiragana, byte for byte: both blocks are three bytes wide in
/// UTF-8, so offsets into the result are offsets into the input.
pub(crate) fn kana_fold(text: &str) -> String {
    // U+30A1..=U+30F6 is E3 82 A1..E3 83 B6 in UTF-8, and minus 0x60 lands
    // in E3 81 81..E3 82 96: a three-byte rewrite in place, no decoding.
    let mut bytes = text.as_bytes().to_vec();
    let mut i = 0;
    while i + 2 < bytes.len() {
        if bytes[i] != 0xE3 {
            i += 1;
            continue;
        }
        let cp = 0x3000 | (u32::from(bytes[i + 1] & 0x3F) << 6) | u32::from(bytes[i + 2] & 0x3F);
        if (0x30A1..=0x30F6).contains(&cp) && (bytes[i + 1] & 0xC0) == 0x80 {
            let h = cp - 0x60;
            bytes[i + 1] = 0x80 | ((h >> 6) & 0x3F) as u8;
            bytes[i + 2] = 0x80 | (h & 0x3F) as u8;
        }
        i += 3;
    }
    String::from_utf8(bytes).expect("kana folding keeps UTF-8 valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_flag_table_agrees_with_the_char_classes() {
        for u in 0..=0xFFFFu32 {
            let expect = char::from_u32(u).map_or(0, chars::char_flags);
            assert_eq!(bmp_flags_at(u), expect, "U+{u:04X}");
        }
        // Outside the plane there is no table: `is_letter` asks Unicode.
        assert_eq!(bmp_flags('𠮷'), 0);
        assert!(is_letter('𠮷'));
    }

    fn bmp_flags_at(u: u32) -> u8 {
        char::from_u32(u).map_or(BMP_FLAGS[u as usize], bmp_flags)
    }

    fn folder() -> Folder {
        Folder::new(
            vec![
                Evasion {
                    from: "タヒ".into(),
                    to: "死".into(),
                    not_after: vec![],
                    not_before: vec![CharClass::Katakana],
                    not_before_chars: String::new(),
                },
                Evasion {
                    from: "kys".into(),
                    to: "kill yourself".into(),
                    not_after: vec![CharClass::Latin],
                    not_before: vec![CharClass::Latin],
                    not_before_chars: String::new(),
                },
            ],
            vec![('1', 'i'), ('3', 'e'), ('0', 'o')],
        )
    }

    fn fold(s: &str) -> String {
        folder().fold(s).text
    }

    #[test]
    fn widths_case_and_kana() {
        assert_eq!(fold("ｼﾆﾀｲ"), "しにたい");
        assert_eq!(fold("ｼﾞｻﾂ"), "じさつ");
        assert_eq!(fold("シニタイ"), "シニタイ");
        assert_eq!(fold("ＫＩＬＬ Ｍｙｓｅｌｆ"), "kill myself");
        assert_eq!(kana_fold("シニタイ"), "しにたい");
    }

    #[test]
    fn separators_between_single_letters() {
        assert_eq!(fold("死 に た い"), "死にたい");
        assert_eq!(fold("自.殺.仲.間.募.集"), "自殺仲間募集");
        assert_eq!(fold("k y s"), "kill yourself");
        assert_eq!(fold("死　ね"), "死ね");
        assert_eq!(fold("今から しにます みんな"), "今から しにます みんな");
        assert_eq!(fold("a b and c"), "a b and c");
        assert_eq!(fold("d i e  t o g e t h e r"), "die together");
        // Spaced like the plain post: the mark ending a word and a
        // contraction's apostrophe stay, dotted letters still join.
        assert_eq!(
            fold("i t's  h a p p e n i n g  t o n i g h t.  b y e"),
            "it's happening tonight. bye"
        );
        assert_eq!(fold("d'i'e"), "die");
        assert_eq!(fold("s.u.i.c.i.d.e"), "suicide");
        // Letters joined by marks, words by a space.
        assert_eq!(fold("k-i-l-l y-o-u-r-s-e-l-f."), "kill yourself.");
        assert_eq!(fold("w.a.n.t t.o d.i.e"), "want to die");
        // The middle dot separates letters, and still words.
        assert_eq!(fold("し・ね"), "しね");
        assert_eq!(fold("ドラゴン・クエスト"), "ドラゴン・クエスト");
    }

    #[test]
    fn invisible_and_stretched() {
        assert_eq!(fold("死\u{200b}に\u{200d}た\u{feff}い"), "死にたい");
        assert_eq!(fold("死ーにーたーいー"), "死にたい");
        assert_eq!(fold("ゲーーーム"), "ゲーム");
        assert_eq!(fold("しにたぁぁぁぁい"), "しにたぁい");
        assert_eq!(fold("i want to dieeeee"), "i want to die");
        assert_eq!(fold("kysss 💀"), "kill yourself 💀");
        assert_eq!(fold("good book, all cool"), "good book, all cool");
        assert_eq!(fold("しにてぇぇぇ"), "しにてぇ");
        assert_eq!(
            fold("ファイル、ティッシュ、ウォーク"),
            "ファイル、ティッシュ、ウォーク"
        );
        assert_eq!(fold("d\u{0336}i\u{0336}e\u{0336}"), "die");
    }

    #[test]
    fn evasions_respect_guards() {
        assert_eq!(fold("タヒにたい"), "死にたい");
        assert_eq!(fold("タヒチに行く"), "タヒチに行く");
        assert_eq!(fold("su1c1de"), "suicide");
        assert_eq!(fold("skysail"), "skysail");
        assert_eq!(fold("mp3 h2o"), "mp3 h2o");
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let original = "ｼﾞ\u{200b}ｻﾂ タヒ ｋｙｓ";
        let f = folder().fold(original);
        let t = f.as_str();
        for (i, _) in t.char_indices() {
            let r = f.original_range(i..t.len());
            assert!(original.is_char_boundary(r.start) && original.is_char_boundary(r.end));
        }
        let at = t.find("死").unwrap();
        let r = f.original_range(at..at + "死".len());
        assert_eq!(&original[r], "タヒ");
        let at = t.find("kill").unwrap();
        let r = f.original_range(at..t.len());
        assert_eq!(&original[r], "ｋｙｓ");
        let r = f.original_range(0.."じ".len());
        assert_eq!(&original[r], "ｼﾞ");
    }

    #[test]
    fn the_quick_join_check_misses_no_chain() {
        // Texts from letters, kana, kanji and separators in every mix: when
        // `may_join` says no, the full chain search must find nothing.
        let f = folder();
        let alphabet: Vec<char> = "ak死にた 　.・-_、/abc".chars().collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut checked = 0;
        for _ in 0..20_000 {
            let len = 1 + (state >> 60) as usize;
            let text: String = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    alphabet[(state >> 33) as usize % alphabet.len()]
                })
                .collect();
            let units = f.normalize(&text);
            if !may_join(&units) {
                checked += 1;
                let chars = |u: Vec<Unit>| u.iter().map(|u| u.c).collect::<String>();
                assert_eq!(
                    chars(f.join_chains(units.clone())),
                    chars(f.unleet(units)),
                    "{text:?}"
                );
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn empty_and_edges() {
        let f = folder().fold("");
        assert_eq!(f.as_str(), "");
        assert_eq!(f.original_range(0..0), 0..0);
        let f = folder().fold("\u{200b}\u{200b}");
        assert_eq!(f.as_str(), "");
    }
}

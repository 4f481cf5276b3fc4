//! Analyze: morphology for the posts that hit a trigger.
//!
//! Substrings cannot tell `死にたい` (a wish to die) from `死にたくない` (the
//! opposite), `死ぬほど眠い` (hyperbole) or `必死` (an idiom). Lindera with
//! IPADIC splits the folded text into tokens with part of speech, conjugation
//! form and base form, so that:
//!
//! - every conjugation of a verb meets its base form (`死に`/`死ん`/`死の`/`死な`
//!   → `死ぬ`), and concepts can be listed once by lemma;
//! - a form hit counts only when it begins and ends on token boundaries (`死`
//!   in `必死` does not);
//! - each concept hit gets the concepts in its *tail*, the auxiliaries and
//!   particles that follow it up to the next independent word, plus the noun
//!   it modifies: `死に|たく|ない` is DIE carrying WANT and NEG, `死に|たい|人`
//!   is DIE carrying WANT and PERSON. Rules use these as `DIE+WANT-NEG`.
//!
//! Katakana words the dictionary does not know are looked at again in
//! hiragana, because whole phrases written in katakana (`ｼﾆﾀｲ` → `シニタイ`) are
//! an evasion, not loanwords.
//!
//! English has no tokenizer here: its tail is the next few words, and
//! negation before a phrase (`don't want to die`) attaches too.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

use lindera::dictionary::{Dictionary, load_dictionary, load_fs_dictionary_with_options};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use serde::Serialize;

use crate::error::Error;
use crate::fold::{Folder, is_japanese, is_kanji, is_katakana, kana_fold};
use crate::pack::{Attach, Pack};
use crate::scan::{Hit, Source};

/// How many words an English hit's tail (and head) reaches.
const ASCII_WINDOW_WORDS: usize = 3;

/// How many tokens a Japanese hit's tail reaches at most.
const MAX_TAIL_TOKENS: usize = 8;

/// Where the IPADIC dictionary comes from.
#[derive(Clone, Debug, Default)]
pub enum DictionarySource {
    /// The dictionary compiled into the binary (feature `embed-ipadic`).
    #[default]
    Embedded,
    /// A lindera dictionary directory built by `scripts/setup-dictionary.sh`,
    /// memory-mapped at run time.
    Dir(PathBuf),
}

/// One token of the analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Token {
    /// Byte offsets into the folded text.
    pub start: usize,
    /// End byte offset (exclusive) into the folded text.
    pub end: usize,
    /// The token as it appears in the folded text.
    pub surface: String,
    /// Its base form (`死ぬ` for `死に`), or the surface when it has none.
    pub base: String,
    /// Part of speech and its first subdivision (`動詞,自立`).
    pub pos: String,
    /// Conjugation form (`命令ｅ`), or `*`.
    pub conj: String,
    /// Conjugation type (`五段・ナ行`, `特殊・タ`), or `*`.
    pub conj_type: String,
    /// False when the dictionary does not know the word.
    pub known: bool,
    /// Its reading in katakana (`シニ` for `死に`), or empty when the
    /// dictionary has none.
    pub reading: String,
}

/// A morphological analyzer and the pack's token-level concept tables.
pub(crate) struct Analyzer {
    segmenter: Segmenter,
    // Base form → (concept, part-of-speech prefix the token must have).
    by_lemma: HashMap<String, Vec<(usize, Option<String>)>>,
    by_conj: HashMap<String, Vec<usize>>,
    tail_through: Vec<String>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").finish_non_exhaustive()
    }
}

pub(crate) fn load(source: &DictionarySource) -> Result<Dictionary, Error> {
    match source {
        DictionarySource::Embedded => {
            load_dictionary("embedded://ipadic").map_err(|e| Error::Dictionary {
                source_name: "embedded://ipadic".into(),
                reason: e.to_string(),
                fix: "build with the `embed-ipadic` feature (run scripts/setup-dictionary.sh first when offline), or use Builder::dictionary_dir",
            })
        }
        DictionarySource::Dir(dir) => {
            load_fs_dictionary_with_options(dir, true).map_err(|e| Error::Dictionary {
                source_name: dir.display().to_string(),
                reason: e.to_string(),
                fix: "point it at a directory built by scripts/setup-dictionary.sh (it holds dict.da, matrix.mtx, …)",
            })
        }
    }
}

impl Analyzer {
    pub(crate) fn new(dictionary: Dictionary, pack: &Pack, folder: &Folder) -> Analyzer {
        let key = |s: &str| kana_fold(folder.fold(s).as_str());
        let mut by_lemma: HashMap<String, Vec<(usize, Option<String>)>> = HashMap::new();
        let mut by_conj: HashMap<String, Vec<usize>> = HashMap::new();
        for (ci, c) in pack.concepts.iter().enumerate() {
            // `方@名詞,非自立`: the lemma only for tokens of that part of
            // speech; `だ@特殊・タ`: only for that conjugation type (the past
            // だ of 死んだ, not the copula of 死ぬんだ).
            for l in &c.lemmas {
                let (lemma, pos) = match l.split_once('@') {
                    Some((l, p)) => (l, Some(p.to_string())),
                    None => (l.as_str(), None),
                };
                by_lemma.entry(key(lemma)).or_default().push((ci, pos));
            }
            for j in &c.conj {
                by_conj.entry(j.clone()).or_default().push(ci);
            }
        }
        Analyzer {
            segmenter: Segmenter::new(Mode::Normal, dictionary, None),
            by_lemma,
            by_conj,
            tail_through: pack.tail_through.iter().map(|s| key(s)).collect(),
        }
    }

    /// `text` with every word that has kanji spelled out in hiragana from
    /// its dictionary reading (`死にたい` → `しにたい`, `自殺` → `じさつ`).
    pub(crate) fn respell_in_hiragana(&self, text: &str) -> String {
        let tokens = self.tokens(text);
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for t in &tokens {
            if t.start < at || t.end > text.len() {
                continue;
            }
            out.push_str(&text[at..t.start]);
            let word = &text[t.start..t.end];
            if word.chars().any(is_kanji) && !t.reading.is_empty() {
                out.push_str(&kana_fold(&t.reading));
            } else {
                out.push_str(word);
            }
            at = t.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// Tokens of the folded text. Empty when the text has no Japanese.
    pub(crate) fn tokens(&self, folded: &str) -> Vec<Token> {
        if !folded.chars().any(is_japanese) {
            return Vec::new();
        }
        let mut out = Vec::new();
        self.segment_into(folded, 0, true, &mut out);
        out
    }

    fn segment_into(&self, text: &str, offset: usize, retry: bool, out: &mut Vec<Token>) {
        let Ok(tokens) = self.segmenter.segment(Cow::Borrowed(text)) else {
            return;
        };
        for mut t in tokens {
            let known = !t.word_id.is_unknown();
            let surface = t.surface.to_string();
            let (start, end) = (t.byte_start + offset, t.byte_end + offset);
            if retry && !known && surface.chars().count() >= 2 && surface.chars().all(is_katakana) {
                let hira = kana_fold(&surface);
                let mut sub = Vec::new();
                self.segment_into(&hira, start, false, &mut sub);
                if sub.iter().all(|s| s.known) {
                    // The hiragana reading is made of real words: keep the
                    // katakana surface, take the analysis.
                    for mut s in sub {
                        s.surface = folded_slice(&surface, s.start - start, s.end - start);
                        out.push(s);
                    }
                    continue;
                }
            }
            let d = t.details();
            let field = |i: usize| d.get(i).copied().filter(|s| *s != "*");
            let base = field(6).map_or_else(|| surface.clone(), str::to_string);
            let pos = match (field(0), field(1)) {
                (Some(a), Some(b)) => format!("{a},{b}"),
                (Some(a), None) => a.to_string(),
                _ => String::new(),
            };
            let conj = d.get(5).copied().unwrap_or("*").to_string();
            let conj_type = d.get(4).copied().unwrap_or("*").to_string();
            let reading = field(7).unwrap_or_default().to_string();
            out.push(Token {
                start,
                end,
                surface,
                base,
                pos,
                conj,
                conj_type,
                known,
                reading,
            });
        }
    }

    /// Concept hits found through tokens: base forms and conjugation forms.
    pub(crate) fn token_hits(&self, pack: &Pack, tokens: &[Token]) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut seen: std::collections::HashSet<(usize, usize, usize)> = Default::default();
        for t in tokens {
            let base = kana_fold(&t.base);
            let mut push = |ci: usize| {
                let c = &pack.concepts[ci];
                if !c.pos.is_empty() && !c.pos.iter().any(|p| t.pos.starts_with(p.as_str())) {
                    return;
                }
                if seen.insert((ci, t.start, t.end)) {
                    out.push(Hit {
                        concept: ci,
                        start: t.start,
                        end: t.end,
                        source: Source::Token,
                    });
                }
            };
            if let Some(cs) = self.by_lemma.get(&base) {
                for (ci, pos) in cs {
                    if pos
                        .as_ref()
                        .is_none_or(|p| t.pos.starts_with(p.as_str()) || t.conj_type == *p)
                    {
                        push(*ci);
                    }
                }
            }
            // A conjugated verb spelled all in katakana is nearly always a
            // loanword or slang noun the dictionary misread (スレ, a
            // thread, as the imperative of する): its conjugation says
            // nothing. Its base form still counts above.
            let katakana = t.surface.chars().all(is_katakana);
            if let Some(cs) = self.by_conj.get(&t.conj).filter(|_| !katakana) {
                cs.iter().for_each(|&ci| push(ci));
            }
        }
        out
    }

    /// For each hit, the hits attached to it (indices into `hits`): hits
    /// overlapping it, hits in its tail, and for English hits, hits in the
    /// few words before it.
    pub(crate) fn attach(
        &self,
        pack: &Pack,
        text: &str,
        tokens: &[Token],
        hits: &[Hit],
    ) -> Vec<Vec<usize>> {
        // `hits` is sorted by start. Only hits whose start lies within the
        // reach (widened by the longest hit, for overlaps and heads) can
        // attach, so each hit looks at its neighbourhood, not at the post:
        // a post made of a million trigger words stays linear.
        debug_assert!(hits.windows(2).all(|w| w[0].start <= w[1].start));
        let longest = hits.iter().map(|h| h.end - h.start).max().unwrap_or(0);
        hits.iter()
            .enumerate()
            .map(|(hi_idx, h)| {
                let (lo, hi) = self.reach(text, tokens, h);
                let from = hits.partition_point(|o| o.start + longest < lo);
                let to = hits.partition_point(|o| o.start <= hi);
                hits[from..to.max(from)]
                    .iter()
                    .enumerate()
                    .map(|(k, o)| (from + k, o))
                    .filter(|&(k, o)| k != hi_idx && o.concept != h.concept)
                    // A token inside a surface form is a piece of that same
                    // word, read apart when the dictionary missed it (`しぬ`
                    // as する + the negative ぬ): it says nothing about it.
                    .filter(|(_, o)| {
                        !(o.source == Source::Token
                            && h.source == Source::Form
                            && o.start >= h.start
                            && o.end <= h.end)
                    })
                    .filter(|(_, o)| {
                        let overlaps = o.start < h.end && o.end > h.start;
                        // A zero-width hit (the end of the text) belongs to
                        // a tail that reaches it.
                        let tail = o.start >= h.end
                            && (o.start < hi || (o.start == o.end && o.start == hi));
                        let head = o.end <= h.start && o.end > lo;
                        match pack.concepts[o.concept].attach {
                            Attach::Both => overlaps || tail || head,
                            Attach::Before => head,
                            Attach::After => overlaps || tail,
                        }
                    })
                    .map(|(k, _)| k)
                    .collect()
            })
            .collect()
    }

    /// The range around a hit in which modifiers attach: `(lo, hi)` such
    /// that hits ending after `lo` (before the hit) or starting before `hi`
    /// (after it) belong to it.
    fn reach(&self, text: &str, tokens: &[Token], h: &Hit) -> (usize, usize) {
        let ascii = text[h.start..h.end].is_ascii();
        if ascii || tokens.is_empty() {
            return ascii_window(text, h.start, h.end);
        }
        // Before the hit: back over particles, auxiliaries, adverbs and
        // commas to the word they hang on (`お前は|死ね`, `自分|死ねよ`).
        let mut lo = h.start;
        let first = tokens.partition_point(|t| t.end <= h.start);
        if first < tokens.len() {
            let mut j = first;
            let mut steps = 0;
            while j > 0 && steps < 3 {
                j -= 1;
                steps += 1;
                let p = tokens[j].pos.as_str();
                lo = tokens[j].start;
                let skip = p.starts_with("助詞")
                    || p.starts_with("副詞")
                    || p.starts_with("記号,読点")
                    || p.starts_with("接頭詞");
                if !skip {
                    break;
                }
            }
        }
        let mut i = tokens.partition_point(|t| t.end < h.end);
        if i >= tokens.len() {
            return (lo, h.end);
        }
        let mut hi = tokens[i].end.max(h.end);
        i += 1;
        // Real tails are a few auxiliaries long (死に|たく|なっ|て|しまい|たい);
        // the bound keeps a run of suffix-like tokens from making every
        // hit reach the end of a long post.
        let limit = (i + MAX_TAIL_TOKENS).min(tokens.len());
        while i < limit && self.dependent(&tokens[i]) {
            hi = tokens[i].end;
            i += 1;
        }
        if i < tokens.len() && tokens[i].pos.starts_with("名詞") && tokens[i].start == hi {
            hi = tokens[i].end;
        }
        (lo, hi)
    }

    fn dependent(&self, t: &Token) -> bool {
        let p = t.pos.as_str();
        p.starts_with("助動詞")
            || p.starts_with("助詞")
            || p == "動詞,非自立"
            || p == "動詞,接尾"
            || p == "形容詞,非自立"
            || p == "名詞,非自立"
            || p == "名詞,接尾"
            || p == "名詞,特殊"
            // The closing bracket of a quote: what follows it (「消えたい」
            // って書いてあった) is said of the quoted words.
            || p == "記号,括弧閉"
            || self.tail_through.contains(&kana_fold(&t.base))
    }
}

fn folded_slice(s: &str, a: usize, b: usize) -> String {
    s.get(a..b).unwrap_or(s).to_string()
}

/// The window of up to [`ASCII_WINDOW_WORDS`] words on each side of a span.
fn ascii_window(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'\'';
    // A clause ends the window: `nobody cares, go kill yourself`.
    let is_stop = |b: u8| matches!(b, b'.' | b'\n' | b',' | b';' | b':' | b'!' | b'?');
    let mut hi = end;
    let mut words = 0;
    let mut i = end;
    while i < bytes.len() && words < ASCII_WINDOW_WORDS {
        while i < bytes.len() && !is_word(bytes[i]) && !is_stop(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() || !is_word(bytes[i]) {
            break;
        }
        while i < bytes.len() && is_word(bytes[i]) {
            i += 1;
        }
        hi = i;
        words += 1;
    }
    let mut lo = start;
    let mut words = 0;
    let mut j = start;
    while j > 0 && words < ASCII_WINDOW_WORDS {
        while j > 0 && !is_word(bytes[j - 1]) && !is_stop(bytes[j - 1]) {
            j -= 1;
        }
        if j == 0 || !is_word(bytes[j - 1]) {
            break;
        }
        while j > 0 && is_word(bytes[j - 1]) {
            j -= 1;
        }
        lo = j;
        words += 1;
    }
    // `lo` is compared as "ends after lo": move it one before the first word.
    (lo.saturating_sub(1).min(start), hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_window_counts_words() {
        let t = "i really don't want to die at all today";
        let s = t.find("want").unwrap();
        let e = t.find(" at").unwrap();
        let (lo, hi) = ascii_window(t, s, e);
        assert_eq!(lo, 0, "three words back reach the start");
        assert_eq!(&t[e..hi], " at all today");
        let (lo, hi) = ascii_window("die. ok", 0, 3);
        assert_eq!((lo, hi), (0, 3));
    }

    #[test]
    fn ascii_window_stops_at_clause_punctuation() {
        let t = "nobody cares, go kill yourself, loser";
        let s = t.find("kill").unwrap();
        let e = s + "kill yourself".len();
        let (lo, hi) = ascii_window(t, s, e);
        assert!(!t[lo..s].contains("cares"), "{:?}", &t[lo..s]);
        assert_eq!(hi, e);
    }
}

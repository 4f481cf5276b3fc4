//! The trigger scan: one pass of Aho-Corasick automata over the folded text.
//!
//! Most posts on a platform have nothing to do with suicide. The trigger
//! automaton holds the surface forms of the pack's anchor concepts (dying,
//! suicide, means, the verbs of violence against oneself); a post in which it
//! finds nothing is `none` without further work. Only posts with a trigger
//! pay for the full scan (every form of every concept, overlapping) and for
//! morphological analysis.
//!
//! Both automata run over the kana-folded text (katakana as hiragana), with
//! patterns folded the same way, so `シニタイ`, `しにたい` and `死にたい` meet the
//! same forms. Kana folding keeps byte offsets, so hits point into the folded
//! text directly.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::fold::{Folder, kana_fold};
use crate::pack::{Align, Pack};

/// Where a concept hit came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// A surface form of the pack, found by the automaton.
    Form,
    /// A token whose base form or conjugation form the pack lists.
    Token,
}

/// One occurrence of a concept in the folded text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Hit {
    pub(crate) concept: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) source: Source,
}

/// The first look at a post: one automaton, one pass, that says whether
/// anything in it can matter. It holds every trigger form, every term of the
/// model's prefilter and every source of the evasion table, and reads the text
/// folded without the evasion table. A post it finds nothing in holds no
/// trigger (with or without evasions: none of their sources occurs, so the
/// table would change nothing) and gives the model nothing to read: it is
/// `none`, and that is the verdict of most posts.
#[derive(Clone, Debug)]
pub(crate) struct Screen {
    automaton: AhoCorasick,
}

impl Screen {
    /// A screen over `terms` (already folded as the text will be).
    pub(crate) fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> Screen {
        let all: HashSet<&str> = terms.into_iter().filter(|t| !t.is_empty()).collect();
        // The screen only asks whether any term occurs, so a term that holds
        // another one (`死にたい` holds `死`) adds nothing: dropping those
        // makes the automaton a fraction of the size, quicker to build and
        // to search.
        let mut terms: Vec<&str> = all
            .iter()
            .copied()
            .filter(|t| !holds_another(t, &all))
            .collect();
        terms.sort_unstable();
        let automaton = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&terms)
            .expect("screen terms are plain strings");
        Screen { automaton }
    }

    /// True when nothing in `plain_kana` can matter.
    pub(crate) fn clear(&self, plain_kana: &str) -> bool {
        !self.automaton.is_match(plain_kana)
    }
}

/// True when a proper substring of `term` is in `terms`.
fn holds_another(term: &str, terms: &HashSet<&str>) -> bool {
    let bounds: Vec<usize> = term
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(term.len()))
        .collect();
    bounds.iter().enumerate().any(|(a, &s)| {
        bounds[a + 1..]
            .iter()
            .any(|&e| e - s < term.len() && terms.contains(&term[s..e]))
    })
}

/// Surface-form automata compiled from a pack.
#[derive(Clone, Debug)]
pub(crate) struct Scanner {
    trigger: AhoCorasick,
    // The trigger forms as searched (kana-folded), for the screen.
    trigger_forms: Vec<String>,
    trigger_ascii: Vec<bool>,
    all: AhoCorasick,
    // For each pattern of `all`: the concepts it belongs to, and whether it
    // is plain ASCII (matched on word boundaries rather than tokens).
    owners: Vec<Vec<usize>>,
    ascii: Vec<bool>,
}

impl Scanner {
    pub(crate) fn new(pack: &Pack, folder: &Folder) -> Scanner {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut triggers: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (ci, c) in pack.concepts.iter().enumerate() {
            for form in &c.forms {
                let (folded, plain) = folder.fold_both(form);
                let (folded, plain) = (kana_fold(folded.as_str()), kana_fold(plain.as_str()));
                let spellings = if plain == folded {
                    vec![folded]
                } else {
                    vec![folded, plain]
                };
                for p in spellings {
                    if p.is_empty() {
                        continue;
                    }
                    if c.anchor {
                        triggers.push(p.clone());
                    }
                    match index.get(&p) {
                        Some(&i) => {
                            if !owners[i].contains(&ci) {
                                owners[i].push(ci)
                            }
                        }
                        None => {
                            index.insert(p.clone(), patterns.len());
                            patterns.push(p);
                            owners.push(vec![ci]);
                        }
                    }
                }
            }
        }
        let ascii = patterns.iter().map(|p| p.is_ascii()).collect();
        let trigger_ascii = triggers.iter().map(|p| p.is_ascii()).collect();
        // Every post the screen does not clear is searched here, and with a
        // model that reads any post (the default pack) that is every post:
        // a DFA searches about three times as fast as the default automaton
        // for a few milliseconds more at start-up.
        let trigger = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&triggers)
            .expect("trigger patterns are plain strings");
        let all = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("concept forms are plain strings");
        Scanner {
            trigger,
            trigger_forms: triggers,
            trigger_ascii,
            all,
            owners,
            ascii,
        }
    }

    /// The trigger forms as the scan searches for them.
    pub(crate) fn trigger_forms(&self) -> &[String] {
        &self.trigger_forms
    }

    /// True when the kana-folded text holds a form of an anchor concept.
    /// ASCII forms count only on word boundaries, as everywhere else:
    /// `od` in `today` sends nothing to analysis.
    pub(crate) fn triggers(&self, kana: &str) -> bool {
        let bytes = kana.as_bytes();
        self.trigger.find_iter(kana).any(|m| {
            if !self.trigger_ascii[m.pattern().as_usize()] {
                return true;
            }
            let (s, e) = (m.start(), m.end());
            let before = s == 0 || !is_word_byte(bytes[s - 1]) || !is_word_byte(bytes[s]);
            let after = e == bytes.len() || !is_word_byte(bytes[e]) || !is_word_byte(bytes[e - 1]);
            before && after
        })
    }

    /// Where the trigger forms occur (byte spans of `kana`), as
    /// [`Scanner::triggers`] accepts them.
    pub(crate) fn trigger_spans(&self, kana: &str) -> Vec<(usize, usize)> {
        let bytes = kana.as_bytes();
        self.trigger
            .find_iter(kana)
            .filter(|m| {
                if !self.trigger_ascii[m.pattern().as_usize()] {
                    return true;
                }
                let (s, e) = (m.start(), m.end());
                let before = s == 0 || !is_word_byte(bytes[s - 1]) || !is_word_byte(bytes[s]);
                let after =
                    e == bytes.len() || !is_word_byte(bytes[e]) || !is_word_byte(bytes[e - 1]);
                before && after
            })
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    /// Every occurrence of every form. `aligned` says whether a non-ASCII
    /// hit's start and end each sit on a token boundary; ASCII forms must
    /// sit on word boundaries.
    pub(crate) fn hits(
        &self,
        pack: &Pack,
        kana: &str,
        aligned: impl Fn(usize, usize) -> (bool, bool),
    ) -> Vec<Hit> {
        // A line break after the text lets forms mark the end of a post
        // (`で\n`) as they mark the end of a line; hits on it are clipped.
        let padded = format!("{kana}\n");
        let bytes = padded.as_bytes();
        let len = kana.len();
        let mut out = Vec::new();
        for m in self.all.find_overlapping_iter(&padded) {
            let p = m.pattern().as_usize();
            let (s, e) = (m.start().min(len), m.end().min(len));
            let ok_word = || {
                let before =
                    s == 0 || s == len || !is_word_byte(bytes[s - 1]) || !is_word_byte(bytes[s]);
                let after =
                    e == len || e == 0 || !is_word_byte(bytes[e]) || !is_word_byte(bytes[e - 1]);
                before && after
            };
            for &ci in &self.owners[p] {
                let concept = &pack.concepts[ci];
                let ok = if self.ascii[p] {
                    ok_word()
                } else if s == e {
                    true
                } else {
                    match concept.align {
                        Align::None => true,
                        // A form opening on a bracket or a mark (`」って来`)
                        // begins a phrase wherever IPADIC glued the mark
                        // (`?」` is one unknown token).
                        Align::Start => {
                            aligned(s, e).0
                                || kana[s..]
                                    .chars()
                                    .next()
                                    .is_some_and(|c| !c.is_alphanumeric())
                        }
                        Align::Token => aligned(s, e) == (true, true),
                    }
                };
                if ok {
                    out.push(Hit {
                        concept: ci,
                        start: s,
                        end: e,
                        source: Source::Form,
                    });
                }
            }
        }
        out
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"
        [pack]
        name = "t"
        version = "1"
        [concepts.DIE]
        anchor = true
        forms = ["die", "死", "シニ"]
        [concepts.TOGETHER]
        forms = ["together", "一緒に"]
        [concepts.SAID]
        forms = ["とdm", "」って"]
        align = "start"
        [[rules]]
        id = "r"
        category = "inducement"
        score = 0.9
        all = ["DIE", "TOGETHER"]
    "#;

    fn setup() -> (Pack, Folder, Scanner) {
        let pack = Pack::from_toml("t", PACK).unwrap();
        let folder = Folder::new(vec![], vec![]);
        let scanner = Scanner::new(&pack, &folder);
        (pack, folder, scanner)
    }

    #[test]
    fn triggers_only_on_anchor_forms() {
        let (_, _, s) = setup();
        assert!(s.triggers("let's die"));
        assert!(s.triggers("しにたい"));
        assert!(!s.triggers("一緒に映画"));
        assert!(!s.triggers("together"));
        assert!(!s.triggers("studied"), "ASCII forms need word boundaries");
    }

    #[test]
    fn ascii_forms_need_word_boundaries() {
        let (p, _, s) = setup();
        let hits = s.hits(&p, "my diet, die together", |_, _| (true, true));
        let spans: Vec<_> = hits.iter().map(|h| (h.start, h.end)).collect();
        assert_eq!(spans, vec![(9, 12), (13, 21)]);
    }

    #[test]
    fn alignment_is_consulted_for_japanese() {
        let (p, _, s) = setup();
        assert_eq!(s.hits(&p, "必死", |_, _| (false, false)).len(), 0);
        assert_eq!(s.hits(&p, "死を", |_, _| (true, true)).len(), 1);
    }

    // `るーと` (ルート folded) ends in the と that opens `とdm`: a form
    // aligned at its start needs a token to begin where it begins, unless
    // it opens on a mark IPADIC glued to the word before (`?」`).
    #[test]
    fn start_alignment_checks_only_the_start() {
        let (p, _, s) = setup();
        let said = |text: &str, start_ok: bool| {
            s.hits(&p, text, |_, _| (start_ok, false))
                .iter()
                .filter(|h| p.concepts[h.concept].name == "SAID")
                .count()
        };
        assert_eq!(said("るーとdmで", false), 0);
        assert_eq!(said("死ねとdmで", true), 1);
        assert_eq!(said("分かる?」って来た", false), 1);
    }
}

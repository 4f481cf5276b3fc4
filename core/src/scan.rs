//! The trigger scan: one pass of a DFA over the folded text.
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
//!
//! Building the trigger DFA was the largest part of start-up, so the default
//! pack's is built by build.rs and only read here (`prebuilt`); any other
//! pack's is built at start-up (Aho-Corasick). Both find the same matches,
//! which a test checks on the whole corpus.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::Input;
use regex_automata::dfa::Automaton;
use regex_automata::dfa::dense::DFA;

use crate::fold::Folder;
use crate::pack::{Align, Pack};

mod forms;
mod prebuilt;

use forms::Forms;

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
    trigger: Trigger,
    // The trigger forms as searched (kana-folded), for the screen.
    trigger_forms: Vec<String>,
    all: AhoCorasick,
    // For each pattern of `all`: the concepts it belongs to, and whether it
    // is plain ASCII (matched on word boundaries rather than tokens).
    owners: Vec<Vec<usize>>,
    ascii: Vec<bool>,
}

impl Scanner {
    pub(crate) fn new(pack: &Pack, folder: &Folder) -> Scanner {
        let Forms {
            patterns,
            owners,
            triggers,
        } = Forms::of(pack, folder);
        let ascii = patterns.iter().map(|p| p.is_ascii()).collect();
        let trigger = Trigger::new(&triggers, true);
        let all = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("concept forms are plain strings");
        Scanner {
            trigger,
            trigger_forms: triggers,
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
        self.trigger.any(kana)
    }

    /// Where the trigger forms occur (byte spans of `kana`), as
    /// [`Scanner::triggers`] accepts them.
    pub(crate) fn trigger_spans(&self, kana: &str) -> Vec<(usize, usize)> {
        self.trigger.spans(kana)
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

/// The automaton that finds trigger forms: leftmost-first (the form listed
/// first wins among those starting at the same place), one match after
/// another without overlap.
#[derive(Clone, Debug)]
enum Trigger {
    /// Built at start-up, for any pack.
    Built {
        automaton: AhoCorasick,
        // For each form: whether it is plain ASCII.
        ascii: Vec<bool>,
    },
    /// The default pack's, built by build.rs (see `prebuilt`). Boxed: a
    /// DFA's header is some 800 bytes.
    Prebuilt(Box<Prebuilt>),
}

impl Trigger {
    /// The automaton for `triggers`: the prebuilt one when it was built
    /// from exactly this list and `prebuilt` allows it (tests compare the
    /// two), else one built now.
    fn new(triggers: &[String], prebuilt: bool) -> Trigger {
        if let Some(dfa) = prebuilt.then(|| prebuilt::trigger(triggers)).flatten() {
            return Trigger::Prebuilt(Box::new(Prebuilt::new(dfa, triggers)));
        }
        // Every post the screen does not clear is searched here, and with a
        // model that reads any post (the default pack) that is every post:
        // a DFA searches about three times as fast as the default automaton
        // for a few milliseconds more at start-up.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(triggers)
            .expect("trigger patterns are plain strings");
        Trigger::Built {
            automaton,
            ascii: triggers.iter().map(|p| p.is_ascii()).collect(),
        }
    }

    /// True when a leftmost-first match in `kana` is a non-ASCII form or
    /// an ASCII form on word boundaries.
    fn any(&self, kana: &str) -> bool {
        let on_boundaries = |s: usize, e: usize| on_word_boundaries(kana.as_bytes(), s, e);
        match self {
            Trigger::Built { automaton, ascii } => automaton
                .find_iter(kana)
                .any(|m| !ascii[m.pattern().as_usize()] || on_boundaries(m.start(), m.end())),
            Trigger::Prebuilt(p) => p.any(kana, on_boundaries),
        }
    }

    /// The spans of the leftmost-first matches `any` accepts. Only posts
    /// with a trigger ask, after analysis: the prebuilt automaton's starts
    /// are recovered from the text here.
    fn spans(&self, kana: &str) -> Vec<(usize, usize)> {
        let bytes = kana.as_bytes();
        let ascii_on_boundaries =
            |s: usize, e: usize| !kana[s..e].is_ascii() || on_word_boundaries(bytes, s, e);
        match self {
            Trigger::Built { automaton, .. } => automaton
                .find_iter(kana)
                .map(|m| (m.start(), m.end()))
                .filter(|&(s, e)| ascii_on_boundaries(s, e))
                .collect(),
            Trigger::Prebuilt(p) => p
                .ends(kana)
                .filter_map(|(at, end)| p.start(kana, at, end).map(|start| (start, end)))
                .filter(|&(s, e)| ascii_on_boundaries(s, e))
                .collect(),
        }
    }

    /// Every leftmost-first match: where it ends, and where it starts when
    /// its last byte is ASCII (the prebuilt automaton finds no other start).
    #[cfg(test)]
    fn matches(&self, kana: &str) -> Vec<(Option<usize>, usize)> {
        let bytes = kana.as_bytes();
        match self {
            Trigger::Built { automaton, .. } => automaton
                .find_iter(kana)
                .map(|m| (bytes[m.end() - 1].is_ascii().then_some(m.start()), m.end()))
                .collect(),
            Trigger::Prebuilt(p) => p
                .ends(kana)
                .map(|(at, end)| {
                    let start = bytes[end - 1]
                        .is_ascii()
                        .then(|| p.start(kana, at, end))
                        .flatten();
                    (start, end)
                })
                .collect(),
        }
    }
}

/// The prebuilt trigger DFA and what its matches need.
///
/// build.rs compiles the forms as one pattern, their alternation in pack
/// order: a regex alternation of literals matches leftmost-first, as the
/// Aho-Corasick automaton does, and one pattern determinizes in seconds
/// where 2,000 separate patterns had not in 19 minutes (the alternation
/// becomes a trie; separate patterns each stay live in every state, so
/// every state holds thousands of NFA states). So a match says where
/// it ends but not which form it is; `start` recovers the rest from the
/// text, since a match of a literal is the literal.
#[derive(Clone, Debug)]
struct Prebuilt {
    dfa: DFA<&'static [u32]>,
    // The forms, to recover where a match starts: only a match that ends
    // in ASCII can be an ASCII form, and `any` needs only those starts;
    // `spans` needs them all.
    forms: HashSet<String>,
    // The length of the longest of them.
    longest: usize,
}

impl Prebuilt {
    fn new(dfa: DFA<&'static [u32]>, triggers: &[String]) -> Prebuilt {
        let forms: HashSet<String> = triggers.iter().cloned().collect();
        let longest = forms.iter().map(String::len).max().unwrap_or(0);
        Prebuilt {
            dfa,
            forms,
            longest,
        }
    }

    /// True when one of the leftmost-first matches in `kana` is a
    /// non-ASCII form, or an ASCII form whose span `on_boundaries` accepts.
    fn any(&self, kana: &str, on_boundaries: impl Fn(usize, usize) -> bool) -> bool {
        let bytes = kana.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let end = match self.dfa.try_search_fwd(&Input::new(kana).range(at..)) {
                Ok(Some(m)) => m.offset(),
                Ok(None) => return false,
                // Only a DFA with quit bytes or Unicode word boundaries
                // fails a search, and this one has neither. Were it to, the
                // post would go on to analysis: the side that misses nothing.
                Err(_) => return true,
            };
            // A form ending in a non-ASCII byte is not ASCII: no boundary
            // to check. (Forms are not empty, so a match ends past `at`;
            // were one not to, analysis would decide rather than the loop
            // run forever.)
            if end <= at || !bytes[end - 1].is_ascii() {
                return true;
            }
            match self.start(kana, at, end) {
                Some(start) if kana[start..end].is_ascii() => {
                    if on_boundaries(start, end) {
                        return true;
                    }
                }
                // A form with non-ASCII in it (or, never, no form at all:
                // analysis decides).
                _ => return true,
            }
            at = end;
        }
        false
    }

    /// The leftmost-first matches one after another: where each search
    /// began and where its match ends. (Forms are not empty, so a match
    /// ends past where its search began; were one not to, this stops
    /// rather than loop. No search of this DFA fails: it has no quit
    /// bytes and no Unicode word boundaries.)
    fn ends<'a>(&'a self, kana: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        let mut at = 0;
        std::iter::from_fn(move || {
            let m = self
                .dfa
                .try_search_fwd(&Input::new(kana).range(at..))
                .ok()??;
            let end = m.offset();
            (end > at).then(|| {
                let from = at;
                at = end;
                (from, end)
            })
        })
    }

    /// Where the match that ends at `end` (searched for from `at`) starts:
    /// the leftmost `start` at or after `at` where a form ends at `end`.
    /// A form starting further left than the match would have been the
    /// leftmost match itself; one starting before `at` was not searched for.
    fn start(&self, kana: &str, at: usize, end: usize) -> Option<usize> {
        (end.saturating_sub(self.longest).max(at)..end)
            .find(|&s| kana.is_char_boundary(s) && self.forms.contains(&kana[s..end]))
    }
}

/// Whether `s..e` of `bytes` starts and ends on word boundaries: `od` in
/// `today` is no trigger.
fn on_word_boundaries(bytes: &[u8], s: usize, e: usize) -> bool {
    let before = s == 0 || !is_word_byte(bytes[s - 1]) || !is_word_byte(bytes[s]);
    let after = e == bytes.len() || !is_word_byte(bytes[e]) || !is_word_byte(bytes[e - 1]);
    before && after
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::kana_fold;

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

    /// The default pack's trigger list with both its automata.
    fn default_triggers() -> (Folder, Vec<String>, Trigger, Trigger) {
        let pack = Pack::default_pack();
        let folder = Folder::new(pack.evasions.clone(), pack.leet.clone());
        let triggers = Forms::of(&pack, &folder).triggers;
        let prebuilt = Trigger::new(&triggers, true);
        let built = Trigger::new(&triggers, false);
        (folder, triggers, prebuilt, built)
    }

    /// Both automata agree on `kana`: the same answer from `any`, the same
    /// leftmost-first matches, which is what the answer rests on, and the
    /// same accepted spans.
    fn assert_same(prebuilt: &Trigger, built: &Trigger, kana: &str) {
        assert_eq!(
            prebuilt.matches(kana),
            built.matches(kana),
            "matches in {kana:?}"
        );
        assert_eq!(prebuilt.any(kana), built.any(kana), "triggers({kana:?})");
        assert_eq!(prebuilt.spans(kana), built.spans(kana), "spans in {kana:?}");
    }

    #[test]
    fn the_default_pack_uses_the_prebuilt_trigger() {
        let (_, _, prebuilt, built) = default_triggers();
        assert!(matches!(prebuilt, Trigger::Prebuilt(_)));
        assert!(matches!(built, Trigger::Built { .. }));
        let pack = Pack::default_pack();
        let folder = Folder::new(pack.evasions.clone(), pack.leet.clone());
        assert!(matches!(
            Scanner::new(&pack, &folder).trigger,
            Trigger::Prebuilt(_)
        ));
    }

    // Any other list, even one that differs by a form's order, builds its
    // own: the prebuilt automaton's leftmost-first matches follow the order
    // it was built with.
    #[test]
    fn other_packs_build_their_trigger() {
        let (_, mut triggers, _, _) = default_triggers();
        triggers.swap(0, 1);
        assert!(matches!(
            Trigger::new(&triggers, true),
            Trigger::Built { .. }
        ));
        triggers.swap(0, 1);
        triggers.push("ﾀﾋ".into());
        assert!(matches!(
            Trigger::new(&triggers, true),
            Trigger::Built { .. }
        ));
        let (_, _, s) = setup();
        assert!(matches!(s.trigger, Trigger::Built { .. }));
        let extended = Pack::default_pack()
            .extend(
                "x",
                "[pack]\nname = \"x\"\nversion = \"1\"\n[concepts.DIE]\nforms = [\"ﾀﾋ\"]\n",
            )
            .unwrap();
        let folder = Folder::new(extended.evasions.clone(), extended.leet.clone());
        assert!(matches!(
            Scanner::new(&extended, &folder).trigger,
            Trigger::Built { .. }
        ));
    }

    // Every post of the corpus, folded as `run` and the screen fold it.
    #[test]
    fn prebuilt_and_built_triggers_agree_on_the_corpus() {
        let (folder, _, prebuilt, built) = default_triggers();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("no {}: the packaged crate has no corpus", dir.display());
            return;
        };
        let mut files: Vec<_> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        let (mut texts, mut triggered) = (0, 0);
        for file in files {
            let body = std::fs::read_to_string(&file).unwrap();
            for line in body.lines().filter(|l| !l.trim().is_empty()) {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let Some(text) = v["text"].as_str() else {
                    continue;
                };
                let kana = kana_fold(folder.fold(text).as_str());
                assert_same(&prebuilt, &built, &kana);
                assert_same(&prebuilt, &built, &folder.fold_kana(text));
                assert_same(&prebuilt, &built, text);
                texts += 1;
                triggered += usize::from(built.any(&kana));
            }
        }
        assert!(texts > 40_000, "read {texts} texts of {}", dir.display());
        assert!(triggered > texts / 4, "{triggered} of {texts} triggered");
    }

    // ASCII forms count on word boundaries only, and a form's start is
    // recovered from the text: forms run together, inside words, next to
    // kana, repeated, and each ASCII-ended form beside the next one.
    #[test]
    fn prebuilt_and_built_triggers_agree_on_ascii_edges() {
        let (_, triggers, prebuilt, built) = default_triggers();
        let fixed = [
            "",
            "od",
            "today",
            "studied",
            "die",
            "diet",
            "die-hard",
            "i want to die.",
            "dying",
            "kys",
            "k y s",
            "kms",
            "kill myself",
            "killmyself",
            "kill my self",
            "suicide",
            "suicidal",
            "su1c1de",
            "odd od",
            "od'd",
            "ODed",
            "死にたいdie",
            "die死",
            "diedie",
            "xdie",
            "die\n",
            "とdm",
            "dmで",
            "\ndie\n",
            "1die1",
            "die_",
            "_die",
            "死ぬdm",
            "ｄｉｅ",
        ];
        for text in fixed {
            assert_same(&prebuilt, &built, text);
        }
        let ascii_ended: Vec<&String> = triggers
            .iter()
            .filter(|t| t.as_bytes().last().is_some_and(u8::is_ascii))
            .collect();
        assert!(
            ascii_ended.len() > 50,
            "{} ASCII-ended forms",
            ascii_ended.len()
        );
        for (i, f) in ascii_ended.iter().enumerate() {
            let g = ascii_ended[(i + 1) % ascii_ended.len()];
            // The second half of the form, to run into its start.
            let h: String = f.chars().skip(f.chars().count() / 2).collect();
            for text in [
                f.to_string(),
                format!("x{f}"),
                format!("{f}x"),
                format!("1{f}1"),
                format!("a {f} b"),
                format!("{f} {f}"),
                format!("{f}{f}"),
                format!("死{f}"),
                format!("{f}死"),
                format!("({f})."),
                format!("{f}{g}"),
                format!("{g}{f}"),
                format!("{f} {g}"),
                format!("{h}{f}"),
                format!("{f}{h}"),
                f.to_uppercase(),
            ] {
                assert_same(&prebuilt, &built, &text);
            }
        }
    }
}

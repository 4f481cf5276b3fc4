//! Decide: rules over concepts, suppressors, scores and thresholds.
//!
//! A rule fires when, within one sentence (or the whole post), every `all`
//! expression and at least one `any` expression is met by a concept hit,
//! no `unless` expression is met in the sentences that hold that evidence
//! (a whole-post rule may take its evidence from the sentences no `unless`
//! expression is met in), and no `unless_post` expression is met anywhere
//! in the post. Hits inside titles of works (`『…』`) and in the lines of
//! a post being answered (`> …`) never count; hits inside quotations
//! (`「…」`, `"…"`) count only for rules that say `quoted = true`, because
//! quoting what a criminal wrote is not itself inducement.
//!
//! A post may end by telling what it was about, after an arrow or a dash
//! (`お前マジで死ね ←27回負けたラスボス`, `…dm me — for the sourdough
//! starter`): an `unless` expression met after the post's last such mark
//! (its punchline) stops a rule met from the evidence before it, in
//! whatever sentence that evidence is, and so does one of the concepts the
//! pack lists for the rule's category (`[punchline] subjects`: the past
//! exam papers that were for sale). Evidence in the punchline itself
//! (`回答→さっさと氏ね`) is read as any other.
//!
//! A category's score is the noisy-or of the scores of its fired rules:
//! independent pieces of evidence add up, and no amount of evidence passes
//! 1. A category is assigned when its score reaches the pack's threshold.

use std::ops::Range;

use crate::pack::{Expr, Pack, Scope};
use crate::scan::Hit;

/// A concept hit with what the analysis attached to it.
#[derive(Clone, Debug)]
pub(crate) struct Attached {
    pub(crate) hit: Hit,
    /// Concepts found in the hit's tail (or overlapping it): `DIE+WANT`.
    pub(crate) mods: Vec<usize>,
    /// The same, without those attached only through disowned hits: what
    /// may rule the hit out (`DIE-NEG`).
    pub(crate) owned_mods: Vec<usize>,
    pub(crate) quoted: bool,
    pub(crate) title: bool,
    /// In a line of the post being answered (`> how do I do it`): another's
    /// words, which neither count for a rule nor stop one.
    pub(crate) answered: bool,
    /// Denied by the words around it (ラスボスじゃなくてお前が, not a support
    /// group) or made a yardstick for a person (ゴキブリ以下).
    pub(crate) disowned: bool,
    pub(crate) sentence: usize,
}

/// A rule that fired, with the hits that made it fire.
#[derive(Clone, Debug)]
pub(crate) struct Fired {
    pub(crate) rule: usize,
    pub(crate) evidence: Vec<usize>,
}

/// A rule whose conditions held but that a suppressor stopped.
#[derive(Clone, Debug)]
pub(crate) struct Suppressed {
    pub(crate) rule: usize,
    pub(crate) by: String,
    /// Which suppressor expression stopped it.
    pub(crate) stopper: Stopper,
}

/// The suppressor that stopped a rule: an index into the rule's `unless`
/// (a concept in the sentences of its evidence, or in the punchline after
/// them), every one of its `unless_post` framings met anywhere in the post
/// (all of them: whether a framing of some kind was among those that
/// stopped it must not hang on the order the pack lists them in), or one
/// of its category's `[punchline] subjects` (a concept index) told after
/// its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stopper {
    Unless(usize),
    UnlessPost(Vec<usize>),
    Punchline(usize),
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Decision {
    pub(crate) fired: Vec<Fired>,
    pub(crate) suppressed: Vec<Suppressed>,
    pub(crate) scores: [f64; 6],
}

/// Whether a hit may stop a rule: not inside a title, and not disowned by
/// the words around it (`ストレッチじゃないよ`, `冗談じゃなくて本気`, `not a
/// support group`), which deny exactly the framing the suppressor stands for.
fn suppresses(a: &Attached) -> bool {
    !a.title && !a.answered && !a.disowned
}

/// The words that deny what stands beside them, or make it a yardstick
/// for a person: `じゃない`, `じゃなくて`, `ゴキブリ以下` after a hit, `not a
/// support group`, `i don't mean the game` before it. The pack lists them
/// (`[analysis] denied_after` and `denied_before`), folded as the text is.
#[derive(Clone, Debug, Default)]
pub(crate) struct Denials {
    after: Vec<String>,
    before: Vec<String>,
}

impl Denials {
    /// Denials from words already folded as the text they will be read in.
    pub(crate) fn new(after: Vec<String>, before: Vec<String>) -> Denials {
        Denials { after, before }
    }

    /// Whether the words around `start..end` of `text` deny what stands
    /// there.
    pub(crate) fn disown(&self, text: &str, start: usize, end: usize) -> bool {
        let rest = text[end..].trim_start_matches([' ', '\u{3000}']);
        if self.after.iter().any(|d| rest.starts_with(d.as_str())) {
            return true;
        }
        // Only the words right before the hit, as whole words ("knot a" is
        // no "not a"); no copy of the text before it, which may be megabytes.
        let before = text[..start].trim_end_matches(' ');
        self.before.iter().any(|d| {
            before.strip_suffix(d.as_str()).is_some_and(|head| {
                head.chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
        })
    }
}

/// Sentence ranges of `text`: split after `。！？!?` and line breaks, and
/// after `.` followed by white space.
pub(crate) fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let end = i + c.len_utf8();
        let brk = match c {
            '。' | '！' | '？' | '!' | '?' | '\n' | '♪' => true,
            '.' => it.peek().is_none_or(|(_, n)| n.is_whitespace()),
            _ => false,
        };
        if brk {
            // Keep runs of closers (`？！`, `。」`) with their sentence.
            while let Some(&(j, n)) = it.peek() {
                if matches!(n, '!' | '?' | '！' | '？' | '。' | '」' | '』' | ')' | '）') {
                    it.next();
                    let _ = j;
                } else {
                    break;
                }
            }
            let end = it.peek().map_or(text.len(), |&(j, _)| j).max(end);
            if end > start {
                out.push(start..end);
            }
            start = end;
        }
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

/// Spans of quotations and of titles of works.
pub(crate) fn quotes(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let mut quoted = Vec::new();
    let mut titles = Vec::new();
    let pairs: [(char, char, bool); 5] = [
        ('「', '」', false),
        ('“', '”', false),
        ('"', '"', false),
        ('『', '』', true),
        ('《', '》', true),
    ];
    for (open, close, title) in pairs {
        let mut from = 0;
        while let Some(o) = text[from..].find(open) {
            let s = from + o + open.len_utf8();
            let Some(c) = text[s..].find(close) else {
                break;
            };
            let e = s + c;
            if title { &mut titles } else { &mut quoted }.push(s..e);
            from = e + close.len_utf8();
        }
    }
    quoted.extend(single_quotes(text));
    quoted.sort_by_key(|r| r.start);
    titles.sort_by_key(|r| r.start);
    (quoted, titles)
}

/// Spans of the post being answered: lines that open with `>` (not the
/// `>>12` of a reply anchor), as mail, forums and quote-posts mark them.
/// The quote ends with the line, or with its first sentence when the
/// answer follows on the same line (＞死ねる量わかる人いる？ わかるよ).
/// Unlike words in quotation marks, which writers use for their own
/// (「死にたい」って打ってしまった), these are always another's.
pub(crate) fn answered(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(rest) = body.strip_prefix('>')
            && !rest.starts_with('>')
            && !rest.trim().is_empty()
        {
            let end = rest
                .char_indices()
                .find(|&(i, c)| {
                    "?？!！。".contains(c)
                        && rest[i + c.len_utf8()..].starts_with(char::is_whitespace)
                })
                .map_or(rest.len(), |(i, c)| i + c.len_utf8());
            out.push(at + 1..at + 1 + end);
        }
        at += line.len();
    }
    out
}

/// Spans in single quotes after a verb of saying (told a heckler 'go kill
/// yourself', posted 'goodbye world') or of searching (searched for 'how to
/// die painlessly': the words typed into a search box). Without one,
/// single quotes are scare quotes as often as speech (the 'peaceful exit'
/// guide), and the words in them are the writer's own. The same mark is an
/// apostrophe (don't, players'), so a quote opens only at the start of a
/// word and closes only at the end of one.
fn single_quotes(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if c == '\'' || c == '‘' || c == '’' {
            let after_word = prev.is_some_and(|p| !p.is_whitespace() && !"([{".contains(p));
            let before_word = next.is_some_and(|n| !n.is_whitespace());
            let word_goes_on = next.is_some_and(char::is_alphanumeric);
            match open {
                None if !after_word && before_word && c != '’' && said_before(&text[..i]) => {
                    open = Some(i + c.len_utf8())
                }
                Some(s) if after_word && !word_goes_on && c != '‘' => {
                    if i > s {
                        out.push(s..i);
                    }
                    open = None;
                }
                _ => {}
            }
        }
        prev = Some(c);
    }
    out
}

/// Whether the few words before a quote mark hold a verb of saying or of
/// searching.
fn said_before(before: &str) -> bool {
    const VERBS: [&str; 21] = [
        "searched",
        "googled",
        "search",
        "said",
        "says",
        "say",
        "posted",
        "posts",
        "told",
        "tells",
        "screamed",
        "yelled",
        "wrote",
        "texted",
        "commented",
        "typed",
        "replied",
        "tweeted",
        "shouted",
        "messaged",
        "asked",
    ];
    let start = before.len().saturating_sub(60);
    let start = (start..=before.len())
        .find(|&i| before.is_char_boundary(i))
        .unwrap_or(0);
    before[start..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(6)
        .any(|w| VERBS.iter().any(|v| w.eq_ignore_ascii_case(v)))
}

/// Where the punchline of `text` starts: the text after the last of
/// `marks` that has words after it, or `None`. A mark at the end tells
/// nothing (`準備するもの→`); one followed by a link or an address to write
/// to (`→[link]`, `→DMで`) holds no suppressor, so it stops nothing.
pub(crate) fn punchline(text: &str, marks: &[String]) -> Option<usize> {
    marks
        .iter()
        .filter_map(|m| {
            text.rmatch_indices(m.as_str())
                .map(|(i, m)| i + m.len())
                .find(|&end| text[end..].chars().any(char::is_alphanumeric))
        })
        .max()
}

fn matches(expr: &Expr, a: &Attached) -> bool {
    expr.alts.iter().any(|alt| {
        alt.concept == a.hit.concept
            && alt.with.iter().all(|m| a.mods.contains(m))
            && !alt.without.iter().any(|m| a.owned_mods.contains(m))
    })
}

/// How many consecutive sentences a [`Scope::Near`] rule reads at once.
const NEAR: usize = 3;

/// The rules of `pack` over `hits`, with the post's punchline starting
/// at byte `punchline` of the text, if it has one ([`punchline`]).
pub(crate) fn decide(pack: &Pack, hits: &[Attached], punchline: Option<usize>) -> Decision {
    // Hits are sorted by position, so each sentence's hits are one run of
    // the slice: sentence-scope rules and local suppressors look only at
    // the runs they need, and a long post costs time in proportion to its
    // hits, not to hits × sentences.
    debug_assert!(hits.windows(2).all(|w| w[0].sentence <= w[1].sentence));
    let mut runs: Vec<(usize, Range<usize>)> = Vec::new();
    for (i, a) in hits.iter().enumerate() {
        match runs.last_mut() {
            Some((s, r)) if *s == a.sentence => r.end = i + 1,
            _ => runs.push((a.sentence, i..i + 1)),
        }
    }
    let run_of = |sentence: usize| -> Range<usize> {
        match runs.binary_search_by_key(&sentence, |(s, _)| *s) {
            Ok(k) => runs[k].1.clone(),
            Err(_) => 0..0,
        }
    };
    // A rule needs a hit of one of the concepts its expressions name: most
    // rules are ruled out by the concepts present, before any matching.
    let mut present = vec![false; pack.concepts.len()];
    for a in hits {
        present[a.hit.concept] = true;
    }
    let possible = |e: &Expr| e.alts.iter().any(|alt| present[alt.concept]);
    let sentence_scopes: Vec<Range<usize>> = runs.iter().map(|(_, r)| r.clone()).collect();
    // Each sentence with hits and the NEAR - 1 sentences after it; a
    // window inside the one before it is no scope of its own (its evidence
    // would be judged without the sentences around it).
    let mut near_scopes: Vec<Range<usize>> = Vec::new();
    for (k, (s, r)) in runs.iter().enumerate() {
        let end = runs[k..]
            .iter()
            .take_while(|(t, _)| *t < s + NEAR)
            .last()
            .map_or(r.end, |(_, next)| next.end);
        if near_scopes.last().is_some_and(|p| p.end >= end) {
            continue;
        }
        near_scopes.push(r.start..end);
    }
    let whole: Vec<Range<usize>> = std::iter::once(0..hits.len()).collect();
    let subjects = &pack.punchline_subjects;
    let mut d = Decision::default();
    for (ri, rule) in pack.rules.iter().enumerate() {
        if !rule.all.iter().all(possible) || (rule.all.is_empty() && !rule.any.iter().any(possible))
        {
            continue;
        }
        let scopes: &[Range<usize>] = match rule.scope {
            Scope::Sentence => &sentence_scopes,
            Scope::Near => &near_scopes,
            Scope::Post => &whole,
        };
        // The framings met anywhere in the post: the same for every scope,
        // so found once, when a scope first needs them.
        let mut post_blockers: Option<Vec<usize>> = None;
        let find_post_blockers = || -> Vec<usize> {
            rule.unless_post
                .iter()
                .enumerate()
                .filter(|(_, e)| hits.iter().any(|a| suppresses(a) && matches(e, a)))
                .map(|(i, _)| i)
                .collect()
        };
        let mut evidence: Vec<usize> = Vec::new();
        let mut blocked_by: Option<(String, Stopper)> = None;
        for scope in scopes.iter().cloned() {
            let usable = |a: &Attached| !a.title && !a.answered && (rule.quoted || !a.quoted);
            let start = scope.start;
            let matching = |e: &Expr, out: &mut Vec<usize>| {
                out.extend(
                    hits[scope.clone()]
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| usable(a) && matches(e, a))
                        .map(|(i, _)| start + i),
                );
            };
            let mut found = Vec::new();
            let all_met = rule.all.iter().all(|e| {
                let before = found.len();
                matching(e, &mut found);
                found.len() > before
            });
            if !all_met {
                continue;
            }
            if !rule.any.is_empty() {
                let before = found.len();
                for e in &rule.any {
                    matching(e, &mut found);
                }
                if found.len() == before {
                    continue;
                }
            }
            // `unless` is local: a sentence that holds one of its concepts
            // lends the rule no evidence, so a game mentioned in one
            // sentence does not excuse a threat in the next, and a novel
            // named in a long post's first line does not excuse the offer
            // in its fifth. The rule is stopped only when it cannot be met
            // from the other sentences of its scope.
            let mut sentences: Vec<usize> = found.iter().map(|&i| hits[i].sentence).collect();
            sentences.sort_unstable();
            sentences.dedup();
            let blocked: Vec<(usize, usize)> = sentences
                .iter()
                .filter_map(|&s| {
                    rule.unless
                        .iter()
                        .position(|e| {
                            hits[run_of(s)]
                                .iter()
                                .any(|a| suppresses(a) && matches(e, a))
                        })
                        .map(|i| (s, i))
                })
                .collect();
            // Whether the rule is met from the hits of its scope that
            // `keep` keeps.
            let met_by = |keep: &dyn Fn(usize) -> bool| {
                let met = |e: &Expr| {
                    let mut out = Vec::new();
                    matching(e, &mut out);
                    out.into_iter().any(keep)
                };
                rule.all.iter().all(met) && (rule.any.is_empty() || rule.any.iter().any(met))
            };
            if let Some(&(_, first)) = blocked.first() {
                // A sentence or a few near each other are read as one: a
                // game named in the first (死にゲーは死んで覚える。今日も死に
                // まくる) frames the next. Only a whole post's evidence may
                // come from its other sentences.
                let clean = |i: &usize| !blocked.iter().any(|&(s, _)| s == hits[*i].sentence);
                if rule.scope != Scope::Post || !met_by(&|i| clean(&i)) {
                    blocked_by.get_or_insert_with(|| {
                        (rule.unless[first].text.clone(), Stopper::Unless(first))
                    });
                    continue;
                }
                found.retain(clean);
            }
            // A punchline names what the post was about for every
            // sentence before it: the boss fight of `お前マジで死ね
            // ←27回負けたラスボス`. A rule it completes (`→DMで教える`) was
            // not met before it, and stands.
            if let Some(p) = punchline
                && met_by(&|i| found.contains(&i) && hits[i].hit.start < p)
            {
                let told = || hits.iter().filter(|a| a.hit.start >= p && suppresses(a));
                let by_rule = rule
                    .unless
                    .iter()
                    .position(|e| told().any(|a| matches(e, a)))
                    .map(|i| (rule.unless[i].text.clone(), Stopper::Unless(i)));
                let by_subject = || {
                    told()
                        .find(|a| subjects[rule.category as usize].contains(&a.hit.concept))
                        .map(|a| {
                            let c = a.hit.concept;
                            (pack.concepts[c].name.clone(), Stopper::Punchline(c))
                        })
                };
                if let Some(stop) = by_rule.or_else(by_subject) {
                    blocked_by.get_or_insert(stop);
                    continue;
                }
            }
            let met = post_blockers.get_or_insert_with(find_post_blockers);
            if let Some(&first) = met.first() {
                blocked_by.get_or_insert_with(|| {
                    (
                        rule.unless_post[first].text.clone(),
                        Stopper::UnlessPost(met.clone()),
                    )
                });
                continue;
            }
            evidence.extend(found);
        }
        if evidence.is_empty() {
            if let Some((by, stopper)) = blocked_by {
                d.suppressed.push(Suppressed {
                    rule: ri,
                    by,
                    stopper,
                });
            }
            continue;
        }
        evidence.sort_unstable();
        evidence.dedup();
        let s = &mut d.scores[rule.category as usize];
        *s = 1.0 - (1.0 - *s) * (1.0 - rule.score);
        d.fired.push(Fired { rule: ri, evidence });
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences() {
        let t = "死にたい。でも怖い！？ok. fine\nnext";
        let s: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            s,
            vec!["死にたい。", "でも怖い！？", "ok.", " fine\n", "next"]
        );
        assert_eq!(sentences(""), vec![0..0]);
    }

    #[test]
    fn a_suppressor_denied_or_made_a_yardstick_is_disowned() {
        let pack = Pack::default_pack();
        let denials = Denials::new(pack.denied_after.clone(), pack.denied_before.clone());
        let at = |t: &str, w: &str| {
            let s = t.find(w).unwrap();
            denials.disown(t, s, s + w.len())
        };
        assert!(at("楽になれる方法。ストレッチじゃないよ", "ストレッチ"));
        assert!(at("ラスボスじゃなくてお前が死ね", "ラスボス"));
        assert!(at("ゴキブリ以下。消えろ", "ゴキブリ"));
        assert!(at("a group. not a support group. dm", "support group"));
        assert!(at(
            "logging off for good, and i don't mean the game",
            "the game"
        ));
        assert!(!at("肩こりに効くストレッチ3選", "ストレッチ"));
        assert!(!at("ゴキブリ消えろ", "ゴキブリ"));
        assert!(!at("my support group is not helping", "support group"));
        assert!(!at("knot a support group", "support group"));
    }

    #[test]
    fn a_punchline_starts_after_the_last_mark_with_words_after_it() {
        let marks = vec!["→".to_string(), "※".to_string()];
        let at = |t: &'static str| punchline(t, &marks).map(|p| &t[p..]);
        assert_eq!(at("死ね←ではなく 死ね→ラスボスへ"), Some("ラスボスへ"));
        assert_eq!(at("方法→ [link] ※宿題の話"), Some("宿題の話"));
        assert_eq!(at("準備するもの→"), None);
        assert_eq!(at("方法→DM→ 。"), Some("DM→ 。"));
        assert_eq!(at("no marks here"), None);
    }

    #[test]
    fn finds_quotes_and_titles() {
        let t = "容疑者は「一緒に死のう」と送った。『人間失格』を読んだ";
        let (q, ti) = quotes(t);
        assert_eq!(&t[q[0].clone()], "一緒に死のう");
        assert_eq!(&t[ti[0].clone()], "人間失格");
        let (q, _) = quotes("unclosed 「 quote");
        assert!(q.is_empty());
    }

    #[test]
    fn answered_lines_are_the_quoted_post_not_the_reply() {
        let spans =
            |t: &'static str| -> Vec<&str> { answered(t).into_iter().map(|r| &t[r]).collect() };
        assert_eq!(
            spans(">>88\n>how do I do it\nnot like this"),
            ["how do I do it"]
        );
        // The answer on the quote's own line is the writer's.
        assert_eq!(spans(">where? there. dm me"), ["where?"]);
        // A reply anchor, an empty quote mark and a `>` inside a line are
        // no quotes.
        assert!(spans(">>12 same\n>\nit's 3 > 2").is_empty());
    }

    #[test]
    fn single_quotes_are_quotes_and_apostrophes_are_not() {
        let spans = |t: &'static str| -> Vec<&'static str> {
            quotes(t).0.into_iter().map(|r| &t[r]).collect()
        };
        // Scare quotes and mentions are the writer's own words.
        assert!(spans("Reminder that 'kys' jokes aren't funny.").is_empty());
        assert!(spans("pinned: the 'peaceful exit' guide").is_empty());
        assert_eq!(
            spans("my bestie posted 'goodbye world' on her finsta"),
            vec!["goodbye world"]
        );
        assert_eq!(
            spans("my son searched for 'how to die painlessly' last night"),
            vec!["how to die painlessly"]
        );
        assert_eq!(
            spans("the comic told a heckler 'go kill yourself' and they laughed"),
            vec!["go kill yourself"]
        );
        assert_eq!(
            spans("he said ‘just die already’ at the boss"),
            vec!["just die already"]
        );
        assert!(spans("don't you dare, it's the players' fault").is_empty());
        assert!(spans("i can't do this anymore").is_empty());
        assert!(spans("unclosed 'quote here").is_empty());
    }
}

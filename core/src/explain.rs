//! Explanations for humans: what the classifier saw and why it decided.
//!
//! `inochi explain "TEXT"` prints this. It exists so that a moderator, or an
//! engineer chasing a false alarm, can see every step without a debugger.

use std::fmt;

use serde::Serialize;

use crate::analyze::Token;
use crate::category::Category;
use crate::verdict::Verdict;

/// Every step of the pipeline for one post.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The folded text that the later stages matched against.
    pub folded: String,
    /// Whether the trigger scan found anything (if not, nothing else ran).
    pub triggered: bool,
    /// The tokens of the folded text (empty for non-Japanese text).
    pub tokens: Vec<Token>,
    /// Concept hits with what attached to them.
    pub hits: Vec<HitInfo>,
    /// Rules that fired.
    pub fired: Vec<RuleInfo>,
    /// Rules whose conditions held but that a suppressor stopped.
    pub suppressed: Vec<RuleInfo>,
    /// The n-gram model's probability per category (empty when the pack
    /// has no model). It decides only when no rule fired.
    pub model: Vec<(Category, f64)>,
    /// Why the model gave no label, on a post no rule labeled (`None` when
    /// a rule fired or the model spoke).
    pub model_silence: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
}

/// A concept hit, in folded-text offsets.
#[derive(Clone, Debug, Serialize)]
pub struct HitInfo {
    /// The concept.
    pub concept: String,
    /// The folded text of the hit.
    pub text: String,
    /// Byte offset into the folded text.
    pub start: usize,
    /// End byte offset into the folded text.
    pub end: usize,
    /// Concepts attached to it (its tail, overlaps).
    pub modifiers: Vec<String>,
    /// Inside a quotation.
    pub quoted: bool,
    /// Inside a title of a work.
    pub title: bool,
    /// In a line of the post being answered (`> …`).
    pub answered: bool,
    /// Denied by the words around it (`ストレッチじゃないよ`, `not a support
    /// group`) or made a yardstick for a person (`ゴキブリ以下`): a
    /// suppressor so disowned suppresses nothing.
    pub disowned: bool,
    /// Index of the sentence it is in.
    pub sentence: usize,
}

/// A rule that fired or was suppressed.
#[derive(Clone, Debug, Serialize)]
pub struct RuleInfo {
    /// The rule id.
    pub rule: String,
    /// The category it assigns.
    pub category: Category,
    /// Its score.
    pub score: f64,
    /// For suppressed rules, the suppressor.
    pub note: String,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "folded:     {}", self.folded)?;
        if !self.triggered {
            writeln!(f, "trigger:    none (no anchor concept; not analyzed)")?;
        }
        if !self.tokens.is_empty() {
            writeln!(f, "tokens:")?;
            for t in &self.tokens {
                writeln!(
                    f,
                    "  {:<10} base={:<8} {:<12} conj={}{}",
                    t.surface,
                    t.base,
                    t.pos,
                    t.conj,
                    if t.known { "" } else { " (unknown)" }
                )?;
            }
        }
        if !self.hits.is_empty() {
            writeln!(f, "concepts:")?;
            for h in &self.hits {
                let mut flags = String::new();
                if !h.modifiers.is_empty() {
                    flags.push_str(&format!(" +{}", h.modifiers.join("+")));
                }
                if h.quoted {
                    flags.push_str(" (quoted)");
                }
                if h.disowned {
                    flags.push_str(" (disowned)");
                }
                if h.title {
                    flags.push_str(" (title)");
                }
                if h.answered {
                    flags.push_str(" (answered)");
                }
                writeln!(
                    f,
                    "  {:<12} {:?} @{}..{} s{}{}",
                    h.concept, h.text, h.start, h.end, h.sentence, flags
                )?;
            }
        }
        for r in &self.fired {
            writeln!(f, "fired:      {} → {} ({})", r.rule, r.category, r.score)?;
        }
        for r in &self.suppressed {
            writeln!(f, "suppressed: {} → {} ({})", r.rule, r.category, r.note)?;
        }
        if !self.model.is_empty() {
            let probs: Vec<String> = self
                .model
                .iter()
                .map(|(c, p)| format!("{c} {p:.2}"))
                .collect();
            writeln!(f, "model:      {}", probs.join(", "))?;
        }
        if let Some(why) = &self.model_silence {
            writeln!(f, "silent:     {why}")?;
        }
        write!(f, "verdict:    {}", self.verdict.primary)?;
        for l in &self.verdict.labels {
            write!(f, " [{} {:.3}]", l.category, l.score)?;
        }
        if !self.verdict.actions.is_empty() {
            let a: Vec<&str> = self.verdict.actions.iter().map(|a| a.as_str()).collect();
            write!(f, " actions: {}", a.join(", "))?;
        }
        writeln!(f)
    }
}

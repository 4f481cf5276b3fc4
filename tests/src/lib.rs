//! Shared helpers for inochi's conformance tests: the labeled corpus under
//! `tests/corpus/*.jsonl`, one shared classifier, the invariants every
//! verdict must satisfy, and the per-category score table.

pub mod perturb;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use inochi::{Action, Category, Classifier, Verdict};
use serde::Deserialize;

/// One labeled post of the corpus.
#[derive(Clone, Debug, Deserialize)]
pub struct Row {
    /// Unique id (`d001`, `x042`, ...).
    pub id: String,
    /// The post.
    pub text: String,
    /// Language tag (`ja`, `en`, ...).
    pub lang: String,
    /// The expected primary category.
    pub expect: Category,
    /// Other primaries that are also acceptable.
    #[serde(default)]
    pub accept: Vec<Category>,
    /// `obf` (evasion spelling), `trap` (benign text that naive filters flag), ...
    #[serde(default)]
    pub tags: Vec<String>,
    /// `file:line` the row came from (filled by the loader).
    #[serde(skip)]
    pub origin: String,
}

impl Row {
    /// True if `got` is `expect` or one of `accept`.
    pub fn accepts(&self, got: Category) -> bool {
        got == self.expect || self.accept.contains(&got)
    }

    /// `expect` followed by `|accept...`, for reports.
    pub fn expected_label(&self) -> String {
        let mut s = self.expect.to_string();
        for a in &self.accept {
            s.push('|');
            s.push_str(a.as_str());
        }
        s
    }
}

/// The folder holding the corpus files.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every row of every `corpus/*.jsonl`, files in name order, rows in file
/// order. Panics (naming file and line) on a malformed row or a duplicate
/// id: a broken corpus must not silently shrink the test.
pub fn load_corpus() -> Vec<Row> {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.jsonl under {}", dir.display());
    let mut rows = Vec::new();
    let mut ids = BTreeSet::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let origin = format!("{name}:{}", i + 1);
            let mut row: Row = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{origin}: malformed corpus row: {e}"));
            assert!(
                ids.insert(row.id.clone()),
                "{origin}: duplicate id {:?}",
                row.id
            );
            row.origin = origin;
            rows.push(row);
        }
    }
    rows
}

/// One classifier for the whole test binary (building it loads the
/// dictionary).
pub fn classifier() -> &'static Classifier {
    static CLASSIFIER: OnceLock<Classifier> = OnceLock::new();
    CLASSIFIER.get_or_init(|| Classifier::new().expect("the default classifier builds"))
}

/// Checks that every evidence span of `verdict` points into `text`: byte
/// offsets on char boundaries, slicing to the evidence text, and char
/// offsets that agree with the byte offsets. Returns one message per
/// problem.
pub fn evidence_problems(text: &str, verdict: &Verdict) -> Vec<String> {
    let mut problems = Vec::new();
    for label in &verdict.labels {
        for e in &label.evidence {
            let at = format!(
                "{} {} {}..{} (chars {}..{}) {:?}",
                label.category, e.rule, e.byte_start, e.byte_end, e.char_start, e.char_end, e.text
            );
            if e.byte_start > e.byte_end || e.byte_end > text.len() {
                problems.push(format!(
                    "{at}: byte range outside the text (len {})",
                    text.len()
                ));
                continue;
            }
            if !text.is_char_boundary(e.byte_start) || !text.is_char_boundary(e.byte_end) {
                problems.push(format!("{at}: byte offsets not on char boundaries"));
                continue;
            }
            let slice = &text[e.byte_start..e.byte_end];
            if slice != e.text {
                problems.push(format!(
                    "{at}: text[{}..{}] is {slice:?}",
                    e.byte_start, e.byte_end
                ));
            }
            if e.char_start > e.char_end {
                problems.push(format!("{at}: char_start > char_end"));
            }
            let cs = text[..e.byte_start].chars().count();
            let ce = text[..e.byte_end].chars().count();
            if (cs, ce) != (e.char_start, e.char_end) {
                problems.push(format!("{at}: byte offsets give chars {cs}..{ce}"));
            }
        }
    }
    problems
}

/// Checks the structural invariants of a verdict that hold for any input:
/// scores in 0..=1, `primary` = the most severe label (or `none` without
/// labels), labels most severe first with no `none` label and no repeats,
/// and no `takedown` for an `ideation` primary.
pub fn structure_problems(verdict: &Verdict) -> Vec<String> {
    let mut problems = Vec::new();
    for l in &verdict.labels {
        if !(0.0..=1.0).contains(&l.score) {
            problems.push(format!("{} score {} outside 0..=1", l.category, l.score));
        }
        if l.category == Category::None {
            problems.push("a label with category none".into());
        }
    }
    let most_severe = verdict.labels.iter().map(|l| l.category).max();
    let want = most_severe.unwrap_or(Category::None);
    if verdict.primary != want {
        problems.push(format!(
            "primary {} but most severe label is {:?}",
            verdict.primary, most_severe
        ));
    }
    let cats: Vec<Category> = verdict.labels.iter().map(|l| l.category).collect();
    if cats.windows(2).any(|w| w[0] <= w[1]) {
        problems.push(format!("labels not strictly most severe first: {cats:?}"));
    }
    if verdict.primary == Category::Ideation && verdict.actions.contains(&Action::Takedown) {
        problems.push(format!(
            "ideation primary with takedown: {:?}",
            verdict.actions
        ));
    }
    problems
}

/// The distinct rules that fired, from the evidence, as `category:rule`.
pub fn fired_rules(verdict: &Verdict) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in &verdict.labels {
        for e in &l.evidence {
            let r = format!("{}:{}", l.category, e.rule);
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// Precision, recall, F1 and support for one category.
#[derive(Clone, Copy, Debug, Default)]
pub struct Score {
    /// Rows predicted and labeled with the category.
    pub tp: usize,
    /// Rows predicted as the category but labeled otherwise.
    pub fp: usize,
    /// Rows labeled with the category but predicted otherwise.
    pub fn_: usize,
}

impl Score {
    /// tp / (tp + fp), 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn), 0 when nothing is labeled so.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Rows labeled with the category.
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Per-category scores over (row, predicted primary) pairs. The gold label
/// of a row is the prediction when the row accepts it, `expect` otherwise,
/// so an accepted alternative counts as a hit and never as an error.
pub fn scores(results: &[(&Row, Category)]) -> [Score; 6] {
    let mut s = [Score::default(); 6];
    for &(row, got) in results {
        let gold = if row.accepts(got) { got } else { row.expect };
        if gold == got {
            s[got as usize].tp += 1;
        } else {
            s[got as usize].fp += 1;
            s[gold as usize].fn_ += 1;
        }
    }
    s
}

/// The per-category table with macro-F1 (over the categories with support
/// or predictions) and accuracy.
pub fn score_table(results: &[(&Row, Category)]) -> String {
    let s = scores(results);
    let mut out = String::new();
    writeln!(
        out,
        "{:<13} {:>9} {:>9} {:>9} {:>8} {:>5}",
        "category", "precision", "recall", "f1", "support", "pred"
    )
    .unwrap();
    let mut f1s = Vec::new();
    for c in Category::ALL {
        let sc = s[c as usize];
        writeln!(
            out,
            "{:<13} {:>9.3} {:>9.3} {:>9.3} {:>8} {:>5}",
            c.as_str(),
            sc.precision(),
            sc.recall(),
            sc.f1(),
            sc.support(),
            sc.tp + sc.fp
        )
        .unwrap();
        if sc.support() + sc.fp > 0 {
            f1s.push(sc.f1());
        }
    }
    let macro_f1 = if f1s.is_empty() {
        0.0
    } else {
        f1s.iter().sum::<f64>() / f1s.len() as f64
    };
    let ok = results.iter().filter(|(r, g)| r.accepts(*g)).count();
    writeln!(
        out,
        "macro-F1 {:.3} over {} categories; accuracy {}/{} = {:.3}",
        macro_f1,
        f1s.len(),
        ok,
        results.len(),
        ratio(ok, results.len())
    )
    .unwrap();
    let mut tags: BTreeSet<&str> = BTreeSet::new();
    for (r, _) in results {
        tags.extend(r.tags.iter().map(String::as_str));
    }
    for tag in tags {
        let with: Vec<_> = results
            .iter()
            .filter(|(r, _)| r.tags.iter().any(|t| t == tag))
            .collect();
        let ok = with.iter().filter(|(r, g)| r.accepts(*g)).count();
        writeln!(out, "  tag {tag:<12} {ok:>3}/{:<3} correct", with.len()).unwrap();
    }
    out
}

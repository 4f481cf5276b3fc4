//! Shared helpers for inochi's conformance tests: the labeled corpus under
//! `tests/corpus/*.jsonl`, one shared classifier, the invariants every
//! verdict must satisfy, and the per-category score table.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use inochi::eval::{ConfusionMatrix, LabeledRow, parse_jsonl};
use inochi::{Action, Category, Classifier, Verdict};

/// One labeled post of the corpus ([`LabeledRow`], from the core's `eval`
/// module) and where it came from. Derefs to the row, so `row.id`,
/// `row.accepts(got)` and the like work directly.
#[derive(Clone, Debug)]
pub struct Row {
    /// The labeled post.
    pub row: LabeledRow,
    /// `file:line` the row came from.
    pub origin: String,
}

impl Deref for Row {
    type Target = LabeledRow;

    fn deref(&self) -> &LabeledRow {
        &self.row
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
        let bytes =
            std::fs::read(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let (parsed, errors) = parse_jsonl(&bytes);
        if let Some(e) = errors.first() {
            panic!("{name}: malformed corpus row: {e}");
        }
        for (line, row) in parsed {
            let origin = format!("{name}:{line}");
            assert!(
                ids.insert(row.id.clone()),
                "{origin}: duplicate id {:?}",
                row.id
            );
            rows.push(Row { row, origin });
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

/// The per-category table with macro-F1 (over the categories with support
/// or predictions) and accuracy, from the core's
/// [`ConfusionMatrix`](inochi::eval::ConfusionMatrix), then the share of
/// correct rows per tag.
pub fn score_table(results: &[(&Row, Category)]) -> String {
    let mut matrix = ConfusionMatrix::new();
    for &(row, got) in results {
        matrix.record(row, got);
    }
    let mut out = String::new();
    writeln!(
        out,
        "{:<13} {:>9} {:>9} {:>9} {:>8} {:>5}",
        "category", "precision", "recall", "f1", "support", "pred"
    )
    .unwrap();
    for s in matrix.scores() {
        writeln!(
            out,
            "{:<13} {:>9.3} {:>9.3} {:>9.3} {:>8} {:>5}",
            s.category.as_str(),
            s.precision,
            s.recall,
            s.f1,
            s.support,
            s.predicted
        )
        .unwrap();
    }
    let macro_f1 = matrix.macro_f1();
    writeln!(
        out,
        "macro-F1 {:.3} over {} categories; accuracy {}/{} = {:.3}",
        macro_f1.value,
        macro_f1.categories,
        matrix.correct(),
        matrix.total(),
        matrix.accuracy()
    )
    .unwrap();
    let mut tags: BTreeSet<&str> = BTreeSet::new();
    for (r, _) in results {
        tags.extend(r.tags.iter().map(String::as_str));
    }
    for tag in tags {
        let with: Vec<_> = results.iter().filter(|(r, _)| r.has_tag(tag)).collect();
        let ok = with.iter().filter(|(r, g)| r.accepts(*g)).count();
        writeln!(out, "  tag {tag:<12} {ok:>3}/{:<3} correct", with.len()).unwrap();
    }
    out
}

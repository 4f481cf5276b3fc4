//! `inochi eval`: how well the classifier does on labeled posts.
//!
//! Reads one or more labeled JSONL files (rows of `inochi::eval::LabeledRow`),
//! classifies every row and prints the per-category precision, recall, F1
//! and support, the macro-F1, the accuracy per tag, the confusion matrix and
//! every miss with its evidence; `--json` prints the same as one JSON
//! document. `--perturb` also rewrites every positive row with each evasion
//! and reports how many stay flagged.
//!
//! Exit status: `0` evaluated (and macro-F1 ≥ `--min-macro-f1` if given);
//! `1` macro-F1 below `--min-macro-f1`; `2` usage or I/O error, an invalid
//! pack, no rows, or malformed rows. A malformed row (not JSON, a missing or
//! mistyped field, an unknown category, an id used twice in the files) fails
//! the whole run before anything is classified: a score over a silently
//! shrunken set would look better than it is. Every such row is listed with
//! its file and line (on stderr, and with `--json` as `{"errors": [...]}` on
//! stdout).

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use inochi::eval::{
    CategoryScore, ConfusionMatrix, EvasionTally, LabeledRow, REWRITES, RowError, RowErrorKind,
    parse_jsonl,
};
use inochi::{Category, Classifier, Label, PackInfo, RuleInfo};
use rayon::prelude::*;
use serde::Serialize;

use crate::PackArgs;

#[derive(Args)]
pub(crate) struct EvalArgs {
    /// Labeled JSONL files: one object per line with `id`, `text`, `expect`
    /// and optionally `lang`, `accept` (other acceptable categories) and
    /// `tags`. `-` reads standard input.
    #[arg(value_name = "LABELED.jsonl", required = true)]
    files: Vec<PathBuf>,
    /// Print one JSON document instead of tables.
    #[arg(long)]
    json: bool,
    /// Exit with status 1 if macro-F1 is below X (0..=1).
    #[arg(long, value_name = "X", value_parser = parse_fraction)]
    min_macro_f1: Option<f64>,
    /// Also rewrite every positive row with each evasion (spacing,
    /// zero-width, half-width kana, タヒ, full-width Latin, stretched vowels,
    /// hiragana spelling)
    /// and report how many stay flagged.
    #[arg(long)]
    perturb: bool,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    #[command(flatten)]
    pack: PackArgs,
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("{s:?} is not a number between 0 and 1")),
    }
}

/// A row and where it was read from.
struct Located {
    source: String,
    line: usize,
    row: LabeledRow,
}

/// A malformed row, for the error list.
#[derive(Serialize)]
struct BadRow {
    source: String,
    line: usize,
    id: Option<String>,
    error: String,
}

/// The whole report; `--json` prints it as is.
#[derive(Serialize)]
struct Report {
    files: Vec<FileCount>,
    rows: usize,
    correct: usize,
    accuracy: f64,
    macro_f1: f64,
    /// How many of the six categories the macro-F1 averages (those that
    /// occur or were predicted).
    macro_f1_categories: usize,
    min_macro_f1: Option<f64>,
    /// False only when `min_macro_f1` is given and macro-F1 is below it.
    passed: bool,
    pack: PackInfo,
    categories: Vec<CategoryScore>,
    /// expected → got → rows.
    confusion: ConfusionMatrix,
    tags: Vec<TagCount>,
    misses: Vec<Miss>,
    perturb: Option<Perturb>,
}

#[derive(Serialize)]
struct FileCount {
    path: String,
    rows: usize,
}

#[derive(Serialize)]
struct TagCount {
    tag: String,
    rows: usize,
    correct: usize,
}

#[derive(Serialize)]
struct Miss {
    id: String,
    source: String,
    line: usize,
    expect: Category,
    accept: Vec<Category>,
    got: Category,
    tags: Vec<String>,
    text: String,
    /// What fired: every label with its rules and the text they matched.
    labels: Vec<Label>,
    /// Rules whose conditions held but that a suppressor stopped.
    suppressed: Vec<RuleInfo>,
}

#[derive(Serialize)]
struct Perturb {
    /// Rows whose `expect` is not `none`.
    positives: usize,
    /// Of those, the rows flagged as written.
    flagged: usize,
    rewrites: Vec<RewriteResult>,
}

#[derive(Serialize)]
struct RewriteResult {
    rewrite: &'static str,
    name: &'static str,
    /// Positive rows the rewrite changed at all (full-width Latin leaves
    /// Japanese alone, half-width kana leaves English alone).
    changed: usize,
    /// Positive rows flagged (primary other than `none`) after the rewrite.
    flagged: usize,
    flagged_share: f64,
    /// Positive rows with the same primary as before the rewrite.
    same_primary: usize,
    same_primary_share: f64,
    /// Ids of the rows flagged as written but not after the rewrite.
    lost: Vec<String>,
}

pub(crate) fn run(args: EvalArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let pool = {
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(n) = args.threads {
            if n == 0 {
                return Err("--threads must be at least 1".into());
            }
            b = b.num_threads(n);
        }
        b.build()?
    };

    let (rows, files, bad) = read_files(&args.files)?;
    if !bad.is_empty() {
        return report_bad_rows(&bad, args.json);
    }
    if rows.is_empty() {
        return Err("no labeled rows in the input; nothing to evaluate".into());
    }

    let classifier = args.pack.classifier()?;
    let report = pool.install(|| evaluate(&classifier, &rows, files, &args));

    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &report)?;
    }
    out.flush()?;
    if !report.passed {
        eprintln!(
            "inochi eval: macro-F1 {:.3} is below --min-macro-f1 {}",
            report.macro_f1,
            report.min_macro_f1.unwrap_or_default()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

type ReadResult = (Vec<Located>, Vec<FileCount>, Vec<BadRow>);

/// Every row of every file, with the malformed ones (and ids repeated
/// across files) set apart.
fn read_files(paths: &[PathBuf]) -> Result<ReadResult, Box<dyn std::error::Error>> {
    let mut rows = Vec::new();
    let mut files = Vec::new();
    let mut bad = Vec::new();
    let mut first_seen: HashMap<String, String> = HashMap::new();
    for path in paths {
        let (source, bytes) = if path.as_os_str() == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            ("<stdin>".to_string(), buf)
        } else {
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            (path.display().to_string(), bytes)
        };
        let (parsed, errors) = parse_jsonl(&bytes);
        let mut errors: Vec<RowError> = errors;
        let mut count = 0;
        for (line, row) in parsed {
            let here = format!("{source}:{line}");
            if let Some(first) = first_seen.get(&row.id) {
                errors.push(RowError {
                    line,
                    id: Some(row.id.clone()),
                    kind: RowErrorKind::DuplicateId {
                        first: first.clone(),
                    },
                });
                continue;
            }
            first_seen.insert(row.id.clone(), here);
            count += 1;
            rows.push(Located {
                source: source.clone(),
                line,
                row,
            });
        }
        errors.sort_by_key(|e| e.line);
        bad.extend(errors.into_iter().map(|e| BadRow {
            source: source.clone(),
            line: e.line,
            id: e.id.clone(),
            error: e.to_string(),
        }));
        files.push(FileCount {
            path: source,
            rows: count,
        });
    }
    Ok((rows, files, bad))
}

fn report_bad_rows(bad: &[BadRow], json: bool) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut err = std::io::stderr().lock();
    for b in bad {
        writeln!(err, "{}: {}", b.source, b.error)?;
    }
    writeln!(
        err,
        "inochi eval: {} malformed row{}; fix {} and run again (nothing was evaluated)",
        bad.len(),
        if bad.len() == 1 { "" } else { "s" },
        if bad.len() == 1 { "it" } else { "them" }
    )?;
    if json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "errors": bad }))?;
        writeln!(out)?;
    }
    Ok(ExitCode::from(2))
}

/// Classifies every row (on the current rayon pool) and builds the report.
fn evaluate(
    classifier: &Classifier,
    rows: &[Located],
    files: Vec<FileCount>,
    args: &EvalArgs,
) -> Report {
    let texts: Vec<&str> = rows.iter().map(|r| r.row.text.as_str()).collect();
    let verdicts = classifier.classify_batch(&texts);

    let mut matrix = ConfusionMatrix::new();
    let mut tags: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for (i, (r, v)) in rows.iter().zip(&verdicts).enumerate() {
        let ok = matrix.record(&r.row, v.primary);
        for t in &r.row.tags {
            let e = tags.entry(t).or_default();
            e.0 += 1;
            e.1 += usize::from(ok);
        }
        if !ok {
            missed.push(i);
        }
    }
    // The suppressed rules say why a post came out `none`; only misses need
    // the second (explaining) pass.
    let misses: Vec<Miss> = missed
        .par_iter()
        .map(|&i| {
            let (r, v) = (&rows[i], &verdicts[i]);
            Miss {
                id: r.row.id.clone(),
                source: r.source.clone(),
                line: r.line,
                expect: r.row.expect,
                accept: r.row.accept.clone(),
                got: v.primary,
                tags: r.row.tags.clone(),
                text: r.row.text.clone(),
                labels: v.labels.clone(),
                suppressed: classifier.explain(&r.row.text).suppressed,
            }
        })
        .collect();

    let perturb = args.perturb.then(|| {
        let positives: Vec<(&Located, Category)> = rows
            .iter()
            .zip(&verdicts)
            .filter(|(r, _)| r.row.expect != Category::None)
            .map(|(r, v)| (r, v.primary))
            .collect();
        let before: Vec<Category> = positives.iter().map(|&(_, p)| p).collect();
        let rewrites = REWRITES
            .iter()
            .map(|rewrite| {
                let texts: Vec<String> = positives
                    .iter()
                    .map(|(r, _)| rewrite.apply(classifier, &r.row.text))
                    .collect();
                let changed = positives
                    .iter()
                    .zip(&texts)
                    .filter(|((r, _), t)| r.row.text != **t)
                    .count();
                let after: Vec<Category> = classifier
                    .classify_batch(&texts)
                    .into_iter()
                    .map(|v| v.primary)
                    .collect();
                let tally = EvasionTally::new(&before, &after);
                RewriteResult {
                    rewrite: rewrite.id,
                    name: rewrite.name,
                    changed,
                    flagged: tally.flagged,
                    flagged_share: tally.flagged_share(),
                    same_primary: tally.same_primary,
                    same_primary_share: tally.same_primary_share(),
                    lost: tally
                        .lost
                        .iter()
                        .map(|&i| positives[i].0.row.id.clone())
                        .collect(),
                }
            })
            .collect();
        Perturb {
            positives: positives.len(),
            flagged: before.iter().filter(|&&p| p != Category::None).count(),
            rewrites,
        }
    });

    let macro_f1 = matrix.macro_f1();
    Report {
        files,
        rows: rows.len(),
        correct: matrix.correct(),
        accuracy: matrix.accuracy(),
        macro_f1: macro_f1.value,
        macro_f1_categories: macro_f1.categories,
        min_macro_f1: args.min_macro_f1,
        passed: args.min_macro_f1.is_none_or(|min| macro_f1.value >= min),
        pack: classifier.pack().clone(),
        categories: matrix.scores(),
        tags: tags
            .into_iter()
            .map(|(tag, (rows, correct))| TagCount {
                tag: tag.to_string(),
                rows,
                correct,
            })
            .collect(),
        confusion: matrix,
        misses,
        perturb,
    }
}

fn one_line(s: &str) -> String {
    s.replace('\n', "⏎")
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn write_text(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    let files: Vec<String> = r
        .files
        .iter()
        .map(|f| format!("{} ({})", f.path, f.rows))
        .collect();
    writeln!(out, "{} labeled rows: {}", r.rows, files.join(", "))?;
    writeln!(
        out,
        "pack {} {} {}",
        r.pack.name, r.pack.version, r.pack.hash
    )?;

    writeln!(out)?;
    writeln!(
        out,
        "{:<13} {:>9} {:>9} {:>9} {:>8} {:>9}",
        "category", "precision", "recall", "f1", "support", "predicted"
    )?;
    for s in &r.categories {
        if s.counts.is_absent() {
            // No F1 (0/0): left out of the macro average.
            writeln!(
                out,
                "{:<13} {:>9} {:>9} {:>9} {:>8} {:>9}",
                s.category.as_str(),
                "-",
                "-",
                "-",
                0,
                0
            )?;
            continue;
        }
        writeln!(
            out,
            "{:<13} {:>9.3} {:>9.3} {:>9.3} {:>8} {:>9}",
            s.category.as_str(),
            s.precision,
            s.recall,
            s.f1,
            s.support,
            s.predicted
        )?;
    }
    writeln!(
        out,
        "macro-F1 {:.3} over {} categories; accuracy {}/{} = {:.3}",
        r.macro_f1, r.macro_f1_categories, r.correct, r.rows, r.accuracy
    )?;
    if let Some(min) = r.min_macro_f1 {
        writeln!(
            out,
            "--min-macro-f1 {min}: {}",
            if r.passed { "passed" } else { "FAILED" }
        )?;
    }
    if !r.tags.is_empty() {
        write!(out, "correct by tag:")?;
        let mut width = 15;
        for t in &r.tags {
            let item = format!(" {} {}/{}", t.tag, t.correct, t.rows);
            if width + item.len() > 100 {
                write!(out, "\n ")?;
                width = 1;
            }
            width += item.len();
            write!(out, "{item}")?;
        }
        writeln!(out)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "confusion matrix: rows expected, columns got (an accepted alternative counts as got)"
    )?;
    write!(out, "{:<13}", "")?;
    for c in Category::ALL {
        write!(out, " {:>12}", c.as_str())?;
    }
    writeln!(out)?;
    for e in Category::ALL {
        write!(out, "{:<13}", e.as_str())?;
        for g in Category::ALL {
            write!(out, " {:>12}", r.confusion.count(e, g))?;
        }
        writeln!(out)?;
    }

    if let Some(p) = &r.perturb {
        writeln!(out)?;
        writeln!(
            out,
            "evasion rewrites over {} positive rows ({} flagged as written)",
            p.positives, p.flagged
        )?;
        writeln!(
            out,
            "{:<18} {:>7} {:>15} {:>15}  lost (flagged as written, not after)",
            "rewrite", "changed", "still flagged", "same primary"
        )?;
        for w in &p.rewrites {
            let mut lost = w.lost.iter().take(8).cloned().collect::<Vec<_>>().join(" ");
            if w.lost.len() > 8 {
                lost.push_str(&format!(" … ({} in all)", w.lost.len()));
            }
            writeln!(
                out,
                "{:<name_w$} {:>7} {:>8} {:>6} {:>8} {:>6}  {}",
                w.name,
                w.changed,
                w.flagged,
                percent(w.flagged_share),
                w.same_primary,
                percent(w.same_primary_share),
                if lost.is_empty() { "-" } else { &lost },
                // Pad by characters that take two columns (タヒ, 死).
                name_w = 18usize.saturating_sub(wide_chars(w.name)),
            )?;
        }
    }

    writeln!(out)?;
    writeln!(
        out,
        "misses: {} (primary neither `expect` nor in `accept`)",
        r.misses.len()
    )?;
    for m in &r.misses {
        let mut expected = m.expect.to_string();
        for a in &m.accept {
            expected.push('|');
            expected.push_str(a.as_str());
        }
        writeln!(
            out,
            "{}  expected {}  got {}  [{}:{}]{}",
            m.id,
            expected,
            m.got,
            m.source,
            m.line,
            if m.tags.is_empty() {
                String::new()
            } else {
                format!("  tags={}", m.tags.join(","))
            }
        )?;
        writeln!(out, "    text: {}", one_line(&m.text))?;
        // One entry per rule, with every piece of text it matched.
        let mut evidence: Vec<String> = Vec::new();
        for l in &m.labels {
            let mut rules: Vec<(&str, Vec<String>)> = Vec::new();
            for e in &l.evidence {
                let text = format!("{:?}", one_line(&e.text));
                match rules.iter_mut().find(|(rule, _)| *rule == e.rule) {
                    Some((_, texts)) => texts.push(text),
                    None => rules.push((&e.rule, vec![text])),
                }
            }
            for (rule, texts) in rules {
                evidence.push(format!(
                    "{} {:.3} {rule} {}",
                    l.category,
                    l.score,
                    texts.join(" ")
                ));
            }
        }
        if evidence.is_empty() {
            writeln!(out, "    evidence: -")?;
        } else {
            writeln!(out, "    evidence: {}", evidence.join("; "))?;
        }
        if !m.suppressed.is_empty() {
            let s: Vec<String> = m
                .suppressed
                .iter()
                .map(|s| format!("{} {} ({})", s.category, s.rule, s.note))
                .collect();
            writeln!(out, "    suppressed: {}", s.join("; "))?;
        }
    }
    Ok(())
}

/// Characters that a terminal draws two columns wide (CJK and full-width
/// forms), enough to align the rewrite names.
fn wide_chars(s: &str) -> usize {
    s.chars()
        .filter(|&c| {
            matches!(c, '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffe6}')
        })
        .count()
}

//! Every positive corpus row, rewritten with each evasion people use
//! (spaced letters, zero-width characters, half-width kana, タヒ, full-width
//! Latin, stretched vowels), must still be flagged: the classifier folds
//! spellings before it reads them, so a rewrite should change nothing.
//!
//! The bar is 90% of positives flagged after every rewrite (the issue asks
//! for 80% on held-out posts); the table is printed on every run.

use inochi::Category;
use inochi_conformance::perturb::REWRITES;
use inochi_conformance::{classifier, load_corpus};

const MIN_KEPT: f64 = 0.90;

#[test]
fn positives_stay_flagged_after_each_evasion() {
    let c = classifier();
    let rows: Vec<_> = load_corpus()
        .into_iter()
        .filter(|r| r.expect != Category::None && c.classify(&r.text).primary != Category::None)
        .collect();
    assert!(!rows.is_empty(), "the corpus has flagged positive rows");
    let mut report = format!(
        "\n== evasion rewrites over {} flagged positive rows ==\n",
        rows.len()
    );
    let mut worst = 1.0f64;
    for (name, rewrite) in REWRITES {
        let mut kept = 0usize;
        let mut same = 0usize;
        let mut lost = Vec::new();
        for r in &rows {
            let before = c.classify(&r.text).primary;
            let after = c.classify(&rewrite(&r.text)).primary;
            if after != Category::None {
                kept += 1;
            } else if lost.len() < 5 {
                lost.push(r.id.clone());
            }
            if after == before {
                same += 1;
            }
        }
        let frac = kept as f64 / rows.len() as f64;
        worst = worst.min(frac);
        report.push_str(&format!(
            "{name:<18} still flagged {kept:>4}/{} = {:>5.1}%  same primary {:>5.1}%  lost e.g. {}\n",
            rows.len(),
            frac * 100.0,
            same as f64 * 100.0 / rows.len() as f64,
            lost.join(" ")
        ));
    }
    eprintln!("{report}");
    assert!(
        worst >= MIN_KEPT,
        "an evasion rewrite kept only {:.1}% of positives flagged (bar {:.0}%); table above",
        worst * 100.0,
        MIN_KEPT * 100.0
    );
}

//! Every positive corpus row, rewritten with each evasion people use
//! (spaced letters, zero-width characters, half-width kana, タヒ, full-width
//! Latin, stretched vowels, hiragana spelling), must still be flagged: the
//! classifier folds spellings before it reads them, so a rewrite should
//! change nothing.
//!
//! The bar is 90% of positives flagged after every rewrite the folder
//! handles (the issue asks for 80% on held-out posts); the table is printed
//! on every run. Hiragana spelling (every kanji word written from its
//! reading) is not folded back yet: 74.8% of positives stay flagged when it
//! was added, so its bar of 70% only guards against regressions until the
//! packs learn kana spellings of their forms.

use inochi::Category;
use inochi::eval::{EvasionTally, REWRITES};
use inochi_conformance::{classifier, load_corpus};

const MIN_KEPT: f64 = 0.90;

/// The bar of a rewrite (see the module doc for the hiragana exception).
fn bar(id: &str) -> f64 {
    if id == "hiragana" { 0.70 } else { MIN_KEPT }
}

#[test]
fn positives_stay_flagged_after_each_evasion() {
    let c = classifier();
    // Only the positives flagged as written: the rewrites measure folding,
    // not the misses the corpus test already reports.
    let positives: Vec<_> = load_corpus()
        .into_iter()
        .filter(|r| r.expect != Category::None)
        .collect();
    let texts: Vec<&str> = positives.iter().map(|r| r.text.as_str()).collect();
    let (rows, before): (Vec<_>, Vec<Category>) = positives
        .iter()
        .zip(c.classify_batch(&texts))
        .map(|(r, v)| (r, v.primary))
        .filter(|&(_, primary)| primary != Category::None)
        .unzip();
    assert!(!rows.is_empty(), "the corpus has flagged positive rows");
    let mut report = format!(
        "\n== evasion rewrites over {} flagged positive rows ==\n",
        rows.len()
    );
    let mut below: Vec<String> = Vec::new();
    for rewrite in REWRITES {
        let texts: Vec<String> = rows.iter().map(|r| rewrite.apply(c, &r.text)).collect();
        let after: Vec<Category> = c
            .classify_batch(&texts)
            .into_iter()
            .map(|v| v.primary)
            .collect();
        let tally = EvasionTally::new(&before, &after);
        let lost: Vec<&str> = tally
            .lost
            .iter()
            .take(5)
            .map(|&i| rows[i].id.as_str())
            .collect();
        if tally.flagged_share() < bar(rewrite.id) {
            below.push(format!(
                "{} kept {:.1}% (bar {:.0}%)",
                rewrite.name,
                tally.flagged_share() * 100.0,
                bar(rewrite.id) * 100.0
            ));
        }
        report.push_str(&format!(
            "{:<18} still flagged {:>4}/{} = {:>5.1}%  same primary {:>5.1}%  lost e.g. {}\n",
            rewrite.name,
            tally.flagged,
            tally.rows,
            tally.flagged_share() * 100.0,
            tally.same_primary_share() * 100.0,
            lost.join(" ")
        ));
    }
    eprintln!("{report}");
    assert!(
        below.is_empty(),
        "evasion rewrites below their bar: {}; table above",
        below.join(", ")
    );
}

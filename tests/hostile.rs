//! Hostile input: posts and packs built to crash, hang or exhaust the classifier. Each test
//! checks the verdict (not just "no panic"), the evidence invariants, and prints its time.

use std::fmt::Write as _;
use std::time::Instant;

use inochi::{Category, Classifier, Pack};
use inochi_conformance::{classifier, evidence_problems, structure_problems};

/// Size of the single benign post, as the issue asks. Before the screen (which folds without
/// the offset map and stops at `none`) this took 254 s and 9.6 GB in a debug build; now about
/// 20 s and under 1 GB (peak resident set 957 MB, measured with /usr/bin/time -v).
const HUGE_POST_BYTES: usize = 100 << 20;

fn check(text: &str, v: &inochi::Verdict) {
    let mut problems = evidence_problems(text, v);
    problems.extend(structure_problems(v));
    assert!(problems.is_empty(), "{problems:#?}");
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    eprintln!("hostile: {what}: {:.2} s", t.elapsed().as_secs_f64());
    out
}

#[test]
fn huge_benign_post() {
    let unit =
        "今日はいい天気ですね。駅前のカフェでランチを食べました。The weather is lovely today. ";
    let text = unit.repeat(HUGE_POST_BYTES / unit.len() + 1);
    let v = timed(&format!("{} MB benign post", text.len() >> 20), || {
        classifier().classify(&text)
    });
    assert_eq!(v.primary, Category::None, "{v:?}");
    assert!(v.labels.is_empty());
}

#[test]
fn million_zero_width_characters_around_a_trigger() {
    let zw = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];
    let pad: String = (0..500_000).map(|i| zw[i % zw.len()]).collect();
    let text = format!("{pad}死にたい{pad}");
    let v = timed(
        "1,000,000 zero-width characters around 死にたい",
        || classifier().classify(&text),
    );
    check(&text, &v);
    assert_eq!(v.primary, Category::Ideation, "{v:?}");

    // Interleaved inside the word as well.
    let text: String = format!("{pad}死{pad}に{pad}た{pad}い{pad}");
    let v = timed("zero-width runs inside 死にたい", || {
        classifier().classify(&text)
    });
    check(&text, &v);
    assert_eq!(v.primary, Category::Ideation, "{v:?}");
}

/// Every combining mark of the blocks U+0300–036F, U+1AB0–1AFF, U+1DC0–1DFF, U+20D0–20FF and
/// U+FE20–FE2F (unassigned code points in them are skipped by `char::from_u32` only if they are
/// surrogates, so all are used: an unassigned mark is still hostile input).
fn combining_marks() -> String {
    [
        0x0300..=0x036F,
        0x1AB0..=0x1AFF,
        0x1DC0..=0x1DFF,
        0x20D0..=0x20FF,
        0xFE20..=0xFE2F,
    ]
    .into_iter()
    .flatten()
    .filter_map(char::from_u32)
    .collect()
}

#[test]
fn every_combining_mark_stacked_on_a_trigger() {
    let marks = combining_marks();
    assert_eq!(marks.chars().count(), 112 + 80 + 64 + 48 + 16);
    let cases = [
        ("after the word", format!("死にたい{marks}")),
        ("on every character", {
            let mut s = String::new();
            for c in "死にたい".chars() {
                write!(s, "{c}{marks}").unwrap();
            }
            s
        }),
    ];
    for (name, text) in cases {
        let v = timed(&format!("every combining mark {name}"), || {
            classifier().classify(&text)
        });
        check(&text, &v);
        assert_eq!(v.primary, Category::Ideation, "marks {name}: {v:?}");
    }
}

fn many_terms_pack(n: usize) -> String {
    let mut toml = String::from(
        "[pack]\nname = \"hostile-many-terms\"\nversion = \"1\"\n\n\
         [concepts.MANYTERMS]\nanchor = true\nforms = [\n",
    );
    for i in 0..n {
        writeln!(toml, "  \"zqx{i:06}term\",").unwrap();
    }
    toml.push_str(
        "]\n\n[[rules]]\nid = \"hostile.many_terms\"\ncategory = \"ideation\"\nscore = 0.9\n\
         all = [\"MANYTERMS\"]\n\n\
         # The model never saw these made-up words and reads the posts as\n\
         # ordinary; this test is about the pack's size, not its second reading.\n\
         [model]\noverrule_ideation = 1.0\n",
    );
    toml
}

#[test]
fn a_pack_with_100_000_terms_builds_and_classifies() {
    let toml = many_terms_pack(100_000);
    let c = timed("build a 100,000-term pack", || {
        let pack = Pack::default_pack()
            .extend("many-terms.toml", &toml)
            .expect("the pack loads");
        Classifier::builder().pack(pack).build().expect("it builds")
    });
    for (text, want) in [
        ("he wrote zqx099999term today", Category::Ideation),
        ("zqx000000term", Category::Ideation),
        ("zqx100000term is not one of them", Category::None),
        ("今日はいい天気", Category::None),
        ("死にたい", Category::Ideation),
    ] {
        let v = timed(&format!("classify {text:?} with 100,000 terms"), || {
            c.classify(text)
        });
        check(text, &v);
        assert_eq!(v.primary, want, "{text}: {v:?}");
    }
}

/// Packs have no regular expressions: a form like `(a+)+$` is a literal string, matched by
/// Aho-Corasick in linear time. Input that makes a backtracking engine explode for that regex
/// (a long run of `a` followed by a non-matching character) is classified at once.
#[test]
fn regex_like_terms_are_literal_and_fast() {
    let toml = "[pack]\nname = \"hostile-regex\"\nversion = \"1\"\n\n\
        [concepts.REGEXISH]\nanchor = true\nalign = \"none\"\n\
        forms = [\"(a+)+$\", \"(x|x)*y\", \"^(a|aa)+$\", \".*.*.*=.*\"]\n\n\
        [[rules]]\nid = \"hostile.regex_like\"\ncategory = \"ideation\"\nscore = 0.9\n\
        all = [\"REGEXISH\"]\n";
    let pack = Pack::default_pack()
        .extend("regex.toml", toml)
        .expect("the pack loads");
    let c = Classifier::builder().pack(pack).build().expect("it builds");

    let evil = format!("{}!", "a".repeat(1 << 20));
    let v = timed("1 MiB of 'a' then '!' against (a+)+$", || c.classify(&evil));
    check(&evil, &v);
    assert_eq!(
        v.primary,
        Category::None,
        "a regex would match nothing here either"
    );
    let evil = format!("{}z", "x".repeat(1 << 20));
    let v = timed("1 MiB of 'x' then 'z' against (x|x)*y", || {
        c.classify(&evil)
    });
    assert_eq!(v.primary, Category::None);

    // The literal text matches; what the regex would match does not.
    let text = "the note said (a+)+$ and nothing else";
    let v = c.classify(text);
    check(text, &v);
    assert_eq!(v.primary, Category::Ideation, "literal form found: {v:?}");
    let e = &v.labels[0].evidence[0];
    assert_eq!(e.text, "(a+)+$");
    assert_eq!(
        c.classify("aaaa").primary,
        Category::None,
        "not read as a regex"
    );
}

//! Properties of rule-pack parsing: any text yields a pack or a typed
//! `PackError`, never a panic; a valid pack always loads and classifies
//! arbitrary text with sound evidence; and one defect put into a valid pack
//! is reported as that defect, naming the rule or concept at fault.
//!
//! The fuzz target `pack` (fuzz/) explores the same space with libFuzzer;
//! these run on stable under `cargo test`.

use inochi::{Classifier, Pack, PackError};
use inochi_conformance::{evidence_problems, structure_problems};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;

const CATEGORIES: &[&str] = &[
    "announcement",
    "inducement",
    "method",
    "incitement",
    "ideation",
];

/// Surface forms: real fragments of posts and their evasions, plus random
/// kana, kanji and Latin words.
fn form() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "死",
            "しに",
            "消えたい",
            "一緒に",
            "今夜",
            "ﾀﾋ",
            "ｋｙｓ",
            "kys",
            "end it",
            "DM",
            "募集",
            "楽に",
            "さようなら",
            "(",
            "a.b",
            "死*",
            "[死]",
        ])
        .prop_map(str::to_string),
        "[ぁ-ゖ]{1,4}",
        "[一-龥]{1,3}",
        "[a-z]{2,8}",
    ]
}

#[derive(Clone, Debug)]
struct Concept {
    anchor: bool,
    forms: Vec<String>,
}

#[derive(Clone, Debug)]
struct Rule {
    category: &'static str,
    score: f64,
    // Expressions as concept indices: each alternative with modifiers.
    all: Vec<(usize, Option<(bool, usize)>)>,
    any: Vec<usize>,
}

#[derive(Clone, Debug)]
struct Spec {
    concepts: Vec<Concept>,
    rules: Vec<Rule>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let concept = (any::<bool>(), prop::collection::vec(form(), 1..4))
        .prop_map(|(anchor, forms)| Concept { anchor, forms });
    prop::collection::vec(concept, 1..5).prop_flat_map(|mut concepts| {
        // Rules need an anchor somewhere in the pack.
        concepts[0].anchor = true;
        let n = concepts.len();
        let rule = (
            select(CATEGORIES.to_vec()),
            0.0f64..=1.0,
            prop::collection::vec((0..n, prop::option::of((any::<bool>(), 0..n))), 1..3),
            prop::collection::vec(0..n, 0..3),
        )
            .prop_map(|(category, score, all, any)| Rule {
                category,
                score,
                all,
                any,
            });
        (Just(concepts), prop::collection::vec(rule, 0..5))
            .prop_map(|(concepts, rules)| Spec { concepts, rules })
    })
}

fn name(i: usize) -> String {
    format!("C{i}")
}

fn quoted(s: &str) -> String {
    toml_string(s)
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The pack's TOML. `rule_ids` lets a case rename rules (to duplicate one).
fn render(spec: &Spec, rule_ids: &[String]) -> String {
    let mut t = String::from("[pack]\nname = \"prop-pack\"\nversion = \"1.0.0\"\n\n");
    for (i, c) in spec.concepts.iter().enumerate() {
        let forms: Vec<String> = c.forms.iter().map(|f| quoted(f)).collect();
        t.push_str(&format!(
            "[concepts.{}]\nanchor = {}\nforms = [{}]\n\n",
            name(i),
            c.anchor,
            forms.join(", ")
        ));
    }
    for (r, id) in spec.rules.iter().zip(rule_ids) {
        let all: Vec<String> = r
            .all
            .iter()
            .map(|(c, m)| match m {
                None => quoted(&name(*c)),
                Some((true, m)) => quoted(&format!("{}+{}", name(*c), name(*m))),
                Some((false, m)) => quoted(&format!("{}-{}", name(*c), name(*m))),
            })
            .collect();
        let any: Vec<String> = r.any.iter().map(|c| quoted(&name(*c))).collect();
        t.push_str(&format!(
            "[[rules]]\nid = {}\ncategory = {}\nscore = {:?}\nall = [{}]\nany = [{}]\n\n",
            quoted(id),
            quoted(r.category),
            r.score,
            all.join(", "),
            any.join(", ")
        ));
    }
    t
}

fn ids(spec: &Spec) -> Vec<String> {
    (0..spec.rules.len())
        .map(|i| format!("prop.rule{i}"))
        .collect()
}

/// The defects one case can put into a valid pack.
#[derive(Clone, Copy, Debug)]
enum Defect {
    UnknownConcept,
    BadCategory,
    ScoreOutOfRange,
    DuplicateRule,
    EmptyRule,
    EmptyConcept,
    BadExpression,
    Syntax,
}

fn defect() -> impl Strategy<Value = Defect> {
    select(vec![
        Defect::UnknownConcept,
        Defect::BadCategory,
        Defect::ScoreOutOfRange,
        Defect::DuplicateRule,
        Defect::EmptyRule,
        Defect::EmptyConcept,
        Defect::BadExpression,
        Defect::Syntax,
    ])
}

/// A valid pack with one rule `prop.bad` appended (or one concept emptied),
/// carrying `defect`.
fn with_defect(spec: &Spec, defect: Defect) -> String {
    let base = render(spec, &ids(spec));
    let rule = |category: &str, score: &str, all: &str| {
        format!(
            "[[rules]]\nid = \"prop.bad\"\ncategory = \"{category}\"\nscore = {score}\nall = [{all}]\n"
        )
    };
    match defect {
        Defect::UnknownConcept => base + &rule("ideation", "0.5", "\"NO_SUCH\""),
        Defect::BadCategory => base + &rule("catastrophe", "0.5", "\"C0\""),
        Defect::ScoreOutOfRange => base + &rule("ideation", "1.5", "\"C0\""),
        Defect::DuplicateRule => {
            base + &rule("ideation", "0.5", "\"C0\"") + "\n" + &rule("method", "0.5", "\"C0\"")
        }
        Defect::EmptyRule => base + &rule("ideation", "0.5", ""),
        Defect::EmptyConcept => base + "[concepts.EMPTY]\nforms = []\n",
        Defect::BadExpression => base + &rule("ideation", "0.5", "\"C0++\""),
        Defect::Syntax => base + "[[rules]]\nid = \"prop.bad\n",
    }
}

fn expected(defect: Defect, err: &PackError) -> bool {
    match defect {
        Defect::UnknownConcept => {
            matches!(err, PackError::UnknownConcept { rule, concept, .. } if rule == "prop.bad" && concept == "NO_SUCH")
        }
        Defect::BadCategory => {
            matches!(err, PackError::BadCategory { rule, .. } if rule == "prop.bad")
        }
        Defect::ScoreOutOfRange => {
            matches!(err, PackError::OutOfRange { field, .. } if field.contains("prop.bad"))
        }
        Defect::DuplicateRule => {
            matches!(err, PackError::DuplicateRule { rule, .. } if rule == "prop.bad")
        }
        Defect::EmptyRule => matches!(err, PackError::EmptyRule { rule, .. } if rule == "prop.bad"),
        Defect::EmptyConcept => {
            matches!(err, PackError::EmptyConcept { concept, .. } if concept == "EMPTY")
        }
        Defect::BadExpression => {
            matches!(err, PackError::BadExpression { rule, .. } if rule == "prop.bad")
        }
        Defect::Syntax => matches!(err, PackError::Syntax { .. }),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/pack_properties.txt"),
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_gives_a_pack_or_a_typed_error(text in any::<String>()) {
        if let Err(e) = Pack::from_toml("prop.toml", &text) {
            prop_assert!(e.to_string().contains("prop.toml"), "{}", e);
        }
        if let Err(e) = Pack::default_pack().extend("prop-extend.toml", &text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn valid_packs_load_and_classify(spec in spec(), texts in prop::collection::vec(
        prop_oneof![any::<String>(), "[ぁ-ゖ一-龥a-z 。、]{0,40}"], 1..4)) {
        let toml = render(&spec, &ids(&spec));
        let pack = Pack::from_toml("prop.toml", &toml)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{toml}")))?;
        prop_assert_eq!(pack.rules().count(), spec.rules.len());
        let classifier = Classifier::builder()
            .pack(pack)
            .build()
            .map_err(|e| TestCaseError::fail(format!("{e}\n{toml}")))?;
        for text in &texts {
            let verdict = classifier.classify(text);
            let mut problems = evidence_problems(text, &verdict);
            problems.extend(structure_problems(&verdict));
            prop_assert!(problems.is_empty(), "{:?}: {:?}", text, problems);
        }
    }

    #[test]
    fn one_defect_is_reported_as_itself(spec in spec(), defect in defect()) {
        let toml = with_defect(&spec, defect);
        match Pack::from_toml("prop.toml", &toml) {
            Ok(_) => prop_assert!(false, "{:?} was accepted:\n{}", defect, toml),
            Err(e) => prop_assert!(expected(defect, &e), "{:?} reported as {:?}\n{}", defect, e, toml),
        }
    }
}

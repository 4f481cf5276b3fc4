//! End-to-end tests of `inochi eval` on small labeled files: the text
//! report, `--min-macro-f1` failing and passing, `--json`, `--perturb`,
//! malformed rows and ids repeated across files.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_inochi");

/// Seven rows, hand-checked against the default pack. One miss: `e5`
/// ("死にたい") is labeled `announcement` but is `ideation`. So:
/// announcement P 1 R 1/2 F1 2/3; ideation P 1/2 R 1 F1 2/3; inducement,
/// incitement and none F1 1; `method` neither occurs nor is predicted and
/// stays out of the average: macro-F1 = (2/3 + 1 + 1 + 2/3 + 1) / 5 = 13/15
/// ≈ 0.867.
const SMALL: &str = r#"{"id": "e1", "text": "一緒に死ねる人を探しています。DMください", "lang": "ja", "expect": "inducement"}
{"id": "e2", "text": "死にたいなあ", "lang": "ja", "expect": "ideation", "tags": ["plain"]}
{"id": "e3", "text": "死ぬほど眠い", "lang": "ja", "expect": "none", "tags": ["trap"]}
{"id": "e4", "text": "今日はいい天気ですね。散歩に行ってきます", "expect": "none"}

{"id": "e5", "text": "死にたい", "lang": "ja", "expect": "announcement", "tags": ["mislabeled"]}
{"id": "e6", "text": "今夜ビルの屋上から飛び降ります。さようなら", "lang": "ja", "expect": "announcement"}
{"id": "e7", "text": "just kys already", "lang": "en", "expect": "incitement", "accept": ["method"]}
"#;

const MACRO_F1: f64 = 13.0 / 15.0;

/// Writes `content` to a fresh file under cargo's per-target temp dir.
fn file(name: &str, content: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("eval-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("eval")
        .args(args)
        .output()
        .expect("run inochi eval")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document: {e}\n{}", stdout(out)))
}

#[test]
fn prints_table_confusion_matrix_and_misses_with_evidence() {
    let path = file("table.jsonl", SMALL);
    let out = run(&[path.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}{text}", stderr(&out));
    assert!(text.contains("7 labeled rows"), "{text}");
    assert!(
        text.contains("announcement      1.000     0.500     0.667        2         1"),
        "{text}"
    );
    assert!(
        text.contains("method                -         -         -        0         0"),
        "absent category shown without scores:\n{text}"
    );
    assert!(
        text.contains("macro-F1 0.867 over 5 categories; accuracy 6/7 = 0.857"),
        "{text}"
    );
    assert!(text.contains("confusion matrix"), "{text}");
    let ann_row = text
        .lines()
        .find(|l| l.starts_with("announcement ") && l.split_whitespace().count() == 7)
        .expect("a confusion row for announcement");
    let counts: Vec<&str> = ann_row.split_whitespace().skip(1).collect();
    assert_eq!(counts, ["1", "0", "0", "0", "1", "0"], "{ann_row}");
    assert!(text.contains("misses: 1"), "{text}");
    assert!(
        text.contains("e5  expected announcement  got ideation"),
        "{text}"
    );
    assert!(
        text.contains("table.jsonl:6"),
        "miss names file and line:\n{text}"
    );
    assert!(
        text.contains("evidence: ideation 0.850 ja.ideation.want_to_die \"死に\""),
        "miss shows rule id and matched text:\n{text}"
    );
    assert!(!text.contains("evasion rewrites"), "no --perturb:\n{text}");
}

#[test]
fn min_macro_f1_fails_below_and_passes_at_or_above() {
    let path = file("threshold.jsonl", SMALL);
    let p = path.to_str().unwrap();

    let fail = run(&[p, "--min-macro-f1", "0.9"]);
    assert_eq!(fail.status.code(), Some(1), "{}", stderr(&fail));
    assert!(stdout(&fail).contains("--min-macro-f1 0.9: FAILED"));
    assert!(
        stderr(&fail).contains("macro-F1 0.867 is below --min-macro-f1 0.9"),
        "{}",
        stderr(&fail)
    );

    let pass = run(&[p, "--min-macro-f1", "0.85"]);
    assert_eq!(pass.status.code(), Some(0), "{}", stderr(&pass));
    assert!(stdout(&pass).contains("--min-macro-f1 0.85: passed"));

    let fail_json = run(&[p, "--json", "--min-macro-f1", "0.95"]);
    assert_eq!(fail_json.status.code(), Some(1));
    let v = json(&fail_json);
    assert_eq!(v["passed"], false);
    assert_eq!(v["min_macro_f1"], 0.95);

    let bad = run(&[p, "--min-macro-f1", "1.5"]);
    assert_eq!(bad.status.code(), Some(2), "out of 0..=1 is a usage error");
}

#[test]
fn json_has_the_same_content() {
    let path = file("json.jsonl", SMALL);
    let out = run(&[path.to_str().unwrap(), "--json", "--threads", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["rows"], 7);
    assert_eq!(v["correct"], 6);
    assert!((v["macro_f1"].as_f64().unwrap() - MACRO_F1).abs() < 1e-9);
    assert_eq!(v["macro_f1_categories"], 5);
    assert_eq!(v["passed"], true);
    assert!(v["min_macro_f1"].is_null());
    assert!(v["pack"]["hash"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(v["files"][0]["rows"], 7);

    let cats = v["categories"].as_array().unwrap();
    let names: Vec<&str> = cats
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "announcement",
            "inducement",
            "method",
            "incitement",
            "ideation",
            "none"
        ]
    );
    let ann = &cats[0];
    assert_eq!(ann["support"], 2);
    assert_eq!(ann["predicted"], 1);
    assert_eq!((ann["tp"].as_u64(), ann["fn"].as_u64()), (Some(1), Some(1)));
    assert!((ann["f1"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);

    assert_eq!(v["confusion"]["announcement"]["ideation"], 1);
    assert_eq!(v["confusion"]["none"]["none"], 2);
    // e7 accepts `method` too; whichever it got, it counts on the diagonal.
    let total: u64 = v["confusion"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|row| row.as_object().unwrap().values())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(total, 7);

    let tags: Vec<(&str, u64, u64)> = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["tag"].as_str().unwrap(),
                t["rows"].as_u64().unwrap(),
                t["correct"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tags,
        [("mislabeled", 1, 0), ("plain", 1, 1), ("trap", 1, 1)]
    );

    let misses = v["misses"].as_array().unwrap();
    assert_eq!(misses.len(), 1);
    let m = &misses[0];
    assert_eq!(m["id"], "e5");
    assert_eq!(m["line"], 6);
    assert_eq!(m["expect"], "announcement");
    assert_eq!(m["got"], "ideation");
    assert_eq!(
        m["labels"][0]["evidence"][0]["rule"],
        "ja.ideation.want_to_die"
    );
    assert_eq!(m["labels"][0]["evidence"][0]["text"], "死に");
    assert!(m["suppressed"].is_array());
    assert!(v["perturb"].is_null());
}

#[test]
fn perturb_reports_every_rewrite() {
    let path = file("perturb.jsonl", SMALL);
    let p = path.to_str().unwrap();

    let out = run(&[p, "--perturb"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        text.contains("evasion rewrites over 5 positive rows (5 flagged as written)"),
        "{text}"
    );
    for name in [
        "spacing",
        "zero-width",
        "half-width kana",
        "タヒ for 死",
        "full-width Latin",
        "stretched vowels",
        "hiragana spelling",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(name) && l.contains('%')),
            "a line for {name}:\n{text}"
        );
    }

    let v = json(&run(&[p, "--perturb", "--json"]));
    let perturb = &v["perturb"];
    assert_eq!(perturb["positives"], 5);
    assert_eq!(perturb["flagged"], 5);
    let rewrites = perturb["rewrites"].as_array().unwrap();
    let ids: Vec<&str> = rewrites
        .iter()
        .map(|r| r["rewrite"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "spacing",
            "zero_width",
            "half_width_kana",
            "tahi",
            "full_width_latin",
            "stretched_vowels",
            "hiragana"
        ]
    );
    for r in rewrites {
        let flagged = r["flagged"].as_u64().unwrap();
        let share = r["flagged_share"].as_f64().unwrap();
        assert!(flagged <= 5, "{r}");
        assert!((share - flagged as f64 / 5.0).abs() < 1e-9, "{r}");
        assert!(r["same_primary"].as_u64().unwrap() <= 5, "{r}");
        assert!(r["changed"].as_u64().unwrap() <= 5, "{r}");
        assert!(r["lost"].is_array(), "{r}");
    }
    // Three positives contain 死; only those change under タヒ.
    assert_eq!(rewrites[3]["changed"], 3);
    // Two have ASCII: e1 ("DM") and e7.
    assert_eq!(rewrites[4]["changed"], 2);
}

#[test]
fn malformed_rows_fail_the_run_with_their_lines() {
    let path = file(
        "malformed.jsonl",
        concat!(
            r#"{"id": "m1", "text": "死にたい", "expect": "ideation"}"#,
            "\n",
            "not json\n",
            r#"{"id": "m3", "text": "死ね", "expect": "deadly"}"#,
            "\n",
            r#"{"id": "m4", "expect": "none"}"#,
            "\n",
        ),
    );
    let p = path.to_str().unwrap();
    let out = run(&[p]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "nothing is evaluated: {}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(err.contains("malformed.jsonl: line 2: not JSON"), "{err}");
    assert!(
        err.contains(r#"malformed.jsonl: line 3 (id "m3"): "expect": unknown category "deadly""#),
        "{err}"
    );
    assert!(
        err.contains(r#"malformed.jsonl: line 4 (id "m4"): missing "text" field"#),
        "{err}"
    );
    assert!(err.contains("3 malformed rows"), "{err}");

    let out = run(&[p, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let lines: Vec<u64> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3, 4]);
    assert_eq!(v["errors"][1]["id"], "m3");
}

#[test]
fn several_files_and_ids_repeated_across_them() {
    let a = file(
        "multi-a.jsonl",
        r#"{"id": "s1", "text": "死にたいなあ", "expect": "ideation"}"#,
    );
    let b = file(
        "multi-b.jsonl",
        "{\"id\": \"s2\", \"text\": \"死ぬほど眠い\", \"expect\": \"none\"}\r\n",
    );
    let out = run(&[a.to_str().unwrap(), b.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["rows"], 2);
    assert_eq!(v["macro_f1"], 1.0);
    assert_eq!(v["files"].as_array().unwrap().len(), 2);

    let dup = file(
        "multi-dup.jsonl",
        r#"{"id": "s1", "text": "今日はいい天気", "expect": "none"}"#,
    );
    let out = run(&[a.to_str().unwrap(), dup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("multi-dup.jsonl: line 1 (id \"s1\"): duplicate id, first used at"),
        "{err}"
    );
    assert!(err.contains("multi-a.jsonl:1"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let path = file("usage.jsonl", SMALL);
    let p = path.to_str().unwrap();
    assert_eq!(run(&[p, "--threads", "0"]).status.code(), Some(2));
    assert_eq!(run(&[]).status.code(), Some(2), "a file is required");
    let missing = run(&["/nonexistent/labeled.jsonl"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read /nonexistent/labeled.jsonl"));
    let empty = file("empty.jsonl", "\n\n");
    let out = run(&[empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no labeled rows"), "{}", stderr(&out));
}

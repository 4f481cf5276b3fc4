//! End-to-end tests of `inochi act` and `inochi schema`: every payload
//! validated against the committed JSON Schemas, the formats, `--out`,
//! error lines and the requester file.
//!
//! Most tests read `testdata/act/verdicts.jsonl`: what `inochi classify`
//! wrote for examples/posts.jsonl, frozen so that tuning the rule packs does
//! not change the counts asserted here (regenerate with `INOCHI_BLESS=1`).
//! `classify_then_act` runs the live pipeline.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use common::{json_lines as lines, run, stderr};
const NOW: &str = "2025-03-17T10:00:00+09:00";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A scratch directory under the target dir, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("act-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn requester_file(dir: &Path, extra: &str) -> PathBuf {
    let path = dir.join("requester.toml");
    std::fs::write(
        &path,
        format!(
            "organisation = \"Example Cyber Patrol\"\nkind = \"cyber_patrol\"\ncontact = \"patrol@example.org\"\n{extra}"
        ),
    )
    .unwrap();
    path
}

/// What `inochi classify` wrote for examples/posts.jsonl (frozen; rewritten
/// from the live classifier with `INOCHI_BLESS=1`).
fn example_verdicts() -> Vec<u8> {
    let frozen = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/act/verdicts.jsonl");
    if std::env::var_os("INOCHI_BLESS").is_some_and(|v| v != "0" && !v.is_empty()) {
        std::fs::write(&frozen, live_verdicts()).unwrap();
    }
    std::fs::read(frozen).unwrap()
}

fn live_verdicts() -> Vec<u8> {
    let posts = std::fs::read(root().join("examples/posts.jsonl")).unwrap();
    let out = run(&["classify", "--no-progress"], posts);
    assert!(out.status.success(), "{}", stderr(&out));
    out.stdout
}

/// A verdict line of the examples without some of its fields.
fn without(line: usize, keys: &[&str]) -> String {
    let text = String::from_utf8(example_verdicts()).unwrap();
    let mut v: Value = serde_json::from_str(text.lines().nth(line).unwrap()).unwrap();
    for k in keys {
        v.as_object_mut().unwrap().shift_remove(*k);
    }
    v.to_string() + "\n"
}

fn act(dir: &Path, extra_args: &[&str], input: Vec<u8>) -> Output {
    let requester = requester_file(dir, "");
    let mut args = vec![
        "act",
        "--requester",
        requester.to_str().unwrap(),
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra_args);
    run(&args, input)
}

struct Validator {
    schemas: boon::Schemas,
    takedown: boon::SchemaIndex,
    emergency: boon::SchemaIndex,
    support: boon::SchemaIndex,
}

impl Validator {
    fn new() -> Validator {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        let mut load = |file: &str| {
            let text = std::fs::read_to_string(root().join("schemas").join(file)).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            let id = value["$id"].as_str().unwrap().to_string();
            compiler.add_resource(&id, value).unwrap();
            compiler
                .compile(&id, &mut schemas)
                .unwrap_or_else(|e| panic!("{file}: {e}"))
        };
        let takedown = load("takedown_request.schema.json");
        let emergency = load("emergency_report.schema.json");
        let support = load("support_referral.schema.json");
        Validator {
            schemas,
            takedown,
            emergency,
            support,
        }
    }

    fn check(&self, payload: &Value) -> Result<(), String> {
        let index = match payload["type"].as_str() {
            Some("takedown_request") => self.takedown,
            Some("emergency_report") => self.emergency,
            Some("support_referral") => self.support,
            other => return Err(format!("unknown type {other:?}")),
        };
        self.schemas
            .validate(payload, index)
            .map_err(|e| format!("{e:#}"))
    }
}

#[test]
fn every_payload_validates_against_the_committed_schemas() {
    let dir = scratch("schemas");
    let mut input = example_verdicts();
    // A post with nothing but its text: nulls where metadata would be, and
    // a takedown that cannot be built (no URL).
    let bare = ["url", "post_id", "account_id", "posted_at"];
    input.extend_from_slice(without(6, &bare).as_bytes());
    input.extend_from_slice(without(0, &bare).as_bytes());
    let bad_date = String::from_utf8(example_verdicts())
        .unwrap()
        .lines()
        .nth(6)
        .unwrap()
        .replace("2025-03-15T21:48:33+09:00", "last night");
    input.extend_from_slice(bad_date.as_bytes());
    input.push(b'\n');
    let out = act(&dir, &[], input);
    let validator = Validator::new();
    let mut by_type = std::collections::BTreeMap::<String, usize>::new();
    for payload in lines(&out) {
        if payload.get("error").is_some() {
            continue;
        }
        validator
            .check(&payload)
            .unwrap_or_else(|e| panic!("{e}\n{payload}"));
        *by_type
            .entry(payload["type"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(by_type["takedown_request"], 6, "{by_type:?}");
    assert_eq!(by_type["emergency_report"], 5, "{by_type:?}");
    assert_eq!(by_type["support_referral"], 10, "{by_type:?}");
}

#[test]
fn classify_then_act() {
    let dir = scratch("live");
    let out = act(&dir, &[], live_verdicts());
    let validator = Validator::new();
    let payloads = lines(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!payloads.is_empty());
    for p in &payloads {
        validator.check(p).unwrap_or_else(|e| panic!("{e}\n{p}"));
    }
    let types: Vec<&str> = payloads
        .iter()
        .map(|p| p["type"].as_str().unwrap())
        .collect();
    for t in ["takedown_request", "emergency_report", "support_referral"] {
        assert!(types.contains(&t), "{t} missing");
    }
}

#[test]
fn schemas_are_closed_and_typed() {
    let dir = scratch("closed");
    let out = act(&dir, &[], example_verdicts());
    let validator = Validator::new();
    let first = lines(&out).into_iter().next().unwrap();
    validator.check(&first).unwrap();
    let mut extra = first.clone();
    extra["surprise"] = Value::from(1);
    assert!(
        validator.check(&extra).is_err(),
        "unknown fields are refused"
    );
    let mut relative = first.clone();
    relative["target"]["url"] = Value::from("sns.example/posts/1");
    assert!(
        validator.check(&relative).is_err(),
        "relative URLs are refused"
    );
    let mut ideation = first.clone();
    ideation["category"] = Value::from("ideation");
    assert!(
        validator.check(&ideation).is_err(),
        "no takedown for ideation"
    );
    let mut missing = first;
    missing.as_object_mut().unwrap().remove("response_deadline");
    assert!(validator.check(&missing).is_err());
}

#[test]
fn schema_prints_the_committed_files() {
    for (arg, file) in [
        ("takedown", "takedown_request.schema.json"),
        ("emergency", "emergency_report.schema.json"),
        ("support", "support_referral.schema.json"),
    ] {
        let out = run(&["schema", arg], Vec::new());
        assert!(out.status.success());
        let committed = std::fs::read(root().join("schemas").join(file)).unwrap();
        assert_eq!(out.stdout, committed, "{arg}");
    }
    let out = run(&["schema", "letter"], Vec::new());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn one_payload_per_action_in_input_order_and_reproducible() {
    let dir = scratch("order");
    let verdicts = example_verdicts();
    let out = act(&dir, &[], verdicts.clone());
    assert!(out.status.success(), "{}", stderr(&out));
    let got: Vec<(String, String)> = lines(&out)
        .iter()
        .map(|p| {
            (
                p["target"]["post_id"].as_str().unwrap().to_string(),
                p["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect: Vec<(String, String)> = [
        ("1001", "takedown_request"),
        ("1002", "takedown_request"),
        ("1003", "takedown_request"),
        ("1004", "takedown_request"),
        ("1004", "support_referral"),
        ("1005", "takedown_request"),
        ("1006", "takedown_request"),
        ("1007", "emergency_report"),
        ("1007", "support_referral"),
        ("1008", "emergency_report"),
        ("1008", "support_referral"),
        ("1009", "emergency_report"),
        ("1009", "support_referral"),
        ("1013", "support_referral"),
        ("1014", "support_referral"),
        ("1015", "support_referral"),
        ("1016", "support_referral"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, expect);
    // Incitement (1010–1012) calls for review: no payload without the policy.
    let again = act(&dir, &[], verdicts);
    assert_eq!(out.stdout, again.stdout, "same input and --now, same bytes");
}

#[test]
fn incitement_takedowns_follow_the_requester_policy() {
    let dir = scratch("incitement");
    let requester = requester_file(&dir, "[policy]\nincitement_takedown = true\n");
    let out = run(
        &[
            "act",
            "--requester",
            requester.to_str().unwrap(),
            "--now",
            NOW,
        ],
        example_verdicts(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let incitement: Vec<Value> = lines(&out)
        .into_iter()
        .filter(|p| p["category"] == "incitement")
        .collect();
    assert_eq!(incitement.len(), 3);
    assert!(incitement.iter().all(|p| p["type"] == "takedown_request"));
}

#[test]
fn malformed_lines_become_error_objects_and_the_run_goes_on() {
    let dir = scratch("errors");
    let verdicts = String::from_utf8(example_verdicts()).unwrap();
    let first = verdicts.lines().next().unwrap();
    let mut input = String::new();
    input.push_str("not json\n");
    input.push_str("[1, 2]\n");
    input.push_str("{\"id\":\"e1\",\"line\":3,\"error\":\"line 3: missing \\\"text\\\" field\"}\n");
    input.push_str("{\"id\":\"e2\",\"text\":\"x\"}\n");
    input.push_str(&first.replace("https://sns.example", "sns.example"));
    input.push('\n');
    input.push_str(&first.replace("一緒に死ねる", "一緒にしねる"));
    input.push('\n');
    input.push_str(first);
    input.push('\n');
    let out = act(&dir, &[], input.into_bytes());
    assert_eq!(out.status.code(), Some(1));
    let got = lines(&out);
    assert_eq!(got.len(), 7);
    for (i, needle) in [
        "not JSON",
        "expected a JSON object",
        "no verdict",
        "not a verdict",
        "not an absolute http(s) URL",
        "classify this exact text again",
    ]
    .iter()
    .enumerate()
    {
        let e = got[i]["error"].as_str().unwrap();
        assert!(e.starts_with(&format!("line {}: ", i + 1)), "{e}");
        assert!(e.contains(needle), "{e}");
        assert_eq!(got[i]["line"], i + 1);
    }
    assert_eq!(got[2]["id"], "e1");
    assert_eq!(got[4]["id"], "p01");
    assert_eq!(got[6]["type"], "takedown_request");
}

#[test]
fn letters_go_to_files_with_out() {
    let dir = scratch("letters");
    let letters = dir.join("letters");
    let out = act(
        &dir,
        &["--format", "letter", "--out", letters.to_str().unwrap()],
        example_verdicts(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let index = lines(&out);
    // 6 takedowns, 3 emergencies × 2 texts, 8 referrals.
    assert_eq!(index.len(), 20);
    for entry in &index {
        let file = PathBuf::from(entry["file"].as_str().unwrap());
        assert!(file.starts_with(&letters));
        let text = std::fs::read_to_string(&file).unwrap();
        match entry["type"].as_str().unwrap() {
            "takedown_request" => {
                for heading in [
                    "【宛先】",
                    "【件名】",
                    "【対象URL】",
                    "【該当箇所】",
                    "【理由】",
                    "【根拠】",
                    "【依頼者】",
                    "【回答期限】",
                ] {
                    assert!(text.contains(heading), "{heading} missing from {file:?}");
                }
            }
            "emergency_report" if file.to_str().unwrap().ends_with(".art18.txt") => {
                assert!(text.contains("Article 18"));
            }
            "emergency_report" => assert!(text.contains("自殺予告事案")),
            "support_referral" => assert!(!text.is_empty()),
            other => panic!("{other}"),
        }
    }
    // Without --out, the documents are separated by form feeds.
    let out = act(&dir, &["--format", "letter"], example_verdicts());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches('\x0c').count(), 19);
}

#[test]
fn dsa_format_writes_one_statement_per_takedown() {
    let dir = scratch("dsa");
    let out = act(&dir, &["--format", "dsa"], example_verdicts());
    assert!(out.status.success(), "{}", stderr(&out));
    let statements = lines(&out);
    assert_eq!(statements.len(), 6);
    for s in &statements {
        assert_eq!(s["category"], "STATEMENT_CATEGORY_SELF_HARM");
        assert_eq!(s["category_specification"][0], "KEYWORD_SUICIDE");
        assert_eq!(s["source_type"], "SOURCE_ARTICLE_16");
        assert!(s.get("account_id").is_none());
        assert!(!s.to_string().contains("sns.example/@"));
    }
    assert_eq!(statements[0]["puid"], "1001");
}

#[test]
fn requester_file_problems_are_usage_errors() {
    let dir = scratch("requester");
    for (body, needle) in [
        ("organisation = \"X\"\nkind = \"platform\"\n", "contact"),
        (
            "organisation = \"X\"\nkind = \"bystander\"\ncontact = \"c\"\n",
            "unknown variant",
        ),
        (
            "organisation = \"X\"\nkind = \"user\"\ncontact = \"c\"\ncolour = \"red\"\n",
            "unknown field",
        ),
        (
            "organisation = \"\"\nkind = \"user\"\ncontact = \"c\"\n",
            "requester.organisation",
        ),
        (
            "organisation = \"X\"\nkind = \"user\"\ncontact = \"c\"\n[dsa]\ndecision_ground = \"illegal_content\"\n",
            "illegal_content_legal_ground",
        ),
        (
            "organisation = \"X\"\nkind = \"user\"\ncontact = \"c\"\n[dsa]\nterritorial_scope = [\"US\"]\n",
            "dsa.territorial_scope",
        ),
    ] {
        let path = dir.join("r.toml");
        std::fs::write(&path, body).unwrap();
        let out = run(
            &["act", "--requester", path.to_str().unwrap()],
            example_verdicts(),
        );
        assert_eq!(out.status.code(), Some(2), "{body}");
        assert!(stderr(&out).contains(needle), "{needle}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    let out = run(
        &["act", "--requester", "/nonexistent/requester.toml"],
        Vec::new(),
    );
    assert_eq!(out.status.code(), Some(2));
    let good = requester_file(&dir, "");
    let out = run(
        &["act", "--requester", good.to_str().unwrap(), "--now", "now"],
        Vec::new(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--now"));
}

//! End-to-end tests of the `inochi` binary: `classify` on JSONL and plain
//! lines, error lines, pass-through fields, `--summary`, `--threads`, and
//! `explain`.

mod common;

use std::process::Command;

use serde_json::Value;

use common::{BIN, json_lines as stdout_lines, run, stderr};

fn jsonl(id: Value, text: &str) -> String {
    let mut m = serde_json::Map::new();
    m.insert("id".into(), id);
    m.insert("text".into(), Value::from(text));
    Value::Object(m).to_string()
}

const BENIGN: &[&str] = &[
    "今日はいい天気ですね。散歩に行ってきます",
    "新しいカフェのパンケーキ、すごく美味しかった",
    "明日の会議の資料をまだ作っていない",
    "電車が遅れていて会社に間に合うか心配",
    "週末は友だちと映画を観に行く予定です",
    "猫が膝の上で寝てしまって動けない",
    "The weather is lovely today, going for a walk.",
    "Just finished reading a great book about gardening.",
    "Does anyone know a good ramen place near the station?",
    "Our team shipped the new release this morning!",
    "ラーメン食べたい。味噌がいいな",
    "Meeting moved to 3pm, see you there.",
];

const POSITIVE: &[&str] = &[
    "死にたい",
    "一緒に死ねる人を探しています。DMください",
    "今夜ビルの屋上から飛び降ります。さようなら",
    "k y s",
];

#[test]
fn hundred_thousand_lines_with_one_malformed_line() {
    const N: u64 = 100_000;
    const BAD: u64 = 50_000;
    let mut input = String::with_capacity(8 << 20);
    for n in 1..=N {
        if n == BAD {
            input.push_str(&format!("{{\"id\": {n}, \"text\": \n"));
            continue;
        }
        // One line in 500 is a positive (200 in all); the rest never reach
        // the analyzer.
        let text = if n % 500 == 0 {
            POSITIVE[(n / 500) as usize % POSITIVE.len()]
        } else {
            BENIGN[n as usize % BENIGN.len()]
        };
        input.push_str(&jsonl(Value::from(n), text));
        input.push('\n');
    }
    let started = std::time::Instant::now();
    let out = run(&["classify", "--no-progress"], input.into_bytes());
    eprintln!("classified {N} lines in {:.2?}", started.elapsed());
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code; stderr: {}",
        stderr(&out)
    );
    let lines = stdout_lines(&out);
    assert_eq!(lines.len() as u64, N, "one output line per input line");
    let mut errors = Vec::new();
    let mut positives = 0;
    for (i, v) in lines.iter().enumerate() {
        let n = i as u64 + 1;
        if v.get("error").is_some() {
            errors.push(n);
            assert_eq!(
                v["line"],
                Value::from(n),
                "error object names its line: {v}"
            );
            assert!(
                v.get("primary").is_none(),
                "an error line carries no verdict: {v}"
            );
            continue;
        }
        assert_eq!(
            v["id"],
            Value::from(n),
            "output line {n} is out of order: {v}"
        );
        assert!(v["primary"].is_string(), "line {n} has a primary: {v}");
        if v["primary"] != "none" {
            positives += 1;
        }
    }
    assert_eq!(errors, vec![BAD], "exactly one error, on line {BAD}");
    assert!(positives > 0, "the positives cycled in were found");
}

#[test]
fn invalid_utf8_fails_only_its_line() {
    let mut input = Vec::new();
    input.extend_from_slice(jsonl(Value::from("a"), "今日はいい天気").as_bytes());
    input.push(b'\n');
    input.extend_from_slice(b"{\"id\": \"b\", \"text\": \"\xff\xfe\x80 \xe6\xad\xbb\"}\n");
    input.extend_from_slice(jsonl(Value::from("c"), "死にたい").as_bytes());
    input.push(b'\n');
    let out = run(&["classify", "--no-progress"], input);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["id"], "a");
    assert!(
        lines[0]["primary"].is_string() && lines[0].get("error").is_none(),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1]["line"], 2, "{}", lines[1]);
    let msg = lines[1]["error"]
        .as_str()
        .expect("line 2 is an error object");
    assert!(
        msg.contains("UTF-8"),
        "error names the encoding problem: {msg}"
    );
    assert_eq!(lines[2]["id"], "c");
    assert!(
        lines[2]["primary"].is_string() && lines[2].get("error").is_none(),
        "{}",
        lines[2]
    );
}

#[test]
fn extra_fields_pass_through_and_id_is_copied() {
    let input = concat!(
        r#"{"id": "p1", "url": "https://sns.example/p/1", "post_id": 9007199254740993, "meta": {"lang": "ja", "tags": [1, 2]}, "text": "死にたい"}"#,
        "\n",
        r#"{"url": "https://sns.example/p/2", "text": "いい天気", "id": 42}"#,
        "\n",
    );
    let out = run(&["classify", "--no-progress"], input.as_bytes().to_vec());
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 2);
    let a = &lines[0];
    assert_eq!(a["id"], "p1");
    assert_eq!(a["url"], "https://sns.example/p/1");
    // Large integers survive unchanged (not rounded through f64).
    let raw = std::str::from_utf8(&out.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap();
    assert!(
        raw.contains("\"post_id\":9007199254740993"),
        "post_id unchanged: {raw}"
    );
    assert_eq!(a["meta"], serde_json::json!({"lang": "ja", "tags": [1, 2]}));
    assert_eq!(a["text"], "死にたい");
    for key in ["primary", "labels", "actions", "pack"] {
        assert!(a.get(key).is_some(), "verdict field {key} present: {a}");
    }
    let b = &lines[1];
    assert_eq!(b["id"], 42);
    assert_eq!(b["url"], "https://sns.example/p/2");
    assert_eq!(b["primary"], "none");
}

#[test]
fn lines_mode_uses_line_numbers_as_ids() {
    let input = "今日はいい天気\n{\"id\": \"x\", \"text\": \"not parsed as JSON\"}\n死にたい\n";
    let out = run(
        &["classify", "--lines", "--no-progress"],
        input.as_bytes().to_vec(),
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 3);
    for (i, v) in lines.iter().enumerate() {
        assert_eq!(v["id"], i as u64 + 1, "{v}");
        assert!(v["primary"].is_string(), "{v}");
        assert!(v.get("error").is_none(), "{v}");
    }
}

#[test]
fn summary_counts_go_to_stderr() {
    let texts = ["今日はいい天気", "死にたい", "ラーメン食べたい", "k y s"];
    let mut input = String::new();
    for (i, t) in texts.iter().enumerate() {
        input.push_str(&jsonl(Value::from(i), t));
        input.push('\n');
    }
    input.push_str("not json\n");
    let out = run(
        &["classify", "--summary", "--no-progress"],
        input.into_bytes(),
    );
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 5);
    let err = stderr(&out);
    let count = |key: &str| -> u64 {
        err.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}\t")))
            .unwrap_or_else(|| panic!("no `{key}` count in stderr: {err}"))
            .trim()
            .parse()
            .unwrap()
    };
    assert_eq!(count("lines"), 5);
    assert_eq!(count("error"), 1);
    let mut total = 0;
    for c in [
        "announcement",
        "inducement",
        "method",
        "incitement",
        "ideation",
        "none",
    ] {
        let from_stdout = lines.iter().filter(|v| v["primary"] == c).count() as u64;
        assert_eq!(
            count(c),
            from_stdout,
            "summary count for {c} matches stdout; stderr: {err}"
        );
        total += count(c);
    }
    assert_eq!(total + count("error"), count("lines"));
    // Nothing but verdicts on stdout.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("lines\t"));
}

#[test]
fn thread_count_does_not_change_output() {
    // More than one chunk (4096 lines) so chunk boundaries are crossed.
    let mut input = String::new();
    for n in 1..=9_000u64 {
        let text = if n % 97 == 0 {
            POSITIVE[(n / 97) as usize % POSITIVE.len()]
        } else {
            BENIGN[n as usize % BENIGN.len()]
        };
        input.push_str(&jsonl(Value::from(n), text));
        input.push('\n');
    }
    let one = run(
        &["classify", "--threads", "1", "--no-progress"],
        input.clone().into_bytes(),
    );
    let two = run(
        &["classify", "--threads", "2", "--no-progress"],
        input.into_bytes(),
    );
    assert_eq!(one.status.code(), Some(0), "stderr: {}", stderr(&one));
    assert_eq!(two.status.code(), Some(0), "stderr: {}", stderr(&two));
    assert_eq!(stdout_lines(&one).len(), 9_000);
    assert!(
        one.stdout == two.stdout,
        "--threads 1 and --threads 2 differ"
    );
}

#[test]
fn explain_prints_folded_text_and_verdict() {
    let out = Command::new(BIN)
        .args(["explain", "死にたい"])
        .output()
        .expect("run inochi explain");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let folded = text
        .lines()
        .find_map(|l| l.strip_prefix("folded:"))
        .unwrap_or_else(|| panic!("no folded line:\n{text}"));
    assert!(!folded.trim().is_empty(), "folded text printed:\n{text}");
    let verdict = text
        .lines()
        .find_map(|l| l.strip_prefix("verdict:"))
        .unwrap_or_else(|| panic!("no verdict line:\n{text}"));
    let primary = verdict.split_whitespace().next().unwrap_or("");
    assert!(
        [
            "announcement",
            "inducement",
            "method",
            "incitement",
            "ideation",
            "none"
        ]
        .contains(&primary),
        "verdict line names a category:\n{text}"
    );

    let out = Command::new(BIN)
        .args(["explain", "--json", "死にたい"])
        .output()
        .expect("run inochi explain --json");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("explain --json is JSON");
    assert_eq!(
        v["verdict"]["primary"], primary,
        "text and JSON explanations agree"
    );
    assert_eq!(v["folded"].as_str().map(str::trim), Some(folded.trim()));
}

// `fold --hiragana` is what the trainer learns kana spellings from: one
// output line per input line, kanji words spelled from their reading, and
// the result folded as the classifier reads it.
#[test]
fn fold_hiragana_spells_kanji_words_from_their_reading() {
    let plain = run(&["fold"], "今夜は雨\nkill -9\n".as_bytes().to_vec());
    let kana = run(
        &["fold", "--hiragana"],
        "今夜は雨\nkill -9\n".as_bytes().to_vec(),
    );
    assert_eq!(kana.status.code(), Some(0), "stderr: {}", stderr(&kana));
    let plain = String::from_utf8(plain.stdout).expect("UTF-8");
    let kana = String::from_utf8(kana.stdout).expect("UTF-8");
    let (plain, kana): (Vec<&str>, Vec<&str>) = (plain.lines().collect(), kana.lines().collect());
    assert_eq!(kana.len(), 2, "{kana:?}");
    assert_eq!(plain[0], "今夜は雨");
    assert_eq!(kana[0], "こんやはあめ");
    assert_eq!(kana[1], plain[1], "Latin text is left alone");
}

//! Hostile input to `inochi classify`: invalid UTF-8 on stdin and a 10 MB line inside a JSONL
//! file. Every input line yields exactly one output line, in order; a bad line is an error
//! object for that line and nothing else is lost.

mod common;

use serde_json::{Value, json};

use common::{json_lines as lines, run};

fn line(v: Value) -> Vec<u8> {
    let mut s = serde_json::to_vec(&v).unwrap();
    s.push(b'\n');
    s
}

#[test]
fn invalid_utf8_on_stdin_is_one_error_for_that_line() {
    let mut input = line(json!({"id": "a", "text": "死にたい"}));
    // Overlong encoding, lone continuation bytes, a truncated sequence, a surrogate, 0xFF.
    for bad in [
        &b"{\"id\": \"b\", \"text\": \"\xC0\xAF\"}"[..],
        b"\x80\x80\x80",
        b"{\"id\": \"c\", \"text\": \"\xE6\xAD\"}",
        b"\xED\xA0\x80",
        b"\xFF\xFE\xFD",
    ] {
        input.extend_from_slice(bad);
        input.push(b'\n');
    }
    input.extend(line(json!({"id": "d", "text": "今日はいい天気"})));
    input.extend(line(json!({"id": "e", "text": "i just want to die"})));
    let out = run(&["classify"], input);
    assert_eq!(out.status.code(), Some(1), "errors make the exit status 1");
    let got = lines(&out);
    assert_eq!(got.len(), 8, "one output line per input line: {got:#?}");
    assert_eq!(got[0]["id"], "a");
    assert_eq!(got[0]["primary"], "ideation");
    for (i, v) in got[1..6].iter().enumerate() {
        assert_eq!(v["line"], i + 2, "{v}");
        let err = v["error"].as_str().expect("an error object");
        assert!(err.contains("not valid UTF-8"), "{err}");
        assert!(v.get("primary").is_none(), "{v}");
    }
    assert_eq!(got[6]["id"], "d");
    assert_eq!(got[6]["primary"], "none");
    assert_eq!(got[7]["id"], "e");
    assert_eq!(got[7]["primary"], "ideation");
}

#[test]
fn a_10_mb_line_inside_a_jsonl_file() {
    let big: String = "今日はいい天気ですね。".repeat((10 << 20) / 33 + 1);
    assert!(big.len() >= 10 << 20);
    let mut input = line(json!({"id": 1, "text": "死にたい"}));
    input.extend(line(json!({"id": 2, "text": big})));
    input.extend(line(
        json!({"id": 3, "text": "一緒に死ねる人を探しています。DMください"}),
    ));
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-10mb.jsonl");
    std::fs::write(&path, &input).unwrap();
    let t = std::time::Instant::now();
    let out = run(&["classify", path.to_str().unwrap()], Vec::new());
    eprintln!("hostile: 10 MB line: {:.2} s", t.elapsed().as_secs_f64());
    std::fs::remove_file(&path).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = lines(&out);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["id"], 1);
    assert_eq!(got[0]["primary"], "ideation");
    assert_eq!(got[1]["id"], 2);
    assert_eq!(got[1]["primary"], "none");
    assert_eq!(got[2]["id"], 3);
    assert_eq!(got[2]["primary"], "inducement");
}

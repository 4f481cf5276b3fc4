//! Arbitrary bytes through the steps the CLI's JSONL reader takes for each line
//! (cli/src/classify.rs, whose `process` is private to the binary): split on `\n`, strip a
//! trailing `\r`, check UTF-8, parse JSON, take the object's `"text"` string, classify, and
//! serialize the verdict. Every line ends as one output object (a verdict or an error); none
//! panics and none is lost.
#![no_main]

use std::sync::LazyLock;

use inochi::Classifier;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

static CLASSIFIER: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::new().expect("the default classifier builds"));

fn error(line: usize, reason: String) -> Value {
    let mut m = Map::new();
    m.insert("line".into(), Value::from(line));
    m.insert("error".into(), Value::from(reason));
    Value::Object(m)
}

fn process(line: usize, bytes: &[u8]) -> Value {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return error(line, format!("not valid UTF-8 ({e})")),
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return error(line, format!("not JSON: {e}")),
    };
    let Value::Object(mut fields) = value else {
        return error(line, "expected a JSON object".into());
    };
    let id = fields.shift_remove("id").unwrap_or(Value::Null);
    let Some(Value::String(post)) = fields.get("text") else {
        return error(line, "missing or non-string \"text\"".into());
    };
    let verdict = CLASSIFIER.classify(post);
    let Value::Object(v) = serde_json::to_value(&verdict).expect("verdicts serialize") else {
        panic!("a verdict serializes to an object");
    };
    let mut out = Map::new();
    out.insert("id".into(), id);
    out.extend(v);
    Value::Object(out)
}

fuzz_target!(|data: &[u8]| {
    let mut lines = data.split(|&b| b == b'\n').collect::<Vec<_>>();
    if data.last() == Some(&b'\n') {
        lines.pop();
    }
    let mut out = Vec::new();
    for (i, bytes) in lines.iter().enumerate() {
        let value = process(i + 1, bytes);
        serde_json::to_writer(&mut out, &value).expect("writes to a Vec");
        out.push(b'\n');
    }
    let written = out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
    assert_eq!(written, lines.len(), "one output line per input line");
    for l in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let _: Value = serde_json::from_slice(l).expect("output lines are JSON");
    }
});

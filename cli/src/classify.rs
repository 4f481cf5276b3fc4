//! `inochi classify`: JSONL (or plain lines) in, one verdict per line out.
//!
//! Guarantees: exactly one output line per input line, in input order. A
//! line that is not valid UTF-8, not JSON, or has no `text` string becomes an
//! object with `line` and `error`, and the run goes on; the exit code is 1
//! if any line failed. Input is read and classified in chunks, so memory
//! stays bounded on files of any length.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use inochi::{Category, Classifier};
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::ClassifyArgs;
use crate::progress::Progress;

/// Lines classified together; large enough to keep every core busy, small
/// enough to bound memory.
const CHUNK_LINES: usize = 4096;

pub(crate) fn run(args: ClassifyArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let classifier = args.pack.classifier()?;
    let (reader, size): (Box<dyn Read>, Option<u64>) = match &args.input {
        None => (Box::new(std::io::stdin().lock()), None),
        Some(p) if p.as_os_str() == "-" => (Box::new(std::io::stdin().lock()), None),
        Some(p) => {
            let f = File::open(p).map_err(|e| format!("cannot open {}: {e}", p.display()))?;
            let size = f.metadata().ok().map(|m| m.len());
            (Box::new(f), size)
        }
    };
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
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut progress = Progress::new(args.no_progress, size);
    let mut counts: BTreeMap<Category, u64> = BTreeMap::new();
    let mut errors = 0u64;
    let mut line_no = 0u64;
    let mut bytes_read = 0u64;
    loop {
        let mut chunk: Vec<(u64, Vec<u8>)> = Vec::with_capacity(CHUNK_LINES);
        while chunk.len() < CHUNK_LINES {
            let mut buf = Vec::new();
            let n = reader.read_until(b'\n', &mut buf)?;
            if n == 0 {
                break;
            }
            bytes_read += n as u64;
            line_no += 1;
            if buf.last() == Some(&b'\n') {
                buf.pop();
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
            }
            chunk.push((line_no, buf));
        }
        if chunk.is_empty() {
            break;
        }
        let results: Vec<Result<(Value, Category), Value>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|(n, bytes)| process(&classifier, *n, bytes, args.lines))
                .collect()
        });
        for r in results {
            let value = match r {
                Ok((v, primary)) => {
                    *counts.entry(primary).or_default() += 1;
                    v
                }
                Err(v) => {
                    errors += 1;
                    v
                }
            };
            serde_json::to_writer(&mut out, &value)?;
            out.write_all(b"\n")?;
        }
        progress.update(line_no, bytes_read);
    }
    out.flush()?;
    progress.finish(line_no, bytes_read);
    if args.summary {
        let mut err = std::io::stderr().lock();
        writeln!(err, "lines\t{line_no}")?;
        for c in Category::ALL {
            writeln!(err, "{c}\t{}", counts.get(&c).copied().unwrap_or(0))?;
        }
        writeln!(err, "error\t{errors}")?;
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn error(line: u64, id: Option<Value>, reason: String) -> Value {
    let mut m = Map::new();
    if let Some(id) = id {
        m.insert("id".into(), id);
    }
    m.insert("line".into(), Value::from(line));
    m.insert(
        "error".into(),
        Value::from(format!("line {line}: {reason}")),
    );
    Value::Object(m)
}

/// One input line to one output object.
fn process(
    classifier: &Classifier,
    line: u64,
    bytes: &[u8],
    plain: bool,
) -> Result<(Value, Category), Value> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        error(
            line,
            None,
            format!("not valid UTF-8 ({e}); re-encode the input as UTF-8"),
        )
    })?;
    let (id, mut fields, post) = if plain {
        (Value::from(line), Map::new(), text.to_string())
    } else {
        let value: Value =
            serde_json::from_str(text).map_err(|e| error(line, None, format!("not JSON: {e}")))?;
        let Value::Object(mut fields) = value else {
            return Err(error(
                line,
                None,
                "expected a JSON object with a \"text\" field".into(),
            ));
        };
        let id = fields.shift_remove("id").unwrap_or(Value::Null);
        let post = match fields.get("text") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(error(line, Some(id), "\"text\" is not a string".into()));
            }
            None => {
                return Err(error(line, Some(id), "missing \"text\" field".into()));
            }
        };
        (id, fields, post)
    };
    let verdict = classifier.classify(&post);
    let primary = verdict.primary;
    let mut out = Map::new();
    out.insert("id".into(), id);
    if !plain {
        for key in ["primary", "labels", "actions", "pack"] {
            fields.shift_remove(key);
        }
        out.append(&mut fields);
    }
    let Value::Object(mut v) = serde_json::to_value(&verdict).expect("verdicts serialize") else {
        unreachable!("a verdict serializes to an object");
    };
    out.append(&mut v);
    Ok((Value::Object(out), primary))
}

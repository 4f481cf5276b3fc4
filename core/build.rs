//! Compiles the default n-gram model (packs/model.tsv) into a binary form
//! that `Classifier::new()` reads without parsing text, and records the
//! SHA-256 of the TSV for the verdict's pack hash.
//!
//! Parsing 60,000 lines of decimal weights took about 30 ms of start-up; the
//! binary form is read in about 2. The TSV stays the source of truth (it is
//! what scripts/train-model.py writes and what `Builder::model_file` reads);
//! a unit test checks that both forms give the same model.
//!
//! Binary layout (little endian): the TSV's header line, `\n`; then one
//! record per line after it: `u8` char count (0 marks the intercept line),
//! that many `u32` chars, seven `f64` (idf and six weights; for the intercept
//! the idf slot is 0).

use std::io::Write;

fn main() {
    println!("cargo:rerun-if-changed=packs/model.tsv");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string("packs/model.tsv").expect("packs/model.tsv");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));

    let digest = {
        use sha2::{Digest, Sha256};
        let d = Sha256::digest(text.as_bytes());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    std::fs::write(out.join("model.sha256"), digest).expect("write model.sha256");

    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let mut bin: Vec<u8> = Vec::with_capacity(text.len());
    bin.extend_from_slice(header.as_bytes());
    bin.push(b'\n');
    for (i, line) in lines.enumerate() {
        let mut cols = line.split('\t');
        let key = cols.next().unwrap_or_default();
        let mut numbers: Vec<f64> = cols
            .map(|v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("model.tsv:{}: bad number {v:?}", i + 2))
            })
            .collect();
        let chars: Vec<char> = if key == "intercept" {
            numbers.insert(0, 0.0);
            Vec::new()
        } else {
            unescape(key).chars().collect()
        };
        assert!(
            numbers.len() == 7 && chars.len() < 256,
            "model.tsv:{}: expected an n-gram and 7 numbers",
            i + 2
        );
        bin.push(chars.len() as u8);
        for c in &chars {
            bin.extend_from_slice(&(*c as u32).to_le_bytes());
        }
        for n in &numbers {
            bin.extend_from_slice(&n.to_le_bytes());
        }
    }
    std::fs::File::create(out.join("model.bin"))
        .and_then(|mut f| f.write_all(&bin))
        .expect("write model.bin");
}

/// `\t`, `\n` and `\\` are escaped in the TSV (the same rule as the runtime
/// parser's `Unescape`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

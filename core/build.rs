//! Compiles the default n-gram model (packs/model.tsv) into the form
//! `Classifier::new()` reads without parsing or building anything, and
//! records the SHA-256 of the TSV for the verdict's pack hash.
//!
//! Parsing 60,000 lines of decimal weights took about 30 ms of start-up,
//! and laying out the n-gram table about as much again; both happen here,
//! with the same code the runtime uses for a model read from a TSV
//! (src/model/table.rs, included below). The TSV stays the source of truth
//! (it is what scripts/train-model.py writes and what `Builder::model_file`
//! reads); a unit test checks that both forms give the same model.
//!
//! Layout (little endian): the TSV's header line, `\n`, the six intercepts
//! (`f64`), then the table as `Grams::write` lays it out.

use std::io::Write;

#[allow(dead_code)]
#[path = "src/model/table.rs"]
mod table;

use table::{Entry, Grams, MAX_N};

fn main() {
    println!("cargo:rerun-if-changed=packs/model.tsv");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/model/table.rs");
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
    let ngram = header
        .split_whitespace()
        .find_map(|f| f.strip_prefix("ngram="))
        .and_then(|r| r.split_once('-'))
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
        .expect("model.tsv: header has ngram=MIN-MAX");
    let mut intercept = None;
    let mut entries = Vec::new();
    for (i, line) in lines.enumerate() {
        let mut cols = line.split('\t');
        let key = cols.next().unwrap_or_default();
        let mut numbers: Vec<f64> = cols
            .map(|v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("model.tsv:{}: bad number {v:?}", i + 2))
            })
            .collect();
        if key == "intercept" {
            numbers.insert(0, 0.0);
        }
        assert!(
            numbers.len() == 7,
            "model.tsv:{}: expected an n-gram and 7 numbers",
            i + 2
        );
        let weights: [f64; 6] = numbers[1..].try_into().expect("6 weights");
        if key == "intercept" {
            intercept = Some(weights);
            continue;
        }
        let all: Vec<char> = unescape(key).chars().collect();
        let mut chars = [char::default(); MAX_N];
        for (slot, &c) in chars.iter_mut().zip(&all) {
            *slot = c;
        }
        entries.push(Entry {
            chars,
            len: all.len().min(MAX_N + 1),
            idf: numbers[0],
            weights,
        });
    }
    // As `Model::new` orders them: the most common n-grams first.
    let mut by_idf: Vec<&Entry> = entries.iter().collect();
    by_idf.sort_by(|a, b| a.idf.total_cmp(&b.idf));
    let mut rows = Vec::with_capacity(entries.len());
    let grams =
        Grams::new(ngram, &by_idf, &mut rows).unwrap_or_else(|why| panic!("model.tsv: {why}"));

    let mut bin: Vec<u8> = Vec::with_capacity(text.len());
    bin.extend_from_slice(header.as_bytes());
    bin.push(b'\n');
    for w in intercept.expect("model.tsv: no intercept line") {
        bin.extend_from_slice(&w.to_le_bytes());
    }
    grams.write(&rows, &mut bin);
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

//! Compiles the default n-gram model (packs/model.tsv) into the form
//! `Classifier::new()` reads without parsing or building anything, and
//! records the SHA-256 of the TSV for the verdict's pack hash. Also lays
//! out folding's table of char flags for the Basic Multilingual Plane
//! (src/fold/chars.rs, included below), 64 KiB computed once here rather
//! than at every start-up.
//!
//! Parsing 60,000 lines of decimal weights took about 30 ms of start-up,
//! and laying out the n-gram table about as much again; both happen here,
//! with the same code the runtime uses for a model read from a TSV
//! (src/model/table.rs, included below: the rows' parser and the table). The TSV stays the source of truth
//! (it is what scripts/train-model.py writes and what `Builder::model_file`
//! reads); a unit test checks that both forms give the same model.
//!
//! Layout (little endian): the TSV's header line, `\n`, the six intercepts
//! (`f64`), then the table as `Grams::write` lays it out.

use std::io::Write;

#[allow(dead_code)]
#[path = "src/model/table.rs"]
mod table;

#[allow(dead_code)]
#[path = "src/fold/chars.rs"]
mod chars;

fn main() {
    println!("cargo:rerun-if-changed=packs/model.tsv");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/model/table.rs");
    println!("cargo:rerun-if-changed=src/fold/chars.rs");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let flags: Vec<u8> = (0..=0xFFFFu32)
        .map(|u| char::from_u32(u).map_or(0, chars::char_flags))
        .collect();
    std::fs::write(out.join("bmp_flags.bin"), flags).expect("write bmp_flags.bin");

    let text = std::fs::read_to_string("packs/model.tsv").expect("packs/model.tsv");

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
    let (intercept, entries) =
        table::parse_rows("model.tsv", lines).unwrap_or_else(|why| panic!("{why}"));
    let (grams, rows) =
        table::build(ngram, &entries).unwrap_or_else(|why| panic!("model.tsv: {why}"));

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

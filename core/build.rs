//! Compiles the default n-gram model (packs/model.tsv) into the form
//! `Classifier::new()` reads without parsing or building anything, and
//! records the SHA-256 of the TSV for the verdict's pack hash. Also lays
//! out folding's table of char flags for the Basic Multilingual Plane
//! (src/fold/chars.rs, included below with the folder), 64 KiB computed
//! once here rather than at every start-up.
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
//!
//! Last, the default pack's trigger automaton (see `trigger`): building it
//! was some 24 ms of every start-up. The pack's own parser, folder and form
//! list are included below, so the patterns are the ones the runtime
//! computes; the runtime still compares them before it uses the automaton.

use std::io::Write;

#[allow(dead_code)]
#[path = "src/model/table.rs"]
mod table;

// The pack's parser, the folder (with its char flags, src/fold/chars.rs)
// and the scan's form list, as the runtime has them: the flag table is laid
// out from the first, the default pack's trigger automaton built with the
// rest (see `trigger`).
#[allow(dead_code)]
#[path = "src/category.rs"]
mod category;
#[allow(dead_code)]
#[path = "src/error.rs"]
mod error;
#[allow(dead_code)]
#[path = "src/fold/mod.rs"]
mod fold;
#[allow(dead_code)]
#[path = "src/scan/forms.rs"]
mod forms;
#[allow(dead_code)]
#[path = "src/pack.rs"]
mod pack;

// `category` names the crate's error type by its path at the crate root.
#[allow(unused_imports)]
use error::Error;

fn main() {
    // The crate reads the tables below from OUT_DIR; this build script,
    // which includes some of its modules, computes them (see `fold`).
    println!("cargo::rustc-check-cfg=cfg(built_tables)");
    println!("cargo::rustc-cfg=built_tables");
    println!("cargo:rerun-if-changed=packs/model.tsv");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/model/table.rs");
    for f in [
        "packs/default.toml",
        "packs/ja.toml",
        "packs/en.toml",
        "src/category.rs",
        "src/error.rs",
        "src/fold",
        "src/pack.rs",
        "src/scan/forms.rs",
    ] {
        println!("cargo:rerun-if-changed={f}");
    }
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    // Here (without `built_tables`) `bmp_flags` computes each char's flags.
    let flags: Vec<u8> = (0..=0xFFFFu32)
        .map(|u| char::from_u32(u).map_or(0, fold::bmp_flags))
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

    trigger(&out);
}

/// Writes the default pack's trigger list (as `forms::key` lays it out)
/// and its trigger automaton, serialized in the target's byte order.
///
/// The automaton is one pattern, the alternation of the forms in pack
/// order, which matches leftmost-first as the runtime's Aho-Corasick
/// automaton does. As one pattern its forms share a trie and the DFA builds
/// in seconds; as 2,127 patterns each stays live in every state and
/// determinizing had not finished after 19 minutes (unoptimized). The
/// runtime recovers which form matched from the text instead (see
/// `scan::Prebuilt`). Minimizing nearly halves the DFA (8.4 MB to 4.7 MB of
/// the binary, and of what `from_bytes` checks at start-up); it takes a
/// few seconds with regex-automata optimized, which the workspace's
/// profiles ask for, and most of a minute without.
fn trigger(out: &std::path::Path) {
    use regex_automata::dfa::{StartKind, dense};
    use regex_automata::{MatchKind, nfa::thompson};
    use regex_syntax::hir::Hir;

    let pack = pack::Pack::default_pack();
    let folder = fold::Folder::new(pack.evasions.clone(), pack.leet.clone());
    let triggers = forms::Forms::of(&pack, &folder).triggers;
    std::fs::write(out.join("trigger.key"), forms::key(&triggers)).expect("write trigger.key");

    let forms: Vec<Hir> = triggers
        .iter()
        .map(|t| Hir::literal(t.as_bytes()))
        .collect();
    let nfa = thompson::Compiler::new()
        .build_from_hir(&Hir::alternation(forms))
        .expect("the trigger forms compile");
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .start_kind(StartKind::Unanchored)
                .minimize(true),
        )
        .build_from_nfa(&nfa)
        .expect("the trigger forms determinize");
    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    let (bytes, pad) = if big_endian {
        dfa.to_bytes_big_endian()
    } else {
        dfa.to_bytes_little_endian()
    };
    // Without the padding: the crate aligns the bytes it includes itself.
    std::fs::write(out.join("trigger.dfa"), &bytes[pad..]).expect("write trigger.dfa");
}

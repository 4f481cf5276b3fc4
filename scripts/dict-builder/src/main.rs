//! inochi-dict-builder: compile MeCab IPADIC sources (UTF-8) into lindera's binary dictionary.
//!
//!   inochi-dict-builder locate            < `cargo metadata --format-version 1` JSON
//!       prints "<lindera-ipadic version>\t<its metadata.json path>"
//!   inochi-dict-builder build <metadata.json> <src_dir> <out_dir>
//!       builds, checks the result the way lindera's embed cache does, and prints
//!       "fmt=<format_version>" on stdout.
use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::{DICTIONARY_FORMAT_VERSION, Metadata};
use serde_json::Value;
use std::path::Path;
use std::process::ExitCode;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn locate() -> Res<()> {
    let v: Value = serde_json::from_reader(std::io::stdin().lock())?;
    let pkgs = v["packages"].as_array().ok_or("no `packages` in cargo metadata output")?;
    let p = pkgs
        .iter()
        .find(|p| p["name"] == "lindera-ipadic")
        .ok_or("lindera-ipadic not in cargo metadata output")?;
    let manifest = p["manifest_path"].as_str().ok_or("no manifest_path")?;
    let meta = Path::new(manifest).parent().ok_or("bad manifest_path")?.join("metadata.json");
    if !meta.is_file() {
        return Err(format!("{} does not exist", meta.display()).into());
    }
    println!("{}\t{}", p["version"].as_str().unwrap_or("?"), meta.display());
    Ok(())
}

/// The crate's metadata as JSON with the fields the build derives removed
/// (same comparison as lindera_dictionary::assets::metadata_matches_source).
fn stripped(m: &Metadata) -> Res<Value> {
    let mut v = serde_json::to_value(m)?;
    if let Some(o) = v.as_object_mut() {
        o.remove("format_version");
        o.remove("context_id_map");
    }
    Ok(v)
}

fn build(meta_path: &Path, src: &Path, out: &Path) -> Res<()> {
    let source: Metadata = serde_json::from_slice(&std::fs::read(meta_path)?)?;
    let mut builder = DictionaryBuilder::new(source.clone());
    // Mirror lindera_dictionary::assets::build_embedded_dictionary.
    let freq = meta_path.with_file_name("context_id_freq.txt");
    if freq.is_file() {
        builder = builder.with_context_id_freq(freq);
    }
    let t = std::time::Instant::now();
    builder.build_dictionary(src, out)?;
    eprintln!("dictionary built in {:.2}s", t.elapsed().as_secs_f64());

    let built: Metadata = serde_json::from_slice(&std::fs::read(out.join("metadata.json"))?)?;
    if built.format_version != DICTIONARY_FORMAT_VERSION {
        return Err(format!(
            "built format_version {} != DICTIONARY_FORMAT_VERSION {}",
            built.format_version, DICTIONARY_FORMAT_VERSION
        )
        .into());
    }
    if stripped(&built)? != stripped(&source)? {
        return Err("built metadata.json differs from the crate's: the embed cache would miss".into());
    }
    println!("fmt={}", built.format_version);
    Ok(())
}

fn main() -> ExitCode {
    let a: Vec<String> = std::env::args().collect();
    let r = match a.get(1).map(String::as_str) {
        Some("locate") if a.len() == 2 => locate(),
        Some("build") if a.len() == 5 => build(Path::new(&a[2]), Path::new(&a[3]), Path::new(&a[4])),
        _ => Err("usage: inochi-dict-builder locate < cargo-metadata.json | build <metadata.json> <src_dir> <out_dir>".into()),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inochi-dict-builder: {e}");
            ExitCode::FAILURE
        }
    }
}

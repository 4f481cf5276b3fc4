//! Prints a workload, one post per line, for tools that read files (the CLI,
//! the bindings' benches, an older build's throughput example).
//!
//! `cargo run --release -p inochi-benches --bin workload -- mix|benign|positive [MAX_MB]`

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "mix".into());
    let max_mb: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(4.0);
    let bytes = (max_mb * 1e6) as usize;
    let work = match kind.as_str() {
        "mix" => inochi_benches::Workload::mix(bytes, 0.02),
        "benign" => inochi_benches::Workload::benign(bytes),
        "positive" => inochi_benches::Workload::positives(),
        other => {
            eprintln!("workload: unknown kind {other:?} (mix, benign, positive)");
            std::process::exit(2);
        }
    };
    eprintln!("workload: {} ({} lines)", work.source, work.lines.len());
    for l in &work.lines {
        println!("{l}");
    }
}

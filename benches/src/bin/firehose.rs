//! A quick side-by-side run of inochi and the baselines on the 2% mix:
//! MB/s and posts/s for each, best of a few rounds, one thread.
//!
//! `cargo run --release -p inochi-benches --bin firehose -- [MAX_MB] [ROUNDS] [ONLY]`
//! (ONLY: run the contenders whose name contains it, e.g. `inochi` for profiling)
//!
//! The criterion benches (`cargo bench -p inochi-benches`) are the reference;
//! this is the fast loop for profiling and for RESULTS.md's summary table.

use std::hint::black_box;
use std::time::Instant;

use inochi_benches::{Baselines, Workload};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let max_mb: f64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(4.0);
    let rounds: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(3);
    let only = args.next().unwrap_or_default();
    let work = Workload::mix((max_mb * 1e6) as usize, 0.02);
    let classifier = inochi::Classifier::new()?;
    let base = Baselines::new();
    let bytes = work.bytes() as f64;
    println!(
        "workload: {} ({} lines, {:.2} MB); {} trigger terms",
        work.source,
        work.lines.len(),
        bytes / 1e6,
        base.terms()
    );
    type Contender<'a> = (&'a str, Box<dyn Fn(&str) -> usize + 'a>);
    let contenders: Vec<Contender> = vec![
        (
            "inochi classify",
            Box::new(|l| (classifier.classify(l).primary != inochi::Category::None) as usize),
        ),
        (
            "aho-corasick DFA",
            Box::new(|l| base.aho_corasick_dfa(l) as usize),
        ),
        (
            "aho-corasick (new)",
            Box::new(|l| base.aho_corasick(l) as usize),
        ),
        ("str::contains loop", Box::new(|l| base.naive(l) as usize)),
        ("regex::RegexSet", Box::new(|l| base.regex_set(l) as usize)),
        ("rustrict", Box::new(|l| base.rustrict(l) as usize)),
        ("lindera every line", Box::new(|l| base.lindera(l))),
    ];
    let mut rows = Vec::new();
    for (name, f) in contenders.iter().filter(|(n, _)| n.contains(only.as_str())) {
        let mut best = f64::MAX;
        let mut out = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            out = work.lines.iter().map(|l| f(black_box(l))).sum::<usize>();
            best = best.min(t.elapsed().as_secs_f64());
        }
        rows.push((name, best, out));
    }
    let inochi = rows.first().map_or(1.0, |r| r.1);
    println!(
        "{:<22} {:>10} {:>12} {:>10} {:>8}",
        "contender", "MB/s", "posts/s", "vs inochi", "result"
    );
    for (name, secs, out) in rows {
        println!(
            "{:<22} {:>10.1} {:>12.0} {:>9.2}x {:>8}",
            name,
            bytes / 1e6 / secs,
            work.lines.len() as f64 / secs,
            secs / inochi,
            out
        );
    }
    Ok(())
}

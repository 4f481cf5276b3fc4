//! Where the time of `classify` goes on the 2% mix: each stage timed alone
//! over the same lines, one thread.
//!
//! `cargo run --release -p inochi-benches --bin stagetime -- [MAX_MB] [ONLY]`
//! (ONLY: time only the stages whose name contains it, 20 rounds; for perf)

use std::hint::black_box;
use std::time::Instant;

use inochi::stages::Stages;
use inochi_benches::Workload;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let max_mb: f64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(4.0);
    let work = Workload::mix((max_mb * 1e6) as usize, 0.02);
    let classifier = inochi::Classifier::new()?;
    let stages = Stages::new(&classifier);
    let bytes = work.bytes() as f64;
    let folded: Vec<String> = work.lines.iter().map(|l| stages.fold(l)).collect();
    let triggered: Vec<&String> = folded.iter().filter(|f| stages.scan(f)).collect();
    let only = std::env::args().nth(2).unwrap_or_default();
    let time = |name: &str, n: usize, f: &dyn Fn() -> usize| {
        if !name.contains(only.as_str()) {
            return;
        }
        let mut best = f64::MAX;
        let mut out = 0;
        for _ in 0..if only.is_empty() { 3 } else { 20 } {
            let t = Instant::now();
            out = black_box(f());
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "{name:<34} {:>9.3} ms {:>9.1} MB/s of the mix   ({n} posts, result {out})",
            best * 1e3,
            bytes / 1e6 / best
        );
    };
    println!(
        "{} lines, {:.2} MB, {} with a trigger",
        work.lines.len(),
        bytes / 1e6,
        triggered.len()
    );
    let all = work.lines.len();
    time("classify", all, &|| {
        work.lines
            .iter()
            .filter(|l| classifier.classify(l).primary != inochi::Category::None)
            .count()
    });
    time("classify_full (no screen)", all, &|| {
        work.lines
            .iter()
            .filter(|l| stages.classify_full(l).primary != inochi::Category::None)
            .count()
    });
    time("screen (fold w/o evasions + scan)", all, &|| {
        work.lines.iter().filter(|l| stages.screen(l)).count()
    });
    time("fold (text only)", all, &|| {
        work.lines.iter().map(|l| stages.fold(l).len()).sum()
    });
    time("fold with offsets", all, &|| {
        work.lines
            .iter()
            .map(|l| stages.fold_with_offsets(l).as_str().len())
            .sum()
    });
    time("scan", all, &|| {
        folded.iter().filter(|f| stages.scan(f)).count()
    });
    time("model gate (untriggered)", all, &|| {
        folded.iter().filter(|f| stages.model(f)).count()
    });
    time("analyze (triggered only)", triggered.len(), &|| {
        triggered.iter().map(|f| stages.analyze(f)).sum()
    });
    let trigger_lines: Vec<&String> = work
        .lines
        .iter()
        .filter(|l| stages.scan(&stages.fold(l)))
        .collect();
    let prepared: Vec<_> = trigger_lines.iter().map(|l| stages.prepare(l)).collect();
    time("prepare (triggered only)", prepared.len(), &|| {
        let mut n = 0;
        for l in &trigger_lines {
            black_box(stages.prepare(l));
            n += 1;
        }
        n
    });
    time("decide (triggered only)", prepared.len(), &|| {
        prepared.iter().map(|p| stages.decide(p)).sum()
    });
    Ok(())
}

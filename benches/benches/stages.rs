//! Each stage of the pipeline alone, on the posts that reach it in the 2% mix.
//!
//! `cargo bench -p inochi-benches --bench stages`
//!
//! - `fold`: every post, text only (what the screen reads) and with the
//!   offset map (what posts with a trigger pay);
//! - `screen`: fold without the evasion table plus one automaton pass;
//! - `scan`: the trigger automaton over folded posts;
//! - `analyze`: lindera over the posts with a trigger;
//! - `decide`: the rules over those posts, already analyzed.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use inochi::Classifier;
use inochi::stages::Stages;
use inochi_benches::Workload;

fn stages(c: &mut Criterion) {
    let work = Workload::mix(1_000_000, 0.02);
    let classifier = Classifier::new().expect("default classifier");
    let stages = Stages::new(&classifier);
    let folded: Vec<String> = work.lines.iter().map(|l| stages.fold(l)).collect();
    let triggered: Vec<(&String, &String)> = work
        .lines
        .iter()
        .zip(&folded)
        .filter(|(_, f)| stages.scan(f))
        .collect();
    let triggered_bytes: u64 = triggered.iter().map(|(l, _)| l.len() as u64).sum();
    let prepared: Vec<_> = triggered.iter().map(|(l, _)| stages.prepare(l)).collect();

    let mut g = c.benchmark_group("stage");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(work.bytes()));
    g.bench_function("fold", |b| {
        b.iter(|| {
            work.lines
                .iter()
                .map(|l| stages.fold(black_box(l)).len())
                .sum::<usize>()
        })
    });
    g.bench_function("fold-with-offsets", |b| {
        b.iter(|| {
            work.lines
                .iter()
                .map(|l| stages.fold_with_offsets(black_box(l)).as_str().len())
                .sum::<usize>()
        })
    });
    g.bench_function("screen", |b| {
        b.iter(|| {
            work.lines
                .iter()
                .filter(|l| stages.screen(black_box(l)))
                .count()
        })
    });
    g.bench_function("scan", |b| {
        b.iter(|| folded.iter().filter(|f| stages.scan(black_box(f))).count())
    });
    g.throughput(Throughput::Bytes(triggered_bytes));
    g.bench_function("analyze-triggered", |b| {
        b.iter(|| {
            triggered
                .iter()
                .map(|(_, f)| stages.analyze(black_box(f)))
                .sum::<usize>()
        })
    });
    g.bench_function("decide-triggered", |b| {
        b.iter(|| {
            prepared
                .iter()
                .map(|p| stages.decide(black_box(p)))
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);

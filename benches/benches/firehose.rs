//! End to end on an operator's firehose, side by side with the baselines.
//!
//! `cargo bench -p inochi-benches --bench firehose` (run `benches/setup.sh`
//! first for the real text; `benches/report.py` turns the results into the
//! table of benches/RESULTS.md).
//!
//! Groups (throughput in bytes of post text):
//! - `mix-2pct`: inochi and every baseline on the same lines, one thread;
//! - `workload`: inochi on all-benign, 2% and all-positive lines;
//! - `batch`: `classify_batch` on one and on two threads;
//! - `post-size`: one post of 1 MB and one of 10 MB (cost must grow linearly).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use inochi::{Category, Classifier};
use inochi_benches::{Baselines, Workload};

/// Bytes of text per workload: enough lines for stable figures, few enough
/// that lindera-on-everything finishes its samples in seconds.
const BYTES: usize = 1_000_000;

fn mix(c: &mut Criterion) {
    let work = Workload::mix(BYTES, 0.02);
    let classifier = Classifier::new().expect("default classifier");
    let base = Baselines::new();
    inochi_benches::record_posts("mix-2pct", work.lines.len());
    let mut g = c.benchmark_group("mix-2pct");
    g.throughput(Throughput::Bytes(work.bytes()))
        .sample_size(10)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    let lines = &work.lines;
    g.bench_function("inochi", |b| {
        b.iter(|| {
            lines
                .iter()
                .filter(|l| classifier.classify(black_box(l)).primary != Category::None)
                .count()
        })
    });
    type Baseline = fn(&Baselines, &str) -> bool;
    let boolean: [(&str, Baseline); 6] = [
        ("aho-corasick-dfa", Baselines::aho_corasick_dfa),
        ("aho-corasick", Baselines::aho_corasick),
        ("regex-set", Baselines::regex_set),
        ("str-contains", Baselines::naive),
        ("rustrict", Baselines::rustrict),
        ("lindera-tokenize-only", |b, l| b.lindera(l) > 0),
    ];
    for (name, f) in boolean {
        g.bench_function(name, |b| {
            b.iter(|| lines.iter().filter(|l| f(&base, black_box(l))).count())
        });
    }
    g.finish();
}

fn workloads(c: &mut Criterion) {
    let classifier = Classifier::new().expect("default classifier");
    let mut g = c.benchmark_group("workload");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    for (name, work) in [
        ("all-benign", Workload::benign(BYTES)),
        ("mix-2pct", Workload::mix(BYTES, 0.02)),
        ("all-positive", Workload::positives()),
    ] {
        inochi_benches::record_posts(&format!("workload/{name}"), work.lines.len());
        g.throughput(Throughput::Bytes(work.bytes()));
        g.bench_function(name, |b| {
            b.iter(|| {
                work.lines
                    .iter()
                    .filter(|l| classifier.classify(black_box(l)).primary != Category::None)
                    .count()
            })
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let work = Workload::mix(4 * BYTES, 0.02);
    let classifier = Classifier::new().expect("default classifier");
    inochi_benches::record_posts("batch", work.lines.len());
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Bytes(work.bytes()))
        .sample_size(10)
        .measurement_time(Duration::from_secs(6))
        .warm_up_time(Duration::from_secs(1));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        g.bench_function(format!("threads-{threads}"), |b| {
            b.iter(|| pool.install(|| classifier.classify_batch(black_box(&work.lines)).len()))
        });
    }
    g.finish();
}

fn post_size(c: &mut Criterion) {
    let classifier = Classifier::new().expect("default classifier");
    let work = Workload::mix(11_000_000, 0.02);
    let mut g = c.benchmark_group("post-size");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_secs(1));
    for mb in [1, 10] {
        let post = one_post(&work.lines, mb * 1_000_000);
        g.throughput(Throughput::Bytes(post.len() as u64));
        g.bench_function(format!("{mb}MB"), |b| {
            b.iter(|| classifier.classify(black_box(&post)).labels.len())
        });
    }
    g.finish();
}

/// Lines joined into one post of about `bytes` bytes (at a char boundary).
fn one_post(lines: &[String], bytes: usize) -> String {
    let mut post = String::with_capacity(bytes + 256);
    for l in lines.iter().cycle() {
        if post.len() >= bytes {
            break;
        }
        post.push_str(l);
        post.push('\n');
    }
    post
}

criterion_group!(benches, mix, workloads, batch, post_size);
criterion_main!(benches);

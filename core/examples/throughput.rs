//! Classifies every line of a file and prints posts/s and MB/s.
//!
//! `cargo run --release -p inochi --example throughput -- FILE [MODEL]`
//! (one thread; the criterion benches under benches/ are the reference).

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: throughput FILE [MODEL]")?;
    let text = std::fs::read_to_string(&path)?;
    let lines: Vec<&str> = text.lines().collect();
    // A second argument swaps in another n-gram model (scripts/train-model.py),
    // to weigh a model's size against its speed.
    let classifier = match std::env::args().nth(2) {
        Some(model) => inochi::Classifier::builder().model_file(model).build()?,
        None => inochi::Classifier::new()?,
    };
    let t = Instant::now();
    let mut flagged = 0usize;
    for line in &lines {
        if classifier.classify(line).primary != inochi::Category::None {
            flagged += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} posts, {:.1} MB in {:.3} s: {:.0} posts/s, {:.1} MB/s, {} flagged",
        lines.len(),
        text.len() as f64 / 1e6,
        secs,
        lines.len() as f64 / secs,
        text.len() as f64 / 1e6 / secs,
        flagged
    );
    Ok(())
}

//! Start-up time and memory of `Classifier::new()`, each run in a fresh
//! process (the parent runs itself as a child ROUNDS times and prints the
//! medians).
//!
//! `cargo run --release -p inochi-benches --bin startup -- [ROUNDS]`
//!
//! Per child: the time from `main` to a built classifier, the time of the
//! first `classify` (which touches the dictionary's pages), and the resident
//! set (VmRSS) after each, plus the peak (VmHWM).

use std::process::Command;
use std::time::Instant;

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn child() {
    let rss0 = status_kb("VmRSS:");
    let t = Instant::now();
    let classifier = inochi::Classifier::new().expect("default classifier");
    let new_ms = t.elapsed().as_secs_f64() * 1e3;
    let rss_new = status_kb("VmRSS:");
    let t = Instant::now();
    let v = classifier.classify("もう疲れた。今夜、全部終わりにします。今までありがとう");
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    let rss_first = status_kb("VmRSS:");
    println!(
        "{new_ms:.3} {first_ms:.3} {rss0} {rss_new} {rss_first} {} {}",
        status_kb("VmHWM:"),
        v.primary
    );
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = std::env::args().nth(1);
    if arg.as_deref() == Some("--child") {
        child();
        return Ok(());
    }
    let rounds: usize = arg.map(|a| a.parse()).transpose()?.unwrap_or(11);
    let exe = std::env::current_exe()?;
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); 6];
    for _ in 0..rounds {
        let out = Command::new(&exe).arg("--child").output()?;
        let line = String::from_utf8(out.stdout)?;
        for (i, v) in line.split_whitespace().take(6).enumerate() {
            cols[i].push(v.parse()?);
        }
    }
    let m: Vec<f64> = cols.into_iter().map(median).collect();
    println!("median of {rounds} fresh processes:");
    println!("  Classifier::new()          {:>8.1} ms", m[0]);
    println!("  first classify()           {:>8.1} ms", m[1]);
    println!("  RSS before new()           {:>8.1} MB", m[2] / 1024.0);
    println!("  RSS after new()            {:>8.1} MB", m[3] / 1024.0);
    println!("  RSS after first classify() {:>8.1} MB", m[4] / 1024.0);
    println!("  peak RSS (VmHWM)           {:>8.1} MB", m[5] / 1024.0);
    Ok(())
}

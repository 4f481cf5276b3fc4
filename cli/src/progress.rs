//! A progress line on stderr for long batch runs, drawn only on a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub(crate) struct Progress {
    enabled: bool,
    total_bytes: Option<u64>,
    started: Instant,
    last: Instant,
}

impl Progress {
    pub(crate) fn new(disabled: bool, total_bytes: Option<u64>) -> Progress {
        let now = Instant::now();
        Progress {
            enabled: !disabled && std::io::stderr().is_terminal(),
            total_bytes,
            started: now,
            last: now,
        }
    }

    pub(crate) fn update(&mut self, lines: u64, bytes: u64) {
        if !self.enabled || self.last.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last = Instant::now();
        self.draw(lines, bytes);
    }

    fn draw(&self, lines: u64, bytes: u64) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let rate = lines as f64 / secs;
        let mut err = std::io::stderr().lock();
        let _ = match self.total_bytes.filter(|t| *t > 0) {
            Some(total) => {
                let frac = (bytes as f64 / total as f64).min(1.0);
                let width = 30;
                let filled = (frac * width as f64) as usize;
                write!(
                    err,
                    "\r[{}{}] {:>5.1}% {lines} lines, {rate:.0}/s ",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    frac * 100.0
                )
            }
            None => write!(err, "\r{lines} lines, {rate:.0}/s "),
        };
        let _ = err.flush();
    }

    pub(crate) fn finish(&mut self, lines: u64, bytes: u64) {
        if self.enabled {
            self.draw(lines, bytes);
            let _ = writeln!(std::io::stderr());
        }
    }
}

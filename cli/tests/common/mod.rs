//! What every end-to-end test of the `inochi` binary needs: run it with
//! input on stdin, read its JSON lines and its stderr.

#![allow(dead_code)] // each test file uses its own subset

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_inochi");

/// Runs `inochi ARGS` with `input` on stdin (written from another thread, so
/// a large input cannot deadlock against a full stdout pipe).
pub fn run(args: &[&str], input: Vec<u8>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn inochi");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        // The binary may exit early on a fatal error; a broken pipe here is
        // then reported by the caller's assertions, not by this thread.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for inochi");
    writer.join().expect("the stdin writer does not panic");
    out
}

/// Every stdout line, parsed as JSON (a line that is not JSON fails the test
/// and names its number).
pub fn json_lines(out: &Output) -> Vec<Value> {
    std::str::from_utf8(&out.stdout)
        .expect("stdout is UTF-8")
        .lines()
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("output line {} is not JSON: {e}: {l}", i + 1))
        })
        .collect()
}

/// Stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

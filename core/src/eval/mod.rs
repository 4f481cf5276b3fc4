//! Measuring detection quality on labeled posts.
//!
//! An operator who wants to know how well inochi works on their own data
//! writes labeled posts as JSONL, one [`LabeledRow`] per line, and compares
//! each row's expected category with the classifier's `primary`:
//!
//! - [`parse_jsonl`] reads the rows, and names the line of every malformed
//!   one ([`RowError`]);
//! - [`ConfusionMatrix`] counts expected × got and gives each category's
//!   precision, recall, F1 and support ([`Score`]) and the macro-F1
//!   ([`MacroF1`]);
//! - [`REWRITES`] are the evasion spellings people use to get past filters
//!   (spaced letters, zero-width characters, half-width kana, タヒ for 死,
//!   full-width Latin, stretched vowels); [`EvasionTally`] counts how many
//!   positives a rewrite leaves flagged.
//!
//! `inochi eval` is this module on files.
//!
//! ```
//! use inochi::Classifier;
//! use inochi::eval::{ConfusionMatrix, parse_jsonl};
//!
//! let jsonl = r#"{"id": "a1", "text": "一緒に死ねる人を探しています。DMください", "expect": "inducement"}
//! {"id": "a2", "text": "死ぬほど眠い", "expect": "none", "tags": ["trap"]}
//! "#;
//! let (rows, errors) = parse_jsonl(jsonl);
//! assert!(errors.is_empty());
//!
//! let classifier = Classifier::new()?;
//! let texts: Vec<&str> = rows.iter().map(|(_, r)| r.text.as_str()).collect();
//! let mut matrix = ConfusionMatrix::new();
//! for ((_, row), verdict) in rows.iter().zip(classifier.classify_batch(&texts)) {
//!     matrix.record(row, verdict.primary);
//! }
//! assert_eq!(matrix.correct(), 2);
//! assert_eq!(matrix.macro_f1().value, 1.0);
//! # Ok::<(), inochi::Error>(())
//! ```

mod metrics;
pub mod rewrite;
mod row;

pub use metrics::{CategoryScore, ConfusionMatrix, EvasionTally, MacroF1, Score};
pub use rewrite::{REWRITES, Rewrite};
pub use row::{LabeledRow, RowError, RowErrorKind, parse_jsonl};

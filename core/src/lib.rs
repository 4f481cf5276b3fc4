//! inochi (命, "life") finds posts that lure people into suicide, announce an
//! imminent suicide, or express a wish to die, so that each can be turned into
//! the act that protects life: a takedown request, an emergency report, or
//! help shown to the person.
//!
//! The data flow follows the modules:
//!
//! 1. `fold`: one canonical spelling, with a map back to the original text;
//! 2. `scan`: one Aho-Corasick pass finds trigger terms; most posts stop here;
//! 3. `analyze`: Lindera (IPADIC) tokens for the posts that hit a trigger;
//! 4. `decide`: rules over concepts, suppressors, scores, thresholds;
//! 5. `model`: a character n-gram model, heard only when no rule fired;
//!
//! all driven by a [`Pack`] of rules held in TOML, and run by a
//! [`Classifier`] that returns a [`Verdict`].
//!
//! ```
//! use inochi::{Category, Classifier};
//!
//! let classifier = Classifier::new()?;
//! let verdict = classifier.classify("今夜ビルの屋上から飛び降ります。さようなら");
//! assert_eq!(verdict.primary, Category::Announcement);
//! for label in &verdict.labels {
//!     for e in &label.evidence {
//!         println!("{} {} {:?} ({})", label.category, e.rule, e.text, e.concept);
//!     }
//! }
//! # Ok::<(), inochi::Error>(())
//! ```

#![deny(missing_docs)]

pub mod act;
mod analyze;
mod category;
mod classifier;
mod decide;
mod error;
pub mod eval;
mod explain;
mod fold;
mod model;
mod pack;
mod scan;
#[cfg(feature = "stages")]
#[doc(hidden)]
pub mod stages;
mod verdict;

pub use act::PayloadError;
pub use analyze::{DictionarySource, Token};
pub use category::{Action, Category};
pub use classifier::{Builder, Classifier};
pub use error::{Error, PackError};
pub use explain::{Explanation, HitInfo, RuleInfo};
pub use fold::Folded;
pub use pack::{Pack, PackInfo};
pub use verdict::{Evidence, Label, Verdict};

/// The README's examples, run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

//! What the classifier says about a post, and why.
//!
//! A verdict is meant to be acted on and audited later: every category it
//! names carries the evidence that produced it (which rule, which words, and
//! where they are in the text the person wrote), and the verdict names the
//! exact rule pack by version and content hash.

use serde::{Deserialize, Serialize};

use crate::category::{Action, Category};
use crate::pack::PackInfo;

/// The classification of one post.
///
/// ```
/// use inochi::{Category, Classifier};
///
/// let classifier = Classifier::new()?;
/// let verdict = classifier.classify("一緒に死ねる人を探しています。DMください");
/// assert_eq!(verdict.primary, Category::Inducement);
/// let evidence = &verdict.labels[0].evidence[0];
/// let original = "一緒に死ねる人を探しています。DMください";
/// assert_eq!(&original[evidence.byte_start..evidence.byte_end], evidence.text);
/// # Ok::<(), inochi::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The most severe category found, `none` when nothing was.
    pub primary: Category,
    /// Every category found, most severe first. Empty for `none`.
    pub labels: Vec<Label>,
    /// What to do, from every label's actions, without repeats.
    pub actions: Vec<Action>,
    /// The rule pack that made this verdict.
    pub pack: PackInfo,
}

/// One category found in a post.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// The category.
    pub category: Category,
    /// Confidence in 0..=1: the noisy-or of the scores of the rules that
    /// fired for it. See the rule pack documentation for what a score means.
    pub score: f64,
    /// Why: one entry per concept hit that made a rule fire.
    pub evidence: Vec<Evidence>,
}

/// A piece of the original text that made a rule fire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The rule that fired.
    pub rule: String,
    /// The concept the text was found as.
    pub concept: String,
    /// Byte offset into the original text (UTF-8), on a char boundary.
    pub byte_start: usize,
    /// End byte offset (exclusive) into the original text.
    pub byte_end: usize,
    /// Offset in Unicode scalar values into the original text.
    pub char_start: usize,
    /// End offset (exclusive) in Unicode scalar values.
    pub char_end: usize,
    /// The original text at those offsets.
    pub text: String,
}

impl Verdict {
    /// The verdict for a post with nothing in it.
    pub(crate) fn none(pack: &PackInfo) -> Verdict {
        Verdict {
            primary: Category::None,
            labels: Vec::new(),
            actions: Vec::new(),
            pack: pack.clone(),
        }
    }

    /// The label for `category`, if the post carries it.
    pub fn label(&self, category: Category) -> Option<&Label> {
        self.labels.iter().find(|l| l.category == category)
    }

    /// True if the post carries `category`.
    pub fn has(&self, category: Category) -> bool {
        self.label(category).is_some()
    }

    /// The verdict as one line of JSON, the format of `inochi classify`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a verdict always serializes")
    }
}

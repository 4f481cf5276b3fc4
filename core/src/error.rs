//! Errors. Each one names the offending input and says how to fix it.

use std::path::PathBuf;

/// Anything that can go wrong when building a classifier.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule pack failed to parse or validate. Nothing of it was loaded.
    #[error(transparent)]
    Pack(#[from] PackError),
    /// A category identifier that is not one of the six.
    #[error(
        "unknown category {0:?}: use one of announcement, inducement, method, incitement, ideation, none"
    )]
    UnknownCategory(String),
    /// The Japanese dictionary could not be loaded.
    #[error("cannot load the IPADIC dictionary from {source_name}: {reason}; {fix}")]
    Dictionary {
        /// Where the dictionary was looked for.
        source_name: String,
        /// What lindera said.
        reason: String,
        /// How to fix it.
        fix: &'static str,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// What is wrong with a rule pack. Every variant names the pack, and the
/// rule, concept or field at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PackError {
    /// The TOML does not parse or does not have the pack's shape.
    #[error("rule pack {pack:?} is not valid TOML for a pack: {message}")]
    Syntax {
        /// The pack's name or origin.
        pack: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A rule names a concept the pack does not define.
    #[error(
        "rule pack {pack:?}, rule {rule:?}: unknown concept {concept:?}; define it under [concepts.{concept}] or fix the spelling"
    )]
    UnknownConcept {
        /// The pack.
        pack: String,
        /// The rule.
        rule: String,
        /// The concept named.
        concept: String,
    },
    /// A rule expression does not parse.
    #[error(
        "rule pack {pack:?}, rule {rule:?}: bad expression {expr:?}: {reason}; write CONCEPT[|CONCEPT…][+MODIFIER…][-MODIFIER…]"
    )]
    BadExpression {
        /// The pack.
        pack: String,
        /// The rule.
        rule: String,
        /// The expression.
        expr: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A rule has no condition at all, so it would fire on every post.
    #[error("rule pack {pack:?}, rule {rule:?}: needs at least one item in `all` or `any`")]
    EmptyRule {
        /// The pack.
        pack: String,
        /// The rule.
        rule: String,
    },
    /// A score or threshold outside 0..=1.
    #[error("rule pack {pack:?}, {field}: {value} is outside 0..=1")]
    OutOfRange {
        /// The pack.
        pack: String,
        /// Which rule or threshold.
        field: String,
        /// The value given.
        value: f64,
    },
    /// Two rules with the same id in one pack.
    #[error("rule pack {pack:?}: rule id {rule:?} is defined twice; rule ids must be unique")]
    DuplicateRule {
        /// The pack.
        pack: String,
        /// The rule id.
        rule: String,
    },
    /// A rule's category is not one of the six, or is `none`.
    #[error(
        "rule pack {pack:?}, rule {rule:?}: category {category:?} is not a category a rule can assign (announcement, inducement, method, incitement, ideation)"
    )]
    BadCategory {
        /// The pack.
        pack: String,
        /// The rule.
        rule: String,
        /// The category given.
        category: String,
    },
    /// A concept that can never match.
    #[error(
        "rule pack {pack:?}, concept {concept:?}: has no forms, lemmas or conj; give it at least one"
    )]
    EmptyConcept {
        /// The pack.
        pack: String,
        /// The concept.
        concept: String,
    },
    /// A malformed field that is not covered above.
    #[error("rule pack {pack:?}, {field}: {reason}")]
    Invalid {
        /// The pack.
        pack: String,
        /// The field.
        field: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// A pack asks for an action that would remove a cry for help.
    #[error(
        "rule pack {pack:?}: [actions] {category} may not include {action:?}: a person's wish to die calls for support, never removal"
    )]
    RemovesIdeation {
        /// The pack.
        pack: String,
        /// The category (ideation).
        category: String,
        /// The action refused.
        action: String,
    },
}

//! Why a payload could not be built. Every variant names the field or the
//! category at fault and says what to do instead.

use crate::category::Category;

/// Anything that stops a payload from being built.
///
/// ```
/// use inochi::{Classifier, PayloadError};
/// use inochi::act::{Post, Requester, RequesterKind, TakedownRequest};
///
/// let classifier = Classifier::new()?;
/// let text = "死にたいなあ";
/// let verdict = classifier.classify(text);
/// let requester = Requester::new("Example Patrol", RequesterKind::CyberPatrol, "patrol@example.org");
/// let post = Post::new(text).url("https://sns.example/posts/1");
/// let err = TakedownRequest::builder(&verdict, &post, &requester).build().unwrap_err();
/// assert!(matches!(err, PayloadError::NotForTakedown { .. }));
/// assert!(err.to_string().contains("support referral"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// A takedown request was asked for a cry for help, or for nothing.
    #[error(
        "no takedown request for category {category}: {}; build a support referral to show the person help instead",
        not_for_takedown_reason(.category)
    )]
    NotForTakedown {
        /// `ideation` or `none`.
        category: Category,
    },
    /// A takedown request was asked for a post that only announces a suicide.
    #[error(
        "no takedown request for category announcement: a life may be at risk now; build an emergency report and a support referral instead"
    )]
    AnnouncementIsEmergency,
    /// A takedown request for incitement without the operator's policy.
    #[error(
        "category incitement calls for review, not removal, unless the operator's policy says so: allow incitement takedowns on the request (Rust: `.incitement_takedown(true)`; Python: `incitement_takedown=True`; Node: `incitementTakedown: true`; CLI: `incitement_takedown = true` under [policy] in the requester file)"
    )]
    IncitementNeedsPolicy,
    /// The category asked for is not one of the verdict's labels.
    #[error(
        "the verdict has no {category} label (it has: {found}); choose one of its labels or classify the post again"
    )]
    CategoryNotInVerdict {
        /// The category asked for.
        category: Category,
        /// The verdict's categories, comma-separated.
        found: String,
    },
    /// An emergency report was asked for a post without an announcement.
    #[error(
        "no emergency report without an announcement label (primary is {primary}); an emergency report is for a concrete, imminent suicide announcement{}",
        not_an_announcement_hint(.primary)
    )]
    NotAnAnnouncement {
        /// The verdict's primary category.
        primary: Category,
    },
    /// A support referral was asked for a post with neither ideation nor an
    /// announcement.
    #[error(
        "no support referral for primary category {primary}: a referral answers a person's own wish to die (ideation) or announcement"
    )]
    NoSupportCall {
        /// The verdict's primary category.
        primary: Category,
    },
    /// The verdict's evidence does not point at this text.
    #[error(
        "evidence of rule {rule:?} at bytes {byte_start}..{byte_end} (chars {char_start}..{char_end}) says {expected:?} but the text has {found:?} there: the verdict was made for another text; classify this exact text again"
    )]
    EvidenceMismatch {
        /// The rule whose evidence does not match.
        rule: String,
        /// Its byte start.
        byte_start: usize,
        /// Its byte end.
        byte_end: usize,
        /// Its char start.
        char_start: usize,
        /// Its char end.
        char_end: usize,
        /// What the evidence says is there.
        expected: String,
        /// What the text has there (empty if the span is out of range or
        /// not on character boundaries).
        found: String,
    },
    /// A required field is missing.
    #[error("{field} is missing: {fix}")]
    MissingField {
        /// The field, e.g. `target.url`.
        field: String,
        /// How to provide it.
        fix: String,
    },
    /// A URL that is not an absolute http(s) URL.
    #[error(
        "{field} {value:?} is not an absolute http(s) URL ({reason}); give the full address, e.g. https://sns.example/@user/posts/1"
    )]
    InvalidUrl {
        /// The field, e.g. `target.url`.
        field: String,
        /// The value given.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// A date-time that is not RFC 3339.
    #[error(
        "{field} {value:?} is not an RFC 3339 date-time ({reason}); write e.g. 2025-03-14T23:41:07+09:00 or 2025-03-14T14:41:07Z"
    )]
    InvalidTimestamp {
        /// The field, e.g. `target.posted_at`.
        field: String,
        /// The value given.
        value: String,
        /// The parser's message.
        reason: String,
    },
    /// An identifier with characters or a length that is not allowed.
    #[error("{field} {value:?}: {rule}")]
    InvalidId {
        /// The field, e.g. `id` or `target.post_id`.
        field: String,
        /// The value given.
        value: String,
        /// What an identifier must look like.
        rule: &'static str,
    },
    /// A text field that is empty, too long or has control characters.
    #[error("{field}: {reason}")]
    InvalidText {
        /// The field, e.g. `requester.organisation`.
        field: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// An option outside its range.
    #[error("{field} = {value}: {reason}")]
    InvalidOption {
        /// The option, e.g. `response_days`.
        field: String,
        /// The value given.
        value: String,
        /// The allowed values.
        reason: String,
    },
    /// A support resources file that does not parse or validate.
    #[error("support resources {origin}: {message}")]
    Resources {
        /// Where the file came from.
        origin: String,
        /// What is wrong, with line and column for syntax errors.
        message: String,
    },
}

fn not_for_takedown_reason(category: &Category) -> &'static str {
    if *category == Category::None {
        "nothing harmful was found in the post"
    } else {
        "a person's wish to die is never content to remove"
    }
}

fn not_an_announcement_hint(primary: &Category) -> &'static str {
    if *primary == Category::Ideation {
        ": for a wish to die, build a support referral"
    } else {
        ""
    }
}

//! Act on a verdict: the payloads that turn a finding into the act that
//! protects life.
//!
//! | payload | for | renderings |
//! |---|---|---|
//! | [`TakedownRequest`] (削除依頼) | `inducement`, `method`; `incitement` when the operator's policy says so | JSON, Japanese letter, EU DSA statement of reasons |
//! | [`EmergencyReport`] (自殺予告事案) | `announcement` | JSON, Japanese police report, EU DSA Art. 18 notice |
//! | [`SupportReferral`] | `ideation`, `announcement` | JSON, text for the person |
//!
//! Every payload is built from a [`Verdict`](crate::Verdict) and the text it
//! was made for ([`Post`]); the builder checks that the verdict's evidence
//! points at that text, so the two always agree. A cry for help is never
//! content to remove: a takedown request for `ideation` is refused, and the
//! error says to build a [`SupportReferral`]. Output is deterministic for
//! the same input and [`Clock`]; ids come from an [`IdSource`].
//!
//! ```
//! use inochi::Classifier;
//! use inochi::act::{FixedClock, Post, Requester, RequesterKind, SupportReferral, TakedownRequest};
//!
//! let classifier = Classifier::new()?;
//! let requester = Requester::new("Example SNS Trust & Safety", RequesterKind::Platform, "trust@sns.example");
//! let clock = FixedClock::parse("2025-03-16T09:00:00+09:00")?;
//!
//! let text = "死にたい方の手伝いをします。お気軽にDMを";
//! let post = Post::new(text).url("https://sns.example/@helper_000/posts/1003");
//! let verdict = classifier.classify(text);
//! let request = TakedownRequest::builder(&verdict, &post, &requester).clock(&clock).build()?;
//! assert!(request.grounds.iter().any(|g| g.title == "自殺誘引等情報（自殺関与）"));
//!
//! let text = "i just want to die";
//! let post = Post::new(text).url("https://sns.example/@lowtide/posts/1015");
//! let verdict = classifier.classify(text);
//! assert!(TakedownRequest::builder(&verdict, &post, &requester).build().is_err());
//! let referral = SupportReferral::builder(&verdict, &post).locale("en-US").clock(&clock).build()?;
//! assert_eq!(referral.resources[0].phones[0].number, "988");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod clock;
mod dsa;
mod emergency;
mod error;
mod post;
mod record;
mod support;
mod tags;
mod takedown;

pub use clock::{
    Clock, DigestIds, FixedClock, IdSource, PayloadKind, SequenceIds, SystemClock, Timestamp,
};
pub use dsa::{
    AutomatedDecision, DsaGround, DsaOptions, DsaStatement, EEA, MAX_DECISION_FACTS, MAX_PUID, puid,
};
pub use emergency::{
    Addressee, Ask, AskAction, EmergencyBuilder, EmergencyReport, SIGNAL_CONCEPTS,
    SUICIDE_ANNOUNCEMENT_GUIDELINE, Signal, SignalKind, Urgency,
};
pub use error::PayloadError;
pub use post::Post;
pub use record::{
    ClassifierInfo, Content, EvidenceRecord, LabelScore, Localized, Requester, RequesterKind,
    Target,
};
pub use support::{
    AgeGroup, Audience, Phone, Resource, SupportBuilder, SupportDirectory, SupportReferral,
};
pub use tags::{EmergencyReportType, SupportReferralType, TakedownRequestType};
pub use takedown::{
    DEFAULT_EXCERPT_CHARS, DEFAULT_RESPONSE_DAYS, Ground, GroundBasis, RequestedAction,
    TakedownBuilder, TakedownRequest,
};

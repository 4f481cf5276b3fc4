//! EU Digital Services Act statement of reasons (Art. 17, as submitted to
//! the DSA Transparency Database) for the platform's own decision on a
//! takedown request.
//!
//! The statement carries no personal data: no account id, no URL, no
//! excerpt, no requester name or contact. The `puid` is the post id when it
//! is already of the allowed form, otherwise a SHA-256 of it; the facts are
//! written from the rules and concepts that fired, never by quoting the post.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::PayloadError;
use super::record::{RequesterKind, check_text, check_url, truncate_chars};
use super::takedown::{GroundBasis, RequestedAction, TakedownRequest, category_names};

/// Maximum length of `decision_facts`.
pub const MAX_DECISION_FACTS: usize = 5000;
/// Maximum length of `puid`.
pub const MAX_PUID: usize = 500;
/// Maximum length of the ground fields.
const MAX_GROUND: usize = 500;
/// Maximum length of the explanation fields.
const MAX_EXPLANATION: usize = 2000;

/// The EEA member states: the default territorial scope.
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// A statement of reasons, with the Transparency Database's field names and
/// enum values.
///
/// ```
/// use inochi::Classifier;
/// use inochi::act::{DsaOptions, FixedClock, Post, Requester, RequesterKind, TakedownRequest};
///
/// let classifier = Classifier::new()?;
/// let text = "確実に死ねる方法を教えます";
/// let verdict = classifier.classify(text);
/// let requester = Requester::new("Example SNS Trust & Safety", RequesterKind::Platform, "trust@sns.example");
/// let post = Post::new(text).url("https://sns.example/@anon_7731/posts/1005").post_id("1005")
///     .posted_at("2025-03-15T10:15:42+09:00");
/// let clock = FixedClock::parse("2025-03-15T12:00:00+09:00")?;
/// let request = TakedownRequest::builder(&verdict, &post, &requester).clock(&clock).build()?;
///
/// let sor = request.to_dsa(&DsaOptions::default())?;
/// assert_eq!(sor.category, "STATEMENT_CATEGORY_SELF_HARM");
/// assert_eq!(sor.source_type, "SOURCE_VOLUNTARY");
/// assert_eq!(sor.puid, "1005");
/// assert_eq!(sor.content_date, "2025-03-15");
/// assert!(!sor.to_json().contains("anon_7731"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DsaStatement {
    /// `DECISION_VISIBILITY_CONTENT_REMOVED`, `…_CONTENT_DISABLED`,
    /// `…_CONTENT_DEMOTED` or `…_OTHER`.
    pub decision_visibility: Vec<String>,
    /// What the `…_OTHER` restriction is.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decision_visibility_other: Option<String>,
    /// `DECISION_GROUND_INCOMPATIBLE_CONTENT` or
    /// `DECISION_GROUND_ILLEGAL_CONTENT`.
    pub decision_ground: String,
    /// The terms of service, when the operator gave their URL.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decision_ground_reference_url: Option<String>,
    /// The law relied on (illegal content only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub illegal_content_legal_ground: Option<String>,
    /// Why the content is illegal on that ground (illegal content only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub illegal_content_explanation: Option<String>,
    /// The contractual ground (incompatible content only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub incompatible_content_ground: Option<String>,
    /// Why the content is incompatible on that ground.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub incompatible_content_explanation: Option<String>,
    /// `STATEMENT_CATEGORY_SELF_HARM`.
    pub category: String,
    /// `["KEYWORD_SUICIDE"]`.
    pub category_specification: Vec<String>,
    /// `["CONTENT_TYPE_TEXT"]`.
    pub content_type: Vec<String>,
    /// ISO 639-1, upper case (`JA`, `EN`), when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub content_language: Option<String>,
    /// When the content was posted (or, if unknown, seen): `YYYY-MM-DD`.
    pub content_date: String,
    /// When the decision applies: `YYYY-MM-DD`.
    pub application_date: String,
    /// ISO 3166-1 alpha-2 codes of EEA states.
    pub territorial_scope: Vec<String>,
    /// `SOURCE_ARTICLE_16`, `SOURCE_TRUSTED_FLAGGER`,
    /// `SOURCE_TYPE_OTHER_NOTIFICATION` or `SOURCE_VOLUNTARY`.
    pub source_type: String,
    /// `Yes`: inochi is an automated means of detection.
    pub automated_detection: String,
    /// `AUTOMATED_DECISION_FULLY`, `…_PARTIALLY` or `…_NOT_AUTOMATED`.
    pub automated_decision: String,
    /// The facts and circumstances, at most 5000 characters.
    pub decision_facts: String,
    /// The platform's unique id for the content: at most 500 characters of
    /// `[A-Za-z0-9_-]`.
    pub puid: String,
}

impl DsaStatement {
    /// One line of JSON, fields in the Transparency Database's order.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a statement always serializes")
    }
}

/// How the operator fills a statement of reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsaOptions {
    /// The decision's ground (default: incompatible with the terms).
    pub ground: DsaGround,
    /// How automated the decision was (default: partially).
    pub automated_decision: AutomatedDecision,
    /// Where the decision applies (default: every EEA state).
    pub territorial_scope: Vec<String>,
    /// The URL of the terms of service.
    pub terms_url: Option<String>,
    /// Whether the requester is a trusted flagger under Art. 22 DSA.
    pub trusted_flagger: bool,
}

impl Default for DsaOptions {
    fn default() -> DsaOptions {
        DsaOptions {
            ground: DsaGround::IncompatibleContent,
            automated_decision: AutomatedDecision::Partially,
            territorial_scope: EEA.iter().map(|s| s.to_string()).collect(),
            terms_url: None,
            trusted_flagger: false,
        }
    }
}

impl DsaOptions {
    /// Checks the options: EEA country codes, a terms URL that is absolute
    /// http(s), a legal ground of 1 to 500 characters.
    pub fn validate(&self) -> Result<(), PayloadError> {
        for c in &self.territorial_scope {
            if !EEA.contains(&c.as_str()) {
                return Err(PayloadError::InvalidOption {
                    field: "dsa.territorial_scope".into(),
                    value: c.clone(),
                    reason: format!("use ISO 3166-1 codes of EEA states: {}", EEA.join(", ")),
                });
            }
        }
        if self.territorial_scope.is_empty() {
            return Err(PayloadError::InvalidOption {
                field: "dsa.territorial_scope".into(),
                value: "[]".into(),
                reason: "name at least one EEA state, or leave it out for all of them".into(),
            });
        }
        if let Some(u) = &self.terms_url {
            check_url("dsa.terms_url", u)?;
        }
        if let DsaGround::IllegalContent { legal_ground } = &self.ground {
            check_text("dsa.illegal_content_legal_ground", legal_ground, MAX_GROUND)?;
        }
        Ok(())
    }
}

/// The ground of the platform's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DsaGround {
    /// Incompatible with the terms and conditions.
    IncompatibleContent,
    /// Illegal, on the legal ground given (at most 500 characters).
    IllegalContent {
        /// The law relied on.
        legal_ground: String,
    },
}

/// How automated the platform's decision was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutomatedDecision {
    /// Fully automated.
    Fully,
    /// Partially automated (a person confirmed it).
    #[default]
    Partially,
    /// Not automated.
    NotAutomated,
}

impl AutomatedDecision {
    /// The Transparency Database value.
    pub fn as_str(self) -> &'static str {
        match self {
            AutomatedDecision::Fully => "AUTOMATED_DECISION_FULLY",
            AutomatedDecision::Partially => "AUTOMATED_DECISION_PARTIALLY",
            AutomatedDecision::NotAutomated => "AUTOMATED_DECISION_NOT_AUTOMATED",
        }
    }
}

/// A puid from the post id (or, without one, the URL): the id itself when
/// it is 1–500 characters of `[A-Za-z0-9_-]`, otherwise `sha256-` and the
/// hex digest of it, which is of that form and reveals nothing.
pub fn puid(post_id: Option<&str>, url: Option<&str>) -> String {
    if let Some(id) = post_id
        && !id.is_empty()
        && id.len() <= MAX_PUID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return id.to_string();
    }
    let source = match (post_id, url) {
        (Some(id), _) => format!("post_id:{id}"),
        (None, Some(u)) => format!("url:{u}"),
        (None, None) => String::new(),
    };
    format!(
        "sha256-{}",
        crate::pack::hex(&Sha256::digest(source.as_bytes()))
    )
}

impl TakedownRequest {
    /// The EU DSA statement of reasons for the platform's decision to act
    /// on this request. Fails only on invalid options (a legal ground that
    /// is empty or too long, a country outside the EEA, a bad terms URL).
    pub fn to_dsa(&self, options: &DsaOptions) -> Result<DsaStatement, PayloadError> {
        options.validate()?;
        let (visibility, other) = match self.requested_action {
            RequestedAction::Remove => ("DECISION_VISIBILITY_CONTENT_REMOVED", None),
            RequestedAction::Disable => ("DECISION_VISIBILITY_CONTENT_DISABLED", None),
            RequestedAction::RestrictVisibility => ("DECISION_VISIBILITY_CONTENT_DEMOTED", None),
            RequestedAction::AccountReview => (
                "DECISION_VISIBILITY_OTHER",
                Some("Content held and the account referred for review".to_string()),
            ),
        };
        let why = self.why_english();
        let terms_grounds: Vec<&str> = self
            .grounds
            .iter()
            .filter(|g| g.basis != GroundBasis::InternetHotlineCenter)
            .map(|g| g.title_en.as_str())
            .collect();
        let mut contractual = terms_grounds.join("; ");
        if let Some(r) = self.grounds.iter().find_map(|g| g.reference.as_deref()) {
            contractual.push_str(&format!(" ({r})"));
        }
        let mut s = DsaStatement {
            decision_visibility: vec![visibility.into()],
            decision_visibility_other: other,
            decision_ground: String::new(),
            decision_ground_reference_url: options.terms_url.clone(),
            illegal_content_legal_ground: None,
            illegal_content_explanation: None,
            incompatible_content_ground: None,
            incompatible_content_explanation: None,
            category: "STATEMENT_CATEGORY_SELF_HARM".into(),
            category_specification: vec!["KEYWORD_SUICIDE".into()],
            content_type: vec!["CONTENT_TYPE_TEXT".into()],
            content_language: content_language(&self.content.language),
            content_date: self
                .target
                .posted_at
                .unwrap_or(self.target.observed_at)
                .date(),
            application_date: self.created_at.date(),
            territorial_scope: options.territorial_scope.clone(),
            source_type: source_type(self.requester.kind, options.trusted_flagger).into(),
            automated_detection: "Yes".into(),
            automated_decision: options.automated_decision.as_str().into(),
            decision_facts: truncate_chars(&self.decision_facts(), MAX_DECISION_FACTS),
            puid: puid(self.target.post_id.as_deref(), self.target.url.as_deref()),
        };
        match &options.ground {
            DsaGround::IncompatibleContent => {
                s.decision_ground = "DECISION_GROUND_INCOMPATIBLE_CONTENT".into();
                s.incompatible_content_ground = Some(truncate_chars(&contractual, MAX_GROUND));
                s.incompatible_content_explanation = Some(truncate_chars(&why, MAX_EXPLANATION));
            }
            DsaGround::IllegalContent { legal_ground } => {
                s.decision_ground = "DECISION_GROUND_ILLEGAL_CONTENT".into();
                s.illegal_content_legal_ground = Some(legal_ground.clone());
                s.illegal_content_explanation = Some(truncate_chars(&why, MAX_EXPLANATION));
            }
        }
        Ok(s)
    }

    /// Facts and circumstances, in English, from the classification only.
    fn decision_facts(&self) -> String {
        let e = &self.evidence;
        let (_, name_en) = category_names(self.category);
        let mut concepts: Vec<&str> = e.spans.iter().map(|s| s.concept.as_str()).collect();
        concepts.sort_unstable();
        concepts.dedup();
        let source = match self.requester.kind {
            RequesterKind::Platform => {
                "The content was found by the provider's own monitoring.".to_string()
            }
            k => format!(
                "The content was notified to the provider by a {}.",
                k.english()
            ),
        };
        format!(
            "{source} It was detected by automated means: the classifier {} {} with rule pack {} {} ({}) classified the text as {name_en} with a score of {} out of 1. Rules that fired: {}. Concepts found in the text: {}. {} The decision is {} of the content.",
            e.classifier.name,
            e.classifier.version,
            e.pack.name,
            e.pack.version,
            e.pack.hash,
            e.score,
            e.rules.join(", "),
            concepts.join(", "),
            self.why_english(),
            self.action_english()
        )
    }
}

fn content_language(tag: &str) -> Option<String> {
    let primary = tag.split('-').next()?;
    (primary.len() == 2).then(|| primary.to_ascii_uppercase())
}

fn source_type(kind: RequesterKind, trusted_flagger: bool) -> &'static str {
    if trusted_flagger {
        return "SOURCE_TRUSTED_FLAGGER";
    }
    match kind {
        RequesterKind::Platform => "SOURCE_VOLUNTARY",
        RequesterKind::Police => "SOURCE_TYPE_OTHER_NOTIFICATION",
        RequesterKind::HotlineCenter
        | RequesterKind::CyberPatrol
        | RequesterKind::Volunteer
        | RequesterKind::User => "SOURCE_ARTICLE_16",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puid_keeps_safe_ids_and_hashes_the_rest() {
        assert_eq!(puid(Some("1001"), None), "1001");
        assert_eq!(puid(Some("a_B-9"), None), "a_B-9");
        for unsafe_id in ["@kuro/1001", "1 001", "投稿1", &"x".repeat(501)] {
            let p = puid(Some(unsafe_id), None);
            assert!(p.starts_with("sha256-") && p.len() == 71, "{p}");
            assert!(
                p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            );
            assert!(!p.contains("kuro"));
        }
        let from_url = puid(None, Some("https://sns.example/p/1"));
        assert!(from_url.starts_with("sha256-"));
        assert_ne!(from_url, puid(Some("https://sns.example/p/1"), None));
    }

    #[test]
    fn sources_by_requester_kind() {
        assert_eq!(
            source_type(RequesterKind::Platform, false),
            "SOURCE_VOLUNTARY"
        );
        assert_eq!(source_type(RequesterKind::User, false), "SOURCE_ARTICLE_16");
        assert_eq!(
            source_type(RequesterKind::Police, false),
            "SOURCE_TYPE_OTHER_NOTIFICATION"
        );
        assert_eq!(
            source_type(RequesterKind::HotlineCenter, true),
            "SOURCE_TRUSTED_FLAGGER"
        );
    }

    #[test]
    fn language_codes() {
        assert_eq!(content_language("ja").as_deref(), Some("JA"));
        assert_eq!(content_language("en-GB").as_deref(), Some("EN"));
        assert_eq!(content_language("fil"), None);
    }
}

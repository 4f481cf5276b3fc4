//! The parts every payload shares: who asks, which post, what it says, and
//! the evidence. Also the checks that make a payload trustworthy: the
//! verdict's evidence must point at the text, URLs must be absolute
//! http(s), identifiers and free text must be well-formed.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::clock::{PayloadKind, Timestamp};
use super::error::PayloadError;
use super::post::Post;
use crate::category::Category;
use crate::pack::PackInfo;
use crate::verdict::{Evidence, Label, Verdict};

/// Who sends a payload.
///
/// Read from the requester file of `inochi act` (TOML: `organisation`,
/// `kind`, `contact`, optionally `representative`, `address`, `reference`).
///
/// ```
/// use inochi::act::{Requester, RequesterKind};
///
/// let r: Requester = toml::from_str(r#"
///     organisation = "Example Cyber Patrol"
///     kind = "cyber_patrol"
///     contact = "patrol@example.org"
/// "#).unwrap();
/// assert_eq!(r.kind, RequesterKind::CyberPatrol);
/// assert_eq!(r, Requester::new("Example Cyber Patrol", RequesterKind::CyberPatrol, "patrol@example.org"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requester {
    /// The organisation (or, for `user`, the person's display name).
    pub organisation: String,
    /// What kind of requester it is.
    pub kind: RequesterKind,
    /// How to reach the requester: an e-mail address, phone number or form.
    pub contact: String,
    /// The person responsible, if the letter should name one.
    #[serde(default)]
    pub representative: Option<String>,
    /// A postal address, if the letter should carry one.
    #[serde(default)]
    pub address: Option<String>,
    /// The requester's own reference for its requests.
    #[serde(default)]
    pub reference: Option<String>,
}

impl Requester {
    /// A requester with the three required fields.
    pub fn new(
        organisation: impl Into<String>,
        kind: RequesterKind,
        contact: impl Into<String>,
    ) -> Requester {
        Requester {
            organisation: organisation.into(),
            kind,
            contact: contact.into(),
            representative: None,
            address: None,
            reference: None,
        }
    }

    /// Checks every field; payload builders call it.
    pub fn validate(&self) -> Result<(), PayloadError> {
        check_text("requester.organisation", &self.organisation, 200)?;
        check_text("requester.contact", &self.contact, 300)?;
        if let Some(v) = &self.representative {
            check_text("requester.representative", v, 200)?;
        }
        if let Some(v) = &self.address {
            check_text("requester.address", v, 300)?;
        }
        if let Some(v) = &self.reference {
            check_text("requester.reference", v, 100)?;
        }
        Ok(())
    }
}

/// The kinds of requester in the chain that protects people (DESIGN.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequesterKind {
    /// The platform itself (its trust and safety team).
    Platform,
    /// A hotline center such as Japan's Internet Hotline Center.
    HotlineCenter,
    /// The police.
    Police,
    /// A cyber patrol (contracted company or organisation).
    CyberPatrol,
    /// A volunteer.
    Volunteer,
    /// A user of the service.
    User,
}

impl RequesterKind {
    /// The JSON identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            RequesterKind::Platform => "platform",
            RequesterKind::HotlineCenter => "hotline_center",
            RequesterKind::Police => "police",
            RequesterKind::CyberPatrol => "cyber_patrol",
            RequesterKind::Volunteer => "volunteer",
            RequesterKind::User => "user",
        }
    }

    /// The Japanese name, for letters.
    pub fn japanese(self) -> &'static str {
        match self {
            RequesterKind::Platform => "プラットフォーム事業者",
            RequesterKind::HotlineCenter => "ホットラインセンター",
            RequesterKind::Police => "警察",
            RequesterKind::CyberPatrol => "サイバーパトロール",
            RequesterKind::Volunteer => "ボランティア",
            RequesterKind::User => "利用者",
        }
    }

    /// The English name, for notices.
    pub fn english(self) -> &'static str {
        match self {
            RequesterKind::Platform => "platform",
            RequesterKind::HotlineCenter => "hotline center",
            RequesterKind::Police => "police",
            RequesterKind::CyberPatrol => "cyber patrol",
            RequesterKind::Volunteer => "volunteer",
            RequesterKind::User => "user",
        }
    }
}

impl fmt::Display for RequesterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The post a payload is about. Fields that were not given are `null`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The service's name (given, or else the URL's host).
    pub service: Option<String>,
    /// The exact URL of the post, as given.
    pub url: Option<String>,
    /// The post's id on the service.
    pub post_id: Option<String>,
    /// The poster's account id on the service.
    pub account_id: Option<String>,
    /// When the post was published.
    pub posted_at: Option<Timestamp>,
    /// When the requester saw it (default: the payload's creation time).
    pub observed_at: Timestamp,
}

/// What the post says: a bounded excerpt and a fingerprint of the whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    /// The text around the evidence, at most the builder's excerpt length,
    /// cut on character boundaries.
    pub excerpt: String,
    /// Where the excerpt starts in the full text, in Unicode scalar values.
    pub excerpt_char_start: usize,
    /// Where it ends (exclusive).
    pub excerpt_char_end: usize,
    /// True when the excerpt is not the whole text.
    pub truncated: bool,
    /// Length of the full text in Unicode scalar values.
    pub length_chars: usize,
    /// SHA-256 of the full text (UTF-8), lowercase hex.
    pub sha256: String,
    /// The post's language (BCP 47, e.g. `ja`, `en`).
    pub language: String,
}

impl Content {
    /// The excerpt with `…` where the full text goes on before or after it,
    /// as the letter, the police report and the DSA notice quote it.
    pub(crate) fn marked_excerpt(&self) -> String {
        let before = if self.excerpt_char_start > 0 {
            "…"
        } else {
            ""
        };
        let after = if self.excerpt_char_end < self.length_chars {
            "…"
        } else {
            ""
        };
        format!("{before}{}{after}", self.excerpt)
    }
}

/// Why: the evidence behind the payload, for audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    /// The category the payload acts on.
    pub category: Category,
    /// Its score in 0..=1.
    pub score: f64,
    /// The rules that fired for it, sorted, without repeats.
    pub rules: Vec<String>,
    /// Every piece of evidence for it, as in the verdict.
    pub spans: Vec<Evidence>,
    /// Every label of the verdict with its score, most severe first.
    pub labels: Vec<LabelScore>,
    /// The classifier that produced the verdict.
    pub classifier: ClassifierInfo,
    /// The rule pack that produced the verdict.
    pub pack: PackInfo,
}

/// A category and its score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelScore {
    /// The category.
    pub category: Category,
    /// Its score.
    pub score: f64,
}

/// Name and version of the classifier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassifierInfo {
    /// Always `inochi`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

impl ClassifierInfo {
    /// This library.
    pub fn current() -> ClassifierInfo {
        ClassifierInfo {
            name: "inochi".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

impl EvidenceRecord {
    pub(crate) fn new(verdict: &Verdict, label: &Label) -> EvidenceRecord {
        let mut rules: Vec<String> = label.evidence.iter().map(|e| e.rule.clone()).collect();
        rules.sort();
        rules.dedup();
        EvidenceRecord {
            category: label.category,
            score: label.score,
            rules,
            spans: label.evidence.clone(),
            labels: verdict
                .labels
                .iter()
                .map(|l| LabelScore {
                    category: l.category,
                    score: l.score,
                })
                .collect(),
            classifier: ClassifierInfo::current(),
            pack: verdict.pack.clone(),
        }
    }

    /// The distinct spans of the evidence, in text order, each with the
    /// concepts found there: what a letter quotes.
    pub fn distinct_spans(&self) -> Vec<(&Evidence, Vec<&str>)> {
        let mut out: Vec<(&Evidence, Vec<&str>)> = Vec::new();
        for e in &self.spans {
            match out
                .iter_mut()
                .find(|(o, _)| o.byte_start == e.byte_start && o.byte_end == e.byte_end)
            {
                Some((_, concepts)) => {
                    if !concepts.contains(&e.concept.as_str()) {
                        concepts.push(&e.concept);
                    }
                }
                None => out.push((e, vec![e.concept.as_str()])),
            }
        }
        out.sort_by_key(|(e, _)| (e.byte_start, e.byte_end));
        out
    }
}

/// Text in Japanese and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

/// Checks that every piece of evidence of every label points at `text`:
/// in range, on character boundaries, the same characters, the same char
/// offsets.
pub(crate) fn check_evidence(verdict: &Verdict, text: &str) -> Result<(), PayloadError> {
    for label in &verdict.labels {
        for e in &label.evidence {
            let found = if e.byte_start <= e.byte_end
                && e.byte_end <= text.len()
                && text.is_char_boundary(e.byte_start)
                && text.is_char_boundary(e.byte_end)
            {
                Some(&text[e.byte_start..e.byte_end])
            } else {
                None
            };
            let ok = found == Some(e.text.as_str())
                && text[..e.byte_start].chars().count() == e.char_start
                && e.char_start + e.text.chars().count() == e.char_end;
            if !ok {
                return Err(PayloadError::EvidenceMismatch {
                    rule: e.rule.clone(),
                    byte_start: e.byte_start,
                    byte_end: e.byte_end,
                    char_start: e.char_start,
                    char_end: e.char_end,
                    expected: e.text.clone(),
                    found: found.unwrap_or_default().to_string(),
                });
            }
        }
    }
    Ok(())
}

/// The SHA-256 of `text` as lowercase hex.
pub(crate) fn sha256_hex(text: &str) -> String {
    crate::pack::hex(&Sha256::digest(text.as_bytes()))
}

/// Builds [`Content`]: an excerpt of at most `max_chars` characters around
/// the evidence spans.
pub(crate) fn content(
    text: &str,
    spans: &[Evidence],
    max_chars: usize,
    language: String,
) -> Content {
    let (start, end) = excerpt_range(text, spans, max_chars);
    let total = text.chars().count();
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    Content {
        excerpt: text[byte(start)..byte(end)].to_string(),
        excerpt_char_start: start,
        excerpt_char_end: end,
        truncated: start > 0 || end < total,
        length_chars: total,
        sha256: sha256_hex(text),
        language,
    }
}

/// The char range of the excerpt: the whole text if it fits; otherwise the
/// evidence, centred, padded with context up to `max_chars`; if even the
/// evidence does not fit, `max_chars` from just before the first span.
pub(crate) fn excerpt_range(text: &str, spans: &[Evidence], max_chars: usize) -> (usize, usize) {
    let total = text.chars().count();
    if total <= max_chars {
        return (0, total);
    }
    let first = spans.iter().map(|e| e.char_start).min().unwrap_or(0);
    let last = spans.iter().map(|e| e.char_end).max().unwrap_or(0);
    let core = last.saturating_sub(first);
    let start = if core <= max_chars {
        let pad = (max_chars - core) / 2;
        first.saturating_sub(pad).min(total - max_chars)
    } else {
        first.saturating_sub(max_chars / 10).min(total - max_chars)
    };
    (start, start + max_chars)
}

/// Free text: not blank, at most `max` characters, no control characters.
pub(crate) fn check_text(field: &str, value: &str, max: usize) -> Result<(), PayloadError> {
    let reason = if value.trim().is_empty() {
        Some("is empty; give a value".to_string())
    } else if value.chars().count() > max {
        Some(format!("is longer than {max} characters; shorten it"))
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        Some("has control characters; remove them".to_string())
    } else {
        None
    };
    match reason {
        Some(reason) => Err(PayloadError::InvalidText {
            field: field.to_string(),
            reason,
        }),
        None => Ok(()),
    }
}

const PAYLOAD_ID_RULE: &str = "a payload id is 1 to 128 characters of A-Z a-z 0-9 . _ : - and starts with a letter or digit; fix the IdSource";
const POST_ID_RULE: &str = "an identifier on the service is 1 to 256 characters without spaces or control characters; give it as the service shows it";

/// A payload id from an [`IdSource`](super::IdSource).
pub(crate) fn check_payload_id(value: &str) -> Result<(), PayloadError> {
    let ok = (1..=128).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'));
    if ok {
        Ok(())
    } else {
        Err(PayloadError::InvalidId {
            field: "id".into(),
            value: value.into(),
            rule: PAYLOAD_ID_RULE,
        })
    }
}

/// A post or account id: 1–256 chars, no whitespace or control characters.
pub(crate) fn check_service_id(field: &str, value: &str) -> Result<(), PayloadError> {
    let n = value.chars().count();
    if (1..=256).contains(&n) && !value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        Err(PayloadError::InvalidId {
            field: field.into(),
            value: value.into(),
            rule: POST_ID_RULE,
        })
    }
}

/// An absolute http(s) URL with a host, kept exactly as written.
pub(crate) fn check_url(field: &str, value: &str) -> Result<(), PayloadError> {
    let err = |reason: &str| PayloadError::InvalidUrl {
        field: field.into(),
        value: value.into(),
        reason: reason.into(),
    };
    if value.len() > 2048 {
        return Err(err("longer than 2048 bytes"));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err("has spaces or control characters"));
    }
    let url = url::Url::parse(value).map_err(|e| err(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(err(&format!(
            "scheme {:?}, only http and https are accepted",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(err("no host"));
    }
    let prefix = format!("{}://", url.scheme());
    if !value
        .get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(&prefix))
    {
        return Err(err("not of the form scheme://host/…"));
    }
    Ok(())
}

/// A BCP 47 language tag of the simple kind: `ja`, `en`, `en-GB`, `zh-Hant`.
pub(crate) fn check_language(field: &str, value: &str) -> Result<(), PayloadError> {
    let mut parts = value.split('-');
    let primary = parts.next().unwrap_or_default();
    let ok = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(PayloadError::InvalidOption {
            field: field.into(),
            value: value.into(),
            reason: "a language is a BCP 47 tag such as ja, en or en-GB (lowercase language first)"
                .into(),
        })
    }
}

/// `ja` when the text has kana or kanji, `en` otherwise.
pub(crate) fn detect_language(text: &str) -> &'static str {
    let japanese = text.chars().any(|c| {
        matches!(c as u32,
            0x3040..=0x30FF   // hiragana, katakana
            | 0x3400..=0x4DBF // CJK extension A
            | 0x4E00..=0x9FFF // CJK unified ideographs
            | 0xFF66..=0xFF9F // half-width katakana
        )
    });
    if japanese { "ja" } else { "en" }
}

/// The post's language: as given (validated), else detected.
pub(crate) fn language(post: &Post<'_>) -> Result<String, PayloadError> {
    match &post.language {
        Some(l) => {
            check_language("post.language", l)?;
            Ok(l.clone())
        }
        None => Ok(detect_language(post.text).to_string()),
    }
}

/// Builds the [`Target`]. With `strict`, a malformed field is an error;
/// without (emergency reports), it is left out and a warning says why, so
/// that a report about a life at risk is never held back by metadata.
pub(crate) fn target(
    post: &Post<'_>,
    created_at: Timestamp,
    strict: bool,
    warnings: &mut Vec<String>,
) -> Result<Target, PayloadError> {
    let mut keep = |r: Result<(), PayloadError>| -> Result<bool, PayloadError> {
        match r {
            Ok(()) => Ok(true),
            Err(e) if strict => Err(e),
            Err(e) => {
                warnings.push(format!("{e}; left out"));
                Ok(false)
            }
        }
    };
    let mut t = Target {
        service: None,
        url: None,
        post_id: None,
        account_id: None,
        posted_at: None,
        observed_at: created_at,
    };
    if let Some(v) = &post.url
        && keep(check_url("target.url", v))?
    {
        t.url = Some(v.clone());
    }
    if let Some(v) = &post.service
        && keep(check_text("target.service", v, 200))?
    {
        t.service = Some(v.clone());
    }
    if t.service.is_none()
        && let Some(u) = &t.url
    {
        t.service = url::Url::parse(u)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
    }
    if let Some(v) = &post.post_id
        && keep(check_service_id("target.post_id", v))?
    {
        t.post_id = Some(v.clone());
    }
    if let Some(v) = &post.account_id
        && keep(check_service_id("target.account_id", v))?
    {
        t.account_id = Some(v.clone());
    }
    if let Some(v) = &post.posted_at {
        match Timestamp::parse(v, "target.posted_at") {
            Ok(ts) => t.posted_at = Some(ts),
            Err(e) => {
                keep(Err(e))?;
            }
        }
    }
    if let Some(v) = &post.observed_at {
        match Timestamp::parse(v, "target.observed_at") {
            Ok(ts) => t.observed_at = ts,
            Err(e) => {
                keep(Err(e))?;
            }
        }
    }
    Ok(t)
}

/// The digest an [`IdSource`](super::IdSource) may derive ids from.
pub(crate) fn digest(
    kind: PayloadKind,
    created_at: Timestamp,
    post: &Post<'_>,
    category: Category,
) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [
        kind.as_str(),
        &created_at.to_string(),
        category.as_str(),
        &sha256_hex(post.text),
        post.url.as_deref().unwrap_or(""),
        post.post_id.as_deref().unwrap_or(""),
        post.account_id.as_deref().unwrap_or(""),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

/// The label for `category`, or the error that says which labels there are.
pub(crate) fn label(verdict: &Verdict, category: Category) -> Result<&Label, PayloadError> {
    verdict
        .label(category)
        .ok_or_else(|| PayloadError::CategoryNotInVerdict {
            category,
            found: if verdict.labels.is_empty() {
                "none".into()
            } else {
                verdict
                    .labels
                    .iter()
                    .map(|l| l.category.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        })
}

/// Cuts `s` to at most `max` characters, on a character boundary, ending
/// with `…` when cut.
pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(text: &str, start: usize, end: usize) -> Evidence {
        let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
        Evidence {
            rule: "r".into(),
            concept: "C".into(),
            byte_start: byte(start),
            byte_end: byte(end),
            char_start: start,
            char_end: end,
            text: text.chars().skip(start).take(end - start).collect(),
        }
    }

    #[test]
    fn short_text_is_its_own_excerpt() {
        let t = "死にたい";
        let c = content(t, &[ev(t, 0, 2)], 200, "ja".into());
        assert_eq!(c.excerpt, t);
        assert!(!c.truncated);
        assert_eq!((c.excerpt_char_start, c.excerpt_char_end), (0, 4));
    }

    #[test]
    fn long_text_is_cut_around_the_evidence_on_char_boundaries() {
        let t = format!("{}一緒に死のう{}", "あ".repeat(300), "い".repeat(300));
        let e = ev(&t, 300, 306);
        let c = content(&t, std::slice::from_ref(&e), 50, "ja".into());
        assert_eq!(c.excerpt.chars().count(), 50);
        assert!(c.excerpt.contains("一緒に死のう"));
        assert!(c.truncated);
        assert_eq!(c.length_chars, 606);
        assert_eq!(c.excerpt_char_start, 300 - 22);
    }

    #[test]
    fn evidence_longer_than_the_limit_starts_near_the_first_span() {
        let t = "x".repeat(1000);
        let (s, e) = excerpt_range(&t, &[ev(&t, 500, 510), ev(&t, 900, 910)], 100);
        assert_eq!((s, e), (490, 590));
        let (s, e) = excerpt_range(&t, &[ev(&t, 995, 1000)], 100);
        assert_eq!((s, e), (900, 1000));
    }

    #[test]
    fn urls_must_be_absolute_http() {
        for ok in [
            "https://sns.example/@a/posts/1",
            "http://sns.example/p?id=1#x",
            "https://例え.テスト/投稿/1",
        ] {
            check_url("target.url", ok).unwrap();
        }
        for bad in [
            "sns.example/posts/1",
            "/posts/1",
            "ftp://sns.example/1",
            "javascript:alert(1)",
            "https://",
            "https://sns.example/a b",
            "mailto:a@b.example",
            "https:sns.example/1",
        ] {
            let e = check_url("target.url", bad).unwrap_err();
            assert!(e.to_string().contains("target.url"), "{e}");
        }
    }

    #[test]
    fn ids_and_texts_are_checked() {
        check_payload_id("td-0123abcd").unwrap();
        assert!(check_payload_id("").is_err());
        assert!(check_payload_id("-x").is_err());
        assert!(check_payload_id("a b").is_err());
        check_service_id("target.post_id", "1001").unwrap();
        check_service_id("target.account_id", "@kuro_2024").unwrap();
        assert!(check_service_id("target.post_id", "10 01").is_err());
        assert!(check_service_id("target.post_id", "").is_err());
        assert!(check_text("requester.contact", " ", 10).is_err());
        assert!(check_text("requester.contact", "a\u{7}", 10).is_err());
        assert!(check_text("requester.contact", "abcdefghijk", 10).is_err());
    }

    #[test]
    fn languages() {
        assert_eq!(detect_language("死にたい"), "ja");
        assert_eq!(detect_language("ｼﾈ"), "ja");
        assert_eq!(detect_language("i want to die"), "en");
        check_language("l", "en-GB").unwrap();
        assert!(check_language("l", "EN").is_err());
        assert!(check_language("l", "english").is_err());
    }

    #[test]
    fn truncation_counts_chars() {
        assert_eq!(truncate_chars("あいうえお", 5), "あいうえお");
        assert_eq!(truncate_chars("あいうえお", 3), "あい…");
    }
}

//! Emergency reports (自殺予告事案): for `announcement`, a post that says a
//! person is about to die.
//!
//! A report is never held back by metadata: a missing optional field is
//! `null`, a malformed one is left out and named in `warnings`. What is
//! asked depends on who asks: anyone asks the police for an immediate
//! response; the police ask the provider to disclose who posted, under the
//! emergency-necessity (緊急避難) provision of the telecom industry's
//! guideline on suicide announcements.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::clock::{Clock, DigestIds, IdSource, PayloadKind, SystemClock, Timestamp};
use super::error::PayloadError;
use super::post::Post;
use super::record::{self, Content, EvidenceRecord, Requester, RequesterKind, Target};
use super::tags::EmergencyReportType;
use super::takedown::DEFAULT_EXCERPT_CHARS;
use crate::category::Category;
use crate::verdict::Verdict;

/// The Japanese telecom industry's guideline on suicide announcements.
pub const SUICIDE_ANNOUNCEMENT_GUIDELINE: &str =
    "インターネット上の自殺予告事案への対応に関するガイドライン";

/// A report that a person may be about to die.
///
/// ```
/// use inochi::Classifier;
/// use inochi::act::{EmergencyReport, FixedClock, Post, Requester, RequesterKind, SignalKind, Urgency};
///
/// let classifier = Classifier::new()?;
/// let text = "今夜ビルの屋上から飛び降ります。さようなら";
/// let verdict = classifier.classify(text);
/// let requester = Requester::new("Example SNS Trust & Safety", RequesterKind::Platform, "trust@sns.example");
/// // No URL, no ids: the report is built all the same.
/// let post = Post::new(text);
/// let clock = FixedClock::parse("2025-03-15T21:50:00+09:00")?;
/// let report = EmergencyReport::builder(&verdict, &post, &requester).clock(&clock).build()?;
///
/// assert_eq!(report.urgency, Urgency::Immediate);
/// assert!(report.signals.iter().any(|s| s.kind == SignalKind::Time && s.text == "今夜"));
/// assert!(report.signals.iter().any(|s| s.kind == SignalKind::Farewell));
/// assert!(report.to_police_report().contains("自殺予告事案"));
/// assert!(report.to_dsa_notice().contains("Article 18"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmergencyReport {
    /// Always `emergency_report`.
    #[serde(rename = "type")]
    pub kind: EmergencyReportType,
    /// The report's id.
    pub id: String,
    /// When the report was made.
    pub created_at: Timestamp,
    /// How soon someone must act.
    pub urgency: Urgency,
    /// Who reports.
    pub requester: Requester,
    /// The post and its poster's identifiers, as far as known.
    pub target: Target,
    /// What it says.
    pub content: Content,
    /// Time, place, means and farewell found in the post, with spans.
    pub signals: Vec<Signal>,
    /// What is asked, of whom.
    pub asks: Vec<Ask>,
    /// The evidence, for audit.
    pub evidence: EvidenceRecord,
    /// Optional fields that were malformed and left out.
    pub warnings: Vec<String>,
}

/// How soon someone must act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// A time, a place or an act under way is named: act now.
    Immediate,
    /// A concrete announcement without a time or place: act today.
    High,
}

/// A concrete sign in the post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// What it is.
    pub kind: SignalKind,
    /// The concept it was found as (`A+B` when overlapping evidence of
    /// several concepts was merged).
    pub concept: String,
    /// The words, as written.
    pub text: String,
    /// Byte offset into the text.
    pub byte_start: usize,
    /// End byte offset (exclusive).
    pub byte_end: usize,
    /// Offset in Unicode scalar values.
    pub char_start: usize,
    /// End offset (exclusive) in Unicode scalar values.
    pub char_end: usize,
}

/// The kinds of sign that make an announcement concrete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// A time expression ("今夜", "tonight").
    Time,
    /// A place, or being at one ("屋上", "on the ledge").
    Place,
    /// A means ("飛び降り", "首を吊").
    Means,
    /// A farewell, a letter, speaking as if gone ("さようなら", "遺書").
    Farewell,
    /// An act already under way (means taken, set going, standing at the edge).
    UnderWay,
}

impl SignalKind {
    fn japanese(self) -> &'static str {
        match self {
            SignalKind::Time => "時期",
            SignalKind::Place => "場所",
            SignalKind::Means => "手段",
            SignalKind::Farewell => "別れの言葉",
            SignalKind::UnderWay => "既に行為に及んでいる兆候",
        }
    }

    fn english(self) -> &'static str {
        match self {
            SignalKind::Time => "time",
            SignalKind::Place => "place",
            SignalKind::Means => "means",
            SignalKind::Farewell => "farewell",
            SignalKind::UnderWay => "act under way",
        }
    }
}

/// Which concept of the default packs is which kind of signal. Concepts not
/// listed (DIE, WILL, …) are not signals; an operator's pack can add more
/// with [`EmergencyBuilder::signal_concept`].
pub const SIGNAL_CONCEPTS: &[(&str, SignalKind)] = &[
    ("TIME", SignalKind::Time),
    ("EN_TIME", SignalKind::Time),
    ("PLACE", SignalKind::Place),
    ("EDGE", SignalKind::Place),
    ("MEANS", SignalKind::Means),
    ("HANG", SignalKind::Means),
    ("LEAP", SignalKind::Means),
    ("LEAP_STRONG", SignalKind::Means),
    ("LETHAL", SignalKind::Means),
    ("ROPE", SignalKind::Means),
    ("DRUG", SignalKind::Means),
    ("EN_METHOD", SignalKind::Means),
    ("FAREWELL", SignalKind::Farewell),
    ("EN_FAREWELL", SignalKind::Farewell),
    ("LETTER", SignalKind::Farewell),
    ("GONE", SignalKind::Farewell),
    ("LAST_POST", SignalKind::Farewell),
    ("CUT", SignalKind::UnderWay),
    ("LIT", SignalKind::UnderWay),
    ("TOOK_ALL", SignalKind::UnderWay),
    ("TOOK_SOME", SignalKind::UnderWay),
    ("EN_EDGE", SignalKind::UnderWay),
];

/// Something the report asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ask {
    /// What is asked.
    pub action: AskAction,
    /// Of whom.
    pub addressee: Addressee,
    /// On what basis, when there is a specific one.
    pub basis: Option<String>,
}

/// What an emergency report asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AskAction {
    /// Find the person and protect them now.
    ImmediatePoliceResponse,
    /// Tell the police who posted (name, address, contact, access logs).
    DisclosePosterIdentity,
}

/// Who is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Addressee {
    /// The police.
    Police,
    /// The service provider.
    Provider,
}

/// Builds an [`EmergencyReport`]; see [`EmergencyReport::builder`].
#[must_use]
pub struct EmergencyBuilder<'a> {
    verdict: &'a Verdict,
    post: &'a Post<'a>,
    requester: &'a Requester,
    clock: &'a dyn Clock,
    ids: &'a dyn IdSource,
    excerpt_chars: usize,
    extra_concepts: Vec<(String, SignalKind)>,
}

impl EmergencyReport {
    /// Starts a report for `post`, classified as `verdict`, which must
    /// carry an `announcement` label.
    pub fn builder<'a>(
        verdict: &'a Verdict,
        post: &'a Post<'a>,
        requester: &'a Requester,
    ) -> EmergencyBuilder<'a> {
        EmergencyBuilder {
            verdict,
            post,
            requester,
            clock: &SystemClock,
            ids: &DigestIds,
            excerpt_chars: DEFAULT_EXCERPT_CHARS,
            extra_concepts: Vec::new(),
        }
    }

    /// The report as one line of canonical JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an emergency report always serializes")
    }
}

impl<'a> EmergencyBuilder<'a> {
    /// The clock for `created_at` (default: the system clock).
    pub fn clock(mut self, clock: &'a dyn Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The id source (default: [`DigestIds`]).
    pub fn ids(mut self, ids: &'a dyn IdSource) -> Self {
        self.ids = ids;
        self
    }

    /// Maximum excerpt length in characters (default 200; values outside
    /// 20..=2000 are clamped, never refused).
    pub fn excerpt_chars(mut self, chars: usize) -> Self {
        self.excerpt_chars = chars;
        self
    }

    /// Treats the concept `concept` of an operator's pack as a signal.
    pub fn signal_concept(mut self, concept: impl Into<String>, kind: SignalKind) -> Self {
        self.extra_concepts.push((concept.into(), kind));
        self
    }

    /// Builds the report. Fails only when the verdict has no announcement,
    /// its evidence does not match the text, the requester is invalid or
    /// the id source gives a bad id.
    pub fn build(self) -> Result<EmergencyReport, PayloadError> {
        let label =
            self.verdict
                .label(Category::Announcement)
                .ok_or(PayloadError::NotAnAnnouncement {
                    primary: self.verdict.primary,
                })?;
        self.requester.validate()?;
        record::check_evidence(self.verdict, self.post.text)?;
        let created_at = self.clock.now();
        let mut warnings = Vec::new();
        let target = record::target(self.post, created_at, false, &mut warnings)?;
        let language = match record::language(self.post) {
            Ok(l) => l,
            Err(e) => {
                warnings.push(format!("{e}; detected from the text instead"));
                record::detect_language(self.post.text).to_string()
            }
        };
        let content = record::content(
            self.post.text,
            &label.evidence,
            self.excerpt_chars.clamp(20, 2000),
            language,
        );
        let kind_of = |concept: &str| {
            SIGNAL_CONCEPTS
                .iter()
                .map(|(c, k)| (*c, *k))
                .chain(self.extra_concepts.iter().map(|(c, k)| (c.as_str(), *k)))
                .find(|(c, _)| *c == concept)
                .map(|(_, k)| k)
        };
        let mut signals: Vec<Signal> = Vec::new();
        for e in &label.evidence {
            let Some(kind) = kind_of(&e.concept) else {
                continue;
            };
            if signals
                .iter()
                .any(|s| s.kind == kind && s.byte_start == e.byte_start && s.byte_end == e.byte_end)
            {
                continue;
            }
            signals.push(Signal {
                kind,
                concept: e.concept.clone(),
                text: e.text.clone(),
                byte_start: e.byte_start,
                byte_end: e.byte_end,
                char_start: e.char_start,
                char_end: e.char_end,
            });
        }
        let signals = merge_overlapping(signals, self.post.text);
        let urgency = if signals.iter().any(|s| {
            matches!(
                s.kind,
                SignalKind::Time | SignalKind::Place | SignalKind::UnderWay
            )
        }) {
            Urgency::Immediate
        } else {
            Urgency::High
        };
        let asks = match self.requester.kind {
            RequesterKind::Police => vec![Ask {
                action: AskAction::DisclosePosterIdentity,
                addressee: Addressee::Provider,
                basis: Some(format!("{SUICIDE_ANNOUNCEMENT_GUIDELINE}（緊急避難）")),
            }],
            _ => vec![Ask {
                action: AskAction::ImmediatePoliceResponse,
                addressee: Addressee::Police,
                basis: None,
            }],
        };
        let digest = record::digest(
            PayloadKind::EmergencyReport,
            created_at,
            self.post,
            Category::Announcement,
        );
        let id = self.ids.id(PayloadKind::EmergencyReport, &digest);
        record::check_payload_id(&id)?;
        Ok(EmergencyReport {
            kind: EmergencyReportType,
            id,
            created_at,
            urgency,
            requester: self.requester.clone(),
            target,
            content,
            signals,
            asks,
            evidence: EvidenceRecord::new(self.verdict, label),
            warnings,
        })
    }
}

/// Merges overlapping signals of the same kind ("屋上から飛", "飛び降り" →
/// "屋上から飛び降り"), so a report names each sign once; then sorts them
/// in text order.
fn merge_overlapping(mut signals: Vec<Signal>, text: &str) -> Vec<Signal> {
    signals.sort_by_key(|s| (s.kind, s.byte_start, s.byte_end));
    let mut out: Vec<Signal> = Vec::new();
    for s in signals {
        match out.last_mut() {
            Some(last) if last.kind == s.kind && s.byte_start < last.byte_end => {
                if s.byte_end > last.byte_end {
                    last.byte_end = s.byte_end;
                    last.text = text[last.byte_start..last.byte_end].to_string();
                    last.char_end = last.char_start + last.text.chars().count();
                }
                if !last.concept.split('+').any(|c| c == s.concept) {
                    last.concept = format!("{}+{}", last.concept, s.concept);
                }
            }
            _ => out.push(s),
        }
    }
    out.sort_by_key(|s| (s.byte_start, s.byte_end, s.kind));
    out
}

impl EmergencyReport {
    /// Japanese text for a police report (自殺予告事案 通報書), or, when the
    /// requester is the police, for their request to the provider.
    pub fn to_police_report(&self) -> String {
        let mut s = String::new();
        let police = self.requester.kind == RequesterKind::Police;
        let unknown = "（不明）";
        let t = &self.target;
        let _ = writeln!(
            s,
            "{}",
            if police {
                "自殺予告事案に係る発信者情報の開示要請"
            } else {
                "自殺予告事案 通報書"
            }
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "通報番号：{}", self.id);
        let _ = writeln!(s, "作成日時：{}", self.created_at.to_japanese());
        let _ = writeln!(
            s,
            "緊急度：{}",
            match self.urgency {
                Urgency::Immediate => "至急（生命に差し迫った危険のおそれ）",
                Urgency::High => "緊急（具体的な自殺の予告）",
            }
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "【宛先】");
        let _ = writeln!(
            s,
            "{}",
            if police {
                format!(
                    "{} ご担当者様",
                    t.service.as_deref().unwrap_or("サービス運営者")
                )
            } else {
                "警察 ご担当者様".to_string()
            }
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "【通報者】");
        let r = &self.requester;
        let _ = writeln!(s, "{}（{}）", r.organisation, r.kind.japanese());
        if let Some(v) = &r.representative {
            let _ = writeln!(s, "担当：{v}");
        }
        let _ = writeln!(s, "連絡先：{}", r.contact);
        let _ = writeln!(s);
        let _ = writeln!(s, "【対象投稿】");
        let _ = writeln!(s, "サービス：{}", t.service.as_deref().unwrap_or(unknown));
        let _ = writeln!(s, "URL：{}", t.url.as_deref().unwrap_or(unknown));
        let _ = writeln!(s, "投稿ID：{}", t.post_id.as_deref().unwrap_or(unknown));
        let _ = writeln!(
            s,
            "アカウントID：{}",
            t.account_id.as_deref().unwrap_or(unknown)
        );
        let _ = writeln!(
            s,
            "投稿日時：{}",
            t.posted_at.map_or(unknown.to_string(), |p| p.to_japanese())
        );
        let _ = writeln!(s, "確認日時：{}", t.observed_at.to_japanese());
        let _ = writeln!(s);
        let _ = writeln!(s, "【投稿内容（抜粋）】");
        let c = &self.content;
        let _ = writeln!(s, "「{}」", c.marked_excerpt());
        let _ = writeln!(s, "（本文全体の SHA-256：{}）", c.sha256);
        let _ = writeln!(s);
        let _ = writeln!(s, "【検知された兆候】");
        if self.signals.is_empty() {
            let _ = writeln!(s, "（個別の兆候は抽出されていません）");
        }
        for sig in &self.signals {
            let _ = writeln!(
                s,
                "・{}：「{}」（{}文字目）",
                sig.kind.japanese(),
                sig.text,
                sig.char_start + 1
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "【要請事項】");
        for ask in &self.asks {
            match ask.action {
                AskAction::ImmediatePoliceResponse => {
                    let _ = writeln!(
                        s,
                        "・投稿者の生命に差し迫った危険があるおそれがあります。至急、所在の確認と保護をお願いします。"
                    );
                }
                AskAction::DisclosePosterIdentity => {
                    let _ = writeln!(
                        s,
                        "・投稿者の生命を守るため、{}に基づき、緊急避難として、投稿者の氏名、住所、連絡先及び接続記録等の開示をお願いします。",
                        SUICIDE_ANNOUNCEMENT_GUIDELINE
                    );
                }
            }
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "【補足】");
            let _ = writeln!(s, "次の項目は形式が正しくないため省略しました：");
            for w in &self.warnings {
                let _ = writeln!(s, "・{w}");
            }
        }
        let _ = writeln!(s);
        let e = &self.evidence;
        let _ = writeln!(
            s,
            "判定記録：{} {}／ルールパック {} {}（{}）／判定規則 {}（スコア {}）",
            e.classifier.name,
            e.classifier.version,
            e.pack.name,
            e.pack.version,
            e.pack.hash,
            e.rules.join(", "),
            e.score
        );
        s
    }

    /// English notice to law enforcement under Article 18 of the EU Digital
    /// Services Act (information giving rise to a suspicion of a threat to
    /// the life or safety of a person).
    pub fn to_dsa_notice(&self) -> String {
        let mut s = String::new();
        let unknown = "(unknown)";
        let t = &self.target;
        let _ = writeln!(
            s,
            "NOTICE OF A THREAT TO LIFE: Article 18 of Regulation (EU) 2022/2065 (Digital Services Act)"
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "Reference: {}", self.id);
        let _ = writeln!(s, "Date: {}", self.created_at.to_english());
        let _ = writeln!(
            s,
            "Urgency: {}",
            match self.urgency {
                Urgency::Immediate => "IMMEDIATE: a life may be at imminent risk",
                Urgency::High => "HIGH: a concrete announcement of suicide",
            }
        );
        let _ = writeln!(s);
        let r = &self.requester;
        let _ = writeln!(
            s,
            "Notifying party: {} ({}), contact: {}",
            r.organisation,
            r.kind.english(),
            r.contact
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "Information concerned:");
        let _ = writeln!(s, "  Service: {}", t.service.as_deref().unwrap_or(unknown));
        let _ = writeln!(s, "  URL: {}", t.url.as_deref().unwrap_or(unknown));
        let _ = writeln!(s, "  Post id: {}", t.post_id.as_deref().unwrap_or(unknown));
        let _ = writeln!(
            s,
            "  Account id: {}",
            t.account_id.as_deref().unwrap_or(unknown)
        );
        let _ = writeln!(
            s,
            "  Posted at: {}",
            t.posted_at.map_or(unknown.to_string(), |p| p.to_english())
        );
        let _ = writeln!(s, "  Seen at: {}", t.observed_at.to_english());
        let c = &self.content;
        let _ = writeln!(
            s,
            "  Excerpt (original language, {}): \"{}\"",
            c.language,
            c.marked_excerpt()
        );
        let _ = writeln!(s, "  SHA-256 of the full text: {}", c.sha256);
        let _ = writeln!(s);
        let _ = writeln!(s, "Why this indicates a threat to life:");
        let _ = writeln!(
            s,
            "  The post was classified as a first-person, concrete announcement of suicide (score {}, rules {}).",
            self.evidence.score,
            self.evidence.rules.join(", ")
        );
        for sig in &self.signals {
            let _ = writeln!(
                s,
                "  - {}: \"{}\" (character {})",
                sig.kind.english(),
                sig.text,
                sig.char_start + 1
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "Requested:");
        for ask in &self.asks {
            match ask.action {
                AskAction::ImmediatePoliceResponse => {
                    let _ = writeln!(
                        s,
                        "  Immediate action by the competent law enforcement authority to locate and protect the person."
                    );
                }
                AskAction::DisclosePosterIdentity => {
                    let _ = writeln!(
                        s,
                        "  Disclosure by the provider of the poster's identity, contact details and access records, to protect the person's life."
                    );
                }
            }
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "Left out (malformed):");
            for w in &self.warnings {
                let _ = writeln!(s, "  - {w}");
            }
        }
        let _ = writeln!(s);
        let e = &self.evidence;
        let _ = writeln!(
            s,
            "Detection: {} {}, rule pack {} {} ({}). Automated detection; please verify.",
            e.classifier.name, e.classifier.version, e.pack.name, e.pack.version, e.pack.hash
        );
        s
    }
}

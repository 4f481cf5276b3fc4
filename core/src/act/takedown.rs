//! Takedown requests (削除依頼): for `inducement`, `method` and, where the
//! operator's policy says so, `incitement`.
//!
//! The grounds differ by category (DESIGN.md, "Categories"):
//! `inducement` is the Internet Hotline Center's 自殺誘引等情報 (自殺関与 or
//! 誘引・勧誘) and the model terms-of-service clause against inducing or
//! soliciting suicide; `method` is outside the Hotline Center's scope and
//! rests on the platform's terms (harmful information); `incitement` rests
//! on the platform's terms. A cry for help (`ideation`) is never a ground.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::clock::{Clock, DigestIds, IdSource, PayloadKind, SystemClock, Timestamp};
use super::error::PayloadError;
use super::post::Post;
use super::record::{
    self, Content, EvidenceRecord, Localized, Requester, Target, check_evidence, check_text,
};
use super::tags::TakedownRequestType;
use crate::category::Category;
use crate::verdict::{Label, Verdict};

/// Default length of the excerpt, in characters.
pub const DEFAULT_EXCERPT_CHARS: usize = 200;
/// Default response window: 7 days, what Japan's Information Distribution
/// Platform Act expects of large platforms.
pub const DEFAULT_RESPONSE_DAYS: u32 = 7;

/// A request to take down a post that lures people into suicide.
///
/// Built only from a [`Verdict`] and the text it was made for, by
/// [`TakedownRequest::builder`]. Renderings: [`to_json`](Self::to_json),
/// [`to_letter`](Self::to_letter) (Japanese 削除依頼) and
/// [`to_dsa`](Self::to_dsa) (EU DSA statement of reasons).
///
/// ```
/// use inochi::{Category, Classifier};
/// use inochi::act::{FixedClock, Post, Requester, RequesterKind, TakedownRequest};
///
/// let classifier = Classifier::new()?;
/// let text = "一緒に死ねる人を探しています。DMください";
/// let verdict = classifier.classify(text);
/// let requester = Requester::new("Example Cyber Patrol", RequesterKind::CyberPatrol, "patrol@example.org");
/// let post = Post::new(text).url("https://sns.example/@kuro_2024/posts/1001").post_id("1001");
/// let clock = FixedClock::parse("2025-03-15T09:00:00+09:00")?;
///
/// let request = TakedownRequest::builder(&verdict, &post, &requester).clock(&clock).build()?;
/// assert_eq!(request.category, Category::Inducement);
/// assert_eq!(request.response_deadline.to_string(), "2025-03-22T09:00:00+09:00");
/// assert!(request.to_json().starts_with(r#"{"type":"takedown_request","id":"td-"#));
/// assert!(request.to_letter().contains("【回答期限】"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TakedownRequest {
    /// Always `takedown_request`.
    #[serde(rename = "type")]
    pub kind: TakedownRequestType,
    /// The request's id.
    pub id: String,
    /// When the request was made.
    pub created_at: Timestamp,
    /// Who asks.
    pub requester: Requester,
    /// The post.
    pub target: Target,
    /// What it says.
    pub content: Content,
    /// The category the request rests on.
    pub category: Category,
    /// The grounds, most specific first.
    pub grounds: Vec<Ground>,
    /// Why, from the evidence: which words, which rules, why this category.
    pub explanation: Localized,
    /// The evidence, for audit.
    pub evidence: EvidenceRecord,
    /// What the requester asks the service to do.
    pub requested_action: RequestedAction,
    /// The requester's statement of good faith.
    pub good_faith_statement: Localized,
    /// When an answer is expected.
    pub response_deadline: Timestamp,
}

/// What the requester asks the service to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestedAction {
    /// Remove the post.
    #[default]
    Remove,
    /// Disable access to it.
    Disable,
    /// Restrict its visibility.
    RestrictVisibility,
    /// Review the account that posted it.
    AccountReview,
}

impl RequestedAction {
    /// The JSON identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestedAction::Remove => "remove",
            RequestedAction::Disable => "disable",
            RequestedAction::RestrictVisibility => "restrict_visibility",
            RequestedAction::AccountReview => "account_review",
        }
    }

    fn japanese(self) -> &'static str {
        match self {
            RequestedAction::Remove => "削除",
            RequestedAction::Disable => "閲覧不能化",
            RequestedAction::RestrictVisibility => "表示制限",
            RequestedAction::AccountReview => "アカウントの確認",
        }
    }

    fn english(self) -> &'static str {
        match self {
            RequestedAction::Remove => "removal",
            RequestedAction::Disable => "disabling of access",
            RequestedAction::RestrictVisibility => "restriction of visibility",
            RequestedAction::AccountReview => "review of the account",
        }
    }
}

/// Where a ground comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroundBasis {
    /// The Internet Hotline Center's categories (自殺誘引等情報).
    InternetHotlineCenter,
    /// The telecom industry's model terms of service (契約約款モデル条項).
    ModelTermsOfService,
    /// The platform's own terms of service.
    PlatformTerms,
}

/// One ground a request rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ground {
    /// Where the ground comes from.
    pub basis: GroundBasis,
    /// A stable code, e.g. `ihc.suicide_inducement.solicitation`.
    pub code: String,
    /// Its name in Japanese.
    pub title: String,
    /// Its name in English.
    pub title_en: String,
    /// What it covers, in Japanese.
    pub description: String,
    /// The clause of the platform's terms, when the operator gave one.
    pub reference: Option<String>,
}

/// The two kinds of 自殺誘引等情報 an inducement post can be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct InducementKinds {
    solicitation: bool,
    involvement: bool,
}

/// Concepts that show an offer to help with or carry out a suicide (自殺関与).
const INVOLVEMENT_CONCEPTS: &[&str] = &["HELP", "SUPPLY", "EN_HELP", "EN_SUPPLY"];
/// Concepts that show an invitation or recruitment (誘引・勧誘).
const SOLICITATION_CONCEPTS: &[&str] = &[
    "TOGETHER",
    "SHINJU",
    "RECRUIT",
    "SEEK",
    "SEEKERS",
    "SEEKER_TITLE",
    "INVITE",
    "EN_TOGETHER",
    "EN_PACT",
    "EN_RECRUIT",
    "EN_PEOPLE",
];

impl InducementKinds {
    fn of(label: &Label) -> InducementKinds {
        let has = |set: &[&str]| {
            label
                .evidence
                .iter()
                .any(|e| set.contains(&e.concept.as_str()))
        };
        let involvement = has(INVOLVEMENT_CONCEPTS)
            || label
                .evidence
                .iter()
                .any(|e| e.rule.contains(".help") || e.rule.contains(".helper"));
        // Without a sign of either, an inducement is an invitation: the
        // Hotline Center's broader kind.
        let solicitation = has(SOLICITATION_CONCEPTS) || !involvement;
        InducementKinds {
            solicitation,
            involvement,
        }
    }
}

fn grounds(category: Category, label: &Label, terms: Option<&str>) -> Vec<Ground> {
    let ground = |basis, code: &str, title: &str, title_en: &str, description: &str| Ground {
        basis,
        code: code.into(),
        title: title.into(),
        title_en: title_en.into(),
        description: description.into(),
        reference: match basis {
            GroundBasis::PlatformTerms => terms.map(str::to_string),
            _ => None,
        },
    };
    let mut out = Vec::new();
    match category {
        Category::Inducement => {
            let kinds = InducementKinds::of(label);
            if kinds.solicitation {
                out.push(ground(
                    GroundBasis::InternetHotlineCenter,
                    "ihc.suicide_inducement.solicitation",
                    "自殺誘引等情報（誘引・勧誘）",
                    "Information inducing suicide: inviting others to die together or recruiting people who want to die (Internet Hotline Center)",
                    "インターネット・ホットラインセンターが取り扱う「自殺誘引等情報」のうち、他者に対して自殺を共に行うよう誘い、又は自殺を望む者を募集する情報（例：「一緒に死にませんか」「本気で死にたい人を募集しています」）。",
                ));
            }
            if kinds.involvement {
                out.push(ground(
                    GroundBasis::InternetHotlineCenter,
                    "ihc.suicide_inducement.involvement",
                    "自殺誘引等情報（自殺関与）",
                    "Information inducing suicide: offering to help with or carry out another person's suicide (Internet Hotline Center)",
                    "インターネット・ホットラインセンターが取り扱う「自殺誘引等情報」のうち、他者の自殺を手伝い、又は他者の自殺を実行する旨を申し出る情報。",
                ));
            }
            out.push(ground(
                GroundBasis::ModelTermsOfService,
                "model_terms.suicide_inducement",
                "違法・有害情報への対応等に関する契約約款モデル条項（自殺を誘引・勧誘する行為の禁止）",
                "Model terms of service of the Japanese telecommunications industry: prohibition of inducing or soliciting suicide",
                "電気通信事業者団体が定める契約約款モデル条項は、人を自殺に誘引し、又は勧誘する行為を禁止事項としています。",
            ));
        }
        Category::Method => out.push(ground(
            GroundBasis::PlatformTerms,
            "platform_terms.suicide_method",
            "利用規約（有害情報：自殺の手段の教示・提供）",
            "Terms of service: harmful information (instructions for, or offers of, means of suicide)",
            "自殺の手段を教示し、又は手段の提供を申し出る情報は、閲覧者の生命を危険にさらし、有毒ガスを用いる方法のように第三者にも危害が及ぶおそれがある有害情報であり、貴社利用規約の禁止事項に当たると考えます。手段の教示のみの情報はインターネット・ホットラインセンターの「自殺誘引等情報」の対象外であるため、本依頼は貴社の利用規約に基づくものです。",
        )),
        Category::Incitement => out.push(ground(
            GroundBasis::PlatformTerms,
            "platform_terms.suicide_incitement",
            "利用規約（他者に自殺を促す投稿の禁止）",
            "Terms of service: telling a person to kill themselves (incitement to suicide)",
            "特定又は不特定の者に対して自殺するよう促す投稿は、受け手の生命を危険にさらす有害情報であり、貴社利用規約の禁止事項に当たると考えます。",
        )),
        _ => unreachable!("grounds are only built for takedown categories"),
    }
    out
}

/// The category's name in Japanese and English.
pub(crate) fn category_names(category: Category) -> (&'static str, &'static str) {
    match category {
        Category::Announcement => ("自殺予告", "suicide announcement"),
        Category::Inducement => ("自殺誘引・勧誘", "inducement or solicitation of suicide"),
        Category::Method => (
            "自殺の手段の教示",
            "instructions for or offers of means of suicide",
        ),
        Category::Incitement => ("自殺の教唆・扇動", "incitement to suicide"),
        Category::Ideation => ("自殺念慮", "a wish to die"),
        Category::None => ("該当なし", "none"),
    }
}

/// Why the evidence makes this category, in Japanese and English, without
/// quoting the post (the DSA rendering reuses the English).
fn why(category: Category, label: &Label) -> (String, String) {
    match category {
        Category::Inducement => {
            let kinds = InducementKinds::of(label);
            let mut ja = String::from("これらの語句は同じ文脈で用いられ、");
            let mut en = String::from("Together these words ");
            match (kinds.solicitation, kinds.involvement) {
                (true, true) => {
                    ja.push_str("他者に自殺を共に行うよう呼びかけ、又は自殺を望む者を募ると同時に、その自殺を手伝う旨を申し出る内容を構成しています。");
                    en.push_str("invite others to die together or recruit people who want to die, and offer to help them do it.");
                }
                (false, true) => {
                    ja.push_str("他者の自殺を手伝い、又はそのための物を用意する旨の申出を構成しています。");
                    en.push_str("offer to help another person die or to provide what is needed for it.");
                }
                _ => {
                    ja.push_str("他者に自殺を共に行うよう呼びかけ、又は自殺を望む者を募集し連絡を求める内容を構成しています。");
                    en.push_str("invite others to die together or recruit people who want to die and ask them to make contact.");
                }
            }
            (ja, en)
        }
        Category::Method => (
            "これらの語句は同じ文脈で用いられ、自殺の手段を教示し、又はその提供を申し出る内容を構成しています。".into(),
            "Together these words offer or give instructions for, or the means of, suicide.".into(),
        ),
        Category::Incitement => (
            "これらの語句は、他者に対して自殺するよう促す内容を構成しています。".into(),
            "These words tell a person to kill themselves.".into(),
        ),
        _ => unreachable!("explanations are only built for takedown categories"),
    }
}

fn explanation(category: Category, label: &Label, evidence: &EvidenceRecord) -> Localized {
    let (name_ja, name_en) = category_names(category);
    let spans = evidence.distinct_spans();
    const MAX_QUOTED: usize = 12;
    let mut words_ja = Vec::new();
    let mut words_en = Vec::new();
    for (e, concepts) in spans.iter().take(MAX_QUOTED) {
        words_ja.push(format!(
            "「{}」（{}、{}文字目）",
            e.text,
            concepts.join("・"),
            e.char_start + 1
        ));
        words_en.push(format!(
            "\"{}\" ({}, at character {})",
            e.text,
            concepts.join(", "),
            e.char_start + 1
        ));
    }
    let more = spans.len().saturating_sub(MAX_QUOTED);
    let rules = evidence.rules.join(", ");
    let (why_ja, why_en) = why(category, label);
    let mut ja = format!(
        "本投稿は「{name_ja}」（{category}）に該当すると判定しました（スコア {}、判定規則 {rules}）。根拠となった語句は、{}",
        evidence.score,
        words_ja.join("、")
    );
    let mut en = format!(
        "The post was classified as {name_en} ({category}) with a score of {} by the rules {rules}. The words found: {}",
        evidence.score,
        words_en.join(", ")
    );
    if more > 0 {
        let _ = write!(ja, "ほか{more}箇所");
        let _ = write!(en, " and {more} more");
    }
    let _ = write!(ja, "です。{why_ja}");
    let _ = write!(en, ". {why_en}");
    Localized { ja, en }
}

fn good_faith() -> Localized {
    Localized {
        ja: "依頼者は、本依頼に記載した情報が依頼者の知る限り正確であること、及び本依頼が人の生命を守る目的で誠実に行われるものであることを表明します。本依頼の判定は自動分類によるものであり、最終的な判断は貴社の規約と確認に委ねます。".into(),
        en: "The requester states that, to the best of its knowledge, the information in this request is accurate, and that the request is made in good faith to protect life. The classification was made by automated means; the final decision rests with the service, under its terms and its own review.".into(),
    }
}

/// Builds a [`TakedownRequest`]; see [`TakedownRequest::builder`].
#[must_use]
pub struct TakedownBuilder<'a> {
    verdict: &'a Verdict,
    post: &'a Post<'a>,
    requester: &'a Requester,
    clock: &'a dyn Clock,
    ids: &'a dyn IdSource,
    category: Option<Category>,
    incitement: bool,
    action: RequestedAction,
    response_days: u32,
    excerpt_chars: usize,
    terms_reference: Option<String>,
}

impl TakedownRequest {
    /// Starts a request for the post `post`, classified as `verdict`.
    ///
    /// The category is the most severe takedown category of the verdict
    /// (`inducement`, then `method`, then `incitement` when
    /// [`incitement_takedown`](TakedownBuilder::incitement_takedown) allows
    /// it) unless [`category`](TakedownBuilder::category) picks one.
    pub fn builder<'a>(
        verdict: &'a Verdict,
        post: &'a Post<'a>,
        requester: &'a Requester,
    ) -> TakedownBuilder<'a> {
        TakedownBuilder {
            verdict,
            post,
            requester,
            clock: &SystemClock,
            ids: &DigestIds,
            category: None,
            incitement: false,
            action: RequestedAction::Remove,
            response_days: DEFAULT_RESPONSE_DAYS,
            excerpt_chars: DEFAULT_EXCERPT_CHARS,
            terms_reference: None,
        }
    }

    /// The request as one line of canonical JSON (fields in a fixed order).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a takedown request always serializes")
    }
}

impl<'a> TakedownBuilder<'a> {
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

    /// Acts on this category of the verdict instead of the most severe one.
    pub fn category(mut self, category: Category) -> Self {
        self.category = Some(category);
        self
    }

    /// The operator's policy: whether `incitement` ("死ね", "kys") may be
    /// the subject of a takedown request. Off by default: incitement calls
    /// for review.
    pub fn incitement_takedown(mut self, allow: bool) -> Self {
        self.incitement = allow;
        self
    }

    /// What to ask for (default: `remove`).
    pub fn requested_action(mut self, action: RequestedAction) -> Self {
        self.action = action;
        self
    }

    /// Days until the response deadline, 1 to 90 (default 7).
    pub fn response_days(mut self, days: u32) -> Self {
        self.response_days = days;
        self
    }

    /// Maximum excerpt length in characters, 20 to 2000 (default 200).
    pub fn excerpt_chars(mut self, chars: usize) -> Self {
        self.excerpt_chars = chars;
        self
    }

    /// The clause of the platform's terms that the platform-terms grounds
    /// cite, e.g. `利用規約 第12条第1項第5号`.
    pub fn terms_reference(mut self, reference: impl Into<String>) -> Self {
        self.terms_reference = Some(reference.into());
        self
    }

    fn choose(&self) -> Result<Category, PayloadError> {
        let v = self.verdict;
        let category = match self.category {
            Some(c) => c,
            None => [Category::Inducement, Category::Method, Category::Incitement]
                .into_iter()
                .find(|&c| v.has(c))
                .unwrap_or(if v.has(Category::Announcement) {
                    Category::Announcement
                } else {
                    v.primary
                }),
        };
        match category {
            Category::Ideation | Category::None => Err(PayloadError::NotForTakedown { category }),
            Category::Announcement => Err(PayloadError::AnnouncementIsEmergency),
            c => {
                record::label(v, c)?;
                if c == Category::Incitement && !self.incitement {
                    return Err(PayloadError::IncitementNeedsPolicy);
                }
                Ok(c)
            }
        }
    }

    /// Checks everything and builds the request.
    pub fn build(self) -> Result<TakedownRequest, PayloadError> {
        let category = self.choose()?;
        self.requester.validate()?;
        check_evidence(self.verdict, self.post.text)?;
        if !(1..=90).contains(&self.response_days) {
            return Err(PayloadError::InvalidOption {
                field: "response_days".into(),
                value: self.response_days.to_string(),
                reason: "give 1 to 90 days".into(),
            });
        }
        if !(20..=2000).contains(&self.excerpt_chars) {
            return Err(PayloadError::InvalidOption {
                field: "excerpt_chars".into(),
                value: self.excerpt_chars.to_string(),
                reason: "give 20 to 2000 characters".into(),
            });
        }
        if let Some(t) = &self.terms_reference {
            check_text("terms_reference", t, 200)?;
        }
        let label = self
            .verdict
            .label(category)
            .expect("chosen from the labels");
        let created_at = self.clock.now();
        let target = record::target(self.post, created_at, true, &mut Vec::new())?;
        if target.url.is_none() {
            return Err(PayloadError::MissingField {
                field: "target.url".into(),
                fix: "a takedown request names the post's exact URL: give Post::url (CLI: a \"url\" field in the input line)".into(),
            });
        }
        let language = record::language(self.post)?;
        let content = record::content(
            self.post.text,
            &label.evidence,
            self.excerpt_chars,
            language,
        );
        let evidence = EvidenceRecord::new(self.verdict, label);
        let digest = record::digest(
            PayloadKind::TakedownRequest,
            created_at,
            self.post,
            category,
        );
        let id = self.ids.id(PayloadKind::TakedownRequest, &digest);
        record::check_payload_id(&id)?;
        Ok(TakedownRequest {
            kind: TakedownRequestType,
            id,
            created_at,
            requester: self.requester.clone(),
            target,
            content,
            category,
            grounds: grounds(category, label, self.terms_reference.as_deref()),
            explanation: explanation(category, label, &evidence),
            evidence,
            requested_action: self.action,
            good_faith_statement: good_faith(),
            response_deadline: created_at.plus_days(self.response_days),
        })
    }
}

impl TakedownRequest {
    /// The formal Japanese 削除依頼 letter: 宛先, 件名, 対象URL, 該当箇所,
    /// 理由, 根拠, 依頼内容, 依頼者, 回答期限, then the good-faith statement
    /// and the audit record.
    pub fn to_letter(&self) -> String {
        let mut s = String::new();
        let (name_ja, _) = category_names(self.category);
        let action = self.requested_action.japanese();
        let t = &self.target;
        let unknown = "（不明）";
        let _ = writeln!(s, "削除依頼書");
        let _ = writeln!(s);
        let _ = writeln!(s, "依頼番号：{}", self.id);
        let _ = writeln!(s, "作成日時：{}", self.created_at.to_japanese());
        let _ = writeln!(s);
        let _ = writeln!(s, "【宛先】");
        let _ = writeln!(
            s,
            "{} ご担当者様",
            t.service.as_deref().unwrap_or("サービス運営者")
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "【件名】");
        let _ = writeln!(s, "{name_ja}に当たる投稿の{action}のお願い");
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "貴社サービス上の下記の投稿は、{name_ja}に当たると考えられます。人の生命を守るため、当該投稿の{action}を依頼いたします。"
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "【対象URL】");
        let _ = writeln!(s, "{}", t.url.as_deref().unwrap_or(unknown));
        let _ = writeln!(s, "　投稿ID：{}", t.post_id.as_deref().unwrap_or(unknown));
        let _ = writeln!(
            s,
            "　アカウントID：{}",
            t.account_id.as_deref().unwrap_or(unknown)
        );
        let _ = writeln!(
            s,
            "　投稿日時：{}",
            t.posted_at.map_or(unknown.to_string(), |p| p.to_japanese())
        );
        let _ = writeln!(s, "　確認日時：{}", t.observed_at.to_japanese());
        let _ = writeln!(s);
        let _ = writeln!(s, "【該当箇所】");
        let c = &self.content;
        let _ = writeln!(s, "「{}」", c.marked_excerpt());
        let _ = writeln!(
            s,
            "（本文 {}文字のうち {}〜{}文字目。本文全体の SHA-256：{}）",
            c.length_chars,
            c.excerpt_char_start + 1,
            c.excerpt_char_end,
            c.sha256
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "【理由】");
        let _ = writeln!(s, "{}", self.explanation.ja);
        let _ = writeln!(s);
        let _ = writeln!(s, "【根拠】");
        for (i, g) in self.grounds.iter().enumerate() {
            let _ = writeln!(s, "{}. {}", i + 1, g.title);
            let _ = writeln!(s, "　{}", g.description);
            if let Some(r) = &g.reference {
                let _ = writeln!(s, "　（該当条項：{r}）");
            }
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "【依頼内容】");
        let _ = writeln!(s, "当該投稿の{action}");
        let _ = writeln!(s);
        let _ = writeln!(s, "【依頼者】");
        let r = &self.requester;
        let _ = writeln!(s, "{}（{}）", r.organisation, r.kind.japanese());
        if let Some(v) = &r.representative {
            let _ = writeln!(s, "担当：{v}");
        }
        if let Some(v) = &r.address {
            let _ = writeln!(s, "所在地：{v}");
        }
        let _ = writeln!(s, "連絡先：{}", r.contact);
        if let Some(v) = &r.reference {
            let _ = writeln!(s, "依頼者整理番号：{v}");
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "【回答期限】");
        let _ = writeln!(
            s,
            "{}までに、対応の結果を上記連絡先へお知らせくださいますようお願いいたします。",
            self.response_deadline.to_japanese()
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", self.good_faith_statement.ja);
        let _ = writeln!(s);
        let e = &self.evidence;
        let _ = writeln!(
            s,
            "判定記録：{} {}／ルールパック {} {}（{}）",
            e.classifier.name, e.classifier.version, e.pack.name, e.pack.version, e.pack.hash
        );
        s
    }

    /// English summary of the requested action, for notices.
    pub(crate) fn action_english(&self) -> &'static str {
        self.requested_action.english()
    }

    /// The reason without quoting the post, in English: for the DSA
    /// rendering, which carries no personal data.
    pub(crate) fn why_english(&self) -> String {
        let label = Label {
            category: self.category,
            score: self.evidence.score,
            evidence: self.evidence.spans.clone(),
        };
        why(self.category, &label).1
    }
}

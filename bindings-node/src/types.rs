//! JavaScript shapes of the core types, and conversions both ways. Verdicts
//! are plain objects with camelCase fields; identifiers are the core's
//! stable snake_case strings.

use inochi::act;
use napi_derive::napi;

use crate::error::{Code, Failure};

/// What a post is, most severe first (`primary` is the most severe label).
#[napi(string_enum = "snake_case")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// 自殺予告: first-person, concrete, imminent intent.
    Announcement,
    /// 自殺誘引・勧誘: invites others to die or join a suicide.
    Inducement,
    /// 自殺の手段の教示: instructions or offers of means.
    Method,
    /// 自殺の教唆・扇動: tells a person to die.
    Incitement,
    /// 自殺念慮: a first-person wish to die; support only, never removal.
    Ideation,
    /// Nothing found.
    None,
}

impl From<inochi::Category> for Category {
    fn from(c: inochi::Category) -> Category {
        match c {
            inochi::Category::Announcement => Category::Announcement,
            inochi::Category::Inducement => Category::Inducement,
            inochi::Category::Method => Category::Method,
            inochi::Category::Incitement => Category::Incitement,
            inochi::Category::Ideation => Category::Ideation,
            inochi::Category::None => Category::None,
        }
    }
}

impl From<Category> for inochi::Category {
    fn from(c: Category) -> inochi::Category {
        match c {
            Category::Announcement => inochi::Category::Announcement,
            Category::Inducement => inochi::Category::Inducement,
            Category::Method => inochi::Category::Method,
            Category::Incitement => inochi::Category::Incitement,
            Category::Ideation => inochi::Category::Ideation,
            Category::None => inochi::Category::None,
        }
    }
}

/// What should be done about a post.
#[napi(string_enum = "snake_case")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Ask the platform to remove the content.
    Takedown,
    /// Report the content to a hotline center.
    Report,
    /// Raise an emergency report: a life may be at immediate risk.
    Emergency,
    /// Show help resources to the person.
    Support,
    /// Have a human moderator look at it.
    Review,
}

impl From<inochi::Action> for Action {
    fn from(a: inochi::Action) -> Action {
        match a {
            inochi::Action::Takedown => Action::Takedown,
            inochi::Action::Report => Action::Report,
            inochi::Action::Emergency => Action::Emergency,
            inochi::Action::Support => Action::Support,
            inochi::Action::Review => Action::Review,
        }
    }
}

impl From<Action> for inochi::Action {
    fn from(a: Action) -> inochi::Action {
        match a {
            Action::Takedown => inochi::Action::Takedown,
            Action::Report => inochi::Action::Report,
            Action::Emergency => inochi::Action::Emergency,
            Action::Support => inochi::Action::Support,
            Action::Review => inochi::Action::Review,
        }
    }
}

/// The classification of one post.
#[napi(object)]
pub struct Verdict {
    /// The most severe category found, `none` when nothing was.
    pub primary: Category,
    /// Every category found, most severe first; empty for `none`.
    pub labels: Vec<Label>,
    /// What to do, from every label's actions, without repeats.
    pub actions: Vec<Action>,
    /// The rule pack that made this verdict.
    pub pack: PackInfo,
}

/// One category found in a post.
#[napi(object)]
pub struct Label {
    /// The category.
    pub category: Category,
    /// Confidence in 0..1, 3 decimals.
    pub score: f64,
    /// Why: one entry per concept hit that made a rule fire.
    pub evidence: Vec<Evidence>,
}

/// A piece of the original text that made a rule fire. `byteStart`/`byteEnd`
/// count UTF-8 bytes, `charStart`/`charEnd` Unicode code points, and
/// `utf16Start`/`utf16End` the UTF-16 units of JavaScript string indices:
/// `text.slice(e.utf16Start, e.utf16End) === e.text`, emoji included.
#[napi(object)]
pub struct Evidence {
    /// The rule that fired.
    pub rule: String,
    /// The concept the text was found as.
    pub concept: String,
    /// Byte offset (UTF-8) into the original text.
    pub byte_start: u32,
    /// End byte offset (exclusive).
    pub byte_end: u32,
    /// Offset in Unicode code points.
    pub char_start: u32,
    /// End offset in code points (exclusive).
    pub char_end: u32,
    /// The original text at those offsets.
    pub text: String,
    /// Offset in UTF-16 units: an index into the JavaScript string. Always
    /// set on verdicts from `classify`; may be left out of a verdict passed
    /// back to a payload builder.
    pub utf16_start: Option<u32>,
    /// End offset in UTF-16 units (exclusive).
    pub utf16_end: Option<u32>,
}

/// The rule pack a verdict was made with.
#[napi(object)]
pub struct PackInfo {
    /// The pack's name (`base+extension` when extended).
    pub name: String,
    /// The pack's version.
    pub version: String,
    /// `sha256:` and the hex digest of the pack's sources.
    pub hash: String,
}

impl From<&inochi::PackInfo> for PackInfo {
    fn from(p: &inochi::PackInfo) -> PackInfo {
        PackInfo {
            name: p.name.clone(),
            version: p.version.clone(),
            hash: p.hash.clone(),
        }
    }
}

/// An offset for JavaScript. Texts come from JavaScript strings, whose
/// length is far below 2^32, so this never saturates in practice.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Verdict {
    /// The verdict for JavaScript, with UTF-16 offsets counted in `text`
    /// (the post the verdict is for).
    pub fn for_text(v: inochi::Verdict, text: &str) -> Verdict {
        let mut points: Vec<usize> = v
            .labels
            .iter()
            .flat_map(|l| &l.evidence)
            .flat_map(|e| [e.byte_start, e.byte_end])
            .collect();
        points.sort_unstable();
        points.dedup();
        // One walk over the text for all offsets, in order.
        let mut units = std::collections::HashMap::with_capacity(points.len());
        let (mut at, mut count) = (0usize, 0usize);
        for p in points {
            let p = p.min(text.len());
            count += text.get(at..p).map_or(0, |s| s.encode_utf16().count());
            at = p;
            units.insert(p, offset(count));
        }
        let mut out = Verdict::from(v);
        for e in out.labels.iter_mut().flat_map(|l| l.evidence.iter_mut()) {
            e.utf16_start = units.get(&(e.byte_start as usize)).copied();
            e.utf16_end = units.get(&(e.byte_end as usize)).copied();
        }
        out
    }
}

impl From<inochi::Verdict> for Verdict {
    fn from(v: inochi::Verdict) -> Verdict {
        Verdict {
            primary: v.primary.into(),
            labels: v
                .labels
                .into_iter()
                .map(|l| Label {
                    category: l.category.into(),
                    score: l.score,
                    evidence: l
                        .evidence
                        .into_iter()
                        .map(|e| Evidence {
                            rule: e.rule,
                            concept: e.concept,
                            byte_start: offset(e.byte_start),
                            byte_end: offset(e.byte_end),
                            char_start: offset(e.char_start),
                            char_end: offset(e.char_end),
                            text: e.text,
                            utf16_start: None,
                            utf16_end: None,
                        })
                        .collect(),
                })
                .collect(),
            actions: v.actions.into_iter().map(Action::from).collect(),
            pack: (&v.pack).into(),
        }
    }
}

impl From<Verdict> for inochi::Verdict {
    fn from(v: Verdict) -> inochi::Verdict {
        inochi::Verdict {
            primary: v.primary.into(),
            labels: v
                .labels
                .into_iter()
                .map(|l| inochi::Label {
                    category: l.category.into(),
                    score: l.score,
                    evidence: l
                        .evidence
                        .into_iter()
                        .map(|e| inochi::Evidence {
                            rule: e.rule,
                            concept: e.concept,
                            byte_start: e.byte_start as usize,
                            byte_end: e.byte_end as usize,
                            char_start: e.char_start as usize,
                            char_end: e.char_end as usize,
                            text: e.text,
                        })
                        .collect(),
                })
                .collect(),
            actions: v.actions.into_iter().map(inochi::Action::from).collect(),
            pack: inochi::PackInfo {
                name: v.pack.name,
                version: v.pack.version,
                hash: v.pack.hash,
            },
        }
    }
}

/// The post a payload is built for: the exact text that was classified,
/// and what the service knows about it. Every field but `text` is optional;
/// the payload builders check them and name the one at fault.
#[napi(object)]
pub struct Post {
    /// The full text, exactly as classified.
    pub text: String,
    /// The service's name (default: the URL's host).
    pub service: Option<String>,
    /// The post's URL (absolute http(s); required for a takedown request).
    pub url: Option<String>,
    /// The post's id on the service.
    pub post_id: Option<String>,
    /// The poster's account id.
    pub account_id: Option<String>,
    /// When it was posted (RFC 3339).
    pub posted_at: Option<String>,
    /// When it was seen (RFC 3339; default: the payload's creation time).
    pub observed_at: Option<String>,
    /// Its language (BCP 47; default: detected from the script).
    pub language: Option<String>,
}

impl Post {
    /// The core's view of this post.
    pub fn to_core(&self) -> act::Post<'_> {
        act::Post {
            text: &self.text,
            service: self.service.clone(),
            url: self.url.clone(),
            post_id: self.post_id.clone(),
            account_id: self.account_id.clone(),
            posted_at: self.posted_at.clone(),
            observed_at: self.observed_at.clone(),
            language: self.language.clone(),
        }
    }
}

/// Who sends a payload.
#[napi(string_enum = "snake_case")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequesterKind {
    /// The platform itself (its trust and safety team).
    Platform,
    /// A hotline center such as Japan's Internet Hotline Center.
    HotlineCenter,
    /// The police.
    Police,
    /// A cyber patrol.
    CyberPatrol,
    /// A volunteer.
    Volunteer,
    /// A user of the service.
    User,
}

impl From<RequesterKind> for act::RequesterKind {
    fn from(k: RequesterKind) -> act::RequesterKind {
        match k {
            RequesterKind::Platform => act::RequesterKind::Platform,
            RequesterKind::HotlineCenter => act::RequesterKind::HotlineCenter,
            RequesterKind::Police => act::RequesterKind::Police,
            RequesterKind::CyberPatrol => act::RequesterKind::CyberPatrol,
            RequesterKind::Volunteer => act::RequesterKind::Volunteer,
            RequesterKind::User => act::RequesterKind::User,
        }
    }
}

/// The sender of a takedown request or an emergency report.
#[napi(object)]
pub struct Requester {
    /// The organisation's name.
    pub organisation: String,
    /// What kind of requester it is.
    pub kind: RequesterKind,
    /// How to reach it (e-mail address, phone, URL).
    pub contact: String,
    /// The person responsible.
    pub representative: Option<String>,
    /// A postal address.
    pub address: Option<String>,
    /// The requester's own reference for the case.
    pub reference: Option<String>,
}

impl Requester {
    /// The core's view of this requester (checked by the builders).
    pub fn to_core(&self) -> act::Requester {
        let mut r = act::Requester::new(
            self.organisation.clone(),
            self.kind.into(),
            self.contact.clone(),
        );
        r.representative = self.representative.clone();
        r.address = self.address.clone();
        r.reference = self.reference.clone();
        r
    }
}

/// What a takedown request asks the service to do.
#[napi(string_enum = "snake_case")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestedAction {
    /// Remove the post (default).
    Remove,
    /// Disable access to it.
    Disable,
    /// Restrict its visibility.
    RestrictVisibility,
    /// Review the account that posted it.
    AccountReview,
}

impl From<RequestedAction> for act::RequestedAction {
    fn from(a: RequestedAction) -> act::RequestedAction {
        match a {
            RequestedAction::Remove => act::RequestedAction::Remove,
            RequestedAction::Disable => act::RequestedAction::Disable,
            RequestedAction::RestrictVisibility => act::RequestedAction::RestrictVisibility,
            RequestedAction::AccountReview => act::RequestedAction::AccountReview,
        }
    }
}

/// The person's age group, for choosing help resources.
#[napi(string_enum = "snake_case")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgeGroup {
    /// Under 18.
    Minor,
    /// 18 or older.
    Adult,
    /// Not known (default).
    Unknown,
}

impl From<AgeGroup> for act::AgeGroup {
    fn from(a: AgeGroup) -> act::AgeGroup {
        match a {
            AgeGroup::Minor => act::AgeGroup::Minor,
            AgeGroup::Adult => act::AgeGroup::Adult,
            AgeGroup::Unknown => act::AgeGroup::Unknown,
        }
    }
}

/// The ground of a platform's decision in an EU DSA statement of reasons.
#[napi(string_enum = "snake_case")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionGround {
    /// Incompatible with the terms and conditions (default).
    IncompatibleContent,
    /// Illegal content; give `illegalContentLegalGround`.
    IllegalContent,
}

/// How automated the platform's decision was.
#[napi(string_enum = "snake_case")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutomatedDecision {
    /// Fully automated.
    Fully,
    /// Partially automated: a person confirmed it (default).
    Partially,
    /// Not automated.
    NotAutomated,
}

impl From<AutomatedDecision> for act::AutomatedDecision {
    fn from(a: AutomatedDecision) -> act::AutomatedDecision {
        match a {
            AutomatedDecision::Fully => act::AutomatedDecision::Fully,
            AutomatedDecision::Partially => act::AutomatedDecision::Partially,
            AutomatedDecision::NotAutomated => act::AutomatedDecision::NotAutomated,
        }
    }
}

/// A `now` option: the payload's creation time (RFC 3339), fixed for
/// reproducible output; the system clock when absent.
pub fn clock(now: Option<&str>) -> Result<Box<dyn act::Clock>, Failure> {
    match now {
        Some(t) => Ok(Box::new(act::FixedClock::parse(t)?)),
        None => Ok(Box::new(act::SystemClock)),
    }
}

/// A count option given as a JavaScript number.
pub fn count(field: &str, n: u32) -> Result<usize, Failure> {
    usize::try_from(n).map_err(|_| Failure(Code::Arg, format!("{field} {n} is too large")))
}

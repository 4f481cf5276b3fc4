//! Support referrals: help shown to a person who wrote that they want to
//! die (`ideation`) or that they are about to (`announcement`).
//!
//! Resources are data: `core/resources/support.toml` is embedded, and an
//! operator can replace it ([`SupportDirectory::from_toml`]). They are
//! chosen by locale (region, then language) and, when known, age group.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::clock::{Clock, DigestIds, IdSource, PayloadKind, SystemClock, Timestamp};
use super::error::PayloadError;
use super::post::Post;
use super::record::{self, EvidenceRecord, Target, check_language, check_text, check_url};
use super::tags::SupportReferralType;
use crate::category::Category;
use crate::verdict::Verdict;

const EMBEDDED: &str = include_str!("../../resources/support.toml");

/// Help for a person, in their language.
///
/// ```
/// use inochi::Classifier;
/// use inochi::act::{AgeGroup, FixedClock, Post, SupportReferral};
///
/// let classifier = Classifier::new()?;
/// let text = "死にたいなあ";
/// let verdict = classifier.classify(text);
/// let post = Post::new(text).post_id("1013");
/// let clock = FixedClock::parse("2025-03-16T02:31:00+09:00")?;
/// let referral = SupportReferral::builder(&verdict, &post)
///     .age_group(AgeGroup::Minor)
///     .clock(&clock)
///     .build()?;
/// assert_eq!(referral.language, "ja");
/// assert_eq!(referral.resources[0].name, "24時間子供SOSダイヤル");
/// assert!(referral.resources.iter().any(|r| r.name == "よりそいホットライン"));
/// assert!(referral.to_text().contains("0120-279-338"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportReferral {
    /// Always `support_referral`.
    #[serde(rename = "type")]
    pub kind: SupportReferralType,
    /// The referral's id.
    pub id: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// `announcement` or `ideation`.
    pub category: Category,
    /// The post (and so the person) it answers.
    pub target: Target,
    /// The language of the message: the post's.
    pub language: String,
    /// The region the resources were chosen for (ISO 3166-1), if known.
    pub region: Option<String>,
    /// The person's age group, if known.
    pub age_group: AgeGroup,
    /// A short message to the person.
    pub message: String,
    /// Where to find help, most fitting first.
    pub resources: Vec<Resource>,
    /// When the resources were last checked (`YYYY-MM-DD`).
    pub resources_as_of: String,
    /// The evidence, for audit.
    pub evidence: EvidenceRecord,
    /// Optional fields that were malformed and left out.
    pub warnings: Vec<String>,
}

/// The person's age group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    /// Under 18.
    Minor,
    /// 18 or older.
    Adult,
    /// Not known.
    #[default]
    Unknown,
}

/// Who a resource is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Everyone.
    #[default]
    All,
    /// Under 18.
    Minor,
    /// 18 or older.
    Adult,
}

/// A place to find help.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// A stable id.
    pub id: String,
    /// Its name, in its own language.
    pub name: String,
    /// Where it serves (ISO 3166-1 alpha-2).
    pub regions: Vec<String>,
    /// The languages it answers in.
    pub languages: Vec<String>,
    /// Who it is for.
    #[serde(default)]
    pub audience: Audience,
    /// Phone numbers, with hours when they differ.
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// A web page.
    #[serde(default)]
    pub url: Option<String>,
    /// Opening hours, when the same for every number.
    #[serde(default)]
    pub hours: Option<String>,
    /// Anything else worth knowing.
    #[serde(default)]
    pub note: Option<String>,
}

/// A phone number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    /// The number, as dialled.
    pub number: String,
    /// When it answers.
    #[serde(default)]
    pub hours: Option<String>,
    /// E.g. "call or text".
    #[serde(default)]
    pub note: Option<String>,
}

/// The messages for one language.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Messages {
    ideation: String,
    announcement: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectoryFile {
    as_of: String,
    #[serde(default)]
    default_regions: BTreeMap<String, String>,
    messages: BTreeMap<String, Messages>,
    resources: Vec<Resource>,
}

/// The help resources and messages referrals are built from.
///
/// ```
/// use inochi::act::SupportDirectory;
///
/// let dir = SupportDirectory::embedded();
/// assert!(dir.resources().iter().any(|r| r.phones.iter().any(|p| p.number == "0570-064-556")));
///
/// let ours = SupportDirectory::from_toml("ours.toml", r#"
///     as_of = "2026-01-05"
///     [messages.en]
///     ideation = "You are not alone."
///     announcement = "Please call 911 now."
///     [[resources]]
///     id = "us-988"
///     name = "988 Suicide & Crisis Lifeline"
///     regions = ["US"]
///     languages = ["en"]
///     phones = [{ number = "988" }]
/// "#)?;
/// assert_eq!(ours.as_of(), "2026-01-05");
/// # Ok::<(), inochi::PayloadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct SupportDirectory {
    as_of: String,
    default_regions: BTreeMap<String, String>,
    messages: BTreeMap<String, Messages>,
    resources: Vec<Resource>,
}

impl SupportDirectory {
    /// The embedded directory (`core/resources/support.toml`).
    pub fn embedded() -> &'static SupportDirectory {
        static DIR: OnceLock<SupportDirectory> = OnceLock::new();
        DIR.get_or_init(|| {
            SupportDirectory::from_toml("embedded support.toml", EMBEDDED)
                .expect("the embedded support.toml is valid (tested)")
        })
    }

    /// Reads and validates a directory; `origin` names it in errors.
    pub fn from_toml(origin: &str, text: &str) -> Result<SupportDirectory, PayloadError> {
        let err = |message: String| PayloadError::Resources {
            origin: origin.to_string(),
            message,
        };
        let file: DirectoryFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let valid_date = file.as_of.len() == 10
            && Timestamp::parse(&format!("{}T00:00:00Z", file.as_of), "as_of").is_ok();
        if !valid_date {
            return Err(err(format!(
                "as_of {:?} is not a date; write YYYY-MM-DD",
                file.as_of
            )));
        }
        if file.messages.is_empty() {
            return Err(err("[messages] needs at least one language".into()));
        }
        for (lang, m) in &file.messages {
            check_language(&format!("messages.{lang}"), lang).map_err(|e| err(e.to_string()))?;
            check_text(&format!("messages.{lang}.ideation"), &m.ideation, 1000)
                .and_then(|_| {
                    check_text(
                        &format!("messages.{lang}.announcement"),
                        &m.announcement,
                        1000,
                    )
                })
                .map_err(|e| err(e.to_string()))?;
        }
        let mut ids = Vec::new();
        for r in &file.resources {
            let field = |f: &str| format!("resource {:?}: {f}", r.id);
            if r.id.is_empty() || ids.contains(&r.id) {
                return Err(err(format!(
                    "resource id {:?} is empty or used twice; give each resource its own id",
                    r.id
                )));
            }
            ids.push(r.id.clone());
            check_text(&field("name"), &r.name, 200).map_err(|e| err(e.to_string()))?;
            if r.phones.is_empty() && r.url.is_none() {
                return Err(err(field("has neither phones nor url; give at least one")));
            }
            if let Some(u) = &r.url {
                check_url(&field("url"), u).map_err(|e| err(e.to_string()))?;
            }
            if r.regions.is_empty()
                || r.regions
                    .iter()
                    .any(|c| c.len() != 2 || !c.chars().all(|c| c.is_ascii_uppercase()))
            {
                return Err(err(field(
                    "regions must list ISO 3166-1 alpha-2 codes in capitals, e.g. [\"JP\"]",
                )));
            }
            for l in &r.languages {
                check_language(&field("languages"), l).map_err(|e| err(e.to_string()))?;
            }
            for p in &r.phones {
                check_text(&field("phones.number"), &p.number, 40)
                    .map_err(|e| err(e.to_string()))?;
            }
        }
        if file.resources.is_empty() {
            return Err(err("no [[resources]]; give at least one".into()));
        }
        Ok(SupportDirectory {
            as_of: file.as_of,
            default_regions: file.default_regions,
            messages: file.messages,
            resources: file.resources,
        })
    }

    /// When the resources were last checked.
    pub fn as_of(&self) -> &str {
        &self.as_of
    }

    /// Every resource, in file order.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// The resources for a language, an optional region and an age group,
    /// and the region they were chosen for.
    ///
    /// By region when it has resources; else by language; else all of them.
    /// For a minor, resources for minors come first; for an adult, they are
    /// left out; when the age is unknown, they come after the others.
    pub fn select(
        &self,
        language: &str,
        region: Option<&str>,
        age: AgeGroup,
    ) -> (Vec<Resource>, Option<String>) {
        let primary = language.split('-').next().unwrap_or(language);
        let region = region
            .map(str::to_string)
            .or_else(|| self.default_regions.get(primary).cloned());
        let by_region: Vec<&Resource> = match &region {
            Some(r) => self
                .resources
                .iter()
                .filter(|x| x.regions.contains(r))
                .collect(),
            None => Vec::new(),
        };
        let (mut chosen, region) = if !by_region.is_empty() {
            (by_region, region)
        } else {
            let by_language: Vec<&Resource> = self
                .resources
                .iter()
                .filter(|x| x.languages.iter().any(|l| l == primary || l == language))
                .collect();
            if by_language.is_empty() {
                (self.resources.iter().collect(), None)
            } else {
                (by_language, None)
            }
        };
        match age {
            AgeGroup::Adult => chosen.retain(|r| r.audience != Audience::Minor),
            AgeGroup::Minor => {
                chosen.retain(|r| r.audience != Audience::Adult);
                chosen.sort_by_key(|r| r.audience != Audience::Minor);
            }
            AgeGroup::Unknown => chosen.sort_by_key(|r| r.audience != Audience::All),
        }
        (chosen.into_iter().cloned().collect(), region)
    }

    fn message(&self, language: &str, category: Category) -> (String, String) {
        let primary = language.split('-').next().unwrap_or(language);
        let (lang, m) = self
            .messages
            .get_key_value(language)
            .or_else(|| self.messages.get_key_value(primary))
            .or_else(|| self.messages.get_key_value("en"))
            .or_else(|| self.messages.iter().next())
            .expect("a directory has at least one language of messages");
        let text = if category == Category::Announcement {
            &m.announcement
        } else {
            &m.ideation
        };
        (lang.clone(), text.clone())
    }
}

/// Builds a [`SupportReferral`]; see [`SupportReferral::builder`].
#[must_use]
pub struct SupportBuilder<'a> {
    verdict: &'a Verdict,
    post: &'a Post<'a>,
    clock: &'a dyn Clock,
    ids: &'a dyn IdSource,
    directory: &'a SupportDirectory,
    locale: Option<String>,
    age: AgeGroup,
}

impl SupportReferral {
    /// Starts a referral for `post`, classified as `verdict`, which must
    /// carry `ideation` or `announcement`.
    pub fn builder<'a>(verdict: &'a Verdict, post: &'a Post<'a>) -> SupportBuilder<'a> {
        SupportBuilder {
            verdict,
            post,
            clock: &SystemClock,
            ids: &DigestIds,
            directory: SupportDirectory::embedded(),
            locale: None,
            age: AgeGroup::Unknown,
        }
    }

    /// The referral as one line of canonical JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a support referral always serializes")
    }

    /// The message and the resources as text for the person, in the
    /// message's language.
    pub fn to_text(&self) -> String {
        let ja = self.language.starts_with("ja");
        let mut s = format!("{}\n\n", self.message);
        for r in &self.resources {
            let _ = writeln!(s, "{}{}", if ja { "・" } else { "- " }, r.name);
            for p in &r.phones {
                let extra: Vec<&str> = [p.hours.as_deref(), p.note.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if extra.is_empty() {
                    let _ = writeln!(s, "  {}", p.number);
                } else if ja {
                    let _ = writeln!(s, "  {}（{}）", p.number, extra.join("、"));
                } else {
                    let _ = writeln!(s, "  {} ({})", p.number, extra.join(", "));
                }
            }
            if let Some(u) = &r.url {
                let _ = writeln!(s, "  {u}");
            }
            if let Some(h) = &r.hours {
                let _ = writeln!(s, "  {h}");
            }
            if let Some(n) = &r.note {
                let _ = writeln!(s, "  {n}");
            }
        }
        s
    }
}

impl<'a> SupportBuilder<'a> {
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

    /// The resources to choose from (default: the embedded ones).
    pub fn directory(mut self, directory: &'a SupportDirectory) -> Self {
        self.directory = directory;
        self
    }

    /// The person's locale, e.g. `ja-JP`, `en-GB` (default: the post's
    /// language, with that language's default region).
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }

    /// The person's age group, when known.
    pub fn age_group(mut self, age: AgeGroup) -> Self {
        self.age = age;
        self
    }

    /// Builds the referral. Fails only when the verdict calls for no
    /// support, its evidence does not match the text, or the id is bad; a
    /// malformed locale or metadata is left out with a warning.
    pub fn build(self) -> Result<SupportReferral, PayloadError> {
        let v = self.verdict;
        let category = [Category::Announcement, Category::Ideation]
            .into_iter()
            .find(|&c| v.has(c))
            .ok_or(PayloadError::NoSupportCall { primary: v.primary })?;
        let label = v.label(category).expect("found above");
        record::check_evidence(v, self.post.text)?;
        let created_at = self.clock.now();
        let mut warnings = Vec::new();
        let target = record::target(self.post, created_at, false, &mut warnings)?;
        let post_language = match record::language(self.post) {
            Ok(l) => l,
            Err(e) => {
                warnings.push(format!("{e}; detected from the text instead"));
                record::detect_language(self.post.text).to_string()
            }
        };
        let mut region = None;
        if let Some(l) = &self.locale {
            match check_language("locale", l) {
                Ok(()) => {
                    region = l
                        .split('-')
                        .skip(1)
                        .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
                        .map(|p| p.to_ascii_uppercase());
                }
                Err(e) => warnings.push(format!("{e}; left out")),
            }
        }
        let (language, message) = self.directory.message(&post_language, category);
        let (resources, region) =
            self.directory
                .select(&post_language, region.as_deref(), self.age);
        let digest = record::digest(
            PayloadKind::SupportReferral,
            created_at,
            self.post,
            category,
        );
        let id = self.ids.id(PayloadKind::SupportReferral, &digest);
        record::check_payload_id(&id)?;
        Ok(SupportReferral {
            kind: SupportReferralType,
            id,
            created_at,
            category,
            target,
            language,
            region,
            age_group: self.age,
            message,
            resources,
            resources_as_of: self.directory.as_of.clone(),
            evidence: EvidenceRecord::new(v, label),
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(rs: &[Resource]) -> Vec<&str> {
        rs.iter()
            .flat_map(|r| r.phones.iter().map(|p| p.number.as_str()))
            .collect()
    }

    #[test]
    fn embedded_directory_has_exactly_the_listed_resources() {
        let d = SupportDirectory::embedded();
        assert_eq!(d.as_of().len(), 10);
        let all = numbers(d.resources());
        assert_eq!(
            all,
            [
                "0570-064-556",
                "0120-279-338",
                "0120-061-338",
                "0570-783-556",
                "0120-783-556",
                "0120-0-78310",
                "0120-99-7777",
                "988",
                "116 123"
            ]
        );
        let names: Vec<&str> = d.resources().iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "こころの健康相談統一ダイヤル",
                "よりそいホットライン",
                "#いのちSOS",
                "いのちの電話",
                "24時間子供SOSダイヤル",
                "チャイルドライン",
                "まもろうよ こころ（厚生労働省）",
                "988 Suicide & Crisis Lifeline",
                "Samaritans"
            ]
        );
        let yorisoi = &d.resources()[1];
        assert_eq!(yorisoi.phones[0].hours.as_deref(), Some("24時間"));
        let inochi = &d.resources()[3];
        assert_eq!(inochi.phones[0].hours.as_deref(), Some("10時〜22時"));
        let childline = &d.resources()[5];
        assert_eq!(childline.audience, Audience::Minor);
    }

    #[test]
    fn selection_by_region_language_and_age() {
        let d = SupportDirectory::embedded();
        let (jp_adult, region) = d.select("ja", None, AgeGroup::Adult);
        assert_eq!(region.as_deref(), Some("JP"));
        assert!(!numbers(&jp_adult).contains(&"0120-99-7777"));
        assert!(jp_adult.iter().any(|r| r.url.is_some()));
        let (jp_minor, _) = d.select("ja", Some("JP"), AgeGroup::Minor);
        assert_eq!(jp_minor[0].audience, Audience::Minor);
        assert_eq!(jp_minor[1].audience, Audience::Minor);
        assert_eq!(jp_minor.len(), 7);
        let (jp_unknown, _) = d.select("ja", None, AgeGroup::Unknown);
        assert_eq!(jp_unknown.last().unwrap().audience, Audience::Minor);
        let (us, _) = d.select("en", Some("US"), AgeGroup::Unknown);
        assert_eq!(numbers(&us), ["988"]);
        let (gb, _) = d.select("en", Some("GB"), AgeGroup::Unknown);
        assert_eq!(numbers(&gb), ["116 123"]);
        let (ie, _) = d.select("en", Some("IE"), AgeGroup::Adult);
        assert_eq!(numbers(&ie), ["116 123"]);
        let (en, region) = d.select("en", None, AgeGroup::Unknown);
        assert_eq!(region, None);
        assert_eq!(numbers(&en), ["988", "116 123"]);
        let (fr, _) = d.select("fr", Some("FR"), AgeGroup::Unknown);
        assert_eq!(fr.len(), d.resources().len());
    }

    #[test]
    fn bad_directories_are_refused_with_the_reason() {
        let base = r#"
            as_of = "2026-01-05"
            [messages.en]
            ideation = "a"
            announcement = "b"
        "#;
        let cases = [
            (
                format!(
                    "{base}[[resources]]\nid = \"x\"\nname = \"X\"\nregions = [\"US\"]\nlanguages = [\"en\"]\n"
                ),
                "neither phones nor url",
            ),
            (
                format!(
                    "{base}[[resources]]\nid = \"x\"\nname = \"X\"\nregions = [\"us\"]\nlanguages = [\"en\"]\nphones = [{{ number = \"1\" }}]\n"
                ),
                "regions",
            ),
            (
                format!(
                    "{base}[[resources]]\nid = \"x\"\nname = \"X\"\nregions = [\"US\"]\nlanguages = [\"en\"]\nurl = \"ftp://x\"\n"
                ),
                "http(s)",
            ),
            (
                format!(
                    "{base}[[resources]]\nid = \"x\"\nname = \"X\"\nregions = [\"US\"]\nlanguages = [\"en\"]\nphones = [{{ number = \"1\" }}]\n"
                )
                .replace("2026-01-05", "2026-13-05"),
                "YYYY-MM-DD",
            ),
            (format!("{base}bogus = 1\n"), "unknown field"),
        ];
        for (text, needle) in cases {
            let e = SupportDirectory::from_toml("t.toml", &text).unwrap_err();
            assert!(e.to_string().contains(needle), "{needle}: {e}");
            assert!(e.to_string().contains("t.toml"), "{e}");
        }
    }
}

//! Rule packs: the data that says what to look for.
//!
//! Concepts (with their surface forms, base forms and conjugation forms),
//! rules over concepts, thresholds, actions and the evasion table all live in
//! TOML files, so that an operator can add slang, disable a rule or change a
//! threshold without touching code. The default Japanese and English packs
//! are embedded in the binary.
//!
//! A pack is validated as a whole before it is used: a bad pack never loads
//! half-way, and every error names the pack and the rule or concept at
//! fault. Every verdict names the pack's version and content hash, so a
//! takedown request can be audited against the exact rules that produced it.
//!
//! The format is documented in `core/packs/README.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::category::{Action, Category};
use crate::error::PackError;
use crate::fold::{CharClass, Evasion};

const DEFAULT_SOURCES: [(&str, &str); 3] = [
    ("default.toml", include_str!("../packs/default.toml")),
    ("ja.toml", include_str!("../packs/ja.toml")),
    ("en.toml", include_str!("../packs/en.toml")),
];

/// Which pack a verdict was made with.
///
/// ```
/// let pack = inochi::Pack::default_pack();
/// let info = pack.info();
/// assert_eq!(info.name, "inochi-default");
/// assert!(info.hash.starts_with("sha256:"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackInfo {
    /// The pack's name (`base+extension` when extended).
    pub name: String,
    /// The pack's version (`base+extension` when extended).
    pub version: String,
    /// `sha256:` and the hex digest of every source file, in load order.
    pub hash: String,
}

/// A validated rule pack.
///
/// ```
/// use inochi::Pack;
///
/// let extended = Pack::default_pack()
///     .extend("acme-slang", r#"
///         [pack]
///         name = "acme-slang"
///         version = "1"
///
///         [concepts.DIE]
///         forms = ["ﾀﾋ"]
///     "#)
///     .unwrap();
/// assert_eq!(extended.info().name, "inochi-default+acme-slang");
/// assert_ne!(extended.info().hash, Pack::default_pack().info().hash);
///
/// let err = Pack::from_toml("broken", "[pack]\nname = 1").unwrap_err();
/// assert!(err.to_string().contains("broken"));
/// ```
#[derive(Clone, Debug)]
pub struct Pack {
    info: PackInfo,
    raw: RawPack,
    hasher: Sha256,
    pub(crate) concepts: Vec<Concept>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) thresholds: [f64; 6],
    pub(crate) actions: [Vec<Action>; 6],
    pub(crate) evasions: Vec<Evasion>,
    pub(crate) leet: Vec<(char, char)>,
    pub(crate) tail_through: Vec<String>,
    /// Words that, right after a hit, deny it or make it a yardstick
    /// (`じゃない`, `以下`): the hit stops no rule (`decide::Denials`).
    pub(crate) denied_after: Vec<String>,
    /// The same, right before a hit, as whole words (`not a`).
    pub(crate) denied_before: Vec<String>,
    /// Marks after which a post tells what it was about (`→`, `←`, `—`):
    /// a suppressor there speaks for the evidence before it
    /// (`decide::punchline`).
    pub(crate) punchline_marks: Vec<String>,
    /// Per category: concepts that, told in a punchline, stop every rule
    /// of the category whose evidence stands before it (the past exam
    /// papers of `確実にいける方法売ってます→過去問ノート`), besides each
    /// rule's own `unless`.
    pub(crate) punchline_subjects: [Vec<usize>; 6],
    /// Per category: the model probability needed, and whether the post
    /// must also hold a trigger term. `None` when the model is off.
    pub(crate) model: Option<[ModelGate; 6]>,
    /// Concepts whose presence silences the model (news, prevention,
    /// denials…): the rules read those posts as `none` on purpose.
    pub(crate) model_veto: Vec<usize>,
    /// Of `model_veto`, the concepts that also silence the model on a post
    /// with no trigger, found anywhere in it (framing: news, a friend's
    /// words, recovery), not only where analysis attached them.
    pub(crate) model_veto_untriggered: Vec<usize>,
    /// Of `model_veto`, the framings (news, law, a carer's words) that a
    /// model at `model_sure` or above overrides: one such word anywhere in
    /// a long post is a weak reason to silence a model that is all but
    /// certain. Denials and jokes are not in it.
    pub(crate) model_veto_framing: Vec<usize>,
    /// Everyday readings (a job or a school year ending, a move, a chore,
    /// a question) that explain a farewell's or a wish's words, and that a
    /// person settling their affairs writes too: at `model_certain` a model
    /// reading a wish or a plan (never a removal) is silenced neither by
    /// them as vetoes nor by a rule they alone stopped.
    pub(crate) model_veto_everyday: Vec<usize>,
    /// Concepts that silence the model only where they modify a hit: a
    /// negation or words passed on say something about the hit they bear
    /// on, not about the post ('not posting it here, message me').
    pub(crate) model_veto_attached: Vec<usize>,
    /// Per category: concepts one of which a post without a trigger must
    /// hold (found by form) for the model to give that category; empty:
    /// no such need.
    pub(crate) model_topics: [Vec<usize>; 6],
    /// Per category: concepts none of which a post may hold (found by form
    /// anywhere in it) for the model to give that category: a plan made
    /// for a hike reads like a pact to n-grams, but never is one.
    pub(crate) model_unless: [Vec<usize>; 6],
    /// The model's probability of `none` plus `ideation` at or above which
    /// the rules' takedown-class labels are dropped (above 1: never).
    pub(crate) model_overrule: f64,
    /// The model's probability of `none` at or above which the rules'
    /// announcement is not sent as an emergency but left to a person
    /// (above 1: never).
    pub(crate) model_overrule_announcement: f64,
    /// With the model's P(none) at least this, the rules' `ideation` (when
    /// it is the only label left) is not shown as a wish to die but left to
    /// a person (above 1: never).
    pub(crate) model_overrule_ideation: f64,
    /// At or above this probability the model is not silenced by a
    /// `model_veto_framing` concept, nor on a category by a rule of it that
    /// an `unless_post` framing stopped (above 1: never).
    pub(crate) model_sure: f64,
    /// With the rules' `announcement` (and no removal) and the model's
    /// `inducement` at this probability or above, the post is the
    /// invitation (above 1: never).
    pub(crate) model_invitation: f64,
    /// The same for the model's `ideation`: the post is the writer's wish
    /// (above 1: never).
    pub(crate) model_wish: f64,
    /// With the rules' `inducement` and `method` both, and the model's
    /// `method` at this probability or above, the offer of means leads
    /// (above 1: never).
    pub(crate) model_means: f64,
    /// When every rule that fired found its anchors only inside quotation
    /// marks (the post being answered) and the model reads another category
    /// at this probability or above, the model's reading is the label
    /// (above 1: never).
    pub(crate) model_reply: f64,
    /// At or above this probability a model reading `announcement` or
    /// `ideation` passes `model_veto_everyday` (above 1: never).
    pub(crate) model_certain: f64,
    /// Posts shorter than this (in characters) are left to the rules: a
    /// few heavy n-grams are not enough context for the model.
    pub(crate) model_min_chars: usize,
    /// Longer texts are left to the rules: the model was trained on posts,
    /// and its cost grows with the text.
    pub(crate) model_max_chars: usize,
    /// Terms one of which a post without a trigger must hold for the model
    /// to read it at all: the model costs more than the rules, and most
    /// posts have nothing to do with dying.
    pub(crate) model_prefilter: Vec<String>,
}

/// When the model may speak for a category.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ModelGate {
    pub(crate) min: f64,
    /// The post must hold a trigger term (suicide vocabulary).
    pub(crate) trigger: bool,
    /// The probability needed on a post with neither a trigger nor a
    /// prefilter term (above 1: never). Such posts circle dying in words
    /// of their own; reading them costs a model score on every post.
    pub(crate) anywhere: f64,
}

/// A concept: one idea (dying, togetherness, a time of day) and the ways it
/// is written.
#[derive(Clone, Debug)]
pub(crate) struct Concept {
    pub(crate) name: String,
    pub(crate) anchor: bool,
    /// Its hits deny the framing of any suppressor hit they overlap
    /// (`相談窓口には言えない` is no hotline offered).
    pub(crate) disowns: bool,
    /// Its hits inside quotation marks stop no rule and silence no model:
    /// a question quoted (「確実なやり方が知りたい」って相談が来るので) is
    /// someone else's, and the post answers it.
    pub(crate) unquoted: bool,
    /// Its forms with kanji must also be listed in their hiragana reading
    /// (`売ります` and `うります`): the spelling people use around kanji
    /// filters. The pack lists them (`scripts/add-readings.py` writes
    /// them) so that start-up tokenizes nothing; the test that checks none
    /// is missing is its only reader.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) readings: bool,
    pub(crate) forms: Vec<String>,
    pub(crate) lemmas: Vec<String>,
    pub(crate) conj: Vec<String>,
    pub(crate) pos: Vec<String>,
    pub(crate) align: Align,
    pub(crate) attach: Attach,
}

/// Where a concept's Japanese forms must sit among the tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    /// Begin and end on token boundaries (`死` is not the 死 of 必死).
    Token,
    /// Begin on a token boundary, end anywhere: a particle that opens a
    /// phrase (`とdm`, `と言わ`) is never the tail of a word (`ルート`, read
    /// `るーと` once katakana folds to hiragana).
    Start,
    /// Anywhere.
    None,
}

/// Which side of a hit a concept attaches to as a modifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attach {
    /// Overlapping the hit, in its tail, or just before it.
    Both,
    /// Only strictly before the hit (English negation: `don't want to die`).
    Before,
    /// Only overlapping the hit or in its tail.
    After,
}

/// Where a rule's conditions must meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// In one sentence.
    Sentence,
    /// Within three consecutive sentences (`decide`'s `NEAR`): a plan's
    /// time and its act stand close (今夜やる。もう決めた), while in a long
    /// post a time four lines after a wish (明日も仕事) is no plan.
    Near,
    /// Anywhere in the post.
    Post,
}

/// A rule: when its concepts meet in its [`Scope`], it assigns a category
/// with a score.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub(crate) id: String,
    pub(crate) category: Category,
    pub(crate) score: f64,
    pub(crate) scope: Scope,
    pub(crate) all: Vec<Expr>,
    pub(crate) any: Vec<Expr>,
    pub(crate) unless: Vec<Expr>,
    pub(crate) unless_post: Vec<Expr>,
    pub(crate) quoted: bool,
}

/// `DIE+WANT-NEG|VANISH_WISH`: any of its alternatives; an alternative is
/// a hit of one concept carrying every `+` modifier and none of the `-`
/// modifiers.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Expr {
    pub(crate) text: String,
    pub(crate) alts: Vec<Alt>,
}

/// One alternative of an [`Expr`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Alt {
    pub(crate) concept: usize,
    pub(crate) with: Vec<usize>,
    pub(crate) without: Vec<usize>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: RawHeader,
    #[serde(default)]
    thresholds: BTreeMap<String, f64>,
    #[serde(default)]
    actions: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    fold: RawFold,
    #[serde(default)]
    analysis: RawAnalysis,
    #[serde(default)]
    punchline: RawPunchline,
    #[serde(default)]
    concepts: BTreeMap<String, RawConcept>,
    /// Framings shared by a family of rules: the key is a rule-id prefix
    /// (`ja.inducement`), the list is joined to the `unless_post` of every
    /// rule whose id starts with the prefix and a dot. A table of lists, so
    /// that an extension adds to a family without repeating its rules.
    #[serde(default)]
    unless_post: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    model: Option<RawModel>,
}

// Not deny_unknown_fields: serde cannot combine it with flatten. Unknown
// keys land in `gates` and fail there as unknown categories.
#[derive(Clone, Debug, Default, Deserialize)]
struct RawModel {
    #[serde(default)]
    enabled: Option<bool>,
    #[serde(default)]
    veto: Vec<String>,
    #[serde(default)]
    veto_untriggered: Vec<String>,
    #[serde(default)]
    veto_framing: Vec<String>,
    #[serde(default)]
    veto_attached: Vec<String>,
    #[serde(default)]
    veto_everyday: Vec<String>,
    #[serde(default)]
    min_chars: Option<usize>,
    #[serde(default)]
    max_chars: Option<usize>,
    #[serde(default)]
    prefilter: Vec<String>,
    /// Per category: concepts one of which a post without a trigger must
    /// hold. A table of lists, so that each language pack adds its own.
    #[serde(default)]
    topics: BTreeMap<String, Vec<String>>,
    /// Per category: concepts none of which the post may hold. A table of
    /// lists, like `topics`.
    #[serde(default)]
    unless: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    overrule_takedown: Option<f64>,
    #[serde(default)]
    overrule_announcement: Option<f64>,
    #[serde(default)]
    overrule_ideation: Option<f64>,
    #[serde(default)]
    sure: Option<f64>,
    #[serde(default)]
    certain: Option<f64>,
    #[serde(default)]
    invitation: Option<f64>,
    #[serde(default)]
    wish: Option<f64>,
    #[serde(default)]
    means: Option<f64>,
    #[serde(default)]
    reply: Option<f64>,
    #[serde(flatten)]
    gates: BTreeMap<String, RawGate>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGate {
    min: f64,
    #[serde(default)]
    trigger: bool,
    anywhere: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    version: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFold {
    #[serde(default)]
    leet: BTreeMap<String, String>,
    #[serde(default)]
    evasion: Vec<RawEvasion>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvasion {
    from: String,
    to: String,
    #[serde(default)]
    not_after: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    not_before_chars: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnalysis {
    #[serde(default)]
    tail_through: Vec<String>,
    #[serde(default)]
    denied_after: Vec<String>,
    #[serde(default)]
    denied_before: Vec<String>,
}

/// `[punchline]`: the marks after which a post tells what it was about,
/// and per category the concepts that, told there, excuse it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPunchline {
    #[serde(default)]
    marks: Vec<String>,
    /// A table of lists, so that each language pack adds its own.
    #[serde(default)]
    subjects: BTreeMap<String, Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    #[serde(default)]
    anchor: bool,
    #[serde(default)]
    disowns: bool,
    #[serde(default)]
    unquoted: bool,
    #[serde(default)]
    readings: bool,
    #[serde(default)]
    forms: Vec<String>,
    #[serde(default)]
    lemmas: Vec<String>,
    #[serde(default)]
    conj: Vec<String>,
    #[serde(default)]
    pos: Vec<String>,
    #[serde(default)]
    align: Option<String>,
    #[serde(default)]
    attach: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    category: String,
    score: f64,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    all: Vec<String>,
    #[serde(default)]
    any: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    unless_post: Vec<String>,
    #[serde(default)]
    quoted: bool,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

impl Pack {
    /// The embedded default pack: Japanese and English.
    pub fn default_pack() -> Pack {
        let mut sources = DEFAULT_SOURCES.iter();
        let (name, text) = sources.next().expect("default pack has sources");
        let mut pack = Pack::from_toml(name, text).expect("the embedded default pack is valid");
        for (name, text) in sources {
            pack = pack
                .merge(name, text, false)
                .expect("the embedded default pack is valid");
        }
        pack
    }

    /// Parses and validates a complete pack. `origin` names it in errors.
    pub fn from_toml(origin: &str, text: &str) -> Result<Pack, PackError> {
        let raw = parse(origin, text)?;
        let mut hasher = Sha256::new();
        hash_source(&mut hasher, origin, text);
        let info = PackInfo {
            name: raw.pack.name.clone(),
            version: raw.pack.version.clone(),
            hash: String::new(),
        };
        let pack = Pack::compile(info, raw, hasher, origin)?;
        Ok(pack)
    }

    /// Returns this pack extended by another: new concepts and rules are
    /// added, forms of existing concepts are appended, a rule with an
    /// existing id replaces it, `disable = ["rule.id"]` removes rules, and
    /// thresholds and actions given override. On error `self` is untouched.
    pub fn extend(&self, origin: &str, text: &str) -> Result<Pack, PackError> {
        self.merge(origin, text, true)
    }

    fn merge(&self, origin: &str, text: &str, rename: bool) -> Result<Pack, PackError> {
        let ext = parse(origin, text)?;
        let mut raw = self.raw.clone();
        let mut info = self.info.clone();
        if rename {
            info.name = format!("{}+{}", info.name, ext.pack.name);
            info.version = format!("{}+{}", info.version, ext.pack.version);
        }
        for (k, v) in ext.thresholds {
            raw.thresholds.insert(k, v);
        }
        for (k, v) in ext.actions {
            raw.actions.insert(k, v);
        }
        raw.fold.leet.extend(ext.fold.leet);
        raw.fold.evasion.extend(ext.fold.evasion);
        raw.analysis.tail_through.extend(ext.analysis.tail_through);
        raw.analysis.denied_after.extend(ext.analysis.denied_after);
        raw.analysis
            .denied_before
            .extend(ext.analysis.denied_before);
        raw.punchline.marks.extend(ext.punchline.marks);
        extend_lists(&mut raw.punchline.subjects, ext.punchline.subjects);
        extend_lists(&mut raw.unless_post, ext.unless_post);
        if let Some(m) = ext.model {
            let base = raw.model.get_or_insert_with(RawModel::default);
            base.veto.extend(m.veto);
            base.veto_untriggered.extend(m.veto_untriggered);
            base.veto_framing.extend(m.veto_framing);
            base.veto_attached.extend(m.veto_attached);
            base.veto_everyday.extend(m.veto_everyday);
            // A value the extension sets replaces the base's.
            base.enabled = m.enabled.or(base.enabled);
            base.min_chars = m.min_chars.or(base.min_chars);
            base.max_chars = m.max_chars.or(base.max_chars);
            base.overrule_takedown = m.overrule_takedown.or(base.overrule_takedown);
            base.overrule_announcement = m.overrule_announcement.or(base.overrule_announcement);
            base.overrule_ideation = m.overrule_ideation.or(base.overrule_ideation);
            base.sure = m.sure.or(base.sure);
            base.certain = m.certain.or(base.certain);
            base.invitation = m.invitation.or(base.invitation);
            base.wish = m.wish.or(base.wish);
            base.means = m.means.or(base.means);
            base.reply = m.reply.or(base.reply);
            base.prefilter.extend(m.prefilter);
            extend_lists(&mut base.topics, m.topics);
            extend_lists(&mut base.unless, m.unless);
            base.gates.extend(m.gates);
        }
        for (name, c) in ext.concepts {
            match raw.concepts.get_mut(&name) {
                Some(old) => {
                    old.anchor |= c.anchor;
                    old.disowns |= c.disowns;
                    old.unquoted |= c.unquoted;
                    old.readings |= c.readings;
                    old.forms.extend(c.forms);
                    old.lemmas.extend(c.lemmas);
                    old.conj.extend(c.conj);
                    old.pos.extend(c.pos);
                    if c.align.is_some() {
                        old.align = c.align;
                    }
                    if c.attach.is_some() {
                        old.attach = c.attach;
                    }
                }
                None => {
                    raw.concepts.insert(name, c);
                }
            }
        }
        check_unique(origin, &ext.rules)?;
        for r in ext.rules {
            match raw.rules.iter_mut().find(|old| old.id == r.id) {
                Some(old) => *old = r,
                None => raw.rules.push(r),
            }
        }
        for id in &ext.disable {
            let before = raw.rules.len();
            raw.rules.retain(|r| &r.id != id);
            if raw.rules.len() == before {
                return Err(PackError::Invalid {
                    pack: origin.to_string(),
                    field: format!("disable {id:?}"),
                    reason: "no rule with that id; list the ids with `inochi rules`".into(),
                });
            }
        }
        let mut hasher = self.hasher.clone();
        hash_source(&mut hasher, origin, text);
        Pack::compile(info, raw, hasher, origin)
    }

    /// Which pack this is: name, version, content hash.
    pub fn info(&self) -> &PackInfo {
        &self.info
    }

    /// The ids of the rules, with the category each assigns.
    pub fn rules(&self) -> impl Iterator<Item = (&str, Category)> {
        self.rules.iter().map(|r| (r.id.as_str(), r.category))
    }

    /// The surface forms of the anchor concepts, as the pack spells them:
    /// the word list a plain NG-word filter would search for. A post holding
    /// none of them (after folding) is `none` before analysis.
    ///
    /// ```
    /// let pack = inochi::Pack::default_pack();
    /// assert!(pack.trigger_forms().any(|f| f == "自殺"));
    /// ```
    pub fn trigger_forms(&self) -> impl Iterator<Item = &str> {
        self.concepts
            .iter()
            .filter(|c| c.anchor)
            .flat_map(|c| c.forms.iter().map(String::as_str))
    }

    /// The score at or above which a category is assigned.
    pub fn threshold(&self, category: Category) -> f64 {
        self.thresholds[category as usize]
    }

    /// The actions a category calls for under this pack.
    pub fn actions(&self, category: Category) -> &[Action] {
        &self.actions[category as usize]
    }

    pub(crate) fn concept_index(&self, name: &str) -> Option<usize> {
        self.concepts.iter().position(|c| c.name == name)
    }

    fn compile(
        mut info: PackInfo,
        raw: RawPack,
        hasher: Sha256,
        origin: &str,
    ) -> Result<Pack, PackError> {
        let pack_err = |field: String, reason: String| PackError::Invalid {
            pack: origin.to_string(),
            field,
            reason,
        };
        let category = |field: String, k: &str| -> Result<Category, PackError> {
            k.parse().map_err(|_| {
                pack_err(
                    field,
                    "not a category; use announcement, inducement, method, incitement or ideation"
                        .into(),
                )
            })
        };
        let mut thresholds = [0.5; 6];
        for (k, v) in &raw.thresholds {
            let c = category(format!("[thresholds] {k}"), k)?;
            check_range(origin, format!("[thresholds] {k}"), *v)?;
            thresholds[c as usize] = *v;
        }
        let mut actions: [Vec<Action>; 6] = Default::default();
        for c in Category::ALL {
            actions[c as usize] = c.default_actions().to_vec();
        }
        for (k, v) in &raw.actions {
            let c = category(format!("[actions] {k}"), k)?;
            let mut list = Vec::new();
            for a in v {
                let action = parse_action(a).ok_or_else(|| {
                    pack_err(
                        format!("[actions] {k}"),
                        format!(
                            "unknown action {a:?}; use takedown, report, emergency, support or review"
                        ),
                    )
                })?;
                if c == Category::Ideation && matches!(action, Action::Takedown | Action::Report) {
                    return Err(PackError::RemovesIdeation {
                        pack: origin.to_string(),
                        category: k.clone(),
                        action: a.clone(),
                    });
                }
                list.push(action);
            }
            actions[c as usize] = list;
        }

        let mut leet = Vec::new();
        for (k, v) in &raw.fold.leet {
            let (mut kc, mut vc) = (k.chars(), v.chars());
            match (kc.next(), kc.next(), vc.next(), vc.next()) {
                (Some(a), None, Some(b), None) => leet.push((a, b)),
                _ => {
                    return Err(pack_err(
                        format!("[fold.leet] {k:?}"),
                        "both sides must be single characters, like \"1\" = \"i\"".into(),
                    ));
                }
            }
        }
        let mut evasions = Vec::new();
        for e in &raw.fold.evasion {
            let classes = |names: &[String]| -> Result<Vec<CharClass>, PackError> {
                names
                    .iter()
                    .map(|n| {
                        CharClass::parse(n).ok_or_else(|| {
                            pack_err(
                                format!("[[fold.evasion]] from = {:?}", e.from),
                                format!(
                                    "unknown character class {n:?}; use hiragana, katakana, kanji, latin or digit"
                                ),
                            )
                        })
                    })
                    .collect()
            };
            if e.from.trim().is_empty() {
                return Err(pack_err(
                    "[[fold.evasion]]".into(),
                    "`from` is empty; give the spelling to rewrite".into(),
                ));
            }
            evasions.push(Evasion {
                from: e.from.clone(),
                to: e.to.clone(),
                not_after: classes(&e.not_after)?,
                not_before: classes(&e.not_before)?,
                not_before_chars: e.not_before_chars.clone(),
            });
        }

        let mut concepts = Vec::new();
        for (name, c) in &raw.concepts {
            if !is_name(name) {
                return Err(pack_err(
                    format!("[concepts.{name}]"),
                    "concept names are upper-case letters, digits and _".into(),
                ));
            }
            if c.forms.is_empty() && c.lemmas.is_empty() && c.conj.is_empty() {
                return Err(PackError::EmptyConcept {
                    pack: origin.to_string(),
                    concept: name.clone(),
                });
            }
            if let Some(f) = c.forms.iter().find(|f| f.trim().is_empty()) {
                return Err(pack_err(
                    format!("[concepts.{name}] forms"),
                    format!("form {f:?} is empty"),
                ));
            }
            let align = match c.align.as_deref() {
                None | Some("token") => Align::Token,
                Some("start") => Align::Start,
                Some("none") => Align::None,
                Some(other) => {
                    return Err(pack_err(
                        format!("[concepts.{name}] align"),
                        format!("{other:?} is not \"token\", \"start\" or \"none\""),
                    ));
                }
            };
            let attach = match c.attach.as_deref() {
                None | Some("both") => Attach::Both,
                Some("before") => Attach::Before,
                Some("after") => Attach::After,
                Some(other) => {
                    return Err(pack_err(
                        format!("[concepts.{name}] attach"),
                        format!("{other:?} is not \"both\", \"before\" or \"after\""),
                    ));
                }
            };
            concepts.push(Concept {
                name: name.clone(),
                attach,
                anchor: c.anchor,
                disowns: c.disowns,
                unquoted: c.unquoted,
                readings: c.readings,
                forms: c.forms.clone(),
                lemmas: c.lemmas.clone(),
                conj: c.conj.clone(),
                pos: c.pos.clone(),
                align,
            });
        }
        if !concepts.iter().any(|c| c.anchor) && !raw.rules.is_empty() {
            return Err(pack_err(
                "[concepts]".into(),
                "no concept has `anchor = true`, so no post would ever be analyzed".into(),
            ));
        }

        let model = match &raw.model {
            Some(m) if m.enabled.unwrap_or(true) => {
                // A category the table does not name is never assigned by
                // the model alone.
                let mut gates = [ModelGate {
                    min: 2.0,
                    trigger: true,
                    anywhere: 2.0,
                }; 6];
                for (k, g) in &m.gates {
                    let c = category(format!("[model] {k}"), k)?;
                    check_range(origin, format!("[model] {k}.min"), g.min)?;
                    if let Some(a) = g.anywhere {
                        check_range(origin, format!("[model] {k}.anywhere"), a)?;
                        if g.trigger {
                            return Err(pack_err(
                                format!("[model] {k}.anywhere"),
                                "a category that needs a trigger is never given on a post without one; drop `anywhere` or `trigger = true`"
                                    .into(),
                            ));
                        }
                    }
                    gates[c as usize] = ModelGate {
                        min: g.min,
                        trigger: g.trigger,
                        anywhere: g.anywhere.unwrap_or(2.0),
                    };
                }
                Some(gates)
            }
            _ => None,
        };
        let mut pack = Pack {
            info: PackInfo::default_empty(),
            raw: RawPack::default(),
            hasher: Sha256::new(),
            concepts,
            rules: Vec::new(),
            thresholds,
            actions,
            evasions,
            leet,
            tail_through: raw.analysis.tail_through.clone(),
            denied_after: raw.analysis.denied_after.clone(),
            denied_before: raw.analysis.denied_before.clone(),
            punchline_marks: raw.punchline.marks.clone(),
            punchline_subjects: Default::default(),
            model,
            model_veto: Vec::new(),
            model_veto_untriggered: Vec::new(),
            model_veto_framing: Vec::new(),
            model_veto_attached: Vec::new(),
            model_veto_everyday: Vec::new(),
            model_topics: Default::default(),
            model_unless: Default::default(),
            model_overrule: 2.0,
            model_overrule_announcement: 2.0,
            model_overrule_ideation: 2.0,
            model_sure: 2.0,
            model_certain: 2.0,
            model_invitation: 2.0,
            model_means: 2.0,
            model_reply: 2.0,
            model_wish: 2.0,
            model_min_chars: raw.model.as_ref().and_then(|m| m.min_chars).unwrap_or(0),
            model_max_chars: raw
                .model
                .as_ref()
                .and_then(|m| m.max_chars)
                .unwrap_or(usize::MAX),
            model_prefilter: raw
                .model
                .as_ref()
                .map(|m| m.prefilter.clone())
                .unwrap_or_default(),
        };
        // Concept names listed in a table (`[model] veto`, `[punchline]
        // subjects.method`), as indices; an unknown one names the table.
        let indices = |section: &str,
                       field: &str,
                       names: &[String]|
         -> Result<Vec<usize>, PackError> {
            names
                .iter()
                .map(|name| {
                    pack.concept_index(name).ok_or_else(|| {
                        pack_err(
                            format!("{section} {field}"),
                            format!("unknown concept {name:?}; define it under [concepts.{name}]"),
                        )
                    })
                })
                .collect()
        };
        // `topics.<category>`, `subjects.<category>`: concept lists indexed
        // by category.
        let per_category = |section: &str,
                            table: &str,
                            lists: &BTreeMap<String, Vec<String>>|
         -> Result<[Vec<usize>; 6], PackError> {
            let mut out: [Vec<usize>; 6] = Default::default();
            for (k, names) in lists {
                let field = format!("{table}.{k}");
                let c = category(format!("{section} {field}"), k)?;
                out[c as usize] = indices(section, &field, names)?;
            }
            Ok(out)
        };
        let punchline_subjects = per_category("[punchline]", "subjects", &raw.punchline.subjects)?;
        if let Some(m) = &raw.model {
            let indices = |field: &str, names: &[String]| indices("[model]", field, names);
            let per_category = |table: &str, lists: &BTreeMap<String, Vec<String>>| {
                per_category("[model]", table, lists)
            };
            let veto = indices("veto", &m.veto)?;
            let untriggered = indices("veto_untriggered", &m.veto_untriggered)?;
            let framing = indices("veto_framing", &m.veto_framing)?;
            let attached = indices("veto_attached", &m.veto_attached)?;
            let everyday = indices("veto_everyday", &m.veto_everyday)?;
            for k in m.topics.keys() {
                category(format!("[model] topics.{k}"), k)?;
                if m.gates.get(k).is_none_or(|g| g.trigger) {
                    return Err(pack_err(
                        format!("[model] topics.{k}"),
                        format!(
                            "topics are what a post without a trigger must hold, and {k} needs a trigger (or has no gate); give it a gate without `trigger = true`"
                        ),
                    ));
                }
            }
            let topics = per_category("topics", &m.topics)?;
            let unless = per_category("unless", &m.unless)?;
            pack.model_veto = veto;
            pack.model_veto_untriggered = untriggered;
            pack.model_veto_framing = framing;
            pack.model_veto_attached = attached;
            pack.model_veto_everyday = everyday;
            pack.model_topics = topics;
            pack.model_unless = unless;
            // Probabilities; absent, each stays above 1 (off).
            for (field, value, slot) in [
                (
                    "overrule_takedown",
                    m.overrule_takedown,
                    &mut pack.model_overrule,
                ),
                (
                    "overrule_announcement",
                    m.overrule_announcement,
                    &mut pack.model_overrule_announcement,
                ),
                (
                    "overrule_ideation",
                    m.overrule_ideation,
                    &mut pack.model_overrule_ideation,
                ),
                ("sure", m.sure, &mut pack.model_sure),
                ("certain", m.certain, &mut pack.model_certain),
                ("invitation", m.invitation, &mut pack.model_invitation),
                ("wish", m.wish, &mut pack.model_wish),
                ("means", m.means, &mut pack.model_means),
                ("reply", m.reply, &mut pack.model_reply),
            ] {
                if let Some(v) = value {
                    check_range(origin, format!("[model] {field}"), v)?;
                    *slot = v;
                }
            }
        }
        pack.punchline_subjects = punchline_subjects;
        check_unique(origin, &raw.rules)?;
        for prefix in raw.unless_post.keys() {
            if !raw.rules.iter().any(|r| in_family(&r.id, prefix)) {
                return Err(pack_err(
                    format!("[unless_post] {prefix:?}"),
                    "no rule id starts with this prefix and a dot; \
                     name a family such as \"ja.inducement\""
                        .to_string(),
                ));
            }
        }
        let mut rules = Vec::new();
        for r in &raw.rules {
            let shared = raw
                .unless_post
                .iter()
                .filter(|(prefix, _)| in_family(&r.id, prefix))
                .flat_map(|(_, list)| list);
            rules.push(pack.compile_rule(origin, r, shared)?);
        }
        pack.rules = rules;
        info.hash = format!("sha256:{}", hex(&hasher.clone().finalize()));
        pack.info = info;
        pack.raw = raw;
        pack.hasher = hasher;
        Ok(pack)
    }

    /// Compiles one rule; `shared` are the `[unless_post]` framings of its
    /// families, joined after the rule's own (a framing listed twice is
    /// checked once).
    fn compile_rule<'a>(
        &self,
        origin: &str,
        r: &RawRule,
        shared: impl Iterator<Item = &'a String>,
    ) -> Result<Rule, PackError> {
        let category: Category = r.category.parse().map_err(|_| PackError::BadCategory {
            pack: origin.to_string(),
            rule: r.id.clone(),
            category: r.category.clone(),
        })?;
        if category == Category::None {
            return Err(PackError::BadCategory {
                pack: origin.to_string(),
                rule: r.id.clone(),
                category: r.category.clone(),
            });
        }
        check_range(origin, format!("rule {:?} score", r.id), r.score)?;
        if r.all.is_empty() && r.any.is_empty() {
            return Err(PackError::EmptyRule {
                pack: origin.to_string(),
                rule: r.id.clone(),
            });
        }
        let scope = match r.scope.as_deref() {
            None | Some("post") => Scope::Post,
            Some("sentence") => Scope::Sentence,
            Some("near") => Scope::Near,
            Some(other) => {
                return Err(PackError::Invalid {
                    pack: origin.to_string(),
                    field: format!("rule {:?} scope", r.id),
                    reason: format!("{other:?} is not \"sentence\", \"near\" or \"post\""),
                });
            }
        };
        let exprs = |list: &[String]| -> Result<Vec<Expr>, PackError> {
            list.iter()
                .map(|e| self.parse_expr(origin, &r.id, e))
                .collect()
        };
        Ok(Rule {
            id: r.id.clone(),
            category,
            score: r.score,
            scope,
            all: exprs(&r.all)?,
            any: exprs(&r.any)?,
            unless: exprs(&r.unless)?,
            unless_post: {
                let mut framings = r.unless_post.clone();
                for f in shared {
                    if !framings.contains(f) {
                        framings.push(f.clone());
                    }
                }
                exprs(&framings)?
            },
            quoted: r.quoted,
        })
    }

    fn parse_expr(&self, origin: &str, rule: &str, text: &str) -> Result<Expr, PackError> {
        let bad = |reason: &str| PackError::BadExpression {
            pack: origin.to_string(),
            rule: rule.to_string(),
            expr: text.to_string(),
            reason: reason.to_string(),
        };
        let lookup = |name: &str| -> Result<usize, PackError> {
            if !is_name(name) {
                return Err(bad(&format!("{name:?} is not a concept name")));
            }
            self.concept_index(name)
                .ok_or_else(|| PackError::UnknownConcept {
                    pack: origin.to_string(),
                    rule: rule.to_string(),
                    concept: name.to_string(),
                })
        };
        let text_trim = text.trim();
        let mut expr = Expr {
            text: text_trim.to_string(),
            alts: Vec::new(),
        };
        for alt in text_trim.split('|') {
            let split = alt.find(['+', '-']).unwrap_or(alt.len());
            let (head, mut rest) = alt.split_at(split);
            if head.is_empty() {
                return Err(bad("an alternative starts without a concept"));
            }
            let mut a = Alt {
                concept: lookup(head)?,
                with: Vec::new(),
                without: Vec::new(),
            };
            while !rest.is_empty() {
                let sign = rest.as_bytes()[0];
                rest = &rest[1..];
                let end = rest.find(['+', '-']).unwrap_or(rest.len());
                let idx = lookup(&rest[..end])?;
                rest = &rest[end..];
                if sign == b'+' {
                    a.with.push(idx);
                } else {
                    a.without.push(idx);
                }
            }
            expr.alts.push(a);
        }
        Ok(expr)
    }
}

impl PackInfo {
    fn default_empty() -> PackInfo {
        PackInfo {
            name: String::new(),
            version: String::new(),
            hash: String::new(),
        }
    }
}

fn parse(origin: &str, text: &str) -> Result<RawPack, PackError> {
    toml::from_str(text).map_err(|e| PackError::Syntax {
        pack: origin.to_string(),
        message: e.to_string().trim_end().to_string(),
    })
}

/// Adds an extension's per-category concept lists (`topics`, `unless`) to
/// the base pack's: each language pack brings its own concepts.
fn extend_lists(base: &mut BTreeMap<String, Vec<String>>, ext: BTreeMap<String, Vec<String>>) {
    for (k, v) in ext {
        base.entry(k).or_default().extend(v);
    }
}

/// Whether a rule id belongs to the family an `[unless_post]` key names:
/// `ja.inducement` holds `ja.inducement.recruit`, not `ja.inducements.x`.
fn in_family(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(|rest| rest.starts_with('.'))
}

fn check_unique(origin: &str, rules: &[RawRule]) -> Result<(), PackError> {
    for (i, r) in rules.iter().enumerate() {
        if rules[..i].iter().any(|o| o.id == r.id) {
            return Err(PackError::DuplicateRule {
                pack: origin.to_string(),
                rule: r.id.clone(),
            });
        }
        if r.id.trim().is_empty() {
            return Err(PackError::Invalid {
                pack: origin.to_string(),
                field: format!("rule #{}", i + 1),
                reason: "`id` is empty; give every rule a unique id".into(),
            });
        }
    }
    Ok(())
}

fn check_range(origin: &str, field: String, v: f64) -> Result<(), PackError> {
    if (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(PackError::OutOfRange {
            pack: origin.to_string(),
            field,
            value: v,
        })
    }
}

fn parse_action(s: &str) -> Option<Action> {
    Some(match s {
        "takedown" => Action::Takedown,
        "report" => Action::Report,
        "emergency" => Action::Emergency,
        "support" => Action::Support,
        "review" => Action::Review,
        _ => return None,
    })
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The content hash covers what the sources say, not where they were read
/// from: the same pack loaded from another path, or as text, hashes the same.
fn hash_source(hasher: &mut Sha256, _origin: &str, text: &str) {
    hasher.update((text.len() as u64).to_le_bytes());
    hasher.update(text.as_bytes());
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error a pack named `mine.toml` with this text is refused with.
    fn refusal(text: &str) -> String {
        Pack::from_toml("mine.toml", text).unwrap_err().to_string()
    }

    /// Asserts the pack is refused with an error naming the file and each
    /// of `needles`.
    fn assert_refused(text: &str, needles: &[&str]) {
        let msg = refusal(text);
        assert!(msg.contains("mine.toml"), "{msg}");
        for needle in needles {
            assert!(msg.contains(needle), "{needle:?} not in {msg}");
        }
    }

    const MINI: &str = r#"
        [pack]
        name = "mini"
        version = "1"

        [concepts.DIE]
        anchor = true
        forms = ["die"]

        [concepts.NEG]
        forms = ["not"]

        [[rules]]
        id = "mini.die"
        category = "ideation"
        score = 0.8
        all = ["DIE-NEG"]
    "#;

    #[test]
    fn default_pack_loads_and_is_stable() {
        let a = Pack::default_pack();
        let b = Pack::default_pack();
        assert_eq!(a.info(), b.info());
        assert!(a.rules().count() > 10);
    }

    #[test]
    fn shared_framings_join_every_rule_of_their_family() {
        let with = |table: &str| Pack::from_toml("mini", &format!("{MINI}\n{table}"));
        let p = with("[unless_post]\n\"mini\" = [\"NEG\"]").unwrap();
        assert_eq!(p.rules[0].unless_post.len(), 1);
        assert_eq!(p.rules[0].unless_post[0].text, "NEG");
        // The key is a family, not any prefix of the id's text.
        let err = with("[unless_post]\n\"mini.di\" = [\"NEG\"]").unwrap_err();
        assert!(err.to_string().contains("no rule id starts"), "{err}");
        let err = with("[unless_post]\n\"mini\" = [\"GAME\"]").unwrap_err();
        assert!(err.to_string().contains("GAME"), "{err}");
        // An extension adds to a family; a framing listed twice is read once.
        let p = p
            .extend(
                "x",
                "[pack]\nname = 'x'\nversion = '1'\n[unless_post]\n\"mini\" = [\"NEG\", \"DIE\"]",
            )
            .unwrap();
        let texts: Vec<_> = p.rules[0]
            .unless_post
            .iter()
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(texts, ["NEG", "DIE"]);
    }

    #[test]
    fn punchline_subjects_name_a_category_and_known_concepts() {
        let with = |table: &str| {
            Pack::from_toml(
                "mini",
                &format!("{MINI}\n[punchline]\nmarks = [\"→\"]\n{table}"),
            )
        };
        let p = with("[punchline.subjects]\nideation = [\"NEG\"]").unwrap();
        assert_eq!(p.punchline_marks, vec!["→".to_string()]);
        assert_eq!(p.punchline_subjects[Category::Ideation as usize].len(), 1);
        let err = with("[punchline.subjects]\nideation = [\"GAME\"]").unwrap_err();
        assert!(
            err.to_string().contains("unknown concept \"GAME\""),
            "{err}"
        );
        let err = with("[punchline.subjects]\nfun = [\"NEG\"]").unwrap_err();
        assert!(err.to_string().contains("not a category"), "{err}");
    }

    #[test]
    fn expressions_parse() {
        let p = Pack::from_toml("mini", MINI).unwrap();
        let e = p.parse_expr("mini", "r", "DIE|NEG+DIE-NEG").unwrap();
        assert_eq!(e.alts.len(), 2);
        assert_eq!(e.alts[0].with.len() + e.alts[0].without.len(), 0);
        assert_eq!(e.alts[1].with.len(), 1);
        assert_eq!(e.alts[1].without.len(), 1);
        assert!(matches!(
            p.parse_expr("mini", "r", "+DIE"),
            Err(PackError::BadExpression { .. })
        ));
        assert!(matches!(
            p.parse_expr("mini", "r", "DIE+LIVE"),
            Err(PackError::UnknownConcept { concept, .. }) if concept == "LIVE"
        ));
    }

    #[test]
    fn model_veto_names_must_be_concepts() {
        for field in [
            "veto",
            "veto_untriggered",
            "veto_attached",
            "veto_framing",
            "veto_everyday",
        ] {
            let bad = format!("{MINI}\n[model]\n{field} = [\"NOPE\"]\n");
            let msg = refusal(&bad);
            assert!(
                msg.contains(&format!("[model] {field}")) && msg.contains("NOPE"),
                "{msg}"
            );
        }
    }

    #[test]
    fn model_gate_anywhere_is_checked() {
        let ok = format!("{MINI}\n[model]\nideation = {{ min = 0.7, anywhere = 0.85 }}\n");
        let gates = Pack::from_toml("p", &ok).unwrap().model.unwrap();
        assert_eq!(gates[Category::Ideation as usize].anywhere, 0.85);
        // Not named: never given on a post with no trigger or prefilter term.
        assert!(gates[Category::Announcement as usize].anywhere > 1.0);

        let bad = format!("{MINI}\n[model]\nideation = {{ min = 0.7, anywhere = 1.5 }}\n");
        let msg = Pack::from_toml("p", &bad).unwrap_err().to_string();
        assert!(msg.contains("ideation.anywhere"), "{msg}");

        let bad =
            format!("{MINI}\n[model]\nmethod = {{ min = 0.8, trigger = true, anywhere = 0.9 }}\n");
        assert_refused(&bad, &["method.anywhere", "trigger"]);
    }

    #[test]
    fn model_unless_names_known_concepts_and_categories() {
        let ok = format!(
            "{MINI}\n[model]\ninducement = {{ min = 0.9 }}\nunless.inducement = [\"NEG\"]\n"
        );
        let p = Pack::from_toml("p", &ok).unwrap();
        assert_eq!(p.model_unless[Category::Inducement as usize].len(), 1);
        assert!(p.model_unless[Category::Method as usize].is_empty());
        for (unless, needle) in [
            ("unless.inducement = [\"NOPE\"]", "NOPE"),
            ("unless.murder = [\"NEG\"]", "murder"),
        ] {
            let bad = format!("{MINI}\n[model]\ninducement = {{ min = 0.9 }}\n{unless}\n");
            assert_refused(&bad, &["unless", needle]);
        }
    }

    #[test]
    fn model_topics_need_a_gate_without_trigger_and_known_concepts() {
        let ok = format!("{MINI}\n[model]\nmethod = {{ min = 0.9 }}\ntopics.method = [\"NEG\"]\n");
        let p = Pack::from_toml("p", &ok).unwrap();
        assert_eq!(p.model_topics[Category::Method as usize].len(), 1);
        assert!(p.model_topics[Category::Inducement as usize].is_empty());

        for (gate, topics, needle) in [
            (
                "method = { min = 0.9, trigger = true }",
                "topics.method = [\"NEG\"]",
                "needs a trigger",
            ),
            (
                "method = { min = 0.9 }",
                "topics.method = [\"NOPE\"]",
                "NOPE",
            ),
            (
                "method = { min = 0.9 }",
                "topics.inducement = [\"NEG\"]",
                "inducement",
            ),
        ] {
            let bad = format!("{MINI}\n[model]\n{gate}\n{topics}\n");
            assert_refused(&bad, &["topics", needle]);
        }
    }

    #[test]
    fn overrules_are_probabilities() {
        let p = Pack::from_toml("p", MINI).unwrap();
        assert!(p.model_overrule > 1.0, "off unless a pack sets it");
        assert!(
            p.model_overrule_announcement > 1.0 && p.model_overrule_ideation > 1.0,
            "off unless a pack sets it"
        );
        let ok = format!(
            "{MINI}\n[model]\noverrule_takedown = 0.9\noverrule_announcement = 0.8\noverrule_ideation = 0.7\n"
        );
        let p = Pack::from_toml("p", &ok).unwrap();
        assert_eq!(
            (
                p.model_overrule,
                p.model_overrule_announcement,
                p.model_overrule_ideation
            ),
            (0.9, 0.8, 0.7)
        );
        for field in [
            "overrule_takedown",
            "overrule_announcement",
            "overrule_ideation",
            "sure",
            "certain",
            "invitation",
            "wish",
            "means",
            "reply",
        ] {
            let bad = format!("{MINI}\n[model]\n{field} = 9\n");
            assert_refused(&bad, &[field]);
        }
    }

    #[test]
    fn errors_name_pack_and_rule() {
        let bad = MINI.replace("DIE-NEG", "DIE-NOPE");
        let err = Pack::from_toml("mine.toml", &bad).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("mine.toml") && msg.contains("mini.die") && msg.contains("NOPE"));

        let bad = MINI.replace("score = 0.8", "score = 1.5");
        assert!(matches!(
            Pack::from_toml("p", &bad),
            Err(PackError::OutOfRange { .. })
        ));

        let bad = MINI.replace("category = \"ideation\"", "category = \"none\"");
        assert!(matches!(
            Pack::from_toml("p", &bad),
            Err(PackError::BadCategory { .. })
        ));

        let bad = format!("{MINI}\n[actions]\nideation = [\"takedown\"]\n");
        assert!(matches!(
            Pack::from_toml("p", &bad),
            Err(PackError::RemovesIdeation { .. })
        ));

        let bad = MINI.replace("version = \"1\"", "version = \"1\"\nbogus = 2");
        assert!(matches!(
            Pack::from_toml("p", &bad),
            Err(PackError::Syntax { .. })
        ));
    }

    #[test]
    fn extension_adds_replaces_and_disables() {
        let base = Pack::from_toml("mini", MINI).unwrap();
        let ext = r#"
            disable = ["mini.die"]
            [pack]
            name = "ext"
            version = "2"
            [concepts.DIE]
            forms = ["perish"]
            [[rules]]
            id = "ext.rule"
            category = "incitement"
            score = 0.9
            all = ["DIE"]
        "#;
        let p = base.extend("ext.toml", ext).unwrap();
        let ids: Vec<_> = p.rules().map(|(id, _)| id.to_string()).collect();
        assert_eq!(ids, vec!["ext.rule"]);
        let die = &p.concepts[p.concept_index("DIE").unwrap()];
        assert_eq!(die.forms, vec!["die", "perish"]);
        assert_eq!(p.info().version, "1+2");

        let err = base
            .extend("x", "disable = ['nope']\n[pack]\nname = 'x'\nversion = '1'")
            .unwrap_err();
        assert!(err.to_string().contains("nope"));
    }

    // An extension adds its words of denial to the base's.
    #[test]
    fn extension_adds_denials() {
        let base = Pack::default_pack();
        let ext = "[pack]\nname = 'x'\nversion = '1'\n[analysis]\ndenied_after = ['とかじゃ']\ndenied_before = ['not even']";
        let p = base.extend("x", ext).unwrap();
        assert!(p.denied_after.len() == base.denied_after.len() + 1);
        assert!(p.denied_after.iter().any(|d| d == "じゃな"));
        assert_eq!(p.denied_before.last().map(String::as_str), Some("not even"));
    }
}

//! The classifier: the pipeline of DESIGN.md, built once and shared.
//!
//! fold → trigger scan → analyze (only posts with a trigger) → decide.
//!
//! A `Classifier` is immutable after it is built, `Send + Sync`, and cheap
//! to clone (it is an `Arc`), so one instance serves every thread of a
//! service.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::analyze::{self, Analyzer, DictionarySource, Token};
use crate::category::{Action, Category};
use crate::decide::{self, Attached, Decision, Denials, Stopper};
use crate::error::{Error, PackError};
use crate::explain::{Explanation, HitInfo, RuleInfo};
use crate::fold::{Folded, Folder, is_katakana, kana_fold};
use crate::model::{DEFAULT_MODEL, DEFAULT_MODEL_SHA256, Model, Opinion};
use crate::pack::{ModelGate, Pack, PackInfo};
use crate::scan::{Scanner, Screen};
use crate::verdict::{Evidence, Label, Verdict};

/// Classifies posts.
///
/// ```
/// use inochi::{Action, Category, Classifier};
///
/// let classifier = Classifier::new()?;
///
/// let v = classifier.classify("死にたいなあ");
/// assert_eq!(v.primary, Category::Ideation);
/// assert_eq!(v.actions, vec![Action::Support]);
///
/// assert_eq!(classifier.classify("死ぬほど眠い").primary, Category::None);
///
/// let batch = classifier.classify_batch(&["今日はいい天気", "k y s"]);
/// assert_eq!(batch[1].primary, Category::Incitement);
/// # Ok::<(), inochi::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Classifier {
    inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) pack: Pack,
    pub(crate) folder: Folder,
    pub(crate) scanner: Scanner,
    screen: Option<Screen>,
    pub(crate) analyzer: Analyzer,
    denials: Denials,
    // The pack's `[punchline] marks`, folded as the text is.
    punchline: Vec<String>,
    model: Option<Model>,
    // Some category's gate lets the model speak on a post without a
    // trigger term (read once from the pack's gates).
    model_untriggered: bool,
    // Some category's gate lets the model speak on a post with neither a
    // trigger nor a prefilter term: the screen cannot clear posts alone.
    model_everywhere: bool,
    prefilter: Option<aho_corasick::AhoCorasick>,
    /// The pack's identity; when a model is in use its hash also covers
    /// the model file, so a verdict names everything that decided it.
    info: PackInfo,
}

/// Builds a [`Classifier`] with another pack, an extension of the default
/// pack, or a dictionary directory.
///
/// ```
/// use inochi::{Category, Classifier};
///
/// let classifier = Classifier::builder()
///     .extend_toml("our-slang", r#"
///         [pack]
///         name = "our-slang"
///         version = "1"
///
///         [fold]
///         evasion = [{ from = "ﾀﾋ", to = "死" }]
///     "#)
///     .build()?;
/// assert_eq!(classifier.classify("ﾀﾋにたい").primary, Category::Ideation);
/// assert_eq!(classifier.pack().name, "inochi-default+our-slang");
/// # Ok::<(), inochi::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Builder {
    base: Option<PackSource>,
    extensions: Vec<PackSource>,
    dictionary: Option<DictionarySource>,
    model: Option<PathBuf>,
}

#[derive(Clone, Debug)]
enum PackSource {
    Text { origin: String, text: String },
    File(PathBuf),
    Pack(Box<Pack>),
}

impl PackSource {
    fn read(&self) -> Result<(String, String), Error> {
        match self {
            PackSource::Text { origin, text } => Ok((origin.clone(), text.clone())),
            PackSource::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                Ok((path.display().to_string(), text))
            }
            PackSource::Pack(_) => unreachable!("a compiled pack is not read"),
        }
    }
}

impl Builder {
    /// Replaces the default pack by a compiled one.
    pub fn pack(mut self, pack: Pack) -> Builder {
        self.base = Some(PackSource::Pack(Box::new(pack)));
        self
    }

    /// Replaces the default pack by one given as TOML; `origin` names it in
    /// errors.
    pub fn pack_toml(mut self, origin: &str, text: &str) -> Builder {
        self.base = Some(PackSource::Text {
            origin: origin.into(),
            text: text.into(),
        });
        self
    }

    /// Replaces the default pack by one read from a TOML file.
    pub fn pack_file(mut self, path: impl AsRef<Path>) -> Builder {
        self.base = Some(PackSource::File(path.as_ref().to_path_buf()));
        self
    }

    /// Extends the pack (by default, the embedded one) with TOML.
    pub fn extend_toml(mut self, origin: &str, text: &str) -> Builder {
        self.extensions.push(PackSource::Text {
            origin: origin.into(),
            text: text.into(),
        });
        self
    }

    /// Extends the pack with a TOML file.
    pub fn extend_file(mut self, path: impl AsRef<Path>) -> Builder {
        self.extensions
            .push(PackSource::File(path.as_ref().to_path_buf()));
        self
    }

    /// Loads IPADIC from a directory at run time instead of the embedded
    /// copy (memory-mapped).
    pub fn dictionary_dir(mut self, dir: impl AsRef<Path>) -> Builder {
        self.dictionary = Some(DictionarySource::Dir(dir.as_ref().to_path_buf()));
        self
    }

    /// Uses this n-gram model file (see `scripts/train-model.py`) instead of
    /// the embedded one. The pack's `[model]` table still decides when the
    /// model may speak; a pack without it never consults a model.
    pub fn model_file(mut self, path: impl AsRef<Path>) -> Builder {
        self.model = Some(path.as_ref().to_path_buf());
        self
    }

    /// Validates the pack, loads the dictionary and builds the automata.
    pub fn build(self) -> Result<Classifier, Error> {
        let mut pack = match self.base {
            None => Pack::default_pack(),
            Some(PackSource::Pack(p)) => *p,
            Some(src) => {
                let (origin, text) = src.read()?;
                Pack::from_toml(&origin, &text)?
            }
        };
        for ext in &self.extensions {
            let (origin, text) = match ext {
                PackSource::Pack(_) => continue,
                src => src.read()?,
            };
            pack = pack.extend(&origin, &text)?;
        }
        let source = match self.dictionary {
            Some(s) => s,
            None if cfg!(feature = "embed-ipadic") => DictionarySource::Embedded,
            None => match std::env::var_os("INOCHI_DICTIONARY") {
                Some(dir) => DictionarySource::Dir(dir.into()),
                None => DictionarySource::Embedded,
            },
        };
        let dictionary = analyze::load(&source)?;
        let folder = Folder::new(pack.evasions.clone(), pack.leet.clone());
        let scanner = Scanner::new(&pack, &folder);
        let analyzer = Analyzer::new(dictionary, &pack, &folder);
        let folded = |words: &[String]| -> Vec<String> {
            words
                .iter()
                .map(|w| kana_fold(folder.fold(w).as_str()))
                .filter(|w| !w.is_empty())
                .collect()
        };
        let denials = Denials::new(folded(&pack.denied_after), folded(&pack.denied_before));
        let punchline = folded(&pack.punchline_marks);
        let mut info = pack.info().clone();
        let model = match (&pack.model, &self.model) {
            (None, _) => None,
            (Some(_), source) => {
                let (model, digest) = match source {
                    Some(path) => {
                        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                            path: path.clone(),
                            source,
                        })?;
                        let model = Model::parse(&path.display().to_string(), &text);
                        (model, sha256_hex(&text))
                    }
                    None => (
                        Model::from_binary(DEFAULT_MODEL),
                        DEFAULT_MODEL_SHA256.to_string(),
                    ),
                };
                let model = model.map_err(|reason| PackError::Invalid {
                    pack: pack.info().name.clone(),
                    field: "[model]".into(),
                    reason,
                })?;
                info.hash = combined_hash(&info.hash, &digest);
                Some(model)
            }
        };
        let prefilter_terms: Option<Vec<String>> = (!pack.model_prefilter.is_empty()).then(|| {
            pack.model_prefilter
                .iter()
                .map(|t| kana_fold(folder.fold(t).as_str()))
                .filter(|t| !t.is_empty())
                .collect()
        });
        let prefilter = prefilter_terms.as_ref().map(|terms| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(terms)
                .expect("prefilter terms are plain strings")
        });
        // Without a prefilter a model whose gates let it speak on posts
        // without a trigger must read every post: no screen then.
        // Whether some category's gate opens on a post without a trigger,
        // at the probability `bound` picks from the gate.
        let opens_untriggered = |bound: fn(&ModelGate) -> f64| {
            pack.model.as_ref().is_some_and(|gates| {
                gates
                    .iter()
                    .zip(Category::ALL_BY_INDEX)
                    .any(|(g, c)| c != Category::None && !g.trigger && bound(g) <= 1.0)
            })
        };
        let model_untriggered = opens_untriggered(|g| g.min);
        let model_everywhere = opens_untriggered(|g| g.anywhere);
        // Nor is a screen of use when the model may speak on a post with no
        // trigger and no prefilter term: `screen` then reads every post
        // through the model, and building the automaton would only cost
        // start-up.
        let screen = (!model_everywhere
            && (model.is_none() || !model_untriggered || prefilter_terms.is_some()))
        .then(|| {
            let evasions: Vec<String> = folder.evasion_sources().map(kana_fold).collect();
            Screen::new(
                scanner
                    .trigger_forms()
                    .iter()
                    .chain(prefilter_terms.iter().flatten())
                    .chain(&evasions)
                    .map(String::as_str),
            )
        });
        Ok(Classifier {
            inner: Arc::new(Inner {
                pack,
                folder,
                scanner,
                screen,
                analyzer,
                denials,
                punchline,
                model,
                model_untriggered,
                model_everywhere,
                prefilter,
                info,
            }),
        })
    }
}

/// Why the model gave no label to a post the rules left unlabeled: the
/// question an engineer chasing a miss asks first (`inochi explain`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Silence {
    /// No model in use.
    Off,
    /// Too short or too long for the model to read.
    Length,
    /// No trigger and no prefilter term: the model never read it.
    Unread,
    /// The model reads it as ordinary, at this probability.
    Ordinary(f64),
    /// The best category's probability is under its gate.
    Below(Category, f64, f64),
    /// The category is never given on a post without a trigger.
    NeedsTrigger(Category),
    /// A veto concept (or a veto attached to a trigger hit) is there.
    Veto(String),
    /// A rule of the kind the model would give was stopped by a suppressor.
    Stopped(String),
    /// One of the category's `unless` concepts is there.
    Unless(String),
    /// The post's punchline says it was about one of the category's
    /// `[punchline] subjects`.
    Punchline(String),
    /// A post without a trigger holds none of the category's topics.
    NoTopic(Category),
    /// A wish or a plan read only with the lines of the post being
    /// answered (`> …`), not in the writer's own words.
    Answered(Category),
}

impl std::fmt::Display for Silence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Silence::Off => write!(f, "no model in use"),
            Silence::Length => write!(f, "length outside [model] min_chars..max_chars"),
            Silence::Unread => write!(f, "no trigger and no prefilter term: not read"),
            Silence::Ordinary(p) => write!(f, "reads none ({p:.2})"),
            Silence::Below(c, p, g) => write!(f, "{c} {p:.2} under its gate {g}"),
            Silence::NeedsTrigger(c) => write!(f, "{c} needs a trigger term"),
            Silence::Veto(c) => write!(f, "vetoed by {c}"),
            Silence::Stopped(r) => write!(f, "{r} was suppressed"),
            Silence::Unless(c) => write!(f, "unless {c}"),
            Silence::Punchline(c) => write!(f, "the punchline is about {c}"),
            Silence::NoTopic(c) => write!(f, "no topic of {c} in a post without a trigger"),
            Silence::Answered(c) => write!(f, "{c} only with the lines the post answers"),
        }
    }
}

/// Everything the pipeline computed for one post.
pub(crate) struct Trace {
    folded: Folded,
    kana: String,
    triggered: bool,
    // A trigger term that is a word of the post, not letters inside a
    // katakana word (the しんで of マシンで): the model's gates ask this.
    anchored: bool,
    tokens: Vec<Token>,
    pub(crate) hits: Vec<Attached>,
    // Where the text after the post's last arrow or dash starts.
    pub(crate) punchline: Option<usize>,
    // Spans of `kana` that quote the post being answered (`> …` lines).
    answered: Vec<std::ops::Range<usize>>,
    decision: Decision,
}

impl Classifier {
    /// A classifier with the embedded default packs (Japanese and English)
    /// and the embedded dictionary.
    pub fn new() -> Result<Classifier, Error> {
        Builder::default().build()
    }

    /// A builder for another pack or dictionary.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The pack this classifier uses.
    pub fn pack(&self) -> &PackInfo {
        &self.inner.info
    }

    /// The compiled pack, for listing rules and thresholds.
    pub fn rule_pack(&self) -> &Pack {
        &self.inner.pack
    }

    /// The text the rules and the model read: folded (see the `fold`
    /// stage) with katakana as hiragana. For training and debugging.
    ///
    /// ```
    /// let c = inochi::Classifier::new()?;
    /// assert_eq!(c.normalize("ｼﾆﾀｲ"), "死にたい");
    /// # Ok::<(), inochi::Error>(())
    /// ```
    pub fn normalize(&self, text: &str) -> String {
        kana_fold(self.inner.folder.fold(text).as_str())
    }

    /// Classifies one post.
    pub fn classify(&self, text: &str) -> Verdict {
        if let Some(verdict) = self.screen(text) {
            return verdict;
        }
        self.classify_full(text)
    }

    /// Every stage for `text`, with no screen.
    pub(crate) fn classify_full(&self, text: &str) -> Verdict {
        let trace = self.run(text);
        self.verdict(text, &trace)
    }

    #[cfg(feature = "stages")]
    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// `text` with every word that has kanji spelled out in hiragana from
    /// its dictionary reading (`死にたい` → `しにたい`, `自殺` → `じさつ`): the
    /// eval rewrite that spells around kanji filters.
    pub(crate) fn respell_in_hiragana(&self, text: &str) -> String {
        self.inner.analyzer.respell_in_hiragana(text)
    }

    /// True when the screen alone finds the post `none`.
    pub(crate) fn screened_clear(&self, text: &str) -> bool {
        let inner = &*self.inner;
        inner
            .screen
            .as_ref()
            .is_some_and(|s| s.clear(&inner.folder.fold_kana_plain(text)))
    }

    /// True when the screen decides the post `none` without analysis.
    #[cfg(feature = "stages")]
    pub(crate) fn screened_none(&self, text: &str) -> bool {
        self.screen(text).is_some()
    }

    /// True when the model would label a post without a trigger.
    #[cfg(feature = "stages")]
    pub(crate) fn model_would_speak(&self, kana: &str) -> bool {
        self.model_opinion(kana, false).is_ok()
    }

    /// Classifies many posts on the current rayon thread pool, keeping their
    /// order. Run it inside `ThreadPool::install` to choose the threads.
    pub fn classify_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Verdict> {
        texts
            .par_iter()
            .map(|t| self.classify(t.as_ref()))
            .collect()
    }

    /// Classifies a post and says how: folded text, tokens, concept hits,
    /// fired and suppressed rules.
    pub fn explain(&self, text: &str) -> Explanation {
        let trace = self.run(text);
        let pack = &self.inner.pack;
        let folded = trace.folded.as_str();
        let hits = trace
            .hits
            .iter()
            .map(|a| HitInfo {
                concept: pack.concepts[a.hit.concept].name.clone(),
                text: folded[a.hit.start..a.hit.end].to_string(),
                start: a.hit.start,
                end: a.hit.end,
                modifiers: a
                    .mods
                    .iter()
                    .map(|&m| pack.concepts[m].name.clone())
                    .collect(),
                quoted: a.quoted,
                title: a.title,
                answered: a.answered,
                disowned: a.disowned,
                sentence: a.sentence,
            })
            .collect();
        let fired = trace
            .decision
            .fired
            .iter()
            .map(|f| {
                let r = &pack.rules[f.rule];
                RuleInfo {
                    rule: r.id.clone(),
                    category: r.category,
                    score: r.score,
                    note: String::new(),
                }
            })
            .collect();
        let suppressed = trace
            .decision
            .suppressed
            .iter()
            .map(|s| {
                let r = &pack.rules[s.rule];
                RuleInfo {
                    rule: r.id.clone(),
                    category: r.category,
                    score: r.score,
                    note: format!("unless {}", s.by),
                }
            })
            .collect();
        let model = match &self.inner.model {
            Some(m) if self.inner.pack.model.is_some() => {
                let o = m.score(&trace.kana);
                Category::ALL
                    .into_iter()
                    .map(|c| (c, (o.probs[c as usize] * 1000.0).round() / 1000.0))
                    .collect()
            }
            _ => Vec::new(),
        };
        // Only a post the rules left unlabeled asks why the model was silent.
        let model_silence = if trace.decision.fired.is_empty() {
            self.model_label(text, &trace).err().map(|s| s.to_string())
        } else {
            None
        };
        Explanation {
            model,
            model_silence,
            folded: folded.to_string(),
            triggered: trace.triggered,
            tokens: trace.tokens.clone(),
            hits,
            fired,
            suppressed,
            verdict: self.verdict(text, &trace),
        }
    }

    pub(crate) fn run(&self, text: &str) -> Trace {
        let inner = &*self.inner;
        let folded = inner.folder.fold(text);
        let kana = kana_fold(folded.as_str());
        let mut trace = Trace {
            folded,
            kana: String::new(),
            triggered: false,
            anchored: false,
            tokens: Vec::new(),
            hits: Vec::new(),
            punchline: None,
            answered: decide::answered(&kana),
            decision: Decision::default(),
        };
        if !inner.scanner.triggers(&kana) {
            trace.kana = kana;
            return trace;
        }
        trace.triggered = true;
        let fold_text = trace.folded.as_str();
        let tokens = inner.analyzer.tokens(fold_text);
        let mut hits = inner.scanner.hits(&inner.pack, &kana, on_tokens(&tokens));
        hits.extend(inner.analyzer.token_hits(&inner.pack, &tokens));
        hits.sort_by_key(|h| (h.start, h.end, h.concept));
        hits.dedup_by_key(|h| (h.start, h.end, h.concept));
        drop_covered(&mut hits);
        trace.anchored = hits.iter().any(|h| inner.pack.concepts[h.concept].anchor)
            || inner
                .scanner
                .trigger_spans(&kana)
                .iter()
                .any(|&(s, _)| !inside_katakana_word(&tokens, s));
        // Spans of the pack's disowning concepts: a suppressor they overlap
        // stands for a framing the post denies (相談窓口には言えない), or is
        // a piece of their own words (the `anyone else` of `anyone else
        // just waiting to die?`, a question to peers about the writer's
        // own wish).
        let denials: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| inner.pack.concepts[h.concept].disowns)
            .map(|h| (h.start, h.end))
            .collect();
        let disowned: Vec<bool> = hits
            .iter()
            .map(|hit| {
                inner.denials.disown(&kana, hit.start, hit.end)
                    || (!inner.pack.concepts[hit.concept].disowns
                        && denials.iter().any(|&(s, e)| s < hit.end && hit.start < e))
            })
            .collect();
        let attached = inner
            .analyzer
            .attach(&inner.pack, fold_text, &tokens, &hits);
        // Concepts attached to each hit, and those attached through hits
        // that are not disowned: a disowned hit may still complete an
        // expression (`+`), but it rules nothing out (`-`, an attached
        // veto), as it stops no rule.
        let mods: Vec<(Vec<usize>, Vec<usize>)> = attached
            .iter()
            .map(|ks| {
                (
                    concepts_of(&hits, ks.iter().copied()),
                    concepts_of(&hits, ks.iter().copied().filter(|&k| !disowned[k])),
                )
            })
            .collect();
        let sentences = decide::sentences(&kana);
        let (quoted, titles) = decide::quotes(&kana);
        trace.hits = hits
            .into_iter()
            .zip(mods)
            .zip(disowned)
            .map(|((hit, (mods, owned_mods)), disowned)| {
                let in_quotes = inside(&quoted, hit.start, hit.end);
                Attached {
                    quoted: in_quotes,
                    title: inside(&titles, hit.start, hit.end),
                    answered: inside(&trace.answered, hit.start, hit.end),
                    // A quoted hit of an `unquoted` concept is someone
                    // else's words: it stops no rule and silences no model.
                    // A `-` in an expression still sees it: modifiers were
                    // attached above, before quotes are read.
                    disowned: disowned || (in_quotes && inner.pack.concepts[hit.concept].unquoted),
                    owned_mods,
                    sentence: sentences
                        .partition_point(|r| r.end <= hit.start)
                        .min(sentences.len().saturating_sub(1)),
                    mods,
                    hit,
                }
            })
            .collect();
        trace.punchline = decide::punchline(&kana, &inner.punchline);
        trace.decision = decide::decide(&inner.pack, &trace.hits, trace.punchline);
        trace.tokens = tokens;
        trace.kana = kana;
        trace
    }

    fn verdict(&self, original: &str, trace: &Trace) -> Verdict {
        let pack = &self.inner.pack;
        let mut chars = CharCounter::new(original);
        let mut verdict = Verdict::none(&self.inner.info);
        for category in Category::ALL {
            if category == Category::None {
                continue;
            }
            let score = trace.decision.scores[category as usize];
            if score <= 0.0 || score < pack.threshold(category) {
                continue;
            }
            let mut evidence: Vec<Evidence> = Vec::new();
            for f in &trace.decision.fired {
                let rule = &pack.rules[f.rule];
                if rule.category != category {
                    continue;
                }
                for &i in &f.evidence {
                    let hit = &trace.hits[i].hit;
                    let r = trace.folded.original_range(hit.start..hit.end);
                    let e = Evidence {
                        rule: rule.id.clone(),
                        concept: pack.concepts[hit.concept].name.clone(),
                        byte_start: r.start,
                        byte_end: r.end,
                        char_start: chars.at(r.start),
                        char_end: chars.at(r.end),
                        text: original[r].to_string(),
                    };
                    evidence.push(e);
                }
            }
            evidence.sort_by(|a, b| {
                (a.byte_start, a.byte_end, &a.rule, &a.concept).cmp(&(
                    b.byte_start,
                    b.byte_end,
                    &b.rule,
                    &b.concept,
                ))
            });
            evidence.dedup();
            verdict.labels.push(Label {
                category,
                score: (score * 1000.0).round() / 1000.0,
                evidence,
            });
        }
        // The model overrules only the rules: a label it gave itself was
        // read from the same score.
        let from_rules = !verdict.labels.is_empty();
        if !from_rules && let Ok(label) = self.model_label(original, trace) {
            verdict.labels.push(label);
        }
        let second = std::cell::OnceCell::new();
        let second = || second.get_or_init(|| self.second_reading(trace)).as_ref();
        let prob = |o: &Opinion, c: Category| o.probs[c as usize];
        // Removal needs both readers: when the model reads the post as
        // `none` or as the writer's own wish to die (`overrule_takedown`
        // between the two), the takedown-class labels go, and a person
        // asking for help is not removed.
        if from_rules
            && verdict
                .labels
                .iter()
                .any(|l| l.category.is_takedown_class())
            && pack.model_overrule <= 1.0
            && let Some(opinion) = second().filter(|o| {
                prob(o, Category::None) + prob(o, Category::Ideation) >= pack.model_overrule
            })
        {
            verdict.labels.retain(|l| !l.category.is_takedown_class());
            if verdict.labels.is_empty() && opinion.best.0 == Category::Ideation {
                verdict
                    .labels
                    .push(Self::model_evidence(original, trace, opinion));
            }
        }
        // A plan's words in an invitation are the invitee's (最後の日は私の
        // 部屋に来ませんか; うち来てええよ、一緒に眠ろ), and a farewell's
        // words in a wish are the wish's (I'd give anything to just go to
        // sleep forever. Forgive me.): when the rules read an announcement
        // and nothing to remove, and the model reads an invitation at
        // `[model] invitation` or the writer's wish at `[model] wish`, that
        // is the label. Both readers saw harm; they differ only on which.
        // So too when the rules read the invitation beside the plan
        // (一人で逝くのは心細い方、最期までご一緒させていただきます): the
        // plan is the invitee's. Not an invitation the post's punchline
        // excused (一緒に行かない？ → 今のバイト): the model reads the words,
        // not what they were about.
        let rereading = [
            (Category::Inducement, pack.model_invitation),
            (Category::Ideation, pack.model_wish),
        ];
        if from_rules
            && verdict
                .labels
                .iter()
                .any(|l| l.category == Category::Announcement)
            && let Some(opinion) = second().filter(|o| {
                rereading
                    .iter()
                    .any(|&(c, at)| o.best.0 == c && at <= 1.0 && o.best.1 >= at)
                    && !verdict
                        .labels
                        .iter()
                        .any(|l| l.category.is_takedown_class() && l.category != o.best.0)
                    && !trace.decision.suppressed.iter().any(|s| {
                        pack.rules[s.rule].category == o.best.0
                            && matches!(s.stopper, Stopper::Punchline(_))
                    })
            })
        {
            verdict
                .labels
                .retain(|l| l.category != Category::Announcement);
            if !verdict.labels.iter().any(|l| l.category == opinion.best.0) {
                let label = Self::model_evidence(original, trace, opinion);
                verdict.labels.insert(0, label);
            }
        }
        // An offer of means addressed to those who want to die
        // (死にたい人へ、確実な方法教えます; leftover pills "for anyone who
        // wants out") meets the invitation rules as well as the method
        // rules: when the model reads `method` at `[model] means`, the
        // invitation's words are the offer's and `method` is the label, as
        // a plan's words in an invitation are the invitee's above. Both
        // readers saw a removal; they differ only on which.
        let has = |c: Category| verdict.labels.iter().any(|l| l.category == c);
        if from_rules
            && has(Category::Inducement)
            && has(Category::Method)
            && pack.model_means <= 1.0
            && second()
                .is_some_and(|o| o.best.0 == Category::Method && o.best.1 >= pack.model_means)
        {
            verdict
                .labels
                .retain(|l| l.category != Category::Inducement);
        }
        // Quoted words are the other post's ("how do people even do it
        // painlessly" ⏎ I have a guide for that): the rules read the
        // question, a wish to know how, and the answer has no suicide word
        // of its own. When every rule that fired found its suicide words
        // (anchors) only inside quotation marks and the model reads another
        // kind of harm at `[model] reply`, the answer is that harm, labeled
        // as the model labels any post (its gates and vetoes hold).
        let anchor = |i: &usize| pack.concepts[trace.hits[*i].hit.concept].anchor;
        let quoted_only = from_rules
            && trace.decision.fired.iter().all(|f| {
                f.evidence.iter().any(anchor)
                    && f.evidence
                        .iter()
                        .filter(|i| anchor(i))
                        .all(|&i| trace.hits[i].quoted)
            });
        if quoted_only
            && pack.model_reply <= 1.0
            && second().is_some_and(|o| {
                o.best.0 != Category::None
                    && o.best.1 >= pack.model_reply
                    && !verdict.labels.iter().any(|l| l.category == o.best.0)
            })
            && let Ok(label) = self.model_label(original, trace)
            && !verdict.labels.iter().any(|l| l.category == label.category)
        {
            verdict.labels = vec![label];
        }
        // An emergency report the model is sure is an ordinary post (a
        // channel closing "tonight, thank you all", "goodbye world" at 1%
        // battery) is not sent: a person looks instead. Only `none` counts
        // here; a wish to die read into an announcement is no reason to
        // wait.
        let doubted = from_rules
            && verdict
                .labels
                .iter()
                .any(|l| l.category == Category::Announcement)
            && pack.model_overrule_announcement <= 1.0
            && second()
                .is_some_and(|o| prob(o, Category::None) >= pack.model_overrule_announcement);
        if doubted {
            verdict
                .labels
                .retain(|l| l.category != Category::Announcement);
        }
        // Nor is a wish to die shown when the rules read one and the model
        // is sure the post is ordinary: on held-out posts these were a
        // nursing student's exercise, a pest, a friend's story, a rehearsal
        // (eleven of thirteen across twenty-four sets scored by models that
        // never saw them). A person looks instead, so a real wish the words
        // hide is not dropped unseen.
        let wish_doubted = from_rules
            && !verdict.labels.is_empty()
            && verdict
                .labels
                .iter()
                .all(|l| l.category == Category::Ideation)
            && pack.model_overrule_ideation <= 1.0
            && second().is_some_and(|o| prob(o, Category::None) >= pack.model_overrule_ideation);
        if wish_doubted {
            verdict.labels.clear();
        }
        let doubted = doubted || wish_doubted;
        if let Some(first) = verdict.labels.first() {
            verdict.primary = first.category;
        }
        let mut actions: Vec<Action> = Vec::new();
        for l in &verdict.labels {
            for &a in pack.actions(l.category) {
                if !actions.contains(&a) {
                    actions.push(a);
                }
            }
        }
        if doubted && !actions.contains(&Action::Review) {
            actions.push(Action::Review);
        }
        // A takedown-class label the model gave to a post without a single
        // suicide word rests on n-grams and a topic (company, a target, an
        // offer): a person should look before it comes down.
        if !from_rules
            && !trace.anchored
            && verdict.primary.is_takedown_class()
            && !actions.contains(&Action::Review)
        {
            actions.push(Action::Review);
        }
        verdict.actions = actions;
        verdict
    }
}

impl Classifier {
    /// The verdict of a post that holds no trigger and that the model leaves
    /// alone: `none`, decided on the folded text alone. That is most posts,
    /// and they never pay for the map back to the original text. `None`
    /// means the post needs the full pipeline.
    fn screen(&self, text: &str) -> Option<Verdict> {
        let inner = &*self.inner;
        // A category the model may give on any post (no prefilter) leaves
        // nothing for the screen to clear on its own: every post is scored.
        if !inner.model_everywhere && self.screened_clear(text) {
            return Some(Verdict::none(&inner.info));
        }
        let kana = inner.folder.fold_kana(text);
        if inner.scanner.triggers(&kana) || self.model_opinion(&kana, false).is_ok() {
            return None;
        }
        Some(Verdict::none(&inner.info))
    }

    /// The model's opinion (category, probability, evidence spans in `kana`) of a
    /// post no rule explained and no veto silenced, if its gates open.
    fn model_opinion(&self, kana: &str, triggered: bool) -> Result<Opinion, Silence> {
        let inner = &*self.inner;
        let (Some(model), Some(gates)) = (inner.model.as_ref(), inner.pack.model.as_ref()) else {
            return Err(Silence::Off);
        };
        if !self.model_reads(kana) {
            return Err(Silence::Length);
        }
        // Scanned at most once, and only for a post without a trigger.
        let missed = std::cell::OnceCell::new();
        let misses_prefilter =
            || *missed.get_or_init(|| inner.prefilter.as_ref().is_some_and(|p| !p.is_match(kana)));
        if !triggered
            && (!inner.model_untriggered || (!inner.model_everywhere && misses_prefilter()))
        {
            return Err(Silence::Unread);
        }
        let opinion = model.score_windows(kana);
        let (category, p) = opinion.best;
        let gate = gates[category as usize];
        if category == Category::None {
            return Err(Silence::Ordinary(p));
        }
        if p < gate.min {
            return Err(Silence::Below(category, p, gate.min));
        }
        if !triggered && gate.trigger {
            return Err(Silence::NeedsTrigger(category));
        }
        if !triggered && p < gate.anywhere && misses_prefilter() {
            return Err(Silence::Below(category, p, gate.anywhere));
        }
        Ok(opinion)
    }

    /// Whether the post's length is one the model reads: a few n-grams are
    /// not context enough, and documents are not the posts it learned from.
    fn model_reads(&self, kana: &str) -> bool {
        let pack = &self.inner.pack;
        (pack.model_min_chars..=pack.model_max_chars).contains(&kana.chars().count())
    }

    /// The model's opinion of a post the rules labeled, for a second
    /// reading (`[model] overrule_*`); `None` when no model is in use or
    /// the post's length is not one it reads. Only the rare posts the rules
    /// label pay for the score.
    fn second_reading(&self, trace: &Trace) -> Option<Opinion> {
        let inner = &*self.inner;
        let model = inner.model.as_ref()?;
        if inner.pack.model.is_none() || !self.model_reads(&trace.kana) {
            return None;
        }
        Some(model.score(&trace.kana))
    }

    /// The model's label for a post no rule explained, if its gate opens.
    fn model_label(&self, original: &str, trace: &Trace) -> Result<Label, Silence> {
        let inner = &*self.inner;
        // The rules said `none` on purpose when a veto concept (news,
        // prevention, a denial not itself denied) is in the post. A
        // suppressed rule speaks only for its own kind (below): a stopped
        // order or invitation says "not that" ('I wish I had the courage
        // to just end it' is no order to anyone), and the model may still
        // read the writer's own wish there; a stopped wish says "not the
        // writer's", and the model may still read an order.
        //
        // `veto_attached` concepts (a negation, words passed on) veto only
        // where they bear on a hit: the `not` of 'not posting it here,
        // message me' denies nothing the post is about.
        //
        // A framing word anywhere in a long post (a 被害者 in a rant, a
        // hotline the writer scorns) is a weak reason to silence a model
        // that is all but certain: at `[model] sure` the framings among the
        // vetoes (`veto_framing`) no longer silence it, nor do rules that
        // only such a framing stopped (`weakly_stopped`, below). A denial, a joke
        // or another reading of the post (a resignation, a confession)
        // still does, and so do local reasons (a negation on the hit, words
        // passed on): those are checked before the model is scored.
        let pack = &inner.pack;
        let vetoing = |a: &Attached, framing: bool| {
            pack.model_veto.contains(&a.hit.concept)
                && !a.disowned
                && !a.answered
                && pack.model_veto_framing.contains(&a.hit.concept) == framing
        };
        // An attached veto bears on suicide vocabulary (an anchor): the 推し
        // of 推しのライブ makes hyperbole of no 今夜行きます elsewhere.
        //
        // An everyday reading (`veto_everyday`: a job ending, a move, a
        // chore, a question) is also what someone settling their affairs
        // writes (退職届と一緒に遺書も置いてきた; last day of school, then
        // i'm done): it waits for the model, which at `[model] certain`
        // reads a wish or a plan past it.
        let name = |c: usize| pack.concepts[c].name.clone();
        let everyday = |c: &usize| pack.model_veto_everyday.contains(c);
        let mut waiting: Option<String> = None;
        for a in &trace.hits {
            let veto = vetoing(a, false).then(|| (a.hit.concept, name(a.hit.concept)));
            // The words of the post being answered (> I don't know how to
            // do it) say nothing of the answer.
            let attached = (pack.concepts[a.hit.concept].anchor && !a.answered)
                .then(|| {
                    a.owned_mods
                        .iter()
                        .find(|m| pack.model_veto_attached.contains(m))
                        .map(|&m| (m, format!("{} on {}", name(m), name(a.hit.concept))))
                })
                .flatten();
            for (c, why) in veto.into_iter().chain(attached) {
                if !everyday(&c) {
                    return Err(Silence::Veto(why));
                }
                waiting.get_or_insert(why);
            }
        }
        let opinion = self.model_opinion(&trace.kana, trace.anchored)?;
        // A wish or a plan is the writer's own: it must be read in the
        // writer's words alone, without the lines of the post being
        // answered (>死にたい ⏎ 温かいもん食って寝ろ is comfort, not a
        // wish). An offer or an order answers those lines and is read
        // with them (>how do I do it ⏎ I'll walk you through it).
        if matches!(opinion.best.0, Category::Ideation | Category::Announcement)
            && !trace.answered.is_empty()
        {
            let mut own = String::with_capacity(trace.kana.len());
            let mut at = 0;
            for r in &trace.answered {
                own.push_str(&trace.kana[at..r.start]);
                at = r.end;
            }
            own.push_str(&trace.kana[at..]);
            let anchored = trace
                .hits
                .iter()
                .any(|a| !a.answered && pack.concepts[a.hit.concept].anchor);
            match self.model_opinion(&own, anchored) {
                Ok(o) if o.best.0 == opinion.best.0 => {}
                _ => return Err(Silence::Answered(opinion.best.0)),
            }
        }
        let sure = opinion.best.1 >= pack.model_sure;
        let certain = opinion.best.1 >= pack.model_certain && !opinion.best.0.is_takedown_class();
        if let Some(why) = waiting.filter(|_| !certain) {
            return Err(Silence::Veto(why));
        }
        if !sure && let Some(a) = trace.hits.iter().find(|a| vetoing(a, true)) {
            return Err(Silence::Veto(name(a.hit.concept)));
        }
        // A wish or a plan the rules stopped (it was addressed to someone,
        // or only an idiom) is no wish or plan for the model either; an
        // order the n-grams read in the same words may still stand
        // (お前に生きる資格ないよ is not the writer's wish, it is an order).
        //
        // A rule that a framing (`veto_framing`) anywhere in the post
        // stopped stops no sure model, whatever other `unless_post` the post
        // also meets (a plan posted beside a hotline number and a 死にたい人
        // is still a plan; asking that every framing met be of that kind
        // lost four plans and two removals of the corpus); one stopped by
        // another reading of the post alone (a resignation, a sign-off)
        // does. Nor does a wish or a plan stopped in its sentence only by
        // framings or by words the model weighs only where they bear on
        // suicide vocabulary (`veto_attached`: the 推し of 推しの声聞いても
        // 何も感じない, in the sentence of a 消えたい it does not touch;
        // checked above; the ゲーム of しにたいしにたいゲームでも負けるし). A
        // removal stays stopped: 二日酔い、お前が死ね orders a hangover, which
        // no attachment shows.
        let weakly_stopped = |s: &crate::decide::Suppressed| {
            let rule = &pack.rules[s.rule];
            let all_in = |e: &crate::pack::Expr, weak: &dyn Fn(&usize) -> bool| {
                e.alts.iter().all(|a| weak(&a.concept))
            };
            let framing = |c: &usize| pack.model_veto_framing.contains(c);
            let stopped_only_by = |weak: &dyn Fn(&usize) -> bool| match &s.stopper {
                Stopper::UnlessPost(met) => met.iter().any(|&e| all_in(&rule.unless_post[e], weak)),
                Stopper::Unless(e) => all_in(&rule.unless[*e], weak),
                Stopper::Punchline(c) => weak(c),
            };
            if certain && !rule.category.is_takedown_class() && stopped_only_by(&everyday) {
                return true;
            }
            sure && match s.stopper {
                Stopper::UnlessPost(_) => stopped_only_by(&framing),
                Stopper::Unless(_) => {
                    !rule.category.is_takedown_class()
                        && stopped_only_by(&|c| pack.model_veto_attached.contains(c) || framing(c))
                }
                // What the post said it was about is no framing a sure
                // model may read past.
                Stopper::Punchline(_) => false,
            }
        };
        let stopped =
            |s: &&crate::decide::Suppressed| Silence::Stopped(pack.rules[s.rule].id.clone());
        if !opinion.best.0.is_takedown_class()
            && let Some(s) =
                trace.decision.suppressed.iter().find(|s| {
                    !pack.rules[s.rule].category.is_takedown_class() && !weakly_stopped(s)
                })
        {
            return Err(stopped(&s));
        }
        // ...but never the order or invitation a rule was stopped from
        // giving. A rule stopped from calling an offer of means an
        // invitation (a how-to for 楽になりたい人) says nothing against the
        // means.
        if let Some(s) = trace
            .decision
            .suppressed
            .iter()
            .find(|s| pack.rules[s.rule].category == opinion.best.0 && !weakly_stopped(s))
        {
            return Err(stopped(&s));
        }
        // A post without a trigger was never scanned for concepts, and one
        // whose only triggers are letters inside katakana words (マシンで)
        // holds no suicide vocabulary either: the gates and checks are
        // those of a post without a trigger. The pack's `veto_untriggered`
        // concepts (news, prevention, recovery) must still
        // silence the model there, and the category's `topics` (an offer, a
        // plan made together) must be there and its `unless` concepts (a
        // hike, a shift) must not. They are found as in an analyzed post, on
        // token boundaries: FICTION's 役 (a role) is not the 役 of 役に立たない.
        // Only when the model is about to speak: this analysis is rare.
        //
        // The n-grams read a look-alike's words, not what its punchline says
        // they were about (確実なやつ手に入るよ→文化祭ライブの整理券): one of
        // the category's `[punchline] subjects` there silences the model as
        // it stops the rules.
        let topics = &inner.pack.model_topics[opinion.best.0 as usize];
        let unless = &inner.pack.model_unless[opinion.best.0 as usize];
        let subjects = &inner.pack.punchline_subjects[opinion.best.0 as usize];
        if trace.anchored {
            if let Some(a) = trace
                .hits
                .iter()
                .find(|a| unless.contains(&a.hit.concept) && !a.disowned)
            {
                return Err(Silence::Unless(name(a.hit.concept)));
            }
            if let Some(p) = trace.punchline
                && let Some(a) = trace
                    .hits
                    .iter()
                    .find(|a| a.hit.start >= p && subjects.contains(&a.hit.concept) && !a.disowned)
            {
                return Err(Silence::Punchline(name(a.hit.concept)));
            }
        } else if !inner.pack.model_veto_untriggered.is_empty()
            || !topics.is_empty()
            || !unless.is_empty()
            || !subjects.is_empty()
        {
            let tokens = inner.analyzer.tokens(trace.folded.as_str());
            let hits = inner
                .scanner
                .hits(&inner.pack, &trace.kana, on_tokens(&tokens));
            // As in an analyzed post, a hit the words beside it deny (a
            // cover story: 親には「旅行」と伝えてある) silences nothing.
            let denied = |h: &crate::scan::Hit| inner.denials.disown(&trace.kana, h.start, h.end);
            let vetoes = |h: &crate::scan::Hit| {
                inner.pack.model_veto_untriggered.contains(&h.concept)
                    && !(sure && inner.pack.model_veto_framing.contains(&h.concept))
                    && !(certain && everyday(&h.concept))
            };
            if let Some(h) = hits.iter().find(|h| vetoes(h) && !denied(h)) {
                return Err(Silence::Veto(name(h.concept)));
            }
            if let Some(h) = hits
                .iter()
                .find(|h| unless.contains(&h.concept) && !denied(h))
            {
                return Err(Silence::Unless(name(h.concept)));
            }
            if let Some(p) = decide::punchline(&trace.kana, &inner.punchline)
                && let Some(h) = hits
                    .iter()
                    .find(|h| h.start >= p && subjects.contains(&h.concept) && !denied(h))
            {
                return Err(Silence::Punchline(name(h.concept)));
            }
            if !topics.is_empty() && !hits.iter().any(|h| topics.contains(&h.concept)) {
                return Err(Silence::NoTopic(opinion.best.0));
            }
        }
        Ok(Self::model_evidence(original, trace, &opinion))
    }

    /// The label the model's opinion makes, its evidence mapped back to
    /// the original text.
    fn model_evidence(original: &str, trace: &Trace, opinion: &Opinion) -> Label {
        let (category, p) = opinion.best;
        let mut chars = CharCounter::new(original);
        let mut spans: Vec<(usize, usize)> = opinion
            .spans
            .iter()
            .map(|&(s, e)| {
                let r = trace.folded.original_range(s..e);
                (r.start, r.end)
            })
            .collect();
        spans.sort_unstable();
        spans.dedup();
        let evidence = spans
            .into_iter()
            .map(|(s, e)| Evidence {
                rule: "model.ngram".into(),
                concept: "MODEL".into(),
                byte_start: s,
                byte_end: e,
                char_start: chars.at(s),
                char_end: chars.at(e),
                text: original[s..e].to_string(),
            })
            .collect();
        Label {
            category,
            score: (p * 1000.0).round() / 1000.0,
            evidence,
        }
    }
}

/// `sha256:` over the pack's hash and the model file, so that the hash in a
/// verdict changes when either does.
fn combined_hash(pack_hash: &str, model_sha256: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(pack_hash.as_bytes());
    h.update(b"\0model:");
    h.update(model_sha256.as_bytes());
    format!("sha256:{}", crate::pack::hex(&h.finalize()))
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::pack::hex(&Sha256::digest(text.as_bytes()))
}

/// Char offsets of byte offsets, counted once from the start and then
/// incrementally: evidence arrives roughly in order, so a post with many
/// spans is still read about once.
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> CharCounter<'a> {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Whether a span `s..e` of the analyzed text starts and ends on token
/// boundaries: what `align = "token"` asks of a concept's forms.
fn on_tokens(tokens: &[Token]) -> impl Fn(usize, usize) -> (bool, bool) {
    let starts: Vec<usize> = tokens.iter().map(|t| t.start).collect();
    let ends: Vec<usize> = tokens.iter().map(|t| t.end).collect();
    move |s, e| {
        (
            starts.binary_search(&s).is_ok(),
            ends.binary_search(&e).is_ok(),
        )
    }
}

/// True when byte `at` of the folded text lies inside a katakana word,
/// after its first char: a trigger there is letters of a loanword
/// (マシン), not a word of the post. A word written wholly in
/// katakana to dodge a filter (ｼﾆﾀｲ, ｼﾝﾃﾞﾓｲｲ) begins with its trigger.
fn inside_katakana_word(tokens: &[Token], at: usize) -> bool {
    tokens
        .iter()
        .any(|t| t.start < at && at < t.end && t.surface.chars().all(is_katakana))
}

/// The concepts of the hits at `indices`, sorted, each once.
fn concepts_of(hits: &[crate::scan::Hit], indices: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut cs: Vec<usize> = indices.map(|k| hits[k].concept).collect();
    cs.sort_unstable();
    cs.dedup();
    cs
}

/// Drops every hit inside a longer hit of the same concept (`一緒` in
/// `一緒に`): it says nothing more, and keeping only the longest keeps
/// evidence clean. `hits` is sorted by start; the result keeps that order.
fn drop_covered(hits: &mut Vec<crate::scan::Hit>) {
    let mut order: Vec<usize> = (0..hits.len()).collect();
    // Per concept, by start, longest first: a hit is covered when an
    // earlier one of its concept reaches at least as far and is longer.
    order.sort_by_key(|&i| {
        let h = &hits[i];
        (h.concept, h.start, std::cmp::Reverse(h.end))
    });
    let mut covered = vec![false; hits.len()];
    let mut reach: Option<(usize, usize, usize)> = None; // concept, start, end
    for &i in &order {
        let h = &hits[i];
        match reach {
            Some((c, s, e)) if c == h.concept && h.end <= e && (e - s) > (h.end - h.start) => {
                covered[i] = true;
            }
            Some((c, _, e)) if c == h.concept && h.end <= e => {}
            _ => reach = Some((h.concept, h.start, h.end)),
        }
    }
    let mut keep = covered.into_iter().map(|c| !c);
    hits.retain(|_| keep.next().unwrap_or(true));
}

/// True when `s..e` lies inside one of `spans` (sorted by start, not
/// overlapping each other within one kind of bracket).
fn inside(spans: &[std::ops::Range<usize>], s: usize, e: usize) -> bool {
    let i = spans.partition_point(|r| r.start <= s);
    spans[..i].iter().rev().take(4).any(|r| e <= r.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    /// The default pack extended with a `[model]` table of `model_toml`.
    fn with_model_table(model_toml: &str) -> Result<Classifier, crate::Error> {
        Classifier::builder()
            .extend_toml(
                "test",
                &format!("[pack]\nname = \"test\"\nversion = \"1\"\n[model]\n{model_toml}\n"),
            )
            .build()
    }

    /// Asserts that some rule fired for `category` on `post`, whatever the
    /// verdict became after the model's second reading.
    fn assert_rules_gave(c: &Classifier, post: &str, category: &str) {
        let fired = c.explain(post).to_string();
        assert!(fired.contains(&format!("→ {category}")), "{fired}");
    }

    /// A classifier of one small pack, `body` after its `[pack]` table.
    fn mini(body: &str) -> Classifier {
        let pack = format!("[pack]\nname = \"mini\"\nversion = \"1\"\n{body}");
        Classifier::builder()
            .pack_toml("mini", &pack)
            .build()
            .unwrap()
    }

    /// The categories `c` labels `post` with, in the verdict's order.
    fn labels(c: &Classifier, post: &str) -> Vec<&'static str> {
        c.classify(post)
            .labels
            .iter()
            .map(|l| l.category.as_str())
            .collect()
    }

    #[test]
    fn a_near_rule_reads_three_sentences_at_a_time() {
        let c = mini(
            r#"
            [concepts.DIE]
            anchor = true
            forms = ["die"]

            [concepts.TIME]
            forms = ["tonight"]

            [concepts.GAME]
            forms = ["boss"]

            [[rules]]
            id = "mini.plan"
            category = "announcement"
            score = 0.8
            scope = "near"
            all = ["DIE", "TIME"]
            unless = ["GAME"]
        "#,
        );
        let flagged = |post: &str| c.classify(post).primary == Category::Announcement;
        assert!(flagged("i will die. tonight."));
        assert!(flagged("i will die. it is over. tonight."));
        assert!(!flagged("i will die. a. b. tonight."));
        // A suppressor in the window stops it, also where the evidence
        // stands in a later sentence of the window.
        assert!(!flagged("the boss made me die. die tonight."));
    }

    #[test]
    fn a_punchline_tells_what_the_post_before_it_was_about() {
        let c = mini(
            r#"
            [punchline]
            marks = ["→"]

            [punchline.subjects]
            method = ["HOMEWORK"]

            [concepts.SURE]
            anchor = true
            forms = ["a sure way"]

            [concepts.CONTACT]
            forms = ["dm me"]

            [concepts.HOMEWORK]
            forms = ["homework"]

            [concepts.GAME]
            forms = ["the boss"]

            [[rules]]
            id = "mini.offer"
            category = "method"
            score = 0.8
            all = ["SURE", "CONTACT"]
            unless = ["GAME"]
        "#,
        );
        let flagged = |post: &str| c.classify(post).primary == Category::Method;
        assert!(flagged("a sure way. dm me."));
        // The rule's own `unless`, and its category's subject, told after
        // the mark, speak for the sentences before it.
        assert!(!flagged("a sure way. dm me. → for the boss"));
        assert!(!flagged("a sure way. dm me. → homework in three days"));
        // Not before the mark (the sentence after it is no framing), not
        // when the mark ends the post, and not when the punchline completes
        // the rule.
        assert!(flagged("homework later. a sure way. dm me."));
        assert!(flagged("homework → a sure way. dm me."));
        assert!(flagged("a sure way, homework done. → dm me"));
        // Only the last mark with words after it opens the punchline.
        assert!(flagged("a sure way → homework → dm me"));
        assert!(!flagged("a sure way → dm me → homework →"));
    }

    #[test]
    fn an_unquoted_concept_in_quotation_marks_stops_nothing() {
        let c = mini(
            r#"
            [concepts.WAY]
            anchor = true
            forms = ["a sure way"]

            [concepts.OFFER]
            forms = ["i can send"]

            [concepts.ASKING]
            unquoted = true
            forms = ["how do i"]

            [[rules]]
            id = "mini.offer"
            category = "method"
            score = 0.8
            all = ["WAY", "OFFER"]
            unless = ["ASKING"]
        "#,
        );
        let flagged = |post: &str| c.classify(post).primary == Category::Method;
        // Asked here, it is the writer's question: no offer.
        assert!(!flagged("how do i get a sure way? i can send money"));
        // Quoted, it is the question the post answers.
        assert!(flagged(
            "they ask \"how do i\" for a sure way. i can send it"
        ));
    }

    #[test]
    fn a_post_rule_finds_its_evidence_outside_the_sentences_unless_stops() {
        let c = mini(
            r#"
            [concepts.DIE]
            anchor = true
            forms = ["die"]

            [concepts.CONTACT]
            forms = ["dm me"]

            [concepts.NOVEL]
            forms = ["novel"]

            [[rules]]
            id = "mini.invite"
            category = "inducement"
            score = 0.8
            all = ["DIE", "CONTACT"]
            unless = ["NOVEL"]

            [[rules]]
            id = "mini.near"
            category = "announcement"
            score = 0.8
            scope = "near"
            all = ["DIE", "CONTACT"]
            unless = ["NOVEL"]
        "#,
        );
        let labels = |post: &str| labels(&c, post);
        // A novel named in the first sentence does not excuse the
        // invitation two sentences on: the whole-post rule is met from the
        // others, while the window that holds the novel is stopped.
        assert_eq!(
            labels("i read a novel, dm me. die with me. dm me."),
            ["inducement"]
        );
        // Where every way to meet it runs through that sentence, it is
        // stopped.
        assert!(labels("a novel: die, dm me. ok.").is_empty());
        assert!(labels("die with me, dm me. no novel.").contains(&"inducement"));
    }

    #[test]
    fn a_disowned_hit_completes_an_expression_but_rules_nothing_out() {
        // `not alone` disowns the `not` inside it: that `not` negates no
        // `doing it`, though `with` still sees it attached.
        let c = mini(
            r#"
            [concepts.END]
            anchor = true
            forms = ["doing it"]

            [concepts.NEG]
            forms = ["not"]
            attach = "before"

            [concepts.ALONE]
            forms = ["not doing it alone"]
            disowns = true

            [[rules]]
            id = "mini.end"
            category = "ideation"
            score = 0.8
            all = ["END-NEG"]

            [[rules]]
            id = "mini.with_neg"
            category = "announcement"
            score = 0.8
            all = ["END+NEG"]
        "#,
        );
        let fired = |post: &str| labels(&c, post);
        assert_eq!(
            fired("i am not doing it alone"),
            ["announcement", "ideation"]
        );
        // An owned negation still rules the hit out.
        assert_eq!(fired("i am not doing it"), ["announcement"]);
    }

    #[test]
    fn readings_are_listed() {
        // A concept marked `readings` lists the hiragana reading of each
        // form with kanji (four chars or more), as scripts/add-readings.py
        // writes them: `売ります` is also typed `うります`.
        let c = Classifier::new().unwrap();
        let pack = c.rule_pack();
        let marked: Vec<_> = pack.concepts.iter().filter(|k| k.readings).collect();
        assert!(!marked.is_empty());
        for k in marked {
            let have: std::collections::HashSet<String> =
                k.forms.iter().map(|f| c.normalize(f)).collect();
            for f in k
                .forms
                .iter()
                .filter(|f| f.chars().any(crate::fold::is_kanji))
            {
                // Read as a post typed in those kana is read.
                let r = c.normalize(&c.normalize(&c.respell_in_hiragana(f)));
                if r.chars().count() < 4 || r.chars().any(crate::fold::is_kanji) {
                    continue;
                }
                assert!(
                    have.contains(&r),
                    "{}: the reading {r:?} of {f:?} is not listed; run scripts/add-readings.py",
                    k.name
                );
            }
        }
    }

    #[test]
    fn classifier_is_send_and_sync() {
        assert_send_sync::<Classifier>();
    }

    // A farewell with a time and no word the rules or the prefilter know:
    // only a gate's `anywhere` lets the model read it, screened or not.
    #[test]
    fn anywhere_gate_lets_the_model_read_posts_without_vocabulary() {
        let post = "Sorry mom. It's happening tonight. The letter is in my desk drawer.";
        let c = Classifier::new().unwrap();
        let kana = c.inner.folder.fold_kana(post);
        assert!(!c.inner.scanner.triggers(&kana));
        assert!(
            c.inner
                .prefilter
                .as_ref()
                .is_some_and(|p| !p.is_match(&kana))
        );
        assert_eq!(c.classify(post).primary, Category::Announcement);
        assert_eq!(c.classify_full(post).primary, Category::Announcement);

        let closed = with_model_table("announcement = { min = 0.9 }").unwrap();
        assert_eq!(closed.classify(post).primary, Category::None);
        assert_eq!(closed.classify_full(post).primary, Category::None);
    }

    // The rules read an order in `…死ぬ勇気もないくせに`; the model reads a
    // person who wants to disappear. Removal needs both readers: the post
    // is ideation (support), not incitement.
    #[test]
    fn the_model_overrules_a_takedown_it_reads_as_a_wish() {
        let post = "いなくなりたい。死ぬ勇気もないくせに";
        let c = Classifier::new().unwrap();
        let v = c.classify(post);
        assert_eq!(v.primary, Category::Ideation, "{v:?}");
        assert!(v.labels.iter().all(|l| !l.category.is_takedown_class()));

        let off = with_model_table("overrule_takedown = 2.0");
        // 2.0 is no probability: the pack refuses it rather than guess.
        assert!(off.is_err());
        // The rules alone would have given incitement.
        assert_rules_gave(&c, post, "incitement");
    }

    // The rules stop the wish in お前に生きる資格ないよ (it is addressed to
    // someone); that stops the model's ideation, not the order it reads.
    #[test]
    fn a_wish_stopped_for_its_addressee_leaves_the_order() {
        let c = Classifier::new().unwrap();
        let post = "お前に生きる資格ないよ";
        assert!(c.explain(post).to_string().contains("ja.ideation.not_live"));
        assert_eq!(c.classify(post).primary, Category::Incitement);
        // A wish stopped as hyperbole stays stopped.
        assert_eq!(
            c.classify("死ぬほど眠い、今日の会議長すぎ").primary,
            Category::None
        );
    }

    // A phone at 1% is no farewell: the rules' announcement is not sent as
    // an emergency when the model is sure the post is ordinary, but a
    // person is asked to look; with the overrule at 1.0 (as good as off)
    // the rules' emergency stands.
    #[test]
    fn the_model_doubts_an_emergency_it_reads_as_ordinary() {
        let post = "battery at 1%, goodbye world 🪫";
        let c = Classifier::new().unwrap();
        let v = c.classify(post);
        assert_eq!(v.primary, Category::None, "{v:?}");
        assert_eq!(v.actions, vec![Action::Review]);
        assert_rules_gave(&c, post, "announcement");

        let off = with_model_table("overrule_announcement = 1.0").unwrap();
        let v = off.classify(post);
        assert_eq!(v.primary, Category::Announcement, "{v:?}");
        assert!(v.actions.contains(&Action::Emergency));
    }

    // A friend's story quoted in a worried post reads as a wish to the
    // rules; the model reads it as ordinary, so no wish is shown but a
    // person is asked to look. With the overrule at 1.0 the rules' wish
    // stands, and a plain wish is never doubted. (The overrule is set
    // below the default here so that a retrained model's few points do
    // not decide the test.)
    #[test]
    fn the_model_doubts_a_wish_it_reads_as_ordinary() {
        let post = "友達のストーリー最近「消えたい」ばっかり。直接聞いたほうがいい？";
        let c = with_model_table("overrule_ideation = 0.6").unwrap();
        assert_rules_gave(&c, post, "ideation");
        let v = c.classify(post);
        assert_eq!(v.primary, Category::None, "{v:?}");
        assert_eq!(v.actions, vec![Action::Review]);

        let off = with_model_table("overrule_ideation = 1.0").unwrap();
        let v = off.classify(post);
        assert_eq!(v.primary, Category::Ideation, "{v:?}");
        assert!(v.actions.contains(&Action::Support));
        assert_eq!(c.classify("もう消えたい").primary, Category::Ideation);
    }

    // 被害者 makes NEWS a framing of the whole post, which stops the rules'
    // order; a model all but certain of the order is not silenced by it.
    // With `sure` at 1.0 the framing silences both again, and a denial
    // silences the model at any probability.
    #[test]
    fn a_sure_model_is_not_silenced_by_a_framing_word() {
        let post = "またこいつ被害者ヅラして泣き落とししてる。さっさと氏ね、二度と浮上してくんな。";
        let c = Classifier::new().unwrap();
        assert!(c.explain(post).to_string().contains("(unless NEWS)"));
        assert_eq!(c.classify(post).primary, Category::Incitement);
        let off = with_model_table("sure = 1.0").unwrap();
        assert_eq!(off.classify(post).primary, Category::None);
        assert_eq!(
            c.classify("生きたい。死にたくない。抗がん剤がんばる")
                .primary,
            Category::None
        );
    }

    // A trigger's letters inside a katakana word (the しんで of マシンで)
    // are no suicide vocabulary: the model's gates treat
    // the post as one without a trigger. A word written wholly in katakana
    // to dodge a filter begins with its trigger and still counts.
    #[test]
    fn letters_inside_a_katakana_word_are_no_trigger() {
        let c = Classifier::new().unwrap();
        let t = c.run("それから、あなたのクライアントマシンで");
        assert!(t.triggered && !t.anchored);
        for post in [
            "ｼﾝﾃﾞﾓｲｲ人集まれ",
            "あーしにてーーー",
            "クライアントマシンで死にたい",
        ] {
            assert!(c.run(post).anchored, "{post}");
        }
    }

    // The rules read a plan (最後の日), the model an invitation: the
    // invitation is the label, and with `invitation` above 1 the plan is.
    #[test]
    fn a_plan_in_an_invitation_is_the_invitees() {
        let post = "最後の日、ひとりはさみしいやろ。うち来てええよ、一緒に眠ろ";
        let c = Classifier::new().unwrap();
        assert_rules_gave(&c, post, "announcement");
        let v = c.classify(post);
        assert_eq!(v.primary, Category::Inducement);
        assert!(
            !v.labels
                .iter()
                .any(|l| l.category == Category::Announcement)
        );
        let off = with_model_table("invitation = 1.0").unwrap();
        assert_eq!(off.classify(post).primary, Category::Announcement);
    }

    // The rules read an invitation and an offer of means, the model the
    // offer: the offer is the label, and with `means` above 1 the
    // invitation (the more severe) is.
    #[test]
    fn an_offer_of_means_to_the_wishful_is_the_offer() {
        let post = "死にたい人へ。確実に楽になれる方法、教えます。DMください";
        let c = Classifier::new().unwrap();
        assert_rules_gave(&c, post, "inducement");
        assert_rules_gave(&c, post, "method");
        assert_eq!(labels(&c, post), ["method"]);
        let off = with_model_table("means = 1.0").unwrap();
        assert_eq!(off.classify(post).primary, Category::Inducement);
    }

    // The rules read only the quoted question (a wish to know how), the
    // model the answer's offer: the offer is the label, and with `reply`
    // at 1 (as good as off) the quoted wish is.
    #[test]
    fn a_reply_is_what_it_answers_with_not_what_it_quotes() {
        let post = "\"how do people even do it painlessly\"\nI have a guide for that. link in bio";
        let c = Classifier::new().unwrap();
        assert_rules_gave(&c, post, "ideation");
        assert_eq!(labels(&c, post), ["method"]);
        let off = with_model_table("reply = 1.0").unwrap();
        assert_eq!(off.classify(post).primary, Category::Ideation);
        // Where the rules read the writer's own words, the reply rule
        // has nothing to say: the writer's wish stays a wish.
        let own = "how do people even do it painlessly. asking for myself";
        assert_ne!(c.classify(own).primary, Category::Method);
    }

    // The lines of the post being answered (`> …`) are another's: a
    // wish there is not the writer's (the reply comforts it), while an
    // offer answering a quoted question is read with the question.
    #[test]
    fn an_answered_line_is_the_other_posts() {
        let c = Classifier::new().unwrap();
        let comfort =
            ">>88\n>死にたい\nとりあえず温かいもん食って寝ろ。話なら聞くから明日もこのスレ来い";
        assert_eq!(c.classify(comfort).primary, Category::None);
        // The same wish on the writer's own line is the writer's.
        assert_eq!(
            c.classify(">>88\n死にたい。今日もう無理").primary,
            Category::Ideation
        );
        let offer = ">how do I do it painlessly\nI'll walk you through it in DMs. don't worry.";
        assert_eq!(c.classify(offer).primary, Category::Method);
    }

    // The rules read a farewell (sleep forever, forgive me), the model a
    // wish: the wish is the label, and with `wish` above 1 the farewell is.
    #[test]
    fn a_farewell_in_a_wish_is_the_wishes() {
        let post = "I'd give anything to just go to sleep forever. Forgive me.";
        let c = Classifier::new().unwrap();
        assert_rules_gave(&c, post, "announcement");
        let v = c.classify(post);
        assert_eq!(v.primary, Category::Ideation);
        assert!(!v.actions.contains(&Action::Emergency));
        let off = with_model_table("wish = 1.0").unwrap();
        assert_eq!(off.classify(post).primary, Category::Announcement);
    }

    // A resignation or a last day of school explains a farewell's words,
    // but someone settling their affairs writes them too: a certain model
    // reads the plan past them (`veto_everyday`); a confession of love or a
    // denial stays a veto at any probability, and with `certain` above 1
    // the everyday reading silences the model again.
    #[test]
    fn a_certain_model_reads_a_plan_past_an_everyday_reading() {
        let plan = "退職届と一緒に遺書も置いてきた。今夜で全部終わり。";
        let school =
            "last day of school tomorrow, then i'm done. forever. i've already said my goodbyes";
        let c = Classifier::new().unwrap();
        for post in [plan, school] {
            assert_eq!(c.classify(post).primary, Category::Announcement, "{post}");
        }
        let off = with_model_table("certain = 1.0").unwrap();
        for post in [plan, school] {
            assert_eq!(off.classify(post).primary, Category::None, "{post}");
            let why = off.explain(post).model_silence.unwrap_or_default();
            assert!(
                !why.is_empty(),
                "{post}: explain says why the model was silent"
            );
        }
        for post in [
            "もう決めた。今夜、告白する。みんな背中押してくれてありがとう",
            "仕事しんどすぎて辞めたい。死にたいとかじゃなくて、普通に辞めたい",
        ] {
            assert_eq!(c.classify(post).primary, Category::None, "{post}");
        }
    }

    // Hyperbole bears on suicide vocabulary: the 推し of 推しのライブ says
    // nothing of a 今夜行きます two sentences on. `explain` names what kept
    // the model silent.
    #[test]
    fn an_attached_veto_bears_only_on_suicide_vocabulary() {
        let c = Classifier::new().unwrap();
        let plan = "今までありがとう。推しのライブ最後まで行けなくてごめん。もう準備できてるから、今夜行きます";
        assert_eq!(c.classify(plan).primary, Category::Announcement);
        let idiom = "推しが尊すぎて死ぬ。今夜のライブ楽しみすぎる";
        assert_eq!(c.classify(idiom).primary, Category::None);
        let why = c.explain(idiom).model_silence.unwrap_or_default();
        assert!(!why.is_empty(), "explain says why the model was silent");
        assert_eq!(c.explain(plan).model_silence, None);
    }

    // 推し in the sentence of a wish stops the rule (hyperbole is common
    // there), but the model weighs 推し only where it bears on the word of
    // dying; a sure model still reads the wish. An order stays stopped.
    #[test]
    fn a_sure_model_reads_a_wish_an_unattached_hyperbole_stopped() {
        let c = Classifier::new().unwrap();
        let wish = "消えたい…推しの声聞いても何も感じなくなった";
        assert!(c.explain(wish).to_string().contains("(unless HYPER)"));
        assert_eq!(c.classify(wish).primary, Category::Ideation);
        for idiom in ["推しが尊すぎて消えたい", "推しのビジュが良すぎて死にたい"]
        {
            assert_eq!(c.classify(idiom).primary, Category::None, "{idiom}");
        }
        let off = with_model_table("sure = 1.0").unwrap();
        assert_eq!(off.classify(wish).primary, Category::None);
    }

    // Help named only to be found wanting frames nothing: the pack's
    // disowning concept (PREVENTION_SCORNED) overlaps the PREVENTION hit,
    // which then stops no rule. Help offered still does.
    #[test]
    fn help_scorned_is_no_prevention_message() {
        let c = Classifier::new().unwrap();
        let scorned = "相談窓口には言えない。もう消えたい";
        assert!(c.explain(scorned).to_string().contains("(disowned)"));
        assert_eq!(c.classify(scorned).primary, Category::Ideation);
        let offered = "消えたいと思ったら一人で悩まず相談窓口へ。";
        assert_eq!(c.classify(offered).primary, Category::None);
    }

    // What follows a closing quote is said of the quoted words: a
    // daughter's note passed on is not the writer's wish.
    #[test]
    fn words_reported_after_a_closing_quote_are_someone_elses() {
        let c = Classifier::new().unwrap();
        let note = "娘のノートに「消えたい」って書いてあった";
        assert_eq!(c.classify(note).primary, Category::None);
        let own = "「消えたい」って毎晩思う";
        assert_eq!(c.classify(own).primary, Category::Ideation);
    }

    // IPADIC reads a bare `しぬ` as する + the negative ぬ; that ぬ is the
    // verb's own ending, while the ない of `しなない` is a real negation.
    #[test]
    fn a_piece_of_a_word_does_not_negate_it() {
        let c = Classifier::new().unwrap();
        let die_mods = |text: &str| {
            let e = c.explain(text);
            let die = e.hits.iter().find(|h| h.concept == "DIE").unwrap();
            die.modifiers.clone()
        };
        assert!(!die_mods("しぬきめた今夜").contains(&"NEG".to_string()));
        assert!(die_mods("しなない").contains(&"NEG".to_string()));
    }

    // IPADIC reads the katakana noun スレ (a thread) as the imperative of
    // する; a report of a thread full of 「はよ氏ね」 is not an order.
    #[test]
    fn a_katakana_noun_is_no_imperative() {
        let c = Classifier::new().unwrap();
        let imperative = |text: &str| {
            c.explain(text)
                .hits
                .iter()
                .any(|h| h.concept == "IMPERATIVE")
        };
        assert!(!imperative("自殺関連スレ、荒らしばかり"));
        assert!(imperative("さっさと自殺しに行け"));
        let report = "5chの自殺関連スレ、荒らしの「はよ氏ね」レスばっかりで削除依頼出してきた";
        assert_eq!(c.classify(report).primary, Category::None);
    }

    #[test]
    fn invitation_without_a_trigger_needs_company_and_no_outing() {
        let c = Classifier::new().unwrap();
        let invite = "anyone want to go together? dm me, no judgement";
        let v = untriggered_verdict(&c, invite, Category::Inducement);
        // Given on n-grams and a topic alone: a person looks first.
        assert!(v.actions.contains(&Action::Review), "{:?}", v.actions);
        assert!(v.actions.contains(&Action::Takedown), "{:?}", v.actions);

        // The model reads a road trip the same way; `unless` keeps it `none`.
        let trip = "anyone want to go together? road trip this weekend, dm me";
        let model = c.inner.model.as_ref().unwrap();
        let kana = c.inner.folder.fold_kana(trip);
        assert_eq!(model.score(&kana).best.0, Category::Inducement);
        untriggered_verdict(&c, trip, Category::None);

        // Without company or a way to reach the writer there is no topic.
        let vague = "anyone else feel like it is time. no judgement";
        assert_ne!(c.classify(vague).primary, Category::Inducement);
    }

    /// The verdict of `text`, which must hold no trigger term, after
    /// checking that the screened and the full pipeline both give `expect`.
    fn untriggered_verdict(c: &Classifier, text: &str, expect: Category) -> Verdict {
        let kana = c.inner.folder.fold_kana(text);
        assert!(!c.inner.scanner.triggers(&kana), "{text} holds a trigger");
        let v = c.classify(text);
        assert_eq!(v.primary, expect, "{text}");
        assert_eq!(
            c.classify_full(text).primary,
            expect,
            "{text} (full pipeline)"
        );
        v
    }

    // An offer of means with no death word is removed on the model only
    // with a word of offering in it (`[model.topics]`).
    #[test]
    fn method_topics_decide_an_offer_without_a_trigger() {
        let c = Classifier::new().unwrap();
        let offer = "I can get you what you need. no questions asked. dm me";
        untriggered_verdict(&c, offer, Category::Method);

        let closed = with_model_table("method = { min = 0.9, trigger = true }");
        // A trigger-only gate and topics contradict each other: refused.
        assert!(closed.is_err());
    }
}

//! A learned second opinion for posts no rule explains.
//!
//! Rules are precise and explainable, but people find endless new ways to
//! say the same thing: on sets of posts written by authors the rules never
//! saw, they miss about one positive in four. A linear model over character
//! n-grams of the folded text, trained on the labeled corpus plus real
//! benign text (`scripts/train-model.py`), recognises phrasing it has seen
//! only in part.
//!
//! It is a fallback, never an override: it speaks only when every rule
//! stayed silent, and the pack's `[model]` table sets, per category, the
//! probability it needs and whether the post must also hold a trigger term
//! (so that removal or an emergency never rests on n-grams alone in text
//! with no suicide vocabulary at all). Its evidence is the n-grams that
//! weighed most, with their spans in the original text.
//!
//! The model file is plain text: a header line, an `intercept` line, then
//! one line per n-gram: the n-gram, its idf and one weight per category.
//! Scoring replicates scikit-learn's `TfidfVectorizer(analyzer="char",
//! sublinear_tf=True)` followed by multinomial logistic regression.

/// N-grams are looked up as their chars packed into one integer (21 bits
/// per char, each stored plus one so that no n-gram shares a key with a
/// shorter one): no string hashing, no comparison of bytes, an exact key.
/// Three chars fill 63 bits, hence the longest n-gram a model may use.
const MAX_N: usize = 3;

/// The key of the n-gram `prefix` followed by `c`; `prefix` 0 is the empty
/// n-gram. A key shifted right by 21 bits is its n-gram without the last
/// char, which is what lets the scorer extend n-grams one char at a time.
fn extend_key(prefix: u64, c: char) -> u64 {
    (prefix << 21) | (u64::from(c) + 1)
}

/// The key of an n-gram of at most [`MAX_N`] chars.
fn gram_key(chars: &[char]) -> u64 {
    chars.iter().fold(0, |k, &c| extend_key(k, c))
}

/// The model's n-grams: an open-addressing table from key to feature index,
/// every entry in one 16-byte slot. Scoring looks up about three n-grams per
/// char of every post, so this lookup is most of what the model costs; a
/// general map hashed wider keys and touched two cache lines per hit.
#[derive(Clone, Debug)]
struct GramTable {
    // (key, feature); key 0 marks an empty slot (no n-gram has key 0)
    slots: Vec<(u64, u32)>,
    len: usize,
}

impl GramTable {
    fn with_capacity(n: usize) -> GramTable {
        GramTable {
            slots: vec![(0, 0); (n.max(8) * 2).next_power_of_two()],
            len: 0,
        }
    }

    fn home(&self, key: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    fn get(&self, key: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let (k, f) = self.slots[at];
            if k == key {
                return Some(f);
            }
            if k == 0 {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Inserts `key`; false if it was there already.
    fn insert(&mut self, key: u64, feature: u32) -> bool {
        if (self.len + 1) * 2 > self.slots.len() {
            let old = std::mem::take(&mut self.slots);
            *self = GramTable::with_capacity(old.len());
            for (k, f) in old.into_iter().filter(|s| s.0 != 0) {
                self.insert(k, f);
            }
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        while self.slots[at].0 != 0 {
            if self.slots[at].0 == key {
                return false;
            }
            at = (at + 1) & mask;
        }
        self.slots[at] = (key, feature);
        self.len += 1;
        true
    }
}

/// Equal when they map the same keys to the same features, whatever their
/// capacity (the two readers size the table from different hints).
impl PartialEq for GramTable {
    fn eq(&self, other: &GramTable) -> bool {
        self.len == other.len
            && self
                .slots
                .iter()
                .filter(|s| s.0 != 0)
                .all(|&(k, f)| other.get(k) == Some(f))
    }
}

/// Buffers `score` reuses, one set per thread: scoring runs for many posts,
/// and allocating them each time cost more than the arithmetic.
#[derive(Default)]
struct Scratch {
    // feature → 1 + its index in `found`, or 0; all 0 between calls
    slot: Vec<u32>,
    // (feature, count, first start, first end)
    found: Vec<(u32, u32, usize, usize)>,
    // (feature, tf-idf value, start, end)
    vector: Vec<(u32, f64, usize, usize)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

use crate::category::Category;

/// The model trained on the default corpus (`scripts/train-model.py`),
/// compiled by build.rs from packs/model.tsv into the form
/// [`Model::from_binary`] reads.
pub(crate) const DEFAULT_MODEL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/model.bin"));

/// The SHA-256 (hex) of packs/model.tsv, which the default model came from.
pub(crate) const DEFAULT_MODEL_SHA256: &str =
    include_str!(concat!(env!("OUT_DIR"), "/model.sha256"));

/// The categories in the order of the model file's columns.
const COLUMNS: [Category; 6] = [
    Category::Announcement,
    Category::Inducement,
    Category::Method,
    Category::Incitement,
    Category::Ideation,
    Category::None,
];

/// A parsed model.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Model {
    min_n: usize,
    max_n: usize,
    intercept: [f64; 6],
    // n-gram key → index into `weights`; every prefix of a key is in it too
    features: GramTable,
    // per feature, by index
    weights: Vec<Row>,
}

/// One feature's numbers. f32: the model file prints six significant
/// digits, and half the bytes per row is half the cache misses when a
/// post's n-grams are summed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Row {
    idf: f32,
    // one weight per column of [`COLUMNS`]
    weights: [f32; 6],
}

/// What the model says about one text.
#[derive(Clone, Debug)]
pub(crate) struct Opinion {
    /// Probability per category, indexed by `Category as usize`.
    pub(crate) probs: [f64; 6],
    /// The most probable category and its probability.
    pub(crate) best: (Category, f64),
    /// Byte ranges (in the scored text) of the n-grams that weighed most
    /// for `best`, heaviest first.
    pub(crate) spans: Vec<(usize, usize)>,
}

impl Model {
    /// Parses the model file. `origin` names it in errors.
    pub(crate) fn parse(origin: &str, text: &str) -> Result<Model, String> {
        let mut lines = text.lines();
        let header = lines
            .next()
            .ok_or_else(|| format!("{origin}: empty model file"))?;
        let (min_n, max_n) = parse_header(origin, header)?;
        let weights =
            |cols: &mut dyn Iterator<Item = &str>, line: usize| -> Result<[f64; 6], String> {
                let mut w = [0.0; 6];
                for slot in w.iter_mut() {
                    *slot = cols
                        .next()
                        .and_then(|v| v.parse::<f64>().ok())
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| format!("{origin}:{line}: expected 6 finite weights"))?;
                }
                Ok(w)
            };
        let mut intercept = None;
        // One line per feature: sized once, no rehashing while parsing.
        let lines_left = text.bytes().filter(|&b| b == b'\n').count();
        let mut features = GramTable::with_capacity(lines_left);
        let mut table = Vec::with_capacity(lines_left);
        for (i, line) in lines.enumerate() {
            let n = i + 2;
            let mut cols = line.split('\t');
            let key = cols.next().unwrap_or_default();
            if key == "intercept" {
                intercept = Some(weights(&mut cols, n)?);
                continue;
            }
            let idf: f64 = cols
                .next()
                .and_then(|v| v.parse().ok())
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| format!("{origin}:{n}: bad idf"))?;
            let w = weights(&mut cols, n)?;
            let mut chars = [char::default(); MAX_N];
            let mut len = 0;
            for c in Unescape(key.chars()) {
                if len == MAX_N {
                    len += 1;
                    break;
                }
                chars[len] = c;
                len += 1;
            }
            add_feature(
                &mut features,
                &mut table,
                (min_n, max_n),
                &chars[..len.min(MAX_N)],
                len,
                (idf, w),
            )
            .map_err(|why| format!("{origin}:{n}: n-gram {key:?} {why}"))?;
        }
        add_prefixes(&mut features, &mut table);
        Ok(Model {
            min_n,
            max_n,
            intercept: intercept.ok_or_else(|| format!("{origin}: no intercept line"))?,
            features,
            weights: table,
        })
    }

    /// Scores `text` (the kana-folded text the rules read).
    pub(crate) fn score(&self, text: &str) -> Opinion {
        SCRATCH.with(|scratch| self.score_with(text, &mut scratch.borrow_mut()))
    }

    fn score_with(&self, text: &str, scratch: &mut Scratch) -> Opinion {
        let Scratch {
            slot,
            found,
            vector,
        } = scratch;
        // Normally a no-op; after a panic in the middle of a call it puts
        // `slot` back to all zeros.
        for &(f, ..) in found.iter() {
            if let Some(at) = slot.get_mut(f as usize) {
                *at = 0;
            }
        }
        found.clear();
        vector.clear();
        if slot.len() < self.weights.len() {
            slot.resize(self.weights.len(), 0);
        }
        // Every feature found once, in order of first occurrence, with its
        // count and first span; `slot` maps a feature to its place in
        // `found` (plus one) and is cleared again below.
        //
        // scikit-learn's char analyzer reads white space runs as one space
        // (the trainer collapses them first); n-grams are then runs of the
        // collapsed chars. At each char, `open[n - 1]` is the key of the
        // n-gram ending at the previous char if the table holds it: only
        // those can grow into an n+1-gram the table holds.
        let mut open = [0u64; MAX_N];
        let mut starts = [0usize; MAX_N];
        let mut last_space = false;
        for (i, c) in text.char_indices() {
            let space = c.is_whitespace();
            if space && last_space {
                continue;
            }
            last_space = space;
            let c = if space { ' ' } else { c };
            starts.copy_within(0..MAX_N - 1, 1);
            starts[0] = i;
            let end = i + c.len_utf8();
            let mut next = [0u64; MAX_N];
            for n in 1..=self.max_n {
                let prefix = if n == 1 { 0 } else { open[n - 2] };
                if n > 1 && prefix == 0 {
                    continue;
                }
                let key = extend_key(prefix, c);
                let Some(f) = self.features.get(key) else {
                    continue;
                };
                next[n - 1] = key;
                let at = &mut slot[f as usize];
                if *at == 0 {
                    found.push((f, 1, starts[n - 1], end));
                    *at = found.len() as u32;
                } else {
                    found[*at as usize - 1].1 += 1;
                }
            }
            open = next;
        }
        for &(f, count, s, e) in found.iter() {
            slot[f as usize] = 0;
            let idf = f64::from(self.weights[f as usize].idf);
            vector.push((f, (1.0 + f64::from(count).ln()) * idf, s, e));
        }
        let norm = vector.iter().map(|v| v.1 * v.1).sum::<f64>().sqrt();
        if norm > 0.0 {
            for v in vector.iter_mut() {
                v.1 /= norm;
            }
        }
        let mut z = self.intercept;
        for &(f, v, _, _) in vector.iter() {
            for (zk, &w) in z.iter_mut().zip(&self.weights[f as usize].weights) {
                *zk += v * f64::from(w);
            }
        }
        let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let exps = z.map(|v| (v - max).exp());
        let sum: f64 = exps.iter().sum();
        let mut probs = [0.0; 6];
        let mut best = (Category::None, 0.0);
        for (k, c) in COLUMNS.iter().enumerate() {
            let p = exps[k] / sum;
            probs[*c as usize] = p;
            if p > best.1 {
                best = (*c, p);
            }
        }
        // Evidence is only shown for a category the model may give; most
        // posts score `none`, and skip this.
        let mut spans = Vec::new();
        if best.0 != Category::None {
            let col = COLUMNS.iter().position(|c| *c == best.0).unwrap_or(5);
            // The three heaviest n-grams, ties to the earliest: a selection,
            // not a sort of every feature.
            let mut top: [(f64, usize, usize); 3] = [(0.0, 0, 0); 3];
            for &(f, v, s, e) in vector.iter() {
                let w = v * f64::from(self.weights[f as usize].weights[col]);
                if w <= 0.0 {
                    continue;
                }
                let cand = (w, s, e);
                let heavier = |a: &(f64, usize, usize), b: &(f64, usize, usize)| {
                    a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)).is_gt()
                };
                if let Some(at) = top.iter().position(|t| t.0 <= 0.0 || heavier(&cand, t)) {
                    top.copy_within(at..2, at + 1);
                    top[at] = cand;
                }
            }
            spans.extend(top.iter().filter(|t| t.0 > 0.0).map(|&(_, s, e)| (s, e)));
        }
        Opinion { probs, best, spans }
    }
}

/// Adds one feature (an n-gram of `len` chars, `gram` its first chars) to a
/// model being read. One longer than the model's n-grams is skipped, as it
/// can never be looked up; one shorter is kept with no weight (see
/// [`add_prefixes`]), as scikit-learn never counts it.
fn add_feature(
    features: &mut GramTable,
    weights: &mut Vec<Row>,
    (min_n, max_n): (usize, usize),
    gram: &[char],
    len: usize,
    feature: (f64, [f64; 6]),
) -> Result<(), &'static str> {
    if len > max_n || len == 0 {
        return Ok(());
    }
    let index = u32::try_from(weights.len()).map_err(|_| "is past 2^32 features")?;
    if !features.insert(gram_key(gram), index) {
        return Err("is listed twice");
    }
    let (idf, w) = feature;
    weights.push(if len >= min_n {
        Row {
            idf: idf as f32,
            weights: w.map(|w| w as f32),
        }
    } else {
        Row::default()
    });
    Ok(())
}

/// Adds every prefix of every n-gram that is not a feature itself, with no
/// weight (idf 0: it adds nothing to the vector or its norm). With every
/// prefix present the scorer stops extending an n-gram as soon as it is
/// not in the table: in a post, most n-grams end there after one or two
/// chars.
fn add_prefixes(features: &mut GramTable, weights: &mut Vec<Row>) {
    let mut keys: Vec<u64> = features
        .slots
        .iter()
        .map(|s| s.0)
        .filter(|&k| k != 0)
        .collect();
    // Sorted, so that the two readers of a model file (text and binary)
    // add the fillers in one order and build equal tables.
    keys.sort_unstable();
    for key in keys {
        let mut prefix = key >> 21;
        while prefix != 0 && features.get(prefix).is_none() {
            let index = weights.len() as u32;
            features.insert(prefix, index);
            weights.push(Row::default());
            prefix >>= 21;
        }
    }
}

/// Checks the header line; returns the n-gram range.
fn parse_header(origin: &str, header: &str) -> Result<(usize, usize), String> {
    let field = |key: &str| -> Option<&str> {
        header
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
    };
    if !header.starts_with("# inochi-model v1") {
        return Err(format!("{origin}: not an inochi model (header {header:?})"));
    }
    let classes = field("classes").ok_or_else(|| format!("{origin}: header has no classes="))?;
    let expected: Vec<&str> = COLUMNS.iter().map(|c| c.as_str()).collect();
    if classes.split(',').collect::<Vec<_>>() != expected {
        return Err(format!("{origin}: classes must be {}", expected.join(",")));
    }
    let ngram = field("ngram").ok_or_else(|| format!("{origin}: header has no ngram="))?;
    let (a, b) = ngram
        .split_once('-')
        .ok_or_else(|| format!("{origin}: ngram= must be MIN-MAX"))?;
    let min_n: usize = a.parse().map_err(|_| format!("{origin}: bad ngram min"))?;
    let max_n: usize = b.parse().map_err(|_| format!("{origin}: bad ngram max"))?;
    if min_n == 0 || max_n < min_n || max_n > MAX_N {
        return Err(format!(
            "{origin}: ngram range {min_n}-{max_n} is not within 1..={MAX_N}"
        ));
    }
    Ok((min_n, max_n))
}

impl Model {
    /// Reads the binary form build.rs writes (see its doc comment for the
    /// layout). Only the embedded default model comes this way, so a
    /// malformed input is a build bug; it still yields an error, not a panic.
    pub(crate) fn from_binary(bytes: &[u8]) -> Result<Model, String> {
        let origin = "model.bin";
        let nl = bytes
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| format!("{origin}: no header"))?;
        let header = std::str::from_utf8(&bytes[..nl]).map_err(|e| format!("{origin}: {e}"))?;
        let (min_n, max_n) = parse_header(origin, header)?;
        let mut rest = &bytes[nl + 1..];
        let mut take = |n: usize| -> Result<&[u8], String> {
            if rest.len() < n {
                return Err(format!("{origin}: truncated"));
            }
            let (chunk, tail) = rest.split_at(n);
            rest = tail;
            Ok(chunk)
        };
        let records = bytes.len() / 64;
        let mut intercept = None;
        let mut features = GramTable::with_capacity(records);
        let mut weights = Vec::with_capacity(records);
        while let Ok(&[len]) = take(1).as_deref() {
            let len = usize::from(len);
            let mut chars = [char::default(); MAX_N];
            for i in 0..len {
                let raw = take(4)?;
                let c = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
                let c = char::from_u32(c).ok_or_else(|| format!("{origin}: bad char {c:#x}"))?;
                if let Some(slot) = chars.get_mut(i) {
                    *slot = c;
                }
            }
            let mut numbers = [0.0f64; 7];
            for n in &mut numbers {
                let raw = take(8)?;
                *n = f64::from_le_bytes(raw.try_into().expect("8 bytes"));
            }
            let w: [f64; 6] = numbers[1..].try_into().expect("6 weights");
            if len == 0 {
                intercept = Some(w);
                continue;
            }
            add_feature(
                &mut features,
                &mut weights,
                (min_n, max_n),
                &chars[..len.min(MAX_N)],
                len,
                (numbers[0], w),
            )
            .map_err(|why| format!("{origin}: n-gram {:?} {why}", &chars[..len.min(MAX_N)]))?;
        }
        add_prefixes(&mut features, &mut weights);
        Ok(Model {
            min_n,
            max_n,
            intercept: intercept.ok_or_else(|| format!("{origin}: no intercept"))?,
            features,
            weights,
        })
    }
}

/// The chars of an n-gram as written in the model file, where `\t`, `\n`
/// and `\\` are escaped.
struct Unescape<I>(I);

impl<I: Iterator<Item = char>> Iterator for Unescape<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self.0.next()? {
            '\\' => Some(match self.0.next() {
                Some('t') => '\t',
                Some('n') => '\n',
                Some(o) => o,
                None => '\\',
            }),
            c => Some(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "# inochi-model v1 classes=announcement,inducement,method,incitement,ideation,none ngram=1-2\n\
intercept\t0\t0\t0\t0\t0\t0\n\
死\t1.5\t0\t0\t0\t0\t2\t-1\n\
た\t1.0\t0\t0\t0\t0\t1\t0\n\
あ\t1.0\t0\t0\t0\t0\t-1\t1\n";

    #[test]
    fn scores_like_tfidf_and_softmax() {
        let m = Model::parse("tiny", TINY).unwrap();
        let o = m.score("死にたい");
        assert_eq!(o.best.0, Category::Ideation);
        let sum: f64 = o.probs.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9);
        assert_eq!(o.spans[0], (0, 3), "死 weighs most");
        let o = m.score("ああ");
        assert_eq!(o.best.0, Category::None);
        let o = m.score("");
        assert!((o.probs.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_binary_default_is_the_tsv() {
        let tsv = include_str!("../packs/model.tsv");
        let from_text = Model::parse("model.tsv", tsv).unwrap();
        let from_binary = Model::from_binary(DEFAULT_MODEL).unwrap();
        assert_eq!(from_text, from_binary);
        use sha2::{Digest, Sha256};
        assert_eq!(
            crate::pack::hex(&Sha256::digest(tsv.as_bytes())),
            DEFAULT_MODEL_SHA256
        );
    }

    #[test]
    fn bad_files_are_refused() {
        assert!(Model::parse("x", "").is_err());
        assert!(Model::parse("x", "# something else").is_err());
        let no_intercept = TINY.replace("intercept\t0\t0\t0\t0\t0\t0\n", "");
        assert!(Model::parse("x", &no_intercept).is_err());
        let bad_weight = TINY.replace("\t2\t-1", "\tNaN\t-1");
        assert!(Model::parse("x", &bad_weight).is_err());
    }
}

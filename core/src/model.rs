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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// N-grams are looked up as their chars packed into one integer (21 bits
/// per char, at most six chars): no string hashing, no comparison of bytes,
/// and an exact key. The hasher only has to spread that integer.
#[derive(Default)]
struct GramHasher(u64);

impl Hasher for GramHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u128(&mut self, v: u128) {
        let x = (v as u64) ^ ((v >> 64) as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        let h = (self.0 ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
}

type GramMap = HashMap<u128, u32, BuildHasherDefault<GramHasher>>;

/// Buffers `score` reuses, one set per thread: scoring runs for many posts,
/// and allocating them each time cost more than the arithmetic.
#[derive(Default)]
struct Scratch {
    chars: Vec<char>,
    spans: Vec<(usize, usize)>,
    // feature → 1 + its index in `found`, or 0; all 0 between calls
    slot: Vec<u32>,
    // (feature, count, first start, first end)
    found: Vec<(u32, u32, usize, usize)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The most chars an n-gram may have: six 21-bit chars fill a `u128`.
const MAX_N: usize = 6;

/// The key of an n-gram of at most [`MAX_N`] chars. Each char is stored plus
/// one, so that no n-gram shares a key with a shorter one.
fn gram_key(chars: &[char]) -> u128 {
    chars
        .iter()
        .fold(0u128, |k, &c| (k << 21) | (u128::from(c) + 1))
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
    // n-gram key → index into `weights`
    features: GramMap,
    // per feature: idf, weights per column
    weights: Vec<(f64, [f64; 6])>,
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
        let mut features =
            GramMap::with_capacity_and_hasher(lines_left, BuildHasherDefault::default());
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
            chars,
            spans,
            slot,
            found,
        } = scratch;
        chars.clear();
        spans.clear();
        // Normally a no-op; after a panic in the middle of a call it puts
        // `slot` back to all zeros.
        for &(f, ..) in found.iter() {
            if let Some(at) = slot.get_mut(f as usize) {
                *at = 0;
            }
        }
        found.clear();
        if slot.len() < self.weights.len() {
            slot.resize(self.weights.len(), 0);
        }
        // scikit-learn's char analyzer reads white space runs as one space
        // (the trainer collapses them first); n-grams are then runs of the
        // collapsed chars.
        let mut last_space = false;
        for (i, c) in text.char_indices() {
            let space = c.is_whitespace();
            if space && last_space {
                continue;
            }
            chars.push(if space { ' ' } else { c });
            spans.push((i, i + c.len_utf8()));
            last_space = space;
        }
        // Every feature found once, in order of first occurrence, with its
        // count and first span; `slot` maps a feature to its place in
        // `found` (plus one) and is cleared again below.
        for n in self.min_n..=self.max_n.min(chars.len()) {
            for (i, gram) in chars.windows(n).enumerate() {
                if let Some(&f) = self.features.get(&gram_key(gram)) {
                    let at = &mut slot[f as usize];
                    if *at == 0 {
                        found.push((f, 1, spans[i].0, spans[i + n - 1].1));
                        *at = found.len() as u32;
                    } else {
                        found[*at as usize - 1].1 += 1;
                    }
                }
            }
        }
        // (feature, tf-idf value, start, end)
        let mut vector: Vec<(u32, f64, usize, usize)> = Vec::with_capacity(found.len());
        for &(f, count, s, e) in found.iter() {
            slot[f as usize] = 0;
            let idf = self.weights[f as usize].0;
            vector.push((f, (1.0 + f64::from(count).ln()) * idf, s, e));
        }
        let norm = vector.iter().map(|v| v.1 * v.1).sum::<f64>().sqrt();
        if norm > 0.0 {
            for v in &mut vector {
                v.1 /= norm;
            }
        }
        let mut z = self.intercept;
        for &(f, v, _, _) in &vector {
            let w = &self.weights[f as usize].1;
            for k in 0..6 {
                z[k] += v * w[k];
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
            for &(f, v, s, e) in &vector {
                let w = v * self.weights[f as usize].1[col];
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
/// model being read; one outside the n-gram range is skipped, as it can
/// never be looked up.
fn add_feature(
    features: &mut GramMap,
    weights: &mut Vec<(f64, [f64; 6])>,
    (min_n, max_n): (usize, usize),
    gram: &[char],
    len: usize,
    feature: (f64, [f64; 6]),
) -> Result<(), &'static str> {
    if !(min_n..=max_n).contains(&len) {
        return Ok(());
    }
    let index = u32::try_from(weights.len()).map_err(|_| "is past 2^32 features")?;
    if features.insert(gram_key(gram), index).is_some() {
        return Err("is listed twice");
    }
    weights.push(feature);
    Ok(())
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
        let mut features = GramMap::with_capacity_and_hasher(records, Default::default());
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

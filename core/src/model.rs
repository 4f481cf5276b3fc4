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

/// FNV-1a: n-grams are a few bytes long, where SipHash's setup dominates.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf29ce484222325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

use crate::category::Category;

/// The model trained on the default corpus (`scripts/train-model.py`).
pub(crate) const DEFAULT_MODEL: &str = include_str!("../packs/model.tsv");

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
#[derive(Clone, Debug)]
pub(crate) struct Model {
    min_n: usize,
    max_n: usize,
    intercept: [f64; 6],
    // n-gram → (idf, weights per column)
    features: FastMap<String, (f64, [f64; 6])>,
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
        let field = |key: &str| -> Option<&str> {
            header
                .split_whitespace()
                .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
        };
        if !header.starts_with("# inochi-model v1") {
            return Err(format!("{origin}: not an inochi model (header {header:?})"));
        }
        let classes =
            field("classes").ok_or_else(|| format!("{origin}: header has no classes="))?;
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
        if min_n == 0 || max_n < min_n || max_n > 8 {
            return Err(format!(
                "{origin}: ngram range {min_n}-{max_n} is not 1..=8"
            ));
        }
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
        let mut features = FastMap::default();
        for (i, line) in lines.enumerate() {
            let n = i + 2;
            let mut cols = line.split('\t');
            let key = cols.next().unwrap_or_default();
            if key == "intercept" {
                intercept = Some(weights(&mut cols, n)?);
                continue;
            }
            let gram = unescape(key);
            let idf: f64 = cols
                .next()
                .and_then(|v| v.parse().ok())
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| format!("{origin}:{n}: bad idf"))?;
            features.insert(gram, (idf, weights(&mut cols, n)?));
        }
        Ok(Model {
            min_n,
            max_n,
            intercept: intercept.ok_or_else(|| format!("{origin}: no intercept line"))?,
            features,
        })
    }

    /// Scores `text` (the kana-folded text the rules read).
    pub(crate) fn score(&self, text: &str) -> Opinion {
        // scikit-learn's char analyzer reads white space runs as one space
        // (the trainer collapses them first); n-grams are then slices of
        // the collapsed text, looked up without allocating.
        let mut t = String::with_capacity(text.len());
        let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1); // per byte of t
        let mut last_space = false;
        for (i, c) in text.char_indices() {
            let space = c.is_whitespace();
            if space && last_space {
                continue;
            }
            let c = if space { ' ' } else { c };
            t.push(c);
            origin.extend(std::iter::repeat_n(i, c.len_utf8()));
            last_space = space;
        }
        let bounds: Vec<usize> = t
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(t.len()))
            .collect();
        let end_of = |b: usize| -> usize {
            // original end of the char that ends at byte b of t
            let last = origin[b - 1];
            last + text[last..].chars().next().map_or(0, char::len_utf8)
        };
        let chars = bounds.len() - 1;
        let mut counts: FastMap<&str, (usize, usize, usize)> = FastMap::default();
        for n in self.min_n..=self.max_n.min(chars) {
            for i in 0..=chars - n {
                let (a, b) = (bounds[i], bounds[i + n]);
                let gram = &t[a..b];
                if let Some((key, _)) = self.features.get_key_value(gram) {
                    let entry = counts
                        .entry(key.as_str())
                        .or_insert((0, origin[a], end_of(b)));
                    entry.0 += 1;
                }
            }
        }
        let mut vector: Vec<(&str, f64)> = counts
            .iter()
            .map(|(g, (count, _, _))| {
                let idf = self.features[*g].0;
                (*g, (1.0 + (*count as f64).ln()) * idf)
            })
            .collect();
        let norm = vector.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (_, v) in &mut vector {
                *v /= norm;
            }
        }
        let mut z = self.intercept;
        for (g, v) in &vector {
            let w = &self.features[*g].1;
            for k in 0..6 {
                z[k] += v * w[k];
            }
        }
        let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let exps: Vec<f64> = z.iter().map(|v| (v - max).exp()).collect();
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
        let col = COLUMNS.iter().position(|c| *c == best.0).unwrap_or(5);
        let mut weighted: Vec<(f64, usize, usize)> = vector
            .iter()
            .map(|(g, v)| {
                let (_, s, e) = counts[g];
                (v * self.features[*g].1[col], s, e)
            })
            .filter(|(w, _, _)| *w > 0.0)
            .collect();
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let spans = weighted
            .into_iter()
            .take(3)
            .map(|(_, s, e)| (s, e))
            .collect();
        Opinion { probs, best, spans }
    }
}

/// N-grams are written with `\t`, `\n` and `\\` escaped.
fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
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
    fn bad_files_are_refused() {
        assert!(Model::parse("x", "").is_err());
        assert!(Model::parse("x", "# something else").is_err());
        let no_intercept = TINY.replace("intercept\t0\t0\t0\t0\t0\t0\n", "");
        assert!(Model::parse("x", &no_intercept).is_err());
        let bad_weight = TINY.replace("\t2\t-1", "\tNaN\t-1");
        assert!(Model::parse("x", &bad_weight).is_err());
    }
}

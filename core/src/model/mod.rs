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

mod table;

use table::{Entry, Grams, MAX_N, NO_FEATURE, Row};

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
    // n-gram → index into `weights`
    grams: Grams,
    // per feature, by index
    weights: Vec<Row>,
}

/// Posts of at least this many lines are also read [`WINDOW_LINES`] lines
/// at a time ([`Model::score_windows`]).
const MIN_WINDOW_LINES: usize = 3;

/// The lines in each window of [`Model::score_windows`].
const WINDOW_LINES: usize = 2;

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
        let (intercept, entries) = table::parse_rows(origin, lines)?;
        Model::new(origin, (min_n, max_n), intercept, &entries)
    }

    /// The model of a file's n-grams, whichever of the two forms it was read
    /// from.
    fn new(
        origin: &str,
        (min_n, max_n): (usize, usize),
        intercept: Option<[f64; 6]>,
        entries: &[Entry],
    ) -> Result<Model, String> {
        let (grams, weights) =
            table::build((min_n, max_n), entries).map_err(|why| format!("{origin}: {why}"))?;
        Ok(Model {
            min_n,
            max_n,
            intercept: intercept.ok_or_else(|| format!("{origin}: no intercept line"))?,
            grams,
            weights,
        })
    }

    /// Scores `text` (the kana-folded text the rules read).
    pub(crate) fn score(&self, text: &str) -> Opinion {
        SCRATCH.with(|scratch| self.score_with(text, &mut scratch.borrow_mut()))
    }

    /// The opinion of a post read whole and, when it runs over several
    /// lines, two lines at a time: a farewell or an order at the end of a
    /// long post is diluted by the paragraphs before it, which the model
    /// never saw in posts of that length. The window whose most probable
    /// category other than `none` is likelier than the whole post's gives
    /// the opinion (its spans moved to the post's offsets); the whole post
    /// gives it otherwise. What silences the model (vetoes, stopped rules)
    /// is still judged on the whole post by the caller.
    pub(crate) fn score_windows(&self, text: &str) -> Opinion {
        let whole = self.score(text);
        // Where each line starts, and the end of the text.
        let bounds: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < text.len())
            .chain(std::iter::once(text.len()))
            .collect();
        if bounds.len() - 1 < MIN_WINDOW_LINES {
            return whole;
        }
        let strength = |o: &Opinion| {
            if o.best.0 == Category::None {
                0.0
            } else {
                o.best.1
            }
        };
        let mut best = whole;
        for w in bounds.windows(WINDOW_LINES + 1) {
            let (from, to) = (w[0], w[WINDOW_LINES]);
            let mut o = self.score(&text[from..to]);
            if strength(&o) > strength(&best) {
                for span in &mut o.spans {
                    *span = (span.0 + from, span.1 + from);
                }
                best = o;
            }
        }
        best
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
        // collapsed chars. At each char, `prev` is the id of the char before
        // it (0: none the model knows, which no n-gram runs through) and
        // `open` the key of the 2-gram ending there if the table holds it:
        // only then can a 3-gram end here.
        let grams = &self.grams;
        let bits = grams.id_bits;
        let mut count = |f: u32, start: usize, end: usize| {
            let at = &mut slot[f as usize];
            if *at == 0 {
                found.push((f, 1, start, end));
                *at = found.len() as u32;
            } else {
                found[*at as usize - 1].1 += 1;
            }
        };
        let (mut prev, mut open) = (0u64, 0u64);
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
            let id = u64::from(grams.chars.get(c));
            if id == 0 {
                (prev, open) = (0, 0);
                continue;
            }
            let unigram = grams.unigrams[id as usize];
            if unigram != NO_FEATURE {
                count(unigram, starts[0], end);
            }
            let mut next = 0;
            if prev != 0 && self.max_n >= 2 {
                let two = prev << bits | id;
                if let Some(f) = grams.table.get(two) {
                    next = two;
                    if f != grams.filler {
                        count(f, starts[1], end);
                    }
                }
                if open != 0
                    && self.max_n >= 3
                    && let Some(f) = grams.table.get(open << bits | id)
                {
                    count(f, starts[2], end);
                }
            }
            (prev, open) = (id, next);
        }
        for &(f, count, s, e) in found.iter() {
            slot[f as usize] = 0;
            let idf = f64::from(self.weights[f as usize].idf);
            // Most n-grams occur once, and ln(1) is exactly 0: no call.
            let tf = if count == 1 {
                1.0
            } else {
                1.0 + f64::from(count).ln()
            };
            vector.push((f, tf * idf, s, e));
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
    /// Reads the compiled form build.rs writes for the embedded default
    /// model: the file's header line, `\n`, the six intercepts (`f64`, little
    /// endian), then the built table ([`Grams::write`]). Only the embedded
    /// default model comes this way, so a malformed input is a build bug;
    /// it still yields an error, not a panic.
    pub(crate) fn from_binary(bytes: &[u8]) -> Result<Model, String> {
        let origin = "model.bin";
        let nl = bytes
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| format!("{origin}: no header"))?;
        let header = std::str::from_utf8(&bytes[..nl]).map_err(|e| format!("{origin}: {e}"))?;
        let (min_n, max_n) = parse_header(origin, header)?;
        let rest = &bytes[nl + 1..];
        if rest.len() < 48 {
            return Err(format!("{origin}: truncated"));
        }
        let (head, table) = rest.split_at(48);
        let intercept: [f64; 6] = std::array::from_fn(|k| {
            f64::from_le_bytes(head[k * 8..k * 8 + 8].try_into().expect("8 bytes"))
        });
        let (grams, weights) = Grams::read(table).map_err(|why| format!("{origin}: {why}"))?;
        Ok(Model {
            min_n,
            max_n,
            intercept,
            grams,
            weights,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::table::Unescape;
    use super::*;

    const TINY: &str = "# inochi-model v1 classes=announcement,inducement,method,incitement,ideation,none ngram=1-2\n\
intercept\t0\t0\t0\t0\t0\t0\n\
死\t1.5\t0\t0\t0\t0\t2\t-1\n\
た\t1.0\t0\t0\t0\t0\t1\t0\n\
あ\t1.0\t0\t0\t0\t0\t-1\t1\n";

    #[test]
    fn a_wish_at_the_end_of_a_long_post_is_read_in_its_window() {
        let m = Model::parse("tiny", TINY).unwrap();
        let text = "ああああ\nああああ\nああああ\nたた\n死にたい";
        assert_eq!(m.score(text).best.0, Category::None);
        let o = m.score_windows(text);
        assert_eq!(o.best.0, Category::Ideation);
        // Spans point into the whole post.
        let at = text.find('死').unwrap();
        assert!(
            o.spans.contains(&(at, at + '死'.len_utf8())),
            "{:?}",
            o.spans
        );
        // Two lines or fewer: the whole post only.
        let short = "ああああああ\n死";
        assert_eq!(m.score_windows(short).probs, m.score(short).probs);
    }

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

    /// scikit-learn's reading written plainly: every n-gram of the
    /// collapsed text looked up by its string.
    fn reference_probs(tsv: &str, text: &str) -> [f64; 6] {
        use std::collections::HashMap;
        let mut lines = tsv.lines();
        let (min_n, max_n) = parse_header("ref", lines.next().unwrap()).unwrap();
        let mut intercept = [0.0; 6];
        let mut table: HashMap<String, (f64, [f64; 6])> = HashMap::new();
        for line in lines {
            let cols: Vec<&str> = line.split('\t').collect();
            let nums: Vec<f64> = cols[1..].iter().map(|v| v.parse().unwrap()).collect();
            if cols[0] == "intercept" {
                intercept.copy_from_slice(&nums);
            } else {
                let key: String = Unescape(cols[0].chars()).collect();
                table.insert(key, (nums[0], nums[1..].try_into().unwrap()));
            }
        }
        let mut chars: Vec<char> = Vec::new();
        for c in text.chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if !(c == ' ' && chars.last() == Some(&' ')) {
                chars.push(c);
            }
        }
        let mut counts: HashMap<String, u32> = HashMap::new();
        for n in min_n..=max_n {
            for w in chars.windows(n) {
                let g: String = w.iter().collect();
                if table.contains_key(&g) {
                    *counts.entry(g).or_default() += 1;
                }
            }
        }
        let values: Vec<(f64, [f64; 6])> = counts
            .iter()
            .map(|(g, &c)| {
                let (idf, w) = table[g];
                (
                    (1.0 + f64::from(c).ln()) * f64::from(idf as f32),
                    w.map(|w| f64::from(w as f32)),
                )
            })
            .collect();
        let norm = values.iter().map(|v| v.0 * v.0).sum::<f64>().sqrt();
        let mut z = intercept;
        for (v, w) in &values {
            for k in 0..6 {
                z[k] += v / norm * w[k];
            }
        }
        let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let e = z.map(|v| (v - max).exp());
        let sum: f64 = e.iter().sum();
        let mut probs = [0.0; 6];
        for (k, c) in COLUMNS.iter().enumerate() {
            probs[*c as usize] = e[k] / sum;
        }
        probs
    }

    #[test]
    fn the_table_reads_every_ngram_a_plain_scan_reads() {
        // 3-grams whose 2-gram prefix is no feature (にた, た い), a char
        // only inside longer n-grams (ね), a 1-gram below min_n, a space.
        let tsv = "# inochi-model v1 classes=announcement,inducement,method,incitement,ideation,none ngram=2-3\n\
intercept\t0.1\t0\t0\t0\t-0.2\t0.3\n\
死\t1.5\t0\t0\t0\t0\t2\t-1\n\
死に\t2.0\t0\t0\t0.5\t0\t1\t0\n\
にたい\t2.5\t0.3\t0\t0\t0\t1.5\t-0.5\n\
ね、\t1.2\t0\t0\t0\t1\t0\t0\n\
た い\t1.1\t0\t0\t0\t0\t0.7\t0\n\
\x20死\t1.3\t0\t0.2\t0\t0\t0\t0.1\n";
        let agrees = |m: &Model, tsv: &str, texts: &[&str]| {
            for text in texts {
                let got = m.score(text).probs;
                let want = reference_probs(tsv, text);
                for k in 0..6 {
                    assert!(
                        (got[k] - want[k]).abs() < 1e-9,
                        "{text:?}: {got:?} vs {want:?}"
                    );
                }
            }
        };
        let m = Model::parse("tiny", tsv).unwrap();
        agrees(
            &m,
            tsv,
            &[
                "死にたい",
                "死にたい死にたい 死に",
                "もう死にたい。  死ね、って",
                "た   い た い",
                "無関係な文",
                "",
            ],
        );
        // The default model, on posts with repeats and unknown chars.
        agrees(
            &Model::from_binary(DEFAULT_MODEL).unwrap(),
            include_str!("../../packs/model.tsv"),
            &[
                "もう疲れた。今夜で終わりにする、みんな今までありがとう",
                "プロセスを kill -9 で殺す\tlog   rotate 🙂🙂",
                "i just want to sleep and never wake up, sleep sleep sleep",
            ],
        );
    }

    #[test]
    fn the_binary_default_is_the_tsv() {
        let tsv = include_str!("../../packs/model.tsv");
        let from_text = Model::parse("model.tsv", tsv).unwrap();
        let from_binary = Model::from_binary(DEFAULT_MODEL).unwrap();
        assert_eq!(from_text, from_binary);
        use sha2::{Digest, Sha256};
        assert_eq!(
            crate::pack::hex(&Sha256::digest(tsv.as_bytes())),
            DEFAULT_MODEL_SHA256
        );
    }

    // The compiled form is what build.rs writes; the same code reads a
    // small model back whole and refuses one cut short, padded, or whose
    // table points past its rows.
    #[test]
    fn the_compiled_form_reads_back_and_refuses_damage() {
        let compiled = |m: &Model| {
            let mut bin = TINY.lines().next().unwrap().as_bytes().to_vec();
            bin.push(b'\n');
            m.intercept
                .iter()
                .for_each(|w| bin.extend_from_slice(&w.to_le_bytes()));
            m.grams.write(&m.weights, &mut bin);
            bin
        };
        let tiny = Model::parse("tiny", TINY).unwrap();
        let bin = compiled(&tiny);
        assert_eq!(Model::from_binary(&bin).unwrap(), tiny);
        assert!(Model::from_binary(&bin[..bin.len() - 1]).is_err());
        assert!(Model::from_binary(&[bin.as_slice(), &[0]].concat()).is_err());
        let mut broken = tiny.clone();
        broken.grams.unigrams[1] = 99;
        assert!(Model::from_binary(&compiled(&broken)).is_err());
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

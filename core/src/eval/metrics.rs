//! Confusion matrix, per-category scores, macro-F1, evasion tallies.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::row::LabeledRow;
use crate::category::Category;

/// Counts of (expected, got) pairs over the six categories.
///
/// A row is correct when `got` is its `expect` or one of its `accept`; it is
/// then counted as (`got`, `got`), so an accepted alternative is a hit and
/// never an error ([`record`](ConfusionMatrix::record)). Otherwise it is
/// counted as (`expect`, `got`).
///
/// Serialized (JSON) as a map from expected category to a map from got
/// category to count, both in [`Category::ALL`] order (most severe first).
///
/// ```
/// use inochi::Category::{Ideation, Inducement, None};
/// use inochi::eval::ConfusionMatrix;
///
/// let mut m = ConfusionMatrix::new();
/// m.add(Inducement, Inducement);
/// m.add(Inducement, None);
/// m.add(None, Ideation);
/// m.add(None, None);
/// assert_eq!(m.count(Inducement, None), 1);
/// assert_eq!(m.correct(), 2);
/// let s = m.score(Inducement);
/// assert_eq!((s.tp, s.fp, s.fn_), (1, 0, 1));
/// assert_eq!(s.precision(), 1.0);
/// assert_eq!(s.recall(), 0.5);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfusionMatrix {
    /// `counts[expected as usize][got as usize]`.
    counts: [[usize; 6]; 6],
}

/// True positives, false positives and false negatives of one category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Rows that are the category and were classified so.
    pub tp: usize,
    /// Rows classified as the category that are something else.
    pub fp: usize,
    /// Rows that are the category and were classified as something else.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Score {
    /// tp / (tp + fp); 0 when nothing was classified as the category.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn); 0 when no row is the category.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// The harmonic mean of precision and recall; 0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Rows that are the category (tp + fn).
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }

    /// Rows classified as the category (tp + fp).
    pub fn predicted(&self) -> usize {
        self.tp + self.fp
    }

    /// True when the category neither occurs nor was predicted: its F1 is
    /// undefined and it stays out of the macro average.
    pub fn is_absent(&self) -> bool {
        self.support() == 0 && self.fp == 0
    }
}

/// One category's line of the score table, ready to serialize.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CategoryScore {
    /// The category.
    pub category: Category,
    /// See [`Score::precision`].
    pub precision: f64,
    /// See [`Score::recall`].
    pub recall: f64,
    /// See [`Score::f1`].
    pub f1: f64,
    /// See [`Score::support`].
    pub support: usize,
    /// See [`Score::predicted`].
    pub predicted: usize,
    /// The raw counts.
    #[serde(flatten)]
    pub counts: Score,
}

/// The macro-averaged F1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MacroF1 {
    /// The unweighted mean of the F1 of the categories averaged; 0 when
    /// there are none.
    pub value: f64,
    /// How many of the six categories were averaged: those that occur as an
    /// expected category or were predicted. A category that is neither has
    /// no F1 (0/0) and is left out, so a file without, say, `method` rows is
    /// not marked down for it; on a set that has all six, this is 6.
    pub categories: usize,
}

impl ConfusionMatrix {
    /// An empty matrix.
    pub fn new() -> ConfusionMatrix {
        ConfusionMatrix::default()
    }

    /// Counts one row classified as `got`, as (`got`, `got`) when the row
    /// accepts `got` and as (`expect`, `got`) otherwise. Returns whether the
    /// row was correct.
    pub fn record(&mut self, row: &LabeledRow, got: Category) -> bool {
        self.add(row.gold(got), got);
        row.accepts(got)
    }

    /// Counts one (expected, got) pair as is.
    pub fn add(&mut self, expected: Category, got: Category) {
        self.counts[expected as usize][got as usize] += 1;
    }

    /// The rows expected as `expected` and classified as `got`.
    pub fn count(&self, expected: Category, got: Category) -> usize {
        self.counts[expected as usize][got as usize]
    }

    /// Every row counted.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// The rows on the diagonal: classified correctly.
    pub fn correct(&self) -> usize {
        (0..6).map(|i| self.counts[i][i]).sum()
    }

    /// correct / total; 0 for an empty matrix.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct(), self.total())
    }

    /// The counts of one category.
    pub fn score(&self, category: Category) -> Score {
        let c = category as usize;
        let tp = self.counts[c][c];
        let support: usize = self.counts[c].iter().sum();
        let predicted: usize = self.counts.iter().map(|row| row[c]).sum();
        Score {
            tp,
            fp: predicted - tp,
            fn_: support - tp,
        }
    }

    /// Every category's score, in [`Category::ALL`] order.
    pub fn scores(&self) -> Vec<CategoryScore> {
        Category::ALL
            .into_iter()
            .map(|category| {
                let s = self.score(category);
                CategoryScore {
                    category,
                    precision: s.precision(),
                    recall: s.recall(),
                    f1: s.f1(),
                    support: s.support(),
                    predicted: s.predicted(),
                    counts: s,
                }
            })
            .collect()
    }

    /// The mean F1 over the six categories, leaving out those that neither
    /// occur nor were predicted (see [`MacroF1::categories`]).
    pub fn macro_f1(&self) -> MacroF1 {
        let f1s: Vec<f64> = Category::ALL
            .into_iter()
            .map(|c| self.score(c))
            .filter(|s| !s.is_absent())
            .map(|s| s.f1())
            .collect();
        MacroF1 {
            value: if f1s.is_empty() {
                0.0
            } else {
                f1s.iter().sum::<f64>() / f1s.len() as f64
            },
            categories: f1s.len(),
        }
    }
}

impl Serialize for ConfusionMatrix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Row<'a>(&'a [usize; 6]);
        impl Serialize for Row<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(6))?;
                for got in Category::ALL {
                    map.serialize_entry(got.as_str(), &self.0[got as usize])?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(6))?;
        for expected in Category::ALL {
            map.serialize_entry(expected.as_str(), &Row(&self.counts[expected as usize]))?;
        }
        map.end()
    }
}

/// How many positive posts stay flagged after an evasion rewrite.
///
/// Built from the primaries of the same posts before and after the
/// rewrite:
///
/// ```
/// use inochi::Category::{Ideation, Inducement, None};
/// use inochi::eval::EvasionTally;
///
/// let before = [Inducement, Ideation, Ideation, None];
/// let after = [Inducement, None, Inducement, None];
/// let t = EvasionTally::new(&before, &after);
/// assert_eq!((t.rows, t.flagged_before, t.flagged, t.same_primary), (4, 3, 2, 2));
/// assert_eq!(t.lost, vec![1]);
/// assert_eq!(t.flagged_share(), 0.5);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EvasionTally {
    /// Posts rewritten.
    pub rows: usize,
    /// Posts flagged (primary other than `none`) before the rewrite.
    pub flagged_before: usize,
    /// Posts flagged after the rewrite.
    pub flagged: usize,
    /// Posts whose primary is the same before and after.
    pub same_primary: usize,
    /// Indices of the posts flagged before and not after: what the rewrite
    /// got past the classifier.
    pub lost: Vec<usize>,
}

impl EvasionTally {
    /// Compares the primaries of the same posts before and after a rewrite.
    ///
    /// # Panics
    /// If `before` and `after` differ in length.
    pub fn new(before: &[Category], after: &[Category]) -> EvasionTally {
        assert_eq!(
            before.len(),
            after.len(),
            "one primary per post before and after the rewrite"
        );
        let mut t = EvasionTally {
            rows: before.len(),
            ..EvasionTally::default()
        };
        for (i, (&b, &a)) in before.iter().zip(after).enumerate() {
            t.flagged_before += usize::from(b != Category::None);
            t.flagged += usize::from(a != Category::None);
            t.same_primary += usize::from(a == b);
            if b != Category::None && a == Category::None {
                t.lost.push(i);
            }
        }
        t
    }

    /// flagged / rows; 0 when there are no rows.
    pub fn flagged_share(&self) -> f64 {
        ratio(self.flagged, self.rows)
    }

    /// same_primary / rows; 0 when there are no rows.
    pub fn same_primary_share(&self) -> f64 {
        ratio(self.same_primary, self.rows)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Category::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Ten rows, counted by hand:
    ///
    /// | expected \ got | inducement | ideation | none |
    /// |---|---|---|---|
    /// | inducement     | 3          | 0        | 1    |
    /// | ideation       | 1          | 2        | 1    |
    /// | none           | 0          | 1        | 1    |
    ///
    /// inducement: tp 3, fp 1, fn 1 → P 3/4, R 3/4, F1 3/4.
    /// ideation:   tp 2, fp 1, fn 2 → P 2/3, R 2/4, F1 2·(2/3)(1/2)/(7/6) = 4/7.
    /// none:       tp 1, fp 2, fn 1 → P 1/3, R 1/2, F1 2·(1/3)(1/2)/(5/6) = 2/5.
    /// macro-F1 over the three present = (3/4 + 4/7 + 2/5) / 3.
    fn hand_matrix() -> ConfusionMatrix {
        let mut m = ConfusionMatrix::new();
        for (e, g, n) in [
            (Inducement, Inducement, 3),
            (Inducement, None, 1),
            (Ideation, Inducement, 1),
            (Ideation, Ideation, 2),
            (Ideation, None, 1),
            (None, Ideation, 1),
            (None, None, 1),
        ] {
            for _ in 0..n {
                m.add(e, g);
            }
        }
        m
    }

    #[test]
    fn hand_computed_scores() {
        let m = hand_matrix();
        assert_eq!(m.total(), 10);
        assert_eq!(m.correct(), 6);
        assert!(close(m.accuracy(), 0.6));

        let ind = m.score(Inducement);
        assert_eq!((ind.tp, ind.fp, ind.fn_), (3, 1, 1));
        assert!(close(ind.precision(), 0.75));
        assert!(close(ind.recall(), 0.75));
        assert!(close(ind.f1(), 0.75));

        let ide = m.score(Ideation);
        assert_eq!((ide.tp, ide.fp, ide.fn_), (2, 1, 2));
        assert!(close(ide.precision(), 2.0 / 3.0));
        assert!(close(ide.recall(), 0.5));
        assert!(close(ide.f1(), 4.0 / 7.0));
        assert_eq!((ide.support(), ide.predicted()), (4, 3));

        let none = m.score(None);
        assert_eq!((none.tp, none.fp, none.fn_), (1, 2, 1));
        assert!(close(none.f1(), 0.4));

        let absent = m.score(Method);
        assert!(absent.is_absent());
        assert_eq!(absent.f1(), 0.0);

        let macro_f1 = m.macro_f1();
        assert_eq!(macro_f1.categories, 3);
        assert!(close(macro_f1.value, (0.75 + 4.0 / 7.0 + 0.4) / 3.0));
    }

    #[test]
    fn a_predicted_but_absent_category_counts_in_the_macro_average() {
        let mut m = ConfusionMatrix::new();
        m.add(None, None);
        m.add(None, Method);
        let macro_f1 = m.macro_f1();
        // none: P 1, R 1/2, F1 2/3; method: tp 0, fp 1 → F1 0.
        assert_eq!(macro_f1.categories, 2);
        assert!(close(macro_f1.value, (2.0 / 3.0) / 2.0));
        assert_eq!(ConfusionMatrix::new().macro_f1().categories, 0);
        assert_eq!(ConfusionMatrix::new().macro_f1().value, 0.0);
    }

    #[test]
    fn accepted_alternatives_count_as_got() {
        let mut row = LabeledRow::new("r", "t", Inducement);
        row.accept.push(Method);
        let mut m = ConfusionMatrix::new();
        assert!(m.record(&row, Method));
        assert!(!m.record(&row, None));
        assert_eq!(m.count(Method, Method), 1);
        assert_eq!(m.count(Inducement, None), 1);
        assert_eq!(m.count(Inducement, Method), 0);
        assert_eq!(m.score(Method).fp, 0);
    }

    #[test]
    fn scores_follow_category_order_and_serialize_snake_case() {
        let m = hand_matrix();
        let scores = m.scores();
        let order: Vec<Category> = scores.iter().map(|s| s.category).collect();
        assert_eq!(order, Category::ALL);
        let json = serde_json::to_value(scores[1]).unwrap();
        assert_eq!(json["category"], "inducement");
        assert_eq!(json["support"], 4);
        assert_eq!(json["predicted"], 4);
        assert_eq!(json["tp"], 3);
        assert_eq!(json["fn"], 1);
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["ideation"]["inducement"], 1);
        assert_eq!(json["none"]["none"], 1);
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys[0], "announcement");
        assert_eq!(keys[5], "none");
    }
}

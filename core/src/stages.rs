//! The pipeline's stages one at a time, for the benchmarks (feature `stages`).
//!
//! Not a stable API: it exists so that benches/ can time fold, scan, analyze
//! and decide apart, and so that tests can hold the screened `classify`
//! against the full pipeline. Everything here runs the same code as
//! [`Classifier::classify`].

use crate::Classifier;
use crate::verdict::Verdict;

/// The stages of one classifier.
pub struct Stages<'c> {
    classifier: &'c Classifier,
}

/// A post taken through fold, scan, analyze and concept matching: what
/// [`Stages::decide`] reads.
pub struct Prepared {
    trace: crate::classifier::Trace,
}

impl<'c> Stages<'c> {
    /// The stages of `classifier`.
    pub fn new(classifier: &'c Classifier) -> Stages<'c> {
        Stages { classifier }
    }

    /// Fold: the kana-folded text the scan reads (no offset map).
    pub fn fold(&self, text: &str) -> String {
        self.classifier.inner().folder.fold_kana(text)
    }

    /// The folded text as the full pipeline computes it (with the offset
    /// map, then kana folding); [`Stages::fold`] must equal it.
    pub fn fold_reference(&self, text: &str) -> String {
        crate::fold::kana_fold(self.classifier.inner().folder.fold(text).as_str())
    }

    /// Fold with the map back to the original (what posts with a trigger pay).
    pub fn fold_with_offsets(&self, text: &str) -> crate::Folded {
        self.classifier.inner().folder.fold(text)
    }

    /// The screen: fold without the evasion table, one automaton pass;
    /// then, for a post it cannot clear alone (a term, or a pack whose model
    /// may read any post), the fold, trigger scan and model gate. True when
    /// the post is `none` without analysis.
    pub fn screen(&self, text: &str) -> bool {
        self.classifier.screened_none(text)
    }

    /// Trigger scan over folded text: does it hold a trigger term?
    pub fn scan(&self, folded: &str) -> bool {
        self.classifier.inner().scanner.triggers(folded)
    }

    /// The model's gate for a post without a trigger: would it speak?
    pub fn model(&self, folded: &str) -> bool {
        self.classifier.model_would_speak(folded)
    }

    /// Morphological analysis of folded text: the number of tokens.
    pub fn analyze(&self, folded: &str) -> usize {
        self.classifier.inner().analyzer.tokens(folded).len()
    }

    /// Fold, scan, analyze and concept matching of a post, up to the rules.
    pub fn prepare(&self, text: &str) -> Prepared {
        Prepared {
            trace: self.classifier.run(text),
        }
    }

    /// The rules over a prepared post: the number of rules that fired.
    pub fn decide(&self, prepared: &Prepared) -> usize {
        let inner = self.classifier.inner();
        crate::decide::decide(&inner.pack, &prepared.trace.hits, prepared.trace.punchline)
            .fired
            .len()
    }

    /// `classify` without the screen: every post through the full pipeline.
    /// The screen must never change a verdict; tests compare the two.
    pub fn classify_full(&self, text: &str) -> Verdict {
        self.classifier.classify_full(text)
    }
}

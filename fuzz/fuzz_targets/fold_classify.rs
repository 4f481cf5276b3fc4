//! Arbitrary UTF-8 through `Classifier::normalize` and `Classifier::classify`: no panic, every
//! evidence span lies on char boundaries of the input and slices back to its `text`, char
//! offsets agree with byte offsets, the verdict's JSON parses, and the screen that decides most
//! posts early (fold without offsets, then scan) agrees with the full pipeline.
#![no_main]

use std::sync::LazyLock;

use inochi::Classifier;
use inochi::stages::Stages;
use libfuzzer_sys::fuzz_target;

static CLASSIFIER: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::new().expect("the default classifier builds"));

fuzz_target!(|text: &str| {
    let c = &*CLASSIFIER;
    let _ = c.normalize(text);
    let verdict = c.classify(text);
    let stages = Stages::new(c);
    assert_eq!(stages.fold(text), stages.fold_reference(text), "fold without offsets");
    assert_eq!(verdict, stages.classify_full(text), "screened verdict");
    for label in &verdict.labels {
        assert!((0.0..=1.0).contains(&label.score), "score {}", label.score);
        for e in &label.evidence {
            assert!(
                e.byte_start <= e.byte_end && e.byte_end <= text.len(),
                "{e:?}"
            );
            assert!(
                text.is_char_boundary(e.byte_start),
                "start not on a char boundary: {e:?}"
            );
            assert!(
                text.is_char_boundary(e.byte_end),
                "end not on a char boundary: {e:?}"
            );
            assert_eq!(
                &text[e.byte_start..e.byte_end],
                e.text,
                "span does not slice to text"
            );
            assert_eq!(text[..e.byte_start].chars().count(), e.char_start, "{e:?}");
            assert_eq!(e.char_start + e.text.chars().count(), e.char_end, "{e:?}");
        }
    }
    let json = verdict.to_json();
    let _: serde_json::Value = serde_json::from_str(&json).expect("verdict JSON parses");
});

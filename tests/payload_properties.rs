//! Properties of payload building, for arbitrary metadata: every builder
//! returns a payload whose JSON parses or a typed `PayloadError`, never a
//! panic; valid metadata is never refused; a bad URL is named; and the
//! domain rules hold whatever the metadata: a person's wish to die is never
//! taken down, and an emergency report needs an announcement.
//!
//! The fuzz target `payload` (fuzz/) explores the same space with libFuzzer;
//! these run on stable under `cargo test`.

use std::sync::LazyLock;

use inochi::act::{EmergencyReport, FixedClock, Post, Requester, RequesterKind, TakedownRequest};
use inochi::{Category, PayloadError, Verdict};
use inochi_conformance::classifier;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;

/// Posts that call for each payload, with their verdicts.
struct Cases {
    inducement: (&'static str, Verdict),
    announcement: (&'static str, Verdict),
    ideation: (&'static str, Verdict),
}

static CASES: LazyLock<Cases> = LazyLock::new(|| {
    let case = |text: &'static str, expect: Category| {
        let v = classifier().classify(text);
        assert_eq!(v.primary, expect, "{text}");
        (text, v)
    };
    Cases {
        inducement: case(
            "死にたい方の手伝いをします。お気軽にDMを",
            Category::Inducement,
        ),
        announcement: case(
            "今夜ビルの屋上から飛び降ります。さようなら",
            Category::Announcement,
        ),
        ideation: case("死にたいなあ", Category::Ideation),
    }
});

static CLOCK: LazyLock<FixedClock> =
    LazyLock::new(|| FixedClock::parse("2025-03-16T09:00:00+09:00").expect("a valid time"));

/// Metadata of a post and its requester, each field set or not.
#[derive(Clone, Debug)]
struct Meta {
    url: Option<String>,
    post_id: Option<String>,
    account_id: Option<String>,
    posted_at: Option<String>,
    organisation: String,
    contact: String,
    kind: RequesterKind,
}

fn valid_url() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9_]{0,15}",
        1u64..10_000_000_000,
        select(vec!["https", "http"]),
    )
        .prop_map(|(user, n, scheme)| format!("{scheme}://sns.example/@{user}/posts/{n}"))
}

fn invalid_url() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,12}".prop_map(|s| format!("{s}.example/posts/1")),
        "[a-z]{1,12}".prop_map(|s| format!("ftp://{s}.example/x")),
        "[a-z]{1,12}".prop_map(|s| format!("javascript:{s}")),
        "[a-z]{1,12}".prop_map(|s| format!("//{s}.example/p")),
        Just("https://".to_string()),
    ]
}

fn valid_time() -> impl Strategy<Value = String> {
    (
        2000u32..2030,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        select(vec!["Z", "+09:00", "-05:00"]),
    )
        .prop_map(|(y, mo, d, h, mi, z)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:07{z}"))
}

fn valid_id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.-]{1,40}"
}

fn kind() -> impl Strategy<Value = RequesterKind> {
    select(vec![
        RequesterKind::Platform,
        RequesterKind::HotlineCenter,
        RequesterKind::Police,
        RequesterKind::CyberPatrol,
    ])
}

fn valid_meta() -> impl Strategy<Value = Meta> {
    (
        valid_url(),
        valid_id(),
        valid_id(),
        valid_time(),
        "[A-Za-z ]{0,20}[A-Za-z]",
        "[a-z]{1,10}@example\\.org",
        kind(),
    )
        .prop_map(
            |(url, post_id, account_id, posted_at, organisation, contact, kind)| Meta {
                url: Some(url),
                post_id: Some(post_id),
                account_id: Some(account_id),
                posted_at: Some(posted_at),
                organisation,
                contact,
                kind,
            },
        )
}

/// Anything at all, including control characters, empty strings and
/// strings that only look like URLs or dates.
fn any_meta() -> impl Strategy<Value = Meta> {
    let field = || {
        prop::option::of(prop_oneof![
            any::<String>(),
            valid_url(),
            invalid_url(),
            valid_time(),
            Just(String::new()),
            Just(" ".to_string()),
        ])
    };
    (
        field(),
        field(),
        field(),
        field(),
        any::<String>(),
        any::<String>(),
        kind(),
    )
        .prop_map(
            |(url, post_id, account_id, posted_at, organisation, contact, kind)| Meta {
                url,
                post_id,
                account_id,
                posted_at,
                organisation,
                contact,
                kind,
            },
        )
}

fn post<'a>(text: &'a str, m: &Meta) -> Post<'a> {
    let mut p = Post::new(text);
    p.url = m.url.clone();
    p.post_id = m.post_id.clone();
    p.account_id = m.account_id.clone();
    p.posted_at = m.posted_at.clone();
    p
}

fn requester(m: &Meta) -> Requester {
    Requester::new(m.organisation.clone(), m.kind, m.contact.clone())
}

fn takedown(case: &(&str, Verdict), m: &Meta) -> Result<String, PayloadError> {
    TakedownRequest::builder(&case.1, &post(case.0, m), &requester(m))
        .clock(&*CLOCK)
        .build()
        .map(|r| r.to_json())
}

fn emergency(case: &(&str, Verdict), m: &Meta) -> Result<String, PayloadError> {
    EmergencyReport::builder(&case.1, &post(case.0, m), &requester(m))
        .clock(&*CLOCK)
        .build()
        .map(|r| r.to_json())
}

fn json(s: &str) -> Result<serde_json::Value, TestCaseError> {
    serde_json::from_str(s).map_err(|e| TestCaseError::fail(format!("payload JSON: {e}\n{s}")))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/payload_properties.txt"),
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_metadata_gives_a_payload_or_a_typed_error(m in any_meta()) {
        match takedown(&CASES.inducement, &m) {
            Ok(s) => {
                let v = json(&s)?;
                // The target is the post as given, never another.
                prop_assert_eq!(v["target"]["url"].as_str(), m.url.as_deref());
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        match emergency(&CASES.announcement, &m) {
            Ok(s) => { json(&s)?; }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn valid_metadata_is_never_refused(m in valid_meta()) {
        let s = takedown(&CASES.inducement, &m).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let v = json(&s)?;
        prop_assert_eq!(v["target"]["url"].as_str(), m.url.as_deref());
        let s = emergency(&CASES.announcement, &m).map_err(|e| TestCaseError::fail(e.to_string()))?;
        json(&s)?;
    }

    #[test]
    fn a_bad_url_is_named(m in valid_meta(), url in invalid_url()) {
        let m = Meta { url: Some(url.clone()), ..m };
        match takedown(&CASES.inducement, &m) {
            Err(PayloadError::InvalidUrl { value, .. }) => prop_assert_eq!(value, url),
            other => prop_assert!(false, "expected InvalidUrl for {:?}, got {:?}", url, other),
        }
    }

    #[test]
    fn a_wish_to_die_is_never_taken_down(m in prop_oneof![any_meta(), valid_meta()]) {
        prop_assert!(takedown(&CASES.ideation, &m).is_err());
        // Nor is it reported as an emergency: there is no announcement.
        prop_assert!(emergency(&CASES.ideation, &m).is_err());
        prop_assert!(emergency(&CASES.inducement, &m).is_err());
    }
}

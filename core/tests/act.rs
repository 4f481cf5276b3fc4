//! Payloads built from real verdicts: snapshots of the JSON and the
//! Japanese texts, the DSA enum values, and every refusal.
//!
//! The snapshots are built from verdicts that the classifier produced and
//! that are frozen in `testdata/act/verdicts.jsonl`, so that tuning the rule
//! packs does not churn them; `live_verdicts_still_call_for_the_same_payloads`
//! classifies the same posts with the live classifier and checks that they
//! still yield the same payloads (not the same bytes).
//!
//! Regenerate the frozen verdicts and every snapshot with
//! `INOCHI_BLESS=1 cargo test -p inochi --test act`, then review the diff.
//!
//! The posts show the shape of harmful posts only: no doses, recipes,
//! places or procedures.

use std::path::{Path, PathBuf};

use inochi::act::{
    AskAction, AutomatedDecision, DsaGround, DsaOptions, EEA, EmergencyReport, FixedClock,
    IdSource, PayloadKind, Post, RequestedAction, Requester, RequesterKind, SignalKind,
    SupportReferral, TakedownRequest, Timestamp, Urgency,
};
use inochi::{Category, Classifier, PayloadError, Verdict};
use serde_json::Value;

const NOW: &str = "2025-03-17T10:00:00+09:00";

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/act")
}

fn bless() -> bool {
    std::env::var_os("INOCHI_BLESS").is_some_and(|v| v != "0" && !v.is_empty())
}

/// One fixture post.
struct Fixture {
    name: String,
    text: String,
    url: String,
    post_id: String,
    account_id: String,
    posted_at: String,
    expect: Category,
}

impl Fixture {
    fn post(&self) -> Post<'_> {
        Post::new(&self.text)
            .url(&self.url)
            .post_id(&self.post_id)
            .account_id(&self.account_id)
            .posted_at(&self.posted_at)
    }
}

fn fixtures() -> Vec<Fixture> {
    let text = std::fs::read_to_string(testdata().join("posts.jsonl")).unwrap();
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            Fixture {
                name: s("name"),
                text: s("text"),
                url: s("url"),
                post_id: s("post_id"),
                account_id: s("account_id"),
                posted_at: s("posted_at"),
                expect: s("expect").parse().unwrap(),
            }
        })
        .collect()
}

fn classifier() -> Classifier {
    Classifier::new().expect("default classifier")
}

/// The frozen verdicts, one per fixture, in order; rewritten from the live
/// classifier when blessing.
fn frozen_verdicts(fixtures: &[Fixture]) -> Vec<Verdict> {
    let path = testdata().join("verdicts.jsonl");
    if bless() {
        let c = classifier();
        let mut out = String::new();
        for f in fixtures {
            let v = c.classify(&f.text);
            assert_eq!(v.primary, f.expect, "{}: live verdict changed", f.name);
            out.push_str(&v.to_json());
            out.push('\n');
        }
        std::fs::write(&path, out).unwrap();
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with INOCHI_BLESS=1", path.display()));
    let verdicts: Vec<Verdict> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        verdicts.len(),
        fixtures.len(),
        "one frozen verdict per post"
    );
    verdicts
}

fn patrol() -> Requester {
    let mut r = Requester::new(
        "Example Cyber Patrol",
        RequesterKind::CyberPatrol,
        "patrol@example.org",
    );
    r.representative = Some("担当 一郎".into());
    r.reference = Some("PATROL-2025-0042".into());
    r
}

fn platform() -> Requester {
    Requester::new(
        "Example SNS Trust & Safety",
        RequesterKind::Platform,
        "trust@sns.example",
    )
}

fn police() -> Requester {
    Requester::new(
        "Example Prefectural Police, Cybercrime Division",
        RequesterKind::Police,
        "+81-3-0000-0000",
    )
}

fn clock() -> FixedClock {
    FixedClock::parse(NOW).unwrap()
}

/// Compares `actual` with the snapshot `name`, byte for byte; writes it
/// when blessing. Returns the names of mismatches instead of panicking at
/// the first, so one run shows every changed snapshot.
fn snapshot(name: &str, actual: &str, failures: &mut Vec<String>) {
    let path = testdata().join(name);
    if bless() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .map_or(
                    expected.lines().count().min(actual.lines().count()) + 1,
                    |i| i + 1,
                );
            failures.push(format!("{name} differs from line {line}"));
            eprintln!("--- {name} expected\n{expected}\n+++ actual\n{actual}");
        }
        Err(e) => failures.push(format!("{name}: {e}")),
    }
}

fn line(json: String) -> String {
    json + "\n"
}

#[test]
fn snapshots_from_frozen_verdicts() {
    let fixtures = fixtures();
    let verdicts = frozen_verdicts(&fixtures);
    let clock = clock();
    let mut failures = Vec::new();
    for (f, v) in fixtures.iter().zip(&verdicts) {
        let post = f.post();
        let n = &f.name;
        match f.expect {
            Category::Inducement | Category::Method | Category::Incitement => {
                let requester = patrol();
                let r = TakedownRequest::builder(v, &post, &requester)
                    .clock(&clock)
                    .incitement_takedown(f.expect == Category::Incitement)
                    .terms_reference("利用規約 第5条第1項第3号")
                    .build()
                    .unwrap_or_else(|e| panic!("{n}: {e}"));
                assert_eq!(r.category, f.expect, "{n}");
                snapshot(
                    &format!("{n}.takedown.json"),
                    &line(r.to_json()),
                    &mut failures,
                );
                snapshot(&format!("{n}.letter.txt"), &r.to_letter(), &mut failures);
                let dsa = r.to_dsa(&DsaOptions::default()).unwrap();
                snapshot(
                    &format!("{n}.dsa.json"),
                    &line(dsa.to_json()),
                    &mut failures,
                );
            }
            Category::Announcement => {
                let requester = if n.ends_with("_en") {
                    police()
                } else {
                    platform()
                };
                let r = EmergencyReport::builder(v, &post, &requester)
                    .clock(&clock)
                    .build()
                    .unwrap_or_else(|e| panic!("{n}: {e}"));
                snapshot(
                    &format!("{n}.emergency.json"),
                    &line(r.to_json()),
                    &mut failures,
                );
                snapshot(
                    &format!("{n}.police.txt"),
                    &r.to_police_report(),
                    &mut failures,
                );
                snapshot(&format!("{n}.art18.txt"), &r.to_dsa_notice(), &mut failures);
                let s = SupportReferral::builder(v, &post)
                    .clock(&clock)
                    .build()
                    .unwrap();
                snapshot(
                    &format!("{n}.support.json"),
                    &line(s.to_json()),
                    &mut failures,
                );
            }
            Category::Ideation => {
                let s = SupportReferral::builder(v, &post)
                    .clock(&clock)
                    .build()
                    .unwrap();
                snapshot(
                    &format!("{n}.support.json"),
                    &line(s.to_json()),
                    &mut failures,
                );
                snapshot(&format!("{n}.support.txt"), &s.to_text(), &mut failures);
            }
            Category::None => {}
        }
    }
    assert!(
        failures.is_empty(),
        "snapshots differ (regenerate with INOCHI_BLESS=1 and review the diff):\n{}",
        failures.join("\n")
    );
}

#[test]
fn live_verdicts_still_call_for_the_same_payloads() {
    let c = classifier();
    let clock = clock();
    let requester = patrol();
    for f in fixtures() {
        let v = c.classify(&f.text);
        assert_eq!(v.primary, f.expect, "{}: live primary changed", f.name);
        let post = f.post();
        let takedown = TakedownRequest::builder(&v, &post, &requester)
            .clock(&clock)
            .incitement_takedown(true)
            .build();
        let emergency = EmergencyReport::builder(&v, &post, &requester)
            .clock(&clock)
            .build();
        let support = SupportReferral::builder(&v, &post).clock(&clock).build();
        match f.expect {
            Category::Inducement | Category::Method | Category::Incitement => {
                assert_eq!(takedown.unwrap().category, f.expect, "{}", f.name);
            }
            Category::Announcement => {
                assert!(
                    takedown.is_err() && emergency.is_ok() && support.is_ok(),
                    "{}",
                    f.name
                );
            }
            Category::Ideation => {
                assert!(takedown.is_err() && emergency.is_err(), "{}", f.name);
                assert_eq!(support.unwrap().category, Category::Ideation);
            }
            Category::None => {
                assert!(takedown.is_err() && emergency.is_err() && support.is_err());
            }
        }
    }
}

#[test]
fn same_input_and_clock_give_the_same_bytes() {
    let fixtures = fixtures();
    let verdicts = frozen_verdicts(&fixtures);
    let requester = patrol();
    let (f, v) = (&fixtures[0], &verdicts[0]);
    let post = f.post();
    let a = TakedownRequest::builder(v, &post, &requester)
        .clock(&clock())
        .build()
        .unwrap();
    let b = TakedownRequest::builder(v, &post, &requester)
        .clock(&clock())
        .build()
        .unwrap();
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(a.to_letter(), b.to_letter());
    let later = FixedClock::parse("2025-03-17T10:00:01+09:00").unwrap();
    let c = TakedownRequest::builder(v, &post, &requester)
        .clock(&later)
        .build()
        .unwrap();
    assert_ne!(a.id, c.id, "another time is another request");
    // Round trip: the JSON reads back into the same request.
    let back: TakedownRequest = serde_json::from_str(&a.to_json()).unwrap();
    assert_eq!(back, a);
}

#[test]
fn long_posts_get_a_bounded_excerpt_around_the_evidence() {
    let fixtures = fixtures();
    let verdicts = frozen_verdicts(&fixtures);
    let i = fixtures
        .iter()
        .position(|f| f.name == "long_inducement")
        .unwrap();
    let post = fixtures[i].post();
    let requester = patrol();
    for max in [40, 200] {
        let r = TakedownRequest::builder(&verdicts[i], &post, &requester)
            .clock(&clock())
            .excerpt_chars(max)
            .build()
            .unwrap();
        let c = &r.content;
        assert!(c.truncated);
        assert_eq!(c.excerpt.chars().count(), max);
        assert!(
            c.excerpt.contains("死ねる人を探しています"),
            "{}",
            c.excerpt
        );
        let whole: String = fixtures[i]
            .text
            .chars()
            .skip(c.excerpt_char_start)
            .take(c.excerpt_char_end - c.excerpt_char_start)
            .collect();
        assert_eq!(whole, c.excerpt);
        let quoted = format!(
            "「{}{}{}」",
            if c.excerpt_char_start > 0 { "…" } else { "" },
            c.excerpt,
            if c.excerpt_char_end < c.length_chars {
                "…"
            } else {
                ""
            }
        );
        assert!(r.to_letter().contains(&quoted), "{quoted}");
    }
}

/// The values the issue lists for the DSA statement of reasons.
mod dsa_lists {
    pub const DECISION_VISIBILITY: &[&str] = &[
        "DECISION_VISIBILITY_CONTENT_REMOVED",
        "DECISION_VISIBILITY_CONTENT_DISABLED",
        "DECISION_VISIBILITY_CONTENT_DEMOTED",
        "DECISION_VISIBILITY_OTHER",
    ];
    pub const DECISION_GROUND: &[&str] = &[
        "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "DECISION_GROUND_ILLEGAL_CONTENT",
    ];
    pub const CATEGORY: &[&str] = &["STATEMENT_CATEGORY_SELF_HARM"];
    pub const CATEGORY_SPECIFICATION: &[&str] = &["KEYWORD_SUICIDE"];
    pub const CONTENT_TYPE: &[&str] = &["CONTENT_TYPE_TEXT"];
    pub const AUTOMATED_DETECTION: &[&str] = &["Yes"];
    pub const AUTOMATED_DECISION: &[&str] = &[
        "AUTOMATED_DECISION_FULLY",
        "AUTOMATED_DECISION_PARTIALLY",
        "AUTOMATED_DECISION_NOT_AUTOMATED",
    ];
    pub const SOURCE_TYPE: &[&str] = &[
        "SOURCE_ARTICLE_16",
        "SOURCE_TRUSTED_FLAGGER",
        "SOURCE_TYPE_OTHER_NOTIFICATION",
        "SOURCE_VOLUNTARY",
    ];
}

fn assert_in(field: &str, value: &str, allowed: &[&str]) {
    assert!(
        allowed.contains(&value),
        "{field} = {value:?} is not one of {allowed:?}"
    );
}

#[test]
fn every_dsa_value_is_from_the_issue_lists() {
    use dsa_lists::*;
    let fixtures = fixtures();
    let verdicts = frozen_verdicts(&fixtures);
    let kinds = [
        RequesterKind::Platform,
        RequesterKind::HotlineCenter,
        RequesterKind::Police,
        RequesterKind::CyberPatrol,
        RequesterKind::Volunteer,
        RequesterKind::User,
    ];
    let actions = [
        RequestedAction::Remove,
        RequestedAction::Disable,
        RequestedAction::RestrictVisibility,
        RequestedAction::AccountReview,
    ];
    let grounds = [
        DsaGround::IncompatibleContent,
        DsaGround::IllegalContent {
            legal_ground: "National law on assisting suicide (example)".into(),
        },
    ];
    let decisions = [
        AutomatedDecision::Fully,
        AutomatedDecision::Partially,
        AutomatedDecision::NotAutomated,
    ];
    let mut seen_sources = Vec::new();
    let mut seen_visibility = Vec::new();
    for (f, v) in fixtures.iter().zip(&verdicts) {
        if !matches!(
            f.expect,
            Category::Inducement | Category::Method | Category::Incitement
        ) {
            continue;
        }
        let post = f.post();
        for (i, &kind) in kinds.iter().enumerate() {
            let requester = Requester::new("Org", kind, "contact@example.org");
            let action = actions[i % actions.len()];
            let r = TakedownRequest::builder(v, &post, &requester)
                .clock(&clock())
                .incitement_takedown(true)
                .requested_action(action)
                .build()
                .unwrap();
            let options = DsaOptions {
                ground: grounds[i % 2].clone(),
                automated_decision: decisions[i % 3],
                territorial_scope: vec!["DE".into(), "IE".into()],
                terms_url: Some("https://sns.example/terms".into()),
                trusted_flagger: i == 1,
            };
            let s = r.to_dsa(&options).unwrap();
            let json: Value = serde_json::from_str(&s.to_json()).unwrap();
            for value in &s.decision_visibility {
                assert_in("decision_visibility", value, DECISION_VISIBILITY);
                seen_visibility.push(value.clone());
            }
            assert_in("decision_ground", &s.decision_ground, DECISION_GROUND);
            assert_in("category", &s.category, CATEGORY);
            for value in &s.category_specification {
                assert_in("category_specification", value, CATEGORY_SPECIFICATION);
            }
            for value in &s.content_type {
                assert_in("content_type", value, CONTENT_TYPE);
            }
            assert_in(
                "automated_detection",
                &s.automated_detection,
                AUTOMATED_DETECTION,
            );
            assert_in(
                "automated_decision",
                &s.automated_decision,
                AUTOMATED_DECISION,
            );
            assert_in("source_type", &s.source_type, SOURCE_TYPE);
            seen_sources.push(s.source_type.clone());
            for c in &s.territorial_scope {
                assert!(EEA.contains(&c.as_str()));
            }
            // Conditional fields go with their ground.
            if s.decision_ground == "DECISION_GROUND_ILLEGAL_CONTENT" {
                assert!(json.get("illegal_content_legal_ground").is_some());
                assert!(json.get("illegal_content_explanation").is_some());
                assert!(json.get("incompatible_content_ground").is_none());
            } else {
                assert!(json.get("incompatible_content_ground").is_some());
                assert!(json.get("incompatible_content_explanation").is_some());
                assert!(json.get("illegal_content_legal_ground").is_none());
            }
            assert_eq!(
                json.get("decision_visibility_other").is_some(),
                s.decision_visibility == ["DECISION_VISIBILITY_OTHER"]
            );
            for date in [&s.content_date, &s.application_date] {
                assert!(Timestamp::parse(&format!("{date}T00:00:00Z"), "date").is_ok());
                assert_eq!(date.len(), 10);
            }
            assert!(s.decision_facts.chars().count() <= 5000);
            assert!(!s.puid.is_empty() && s.puid.len() <= 500);
            assert!(
                s.puid
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            );
            // No personal data: no account, URL, excerpt, requester.
            let text = s.to_json();
            for personal in [
                f.account_id.as_str(),
                f.url.as_str(),
                r.content.excerpt.as_str(),
                "contact@example.org",
                "Org\"",
            ] {
                assert!(!text.contains(personal), "{personal:?} in {text}");
            }
            for e in &r.evidence.spans {
                assert!(!text.contains(&format!("\"{}\"", e.text)));
            }
        }
    }
    for v in DECISION_VISIBILITY {
        assert!(seen_visibility.iter().any(|s| s == v), "{v} never produced");
    }
    for v in SOURCE_TYPE {
        assert!(seen_sources.iter().any(|s| s == v), "{v} never produced");
    }
}

#[test]
fn grounds_per_category() {
    let fixtures = fixtures();
    let verdicts = frozen_verdicts(&fixtures);
    let requester = patrol();
    let codes = |name: &str| -> Vec<String> {
        let i = fixtures.iter().position(|f| f.name == name).unwrap();
        let post = fixtures[i].post();
        TakedownRequest::builder(&verdicts[i], &post, &requester)
            .clock(&clock())
            .incitement_takedown(true)
            .build()
            .unwrap()
            .grounds
            .into_iter()
            .map(|g| g.code)
            .collect()
    };
    assert_eq!(
        codes("inducement_solicitation"),
        [
            "ihc.suicide_inducement.solicitation",
            "model_terms.suicide_inducement"
        ]
    );
    let involvement = codes("inducement_involvement");
    assert!(involvement.contains(&"ihc.suicide_inducement.involvement".to_string()));
    assert!(involvement.contains(&"model_terms.suicide_inducement".to_string()));
    // Method is outside the Hotline Center's scope: the platform's terms only.
    assert_eq!(codes("method"), ["platform_terms.suicide_method"]);
    assert_eq!(codes("incitement"), ["platform_terms.suicide_incitement"]);
}

#[test]
fn emergency_reports_carry_signals_asks_and_never_fail_on_optional_fields() {
    let fixtures = fixtures();
    let verdicts = frozen_verdicts(&fixtures);
    let i = fixtures
        .iter()
        .position(|f| f.name == "announcement_ja")
        .unwrap();
    let v = &verdicts[i];
    let text = &fixtures[i].text;
    let requester = platform();

    // Nothing but the text.
    let bare = Post::new(text);
    let r = EmergencyReport::builder(v, &bare, &requester)
        .clock(&clock())
        .build()
        .unwrap();
    assert_eq!(r.target.url, None);
    assert_eq!(r.target.observed_at.to_string(), NOW);
    assert!(r.warnings.is_empty());
    assert_eq!(r.urgency, Urgency::Immediate);
    let kinds: Vec<SignalKind> = r.signals.iter().map(|s| s.kind).collect();
    for k in [
        SignalKind::Time,
        SignalKind::Place,
        SignalKind::Means,
        SignalKind::Farewell,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
    for s in &r.signals {
        assert_eq!(&text[s.byte_start..s.byte_end], s.text);
    }
    assert_eq!(r.asks[0].action, AskAction::ImmediatePoliceResponse);

    // Malformed optional fields are left out with a warning, not refused.
    let messy = Post::new(text)
        .url("sns.example/@sora_no_iro/posts/1007")
        .post_id("10 07")
        .posted_at("yesterday night")
        .language("Japanese");
    let r = EmergencyReport::builder(v, &messy, &requester)
        .clock(&clock())
        .build()
        .unwrap();
    assert_eq!(r.target.url, None);
    assert_eq!(r.target.post_id, None);
    assert_eq!(r.target.posted_at, None);
    assert_eq!(r.content.language, "ja");
    assert_eq!(r.warnings.len(), 4, "{:?}", r.warnings);
    assert!(r.to_police_report().contains("【補足】"));

    // The police ask the provider to disclose the poster's identity.
    let r = EmergencyReport::builder(v, &bare, &police())
        .clock(&clock())
        .build()
        .unwrap();
    assert_eq!(r.asks[0].action, AskAction::DisclosePosterIdentity);
    assert!(r.to_police_report().contains("緊急避難"));
}

fn same(p: Post<'_>) -> Post<'_> {
    p
}

/// An id source that returns what it is told.
struct Ids(&'static str);

impl IdSource for Ids {
    fn id(&self, _: PayloadKind, _: &[u8; 32]) -> String {
        self.0.to_string()
    }
}

#[test]
fn every_refusal_names_the_field_and_the_fix() {
    let fixtures = fixtures();
    let verdicts = frozen_verdicts(&fixtures);
    let by = |name: &str| {
        let i = fixtures.iter().position(|f| f.name == name).unwrap();
        (&fixtures[i], &verdicts[i])
    };
    let requester = patrol();
    let clock = clock();
    let takedown = |name: &str, edit: &dyn Fn(Post<'_>) -> Post<'_>| {
        let (f, v) = by(name);
        let post = edit(f.post());
        TakedownRequest::builder(v, &post, &requester)
            .clock(&clock)
            .build()
            .unwrap_err()
    };

    // A cry for help is never taken down: use a SupportReferral.
    for name in ["ideation_ja", "ideation_en"] {
        let e = takedown(name, &same);
        assert_eq!(
            e,
            PayloadError::NotForTakedown {
                category: Category::Ideation
            }
        );
        assert!(e.to_string().contains("support referral"), "{e}");
    }
    let e = takedown("none", &same);
    assert_eq!(
        e,
        PayloadError::NotForTakedown {
            category: Category::None
        }
    );
    assert!(e.to_string().contains("support referral"), "{e}");
    // Naming the category explicitly does not get round it.
    let (f, v) = by("inducement_en");
    let post = f.post();
    let e = TakedownRequest::builder(v, &post, &requester)
        .category(Category::Ideation)
        .build()
        .unwrap_err();
    assert!(matches!(e, PayloadError::NotForTakedown { .. }));
    // An announcement is an emergency.
    let e = takedown("announcement_ja", &same);
    assert_eq!(e, PayloadError::AnnouncementIsEmergency);
    assert!(e.to_string().contains("emergency report"));
    // Incitement only under the operator's policy.
    let e = takedown("incitement", &same);
    assert_eq!(e, PayloadError::IncitementNeedsPolicy);
    assert!(e.to_string().contains("incitement_takedown"));
    // A category the verdict does not carry.
    let (f, v) = by("method");
    let post = f.post();
    let e = TakedownRequest::builder(v, &post, &requester)
        .category(Category::Inducement)
        .build()
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("no inducement label (it has: method)"),
        "{e}"
    );

    // Fields.
    let e = takedown("method", &|p| Post { url: None, ..p });
    assert!(matches!(&e, PayloadError::MissingField { field, .. } if field == "target.url"));
    for bad in [
        "sns.example/posts/1",
        "ftp://sns.example/1",
        "javascript:alert(1)",
    ] {
        let e = takedown("method", &|p| p.url(bad));
        assert!(
            matches!(&e, PayloadError::InvalidUrl { field, .. } if field == "target.url"),
            "{e}"
        );
    }
    let e = takedown("method", &|p| p.posted_at("2025/03/15 10:15"));
    assert!(
        matches!(&e, PayloadError::InvalidTimestamp { field, .. } if field == "target.posted_at")
    );
    assert!(e.to_string().contains("RFC 3339"));
    let e = takedown("method", &|p| p.observed_at("soon"));
    assert!(
        matches!(&e, PayloadError::InvalidTimestamp { field, .. } if field == "target.observed_at")
    );
    let e = takedown("method", &|p| p.post_id("10 05"));
    assert!(matches!(&e, PayloadError::InvalidId { field, .. } if field == "target.post_id"));
    let e = takedown("method", &|p| p.account_id(""));
    assert!(matches!(&e, PayloadError::InvalidId { field, .. } if field == "target.account_id"));
    let e = takedown("method", &|p| p.language("Japanese"));
    assert!(matches!(&e, PayloadError::InvalidOption { field, .. } if field == "post.language"));

    // The verdict must be the text's.
    let e = takedown("method", &|p| Post {
        text: "確実に死なない方法を教えます",
        ..p
    });
    assert!(matches!(e, PayloadError::EvidenceMismatch { .. }), "{e}");
    assert!(e.to_string().contains("classify this exact text again"));
    let (f, v) = by("announcement_ja");
    let other = Post::new("今夜ビルの屋上から飛び降ります");
    let e = EmergencyReport::builder(v, &other, &requester)
        .build()
        .unwrap_err();
    assert!(matches!(e, PayloadError::EvidenceMismatch { .. }), "{e}");
    let _ = f;

    // The requester, options and ids.
    let (f, v) = by("method");
    let post = f.post();
    let nobody = Requester::new(" ", RequesterKind::User, "x@example.org");
    let e = TakedownRequest::builder(v, &post, &nobody)
        .build()
        .unwrap_err();
    assert!(
        matches!(&e, PayloadError::InvalidText { field, .. } if field == "requester.organisation")
    );
    let e = TakedownRequest::builder(v, &post, &requester)
        .response_days(0)
        .build()
        .unwrap_err();
    assert!(matches!(&e, PayloadError::InvalidOption { field, .. } if field == "response_days"));
    let e = TakedownRequest::builder(v, &post, &requester)
        .excerpt_chars(5)
        .build()
        .unwrap_err();
    assert!(matches!(&e, PayloadError::InvalidOption { field, .. } if field == "excerpt_chars"));
    let bad_ids = Ids("../etc/passwd");
    let e = TakedownRequest::builder(v, &post, &requester)
        .ids(&bad_ids)
        .build()
        .unwrap_err();
    assert!(matches!(&e, PayloadError::InvalidId { field, .. } if field == "id"));
    let r = TakedownRequest::builder(v, &post, &requester)
        .build()
        .unwrap();
    for options in [
        DsaOptions {
            territorial_scope: vec!["JP".into()],
            ..DsaOptions::default()
        },
        DsaOptions {
            territorial_scope: vec![],
            ..DsaOptions::default()
        },
        DsaOptions {
            ground: DsaGround::IllegalContent {
                legal_ground: String::new(),
            },
            ..DsaOptions::default()
        },
        DsaOptions {
            terms_url: Some("terms.html".into()),
            ..DsaOptions::default()
        },
    ] {
        let e = r.to_dsa(&options).unwrap_err();
        assert!(e.to_string().starts_with("dsa."), "{e}");
    }

    // No emergency report without an announcement; no referral without a
    // person in distress.
    let (f, v) = by("ideation_ja");
    let post = f.post();
    let e = EmergencyReport::builder(v, &post, &requester)
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        PayloadError::NotAnAnnouncement {
            primary: Category::Ideation
        }
    );
    assert!(e.to_string().contains("support referral"));
    let (f, v) = by("method");
    let post = f.post();
    let e = EmergencyReport::builder(v, &post, &requester)
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        PayloadError::NotAnAnnouncement {
            primary: Category::Method
        }
    );
    let e = SupportReferral::builder(v, &post).build().unwrap_err();
    assert_eq!(
        e,
        PayloadError::NoSupportCall {
            primary: Category::Method
        }
    );
    let (f, v) = by("none");
    let post = f.post();
    let e = SupportReferral::builder(v, &post).build().unwrap_err();
    assert_eq!(
        e,
        PayloadError::NoSupportCall {
            primary: Category::None
        }
    );
}

#[test]
fn support_referrals_by_locale_and_age() {
    use inochi::act::{AgeGroup, Audience};
    let fixtures = fixtures();
    let verdicts = frozen_verdicts(&fixtures);
    let by = |name: &str| fixtures.iter().position(|f| f.name == name).unwrap();
    let i = by("ideation_en");
    let post = fixtures[i].post();
    let numbers = |locale: &str, age| -> Vec<String> {
        SupportReferral::builder(&verdicts[i], &post)
            .locale(locale)
            .age_group(age)
            .clock(&clock())
            .build()
            .unwrap()
            .resources
            .iter()
            .flat_map(|r| r.phones.iter().map(|p| p.number.clone()))
            .collect()
    };
    assert_eq!(numbers("en-US", AgeGroup::Unknown), ["988"]);
    assert_eq!(numbers("en-GB", AgeGroup::Adult), ["116 123"]);
    assert_eq!(numbers("en-IE", AgeGroup::Minor), ["116 123"]);
    let j = by("ideation_ja");
    let post = fixtures[j].post();
    let r = SupportReferral::builder(&verdicts[j], &post)
        .age_group(AgeGroup::Adult)
        .clock(&clock())
        .build()
        .unwrap();
    assert_eq!(r.language, "ja");
    assert_eq!(r.region.as_deref(), Some("JP"));
    assert!(r.resources.iter().all(|x| x.audience != Audience::Minor));
    assert!(r.message.contains("一人ではありません"));
    // A malformed locale does not hold the referral back.
    let r = SupportReferral::builder(&verdicts[j], &post)
        .locale("Japan!")
        .clock(&clock())
        .build()
        .unwrap();
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.region.as_deref(), Some("JP"));
}

//! Arbitrary metadata (URL, post id, account id, dates, language, requester fields, locale,
//! terms URL) into every act builder, with real verdicts: each build yields a payload or a typed
//! `PayloadError`, never a panic, and every rendering's JSON parses.
#![no_main]

use std::sync::LazyLock;

use inochi::act::{
    DsaOptions, EmergencyReport, FixedClock, Post, Requester, RequesterKind, SupportReferral,
    TakedownRequest,
};
use inochi::{Classifier, PayloadError, Verdict};
use libfuzzer_sys::fuzz_target;

/// Posts of each actionable kind, with their verdicts (made once).
static CASES: LazyLock<Vec<(&'static str, Verdict)>> = LazyLock::new(|| {
    let c = Classifier::new().expect("the default classifier builds");
    [
        "死にたい方の手伝いをします。お気軽にDMを",
        "今夜ビルの屋上から飛び降ります。さようなら",
        "死にたいなあ",
        "i just want to die",
        "今日はいい天気",
    ]
    .into_iter()
    .map(|t| (t, c.classify(t)))
    .collect()
});

static CLOCK: LazyLock<FixedClock> =
    LazyLock::new(|| FixedClock::parse("2025-03-16T09:00:00+09:00").expect("a valid time"));

fn parses(json: &str) {
    let _: serde_json::Value = serde_json::from_str(json).expect("payload JSON parses");
}

fn typed(e: PayloadError) {
    // A typed error renders a message; that is all that is asked of it.
    assert!(!e.to_string().is_empty());
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    // Fields separated by U+001F (unit separator); missing ones stay unset.
    let mut f = text.split('\u{1f}').map(str::to_string);
    let mut next = || f.next();
    let (text, verdict) = &CASES[usize::from(selector) % CASES.len()];
    let mut post = Post::new(text);
    post.url = next();
    post.post_id = next();
    post.account_id = next();
    post.posted_at = next();
    post.observed_at = next();
    post.language = next();
    post.service = next();
    let kind = match selector / 8 % 4 {
        0 => RequesterKind::Platform,
        1 => RequesterKind::HotlineCenter,
        2 => RequesterKind::Police,
        _ => RequesterKind::CyberPatrol,
    };
    let mut requester =
        Requester::new(next().unwrap_or_default(), kind, next().unwrap_or_default());
    requester.representative = next();
    requester.address = next();
    requester.reference = next();
    let locale = next();
    let options = DsaOptions {
        terms_url: next(),
        trusted_flagger: selector & 0x80 != 0,
        ..DsaOptions::default()
    };

    match TakedownRequest::builder(verdict, &post, &requester)
        .clock(&*CLOCK)
        .incitement_takedown(selector & 0x40 != 0)
        .build()
    {
        Ok(r) => {
            parses(&r.to_json());
            match r.to_dsa(&options) {
                Ok(s) => parses(&s.to_json()),
                Err(e) => typed(e),
            }
        }
        Err(e) => typed(e),
    }
    match EmergencyReport::builder(verdict, &post, &requester)
        .clock(&*CLOCK)
        .build()
    {
        Ok(r) => {
            parses(&r.to_json());
            let _ = r.to_police_report();
            let _ = r.to_dsa_notice();
        }
        Err(e) => typed(e),
    }
    let mut b = SupportReferral::builder(verdict, &post).clock(&*CLOCK);
    if let Some(l) = locale {
        b = b.locale(l);
    }
    match b.build() {
        Ok(r) => {
            parses(&r.to_json());
            let _ = r.to_text();
        }
        Err(e) => typed(e),
    }
});

//! Payload builders: takedown request, emergency report, support referral,
//! each with the renderings the core offers.
//!
//! Payloads are documents with a published JSON Schema (`inochi schema`),
//! so their JSON keeps the core's snake_case field names.

use inochi::act;
use napi_derive::napi;
use serde_json::Value;

use crate::error::{Code, Failure, guarded};
use crate::types::{
    AgeGroup, AutomatedDecision, Category, DecisionGround, Post, RequestedAction, Requester,
    Verdict, clock, count,
};

fn value<T: serde::Serialize>(payload: &T) -> napi::Result<Value, Code> {
    guarded("toJSON", || {
        serde_json::to_value(payload).map_err(|e| Failure(Code::Other, e.to_string()))
    })
}

/// Options of `takedownRequest`.
#[napi(object)]
pub struct TakedownOptions {
    /// The creation time (RFC 3339), fixed for reproducible output; default
    /// now. The id derives from the input and this time.
    pub now: Option<String>,
    /// The label to request removal for (default: the most severe
    /// takedown-class label of the verdict).
    pub category: Option<Category>,
    /// The operator's policy makes `incitement` ("死ね", "kys") a ground
    /// for removal (default false: it calls for review).
    pub incitement_takedown: Option<bool>,
    /// What to ask for (default `remove`).
    pub requested_action: Option<RequestedAction>,
    /// Days the service has to answer (default 7).
    pub response_days: Option<u32>,
    /// The longest excerpt of the post quoted, in characters (default 200).
    pub excerpt_chars: Option<u32>,
    /// The clause of the platform's terms cited by the terms-based grounds,
    /// e.g. "利用規約 第5条第1項".
    pub terms_reference: Option<String>,
}

/// Options of `emergencyReport`.
#[napi(object)]
pub struct EmergencyOptions {
    /// The creation time (RFC 3339); default now.
    pub now: Option<String>,
    /// The longest excerpt of the post quoted, in characters (default 200).
    pub excerpt_chars: Option<u32>,
}

/// Options of `supportReferral`.
#[napi(object)]
pub struct SupportOptions {
    /// The creation time (RFC 3339); default now.
    pub now: Option<String>,
    /// The person's locale, e.g. `ja-JP`, `en-GB` (default: the post's
    /// language and that language's default region).
    pub locale: Option<String>,
    /// The person's age group, when known.
    pub age_group: Option<AgeGroup>,
    /// A help resources file (TOML, as the core's `resources/support.toml`)
    /// instead of the embedded one.
    pub resources: Option<String>,
    /// Help resources given as TOML text (not with `resources`).
    pub resources_toml: Option<String>,
}

/// Options of `TakedownRequest.toDsa`: how the operator fills an EU DSA
/// statement of reasons.
#[napi(object)]
pub struct DsaOptions {
    /// The decision's ground (default `incompatible_content`).
    pub decision_ground: Option<DecisionGround>,
    /// The law relied on, with `decisionGround: "illegal_content"`.
    pub illegal_content_legal_ground: Option<String>,
    /// How automated the decision was (default `partially`).
    pub automated_decision: Option<AutomatedDecision>,
    /// Where the decision applies: ISO 3166-1 codes of EEA states (default:
    /// all of them).
    pub territorial_scope: Option<Vec<String>>,
    /// The URL of the terms of service.
    pub terms_url: Option<String>,
    /// Whether the requester is a trusted flagger under Art. 22 DSA.
    pub trusted_flagger: Option<bool>,
}

impl DsaOptions {
    fn to_core(&self) -> act::DsaOptions {
        let mut o = act::DsaOptions::default();
        if self.decision_ground == Some(DecisionGround::IllegalContent) {
            // An absent legal ground is refused by the core's own check.
            o.ground = act::DsaGround::IllegalContent {
                legal_ground: self
                    .illegal_content_legal_ground
                    .clone()
                    .unwrap_or_default(),
            };
        }
        if let Some(a) = self.automated_decision {
            o.automated_decision = a.into();
        }
        if let Some(t) = &self.territorial_scope {
            o.territorial_scope = t.clone();
        }
        o.terms_url = self.terms_url.clone();
        o.trusted_flagger = self.trusted_flagger.unwrap_or(false);
        o
    }
}

/// A takedown request (削除依頼) for an `inducement` or `method` post
/// (`incitement` with `incitementTakedown`).
#[napi]
pub struct TakedownRequest {
    inner: act::TakedownRequest,
}

#[napi]
impl TakedownRequest {
    /// The payload's id, e.g. `td-1715942865c3ed75768e`.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// `"takedown_request"`.
    #[napi(getter, js_name = "type", ts_return_type = "'takedown_request'")]
    pub fn kind(&self) -> &'static str {
        "takedown_request"
    }

    /// The category the removal is requested for.
    #[napi(getter)]
    pub fn category(&self) -> Category {
        self.inner.category.into()
    }

    /// The canonical JSON line (`inochi act --format json`).
    #[napi]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The payload as a plain object (snake_case, as the JSON Schema);
    /// `JSON.stringify` calls it.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json_value(&self) -> napi::Result<Value, Code> {
        value(&self.inner)
    }

    /// The formal Japanese 削除依頼 letter.
    #[napi]
    pub fn to_letter(&self) -> String {
        self.inner.to_letter()
    }

    /// The EU DSA statement of reasons for the platform's decision, as
    /// canonical JSON (`inochi act --format dsa`). Throws
    /// `ERR_INOCHI_PAYLOAD` for invalid options.
    #[napi]
    pub fn to_dsa(&self, options: Option<DsaOptions>) -> napi::Result<String, Code> {
        guarded("toDsa", || {
            let options = options.map(|o| o.to_core()).unwrap_or_default();
            Ok(self.inner.to_dsa(&options)?.to_json())
        })
    }
}

/// An emergency report (自殺予告事案) for an `announcement` post.
#[napi]
pub struct EmergencyReport {
    inner: act::EmergencyReport,
}

#[napi]
impl EmergencyReport {
    /// The payload's id, e.g. `er-…`.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// `"emergency_report"`.
    #[napi(getter, js_name = "type", ts_return_type = "'emergency_report'")]
    pub fn kind(&self) -> &'static str {
        "emergency_report"
    }

    /// Metadata of the post that was missing or malformed and left out.
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }

    /// The canonical JSON line (`inochi act --format json`).
    #[napi]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The payload as a plain object (snake_case, as the JSON Schema);
    /// `JSON.stringify` calls it.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json_value(&self) -> napi::Result<Value, Code> {
        value(&self.inner)
    }

    /// The Japanese report for the police (自殺予告事案).
    #[napi]
    pub fn to_police_report(&self) -> String {
        self.inner.to_police_report()
    }

    /// The English EU DSA Art. 18 notice (suspicion of a threat to life).
    #[napi]
    pub fn to_dsa_notice(&self) -> String {
        self.inner.to_dsa_notice()
    }
}

/// A support referral: a message and help resources for the person, for an
/// `ideation` or `announcement` post.
#[napi]
pub struct SupportReferral {
    inner: act::SupportReferral,
}

#[napi]
impl SupportReferral {
    /// The payload's id, e.g. `sr-…`.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// `"support_referral"`.
    #[napi(getter, js_name = "type", ts_return_type = "'support_referral'")]
    pub fn kind(&self) -> &'static str {
        "support_referral"
    }

    /// Locale or metadata that was malformed and left out.
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }

    /// The canonical JSON line (`inochi act --format json`).
    #[napi]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The payload as a plain object (snake_case, as the JSON Schema);
    /// `JSON.stringify` calls it.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json_value(&self) -> napi::Result<Value, Code> {
        value(&self.inner)
    }

    /// The message and the resources as text for the person, in the
    /// message's language.
    #[napi]
    pub fn to_text(&self) -> String {
        self.inner.to_text()
    }
}

/// Builds a takedown request for `post`, classified as `verdict`. Throws
/// `ERR_INOCHI_PAYLOAD` when the verdict calls for none (a cry for help is
/// never taken down: `ideation` gets a support referral), when the verdict
/// was made for another text, or when a field is missing or malformed (a
/// takedown needs the post's absolute http(s) `url`).
#[napi]
pub fn takedown_request(
    verdict: Verdict,
    post: Post,
    requester: Requester,
    options: Option<TakedownOptions>,
) -> napi::Result<TakedownRequest, Code> {
    guarded("takedownRequest", || {
        let verdict = inochi::Verdict::from(verdict);
        let core_post = post.to_core();
        let requester = requester.to_core();
        let o = options.unwrap_or(TakedownOptions {
            now: None,
            category: None,
            incitement_takedown: None,
            requested_action: None,
            response_days: None,
            excerpt_chars: None,
            terms_reference: None,
        });
        let clock = clock(o.now.as_deref())?;
        let mut b = act::TakedownRequest::builder(&verdict, &core_post, &requester)
            .clock(clock.as_ref())
            .incitement_takedown(o.incitement_takedown.unwrap_or(false));
        if let Some(c) = o.category {
            b = b.category(c.into());
        }
        if let Some(a) = o.requested_action {
            b = b.requested_action(a.into());
        }
        if let Some(d) = o.response_days {
            b = b.response_days(d);
        }
        if let Some(n) = o.excerpt_chars {
            b = b.excerpt_chars(count("excerptChars", n)?);
        }
        if let Some(t) = o.terms_reference {
            b = b.terms_reference(t);
        }
        Ok(TakedownRequest { inner: b.build()? })
    })
}

/// Builds an emergency report for `post`, classified as `verdict`, which
/// must carry `announcement`. Missing or malformed metadata does not stop
/// it: it is left out and listed in `warnings`. Throws `ERR_INOCHI_PAYLOAD`
/// otherwise.
#[napi]
pub fn emergency_report(
    verdict: Verdict,
    post: Post,
    requester: Requester,
    options: Option<EmergencyOptions>,
) -> napi::Result<EmergencyReport, Code> {
    guarded("emergencyReport", || {
        let verdict = inochi::Verdict::from(verdict);
        let core_post = post.to_core();
        let requester = requester.to_core();
        let (now, excerpt) = match options {
            Some(o) => (o.now, o.excerpt_chars),
            None => (None, None),
        };
        let clock = clock(now.as_deref())?;
        let mut b =
            act::EmergencyReport::builder(&verdict, &core_post, &requester).clock(clock.as_ref());
        if let Some(n) = excerpt {
            b = b.excerpt_chars(count("excerptChars", n)?);
        }
        Ok(EmergencyReport { inner: b.build()? })
    })
}

/// Builds a support referral for `post`, classified as `verdict`, which
/// must carry `ideation` or `announcement`. Throws `ERR_INOCHI_PAYLOAD`
/// otherwise, `ERR_INOCHI_IO` for an unreadable `resources` file.
#[napi]
pub fn support_referral(
    verdict: Verdict,
    post: Post,
    options: Option<SupportOptions>,
) -> napi::Result<SupportReferral, Code> {
    guarded("supportReferral", || {
        let verdict = inochi::Verdict::from(verdict);
        let core_post = post.to_core();
        let o = options.unwrap_or(SupportOptions {
            now: None,
            locale: None,
            age_group: None,
            resources: None,
            resources_toml: None,
        });
        let directory = match (&o.resources, &o.resources_toml) {
            (Some(_), Some(_)) => {
                return Err(Failure(
                    Code::Arg,
                    "give either `resources` (a file) or `resourcesToml` (TOML text), not both"
                        .into(),
                ));
            }
            (Some(path), None) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Failure(Code::Io, format!("cannot read {path}: {e}")))?;
                Some(act::SupportDirectory::from_toml(path, &text)?)
            }
            (None, Some(text)) => Some(act::SupportDirectory::from_toml("resourcesToml", text)?),
            (None, None) => None,
        };
        let clock = clock(o.now.as_deref())?;
        let mut b = act::SupportReferral::builder(&verdict, &core_post).clock(clock.as_ref());
        if let Some(d) = &directory {
            b = b.directory(d);
        }
        if let Some(l) = o.locale {
            b = b.locale(l);
        }
        if let Some(a) = o.age_group {
            b = b.age_group(a.into());
        }
        Ok(SupportReferral { inner: b.build()? })
    })
}

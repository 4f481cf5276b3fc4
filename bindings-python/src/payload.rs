//! The payloads: `takedown_request`, `emergency_report`, `support_referral`
//! and the immutable objects they return. Every check and every word of the
//! documents is the core's (`inochi::act`).

use std::path::PathBuf;

use inochi::act::{
    AgeGroup, AutomatedDecision, Clock, DsaGround, DsaOptions, EEA, EmergencyReport, FixedClock,
    Post, RequestedAction, Requester, SupportDirectory, SupportReferral, SystemClock,
    TakedownRequest,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::convert::{
    enum_str, from_dict, json_loads, parse_enum, repr_str, time_string, type_name,
};
use crate::verdict::PyVerdict;
use crate::{PayloadError, core_error, guard, payload_error};

/// The keys a `post` dict may have: the core's `Post` fields.
const POST_FIELDS: [&str; 7] = [
    "url",
    "post_id",
    "account_id",
    "posted_at",
    "observed_at",
    "service",
    "language",
];

/// The post's metadata, read from a Python dict: `str` values as they are,
/// `int` values as written (like `inochi act`), `None` as absent.
#[derive(Default)]
struct PostFields {
    values: [Option<String>; 7],
}

impl PostFields {
    fn read(post: Option<&Bound<'_, PyAny>>) -> PyResult<PostFields> {
        let mut out = PostFields::default();
        let Some(post) = post.filter(|p| !p.is_none()) else {
            return Ok(out);
        };
        let dict = post.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(format!("post must be a dict, not {}", type_name(post)))
        })?;
        for (k, v) in dict.iter() {
            let key: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("post: keys must be str"))?;
            let Some(i) = POST_FIELDS.iter().position(|f| *f == key) else {
                return Err(PayloadError::new_err(format!(
                    "post: unknown field {key:?}; a post has {}",
                    POST_FIELDS.join(", ")
                )));
            };
            out.values[i] = if v.is_none() {
                None
            } else if let Ok(s) = v.cast::<PyString>() {
                Some(s.to_cow()?.into_owned())
            } else if v.is_instance_of::<pyo3::types::PyInt>()
                && !v.is_instance_of::<pyo3::types::PyBool>()
            {
                Some(v.str()?.to_cow()?.into_owned())
            } else {
                return Err(PyTypeError::new_err(format!(
                    "post[{key:?}] must be a str, not {}",
                    type_name(&v)
                )));
            };
        }
        Ok(out)
    }

    fn post<'a>(&self, text: &'a str) -> Post<'a> {
        let [
            url,
            post_id,
            account_id,
            posted_at,
            observed_at,
            service,
            language,
        ] = self.values.clone();
        Post {
            text,
            service,
            url,
            post_id,
            account_id,
            posted_at,
            observed_at,
            language,
        }
    }
}

/// The text a payload is built for: `text` when given, else the text the
/// verdict was made for.
fn post_text(verdict: &PyVerdict, text: Option<String>) -> PyResult<String> {
    text.or_else(|| verdict.text.clone()).ok_or_else(|| {
        PayloadError::new_err(
            "no text: this verdict was read without its text; pass text=... (the exact text that was classified)",
        )
    })
}

/// A fixed clock at `now`, or the system clock.
fn clock(now: Option<&Bound<'_, PyAny>>) -> PyResult<Box<dyn Clock>> {
    match now.filter(|n| !n.is_none()) {
        None => Ok(Box::new(SystemClock)),
        Some(n) => {
            let s = time_string("now", n)?;
            Ok(Box::new(FixedClock::parse(&s).map_err(payload_error)?))
        }
    }
}

fn read_requester(obj: &Bound<'_, PyAny>) -> PyResult<Requester> {
    from_dict("requester", obj)
}

/// A request to take down a post that lures people into suicide (削除依頼),
/// from `takedown_request()`. Render it with `to_json()`, `to_letter()`
/// (the Japanese letter) or `to_dsa()` (EU DSA statement of reasons).
#[pyclass(frozen, module = "inochi", name = "TakedownRequest")]
pub(crate) struct PyTakedownRequest {
    inner: TakedownRequest,
}

#[pymethods]
impl PyTakedownRequest {
    /// Always `"takedown_request"`.
    #[getter]
    fn r#type(&self) -> String {
        enum_str(&self.inner.kind)
    }

    /// The request's id.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// When it was made (RFC 3339).
    #[getter]
    fn created_at(&self) -> String {
        self.inner.created_at.to_string()
    }

    /// The category it rests on.
    #[getter]
    fn category(&self) -> &'static str {
        self.inner.category.as_str()
    }

    /// One line of canonical JSON (the format of `inochi act`).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The request as a dict, as `json.loads(self.to_json())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.inner.to_json())
    }

    /// The formal Japanese takedown letter (削除依頼書).
    fn to_letter(&self) -> PyResult<String> {
        guard(|| Ok(self.inner.to_letter()))
    }

    /// The EU DSA statement of reasons for the platform's decision, as one
    /// line of JSON (Transparency Database field names).
    #[pyo3(signature = (*, ground="incompatible_content", legal_ground=None, automated_decision="partially", territorial_scope=None, terms_url=None, trusted_flagger=false))]
    fn to_dsa(
        &self,
        ground: &str,
        legal_ground: Option<String>,
        automated_decision: &str,
        territorial_scope: Option<Vec<String>>,
        terms_url: Option<String>,
        trusted_flagger: bool,
    ) -> PyResult<String> {
        guard(|| {
            let ground = match (ground, legal_ground) {
                ("incompatible_content", None) => DsaGround::IncompatibleContent,
                ("illegal_content", Some(legal_ground)) => {
                    DsaGround::IllegalContent { legal_ground }
                }
                ("illegal_content", None) => {
                    return Err(PayloadError::new_err(
                        "ground=\"illegal_content\" needs legal_ground (the law relied on)",
                    ));
                }
                ("incompatible_content", Some(_)) => {
                    return Err(PayloadError::new_err(
                        "legal_ground is only for ground=\"illegal_content\"",
                    ));
                }
                (other, _) => {
                    return Err(PayloadError::new_err(format!(
                        "ground = {other:?}: use \"incompatible_content\" or \"illegal_content\""
                    )));
                }
            };
            let options = DsaOptions {
                ground,
                automated_decision: parse_enum::<AutomatedDecision>(
                    "automated_decision",
                    automated_decision,
                )?,
                territorial_scope: territorial_scope
                    .unwrap_or_else(|| EEA.iter().map(|s| s.to_string()).collect()),
                terms_url,
                trusted_flagger,
            };
            let statement = self.inner.to_dsa(&options).map_err(payload_error)?;
            Ok(statement.to_json())
        })
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "TakedownRequest(id={}, category={}, created_at={})",
            repr_str(py, &self.inner.id),
            repr_str(py, self.inner.category.as_str()),
            repr_str(py, &self.inner.created_at.to_string())
        )
    }
}

/// A report that a person may be about to die (自殺予告事案), from
/// `emergency_report()`. Render it with `to_json()`, `to_police_report()`
/// (Japanese) or `to_dsa_notice()` (EU DSA Art. 18 notice, English).
#[pyclass(frozen, module = "inochi", name = "EmergencyReport")]
pub(crate) struct PyEmergencyReport {
    inner: EmergencyReport,
}

#[pymethods]
impl PyEmergencyReport {
    /// Always `"emergency_report"`.
    #[getter]
    fn r#type(&self) -> String {
        enum_str(&self.inner.kind)
    }

    /// The report's id.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// When it was made (RFC 3339).
    #[getter]
    fn created_at(&self) -> String {
        self.inner.created_at.to_string()
    }

    /// How soon someone must act: `"immediate"` or `"high"`.
    #[getter]
    fn urgency(&self) -> String {
        enum_str(&self.inner.urgency)
    }

    /// Malformed optional fields that were left out.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }

    /// One line of canonical JSON (the format of `inochi act`).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The report as a dict, as `json.loads(self.to_json())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.inner.to_json())
    }

    /// The Japanese report for the police (自殺予告事案).
    fn to_police_report(&self) -> PyResult<String> {
        guard(|| Ok(self.inner.to_police_report()))
    }

    /// The EU DSA Art. 18 notice (English).
    fn to_dsa_notice(&self) -> PyResult<String> {
        guard(|| Ok(self.inner.to_dsa_notice()))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "EmergencyReport(id={}, urgency={}, created_at={})",
            repr_str(py, &self.inner.id),
            repr_str(py, &self.urgency()),
            repr_str(py, &self.inner.created_at.to_string())
        )
    }
}

/// Help for a person who wrote that they want to die or are about to, from
/// `support_referral()`. Render it with `to_json()` or `to_text()` (the
/// message and the resources, in the person's language).
#[pyclass(frozen, module = "inochi", name = "SupportReferral")]
pub(crate) struct PySupportReferral {
    inner: SupportReferral,
}

#[pymethods]
impl PySupportReferral {
    /// Always `"support_referral"`.
    #[getter]
    fn r#type(&self) -> String {
        enum_str(&self.inner.kind)
    }

    /// The referral's id.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// When it was made (RFC 3339).
    #[getter]
    fn created_at(&self) -> String {
        self.inner.created_at.to_string()
    }

    /// `"announcement"` or `"ideation"`.
    #[getter]
    fn category(&self) -> &'static str {
        self.inner.category.as_str()
    }

    /// The language of the message (BCP 47).
    #[getter]
    fn language(&self) -> &str {
        &self.inner.language
    }

    /// The message to the person.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// Malformed optional fields that were left out.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }

    /// One line of canonical JSON (the format of `inochi act`).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The referral as a dict, as `json.loads(self.to_json())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.inner.to_json())
    }

    /// The message and the help resources as text for the person.
    fn to_text(&self) -> PyResult<String> {
        guard(|| Ok(self.inner.to_text()))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "SupportReferral(id={}, category={}, language={})",
            repr_str(py, &self.inner.id),
            repr_str(py, self.inner.category.as_str()),
            repr_str(py, &self.inner.language)
        )
    }
}

/// Builds a takedown request for a post classified `inducement` or
/// `method` (or `incitement` with `incitement_takedown=True`).
#[pyfunction]
#[pyo3(signature = (verdict, *, requester, text=None, post=None, now=None, category=None, incitement_takedown=false, requested_action=None, response_days=None, excerpt_chars=None, terms_reference=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn takedown_request(
    verdict: PyRef<'_, PyVerdict>,
    requester: &Bound<'_, PyAny>,
    text: Option<String>,
    post: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
    category: Option<&str>,
    incitement_takedown: bool,
    requested_action: Option<&str>,
    response_days: Option<u32>,
    excerpt_chars: Option<usize>,
    terms_reference: Option<String>,
) -> PyResult<PyTakedownRequest> {
    guard(|| {
        let text = post_text(&verdict, text)?;
        let fields = PostFields::read(post)?;
        let post = fields.post(&text);
        let requester = read_requester(requester)?;
        let clock = clock(now)?;
        let mut b = TakedownRequest::builder(&verdict.inner, &post, &requester)
            .clock(clock.as_ref())
            .incitement_takedown(incitement_takedown);
        if let Some(c) = category {
            b = b.category(c.parse().map_err(core_error)?);
        }
        if let Some(a) = requested_action {
            b = b.requested_action(parse_enum::<RequestedAction>("requested_action", a)?);
        }
        if let Some(d) = response_days {
            b = b.response_days(d);
        }
        if let Some(c) = excerpt_chars {
            b = b.excerpt_chars(c);
        }
        if let Some(t) = terms_reference {
            b = b.terms_reference(t);
        }
        let inner = b.build().map_err(payload_error)?;
        Ok(PyTakedownRequest { inner })
    })
}

/// Builds an emergency report for a post classified `announcement`. Never
/// held back by missing or malformed metadata (see `warnings`).
#[pyfunction]
#[pyo3(signature = (verdict, *, requester, text=None, post=None, now=None, excerpt_chars=None))]
pub(crate) fn emergency_report(
    verdict: PyRef<'_, PyVerdict>,
    requester: &Bound<'_, PyAny>,
    text: Option<String>,
    post: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
    excerpt_chars: Option<usize>,
) -> PyResult<PyEmergencyReport> {
    guard(|| {
        let text = post_text(&verdict, text)?;
        let fields = PostFields::read(post)?;
        let post = fields.post(&text);
        let requester = read_requester(requester)?;
        let clock = clock(now)?;
        let mut b =
            EmergencyReport::builder(&verdict.inner, &post, &requester).clock(clock.as_ref());
        if let Some(c) = excerpt_chars {
            b = b.excerpt_chars(c);
        }
        let inner = b.build().map_err(payload_error)?;
        Ok(PyEmergencyReport { inner })
    })
}

/// Builds a support referral for a post classified `ideation` or
/// `announcement`: a message and help resources in the person's language.
#[pyfunction]
#[pyo3(signature = (verdict, *, text=None, post=None, now=None, locale=None, age_group=None, resources=None, resources_toml=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn support_referral(
    verdict: PyRef<'_, PyVerdict>,
    text: Option<String>,
    post: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
    locale: Option<String>,
    age_group: Option<&str>,
    resources: Option<PathBuf>,
    resources_toml: Option<String>,
) -> PyResult<PySupportReferral> {
    guard(|| {
        let text = post_text(&verdict, text)?;
        let fields = PostFields::read(post)?;
        let post = fields.post(&text);
        let clock = clock(now)?;
        let directory = match (resources, resources_toml) {
            (Some(_), Some(_)) => {
                return Err(PyValueError::new_err(
                    "give either resources (a file) or resources_toml (TOML text), not both",
                ));
            }
            (Some(path), None) => {
                let toml = std::fs::read_to_string(&path).map_err(|e| {
                    PayloadError::new_err(format!(
                        "support resources {}: cannot read it: {e}",
                        path.display()
                    ))
                })?;
                Some(
                    SupportDirectory::from_toml(&path.display().to_string(), &toml)
                        .map_err(payload_error)?,
                )
            }
            (None, Some(toml)) => {
                Some(SupportDirectory::from_toml("resources_toml", &toml).map_err(payload_error)?)
            }
            (None, None) => None,
        };
        let mut b = SupportReferral::builder(&verdict.inner, &post).clock(clock.as_ref());
        if let Some(d) = &directory {
            b = b.directory(d);
        }
        if let Some(l) = locale {
            b = b.locale(l);
        }
        if let Some(a) = age_group {
            b = b.age_group(parse_enum::<AgeGroup>("age_group", a)?);
        }
        let inner = b.build().map_err(payload_error)?;
        Ok(PySupportReferral { inner })
    })
}

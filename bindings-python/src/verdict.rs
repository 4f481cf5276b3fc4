//! `Verdict`, `Label`, `Evidence`, `PackInfo`: immutable views of the core's
//! verdict. Categories and actions are the `str` identifiers of the JSON
//! output.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::convert::{json_loads, repr_str, to_json};
use crate::{InochiError, core_error, guard};

fn hash_str(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Python's repr of a float.
fn repr_float(py: Python<'_>, x: f64) -> String {
    pyo3::types::PyFloat::new(py, x)
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| x.to_string())
}

/// The classification of one post: `primary` (the most severe category,
/// `"none"` when nothing was found), `labels` (every category found, most
/// severe first), `actions` and the rule `pack` that decided. `text` is the
/// text it was made for (`None` for a verdict read with `from_json`
/// without one). Immutable; equal when the verdicts are equal.
#[pyclass(frozen, module = "inochi", name = "Verdict")]
pub(crate) struct PyVerdict {
    pub(crate) inner: inochi::Verdict,
    pub(crate) text: Option<String>,
}

#[pymethods]
impl PyVerdict {
    /// The most severe category found, `"none"` when nothing was.
    #[getter]
    fn primary(&self) -> &'static str {
        self.inner.primary.as_str()
    }

    /// Every category found, most severe first; empty for `"none"`.
    #[getter]
    fn labels(&self) -> Vec<PyLabel> {
        self.inner
            .labels
            .iter()
            .map(|l| PyLabel { inner: l.clone() })
            .collect()
    }

    /// What to do, without repeats: a subset of `"takedown"`, `"report"`,
    /// `"emergency"`, `"support"`, `"review"`.
    #[getter]
    fn actions(&self) -> Vec<&'static str> {
        self.inner.actions.iter().map(|a| a.as_str()).collect()
    }

    /// The rule pack that made this verdict.
    #[getter]
    fn pack(&self) -> PyPackInfo {
        PyPackInfo {
            inner: self.inner.pack.clone(),
        }
    }

    /// The text this verdict was made for, if known.
    #[getter]
    fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The label for `category`, or `None` when the post does not carry it.
    fn label(&self, category: &str) -> PyResult<Option<PyLabel>> {
        let c = category.parse::<inochi::Category>().map_err(core_error)?;
        Ok(self.inner.label(c).map(|l| PyLabel { inner: l.clone() }))
    }

    /// True when the post carries `category`.
    fn has(&self, category: &str) -> PyResult<bool> {
        let c = category.parse::<inochi::Category>().map_err(core_error)?;
        Ok(self.inner.has(c))
    }

    /// The verdict as one line of JSON, byte for byte the verdict fields
    /// (`primary`, `labels`, `actions`, `pack`) of `inochi classify`.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The verdict as a dict, as `json.loads(self.to_json())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.inner.to_json())
    }

    /// A verdict from its JSON (as `to_json` or `inochi classify` write it;
    /// other fields of the object are ignored), with the text it was made
    /// for when known.
    #[staticmethod]
    #[pyo3(signature = (json, text=None))]
    fn from_json(json: &str, text: Option<String>) -> PyResult<PyVerdict> {
        guard(|| {
            let inner: inochi::Verdict = serde_json::from_str(json)
                .map_err(|e| InochiError::new_err(format!("not a verdict: {e}")))?;
            Ok(PyVerdict { inner, text })
        })
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = py.get_type::<PyVerdict>().getattr("from_json")?;
        PyTuple::new(
            py,
            [
                from_json,
                (self.inner.to_json(), self.text.clone())
                    .into_pyobject(py)?
                    .into_any(),
            ],
        )
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __hash__(&self) -> u64 {
        hash_str(&self.inner.to_json())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let labels: Vec<String> = self
            .inner
            .labels
            .iter()
            .map(|l| {
                format!(
                    "{}: {}",
                    repr_str(py, l.category.as_str()),
                    repr_float(py, l.score)
                )
            })
            .collect();
        let actions: Vec<String> = self
            .inner
            .actions
            .iter()
            .map(|a| repr_str(py, a.as_str()))
            .collect();
        format!(
            "Verdict(primary={}, labels={{{}}}, actions=[{}], pack={})",
            repr_str(py, self.inner.primary.as_str()),
            labels.join(", "),
            actions.join(", "),
            repr_str(
                py,
                &format!("{} {}", self.inner.pack.name, self.inner.pack.version)
            ),
        )
    }
}

/// One category found in a post: `category`, `score` (0..1, 3 decimals) and
/// the `evidence` that made its rules fire.
#[pyclass(frozen, module = "inochi", name = "Label")]
pub(crate) struct PyLabel {
    inner: inochi::Label,
}

#[pymethods]
impl PyLabel {
    /// The category.
    #[getter]
    fn category(&self) -> &'static str {
        self.inner.category.as_str()
    }

    /// Confidence in 0..1, rounded to 3 decimals.
    #[getter]
    fn score(&self) -> f64 {
        self.inner.score
    }

    /// Why: one entry per concept hit that made a rule fire.
    #[getter]
    fn evidence(&self) -> Vec<PyEvidence> {
        self.inner
            .evidence
            .iter()
            .map(|e| PyEvidence { inner: e.clone() })
            .collect()
    }

    /// The label as one line of JSON.
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    /// The label as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &to_json(&self.inner))
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __hash__(&self) -> u64 {
        hash_str(&to_json(&self.inner))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let evidence: Vec<String> = self.evidence().iter().map(|e| e.__repr__(py)).collect();
        format!(
            "Label(category={}, score={}, evidence=[{}])",
            repr_str(py, self.inner.category.as_str()),
            repr_float(py, self.inner.score),
            evidence.join(", ")
        )
    }
}

/// A piece of the original text that made a rule fire: the `rule`, the
/// `concept` it was found as, its `text`, and where it is in the text as
/// written (`byte_start`/`byte_end` in UTF-8 bytes, `char_start`/`char_end`
/// in code points, so `text[e.char_start:e.char_end] == e.text`).
#[pyclass(frozen, module = "inochi", name = "Evidence")]
pub(crate) struct PyEvidence {
    inner: inochi::Evidence,
}

#[pymethods]
impl PyEvidence {
    /// The id of the rule that fired.
    #[getter]
    fn rule(&self) -> &str {
        &self.inner.rule
    }

    /// The concept the text was found as.
    #[getter]
    fn concept(&self) -> &str {
        &self.inner.concept
    }

    /// The original text at those offsets.
    #[getter]
    fn text(&self) -> &str {
        &self.inner.text
    }

    /// Start offset in UTF-8 bytes.
    #[getter]
    fn byte_start(&self) -> usize {
        self.inner.byte_start
    }

    /// End offset (exclusive) in UTF-8 bytes.
    #[getter]
    fn byte_end(&self) -> usize {
        self.inner.byte_end
    }

    /// Start offset in code points (Python string index).
    #[getter]
    fn char_start(&self) -> usize {
        self.inner.char_start
    }

    /// End offset (exclusive) in code points.
    #[getter]
    fn char_end(&self) -> usize {
        self.inner.char_end
    }

    /// The evidence as one line of JSON.
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    /// The evidence as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &to_json(&self.inner))
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __hash__(&self) -> u64 {
        hash_str(&to_json(&self.inner))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let e = &self.inner;
        format!(
            "Evidence(rule={}, concept={}, text={}, char_start={}, char_end={})",
            repr_str(py, &e.rule),
            repr_str(py, &e.concept),
            repr_str(py, &e.text),
            e.char_start,
            e.char_end
        )
    }
}

/// Which rule pack made a verdict: `name`, `version` and `hash`
/// (`"sha256:…"` of its content).
#[pyclass(frozen, module = "inochi", name = "PackInfo")]
pub(crate) struct PyPackInfo {
    pub(crate) inner: inochi::PackInfo,
}

#[pymethods]
impl PyPackInfo {
    /// The pack's name (`base+extension` when extended).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The pack's version (`base+extension` when extended).
    #[getter]
    fn version(&self) -> &str {
        &self.inner.version
    }

    /// `sha256:` and the hex digest of the pack's sources.
    #[getter]
    fn hash(&self) -> &str {
        &self.inner.hash
    }

    /// The pack info as one line of JSON.
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    /// The pack info as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &to_json(&self.inner))
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __hash__(&self) -> u64 {
        hash_str(&self.inner.hash)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "PackInfo(name={}, version={}, hash={})",
            repr_str(py, &self.inner.name),
            repr_str(py, &self.inner.version),
            repr_str(py, &self.inner.hash)
        )
    }
}

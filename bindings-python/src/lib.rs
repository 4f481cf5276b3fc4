//! The `inochi` Python package: a thin PyO3 layer over the `inochi` crate.
//!
//! The binding holds no logic of its own (DESIGN.md): it converts Python
//! values to the core's types and back, releases the GIL while the core
//! works, and turns the core's errors, and any panic, into Python
//! exceptions of the `inochi.InochiError` family.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

mod classifier;
mod convert;
mod payload;
mod verdict;

create_exception!(
    inochi,
    InochiError,
    PyValueError,
    "Base class of every error raised by inochi (a ValueError)."
);
create_exception!(
    inochi,
    RulePackError,
    InochiError,
    "A rule pack could not be read, parsed or validated; the message names the pack and the rule, concept or field at fault."
);
create_exception!(
    inochi,
    PayloadError,
    InochiError,
    "A payload (takedown request, emergency report, support referral) could not be built; the message names the field or category at fault and what to do instead."
);

/// The core's classifier errors as Python exceptions: anything about a pack
/// (including a pack file that cannot be read) is a `RulePackError`, the
/// rest (dictionary, unknown category) an `InochiError`.
pub(crate) fn core_error(e: inochi::Error) -> PyErr {
    match e {
        inochi::Error::Pack(_) | inochi::Error::Io { .. } => RulePackError::new_err(e.to_string()),
        other => InochiError::new_err(other.to_string()),
    }
}

/// The core's payload errors as `PayloadError`.
pub(crate) fn payload_error(e: inochi::PayloadError) -> PyErr {
    PayloadError::new_err(e.to_string())
}

/// Runs `f`, turning a Rust panic into an `InochiError` so that it never
/// aborts the interpreter nor surfaces as PyO3's `PanicException` (a
/// `BaseException` that `except Exception` does not catch).
pub(crate) fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(InochiError::new_err(format!(
                "internal error in inochi: {what}; this is a bug, please report it with the input that caused it"
            )))
        }
    }
}

/// Panics inside the guard: lets the test suite check that a Rust panic
/// reaches Python as an `InochiError`.
#[pyfunction]
fn _panic(message: String) -> PyResult<()> {
    guard(|| panic!("{message}"))
}

/// inochi: find posts that lure people into suicide, announce one, or
/// express a wish to die, and build the payload that protects life.
#[pymodule]
fn _inochi(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "CATEGORIES",
        PyTuple::new(py, inochi::Category::ALL.map(|c| c.as_str()))?,
    )?;
    m.add("InochiError", py.get_type::<InochiError>())?;
    m.add("RulePackError", py.get_type::<RulePackError>())?;
    m.add("PayloadError", py.get_type::<PayloadError>())?;
    m.add_class::<classifier::PyClassifier>()?;
    m.add_class::<verdict::PyVerdict>()?;
    m.add_class::<verdict::PyLabel>()?;
    m.add_class::<verdict::PyEvidence>()?;
    m.add_class::<verdict::PyPackInfo>()?;
    m.add_class::<payload::PyTakedownRequest>()?;
    m.add_class::<payload::PyEmergencyReport>()?;
    m.add_class::<payload::PySupportReferral>()?;
    m.add_function(wrap_pyfunction!(classifier::classify, m)?)?;
    m.add_function(wrap_pyfunction!(payload::takedown_request, m)?)?;
    m.add_function(wrap_pyfunction!(payload::emergency_report, m)?)?;
    m.add_function(wrap_pyfunction!(payload::support_referral, m)?)?;
    m.add_function(wrap_pyfunction!(_panic, m)?)?;
    Ok(())
}

//! Conversions between Python values and the core's types.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::PayloadError;

/// `json.loads(text)`: the exact structure the core serialized.
pub(crate) fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// One line of JSON for any serializable core value.
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("core values always serialize")
}

/// The JSON string of a unit enum (`"remove"`, `"immediate"`, …).
pub(crate) fn enum_str<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        other => unreachable!("a unit enum serializes to a string, not {other:?}"),
    }
}

/// A core enum from its JSON string, e.g. `"restrict_visibility"`; the
/// error names the option and lists the allowed values (serde's message).
pub(crate) fn parse_enum<T: DeserializeOwned>(field: &str, value: &str) -> PyResult<T> {
    serde_json::from_value(Value::String(value.to_string()))
        .map_err(|e| PayloadError::new_err(format!("{field} = {value:?}: {e}")))
}

/// A Python value (dict, list, tuple, str, int, float, bool, None) as JSON.
pub(crate) fn to_value(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(match obj.extract::<i64>() {
            Ok(i) => Value::from(i),
            Err(_) => Value::from(obj.extract::<u64>()?),
        });
    }
    if obj.is_instance_of::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(obj.extract::<f64>()?)
            .map(Value::Number)
            .unwrap_or(Value::Null));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, v) in d.iter() {
            let key: String = k.extract().map_err(|_| {
                PyTypeError::new_err(format!("{field}: keys must be str, not {}", type_name(&k)))
            })?;
            let value = to_value(&format!("{field}[{key:?}]"), &v)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            out.push(to_value(&format!("{field}[{i}]"), &item?)?);
        }
        return Ok(Value::Array(out));
    }
    Err(PyTypeError::new_err(format!(
        "{field}: expected str, int, float, bool, None, list or dict, not {}",
        type_name(obj)
    )))
}

/// Python's repr of a str, for `__repr__`.
pub(crate) fn repr_str(py: Python<'_>, s: &str) -> String {
    PyString::new(py, s)
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// A Python value's type name, for error messages.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A core struct from a Python dict, through serde (which names unknown
/// and missing fields).
pub(crate) fn from_dict<T: DeserializeOwned>(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<T> {
    if !obj.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(format!(
            "{field} must be a dict, not {}",
            type_name(obj)
        )));
    }
    let value = to_value(field, obj)?;
    serde_json::from_value(value).map_err(|e| PayloadError::new_err(format!("{field}: {e}")))
}

/// A time given as an RFC 3339 `str` or a timezone-aware `datetime`
/// (anything with `isoformat()`), as the RFC 3339 string.
pub(crate) fn time_string(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if obj.hasattr("isoformat")? {
        return obj.call_method0("isoformat")?.extract();
    }
    Err(PyTypeError::new_err(format!(
        "{field} must be an RFC 3339 str or a timezone-aware datetime, not {}",
        type_name(obj)
    )))
}

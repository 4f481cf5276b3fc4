//! Errors as JavaScript `Error`s with a stable `code`, and the panic guard.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// The `code` of every `Error` the package throws or rejects with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// A rule pack that does not parse or validate.
    Pack,
    /// A pack, extension or resources file that cannot be read.
    Io,
    /// The IPADIC dictionary cannot be loaded (`dictionary` option).
    Dictionary,
    /// A payload that cannot be built or rendered (core `PayloadError`).
    Payload,
    /// An argument of the right JavaScript type but an unusable value.
    Arg,
    /// A panic inside the library: a bug, caught so the process lives on.
    Panic,
    /// Any other core error (the core's error enums are non-exhaustive).
    Other,
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        match self {
            Code::Pack => "ERR_INOCHI_PACK",
            Code::Io => "ERR_INOCHI_IO",
            Code::Dictionary => "ERR_INOCHI_DICTIONARY",
            Code::Payload => "ERR_INOCHI_PAYLOAD",
            Code::Arg => "ERR_INOCHI_ARG",
            Code::Panic => "ERR_INOCHI_PANIC",
            Code::Other => "ERR_INOCHI",
        }
    }
}

/// An error with `code`.
pub fn error(code: Code, reason: impl ToString) -> napi::Error<Code> {
    napi::Error::new(code, reason)
}

impl From<inochi::Error> for Failure {
    fn from(e: inochi::Error) -> Failure {
        let code = match &e {
            inochi::Error::Pack(_) => Code::Pack,
            inochi::Error::Io { .. } => Code::Io,
            inochi::Error::Dictionary { .. } => Code::Dictionary,
            inochi::Error::UnknownCategory(_) => Code::Arg,
            _ => Code::Other,
        };
        Failure(code, e.to_string())
    }
}

impl From<inochi::PayloadError> for Failure {
    fn from(e: inochi::PayloadError) -> Failure {
        Failure(Code::Payload, e.to_string())
    }
}

/// A failure that can cross threads (from an `AsyncTask`'s `compute` to its
/// `resolve`), made into a JavaScript error on the main thread.
#[derive(Clone, Debug)]
pub struct Failure(pub Code, pub String);

impl From<Failure> for napi::Error<Code> {
    fn from(f: Failure) -> napi::Error<Code> {
        error(f.0, f.1)
    }
}

/// Runs `f`, turning a panic into an `ERR_INOCHI_PANIC` failure.
pub fn guard<T>(what: &str, f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            Err(Failure(
                Code::Panic,
                format!(
                    "inochi panicked in {what}: {message}; this is a bug in inochi, please report it with the input"
                ),
            ))
        }
    }
}

/// [`guard`] for a synchronous call from JavaScript. Exported functions
/// spell out `napi::Result<T, Code>`: `#[napi]` recognises a `Result` return
/// by its name, not through a type alias.
pub fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T, Failure>) -> napi::Result<T, Code> {
    guard(what, f).map_err(napi::Error::from)
}

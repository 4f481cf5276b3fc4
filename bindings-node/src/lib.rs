//! Node binding of inochi: the `inochi` npm package (napi-rs).
//!
//! It holds no moderation logic. It converts types between JavaScript and
//! the core, runs batches off the event loop (a napi `Task` on libuv's
//! thread pool, the core spreading the work over rayon; the results are
//! handed back a time slice at a time, see `deliver`), and turns every
//! failure into an `Error` with a stable `code`. A panic in the core is
//! caught and becomes an `ERR_INOCHI_PANIC` error, never a crashed process.

#![deny(clippy::unwrap_used)]

mod classifier;
mod deliver;
mod error;
mod payload;
mod types;

pub use classifier::{
    Classifier, ClassifierOptions, ClassifyBatch, ClassifyBatchJson, PanicTask, panic_for_tests,
};
pub use error::Code;
pub use payload::{
    DsaOptions, EmergencyOptions, EmergencyReport, SupportOptions, SupportReferral,
    TakedownOptions, TakedownRequest, emergency_report, support_referral, takedown_request,
};
pub use types::{
    Action, AgeGroup, AutomatedDecision, Category, DecisionGround, Evidence, Label, PackInfo, Post,
    RequestedAction, Requester, RequesterKind, Verdict,
};

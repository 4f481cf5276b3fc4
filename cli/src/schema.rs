//! `inochi schema takedown|emergency|support`: the JSON Schema of each
//! payload, as committed under `schemas/` at the repository root.
//!
//! The schemas are written by hand: they are the published contract of the
//! payloads, so they change only on purpose, and they state what a derive
//! could not (patterns for ids and URLs, `type` constants, closed objects).
//! `cli/tests/act.rs` validates real payloads against them, so the Rust
//! types and the schemas cannot drift apart unnoticed.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

/// The takedown request schema.
pub(crate) const TAKEDOWN: &str = include_str!("../../schemas/takedown_request.schema.json");
/// The emergency report schema.
pub(crate) const EMERGENCY: &str = include_str!("../../schemas/emergency_report.schema.json");
/// The support referral schema.
pub(crate) const SUPPORT: &str = include_str!("../../schemas/support_referral.schema.json");

#[derive(Args)]
pub(crate) struct SchemaArgs {
    /// Which payload.
    #[arg(value_enum)]
    payload: SchemaKind,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// TakedownRequest (`"type": "takedown_request"`).
    Takedown,
    /// EmergencyReport (`"type": "emergency_report"`).
    Emergency,
    /// SupportReferral (`"type": "support_referral"`).
    Support,
}

pub(crate) fn run(args: SchemaArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let text = match args.payload {
        SchemaKind::Takedown => TAKEDOWN,
        SchemaKind::Emergency => EMERGENCY,
        SchemaKind::Support => SUPPORT,
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

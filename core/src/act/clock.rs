//! Time and identity, injectable so that output is reproducible.
//!
//! Every payload carries a creation time and an id. Both come from here: a
//! [`Clock`] and an [`IdSource`]. The defaults ([`SystemClock`],
//! [`DigestIds`]) are fine in production; tests and audits pass a
//! [`FixedClock`], and then the same input always gives byte-for-byte the
//! same payload, because [`DigestIds`] derives the id from what the payload
//! was built from.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

use super::error::PayloadError;

/// A point in time with its UTC offset, written as RFC 3339
/// (`2025-03-14T23:41:07+09:00`, or `…Z` for UTC).
///
/// ```
/// use inochi::act::Timestamp;
///
/// let t = Timestamp::parse("2025-03-14T23:41:07+09:00", "target.posted_at")?;
/// assert_eq!(t.to_string(), "2025-03-14T23:41:07+09:00");
/// assert_eq!(t.date(), "2025-03-14");
/// assert!(Timestamp::parse("2025-03-14 23:41", "target.posted_at").is_err());
/// # Ok::<(), inochi::PayloadError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Parses an RFC 3339 date-time; `field` names the input in the error.
    pub fn parse(value: &str, field: &str) -> Result<Timestamp, PayloadError> {
        OffsetDateTime::parse(value, &Rfc3339)
            .map(Timestamp)
            .map_err(|e| PayloadError::InvalidTimestamp {
                field: field.to_string(),
                value: value.to_string(),
                reason: e.to_string(),
            })
    }

    /// Wraps a `time` value.
    pub fn from_offset_date_time(t: OffsetDateTime) -> Timestamp {
        Timestamp(t)
    }

    /// The `time` value.
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.0
    }

    /// The same instant `days` days later, in the same offset.
    pub fn plus_days(&self, days: u32) -> Timestamp {
        Timestamp(self.0 + Duration::days(i64::from(days)))
    }

    /// The calendar date in this timestamp's own offset, `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        let d = self.0.date();
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }

    /// Japanese rendering for letters: `2025年3月14日 23時41分（UTC+09:00）`.
    pub fn to_japanese(&self) -> String {
        let t = self.0;
        format!(
            "{}年{}月{}日 {:02}時{:02}分（{}）",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            offset_label(t.offset())
        )
    }

    /// English rendering for notices: `2025-03-14 23:41 (UTC+09:00)`.
    pub fn to_english(&self) -> String {
        let t = self.0;
        format!(
            "{} {:02}:{:02} ({})",
            self.date(),
            t.hour(),
            t.minute(),
            offset_label(t.offset())
        )
    }
}

fn offset_label(o: UtcOffset) -> String {
    let (h, m, _) = o.as_hms();
    let sign = if o.is_negative() { '-' } else { '+' };
    format!("UTC{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Rfc3339 formatting only fails for years outside 0..=9999, which
        // parsing never yields and clocks do not reach.
        match self.0.format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s, "timestamp").map_err(serde::de::Error::custom)
    }
}

/// Where payloads get their creation time.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// The system clock, in UTC, to the second.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let now = OffsetDateTime::now_utc();
        Timestamp(now.replace_nanosecond(0).unwrap_or(now))
    }
}

/// A clock that always says the same time: for tests, replays and audits.
///
/// ```
/// use inochi::act::{Clock, FixedClock};
///
/// let clock = FixedClock::parse("2025-03-15T09:00:00+09:00")?;
/// assert_eq!(clock.now().to_string(), "2025-03-15T09:00:00+09:00");
/// # Ok::<(), inochi::PayloadError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(Timestamp);

impl FixedClock {
    /// A clock stopped at `at`.
    pub fn new(at: Timestamp) -> FixedClock {
        FixedClock(at)
    }

    /// A clock stopped at an RFC 3339 date-time.
    pub fn parse(at: &str) -> Result<FixedClock, PayloadError> {
        Timestamp::parse(at, "clock").map(FixedClock)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

/// The three payloads, as named in their JSON `type` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadKind {
    /// A [`TakedownRequest`](super::TakedownRequest).
    TakedownRequest,
    /// An [`EmergencyReport`](super::EmergencyReport).
    EmergencyReport,
    /// A [`SupportReferral`](super::SupportReferral).
    SupportReferral,
}

impl PayloadKind {
    /// The JSON `type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            PayloadKind::TakedownRequest => "takedown_request",
            PayloadKind::EmergencyReport => "emergency_report",
            PayloadKind::SupportReferral => "support_referral",
        }
    }

    /// A short prefix for ids: `td`, `er`, `sr`.
    pub fn prefix(self) -> &'static str {
        match self {
            PayloadKind::TakedownRequest => "td",
            PayloadKind::EmergencyReport => "er",
            PayloadKind::SupportReferral => "sr",
        }
    }
}

/// Where payloads get their ids.
///
/// An id must be 1–128 characters of `A-Z a-z 0-9 . _ : -`, starting with a
/// letter or digit; the builders refuse any other.
pub trait IdSource: Send + Sync {
    /// An id for a payload of `kind`. `digest` is the SHA-256 of what the
    /// payload is built from (its kind, creation time, the post's text and
    /// identifiers, the category), so a source may derive the id from it.
    fn id(&self, kind: PayloadKind, digest: &[u8; 32]) -> String;
}

/// Ids derived from the payload's content: `td-` and 20 hex digits. The
/// same input and clock always give the same id; different posts or times
/// give different ids.
#[derive(Clone, Copy, Debug, Default)]
pub struct DigestIds;

impl IdSource for DigestIds {
    fn id(&self, kind: PayloadKind, digest: &[u8; 32]) -> String {
        format!("{}-{}", kind.prefix(), crate::pack::hex(&digest[..10]))
    }
}

/// Sequential ids with a prefix: `REQ-td-000001`, `REQ-er-000002`, … in the
/// order payloads are built (one counter for every kind).
///
/// ```
/// use inochi::act::{IdSource, PayloadKind, SequenceIds};
///
/// let ids = SequenceIds::new("REQ-");
/// assert_eq!(ids.id(PayloadKind::TakedownRequest, &[0; 32]), "REQ-td-000001");
/// assert_eq!(ids.id(PayloadKind::SupportReferral, &[0; 32]), "REQ-sr-000002");
/// ```
#[derive(Debug)]
pub struct SequenceIds {
    prefix: String,
    next: AtomicU64,
}

impl SequenceIds {
    /// Starts at 1.
    pub fn new(prefix: impl Into<String>) -> SequenceIds {
        SequenceIds {
            prefix: prefix.into(),
            next: AtomicU64::new(1),
        }
    }
}

impl IdSource for SequenceIds {
    fn id(&self, kind: PayloadKind, _digest: &[u8; 32]) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{}{}-{n:06}", self.prefix, kind.prefix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_is_written_with_z_and_offsets_are_kept() {
        let t = Timestamp::parse("2025-03-15T09:30:00Z", "x").unwrap();
        assert_eq!(t.to_string(), "2025-03-15T09:30:00Z");
        let t = Timestamp::parse("2025-03-15T09:30:00.250-05:00", "x").unwrap();
        assert_eq!(t.to_string(), "2025-03-15T09:30:00.25-05:00");
        assert_eq!(t.to_japanese(), "2025年3月15日 09時30分（UTC-05:00）");
    }

    #[test]
    fn deadline_keeps_the_offset() {
        let t = Timestamp::parse("2025-03-28T10:00:00+09:00", "x").unwrap();
        assert_eq!(t.plus_days(7).to_string(), "2025-04-04T10:00:00+09:00");
    }

    #[test]
    fn bad_timestamps_name_the_field() {
        let e = Timestamp::parse("yesterday", "target.posted_at").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("target.posted_at"), "{msg}");
        assert!(msg.contains("RFC 3339"), "{msg}");
    }

    #[test]
    fn digest_ids_are_stable_and_short() {
        let id = DigestIds.id(PayloadKind::EmergencyReport, &[0xab; 32]);
        assert_eq!(id, "er-abababababababababab");
    }
}

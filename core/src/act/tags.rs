//! The `type` field of each payload: a value with one spelling, that
//! serializes to it and accepts nothing else.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! tag {
    ($(#[$doc:meta])* $name:ident, $value:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $name;

        impl $name {
            /// The JSON value.
            pub const VALUE: &'static str = $value;
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($value)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($value)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = String::deserialize(d)?;
                if s == $value {
                    Ok($name)
                } else {
                    Err(serde::de::Error::custom(format!(
                        "expected type {:?}, found {s:?}",
                        $value
                    )))
                }
            }
        }
    };
}

tag!(
    /// `"takedown_request"`.
    TakedownRequestType,
    "takedown_request"
);
tag!(
    /// `"emergency_report"`.
    EmergencyReportType,
    "emergency_report"
);
tag!(
    /// `"support_referral"`.
    SupportReferralType,
    "support_referral"
);

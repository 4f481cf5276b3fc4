//! The six categories and the actions they call for.
//!
//! Identifiers are stable: they appear in JSON output, in rule packs and in
//! payloads that other programs read, so they never change spelling.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a post is, from most to least severe.
///
/// A post can carry several categories; the most severe one is its
/// [`primary`](crate::Verdict::primary) category. `Ord` follows severity, so
/// the maximum of a set of categories is the one that wins.
///
/// ```
/// use inochi::Category;
///
/// assert!(Category::Announcement > Category::Inducement);
/// assert!(Category::Ideation > Category::None);
/// assert_eq!("method".parse::<Category>().unwrap(), Category::Method);
/// assert_eq!(Category::Incitement.to_string(), "incitement");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Everything else: news, prevention, idioms, fiction, technical text.
    None,
    /// A first-person wish to die that is not concrete (自殺念慮).
    /// It calls for support, never for removal.
    Ideation,
    /// Telling a person to die (自殺の教唆・扇動).
    Incitement,
    /// Instructions or offers of means (自殺の手段の教示).
    Method,
    /// Inviting others to die, recruiting for a suicide, offering to help
    /// someone die (自殺誘引・勧誘).
    Inducement,
    /// First-person, concrete, imminent intent (自殺予告).
    Announcement,
}

impl Category {
    /// Every category, most severe first.
    pub const ALL: [Category; 6] = [
        Category::Announcement,
        Category::Inducement,
        Category::Method,
        Category::Incitement,
        Category::Ideation,
        Category::None,
    ];

    /// Every category in the order of its discriminant (`Category as
    /// usize`), for tables indexed by category.
    pub(crate) const ALL_BY_INDEX: [Category; 6] = [
        Category::None,
        Category::Ideation,
        Category::Incitement,
        Category::Method,
        Category::Inducement,
        Category::Announcement,
    ];

    /// The stable identifier, as used in JSON and rule packs.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::None => "none",
            Category::Ideation => "ideation",
            Category::Incitement => "incitement",
            Category::Method => "method",
            Category::Inducement => "inducement",
            Category::Announcement => "announcement",
        }
    }

    /// The actions this category calls for by default (DESIGN.md).
    ///
    /// `ideation` only ever gets `support`: a cry for help is not content to
    /// remove.
    pub fn default_actions(self) -> &'static [Action] {
        match self {
            Category::None => &[],
            Category::Ideation => &[Action::Support],
            Category::Incitement => &[Action::Review],
            Category::Method => &[Action::Takedown],
            Category::Inducement => &[Action::Takedown, Action::Report],
            Category::Announcement => &[Action::Emergency, Action::Support],
        }
    }

    /// True for the categories whose content endangers others and may be
    /// the subject of a takedown request.
    pub fn is_takedown_class(self) -> bool {
        matches!(
            self,
            Category::Inducement | Category::Method | Category::Incitement
        )
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Category, crate::Error> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| crate::Error::UnknownCategory(s.to_string()))
    }
}

/// What should be done about a post.
///
/// ```
/// use inochi::{Action, Category};
///
/// assert_eq!(Category::Ideation.default_actions(), &[Action::Support]);
/// assert_eq!(Action::Emergency.to_string(), "emergency");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Ask the platform to remove the content.
    Takedown,
    /// Report the content to a hotline center.
    Report,
    /// Raise an emergency report: a life may be at immediate risk.
    Emergency,
    /// Show help resources to the person.
    Support,
    /// Have a human moderator look at it.
    Review,
}

impl Action {
    /// The stable identifier, as used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Takedown => "takedown",
            Action::Report => "report",
            Action::Emergency => "emergency",
            Action::Support => "support",
            Action::Review => "review",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_order_matches_design() {
        let mut sorted = Category::ALL;
        sorted.sort();
        sorted.reverse();
        assert_eq!(sorted, Category::ALL);
    }

    #[test]
    fn ideation_is_never_removed() {
        assert!(
            !Category::Ideation
                .default_actions()
                .contains(&Action::Takedown)
        );
        assert!(!Category::Ideation.is_takedown_class());
    }

    #[test]
    fn round_trips_through_str_and_json() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>().unwrap(), c);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert!("suicide".parse::<Category>().is_err());
    }
}

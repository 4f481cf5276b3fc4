//! Labeled rows: one post and the category it should get.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::category::Category;

/// One labeled post, one line of a labeled JSONL file.
///
/// ```json
/// {"id": "d001", "text": "一緒に死ねる人を探しています。DMください", "lang": "ja",
///  "expect": "inducement", "accept": [], "tags": []}
/// ```
///
/// Other fields on the line are allowed and ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabeledRow {
    /// A unique id, used to name the row in reports.
    pub id: String,
    /// The post.
    pub text: String,
    /// Language tag (`ja`, `en`, ...), if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The expected primary category.
    pub expect: Category,
    /// Other primaries that are also acceptable for this post.
    #[serde(default)]
    pub accept: Vec<Category>,
    /// Free-form tags: `obf` (evasion spelling), `trap` (benign text that
    /// naive filters flag), `known-miss`, ...
    #[serde(default)]
    pub tags: Vec<String>,
}

impl LabeledRow {
    /// A row with `id`, `text` and `expect`, and nothing else.
    pub fn new(id: impl Into<String>, text: impl Into<String>, expect: Category) -> LabeledRow {
        LabeledRow {
            id: id.into(),
            text: text.into(),
            lang: None,
            expect,
            accept: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// True if `got` is `expect` or one of `accept`: the row is then
    /// classified correctly.
    ///
    /// ```
    /// use inochi::Category;
    /// use inochi::eval::LabeledRow;
    ///
    /// let mut row = LabeledRow::new("a1", "…", Category::Inducement);
    /// row.accept.push(Category::Method);
    /// assert!(row.accepts(Category::Inducement));
    /// assert!(row.accepts(Category::Method));
    /// assert!(!row.accepts(Category::None));
    /// ```
    pub fn accepts(&self, got: Category) -> bool {
        got == self.expect || self.accept.contains(&got)
    }

    /// The category the row counts as when the classifier said `got`: `got`
    /// itself when the row accepts it, `expect` otherwise. An accepted
    /// alternative is a hit, never an error.
    pub fn gold(&self, got: Category) -> Category {
        if self.accepts(got) { got } else { self.expect }
    }

    /// True if the row carries `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// `expect` followed by `|accept…`, for reports (`inducement|method`).
    pub fn expected_label(&self) -> String {
        let mut s = self.expect.to_string();
        for a in &self.accept {
            s.push('|');
            s.push_str(a.as_str());
        }
        s
    }

    /// Parses one JSONL line. Errors say which field is wrong and how; they
    /// carry no line number (see [`parse_jsonl`] for that).
    ///
    /// ```
    /// use inochi::Category;
    /// use inochi::eval::{LabeledRow, RowErrorKind};
    ///
    /// let row = LabeledRow::from_json(r#"{"id": "a1", "text": "死にたい", "expect": "ideation"}"#)?;
    /// assert_eq!(row.expect, Category::Ideation);
    /// assert_eq!(row.lang, None);
    ///
    /// let err = LabeledRow::from_json(r#"{"id": "a2", "text": "…", "expect": "suicide"}"#)
    ///     .unwrap_err();
    /// assert!(matches!(err, RowErrorKind::UnknownCategory { field: "expect", .. }));
    /// # Ok::<(), RowErrorKind>(())
    /// ```
    pub fn from_json(line: &str) -> Result<LabeledRow, RowErrorKind> {
        parse_value(line).map_err(|(_, kind)| kind)
    }
}

/// A labeled line that could not be read.
///
/// `Display` gives `line N: reason` (and the row's id when it had one), so
/// a caller only adds the file name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {kind}", id.as_ref().map(|i| format!(" (id {i:?})")).unwrap_or_default())]
pub struct RowError {
    /// The line number, from 1.
    pub line: usize,
    /// The row's id, when the line had a readable one.
    pub id: Option<String>,
    /// What is wrong.
    pub kind: RowErrorKind,
}

/// What is wrong with a labeled line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RowErrorKind {
    /// The line is not valid UTF-8.
    #[error("not valid UTF-8; re-encode the file as UTF-8")]
    NotUtf8,
    /// The line does not parse as JSON.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// The line is JSON but not an object.
    #[error("expected a JSON object with \"id\", \"text\" and \"expect\"")]
    NotAnObject,
    /// A required field is absent.
    #[error("missing {0:?} field")]
    Missing(&'static str),
    /// A field has the wrong JSON type.
    #[error("{field:?} must be {expected}")]
    WrongType {
        /// The field.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// `expect` or an `accept` entry is not one of the six categories.
    #[error(
        "{field:?}: unknown category {value:?}; use one of announcement, inducement, method, incitement, ideation, none"
    )]
    UnknownCategory {
        /// `expect` or `accept`.
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// The id was already used by an earlier row. Reports name rows by id,
    /// so ids must be unique. [`parse_jsonl`] checks within one text; a
    /// caller reading several files checks across them.
    #[error("duplicate id, first used at {first}")]
    DuplicateId {
        /// Where the id was first used (`line 3`, `file.jsonl:3`).
        first: String,
    },
}

/// Reads labeled JSONL: every non-blank line is one [`LabeledRow`]. Returns
/// the rows with their line numbers (from 1), and one [`RowError`] per
/// malformed line or repeated id. Lines may end in `\n` or `\r\n`.
///
/// ```
/// use inochi::eval::{RowErrorKind, parse_jsonl};
///
/// let (rows, errors) = parse_jsonl(concat!(
///     r#"{"id": "a1", "text": "死にたい", "expect": "ideation"}"#, "\n",
///     "\n",
///     r#"{"id": "a2", "text": "死ね"}"#, "\n",
/// ));
/// assert_eq!(rows.len(), 1);
/// assert_eq!(rows[0].0, 1);
/// assert_eq!(errors[0].line, 3);
/// assert_eq!(errors[0].kind, RowErrorKind::Missing("expect"));
/// assert_eq!(errors[0].to_string(), r#"line 3 (id "a2"): missing "expect" field"#);
/// ```
pub fn parse_jsonl(input: impl AsRef<[u8]>) -> (Vec<(usize, LabeledRow)>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let input = input.as_ref();
    let input = input.strip_suffix(b"\n").unwrap_or(input);
    if input.is_empty() {
        return (rows, errors);
    }
    for (i, bytes) in input.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let Ok(text) = std::str::from_utf8(bytes) else {
            errors.push(RowError {
                line,
                id: None,
                kind: RowErrorKind::NotUtf8,
            });
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match parse_value(text) {
            Ok(row) => {
                if let Some(&first) = seen.get(&row.id) {
                    errors.push(RowError {
                        line,
                        id: Some(row.id),
                        kind: RowErrorKind::DuplicateId {
                            first: format!("line {first}"),
                        },
                    });
                } else {
                    seen.insert(row.id.clone(), line);
                    rows.push((line, row));
                }
            }
            Err((id, kind)) => errors.push(RowError { line, id, kind }),
        }
    }
    (rows, errors)
}

/// Parses one line, checking each field so that the error names it.
fn parse_value(line: &str) -> Result<LabeledRow, (Option<String>, RowErrorKind)> {
    let value: Value =
        serde_json::from_str(line).map_err(|e| (None, RowErrorKind::NotJson(e.to_string())))?;
    let Value::Object(mut map) = value else {
        return Err((None, RowErrorKind::NotAnObject));
    };
    let id = match map.remove("id") {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(_) => {
            return Err((
                None,
                RowErrorKind::WrongType {
                    field: "id",
                    expected: "a non-empty string",
                },
            ));
        }
        None => return Err((None, RowErrorKind::Missing("id"))),
    };
    let fail = |kind| Err((Some(id.clone()), kind));
    let text = match map.remove("text") {
        Some(Value::String(s)) => s,
        Some(_) => {
            return fail(RowErrorKind::WrongType {
                field: "text",
                expected: "a string",
            });
        }
        None => return fail(RowErrorKind::Missing("text")),
    };
    let lang = match map.remove("lang") {
        Some(Value::String(s)) => Some(s),
        None | Some(Value::Null) => None,
        Some(_) => {
            return fail(RowErrorKind::WrongType {
                field: "lang",
                expected: "a string",
            });
        }
    };
    let expect = match map.remove("expect") {
        Some(Value::String(s)) => match s.parse::<Category>() {
            Ok(c) => c,
            Err(_) => {
                return fail(RowErrorKind::UnknownCategory {
                    field: "expect",
                    value: s,
                });
            }
        },
        Some(_) => {
            return fail(RowErrorKind::WrongType {
                field: "expect",
                expected: "a category string",
            });
        }
        None => return fail(RowErrorKind::Missing("expect")),
    };
    let accept = match map.remove("accept") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let Value::String(s) = item else {
                    return fail(RowErrorKind::WrongType {
                        field: "accept",
                        expected: "an array of category strings",
                    });
                };
                match s.parse::<Category>() {
                    Ok(c) => out.push(c),
                    Err(_) => {
                        return fail(RowErrorKind::UnknownCategory {
                            field: "accept",
                            value: s,
                        });
                    }
                }
            }
            out
        }
        Some(_) => {
            return fail(RowErrorKind::WrongType {
                field: "accept",
                expected: "an array of category strings",
            });
        }
    };
    let tags = match map.remove("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let Value::String(s) = item else {
                    return fail(RowErrorKind::WrongType {
                        field: "tags",
                        expected: "an array of strings",
                    });
                };
                out.push(s);
            }
            out
        }
        Some(_) => {
            return fail(RowErrorKind::WrongType {
                field: "tags",
                expected: "an array of strings",
            });
        }
    };
    Ok(LabeledRow {
        id,
        text,
        lang,
        expect,
        accept,
        tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_field_and_ignores_others() {
        let row = LabeledRow::from_json(
            r#"{"id":"x1","text":"死ね","lang":"ja","expect":"incitement","accept":["none"],"tags":["obf"],"url":"https://x"}"#,
        )
        .unwrap();
        assert_eq!(row.id, "x1");
        assert_eq!(row.lang.as_deref(), Some("ja"));
        assert_eq!(row.accept, vec![Category::None]);
        assert_eq!(row.tags, vec!["obf".to_string()]);
        assert!(row.accepts(Category::None));
        assert_eq!(row.gold(Category::Method), Category::Incitement);
        assert_eq!(row.gold(Category::None), Category::None);
        assert_eq!(row.expected_label(), "incitement|none");
    }

    #[test]
    fn serde_round_trip_matches_the_file_format() {
        let row = LabeledRow::from_json(r#"{"id":"x1","text":"t","expect":"none"}"#).unwrap();
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(
            json,
            r#"{"id":"x1","text":"t","expect":"none","accept":[],"tags":[]}"#
        );
        let back: LabeledRow = serde_json::from_str(&json).unwrap();
        assert_eq!(back, row);
    }

    #[test]
    fn every_malformed_line_is_named() {
        let input = [
            r#"{"id":"ok","text":"t","expect":"none"}"#,
            "not json",
            "[1, 2]",
            r#"{"text":"t","expect":"none"}"#,
            r#"{"id":7,"text":"t","expect":"none"}"#,
            r#"{"id":"b","expect":"none"}"#,
            r#"{"id":"c","text":"t","expect":"deadly"}"#,
            r#"{"id":"d","text":"t","expect":"none","accept":["x"]}"#,
            r#"{"id":"e","text":"t","expect":"none","tags":"obf"}"#,
            r#"{"id":"ok","text":"again","expect":"none"}"#,
            "   ",
            r#"{"id":"f","text":"t","expect":"none","lang":1}"#,
        ]
        .join("\r\n");
        let mut bytes = input.into_bytes();
        bytes.extend_from_slice(b"\n\xff\xfe\n");
        let (rows, errors) = parse_jsonl(&bytes);
        assert_eq!(rows.len(), 1);
        let got: Vec<(usize, RowErrorKind)> =
            errors.iter().map(|e| (e.line, e.kind.clone())).collect();
        assert!(matches!(got[0], (2, RowErrorKind::NotJson(_))));
        assert_eq!(got[1], (3, RowErrorKind::NotAnObject));
        assert_eq!(got[2], (4, RowErrorKind::Missing("id")));
        assert!(matches!(
            got[3],
            (5, RowErrorKind::WrongType { field: "id", .. })
        ));
        assert_eq!(got[4], (6, RowErrorKind::Missing("text")));
        assert!(matches!(
            got[5],
            (
                7,
                RowErrorKind::UnknownCategory {
                    field: "expect",
                    ..
                }
            )
        ));
        assert!(matches!(
            got[6],
            (
                8,
                RowErrorKind::UnknownCategory {
                    field: "accept",
                    ..
                }
            )
        ));
        assert!(matches!(
            got[7],
            (9, RowErrorKind::WrongType { field: "tags", .. })
        ));
        assert_eq!(
            got[8],
            (
                10,
                RowErrorKind::DuplicateId {
                    first: "line 1".into()
                }
            )
        );
        assert!(matches!(
            got[9],
            (12, RowErrorKind::WrongType { field: "lang", .. })
        ));
        assert_eq!(got[10], (13, RowErrorKind::NotUtf8));
        assert_eq!(errors.len(), 11);
        assert_eq!(
            errors[5].to_string(),
            "line 7 (id \"c\"): \"expect\": unknown category \"deadly\"; use one of announcement, inducement, method, incitement, ideation, none"
        );
    }

    #[test]
    fn empty_input_has_no_rows() {
        assert_eq!(parse_jsonl(""), (Vec::new(), Vec::new()));
        assert_eq!(parse_jsonl("\n").0.len(), 0);
    }
}

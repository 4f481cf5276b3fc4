//! `inochi act`: verdicts (the JSONL `inochi classify` writes) in, payloads
//! out.
//!
//! For every verdict whose actions call for one: a takedown request
//! (`takedown`), an emergency report (`emergency`), a support referral
//! (`support`), in that order. A line that is not a verdict, or whose
//! payload cannot be built, becomes an error object
//! (`{"id"?, "line", "error"}`) and the run goes on; the exit code is then 1.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use inochi::act::{
    AgeGroup, AutomatedDecision, Clock, DsaGround, DsaOptions, EEA, EmergencyReport, FixedClock,
    Post, RequestedAction, Requester, RequesterKind, SupportDirectory, SupportReferral,
    SystemClock, TakedownRequest,
};
use inochi::{Action, Category, Verdict};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Args)]
pub(crate) struct ActArgs {
    /// Verdicts from `inochi classify` (JSONL); `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,
    /// Who sends the payloads, and its policy (TOML: organisation, kind, contact; optional
    /// [policy] and [dsa] tables).
    #[arg(long, value_name = "FILE")]
    requester: PathBuf,
    /// json: one payload per line; letter: the Japanese letters and texts; dsa: one EU DSA
    /// statement of reasons per takedown request.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write each payload to a file in DIR (created if missing), named by its id, and print one
    /// line per file.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Help resources instead of the embedded ones (TOML, as core/resources/support.toml).
    #[arg(long, value_name = "FILE")]
    resources: Option<PathBuf>,
    /// The creation time of every payload (RFC 3339), for reproducible output; default now.
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Canonical JSON, one payload per line.
    Json,
    /// 削除依頼 letters, police reports (and their EU DSA Art. 18 notice), support texts.
    Letter,
    /// EU DSA statements of reasons, one per takedown request.
    Dsa,
}

/// The requester file: the requester, then optional `[policy]` and `[dsa]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequesterFile {
    organisation: String,
    kind: RequesterKind,
    contact: String,
    #[serde(default)]
    representative: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    policy: Policy,
    #[serde(default)]
    dsa: DsaFile,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Policy {
    #[serde(default)]
    requested_action: RequestedAction,
    #[serde(default)]
    response_days: Option<u32>,
    /// Takedown requests for `incitement` too.
    #[serde(default)]
    incitement_takedown: bool,
    #[serde(default)]
    terms_reference: Option<String>,
    #[serde(default)]
    excerpt_chars: Option<usize>,
    /// The service's name when the input has no `service` field.
    #[serde(default)]
    service: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DsaFile {
    #[serde(default)]
    decision_ground: DsaGroundName,
    #[serde(default)]
    illegal_content_legal_ground: Option<String>,
    #[serde(default)]
    automated_decision: AutomatedDecision,
    #[serde(default)]
    territorial_scope: Option<Vec<String>>,
    #[serde(default)]
    terms_url: Option<String>,
    #[serde(default)]
    trusted_flagger: bool,
}

#[derive(Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum DsaGroundName {
    #[default]
    IncompatibleContent,
    IllegalContent,
}

struct Setup {
    requester: Requester,
    policy: Policy,
    dsa: DsaOptions,
    directory: SupportDirectory,
    clock: Box<dyn Clock>,
}

fn setup(args: &ActArgs) -> Result<Setup, Box<dyn std::error::Error>> {
    let path = &args.requester;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: RequesterFile =
        toml::from_str(&text).map_err(|e| format!("requester file {}: {e}", path.display()))?;
    let requester = Requester {
        organisation: file.organisation,
        kind: file.kind,
        contact: file.contact,
        representative: file.representative,
        address: file.address,
        reference: file.reference,
    };
    requester
        .validate()
        .map_err(|e| format!("requester file {}: {e}", path.display()))?;
    let dsa = DsaOptions {
        ground: match file.dsa.decision_ground {
            DsaGroundName::IncompatibleContent => DsaGround::IncompatibleContent,
            DsaGroundName::IllegalContent => DsaGround::IllegalContent {
                legal_ground: file.dsa.illegal_content_legal_ground.ok_or_else(|| {
                    format!(
                        "requester file {}: [dsa] decision_ground = \"illegal_content\" needs illegal_content_legal_ground",
                        path.display()
                    )
                })?,
            },
        },
        automated_decision: file.dsa.automated_decision,
        territorial_scope: file
            .dsa
            .territorial_scope
            .unwrap_or_else(|| EEA.iter().map(|s| s.to_string()).collect()),
        terms_url: file.dsa.terms_url,
        trusted_flagger: file.dsa.trusted_flagger,
    };
    dsa.validate()
        .map_err(|e| format!("requester file {}: {e}", path.display()))?;
    let directory = match &args.resources {
        None => SupportDirectory::embedded().clone(),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            SupportDirectory::from_toml(&p.display().to_string(), &text)?
        }
    };
    let clock: Box<dyn Clock> = match &args.now {
        Some(t) => Box::new(FixedClock::parse(t).map_err(|e| format!("--now: {e}"))?),
        None => Box::new(SystemClock),
    };
    Ok(Setup {
        requester,
        policy: file.policy,
        dsa,
        directory,
        clock,
    })
}

/// One rendered document.
struct Doc {
    payload_id: String,
    kind: &'static str,
    /// File name suffix under `--out`.
    suffix: &'static str,
    text: String,
}

pub(crate) fn run(args: ActArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let setup = setup(&args)?;
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let reader: Box<dyn Read> = match &args.input {
        None => Box::new(std::io::stdin().lock()),
        Some(p) if p.as_os_str() == "-" => Box::new(std::io::stdin().lock()),
        Some(p) => {
            Box::new(File::open(p).map_err(|e| format!("cannot open {}: {e}", p.display()))?)
        }
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut errors = 0u64;
    let mut line_no = 0u64;
    let mut first_doc = true;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        let (id, docs, failure) = process(&setup, args.format, &buf);
        for doc in docs {
            match &args.out {
                Some(dir) => {
                    let path = dir.join(format!("{}{}", doc.payload_id, doc.suffix));
                    write_file(&path, &doc.text)?;
                    let mut m = Map::new();
                    if let Some(id) = &id {
                        m.insert("id".into(), id.clone());
                    }
                    m.insert("line".into(), Value::from(line_no));
                    m.insert("type".into(), Value::from(doc.kind));
                    m.insert("payload_id".into(), Value::from(doc.payload_id));
                    m.insert("file".into(), Value::from(path.display().to_string()));
                    serde_json::to_writer(&mut out, &Value::Object(m))?;
                    out.write_all(b"\n")?;
                }
                None if args.format == Format::Letter => {
                    // Documents are separated by a form feed: a page break
                    // when printed, and easy to split.
                    if !first_doc {
                        out.write_all(b"\x0c\n")?;
                    }
                    first_doc = false;
                    out.write_all(doc.text.as_bytes())?;
                }
                None => {
                    out.write_all(doc.text.as_bytes())?;
                    out.write_all(b"\n")?;
                }
            }
        }
        if let Some(reason) = failure {
            errors += 1;
            let message = format!("line {line_no}: {reason}");
            if args.format == Format::Letter && args.out.is_none() {
                out.flush()?;
                eprintln!("inochi: {message}");
            } else {
                let mut m = Map::new();
                if let Some(id) = id {
                    m.insert("id".into(), id);
                }
                m.insert("line".into(), Value::from(line_no));
                m.insert("error".into(), Value::from(message));
                serde_json::to_writer(&mut out, &Value::Object(m))?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_file(path: &Path, text: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut text = text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()).into())
}

/// A string field of the input line: strings as they are, numbers as
/// written, `null` or absent as nothing.
fn field(fields: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(format!("\"{key}\" must be a string")),
    }
}

/// One input line: the input id, the documents, and the error if any
/// payload could not be built.
fn process(
    setup: &Setup,
    format: Format,
    bytes: &[u8],
) -> (Option<Value>, Vec<Doc>, Option<String>) {
    let mut docs = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return (
                None,
                docs,
                Some(format!(
                    "not valid UTF-8 ({e}); re-encode the input as UTF-8"
                )),
            );
        }
    };
    let fields = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return (
                None,
                docs,
                Some("expected a JSON object: a verdict line from inochi classify".into()),
            );
        }
        Err(e) => return (None, docs, Some(format!("not JSON: {e}"))),
    };
    let id = fields.get("id").filter(|v| !v.is_null()).cloned();
    let fail = |docs, reason: String| (id.clone(), docs, Some(reason));
    if !fields.contains_key("primary")
        && let Some(Value::String(e)) = fields.get("error")
    {
        return fail(docs, format!("no verdict: inochi classify reported {e:?}"));
    }
    let verdict: Verdict = match serde_json::from_value(Value::Object(fields.clone())) {
        Ok(v) => v,
        Err(e) => {
            return fail(
                docs,
                format!("not a verdict ({e}); give the output of inochi classify"),
            );
        }
    };
    let post_text = match fields.get("text") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return fail(docs, "\"text\" is not a string".into()),
        None => {
            return fail(
                docs,
                "missing \"text\" field: the verdict must carry the post's text (inochi classify passes it through)"
                    .into(),
            );
        }
    };
    let mut post = Post::new(post_text);
    let mut locale = None;
    let mut age = AgeGroup::Unknown;
    let read = (|| -> Result<(), String> {
        post.url = field(&fields, "url")?;
        post.post_id = field(&fields, "post_id")?;
        post.account_id = field(&fields, "account_id")?;
        post.posted_at = field(&fields, "posted_at")?;
        post.observed_at = field(&fields, "observed_at")?;
        post.service = field(&fields, "service")?.or_else(|| setup.policy.service.clone());
        post.language = match field(&fields, "language")? {
            Some(l) => Some(l),
            None => field(&fields, "lang")?,
        };
        locale = field(&fields, "locale")?;
        age = match field(&fields, "age_group")?.as_deref() {
            Some("minor") => AgeGroup::Minor,
            Some("adult") => AgeGroup::Adult,
            _ => AgeGroup::Unknown,
        };
        Ok(())
    })();
    if let Err(e) = read {
        return fail(docs, e);
    }
    let mut problems: Vec<String> = Vec::new();
    let clock = setup.clock.as_ref();
    let has_takedown_class = verdict.has(Category::Inducement) || verdict.has(Category::Method);
    let wants = |a: Action| verdict.actions.contains(&a);
    let incitement_policy = setup.policy.incitement_takedown
        || (wants(Action::Takedown) && !has_takedown_class && verdict.has(Category::Incitement));
    if (wants(Action::Takedown) && has_takedown_class)
        || (verdict.has(Category::Incitement) && incitement_policy)
    {
        let mut b = TakedownRequest::builder(&verdict, &post, &setup.requester)
            .clock(clock)
            .incitement_takedown(incitement_policy)
            .requested_action(setup.policy.requested_action);
        if let Some(d) = setup.policy.response_days {
            b = b.response_days(d);
        }
        if let Some(c) = setup.policy.excerpt_chars {
            b = b.excerpt_chars(c);
        }
        if let Some(t) = &setup.policy.terms_reference {
            b = b.terms_reference(t.clone());
        }
        match b.build() {
            Ok(r) => match format {
                Format::Json => docs.push(doc(&r.id, "takedown_request", ".json", r.to_json())),
                Format::Letter => docs.push(doc(&r.id, "takedown_request", ".txt", r.to_letter())),
                Format::Dsa => match r.to_dsa(&setup.dsa) {
                    Ok(s) => docs.push(doc(&r.id, "dsa_statement", ".dsa.json", s.to_json())),
                    Err(e) => problems.push(format!("takedown request: {e}")),
                },
            },
            Err(e) => problems.push(format!("takedown request: {e}")),
        }
    }
    if wants(Action::Emergency) {
        let b = EmergencyReport::builder(&verdict, &post, &setup.requester).clock(clock);
        let b = match setup.policy.excerpt_chars {
            Some(c) => b.excerpt_chars(c),
            None => b,
        };
        match b.build() {
            Ok(r) => match format {
                Format::Json => docs.push(doc(&r.id, "emergency_report", ".json", r.to_json())),
                Format::Letter => {
                    docs.push(doc(&r.id, "emergency_report", ".txt", r.to_police_report()));
                    docs.push(doc(
                        &r.id,
                        "emergency_report",
                        ".art18.txt",
                        r.to_dsa_notice(),
                    ));
                }
                Format::Dsa => {}
            },
            Err(e) => problems.push(format!("emergency report: {e}")),
        }
    }
    if wants(Action::Support) {
        let mut b = SupportReferral::builder(&verdict, &post)
            .clock(clock)
            .directory(&setup.directory)
            .age_group(age);
        if let Some(l) = &locale {
            b = b.locale(l.clone());
        }
        match b.build() {
            Ok(r) => match format {
                Format::Json => docs.push(doc(&r.id, "support_referral", ".json", r.to_json())),
                Format::Letter => docs.push(doc(&r.id, "support_referral", ".txt", r.to_text())),
                Format::Dsa => {}
            },
            Err(e) => problems.push(format!("support referral: {e}")),
        }
    }
    let failure = (!problems.is_empty()).then(|| problems.join("; "));
    (id, docs, failure)
}

fn doc(id: &str, kind: &'static str, suffix: &'static str, text: String) -> Doc {
    Doc {
        payload_id: id.to_string(),
        kind,
        suffix,
        text,
    }
}

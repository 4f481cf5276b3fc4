//! `inochi`: classify posts from the command line.
//!
//! The command is a thin layer over the `inochi` crate: it reads input,
//! calls the classifier and writes JSON. Everything it decides about a post
//! comes from the library.

mod act;
mod classify;
mod eval;
mod progress;
mod schema;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use inochi::Classifier;

#[derive(Parser)]
#[command(
    name = "inochi",
    version,
    about = "Find posts that lure people into suicide, announce one, or express a wish to die."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Classify JSONL posts (or plain lines) and write one verdict per line.
    Classify(ClassifyArgs),
    /// Show how one text is classified: folding, tokens, concepts, rules.
    Explain(ExplainArgs),
    /// List the rules of the pack in use.
    Rules(PackArgs),
    /// Score the classifier on labeled JSONL: per-category precision, recall
    /// and F1, macro-F1, confusion matrix, misses; `--perturb` for evasions.
    Eval(eval::EvalArgs),
    /// Turn verdicts into takedown requests, emergency reports and support referrals.
    Act(act::ActArgs),
    /// Print the JSON Schema of a payload.
    Schema(schema::SchemaArgs),
    /// Print each input line as the classifier reads it (folded, katakana as
    /// hiragana): for training the model and for debugging evasions.
    Fold(FoldArgs),
}

#[derive(Args)]
struct FoldArgs {
    /// Input file of plain lines; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,
    /// Spell every word that has kanji in hiragana from its reading first
    /// (the `eval --perturb` rewrite): for training the model on the kana
    /// spellings people type to dodge filters.
    #[arg(long)]
    hiragana: bool,
    #[command(flatten)]
    pack: PackArgs,
}

/// Options that choose the rule pack and dictionary.
#[derive(Args, Clone, Default)]
pub(crate) struct PackArgs {
    /// Use this rule pack (TOML) instead of the embedded default.
    #[arg(long, value_name = "FILE")]
    pack: Option<PathBuf>,
    /// Extend the pack with this TOML file (repeatable).
    #[arg(long, value_name = "FILE")]
    extend: Vec<PathBuf>,
    /// Load IPADIC from this directory instead of the embedded copy.
    #[arg(long, value_name = "DIR")]
    dictionary: Option<PathBuf>,
    /// Use this n-gram model (from `scripts/train-model.py`) instead of the
    /// embedded one; the pack's `[model]` table still decides when it speaks.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
}

impl PackArgs {
    fn classifier(&self) -> Result<Classifier, inochi::Error> {
        let mut b = Classifier::builder();
        if let Some(p) = &self.pack {
            b = b.pack_file(p);
        }
        for e in &self.extend {
            b = b.extend_file(e);
        }
        if let Some(d) = &self.dictionary {
            b = b.dictionary_dir(d);
        }
        if let Some(m) = &self.model {
            b = b.model_file(m);
        }
        b.build()
    }
}

#[derive(Args)]
pub(crate) struct ClassifyArgs {
    /// Input file; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,
    /// Read plain text, one post per line (ids are line numbers).
    #[arg(long)]
    lines: bool,
    /// Print the number of posts per primary category to stderr at the end.
    #[arg(long)]
    summary: bool,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Never draw a progress bar, even on a terminal.
    #[arg(long)]
    no_progress: bool,
    #[command(flatten)]
    pack: PackArgs,
}

#[derive(Args)]
struct ExplainArgs {
    /// The text to explain.
    text: String,
    /// Print the explanation as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pack: PackArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // A reader that stops early (`inochi classify | head`) is not an
        // error of ours: stop quietly.
        Err(e) if is_broken_pipe(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inochi: {e}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return true;
        }
        cur = err.source();
    }
    false
}

fn run(cli: Cli) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match cli.command {
        Command::Classify(args) => classify::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Act(args) => act::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Explain(args) => {
            let classifier = args.pack.classifier()?;
            let explanation = classifier.explain(&args.text);
            let mut out = std::io::stdout().lock();
            if args.json {
                serde_json::to_writer_pretty(&mut out, &explanation)?;
                writeln!(out)?;
            } else {
                write!(out, "{explanation}")?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Fold(args) => {
            use std::io::BufRead;
            let classifier = args.pack.classifier()?;
            let reader: Box<dyn BufRead> = match &args.input {
                Some(p) if p.as_os_str() != "-" => Box::new(std::io::BufReader::new(
                    std::fs::File::open(p)
                        .map_err(|e| format!("cannot open {}: {e}", p.display()))?,
                )),
                _ => Box::new(std::io::stdin().lock()),
            };
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in reader.lines() {
                let line = line?;
                let text = if args.hiragana {
                    inochi::eval::rewrite::hiragana(&classifier, &line)
                } else {
                    line
                };
                writeln!(out, "{}", classifier.normalize(&text))?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules(args) => {
            let classifier = args.classifier()?;
            let pack = classifier.rule_pack();
            let mut out = std::io::stdout().lock();
            let info = classifier.pack();
            writeln!(out, "# {} {} {}", info.name, info.version, info.hash)?;
            for (id, category) in pack.rules() {
                writeln!(out, "{id}\t{category}")?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

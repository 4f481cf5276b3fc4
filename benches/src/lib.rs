//! Workloads and baselines for inochi's benchmarks.
//!
//! The workload is an operator's firehose: real Japanese text lines (Debian's
//! `manpages-ja`, fetched by `benches/setup.sh` into `.cache/bench/`) with
//! labeled positives from `tests/corpus/` mixed in at 2% of lines. Without the
//! Debian text a deterministic SNS-like generator stands in, so the benches
//! always run; `Workload::source` says which one was used.
//!
//! The baselines are what people use today for this job, built over the same
//! trigger terms as the default pack ([`inochi::Pack::trigger_forms`]):
//! a bare Aho-Corasick scan (the floor: one pass over the bytes), a naive
//! `str::contains` loop, a `regex::RegexSet`, the `rustrict` crate, and lindera
//! on every line (what "analyze everything" costs).

use std::path::{Path, PathBuf};

/// The repository root (benches/ is one level below).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benches/ has a parent")
        .to_path_buf()
}

/// Lines of text to classify, and where they came from.
pub struct Workload {
    /// One post per line.
    pub lines: Vec<String>,
    /// `manpages-ja` or `generated`, plus the mix.
    pub source: String,
}

impl Workload {
    /// Total bytes of all lines (what MB/s figures divide).
    pub fn bytes(&self) -> u64 {
        self.lines.iter().map(|l| l.len() as u64).sum()
    }

    /// The benign lines: `manpages-ja` when `benches/setup.sh` has fetched it,
    /// else the generator. At most `max_bytes` of text.
    pub fn benign(max_bytes: usize) -> Workload {
        let path = root().join(".cache/bench/manpages-ja.txt");
        let (mut lines, source) = match std::fs::read_to_string(&path) {
            Ok(text) => (
                text.lines().map(str::to_string).collect::<Vec<_>>(),
                "manpages-ja".to_string(),
            ),
            Err(_) => (generate(20_000), "generated".to_string()),
        };
        truncate(&mut lines, max_bytes);
        Workload { lines, source }
    }

    /// Every positive of the labeled corpus (any category but `none`).
    pub fn positives() -> Workload {
        let mut lines = Vec::new();
        let dir = root().join("tests/corpus");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("corpus file");
            for line in text.lines() {
                let Ok(row) = serde_json::from_str::<serde_json::Value>(line) else {
                    continue;
                };
                if row["expect"].as_str().is_some_and(|e| e != "none")
                    && let Some(t) = row["text"].as_str()
                {
                    // One post per line: a multi-line post becomes one line.
                    lines.push(t.replace('\n', " "));
                }
            }
        }
        Workload {
            lines,
            source: "tests/corpus positives".into(),
        }
    }

    /// The benign lines with a positive after every `1/share` of them
    /// (`share` 0.02: the 2% mix).
    pub fn mix(max_bytes: usize, share: f64) -> Workload {
        let benign = Workload::benign(max_bytes);
        let positives = Workload::positives();
        let every = (1.0 / share).round() as usize - 1;
        let mut lines = Vec::with_capacity(benign.lines.len() * (every + 1) / every);
        let mut p = positives.lines.iter().cycle();
        for (i, l) in benign.lines.into_iter().enumerate() {
            lines.push(l);
            if (i + 1) % every == 0 {
                lines.push(p.next().expect("the corpus has positives").clone());
            }
        }
        Workload {
            lines,
            source: format!("{} + {:.0}% positives", benign.source, share * 100.0),
        }
    }
}

/// Records how many posts a benchmark group's workload holds, so that
/// `benches/report.py` can print posts/s next to criterion's bytes/s (a
/// criterion benchmark reports one kind of throughput). Writes
/// `criterion/inochi-posts.json` in the target directory.
pub fn record_posts(group: &str, posts: usize) {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("criterion");
    let path = dir.join("inochi-posts.json");
    let mut all: serde_json::Map<String, serde_json::Value> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    all.insert(group.to_string(), posts.into());
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(&path, serde_json::Value::Object(all).to_string());
}

fn truncate(lines: &mut Vec<String>, max_bytes: usize) {
    let mut total = 0;
    let keep = lines
        .iter()
        .position(|l| {
            total += l.len();
            total > max_bytes
        })
        .unwrap_or(lines.len());
    lines.truncate(keep);
}

/// A deterministic SNS-like stream of benign posts (no randomness from the
/// system: a fixed linear congruential generator), used when `manpages-ja`
/// is not available. Everyday posts, replies, links and hashtags, in the
/// proportions of Japanese and ASCII text such a stream has.
pub fn generate(n: usize) -> Vec<String> {
    const OPEN: &[&str] = &[
        "今日は",
        "さっき",
        "週末に",
        "朝から",
        "久しぶりに",
        "仕事帰りに",
        "Today",
        "昨日の夜",
        "来週の",
        "いま",
    ];
    const BODY: &[&str] = &[
        "駅前の新しいカフェでラテを飲んだ",
        "プロジェクトの締め切りが近くて忙しい",
        "猫が窓際で昼寝している",
        "ライブのチケットが取れた！",
        "雨が降ってきたので傘を買った",
        "新作のゲームを少しだけ遊んだ",
        "友だちと焼肉に行った",
        "電車が遅れていて会社に遅刻しそう",
        "had a great time at the concert",
        "部屋の掃除をしてすっきりした",
        "図書館で借りた本を読み終えた",
        "ランニングを5km走った",
        "新しいキーボードを注文した",
        "今年の紅葉はとてもきれいだった",
        "明日の会議の資料をまとめている",
    ];
    const TAIL: &[&str] = &[
        "",
        "。",
        "！",
        "ｗ",
        " #日常",
        " https://example.com/p/",
        " 😊",
        "…",
        "笑",
        " (写真あり)",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |m: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m
    };
    (0..n)
        .map(|i| {
            let mut s = String::new();
            s.push_str(OPEN[next(OPEN.len())]);
            s.push_str(BODY[next(BODY.len())]);
            if next(3) == 0 {
                s.push('、');
                s.push_str(BODY[next(BODY.len())]);
            }
            s.push_str(TAIL[next(TAIL.len())]);
            if s.ends_with('/') {
                s.push_str(&i.to_string());
            }
            s
        })
        .collect()
}

/// The baselines, each built once over the default pack's trigger terms.
pub struct Baselines {
    terms: Vec<String>,
    ac: aho_corasick::AhoCorasick,
    ac_dfa: aho_corasick::AhoCorasick,
    set: regex::RegexSet,
    trie: &'static rustrict::Trie,
    segmenter: lindera::segmenter::Segmenter,
}

impl Baselines {
    /// Builds every baseline.
    pub fn new() -> Baselines {
        let pack = inochi::Pack::default_pack();
        let mut terms: Vec<String> = pack.trigger_forms().map(str::to_string).collect();
        terms.sort();
        terms.dedup();
        let ac = aho_corasick::AhoCorasick::new(&terms).expect("plain terms");
        let ac_dfa = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&terms)
            .expect("plain terms");
        let set = regex::RegexSetBuilder::new(terms.iter().map(|t| regex::escape(t)))
            .size_limit(1 << 28)
            .build()
            .expect("escaped terms");
        // rustrict's own English list plus our terms: the same job, its way.
        let mut trie = rustrict::Trie::default();
        for t in &terms {
            trie.set(
                &t.to_lowercase(),
                rustrict::Type::OFFENSIVE | rustrict::Type::SEVERE,
            );
        }
        let trie: &'static rustrict::Trie = Box::leak(Box::new(trie));
        let dictionary = lindera::dictionary::load_dictionary("embedded://ipadic")
            .expect("lindera's embedded IPADIC (run scripts/setup-dictionary.sh)");
        let segmenter =
            lindera::segmenter::Segmenter::new(lindera::mode::Mode::Normal, dictionary, None);
        Baselines {
            terms,
            ac,
            ac_dfa,
            set,
            trie,
            segmenter,
        }
    }

    /// How many trigger terms the baselines search for.
    pub fn terms(&self) -> usize {
        self.terms.len()
    }

    /// Bare Aho-Corasick as `AhoCorasick::new` builds it: does the raw line
    /// hold a trigger term?
    pub fn aho_corasick(&self, line: &str) -> bool {
        self.ac.is_match(line)
    }

    /// Bare Aho-Corasick as a DFA, the fastest kind to search with: the
    /// floor, one pass over the bytes.
    pub fn aho_corasick_dfa(&self, line: &str) -> bool {
        self.ac_dfa.is_match(line)
    }

    /// The NG-word loop most filters start as.
    pub fn naive(&self, line: &str) -> bool {
        self.terms.iter().any(|t| line.contains(t.as_str()))
    }

    /// A `RegexSet` of the escaped terms.
    pub fn regex_set(&self, line: &str) -> bool {
        self.set.is_match(line)
    }

    /// rustrict's analysis of the line.
    pub fn rustrict(&self, line: &str) -> bool {
        rustrict::Censor::from_str(line)
            .with_trie(self.trie)
            .analyze()
            .is(rustrict::Type::INAPPROPRIATE)
    }

    /// Lindera (IPADIC) over the whole line, as if every post were analyzed:
    /// the number of tokens.
    pub fn lindera(&self, line: &str) -> usize {
        self.segmenter
            .segment(std::borrow::Cow::Borrowed(line))
            .map(|t| t.len())
            .unwrap_or(0)
    }
}

impl Default for Baselines {
    fn default() -> Self {
        Baselines::new()
    }
}

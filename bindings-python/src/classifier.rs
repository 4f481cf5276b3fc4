//! `Classifier` and the module-level `classify` on a shared default
//! instance.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::convert::{json_loads, repr_str, type_name};
use crate::verdict::{PyPackInfo, PyVerdict};
use crate::{InochiError, core_error, guard};

/// Texts classified per release of the GIL in `classify_batch`: between
/// chunks the GIL is taken back to check for signals (Ctrl-C).
const CHUNK: usize = 16 * 1024;

/// Classifies posts. Immutable and thread-safe: build one and share it.
///
/// `Classifier()` uses the embedded default packs (Japanese and English)
/// and the embedded IPADIC dictionary. `pack` replaces the default pack by a
/// TOML file, `extend` extends the pack with TOML files, in order (both
/// take `str` or `os.PathLike` paths); `pack_toml` and `extend_toml` do the
/// same with TOML text (applied after the files); `dictionary` loads IPADIC
/// from a directory instead of the embedded copy.
#[pyclass(frozen, module = "inochi", name = "Classifier")]
pub(crate) struct PyClassifier {
    inner: inochi::Classifier,
}

#[pymethods]
impl PyClassifier {
    #[new]
    #[pyo3(signature = (pack=None, extend=None, *, pack_toml=None, extend_toml=None, dictionary=None))]
    fn new(
        py: Python<'_>,
        pack: Option<PathBuf>,
        extend: Option<Vec<PathBuf>>,
        pack_toml: Option<String>,
        extend_toml: Option<Vec<String>>,
        dictionary: Option<PathBuf>,
    ) -> PyResult<PyClassifier> {
        guard(|| {
            let mut b = inochi::Classifier::builder();
            match (pack, pack_toml) {
                (Some(_), Some(_)) => {
                    return Err(PyValueError::new_err(
                        "give either pack (a file) or pack_toml (TOML text), not both",
                    ));
                }
                (Some(path), None) => b = b.pack_file(path),
                (None, Some(text)) => b = b.pack_toml("pack_toml", &text),
                (None, None) => {}
            }
            for path in extend.unwrap_or_default() {
                b = b.extend_file(path);
            }
            for (i, text) in extend_toml.unwrap_or_default().iter().enumerate() {
                b = b.extend_toml(&format!("extend_toml[{i}]"), text);
            }
            if let Some(dir) = dictionary {
                b = b.dictionary_dir(dir);
            }
            let inner = py.detach(|| b.build()).map_err(core_error)?;
            Ok(PyClassifier { inner })
        })
    }

    /// The rule pack in use.
    #[getter]
    fn pack(&self) -> PyPackInfo {
        PyPackInfo {
            inner: self.inner.pack().clone(),
        }
    }

    /// Classifies one post. Releases the GIL while it works.
    fn classify(&self, py: Python<'_>, text: String) -> PyResult<PyVerdict> {
        guard(|| {
            let c = &self.inner;
            let inner = py.detach(|| c.classify(&text));
            Ok(PyVerdict {
                inner,
                text: Some(text),
            })
        })
    }

    /// Classifies many posts in parallel and returns their verdicts in
    /// order. The texts are read under the GIL, then the GIL is released
    /// while a thread pool classifies them: all cores by default, or
    /// `threads` threads. Safe to use in a process forked from one that
    /// already classified (multiprocessing, pre-fork servers).
    #[pyo3(signature = (texts, threads=None))]
    fn classify_batch(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<PyVerdict>> {
        guard(|| {
            if texts.is_instance_of::<PyString>() {
                return Err(PyTypeError::new_err(
                    "texts must be an iterable of str, not a str; for one text use classify()",
                ));
            }
            let mut owned: Vec<String> = match texts.len() {
                Ok(n) => Vec::with_capacity(n),
                Err(_) => Vec::new(),
            };
            for (i, item) in texts.try_iter()?.enumerate() {
                let item = item?;
                let s = item.cast::<PyString>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "texts[{i}] must be a str, not {}",
                        type_name(&item)
                    ))
                })?;
                owned.push(s.to_cow()?.into_owned());
            }
            let pool = pool(threads)?;
            let c = &self.inner;
            let mut verdicts = Vec::with_capacity(owned.len());
            for chunk in owned.chunks(CHUNK) {
                let part = py.detach(|| pool.install(|| c.classify_batch(chunk)));
                verdicts.extend(part);
                py.check_signals()?;
            }
            Ok(verdicts
                .into_iter()
                .zip(owned)
                .map(|(inner, text)| PyVerdict {
                    inner,
                    text: Some(text),
                })
                .collect())
        })
    }

    /// How one text is classified, as a dict: the folded text, the tokens,
    /// the concepts found, the rules that fired or were suppressed, and the
    /// verdict (what `inochi explain --json` prints).
    fn explain<'py>(&self, py: Python<'py>, text: String) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let c = &self.inner;
            let json = py.detach(|| {
                serde_json::to_string(&c.explain(&text)).expect("an explanation serializes")
            });
            json_loads(py, &json)
        })
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let p = self.inner.pack();
        format!(
            "Classifier(pack={})",
            repr_str(py, &format!("{} {}", p.name, p.version))
        )
    }
}

/// The thread pools of `classify_batch`, one per size, and the process that
/// started them.
struct Pools {
    pid: u32,
    pools: Vec<(usize, Arc<rayon::ThreadPool>)>,
}

/// A rayon pool of `threads` threads (`None`: rayon's default, one per core
/// or `RAYON_NUM_THREADS`), built once per size and process.
///
/// Never rayon's global pool: after `os.fork()` (multiprocessing, pre-fork
/// servers) a child has none of its parent's threads, and a pool started
/// before the fork would wait for them forever. A child builds its own.
fn pool(threads: Option<usize>) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: Mutex<Pools> = Mutex::new(Pools {
        pid: 0,
        pools: Vec::new(),
    });
    let n = match threads {
        Some(0) => {
            return Err(PyValueError::new_err(
                "threads must be at least 1 (or None for all cores)",
            ));
        }
        Some(n) => n,
        None => 0,
    };
    let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    if pools.pid != pid {
        // The parent's pools have no threads here; dropping one would try
        // to stop threads that do not exist, so they are left alone.
        std::mem::forget(std::mem::take(&mut pools.pools));
        pools.pid = pid;
    }
    if let Some((_, p)) = pools.pools.iter().find(|(k, _)| *k == n) {
        return Ok(p.clone());
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("inochi-{i}"))
        .build()
        .map_err(|e| InochiError::new_err(format!("cannot start a thread pool: {e}")))?;
    let p = Arc::new(p);
    pools.pools.push((n, p.clone()));
    Ok(p)
}

/// Classifies one post with the default classifier, built on first use and
/// shared by every thread.
#[pyfunction]
pub(crate) fn classify(py: Python<'_>, text: String) -> PyResult<PyVerdict> {
    static DEFAULT: OnceLock<Result<inochi::Classifier, String>> = OnceLock::new();
    guard(|| {
        // Built and used without the GIL: a second thread waiting for the
        // first build does not hold the GIL the first one might need.
        let inner = py.detach(|| {
            DEFAULT
                .get_or_init(|| inochi::Classifier::new().map_err(|e| e.to_string()))
                .as_ref()
                .map(|c| c.classify(&text))
                .map_err(|e| e.clone())
        });
        let inner = inner.map_err(InochiError::new_err)?;
        Ok(PyVerdict {
            inner,
            text: Some(text),
        })
    })
}

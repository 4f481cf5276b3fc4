//! `Classifier`: `classify` on the calling thread, `classifyBatch` off the
//! event loop.

use napi::bindgen_prelude::{Either, PromiseRaw, ToNapiValue};
use napi::{Env, Task};
use napi_derive::napi;

use crate::deliver::{self, Deferred};
use crate::error::{Code, Failure, error, guard, guarded};
use crate::types::{PackInfo, Verdict};

/// How to build a classifier. Without options: the embedded default packs
/// (Japanese and English) and the embedded IPADIC dictionary.
#[napi(object)]
pub struct ClassifierOptions {
    /// A rule pack file (TOML) to use instead of the embedded default pack.
    pub pack: Option<String>,
    /// Extension files (TOML) merged onto the pack, in order: add slang,
    /// disable a rule, change a threshold.
    pub extend: Option<Either<String, Vec<String>>>,
    /// A rule pack given as TOML text instead of a file (not with `pack`).
    pub pack_toml: Option<String>,
    /// Extensions given as TOML text, merged after the `extend` files.
    pub extend_toml: Option<Either<String, Vec<String>>>,
    /// A directory holding a compiled IPADIC, loaded at run time instead of
    /// the embedded one.
    pub dictionary: Option<String>,
}

fn list(v: Option<Either<String, Vec<String>>>) -> Vec<String> {
    match v {
        None => Vec::new(),
        Some(Either::A(one)) => vec![one],
        Some(Either::B(many)) => many,
    }
}

/// Classifies posts. Build one and share it: it is immutable and its
/// batches run in parallel.
#[napi]
pub struct Classifier {
    inner: inochi::Classifier,
}

#[napi]
impl Classifier {
    /// Builds a classifier: validates the pack, loads the dictionary, builds
    /// the automata. Throws `ERR_INOCHI_PACK` for an invalid pack,
    /// `ERR_INOCHI_IO` for an unreadable file, `ERR_INOCHI_DICTIONARY` for
    /// an unusable dictionary directory.
    #[napi(constructor)]
    pub fn new(options: Option<ClassifierOptions>) -> napi::Result<Classifier, Code> {
        guarded("new Classifier", || {
            let mut builder = inochi::Classifier::builder();
            if let Some(o) = options {
                if o.pack.is_some() && o.pack_toml.is_some() {
                    return Err(Failure(
                        Code::Arg,
                        "give either `pack` (a file) or `packToml` (TOML text), not both".into(),
                    ));
                }
                if let Some(p) = &o.pack {
                    builder = builder.pack_file(p);
                }
                if let Some(t) = &o.pack_toml {
                    builder = builder.pack_toml("packToml", t);
                }
                for f in list(o.extend) {
                    builder = builder.extend_file(f);
                }
                for (i, t) in list(o.extend_toml).iter().enumerate() {
                    builder = builder.extend_toml(&format!("extendToml[{i}]"), t);
                }
                if let Some(d) = &o.dictionary {
                    builder = builder.dictionary_dir(d);
                }
            }
            Ok(Classifier {
                inner: builder.build()?,
            })
        })
    }

    /// The rule pack in use: name, version and content hash.
    #[napi(getter)]
    pub fn pack(&self) -> PackInfo {
        self.inner.pack().into()
    }

    /// Classifies one post, on the calling thread (typically well under a
    /// millisecond; use `classifyBatch` for many posts).
    #[napi]
    pub fn classify(&self, text: String) -> napi::Result<Verdict, Code> {
        guarded("classify", || {
            Ok(Verdict::for_text(self.inner.classify(&text), &text))
        })
    }

    /// Classifies one post and returns the verdict as the canonical JSON
    /// line of the CLI (snake_case fields; `inochi classify` prints the same
    /// object after the input's own fields).
    #[napi]
    pub fn classify_json(&self, text: String) -> napi::Result<String, Code> {
        guarded("classifyJson", || Ok(self.inner.classify(&text).to_json()))
    }

    /// Classifies many posts in parallel, off the event loop; the verdicts
    /// keep the order of `texts`. The results are handed over a few
    /// milliseconds at a time, so even a batch of many thousands of posts
    /// does not stall timers or I/O.
    #[napi(ts_return_type = "Promise<Verdict[]>")]
    pub fn classify_batch<'env>(
        &self,
        env: &'env Env,
        texts: Vec<String>,
    ) -> napi::Result<PromiseRaw<'env, Vec<Verdict>>, Code> {
        let task = ClassifyBatch {
            classifier: self.inner.clone(),
            texts,
            deferred: None,
        };
        spawn(env, task, |t, d| t.deferred = Some(d))
    }

    /// `classifyBatch`, with every verdict as its canonical JSON line.
    #[napi(ts_return_type = "Promise<string[]>")]
    pub fn classify_batch_json<'env>(
        &self,
        env: &'env Env,
        texts: Vec<String>,
    ) -> napi::Result<PromiseRaw<'env, Vec<String>>, Code> {
        let task = ClassifyBatchJson {
            classifier: self.inner.clone(),
            texts,
            deferred: None,
        };
        spawn(env, task, |t, d| t.deferred = Some(d))
    }
}

/// Makes a promise, hands its resolver to `task` and runs the task on
/// libuv's thread pool; the task settles the promise.
fn spawn<'env, T, R>(
    env: &'env Env,
    mut task: T,
    attach: impl FnOnce(&mut T, Deferred),
) -> napi::Result<PromiseRaw<'env, R>, Code>
where
    T: Task + 'static,
{
    let (deferred, promise) = deliver::promise(env.raw()).map_err(napi::Error::from)?;
    attach(&mut task, deferred);
    // The work's own promise always resolves (to undefined): results and
    // failures go through `deferred`.
    env.spawn(task)
        .map_err(|e| error(Code::Other, format!("cannot queue the batch: {e}")))?;
    Ok(PromiseRaw::new(env.raw(), promise))
}

/// The work of `classifyBatch`, done on libuv's thread pool.
pub struct ClassifyBatch {
    classifier: inochi::Classifier,
    texts: Vec<String>,
    deferred: Option<Deferred>,
}

impl Task for ClassifyBatch {
    type Output = Result<Vec<Verdict>, Failure>;
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let texts = std::mem::take(&mut self.texts);
        Ok(guard("classifyBatch", || {
            Ok(self
                .classifier
                .classify_batch(&texts)
                .into_iter()
                .zip(&texts)
                .map(|(v, t)| Verdict::for_text(v, t))
                .collect())
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<()> {
        settle(env, self.deferred.take(), output);
        Ok(())
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<()> {
        settle::<Verdict>(
            env,
            self.deferred.take(),
            Err(Failure(Code::Other, err.reason)),
        );
        Ok(())
    }
}

/// The work of `classifyBatchJson`, done on libuv's thread pool.
pub struct ClassifyBatchJson {
    classifier: inochi::Classifier,
    texts: Vec<String>,
    deferred: Option<Deferred>,
}

impl Task for ClassifyBatchJson {
    type Output = Result<Vec<String>, Failure>;
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let texts = std::mem::take(&mut self.texts);
        Ok(guard("classifyBatchJson", || {
            Ok(self
                .classifier
                .classify_batch(&texts)
                .iter()
                .map(inochi::Verdict::to_json)
                .collect())
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<()> {
        settle(env, self.deferred.take(), output);
        Ok(())
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<()> {
        settle::<String>(
            env,
            self.deferred.take(),
            Err(Failure(Code::Other, err.reason)),
        );
        Ok(())
    }
}

/// On the JavaScript thread: hands the results over (a slice at a time) or
/// rejects with the failure.
fn settle<T: ToNapiValue + 'static>(
    env: Env,
    deferred: Option<Deferred>,
    output: Result<Vec<T>, Failure>,
) {
    let Some(deferred) = deferred else { return };
    match output {
        Ok(items) => deliver::start(env.raw(), items, deferred),
        Err(f) => deliver::reject(env.raw(), deferred, f),
    }
}

/// Internal, for the test suite only: panics inside the library, either
/// synchronously (`"sync"`) or on the thread pool as `classifyBatch` works
/// (`"async"`), to show that a panic becomes an `ERR_INOCHI_PANIC` error.
#[napi(js_name = "__panicForTests", ts_return_type = "void | Promise<void>")]
pub fn panic_for_tests<'env>(
    env: &'env Env,
    mode: String,
) -> napi::Result<Either<(), PromiseRaw<'env, Vec<String>>>, Code> {
    match mode.as_str() {
        "sync" => guarded("__panicForTests", || -> Result<(), Failure> {
            panic!("deliberate panic (sync)")
        })
        .map(Either::A),
        "async" => spawn(env, PanicTask { deferred: None }, |t, d| {
            t.deferred = Some(d)
        })
        .map(Either::B),
        other => Err(error(
            Code::Arg,
            format!("mode {other:?}: use \"sync\" or \"async\""),
        )),
    }
}

/// The thread-pool half of [`panic_for_tests`].
pub struct PanicTask {
    deferred: Option<Deferred>,
}

impl Task for PanicTask {
    type Output = Result<Vec<String>, Failure>;
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guard(
            "__panicForTests",
            || -> Result<Vec<String>, Failure> { panic!("deliberate panic (async)") },
        ))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<()> {
        settle(env, self.deferred.take(), output);
        Ok(())
    }
}

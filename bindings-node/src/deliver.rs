//! Hands a batch's results to JavaScript without stalling the event loop.
//!
//! The classification runs on libuv's thread pool, but JavaScript objects
//! can only be made on the JavaScript thread, and making them is not free:
//! a verdict with its labels and evidence costs some 15 µs, so the 60,000
//! verdicts of a large batch would hold the event loop for about a second
//! if converted in one go. Instead the results are written into the result
//! array a time slice (a few milliseconds) at a time, with `setImmediate`
//! between slices so that timers and I/O run, and the promise is resolved
//! when the array is full.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;
use std::time::{Duration, Instant};

use napi::bindgen_prelude::{JsError, ToNapiValue};
use napi::sys;

use crate::error::{Code, Failure};

/// How long one slice may hold the event loop.
const SLICE: Duration = Duration::from_millis(4);

/// The name of the `setImmediate` callback, as stack traces show it.
const NAME: &str = "inochiDeliver";

/// The resolver of a promise made by [`promise`]. It is only ever used on
/// the JavaScript thread; it crosses the thread pool inside a task
/// untouched, hence `Send`.
pub struct Deferred(sys::napi_deferred);

// SAFETY: a `napi_deferred` is an opaque handle; this type only moves it
// between threads, and every use (resolve, reject) happens on the
// JavaScript thread that made it, from a task's `resolve`/`reject` or a
// `setImmediate` callback.
unsafe impl Send for Deferred {}

fn check(status: sys::napi_status, what: &str) -> Result<(), Failure> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Failure(
            Code::Other,
            format!("{what} failed with napi status {status}"),
        ))
    }
}

/// A new promise and its resolver.
pub fn promise(env: sys::napi_env) -> Result<(Deferred, sys::napi_value), Failure> {
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    // SAFETY: called on the JavaScript thread with its env.
    check(
        unsafe { sys::napi_create_promise(env, &mut deferred, &mut promise) },
        "napi_create_promise",
    )?;
    Ok((Deferred(deferred), promise))
}

/// Rejects the promise with an `Error` carrying the failure's `code`.
pub fn reject(env: sys::napi_env, deferred: Deferred, failure: Failure) {
    // SAFETY: on the JavaScript thread; the deferred is settled once, here.
    unsafe {
        let error = JsError::from(napi::Error::from(failure)).into_value(env);
        sys::napi_reject_deferred(env, deferred.0, error);
    }
}

/// Results still to hand over, and where.
struct Delivery<T> {
    items: std::vec::IntoIter<T>,
    next: u32,
    deferred: Deferred,
}

/// Resolves the promise of `deferred` with an array of `items`, converted a
/// slice at a time. Call on the JavaScript thread.
pub fn start<T: ToNapiValue + 'static>(env: sys::napi_env, items: Vec<T>, deferred: Deferred) {
    let mut array = ptr::null_mut();
    // SAFETY: on the JavaScript thread.
    let made = check(
        unsafe { sys::napi_create_array_with_length(env, items.len(), &mut array) },
        "napi_create_array_with_length",
    );
    if let Err(f) = made {
        reject(env, deferred, f);
        return;
    }
    let delivery = Box::new(Delivery {
        items: items.into_iter(),
        next: 0,
        deferred,
    });
    step(env, array, delivery);
}

/// Converts for one time slice, then resolves or schedules the next slice.
fn step<T: ToNapiValue + 'static>(
    env: sys::napi_env,
    array: sys::napi_value,
    mut d: Box<Delivery<T>>,
) {
    let started = Instant::now();
    let filled = catch_unwind(AssertUnwindSafe(|| -> Result<bool, Failure> {
        while let Some(item) = d.items.next() {
            // SAFETY: on the JavaScript thread; `array` is alive (held by
            // the current callback's scope or by the pending immediate).
            unsafe {
                let value = T::to_napi_value(env, item)
                    .map_err(|e| Failure(Code::Other, e.reason.clone()))?;
                check(
                    sys::napi_set_element(env, array, d.next, value),
                    "napi_set_element",
                )?;
            }
            d.next += 1;
            if d.items.len() > 0 && started.elapsed() >= SLICE {
                return Ok(false);
            }
        }
        Ok(true)
    }));
    let filled = match filled {
        Ok(r) => r,
        Err(_) => Err(Failure(
            Code::Panic,
            "inochi panicked while converting results; this is a bug in inochi, please report it"
                .into(),
        )),
    };
    match filled {
        Ok(true) => {
            // SAFETY: on the JavaScript thread; settled once, here.
            unsafe { sys::napi_resolve_deferred(env, d.deferred.0, array) };
        }
        Ok(false) => {
            if let Err((d, f)) = schedule(env, array, d) {
                reject(env, d.deferred, f);
            }
        }
        Err(f) => reject(env, d.deferred, f),
    }
}

type Scheduled<T> = Result<(), (Box<Delivery<T>>, Failure)>;

/// `setImmediate(resume, array)`, with the delivery as the callback's data.
fn schedule<T: ToNapiValue + 'static>(
    env: sys::napi_env,
    array: sys::napi_value,
    d: Box<Delivery<T>>,
) -> Scheduled<T> {
    let data = Box::into_raw(d);
    // SAFETY: on the JavaScript thread. `data` is owned by the callback,
    // which runs exactly once (setImmediate) and takes it back; on any
    // failure before the callback is scheduled it is taken back here.
    unsafe {
        let fail = |f: Failure| (Box::from_raw(data), f);
        let mut global = ptr::null_mut();
        check(sys::napi_get_global(env, &mut global), "napi_get_global").map_err(fail)?;
        let mut set_immediate = ptr::null_mut();
        check(
            sys::napi_get_named_property(env, global, c"setImmediate".as_ptr(), &mut set_immediate),
            "reading setImmediate",
        )
        .map_err(fail)?;
        let mut resume_fn = ptr::null_mut();
        check(
            sys::napi_create_function(
                env,
                NAME.as_ptr().cast(),
                NAME.len() as isize,
                Some(resume::<T>),
                data.cast(),
                &mut resume_fn,
            ),
            "napi_create_function",
        )
        .map_err(fail)?;
        let args = [resume_fn, array];
        let mut result = ptr::null_mut();
        check(
            sys::napi_call_function(
                env,
                global,
                set_immediate,
                args.len(),
                args.as_ptr(),
                &mut result,
            ),
            "calling setImmediate",
        )
        .map_err(fail)?;
    }
    Ok(())
}

/// The `setImmediate` callback: `(array)`, with the delivery as data.
unsafe extern "C" fn resume<T: ToNapiValue + 'static>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let mut argc = 1usize;
    let mut argv = [ptr::null_mut(); 1];
    let mut data = ptr::null_mut();
    // SAFETY: napi calls this on the JavaScript thread with valid `info`.
    let status = unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            argv.as_mut_ptr(),
            ptr::null_mut(),
            &mut data,
        )
    };
    if status != sys::Status::napi_ok || data.is_null() {
        // Without its data the delivery cannot go on; nothing to free.
        return ptr::null_mut();
    }
    // SAFETY: `data` is the box `schedule` leaked for this one call.
    let d = unsafe { Box::from_raw(data.cast::<Delivery<T>>()) };
    step(env, argv[0], d);
    ptr::null_mut()
}

//! Arbitrary bytes as a rule pack's TOML: `Pack::from_toml` and `Pack::default_pack().extend`
//! return a pack or a typed `PackError`, never panic. Building a classifier per input (dictionary
//! load, model parse) would cost more than the parse itself, so it is left to the hostile tests.
#![no_main]

use std::sync::LazyLock;

use inochi::Pack;
use libfuzzer_sys::fuzz_target;

static BASE: LazyLock<Pack> = LazyLock::new(Pack::default_pack);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(pack) = Pack::from_toml("fuzz.toml", text) {
        let _ = pack.info();
        let _ = pack.rules().count();
    }
    if let Ok(pack) = BASE.extend("fuzz-extend.toml", text) {
        let _ = pack.rules().count();
    }
});

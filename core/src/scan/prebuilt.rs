//! The default pack's trigger automaton, built by build.rs.
//!
//! Building the trigger automaton (an Aho-Corasick DFA over 2,127 forms)
//! was the largest part of `Classifier::new()`: about 24 ms of some 55.
//! build.rs computes the default pack's trigger list with the code the
//! runtime uses (`Forms::of`), determinizes it into a regex-automata dense
//! DFA and serializes that; here it is read in place from the binary,
//! without copying. It is used only for a pack whose trigger list is byte
//! for byte the one it was built from; any other pack builds its automaton
//! at run time, as before.

use regex_automata::dfa::dense::DFA;
use regex_automata::util::wire::AlignAs;

use super::forms::key;

/// The trigger list build.rs built the automaton from, as `key` writes it.
static KEY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/trigger.key"));

/// The serialized DFA, in the target's byte order. A dense DFA is read in
/// place as `u32`s, so the bytes must start on a 4-byte boundary: the
/// zero-length `[u32; 0]` field gives the static that alignment.
static DFA_BYTES: &AlignAs<[u8], u32> = &AlignAs {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/trigger.dfa")),
};

/// The prebuilt automaton when `triggers` is the list it was built from.
///
/// `from_bytes` checks every transition of the table (1–2 ms at
/// start-up; skipping that takes `unsafe`, which this crate has none of),
/// so a table that is not a valid DFA is refused rather than trusted; a
/// refusal falls back to building, like any other pack.
pub(super) fn trigger(triggers: &[String]) -> Option<DFA<&'static [u32]>> {
    if key(triggers) != KEY {
        return None;
    }
    DFA::from_bytes(&DFA_BYTES.bytes).ok().map(|(dfa, _)| dfa)
}

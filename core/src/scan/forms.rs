//! The pack's surface forms as the scan's automata search for them.
//!
//! Shared with build.rs (which includes this file): the default pack's
//! trigger automaton is built there, at compile time, from the pattern list
//! this computes, and the runtime uses it only for a pack whose list is
//! exactly the same (see `key`). One function for both sides is what makes
//! that comparison mean "the automaton the runtime would have built".

use std::collections::HashMap;

use crate::fold::{Folder, kana_fold};
use crate::pack::Pack;

/// Every form of a pack, folded and kana-folded as the text will be.
pub(crate) struct Forms {
    /// Every distinct spelling of every form, for the full scan.
    pub(crate) patterns: Vec<String>,
    /// For each of `patterns`: the concepts it belongs to.
    pub(crate) owners: Vec<Vec<usize>>,
    /// The spellings of the anchor concepts' forms, in pack order (with
    /// repeats), for the trigger automaton: its leftmost-first matches
    /// depend on this order.
    pub(crate) triggers: Vec<String>,
}

impl Forms {
    pub(crate) fn of(pack: &Pack, folder: &Folder) -> Forms {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut triggers: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (ci, c) in pack.concepts.iter().enumerate() {
            for form in &c.forms {
                let (folded, plain) = folder.fold_both(form);
                let (folded, plain) = (kana_fold(folded.as_str()), kana_fold(plain.as_str()));
                let spellings = if plain == folded {
                    vec![folded]
                } else {
                    vec![folded, plain]
                };
                for p in spellings {
                    if p.is_empty() {
                        continue;
                    }
                    if c.anchor {
                        triggers.push(p.clone());
                    }
                    match index.get(&p) {
                        Some(&i) => {
                            if !owners[i].contains(&ci) {
                                owners[i].push(ci)
                            }
                        }
                        None => {
                            index.insert(p.clone(), patterns.len());
                            patterns.push(p);
                            owners.push(vec![ci]);
                        }
                    }
                }
            }
        }
        Forms {
            patterns,
            owners,
            triggers,
        }
    }
}

/// The trigger patterns as one byte string: each pattern's length (`u64`,
/// little endian) and bytes, in order. Two lists give the same key exactly
/// when they are the same list, so an automaton built from one key is the
/// automaton of every list with that key (a separator could not tell
/// `["a\nb"]` from `["a", "b"]`: forms may hold line breaks).
pub(crate) fn key(triggers: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(triggers.iter().map(|t| t.len() + 8).sum());
    for t in triggers {
        out.extend_from_slice(&(t.len() as u64).to_le_bytes());
        out.extend_from_slice(t.as_bytes());
    }
    out
}

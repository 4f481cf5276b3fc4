//! The model's n-gram table: the chars of its n-grams numbered, every
//! n-gram placed in an open-addressing table, one row of numbers per
//! feature, and the binary form of all three.
//!
//! It is built from a model file's entries once, and for the embedded
//! default model at compile time: build.rs includes this file (it uses
//! only `std`), lays out the table and writes it, so that
//! `Classifier::new()` copies the table instead of building it (the build
//! was a third of start-up). A model read at run time from a TSV
//! (`Builder::model_file`) is built the same way by the same code.

/// The longest n-gram a model may use: three char ids fill the key of a
/// [`GramTable`] slot (see [`Grams::new`] for the budget of bits).
pub(crate) const MAX_N: usize = 3;

/// The chars the model's n-grams are made of, each numbered from 1 (0: a
/// char in no n-gram, which ends every n-gram running through it).
///
/// Two levels, by the char's high bits and then its low byte: the model's
/// few thousand chars sit in a few dozen pages of 256 (Latin, kana, the
/// common kanji), so the map is tens of kilobytes and stays in cache,
/// where a hash lookup per char did not.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CharIds {
    // char >> 8 → 1 + index of its page in `ids`, or 0
    pages: Vec<u16>,
    // pages of 256 ids, one per low byte
    ids: Vec<u16>,
    count: u32,
}

impl CharIds {
    fn new() -> CharIds {
        CharIds {
            pages: vec![0; (char::MAX as usize >> 8) + 1],
            ids: Vec::new(),
            count: 0,
        }
    }

    pub(crate) fn get(&self, c: char) -> u16 {
        let c = c as usize;
        match self.pages[c >> 8] {
            0 => 0,
            page => self.ids[(usize::from(page) - 1) * 256 + (c & 0xff)],
        }
    }

    /// The id of `c`, numbering it if it is new; `None` past 65,535 chars.
    fn add(&mut self, c: char) -> Option<u16> {
        let known = self.get(c);
        if known != 0 {
            return Some(known);
        }
        let id = u16::try_from(self.count + 1).ok()?;
        let at = c as usize >> 8;
        if self.pages[at] == 0 {
            self.ids.resize(self.ids.len() + 256, 0);
            self.pages[at] = u16::try_from(self.ids.len() / 256).ok()?;
        }
        let page = usize::from(self.pages[at]) - 1;
        self.ids[page * 256 + (c as usize & 0xff)] = id;
        self.count += 1;
        Some(id)
    }
}

/// The model's n-grams of two chars or more: an open-addressing table whose
/// slots are one `u64` each, the n-gram's key (its char ids side by side)
/// above the feature index. Scoring looks up about two n-grams per char of
/// every post, so this lookup is most of what the model costs; eight-byte
/// slots keyed by small ids make the table a quarter of one keyed by whole
/// chars, and most lookups stay in the L2 cache.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GramTable {
    // key << feature_bits | feature; 0 marks an empty slot (no key is 0)
    slots: Vec<u64>,
    feature_bits: u32,
}

impl GramTable {
    /// A table for `entries` n-grams, at most two thirds full.
    fn new(entries: usize, feature_bits: u32) -> GramTable {
        GramTable {
            slots: vec![0; (entries.max(8) * 3 / 2).next_power_of_two()],
            feature_bits,
        }
    }

    fn home(&self, key: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    pub(crate) fn get(&self, key: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let slot = self.slots[at];
            if slot >> self.feature_bits == key {
                return Some((slot & ((1 << self.feature_bits) - 1)) as u32);
            }
            if slot == 0 {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Inserts a key not in the table yet; the table is sized for every
    /// entry up front and never grows.
    fn insert(&mut self, key: u64, feature: u32) {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = key << self.feature_bits | u64::from(feature);
    }
}

/// Every n-gram of a model: the ids of its chars, each char's 1-gram
/// feature, and the table of longer n-grams.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Grams {
    pub(crate) chars: CharIds,
    // char id → its 1-gram's feature, or `NO_FEATURE`
    pub(crate) unigrams: Vec<u32>,
    pub(crate) table: GramTable,
    // bits per char id in a key
    pub(crate) id_bits: u32,
    // the feature of a 2-gram that is only the prefix of 3-grams
    pub(crate) filler: u32,
}

pub(crate) const NO_FEATURE: u32 = u32::MAX;

/// One n-gram as a model file lists it: up to [`MAX_N`] chars, how many it
/// had (one more than [`MAX_N`] for a longer one), idf and weights.
pub(crate) struct Entry {
    pub(crate) chars: [char; MAX_N],
    pub(crate) len: usize,
    pub(crate) idf: f64,
    pub(crate) weights: [f64; 6],
}

impl Grams {
    /// Numbers the chars, then places every n-gram. A 3-gram whose 2-gram
    /// prefix is no feature gets that prefix in the table as a filler that
    /// counts for nothing, so that the scorer stops extending an n-gram as
    /// soon as it is not in the table: in a post most n-grams end there
    /// after one or two chars.
    ///
    /// A key holds three ids and the feature index in 64 bits; a model too
    /// large for that (tens of thousands of distinct chars and millions of
    /// features) is refused.
    pub(crate) fn new(
        (min_n, max_n): (usize, usize),
        entries: &[&Entry],
        rows: &mut Vec<Row>,
    ) -> Result<Grams, String> {
        // An n-gram longer than the model's can never be looked up; one
        // shorter than min_n is kept with no weight (scikit-learn never
        // counts it) as the prefix it is.
        let entries: Vec<&Entry> = entries
            .iter()
            .copied()
            .filter(|e| (1..=max_n).contains(&e.len))
            .collect();
        let mut chars = CharIds::new();
        for e in &entries {
            for &c in &e.chars[..e.len] {
                chars.add(c).ok_or("uses more than 65,535 distinct chars")?;
            }
        }
        let id_bits = 32 - chars.count.leading_zeros();
        let key = |cs: &[char]| {
            cs.iter()
                .fold(0u64, |k, &c| k << id_bits | u64::from(chars.get(c)))
        };
        let longer = entries.iter().filter(|e| e.len >= 2).count();
        // Feature indices, and one more for `filler`.
        let features = entries.len() + 1;
        let feature_bits = usize::BITS - features.leading_zeros();
        let filler = (1u32 << feature_bits) - 1;
        if MAX_N as u32 * id_bits + feature_bits > 64 {
            return Err(format!(
                "has {} distinct chars and {features} n-grams: too many for 64-bit keys",
                chars.count
            ));
        }
        let mut unigrams = vec![NO_FEATURE; chars.count as usize + 1];
        // (key, feature) of every n-gram the table holds, fillers last; the
        // set finds a key listed twice.
        let mut long: Vec<(u64, u32)> = Vec::with_capacity(longer);
        let mut seen = std::collections::HashSet::with_capacity(longer);
        for e in &entries {
            let index = u32::try_from(rows.len()).map_err(|_| "is past 2^32 features")?;
            let fresh = if e.len == 1 {
                let slot = &mut unigrams[usize::from(chars.get(e.chars[0]))];
                std::mem::replace(slot, index) == NO_FEATURE
            } else {
                let k = key(&e.chars[..e.len]);
                long.push((k, index));
                seen.insert(k)
            };
            if !fresh {
                return Err(format!("n-gram {:?} is listed twice", &e.chars[..e.len]));
            }
            rows.push(if e.len >= min_n {
                Row {
                    idf: e.idf as f32,
                    weights: e.weights.map(|w| w as f32),
                }
            } else {
                Row::default()
            });
        }
        for e in entries.iter().filter(|e| e.len == 3) {
            let prefix = key(&e.chars[..2]);
            if seen.insert(prefix) {
                long.push((prefix, filler));
            }
        }
        let mut table = GramTable::new(long.len(), feature_bits);
        for (k, f) in long {
            table.insert(k, f);
        }
        Ok(Grams {
            chars,
            unigrams,
            table,
            id_bits,
            filler,
        })
    }
}

/// One feature's numbers. f32: the model file prints six significant
/// digits, and half the bytes per row is half the cache misses when a
/// post's n-grams are summed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Row {
    pub(crate) idf: f32,
    // one weight per column of the model file
    pub(crate) weights: [f32; 6],
}

/// The binary form of a built table: little-endian numbers, each array
/// after its `u32` length. `Grams::read` takes what `Grams::write` gave.
impl Grams {
    /// Appends the table and the feature rows to `out`.
    // Called by build.rs, which includes this file, and by a unit test.
    #[allow(dead_code)]
    pub(crate) fn write(&self, rows: &[Row], out: &mut Vec<u8>) {
        let len = |out: &mut Vec<u8>, n: usize| {
            out.extend_from_slice(&u32::try_from(n).expect("arrays under 2^32").to_le_bytes())
        };
        for n in [
            self.chars.count,
            self.id_bits,
            self.filler,
            self.table.feature_bits,
        ] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for a in [&self.chars.pages, &self.chars.ids] {
            len(out, a.len());
            a.iter()
                .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        }
        len(out, self.unigrams.len());
        self.unigrams
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        len(out, self.table.slots.len());
        self.table
            .slots
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        len(out, rows.len());
        for r in rows {
            out.extend_from_slice(&r.idf.to_le_bytes());
            r.weights
                .iter()
                .for_each(|w| out.extend_from_slice(&w.to_le_bytes()));
        }
    }

    /// Reads what [`Grams::write`] wrote, refusing a truncated or
    /// inconsistent form (an index past its array) instead of panicking
    /// on it later.
    pub(crate) fn read(bytes: &[u8]) -> Result<(Grams, Vec<Row>), String> {
        let mut r = Reader(bytes);
        let (count, id_bits, filler, feature_bits) = (r.u32()?, r.u32()?, r.u32()?, r.u32()?);
        let pages: Vec<u16> = r.array(2, |c| u16::from_le_bytes([c[0], c[1]]))?;
        let ids: Vec<u16> = r.array(2, |c| u16::from_le_bytes([c[0], c[1]]))?;
        let unigrams: Vec<u32> = r.array(4, |c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))?;
        let slots: Vec<u64> = r.array(8, |c| u64::from_le_bytes(c.try_into().expect("8 bytes")))?;
        let rows: Vec<Row> = r.array(28, |c| {
            let f = |k: usize| f32::from_le_bytes(c[k * 4..k * 4 + 4].try_into().expect("4"));
            Row {
                idf: f(0),
                weights: std::array::from_fn(|k| f(k + 1)),
            }
        })?;
        if !r.0.is_empty() {
            return Err("trailing bytes".to_string());
        }
        // What scoring indexes must lie inside what it indexes.
        let consistent = pages.len() == (char::MAX as usize >> 8) + 1
            && pages.iter().all(|&p| usize::from(p) * 256 <= ids.len())
            && ids.iter().all(|&i| usize::from(i) < unigrams.len())
            && unigrams.len() == count as usize + 1
            && unigrams
                .iter()
                .all(|&f| f == NO_FEATURE || (f as usize) < rows.len())
            && slots.len().is_power_of_two()
            // A lookup probes until it meets its key or an empty slot.
            && slots.contains(&0)
            && feature_bits < 64
            && slots.iter().all(|&s| {
                let f = (s & ((1 << feature_bits) - 1)) as u32;
                s == 0 || f == filler || (f as usize) < rows.len()
            });
        if !consistent {
            return Err("inconsistent table".to_string());
        }
        let grams = Grams {
            chars: CharIds { pages, ids, count },
            unigrams,
            table: GramTable {
                slots,
                feature_bits,
            },
            id_bits,
            filler,
        };
        Ok((grams, rows))
    }
}

/// A cursor over the binary form.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("truncated".to_string());
        }
        let (chunk, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(chunk)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    /// A `u32` length, then that many items of `size` bytes each.
    fn array<T>(&mut self, size: usize, item: impl Fn(&[u8]) -> T) -> Result<Vec<T>, String> {
        let n = self.u32()? as usize;
        let bytes = n.checked_mul(size).ok_or("array too long")?;
        Ok(self.take(bytes)?.chunks_exact(size).map(item).collect())
    }
}

/// The lines of a model file after its header: the intercepts (`None`
/// if no `intercept` line) and one entry per n-gram. `origin` names the
/// file in errors, with line numbers counted from the header's line 1.
pub(crate) fn parse_rows<'a>(
    origin: &str,
    lines: impl Iterator<Item = &'a str>,
) -> Result<(Option<[f64; 6]>, Vec<Entry>), String> {
    let weights = |cols: &mut dyn Iterator<Item = &str>, line: usize| -> Result<[f64; 6], String> {
        let mut w = [0.0; 6];
        for slot in w.iter_mut() {
            *slot = cols
                .next()
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("{origin}:{line}: expected 6 finite weights"))?;
        }
        Ok(w)
    };
    let mut intercept = None;
    let mut entries = Vec::new();
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        let mut cols = line.split('\t');
        let key = cols.next().unwrap_or_default();
        if key == "intercept" {
            intercept = Some(weights(&mut cols, n)?);
            continue;
        }
        let idf: f64 = cols
            .next()
            .and_then(|v| v.parse().ok())
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("{origin}:{n}: bad idf"))?;
        let weights = weights(&mut cols, n)?;
        let mut chars = [char::default(); MAX_N];
        let mut len = 0;
        for c in Unescape(key.chars()) {
            if len == MAX_N {
                len += 1;
                break;
            }
            chars[len] = c;
            len += 1;
        }
        entries.push(Entry {
            chars,
            len,
            idf,
            weights,
        });
    }
    Ok((intercept, entries))
}

/// The table and rows of a model's entries. Features are numbered from
/// the most common (lowest idf) down: the rows and scratch slots every
/// post touches then share a few cache lines instead of lying scattered
/// in the order of the file.
pub(crate) fn build(range: (usize, usize), entries: &[Entry]) -> Result<(Grams, Vec<Row>), String> {
    let mut by_idf: Vec<&Entry> = entries.iter().collect();
    by_idf.sort_by(|a, b| a.idf.total_cmp(&b.idf));
    let mut rows = Vec::with_capacity(entries.len());
    let grams = Grams::new(range, &by_idf, &mut rows)?;
    Ok((grams, rows))
}

/// The chars of an n-gram as written in the model file, where `\t`, `\n`
/// and `\\` are escaped.
pub(crate) struct Unescape<I>(pub(crate) I);

impl<I: Iterator<Item = char>> Iterator for Unescape<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self.0.next()? {
            '\\' => Some(match self.0.next() {
                Some('t') => '\t',
                Some('n') => '\n',
                Some(o) => o,
                None => '\\',
            }),
            c => Some(c),
        }
    }
}

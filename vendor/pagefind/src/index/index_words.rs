use minicbor::Encode;

/// The word index chunks in `pagefind/index/`

/// A single word index chunk: `pagefind/index/*.pf_index`
#[derive(Encode)]
pub struct WordIndex {
    #[n(0)]
    pub words: Vec<PackedWord>,
}

/// A single word as an inverse index of all locations on the site
#[derive(Encode, Clone, Debug)]
pub struct PackedWord {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub pages: PackedPages,
    #[n(2)]
    pub additional_variants: Vec<PackedVariant>,
}

/// A variant of a word with different diacritics (e.g., "café" vs "cafe")
#[derive(Encode, Clone, Debug)]
pub struct PackedVariant {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: PackedPages,
}

/// planbook patch: a page's body words with their locations packed as the
/// index packs them (`index::pack_words`, on the parsing thread): for each
/// word, its own locations and each original (diacritic) form's, as
/// ranges of one byte string in which each list is a CBOR array of `i32`,
/// as the index writes it. Words are in order.
#[derive(Encode, minicbor::Decode, Clone, Debug, Default, PartialEq)]
pub struct PackedPageWords {
    #[n(0)]
    pub words: Vec<PackedPageWord>,
    #[cbor(n(1), with = "minicbor::bytes")]
    pub bytes: Vec<u8>,
}

/// One word of [`PackedPageWords`].
#[derive(Encode, minicbor::Decode, Clone, Debug, Default, PartialEq)]
pub struct PackedPageWord {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub locs: Option<Locs>,
    #[n(2)]
    pub variants: Vec<(String, Locs)>,
}

/// A list of `count` locations: `bytes[start..end]` of [`PackedPageWords`].
#[derive(Encode, minicbor::Decode, Clone, Copy, Debug, Default, PartialEq)]
pub struct Locs {
    #[n(0)]
    pub count: u32,
    #[n(1)]
    pub start: u32,
    #[n(2)]
    pub end: u32,
}

impl PackedPageWords {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Encodes `locs` after the lists before.
    pub fn push_locs(&mut self, locs: &[i32]) -> Locs {
        let start = self.bytes.len() as u32;
        encode_locs(&mut self.bytes, locs);
        Locs {
            count: u32::try_from(locs.len()).unwrap_or(u32::MAX),
            start,
            end: self.bytes.len() as u32,
        }
    }

    /// The encoded list of `locs`.
    pub fn get(&self, locs: Locs) -> Option<&[u8]> {
        self.bytes.get(locs.start as usize..locs.end as usize)
    }

    /// Whether the words are in order, each once, and each list of
    /// locations is a whole CBOR array of its count of `i32`s (bytes read
    /// back from a cache go into the index as they are).
    pub fn is_valid(&self) -> bool {
        let in_order = self
            .words
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.word < b.word));
        in_order
            && self.words.iter().all(|w| {
                w.locs
                    .iter()
                    .chain(w.variants.iter().map(|(_, l)| l))
                    .all(|&l| self.get(l).is_some_and(|bytes| valid_locs(l.count, bytes)))
            })
    }
}

/// Whether `bytes` is a CBOR array of `count` `i32`s and nothing else.
fn valid_locs(count: u32, bytes: &[u8]) -> bool {
    let mut rest = bytes;
    let mut next = |majors: &[u8]| -> Option<u64> {
        let (&first, tail) = rest.split_first()?;
        if !majors.contains(&(first >> 5)) {
            return None;
        }
        let (n, tail) = match first & 0x1f {
            n @ 0..=23 => (u64::from(n), tail),
            24 => (u64::from(*tail.first()?), tail.get(1..)?),
            25 => (u64::from(u16::from_be_bytes(tail.get(..2)?.try_into().ok()?)), tail.get(2..)?),
            26 => (u64::from(u32::from_be_bytes(tail.get(..4)?.try_into().ok()?)), tail.get(4..)?),
            _ => return None,
        };
        rest = tail;
        Some(n)
    };
    if next(&[4]) != Some(u64::from(count)) {
        return false;
    }
    for _ in 0..count {
        match next(&[0, 1]) {
            Some(n) if n <= i32::MAX as u64 => {}
            _ => return false,
        }
    }
    rest.is_empty()
}

/// planbook patch: a word's pages, each its locations already encoded as
/// the index writes them. Upstream kept a `PackedPage { page_number, locs:
/// Vec<i32>, meta_locs: Vec<i32> }` for each word of each page (five
/// million of them at 10,000 plans, each with its own allocation) and
/// encoded them at the end; this holds one byte string per word instead.
/// It encodes as upstream's `Vec<PackedPage>` with the page numbers
/// delta-encoded: an array of `[page delta, locs, meta_locs]`, in page
/// order.
#[derive(Clone, Debug, Default)]
pub struct PackedPages {
    /// Each page with body locations, in page order: its number and where
    /// its encoded locations end in `locs`.
    pages: Vec<(u32, u32)>,
    /// The pages' body locations, each page's a CBOR array of `i32`.
    locs: Vec<u8>,
    /// How many body locations there are in all.
    loc_count: usize,
    /// Locations in the page's meta fields (a few words of a page), by
    /// page, in page order.
    meta: Vec<(u32, Vec<i32>)>,
}

impl PackedPages {
    /// Adds a page's body locations. Pages come in order; one that does
    /// not is put in its place.
    #[cfg(test)]
    pub fn push(&mut self, page_number: usize, locs: &[i32]) {
        let mut bytes = Vec::new();
        encode_locs(&mut bytes, locs);
        self.push_encoded(page_number, locs.len() as u32, &bytes);
    }

    /// Adds a page's body locations: `count` of them, `encoded` as a CBOR
    /// array.
    pub fn push_encoded(&mut self, page_number: usize, count: u32, encoded: &[u8]) {
        let page = u32::try_from(page_number).unwrap_or(u32::MAX);
        self.loc_count += count as usize;
        self.push_bytes(page, encoded);
    }

    /// Puts a page's encoded locations after the pages before it: at the
    /// end, as a rule, or in its place.
    fn push_bytes(&mut self, page: u32, encoded: &[u8]) {
        if self.pages.last().is_some_and(|&(last, _)| last > page) {
            self.insert_encoded(page, encoded);
        } else {
            self.locs.extend_from_slice(encoded);
            self.pages.push((page, self.locs.len() as u32));
        }
    }

    /// Sets a page's meta locations (upstream's merge: the page's entry
    /// gets them, or a new entry without body locations is made).
    pub fn set_meta(&mut self, page_number: usize, meta_locs: Vec<i32>) {
        let page = u32::try_from(page_number).unwrap_or(u32::MAX);
        match self.meta.binary_search_by_key(&page, |&(p, _)| p) {
            Ok(i) => {
                if let Some(entry) = self.meta.get_mut(i) {
                    entry.1 = meta_locs;
                }
            }
            Err(i) => self.meta.insert(i, (page, meta_locs)),
        }
    }

    /// Adds `other`'s pages (a later page's, as a rule) to these.
    pub fn append(&mut self, other: PackedPages) {
        if self.pages.is_empty() && self.meta.is_empty() {
            *self = other;
            return;
        }
        let mut start = 0;
        for (page, end) in other.pages {
            if let Some(encoded) = other.locs.get(start..end as usize) {
                self.push_bytes(page, encoded);
            }
            start = end as usize;
        }
        self.loc_count += other.loc_count;
        for (page, meta) in other.meta {
            self.set_meta(page as usize, meta);
        }
    }

    /// Puts a page's encoded locations in its place among the pages, after
    /// any with the same number.
    fn insert_encoded(&mut self, page: u32, encoded: &[u8]) {
        let at = self.pages.partition_point(|&(p, _)| p <= page);
        let start = at
            .checked_sub(1)
            .and_then(|i| self.pages.get(i))
            .map_or(0, |&(_, end)| end);
        let len = encoded.len() as u32;
        let from = start as usize;
        self.locs.splice(from..from, encoded.iter().copied());
        for entry in self.pages.iter_mut().skip(at) {
            entry.1 += len;
        }
        self.pages.insert(at, (page, start + len));
    }

    /// Upstream's measure of the pages for chunking the index: each
    /// page's body and meta locations, plus one.
    pub fn weight(&self) -> usize {
        let meta_only = self
            .meta
            .iter()
            .filter(|(page, _)| self.pages.binary_search_by_key(page, |&(p, _)| p).is_err())
            .count();
        self.loc_count
            + self.meta.iter().map(|(_, m)| m.len()).sum::<usize>()
            + self.pages.len()
            + meta_only
    }

    /// The pages' entries in page order: number, encoded body locations
    /// (if any), meta locations (if any).
    fn entries(&self) -> impl Iterator<Item = (u32, Option<&[u8]>, Option<&[i32]>)> + '_ {
        let mut starts = self.pages.iter().scan(0usize, |start, &(page, end)| {
            let from = std::mem::replace(start, end as usize);
            Some((page, self.locs.get(from..end as usize)))
        });
        let mut meta = self.meta.iter().map(|(p, m)| (*p, m.as_slice()));
        let mut next_page = starts.next();
        let mut next_meta = meta.next();
        std::iter::from_fn(move || match (next_page, next_meta) {
            (None, None) => None,
            (Some((p, locs)), Some((m, metas))) if p == m => {
                next_page = starts.next();
                next_meta = meta.next();
                Some((p, locs, Some(metas)))
            }
            (Some((p, locs)), Some((m, _))) if p < m => {
                next_page = starts.next();
                Some((p, locs, None))
            }
            (Some((p, locs)), None) => {
                next_page = starts.next();
                Some((p, locs, None))
            }
            (_, Some((m, metas))) => {
                next_meta = meta.next();
                Some((m, None, Some(metas)))
            }
        })
    }
}

impl<C> Encode<C> for PackedPages {
    fn encode<W: minicbor::encode::Write>(
        &self,
        e: &mut minicbor::Encoder<W>,
        _: &mut C,
    ) -> Result<(), minicbor::encode::Error<W::Error>> {
        e.array(self.entries().count() as u64)?;
        let mut last = 0u32;
        for (page, locs, meta) in self.entries() {
            e.array(3)?.u32(page.saturating_sub(last))?;
            last = page;
            match locs {
                Some(locs) => e.writer_mut().write_all(locs).map_err(minicbor::encode::Error::write)?,
                None => {
                    e.array(0)?;
                }
            }
            e.array(meta.map_or(0, |m| m.len()) as u64)?;
            for &loc in meta.unwrap_or_default() {
                e.i32(loc)?;
            }
        }
        Ok(())
    }
}

/// Appends `locs` to `out` as a CBOR array of integers, as minicbor
/// writes a `Vec<i32>` (each head in its shortest form), without going
/// through an encoder per integer: this runs for every word of every page.
fn encode_locs(out: &mut Vec<u8>, locs: &[i32]) {
    out.reserve(locs.len() + 5);
    head(out, 4, locs.len() as u64);
    for &loc in locs {
        match u64::try_from(loc) {
            Ok(n) => head(out, 0, n),
            // -1 - loc, in range for any negative i32
            Err(_) => head(out, 1, (-1 - i64::from(loc)) as u64),
        }
    }
}

/// A CBOR head: the major type and its argument in the fewest bytes.
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let major = major << 5;
    if n < 24 {
        out.push(major | n as u8);
    } else if let Ok(n) = u8::try_from(n) {
        out.extend_from_slice(&[major | 24, n]);
    } else if let Ok(n) = u16::try_from(n) {
        out.push(major | 25);
        out.extend_from_slice(&n.to_be_bytes());
    } else if let Ok(n) = u32::try_from(n) {
        out.push(major | 26);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        out.push(major | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written encoding is minicbor's, byte for byte, at each
    /// length of head.
    #[test]
    fn locations_encode_as_minicbor_encodes_them() {
        let edges = [0, 1, 23, 24, 255, 256, 65_535, 65_536, i32::MAX];
        let mut locs: Vec<i32> = edges.iter().flat_map(|&n| [n, -n, -n - 1]).collect();
        locs.extend([i32::MIN, -24, -25, -256, -257]);
        for len in [0, 1, 23, 24, 255, 256] {
            let locs: Vec<i32> = locs.iter().copied().cycle().take(len).collect();
            let mut ours = Vec::new();
            encode_locs(&mut ours, &locs);
            let mut theirs = Vec::new();
            minicbor::encode(&locs, &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{len} locations");
        }
    }

    /// Upstream's page, encoded as upstream did after delta-encoding the
    /// page numbers.
    #[derive(Encode)]
    struct UpstreamPage {
        #[n(0)]
        page_number: usize,
        #[n(1)]
        locs: Vec<i32>,
        #[n(2)]
        meta_locs: Vec<i32>,
    }

    fn upstream(mut pages: Vec<(usize, Vec<i32>, Vec<i32>)>) -> Vec<u8> {
        pages.sort_by_key(|p| p.0);
        let mut last = 0;
        let pages: Vec<UpstreamPage> = pages
            .into_iter()
            .map(|(page_number, locs, meta_locs)| {
                let delta = page_number - last;
                last = page_number;
                UpstreamPage { page_number: delta, locs, meta_locs }
            })
            .collect();
        let mut out = Vec::new();
        minicbor::encode(&pages, &mut out).unwrap();
        out
    }

    fn ours(pages: &PackedPages) -> Vec<u8> {
        let mut out = Vec::new();
        minicbor::encode(pages, &mut out).unwrap();
        out
    }

    /// Pages in order and out of it, meta locations on a page with body
    /// locations and on one without, and one word's pages appended to
    /// another's: each encodes as upstream's list of pages, and weighs
    /// what upstream's chunking counted.
    #[test]
    fn pages_encode_as_upstreams_list_of_pages() {
        let mut pages = PackedPages::default();
        pages.push(2, &[5, 1, 300]);
        pages.push(7, &[-26, 0, 70_000]);
        pages.push(4, &[9]); // out of order
        pages.set_meta(7, vec![-1, 0, 2]);
        pages.set_meta(9, vec![-2, 1]); // a page with only meta words
        pages.set_meta(9, vec![-2, 3]); // set again: replaced
        let mut later = PackedPages::default();
        later.push(12, &[1, 2]);
        later.set_meta(11, vec![-1, 4]);
        pages.append(later);
        let expected = vec![
            (2, vec![5, 1, 300], vec![]),
            (4, vec![9], vec![]),
            (7, vec![-26, 0, 70_000], vec![-1, 0, 2]),
            (9, vec![], vec![-2, 3]),
            (11, vec![], vec![-1, 4]),
            (12, vec![1, 2], vec![]),
        ];
        let weight: usize = expected.iter().map(|(_, l, m)| l.len() + m.len() + 1).sum();
        assert_eq!(ours(&pages), upstream(expected));
        assert_eq!(pages.weight(), weight);
        assert_eq!(ours(&PackedPages::default()), upstream(vec![]));
    }
}

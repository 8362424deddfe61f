//! planbook patch: a parsed page as bytes and back, so that a caller can
//! keep the pages it parsed and add them again to a later index without
//! parsing them again. The bytes are CBOR; a page that does not decode is
//! an error, which the caller takes as "parse the page again".

use anyhow::{anyhow, bail, Result};
use hashbrown::HashMap;
use std::collections::BTreeMap;

use super::{FossickedData, FossickedWord, MetaFossickedWord};
use crate::fragments::{PageFragment, PageFragmentData};

/// What is kept of a [`FossickedData`]: all of it but the page number and
/// the fold, which an index gives the page when it is added.
#[derive(minicbor::Encode, minicbor::Decode)]
struct Stored {
    #[n(0)]
    url: String,
    #[n(1)]
    fragment: PageFragmentData,
    #[cbor(n(2), with = "packed")]
    word_data: Vec<(String, Vec<FossickedWord>)>,
    #[n(3)]
    meta_word_data: Vec<(String, Vec<MetaFossickedWord>)>,
    #[n(4)]
    sort: BTreeMap<String, String>,
    #[n(5)]
    flags: [bool; 5],
    #[n(6)]
    language: String,
    #[n(7)]
    fragment_hash: Option<String>,
    #[n(8)]
    fragment_file: Option<minicbor::bytes::ByteVec>,
}

/// What [`to_bytes`] encodes: a [`Stored`] that borrows from the page, so
/// that nothing is copied to encode it (the same bytes; see the test).
#[derive(minicbor::Encode)]
struct StoredRef<'a> {
    #[n(0)]
    url: &'a str,
    #[n(1)]
    fragment: &'a PageFragmentData,
    #[cbor(n(2), encode_with = "packed::encode")]
    word_data: Vec<(&'a str, &'a Vec<FossickedWord>)>,
    #[n(3)]
    meta_word_data: Vec<(&'a str, &'a Vec<MetaFossickedWord>)>,
    #[n(4)]
    sort: &'a BTreeMap<String, String>,
    #[n(5)]
    flags: [bool; 5],
    #[n(6)]
    language: &'a str,
    #[n(7)]
    fragment_hash: Option<&'a str>,
    #[n(8)]
    fragment_file: Option<&'a minicbor::bytes::ByteSlice>,
}

/// The page as bytes. Only a page not yet added to an index can be kept
/// (an added one may have had its words folded into the index).
pub fn to_bytes(page: &FossickedData) -> Result<Vec<u8>> {
    if page.folded_as.is_some() {
        return Err(anyhow!("{} was added to an index already", page.url));
    }
    let mut words: Vec<_> = page.word_data.iter().map(|(w, p)| (w.as_str(), p)).collect();
    words.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut meta_words: Vec<_> = page.meta_word_data.iter().map(|(w, p)| (w.as_str(), p)).collect();
    meta_words.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let stored = StoredRef {
        url: &page.url,
        fragment: &page.fragment.data,
        word_data: words,
        meta_word_data: meta_words,
        sort: &page.sort,
        flags: [
            page.has_custom_body,
            page.force_inclusion,
            page.has_html_element,
            page.has_old_bundle_reference,
            page.has_default_ui_reference,
        ],
        language: &page.language,
        fragment_hash: page.fragment_file.as_ref().map(|f| f.hash.as_str()),
        fragment_file: page.fragment_file.as_ref().map(|f| f.contents.as_slice().into()),
    };
    // About six bytes a word position (the bulk of a page): made once.
    let positions: usize = page.word_data.values().map(Vec::len).sum();
    let mut bytes = Vec::with_capacity(page.fragment.data.content.len() * 2 + positions * 6);
    minicbor::encode(&stored, &mut bytes).map_err(|e| anyhow!("cannot store {}: {e}", page.url))?;
    Ok(bytes)
}

/// A page's body words, the bulk of a stored page, packed: each word is
/// `[word, positions, originals]`, where `positions` is one byte string
/// with, per position, the position as a LEB128 number, the weight, and 1
/// if an original form follows in `originals` (else 0). A position as a
/// CBOR array of three took twice the time to write and read.
mod packed {
    use super::FossickedWord;
    use std::borrow::Borrow;
    use minicbor::decode::{Decoder, Error as DecodeError};
    use minicbor::encode::{Encoder, Error as EncodeError, Write};

    #[allow(clippy::ptr_arg)] // what minicbor's `with` hands over
    pub fn encode<Ctx, W: Write, S: AsRef<str>, P: Borrow<Vec<FossickedWord>>>(
        words: &Vec<(S, P)>,
        e: &mut Encoder<W>,
        _: &mut Ctx,
    ) -> Result<(), EncodeError<W::Error>> {
        let mut buffer = Vec::new();
        e.array(words.len() as u64)?;
        for (word, positions) in words {
            let (word, positions) = (word.as_ref(), positions.borrow());
            buffer.clear();
            let mut originals = 0;
            for p in positions.iter() {
                let mut n = p.position;
                while n >= 0x80 {
                    buffer.push((n as u8) | 0x80);
                    n >>= 7;
                }
                buffer.push(n as u8);
                buffer.push(p.weight);
                buffer.push(u8::from(p.original_word.is_some()));
                originals += usize::from(p.original_word.is_some());
            }
            e.array(3)?.str(word)?.bytes(&buffer)?.array(originals as u64)?;
            for original in positions.iter().filter_map(|p| p.original_word.as_deref()) {
                e.str(original)?;
            }
        }
        Ok(())
    }

    pub fn decode<Ctx>(
        d: &mut Decoder<'_>,
        _: &mut Ctx,
    ) -> Result<Vec<(String, Vec<FossickedWord>)>, DecodeError> {
        let bad = || DecodeError::message("bad packed positions");
        let count = d.array()?.ok_or_else(bad)?;
        let mut words = Vec::with_capacity(count.min(1 << 16) as usize);
        for _ in 0..count {
            if d.array()? != Some(3) {
                return Err(bad());
            }
            let word = d.str()?.to_string();
            let mut bytes = d.bytes()?.iter().copied();
            let original_count = d.array()?.ok_or_else(bad)?;
            let mut originals = Vec::with_capacity(original_count.min(1 << 16) as usize);
            for _ in 0..original_count {
                originals.push(d.str()?.to_string());
            }
            let mut originals = originals.into_iter();
            let mut positions = Vec::new();
            while let Some(mut byte) = bytes.next() {
                let (mut position, mut shift) = (0u32, 0);
                while byte & 0x80 != 0 {
                    position |= u32::from(byte & 0x7f).checked_shl(shift).ok_or_else(bad)?;
                    shift += 7;
                    byte = bytes.next().ok_or_else(bad)?;
                }
                position |= u32::from(byte).checked_shl(shift).ok_or_else(bad)?;
                let weight = bytes.next().ok_or_else(bad)?;
                let original_word = match bytes.next().ok_or_else(bad)? {
                    0 => None,
                    1 => Some(originals.next().ok_or_else(bad)?),
                    _ => return Err(bad()),
                };
                positions.push(FossickedWord {
                    position,
                    weight,
                    original_word,
                });
            }
            if originals.next().is_some() {
                return Err(bad());
            }
            words.push((word, positions));
        }
        Ok(words)
    }
}

/// A page from [`to_bytes`].
pub fn from_bytes(bytes: &[u8]) -> Result<FossickedData> {
    let stored: Stored = minicbor::decode(bytes).map_err(|e| anyhow!("not a stored page: {e}"))?;
    // A page is stored with its fragment file, which holds its text (the
    // fragment's `content` is left empty): without it the page would be
    // indexed without its text.
    if stored.fragment_hash.is_none() || stored.fragment_file.is_none() {
        bail!("a stored page without its fragment file");
    }
    let [has_custom_body, force_inclusion, has_html_element, has_old_bundle_reference, has_default_ui_reference] =
        stored.flags;
    Ok(FossickedData {
        url: stored.url,
        fragment: PageFragment {
            page_number: 0,
            data: stored.fragment,
        },
        word_data: stored.word_data.into_iter().collect::<HashMap<_, _>>(),
        meta_word_data: stored.meta_word_data.into_iter().collect::<HashMap<_, _>>(),
        sort: stored.sort,
        has_custom_body,
        force_inclusion,
        has_html_element,
        has_old_bundle_reference,
        has_default_ui_reference,
        language: stored.language,
        folded_as: None,
        fragment_file: match (stored.fragment_hash, stored.fragment_file) {
            (Some(hash), Some(contents)) => Some(crate::output::Fragment {
                hash,
                contents: contents.into(),
            }),
            _ => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fossick::Fossicker;
    use crate::{PagefindInboundConfig, SearchOptions};
    use twelf::Layer;

    /// The borrowed encoding gives the bytes the owned [`Stored`] gives,
    /// which is what `from_bytes` reads.
    #[test]
    fn borrowed_and_owned_encodings_are_the_same() {
        std::env::set_var("PAGEFIND_SOURCE", "somewhere");
        let config =
            PagefindInboundConfig::with_layers(&[Layer::Env(Some("PAGEFIND_".into()))]).unwrap();
        let options = SearchOptions::load(config).unwrap();
        let html = "<html lang=\"ja\"><body><main data-pagefind-body><h1 id=\"t\">推薦 Churn café naïve</h1>\
            <p data-pagefind-meta=\"m\">お気に入り登録率 alerts</p>\
            <span data-pagefind-filter=\"team\">佐藤</span><span data-pagefind-sort=\"ice:7\"></span>\
            </main></body></html>";
        let mut page = Fossicker::new_synthetic(None, Some("/p/".into()), html.into())
            .fossick_sync(&options)
            .unwrap();
        page.fragment_file = Some(crate::output::Fragment::of(&page.fragment.data));
        let mut words: Vec<_> = page.word_data.iter().map(|(w, p)| (w.clone(), p.clone())).collect();
        words.sort_by(|a, b| a.0.cmp(&b.0));
        let mut meta_words: Vec<_> =
            page.meta_word_data.iter().map(|(w, p)| (w.clone(), p.clone())).collect();
        meta_words.sort_by(|a, b| a.0.cmp(&b.0));
        let owned = Stored {
            url: page.url.clone(),
            fragment: page.fragment.data.clone(),
            word_data: words,
            meta_word_data: meta_words,
            sort: page.sort.clone(),
            flags: [
                page.has_custom_body,
                page.force_inclusion,
                page.has_html_element,
                page.has_old_bundle_reference,
                page.has_default_ui_reference,
            ],
            language: page.language.clone(),
            fragment_hash: page.fragment_file.as_ref().map(|f| f.hash.clone()),
            fragment_file: page.fragment_file.as_ref().map(|f| f.contents.clone().into()),
        };
        assert!(owned.word_data.len() > 3 && !owned.sort.is_empty());
        let bytes = to_bytes(&page).unwrap();
        assert_eq!(bytes, minicbor::to_vec(&owned).unwrap());
        let back = from_bytes(&bytes).unwrap();
        assert_eq!(to_bytes(&back).unwrap(), bytes);
        let made = back.fragment_file.unwrap();
        assert_eq!(made.contents, page.fragment_file.as_ref().unwrap().contents);
        let originals = page.word_data.values().flatten();
        assert!(originals.filter(|w| w.original_word.is_some()).count() >= 2);
        // Damaged bytes are an error or another page, never a panic.
        for cut in 0..bytes.len() {
            let _ = from_bytes(&bytes[..cut]);
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x81;
            let _ = from_bytes(&flipped);
        }
        // A page stored without its fragment file (which holds the text
        // planbook's parse drops) is not read back.
        let mut bare = from_bytes(&bytes).unwrap();
        bare.fragment_file = None;
        assert!(from_bytes(&to_bytes(&bare).unwrap()).is_err());
    }
}

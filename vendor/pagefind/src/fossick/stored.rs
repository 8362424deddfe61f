//! planbook patch: a parsed page as bytes and back, so that a caller can
//! keep the pages it parsed and add them again to a later index without
//! parsing them again. The bytes are CBOR; a page that does not decode is
//! an error, which the caller takes as "parse the page again".

use anyhow::{anyhow, bail, Result};
use hashbrown::HashMap;
use std::collections::BTreeMap;

use super::{FossickedData, MetaFossickedWord};
use crate::index::{pack_words, PackedPageWords};
use crate::fragments::{PageFragment, PageFragmentData};

/// What is kept of a [`FossickedData`]: all of it but the page number and
/// the fold, which an index gives the page when it is added.
#[derive(minicbor::Encode, minicbor::Decode)]
struct Stored {
    #[n(0)]
    url: String,
    #[n(1)]
    fragment: PageFragmentData,
    /// The body words, packed as the index packs them (the bulk of a
    /// stored page: copied into the index as they are).
    #[n(2)]
    words: PackedPageWords,
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
    #[n(2)]
    words: &'a PackedPageWords,
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
    // A page parsed by `PageParser` has its words packed already.
    let packed;
    let words = match (page.word_data.is_empty(), page.packed_words.is_empty()) {
        (true, _) => &page.packed_words,
        (false, true) => {
            packed = pack_words(page.word_data.clone());
            &packed
        }
        (false, false) => bail!("{} has its words both packed and not", page.url),
    };
    let mut meta_words: Vec<_> = page.meta_word_data.iter().map(|(w, p)| (w.as_str(), p)).collect();
    meta_words.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let stored = StoredRef {
        url: &page.url,
        fragment: &page.fragment.data,
        words,
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
    // The packed words are the bulk of a page: made once.
    let packed_len = words.bytes.len() + words.words.len() * 24;
    let mut bytes = Vec::with_capacity(page.fragment.data.content.len() + packed_len + 4096);
    minicbor::encode(&stored, &mut bytes).map_err(|e| anyhow!("cannot store {}: {e}", page.url))?;
    Ok(bytes)
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
    // The packed words go into the index as they are: each word once, in
    // order, and each list of locations whole.
    if !stored.words.is_valid() {
        bail!("a stored page whose words are damaged");
    }
    let [has_custom_body, force_inclusion, has_html_element, has_old_bundle_reference, has_default_ui_reference] =
        stored.flags;
    Ok(FossickedData {
        url: stored.url,
        fragment: PageFragment {
            page_number: 0,
            data: stored.fragment,
        },
        word_data: HashMap::new(),
        packed_words: stored.words,
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
        let mut meta_words: Vec<_> =
            page.meta_word_data.iter().map(|(w, p)| (w.clone(), p.clone())).collect();
        meta_words.sort_by(|a, b| a.0.cmp(&b.0));
        let owned = Stored {
            url: page.url.clone(),
            fragment: page.fragment.data.clone(),
            words: pack_words(page.word_data.clone()),
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
        assert!(owned.words.words.len() > 3 && !owned.sort.is_empty());
        // café and naïve: words with an original form.
        assert!(owned.words.words.iter().filter(|w| !w.variants.is_empty()).count() >= 2);
        let bytes = to_bytes(&page).unwrap();
        assert_eq!(bytes, minicbor::to_vec(&owned).unwrap());
        let back = from_bytes(&bytes).unwrap();
        assert_eq!(to_bytes(&back).unwrap(), bytes);
        let made = back.fragment_file.unwrap();
        assert_eq!(made.contents, page.fragment_file.as_ref().unwrap().contents);
        assert_eq!(back.packed_words, owned.words);
        assert!(back.word_data.is_empty());
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
        // Packed words that would not go into the index whole are not read
        // back: a list cut short, a count that is not the list's, a range
        // past the bytes, words out of order.
        let damaged: [fn(&mut PackedPageWords); 4] = [
            |w| w.bytes.truncate(w.bytes.len() - 1),
            |w| w.words[0].locs.as_mut().unwrap().count += 1,
            |w| w.words[0].locs.as_mut().unwrap().end += 1_000,
            |w| w.words.swap(0, 1),
        ];
        for (i, damage) in damaged.iter().enumerate() {
            let mut page = from_bytes(&bytes).unwrap();
            assert!(page.packed_words.is_valid());
            damage(&mut page.packed_words);
            assert!(!page.packed_words.is_valid(), "damage {i}");
            assert!(from_bytes(&to_bytes(&page).unwrap()).is_err(), "damage {i}");
        }
    }
}

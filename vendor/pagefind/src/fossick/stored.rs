//! planbook patch: a parsed page as bytes and back, so that a caller can
//! keep the pages it parsed and add them again to a later index without
//! parsing them again. The bytes are CBOR; a page that does not decode is
//! an error, which the caller takes as "parse the page again".

use anyhow::{anyhow, Result};
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
    #[n(2)]
    word_data: Vec<(String, Vec<FossickedWord>)>,
    #[n(3)]
    meta_word_data: Vec<(String, Vec<MetaFossickedWord>)>,
    #[n(4)]
    sort: BTreeMap<String, String>,
    #[n(5)]
    flags: [bool; 5],
    #[n(6)]
    language: String,
}

/// The page as bytes. Only a page not yet added to an index can be kept
/// (an added one may have had its words folded into the index).
pub fn to_bytes(page: &FossickedData) -> Result<Vec<u8>> {
    if page.folded_as.is_some() {
        return Err(anyhow!("{} was added to an index already", page.url));
    }
    let mut words: Vec<_> = page.word_data.iter().map(|(w, p)| (w.clone(), p.clone())).collect();
    words.sort_by(|a, b| a.0.cmp(&b.0));
    let mut meta_words: Vec<_> =
        page.meta_word_data.iter().map(|(w, p)| (w.clone(), p.clone())).collect();
    meta_words.sort_by(|a, b| a.0.cmp(&b.0));
    let stored = Stored {
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
    };
    minicbor::to_vec(&stored).map_err(|e| anyhow!("cannot store {}: {e}", page.url))
}

/// A page from [`to_bytes`].
pub fn from_bytes(bytes: &[u8]) -> Result<FossickedData> {
    let stored: Stored = minicbor::decode(bytes).map_err(|e| anyhow!("not a stored page: {e}"))?;
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
    })
}

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

/// What [`to_bytes`] encodes: a [`Stored`] that borrows from the page, so
/// that nothing is copied to encode it (the same bytes; see the test).
#[derive(minicbor::Encode)]
struct StoredRef<'a> {
    #[n(0)]
    url: &'a str,
    #[n(1)]
    fragment: &'a PageFragmentData,
    #[n(2)]
    word_data: Vec<(&'a str, &'a Vec<FossickedWord>)>,
    #[n(3)]
    meta_word_data: Vec<(&'a str, &'a Vec<MetaFossickedWord>)>,
    #[n(4)]
    sort: &'a BTreeMap<String, String>,
    #[n(5)]
    flags: [bool; 5],
    #[n(6)]
    language: &'a str,
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
        let html = "<html lang=\"ja\"><body><main data-pagefind-body><h1 id=\"t\">推薦 Churn</h1>\
            <p data-pagefind-meta=\"m\">お気に入り登録率 alerts</p>\
            <span data-pagefind-filter=\"team\">佐藤</span><span data-pagefind-sort=\"ice:7\"></span>\
            </main></body></html>";
        let page = Fossicker::new_synthetic(None, Some("/p/".into()), html.into())
            .fossick_sync(&options)
            .unwrap();
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
        };
        assert!(owned.word_data.len() > 3 && !owned.sort.is_empty());
        let bytes = to_bytes(&page).unwrap();
        assert_eq!(bytes, minicbor::to_vec(&owned).unwrap());
        assert_eq!(to_bytes(&from_bytes(&bytes).unwrap()).unwrap(), bytes);
    }
}

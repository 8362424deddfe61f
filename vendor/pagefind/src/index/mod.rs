use hashbrown::HashMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::{
    fossick::{FossickedData, FossickedWord, MetaFossickedWord},
    index::index_metadata::MetaFilter,
    output::FragmentText,
    utils::full_hash,
    SearchOptions,
};
use anyhow::{bail, Result};
use index_filter::{FilterIndex, PackedValue};
use index_metadata::{MetaChunk, MetaIndex, MetaPage};
use index_words::{Locs, PackedPages, PackedVariant, PackedWord, WordIndex};
pub use index_words::{PackedPageWord, PackedPageWords};

use self::index_metadata::MetaSort;

mod index_filter;
mod index_metadata;
mod index_words;

pub struct PagefindIndexes {
    pub word_indexes: HashMap<String, Vec<u8>>,
    pub filter_indexes: HashMap<String, Vec<u8>>,
    pub meta_index: (String, Vec<u8>),
    /// (hash, the JSON or the file made ahead: planbook patch)
    pub fragments: Vec<(String, FragmentText)>,
    pub sorts: Vec<String>,
    pub language: String,
    pub word_count: usize,
    pub page_count: usize,
}

#[derive(Clone)]
struct IntermediaryPageData {
    full_hash: String,
    /// planbook patch: the JSON, or the file made when the page was parsed.
    text: FragmentText,
    word_count: usize,
    page_number: usize,
}

#[derive(Debug)]
enum SortType {
    String,
    Number,
}

/// Results from processing a single page in parallel.
/// Contains the word map, filter entries, and encoded page data for one page.
struct PageProcessingResult {
    word_map: HashMap<String, PackedWord>,
    filter_entries: Vec<(String, String, usize)>, // (filter, value, page_number)
    encoded_page: IntermediaryPageData,
}

pub async fn build_indexes(
    mut pages: Vec<FossickedData>,
    language: String,
    options: &SearchOptions,
    folded: Option<Folded>,
) -> Result<PagefindIndexes> {
    let mut meta = MetaIndex {
        version: options.version.into(),
        pages: Vec::new(),
        index_chunks: Vec::new(),
        filters: Vec::new(),
        sorts: Vec::new(),
        meta_fields: Vec::new(),
    };

    /*
        - Collect all sort keys
        - Sort `pages` by one of them and set `default_sort`
        - Do the main enumerate loop as an iter_mut and set page numbers
        - Later on, for each other sort key:
            - Sort the `pages` array and output the page numbers to `alternate_sorts`
    */

    // planbook patch: the body words of pages folded as they were added.
    let folded_pages = folded.as_ref().map(|f| f.pages);
    let mut word_map: HashMap<String, PackedWord> = folded.map(|f| f.word_map).unwrap_or_default();
    let mut filter_map: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
    let mut fragment_hashes: HashMap<String, IntermediaryPageData> = HashMap::new();
    let mut fragments: Vec<(usize, (String, IntermediaryPageData))> = Vec::new();

    for (page_number, page) in pages.iter_mut().enumerate() {
        page.fragment.page_number = page_number;
        // planbook patch: folded words must belong to the same page.
        if page.folded_as.is_some_and(|n| n != page_number) {
            bail!(
                "the words of {} were folded as page {:?}, but it is page {page_number}",
                page.fragment.data.url,
                page.folded_as
            );
        }
    }
    if let Some(expected) = folded_pages {
        let reached = pages.iter().filter(|p| p.folded_as.is_some()).count();
        if reached != expected {
            bail!("{expected} pages were folded, {reached} reached the index");
        }
    }

    // Get all possible sort keys
    let mut sorts: Vec<_> = pages
        .iter()
        .flat_map(|page| page.sort.keys().cloned())
        .collect();
    sorts.sort_unstable();
    sorts.dedup();

    // Determine the best sorting parser that fits all available values for each given key
    let mut sort_types: BTreeMap<String, SortType> = BTreeMap::new();
    for sort in sorts.iter() {
        let mut sort_values = pages.iter().flat_map(|page| page.sort.get(sort));
        sort_types.insert(
            sort.clone(),
            if sort_values.all(|v| parse_int_sort(v).is_some() || parse_float_sort(v).is_some()) {
                SortType::Number
            } else {
                SortType::String
            },
        );
    }

    for (sort_key, sort_type) in sort_types {
        let mut page_values: Vec<_> = pages
            .iter()
            .flat_map(|page| {
                page.sort
                    .get(&sort_key)
                    .map(|v| (v, page.fragment.page_number))
            })
            .collect();
        options.logger.v_info(format!(
            "Prebuilding sort order for {sort_key}, processed as type: {sort_type:#?}"
        ));
        match sort_type {
            SortType::String => page_values.sort_by_key(|p| p.0),
            SortType::Number => page_values.sort_by(|p1, p2| {
                let p1 = parse_int_sort(p1.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p1.0).unwrap_or_default());
                let p2 = parse_int_sort(p2.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p2.0).unwrap_or_default());

                p1.total_cmp(&p2)
            }),
        }
        meta.sorts.push(MetaSort {
            sort: sort_key,
            pages: page_values.into_iter().map(|p| p.1).collect(),
        });
    }

    let mut meta_fields_set: BTreeSet<String> = BTreeSet::new();
    for page in pages.iter() {
        meta_fields_set.extend(page.fragment.data.meta.keys().cloned());
    }
    meta.meta_fields = meta_fields_set.into_iter().collect();

    // Clone meta_fields for use in parallel processing
    let meta_fields_ref = meta.meta_fields.clone();
    let language_ref = language.clone();

    // Process pages in parallel - each page builds its own word map
    let page_results: Vec<PageProcessingResult> = pages
        .into_par_iter()
        .map(|page| {
            // Meta field IDs were assigned per-page,
            // but need to be remapped to the global meta_fields order.
            let page_field_order: Vec<&String> = page.fragment.data.meta.keys().collect();
            let field_id_map: Vec<u16> = page_field_order
                .iter()
                .map(|name| meta_fields_ref.iter().position(|f| f == *name).unwrap() as u16)
                .collect();

            let mut local_word_map =
                page_word_map(page.word_data, page.packed_words, page.fragment.page_number);

            for (word, meta_positions) in page.meta_word_data {
                let mut normalized_meta_positions: Vec<MetaFossickedWord> = Vec::new();
                let mut variant_meta_positions: BTreeMap<String, Vec<MetaFossickedWord>> =
                    BTreeMap::new();

                for mut meta_fossicked in meta_positions {
                    meta_fossicked.field_id = field_id_map[meta_fossicked.field_id as usize];
                    if let Some(original) = meta_fossicked.original_word.clone() {
                        variant_meta_positions
                            .entry(original)
                            .or_default()
                            .push(meta_fossicked);
                    } else {
                        normalized_meta_positions.push(meta_fossicked);
                    }
                }

                let packed_word =
                    local_word_map
                        .entry(word.clone())
                        .or_insert_with(|| PackedWord {
                            word: word.clone(),
                            pages: PackedPages::default(),
                            additional_variants: Vec::new(),
                        });

                if !normalized_meta_positions.is_empty() {
                    let meta_locs = meta_positions_to_packed(normalized_meta_positions);
                    packed_word.pages.set_meta(page.fragment.page_number, meta_locs);
                }

                // Handle diacritic variants in meta
                for (variant_form, variant_pos) in variant_meta_positions {
                    let meta_locs = meta_positions_to_packed(variant_pos);

                    if let Some(existing_variant) = packed_word
                        .additional_variants
                        .iter_mut()
                        .find(|v| v.form == variant_form)
                    {
                        existing_variant.pages.set_meta(page.fragment.page_number, meta_locs);
                    } else {
                        let mut pages = PackedPages::default();
                        pages.set_meta(page.fragment.page_number, meta_locs);
                        packed_word.additional_variants.push(PackedVariant {
                            form: variant_form,
                            pages,
                        });
                    }
                }
            }

            // Collect filter entries for this page
            let filter_entries: Vec<(String, String, usize)> = page
                .fragment
                .data
                .filters
                .iter()
                .flat_map(|(filter, values)| {
                    values.iter().map(move |value| {
                        (filter.clone(), value.clone(), page.fragment.page_number)
                    })
                })
                .collect();

            // Compute encoded page data
            // planbook patch: a fragment made when the page was parsed
            // is taken with its hash. Nothing changes a page's data after
            // it is parsed, and a page read back from planbook's cache was
            // checksummed, so the JSON and its SHA-1 are not made again
            // to compare (2 % of a 10,000-page build).
            let (hash, text) = match page.fragment_file {
                Some(made) => (made.hash, FragmentText::Made(made.contents)),
                None => {
                    let json = serde_json::to_string(&page.fragment.data).unwrap();
                    (full_hash(json.as_bytes()), FragmentText::Json(json))
                }
            };
            let encoded_page = IntermediaryPageData {
                text,
                full_hash: format!("{}_{}", language_ref, hash),
                word_count: page.fragment.data.word_count,
                page_number: page.fragment.page_number,
            };

            PageProcessingResult {
                word_map: local_word_map,
                filter_entries,
                encoded_page,
            }
        })
        .collect();

    // Merge results sequentially
    for result in page_results {
        // Merge word maps using Entry API to avoid unnecessary clones
        merge_word_map(&mut word_map, result.word_map);

        // Merge filter entries using or_default for cleaner code
        for (filter, value, page_number) in result.filter_entries {
            filter_map
                .entry(filter)
                .or_default()
                .entry(value)
                .or_default()
                .push(page_number);
        }

        // Handle fragment hashing (must be sequential due to collision handling)
        let encoded_page = result.encoded_page;
        let mut short_hash = &encoded_page.full_hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one until we stop colliding
        // TODO: There are some collision issues here.
        // If two builds match a collision in different orders the hashes will swap,
        // which could return incorrect data due to files being cached.
        while let Some(collision) = fragment_hashes.get(short_hash) {
            if collision.full_hash == encoded_page.full_hash {
                // These pages are identical. Add both under the same hash.
                fragments.push((
                    collision.word_count,
                    (collision.full_hash.clone(), collision.clone()),
                ));
            } else {
                let new_length = short_hash.len();
                short_hash = &encoded_page.full_hash[0..=new_length];
            }
        }
        fragment_hashes.insert(short_hash.to_string(), encoded_page);
    }

    // (planbook patch: each word's pages are kept in page order as they
    // are added, see `PackedPages`.)

    fragments.extend(
        fragment_hashes
            .into_iter()
            .map(|(hash, frag)| (frag.word_count, (hash, frag))),
    );
    fragments.sort_by_cached_key(|(_, (_, fragment))| fragment.page_number);

    let page_count = fragments.len();
    let mut final_fragments = Vec::new();

    if let Some(max_fragments) =
        options.max_fragments.filter(|&m| m > 0 && (m as usize) < fragments.len())
    {
        let group_size = (fragments.len() as f32 / max_fragments as f32).ceil() as usize;
        options.logger.info(format!(
            "Bundling {} fragments into groups of {}, resulting in {} files",
            fragments.len(),
            group_size,
            fragments.chunks(group_size).len()
        ));
        let mut group_hashes: BTreeSet<String> = BTreeSet::new();
        for chunk in fragments.chunks(group_size) {
            let mut group_map = BTreeMap::new();
            for (_, (hash, frag)) in chunk {
                let val: serde_json::Value = serde_json::from_str(&frag.text.json()).unwrap();
                group_map.insert(hash.clone(), val);
            }
            let group_json = serde_json::to_string(&group_map).unwrap();
            let prefix = format!("{language}_group_");
            let group_hash = format!("{prefix}{}", full_hash(group_json.as_bytes()));

            // If we hit a collision, extend one hash until we stop colliding
            let mut hash_length = 7;
            let mut short_group_hash = &group_hash[..prefix.len() + hash_length];
            while group_hashes.contains(short_group_hash) && hash_length < 40 {
                hash_length += 1;
                short_group_hash = &group_hash[..prefix.len() + hash_length];
            }
            group_hashes.insert(short_group_hash.to_string());

            final_fragments.push((short_group_hash.to_string(), FragmentText::Json(group_json)));

            for (word_count, (hash, _)) in chunk {
                meta.pages.push(MetaPage {
                    hash: hash.clone(),
                    word_count: *word_count as u32,
                    group_hash: short_group_hash.to_string(),
                });
            }
        }
    } else {
        for (word_count, (hash, frag)) in fragments {
            final_fragments.push((hash.clone(), frag.text));
            meta.pages.push(MetaPage {
                hash: hash.clone(),
                word_count: word_count as u32,
                group_hash: "".into(),
            });
        }
    }

    // Encode filter indexes in parallel
    // Accumulate into HashMap for O(1) inserts, then sort once before encoding
    // to produce a stable hash without paying BTreeMap's per-insert overhead.
    let mut filter_map_vec: Vec<_> = filter_map.into_iter().collect();
    filter_map_vec.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    let encoded_filters: Vec<(String, Vec<u8>, String)> = filter_map_vec
        .into_par_iter()
        .map(|(filter, values)| {
            let mut sorted_values: Vec<_> = values.into_iter().collect();
            sorted_values.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
            let mut filter_index: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<FilterIndex, &mut Vec<u8>>(
                FilterIndex {
                    filter: filter.clone(),
                    values: sorted_values
                        .into_iter()
                        .map(|(value, pages)| PackedValue { value, pages })
                        .collect(),
                },
                filter_index.as_mut(),
            );
            let hash = format!("{}_{}", language, full_hash(&filter_index));
            (filter, filter_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut filter_indexes = HashMap::new();
    for (filter, filter_index, hash) in encoded_filters {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        // TODO: DRY
        while filter_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        filter_indexes.insert(short_hash.to_string(), filter_index);
        meta.filters.push(MetaFilter {
            filter,
            hash: short_hash.to_string(),
        })
    }

    if TryInto::<u32>::try_into(meta.pages.len()).is_err() {
        options.logger.error(format!(
            "Language {} has too many documents to index, must be < {}",
            language,
            u32::MAX
        ));
        bail!(
            "Language {language} has too many documents to index, must be < {}",
            u32::MAX
        );
    }

    // TODO: Parameterize these chunk sizes via byte size rather than word count
    let word_count = word_map.len();
    let chunks = chunk_index(word_map, options.index_chunk_size);
    meta.index_chunks = chunk_meta(&chunks);

    // Encode word index chunks in parallel (delta encoding + CBOR serialization)
    let encoded_chunks: Vec<(usize, Vec<u8>, String)> = chunks
        .into_par_iter()
        .enumerate()
        .map(|(i, chunk)| {
            // Page numbers are delta-encoded by `PackedPages`'s encoding
            // (planbook patch).
            let mut word_index: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<WordIndex, &mut Vec<u8>>(
                WordIndex { words: chunk },
                word_index.as_mut(),
            );

            let hash = format!("{}_{}", language, full_hash(&word_index));
            (i, word_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut word_indexes: HashMap<String, Vec<u8>> = HashMap::new();
    for (i, word_index, hash) in encoded_chunks {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        while word_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        word_indexes.insert(short_hash.to_string(), word_index);
        meta.index_chunks[i].hash = short_hash.into();
    }

    let mut meta_index: Vec<u8> = Vec::new();
    let _ = minicbor::encode::<MetaIndex, &mut Vec<u8>>(meta, meta_index.as_mut());

    let meta_hash = format!(
        "{}_{}",
        language,
        &full_hash(&meta_index)[0..=(language.len() + 7)]
    );

    Ok(PagefindIndexes {
        word_indexes,
        filter_indexes,
        sorts,
        meta_index: (meta_hash, meta_index),
        fragments: final_fragments,
        language,
        word_count,
        page_count,
    })
}

/// Convert fossicked word positions to a packed page representation.
/// Sorts by weight (with common weight 25 first) then by position for delta encoding.
/// planbook patch: the body words of pages folded into one word map as
/// the pages are added (in order, numbered as `build_indexes` numbers
/// them), so that no page keeps its own map of words until the end.
#[derive(Default)]
pub struct Folded {
    pub word_map: HashMap<String, PackedWord>,
    /// Pages folded so far: the next page's number.
    pub pages: usize,
    pub language: Option<String>,
}

impl Folded {
    /// Folds one page's body words in as page `self.pages`: what
    /// `page_word_map` and then `merge_word_map` make, straight into the
    /// site's map (the page is after every page folded before, so each of
    /// its packed pages goes at the end of its word's list). The words
    /// come as parsed (`word_data`) or packed already (`packed`).
    pub fn fold(
        &mut self,
        word_data: HashMap<String, Vec<FossickedWord>>,
        packed: PackedPageWords,
    ) {
        add_page_words(&mut self.word_map, word_data, packed, self.pages);
        self.pages += 1;
    }
}

/// One page's body words as packed words (the first step of
/// `build_indexes` for each page).
fn page_word_map(
    word_data: HashMap<String, Vec<FossickedWord>>,
    packed: PackedPageWords,
    page_number: usize,
) -> HashMap<String, PackedWord> {
    let mut local_word_map: HashMap<String, PackedWord> = HashMap::new();
    add_page_words(&mut local_word_map, word_data, packed, page_number);
    local_word_map
}

/// planbook patch: a page's body words packed as the index packs them,
/// sorted by word: for each word, its locations and each original
/// (diacritic) form's ([`weighted_locs`], encoded as the index writes
/// them). This is the per-word work of building the index, done where
/// the page is parsed (on all cores) and kept in planbook's cache as it
/// is; adding the page to the index is then a copy of bytes.
pub fn pack_words(word_data: HashMap<String, Vec<FossickedWord>>) -> PackedPageWords {
    // Words in order, and their lists in the same order, so that a page
    // always packs to the same bytes (a map's order is not the same from
    // one map to the next).
    let mut word_data: Vec<_> = word_data.into_iter().collect();
    word_data.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut locs = Vec::new();
    let mut packed = PackedPageWords::default();
    packed.words = Vec::with_capacity(word_data.len());
    for (word, mut positions) in word_data {
        let mut entry = PackedPageWord {
            word,
            locs: None,
            variants: Vec::new(),
        };
        // Most words have no diacritics: all their positions are on the
        // word itself.
        if positions.iter().all(|p| p.original_word.is_none()) {
            if !positions.is_empty() {
                weighted_locs(&mut positions, &mut locs);
                entry.locs = Some(packed.push_locs(&locs));
            }
            packed.words.push(entry);
            continue;
        }
        // Group positions by original_word for this page: without
        // diacritics the original matches the normalized form; with them
        // it is stored instead in additional_variants.
        let mut normalized_positions: Vec<FossickedWord> = Vec::new();
        let mut variant_positions: BTreeMap<String, Vec<FossickedWord>> = BTreeMap::new();
        for fossicked in positions {
            match &fossicked.original_word {
                None => normalized_positions.push(fossicked),
                Some(original) => variant_positions
                    .entry(original.clone())
                    .or_default()
                    .push(fossicked),
            }
        }
        if !normalized_positions.is_empty() {
            weighted_locs(&mut normalized_positions, &mut locs);
            entry.locs = Some(packed.push_locs(&locs));
        }
        for (form, mut positions) in variant_positions {
            weighted_locs(&mut positions, &mut locs);
            entry.variants.push((form, packed.push_locs(&locs)));
        }
        packed.words.push(entry);
    }
    packed
}

/// planbook patch: adds page `page_number`'s body words, as parsed
/// (`word_data`) or packed already (`packed`), to `word_map`, each at the
/// end of its word's list (a fresh map for `page_word_map`, the site's map
/// for `Folded::fold`).
fn add_page_words(
    word_map: &mut HashMap<String, PackedWord>,
    word_data: HashMap<String, Vec<FossickedWord>>,
    packed: PackedPageWords,
    page_number: usize,
) {
    add_packed(word_map, pack_words(word_data), page_number);
    add_packed(word_map, packed, page_number);
}

/// Adds one page's packed words to `word_map` (see `add_page_words`).
fn add_packed(word_map: &mut HashMap<String, PackedWord>, mut packed: PackedPageWords, page_number: usize) {
    for PackedPageWord { word, locs, variants } in std::mem::take(&mut packed.words) {
        let packed_word = word_map.entry(word).or_insert_with_key(|word| PackedWord {
            word: word.clone(),
            pages: PackedPages::default(),
            additional_variants: Vec::new(),
        });
        let list = |locs: Locs| packed.get(locs).unwrap_or_default();
        if let Some(locs) = locs {
            packed_word.pages.push_encoded(page_number, locs.count, list(locs));
        }
        for (form, locs) in variants {
            match packed_word.additional_variants.iter_mut().find(|v| v.form == form) {
                Some(variant) => variant.pages.push_encoded(page_number, locs.count, list(locs)),
                None => {
                    let mut pages = PackedPages::default();
                    pages.push_encoded(page_number, locs.count, list(locs));
                    packed_word.additional_variants.push(PackedVariant { form, pages });
                }
            }
        }
    }
}

/// Adds a page's packed words to the site's. A page already there (its
/// body words folded before, planbook patch) gets the meta locations of
/// the new entry; otherwise the entry is added in page order.
fn merge_word_map(word_map: &mut HashMap<String, PackedWord>, local: HashMap<String, PackedWord>) {
    for (word, packed) in local {
        match word_map.entry(word) {
            hashbrown::hash_map::Entry::Occupied(mut entry) => {
                let existing = entry.get_mut();
                existing.pages.append(packed.pages);
                // Merge additional_variants
                for variant in packed.additional_variants {
                    if let Some(existing_variant) = existing
                        .additional_variants
                        .iter_mut()
                        .find(|v| v.form == variant.form)
                    {
                        existing_variant.pages.append(variant.pages);
                    } else {
                        existing.additional_variants.push(variant);
                    }
                }
            }
            hashbrown::hash_map::Entry::Vacant(entry) => {
                entry.insert(packed);
            }
        }
    }
}

/// A page's locations of one word, as upstream's `positions_to_packed_page`
/// lists them, into `locs` (planbook patch: a buffer used again for each
/// word, not a `Vec` per word and page).
fn weighted_locs(positions: &mut [FossickedWord], locs: &mut Vec<i32>) {
    // A page weight of 1 is encoded as 25. Since most words should be this weight,
    // we want to sort them to be first in the locations array to reduce filesize
    // when we inline weight changes.
    // We then sort by position within each weight group,
    // which helps us delta encode the index.
    // (planbook patch: unstable and uncached; two positions with the same
    // key write the same numbers, so the order between them is not seen.)
    positions.sort_unstable_by_key(|p| (if p.weight == 25 { 0 } else { p.weight }, p.position));

    let mut current_weight = 25;
    let mut last_position = 0;
    locs.clear();

    // Calculate our output list of positions with weights.
    // This is a vec of page positions, with a change in weight for subsequent positions
    // denoted by a negative integer.
    for &FossickedWord {
        position, weight, ..
    } in positions.iter()
    {
        if weight != current_weight {
            // Weight change: emit marker + absolute position, new delta base
            locs.push(-(weight as i32) - 1);
            locs.push(position as i32);
            last_position = position;
            current_weight = weight;
        } else {
            // emit delta from previous position
            locs.push((position - last_position) as i32);
            last_position = position;
        }
    }
}

fn chunk_index(word_map: HashMap<String, PackedWord>, chunk_size: usize) -> Vec<Vec<PackedWord>> {
    // Accumulate into HashMap for O(1) inserts, then sort once before encoding
    // to produce a stable hash without paying BTreeMap's per-insert overhead.
    let mut words = word_map
        .into_iter()
        .map(|(_, w)| w)
        .collect::<Vec<PackedWord>>();
    // planbook patch: compared in place, not through a copy of each word
    // per comparison, on all cores (words are unique, so the order is the
    // same as a stable sort's).
    words.par_sort_unstable_by(|a, b| a.word.cmp(&b.word));

    let mut index_chunks = Vec::new();

    let mut index_chunk = Vec::new();
    let mut index_chunk_size = 0;
    for word in words.into_iter() {
        index_chunk_size += word.pages.weight()
            + word.additional_variants.iter().map(|v| v.pages.weight()).sum::<usize>()
            + word.additional_variants.len();
        index_chunk.push(word);
        if index_chunk_size >= chunk_size {
            // planbook patch: moved, not copied
            index_chunks.push(std::mem::take(&mut index_chunk));
            index_chunk_size = 0;
        }
    }
    if !index_chunk.is_empty() {
        index_chunks.push(index_chunk);
    }

    index_chunks
}

fn chunk_meta(indexes: &[Vec<PackedWord>]) -> Vec<MetaChunk> {
    let mut named_chunks: Vec<MetaChunk> = Vec::new();

    for chunk in indexes.iter() {
        named_chunks.push(MetaChunk {
            from: chunk.first().map_or("".into(), |w| w.word.clone()),
            to: chunk.last().map_or("".into(), |w| w.word.clone()),
            hash: "".into(),
        });
    }
    if named_chunks.len() > 1 {
        for i in 0..named_chunks.len() - 1 {
            let chunks = &mut named_chunks[i..=i + 1];
            let prefixes = get_prefixes((&chunks[0].to, &chunks[1].from));
            // Only trim 'to' if it won't create an invalid range (to < from)
            if prefixes.0 >= chunks[0].from {
                chunks[0].to = prefixes.0;
            }
            // Always trim the next chunk's 'from'
            chunks[1].from = prefixes.1;
        }
    }

    named_chunks
}

fn get_prefixes((a, b): (&str, &str)) -> (String, String) {
    let common_prefix_length: usize = b
        .chars()
        .zip(a.chars())
        .take_while(|&(a, b)| a == b)
        .count();

    let a_prefix = a.chars().take(common_prefix_length + 1).collect::<String>();
    let b_prefix = b.chars().take(common_prefix_length + 1).collect::<String>();

    (a_prefix, b_prefix)
}

fn parse_int_sort(value: &str) -> Option<i32> {
    lexical_core::parse::<i32>(value.as_bytes()).ok()
}

fn parse_float_sort(value: &str) -> Option<f32> {
    lexical_core::parse::<f32>(value.as_bytes()).ok()
}

/// Encode meta positions with field ID markers.
/// Negative numbers switch field IDs, positive numbers are delta-encoded positions.
/// e.g., [-1, 0, 5, -4, 2] means: field 0 positions [0, 5], field 3 positions [2]
fn meta_positions_to_packed(mut positions: Vec<MetaFossickedWord>) -> Vec<i32> {
    if positions.is_empty() {
        return vec![];
    }

    positions.sort_by_key(|p| (p.field_id, p.position));

    let mut current_field: Option<u16> = None;
    let mut last_position: u32 = 0;
    let mut result = Vec::with_capacity(positions.len() + 8);

    for MetaFossickedWord {
        field_id, position, ..
    } in positions
    {
        if Some(field_id) != current_field {
            result.push(-((field_id as i32) + 1));
            current_field = Some(field_id);
            last_position = 0;
        }
        result.push((position - last_position) as i32);
        last_position = position;
    }

    result
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Mock {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>);
    }
    impl Mock for HashMap<String, PackedWord> {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>) {
            self.entry(word.to_string())
                .or_insert_with(|| PackedWord {
                    word: word.into(),
                    pages: PackedPages::default(),
                    additional_variants: vec![],
                })
                .pages
                .push(page_number, &locs);
        }
    }

    fn test_words() -> HashMap<String, PackedWord> {
        let mut words = HashMap::new();
        words.word("apple", 1, vec![20, 40, 60]);
        words.word("apple", 5, vec![3, 6, 9]);
        words.word("apricot", 5, vec![45, 3432, 6003]);
        words.word("banana", 5, vec![100, 500, 900, 566]);
        words.word("peach", 5, vec![383, 2, 678]);

        words
    }

    /// The same postings, but held as diacritic variants rather than on the word itself
    fn test_variant_words() -> HashMap<String, PackedWord> {
        let mut words = test_words();
        for word in words.values_mut() {
            word.additional_variants.push(PackedVariant {
                form: format!("{}\u{0301}", word.word),
                pages: std::mem::take(&mut word.pages),
            });
        }
        words
    }

    #[test]
    fn build_index_chunks() {
        let chunks = chunk_index(test_words(), 8);

        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0][0].word, "apple");
        assert_eq!(chunks[1][0].word, "apricot");
        assert_eq!(chunks[1][1].word, "banana");
        assert_eq!(chunks[2][0].word, "peach");
    }

    #[test]
    fn build_index_chunks_from_variant_words() {
        let chunks = chunk_index(test_variant_words(), 8);

        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0][0].word, "apple");
        assert_eq!(chunks[1][0].word, "apricot");
        assert_eq!(chunks[1][1].word, "banana");
        assert_eq!(chunks[2][0].word, "peach");
    }

    #[test]
    fn build_chunk_meta() {
        let chunks = chunk_index(test_words(), 8);
        let meta = chunk_meta(&chunks);
        assert_eq!(meta.len(), 3);
        assert_eq!(
            meta[0],
            MetaChunk {
                from: "apple".into(),
                to: "apple".into(), // Not trimmed to "app" since that would make to < from
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[1],
            MetaChunk {
                from: "apr".into(),
                to: "b".into(),
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[2],
            MetaChunk {
                from: "p".into(),
                to: "peach".into(),
                hash: "".into(),
            }
        );
    }

    #[test]
    fn common_prefix() {
        assert_eq!(
            get_prefixes(("apple", "apricot")),
            ("app".into(), "apr".into())
        );
        assert_eq!(
            get_prefixes(("cataraman", "yacht")),
            ("c".into(), "y".into())
        );
        assert_eq!(
            get_prefixes(("cath", "cathartic")),
            ("cath".into(), "catha".into())
        );
        // This should be an invalid state, but just in case:
        assert_eq!(
            get_prefixes(("catha", "cath")),
            ("catha".into(), "cath".into())
        );
    }
}

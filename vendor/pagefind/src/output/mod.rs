use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::index::PagefindIndexes;
use crate::{SearchOptions, PAGEFIND_VERSION};
use flate2::write::GzEncoder; // TODO: Replace flate2 with async-compression since we
use flate2::Compression; //   // require that crate for the input compression anyway.
use futures::future::join_all;
use std::collections::BTreeMap;
use include_dir::{include_dir, Dir};
use minifier::js::minify;
use tokio::fs::{create_dir_all, File};
use tokio::io::AsyncWriteExt;
use tokio::time::sleep;

mod entry;

const GENERIC_WEB_WASM: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/wasm/pagefind_web_bg.unknown.",
    env!("CARGO_PKG_VERSION"),
    ".wasm.gz"
));
const WEB_WASM_FILES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/vendor/wasm");

const WEB_JS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_web.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WEB_UI_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_ui.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WEB_UI_CSS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_ui.",
    env!("CARGO_PKG_VERSION"),
    ".css"
));
const WEB_MODULAR_UI_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_modular_ui.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WEB_MODULAR_UI_CSS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_modular_ui.",
    env!("CARGO_PKG_VERSION"),
    ".css"
));
const COMPONENT_UI_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_component_ui.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const COMPONENT_UI_CSS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_component_ui.",
    env!("CARGO_PKG_VERSION"),
    ".css"
));
const SEARCH_JS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_public_search_api.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const HIGHLIGHT_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_highlight.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WORKER_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_worker.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));

pub struct LanguageMeta {
    pub page_count: usize,
    pub language: String,
    pub hash: String,
    pub wasm: Option<String>,
}

pub async fn write_common_to_disk(
    language_indexes: Vec<LanguageMeta>,
    output_playground: bool,
    outdir: &PathBuf,
    options: &SearchOptions,
) {
    write_common(language_indexes, output_playground, outdir, options, false).await;
}

pub async fn write_common_to_memory(
    language_indexes: Vec<LanguageMeta>,
    output_playground: bool,
    outdir: &PathBuf,
    options: &SearchOptions,
) -> Vec<SyntheticFile> {
    write_common(language_indexes, output_playground, outdir, options, true)
        .await
        .unwrap()
}

async fn write_common(
    language_indexes: Vec<LanguageMeta>,
    output_playground: bool,
    outdir: &PathBuf,
    options: &SearchOptions,
    synthetic: bool,
) -> Option<Vec<SyntheticFile>> {
    let js_version = format!("const pagefind_version = \"{PAGEFIND_VERSION}\";");
    let mut js = vec![];
    minify(&format!("{js_version}\n{WEB_JS}\n{SEARCH_JS}"))
        .expect("Minifying Pagefind JS failed")
        .write(&mut js)
        .expect("Writing minified Pagefind JS failed");

    let mut worker_js = vec![];
    minify(&format!(
        "{js_version}\n{WEB_JS}\n{}",
        String::from_utf8_lossy(WORKER_JS)
    ))
    .expect("Minifying Pagefind Worker JS failed")
    .write(&mut worker_js)
    .expect("Writing minified Pagefind Worker JS failed");

    let entry_meta = entry::PagefindEntryMeta {
        version: PAGEFIND_VERSION,
        languages: BTreeMap::from_iter(language_indexes.into_iter().map(|i| {
            (
                i.language,
                entry::PagefindEntryLanguage {
                    hash: i.hash,
                    wasm: i.wasm,
                    page_count: i.page_count,
                },
            )
        })),
        include_characters: options.include_characters.clone(),
    };
    let encoded_entry_meta = serde_json::to_string(&entry_meta).unwrap();

    let write_behavior = if synthetic {
        WriteBehavior::Synthetic
    } else {
        WriteBehavior::Disk
    };

    let mut files = vec![
        write(
            outdir.join("pagefind.js"),
            vec![&js],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-highlight.js"),
            vec![HIGHLIGHT_JS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-worker.js"),
            vec![&worker_js],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-ui.js"),
            vec![WEB_UI_JS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-ui.css"),
            vec![WEB_UI_CSS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-modular-ui.js"),
            vec![WEB_MODULAR_UI_JS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-modular-ui.css"),
            vec![WEB_MODULAR_UI_CSS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-component-ui.js"),
            vec![COMPONENT_UI_JS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-component-ui.css"),
            vec![COMPONENT_UI_CSS],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("wasm.unknown.pagefind"),
            vec![GENERIC_WEB_WASM],
            Compress::None,
            write_behavior,
        ),
        write(
            outdir.join("pagefind-entry.json"),
            vec![encoded_entry_meta.as_bytes()],
            Compress::None,
            write_behavior,
        ),
    ];

    if output_playground {
        files.extend([
            write(
                outdir.join("playground/index.html"),
                vec![crate::playground::PLAYGROUND_HTML.as_bytes()],
                Compress::None,
                write_behavior,
            ),
            write(
                outdir.join("playground/pagefind-playground.js"),
                vec![crate::playground::PLAYGROUND_JS.as_bytes()],
                Compress::None,
                write_behavior,
            ),
            write(
                outdir.join("playground/pagefind-playground.css"),
                vec![crate::playground::PLAYGROUND_CSS.as_bytes()],
                Compress::None,
                write_behavior,
            ),
        ]);
    }

    let output_files = join_all(files).await;

    if synthetic {
        Some(output_files.into_iter().flatten().collect())
    } else {
        None
    }
}

impl PagefindIndexes {
    fn lang_wasm_path(&self) -> Option<String> {
        let base_language = self.language.split('-').next().unwrap();
        let wasm_path = format!(
            "pagefind_web_bg.{}.{}.wasm.gz",
            base_language,
            env!("CARGO_PKG_VERSION")
        );

        if WEB_WASM_FILES.contains(&wasm_path) {
            Some(wasm_path)
        } else {
            None
        }
    }

    pub fn get_lang_meta(&self, options: &SearchOptions) -> LanguageMeta {
        let mut wasm_file = None;

        if self.language != "unknown" {
            if self.lang_wasm_path().is_some() {
                wasm_file = Some(self.language.to_string());
            } else {
                options.logger.v_warn(format!(
                    "Note: Pagefind doesn't support stemming for the language {}. \n\
                    Search will still work, but will not match across root words.",
                    self.language
                ));
            }
        }

        LanguageMeta {
            page_count: self.page_count,
            language: self.language.clone(),
            hash: self.meta_index.0.clone(),
            wasm: wasm_file,
        }
    }

    pub async fn write_files_to_disk(&self, options: &SearchOptions, outdir: &PathBuf) {
        self.write_files(options, outdir, false).await;
    }

    pub async fn write_files_to_memory(
        &self,
        options: &SearchOptions,
        outdir: &PathBuf,
    ) -> Vec<SyntheticFile> {
        self.write_files(options, outdir, true).await.unwrap()
    }

    async fn write_files(
        &self,
        options: &SearchOptions,
        outdir: &PathBuf,
        synthetic: bool,
    ) -> Option<Vec<SyntheticFile>> {
        let immutable_write_behaviour = if synthetic {
            WriteBehavior::Synthetic
        } else {
            WriteBehavior::Immutable
        };

        // planbook patch: the files as (name, contents, compression, written
        // once by content hash), so that in memory they can be compressed
        // in parallel.
        let mut jobs: Vec<(PathBuf, Vec<&[u8]>, Compress, bool)> = vec![(
            outdir.join(format!("pagefind.{}.pf_meta", &self.meta_index.0)),
            vec![&self.meta_index.1],
            Compress::GZ,
            true,
        )];

        if self.language != "unknown" {
            if let Some(wasm_path) = self.lang_wasm_path() {
                jobs.push((
                    outdir.join(format!("wasm.{}.pagefind", self.language)),
                    vec![WEB_WASM_FILES
                        .get_file(wasm_path)
                        .expect("WASM should exist")
                        .contents()],
                    Compress::None,
                    false,
                ));
            } else {
                options.logger.v_warn(format!(
                    "Note: Pagefind doesn't support stemming for the language {}. \n\
                    Search will still work, but will not match across root words.",
                    self.language
                ));
            }
        }

        // planbook patch: a fragment made ahead (in memory only, where it
        // is compressed the same way) is taken as it is; on disk, where
        // upstream compresses at another level, its JSON is.
        let made_json: Vec<Option<String>> = self
            .fragments
            .iter()
            .map(|(_, text)| match text {
                FragmentText::Made(_) if !synthetic => Some(text.json().into_owned()),
                _ => None,
            })
            .collect();
        jobs.extend(self.fragments.iter().zip(&made_json).map(|((hash, text), json)| {
            let (contents, compress) = match (text, json) {
                (_, Some(json)) => (json.as_bytes(), Compress::GZ),
                (FragmentText::Made(made), None) => (&made[..], Compress::None),
                (FragmentText::Json(json), None) => (json.as_bytes(), Compress::GZ),
            };
            (
                outdir.join(format!("fragment/{}.pf_fragment", hash)),
                vec![contents],
                compress,
                true,
            )
        }));

        jobs.extend(self.word_indexes.iter().map(|(hash, index)| {
            (
                outdir.join(format!("index/{}.pf_index", hash)),
                vec![&index[..]],
                Compress::WordIndex,
                true,
            )
        }));

        jobs.extend(self.filter_indexes.iter().map(|(hash, index)| {
            (
                outdir.join(format!("filter/{}.pf_filter", hash)),
                vec![&index[..]],
                Compress::GZ,
                true,
            )
        }));

        if synthetic {
            use rayon::prelude::*;
            return Some(
                // planbook patch: in pieces of at most eight files, so that
                // both threads share the word index (with whole halves one
                // thread compressed it alone, 1 s at 10,000 pages).
                jobs.into_par_iter()
                    .with_max_len(8)
                    .map(|(filename, chunks, compression, _)| {
                        in_memory(filename, chunks, compression)
                    })
                    .collect(),
            );
        }

        let files = jobs.into_iter().map(|(filename, chunks, compression, immutable)| {
            write(
                filename,
                chunks,
                compression,
                if immutable {
                    immutable_write_behaviour
                } else {
                    WriteBehavior::Disk
                },
            )
        });

        let output_files = join_all(files).await;
        if synthetic {
            Some(output_files.into_iter().flatten().collect())
        } else {
            None
        }
    }
}

/// planbook patch: a page's fragment file made ahead, on the thread that
/// parsed the page (and kept with it in planbook's cache): the fragment as
/// JSON, its hash, and the file's contents, compressed as `in_memory`
/// compresses. `build_indexes` uses it only if the JSON it makes has the
/// same hash.
#[derive(Debug, Clone)]
pub struct Fragment {
    pub hash: String,
    pub contents: Vec<u8>,
}

impl Fragment {
    pub fn of(data: &crate::fragments::PageFragmentData) -> Fragment {
        let json = serde_json::to_string(data).unwrap_or_default();
        Fragment {
            hash: crate::utils::full_hash(json.as_bytes()),
            contents: gzip(vec![json.as_bytes()]),
        }
    }
}

/// planbook patch: a page's fragment as the index holds it until it is
/// written: its JSON, or the file made when the page was parsed
/// ([`Fragment`], the JSON compressed as `in_memory` compresses it).
#[derive(Clone, Debug)]
pub enum FragmentText {
    Json(String),
    Made(Vec<u8>),
}

impl FragmentText {
    /// The fragment's JSON (a made file uncompressed: for the paths that
    /// need the text, which planbook's in-memory bundle does not take).
    pub fn json(&self) -> std::borrow::Cow<'_, str> {
        match self {
            FragmentText::Json(json) => json.into(),
            FragmentText::Made(made) => {
                use std::io::Read;
                let mut text = String::new();
                let _ = flate2::read::GzDecoder::new(&made[..]).read_to_string(&mut text);
                text.strip_prefix("pagefind_dcd").unwrap_or(&text).to_string().into()
            }
        }
    }
}

/// planbook patch: `chunks` compressed as `in_memory` compresses them.
fn gzip(chunks: Vec<&[u8]>) -> Vec<u8> {
    gzip_at(chunks, Compression::default())
}

/// `chunks`, each after the marker, as `GzEncoder` at `level` writes
/// them (the same bytes: header, raw deflate, CRC-32 and length), with a
/// deflate state kept per thread and level and reset for each file. A new
/// `GzEncoder` allocated and zeroed its state (over 256 KB) for every
/// file: 10,000 fragments and the word index at 10,000 plans.
fn gzip_at(chunks: Vec<&[u8]>, level: Compression) -> Vec<u8> {
    use flate2::{Compress, Crc, FlushCompress, Status};
    use std::cell::RefCell;
    thread_local! {
        static STATES: RefCell<Vec<(u32, Compress)>> = const { RefCell::new(Vec::new()) };
    }
    let xfl = if level.level() >= Compression::best().level() {
        2
    } else if level.level() <= Compression::fast().level() {
        4
    } else {
        0
    };
    let size: usize = chunks.iter().map(|c| c.len() + 12).sum();
    let mut out = Vec::with_capacity(size / 3 + 64);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255]);
    let mut crc = Crc::new();
    STATES.with(|states| {
        let mut states = states.borrow_mut();
        let at = match states.iter().position(|(l, _)| *l == level.level()) {
            Some(at) => at,
            None => {
                states.push((level.level(), Compress::new(level, false)));
                states.len() - 1
            }
        };
        let Some((_, deflate)) = states.get_mut(at) else {
            return;
        };
        deflate.reset();
        let mut feed = |input: &[u8], flush: FlushCompress, out: &mut Vec<u8>| {
            let start = deflate.total_in();
            loop {
                if out.capacity() - out.len() < 4096 {
                    out.reserve(out.capacity().max(4096));
                }
                let done = (deflate.total_in() - start) as usize;
                // Deflating into memory does not fail; if it did, the file
                // would not decompress (stopping is what matters here).
                let Ok(status) = deflate.compress_vec(input.get(done..).unwrap_or_default(), out, flush) else {
                    break;
                };
                let fed = (deflate.total_in() - start) as usize >= input.len();
                match flush {
                    FlushCompress::Finish if status == Status::StreamEnd => break,
                    FlushCompress::Finish => {}
                    _ if fed && out.capacity() > out.len() => break,
                    _ => {}
                }
            }
        };
        for chunk in chunks {
            for piece in [&b"pagefind_dcd"[..], chunk] {
                crc.update(piece);
                feed(piece, FlushCompress::None, &mut out);
            }
        }
        feed(&[], FlushCompress::Finish, &mut out);
    });
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&crc.amount().to_le_bytes());
    out
}

/// planbook patch: a file of the bundle in memory, compressed as `write`
/// compresses it but at zlib's default level instead of the best: at
/// 10,000 plan pages the bundle is 3 % larger (30.4 MB, not 29.6 MB) and
/// made in 3.2 s instead of 6.0 s, most of which was zlib searching for
/// longer matches. The word index is compressed at level 5: at 10,000
/// plan pages its files are 2 % larger (8.1 MB, not 7.9 MB) and made in
/// 0.66 s instead of 1.13 s of one core (`zlib-rs`, measured on the files
/// themselves).
fn in_memory(filename: PathBuf, content_chunks: Vec<&[u8]>, compression: Compress) -> SyntheticFile {
    let contents = match compression {
        Compress::GZ => gzip(content_chunks),
        Compress::WordIndex => gzip_at(content_chunks, Compression::new(5)),
        Compress::None => content_chunks.into_iter().flatten().cloned().collect(),
    };
    SyntheticFile { filename, contents }
}

#[derive(Copy, Clone)]
enum Compress {
    GZ,
    /// planbook patch: gzip, at level 5 in memory (see `in_memory`).
    WordIndex,
    None,
}

#[derive(Copy, Clone)]
enum WriteBehavior {
    Synthetic,
    Immutable,
    Disk,
}

#[derive(Clone)]
pub struct SyntheticFile {
    pub filename: PathBuf,
    pub contents: Vec<u8>,
}

async fn write(
    filename: PathBuf,
    content_chunks: Vec<&[u8]>,
    compression: Compress,
    write_behavior: WriteBehavior,
) -> Option<SyntheticFile> {
    let mut file = None;

    match write_behavior {
        WriteBehavior::Synthetic => {}
        // For "immutable" (hashed) files, don't re-write them as the contents _should_ be unchanged.
        WriteBehavior::Immutable if filename.exists() => return None,
        WriteBehavior::Immutable | WriteBehavior::Disk => {
            if let Some(parent) = filename.parent() {
                create_dir_all(parent).await.unwrap();
            }

            let mut output_file = File::create(&filename).await;
            while output_file.is_err() {
                sleep(Duration::from_millis(100)).await;
                output_file = File::create(&filename).await;
            }
            file = output_file.ok();
        }
    };

    match compression {
        Compress::GZ | Compress::WordIndex => {
            let mut gz = GzEncoder::new(Vec::new(), Compression::best());
            for chunk in content_chunks {
                gz.write_all(b"pagefind_dcd").unwrap();
                gz.write_all(chunk).unwrap();
            }
            if let Ok(contents) = gz.finish() {
                if let Some(mut file) = file {
                    file.write_all(&contents).await.unwrap();
                    // `write_all` resolving only means the bytes are in tokio's
                    // buffer; the blocking-pool write to disk may still be in
                    // flight. Flush before the file drops, or a service-mode
                    // consumer can receive the WriteFiles acknowledgement and
                    // close the process while a file is half written, shipping
                    // a truncated asset.
                    file.flush().await.unwrap();
                } else {
                    return Some(SyntheticFile { filename, contents });
                }
            }
            None
        }
        Compress::None => {
            if let Some(mut file) = file {
                for chunk in content_chunks {
                    file.write_all(chunk).await.unwrap();
                }
                file.flush().await.unwrap();
                None
            } else {
                return Some(SyntheticFile {
                    filename,
                    contents: content_chunks.into_iter().flatten().cloned().collect(),
                });
            }
        }
    }
}

#[cfg(test)]
mod gzip_tests {
    use super::*;
    use std::io::Read;

    fn gz_encoder(chunks: &[&[u8]], level: Compression) -> Vec<u8> {
        let mut gz = GzEncoder::new(Vec::new(), level);
        for chunk in chunks {
            gz.write_all(b"pagefind_dcd").unwrap();
            gz.write_all(chunk).unwrap();
        }
        gz.finish().unwrap()
    }

    /// planbook patch: `gzip_at` (a deflate state reused per thread)
    /// writes what `GzEncoder` writes for a fragment-sized file, and any
    /// file it writes decompresses to its input, again and again on one
    /// thread, at each level the bundle uses.
    #[test]
    fn gzip_at_writes_what_gz_encoder_writes() {
        let small = "推薦によるお気に入り登録率の向上 ".repeat(200);
        let large: Vec<u8> = (0..100_000u32).flat_map(|i| (i % 251 ^ i / 7).to_le_bytes()).collect();
        for level in [Compression::default(), Compression::new(5), Compression::best()] {
            for _ in 0..3 {
                let chunks: Vec<&[u8]> = vec![small.as_bytes(), b"{}"];
                assert_eq!(gzip_at(chunks.clone(), level), gz_encoder(&chunks, level));
                let made = gzip_at(vec![&large], level);
                let mut back = Vec::new();
                flate2::read::GzDecoder::new(&made[..]).read_to_end(&mut back).unwrap();
                assert_eq!(back.strip_prefix(b"pagefind_dcd").unwrap(), &large[..]);
            }
        }
    }
}

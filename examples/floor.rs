//! The floor of a site build: read every plan file under DIR/content and
//! render its markdown body with pulldown-cmark (the options planbook uses),
//! on all cores, and nothing else. `bench/run.sh` compares builds with it:
//! `cargo run --release --example floor -- DIR`. With `--write OUT` each
//! rendered body is also written to `OUT/N/index.html`, one directory per
//! plan as a site has: the floor of reading, rendering and writing.

use rayon::prelude::*;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, write) = match args.as_slice() {
        [dir] => (dir, None),
        [dir, flag, out] if flag == "--write" => (dir, Some(std::path::PathBuf::from(out))),
        _ => {
            eprintln!("usage: floor DIR [--write OUT]");
            return std::process::ExitCode::from(2);
        }
    };
    let files: Vec<std::path::PathBuf> =
        walkdir::WalkDir::new(std::path::Path::new(&dir).join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(walkdir::DirEntry::into_path)
            .collect();
    let bytes: usize = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let body = text.split_once("\n---\n").map_or(text.as_str(), |(_, b)| b);
            let mut opts = pulldown_cmark::Options::empty();
            opts.insert(pulldown_cmark::Options::ENABLE_TABLES);
            opts.insert(pulldown_cmark::Options::ENABLE_FOOTNOTES);
            opts.insert(pulldown_cmark::Options::ENABLE_TASKLISTS);
            opts.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
            let mut html = String::with_capacity(body.len() * 2);
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body, opts));
            if let Some(out) = &write {
                let page_dir = out.join(i.to_string());
                let written = std::fs::create_dir_all(&page_dir)
                    .and_then(|()| std::fs::write(page_dir.join("index.html"), &html));
                if let Err(e) = written {
                    eprintln!("cannot write {}: {e}", page_dir.display());
                }
            }
            html.len()
        })
        .sum();
    println!("rendered {} files, {bytes} bytes of HTML", files.len());
    std::process::ExitCode::SUCCESS
}

//! The YAML fast path gives exactly the full parser's tree, on every plan we
//! have: demo content, fixtures and a generated corpus.

use planbook::frontmatter::split;
use planbook::yaml::{fast, parse_full};

use crate::corpus;

fn check(name: &str, text: &str) -> bool {
    let Ok(s) = split(text) else { return false };
    let fast = fast::parse(s.yaml, s.yaml_line);
    let (full, errors) = parse_full(s.yaml, s.yaml_line);
    if let Some(f) = &fast {
        assert!(
            errors.is_empty(),
            "{name}: fast path accepted invalid YAML: {errors:?}"
        );
        assert_eq!(Some(f), full.as_ref(), "{name}: fast path differs");
    }
    fast.is_some()
}

#[test]
fn fast_path_matches_and_covers_real_plans() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["content", "tests/fixtures"] {
        for e in walkdir::WalkDir::new(root.join(dir)) {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "md") {
                files.push(e.into_path());
            }
        }
    }
    let mut fast_count = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        fast_count += usize::from(check(&f.display().to_string(), &text));
    }
    // Every real plan (all but the non-plan index and draft) takes the fast path.
    assert!(
        fast_count >= files.len() - 2,
        "{fast_count} of {}",
        files.len()
    );
    for i in 0..300 {
        assert!(
            check(&format!("corpus plan {i}"), &corpus::plan(i)),
            "corpus plan {i} fell back"
        );
    }
}

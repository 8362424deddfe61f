//! A corpus of broken and hostile repositories. For each: `lint` and
//! `build` never panic, exit with a code docs/format.md allows for the case, name
//! the offending file, and finish in bounded time and memory (the process
//! runs under a 1 GB address-space limit and must finish within 20 s).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::*;

struct Case {
    name: &'static str,
    /// Writes the hostile repository.
    setup: fn(&Repo),
    /// Exit codes `lint` may give.
    lint: &'static [i32],
    /// A string the combined output must contain (usually the file name).
    mentions: &'static str,
}

fn plan_with(f: impl Fn(String) -> String) -> String {
    f(base_plan())
}

fn deep_block(levels: usize) -> String {
    let mut s = String::from("---\ntitle: x\nteam:\n");
    for i in 0..levels {
        s.push_str(&format!("{}k{i}:\n", "  ".repeat(i + 1)));
    }
    s.push_str("---\n");
    s
}

const CASES: &[Case] = &[
    Case {
        name: "empty file",
        setup: |r| {
            r.file("content/a.md", "");
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "only dashes",
        setup: |r| {
            r.file("content/a.md", "---\n---\n");
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "unclosed frontmatter",
        setup: |r| {
            r.file("content/a.md", "---\ntitle: x\n");
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "binary garbage",
        setup: |r| {
            r.bytes(
                "content/a.md",
                &(0..=255u8).cycle().take(50_000).collect::<Vec<_>>(),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "non-UTF-8",
        setup: |r| {
            r.bytes("content/a.md", b"---\ntitle: \xc3\x28\n---\n");
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "UTF-16",
        setup: |r| {
            r.bytes("content/a.md", b"\xff\xfe-\x00-\x00-\x00\n\x00");
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "NUL bytes",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan().replace("title: ", "title: a\u{0}b"),
            );
        },
        lint: &[0, 1],
        mentions: "",
    },
    Case {
        name: "alias bomb",
        setup: |r| {
            let mut s = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
            for i in 1..25 {
                let p = i - 1;
                s.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
            }
            s.push_str("---\n");
            r.file("content/a.md", &s);
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "deep flow nesting",
        setup: |r| {
            r.file(
                "content/a.md",
                &format!("---\ntitle: {}\n---\n", "[".repeat(200_000)),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "deep block nesting",
        setup: |r| {
            r.file("content/a.md", &deep_block(300));
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "file over the size limit",
        setup: |r| {
            r.file(
                "content/a.md",
                &format!("{}\n{}", base_plan(), "x".repeat(5 * 1024 * 1024)),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "a 1 MB line",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan().replace("use_case: ", &format!("use_case: {}", "長".repeat(300_000))),
            );
        },
        lint: &[0],
        mentions: "",
    },
    Case {
        name: "2,000 milestones",
        setup: |r| {
            let mut s = String::from("milestones:\n");
            for i in 0..2000 {
                s.push_str(&format!(
                    "  - id: m{i}\n    title: t\n    due: 2027-01-01\n"
                ));
            }
            r.file(
                "content/a.md",
                &base_plan().replacen("milestones:\n", &s, 1).replacen(
                    "  - id: m1\n",
                    "  - id: x1\n",
                    1,
                ),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "100,000 measurements",
        setup: |r| {
            let mut s = String::from("measurements:\n");
            for i in 0..100_000 {
                s.push_str(&format!("  - {{ date: 2027-01-01, value: {i} }}\n"));
            }
            r.file(
                "content/a.md",
                &base_plan().replacen("measurements:\n", &s, 1),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "huge numbers",
        setup: |r| {
            r.file(
                "content/a.md",
                &plan_with(|p| {
                    p.replace("baseline: 2.0", "baseline: 1e308")
                        .replace("target: 2.5", "target: 1e309")
                }),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "far dates",
        setup: |r| {
            r.file(
                "content/a.md",
                &plan_with(|p| {
                    p.replace("start: 2026-12-01", "start: 9999-12-31")
                        .replace("date: 2026-12-02", "date: 0000-01-01")
                }),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "id escaping the output",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan().replace("id: base-plan", "id: ../../evil"),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "absolute id",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan().replace("id: base-plan", "id: /etc/passwd"),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "windows separators in id",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan().replace("id: base-plan", "id: 'a\\..\\b'"),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "reserved name as id",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan().replace("id: base-plan", "id: con"),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "draft with an invalid stem (no page)",
        setup: |r| {
            r.file(
                "content/My Plan.md",
                &base_plan()
                    .replace("id: base-plan\n", "")
                    .replace("status: active", "status: draft"),
            );
        },
        lint: &[0],
        mentions: "content/My Plan.md",
    },
    Case {
        name: "hidden files are not plans",
        setup: |r| {
            r.file("content/...md", "garbage");
            r.file("content/.x/a.md", "garbage");
        },
        lint: &[0],
        mentions: "0",
    },
    Case {
        name: "unicode id",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan().replace("id: base-plan", "id: 計画\u{202e}"),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "tabs in indentation",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan().replace("  pm: 佐藤", "\tpm: 佐藤"),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "lone CR line ends",
        setup: |r| {
            r.file("content/a.md", &base_plan().replace('\n', "\r"));
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "merge keys and tags",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan()
                    .replace("ice:\n", "x: &x { impact: 1 }\nice:\n  <<: *x\n")
                    .replace("title: 推薦", "title: !!binary 推薦"),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "duplicate keys everywhere",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan()
                    .replace("  pm: 佐藤 花子\n", "  pm: 佐藤 花子\n  pm: x\n")
                    .replace("status: active\n", "status: active\nstatus: active\n"),
            );
        },
        lint: &[1],
        mentions: "content/a.md",
    },
    Case {
        name: "script in every string",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan()
                    .replace("title: 推薦", "title: <script>alert(1)</script>推薦")
                    .replace(
                        "audience: CTO",
                        "audience: \"<img src=x onerror=alert(1)>\"",
                    ),
            );
        },
        lint: &[0],
        mentions: "",
    },
    Case {
        name: "template syntax in content",
        setup: |r| {
            r.file(
                "content/a.md",
                &base_plan().replace(
                    "title: 推薦によるお気に入り登録率の向上",
                    "title: \"{% for x in [1,2] %}{{ x }}{% endfor %}\"",
                ),
            );
        },
        lint: &[0],
        mentions: "",
    },
    Case {
        name: "deeply nested markdown",
        setup: |r| {
            r.file(
                "content/a.md",
                &format!("{}{}\n", base_plan(), "> ".repeat(5_000)),
            );
        },
        lint: &[0],
        mentions: "",
    },
    Case {
        name: "many brackets in markdown",
        setup: |r| {
            r.file(
                "content/a.md",
                &format!("{}{}\n", base_plan(), "[a](".repeat(50_000)),
            );
        },
        lint: &[0],
        mentions: "",
    },
    Case {
        name: "symlink loop",
        setup: |r| {
            symlink(r, "content", "content/loop");
            r.file("content/a.md", &base_plan());
        },
        lint: &[0],
        mentions: "content/loop",
    },
    Case {
        name: "symlink outside the root",
        setup: |r| {
            symlink(r, "/etc/hostname", "content/out.md");
            r.file("content/a.md", &base_plan());
        },
        lint: &[0],
        mentions: "outside",
    },
    Case {
        name: "dangling symlink",
        setup: |r| {
            symlink(r, "nowhere.md", "content/gone.md");
            r.file("content/a.md", &base_plan());
        },
        lint: &[0],
        mentions: "gone.md",
    },
    Case {
        name: "a directory named like a plan",
        setup: |r| {
            r.file("content/x.md/y.txt", "not a plan");
            r.file("content/a.md", &base_plan());
        },
        lint: &[0],
        mentions: "",
    },
    Case {
        name: "no content directory",
        setup: |r| {
            let _ = std::fs::remove_dir_all(r.path().join("content"));
        },
        lint: &[2],
        mentions: "content",
    },
    Case {
        name: "content is a file",
        setup: |r| {
            let _ = std::fs::remove_dir_all(r.path().join("content"));
            r.file("content", "x");
        },
        lint: &[2],
        mentions: "content",
    },
    Case {
        name: "empty content",
        setup: |_| {},
        lint: &[0],
        mentions: "0",
    },
    Case {
        name: "garbage book.toml",
        setup: |r| {
            r.bytes("book.toml", b"\xff\xfe[[[=\n");
        },
        lint: &[2],
        mentions: "book.toml",
    },
    Case {
        name: "deeply nested book.toml",
        setup: |r| {
            r.file(
                "book.toml",
                &format!("x = {}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
            );
        },
        lint: &[2],
        mentions: "book.toml",
    },
    Case {
        name: "book.toml wrong types",
        setup: |r| {
            r.file("book.toml", "[site]\nlanguage = \"fr\"\n[roles]\npm = 3\n");
        },
        lint: &[2],
        mentions: "book.toml",
    },
    Case {
        name: "output set to the root",
        setup: |r| {
            r.file("book.toml", "[site]\noutput = \".\"\n");
            r.file("content/a.md", &base_plan());
        },
        lint: &[0],
        mentions: "",
    },
    Case {
        name: "output set to content",
        setup: |r| {
            r.file("book.toml", "[site]\noutput = \"content\"\n");
            r.file("content/a.md", &base_plan());
        },
        lint: &[0],
        mentions: "",
    },
    Case {
        name: "2,000 small broken plans",
        setup: |r| {
            for i in 0..2000 {
                r.file(&format!("content/p{i}.md"), "---\ntitle: [\n---\n");
            }
        },
        lint: &[1],
        mentions: "content/p1999.md",
    },
];

fn symlink(r: &Repo, target: &str, link: &str) {
    let link = r.path().join(link);
    let target = if target.starts_with('/') {
        std::path::PathBuf::from(target)
    } else {
        r.path().join(target)
    };
    #[cfg(unix)]
    let _ = std::os::unix::fs::symlink(target, link);
}

/// Runs the binary under a 1 GB address-space limit.
fn limited(root: &Path, args: &[&str]) -> (i32, String, Duration) {
    let mut cmd = format!(
        "ulimit -v 1000000; exec '{}' --root '{}' --today {TODAY} --color never",
        bin().display(),
        root.display()
    );
    for a in args {
        cmd.push_str(&format!(" '{a}'"));
    }
    let start = Instant::now();
    let out = Command::new("sh").arg("-c").arg(&cmd).output().expect("sh");
    let elapsed = start.elapsed();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text, elapsed)
}

#[test]
fn hostile_repositories_are_handled() {
    assert!(CASES.len() >= 40, "the corpus has {} cases", CASES.len());
    for c in CASES {
        let repo = Repo::new();
        (c.setup)(&repo);
        let (code, out, took) = limited(repo.path(), &["lint"]);
        assert!(!out.contains("panicked"), "{}: panic\n{out}", c.name);
        assert!(
            c.lint.contains(&code),
            "{}: lint exit {code}\n{out}",
            c.name
        );
        assert!(
            out.contains(c.mentions),
            "{}: output does not mention {:?}\n{}",
            c.name,
            c.mentions,
            out.chars().take(2000).collect::<String>()
        );
        assert!(
            took < Duration::from_secs(20),
            "{}: lint took {took:?}",
            c.name
        );

        let site = tempfile::tempdir().unwrap();
        let out_dir = site.path().join("public");
        let out_arg = out_dir.to_string_lossy().into_owned();
        let (bcode, bout, btook) = limited(repo.path(), &["build", "--out", &out_arg]);
        assert!(
            !bout.contains("panicked"),
            "{}: build panicked\n{bout}",
            c.name
        );
        assert!(
            [0, 1, 2].contains(&bcode),
            "{}: build exit {bcode}\n{bout}",
            c.name
        );
        assert!(
            btook < Duration::from_secs(20),
            "{}: build took {btook:?}",
            c.name
        );
        // Lint errors mean nothing is written; a build never writes outside --out.
        if bcode != 0 {
            assert!(!out_dir.exists(), "{}: a failed build wrote output", c.name);
        }
        assert!(!repo.path().join("evil").exists() && !site.path().join("evil").exists());
        // `status` and `report` read the same plans: exit 0 (or 2 for a
        // broken repository), never a panic.
        for args in [
            &["status", "--format", "json"][..],
            &["report", "--format", "json"][..],
            &["report", "--format", "html"][..],
        ] {
            let (scode, sout, stook) = limited(repo.path(), args);
            assert!(
                !sout.contains("panicked"),
                "{}: {args:?} panicked\n{sout}",
                c.name
            );
            assert!(
                [0, 2].contains(&scode),
                "{}: {args:?} exit {scode}\n{sout}",
                c.name
            );
            assert!(
                stook < Duration::from_secs(20),
                "{}: {args:?} took {stook:?}",
                c.name
            );
        }
        if code == 0 && bcode == 0 {
            // Every page stays inside the output directory.
            for e in walkdir::WalkDir::new(&out_dir) {
                let e = e.unwrap();
                assert!(e.path().starts_with(&out_dir));
            }
        }
    }
}

#[test]
fn output_equal_to_root_or_content_from_config_is_refused() {
    for out in [".", "content"] {
        let repo = Repo::new();
        repo.file("book.toml", &format!("[site]\noutput = \"{out}\"\n"));
        repo.file("content/a.md", &base_plan());
        let r = repo.run(&["build"]);
        assert_eq!(r.code, 2, "{out}: {}", r.stderr);
        assert!(repo.path().join("content/a.md").is_file());
    }
}

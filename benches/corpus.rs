//! A deterministic corpus of realistic plans that lint clean (at
//! `CORPUS_TODAY`): Japanese and English, 2–5 milestones, 3–12 tasks per
//! milestone, measurements, updates and a 2–4 KB markdown body. Shared by
//! `examples/gen_corpus.rs` and the benchmarks.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// Lint the corpus at this date: nothing is overdue yet.
pub const CORPUS_TODAY: &str = "2026-11-28";

/// A tiny deterministic PRNG (xorshift), so corpora are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn date(base: chrono::NaiveDate, days: u64) -> chrono::NaiveDate {
    base + chrono::Duration::days(days as i64)
}

const JA_PARAGRAPH: &str = "顧客はトップページを開き、自分の好みに合う商品が並んでいることに気づく。気になった商品をお気に入りに登録し、後日まとめて購入する。登録が増えるほど推薦が好みに合い、トップページに来る理由が強くなる。";
const EN_PARAGRAPH: &str = "A new subscriber signs up for one job. If the first two weeks do not get that job done, they cancel before the first renewal. We want to notice the usage drop early and offer help that fits the job they came for.";

/// The text of plan number `i`.
pub fn plan(i: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let ja = i % 3 != 2;
    let base = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let start = date(base, rng.range(0, 30));
    let n_ms = rng.range(2, 5);
    let finished = i.is_multiple_of(2);
    let baseline = rng.range(10, 50) as f64 / 10.0;
    let mut s = String::with_capacity(8192);
    let t = |j: &'static str, e: &'static str| if ja { j } else { e };
    let _ = write!(
        s,
        "---\ntitle: \"{} {i}\"\nid: plan-{i:05}\nstatus: active\nstart: {start}\nuse_case: {}\nteam:\n  pm: {}\n  dev: {}\n  ds: {}\n",
        t(
            "推薦によるお気に入り登録率の向上",
            "Cut early cancellations"
        ),
        t(
            "トップページで好みに合う商品を推薦する",
            "Reach subscribers at risk of cancelling"
        ),
        t("佐藤 花子", "Alice Moreau"),
        t("鈴木 一郎", "Ben Okafor"),
        t("高橋 健", "Chen Wei"),
    );
    let _ = write!(
        s,
        "ice:\n  impact: {}\n  ease: {}\n  confidence: 1.0\n  evidence: estimates\n",
        rng.range(1, 10),
        rng.range(1, 10)
    );
    let _ = write!(
        s,
        "metric:\n  name: {}\n  unit: \"%\"\n  direction: increase\n  baseline: {baseline}\n  correlations:\n    customer_experience: {}\n    revenue: {}\n    model_accuracy: {}\n",
        t(
            "推薦アイテムのお気に入り登録率",
            "Share of subscribers who renew"
        ),
        t(
            "顧客の好むアイテムが提案できたことを示す",
            "Renewing subscribers found the product useful"
        ),
        t(
            "お気に入りの商品は購入される可能性が高い",
            "Renewals are revenue"
        ),
        t(
            "お気に入り登録がラベル付きデータとして蓄積される",
            "Each renewal is a labelled example"
        ),
    );
    s.push_str("milestones:\n");
    let roles = ["pm", "dev", "ds"];
    let mut due = start;
    let mut target = baseline;
    let mut targets = Vec::new();
    for m in 1..=n_ms {
        let prev_due = due;
        // Up to five milestones within the workshop's three months (MIL013).
        due = date(due, rng.range(12, 17));
        target += rng.range(1, 10) as f64 / 10.0;
        let target = (target * 10.0).round() / 10.0;
        targets.push((due, target));
        let _ = write!(
            s,
            "  - id: m{m}\n    title: \"{} {m}\"\n    due: {due}\n    target: {target}\n    questions:\n      - {}\n      - id: q{m}-segment\n        ask: {}\n    data:\n      items: [{}]\n      amount: {}\n    cost_days: {}\n    review: {}\n",
            t("推薦を改善する", "Improve outreach"),
            t(
                "推薦枠で登録は増えるか",
                "Does outreach reduce cancellations?"
            ),
            t("どの顧客層に効くか", "Which segment does it help most?"),
            t("表示ログ, 登録ログ", "call log, cancellations"),
            t("2 週間", "two weeks"),
            rng.range(3, 20),
            date(due, 3)
        );
        // Every other plan has finished its first milestone (the question
        // ledger and the update follow below).
        if m == 1 && finished {
            let _ = write!(
                s,
                "    status: done\n    done_on: {due}\n    actual: {:.1}\n",
                target + 0.1
            );
        }
        s.push_str("    tasks:\n");
        let n_tasks = rng.range(3, 12) as usize;
        for k in 0..n_tasks {
            let role = roles.get(k % 3).copied().unwrap_or("pm");
            let span = (due - prev_due).num_days().max(1) as u64;
            let task_due = date(prev_due, rng.range(1, span));
            let _ = write!(
                s,
                "      - role: {role}\n        do: {} {k}\n        done_when: {}\n        due: {task_due}\n",
                t("タスクを進める", "Do the work"),
                t("レビューで承認されている", "Approved in review"),
            );
        }
    }
    s.push_str("measurements:\n");
    let mut d = start;
    let (first_due, first_target) = targets.first().copied().unwrap_or((start, baseline));
    for k in 1..=4u64 {
        d = date(d, 7);
        if d >= first_due {
            break;
        }
        let frac = k as f64 * 7.0 / (first_due - start).num_days() as f64;
        let v = baseline + (first_target - baseline) * frac;
        let _ = writeln!(s, "  - {{ date: {d}, value: {:.2} }}", v);
    }
    if finished {
        let _ = write!(
            s,
            "updates:\n  - date: {}\n    milestone: m1\n    answers:\n      - question: 1\n        verdict: supported\n        finding: {}\n        data: {}\n      - question: q1-segment\n        verdict: inconclusive\n        finding: {}\n    story: {}\n    business_model: {}\n",
            date(first_due, 3),
            t(
                "登録率が目標を超えた",
                "Cancellations fell below the target"
            ),
            t("2 週間・1 万表示", "two weeks of calls"),
            t("層ごとの差は誤差の範囲", "Segments differ within the noise"),
            t(
                "顧客は目に入った商品を登録する",
                "Subscribers stay when helped early"
            ),
            t("変更なし", "No change"),
        );
    } else {
        s.push_str("updates: []\n");
    }
    let _ = write!(
        s,
        "meetings:\n  kickoff:\n    date: {}\n  progress:\n    every: week\n    weekday: tue\n    time: \"10:00-10:30\"\n  executive:\n    audience: CTO\n    dates: [{}]\n---\n",
        date(start, 2),
        date(first_due, 7)
    );
    let para = if ja { JA_PARAGRAPH } else { EN_PARAGRAPH };
    let paragraphs = rng.range(6, 12);
    let _ = writeln!(s, "## {}\n", t("ストーリー", "Story"));
    for p in 0..paragraphs {
        if p % 4 == 3 {
            let _ = writeln!(s, "- **{}** {para}\n- {para}\n", t("要点", "Point"));
        } else {
            let _ = writeln!(s, "{para}\n");
        }
    }
    s
}

/// Writes `n` plans and a book.toml into `dir`.
pub fn write(dir: &Path, n: usize) -> std::io::Result<()> {
    let content = dir.join("content");
    for i in 0..n {
        let sub = content.join(format!("team-{:03}", i / 100));
        if i % 100 == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        std::fs::write(sub.join(format!("plan-{i:05}.md")), plan(i))?;
    }
    std::fs::write(dir.join("book.toml"), "[site]\ntitle = \"Corpus\"\n")?;
    Ok(())
}

/// The body and title of plan `i`, for the plain static-site corpora.
fn body_and_title(i: usize) -> (String, String) {
    let text = plan(i);
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap_or("plan")
        .trim_matches('"')
        .to_string();
    let body = text
        .split_once("\n---\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (title, body)
}

/// Writes the same `n` bodies as a plain Hugo site (minimal layouts).
pub fn write_hugo(dir: &Path, n: usize) -> std::io::Result<()> {
    let posts = dir.join("content/posts");
    std::fs::create_dir_all(&posts)?;
    for i in 0..n {
        let (title, body) = body_and_title(i);
        std::fs::write(
            posts.join(format!("plan-{i:05}.md")),
            format!("---\ntitle: {title:?}\n---\n{body}"),
        )?;
    }
    std::fs::write(
        dir.join("hugo.toml"),
        "baseURL = '/'\nlanguageCode = 'ja'\ntitle = 'Corpus'\ndisableKinds = ['taxonomy', 'term']\n",
    )?;
    let layouts = dir.join("layouts/_default");
    std::fs::create_dir_all(&layouts)?;
    std::fs::write(
        layouts.join("baseof.html"),
        "<!doctype html><html lang=\"{{ .Site.LanguageCode }}\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    )?;
    std::fs::write(
        layouts.join("single.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    )?;
    std::fs::write(
        layouts.join("list.html"),
        "{{ define \"main\" }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    )?;
    std::fs::write(
        dir.join("layouts/index.html"),
        "<!doctype html><html lang=\"{{ .Site.LanguageCode }}\"><ul>{{ range .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>\n",
    )?;
    Ok(())
}

/// Writes the same `n` bodies as a Zola site (minimal templates).
pub fn write_zola(dir: &Path, n: usize) -> std::io::Result<()> {
    let content = dir.join("content");
    std::fs::create_dir_all(&content)?;
    std::fs::write(content.join("_index.md"), "+++\nsort_by = \"title\"\n+++\n")?;
    for i in 0..n {
        let (title, body) = body_and_title(i);
        std::fs::write(
            content.join(format!("plan-{i:05}.md")),
            format!("+++\ntitle = {title:?}\n+++\n{body}"),
        )?;
    }
    std::fs::write(
        dir.join("config.toml"),
        "base_url = \"/\"\ntitle = \"Corpus\"\ncompile_sass = false\nbuild_search_index = false\n",
    )?;
    let templates = dir.join("templates");
    std::fs::create_dir_all(&templates)?;
    std::fs::write(
        templates.join("page.html"),
        "<!doctype html><title>{{ page.title }}</title><h1>{{ page.title }}</h1>{{ page.content | safe }}\n",
    )?;
    std::fs::write(
        templates.join("index.html"),
        "<!doctype html><ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>{% endfor %}</ul>\n",
    )?;
    std::fs::write(templates.join("section.html"), "{{ section.title }}\n")?;
    Ok(())
}

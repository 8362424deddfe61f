//! `planbook init` and `planbook new`: a repository and plans that lint clean.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Duration, Months, NaiveDate};

use crate::config::Config;
use crate::i18n::Lang;
use crate::model::is_valid_id;

const BOOK_TOML: &str = r#"# planbook configuration: every key is optional.
[site]
title = "ML 成長計画"
base_url = "/"
language = "ja"        # "ja" or "en"

[roles]                # the matrix columns, in this order
pm  = "プロダクトマネージャー"
dev = "開発者"
ds  = "データサイエンティスト"

[lint]
first_milestone_months = 3
max_milestone_cost_days = 20
kickoff_within_days = 14
"#;

/// Writes book.toml and `content/first-plan.md` into `dir`; refuses to
/// overwrite anything. Returns the files written.
pub fn init(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>> {
    let book = dir.join("book.toml");
    let plan = dir.join("content").join("first-plan.md");
    let schema = dir.join("plan.schema.json");
    for f in [&book, &plan, &schema] {
        if f.exists() {
            bail!(
                "{} already exists; planbook init does not overwrite files",
                f.display()
            );
        }
    }
    std::fs::create_dir_all(dir.join("content"))
        .with_context(|| format!("cannot create {}", dir.join("content").display()))?;
    std::fs::write(&book, BOOK_TOML).with_context(|| format!("cannot write {}", book.display()))?;
    let config = Config::parse(BOOK_TOML, "book.toml").map_err(anyhow::Error::new)?;
    std::fs::write(&plan, plan_text("first-plan", today, &config))
        .with_context(|| format!("cannot write {}", plan.display()))?;
    std::fs::write(&schema, crate::schema::json_schema())
        .with_context(|| format!("cannot write {}", schema.display()))?;
    Ok(vec![book, plan, schema])
}

/// Writes `content/ID.md` in the repository at `root`, starting `today`.
pub fn new_plan(root: &Path, id: &str, today: NaiveDate) -> Result<PathBuf> {
    if !is_valid_id(id) {
        bail!("`{id}` is not a valid plan id: use only lowercase letters, digits and hyphens");
    }
    let config = Config::load(root).map_err(anyhow::Error::new)?;
    let dir = root.join(&config.site.content);
    let path = dir.join(format!("{id}.md"));
    if path.exists() {
        bail!("{} already exists", path.display());
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(&path, plan_text(id, today, &config))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The text of a new plan that lints clean under `config`, starting `start`.
pub fn plan_text(id: &str, start: NaiveDate, config: &Config) -> String {
    let lang = config.lang();
    let d = |days: i64| start + Duration::days(days);
    let month = |n: u32| start.checked_add_months(Months::new(n)).unwrap_or(start);
    let (m1, m2) = (month(1), month(2));
    let weekday = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .get(d(1).weekday().num_days_from_monday() as usize)
        .copied()
        .unwrap_or("mon");
    let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let mut team = String::new();
    for (key, name) in &config.roles {
        let person = match lang {
            Lang::Ja => format!("（{name}の氏名）"),
            Lang::En => format!("({name})"),
        };
        team.push_str(&format!("  {key}: \"{person}\"\n"));
    }
    let tasks = |due: NaiveDate| {
        let mut s = String::new();
        for key in config.roles.keys() {
            s.push_str(&format!(
                "      - role: {key}\n        do: {}\n        done_when: {}\n        due: {due}\n",
                t("（やること）", "(what to do)"),
                t("（完了状態）", "(what is true when done)")
            ));
        }
        s
    };
    let title = t("（計画のタイトル）", "(plan title)");
    format!(
        r#"---
# yaml-language-server: $schema=../plan.schema.json
title: "{title}"
id: {id}
status: draft
start: {start}
use_case: "{use_case}"
team:
{team}ice:
  impact: 5
  ease: 5
  confidence: 1.0
  evidence: estimates
metric:
  name: "{metric}"
  unit: "%"
  direction: increase
  baseline: 1.0
  correlations:
    customer_experience: "{ce}"
    revenue: "{rev}"
    model_accuracy: "{acc}"
milestones:
  - id: m1
    title: "{m1_title}"
    due: {m1}
    target: 1.5
    questions:
      - "{q}"
    data:
      items: ["{item}"]
      amount: "{amount}"
    cost_days: 5
    review: {m1_review}
    tasks:
{m1_tasks}  - id: m2
    title: "{m2_title}"
    due: {m2}
    target: 2.0
    questions:
      - "{q}"
    data:
      items: ["{item}"]
      amount: "{amount}"
    cost_days: 10
    review: {m2_review}
    tasks:
{m2_tasks}meetings:
  kickoff:
    date: {kickoff}
    title: "{kickoff_title}"
  progress:
    every: week
    weekday: {weekday}
    time: "10:00-10:30"
  executive:
    audience: "{audience}"
    dates: [{exec}]
---
{body}
"#,
        use_case = t(
            "（どの顧客のどの体験を機械学習で良くするか）",
            "(which customer experience ML improves)"
        ),
        metric = t("（成長を計測する指標）", "(growth metric)"),
        ce = t(
            "（指標が上がると顧客体験がどう良くなるか）",
            "(how a rise shows a better customer experience)"
        ),
        rev = t(
            "（指標が収益の先行指標である理由）",
            "(why it leads revenue)"
        ),
        acc = t(
            "（蓄積されるデータでモデルをどう学習できるか）",
            "(how the data it accumulates trains the model)"
        ),
        m1_title = t(
            "（最初の改善: 小さく始める）",
            "(first improvement: start small)"
        ),
        m2_title = t("（次の改善）", "(next improvement)"),
        q = t("（データで答える問い）", "(the question the data answers)"),
        item = t("（証明に使うデータ項目）", "(data item)"),
        amount = t("（必要なデータ量）", "(amount of data)"),
        m1_review = d((m1 - start).num_days() + 3),
        m2_review = d((m2 - start).num_days() + 3),
        m1_tasks = tasks(d((m1 - start).num_days() - 7)),
        m2_tasks = tasks(d((m2 - start).num_days() - 7)),
        kickoff = d(1),
        kickoff_title = t("キックオフ", "Kickoff"),
        audience = t("（報告する経営層）", "(management audience)"),
        exec = d((m1 - start).num_days() + 7),
        body = match lang {
            Lang::Ja =>
                "## ストーリー\n\n（顧客がこのプロダクトを使う必然性を、出来事の順に書きます）\n\n## ビジネスモデル\n\n（成長サイクルがどう回るかを書きます）",
            Lang::En =>
                "## Story\n\n(Write, step by step, why the customer needs this product.)\n\n## Business model\n\n(Write how the growth cycle turns.)",
        },
    )
}

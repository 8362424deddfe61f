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
pub(crate) fn init(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>> {
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
    std::fs::write(&plan, example_text("first-plan", today, &config))
        .with_context(|| format!("cannot write {}", plan.display()))?;
    std::fs::write(&schema, crate::schema::json_schema())
        .with_context(|| format!("cannot write {}", schema.display()))?;
    Ok(vec![book, plan, schema])
}

/// Writes `content/ID.md` in the repository at `root`, starting `today`.
pub(crate) fn new_plan(root: &Path, id: &str, today: NaiveDate) -> Result<PathBuf> {
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

/// The words a plan is written with: the placeholders of a new draft, or
/// the filled-in example of `planbook init`.
struct Words {
    /// A draft of placeholders (`planbook new`), not a filled-in example.
    draft: bool,
    title: &'static str,
    use_case: &'static str,
    metric: &'static str,
    ce: &'static str,
    rev: &'static str,
    acc: &'static str,
    m1_title: &'static str,
    m2_title: &'static str,
    q1: &'static str,
    q2: &'static str,
    item: &'static str,
    amount: &'static str,
    audience: &'static str,
    body: &'static str,
    /// The numbers (and the unit) the team must choose, as YAML scalars:
    /// quoted placeholders in a draft, values in the example.
    unit: &'static str,
    baseline: &'static str,
    m1_target: &'static str,
    m2_target: &'static str,
    impact: &'static str,
    ease: &'static str,
    m1_cost: &'static str,
    m2_cost: &'static str,
}

impl Words {
    /// A draft from `planbook new`: every value the team must write is a
    /// placeholder, so that `planbook lint` lists them (PLN004, as
    /// warnings while the plan is a draft).
    fn placeholders(lang: Lang) -> Words {
        let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
        Words {
            draft: true,
            title: t("（計画のタイトル）", "(plan title)"),
            use_case: t(
                "（どの顧客のどの体験を機械学習で良くするか）",
                "(which customer experience ML improves)",
            ),
            metric: t("（成長を計測する指標）", "(growth metric)"),
            ce: t(
                "（指標が上がると顧客体験がどう良くなるか）",
                "(how a rise shows a better customer experience)",
            ),
            rev: t(
                "（指標が収益の先行指標である理由）",
                "(why it leads revenue)",
            ),
            acc: t(
                "（蓄積されるデータでモデルをどう学習できるか）",
                "(how the data it accumulates trains the model)",
            ),
            m1_title: t(
                "（最初の改善: 小さく始める）",
                "(first improvement: start small)",
            ),
            m2_title: t("（次の改善）", "(next improvement)"),
            q1: t("（データで答える問い）", "(the question the data answers)"),
            q2: t("（データで答える問い）", "(the question the data answers)"),
            item: t("（証明に使うデータ項目）", "(data item)"),
            amount: t("（必要なデータ量）", "(amount of data)"),
            audience: t("（報告する経営層）", "(management audience)"),
            body: t(
                "## ストーリー\n\n（顧客がこのプロダクトを使う必然性を、出来事の順に書きます）\n\n## ビジネスモデル\n\n（成長サイクルがどう回るかを書きます）",
                "## Story\n\n(Write, step by step, why the customer needs this product.)\n\n## Business model\n\n(Write how the growth cycle turns.)",
            ),
            unit: t("\"（単位）\"", "\"(unit)\""),
            baseline: t("\"（開始時の値）\"", "\"(value at start)\""),
            m1_target: t("\"（m1 の目標値）\"", "\"(m1 target)\""),
            m2_target: t("\"（m2 の目標値）\"", "\"(m2 target)\""),
            impact: t("\"（1〜10）\"", "\"(1-10)\""),
            ease: t("\"（1〜10）\"", "\"(1-10)\""),
            m1_cost: t("\"（人日）\"", "\"(person-days)\""),
            m2_cost: t("\"（人日）\"", "\"(person-days)\""),
        }
    }

    /// The example plan of `planbook init`: filled in, so that a new
    /// repository lints with no findings at all.
    fn example(lang: Lang) -> Words {
        let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
        Words {
            draft: false,
            title: t(
                "推薦によるお気に入り登録率の向上",
                "Raise the favourite rate with recommendations",
            ),
            use_case: t(
                "トップページで顧客の好みに合う商品を推薦する",
                "Recommend items that match each customer's taste on the top page",
            ),
            metric: t(
                "推薦アイテムのお気に入り登録率",
                "Favourite rate of recommended items",
            ),
            ce: t(
                "顧客の好むアイテムが提案できたことを示す",
                "A favourite shows we suggested something the customer likes",
            ),
            rev: t(
                "お気に入りの商品は購入される可能性が高い",
                "Favourited items are more likely to be bought",
            ),
            acc: t(
                "お気に入り登録がラベル付きデータとして蓄積される",
                "Every favourite is a labelled example for the model",
            ),
            m1_title: t("売上 Top10 を推薦", "Recommend the top 10 sellers"),
            m2_title: t(
                "一部顧客に人力で推薦",
                "Hand-picked recommendations for some customers",
            ),
            q1: t(
                "推薦枠を置くだけでお気に入り登録は増えるか",
                "Does a recommendation slot alone raise favourites?",
            ),
            q2: t(
                "好みに合わせると登録率は上がるか",
                "Does matching taste raise the rate further?",
            ),
            item: t("お気に入り登録ログ", "favourite log"),
            amount: t("2 週間・1 万表示", "2 weeks, 10,000 views"),
            audience: "CTO",
            body: t(
                "## ストーリー\n\n顧客はトップページで好みの商品に出会い、お気に入りに登録する。\n\n## ビジネスモデル\n\nお気に入りが購入につながり、登録のデータで推薦が良くなる。",
                "## Story\n\nCustomers meet items they like on the top page and favourite them.\n\n## Business model\n\nFavourites lead to purchases, and their data makes recommendations better.",
            ),
            unit: "\"%\"",
            baseline: "1.0",
            m1_target: "1.5",
            m2_target: "2.0",
            impact: "5",
            ease: "5",
            m1_cost: "5",
            m2_cost: "10",
        }
    }
}

/// The text of a new draft plan for `planbook new`, starting `start`: it
/// parses and passes every rule once its placeholders are filled in.
pub(crate) fn plan_text(id: &str, start: NaiveDate, config: &Config) -> String {
    render(id, start, config, &Words::placeholders(config.lang()))
}

/// The example plan of `planbook init`: lints with no findings at `start`.
pub(crate) fn example_text(id: &str, start: NaiveDate, config: &Config) -> String {
    render(id, start, config, &Words::example(config.lang()))
}

fn render(id: &str, start: NaiveDate, config: &Config, w: &Words) -> String {
    let lang = config.lang();
    let d = |days: i64| start + Duration::days(days);
    let month = |n: u32| start.checked_add_months(Months::new(n)).unwrap_or(start);
    let (m1, m2) = (month(1), month(2));
    let weekday = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .get(d(1).weekday().num_days_from_monday() as usize)
        .copied()
        .unwrap_or("mon");
    let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let placeholder = w.draft;
    let people = match lang {
        Lang::Ja => ["佐藤 花子", "鈴木 一郎", "高橋 健"],
        Lang::En => ["Hana Sato", "Ichiro Suzuki", "Ken Takahashi"],
    };
    let mut team = String::new();
    for (i, (key, name)) in config.roles.iter().enumerate() {
        let person = match (placeholder, lang) {
            (true, Lang::Ja) => format!("（{name}の氏名）"),
            (true, Lang::En) => format!("({name})"),
            (false, _) => people
                .get(i % people.len())
                .copied()
                .unwrap_or("-")
                .to_string(),
        };
        team.push_str(&format!("  {key}: \"{person}\"\n"));
    }
    let tasks = |due: NaiveDate| {
        let mut s = String::new();
        for key in config.roles.keys() {
            let (what, done) = if placeholder {
                (
                    t("（やること）", "(what to do)").to_string(),
                    t("（完了状態）", "(what is true when done)").to_string(),
                )
            } else {
                let what = match key.as_str() {
                    "pm" => t("推薦枠のデザインを決める", "Decide the slot design").to_string(),
                    "dev" => t("推薦枠を実装する", "Build the recommendation slot").to_string(),
                    "ds" => t("登録率を計測する", "Measure the favourite rate").to_string(),
                    _ => format!("{key}: {}", t("担当の作業を進める", "do this role's part")),
                };
                (
                    what,
                    t("レビューで承認されている", "approved in review").to_string(),
                )
            };
            s.push_str(&format!(
                "      - role: {key}\n        do: \"{what}\"\n        done_when: \"{done}\"\n        due: {due}\n"
            ));
        }
        s
    };
    format!(
        r#"---
# yaml-language-server: $schema=../plan.schema.json
title: "{title}"
id: {id}
status: {status}
start: {start}
use_case: "{use_case}"
team:
{team}ice:
  impact: {impact}
  ease: {ease}
  confidence: 1.0
  evidence: estimates
metric:
  name: "{metric}"
  unit: {unit}
  direction: increase
  baseline: {baseline}
  correlations:
    customer_experience: "{ce}"
    revenue: "{rev}"
    model_accuracy: "{acc}"
milestones:
  - id: m1
    title: "{m1_title}"
    due: {m1}
    target: {m1_target}
    questions:
      - "{q1}"
    data:
      items: ["{item}"]
      amount: "{amount}"
    cost_days: {m1_cost}
    review: {m1_review}
    tasks:
{m1_tasks}  - id: m2
    title: "{m2_title}"
    due: {m2}
    target: {m2_target}
    questions:
      - "{q2}"
    data:
      items: ["{item}"]
      amount: "{amount}"
    cost_days: {m2_cost}
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
        title = w.title,
        status = if w.draft { "draft" } else { "active" },
        use_case = w.use_case,
        metric = w.metric,
        ce = w.ce,
        rev = w.rev,
        acc = w.acc,
        m1_title = w.m1_title,
        m2_title = w.m2_title,
        q1 = w.q1,
        q2 = w.q2,
        item = w.item,
        amount = w.amount,
        audience = w.audience,
        body = w.body,
        unit = w.unit,
        baseline = w.baseline,
        m1_target = w.m1_target,
        m2_target = w.m2_target,
        impact = w.impact,
        ease = w.ease,
        m1_cost = w.m1_cost,
        m2_cost = w.m2_cost,
        m1_review = d((m1 - start).num_days() + 3),
        m2_review = d((m2 - start).num_days() + 3),
        m1_tasks = tasks(d((m1 - start).num_days() - 7)),
        m2_tasks = tasks(d((m2 - start).num_days() - 7)),
        kickoff = d(1),
        kickoff_title = t("キックオフ", "Kickoff"),
        exec = d((m1 - start).num_days() + 7),
    )
}

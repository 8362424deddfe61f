//! `planbook schema`: the JSON Schema (draft 2020-12) of the plan
//! frontmatter, for editor completion and validation, e.g. with
//! `# yaml-language-server: $schema=../plan.schema.json` in a plan.
//!
//! The workshop rules themselves (targets improving, dates in order, …) are
//! not expressible here; `planbook lint` checks them.

use serde_json::{Value, json};

use crate::model::{Direction, Every, MilestoneStatus, PlanStatus, TaskStatus, Verdict, Weekday};

const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const ID_PATTERN: &str = "^[a-z0-9-]+$";

fn text(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn date(description: &str) -> Value {
    json!({ "type": "string", "format": "date", "pattern": DATE_PATTERN, "description": description })
}

fn number(description: &str) -> Value {
    json!({ "type": "number", "description": description })
}

fn one_of(values: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": values, "description": description })
}

fn object(properties: Value, required: &[&str], description: &str) -> Value {
    json!({
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The schema as a JSON value.
pub(crate) fn schema() -> Value {
    let task = object(
        json!({
            "role": text("A key of [roles] in book.toml / book.toml の [roles] のキー"),
            "owner": text("Who does it (default: the team member of that role) / 担当者"),
            "do": text("What to do / やること"),
            "done_when": text("The done-state / 完了状態"),
            "due": date("Deadline, on or before the milestone's due / 期限"),
            "status": one_of(TaskStatus::ALL, "default: todo; dropped: abandoned, never overdue"),
            "done_on": date("The day it was done (optional) / 完了した日"),
            "note": text("Why it was dropped, or a remark / 中止の理由・メモ"),
        }),
        &["role", "do"],
        "A task of one role / 担当ごとのタスク",
    );
    let question = json!({
        "description": "A question: its text, or {id, ask} so that answers can name it by id / 問い",
        "oneOf": [
            { "type": "string" },
            object(json!({
                "id": { "type": "string", "pattern": ID_PATTERN, "description": "Unique in the plan / 計画内で一意" },
                "ask": text("The question / 問い"),
            }), &["ask"], "A question with an id"),
        ],
    });
    let answer = object(
        json!({
            "question": {
                "oneOf": [
                    { "type": "integer", "minimum": 1 },
                    { "type": "string", "pattern": ID_PATTERN },
                ],
                "description": "1-based index into the milestone's questions, or a question id / 問いの番号か id",
            },
            "verdict": one_of(Verdict::ALL, "What the data said of the question / 判定"),
            "finding": text("What the data showed / わかったこと"),
            "data": text("What was actually collected / 集めたデータ"),
        }),
        &["question", "finding"],
        "An answer to one question (the question ledger) / 問いへの答え",
    );
    let milestone = object(
        json!({
            "id": { "type": "string", "pattern": ID_PATTERN, "description": "Unique in the plan" },
            "title": text("What the milestone achieves (an outcome, not an output) / マイルストーン"),
            "due": date("Due date / 期限"),
            "target": number("Metric value this milestone must reach / 目標値"),
            "questions": { "type": "array", "items": question, "description": "Questions from the story answered with data / データで答える問い" },
            "data": object(json!({
                "items": { "type": "array", "items": { "type": "string" }, "description": "Data items / データ項目" },
                "amount": { "type": ["string", "number"], "description": "Amount of data / データ量" },
            }), &[], "The data agreed as proof / 証明に使うデータ"),
            "cost_days": number("Person-days for the whole milestone / 人日"),
            "review": date("Progress review after completion / 完了後の進捗確認"),
            "status": one_of(MilestoneStatus::ALL, "default: planned"),
            "done_on": date("Required when done or missed"),
            "actual": number("Measured metric value; required when done or missed / 実績"),
            "tasks": { "type": "array", "items": task },
        }),
        &["id", "title", "due"],
        "A milestone that improves the metric / 指標改善のマイルストーン",
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://planbook.invalid/plan.schema.json",
        "title": "planbook plan frontmatter",
        "description": "An ML Enablement Workshop action plan (docs/format.md). `planbook lint` checks the workshop rules.",
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "start", "team"],
        "properties": {
            "title": text("Plan title / 計画のタイトル"),
            "id": { "type": "string", "pattern": ID_PATTERN, "description": "Default: the file stem" },
            "status": one_of(PlanStatus::ALL, "default: active"),
            "start": date("The day the plan starts (workshop end) / 開始日"),
            "use_case": text("One-line use case / ユースケース"),
            "team": {
                "type": "object",
                "description": "One named person per role in [roles] / 役割ごとの担当者",
                "additionalProperties": { "type": "string" },
            },
            "ice": object(json!({
                "impact": { "type": "number", "minimum": 1, "maximum": 10 },
                "ease": { "type": "number", "minimum": 1, "maximum": 10 },
                "confidence": { "type": "number", "minimum": 0.01, "maximum": 10 },
                "evidence": text("A key of [lint.confidence_caps]: self_conviction, opinions, estimates, market_data, user_evidence, test_results"),
            }), &["impact", "ease", "confidence"], "ICE score = impact × confidence × ease"),
            "metric": object(json!({
                "name": text("成長を計測する指標"),
                "unit": text("Unit, e.g. %"),
                "direction": one_of(Direction::ALL, "Which way is better"),
                "baseline": number("Value at start"),
                "correlations": object(json!({
                    "customer_experience": text("顧客体験の向上・定着との相関"),
                    "revenue": text("収益との相関（先行指標）"),
                    "model_accuracy": text("機械学習の精度との相関"),
                }), &["customer_experience", "revenue", "model_accuracy"], "Why this is a good metric"),
            }), &["name", "unit", "direction", "baseline", "correlations"], "The one growth metric"),
            "milestones": { "type": "array", "items": milestone, "minItems": 1 },
            "measurements": { "type": "array", "items": object(json!({
                "date": date("When it was measured"),
                "value": number("The measured value"),
            }), &["date", "value"], "A reading of the metric") },
            "updates": { "type": "array", "items": object(json!({
                "date": date("Date of the update"),
                "milestone": text("The milestone id"),
                "answered": text("The answer the data gave"),
                "answers": { "type": "array", "items": answer, "description": "One entry per question answered / 問いごとの答え" },
                "story": text("What changed in the story (markdown)"),
                "business_model": text("What changed in the business model (markdown)"),
            }), &["date", "milestone"], "What a milestone taught the team") },
            "meetings": object(json!({
                "kickoff": object(json!({
                    "date": date("First meeting after the workshop"),
                    "title": text("Title"),
                }), &["date"], "キックオフ"),
                "progress": object(json!({
                    "every": one_of(Every::ALL, "Cadence"),
                    "weekday": one_of(Weekday::ALL, "Weekday"),
                    "time": text("e.g. 10:00-10:30"),
                }), &["every", "weekday"], "マイルストーン内の進捗確認"),
                "executive": object(json!({
                    "audience": text("e.g. CTO"),
                    "dates": { "type": "array", "items": date("Report date"), "minItems": 1 },
                }), &["audience", "dates"], "経営への報告"),
            }), &["kickoff", "progress", "executive"], "会議体とレポートライン"),
            "lint": object(json!({
                "allow": {
                    "type": "object",
                    "description": "Rule id → reason (required)",
                    "propertyNames": { "pattern": "^[A-Z]{3}[0-9]{3}$" },
                    "additionalProperties": { "type": "string", "minLength": 1 },
                },
            }), &[], "Per-plan lint settings"),
        },
    })
}

/// The schema, pretty-printed with a trailing newline.
pub(crate) fn json_schema() -> String {
    // A `Value` prints infallibly; `{:#}` is serde_json's pretty form.
    format!("{:#}\n", schema())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::*;

    fn keys(v: &Value) -> Vec<String> {
        let mut k: Vec<String> = v["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    }

    fn sorted(k: &[&str]) -> Vec<String> {
        let mut k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    }

    #[test]
    fn schema_properties_match_the_loader() {
        let s = schema();
        let p = &s["properties"];
        let ms = &p["milestones"]["items"];
        let cases = [
            (&s, PLAN_KEYS),
            (&p["ice"], ICE_KEYS),
            (&p["metric"], METRIC_KEYS),
            (&p["metric"]["properties"]["correlations"], CORRELATION_KEYS),
            (ms, MILESTONE_KEYS),
            (&ms["properties"]["data"], DATA_KEYS),
            (&ms["properties"]["tasks"]["items"], TASK_KEYS),
            (&p["measurements"]["items"], MEASUREMENT_KEYS),
            (&p["updates"]["items"], UPDATE_KEYS),
            (
                &p["updates"]["items"]["properties"]["answers"]["items"],
                ANSWER_KEYS,
            ),
            (
                &ms["properties"]["questions"]["items"]["oneOf"][1],
                QUESTION_KEYS,
            ),
            (&p["meetings"], MEETINGS_KEYS),
            (&p["meetings"]["properties"]["kickoff"], KICKOFF_KEYS),
            (&p["meetings"]["properties"]["progress"], PROGRESS_KEYS),
            (&p["meetings"]["properties"]["executive"], EXECUTIVE_KEYS),
            (&p["lint"], LINT_KEYS),
        ];
        for (node, expected) in cases {
            assert_eq!(keys(node), sorted(expected));
        }
    }
}

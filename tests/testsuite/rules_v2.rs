//! The workshop's substance (lint v2): placeholders, the horizon, a KPI that
//! really moved, the question ledger, story and business model, earned
//! confidence, the weekly check — each edge the rules table names, with
//! positions and the numbers in messages. Plus the precision of positions
//! for empty values and "did you mean" for transposed letters.

use serde_json::Value;

use crate::rules::apply;
use crate::support::*;

/// Every diagnostic of linting `text` as the only plan, with `toml`
/// appended to the English book.toml.
fn lint(text: &str, toml: &str) -> Vec<Value> {
    let repo = Repo::new();
    repo.file("book.toml", &format!("{BOOK_TOML}{toml}"));
    repo.file("content/base-plan.md", text);
    let (_, v) = repo.lint_json();
    diagnostics(&v)
}

/// `(rule, line, column)` of each diagnostic.
fn at(d: &[Value]) -> Vec<(String, u64, u64)> {
    d.iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn rule_at(rule: &str, text: &str, after: &str, needle: &str) -> (String, u64, u64) {
    let (l, c) = pos_of(text, after, needle);
    (rule.to_string(), l, c)
}

fn message(d: &[Value], rule: &str) -> String {
    d.iter()
        .find(|d| d["rule"] == rule)
        .map(|d| d["message"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {rule} in {d:?}"))
}

// ---- PLN004 ----

#[test]
fn pln004_reports_each_placeholder_value_and_body_line() {
    let text = apply(&[
        (
            "title: 推薦によるお気に入り登録率の向上",
            "title: \"（計画のタイトル）\"",
        ),
        ("amount: 500 人", "amount: tbd"),
        ("    audience: CTO", "    audience: (management)"),
        (
            "顧客はトップページで好みの商品に出会う。",
            "  （ストーリーを書く）",
        ),
    ]);
    let d = lint(&text, "");
    assert_eq!(
        at(&d),
        [
            rule_at("PLN004", &text, "", "\"（計画のタイトル）\""),
            rule_at("PLN004", &text, "id: m2", "tbd"),
            rule_at("PLN004", &text, "", "(management)"),
            rule_at("PLN004", &text, "---\n## ", "（ストーリーを書く）"),
        ]
    );
    assert!(message(&d, "PLN004").contains("`title`"), "{d:?}");
    let amount = d
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("tbd"));
    assert!(
        amount.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("milestones[1].data.amount"),
        "{d:?}"
    );
}

#[test]
fn pln004_words_come_from_book_toml() {
    let text = apply(&[("amount: 500 人", "amount: TBC")]);
    assert_eq!(lint(&text, ""), Vec::<Value>::new());
    let d = lint(&text, "[lint]\nplaceholder_words = [\"tbc\"]\n");
    assert_eq!(at(&d), [rule_at("PLN004", &text, "", "TBC")]);
    // The list replaces the defaults.
    let todo = apply(&[("amount: 500 人", "amount: TODO")]);
    assert_eq!(
        lint(&todo, "[lint]\nplaceholder_words = [\"tbc\"]\n"),
        Vec::<Value>::new()
    );
}

#[test]
fn pln004_applies_to_dropped_plans_and_is_a_warning_in_drafts() {
    let text = apply(&[("do: 推薦枠を実装する", "do: （やること）")]);
    let dropped = lint(&text.replace("status: active", "status: dropped"), "");
    assert_eq!(dropped.len(), 1, "{dropped:?}");
    assert_eq!(dropped[0]["rule"], "PLN004");
    assert_eq!(dropped[0]["severity"], "error");
    let draft = lint(&text.replace("status: active", "status: draft"), "");
    assert_eq!(draft.len(), 1, "{draft:?}");
    assert_eq!(draft[0]["severity"], "warning");
}

// ---- MIL013 ----

#[test]
fn mil013_uses_plan_months_and_clamps_month_ends() {
    let late = apply(&[
        ("due: 2027-02-28", "due: 2027-03-02"),
        ("review: 2027-03-02", "review: 2027-03-03"),
    ]);
    let d = lint(&late, "");
    assert_eq!(at(&d), [rule_at("MIL013", &late, "", "2027-03-02")]);
    let m = message(&d, "MIL013");
    assert!(
        m.contains("m2") && m.contains("2027-03-02") && m.contains("2027-03-01") && m.contains('3'),
        "{m}"
    );
    // Four months of horizon take it.
    assert_eq!(
        lint(&late, "[lint]\nplan_months = 4\n"),
        Vec::<Value>::new()
    );
    // Two months do not take the base plan (2027-02-28 > 2027-02-01).
    let d = lint(&base_plan(), "[lint]\nplan_months = 2\n");
    assert_eq!(
        at(&d),
        [rule_at("MIL013", &base_plan(), "id: m2", "2027-02-28")]
    );
    // 2026-11-30 + 3 months clamps to 2027-02-28.
    let clamp = apply(&[
        ("start: 2026-12-01", "start: 2026-11-30"),
        ("date: 2026-12-02", "date: 2026-12-01"),
    ]);
    assert_eq!(lint(&clamp, ""), Vec::<Value>::new());
    let over = clamp
        .replace("due: 2027-02-28", "due: 2027-03-01")
        .replace("review: 2027-03-02", "review: 2027-03-03");
    assert_eq!(
        at(&lint(&over, "")),
        [rule_at("MIL013", &over, "id: m2", "2027-03-01")]
    );
}

// ---- MIL014 ----

/// m2 finished too, at `actual`, with m1 at 3.5.
fn two_finished(m1: &str, m2: &str) -> String {
    apply(&[
        ("actual: 2.7", m1),
        (
            "    review: 2027-03-02\n",
            &format!(
                "    review: 2027-03-02\n    status: done\n    done_on: 2027-02-12\n    {m2}\n"
            ),
        ),
        (
            "    business_model: 変更なし\n",
            "    business_model: 変更なし\n  - date: 2027-02-13\n    milestone: m2\n    answered: 伸びは小さい\n    story: x\n    business_model: y\n",
        ),
    ])
}

#[test]
fn mil014_compares_with_the_previous_actual_and_the_baseline() {
    // Equal to the previous actual is not a move.
    let text = two_finished("actual: 3.5", "actual: 3.5");
    let d = lint(&text, "");
    assert_eq!(
        at(&d),
        [rule_at(
            "MIL014",
            &text,
            "actual: 3.5\n    tasks:\n      - role: pm\n        do: 対象",
            "3.5"
        )]
    );
    let m = message(&d, "MIL014");
    assert!(
        m.contains("m2") && m.contains("3.5") && m.contains("m1"),
        "{m}"
    );
    // The first finished milestone is compared with the baseline (2.0):
    // equal is a finding (with MIL011, the missed target).
    let text = apply(&[("actual: 2.7", "actual: 2.0")]);
    let d = lint(&text, "");
    let rules: Vec<_> = at(&d);
    assert!(
        rules.contains(&rule_at("MIL014", &text, "actual: ", "2.0")),
        "{rules:?}"
    );
    assert!(message(&d, "MIL014").contains("baseline (2)"), "{d:?}");
    // Slightly above the baseline moved it.
    let text = apply(&[("actual: 2.7", "actual: 2.01")]);
    let rules: Vec<String> = lint(&text, "")
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, ["MIL011"]);
    // A missed milestone takes part too; unfinished ones do not.
    let text = two_finished("actual: 3.5", "actual: 3.4").replace(
        "    status: done\n    done_on: 2027-02-12",
        "    status: missed\n    done_on: 2027-02-12",
    );
    assert!(at(&lint(&text, "")).iter().any(|f| f.0 == "MIL014"));
    // Decrease metrics mirror it.
    let down = apply(&[
        ("direction: increase", "direction: decrease"),
        ("baseline: 2.0", "baseline: 10.0"),
        ("target: 2.5", "target: 9.0"),
        ("actual: 2.7", "actual: 10.0"),
        ("target: 3.0", "target: 8.0"),
        ("value: 2.1 }", "value: 9.9 }"),
        ("value: 2.4 }", "value: 9.45 }"),
    ]);
    let rules: Vec<String> = lint(&down, "")
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, ["MIL011", "MIL014"]);
    let fine = down.replace("actual: 10.0", "actual: 8.9");
    assert_eq!(lint(&fine, ""), Vec::<Value>::new());
}

// ---- MIL015 / UPD002 / MIL004: the question ledger ----

/// m1 with a second question given as `{id, ask}`, and `answers` in its
/// update instead of `answered`.
fn ledger(answers: &str) -> String {
    apply(&[
        (
            "      - 推薦枠を置くだけでお気に入り登録は増えるか\n",
            "      - 推薦枠を置くだけでお気に入り登録は増えるか\n      - id: new-customers\n        ask: 新規顧客も登録するか\n",
        ),
        (
            "    answered: 推薦枠だけで登録率は 0.7pt 上がった\n",
            &format!("    answers:\n{answers}"),
        ),
    ])
}

#[test]
fn mil015_reports_each_unanswered_question_at_the_question() {
    let text = ledger(
        "      - question: new-customers\n        verdict: inconclusive\n        finding: 差が小さすぎる\n",
    );
    let d = lint(&text, "");
    assert_eq!(at(&d), [rule_at("MIL015", &text, "", "推薦枠を置くだけで")]);
    let m = message(&d, "MIL015");
    assert!(
        m.contains("m1") && m.contains("question 1") && m.contains("推薦枠を置くだけで"),
        "{m}"
    );
    // Unanswered mapping questions point at the item.
    let text =
        ledger("      - question: 1\n        verdict: supported\n        finding: 上がった\n");
    assert_eq!(
        at(&lint(&text, "")),
        [rule_at("MIL015", &text, "", "id: new-customers")]
    );
    // With two questions, `answered` alone answers neither.
    let text = apply(&[(
        "      - 推薦枠を置くだけでお気に入り登録は増えるか\n",
        "      - 推薦枠を置くだけでお気に入り登録は増えるか\n      - 新規顧客も登録するか\n",
    )]);
    assert_eq!(
        at(&lint(&text, "")),
        [
            rule_at("MIL015", &text, "", "推薦枠を置くだけで"),
            rule_at("MIL015", &text, "", "新規顧客も"),
        ]
    );
    // A finished milestone with no update at all: MIL009, MIL015, MIL016.
    let text = apply(&[("    milestone: m1\n", "    milestone: m2\n")]);
    let rules: Vec<String> = lint(&text, "")
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, ["MIL009", "MIL015", "MIL016"], "{text}");
    // An unfinished milestone's questions are not due yet.
    assert!(!at(&lint(&base_plan(), "")).iter().any(|f| f.0 == "MIL015"));
}

#[test]
fn an_answer_with_an_empty_finding_still_answers_but_is_upd002() {
    let text = ledger(
        "      - question: 1\n        verdict: supported\n        finding: \"\"\n      - question: 2\n        verdict: refuted\n        finding: 変わらない\n",
    );
    let d = lint(&text, "");
    assert_eq!(
        at(&d),
        [rule_at(
            "UPD002",
            &text,
            "question: 1\n        verdict: supported\n        ",
            "finding"
        )]
    );
    // A missing finding points at the entry.
    let text = ledger(
        "      - question: 1\n        verdict: supported\n      - question: 2\n        verdict: refuted\n        finding: 変わらない\n",
    );
    assert_eq!(
        at(&lint(&text, "")),
        [rule_at("UPD002", &text, "answers:\n", "question: 1")]
    );
}

#[test]
fn upd002_names_real_questions_only() {
    // Index past the end, index 0, unknown id: at the `question` value.
    for q in ["3", "0", "no-such-question"] {
        let text = ledger(&format!(
            "      - question: 1\n        verdict: supported\n        finding: 上がった\n      - question: 2\n        verdict: refuted\n        finding: 変わらない\n      - question: {q}\n        verdict: supported\n        finding: x\n"
        ));
        let d = lint(&text, "");
        assert_eq!(
            at(&d),
            [rule_at("UPD002", &text, &format!("question: {q}"), q)],
            "{q}"
        );
        let m = message(&d, "UPD002");
        assert!(
            m.contains(&format!("`{q}`"))
                && m.contains("update #1 ")
                && m.contains("1–2")
                && m.contains("new-customers"),
            "{m}"
        );
    }
    // No `question`: at the entry.
    let text = ledger(
        "      - question: 1\n        verdict: supported\n        finding: 上がった\n      - question: 2\n        verdict: refuted\n        finding: 変わらない\n      - verdict: supported\n        finding: x\n",
    );
    assert_eq!(
        at(&lint(&text, "")),
        [rule_at(
            "UPD002",
            &text,
            "finding: 変わらない\n",
            "verdict: supported"
        )]
    );
    // An update of a milestone that does not exist is UPD001's alone.
    let text = apply(&[(
        "    business_model: 変更なし\n",
        "    business_model: 変更なし\n  - date: 2027-02-05\n    milestone: m9\n    story: x\n    answers:\n      - question: 7\n        finding: y\n",
    )]);
    assert_eq!(at(&lint(&text, "")), [rule_at("UPD001", &text, "", "m9")]);
}

#[test]
fn a_bad_verdict_is_pln001_and_the_question_still_counts() {
    let text = ledger(
        "      - question: 1\n        verdict: proven\n        finding: 上がった\n      - question: 2\n        verdict: refuted\n        finding: 変わらない\n",
    );
    let d = lint(&text, "");
    // A bad enum value points at its key, like every wrong value.
    assert_eq!(at(&d), [rule_at("PLN001", &text, "", "verdict: proven")]);
    assert!(
        message(&d, "PLN001").contains("supported | refuted | inconclusive"),
        "{d:?}"
    );
}

#[test]
fn blank_questions_are_no_questions() {
    let text = apply(&[(
        "    questions:\n      - 好みに合わせると登録率は上がるか\n",
        "    questions: [\"\", \" \"]\n",
    )]);
    assert_eq!(
        at(&lint(&text, "")),
        [rule_at("MIL004", &text, "questions: ", "[")]
    );
}

#[test]
fn question_mappings_need_an_ask_and_unique_ids() {
    let text = apply(&[
        (
            "      - 推薦枠を置くだけでお気に入り登録は増えるか\n",
            "      - id: q1\n        ask: 推薦枠を置くだけでお気に入り登録は増えるか\n",
        ),
        (
            "      - 好みに合わせると登録率は上がるか\n",
            "      - id: q1\n        ask: 好みに合わせると登録率は上がるか\n      - id: q2\n        asks: typo\n",
        ),
    ]);
    let d = lint(&text, "");
    assert_eq!(
        at(&d),
        [
            rule_at("MIL004", &text, "id: m2", "q1"),
            rule_at("PLN001", &text, "", "id: q2"),
            rule_at("PLN001", &text, "", "asks: typo"),
        ]
    );
    let m = message(&d, "MIL004");
    assert!(m.contains("`q1`"), "{m}");
    assert!(
        d.iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `ask`")),
        "{d:?}"
    );
}

// ---- MIL016 ----

#[test]
fn mil016_needs_both_story_and_business_model_across_updates() {
    let no_story = apply(&[(
        "    story: 顧客は目に入った商品をお気に入りに登録する\n",
        "",
    )]);
    let d = lint(&no_story, "");
    assert_eq!(
        at(&d),
        [rule_at(
            "MIL016",
            &no_story,
            "    status: done\n    done_on",
            "done"
        )]
    );
    assert!(message(&d, "MIL016").contains("story"), "{d:?}");
    assert!(!message(&d, "MIL016").contains("business_model"), "{d:?}");
    // A second update for the same milestone can carry the story.
    let split = no_story.replace(
        "    business_model: 変更なし\n",
        "    business_model: 変更なし\n  - date: 2027-02-04\n    milestone: m1\n    story: 顧客は目に入った商品を登録する\n",
    );
    assert_eq!(lint(&split, ""), Vec::<Value>::new());
    // A blank business model is not an update of it.
    let blank = apply(&[("business_model: 変更なし", "business_model: \"  \"")]);
    let d = lint(&blank, "");
    assert_eq!(
        at(&d),
        [rule_at(
            "MIL016",
            &blank,
            "    status: done\n    done_on",
            "done"
        )]
    );
    assert!(message(&d, "MIL016").contains("business_model"), "{d:?}");
}

// ---- ICE003 ----

/// Confidence 2 on market data (under its cap) with m1 not finished yet.
fn unearned_confidence() -> String {
    apply(crate::rules::ICE003_EDITS)
}

#[test]
fn ice003_follows_workshop_confidence() {
    let earned = apply(&[
        ("confidence: 1.0", "confidence: 2.0"),
        ("evidence: estimates", "evidence: market_data"),
    ]);
    assert_eq!(lint(&earned, ""), Vec::<Value>::new());
    let unearned = unearned_confidence();
    let d = lint(&unearned, "");
    assert_eq!(
        at(&d),
        [rule_at("ICE003", &unearned, "confidence: ", "2.0")]
    );
    let m = message(&d, "ICE003");
    assert!(m.contains("confidence 2 ") && m.contains("the 1 "), "{m}");
    // At the limit is fine; a higher limit takes it.
    assert_eq!(
        lint(&unearned, "[lint]\nworkshop_confidence = 2.0\n"),
        Vec::<Value>::new()
    );
    let d = lint(&unearned, "[lint]\nworkshop_confidence = 1.5\n");
    assert!(message(&d, "ICE003").contains("1.5"), "{d:?}");
}

// ---- MTG004 ----

#[test]
fn mtg004_points_at_every_progress_and_time() {
    let no_time = apply(&[
        ("    time: \"10:00-10:30\"\n", ""),
        ("every: week", "every: month"),
    ]);
    assert_eq!(
        at(&lint(&no_time, "")),
        [
            rule_at("MTG004", &no_time, "", "progress:"),
            rule_at("MTG004", &no_time, "every: ", "month"),
        ]
    );
    let empty = apply(&[("time: \"10:00-10:30\"", "time: \"\"")]);
    assert_eq!(
        at(&lint(&empty, "")),
        [rule_at("MTG004", &empty, "time: ", "\"\"")]
    );
    // Without a valid `every`, only MTG003 / PLN001 report.
    let no_every = apply(&[
        ("    every: week\n", ""),
        ("    time: \"10:00-10:30\"\n", ""),
    ]);
    let rules: Vec<String> = lint(&no_every, "")
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, ["MTG003"]);
    let bad = apply(&[("every: week", "every: weekly")]);
    let rules: Vec<String> = lint(&bad, "")
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, ["PLN001"]);
}

// ---- every new rule: [lint.rules], lint.allow, drafts ----

#[test]
fn every_new_rule_can_be_overridden_allowed_and_softened_in_drafts() {
    let cases: &[(&str, String)] = &[
        (
            "PLN004",
            apply(&[("do: 推薦枠を実装する", "do: （やること）")]),
        ),
        (
            "MIL013",
            apply(&[
                ("due: 2027-02-28", "due: 2027-03-02"),
                ("review: 2027-03-02", "review: 2027-03-03"),
            ]),
        ),
        ("MIL014", two_finished("actual: 3.5", "actual: 3.5")),
        (
            "MIL015",
            ledger("      - question: 1\n        verdict: supported\n        finding: 上がった\n"),
        ),
        ("MIL016", apply(&[("    business_model: 変更なし\n", "")])),
        (
            "UPD002",
            ledger(
                "      - question: 1\n        finding: 上がった\n      - question: 2\n        finding: 変わらない\n      - question: 5\n        finding: x\n",
            ),
        ),
        ("MTG004", apply(&[("every: week", "every: two-weeks")])),
        ("ICE003", unearned_confidence()),
    ];
    for (rule, text) in cases {
        let only = |d: &[Value]| d.len() == 1 && d[0]["rule"] == *rule;
        let d = lint(text, "");
        assert!(only(&d), "{rule}: {d:?}");
        let default = d[0]["severity"].clone();
        // [lint.rules] changes the severity and turns the rule off.
        let d = lint(text, &format!("[lint.rules]\n{rule} = \"info\"\n"));
        assert!(only(&d) && d[0]["severity"] == "info", "{rule}: {d:?}");
        assert_eq!(
            lint(text, &format!("[lint.rules]\n{rule} = \"off\"\n")),
            Vec::<Value>::new(),
            "{rule}"
        );
        // lint.allow silences it for the plan.
        let allowed = text.replacen(
            "\n---\n## ",
            &format!("\nlint:\n  allow:\n    {rule}: このチームの事情\n---\n## "),
            1,
        );
        assert_eq!(lint(&allowed, ""), Vec::<Value>::new(), "{rule}");
        // A draft reports errors as warnings.
        let d = lint(&text.replace("status: active", "status: draft"), "");
        assert!(only(&d) && d[0]["severity"] == "warning", "{rule}: {d:?}");
        // A dropped plan runs the PLN rules only.
        let d = lint(&text.replace("status: active", "status: dropped"), "");
        assert_eq!(
            only(&d),
            rule.starts_with("PLN"),
            "{rule}: {d:?} (default {default})"
        );
    }
}

// ---- precision: empty values, did you mean ----

#[test]
fn findings_about_empty_values_point_at_the_value() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "MET003",
            "revenue: お気に入りの商品は購入される可能性が高い",
            "revenue: \"\"",
            "\"\"",
        ),
        (
            "MET001",
            "name: 推薦アイテムのお気に入り登録率",
            "name: \"\"",
            "\"\"",
        ),
        ("PLN003", "dev: 鈴木 一郎", "dev: \"\"", "\"\""),
        ("MIL005", "items: [購買履歴]", "items: []", "[]"),
        ("MIL005", "amount: 500 人", "amount: \"\"", "\"\""),
        ("MTG002", "dates: [2027-02-10]", "dates: []", "[]"),
        ("MTG002", "audience: CTO", "audience: \"\"", "\"\""),
    ];
    for (rule, from, to, needle) in cases {
        let text = apply(&[(from, to)]);
        let d = lint(&text, "");
        assert_eq!(at(&d), [rule_at(rule, &text, to, needle)], "{to}");
    }
    // Missing keys still point at the parent key.
    let text = apply(&[(
        "    revenue: お気に入りの商品は購入される可能性が高い\n",
        "",
    )]);
    assert_eq!(
        at(&lint(&text, "")),
        [rule_at("MET003", &text, "", "correlations:")]
    );
}

#[test]
fn transposed_letters_get_a_did_you_mean() {
    let text = apply(&[("        due: 2027-02-22\n", "        deu: 2027-02-22\n")]);
    let d = lint(&text, "");
    let pln = d.iter().find(|d| d["rule"] == "PLN001").expect("PLN001");
    assert!(
        pln["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `due`?"),
        "{d:?}"
    );
}

#[test]
fn vanity_exceptions_come_from_book_toml() {
    let text = apply(&[(
        "name: 推薦アイテムのお気に入り登録率",
        "name: 週あたり再訪問数",
    )]);
    assert_eq!(lint(&text, ""), Vec::<Value>::new());
    let d = lint(&text, "[lint]\nvanity_metric_exceptions = []\n");
    assert_eq!(at(&d), [rule_at("MET005", &text, "name: ", "週あたり")]);
}

#[test]
fn unknown_lint_keys_suggest_the_new_ones() {
    let repo = Repo::new();
    repo.file("book.toml", "[lint]\nplan_month = 2\n");
    let r = repo.run(&["lint"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("plan_month") && r.stderr.contains("plan_months"),
        "{}",
        r.stderr
    );
}

// ---- edges of v1 rules that no test pinned down ----

fn rules_of(d: &[Value]) -> Vec<String> {
    d.iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn kpi001_before_start_and_out_of_order_have_their_own_messages() {
    let text = apply(&[("date: 2026-12-08", "date: 2026-11-20")]);
    let d = lint(&text, "");
    assert_eq!(at(&d), [rule_at("KPI001", &text, "", "2026-11-20")]);
    let m = message(&d, "KPI001");
    assert!(
        m.contains("#1") && m.contains("before the plan's start (2026-12-01)"),
        "{m}"
    );
    let text = apply(&[("date: 2027-01-05", "date: 2026-12-08")]);
    let d = lint(&text, "");
    assert_eq!(
        at(&d),
        [rule_at(
            "KPI001",
            &text,
            "2026-12-08",
            "2026-12-08, value: 2.4"
        )]
    );
    let m = message(&d, "KPI001");
    assert!(
        m.contains("#2") && m.contains("not after the previous one (2026-12-08)"),
        "{m}"
    );
}

#[test]
fn kpi002_at_exactly_20_percent_is_on_track() {
    // Planned on m1's due date: its target, 4.5; m1's gain 2.5, a fifth of
    // it 0.5 (exact in binary floating point).
    let plan = |value: &str| {
        apply(&[
            ("target: 2.5", "target: 4.5"),
            ("actual: 2.7", "actual: 4.6"),
            ("target: 3.0", "target: 5.0"),
            (
                "{ date: 2027-01-05, value: 2.4 }",
                &format!("{{ date: 2027-01-31, value: {value} }}"),
            ),
        ])
    };
    assert_eq!(lint(&plan("4.0"), ""), Vec::<Value>::new());
    let behind = plan("3.9375");
    let d = lint(&behind, "");
    assert_eq!(
        at(&d),
        [rule_at("KPI002", &behind, "2027-01-31, value: ", "3.9375")]
    );
    let m = message(&d, "KPI002");
    assert!(
        m.contains("3.9375%")
            && m.contains("(m1's target, 4.5%)")
            && m.contains("by 23%")
            && m.contains("2027-01-31"),
        "{m}"
    );
}

#[test]
fn upd001_is_satisfied_by_a_story_or_a_business_model_alone() {
    for line in [
        "    story: 顧客は目に入った商品をお気に入りに登録する\n",
        "    business_model: 変更なし\n",
    ] {
        let text = apply(&[(line, "")]);
        let rules = rules_of(&lint(&text, ""));
        assert_eq!(rules, ["MIL016"], "without {line:?}");
    }
    let text = apply(&[(
        "    story: 顧客は目に入った商品をお気に入りに登録する\n    business_model: 変更なし\n",
        "",
    )]);
    let d = lint(&text, "");
    assert_eq!(rules_of(&d), ["MIL016", "UPD001"]);
    assert!(message(&d, "UPD001").contains("update #1"), "{d:?}");
}

#[test]
fn messages_carry_the_numbers_they_are_about() {
    type Case = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        (
            "ICE002",
            &[("confidence: 1.0", "confidence: 2.5")],
            &["2.5", "cap of 1", "estimates"],
        ),
        (
            "ICE001",
            &[("impact: 8", "impact: 0.5")],
            &["ice.impact", "0.5", "1–10"],
        ),
        (
            "MIL003",
            &[("target: 3.0", "target: 2.45")],
            &["m2", "2.45", "not above", "m1", "2.5"],
        ),
        (
            "MIL003",
            &[
                ("direction: increase", "direction: decrease"),
                ("baseline: 2.0", "baseline: 10.0"),
                ("target: 2.5", "target: 9.0"),
                ("actual: 2.7", "actual: 8.8"),
                ("target: 3.0", "target: 9.5"),
                ("value: 2.1 }", "value: 9.9 }"),
                ("value: 2.4 }", "value: 9.45 }"),
            ],
            &["m2", "9.5", "not below", "m1", "9"],
        ),
        (
            "MIL006",
            &[("cost_days: 10", "cost_days: 25")],
            &["m2", "25", "20"],
        ),
        (
            "MIL011",
            &[("actual: 2.7", "actual: 2.3")],
            &["m1", "2.3", "2.5"],
        ),
        (
            "MTG001",
            &[("date: 2026-12-02", "date: 2026-12-20")],
            &["2026-12-20", "2026-12-01", "2026-12-15", "14"],
        ),
    ];
    for (rule, edits, wants) in cases {
        let d = lint(&apply(edits), "");
        let m = message(&d, rule);
        for w in *wants {
            assert!(m.contains(w), "{rule}: {w:?} not in {m}");
        }
    }
}

/// The benchmark corpus lints clean, so that benchmarks measure clean
/// plans (and the ledger in every other plan).
#[test]
fn the_generated_corpus_lints_clean() {
    let tmp = tempfile::tempdir().unwrap();
    crate::corpus::write(tmp.path(), 60).unwrap();
    let r = run_at(
        tmp.path(),
        tmp.path(),
        crate::corpus::CORPUS_TODAY,
        &["lint", "--format", "json"],
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(diagnostics(&v), Vec::<Value>::new());
    assert_eq!(r.code, 0);
    assert!(crate::corpus::plan(0).contains("answers:"));
}

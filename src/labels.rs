//! UI labels of the site in Japanese and English. Templates get them as
//! `t.KEY`; role names come from `[roles]`, not from here.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::i18n::Lang;

const LABELS: &[(&str, &str, &str)] = &[
    ("plans", "計画", "Plans"),
    ("home", "計画一覧", "All plans"),
    ("changelog", "変更履歴", "Changelog"),
    (
        "changelog_intro",
        "マイルストーンごとに、データが答えたこととストーリー・ビジネスモデルの更新を新しい順に並べています。",
        "What each milestone taught the teams, newest first: the answer the data gave and what changed in the story and the business model.",
    ),
    ("lint", "指摘一覧", "Lint findings"),
    ("check", "進捗確認", "Progress check"),
    ("search", "検索", "Search"),
    ("search_plans", "計画を検索", "Search the plans"),
    ("not_found", "ページが見つかりません", "Page not found"),
    (
        "not_found_lead",
        "このページはサイトにありません。計画のファイル名 (id) が変わったか、削除されたのかもしれません。",
        "This page is not in the site. The plan's file name (id) may have changed, or the plan was removed.",
    ),
    ("back_home", "トップページへ", "Back to the home page"),
    (
        "build_failed",
        "planbook: 最後のビルドが失敗しました。このページは最後に成功したビルドのものです。",
        "planbook: the last build failed; this page is from the last good build.",
    ),
    (
        "search_lead",
        "計画のタイトル・指標・マイルストーン・問い・タスクと担当者・更新・本文から探します。進み具合・状態・チームで絞り込めます。",
        "Finds plans by title, metric, milestones, questions, tasks and owners, updates and text. Narrow the results by state, status or team.",
    ),
    (
        "search_needs_http",
        "検索は Web サーバー経由（公開したサイトなど）で開いたときに使えます。",
        "Search works when the site is opened from a web server, such as the published site.",
    ),
    ("exec_report", "経営報告", "Executive report"),
    ("plan_page", "計画のページ", "Plan page"),
    ("report_period", "期間", "Period"),
    ("kpi_in_period", "指標の動き", "The metric in the period"),
    ("planned_now", "計画上の値", "Planned"),
    (
        "measured_in_period",
        "期間中の計測",
        "Measured in the period",
    ),
    (
        "finished_in_period",
        "期間中に終わったマイルストーン",
        "Milestones finished in the period",
    ),
    (
        "updates_in_period",
        "ストーリーとビジネスモデルの更新",
        "Story and business model updates",
    ),
    (
        "tasks_done",
        "期間中に完了したタスク",
        "Tasks done in the period",
    ),
    ("open_questions", "まだ答えていない問い", "Open questions"),
    ("confidence_now", "確信度", "Confidence"),
    ("now", "現在", "now"),
    (
        "no_git_tasks",
        "git の履歴がないため、完了したタスクは載せていません。",
        "No git history: tasks done are left out.",
    ),
    ("none", "なし", "None"),
    (
        "check_lead",
        "次の進捗確認で話し合うこと。遅れている計画、要注意の計画、順調な計画の順に並んでいます。",
        "What to go through at the next progress check: plans behind first, then at risk, then on track.",
    ),
    (
        "check_none",
        "進行中の計画はありません。",
        "No active plans.",
    ),
    ("next_check", "次回の進捗確認", "Next check"),
    ("overdue_tasks", "期限切れのタスク", "Overdue tasks"),
    (
        "due_next_7",
        "今後 7 日が期限のタスク",
        "Tasks due in the next 7 days",
    ),
    (
        "upcoming_14",
        "今後 14 日のマイルストーン・レビュー・経営報告",
        "Milestones, reviews and reports in the next 14 days",
    ),
    ("executive_report", "経営報告", "Report"),
    ("awaiting_review", "レビュー待ち", "Awaiting review"),
    ("review_on", "レビュー日", "Review on"),
    ("stale", "計測が古くなっています", "Stale measurement"),
    ("why_state", "理由", "Why"),
    ("no_owner", "担当者未定", "No owner"),
    ("nothing_due", "なし", "None"),
    (
        "lint_intro",
        "ワークショップのルールに照らした各計画のチェック結果です。",
        "Each plan checked against the workshop's rules.",
    ),
    ("calendar", "カレンダー (.ics)", "Calendar (.ics)"),
    ("feed", "Atom フィード", "Atom feed"),
    ("metric", "成長を計測する指標", "Growth metric"),
    ("latest", "最新値", "Latest"),
    ("next_target", "次の目標", "Next target"),
    ("next_milestone", "次のマイルストーン", "Next milestone"),
    ("ice_score", "ICE スコア", "ICE score"),
    ("lint_status", "指摘", "Lint"),
    ("no_findings", "指摘なし", "No findings"),
    ("errors", "エラー", "errors"),
    ("warnings", "警告", "warnings"),
    ("infos", "情報", "notes"),
    ("baseline", "開始時", "Baseline"),
    ("target", "目標", "Target"),
    ("actual", "実績", "Actual"),
    ("planned", "計画", "Planned"),
    ("measured", "計測", "Measured"),
    ("today", "今日", "Today"),
    ("date", "日付", "Date"),
    ("kind", "種類", "Kind"),
    ("value", "値", "Value"),
    ("due", "期限", "Due"),
    ("review", "振り返り", "Review"),
    ("status", "状態", "Status"),
    ("state", "進み具合", "State"),
    ("team", "チーム", "Team"),
    ("period", "期間", "Period"),
    ("use_case", "ユースケース", "Use case"),
    ("why_metric", "この指標を選んだ理由", "Why this metric"),
    (
        "customer_experience",
        "顧客体験の向上・定着",
        "Customer experience",
    ),
    ("revenue", "収益（先行指標）", "Revenue (leading indicator)"),
    ("model_accuracy", "機械学習の精度", "Model accuracy"),
    ("kpi", "指標の計画と実績", "Metric: plan vs actual"),
    ("kpi_table", "グラフの数値", "The numbers in the chart"),
    (
        "matrix",
        "マイルストーンと担当ごとのタスク",
        "Milestones and tasks by role",
    ),
    ("milestone", "マイルストーン", "Milestone"),
    ("milestones", "マイルストーン", "Milestones"),
    (
        "questions",
        "データで答える問い",
        "Questions answered with data",
    ),
    ("data", "証明に使うデータ", "Data agreed as proof"),
    ("amount", "量", "Amount"),
    ("cost", "コスト", "Cost"),
    ("person_days", "人日", "person-days"),
    ("done_when", "完了状態", "Done when"),
    ("owner", "担当", "Owner"),
    ("no_tasks", "タスクなし", "No tasks"),
    ("timeline", "タイムライン", "Timeline"),
    (
        "story",
        "ストーリーとビジネスモデル",
        "Story and business model",
    ),
    ("updates", "学びと更新", "What we learned"),
    ("answered", "データが答えたこと", "What the data answered"),
    ("story_update", "ストーリーの更新", "Story"),
    (
        "business_model_update",
        "ビジネスモデルの更新",
        "Business model",
    ),
    ("no_updates", "まだ更新はありません。", "No updates yet."),
    (
        "meetings",
        "会議体とレポートライン",
        "Meetings and reporting",
    ),
    ("kickoff", "キックオフ", "Kickoff"),
    ("progress", "マイルストーン内の進捗確認", "Progress check"),
    ("executive", "経営への報告", "Reporting to management"),
    ("not_set", "未設定", "Not set"),
    ("ice", "ICE スコア", "ICE score"),
    ("impact", "インパクト", "Impact"),
    ("confidence", "確信度", "Confidence"),
    ("ease", "実現容易性", "Ease"),
    ("evidence", "根拠", "Evidence"),
    ("score", "スコア", "Score"),
    ("findings", "指摘", "Lint findings"),
    ("rule", "ルール", "Rule"),
    ("line", "行", "Line"),
    ("message", "内容", "Message"),
    ("plan_file", "ファイル", "File"),
    ("generated", "planbook で生成", "Generated by planbook"),
    ("built_at", "生成日時", "Built"),
    ("skip", "本文へ移動", "Skip to content"),
    ("contents", "目次", "Contents"),
    (
        "no_plans",
        "計画がまだありません。`planbook new ID` で作成できます。",
        "No plans yet: create one with `planbook new ID`.",
    ),
    ("milestone_done", "完了", "done"),
    ("state_invalid", "エラーあり", "invalid"),
    ("state_draft", "下書き", "draft"),
    ("state_dropped", "中止", "dropped"),
    ("state_done", "完了", "done"),
    ("state_behind", "遅れ", "behind"),
    ("state_at-risk", "要注意", "at risk"),
    ("state_on-track", "順調", "on track"),
    ("states", "状態", "States"),
    ("trend", "推移", "Trend"),
    ("plan_status_draft", "下書き", "draft"),
    ("plan_status_active", "進行中", "active"),
    ("plan_status_done", "完了", "done"),
    ("plan_status_dropped", "中止", "dropped"),
    ("ms_status_planned", "予定", "planned"),
    ("ms_status_in_progress", "進行中", "in progress"),
    ("ms_status_done", "完了", "done"),
    ("ms_status_missed", "未達", "missed"),
    ("missed_target", "未達の目標", "Missed target"),
    ("task_status_todo", "未着手", "to do"),
    ("task_status_doing", "作業中", "doing"),
    ("task_status_done", "完了", "done"),
    ("task_status_dropped", "中止", "dropped"),
    ("every_week", "毎週", "Every week"),
    ("every_two-weeks", "隔週", "Every two weeks"),
    ("every_month", "毎月", "Every month"),
    ("weekday_mon", "月曜", "Monday"),
    ("weekday_tue", "火曜", "Tuesday"),
    ("weekday_wed", "水曜", "Wednesday"),
    ("weekday_thu", "木曜", "Thursday"),
    ("weekday_fri", "金曜", "Friday"),
    ("weekday_sat", "土曜", "Saturday"),
    ("weekday_sun", "日曜", "Sunday"),
    ("questions_ledger", "問いと答え", "Questions and answers"),
    (
        "no_questions",
        "問いはまだありません。",
        "No questions yet.",
    ),
    ("q_state", "状態", "State"),
    ("q_open", "未回答", "open"),
    ("q_supported", "支持された", "supported"),
    ("q_refuted", "反証された", "refuted"),
    ("q_inconclusive", "結論が出なかった", "inconclusive"),
    ("q_answered", "回答済み", "answered"),
    ("answers", "問いへの答え", "Answers to the questions"),
    ("question", "問い", "Question"),
    ("finding", "わかったこと", "Finding"),
    ("data_collected", "集めたデータ", "Data collected"),
    ("evidence_self_conviction", "自分の確信", "self-conviction"),
    ("evidence_opinions", "他者の意見", "opinions"),
    ("evidence_estimates", "見積もり", "estimates"),
    ("evidence_market_data", "市場データ", "market data"),
    ("evidence_user_evidence", "顧客の反応", "user evidence"),
    ("evidence_test_results", "テスト結果", "test results"),
    ("severity_error", "エラー", "error"),
    ("severity_warning", "警告", "warning"),
    ("severity_info", "情報", "note"),
    ("audience", "報告先", "Audience"),
    ("reports", "報告日", "Report dates"),
    ("to", "〜", "to"),
    ("history", "計画ファイルの履歴", "History of the plan file"),
    (
        "no_history",
        "まだコミットされていません。",
        "Not committed yet.",
    ),
    ("commit", "コミット", "Commit"),
    ("versions", "版の一覧", "Versions"),
    (
        "versions_intro",
        "git のタグごとに、その時点で合意した計画を残しています。",
        "Each git tag keeps the plans as they were agreed at that point.",
    ),
    ("version", "版", "Version"),
    ("latest_version", "最新", "latest"),
    ("see_latest", "最新版を見る", "See the latest"),
    ("all_versions", "すべての版", "All versions"),
    ("changes", "変更点", "What changed"),
    ("changes_since", "前の版からの変更:", "Changes since"),
    ("first_version", "最初の版", "First version"),
    (
        "no_changes",
        "計画に変更はありません。",
        "No changes to the plans.",
    ),
    ("plans_added", "追加された計画", "Plans added"),
    ("plans_removed", "削除された計画", "Plans removed"),
    ("plans_changed", "変更された計画", "Plans changed"),
    ("findings_introduced", "新しい指摘", "New findings"),
    ("findings_fixed", "解消された指摘", "Fixed findings"),
];

/// All labels for `lang`.
pub(crate) fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    LABELS
        .iter()
        .map(|(k, ja, en)| (*k, lang.pick(ja, en)))
        .collect()
}

/// The label table sorted by key, made once: pages look labels up tens of
/// thousands of times, and a scan of the table was 3 % of a build.
fn sorted() -> &'static [(&'static str, &'static str, &'static str)] {
    static SORTED: std::sync::OnceLock<Vec<(&str, &str, &str)>> = std::sync::OnceLock::new();
    SORTED.get_or_init(|| {
        let mut v = LABELS.to_vec();
        v.sort_by_key(|l| l.0);
        v
    })
}

fn find(key: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    let table = sorted();
    table
        .binary_search_by_key(&key, |l| l.0)
        .ok()
        .and_then(|i| table.get(i))
}

/// One label; the key itself if unknown (never fails). Borrowed from the
/// table: pages look up thousands, and each used to be a new `String`.
pub(crate) fn label(lang: Lang, key: &str) -> Cow<'static, str> {
    find(key).map_or_else(
        || Cow::Owned(key.to_string()),
        |(_, ja, en)| Cow::Borrowed(lang.pick(ja, en)),
    )
}

/// The label of `prefix` followed by `key` (`label(lang, "state_behind")`
/// as `label_for(lang, "state_", "behind")`), looked up without joining
/// the two.
pub(crate) fn label_for(lang: Lang, prefix: &str, key: &str) -> Cow<'static, str> {
    let table = sorted();
    let joined = |k: &str| {
        let k = k.as_bytes();
        let (head, tail) = k.split_at(prefix.len().min(k.len()));
        head.cmp(prefix.as_bytes())
            .then_with(|| tail.cmp(key.as_bytes()))
    };
    match table
        .binary_search_by(|l| joined(l.0))
        .ok()
        .and_then(|i| table.get(i))
    {
        Some((_, ja, en)) => Cow::Borrowed(lang.pick(ja, en)),
        None => Cow::Owned(format!("{prefix}{key}")),
    }
}

/// The name of a kind of evidence: the label of a built-in kind, or a
/// custom kind of `[lint.confidence_caps]` as written, `_` shown as spaces.
pub(crate) fn evidence(lang: Lang, kind: &str) -> String {
    let key = format!("evidence_{kind}");
    match find(&key) {
        Some((_, ja, en)) => lang.pick(ja, en).to_string(),
        None => kind.replace('_', " "),
    }
}

/// "Jan" … "Dec", as chrono's `%b` (without parsing a format string per
/// date: pages format thousands of dates).
fn month_abbr(d: chrono::NaiveDate) -> &'static str {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS.get(d.month0() as usize).copied().unwrap_or("")
}

/// "done 3 days late": a task done after its due date.
pub(crate) fn late_text(lang: Lang, days: i64) -> String {
    match (lang, days) {
        (Lang::Ja, n) => format!("{n} 日遅れて完了"),
        (Lang::En, 1) => "done 1 day late".to_string(),
        (Lang::En, n) => format!("done {n} days late"),
    }
}

/// A date for people: 2027年1月31日 / Jan 31, 2027. Pushed piece by piece
/// rather than with `format!`: a plan page shows dozens (the timeline has
/// one per task), and `format!` cost three times as much.
pub(crate) fn long_date(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let mut s = String::with_capacity(20);
    match lang {
        Lang::Ja => {
            push_int(&mut s, d.year());
            s.push('年');
            push_int(&mut s, d.month() as i32);
            s.push('月');
            push_int(&mut s, d.day() as i32);
            s.push('日');
        }
        Lang::En => {
            s.push_str(month_abbr(d));
            s.push(' ');
            push_int(&mut s, d.day() as i32);
            s.push_str(", ");
            push_int(&mut s, d.year());
        }
    }
    s
}

/// Appends `n` in decimal, as `{}` formats it.
fn push_int(s: &mut String, n: i32) {
    if n < 0 {
        s.push('-');
    }
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        if let Some(slot) = digits.get_mut(i) {
            *slot = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 || i == 0 {
            break;
        }
    }
    for &b in digits.get(i..).unwrap_or_default() {
        s.push(char::from(b));
    }
}

/// A month tick: 2027年1月 / Jan 2027.
pub(crate) fn month(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Ja => format!("{}年{}月", d.year(), d.month()),
        Lang::En => format!("{} {}", month_abbr(d), d.year()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn custom_evidence_kinds_show_as_written() {
        use crate::i18n::Lang;
        assert_eq!(super::evidence(Lang::Ja, "estimates"), "見積もり");
        assert_eq!(super::evidence(Lang::En, "market_data"), "market data");
        assert_eq!(
            super::evidence(Lang::Ja, "customer_interviews"),
            "customer interviews"
        );
    }

    use super::*;

    #[test]
    fn every_label_key_is_unique_and_found() {
        let mut keys: Vec<&str> = LABELS.iter().map(|l| l.0).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a label key is listed twice");
        for (key, ja, en) in LABELS {
            assert_eq!(label(Lang::Ja, key), *ja);
            assert_eq!(label(Lang::En, key), *en);
        }
        assert_eq!(label(Lang::En, "no such key"), "no such key");
    }

    #[test]
    fn english_dates_match_chrono_formats() {
        for (y, m, d) in [(2027, 1, 5), (2026, 12, 31), (2027, 9, 10)] {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                long_date(Lang::En, date),
                date.format("%b %-d, %Y").to_string()
            );
            assert_eq!(month(Lang::En, date), date.format("%b %Y").to_string());
        }
    }

    #[test]
    fn long_dates_read_as_format_would_write_them() {
        use chrono::Datelike;
        for (y, m, d) in [
            (2027, 1, 31),
            (2026, 12, 1),
            (999, 7, 4),
            (-44, 3, 15),
            (10000, 10, 10),
        ] {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(long_date(Lang::Ja, date), format!("{y}年{m}月{d}日"));
            assert_eq!(
                long_date(Lang::En, date),
                format!("{} {d}, {y}", month_abbr(date)),
                "{}",
                date.year()
            );
        }
    }

    #[test]
    fn labels_for_a_prefix_and_key_are_the_joined_labels() {
        for (prefix, key) in [
            ("state_", "behind"),
            ("state_", "on-track"),
            ("task_status_", "done"),
            ("q_", "open"),
            ("state_", "nonsense"),
            ("", "due"),
            ("zzz", ""),
        ] {
            for lang in [Lang::Ja, Lang::En] {
                assert_eq!(
                    label_for(lang, prefix, key),
                    label(lang, &format!("{prefix}{key}")),
                    "{prefix}{key}"
                );
            }
        }
    }
}

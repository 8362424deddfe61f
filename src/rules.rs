//! The rule catalogue (docs/rules.md): every rule id with its default
//! severity and its description in both languages, and the severities. A
//! leaf that config, parsing, lint and the output formats all read; it
//! imports only `i18n`. The checks live in `lint/` (`pln.rs`, `met.rs`, …),
//! one function per rule named after its id.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A rule level in `[lint.rules]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub(crate) fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// What is known about a rule without running it.
#[derive(Debug)]
pub struct RuleInfo {
    pub id: &'static str,
    pub default: Severity,
    /// One line: what the rule requires.
    pub ja: &'static str,
    pub en: &'static str,
}

impl RuleInfo {
    pub(crate) fn summary(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

macro_rules! rules {
    ($($id:ident: $sev:ident, $ja:literal, $en:literal;)+) => {
        $(pub const $id: &str = stringify!($id);)+
        /// Every rule, in catalogue order.
        pub const RULES: &[RuleInfo] = &[
            $(RuleInfo { id: stringify!($id), default: Severity::$sev, ja: $ja, en: $en },)+
        ];
    };
}

rules! {
    PLN001: Error, "フロントマターがあり、正しい YAML で、スキーマ（必須キー・型・列挙値・日付・不明なキーなし）に合っている",
        "Frontmatter is present, valid YAML and matches the schema: required keys, types, enums, dates, no unknown keys";
    PLN002: Error, "plan id がリポジトリ内で一意である", "Plan ids are unique across the repository";
    PLN003: Error, "team が [roles] のすべての役割に担当者を割り当てている", "`team` names a person for every role in [roles]";
    MET001: Error, "指標に name・unit・direction・数値の baseline がある", "The metric has a name, unit, direction and a numeric baseline";
    MET002: Error, "指標と顧客体験の向上・定着との相関が書かれている", "The metric states its correlation with customer experience";
    MET003: Error, "指標と収益との相関（先行指標であること）が書かれている", "The metric states its correlation with revenue, as a leading indicator";
    MET004: Error, "指標と機械学習の精度との相関（蓄積データで学習できること）が書かれている", "The metric states its correlation with ML model accuracy: the data it accumulates can train the model";
    MET005: Warning, "指標が顧客体験の改善なしに上がりうる虚栄の指標（アクセス数など）ではない", "The metric is not a vanity metric that can rise without the customer experience improving";
    MIL001: Error, "マイルストーンが 1 つ以上ある", "The plan has at least one milestone";
    MIL002: Error, "最初のマイルストーンが start から first_milestone_months か月以内に期限を迎える", "The first milestone is due within first_milestone_months calendar months of start";
    MIL003: Error, "各マイルストーンの target が baseline と前のマイルストーンより指標の方向に改善している", "Every milestone has a target that strictly improves on the baseline and the previous milestone";
    MIL004: Error, "各マイルストーンがデータで答える問いを 1 つ以上持ち、問いの id が計画内で一意である", "Every milestone lists at least one question it answers with data; question ids are unique within the plan";
    MIL005: Error, "各マイルストーンが証明に使うデータの項目と量を合意している", "Every milestone states the data agreed as proof: items and amount";
    MIL006: Warning, "各マイルストーンの cost_days が max_milestone_cost_days 以下である", "Every milestone has cost_days, at most max_milestone_cost_days";
    MIL007: Warning, "マイルストーン名が成果物（「モデルを作る」など）ではなく成果を表している", "The milestone title names an outcome, not an output such as \"build a model\"";
    MIL008: Error, "マイルストーン id が一意で、期限が start より後かつ単調増加している", "Milestone ids are unique; due dates are after start and strictly increasing";
    MIL009: Error, "完了・未達のマイルストーンに done_on・actual・updates の記録がある（updates はレビュー日までは警告）", "A done or missed milestone has done_on, actual and an entry in updates (the update is a warning until the review date)";
    MIL010: Warning, "未完了のマイルストーンがレビュー日（review、なければ due）を過ぎていない", "A milestone that is not done or missed is not past its review date (`review`, or `due` without one)";
    MIL011: Info, "終わったマイルストーンの actual が target に届いていない: 学びを update に残す", "A finished milestone's actual missed its target: record what was learned";
    MIL012: Warning, "各マイルストーンに due 以降の review 日がある", "Every milestone has a review date on or after its due date";
    TSK001: Error, "各タスクに完了状態 (done_when) がある", "Every task states its done-state (done_when)";
    TSK002: Error, "各タスクの due がマイルストーンの due 以前である", "Every task has a due date on or before its milestone's due date";
    TSK003: Error, "各タスクの role が [roles] のキーである", "Every task's role is a key of [roles]";
    TSK004: Warning, "各マイルストーンにすべての役割のタスクがある", "Every milestone has at least one task for every role";
    TSK005: Warning, "未完了のタスクが期限を過ぎていない", "A task that is not done is not past its due date";
    MTG001: Error, "ワークショップ後最初の会議 (kickoff) が start から kickoff_within_days 日以内に設定されている", "The kickoff meeting is set, on or after start, within kickoff_within_days";
    MTG002: Error, "経営への報告 (executive) に相手と日付がある", "Reporting to management is set: an audience and at least one date";
    MTG003: Error, "マイルストーン内の進捗確認 (progress) に頻度と曜日がある", "The progress check cadence is set: every and weekday";
    ICE001: Error, "ICE の impact・ease が 1〜10、confidence が 0.01〜10 である", "ICE has impact and ease in 1–10 and confidence in 0.01–10";
    ICE002: Error, "confidence が根拠 (evidence) の上限を超えていない", "Confidence does not exceed the cap of its declared evidence";
    UPD001: Error, "各 update が既存のマイルストーンを指し、日付があり、ストーリーかビジネスモデルを更新している", "Every update names an existing milestone, has a date, and changes the story or the business model";
    KPI001: Error, "計測値の日付が start 以降かつ昇順で、値が数値である", "Measurements have dates on or after start, in increasing order, with numeric values";
    KPI002: Warning, "最新の計測値がその時点の計画値（最初の期限までは baseline、各マイルストーンの期限からはその target）から、そのマイルストーンで計画した伸びの 20% を超えて遅れていない", "The latest measurement is not short of the planned value on its date (the baseline until the first due date, then each milestone's target) by more than 20% of that milestone's planned gain";
    PLN004: Error, "テンプレートのプレースホルダー（「（完了状態）」や TODO など）が残っていない", "No placeholder is left from a template (such as \"(done-state)\" or TODO), in the frontmatter or the body";
    MIL013: Warning, "計画がワークショップの期間に収まる: 最後のマイルストーンが start から plan_months か月以内", "The plan fits the workshop's horizon: the last milestone is due within plan_months calendar months of start";
    MIL014: Warning, "終わった各マイルストーンが KPI を実際に動かした: actual が前の actual（最初は baseline）より改善している", "Every finished milestone moved the KPI: its actual improves on the previous finished milestone's actual (the baseline for the first)";
    MIL015: Warning, "終わったマイルストーンの問いにすべてデータで答えている（問いの台帳）", "Every question of a finished milestone is answered with data (the question ledger)";
    MIL016: Warning, "終わった各マイルストーンの後にストーリーとビジネスモデルの両方を更新している", "After each finished milestone both the story and the business model are updated";
    UPD002: Error, "answers の各項目がそのマイルストーンの問いを指し、わかったこと (finding) を書いている", "Every answers entry names a question of its update's milestone and states its finding";
    ICE003: Warning, "workshop_confidence を超える confidence は、終わったマイルストーンの証拠で得たものである", "Confidence above workshop_confidence is earned: it needs at least one finished milestone";
    MTG004: Warning, "進捗確認が毎週、時間枠つきで設定されている（毎週 x 曜日 00:00-00:00）", "The progress check is weekly with a time slot (every: week and a time)";
}

/// Looks a rule up by id.
pub(crate) fn info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_41_unique_rules() {
        assert_eq!(RULES.len(), 41);
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 41);
    }
}

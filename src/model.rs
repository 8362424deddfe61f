//! The plan model (docs/format.md, "The plan file"): what a plan file says, with the source position
//! of every value so that lint rules can point at it.
//!
//! Every field is a [`Field`]: missing, present but invalid (already reported
//! as PLN001 by [`crate::frontmatter`], so rules skip it), or present with a
//! value and its position. Containers remember the position of their own key
//! (or list item), which is where "missing key" findings point.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::diag::Finding;
use crate::yaml::{Node, Pos};

/// A value and the position of its first character in the plan file.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub pos: Pos,
}

/// A frontmatter field.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// The key is absent.
    #[default]
    Missing,
    /// The key is written with no value (`key:` or `key: null`): missing,
    /// but findings about it point at the key.
    Null(Pos),
    /// The value has the wrong type or format; PLN001 was reported.
    Invalid,
    Ok(At<T>),
}

impl<T> Field<T> {
    pub fn get(&self) -> Option<&At<T>> {
        match self {
            Field::Ok(at) => Some(at),
            _ => None,
        }
    }

    pub fn value(&self) -> Option<&T> {
        self.get().map(|a| &a.value)
    }

    /// Absent, or written with no value.
    pub fn is_missing(&self) -> bool {
        matches!(self, Field::Missing | Field::Null(_))
    }

    /// Where a finding about this field's absence or emptiness points: at
    /// the value when one is written (`""`, `[]`), at the key when it has
    /// no value, else at `parent`.
    pub fn pos_or(&self, parent: Pos) -> Pos {
        match self {
            Field::Ok(a) => a.pos,
            Field::Null(pos) => *pos,
            Field::Missing | Field::Invalid => parent,
        }
    }
}

impl<T: Copy> Field<T> {
    pub fn copied(&self) -> Option<T> {
        self.value().copied()
    }
}

impl Field<String> {
    /// The string if present and not blank.
    pub fn text(&self) -> Option<&str> {
        self.value().map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    /// True when the key is missing or its text blank: what "has no …"
    /// findings look for. An invalid value is not blank: PLN001 reported
    /// it, and the rules that need it skip it.
    pub fn is_blank(&self) -> bool {
        self.text().is_none() && !matches!(self, Field::Invalid)
    }
}

/// `[a-z0-9-]+`: plan, milestone and role ids.
pub(crate) fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Declares a string enum with its YAML spellings.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every accepted spelling, in declaration order.
            pub const ALL: &'static [&'static str] = &[$($text),+];

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }
    };
}

string_enum!(
    /// `status` of a plan.
    PlanStatus { Draft = "draft", Active = "active", Done = "done", Dropped = "dropped" }
);
string_enum!(
    /// `status` of a milestone.
    MilestoneStatus { Planned = "planned", InProgress = "in_progress", Done = "done", Missed = "missed" }
);
string_enum!(
    /// `status` of a task.
    TaskStatus { Todo = "todo", Doing = "doing", Done = "done", Dropped = "dropped" }
);
string_enum!(
    /// Which way the metric should move.
    Direction { Increase = "increase", Decrease = "decrease" }
);
string_enum!(
    /// `verdict` of an answer in the question ledger.
    Verdict { Supported = "supported", Refuted = "refuted", Inconclusive = "inconclusive" }
);
string_enum!(
    /// `meetings.progress.every`.
    Every { Week = "week", TwoWeeks = "two-weeks", Month = "month" }
);
string_enum!(
    /// `meetings.progress.weekday`.
    Weekday { Mon = "mon", Tue = "tue", Wed = "wed", Thu = "thu", Fri = "fri", Sat = "sat", Sun = "sun" }
);

impl MilestoneStatus {
    /// Done or missed: the milestone is over and has a measured result.
    pub fn is_finished(self) -> bool {
        matches!(self, MilestoneStatus::Done | MilestoneStatus::Missed)
    }
}

impl Direction {
    /// How much `to` improves on `from` (positive = better).
    pub fn gain(self, from: f64, to: f64) -> f64 {
        match self {
            Direction::Increase => to - from,
            Direction::Decrease => from - to,
        }
    }
}

/// One plan file.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Path relative to the repository root, `/`-separated.
    pub file: String,
    /// The plan id: the `id` key, or the file stem.
    pub id: String,
    /// Where the id stands (line 1 when it comes from the file stem).
    pub id_pos: Pos,
    /// False when there was no frontmatter mapping to read (missing, broken
    /// YAML, not a mapping): then only PLN001 is reported, not every rule
    /// whose keys seem to be missing.
    pub readable: bool,
    /// The frontmatter tree as parsed; taken by the loader, which keeps
    /// only the plan's `plans.json` entry made from it ([`Plan::json`]).
    pub frontmatter: Option<Node>,
    /// This plan's entry of `plans.json` (see `plans_json::plan_json`),
    /// made while loading for a build: much smaller than the tree.
    pub json: Option<std::sync::Arc<str>>,
    pub title: Field<String>,
    pub status: Field<PlanStatus>,
    pub start: Field<NaiveDate>,
    pub use_case: Field<String>,
    pub team: Field<Team>,
    pub ice: Field<Ice>,
    pub metric: Field<Metric>,
    pub milestones: Field<Vec<Milestone>>,
    pub measurements: Field<Vec<Measurement>>,
    pub updates: Field<Vec<Update>>,
    pub meetings: Field<Meetings>,
    /// `lint.allow`: rule id → reason.
    pub allow: BTreeMap<String, At<String>>,
    /// The markdown body after the frontmatter.
    pub body: String,
    /// The file line on which the body starts.
    pub body_line: usize,
}

impl Plan {
    pub fn status(&self) -> PlanStatus {
        self.status.copied().unwrap_or(PlanStatus::Active)
    }

    /// The milestones that parsed (empty if the key is missing or invalid).
    pub fn milestones(&self) -> &[Milestone] {
        self.milestones.value().map_or(&[], Vec::as_slice)
    }

    pub fn measurements(&self) -> &[Measurement] {
        self.measurements.value().map_or(&[], Vec::as_slice)
    }

    pub fn updates(&self) -> &[Update] {
        self.updates.value().map_or(&[], Vec::as_slice)
    }

    /// `meetings.executive`: the reporting to management.
    pub fn executive(&self) -> Option<&Executive> {
        self.meetings.value()?.executive.value()
    }

    /// The dates of the reports to management, as written.
    pub fn executive_dates(&self) -> &[At<NaiveDate>] {
        self.executive()
            .and_then(|e| e.dates.value())
            .map_or(&[], Vec::as_slice)
    }

    /// The milestone with id `id`, if any (the first when ids repeat).
    pub fn milestone(&self, id: &str) -> Option<&Milestone> {
        self.milestones().iter().find(|m| m.id_text() == Some(id))
    }

    pub fn title_text(&self) -> &str {
        self.title.text().unwrap_or(&self.id)
    }

    /// The metric's unit as values are written with it ("" without one).
    pub fn unit(&self) -> &str {
        self.metric
            .value()
            .and_then(|m| m.unit.text())
            .unwrap_or("")
    }

    /// The ICE score, when all three factors are valid numbers.
    pub fn ice_score(&self) -> Option<f64> {
        let ice = self.ice.value()?;
        Some(ice.impact.copied()? * ice.confidence.copied()? * ice.ease.copied()?)
    }
}

/// `team`: role key → person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Team {
    pub members: BTreeMap<String, At<String>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ice {
    pub impact: Field<f64>,
    pub ease: Field<f64>,
    pub confidence: Field<f64>,
    pub evidence: Field<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metric {
    pub name: Field<String>,
    pub unit: Field<String>,
    pub direction: Field<Direction>,
    pub baseline: Field<f64>,
    pub correlations: Field<Correlations>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Correlations {
    pub customer_experience: Field<String>,
    pub revenue: Field<String>,
    pub model_accuracy: Field<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Milestone {
    /// Position of the list item.
    pub pos: Pos,
    pub id: Field<String>,
    pub title: Field<String>,
    pub due: Field<NaiveDate>,
    pub target: Field<f64>,
    pub questions: Field<Vec<Question>>,
    pub data: Field<Data>,
    pub cost_days: Field<f64>,
    pub review: Field<NaiveDate>,
    pub status: Field<MilestoneStatus>,
    pub done_on: Field<NaiveDate>,
    pub actual: Field<f64>,
    pub tasks: Field<Vec<Task>>,
}

impl Milestone {
    pub fn status(&self) -> MilestoneStatus {
        self.status.copied().unwrap_or(MilestoneStatus::Planned)
    }

    pub fn tasks(&self) -> &[Task] {
        self.tasks.value().map_or(&[], Vec::as_slice)
    }

    /// The day the milestone is reviewed: `review`, or `due` without one.
    /// Until then a milestone past `due` is awaiting review, not late.
    pub fn review_date(&self) -> Option<NaiveDate> {
        self.review.copied().or_else(|| self.due.copied())
    }

    pub fn id_text(&self) -> Option<&str> {
        self.id.text()
    }

    /// "m1: title", or whichever of the two the milestone has ("?" for
    /// neither): how the check page, the report page and `report` name it.
    pub fn name(&self) -> String {
        match (self.id_text(), self.title.text()) {
            (Some(id), Some(t)) => format!("{id}: {t}"),
            (Some(x), None) | (None, Some(x)) => x.to_string(),
            (None, None) => "?".into(),
        }
    }

    /// The questions that parsed (empty if the key is missing or invalid).
    pub fn questions(&self) -> &[Question] {
        self.questions.value().map_or(&[], Vec::as_slice)
    }

    /// The 1-based index of the question `r` names, if it names one.
    pub fn question_index(&self, r: &QuestionRef) -> Option<usize> {
        let qs = self.questions();
        match r {
            QuestionRef::Index(n) => (*n >= 1 && *n <= qs.len()).then_some(*n),
            QuestionRef::Id(id) => qs
                .iter()
                .position(|q| q.id.text() == Some(id.trim()))
                .map(|i| i + 1),
        }
    }
}

/// A question a milestone answers with data: a string, or `{id, ask}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Question {
    /// Position of the list item.
    pub pos: Pos,
    pub id: Field<String>,
    pub ask: Field<String>,
}

impl Question {
    /// The question's text ("" when it has none).
    pub fn ask_text(&self) -> &str {
        self.ask.value().map_or("", |s| s.trim())
    }
}

/// How an answer names its question: a 1-based index or a question id.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionRef {
    Index(usize),
    Id(String),
}

impl std::fmt::Display for QuestionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QuestionRef::Index(n) => write!(f, "{n}"),
            QuestionRef::Id(id) => f.write_str(id),
        }
    }
}

/// One entry of an update's `answers`: the question ledger.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    /// Position of the list item.
    pub pos: Pos,
    pub question: Field<QuestionRef>,
    pub verdict: Field<Verdict>,
    pub finding: Field<String>,
    /// Where the `finding` key stands, when it is written.
    pub finding_key: Option<Pos>,
    pub data: Field<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    pub items: Field<Vec<At<String>>>,
    pub amount: Field<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Task {
    pub pos: Pos,
    pub role: Field<String>,
    pub owner: Field<String>,
    pub do_: Field<String>,
    pub done_when: Field<String>,
    pub due: Field<NaiveDate>,
    pub status: Field<TaskStatus>,
    /// The day it was done (optional): a task done after `due` is done late.
    pub done_on: Field<NaiveDate>,
    /// Why it was dropped, or any remark.
    pub note: Field<String>,
}

impl Task {
    pub fn status(&self) -> TaskStatus {
        self.status.copied().unwrap_or(TaskStatus::Todo)
    }

    /// Still to do: neither done nor dropped. Only open tasks can be
    /// overdue or due soon.
    pub fn is_open(&self) -> bool {
        !matches!(self.status(), TaskStatus::Done | TaskStatus::Dropped)
    }

    /// Open and past its due date at `today` (due today is not overdue):
    /// the one definition TSK005, the plan states and the pages use.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due.copied().is_some_and(|d| d < today)
    }

    /// Days a done task was finished after its `due` (by `done_on`);
    /// `None` when on time or when either date is missing.
    pub fn days_late(&self) -> Option<i64> {
        if self.status() != TaskStatus::Done {
            return None;
        }
        let late = (self.done_on.copied()? - self.due.copied()?).num_days();
        (late > 0).then_some(late)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measurement {
    pub pos: Pos,
    pub date: Field<NaiveDate>,
    pub value: Field<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Update {
    pub pos: Pos,
    pub date: Field<NaiveDate>,
    pub milestone: Field<String>,
    pub answered: Field<String>,
    pub answers: Field<Vec<Answer>>,
    pub story: Field<String>,
    pub business_model: Field<String>,
}

impl Update {
    /// The answers that parsed (empty if the key is missing or invalid).
    pub fn answers(&self) -> &[Answer] {
        self.answers.value().map_or(&[], Vec::as_slice)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meetings {
    pub kickoff: Field<Kickoff>,
    pub progress: Field<Progress>,
    pub executive: Field<Executive>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kickoff {
    pub date: Field<NaiveDate>,
    pub title: Field<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub every: Field<Every>,
    pub weekday: Field<Weekday>,
    pub time: Field<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Executive {
    pub audience: Field<String>,
    pub dates: Field<Vec<At<NaiveDate>>>,
}

/// One plan and the findings from parsing it.
#[derive(Debug, Clone)]
pub struct PlanFile {
    pub plan: Plan,
    pub findings: Vec<Finding>,
    /// A content key for caches shared between builds of the same plan
    /// (`build --versions`): equal non-zero keys mean the same file, path
    /// and configuration. 0 when no one keeps such caches.
    pub key: u64,
}

impl AsRef<PlanFile> for PlanFile {
    fn as_ref(&self) -> &PlanFile {
        self
    }
}

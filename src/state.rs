//! Plan states (docs/format.md, "Plan states"): where each plan stands at a
//! date, computed here once for `status`, `report`, the home page and the
//! check page. A leaf on the model: it reads plans, the progress and the
//! question ledger, never a page or a command.

use chrono::NaiveDate;

use crate::i18n::Lang;
use crate::labels::long_date;
use crate::model::{Every, Milestone, Plan, PlanStatus, Task};
use crate::num::fmt as num;
use crate::tr;

/// A plan's state, in the order the checks run: the first that holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum State {
    /// The plan has a lint error (after severities).
    Invalid,
    Draft,
    Dropped,
    Done,
    /// An unfinished milestone is past its due date, or the latest
    /// measurement falls short of the planned value (KPI002).
    Behind,
    /// A task that is not done is past its due date, or the metric has not
    /// been measured for more than twice the progress cadence.
    AtRisk,
    OnTrack,
}

impl State {
    /// Every state, in the order of the definition.
    pub(crate) const ALL: [State; 7] = [
        State::Invalid,
        State::Draft,
        State::Dropped,
        State::Done,
        State::Behind,
        State::AtRisk,
        State::OnTrack,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            State::Invalid => "invalid",
            State::Draft => "draft",
            State::Dropped => "dropped",
            State::Done => "done",
            State::Behind => "behind",
            State::AtRisk => "at-risk",
            State::OnTrack => "on-track",
        }
    }
}

/// Why a plan is `behind` or `at-risk`: every reason that holds, for the
/// terminal and the pages.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reason<'p> {
    /// An unfinished milestone past its review date (its due date when
    /// it has none): the date it was due.
    MilestoneOverdue(&'p Milestone, NaiveDate),
    /// The latest measurement is behind the trajectory (KPI002).
    KpiBehind(crate::progress::Shortfall),
    /// Tasks not done past their due date.
    TasksOverdue(usize),
    /// The latest measurement (or `start`) is older than the limit.
    Stale { since: NaiveDate, limit_days: i64 },
}

impl Reason<'_> {
    /// Why a plan is behind or at risk, in a sentence for people: the
    /// check page, the report page and the reports.
    pub(crate) fn text(&self, plan: &Plan, lang: Lang) -> String {
        let unit = plan.unit();
        match self {
            Reason::MilestoneOverdue(m, due) => {
                let name = m.name();
                let due = long_date(lang, *due);
                tr!(
                    lang,
                    "マイルストーン「{name}」の期限（{due}）を過ぎていますが、終わっていません",
                    "milestone “{name}” was due {due} and is not finished"
                )
            }
            Reason::KpiBehind(s) => {
                let (date, a) = (long_date(lang, s.date), num(s.actual));
                let p = num(crate::num::round2(s.planned));
                // A difference of percentages is in points: "0.3 pt", not "0.3%".
                let gap_unit = if unit == "%" { " pt" } else { unit };
                let gap = num(crate::num::round2((s.actual - s.planned).abs()));
                let step = s
                    .milestone
                    .and_then(|i| plan.milestones().get(i))
                    .and_then(|m| m.id_text());
                match step {
                    Some(id) => tr!(
                        lang,
                        "指標が {id} の目標（{p}{unit}）に {gap}{gap_unit} 届いていません（{date} の値 {a}{unit}）",
                        "the KPI is {gap}{gap_unit} short of {id}'s target ({p}{unit}): {a}{unit} on {date}"
                    ),
                    None => tr!(
                        lang,
                        "指標が開始時の値（{p}{unit}）より {gap}{gap_unit} 悪くなっています（{date} の値 {a}{unit}）",
                        "the KPI is {gap}{gap_unit} worse than the baseline ({p}{unit}): {a}{unit} on {date}"
                    ),
                }
            }
            Reason::TasksOverdue(n) => match (lang, n) {
                (Lang::Ja, n) => format!("期限を過ぎたタスクが {n} 件あります"),
                (Lang::En, 1) => "1 task is overdue".to_string(),
                (Lang::En, n) => format!("{n} tasks are overdue"),
            },
            Reason::Stale { since, limit_days } => {
                let since = long_date(lang, *since);
                tr!(
                    lang,
                    "最後の計測（{since}）から {limit_days} 日以上たっています",
                    "the metric has not been measured for more than {limit_days} days (last: {since})"
                )
            }
        }
    }
}

/// A plan's state at `today` and the reasons behind it. `has_error`: the
/// plan has a lint error after severities.
pub(crate) fn assess(plan: &Plan, has_error: bool, today: NaiveDate) -> (State, Vec<Reason<'_>>) {
    if has_error {
        return (State::Invalid, Vec::new());
    }
    match plan.status() {
        PlanStatus::Draft => return (State::Draft, Vec::new()),
        PlanStatus::Dropped => return (State::Dropped, Vec::new()),
        PlanStatus::Done => return (State::Done, Vec::new()),
        PlanStatus::Active => {}
    }
    let mut behind = Vec::new();
    for m in plan.milestones() {
        if let (Some(due), Some(review)) = (m.due.copied(), m.review_date())
            && !m.status().is_finished()
            && review < today
        {
            behind.push(Reason::MilestoneOverdue(m, due));
        }
    }
    if let Some(s) = crate::progress::shortfall(plan) {
        behind.push(Reason::KpiBehind(s));
    }
    if !behind.is_empty() {
        return (State::Behind, behind);
    }
    let mut risks = Vec::new();
    let overdue = overdue_tasks(plan, today).len();
    if overdue > 0 {
        risks.push(Reason::TasksOverdue(overdue));
    }
    let limit_days = 2 * cadence_days(plan);
    if let Some(since) = last_measured(plan)
        && (today - since).num_days() > limit_days
    {
        risks.push(Reason::Stale { since, limit_days });
    }
    if !risks.is_empty() {
        return (State::AtRisk, risks);
    }
    (State::OnTrack, Vec::new())
}

/// [`assess`] without the reasons.
pub(crate) fn state(plan: &Plan, has_error: bool, today: NaiveDate) -> State {
    assess(plan, has_error, today).0
}

/// Days between progress checks: week 7, two-weeks 14, month 31; 7 when
/// no cadence is set.
pub(crate) fn cadence_days(plan: &Plan) -> i64 {
    let every = plan
        .meetings
        .value()
        .and_then(|m| m.progress.value())
        .and_then(|p| p.every.copied());
    match every {
        Some(Every::TwoWeeks) => 14,
        Some(Every::Month) => 31,
        Some(Every::Week) | None => 7,
    }
}

/// The date of the latest measurement, or `start` when there is none.
pub(crate) fn last_measured(plan: &Plan) -> Option<NaiveDate> {
    plan.measurements()
        .iter()
        .filter_map(|m| m.date.copied())
        .max()
        .or_else(|| plan.start.copied())
}

/// A task with its milestone.
pub(crate) type Due<'p> = (&'p Milestone, &'p Task);

/// Open tasks (neither done nor dropped) whose due date is before `date`,
/// in file order.
pub(crate) fn overdue_tasks(plan: &Plan, date: NaiveDate) -> Vec<Due<'_>> {
    plan.milestones()
        .iter()
        .flat_map(|m| m.tasks().iter().map(move |t| (m, t)))
        .filter(|(_, t)| t.overdue(date))
        .collect()
}

/// Open tasks due in (`after`, `until`], in file order.
pub(crate) fn tasks_due(plan: &Plan, after: NaiveDate, until: NaiveDate) -> Vec<Due<'_>> {
    tasks_where(plan, |due| after < due && due <= until)
}

fn tasks_where(plan: &Plan, keep: impl Fn(NaiveDate) -> bool) -> Vec<Due<'_>> {
    plan.milestones()
        .iter()
        .flat_map(|m| m.tasks().iter().map(move |t| (m, t)))
        .filter(|(_, t)| t.is_open() && t.due.copied().is_some_and(&keep))
        .collect()
}

/// Milestones awaiting their review at `today`: past `due` (or finished)
/// but not past the review date (`review`, or `due` without one), and not
/// yet reviewed, i.e. without an update. They do not make a plan
/// `behind`; the check page lists them with their review date.
pub(crate) fn awaiting_review(plan: &Plan, today: NaiveDate) -> Vec<(&Milestone, NaiveDate)> {
    plan.milestones()
        .iter()
        .filter_map(|m| {
            let (due, review) = (m.due.copied()?, m.review_date()?);
            let ended = due < today || m.status().is_finished();
            let reviewed = crate::ledger::updates_for(plan, m).next().is_some();
            (ended && !reviewed && today <= review).then_some((m, review))
        })
        .collect()
}

/// Questions answered (any verdict, or answered alone: as MIL015 counts)
/// and questions in all.
pub(crate) fn questions_answered(plan: &Plan) -> (usize, usize) {
    let ledger = crate::ledger::plan(plan);
    let answered = ledger.iter().filter(|e| e.is_answered()).count();
    (answered, ledger.len())
}

/// Plans in home-page order: by ICE score, highest first (no score counts
/// as 0), then by id.
pub(crate) fn rank<T>(items: &mut [T], plan: impl Fn(&T) -> &Plan) {
    rank_by(items, |x| {
        let p = plan(x);
        (p.ice_score().unwrap_or(0.0), p.id.as_str())
    });
}

/// [`rank`] over anything that knows its (ICE score, id).
pub(crate) fn rank_by<T>(items: &mut [T], key: impl Fn(&T) -> (f64, &str)) {
    items.sort_by(|a, b| {
        let ((sa, ia), (sb, ib)) = (key(a), key(b));
        sb.total_cmp(&sa).then_with(|| ia.cmp(ib))
    });
}

/// The next milestone as `status` shows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NextMilestone {
    pub id: Option<String>,
    pub title: Option<String>,
    pub due: Option<NaiveDate>,
    pub target: Option<f64>,
}

/// One plan at a date, owned: what `planbook status` prints. Made while
/// the plans stream through the pipeline, so that a status of 10,000
/// plans never holds 10,000 models.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Snapshot {
    pub id: String,
    pub title: String,
    pub file: String,
    /// The ICE score (0 without one), for home-page order.
    pub ice: f64,
    pub state: State,
    pub unit: String,
    /// The latest measurement (date, value).
    pub latest: Option<(NaiveDate, f64)>,
    /// The planned value at the date (the step in force, as KPI002 judges it).
    pub planned: Option<f64>,
    /// The first unfinished milestone in file order, even when overdue.
    pub next: Option<NextMilestone>,
    pub overdue_tasks: usize,
    /// (answered, total) questions.
    pub questions: (usize, usize),
}

/// The [`Snapshot`] of `plan` at `today`.
pub(crate) fn snapshot(plan: &Plan, has_error: bool, today: NaiveDate) -> Snapshot {
    let progress = crate::progress::progress(plan);
    Snapshot {
        id: plan.id.clone(),
        title: plan.title_text().to_string(),
        file: plan.file.clone(),
        ice: plan.ice_score().unwrap_or(0.0),
        state: state(plan, has_error, today),
        unit: plan.unit().to_string(),
        latest: progress.latest,
        planned: crate::progress::planned_value(plan, today),
        next: progress.next.map(|m| NextMilestone {
            id: m.id_text().map(str::to_string),
            title: m.title.text().map(str::to_string),
            due: m.due.copied(),
            target: m.target.copied(),
        }),
        overdue_tasks: overdue_tasks(plan, today).len(),
        questions: questions_answered(plan),
    }
}

/// The next progress check on or after `today`: the next `weekday` of
/// `meetings.progress` (`None` without one).
pub(crate) fn next_check(plan: &Plan, today: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    let day = plan.meetings.value()?.progress.value()?.weekday.copied()?;
    let want = match day {
        crate::model::Weekday::Mon => 0,
        crate::model::Weekday::Tue => 1,
        crate::model::Weekday::Wed => 2,
        crate::model::Weekday::Thu => 3,
        crate::model::Weekday::Fri => 4,
        crate::model::Weekday::Sat => 5,
        crate::model::Weekday::Sun => 6,
    };
    let now = i64::from(today.weekday().num_days_from_monday());
    today.checked_add_signed(chrono::Duration::days((want - now).rem_euclid(7)))
}

/// A date on a plan's calendar: a milestone's due date or its review, or
/// a report to management.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Upcoming<'p> {
    Due(&'p Milestone, NaiveDate),
    Review(&'p Milestone, NaiveDate),
    Executive(NaiveDate),
}

impl Upcoming<'_> {
    pub(crate) fn date(&self) -> NaiveDate {
        match self {
            Upcoming::Due(_, d) | Upcoming::Review(_, d) | Upcoming::Executive(d) => *d,
        }
    }
}

/// Unfinished milestones due, reviews and reports to management in
/// [`today`, `today + days`], by date (on one day: due, review, report).
pub(crate) fn upcoming(plan: &Plan, today: NaiveDate, days: i64) -> Vec<Upcoming<'_>> {
    let until = today + chrono::Duration::days(days);
    let within = |d: NaiveDate| today <= d && d <= until;
    let mut out = Vec::new();
    for m in plan.milestones() {
        if let Some(d) = m.due.copied()
            && !m.status().is_finished()
            && within(d)
        {
            out.push(Upcoming::Due(m, d));
        }
        if let Some(d) = m.review.copied()
            && within(d)
        {
            out.push(Upcoming::Review(m, d));
        }
    }
    for d in plan.executive_dates() {
        if within(d.value) {
            out.push(Upcoming::Executive(d.value));
        }
    }
    // A stable sort: on one day, milestones in file order, then reports.
    out.sort_by_key(Upcoming::date);
    out
}

/// A task's owner: its `owner`, or the team member of its role.
pub(crate) fn owner<'p>(plan: &'p Plan, task: &'p Task) -> Option<&'p str> {
    task.owner
        .text()
        .or_else(|| Some(member(&plan.team, task.role.text()?)?.value.as_str()))
}

/// The team member who holds `role`.
pub(crate) fn member<'t>(
    team: &'t crate::model::Field<crate::model::Team>,
    role: &str,
) -> Option<&'t crate::model::At<String>> {
    team.value()?.members.get(role)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    use crate::testing::{at, d};

    fn meetings(every: Option<Every>, weekday: Option<Weekday>) -> Field<Meetings> {
        at(Meetings {
            progress: at(crate::model::Progress {
                every: every.map_or(Field::Missing, at),
                weekday: weekday.map_or(Field::Missing, at),
                time: Field::Missing,
            }),
            ..Meetings::default()
        })
    }

    fn task(status: TaskStatus, due: &str) -> Task {
        Task {
            role: at("pm".to_string()),
            do_: at("x".to_string()),
            due: at(d(due)),
            status: at(status),
            ..Task::default()
        }
    }

    /// Active, started 2027-01-01, measured on 2027-01-10, one milestone due
    /// 2027-02-01 with `tasks`.
    fn plan(tasks: Vec<Task>) -> Plan {
        Plan {
            status: at(PlanStatus::Active),
            start: at(d("2027-01-01")),
            measurements: at(vec![Measurement {
                date: at(d("2027-01-10")),
                value: at(1.0),
                ..Measurement::default()
            }]),
            milestones: at(vec![Milestone {
                id: at("m1".to_string()),
                due: at(d("2027-02-01")),
                tasks: at(tasks),
                ..Milestone::default()
            }]),
            ..Plan::default()
        }
    }

    #[test]
    fn the_first_state_that_holds_wins() {
        let p = plan(vec![]);
        assert_eq!(state(&p, false, d("2027-01-15")), State::OnTrack);
        assert_eq!(state(&p, true, d("2027-01-15")), State::Invalid);
        let mut draft = p.clone();
        draft.status = at(PlanStatus::Draft);
        assert_eq!(state(&draft, false, d("2027-03-01")), State::Draft);
        // Past the milestone's due date: behind, even though also stale.
        let (s, reasons) = assess(&p, false, d("2027-02-02"));
        assert_eq!(s, State::Behind);
        assert!(matches!(
            reasons.as_slice(),
            [Reason::MilestoneOverdue(_, _)]
        ));
        // On the due date itself, not yet.
        assert_eq!(state(&p, false, d("2027-01-20")), State::OnTrack);
    }

    #[test]
    fn stale_means_more_than_twice_the_cadence() {
        // Weekly (or no cadence): 14 days after 2027-01-10 is still fine.
        let mut p = plan(vec![]);
        assert_eq!(state(&p, false, d("2027-01-24")), State::OnTrack);
        assert_eq!(state(&p, false, d("2027-01-25")), State::AtRisk);
        p.meetings = meetings(Some(Every::TwoWeeks), None);
        assert_eq!(cadence_days(&p), 14);
        assert_eq!(state(&p, false, d("2027-01-25")), State::OnTrack);
        p.meetings = meetings(Some(Every::Month), None);
        assert_eq!(cadence_days(&p), 31);
        // Without measurements, `start` counts.
        p.measurements = Field::Missing;
        assert_eq!(last_measured(&p), Some(d("2027-01-01")));
    }

    #[test]
    fn tasks_overdue_and_due_soon() {
        let p = plan(vec![
            task(TaskStatus::Todo, "2027-01-14"),
            task(TaskStatus::Done, "2027-01-10"),
            task(TaskStatus::Doing, "2027-01-16"),
            task(TaskStatus::Todo, "2027-01-22"),
            task(TaskStatus::Todo, "2027-01-23"),
        ]);
        let today = d("2027-01-15");
        assert_eq!(overdue_tasks(&p, today).len(), 1);
        // (today, today + 7]: the 16th and the 22nd.
        let soon: Vec<_> = tasks_due(&p, today, d("2027-01-22"))
            .iter()
            .map(|(_, t)| t.due.copied())
            .collect();
        assert_eq!(soon, [Some(d("2027-01-16")), Some(d("2027-01-22"))]);
        let (s, reasons) = assess(&p, false, today);
        assert_eq!(s, State::AtRisk);
        assert_eq!(reasons, [Reason::TasksOverdue(1)]);
    }

    #[test]
    fn next_check_is_the_next_weekday_on_or_after_today() {
        let mut p = plan(vec![]);
        assert_eq!(next_check(&p, d("2027-01-15")), None);
        p.meetings = meetings(Some(Every::Week), Some(Weekday::Tue));
        // 2027-01-15 is a Friday; 2027-01-19 a Tuesday.
        assert_eq!(next_check(&p, d("2027-01-15")), Some(d("2027-01-19")));
        assert_eq!(next_check(&p, d("2027-01-19")), Some(d("2027-01-19")));
    }

    #[test]
    fn upcoming_lists_due_dates_and_reviews_in_the_window() {
        let mut p = plan(vec![]);
        if let Field::Ok(ms) = &mut p.milestones {
            ms.value[0].review = at(d("2027-02-03"));
        }
        let u = upcoming(&p, d("2027-01-20"), 14);
        assert_eq!(u.len(), 2, "{u:?}");
        assert!(matches!(u[0], Upcoming::Due(_, day) if day == d("2027-02-01")));
        assert!(matches!(u[1], Upcoming::Review(_, day) if day == d("2027-02-03")));
        assert!(upcoming(&p, d("2027-01-10"), 14).is_empty());
    }

    #[test]
    fn ranking_is_by_score_then_id() {
        let mut items = vec![(1.0, "b"), (2.0, "z"), (1.0, "a"), (0.0, "c")];
        rank_by(&mut items, |x| (x.0, x.1));
        assert_eq!(items, [(2.0, "z"), (1.0, "a"), (1.0, "b"), (0.0, "c")]);
    }

    /// [`plan`] measured on 01-30 (not stale in early February), with m1
    /// reviewed on `review`.
    fn with_review(mut p: Plan, review: Option<&str>) -> Plan {
        p.measurements = at(vec![Measurement {
            date: at(d("2027-01-30")),
            value: at(1.0),
            ..Measurement::default()
        }]);
        if let Field::Ok(ms) = &mut p.milestones
            && let Some(m) = ms.value.first_mut()
        {
            m.review = review.map_or(Field::Missing, |r| at(d(r)));
        }
        p
    }

    #[test]
    fn a_milestone_is_late_only_after_its_review_date() {
        // m1 is due 02-01; without a review date, that is the review date.
        let p = with_review(plan(vec![]), None);
        assert_eq!(state(&p, false, d("2027-02-01")), State::OnTrack);
        assert_eq!(state(&p, false, d("2027-02-02")), State::Behind);
        // Reviewed on 02-03: awaiting review until then.
        let p = with_review(plan(vec![]), Some("2027-02-03"));
        assert_eq!(state(&p, false, d("2027-02-03")), State::OnTrack);
        let (s, reasons) = assess(&p, false, d("2027-02-04"));
        assert_eq!(s, State::Behind);
        // The reason names the due date, not the review date.
        assert!(
            matches!(reasons.as_slice(), [Reason::MilestoneOverdue(_, due)] if *due == d("2027-02-01")),
            "{reasons:?}"
        );
        // A finished milestone is never late.
        let mut done = p.clone();
        if let Field::Ok(ms) = &mut done.milestones {
            ms.value[0].status = at(MilestoneStatus::Done);
        }
        assert_ne!(state(&done, false, d("2027-03-01")), State::Behind);
    }

    #[test]
    fn awaiting_review_is_between_due_and_review_without_an_update() {
        let p = with_review(plan(vec![]), Some("2027-02-03"));
        let waiting = |p: &Plan, day: &str| -> Vec<NaiveDate> {
            awaiting_review(p, d(day))
                .into_iter()
                .map(|(_, r)| r)
                .collect()
        };
        assert!(waiting(&p, "2027-02-01").is_empty(), "on its due date");
        assert_eq!(waiting(&p, "2027-02-02"), [d("2027-02-03")]);
        assert_eq!(waiting(&p, "2027-02-03"), [d("2027-02-03")]);
        assert!(waiting(&p, "2027-02-04").is_empty(), "after the review");
        // Finished early, before its due date: awaiting its review too.
        let mut done = p.clone();
        if let Field::Ok(ms) = &mut done.milestones {
            ms.value[0].status = at(MilestoneStatus::Done);
        }
        assert_eq!(waiting(&done, "2027-01-30"), [d("2027-02-03")]);
        // Reviewed: an update names it.
        done.updates = at(vec![Update {
            milestone: at("m1".to_string()),
            ..Update::default()
        }]);
        assert!(waiting(&done, "2027-02-02").is_empty());
        // Without a review date it is reviewed on its due date.
        let p = with_review(plan(vec![]), None);
        assert!(waiting(&p, "2027-02-02").is_empty());
    }

    #[test]
    fn due_dates_are_exclusive_for_overdue_and_due_soon() {
        let p = plan(vec![
            task(TaskStatus::Todo, "2027-01-15"),
            task(TaskStatus::Todo, "2027-01-14"),
            task(TaskStatus::Dropped, "2027-01-10"),
            task(TaskStatus::Dropped, "2027-01-16"),
        ]);
        let today = d("2027-01-15");
        // Due today is not overdue, due yesterday is; dropped never is.
        let overdue: Vec<_> = overdue_tasks(&p, today)
            .iter()
            .map(|(_, t)| t.due.copied())
            .collect();
        assert_eq!(overdue, [Some(d("2027-01-14"))]);
        // Due soon: after today, up to and including the last day.
        let soon: Vec<_> = tasks_due(&p, d("2027-01-14"), today)
            .iter()
            .map(|(_, t)| t.due.copied())
            .collect();
        assert_eq!(soon, [Some(d("2027-01-15"))]);
        assert!(tasks_due(&p, today, d("2027-01-16")).is_empty(), "dropped");
    }

    #[test]
    fn upcoming_includes_reports_to_management() {
        let mut p = plan(vec![]);
        p.meetings = at(Meetings {
            executive: at(Executive {
                dates: at(vec![
                    At {
                        value: d("2027-01-25"),
                        pos: crate::yaml::Pos::START,
                    },
                    At {
                        value: d("2027-03-01"),
                        pos: crate::yaml::Pos::START,
                    },
                ]),
                ..Executive::default()
            }),
            ..Meetings::default()
        });
        let u = upcoming(&p, d("2027-01-20"), 14);
        assert_eq!(
            u.iter().map(Upcoming::date).collect::<Vec<_>>(),
            [d("2027-01-25"), d("2027-02-01")]
        );
        assert!(matches!(u[0], Upcoming::Executive(_)));
        // The window's ends are included.
        assert_eq!(upcoming(&p, d("2027-01-25"), 0).len(), 1);
        assert_eq!(upcoming(&p, d("2027-01-11"), 14).len(), 1);
    }

    #[test]
    fn rank_orders_plans_by_ice_score_then_id() {
        let scored = |id: &str, impact: f64| Plan {
            id: id.to_string(),
            ice: at(Ice {
                impact: at(impact),
                confidence: at(1.0),
                ease: at(1.0),
                ..Ice::default()
            }),
            ..Plan::default()
        };
        let mut plans = vec![
            scored("b", 2.0),
            scored("a", 2.0),
            scored("z", 9.0),
            Plan {
                id: "c".into(),
                ..Plan::default()
            },
        ];
        rank(&mut plans, |p| p);
        let ids: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["z", "a", "b", "c"]);
    }

    #[test]
    fn reasons_read_as_sentences() {
        let p = plan(vec![]);
        assert_eq!(
            Reason::TasksOverdue(1).text(&p, Lang::En),
            "1 task is overdue"
        );
        assert_eq!(
            Reason::TasksOverdue(3).text(&p, Lang::En),
            "3 tasks are overdue"
        );
        assert_eq!(
            Reason::TasksOverdue(3).text(&p, Lang::Ja),
            "期限を過ぎたタスクが 3 件あります"
        );
        let mut pct = plan(vec![]);
        pct.metric = at(Metric {
            unit: at("%".to_string()),
            ..Metric::default()
        });
        let short = crate::progress::Shortfall {
            date: d("2027-02-10"),
            actual: 2.2,
            planned: 2.5,
            milestone: Some(0),
            share: 0.6,
        };
        assert_eq!(
            Reason::KpiBehind(short).text(&pct, Lang::En),
            "the KPI is 0.3 pt short of m1's target (2.5%): 2.2% on Feb 10, 2027"
        );
        let before = crate::progress::Shortfall {
            milestone: None,
            ..short
        };
        assert!(
            Reason::KpiBehind(before)
                .text(&pct, Lang::Ja)
                .starts_with("指標が開始時の値（2.5%）より 0.3 pt 悪くなっています"),
        );
    }
}

//! The question ledger: every question of every milestone and what the data
//! answered (docs/format.md, "The question ledger"). A plan-level
//! computation on the model, read by MIL015, the plan page, `plans.json`
//! and the reports.

use chrono::NaiveDate;

use crate::model::{Answer, Milestone, Plan, Question, Update, Verdict};

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum State {
    /// Not answered yet.
    Open,
    Supported,
    Refuted,
    Inconclusive,
    /// Answered without a verdict: by `answered` alone, or an entry of
    /// `answers` with no `verdict`.
    Answered,
}

impl State {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Supported => "supported",
            State::Refuted => "refuted",
            State::Inconclusive => "inconclusive",
            State::Answered => "answered",
        }
    }

    fn of(verdict: Option<Verdict>) -> State {
        match verdict {
            Some(Verdict::Supported) => State::Supported,
            Some(Verdict::Refuted) => State::Refuted,
            Some(Verdict::Inconclusive) => State::Inconclusive,
            None => State::Answered,
        }
    }
}

/// One question and its answer, if any.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'p> {
    pub milestone: &'p Milestone,
    /// 1-based index of the question in its milestone.
    pub index: usize,
    pub question: &'p Question,
    pub state: State,
    /// What the data showed (`finding`, or `answered` for a lone question).
    pub finding: Option<&'p str>,
    /// What was actually collected (`data` of the answer).
    pub data: Option<&'p str>,
    /// The date of the update that answered it.
    pub date: Option<NaiveDate>,
}

impl Entry<'_> {
    pub(crate) fn is_answered(&self) -> bool {
        self.state != State::Open
    }
}

/// The updates written for milestone `m` (none when it has no id).
pub(crate) fn updates_for<'p>(plan: &'p Plan, m: &Milestone) -> impl Iterator<Item = &'p Update> {
    let id = m.id_text();
    plan.updates()
        .iter()
        .filter(move |u| id.is_some() && u.milestone.text() == id)
}

/// The ledger entries of one milestone, in question order. When several
/// updates answer a question, the latest (by date, then file order) counts.
pub(crate) fn milestone<'p>(plan: &'p Plan, m: &'p Milestone) -> Vec<Entry<'p>> {
    let questions = m.questions();
    let mut entries: Vec<Entry<'p>> = questions
        .iter()
        .enumerate()
        .map(|(i, question)| Entry {
            milestone: m,
            index: i + 1,
            question,
            state: State::Open,
            finding: None,
            data: None,
            date: None,
        })
        .collect();
    let newer = |e: &Entry<'_>, date: Option<NaiveDate>| !e.is_answered() || date >= e.date;
    for u in updates_for(plan, m) {
        let date = u.date.copied();
        if questions.len() == 1
            && let Some(text) = u.answered.text()
            && let Some(e) = entries.first_mut()
            && newer(e, date)
            && matches!(e.state, State::Open | State::Answered)
        {
            e.state = State::Answered;
            e.finding = Some(text);
            e.date = date;
        }
        for a in u.answers() {
            let Some(i) = a.question.value().and_then(|r| m.question_index(r)) else {
                continue;
            };
            let Some(e) = entries.get_mut(i - 1) else {
                continue;
            };
            if newer(e, date) {
                apply(e, a, date);
            }
        }
    }
    entries
}

fn apply<'p>(e: &mut Entry<'p>, a: &'p Answer, date: Option<NaiveDate>) {
    e.state = State::of(a.verdict.copied());
    e.finding = a.finding.text();
    e.data = a.data.text();
    e.date = date;
}

/// The whole plan's ledger, milestone by milestone.
pub(crate) fn plan(plan: &Plan) -> Vec<Entry<'_>> {
    plan.milestones()
        .iter()
        .flat_map(|m| milestone(plan, m))
        .collect()
}

/// An entry of an update's `answers` with the question it names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolved<'p> {
    pub answer: &'p Answer,
    /// 1-based index of the question, when the entry names one.
    pub index: Option<usize>,
    pub question: Option<&'p Question>,
}

impl Resolved<'_> {
    pub(crate) fn state(&self) -> State {
        State::of(self.answer.verdict.copied())
    }

    /// The question's text, or how the entry names it when it names none.
    pub(crate) fn ask(&self) -> String {
        match (self.question, self.answer.question.value()) {
            (Some(q), _) => q.ask_text().to_string(),
            (None, Some(r)) => r.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// The `answers` of update `u`, each with the question it names in `u`'s
/// milestone.
pub(crate) fn answers<'p>(plan: &'p Plan, u: &'p Update) -> Vec<Resolved<'p>> {
    let m = u.milestone.text().and_then(|id| plan.milestone(id));
    u.answers()
        .iter()
        .map(|answer| {
            let index = m
                .zip(answer.question.value())
                .and_then(|(m, r)| m.question_index(r));
            let question = m.zip(index).and_then(|(m, i)| m.questions().get(i - 1));
            Resolved {
                answer,
                index,
                question,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// A plan with one milestone of two questions (the second with an id)
    /// and the given updates.
    fn plan(updates: &str) -> Plan {
        let text = format!(
            "---\ntitle: t\nstart: 2027-01-01\nteam: {{pm: a, dev: b, ds: c}}\nmilestones:\n  - id: m1\n    title: x\n    due: 2027-02-01\n    questions:\n      - first\n      - id: two\n        ask: second\nupdates:\n{updates}---\n"
        );
        let (plan, findings) =
            crate::frontmatter::parse_plan(&text, "a.md", "a", &Config::default(), false);
        assert_eq!(findings, vec![], "{text}");
        plan
    }

    fn states(p: &Plan) -> Vec<(&'static str, Option<&str>)> {
        super::plan(p)
            .iter()
            .map(|e| (e.state.as_str(), e.finding))
            .collect()
    }

    #[test]
    fn the_latest_answer_wins_whatever_the_file_order() {
        let later_first = plan(
            "  - date: 2027-02-10\n    milestone: m1\n    answers:\n      - {question: two, verdict: refuted, finding: later}\n  - date: 2027-02-03\n    milestone: m1\n    answers:\n      - {question: 2, verdict: supported, finding: earlier}\n",
        );
        assert_eq!(
            states(&later_first),
            [("open", None), ("refuted", Some("later"))]
        );
        let earlier_first = plan(
            "  - date: 2027-02-03\n    milestone: m1\n    answers:\n      - {question: 2, verdict: supported, finding: earlier}\n  - date: 2027-02-10\n    milestone: m1\n    answers:\n      - {question: two, verdict: inconclusive, finding: later}\n",
        );
        assert_eq!(
            states(&earlier_first),
            [("open", None), ("inconclusive", Some("later"))]
        );
        // Same date: the later entry in the file wins.
        let same_day = plan(
            "  - date: 2027-02-03\n    milestone: m1\n    answers:\n      - {question: 1, verdict: supported, finding: a}\n      - {question: 1, finding: b}\n",
        );
        assert_eq!(states(&same_day), [("answered", Some("b")), ("open", None)]);
        let answered = super::plan(&same_day)
            .iter()
            .filter(|e| e.is_answered())
            .count();
        assert_eq!(answered, 1);
    }

    #[test]
    fn answered_alone_counts_only_for_a_lone_question_and_never_beats_a_verdict() {
        let two = plan("  - date: 2027-02-03\n    milestone: m1\n    answered: yes\n");
        assert_eq!(states(&two), [("open", None), ("open", None)]);
        let lone = |updates: &str| {
            let mut p = plan(updates);
            if let crate::model::Field::Ok(ms) = &mut p.milestones
                && let Some(m) = ms.value.first_mut()
                && let crate::model::Field::Ok(q) = &mut m.questions
            {
                q.value.truncate(1);
            }
            p
        };
        let p = lone("  - date: 2027-02-03\n    milestone: m1\n    answered: yes\n");
        assert_eq!(states(&p), [("answered", Some("yes"))]);
        // A verdict stays, even when a later update has `answered` alone.
        let p = lone(
            "  - date: 2027-02-03\n    milestone: m1\n    answers:\n      - {question: 1, verdict: refuted, finding: no}\n  - date: 2027-02-10\n    milestone: m1\n    answered: yes\n",
        );
        assert_eq!(states(&p), [("refuted", Some("no"))]);
        // Another milestone's update answers nothing here.
        let p = lone("  - date: 2027-02-03\n    milestone: m2\n    answered: yes\n");
        assert_eq!(states(&p), [("open", None)]);
    }

    #[test]
    fn resolved_answers_name_their_question() {
        let p = plan(
            "  - date: 2027-02-03\n    milestone: m1\n    answers:\n      - {question: two, verdict: supported, finding: f}\n      - {question: 9, finding: g}\n",
        );
        let u = p.updates().first().unwrap();
        let r = answers(&p, u);
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].index, r[0].ask(), r[0].state()),
            (Some(2), "second".to_string(), State::Supported)
        );
        assert_eq!(
            (r[1].index, r[1].ask(), r[1].state()),
            (None, "9".to_string(), State::Answered)
        );
        let names: Vec<&str> = [
            State::Open,
            State::Supported,
            State::Refuted,
            State::Inconclusive,
            State::Answered,
        ]
        .iter()
        .map(|s| s.as_str())
        .collect();
        assert_eq!(
            names,
            ["open", "supported", "refuted", "inconclusive", "answered"]
        );
    }
}

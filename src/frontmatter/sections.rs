//! Each part of a plan, read with the [`Reader`]: the keys every mapping
//! may have (the `*_KEYS` lists), what is required, and how each value is
//! checked.

use std::collections::BTreeMap;

use super::reader::Expected;
use super::*;

impl Reader<'_> {
    /// Plan ids become directory names: Windows device names are refused.
    pub(super) fn check_reserved(&mut self, id: &str, pos: Pos) {
        if RESERVED_NAMES.contains(&id) {
            let lang = self.lang;
            let msg = tr!(
                lang,
                "`{id}` は Windows で予約された名前なので plan id に使えません",
                "`{id}` is a name Windows reserves for devices and cannot be a plan id"
            );
            self.pln(pos, msg);
        }
    }

    pub(super) fn check_stem(&mut self, plan: &mut Plan, stem: &str) {
        self.check_reserved(stem, Pos::START);
        if !is_valid_id(stem) {
            let lang = self.lang;
            let msg = tr!(
                lang,
                "ファイル名 `{stem}` は plan id に使えません。ファイル名を英小文字・数字・ハイフンにするか、`id:` を書いてください",
                "the file name `{stem}` is not a valid plan id: rename the file using a-z, 0-9 and -, or add an `id:` key"
            );
            self.pln(Pos::START, msg);
        }
        plan.id = stem.to_string();
        plan.id_pos = Pos::START;
    }

    pub(super) fn plan(&mut self, root: &Node, plan: &mut Plan, stem: &str) {
        let Some(o) = self.obj(root, Pos::START, &KeyPath::Root, PLAN_KEYS) else {
            self.check_stem(plan, stem);
            return;
        };
        plan.readable = true;
        match self.field(&o, "id", Self::id) {
            Field::Ok(at) => {
                self.check_reserved(&at.value, at.pos);
                plan.id = at.value;
                plan.id_pos = at.pos;
            }
            Field::Missing | Field::Null(_) => self.check_stem(plan, stem),
            Field::Invalid => {
                plan.id = stem.to_string();
                plan.id_pos = o.get("id").map_or(Pos::START, |e| e.value.pos);
            }
        }
        plan.title = self.field(&o, "title", Self::text);
        self.required(&plan.title, &o, "title");
        plan.status = self.field(&o, "status", |r, n, p, path| {
            r.one_of(n, p, path, PlanStatus::ALL, PlanStatus::parse)
        });
        plan.start = self.field(&o, "start", Self::date);
        self.required(&plan.start, &o, "start");
        plan.use_case = self.field(&o, "use_case", Self::text);
        plan.team = self.field(&o, "team", Self::team);
        self.required(&plan.team, &o, "team");
        plan.ice = self.field(&o, "ice", Self::ice);
        plan.metric = self.field(&o, "metric", Self::metric);
        plan.milestones = self.field(&o, "milestones", |r, n, p, path| {
            r.list(n, p, path, Self::milestone)
        });
        plan.measurements = self.field(&o, "measurements", |r, n, p, path| {
            r.list(n, p, path, Self::measurement)
        });
        plan.updates = self.field(&o, "updates", |r, n, p, path| {
            r.list(n, p, path, Self::update)
        });
        plan.meetings = self.field(&o, "meetings", Self::meetings);
        if let Some(e) = o.get("lint") {
            plan.allow = self.lint_section(&e.value, e.key_pos);
        }
    }

    pub(super) fn team(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<Team> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type(pos, path, Expected::Mapping, node);
            return None;
        };
        let mut members = BTreeMap::new();
        for e in entries {
            let p = KeyPath::Key(path, &e.key);
            if !self.config.roles.contains_key(&e.key) {
                let roles: Vec<&str> = self.config.roles.keys().map(String::as_str).collect();
                self.unknown_key(e, &p, roles);
                continue;
            }
            if e.value.is_null() {
                continue;
            }
            if let Some(name) = self.text(&e.value, e.key_pos, &p) {
                members.insert(
                    e.key.clone(),
                    At {
                        value: name,
                        pos: e.value.pos,
                    },
                );
            }
        }
        Some(Team { members })
    }

    pub(super) fn ice(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<Ice> {
        let o = self.obj(node, pos, path, ICE_KEYS)?;
        Some(Ice {
            impact: self.field(&o, "impact", Self::number),
            ease: self.field(&o, "ease", Self::number),
            confidence: self.field(&o, "confidence", Self::number),
            evidence: self.field(&o, "evidence", |r, n, p, path| {
                let kind = r.text(n, p, path)?;
                if r.config.lint.confidence_caps.contains_key(&kind) {
                    return Some(kind);
                }
                let lang = r.lang;
                let caps = &r.config.lint.confidence_caps;
                let choices = caps.keys().map(String::as_str).collect::<Vec<_>>().join(" | ");
                let hint = did_you_mean(&kind, caps.keys().map(String::as_str))
                    .map(|s| tr!(lang, "（`{s}` のことですか？）", " (did you mean `{s}`?)"))
                    .unwrap_or_default();
                let msg = tr!(
                    lang,
                    "`{path}` の `{kind}` は根拠の種類として定義されていません。{choices} のどれかにするか、book.toml の [lint.confidence_caps] に追加してください{hint}",
                    "`{path}`: `{kind}` is not a kind of evidence; use one of {choices}, or add it to [lint.confidence_caps] in book.toml{hint}"
                );
                r.pln(p, msg);
                None
            }),
        })
    }

    pub(super) fn metric(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<Metric> {
        let o = self.obj(node, pos, path, METRIC_KEYS)?;
        Some(Metric {
            name: self.field(&o, "name", Self::text),
            unit: self.field(&o, "unit", Self::text),
            direction: self.field(&o, "direction", |r, n, p, path| {
                r.one_of(n, p, path, Direction::ALL, Direction::parse)
            }),
            baseline: self.field(&o, "baseline", Self::number),
            correlations: self.field(&o, "correlations", |r, n, p, path| {
                let o = r.obj(n, p, path, CORRELATION_KEYS)?;
                Some(Correlations {
                    customer_experience: r.field(&o, "customer_experience", Self::text),
                    revenue: r.field(&o, "revenue", Self::text),
                    model_accuracy: r.field(&o, "model_accuracy", Self::text),
                })
            }),
        })
    }

    pub(super) fn milestone(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Milestone> {
        let o = self.obj(node, node.pos, path, MILESTONE_KEYS)?;
        let m = Milestone {
            pos: node.pos,
            id: self.field(&o, "id", Self::id),
            title: self.field(&o, "title", Self::text),
            due: self.field(&o, "due", Self::date),
            target: self.field(&o, "target", Self::number),
            questions: self.field(&o, "questions", |r, n, p, path| {
                r.list(n, p, path, Self::question)
            }),
            data: self.field(&o, "data", |r, n, p, path| {
                let o = r.obj(n, p, path, DATA_KEYS)?;
                Some(Data {
                    items: r.field(&o, "items", Self::texts),
                    amount: r.field(&o, "amount", Self::text),
                })
            }),
            cost_days: self.field(&o, "cost_days", Self::number),
            review: self.field(&o, "review", Self::date),
            status: self.field(&o, "status", |r, n, p, path| {
                r.one_of(n, p, path, MilestoneStatus::ALL, MilestoneStatus::parse)
            }),
            done_on: self.field(&o, "done_on", Self::date),
            actual: self.field(&o, "actual", Self::number),
            tasks: self.field(&o, "tasks", |r, n, p, path| r.list(n, p, path, Self::task)),
        };
        self.required(&m.id, &o, "id");
        self.required(&m.title, &o, "title");
        self.required(&m.due, &o, "due");
        Some(m)
    }

    pub(super) fn task(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Task> {
        let o = self.obj(node, node.pos, path, TASK_KEYS)?;
        let t = Task {
            pos: node.pos,
            role: self.field(&o, "role", Self::text),
            owner: self.field(&o, "owner", Self::text),
            do_: self.field(&o, "do", Self::text),
            done_when: self.field(&o, "done_when", Self::text),
            due: self.field(&o, "due", Self::date),
            status: self.field(&o, "status", |r, n, p, path| {
                r.one_of(n, p, path, TaskStatus::ALL, TaskStatus::parse)
            }),
            done_on: self.field(&o, "done_on", Self::date),
            note: self.field(&o, "note", Self::text),
        };
        self.required(&t.role, &o, "role");
        self.required(&t.do_, &o, "do");
        Some(t)
    }

    /// A question: a string, or a mapping `{id, ask}`.
    pub(super) fn question(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Question> {
        if node.is_null() {
            return None;
        }
        if let Value::Scalar { .. } = node.value {
            let ask = self.text(node, node.pos, path)?;
            return Some(Question {
                pos: node.pos,
                id: Field::Missing,
                ask: Field::Ok(At {
                    value: ask,
                    pos: node.pos,
                }),
            });
        }
        let o = self.obj(node, node.pos, path, QUESTION_KEYS)?;
        let q = Question {
            pos: node.pos,
            id: self.field(&o, "id", Self::id),
            ask: self.field(&o, "ask", Self::text),
        };
        self.required(&q.ask, &o, "ask");
        Some(q)
    }

    /// An entry of an update's `answers`.
    pub(super) fn answer(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Answer> {
        let o = self.obj(node, node.pos, path, ANSWER_KEYS)?;
        Some(Answer {
            pos: node.pos,
            question: self.field(&o, "question", |r, n, p, path| {
                // A plain whole number is an index; anything else an id.
                if let Value::Scalar { text, plain: true } = &n.value
                    && let Ok(i) = text.trim().parse::<usize>()
                {
                    return Some(QuestionRef::Index(i));
                }
                r.text(n, p, path).map(QuestionRef::Id)
            }),
            verdict: self.field(&o, "verdict", |r, n, p, path| {
                r.one_of(n, p, path, Verdict::ALL, Verdict::parse)
            }),
            finding: self.field(&o, "finding", Self::text),
            finding_key: o.get("finding").map(|e| e.key_pos),
            data: self.field(&o, "data", Self::text),
        })
    }

    pub(super) fn measurement(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Measurement> {
        let o = self.obj(node, node.pos, path, MEASUREMENT_KEYS)?;
        Some(Measurement {
            pos: node.pos,
            date: self.field(&o, "date", Self::date),
            value: self.field(&o, "value", Self::number),
        })
    }

    pub(super) fn update(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Update> {
        let o = self.obj(node, node.pos, path, UPDATE_KEYS)?;
        Some(Update {
            pos: node.pos,
            date: self.field(&o, "date", Self::date),
            milestone: self.field(&o, "milestone", Self::text),
            answered: self.field(&o, "answered", Self::text),
            answers: self.field(&o, "answers", |r, n, p, path| {
                r.list(n, p, path, Self::answer)
            }),
            story: self.field(&o, "story", Self::text),
            business_model: self.field(&o, "business_model", Self::text),
        })
    }

    pub(super) fn meetings(
        &mut self,
        node: &Node,
        pos: Pos,
        path: &KeyPath<'_>,
    ) -> Option<Meetings> {
        let o = self.obj(node, pos, path, MEETINGS_KEYS)?;
        Some(Meetings {
            kickoff: self.field(&o, "kickoff", |r, n, p, path| {
                let o = r.obj(n, p, path, KICKOFF_KEYS)?;
                Some(Kickoff {
                    date: r.field(&o, "date", Self::date),
                    title: r.field(&o, "title", Self::text),
                })
            }),
            progress: self.field(&o, "progress", |r, n, p, path| {
                let o = r.obj(n, p, path, PROGRESS_KEYS)?;
                Some(Progress {
                    every: r.field(&o, "every", |r, n, p, path| {
                        r.one_of(n, p, path, Every::ALL, Every::parse)
                    }),
                    weekday: r.field(&o, "weekday", |r, n, p, path| {
                        r.one_of(n, p, path, Weekday::ALL, Weekday::parse)
                    }),
                    time: r.field(&o, "time", Self::text),
                })
            }),
            executive: self.field(&o, "executive", |r, n, p, path| {
                let o = r.obj(n, p, path, EXECUTIVE_KEYS)?;
                Some(Executive {
                    audience: r.field(&o, "audience", Self::text),
                    dates: r.field(&o, "dates", Self::dates),
                })
            }),
        })
    }

    pub(super) fn lint_section(&mut self, node: &Node, pos: Pos) -> BTreeMap<String, At<String>> {
        let mut allow = BTreeMap::new();
        if node.is_null() {
            return allow;
        }
        let root = KeyPath::Root;
        let lint_path = KeyPath::Key(&root, "lint");
        let Some(o) = self.obj(node, pos, &lint_path, LINT_KEYS) else {
            return allow;
        };
        let Some(e) = o.get("allow") else {
            return allow;
        };
        if e.value.is_null() {
            return allow;
        }
        let Value::Map(entries) = &e.value.value else {
            let p = KeyPath::Key(&lint_path, "allow");
            self.wrong_type(e.key_pos, &p, Expected::Mapping, &e.value);
            return allow;
        };
        let lang = self.lang;
        for a in entries {
            let id = a.key.as_str();
            let allow_path = KeyPath::Key(&lint_path, "allow");
            let path = KeyPath::Key(&allow_path, id);
            if rules::info(id).is_none() {
                self.unknown_key(a, &path, rules::RULES.iter().map(|r| r.id));
                continue;
            }
            if id == rules::PLN001 {
                let msg = tr!(
                    lang,
                    "PLN001（フロントマターの形式）は許可できません。エラーを直してください",
                    "PLN001 (frontmatter schema) cannot be allowed: fix the error instead"
                );
                self.pln(a.key_pos, msg);
                continue;
            }
            let reason = if a.value.is_null() {
                None
            } else {
                self.text(&a.value, a.key_pos, &path)
            };
            match reason.filter(|r| !r.trim().is_empty()) {
                Some(reason) => {
                    allow.insert(
                        id.to_string(),
                        At {
                            value: reason,
                            pos: a.key_pos,
                        },
                    );
                }
                None => {
                    let msg = tr!(
                        lang,
                        "`{path}` には理由が必要です。なぜこのルールをこの計画で無効にするのかを書いてください",
                        "`{path}` needs a reason: say why this rule does not apply to this plan"
                    );
                    self.pln(a.key_pos, msg);
                }
            }
        }
        allow
    }
}

//! PLN: the plan file itself. PLN001 is reported while parsing
//! (`crate::frontmatter`); PLN002 spans the repository.

use std::collections::BTreeMap;

use super::rules::{PLN002, PLN003};
use super::{Checked, Cx};
use crate::diag::Finding;
use crate::i18n::Lang;
use crate::model::Plan;
use crate::tr;

/// PLN002: plan ids are unique across the repository. Reported in every file
/// that shares the id, at its `id` (line 1 when the id is the file stem).
pub(crate) fn pln002(plans: &mut [Checked], lang: Lang) {
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in plans.iter().enumerate() {
        by_id.entry(c.id.as_str()).or_default().push(i);
    }
    let mut found: Vec<(usize, Finding)> = Vec::new();
    for (id, idx) in by_id.into_iter().filter(|(_, v)| v.len() > 1) {
        for &i in &idx {
            let others: Vec<&str> = idx
                .iter()
                .filter(|&&j| j != i)
                .filter_map(|&j| plans.get(j).map(|c| c.file.as_str()))
                .collect();
            let others = others.join(", ");
            let Some(c) = plans.get(i) else { continue };
            found.push((
                i,
                Finding::new(
                    PLN002,
                    c.id_pos,
                    tr!(
                        lang,
                        "plan id `{id}` は {others} でも使われています。どちらかの `id:`（またはファイル名）を変えてください",
                        "plan id `{id}` is also used by {others}: change the `id:` (or file name) of one of them"
                    ),
                ),
            ));
        }
    }
    for (i, finding) in found {
        if let Some(c) = plans.get_mut(i) {
            c.findings.push(finding);
        }
    }
}

/// PLN003: `team` names a person for every role in `[roles]`.
pub(crate) fn pln003(cx: &mut Cx<'_>, plan: &Plan) {
    let Some(team) = plan.team.get() else { return };
    let lang = cx.lang;
    for (role, name) in &cx.config.roles {
        let member = team.value.members.get(role);
        if member.is_some_and(|p| !p.value.trim().is_empty()) {
            continue;
        }
        // An empty name is pointed at; a missing role at `team`.
        cx.report(
            PLN003,
            member.map_or(team.pos, |p| p.pos),
            tr!(
                lang,
                "team に役割 `{role}`（{name}）の担当者がいません。`{role}: 氏名` を追加してください",
                "team has no person for the role `{role}` ({name}): add `{role}: <name>`"
            ),
        );
    }
}

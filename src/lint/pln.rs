//! PLN: the plan file itself. PLN001 is reported while parsing
//! (`crate::frontmatter`); PLN002 spans the repository.

use std::collections::BTreeMap;

use super::Cx;
use super::rules::{PLN002, PLN003};
use crate::diag::Finding;
use crate::i18n::Lang;
use crate::load::PlanFile;
use crate::model::Plan;
use crate::tr;

/// PLN002: plan ids are unique across the repository. Reported in every file
/// that shares the id, at its `id` (line 1 when the id is the file stem).
pub fn pln002<P: AsRef<PlanFile>>(files: &[P], lang: Lang, out: &mut [Vec<Finding>]) {
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        by_id
            .entry(f.as_ref().plan.id.as_str())
            .or_default()
            .push(i);
    }
    for (id, idx) in by_id.into_iter().filter(|(_, v)| v.len() > 1) {
        for &i in &idx {
            let others: Vec<&str> = idx
                .iter()
                .filter(|&&j| j != i)
                .filter_map(|&j| files.get(j).map(|f| f.as_ref().plan.file.as_str()))
                .collect();
            let others = others.join(", ");
            let (Some(f), Some(findings)) = (files.get(i).map(AsRef::as_ref), out.get_mut(i))
            else {
                continue;
            };
            findings.push(Finding::new(
                PLN002,
                f.plan.id_pos,
                tr!(
                    lang,
                    "plan id `{id}` は {others} でも使われています。どちらかの `id:`（またはファイル名）を変えてください",
                    "plan id `{id}` is also used by {others}: change the `id:` (or file name) of one of them"
                ),
            ));
        }
    }
}

/// PLN003: `team` names a person for every role in `[roles]`.
pub fn pln003(cx: &mut Cx<'_>, plan: &Plan) {
    let Some(team) = plan.team.get() else { return };
    let lang = cx.lang;
    for (role, name) in &cx.config.roles {
        let named = team
            .value
            .members
            .get(role)
            .is_some_and(|p| !p.value.trim().is_empty());
        if !named {
            cx.report(
                PLN003,
                team.pos,
                tr!(
                    lang,
                    "team に役割 `{role}`（{name}）の担当者がいません。`{role}: 氏名` を追加してください",
                    "team has no person for the role `{role}` ({name}): add `{role}: <name>`"
                ),
            );
        }
    }
}

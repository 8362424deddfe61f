//! `plans.json`: every plan as parsed (the frontmatter's keys as YAML types
//! them), plus `file`, `ice.score` and `progress` (docs/format.md). Written
//! per plan while loading, straight from the YAML tree, and assembled.

use crate::model::Plan;

/// Writes `plans.json` (every plan as parsed, the frontmatter's keys, plus
/// `file`, `ice.score` and `progress`) from entries made by [`plan_json`]:
/// the same bytes as `serde_json::to_string` of the whole document (compact:
/// a data file for programs, about half the size of pretty-printed JSON),
/// and a final newline.
pub(crate) fn write_plans_json<S: AsRef<str>>(
    w: &mut dyn std::io::Write,
    entries: impl Iterator<Item = S>,
) -> std::io::Result<()> {
    let mut out = PlansJson::new(w);
    for e in entries {
        out.entry(e.as_ref())?;
    }
    out.finish().map(drop)
}

/// `plans.json` written one entry at a time, for builds that make the
/// entries as they go: the same bytes as [`write_plans_json`].
pub(crate) struct PlansJson<W> {
    w: W,
    entries: usize,
}

impl<W: std::io::Write> PlansJson<W> {
    pub(crate) fn new(w: W) -> PlansJson<W> {
        PlansJson { w, entries: 0 }
    }

    /// Appends one entry made by [`plan_json`].
    pub(crate) fn entry(&mut self, entry: &str) -> std::io::Result<()> {
        let sep: &[u8] = if self.entries == 0 {
            b"{\"plans\":["
        } else {
            b","
        };
        self.w.write_all(sep)?;
        self.w.write_all(entry.as_bytes())?;
        self.entries += 1;
        Ok(())
    }

    /// Closes the document and hands back the writer.
    pub(crate) fn finish(mut self) -> std::io::Result<W> {
        let end: &[u8] = if self.entries == 0 {
            b"{\"plans\":[]}\n"
        } else {
            b"]}\n"
        };
        self.w.write_all(end)?;
        Ok(self.w)
    }
}

/// One plan of `plans.json`, compact: the frontmatter's keys as YAML types
/// them ([`crate::yaml::Node::to_json`]), `id` and `file` set, `ice.score`
/// added and `progress` appended, as `serde_json::to_string` writes them.
/// Written straight from the
/// tree: building a `serde_json::Value` first cost a tenth of a build.
pub(crate) fn plan_json(plan: &Plan) -> String {
    let mut w = JsonWriter::default();
    let root = plan.frontmatter.as_ref().and_then(|n| match &n.value {
        crate::yaml::Value::Map(entries) => Some(entries),
        _ => None,
    });
    let score = Json::Num(plan.ice_score());
    let pr = crate::progress::progress(plan);
    let latest_date = pr.latest.map(|(d, _)| d.to_string());
    let progress = Json::Obj(vec![
        ("latest", Json::Num(pr.latest.map(|(_, v)| v))),
        (
            "latest_date",
            latest_date.as_deref().map_or(Json::Null, Json::Str),
        ),
        (
            "next_target",
            Json::Num(pr.next.and_then(|m| m.target.copied())),
        ),
        (
            "next_milestone",
            pr.next
                .and_then(|m| m.id_text())
                .map_or(Json::Null, Json::Str),
        ),
    ]);
    let mut fields: Vec<(&str, Json<'_>)> = Vec::new();
    for (key, node) in root.map(|e| dedup(e)).unwrap_or_default() {
        let value = match key {
            "id" => Json::Str(&plan.id),
            "file" => Json::Str(&plan.file),
            "progress" => progress.clone(),
            "ice" => match &node.value {
                crate::yaml::Value::Map(entries) => {
                    let mut ice: Vec<(&str, Json<'_>)> = dedup(entries)
                        .into_iter()
                        .map(|(k, n)| (k, Json::Node(n)))
                        .collect();
                    match ice.iter_mut().find(|(k, _)| *k == "score") {
                        Some(slot) => slot.1 = score.clone(),
                        None => ice.push(("score", score.clone())),
                    }
                    Json::Obj(ice)
                }
                _ => Json::Node(node),
            },
            _ => Json::Node(node),
        };
        fields.push((key, value));
    }
    for (key, value) in [
        ("id", Json::Str(&plan.id)),
        ("file", Json::Str(&plan.file)),
        ("progress", progress.clone()),
    ] {
        if !fields.iter().any(|(k, _)| *k == key) {
            fields.push((key, value));
        }
    }
    w.value(&Json::Obj(fields));
    String::from_utf8(w.out).unwrap_or_default()
}

/// A mapping's entries with duplicate keys folded as a JSON object folds
/// them: the first position, the last value.
fn dedup(entries: &[crate::yaml::Entry]) -> Vec<(&str, &crate::yaml::Node)> {
    let mut out: Vec<(&str, &crate::yaml::Node)> = Vec::with_capacity(entries.len());
    for e in entries {
        match out.iter_mut().find(|(k, _)| *k == e.key) {
            Some(slot) => slot.1 = &e.value,
            None => out.push((&e.key, &e.value)),
        }
    }
    out
}

/// What [`plan_json`] writes.
#[derive(Clone)]
enum Json<'a> {
    Null,
    Str(&'a str),
    /// A number, `null` when absent or not finite.
    Num(Option<f64>),
    Obj(Vec<(&'a str, Json<'a>)>),
    Node(&'a crate::yaml::Node),
}

/// Compact JSON as serde_json writes it.
#[derive(Default)]
struct JsonWriter {
    out: Vec<u8>,
}

impl JsonWriter {
    fn string(&mut self, s: &str) {
        let _ = serde_json::to_writer(&mut self.out, s);
    }

    fn number(&mut self, n: Option<f64>) {
        match n.filter(|n| n.is_finite()) {
            Some(n) => {
                let _ = serde_json::to_writer(&mut self.out, &n);
            }
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn object<'a>(&mut self, fields: impl Iterator<Item = (&'a str, Json<'a>)>) {
        self.out.push(b'{');
        for (i, (k, v)) in fields.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.string(k);
            self.out.push(b':');
            self.value(&v);
        }
        self.out.push(b'}');
    }

    fn value(&mut self, v: &Json<'_>) {
        match v {
            Json::Null => self.out.extend_from_slice(b"null"),
            Json::Str(s) => self.string(s),
            Json::Num(n) => self.number(*n),
            Json::Obj(fields) => self.object(fields.iter().cloned()),
            Json::Node(node) => self.node(node),
        }
    }

    /// A YAML node, typed as [`crate::yaml::Node::to_json`] types it.
    fn node(&mut self, node: &crate::yaml::Node) {
        use crate::yaml::Value as Y;
        match &node.value {
            Y::Scalar { text, plain } => {
                if !plain {
                    return self.string(text);
                }
                if node.is_null() {
                    return self.out.extend_from_slice(b"null");
                }
                match text.as_str() {
                    "true" | "True" => return self.out.extend_from_slice(b"true"),
                    "false" | "False" => return self.out.extend_from_slice(b"false"),
                    _ => {}
                }
                if let Some(n) = crate::yaml::scalar_number(text) {
                    if let Ok(i) = text.parse::<i64>() {
                        return self.out.extend_from_slice(i.to_string().as_bytes());
                    }
                    if n.is_finite() {
                        return self.number(Some(n));
                    }
                }
                self.string(text)
            }
            Y::Seq(items) => {
                self.out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.node(item);
                }
                self.out.push(b']');
            }
            Y::Map(entries) => {
                let fields = dedup(entries);
                self.object(fields.into_iter().map(|(k, n)| (k, Json::Node(n))));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::PlanFile;
    use serde_json::{Value, json};

    /// The serde_json way of making a `plans.json` entry, which
    /// [`plan_json`] must equal byte for byte.
    fn plan_json_reference(plan: &Plan) -> String {
        let mut v = plan
            .frontmatter
            .as_ref()
            .map(crate::yaml::Node::to_json)
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}));
        if let Some(obj) = v.as_object_mut() {
            obj.insert("id".into(), json!(plan.id));
            obj.insert("file".into(), json!(plan.file));
            if let Some(ice) = obj.get_mut("ice").and_then(Value::as_object_mut) {
                ice.insert("score".into(), json!(plan.ice_score()));
            }
            let pr = crate::progress::progress(plan);
            obj.insert(
                "progress".into(),
                json!({
                    "latest": pr.latest.map(|(_, v)| v),
                    "latest_date": pr.latest.map(|(d, _)| d.to_string()),
                    "next_target": pr.next.and_then(|m| m.target.copied()),
                    "next_milestone": pr.next.and_then(|m| m.id_text()),
                }),
            );
        }
        serde_json::to_string(&v).unwrap()
    }

    #[test]
    fn plan_json_matches_serde_json() {
        let config = Config::default();
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = walkdir::WalkDir::new(demo.join("content"))
            .into_iter()
            .chain(walkdir::WalkDir::new(demo.join("tests/fixtures")))
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        texts.extend(
            [
                "---\ntitle: dup\ntitle: again\nid: x\nice: 3\nprogress: [1]\n---\n",
                "---\n- a list\n---\n",
                "---\ntitle: t\nice: {impact: 2, ease: 3, confidence: .inf, score: 1, impact: 4}\nfile: f\nnums: [1, -2, 0x1f, 1e3, 2.50, .nan, ~, null, true, False, \"7\", '8']\nempty: {}\nnone: []\nnested: [{a: [], b: {}}, [ ]]\n---\n",
                "---\n---\n",
            ]
            .map(String::from),
        );
        assert!(texts.len() > 5);
        for text in &texts {
            let (plan, _) =
                crate::frontmatter::parse_plan(text, "content/p.md", "p", &config, true);
            assert_eq!(plan_json(&plan), plan_json_reference(&plan), "{text}");
        }
    }

    /// `plans.json` assembled from per-plan entries is what serialising the
    /// whole document gives.
    #[test]
    fn plans_json_pieces_match_the_whole() {
        let config = Config::default();
        let text = "---\ntitle: \"a \\\"quoted\\\" \\n title\"\nstart: 2026-12-01\nteam: {pm: a}\nice: {impact: 2, ease: 3, confidence: 1}\nmilestones: []\n---\nbody\n";
        let (plan, _) = crate::frontmatter::parse_plan(text, "content/a.md", "a", &config, true);
        let file = PlanFile {
            plan,
            findings: Vec::new(),
            key: 0,
        };
        for plans in [vec![], vec![&file], vec![&file, &file]] {
            let mut out = Vec::new();
            write_plans_json(&mut out, plans.iter().map(|p| plan_json(&p.plan))).unwrap();
            let out = String::from_utf8(out).unwrap();
            let v: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(out, format!("{}\n", serde_json::to_string(&v).unwrap()));
            assert_eq!(v["plans"].as_array().unwrap().len(), plans.len());
        }
    }
}

//! `planbook confidence PLAN VALUE --evidence KIND`: sets `ice.confidence`
//! and `ice.evidence` in place; lint then applies ICE003's caps as usual.

use anyhow::{Result, bail};

use super::Globals;
use super::record;
use crate::edit::{self, Set, Step};
use crate::pipeline::Run;
use crate::tr;

/// What `planbook confidence` was asked to do.
pub(crate) struct Options<'a> {
    pub plan: &'a str,
    pub value: &'a str,
    pub evidence: &'a str,
    pub dry_run: bool,
}

pub(crate) fn run(g: &Globals, o: &Options<'_>) -> Result<u8> {
    let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
    let config = run.config();
    let lang = config.lang();
    let caps = &config.lint.confidence_caps;
    if !caps.contains_key(o.evidence) {
        let kinds: Vec<&str> = caps.keys().map(String::as_str).collect();
        let (kind, kinds) = (o.evidence, kinds.join(", "));
        bail!(
            "{}",
            tr!(
                lang,
                "`{kind}` は根拠の種類 ([lint.confidence_caps]) にありません: {kinds}",
                "`{kind}` is not a kind of evidence ([lint.confidence_caps]): {kinds}"
            )
        );
    }
    let value = edit::parse_value(o.value, "", lang)?;
    let t = record::read(&run, o.plan)?;
    let (name, root) = (&t.name, t.tree(lang)?);
    let sets = [
        Set {
            key: "confidence",
            value: value.clone(),
            after: &["impact", "ease"],
        },
        Set {
            key: "evidence",
            value: edit::string(o.evidence),
            after: &["impact", "ease", "confidence"],
        },
    ];
    let new = edit::set_scalars(&t.text, &root, &[Step::Key("ice")], &sets, lang).map_err(|e| {
        anyhow::anyhow!(
            "{name}: {e}{}",
            tr!(
                lang,
                "（ice がなければ先に書いてください）",
                " (write an `ice` block first if there is none)"
            )
        )
    })?;
    let kind = crate::labels::evidence(lang, o.evidence);
    let done = tr!(
        lang,
        "確信度を {value}（{kind}）にしました",
        "confidence is now {value} ({kind})"
    );
    record::commit(g, &run, &t, &new, o.dry_run, &done)
}

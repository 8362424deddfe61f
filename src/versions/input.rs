//! What each version is built from: the working tree, and each tag's
//! tree read from the object database, every distinct plan file parsed once.

use super::*;

/// The working tree and each tag's inputs, with every distinct plan file
/// parsed once.
pub(super) fn read_inputs(
    git: &Git,
    tags: &[Tag],
    repo: Repo,
    plans: Vec<PlanFile>,
    blobs: Vec<ObjectId>,
    progress: &Progress,
) -> Result<(Vec<Input>, Parsed)> {
    let mut parsed = Parsed::new();
    let latest = latest_input(git, repo, plans, blobs, &mut parsed)?;
    let mut inputs = vec![latest];
    for tag in tags {
        progress.step(format!("reading {}", tag.name));
        match tag_input(git, tag, progress) {
            Ok(Some(input)) => inputs.push(input),
            Ok(None) => progress.note(&format!(
                "tag {} has no content directory; skipped",
                tag.name
            )),
            Err(e) => progress.note(&format!("tag {} skipped: {e:#}", tag.name)),
        }
    }

    // Read and parse every distinct plan file once.
    let configs: HashMap<u64, Arc<Config>> = inputs
        .iter()
        .map(|i| (i.config_key, Arc::clone(&i.config)))
        .collect();
    let mut todo: Vec<(ObjectId, String, u64)> = inputs
        .iter()
        .flat_map(|i| i.files.iter().map(|(f, o)| (*o, f.clone(), i.config_key)))
        .filter(|k| !parsed.contains_key(k))
        .collect();
    todo.sort();
    todo.dedup();
    let fresh = crate::pipeline::parse_blobs(git, &todo, &configs)?;
    // A tag with a plan file that cannot be read is skipped, as when its
    // tree cannot be read.
    let mut unreadable: HashMap<ObjectId, String> = HashMap::new();
    for (key, result) in todo.iter().zip(fresh) {
        match result {
            Ok(Some(plan)) => {
                parsed.insert(key.clone(), Arc::new(plan));
            }
            Ok(None) => {}
            Err(e) => {
                unreadable.insert(key.0, format!("{e:#}"));
            }
        }
    }
    inputs.retain(|i| {
        let (Some(tag), Some(e)) = (
            &i.version.tag,
            i.files.iter().find_map(|(_, o)| unreadable.get(o)),
        ) else {
            return true;
        };
        progress.note(&format!("tag {tag} skipped: {e}"));
        false
    });
    Ok((inputs, parsed))
}

/// The working tree as the latest version; its plans go into the parse
/// cache under the blob ids of their bytes so unchanged tags share them.
pub(super) fn latest_input(
    git: &Git,
    repo: Repo,
    plans: Vec<PlanFile>,
    oids: Vec<ObjectId>,
    parsed: &mut Parsed,
) -> Result<Input> {
    // The bytes book.toml was read from when the repository was opened.
    let config_key = key_of(&repo.config_text);
    let theme = Theme::load(&repo.root, &repo.config.site.theme)
        .with_context(|| format!("cannot read themes/{}", repo.config.site.theme))?;
    // The blob ids of the plans' bytes, taken as they were loaded
    // (`Run::checked_with_blob_ids`).
    let mut files = Vec::new();
    for (p, oid) in plans.into_iter().zip(oids) {
        let file = p.plan.file.clone();
        let key = (oid, file.clone(), config_key);
        let mut p = p;
        p.key = key_of(&key);
        parsed.insert(key, Arc::new(p));
        files.push((file, oid));
    }
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    let histories = Some(head_histories(git, &repo.config, &names)?);
    let theme_key = theme.key();
    Ok(Input {
        version: Version {
            tag: None,
            commit: git.head(),
            date: None,
            prefix: String::new(),
        },
        config: Arc::new(repo.config),
        config_key,
        theme: Arc::new(theme),
        theme_key,
        index_page: repo.index_page,
        files,
        histories,
    })
}

/// One tag's inputs from the object database; `None` when its tree has no
/// content directory. What was left out of it is noted on `progress`.
pub(super) fn tag_input(git: &Git, tag: &Tag, progress: &Progress) -> Result<Option<Input>> {
    if !is_safe_tag(&tag.name) {
        anyhow::bail!("its name is not a safe path (use letters, digits and ._-+/)");
    }
    let commit = tag.commit;
    let tree = crate::revision::open_tree(git, commit, &tag.name)?;
    let Some(files) = tree.files else {
        return Ok(None);
    };
    for w in &tree.warnings {
        progress.note(w);
    }
    let (config, config_text, dir, index_page) =
        (tree.config, tree.config_text, tree.dir, tree.index_page);
    let theme_dir = format!("themes/{}", config.site.theme);
    let direct = |sub: &str| -> Result<Vec<(String, Vec<u8>)>> {
        let base = format!("{theme_dir}/{sub}/");
        let mut out = Vec::new();
        for f in git.files_under(commit, &format!("{theme_dir}/{sub}"))? {
            let Some(name) = f.path.strip_prefix(&base) else {
                continue;
            };
            if !name.contains('/') && !f.is_link {
                out.push((name.to_string(), git.blob(f.oid)?));
            }
        }
        Ok(out)
    };
    let templates = direct("templates")?
        .into_iter()
        .map(|(n, b)| (n, String::from_utf8_lossy(&b).into_owned()))
        .collect();
    let theme = Theme::with_overrides(templates, direct("static")?);
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    let histories = git.histories(commit, &dir, &names)?;
    let theme_key = theme.key();
    Ok(Some(Input {
        version: Version {
            tag: Some(tag.name.clone()),
            commit: Some(commit),
            date: Some(tag.date()),
            prefix: format!("v/{}/", tag.name),
        },
        config: Arc::new(config),
        config_key: key_of(&config_text),
        theme: Arc::new(theme),
        theme_key,
        index_page,
        files,
        histories: Some(histories),
    }))
}

/// A tag name that makes a safe path and URL: ASCII letters, digits and
/// `._-+/`, no empty, `.` or `..` segment.
pub(super) fn is_safe_tag(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-+/".contains(&b))
        && name
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_tags() {
        assert!(is_safe_tag("v1.0"));
        assert!(is_safe_tag("release/2027-02"));
        assert!(is_safe_tag("m1-review"));
        assert!(!is_safe_tag("../x"));
        assert!(!is_safe_tag("v1/../x"));
        assert!(!is_safe_tag("a//b"));
        assert!(!is_safe_tag("v1#x"));
        assert!(!is_safe_tag("v1%20"));
        assert!(!is_safe_tag(""));
    }
}

//! `book.toml`: site and lint configuration (docs/format.md).
//!
//! Every key is optional; unknown keys are an error that names the key and
//! the file. Config errors are not lint findings: they stop the command with
//! exit code 2.

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::rules::{self, Level};

/// The resolved configuration, defaults applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub site: Site,
    /// Role key → display name, in the order of the matrix columns.
    pub roles: IndexMap<String, String>,
    pub lint: LintConfig,
    pub markdown: Markdown,
    pub versions: Versions,
    pub search: Search,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Site {
    pub title: String,
    pub base_url: String,
    pub language: Lang,
    pub theme: String,
    pub content: String,
    pub output: String,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            title: "ML 成長計画".into(),
            base_url: "/".into(),
            language: Lang::Ja,
            theme: "default".into(),
            content: "content".into(),
            output: "public".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LintConfig {
    pub first_milestone_months: u32,
    pub max_milestone_cost_days: f64,
    pub kickoff_within_days: u32,
    /// MIL013: the plan's horizon in calendar months.
    pub plan_months: u32,
    /// ICE003: the most confidence a team has when the workshop ends.
    pub workshop_confidence: f64,
    /// PLN004: values that are placeholders, compared ignoring case.
    pub placeholder_words: Vec<String>,
    pub vanity_metric_patterns: Vec<String>,
    /// MET005: a vanity match inside one of these is not a finding.
    pub vanity_metric_exceptions: Vec<String>,
    pub output_only_patterns: Vec<String>,
    /// Per-rule level overrides from `[lint.rules]`.
    pub rules: BTreeMap<String, Level>,
    /// Evidence kind → highest confidence it supports (defaults merged).
    pub confidence_caps: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Markdown {
    pub unsafe_html: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Versions {
    pub tags: String,
}

/// `[search]`: the Pagefind index of the plan pages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Search {
    /// Index the plan pages (`search/`, `pagefind/`, the header box).
    pub enabled: bool,
    /// With `--versions`, also index each old version.
    pub versions: bool,
    /// Keep each page as Pagefind parsed it in `.planbook-cache/`, so that
    /// the next build parses only the pages that changed.
    pub cache: bool,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            enabled: true,
            versions: false,
            cache: true,
        }
    }
}

impl Default for Versions {
    fn default() -> Self {
        Versions { tags: "v*".into() }
    }
}

pub(crate) const DEFAULT_VANITY: &[&str] = &[
    "page view",
    "pv",
    "アクセス数",
    "ページビュー",
    "訪問数",
    "セッション数",
    "impressions",
    "インプレッション",
    "downloads",
    "ダウンロード数",
];

pub(crate) const DEFAULT_PLACEHOLDER_WORDS: &[&str] =
    &["TODO", "TBD", "FIXME", "xxx", "未定", "要確認"];

pub(crate) const DEFAULT_VANITY_EXCEPTIONS: &[&str] = &["再訪問"];

pub(crate) const DEFAULT_OUTPUT_ONLY: &[&str] = &[
    "モデルを作る",
    "モデル構築",
    "モデル開発",
    "基盤構築",
    "build a model",
    "build model",
    "train a model",
    "build the platform",
];

pub(crate) const DEFAULT_CAPS: &[(&str, f64)] = &[
    ("self_conviction", 0.01),
    ("opinions", 0.1),
    ("estimates", 1.0),
    ("market_data", 3.0),
    ("user_evidence", 7.0),
    ("test_results", 10.0),
];

/// The file as written: everything optional, unknown keys rejected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    site: Option<Site>,
    roles: Option<IndexMap<String, String>>,
    lint: Option<RawLint>,
    markdown: Option<Markdown>,
    versions: Option<Versions>,
    search: Option<Search>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLint {
    first_milestone_months: Option<u32>,
    max_milestone_cost_days: Option<f64>,
    kickoff_within_days: Option<u32>,
    plan_months: Option<u32>,
    workshop_confidence: Option<f64>,
    placeholder_words: Option<Vec<String>>,
    vanity_metric_patterns: Option<Vec<String>>,
    vanity_metric_exceptions: Option<Vec<String>>,
    output_only_patterns: Option<Vec<String>>,
    rules: Option<BTreeMap<String, Level>>,
    confidence_caps: Option<BTreeMap<String, f64>>,
}

/// A problem with book.toml; always exit code 2.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Default for Config {
    fn default() -> Self {
        Config::from_raw(RawConfig::default())
    }
}

impl Config {
    /// Reads `book.toml` in `root`; a missing file gives the defaults.
    pub(crate) fn load(root: &Path) -> Result<Config, ConfigError> {
        Config::load_with_text(root).map(|(config, _)| config)
    }

    /// [`Config::load`], with the bytes of book.toml (empty without one):
    /// versions key their caches by them, and read the file only here.
    pub(crate) fn load_with_text(root: &Path) -> Result<(Config, Vec<u8>), ConfigError> {
        let path = root.join("book.toml");
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = std::str::from_utf8(&bytes)
                    .map_err(|e| ConfigError(format!("{}: not UTF-8 text: {e}", path.display())))?;
                Ok((Config::parse(text, "book.toml")?, bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok((Config::default(), Vec::new()))
            }
            Err(e) => Err(ConfigError(format!("cannot read {}: {e}", path.display()))),
        }
    }

    /// Parses the text of a book.toml; `name` is used in messages.
    pub fn parse(text: &str, name: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| ConfigError(format!("{name}: {}", e.to_string().trim_end())))?;
        let config = Config::from_raw(raw);
        config.validate(name)?;
        Ok(config)
    }

    fn from_raw(raw: RawConfig) -> Config {
        let site = raw.site.unwrap_or_default();
        let lang = site.language;
        let roles = raw.roles.unwrap_or_else(|| default_roles(lang));
        let l = raw.lint.unwrap_or_default();
        let mut caps: BTreeMap<String, f64> = DEFAULT_CAPS
            .iter()
            .map(|(k, v)| ((*k).to_string(), *v))
            .collect();
        caps.extend(l.confidence_caps.unwrap_or_default());
        let owned = |d: &[&str]| d.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        Config {
            site,
            roles,
            lint: LintConfig {
                first_milestone_months: l.first_milestone_months.unwrap_or(3),
                max_milestone_cost_days: l.max_milestone_cost_days.unwrap_or(20.0),
                kickoff_within_days: l.kickoff_within_days.unwrap_or(14),
                plan_months: l.plan_months.unwrap_or(3),
                workshop_confidence: l.workshop_confidence.unwrap_or(1.0),
                placeholder_words: l
                    .placeholder_words
                    .unwrap_or_else(|| owned(DEFAULT_PLACEHOLDER_WORDS)),
                vanity_metric_patterns: l
                    .vanity_metric_patterns
                    .unwrap_or_else(|| owned(DEFAULT_VANITY)),
                vanity_metric_exceptions: l
                    .vanity_metric_exceptions
                    .unwrap_or_else(|| owned(DEFAULT_VANITY_EXCEPTIONS)),
                output_only_patterns: l
                    .output_only_patterns
                    .unwrap_or_else(|| owned(DEFAULT_OUTPUT_ONLY)),
                rules: l.rules.unwrap_or_default(),
                confidence_caps: caps,
            },
            markdown: raw.markdown.unwrap_or_default(),
            versions: raw.versions.unwrap_or_default(),
            search: raw.search.unwrap_or_default(),
        }
    }

    fn validate(&self, name: &str) -> Result<(), ConfigError> {
        for id in self.lint.rules.keys() {
            if rules::info(id).is_none() {
                let hint = crate::suggest::did_you_mean(id, rules::RULES.iter().map(|r| r.id))
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(ConfigError(format!(
                    "{name}: [lint.rules] names unknown rule `{id}`{hint}; rule ids are listed in docs/rules.md"
                )));
            }
        }
        if self.roles.is_empty() {
            return Err(ConfigError(format!(
                "{name}: [roles] is empty; list at least one role, e.g. pm = \"プロダクトマネージャー\""
            )));
        }
        for key in self.roles.keys() {
            if !crate::model::is_valid_id(key) {
                return Err(ConfigError(format!(
                    "{name}: role key `{key}` in [roles] must use only a-z, 0-9 and -"
                )));
            }
        }
        for (kind, cap) in &self.lint.confidence_caps {
            if !(cap.is_finite() && *cap > 0.0) {
                return Err(ConfigError(format!(
                    "{name}: [lint.confidence_caps] {kind} = {cap} must be a positive number"
                )));
            }
        }
        if !self.lint.max_milestone_cost_days.is_finite() || self.lint.max_milestone_cost_days < 0.0
        {
            return Err(ConfigError(format!(
                "{name}: [lint] max_milestone_cost_days must be a non-negative number"
            )));
        }
        if !self.lint.workshop_confidence.is_finite() || self.lint.workshop_confidence <= 0.0 {
            return Err(ConfigError(format!(
                "{name}: [lint] workshop_confidence must be a positive number"
            )));
        }
        for (what, v) in [
            ("content", &self.site.content),
            ("output", &self.site.output),
            ("theme", &self.site.theme),
        ] {
            if v.trim().is_empty() {
                return Err(ConfigError(format!(
                    "{name}: [site] {what} must not be empty"
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn lang(&self) -> Lang {
        self.site.language
    }
}

/// The workshop's three roles, named in the site language.
pub(crate) fn default_roles(lang: Lang) -> IndexMap<String, String> {
    let names: [(&str, &str, &str); 3] = [
        ("pm", "プロダクトマネージャー", "Product manager"),
        ("dev", "開発者", "Developer"),
        ("ds", "データサイエンティスト", "Data scientist"),
    ];
    names
        .iter()
        .map(|(k, ja, en)| ((*k).to_string(), lang.pick(ja, en).to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_without_a_file() {
        let c = Config::parse("", "book.toml").unwrap();
        assert_eq!(c.lint.first_milestone_months, 3);
        assert_eq!(c.roles.keys().collect::<Vec<_>>(), ["pm", "dev", "ds"]);
        assert_eq!(c.lint.confidence_caps["estimates"], 1.0);
    }

    #[test]
    fn unknown_keys_name_the_key_and_file() {
        let e = Config::parse("[site]\ntitel = \"x\"\n", "book.toml").unwrap_err();
        assert!(e.0.contains("book.toml"), "{e}");
        assert!(e.0.contains("titel"), "{e}");
    }

    #[test]
    fn roles_keep_their_order_and_caps_merge() {
        let c = Config::parse(
            "[roles]\nds = \"DS\"\npm = \"PM\"\n[lint.confidence_caps]\nestimates = 2.0\ncustom = 4.0\n",
            "book.toml",
        )
        .unwrap();
        assert_eq!(c.roles.keys().collect::<Vec<_>>(), ["ds", "pm"]);
        assert_eq!(c.lint.confidence_caps["estimates"], 2.0);
        assert_eq!(c.lint.confidence_caps["custom"], 4.0);
        assert_eq!(c.lint.confidence_caps["opinions"], 0.1);
    }

    #[test]
    fn lint_v2_keys_have_defaults_and_can_be_set() {
        let c = Config::default();
        assert_eq!(c.lint.plan_months, 3);
        assert_eq!(c.lint.workshop_confidence, 1.0);
        assert_eq!(c.lint.placeholder_words.len(), 6);
        assert_eq!(c.lint.vanity_metric_exceptions, ["再訪問"]);
        let c = Config::parse(
            "[lint]\nplan_months = 2\nworkshop_confidence = 2.5\nplaceholder_words = [\"TBC\"]\nvanity_metric_exceptions = []\n",
            "book.toml",
        )
        .unwrap();
        assert_eq!(c.lint.plan_months, 2);
        assert_eq!(c.lint.workshop_confidence, 2.5);
        assert_eq!(c.lint.placeholder_words, ["TBC"]);
        assert!(c.lint.vanity_metric_exceptions.is_empty());
        let e = Config::parse("[lint]\nplan_month = 2\n", "book.toml").unwrap_err();
        assert!(
            e.0.contains("plan_month") && e.0.contains("plan_months"),
            "{e}"
        );
        assert!(Config::parse("[lint]\nworkshop_confidence = 0\n", "book.toml").is_err());
    }

    #[test]
    fn unknown_rule_ids_are_rejected() {
        let e = Config::parse("[lint.rules]\nMET05 = \"off\"\n", "book.toml").unwrap_err();
        assert!(e.0.contains("MET05"), "{e}");
    }
}

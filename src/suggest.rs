//! "Did you mean" hints for misspelt keys, enum values and rule ids.

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn close_words_are_suggested_and_far_ones_not() {
        assert_eq!(
            did_you_mean("mettric", ["metric", "milestones"]),
            Some("metric")
        );
        assert_eq!(did_you_mean("Title", ["title", "team"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["metric", "milestones"]), None);
    }
}

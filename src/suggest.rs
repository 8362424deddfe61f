//! "Did you mean" hints for misspelt keys, enum values and rule ids.

/// The closest candidate to `word`, if one is close enough to be a likely
/// typo: within a small edit distance, counting a swap of two neighbouring
/// letters as one edit (`deu` → `due`), or else similar by Jaro–Winkler
/// (longer words with several slips).
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    // Up to one edit per three characters, at least one, at most two.
    let max_edits = (lower.chars().count() / 3).clamp(1, 2);
    let mut by_edits: Option<(usize, &'a str)> = None;
    let mut by_similarity: Option<(f64, &'a str)> = None;
    for c in candidates {
        let cl = c.to_lowercase();
        let edits = strsim::osa_distance(&lower, &cl);
        if edits <= max_edits && by_edits.is_none_or(|(best, _)| edits < best) {
            by_edits = Some((edits, c));
        }
        let score = strsim::jaro_winkler(&lower, &cl);
        if score > 0.8 && by_similarity.is_none_or(|(best, _)| score > best) {
            by_similarity = Some((score, c));
        }
    }
    by_edits.map(|(_, c)| c).or(by_similarity.map(|(_, c)| c))
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

    #[test]
    fn fewer_edits_win_then_the_first_candidate() {
        assert_eq!(did_you_mean("tiles", ["tilse", "tiles"]), Some("tiles"));
        assert_eq!(did_you_mean("tile", ["title", "tiles"]), Some("title"));
        // Two edits are close enough only from six letters on.
        assert_eq!(did_you_mean("abc", ["cba"]), None);
        assert_eq!(did_you_mean("abcde", ["ebcda"]), None);
        assert_eq!(did_you_mean("amounttt", ["amount"]), Some("amount"));
    }

    #[test]
    fn beyond_two_edits_the_most_similar_word_wins() {
        let (near, nearer) = ("abcdefxyzw", "abcdefgxyz");
        for c in [near, nearer] {
            assert!(strsim::osa_distance("abcdefghij", c) > 2);
            assert!(strsim::jaro_winkler("abcdefghij", c) > 0.8);
        }
        assert_eq!(did_you_mean("abcdefghij", [near, nearer]), Some(nearer));
        assert_eq!(did_you_mean("abcdefghij", [nearer, near]), Some(nearer));
        // Equally similar: the first.
        assert_eq!(
            did_you_mean("abcdefghij", ["abcdefgzyx", nearer]),
            Some("abcdefgzyx")
        );
        assert_eq!(did_you_mean("abcdefghij", ["qrstuvwxyz"]), None);
    }

    #[test]
    fn transposed_letters_count_as_one_edit() {
        let task = crate::frontmatter::TASK_KEYS.iter().copied();
        assert_eq!(did_you_mean("deu", task), Some("due"));
        assert_eq!(did_you_mean("stauts", ["status", "start"]), Some("status"));
        assert_eq!(did_you_mean("ab", ["due"]), None);
    }
}

//! Drafts for a planning turn, copied from the goal: what the plan will most likely write next
//! when it is in the middle of copying a span of the goal.
//!
//! Why: a plan's slots are mostly the goal's own words and digits ("Gym", "pizza near me",
//! "4155550123"), and each token the model chooses costs a decode pass (~34 ms for a 0.5B model
//! on 2 cores) while a batch of tokens costs little more than one. So once the plan has started
//! a span that also occurs in the goal, the goal's continuation of that span is a good guess
//! for the next few tokens; the model checks the guess in one batch, and greedy decoding keeps
//! exactly the tokens it would have chosen one by one (the "prompt lookup" form of speculative
//! decoding). A guess is only text here: the planner tokenizes it, drops what the plan's grammar
//! does not admit, and has the model confirm the rest.

/// The longest span of the plan's end looked for in the goal, in characters.
const MAX_MATCH_CHARS: usize = 32;

/// The continuation of the goal after the longest end of `written` (the plan so far) that
/// occurs in it, at most `max_chars` characters; `None` when no end of `written` occurs in the
/// goal or the goal has nothing after it.
pub(crate) fn goal_draft<'g>(written: &str, goal: &'g str, max_chars: usize) -> Option<&'g str> {
    let ends = written
        .char_indices()
        .rev()
        .take(MAX_MATCH_CHARS)
        .map(|(start, _)| &written[start..]);
    // Longest first: "Gy" pins the span better than "y".
    let mut longest = None;
    for end in ends {
        match goal.find(end) {
            Some(at) => longest = Some(at + end.len()),
            None => break,
        }
    }
    let from = longest?;
    let rest = &goal[from..];
    let cut = rest
        .char_indices()
        .nth(max_chars)
        .map_or(rest.len(), |(index, _)| index);
    (cut > 0).then(|| &rest[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_span_of_the_goal_drafts_its_continuation() {
        let goal = "Set an alarm for 6:45 labelled Gym";
        assert_eq!(goal_draft(r#"{"label": "G"#, goal, 48), Some("ym"));
        assert_eq!(
            goal_draft(
                r#"{"query": "pizza"#,
                "Search the web for pizza near me",
                48
            ),
            Some(" near me")
        );
        assert_eq!(
            goal_draft(r#""minute": 4"#, goal, 48),
            Some("5 labelled Gym")
        );
        assert_eq!(goal_draft(r#""minute": 4"#, goal, 3), Some("5 l"));
    }

    #[test]
    fn the_longest_matching_end_decides_where_the_copy_goes_on() {
        // "a" alone occurs first in "Set an alarm"; "ra" only in "Call Sara".
        let goal = "Set an alarm and call Sara now";
        assert_eq!(goal_draft("Sara", goal, 4), Some(" now"));
        assert_eq!(goal_draft("xyz ra", goal, 4), Some(" now"));
    }

    #[test]
    fn nothing_to_copy_drafts_nothing() {
        let goal = "Turn on Wi-Fi";
        assert_eq!(goal_draft(r#"{"kind": ""#, goal, 48), None);
        assert_eq!(goal_draft("Wi-Fi", goal, 48), None, "the goal ends there");
        assert_eq!(goal_draft("", goal, 48), None);
        assert_eq!(goal_draft("x", "", 48), None);
        assert_eq!(goal_draft("Turn", goal, 0), None);
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        assert_eq!(goal_draft("导航", "导航到西湖", 2), Some("到西"));
        assert_eq!(goal_draft("é", "café crème", 48), Some(" crème"));
    }
}

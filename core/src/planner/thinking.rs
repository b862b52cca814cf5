//! Thinking off: the planner never lets a model think before it answers.
//!
//! Why: Qwen3 and Qwen3.5 are trained to reason in a `<think>` block before the answer. A phone
//! agent's answer is one action under a grammar, and a block of thoughts would cost hundreds of
//! decode passes a step. Their templates switch thinking off (`enable_thinking` false, the
//! default of Qwen3.5-0.8B and 2B) by closing an empty block right after the assistant's
//! header, so the model goes straight to its answer; `/no_think` in a message does nothing on
//! Qwen3.5. llama.cpp's built-in chat formats (which the planner renders with) know no such
//! switch, so the planner appends the empty block itself for any template that has one, and
//! the grammar starts after it.

/// What a thinking model's template renders after the assistant's header with thinking off.
pub(crate) const EMPTY_THINKING: &str = "<think>\n\n</think>\n\n";

/// Whether `template` (a chat template's text) is a thinking model's: it opens a `<think>`
/// block somewhere.
pub(crate) fn thinks(template: &str) -> bool {
    template.contains("<think>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_templates_with_a_thinking_block_think() {
        assert!(thinks(
            "{%- if enable_thinking is defined and enable_thinking is false %}\
             {{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}"
        ));
        assert!(!thinks(
            "{% for message in messages %}<|im_start|>{{ message.role }}"
        ));
        assert!(!thinks("chatml"));
        assert!(EMPTY_THINKING.starts_with("<think>") && EMPTY_THINKING.ends_with("\n\n"));
    }
}

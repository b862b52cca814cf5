//! The chat templates written into generated models.
//!
//! llama.cpp reads `tokenizer.chat_template` to pick its built-in formatter (both are
//! recognised as ChatML by their `<|im_start|>` markers) and fails `chat_template(None)`
//! without it, so generated models carry one, as the published GGUFs do: Qwen2.5-Instruct's
//! template verbatim for the Qwen2.5 and Qwen3 shapes, and for Qwen3.5 a template of ours with
//! the published Qwen3.5-0.8B/2B template's generation prompt (thinking off unless asked, as an
//! empty closed `<think>` block), so a generated Qwen3.5 prompts like the real one. Qwen's own
//! Qwen3.5 template text could not be fetched here; its generation prompt was read in several
//! public projects that quote or patch it.

/// Qwen2.5-Instruct's Jinja chat template (ChatML with tool calls).
pub const QWEN2_5_CHAT_TEMPLATE: &str = include_str!("qwen2_5_chat_template.jinja");

/// The generated Qwen3.5 models' Jinja chat template: ChatML turns, and Qwen3.5-0.8B/2B's
/// generation prompt (`<think>\n\n</think>\n\n` unless `enable_thinking` is true).
pub const QWEN3_5_CHAT_TEMPLATE: &str = include_str!("qwen3_5_chat_template.jinja");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_is_chatml_with_qwen_default_system_prompt() {
        assert!(QWEN2_5_CHAT_TEMPLATE.contains("<|im_start|>"));
        assert!(QWEN2_5_CHAT_TEMPLATE.contains("<|im_end|>"));
        assert!(QWEN2_5_CHAT_TEMPLATE.contains("You are Qwen, created by Alibaba Cloud."));
        assert!(QWEN2_5_CHAT_TEMPLATE.contains("add_generation_prompt"));
    }

    #[test]
    fn the_qwen3_5_template_closes_an_empty_thinking_block_unless_asked_to_think() {
        assert!(QWEN3_5_CHAT_TEMPLATE.contains("<|im_start|>"));
        assert!(
            QWEN3_5_CHAT_TEMPLATE
                .contains("{%- if enable_thinking is defined and enable_thinking is true %}")
        );
        assert!(QWEN3_5_CHAT_TEMPLATE.contains(r"{{- '<think>\n\n</think>\n\n' }}"));
    }
}

//! The chat template written into generated models.
//!
//! llama.cpp reads `tokenizer.chat_template` to pick its built-in formatter (this one is
//! recognised as ChatML by its `<|im_start|>` markers) and fails `chat_template(None)` without
//! it, so generated models carry Qwen2.5-Instruct's template verbatim, as the published Qwen2.5
//! GGUFs do.

/// Qwen2.5-Instruct's Jinja chat template (ChatML with tool calls).
pub const QWEN2_5_CHAT_TEMPLATE: &str = include_str!("qwen2_5_chat_template.jinja");

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
}

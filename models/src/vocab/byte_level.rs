//! GPT-2's byte-level alphabet, which Qwen's BPE uses.
//!
//! Byte-level BPE works on bytes but stores tokens as text, so each of the 256 byte values is
//! given a printable character: printable Latin-1 bytes stand for themselves and the rest
//! (control bytes, space, …) are shifted to U+0100 and up, which is why a leading space shows
//! as `Ġ` in Qwen's vocabulary and a newline as `Ċ`. llama.cpp's `gpt2` tokenizer applies the
//! same table, so tokens written with it match what llama.cpp looks up.

/// The 256 bytes in GPT-2's order: the printable ones first (`!`..`~`, `¡`..`¬`, `®`..`ÿ`),
/// then the others ascending. Qwen's vocabulary starts with the byte tokens in this order.
pub fn byte_order() -> Vec<u8> {
    let mut bytes: Vec<u8> = (b'!'..=b'~')
        .chain(0xa1..=0xac)
        .chain(0xae..=0xff)
        .collect();
    let printable = bytes.clone();
    bytes.extend((0..=255u8).filter(|byte| !printable.contains(byte)));
    bytes
}

/// The character standing for each byte value.
pub fn byte_to_char_table() -> [char; 256] {
    let mut table = ['\0'; 256];
    let mut shifted = 0u32;
    for byte in byte_order() {
        let printable = matches!(byte, b'!'..=b'~' | 0xa1..=0xac | 0xae..=0xff);
        table[byte as usize] = if printable {
            char::from(byte)
        } else {
            let code = 256 + shifted;
            shifted += 1;
            char::from_u32(code).unwrap_or('\u{fffd}')
        };
    }
    table
}

/// Encodes text as the byte-level characters of its UTF-8 bytes.
pub fn encode_bytes(text: &str, table: &[char; 256]) -> String {
    text.bytes().map(|byte| table[byte as usize]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_and_newline_map_like_gpt2() {
        let table = byte_to_char_table();
        assert_eq!(table[b' ' as usize], 'Ġ');
        assert_eq!(table[b'\n' as usize], 'Ċ');
        assert_eq!(table[b'a' as usize], 'a');
        assert_eq!(table[0], 'Ā');
        assert_eq!(encode_bytes(" tap", &table), "Ġtap");
    }

    #[test]
    fn the_table_is_a_bijection_in_gpt2_order() {
        let order = byte_order();
        assert_eq!(order.len(), 256);
        assert_eq!(order[0], b'!');
        let table = byte_to_char_table();
        let mut chars: Vec<char> = table.to_vec();
        chars.sort_unstable();
        chars.dedup();
        assert_eq!(chars.len(), 256);
    }
}

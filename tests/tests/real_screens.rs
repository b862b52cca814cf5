//! The encoder's targets on real screens from `../shared/screens` (other people's phones,
//! never copied into the project): every dump imports, every visible actionable node gets an
//! id, no screen exceeds 1,500 Qwen tokens, and the median screen costs at most 2.5× its own
//! visible text. Skipped, loudly, where `../shared` is absent (a fresh clone); the core crate's
//! own fixtures cover the same code there.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};

use lobster_core::screen::import::import;
use lobster_core::screen::{encode, reachability};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// The dumps listed in `index.json` (the tests calling this are ignored where `../shared` is
/// absent).
fn screens() -> Vec<(String, Vec<u8>)> {
    let dir = shared().join("screens");
    let index = std::fs::read(dir.join("index.json")).unwrap();
    let index: serde_json::Value = serde_json::from_slice(&index).unwrap();
    let files: Vec<(String, Vec<u8>)> = index
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let file = entry["file"].as_str().unwrap().to_owned();
            let bytes = std::fs::read(dir.join(&file)).unwrap();
            (file, bytes)
        })
        .collect();
    assert_eq!(files.len(), 45, "index.json lists 45 screens");
    files
}

#[test]
#[cfg_attr(shared_screens_absent, ignore = "../shared/screens is absent")]
fn every_real_screen_imports_and_every_actionable_node_is_reachable() {
    let screens = screens();
    for (file, bytes) in screens {
        let imported = import(&bytes).unwrap_or_else(|error| panic!("{file}: {error}"));
        let encoded = encode(&imported.snapshot, None);
        let reach = reachability(&imported.snapshot, &encoded);
        assert!(
            reach.unreachable.is_empty(),
            "{file}: {} of {} actionable nodes have no id: {:?}",
            reach.unreachable.len(),
            reach.actionable,
            reach.unreachable
        );
        assert!(!encoded.text.is_empty(), "{file}: empty encoding");
    }
}

#[test]
#[cfg_attr(shared_screens_absent, ignore = "../shared/screens is absent")]
fn real_screens_stay_within_the_token_targets() {
    let screens = screens();
    let tokenizer =
        tokenizers::Tokenizer::from_file(shared().join("tokenizer/qwen_tokenizer.json")).unwrap();
    let count = |text: &str| tokenizer.encode(text, false).unwrap().len();
    let mut ratios = Vec::new();
    for (file, bytes) in screens {
        let snapshot = import(&bytes).unwrap().snapshot;
        let text = encode(&snapshot, None).text;
        let tokens = count(&text);
        assert!(tokens <= 1_500, "{file}: {tokens} tokens");
        ratios.push(tokens as f64 / count(&snapshot.visible_text_floor()).max(1) as f64);
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    assert!(median <= 2.5, "median tokens/floor ratio {median:.2} > 2.5");
}

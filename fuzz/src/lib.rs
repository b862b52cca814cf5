//! The bodies of Lobster's fuzz targets, one `pub fn` per target.
//!
//! Why a shared file: each libFuzzer target in `fuzz_targets/` is a one-line call into this
//! file, and the stable replay test (`tests/tests/fuzz_corpora.rs`) includes this same file and
//! runs every committed corpus and crash input through the same functions, so what CI replays
//! is exactly what was fuzzed. Keep it to dependencies both crates have: `lobster-core`,
//! `lobster-models`, `prost` and `serde_json`.
//!
//! Each body calls the library's real entry point on untrusted bytes and then checks the
//! promises that entry point documents (an imported snapshot reads back through Lobster's own
//! decoders, a parsed action prints back to itself, a masked text unmasks, a GGUF header's
//! tensors lie inside the file). A panic anywhere, or a broken promise, is a crash.

// A broken promise panics: that is how a fuzz target reports a crash.
#![allow(clippy::panic)]

use std::sync::OnceLock;

use lobster_core::action::{GrammarContext, parse_action, parse_for_screen, validate};
use lobster_core::agent::trajectory::{parse_trajectory, scrub_snapshot};
use lobster_core::planner::action_from_reply;
use lobster_core::policy::redact::{Redactor, find_sensitive};
use lobster_core::screen::import::{DumpFormat, import, import_as};
use lobster_core::screen::{EncodedScreen, encode};
use lobster_models::gguf::GgufHeader;
use prost::Message as _;

/// Every dump format, in the order a forced import picks them.
const FORMATS: [DumpFormat; 6] = [
    DumpFormat::UiAutomatorXml,
    DumpFormat::AppiumXml,
    DumpFormat::DroidBotJson,
    DumpFormat::DroidRunJson,
    DumpFormat::SnapshotProto,
    DumpFormat::SnapshotJson,
];

/// The screens actions are validated against: two of the project's own fixtures, encoded once.
fn fixture_screens() -> &'static [EncodedScreen] {
    static SCREENS: OnceLock<Vec<EncodedScreen>> = OnceLock::new();
    SCREENS.get_or_init(|| {
        [
            &include_bytes!("../../core/fixtures/uiautomator_chat_keyboard.xml")[..],
            &include_bytes!("../../core/fixtures/uiautomator_settings.xml")[..],
        ]
        .into_iter()
        .filter_map(|bytes| import(bytes).ok())
        .map(|imported| encode(&imported.snapshot, None))
        .collect()
    })
}

/// The screen selected by `selector`'s lowest bit (the first fixture if the other is missing).
fn screen(selector: u8) -> Option<&'static EncodedScreen> {
    let screens = fixture_screens();
    screens
        .get(usize::from(selector & 1))
        .or_else(|| screens.first())
}

/// A grammar context whose switches come from the bits of `flags`.
fn context(flags: u8) -> GrammarContext {
    GrammarContext {
        installed_apps: (flags & 2 != 0).then(|| {
            vec![
                "Settings".to_owned(),
                "WeChat".to_owned(),
                "Clock".to_owned(),
            ]
        }),
        app_actions: if flags & 4 != 0 {
            vec!["send_message".to_owned(), "music.play".to_owned()]
        } else {
            Vec::new()
        },
        app_action_arguments: Default::default(),
        allow_ask: flags & 8 != 0,
        allow_intents: flags & 16 != 0,
        allow_swipe: flags & 32 != 0,
        tools: lobster_core::action::ToolSet::ALL,
    }
}

/// Target `import`: format auto-detection and import of any bytes as a UI dump, then one
/// forced import (the format picked by the input's length, so every parser sees every input
/// shape), the encoder on each snapshot, and the importer's promise that an imported snapshot
/// reads back through Lobster's own protobuf and JSON decoders.
pub fn import_dump(data: &[u8]) {
    let forced = FORMATS[data.len() % FORMATS.len()];
    for imported in [import(data), import_as(data, forced)]
        .into_iter()
        .flatten()
    {
        let snapshot = &imported.snapshot;
        let _ = encode(snapshot, None);
        let proto = snapshot.encode_to_vec();
        assert!(
            import_as(&proto, DumpFormat::SnapshotProto).is_ok(),
            "an imported snapshot does not read back as protobuf"
        );
        match serde_json::to_vec(snapshot) {
            Ok(json) => assert!(
                import_as(&json, DumpFormat::SnapshotJson).is_ok(),
                "an imported snapshot does not read back as JSON"
            ),
            Err(error) => panic!("an imported snapshot does not serialise to JSON: {error}"),
        }
    }
}

/// Target `action`: the action-line parser and the screen validator. The first byte picks the
/// fixture screen and the grammar context's switches; the rest is the line. A line that parses
/// must print back to itself (`Display` and `parse_action` are inverses).
pub fn action_line(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let line = String::from_utf8_lossy(rest);
    let Some(screen) = screen(flags) else {
        return;
    };
    let context = context(flags);
    if let Ok(action) = parse_action(&line) {
        let printed = action.to_string();
        assert_eq!(
            parse_action(&printed).as_ref(),
            Ok(&action),
            "{line:?} parses, but its printed form {printed:?} does not parse back to it"
        );
        let _ = validate(&action, &screen.elements, &context);
    }
    let _ = parse_for_screen(&line, &screen.elements, &context);
}

/// Target `cloud_reply`: the cloud planner's reply path, HTTP body to action. The first byte
/// picks how the rest is used: as the whole response body, as the model's text inside a
/// well-formed completion (where it may be a structured JSON answer or a plain-text one), or as
/// the `action` field of a structured answer. Placeholders for a phone number and an e-mail
/// address are known, as after a masked prompt.
pub fn cloud_reply(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Some(screen) = screen(mode >> 2) else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let body = match mode % 3 {
        0 => rest.to_vec(),
        1 => serde_json::json!({ "choices": [{ "message": { "content": text } }] })
            .to_string()
            .into_bytes(),
        _ => {
            let answer = serde_json::json!({ "action": text, "reason": "fuzzed" }).to_string();
            serde_json::json!({ "choices": [{ "message": { "content": answer } }] })
                .to_string()
                .into_bytes()
        }
    };
    let mut redactor = Redactor::new();
    let _ = redactor.mask("Call Maria on +1 415 555 0123 or write to maria@example.com");
    let _ = action_from_reply(&body, &redactor, &screen.elements, &context(u8::MAX));
}

/// Target `trajectory`: the trajectory reader, then what `lobster replay` does with each
/// step's screen (password scrubbing, encoding in sequence).
pub fn trajectory(data: &[u8]) {
    let Ok(mut trajectory) = parse_trajectory(data) else {
        return;
    };
    let mut previous: Option<EncodedScreen> = None;
    for step in &mut trajectory.steps {
        if let Some(snapshot) = &mut step.snapshot {
            scrub_snapshot(snapshot);
            previous = Some(encode(snapshot, previous.as_ref()));
        }
    }
}

/// Target `gguf`: the GGUF header reader, with and without keeping arrays. A header that
/// validates must keep its promise that every tensor's data lies inside the file.
pub fn gguf_header(data: &[u8]) {
    for keep_arrays in [false, true] {
        let Ok(header) = GgufHeader::read_from_bytes(data, keep_arrays) else {
            continue;
        };
        assert!(header.data_offset <= header.file_size);
        for tensor in &header.tensors {
            if let Some(bytes) = tensor.data_bytes() {
                let end = header
                    .data_offset
                    .checked_add(tensor.offset)
                    .and_then(|start| start.checked_add(bytes));
                assert!(
                    end.is_some_and(|end| end <= header.file_size),
                    "tensor {} lies outside the file",
                    tensor.name
                );
            }
        }
    }
}

/// Target `redact`: the personal-data detectors and the redactor built on them. Findings must
/// be in order, non-empty, non-overlapping and on character boundaries; a masked text must
/// unmask (every placeholder in it stands for a value), and masking the same text twice must
/// give the same placeholders.
pub fn redact(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let findings = find_sensitive(&text);
    for finding in &findings {
        let range = &finding.range;
        assert!(
            range.start < range.end && range.end <= text.len(),
            "{range:?}"
        );
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
    }
    for pair in findings.windows(2) {
        assert!(
            pair[0].range.end <= pair[1].range.start,
            "overlapping findings"
        );
    }
    let mut redactor = Redactor::new();
    let masked = redactor.mask(&text);
    let again = redactor.mask(&text);
    assert_eq!(masked, again, "masking the same text twice differs");
    assert!(
        redactor.unmask(&masked).is_ok(),
        "the masked text {masked:?} has a placeholder that stands for nothing"
    );
    let _ = redactor.mask_known(&text);
}

//! Replays the committed fuzz corpora and crash inputs through the fuzz targets' bodies.
//!
//! Why: CI does not fuzz (it needs nightly and minutes per target); it replays. The bodies live
//! in `fuzz/src/lib.rs`, included here as a module, so each input runs through exactly the code
//! the fuzzer ran it through. A corpus input that panics now is a regression; every crash the
//! fuzzer found is kept under `fuzz/regressions/<target>/` and checked for its specific recovery
//! below. How to fuzz: `RELIABILITY.md`.
//!
//! The ignored test `write_seeds` regenerates the seed inputs under `fuzz/seeds/` from the
//! project's own fixtures and inline examples (never from `../shared/screens`).
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../fuzz/src/lib.rs"]
mod bodies;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// A fuzz target's body.
type Body = fn(&[u8]);

/// Each target's directory name and body.
const TARGETS: [(&str, Body); 6] = [
    ("import", bodies::import_dump),
    ("action", bodies::action_line),
    ("cloud_reply", bodies::cloud_reply),
    ("trajectory", bodies::trajectory),
    ("gguf", bodies::gguf_header),
    ("redact", bodies::redact),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files directly in `dir`, sorted (none if it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_corpus_and_regression_input_replays_without_a_panic() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (target, body) in TARGETS {
        let corpus = files(&fuzz_dir().join("corpus").join(target));
        assert!(!corpus.is_empty(), "no committed corpus for {target}");
        let regressions = files(&fuzz_dir().join("regressions").join(target));
        let seeds = files(&fuzz_dir().join("seeds").join(target));
        for path in corpus.iter().chain(&regressions).chain(&seeds) {
            let bytes = std::fs::read(path).unwrap();
            replayed += 1;
            if catch_unwind(AssertUnwindSafe(|| body(&bytes))).is_err() {
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(failures.is_empty(), "inputs that panic: {failures:#?}");
    assert!(replayed > 6, "only {replayed} inputs replayed");
}

/// Writes one seed file.
fn seed(target: &str, name: &str, bytes: &[u8]) {
    let dir = fuzz_dir().join("seeds").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

const ACTION_LINES: [&str; 30] = [
    "tap 1",
    "long_press 2",
    "type 7 \"hello\"",
    "type 7 \"a \\\"b\\\" \\\\ c\\nd 微信 😀\" clear enter",
    "scroll 3 down",
    "scroll up",
    "swipe 540 1600 540 400",
    "swipe 540 1600 540 400 300",
    "back",
    "home",
    "recents",
    "notifications",
    "open \"WeChat\"",
    "wait 2",
    "ask \"Which Mom?\"",
    "done",
    "done \"It is 21°C\"",
    "fail \"no network\"",
    "call send_message {\"to\": \"Mom\", \"text\": \"hi\"}",
    "intent set_alarm hour=7 minute=30 label=\"Gym\"",
    "intent compose_email to=\"a@b.c\" body=\"x\"",
    "intent dial number=\"+1 415 555 0123\"",
    "intent insert_event title=\"x\" begin=\"2026-11-21T09:30\"",
    "intent open_settings page=wifi",
    "intent web_search query=\"weather\"",
    "intent view_url url=\"https://example.com\"",
    "tap x",
    "scroll 3 sideways",
    "done \"a\"\r\n",
    "call send {\"a\":1",
];

const REDACT_TEXTS: [&str; 8] = [
    "Maria Lopez\nMobile | +1 415 555 0115\nWork | 555-0123\nEmail | maria@example.com",
    "Text (415) 555-0115? Or MARIA.LOPEZ@EXAMPLE.COM, +1 628 555 0143",
    "Dana Okafor +1 415-555-0106, code 551203",
    "【银行】您的验证码是 482913，5分钟内有效。身份证 11010519491231002X",
    "Card 4111 1111 1111 1111, SSN 123-45-6789",
    "[4] 2024-05-01 14:30 Dentist with Dr. Amaral",
    "[9] 合计 ¥1,299.00 (共 2 件)\n下单时间 2024-05-01 15:45:12",
    "Your code {phone_1} is {email_2}; OTP: 0042",
];

#[test]
#[ignore = "writes fuzz/seeds; run by hand when the fixtures change"]
fn write_seeds() {
    use lobster_core::agent::trajectory::{
        Record, TrajectoryEnd, TrajectoryHeader, TrajectoryRecord, TrajectoryStep,
    };
    use lobster_models::gguf::{ArrayValue, GgmlType, GgufWriter, MetadataValue, TensorDescriptor};
    use prost::Message as _;

    for (index, line) in ACTION_LINES.iter().enumerate() {
        // Flags: both fixture screens and a spread of grammar contexts.
        let flags = [0xff_u8, 0x3e, 0x01, 0x20][index % 4];
        let mut bytes = vec![flags];
        bytes.extend_from_slice(line.as_bytes());
        seed("action", &format!("line-{index:02}"), &bytes);
    }

    let completion = |content: &str| {
        serde_json::json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{ "index": 0, "message": { "role": "assistant", "content": content },
                          "finish_reason": "stop" }],
            "usage": { "prompt_tokens": 812, "completion_tokens": 9,
                       "prompt_tokens_details": { "cached_tokens": 512 } }
        })
        .to_string()
    };
    let contents = [
        r#"{"action": "tap 1", "reason": "open the chat"}"#,
        "```json\n{\"action\": \"type 7 \\\"{phone_1}\\\" enter\", \"reason\": \"send\"}\n```",
        "`done \"It is 21°C\"`\nthe answer is on screen",
        "scroll down\nlooking for more",
        "open \"WeChat\"",
        r#"{"action": "tap 1\ntap 2"}"#,
    ];
    for (index, content) in contents.iter().enumerate() {
        let mut raw = vec![0u8];
        raw.extend_from_slice(completion(content).as_bytes());
        seed("cloud_reply", &format!("body-{index}"), &raw);
        let mut text = vec![1u8];
        text.extend_from_slice(content.as_bytes());
        seed("cloud_reply", &format!("content-{index}"), &text);
    }
    for (index, line) in ACTION_LINES.iter().take(8).enumerate() {
        let mut bytes = vec![2u8];
        bytes.extend_from_slice(line.as_bytes());
        seed("cloud_reply", &format!("structured-{index}"), &bytes);
    }
    let refusal = serde_json::json!({"choices": [{"message": {"refusal": "I can't help with that.", "content": null}}]});
    let mut bytes = vec![0u8];
    bytes.extend_from_slice(refusal.to_string().as_bytes());
    seed("cloud_reply", "refusal", &bytes);
    seed(
        "cloud_reply",
        "html",
        b"\0<html><body>502 Bad Gateway</body></html>",
    );

    let fixture = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/fixtures/snapshot_timer.pb"),
    )
    .unwrap();
    let snapshot = lobster_core::screen::Snapshot::decode(fixture.as_slice()).unwrap();
    let records = [
        Record::Header(TrajectoryHeader {
            goal: "Set a timer for 5 minutes".into(),
            started_ms: 1_765_000_000_000,
            lobster_version: "0.1.0".into(),
            plan: "open the clock\nset the timer".into(),
        }),
        Record::Step(TrajectoryStep {
            step: 1,
            snapshot: Some(snapshot.clone()),
            action: "tap 3".into(),
            reason: "the timer tab".into(),
            ..Default::default()
        }),
        Record::Step(TrajectoryStep {
            step: 2,
            snapshot: Some(snapshot),
            action: "done".into(),
            ..Default::default()
        }),
        Record::End(TrajectoryEnd {
            status: "succeeded".into(),
            detail: String::new(),
            steps: 2,
            elapsed_ms: 4200,
        }),
    ];
    let mut file = Vec::new();
    for record in records {
        file.extend(
            TrajectoryRecord {
                record: Some(record),
            }
            .encode_length_delimited_to_vec(),
        );
    }
    seed("trajectory", "complete", &file);
    seed("trajectory", "torn", &file[..file.len() - 7]);

    let metadata = vec![
        (
            "general.architecture".to_owned(),
            MetadataValue::String("qwen2".into()),
        ),
        ("general.alignment".to_owned(), MetadataValue::U32(32)),
        ("qwen2.block_count".to_owned(), MetadataValue::U32(1)),
        ("qwen2.rope.freq_base".to_owned(), MetadataValue::F32(1e6)),
        ("general.file_type".to_owned(), MetadataValue::U8(7)),
        ("test.i8".to_owned(), MetadataValue::I8(-1)),
        ("test.u16".to_owned(), MetadataValue::U16(2)),
        ("test.i16".to_owned(), MetadataValue::I16(-2)),
        ("test.i32".to_owned(), MetadataValue::I32(-3)),
        ("test.bool".to_owned(), MetadataValue::Bool(true)),
        ("test.u64".to_owned(), MetadataValue::U64(4)),
        ("test.i64".to_owned(), MetadataValue::I64(-4)),
        ("test.f64".to_owned(), MetadataValue::F64(0.5)),
        (
            "tokenizer.ggml.tokens".to_owned(),
            MetadataValue::Array(ArrayValue::String(vec!["a".into(), "<|im_end|>".into()])),
        ),
        (
            "tokenizer.ggml.token_type".to_owned(),
            MetadataValue::Array(ArrayValue::I32(vec![1, 3])),
        ),
        (
            "tokenizer.ggml.scores".to_owned(),
            MetadataValue::Array(ArrayValue::F32(vec![0.0, -1.0])),
        ),
        (
            "test.u32s".to_owned(),
            MetadataValue::Array(ArrayValue::U32(vec![1, 2])),
        ),
        (
            "test.u8s".to_owned(),
            MetadataValue::Array(ArrayValue::U8(vec![1, 2])),
        ),
    ];
    let tensors = [
        TensorDescriptor::new("token_embd.weight", &[4, 2], GgmlType::F32),
        TensorDescriptor::new("output.weight", &[32, 2], GgmlType::Q8_0),
    ];
    let mut writer = GgufWriter::new(Vec::new(), &metadata, &tensors).unwrap();
    writer.write_tensor(&[0; 32]).unwrap();
    writer.write_tensor(&[1; 68]).unwrap();
    seed("gguf", "small", &writer.finish().unwrap());
    let writer = GgufWriter::new(Vec::new(), &[], &[]).unwrap();
    seed("gguf", "empty", &writer.finish().unwrap());
    // The tiny test model's header (its weights cut off: the reader then reports them missing).
    if let Ok(path) = lobster_models::tiny_model_path() {
        let header = lobster_models::gguf::GgufHeader::read_path(&path, false).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let end = usize::try_from(header.data_offset)
            .unwrap()
            .min(bytes.len());
        seed("gguf", "tiny-header", &bytes[..end]);
    }

    for (index, text) in REDACT_TEXTS.iter().enumerate() {
        seed("redact", &format!("text-{index}"), text.as_bytes());
    }
}

/// The regression input `name` of `target`.
fn regression(target: &str, name: &str) -> Vec<u8> {
    std::fs::read(fuzz_dir().join("regressions").join(target).join(name)).unwrap()
}

/// Found by the `action` target: the default serde_json float parser was off by one ulp on
/// some long numbers, so a `call` argument printed back to a line that parsed to a different
/// number. With `float_roundtrip` the printed action parses back to itself.
#[test]
fn a_long_number_in_call_arguments_prints_back_to_itself() {
    let bytes = regression("action", "call-args-float-roundtrip");
    let line = std::str::from_utf8(&bytes[1..]).unwrap();
    let action = lobster_core::action::parse_action(line).unwrap();
    let printed = action.to_string();
    assert_eq!(
        printed, "call d_mege {\"\":9.999999999993333e+25}",
        "the nearest double, printed"
    );
    assert_eq!(lobster_core::action::parse_action(&printed), Ok(action));
}

/// Found by the `redact` target: in `a@b.cc@d.ee` the second address's local part is the first
/// one's domain, the detector reported two overlapping findings, and `Redactor::mask` sliced
/// the text backwards and panicked. Overlapping findings are now merged into one (masked).
#[test]
fn glued_email_addresses_are_masked_as_one() {
    use lobster_core::policy::redact::{Redactor, SensitiveKind, find_sensitive};

    let findings = find_sensitive("write to a@b.cc@d.ee now");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, SensitiveKind::Email);
    assert_eq!(findings[0].range, 9..20);

    let bytes = regression("redact", "glued-emails-overlap");
    let text = String::from_utf8_lossy(&bytes);
    let mut redactor = Redactor::new();
    let masked = redactor.mask(&text);
    assert!(!masked.contains("LOPEZ@"), "{masked}");
    assert_eq!(redactor.unmask(&masked).unwrap(), text);
}

/// Found by the `gguf` target: a tensor whose row length times its type's bytes per block
/// overflows panicked (`attempt to multiply with overflow`) in `GgmlType::row_bytes`, and
/// without overflow checks would have wrapped to a small size. The size is now `None` and the
/// reader refuses the header as malformed.
#[test]
fn a_tensor_too_large_to_size_is_refused() {
    use lobster_models::gguf::{GgmlType, GgufHeader};

    assert_eq!(GgmlType::F32.row_bytes(u64::MAX), None);
    assert_eq!(GgmlType::Q8_0.tensor_bytes(&[u64::MAX - 31, 1]), None);
    let bytes = regression("gguf", "row-bytes-overflow");
    for keep_arrays in [false, true] {
        assert!(GgufHeader::read_from_bytes(&bytes, keep_arrays).is_err());
    }
}

//! The module graph of lobster-core follows the data flow of one step and only looks down.
//!
//! Why a test: a module that imports one above it (the screen model reaching into the guard,
//! the planner into the loop) ties the stages together so none can be tested, reused or moved
//! alone, and such imports creep in one convenient `use` at a time. This test reads the crate's
//! sources and fails on any `crate::…` path that climbs the ladder below (see ARCHITECTURE.md,
//! "Layers"). Comments are skipped: a doc link may point anywhere.

#![allow(clippy::expect_used, clippy::panic)] // a test: a failure is a panic with its message

use std::fs;
use std::path::{Path, PathBuf};

/// The top-level modules of lobster-core from the bottom up. A module may use modules on its own
/// rung or below; leaves (shared plain types) sit on rung 0.
const LADDER: &[(&str, u8)] = &[
    ("proto", 0),
    ("cancel", 0),
    ("history", 0),
    ("screen", 1),
    ("action", 2),
    ("device", 3),
    ("policy", 4),
    ("planner", 5),
    ("agent", 6),
];

fn rung(module: &str) -> Option<u8> {
    LADDER
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, rung)| *rung)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`src/planner/cloud/wire.rs` → `planner`),
/// or `None` for the crate root.
fn owning_module(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).expect("file under src");
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

/// Every `crate::name` referenced in the code of `source` (comments skipped), with line numbers.
fn crate_paths(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let tail = &rest[at + "crate::".len()..];
            let name: String = tail
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let preceded_by_ident = rest[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            if !preceded_by_ident && !name.is_empty() {
                found.push((index + 1, name));
            }
            rest = tail;
        }
    }
    found
}

/// The upward imports in the sources under `src`, as readable lines.
fn upward_imports(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut violations = Vec::new();
    for file in files {
        let Some(module) = owning_module(src, &file) else {
            continue;
        };
        let Some(own) = rung(&module) else {
            violations.push(format!(
                "{}: module `{module}` is not on the ladder",
                file.display()
            ));
            continue;
        };
        let source = fs::read_to_string(&file).expect("readable source");
        for (line, target) in crate_paths(&source) {
            match rung(&target) {
                Some(theirs) if theirs <= own => {}
                Some(_) => violations.push(format!(
                    "{}:{line}: `{module}` uses `crate::{target}`, which sits above it",
                    file.display()
                )),
                None => {}
            }
        }
    }
    violations
}

#[test]
fn every_import_looks_down_the_data_flow() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let violations = upward_imports(&src);
    assert!(
        violations.is_empty(),
        "upward imports:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_top_level_module_is_on_the_ladder() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    for line in lib.lines() {
        let declaration = line.trim_start_matches("pub ").trim();
        if let Some(name) = declaration
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'))
        {
            assert!(rung(name).is_some(), "`{name}` is missing from LADDER");
        }
    }
}

#[test]
fn an_upward_import_is_caught() {
    let dir = std::env::temp_dir().join(format!("lobster-layers-{}", std::process::id()));
    let screen = dir.join("screen");
    fs::create_dir_all(&screen).expect("temp dir");
    fs::write(
        screen.join("encode.rs"),
        "// crate::agent in a comment is fine\nuse crate::proto::Node;\nfn f() { crate::policy::foreign_windows(); }\n",
    )
    .expect("write");
    fs::write(dir.join("lib.rs"), "pub mod screen;\n").expect("write");
    let violations = upward_imports(&dir);
    fs::remove_dir_all(&dir).ok();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(violations[0].ends_with(":3: `screen` uses `crate::policy`, which sits above it"));
}

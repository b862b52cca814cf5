//! The directory of saved system prompts: which files to keep.
//!
//! Why: the planner saves the evaluated state of each system prompt it meets (the planning and
//! the step prompt of each model), keyed by model and prompt, so a cold start loads it. A
//! prompt changes with what the phone offers (an app installed, a tool granted), and each
//! change leaves a file behind of tens of MiB (the KV cache of hundreds of tokens, and a
//! Qwen3.5 model's recurrent state), in a directory an app gives once and never looks at. So
//! the directory keeps the most recently used few and deletes the rest: a file is "used" when
//! it is saved or loaded (its modification time is set then). A save in progress writes a
//! `*.kv.partial` file first; one left by a process that died mid-save is deleted once it is
//! older than any save takes. Only the planner's own files are ever deleted.

use std::fs;
use std::io;
use std::path::Path;
use std::time::SystemTime;

/// The saved prompts a directory keeps: both prompts of the model in use and of one other (a
/// model switched back to, or the phone before its last change).
pub(crate) const KEPT: usize = 4;

/// The extension of a saved prompt's file.
pub(crate) const EXTENSION: &str = "kv";

/// The extension of a saved prompt's file while it is written.
pub(crate) const PARTIAL_EXTENSION: &str = "kv.partial";

/// A partial file older than this was left by a save that never finished (a save takes
/// seconds at most).
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Marks `path` as used now, so pruning keeps it over older files.
pub(crate) fn touch(path: &Path) {
    if let Ok(file) = fs::File::options().write(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// Deletes the saved prompts in `dir` beyond the `keep` most recently used, and partial files
/// abandoned by saves that never finished; returns how many were deleted. Files of other
/// kinds, and ones that cannot be read, are left alone.
pub(crate) fn prune(dir: &Path, keep: usize) -> io::Result<usize> {
    let files: Vec<(SystemTime, std::path::PathBuf)> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter_map(|path| {
            let metadata = fs::metadata(&path).ok()?;
            metadata
                .is_file()
                .then(|| metadata.modified().ok())
                .flatten()
                .map(|modified| (modified, path))
        })
        .collect();
    let named = |path: &Path, extension: &str| {
        path.file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_suffix(extension))
            .is_some_and(|stem| stem.ends_with('.') && stem.len() > 1)
    };
    let mut saved: Vec<_> = files
        .iter()
        .filter(|(_, path)| named(path, EXTENSION))
        .collect();
    saved.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    let now = SystemTime::now();
    let abandoned = files.iter().filter(|(modified, path)| {
        named(path, PARTIAL_EXTENSION)
            && now
                .duration_since(*modified)
                .is_ok_and(|age| age > ABANDONED_AFTER)
    });
    let mut deleted = 0;
    for (_, path) in saved.into_iter().skip(keep).chain(abandoned) {
        if fs::remove_file(path).is_ok() {
            deleted += 1;
        }
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "lobster-saved-prompts-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Writes `name` in `dir`, modified `age` seconds ago.
    fn file(dir: &Path, name: &str, age: u64) {
        let path = dir.join(name);
        fs::write(&path, b"state").unwrap();
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(age))
            .unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_most_recently_used_are_kept_and_nothing_else_is_touched() {
        let dir = scratch("prune");
        for (name, age) in [("a.kv", 50), ("b.kv", 40), ("c.kv", 30), ("d.kv", 20)] {
            file(&dir, name, age);
        }
        file(&dir, "notes.txt", 100);
        file(&dir, "e.kv.partial", 100);
        file(&dir, "dead.kv.partial", 3600);
        file(&dir, "kv", 3600);
        assert_eq!(prune(&dir, 2).unwrap(), 3);
        // The save in progress (a partial file of a minute ago) stays; the abandoned one goes.
        assert_eq!(
            names(&dir),
            ["c.kv", "d.kv", "e.kv.partial", "kv", "notes.txt"]
        );
        // A file used again (loaded) is the newest.
        touch(&dir.join("c.kv"));
        file(&dir, "f.kv", 1);
        assert_eq!(prune(&dir, 2).unwrap(), 1);
        assert_eq!(
            names(&dir),
            ["c.kv", "e.kv.partial", "f.kv", "kv", "notes.txt"]
        );
        assert_eq!(prune(&dir, 2).unwrap(), 0);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_panic() {
        let dir = scratch("missing");
        fs::remove_dir_all(&dir).unwrap();
        assert!(prune(&dir, KEPT).is_err());
        touch(&dir.join("x.kv"));
    }
}

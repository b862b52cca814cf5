//! The local model store: one directory of `NAME.gguf` files.
//!
//! The directory is `$LOBSTER_MODELS_DIR`, or the platform's data directory plus
//! `lobster/models` (`~/.local/share/lobster/models` on Linux). The planner asks the store to
//! [`ModelStore::resolve`] a model name or a path, and gets either a checked file or an error
//! that says exactly how to get the model; files come in through [`crate::pull`] (a verified
//! download) or [`ModelStore::import`] (a file the user already has).

use std::path::{Path, PathBuf};

use crate::ModelError;
use crate::gguf::GgufHeader;
use crate::manifest::Manifest;
use crate::verify::{Expectation, Verification, check_architecture, verify_file};

/// The architectures the manifest's models have and Lobster is tested on. Any other
/// architecture llama.cpp supports loads too (a user's own model), untested: see
/// [`is_tested_architecture`].
pub const TESTED_ARCHITECTURES: &[&str] = &["qwen2", "qwen3", "qwen35"];

/// Whether `architecture` (a GGUF's `general.architecture`) is one Lobster is tested on.
pub fn is_tested_architecture(architecture: &str) -> bool {
    TESTED_ARCHITECTURES.contains(&architecture)
}
/// The environment variable that overrides the models directory.
pub const MODELS_DIR_ENV: &str = "LOBSTER_MODELS_DIR";

/// A models directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelStore {
    dir: PathBuf,
}

/// A model file in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledModel {
    /// Its name (the file name without `.gguf`).
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedModel {
    /// The name it was stored under.
    pub name: String,
    /// The file in the store.
    pub path: PathBuf,
    /// Whether the store file is a hard link to the source (else a copy).
    pub linked: bool,
    /// What was checked.
    pub verification: Verification,
}

/// Checks that a model name is usable as a file name: ASCII letters, digits, `.`, `_`, `-`,
/// not starting with `.`.
pub fn check_name(name: &str) -> Result<(), ModelError> {
    let valid = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'));
    if valid {
        Ok(())
    } else {
        Err(ModelError::InvalidName(name.to_owned()))
    }
}

impl ModelStore {
    /// A store in `dir` (created when something is first written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The default store: `$LOBSTER_MODELS_DIR`, else the platform data directory plus
    /// `lobster/models`.
    pub fn open_default() -> Result<Self, ModelError> {
        if let Some(dir) = std::env::var_os(MODELS_DIR_ENV).filter(|dir| !dir.is_empty()) {
            return Ok(Self::new(dir));
        }
        dirs::data_dir()
            .map(|data| Self::new(data.join("lobster").join("models")))
            .ok_or(ModelError::NoModelsDir)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the model `name` lives: `DIR/NAME.gguf`.
    pub fn path_of(&self, name: &str) -> Result<PathBuf, ModelError> {
        check_name(name)?;
        Ok(self.dir.join(format!("{name}.gguf")))
    }

    /// Where a download of `name` is kept until verified: `DIR/NAME.gguf.part`.
    pub fn part_path_of(&self, name: &str) -> Result<PathBuf, ModelError> {
        check_name(name)?;
        Ok(self.dir.join(format!("{name}.gguf.part")))
    }

    /// Creates the directory if needed.
    pub fn create_dir(&self) -> Result<(), ModelError> {
        std::fs::create_dir_all(&self.dir).map_err(ModelError::io("creating", &self.dir))
    }

    /// The installed models (`*.gguf` files), sorted by name. A missing directory is empty.
    pub fn installed(&self) -> Result<Vec<InstalledModel>, ModelError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(ModelError::io("listing", &self.dir)(error)),
        };
        let mut models = Vec::new();
        for entry in entries {
            let entry = entry.map_err(ModelError::io("listing", &self.dir))?;
            let path = entry.path();
            let Some(name) = path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(|name| name.strip_suffix(".gguf"))
            else {
                continue;
            };
            let metadata = entry.metadata().map_err(ModelError::io("reading", &path))?;
            if metadata.is_file() && check_name(name).is_ok() {
                models.push(InstalledModel {
                    name: name.to_owned(),
                    bytes: metadata.len(),
                    path,
                });
            }
        }
        models.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(models)
    }

    /// The installed file of `name`, if present.
    pub fn installed_path(&self, name: &str) -> Option<PathBuf> {
        self.path_of(name).ok().filter(|path| path.is_file())
    }

    /// Resolves a model name or a path to a checked GGUF file.
    ///
    /// Something that looks like a path (has a `/` or ends in `.gguf`) is used as a path. A name
    /// is looked up in the store. Either way the file's header is read and its architecture
    /// checked (against the manifest's, for a manifest name). A name that is not installed gets
    /// an error that says how to install it.
    pub fn resolve(&self, name_or_path: &str, manifest: &Manifest) -> Result<PathBuf, ModelError> {
        let looks_like_path = name_or_path.contains(std::path::MAIN_SEPARATOR)
            || name_or_path.contains('/')
            || name_or_path.ends_with(".gguf");
        if looks_like_path {
            let path = PathBuf::from(name_or_path);
            if !path.is_file() {
                return Err(ModelError::Io {
                    action: "opening model file",
                    path,
                    source: std::io::ErrorKind::NotFound.into(),
                });
            }
            check_header(&path, None)?;
            return Ok(path);
        }
        let path = self.path_of(name_or_path)?;
        let entry = manifest.get(name_or_path);
        if path.is_file() {
            check_header(&path, entry.map(|entry| entry.architecture.as_str()))?;
            return Ok(path);
        }
        if entry.is_some() {
            Err(ModelError::NotInstalled {
                name: name_or_path.to_owned(),
                dir: self.dir.clone(),
            })
        } else {
            Err(ModelError::UnknownModel {
                name: name_or_path.to_owned(),
                dir: self.dir.clone(),
            })
        }
    }

    /// Imports a GGUF the user already has: checks it (header, a supported architecture, and,
    /// when `name` is a manifest model, its architecture, size and SHA-256 where known), then
    /// hard-links it into the store, or copies it when linking is impossible (another file
    /// system). `name` defaults to the file name without `.gguf`. An installed model of the
    /// same name is never overwritten.
    pub fn import(
        &self,
        source: &Path,
        name: Option<&str>,
        manifest: &Manifest,
    ) -> Result<ImportedModel, ModelError> {
        let name = match name {
            Some(name) => name.to_owned(),
            None => source
                .file_name()
                .and_then(|name| name.to_str())
                .map(|name| name.strip_suffix(".gguf").unwrap_or(name).to_owned())
                .ok_or_else(|| ModelError::InvalidName(source.display().to_string()))?,
        };
        let destination = self.path_of(&name)?;
        let entry = manifest.get(&name);
        let expectation = Expectation {
            size: entry.and_then(|entry| entry.size),
            sha256: entry.and_then(|entry| entry.sha256.as_deref()),
            architecture: entry.map(|entry| entry.architecture.as_str()),
        };
        let verification = verify_file(source, &expectation, None, false)?;
        if destination.exists() {
            return Err(ModelError::AlreadyInstalled {
                name,
                path: destination,
            });
        }
        self.create_dir()?;
        let temporary = crate::generate::temporary_sibling(&destination);
        let linked = std::fs::hard_link(source, &temporary).is_ok();
        if !linked {
            copy_synced(source, &temporary)?;
        }
        if let Err(error) = std::fs::rename(&temporary, &destination) {
            let _ = std::fs::remove_file(&temporary);
            return Err(ModelError::io("renaming into place", &destination)(error));
        }
        Ok(ImportedModel {
            name,
            path: destination,
            linked,
            verification,
        })
    }
}

fn check_header(path: &Path, architecture: Option<&str>) -> Result<GgufHeader, ModelError> {
    let header = GgufHeader::read_path(path, false).map_err(|source| ModelError::Gguf {
        path: path.to_owned(),
        source,
    })?;
    check_architecture(path, &header, architecture)?;
    Ok(header)
}

fn copy_synced(source: &Path, destination: &Path) -> Result<(), ModelError> {
    let result = std::fs::copy(source, destination)
        .map_err(ModelError::io("copying into the store", destination))
        .and_then(|_| {
            std::fs::File::open(destination)
                .and_then(|file| file.sync_all())
                .map_err(ModelError::io("syncing", destination))
        });
    if result.is_err() {
        let _ = std::fs::remove_file(destination);
    }
    result
}

/// Resolves a model name or path with the default store and the built-in manifest (see
/// [`ModelStore::resolve`]).
pub fn resolve(name_or_path: &str) -> Result<PathBuf, ModelError> {
    ModelStore::open_default()?.resolve(name_or_path, &Manifest::builtin()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::tiny_model_path;

    #[test]
    fn names_are_plain_file_names() {
        for good in ["qwen2.5-0.5b-instruct-q4_0", "tiny", "A_b-1.2"] {
            check_name(good).unwrap();
        }
        for bad in ["", ".hidden", "a/b", "..", "a b", "ü"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resolve_explains_how_to_get_a_missing_model() {
        let dir = tempfile::tempdir().unwrap();
        let store = ModelStore::new(dir.path());
        let manifest = Manifest::builtin().unwrap();
        let error = store
            .resolve("qwen2.5-0.5b-instruct-q4_0", &manifest)
            .unwrap_err()
            .to_string();
        assert!(error.contains("is not installed in"), "{error}");
        assert!(
            error.contains("lobster models pull qwen2.5-0.5b-instruct-q4_0"),
            "{error}"
        );
        assert!(error.contains("lobster models import PATH"), "{error}");
        let error = store
            .resolve("nonsense", &manifest)
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown model `nonsense`"), "{error}");
        let error = store
            .resolve("/no/such/model.gguf", &manifest)
            .unwrap_err()
            .to_string();
        assert!(error.contains("/no/such/model.gguf"), "{error}");
    }

    #[test]
    fn import_then_resolve_by_name_and_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let store = ModelStore::new(dir.path().join("models"));
        let manifest = Manifest::builtin().unwrap();
        let tiny = tiny_model_path().unwrap();
        let imported = store.import(&tiny, Some("tiny"), &manifest).unwrap();
        assert_eq!(imported.path, dir.path().join("models/tiny.gguf"));
        assert_eq!(
            std::fs::read(&imported.path).unwrap(),
            std::fs::read(&tiny).unwrap()
        );
        assert_eq!(store.resolve("tiny", &manifest).unwrap(), imported.path);
        assert_eq!(
            store.resolve(tiny.to_str().unwrap(), &manifest).unwrap(),
            tiny
        );
        assert_eq!(
            store.installed().unwrap(),
            [InstalledModel {
                name: "tiny".into(),
                path: imported.path.clone(),
                bytes: std::fs::metadata(&tiny).unwrap().len(),
            }]
        );
        let again = store.import(&tiny, Some("tiny"), &manifest).unwrap_err();
        assert!(
            matches!(again, ModelError::AlreadyInstalled { .. }),
            "{again}"
        );
    }

    #[test]
    fn import_checks_a_manifest_name_against_its_entry() {
        let dir = tempfile::tempdir().unwrap();
        let store = ModelStore::new(dir.path());
        let manifest = Manifest::builtin().unwrap();
        let error = store
            .import(
                &tiny_model_path().unwrap(),
                Some("qwen2.5-0.5b-instruct-q4_0"),
                &manifest,
            )
            .unwrap_err();
        assert!(
            matches!(error, ModelError::SizeMismatch { removed: false, .. }),
            "{error}"
        );
        assert!(store.installed().unwrap().is_empty());
    }

    #[test]
    fn import_refuses_files_that_are_not_models() {
        let dir = tempfile::tempdir().unwrap();
        let store = ModelStore::new(dir.path().join("models"));
        let manifest = Manifest::builtin().unwrap();
        let html = dir.path().join("page.gguf");
        std::fs::write(&html, "<html>404</html>").unwrap();
        let error = store
            .import(&html, None, &manifest)
            .unwrap_err()
            .to_string();
        assert!(error.contains("not a GGUF file"), "{error}");
        assert!(store.installed().unwrap().is_empty());
    }

    #[test]
    fn a_missing_directory_has_no_models() {
        let store = ModelStore::new("/nonexistent/lobster/models");
        assert!(store.installed().unwrap().is_empty());
    }
}

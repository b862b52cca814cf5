//! Checking a model file before it is trusted.
//!
//! A file is only installed after it passes every check its manifest entry allows: the size
//! (when known), the GGUF header with every tensor inside the file (which also catches a
//! truncated download when the size is unknown), an architecture Lobster can run and, when the
//! manifest cites one, the SHA-256. The order is cheapest first, so a wrong file fails fast.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::ModelError;
use crate::gguf::GgufHeader;

/// What a file is expected to be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expectation<'a> {
    /// Size in bytes.
    pub size: Option<u64>,
    /// SHA-256 as lowercase hex.
    pub sha256: Option<&'a str>,
    /// `general.architecture`.
    pub architecture: Option<&'a str>,
}

/// What a successful check established.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// The parsed header (arrays summarised).
    pub header: GgufHeader,
    /// Whether the size was compared with an expected one.
    pub size_checked: bool,
    /// Whether the SHA-256 was compared with an expected one.
    pub sha256_checked: bool,
}

impl Verification {
    /// The architecture the file declares.
    pub fn architecture(&self) -> &str {
        self.header.architecture().unwrap_or_default()
    }

    /// A short list of what was checked, for messages (`size, header, architecture, sha256`).
    pub fn summary(&self) -> String {
        let mut checks = Vec::new();
        if self.size_checked {
            checks.push("size");
        }
        checks.extend(["GGUF header", "architecture"]);
        if self.sha256_checked {
            checks.push("SHA-256");
        }
        checks.join(", ")
    }
}

/// Checks the file at `path`. `computed_sha256` is the file's hash when the caller already
/// has it (a download hashes while it writes); otherwise it is computed only when expected.
/// `removed_on_failure` only changes the wording of size and hash errors: the caller deletes.
pub fn verify_file(
    path: &Path,
    expectation: &Expectation<'_>,
    computed_sha256: Option<&str>,
    removed_on_failure: bool,
) -> Result<Verification, ModelError> {
    let actual = std::fs::metadata(path)
        .map_err(ModelError::io("reading", path))?
        .len();
    if let Some(expected) = expectation.size
        && actual != expected
    {
        return Err(ModelError::SizeMismatch {
            path: path.to_owned(),
            expected,
            actual,
            removed: removed_on_failure,
        });
    }
    let header = GgufHeader::read_path(path, false).map_err(|source| ModelError::Gguf {
        path: path.to_owned(),
        source,
    })?;
    check_architecture(path, &header, expectation.architecture)?;
    let sha256_checked = match expectation.sha256 {
        Some(expected) => {
            let actual = match computed_sha256 {
                Some(hash) => hash.to_owned(),
                None => sha256_file(path)?,
            };
            if actual != expected {
                return Err(ModelError::HashMismatch {
                    path: path.to_owned(),
                    expected: expected.to_owned(),
                    actual,
                    removed: removed_on_failure,
                });
            }
            true
        }
        None => false,
    };
    Ok(Verification {
        header,
        size_checked: expectation.size.is_some(),
        sha256_checked,
    })
}

/// Checks that a header declares an architecture, and the expected one if given (a manifest
/// entry's). Any architecture is accepted otherwise: llama.cpp decides at load whether it can
/// run it, and [`is_tested_architecture`](crate::store::is_tested_architecture) tells whether
/// Lobster was tested on it.
pub fn check_architecture(
    path: &Path,
    header: &GgufHeader,
    expected: Option<&str>,
) -> Result<(), ModelError> {
    let Some(found) = header
        .architecture()
        .filter(|found| !found.trim().is_empty())
    else {
        return Err(ModelError::NoArchitecture {
            path: path.to_owned(),
        });
    };
    if let Some(expected) = expected
        && found != expected
    {
        return Err(ModelError::WrongArchitecture {
            path: path.to_owned(),
            found: found.to_owned(),
            expected: expected.to_owned(),
        });
    }
    Ok(())
}

/// The SHA-256 of a file as lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String, ModelError> {
    let mut file = File::open(path).map_err(ModelError::io("opening", path))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 20];
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(ModelError::io("reading", path))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::tiny_model_path;

    #[test]
    fn a_good_file_passes_every_check() {
        let path = tiny_model_path().unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        let hash = sha256_file(&path).unwrap();
        let expectation = Expectation {
            size: Some(size),
            sha256: Some(&hash),
            architecture: Some("qwen2"),
        };
        let verification = verify_file(&path, &expectation, None, false).unwrap();
        assert_eq!(verification.architecture(), "qwen2");
        assert_eq!(
            verification.summary(),
            "size, GGUF header, architecture, SHA-256"
        );
    }

    /// The tiny model with `from` (bytes of its header) replaced by `to`, of the same length.
    fn patched(from: &[u8], to: &[u8]) -> tempfile::NamedTempFile {
        let mut bytes = std::fs::read(tiny_model_path().unwrap()).unwrap();
        let at = bytes
            .windows(from.len())
            .position(|window| window == from)
            .unwrap();
        bytes[at..at + to.len()].copy_from_slice(to);
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), bytes).unwrap();
        file
    }

    #[test]
    fn any_architecture_passes_unless_none_is_declared_or_another_is_expected() {
        // `general.architecture` = "qwen2", as a GGUF string: key, type 8, length 5, bytes.
        let mut value = b"general.architecture".to_vec();
        value.extend_from_slice(&8u32.to_le_bytes());
        value.extend_from_slice(&5u64.to_le_bytes());
        let mut llama = value.clone();
        value.extend_from_slice(b"qwen2");
        llama.extend_from_slice(b"llama");
        let file = patched(&value, &llama);
        let verification = verify_file(file.path(), &Expectation::default(), None, false).unwrap();
        assert_eq!(verification.architecture(), "llama");
        assert!(!crate::store::is_tested_architecture("llama"));
        let expecting_qwen = Expectation {
            architecture: Some("qwen2"),
            ..Expectation::default()
        };
        assert!(matches!(
            verify_file(file.path(), &expecting_qwen, None, false),
            Err(ModelError::WrongArchitecture { .. })
        ));
        let nameless = patched(b"general.architecture", b"general.architectur_");
        assert!(matches!(
            verify_file(nameless.path(), &Expectation::default(), None, false),
            Err(ModelError::NoArchitecture { .. })
        ));
    }

    #[test]
    fn each_mismatch_has_its_own_error() {
        let path = tiny_model_path().unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        let wrong_size = Expectation {
            size: Some(size + 1),
            ..Expectation::default()
        };
        assert!(matches!(
            verify_file(&path, &wrong_size, None, false),
            Err(ModelError::SizeMismatch { removed: false, .. })
        ));
        let wrong_hash = Expectation {
            sha256: Some("00"),
            ..Expectation::default()
        };
        let error = verify_file(&path, &wrong_hash, None, true).unwrap_err();
        assert!(error.to_string().contains("removed"), "{error}");
        let wrong_arch = Expectation {
            architecture: Some("qwen3"),
            ..Expectation::default()
        };
        assert!(matches!(
            verify_file(&path, &wrong_arch, None, false),
            Err(ModelError::WrongArchitecture { .. })
        ));
    }

    #[test]
    fn a_truncated_file_fails_without_a_known_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.gguf");
        let bytes = std::fs::read(tiny_model_path().unwrap()).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let error = verify_file(&path, &Expectation::default(), None, false).unwrap_err();
        assert!(error.to_string().contains("truncated"), "{error}");
    }

    #[test]
    fn sha256_of_a_known_input() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, "abc").unwrap();
        assert_eq!(
            sha256_file(&path).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

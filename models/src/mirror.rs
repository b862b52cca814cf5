//! Downloading manifest models from a mirror.
//!
//! The manifest's URLs point at Hugging Face, which many phones cannot reach (it is blocked in
//! mainland China, where `hf-mirror.com` serves the same paths) and which an OEM may want to
//! replace with its own server. A mirror is a base URL that takes the place of the manifest
//! URL's scheme and host; the path (repository, pinned revision, file) stays, so the file is
//! still checked against the manifest's size and SHA-256 and a mirror cannot substitute
//! another model.
//!
//! A mirror must be `https`, except on the loopback interface (`127.0.0.1`, `[::1]`,
//! `localhost`): a local caching proxy, and the tests' download server. It carries no user
//! name or password (they would end up in logs and error messages), no query and no fragment.

use crate::ModelError;

/// The longest mirror URL accepted.
pub const MAX_MIRROR_LEN: usize = 2048;

/// Checks `mirror` (see the module documentation) and returns it without a trailing `/`.
pub fn check_mirror(mirror: &str) -> Result<&str, ModelError> {
    let invalid = |reason: &str| Err(ModelError::InvalidMirror(reason.to_owned()));
    if mirror.len() > MAX_MIRROR_LEN {
        return invalid("longer than 2048 bytes");
    }
    if mirror.bytes().any(|byte| byte <= b' ' || byte >= 0x7f) {
        return invalid("it holds spaces, control or non-ASCII characters");
    }
    let (scheme, rest) = match mirror.split_once("://") {
        Some(("https", rest)) => ("https", rest),
        Some(("http", rest)) => ("http", rest),
        _ => return invalid("it must start with https://"),
    };
    if mirror.contains(['?', '#']) {
        return invalid("it may not have a query or fragment");
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return invalid("it may not carry a user name or password");
    }
    let host = host_of(authority);
    if host.is_empty() {
        return invalid("it names no host");
    }
    if scheme == "http" && !is_loopback(host) {
        return invalid("plain http is allowed only on the loopback interface; use https");
    }
    Ok(mirror.trim_end_matches('/'))
}

/// The URL of `manifest_url`'s file on `mirror`: the mirror's scheme, host and path prefix,
/// then the manifest URL's path.
pub fn mirrored_url(manifest_url: &str, mirror: &str) -> Result<String, ModelError> {
    let base = check_mirror(mirror)?;
    let path = manifest_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|slash| &rest[slash..]))
        .ok_or_else(|| {
            ModelError::InvalidMirror(format!("the manifest URL {manifest_url} has no path"))
        })?;
    Ok(format!("{base}{path}"))
}

/// The host of an `authority` (`host`, `host:port`, `[v6]:port`).
fn host_of(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HF: &str = "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/abc/m.gguf";

    #[test]
    fn a_mirror_takes_the_place_of_the_host() {
        assert_eq!(
            mirrored_url(HF, "https://hf-mirror.com").unwrap(),
            "https://hf-mirror.com/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/abc/m.gguf"
        );
        assert_eq!(
            mirrored_url(HF, "http://127.0.0.1:8080/models/").unwrap(),
            "http://127.0.0.1:8080/models/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/abc/m.gguf"
        );
        for loopback in ["http://localhost:1", "http://[::1]:9/x", "http://127.9.9.9"] {
            check_mirror(loopback).unwrap();
        }
    }

    #[test]
    fn unsafe_or_malformed_mirrors_are_refused() {
        for (mirror, why) in [
            ("http://example.org", "loopback"),
            ("http://10.0.0.1", "loopback"),
            ("ftp://example.org", "https://"),
            ("example.org", "https://"),
            ("https://user:pw@example.org", "password"),
            ("https://example.org/?token=1", "query"),
            ("https://", "no host"),
            ("https://exa mple.org", "spaces"),
            ("https://ex\u{e4}mple.org", "non-ASCII"),
        ] {
            let error = check_mirror(mirror).unwrap_err().to_string();
            assert!(error.contains(why), "{mirror}: {error}");
        }
        let long = format!("https://example.org/{}", "a".repeat(MAX_MIRROR_LEN));
        assert!(check_mirror(&long).is_err());
        assert!(mirrored_url("no-scheme", "https://example.org").is_err());
    }
}

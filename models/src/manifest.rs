//! The manifest of supported Qwen GGUFs (`models/manifest.toml`), compiled into the crate.
//!
//! It is the one list the CLI, the app and the downloader agree on: where each model comes
//! from, how big it is, how to check it, and which phones it suits. Sizes and hashes are
//! optional because the manifest records only what could be cited; verification uses whatever
//! is known (see [`crate::verify`]).

use serde::Deserialize;

use crate::ModelError;

/// The manifest shipped with this crate.
pub const BUILTIN_MANIFEST: &str = include_str!("../manifest.toml");

/// RAM tiers a model may declare.
pub const RAM_TIERS: &[&str] = &["3gb", "4gb", "6gb+"];

/// The parsed manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The name of the model used when none is chosen and the phone's memory is unknown.
    pub default: String,
    /// The default model for each RAM tier (tier, model name), smallest tier first: what a
    /// phone of that tier runs unless the user chooses (see [`crate::ram::default_for_ram`]).
    /// Each model is listed and meant for a phone of that tier or smaller.
    pub defaults_by_ram: Vec<(String, String)>,
    /// The models, in manifest order.
    pub models: Vec<ManifestEntry>,
}

/// One downloadable model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    /// The model's name, also its file name in the store (`NAME.gguf`).
    pub name: String,
    /// The model family (`qwen2.5`, `qwen3`, `qwen3.5`).
    pub family: String,
    /// `general.architecture` the file must declare.
    pub architecture: String,
    /// Download URL.
    pub url: String,
    /// File size in bytes, when a source states it.
    pub size: Option<u64>,
    /// SHA-256 (lowercase hex), when a source states it.
    pub sha256: Option<String>,
    /// Quantisation (`q4_0`, `q8_0`, `q4_k_m`).
    pub quant: String,
    /// The model's native context length.
    pub context_length: u32,
    /// The smallest phone RAM it is meant for (`3gb`, `4gb`, `6gb+`).
    pub ram_tier: String,
    /// The chat template family (`chatml-qwen2.5`, `chatml-qwen3`, `chatml-qwen3.5`).
    pub chat_template: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    default: String,
    #[serde(default)]
    defaults_by_ram: std::collections::BTreeMap<String, String>,
    #[serde(rename = "model")]
    models: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: String,
    family: String,
    architecture: String,
    url: String,
    size: SizeField,
    sha256: String,
    quant: String,
    context_length: u32,
    ram_tier: String,
    chat_template: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SizeField {
    Bytes(u64),
    Word(String),
}

impl Manifest {
    /// The manifest compiled into this crate.
    pub fn builtin() -> Result<Self, ModelError> {
        Self::parse(BUILTIN_MANIFEST)
    }

    /// Parses and checks a manifest: unique valid names, a default that exists, `https` URLs,
    /// sizes as byte counts or `"unknown"`, hashes as 64 hex digits or `"unknown"`, known RAM
    /// tiers, tested architectures, and per-tier defaults that name listed models meant for
    /// their tier.
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        let raw: RawManifest =
            toml::from_str(text).map_err(|error| ModelError::Manifest(error.to_string()))?;
        let mut models = Vec::with_capacity(raw.models.len());
        for entry in raw.models {
            let invalid =
                |reason: String| ModelError::Manifest(format!("model {}: {reason}", entry.name));
            crate::store::check_name(&entry.name)
                .map_err(|error| ModelError::Manifest(error.to_string()))?;
            if models
                .iter()
                .any(|model: &ManifestEntry| model.name == entry.name)
            {
                return Err(invalid("listed twice".into()));
            }
            if !entry.url.starts_with("https://") {
                return Err(invalid(format!("url {} is not https", entry.url)));
            }
            let size = match entry.size {
                SizeField::Bytes(0) => return Err(invalid("size 0".into())),
                SizeField::Bytes(bytes) => Some(bytes),
                SizeField::Word(word) if word == "unknown" => None,
                SizeField::Word(word) => {
                    return Err(invalid(format!(
                        "size {word:?} is neither bytes nor \"unknown\""
                    )));
                }
            };
            let sha256 = match entry.sha256.as_str() {
                "unknown" => None,
                hex if hex.len() == 64
                    && hex
                        .bytes()
                        .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')) =>
                {
                    Some(hex.to_owned())
                }
                other => {
                    return Err(invalid(format!(
                        "sha256 {other:?} is neither 64 lowercase hex digits nor \"unknown\""
                    )));
                }
            };
            if !RAM_TIERS.contains(&entry.ram_tier.as_str()) {
                return Err(invalid(format!(
                    "ram_tier {} is not one of {RAM_TIERS:?}",
                    entry.ram_tier
                )));
            }
            // The manifest lists the architectures the planner is tested on; a user's own GGUF
            // of another one still loads (`lobster models import`), with a warning.
            if !crate::store::is_tested_architecture(&entry.architecture) {
                return Err(invalid(format!(
                    "architecture {} is not one the planner is tested on",
                    entry.architecture
                )));
            }
            models.push(ManifestEntry {
                name: entry.name,
                family: entry.family,
                architecture: entry.architecture,
                url: entry.url,
                size,
                sha256,
                quant: entry.quant,
                context_length: entry.context_length,
                ram_tier: entry.ram_tier,
                chat_template: entry.chat_template,
            });
        }
        if !models.iter().any(|model| model.name == raw.default) {
            return Err(ModelError::Manifest(format!(
                "the default model {} is not listed",
                raw.default
            )));
        }
        let defaults_by_ram = tier_defaults(raw.defaults_by_ram, &models)?;
        Ok(Self {
            default: raw.default,
            defaults_by_ram,
            models,
        })
    }

    /// A model by name.
    pub fn get(&self, name: &str) -> Option<&ManifestEntry> {
        self.models.iter().find(|model| model.name == name)
    }

    /// The default model's entry.
    pub fn default_entry(&self) -> Option<&ManifestEntry> {
        self.get(&self.default)
    }
}

/// The `[defaults_by_ram]` table checked and ordered by tier: known tiers, listed models, each
/// meant for a phone of its tier or smaller.
fn tier_defaults(
    table: std::collections::BTreeMap<String, String>,
    models: &[ManifestEntry],
) -> Result<Vec<(String, String)>, ModelError> {
    let mut defaults = Vec::with_capacity(table.len());
    for (tier, name) in table {
        let invalid = |why: String| ModelError::Manifest(format!("defaults_by_ram {tier}: {why}"));
        let gib = crate::ram::tier_gib(&tier)
            .filter(|_| RAM_TIERS.contains(&tier.as_str()))
            .ok_or_else(|| invalid(format!("not one of {RAM_TIERS:?}")))?;
        let model = models
            .iter()
            .find(|model| model.name == name)
            .ok_or_else(|| invalid(format!("{name} is not listed")))?;
        if crate::ram::tier_gib(&model.ram_tier).is_none_or(|needs| needs > gib) {
            return Err(invalid(format!(
                "{name} is meant for {} phones",
                model.ram_tier
            )));
        }
        defaults.push((gib, tier, name));
    }
    defaults.sort();
    Ok(defaults
        .into_iter()
        .map(|(_, tier, name)| (tier, name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_manifest_parses_with_its_default() {
        let manifest = Manifest::builtin().unwrap();
        assert_eq!(manifest.default, "qwen2.5-0.5b-instruct-q4_0");
        let default = manifest.default_entry().unwrap();
        assert_eq!(default.architecture, "qwen2");
        assert_eq!(default.quant, "q4_0");
        assert!(default.url.ends_with("/qwen2.5-0.5b-instruct-q4_0.gguf"));
        for family in ["qwen2.5", "qwen3", "qwen3.5"] {
            assert!(
                manifest.models.iter().any(|model| model.family == family),
                "{family}"
            );
        }
        for model in &manifest.models {
            // Qwen's own repositories, except for Qwen3.5, which Qwen publishes no GGUF of.
            let publishers: &[&str] = if model.family == "qwen3.5" {
                &["ggml-org", "unsloth"]
            } else {
                &["Qwen"]
            };
            assert!(
                publishers.iter().any(|publisher| model
                    .url
                    .starts_with(&format!("https://huggingface.co/{publisher}/"))),
                "{}",
                model.url
            );
            // Pinned to a 40-digit revision, never a branch.
            let revision = model.url.split("/resolve/").nth(1).unwrap();
            let revision = revision.split('/').next().unwrap();
            assert!(
                revision.len() == 40 && revision.bytes().all(|b| b.is_ascii_hexdigit()),
                "{}",
                model.url
            );
            assert!(model.context_length >= 32768);
        }
    }

    #[test]
    fn qwen3_5_is_listed_with_the_sizes_and_hashes_found() {
        let manifest = Manifest::builtin().unwrap();
        assert_eq!(manifest.default, "qwen2.5-0.5b-instruct-q4_0");
        let sizes = [
            ("qwen3.5-0.8b-q4_0", "q4_0", 563_036_064),
            ("qwen3.5-0.8b-q8_0", "q8_0", 833_592_096),
            ("qwen3.5-2b-q4_k_m", "q4_k_m", 1_280_835_840),
        ];
        for (name, quant, size) in sizes {
            let entry = manifest.get(name).unwrap();
            assert_eq!(entry.architecture, "qwen35");
            assert_eq!(entry.chat_template, "chatml-qwen3.5");
            assert_eq!(entry.quant, quant);
            assert_eq!(entry.size, Some(size));
            assert!(entry.sha256.is_some(), "{name}");
            assert_eq!(entry.context_length, 262_144);
        }
        assert!(crate::store::is_tested_architecture("qwen35"));
    }

    #[test]
    fn each_ram_tier_has_its_default_and_bad_tables_are_refused() {
        let manifest = Manifest::builtin().unwrap();
        let tiers: Vec<(&str, &str)> = manifest
            .defaults_by_ram
            .iter()
            .map(|(tier, name)| (tier.as_str(), name.as_str()))
            .collect();
        assert_eq!(
            tiers,
            [
                ("3gb", "qwen2.5-0.5b-instruct-q4_0"),
                ("4gb", "qwen3.5-0.8b-q4_0"),
                ("6gb+", "qwen3.5-0.8b-q4_0"),
            ]
        );
        let base = BUILTIN_MANIFEST.replace(
            "\n[defaults_by_ram]\n",
            "\n[defaults_by_ram]\n\"12gb\" = \"qwen3.5-0.8b-q4_0\"\n",
        );
        assert!(
            Manifest::parse(&base)
                .unwrap_err()
                .to_string()
                .contains("defaults_by_ram 12gb")
        );
        let too_big = BUILTIN_MANIFEST.replace(
            "\"3gb\" = \"qwen2.5-0.5b-instruct-q4_0\"",
            "\"3gb\" = \"qwen3.5-2b-q4_k_m\"",
        );
        let error = Manifest::parse(&too_big).unwrap_err().to_string();
        assert!(error.contains("meant for"), "{error}");
        let unlisted =
            BUILTIN_MANIFEST.replace("\"4gb\" = \"qwen3.5-0.8b-q4_0\"", "\"4gb\" = \"nothing\"");
        assert!(
            Manifest::parse(&unlisted)
                .unwrap_err()
                .to_string()
                .contains("not listed")
        );
    }

    #[test]
    fn an_architecture_the_planner_is_not_tested_on_is_refused() {
        let text = "default = \"m\"\n[[model]]\nname = \"m\"\nfamily = \"x\"\narchitecture = \"llama\"\n\
                    url = \"https://example.org/m.gguf\"\nsize = 12\nsha256 = \"unknown\"\nquant = \"q4_0\"\n\
                    context_length = 32768\nram_tier = \"3gb\"\nchat_template = \"chatml\"\n";
        let error = Manifest::parse(text).unwrap_err().to_string();
        assert!(
            error.contains("not one the planner is tested on"),
            "{error}"
        );
        assert!(Manifest::parse(&text.replace("llama", "qwen35")).is_ok());
        assert!(Manifest::parse(&text.replace("llama", "qwen2")).is_ok());
    }

    #[test]
    fn unknown_values_become_none_and_bad_ones_are_refused() {
        let entry = |size: &str, sha: &str| {
            format!(
                "default = \"m\"\n[[model]]\nname = \"m\"\nfamily = \"qwen2.5\"\narchitecture = \"qwen2\"\n\
                 url = \"https://example.org/m.gguf\"\nsize = {size}\nsha256 = \"{sha}\"\nquant = \"q4_0\"\n\
                 context_length = 32768\nram_tier = \"3gb\"\nchat_template = \"chatml-qwen2.5\"\n"
            )
        };
        let manifest = Manifest::parse(&entry("\"unknown\"", "unknown")).unwrap();
        assert_eq!(manifest.models[0].size, None);
        assert_eq!(manifest.models[0].sha256, None);
        let manifest = Manifest::parse(&entry("12", &"a".repeat(64))).unwrap();
        assert_eq!(manifest.models[0].size, Some(12));
        assert!(Manifest::parse(&entry("\"big\"", "unknown")).is_err());
        assert!(Manifest::parse(&entry("12", "abc")).is_err());
        assert!(Manifest::parse(&entry("12", &"A".repeat(64))).is_err());
        let http = entry("12", "unknown").replace("https://", "http://");
        assert!(Manifest::parse(&http).is_err());
        let no_default = entry("12", "unknown").replace("default = \"m\"", "default = \"x\"");
        assert!(
            Manifest::parse(&no_default)
                .unwrap_err()
                .to_string()
                .contains("default")
        );
    }
}

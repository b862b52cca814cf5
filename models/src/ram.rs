//! Which manifest model suits a phone, by its memory.
//!
//! Each manifest model names the smallest phone it is meant for as a RAM tier (`3gb`, `4gb`,
//! `6gb+`): what phone makers print on the box. A phone reports less than that as its total
//! memory (Android's `ActivityManager.MemoryInfo.totalMem`): the kernel, the modem and the GPU
//! carve-outs take their share before the OS counts, commonly 5–15 %. So a tier of N GB is
//! reached by a phone reporting at least [`REPORTED_SHARE_PERCENT`] % of N GiB: generous enough
//! that a 4 GB phone reporting 3.6 GiB counts as 4 GB, strict enough that no phone of the tier
//! below can reach it (3 GiB is less than 80 % of 4 GiB, 4 GiB less than 80 % of 6 GiB).
//!
//! The default for a phone ([`default_for_ram`]) is the manifest's choice for the highest tier
//! the phone reaches (`[defaults_by_ram]`, chosen by measured speed and memory: see
//! models/README.md). A manifest without that table (a test's, a user's own) falls back to a
//! model of the highest tier reached: the manifest's default model if it is of that tier, else
//! the first one listed (the manifest lists models of a tier in order of preference). A phone
//! below every tier gets none: the app should then offer the cloud.

use crate::manifest::{Manifest, ManifestEntry};

/// The share (percent) of a tier's nominal GiB a phone must report as total memory to reach it.
pub const REPORTED_SHARE_PERCENT: u64 = 80;

/// The nominal GiB of a RAM tier (`3gb` → 3, `6gb+` → 6), or `None` for a malformed tier.
pub fn tier_gib(tier: &str) -> Option<u64> {
    let digits = tier.strip_suffix('+').unwrap_or(tier).strip_suffix("gb")?;
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|gib| *gib > 0)
}

/// The least total memory (bytes, as Android reports it) a phone needs to reach `tier`.
pub fn tier_min_bytes(tier: &str) -> Option<u64> {
    tier_gib(tier).map(|gib| (gib << 30) / 100 * REPORTED_SHARE_PERCENT)
}

/// Whether a phone reporting `ram_bytes` of total memory reaches `tier`. A malformed tier is
/// never reached.
pub fn fits(tier: &str, ram_bytes: u64) -> bool {
    tier_min_bytes(tier).is_some_and(|needed| ram_bytes >= needed)
}

/// The model a phone reporting `ram_bytes` of total memory should use by default (see the
/// module documentation), or `None` when the phone reaches no tier.
pub fn default_for_ram(manifest: &Manifest, ram_bytes: u64) -> Option<&ManifestEntry> {
    if !manifest.defaults_by_ram.is_empty() {
        // Ordered by tier, so the last one reached is the highest.
        return manifest
            .defaults_by_ram
            .iter()
            .rev()
            .find(|(tier, _)| fits(tier, ram_bytes))
            .and_then(|(_, name)| manifest.get(name));
    }
    let best = manifest
        .models
        .iter()
        .filter(|model| fits(&model.ram_tier, ram_bytes))
        .filter_map(|model| tier_gib(&model.ram_tier))
        .max()?;
    let in_tier = |model: &&ManifestEntry| tier_gib(&model.ram_tier) == Some(best);
    manifest
        .default_entry()
        .filter(in_tier)
        .or_else(|| manifest.models.iter().find(in_tier))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn tiers_parse_to_their_gib() {
        assert_eq!(tier_gib("3gb"), Some(3));
        assert_eq!(tier_gib("4gb"), Some(4));
        assert_eq!(tier_gib("6gb+"), Some(6));
        assert_eq!(tier_gib("12gb+"), Some(12));
        for bad in [
            "", "gb", "3", "3GB", "0gb", "-3gb", "3 gb", "99999gb", "3gb++",
        ] {
            assert_eq!(tier_gib(bad), None, "{bad}");
            assert!(!fits(bad, u64::MAX), "{bad}");
        }
        for tier in crate::manifest::RAM_TIERS {
            assert!(tier_gib(tier).is_some(), "{tier}");
        }
    }

    #[test]
    fn a_phone_reaches_its_own_tier_but_not_the_next() {
        // What phones of each tier report (total memory less the carve-outs).
        assert!(fits("3gb", 2_800_000_000));
        assert!(!fits("4gb", 3 * GIB));
        assert!(fits("4gb", 3_700_000_000));
        assert!(fits("4gb", 4 * GIB));
        assert!(!fits("6gb+", 4 * GIB));
        assert!(fits("6gb+", 5_500_000_000));
        assert!(fits("6gb+", 16 * GIB));
        assert!(!fits("3gb", 2 * GIB));
        assert!(!fits("3gb", 0));
    }

    #[test]
    fn the_default_is_the_manifests_choice_for_the_highest_tier_reached() {
        let manifest = Manifest::builtin().unwrap();
        assert_eq!(
            default_for_ram(&manifest, 2 * GIB),
            None,
            "below every tier"
        );
        let small = default_for_ram(&manifest, 2_900_000_000).unwrap();
        assert_eq!(
            small.name, manifest.default,
            "a 3 GB phone runs the manifest default"
        );
        for ram in [3_700_000_000, 5_600_000_000, u64::MAX] {
            let model = default_for_ram(&manifest, ram).unwrap();
            assert_eq!(model.name, "qwen3.5-0.8b-q4_0", "{ram}");
            assert!(fits(&model.ram_tier, ram));
        }
    }

    #[test]
    fn within_a_tier_the_manifest_default_comes_first() {
        let text = |default: &str| {
            let mut text = format!("default = \"{default}\"\n");
            for name in ["a", "b", "c"] {
                let tier = if name == "a" { "3gb" } else { "4gb" };
                text.push_str(&format!(
                    "[[model]]\nname = \"{name}\"\nfamily = \"qwen2.5\"\narchitecture = \"qwen2\"\n\
                     url = \"https://example.org/{name}.gguf\"\nsize = 12\nsha256 = \"unknown\"\n\
                     quant = \"q4_0\"\ncontext_length = 32768\nram_tier = \"{tier}\"\n\
                     chat_template = \"chatml-qwen2.5\"\n"
                ));
            }
            Manifest::parse(&text).unwrap()
        };
        assert_eq!(default_for_ram(&text("c"), 4 * GIB).unwrap().name, "c");
        assert_eq!(default_for_ram(&text("a"), 4 * GIB).unwrap().name, "b");
        assert_eq!(default_for_ram(&text("c"), 3 * GIB).unwrap().name, "a");
    }

    #[test]
    fn without_a_tier_table_the_highest_tier_reached_gives_the_default() {
        let text = "default = \"old\"\n\
            [[model]]\nname = \"new\"\nfamily = \"qwen3.5\"\narchitecture = \"qwen35\"\n\
            url = \"https://example.org/new.gguf\"\nsize = 12\nsha256 = \"unknown\"\n\
            quant = \"q4_0\"\ncontext_length = 262144\nram_tier = \"6gb+\"\n\
            chat_template = \"chatml-qwen3.5\"\n\
            [[model]]\nname = \"old\"\nfamily = \"qwen2.5\"\narchitecture = \"qwen2\"\n\
            url = \"https://example.org/old.gguf\"\nsize = 12\nsha256 = \"unknown\"\n\
            quant = \"q4_0\"\ncontext_length = 32768\nram_tier = \"3gb\"\n\
            chat_template = \"chatml-qwen2.5\"\n";
        let manifest = Manifest::parse(text).unwrap();
        assert_eq!(default_for_ram(&manifest, 16 * GIB).unwrap().name, "new");
        assert_eq!(default_for_ram(&manifest, 4 * GIB).unwrap().name, "old");
    }
}

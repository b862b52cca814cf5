//! What can go wrong while importing a dump, in words that never quote the screen.
//!
//! A dump is a picture of somebody's phone: names, numbers, chat text. Error and warning
//! messages end up in logs and bug reports, so they say *where* (byte offset, line, node
//! counts) and never *what* the screen said. Parser errors from serde_json or quick-xml are not
//! passed through for the same reason: their messages can quote the offending value.
//!
//! Recoverable problems become [`ImportWarning`]s, aggregated per kind (one warning for 300
//! nodes without bounds, not 300 warnings), so a cut-off or sloppy capture still imports.

use std::collections::BTreeMap;

use thiserror::Error;

use super::DumpFormat;

/// Why a dump could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The input holds no bytes, or only whitespace.
    #[error("the dump is empty")]
    Empty,
    /// The first bytes match none of the known formats.
    #[error(
        "unrecognised dump: first byte 0x{first_byte:02x} starts neither XML, JSON nor a Lobster \
         snapshot protobuf"
    )]
    UnknownFormat {
        /// The first significant byte of the input.
        first_byte: u8,
    },
    /// The input is JSON, but not a DroidBot state, a DroidRun export or a Lobster snapshot.
    #[error("unrecognised JSON dump: none of the keys of a DroidBot, DroidRun or Lobster snapshot")]
    UnrecognizedJson,
    /// The input is not well-formed JSON (or nests deeper than the parser allows).
    #[error("malformed JSON ({problem}) at line {line}, column {column}")]
    Json {
        /// The kind of problem: syntax, data (wrong type) or unexpected end of input.
        problem: &'static str,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// Well-formed JSON of the wrong shape for the format.
    #[error("the JSON is not {expected}")]
    JsonShape {
        /// What the format expects, e.g. "a DroidBot state (an object with a `views` array)".
        expected: &'static str,
    },
    /// The XML is malformed before its first node, or has no usable root element.
    #[error("malformed XML at byte {offset} (line {line}): {problem}")]
    Xml {
        /// Byte offset of the problem.
        offset: u64,
        /// 1-based line of the problem.
        line: usize,
        /// What was wrong, in fixed words.
        problem: &'static str,
    },
    /// The bytes do not decode as a Lobster `Snapshot` protobuf.
    #[error("not a Lobster snapshot protobuf: {problem}")]
    Protobuf {
        /// What was wrong, in fixed words.
        problem: &'static str,
    },
    /// The dump parsed but holds no window with a node.
    #[error("the {format} dump holds no nodes")]
    NoNodes {
        /// The format the dump was read as.
        format: DumpFormat,
    },
}

impl ImportError {
    /// Maps a serde_json error to [`ImportError::Json`] without its message, which can quote a
    /// value from the screen.
    pub(super) fn json(err: &serde_json::Error) -> Self {
        let problem = match err.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected value",
            serde_json::error::Category::Eof => "unexpected end of input",
        };
        ImportError::Json {
            problem,
            line: err.line(),
            column: err.column(),
        }
    }
}

/// A recoverable problem met while importing; the snapshot was still produced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ImportWarning {
    /// The XML ended while elements were still open (a cut-off capture); the nodes read so far
    /// were kept.
    #[error("the XML ends with {open_elements} element(s) still open; the nodes read were kept")]
    Truncated {
        /// How many elements were open at the end.
        open_elements: usize,
    },
    /// The XML stopped being well-formed; the nodes read before the problem were kept.
    #[error(
        "malformed XML at byte {offset} (line {line}): {problem}; the {open_elements} open \
         element(s) and the nodes before were kept, the rest ignored"
    )]
    MalformedXml {
        /// Byte offset of the problem.
        offset: u64,
        /// 1-based line of the problem.
        line: usize,
        /// What was wrong, in fixed words.
        problem: &'static str,
        /// How many elements were open at the problem.
        open_elements: usize,
    },
    /// Bytes after the end of the root element (real captures append tool output) were
    /// ignored.
    #[error("ignored data after the end of the root element, from byte {offset} (line {line})")]
    TrailingData {
        /// Byte offset where the ignored data starts.
        offset: u64,
        /// 1-based line where the ignored data starts.
        line: usize,
    },
    /// Nodes whose bounds were missing or unreadable; they were kept with unknown bounds.
    #[error(
        "{missing} node(s) without bounds and {unparseable} with unreadable bounds kept as unknown"
    )]
    UnknownBounds {
        /// Nodes with no bounds at all.
        missing: usize,
        /// Nodes whose bounds could not be read.
        unparseable: usize,
    },
    /// Nodes whose bounds held a value beyond the 32-bit range; it was clamped into the range
    /// and the node kept.
    #[error("{count} node(s) with bounds beyond the 32-bit range clamped into it")]
    ClampedBounds {
        /// How many nodes.
        count: usize,
    },
    /// Attribute values with a malformed or unknown entity reference, kept as written.
    #[error("{count} attribute value(s) with malformed entity references kept unescaped")]
    BadEntities {
        /// How many values.
        count: usize,
    },
    /// Elements whose attribute list was malformed; the attributes before the fault were kept.
    #[error("{count} element(s) with a malformed attribute list read up to the fault")]
    MalformedAttributes {
        /// How many elements.
        count: usize,
    },
    /// Values with bytes that are not UTF-8, decoded with replacement characters.
    #[error("{count} value(s) with invalid UTF-8 decoded lossily")]
    InvalidUtf8 {
        /// How many values.
        count: usize,
    },
    /// Nodes nested deeper than the depth cap, dropped with their subtrees.
    #[error("{dropped} node(s) nested deeper than {max_depth} levels dropped")]
    TooDeep {
        /// The depth cap (the root is depth 0).
        max_depth: usize,
        /// How many nodes were dropped.
        dropped: usize,
    },
    /// DroidBot child indices that point outside the `views` list, ignored.
    #[error("{count} child reference(s) out of range ignored")]
    DanglingChildren {
        /// How many references.
        count: usize,
    },
    /// DroidBot child references to a view already placed (a cycle or a shared child), ignored.
    #[error("{count} repeated or cyclic child reference(s) ignored")]
    RepeatedChildren {
        /// How many references.
        count: usize,
    },
    /// Views not reachable from any root, imported as the roots of extra windows.
    #[error("{count} view(s) unreachable from a root imported as extra windows")]
    OrphanViews {
        /// How many views.
        count: usize,
    },
    /// Entries that are not JSON objects where a node was expected, skipped.
    #[error("{count} entry(ies) that are not nodes skipped")]
    SkippedEntries {
        /// How many entries.
        count: usize,
    },
    /// Snapshot nodes sharing a key; later ones got a unique suffix.
    #[error("{count} duplicate node key(s) made unique with a suffix")]
    DuplicateKeys {
        /// How many nodes were renamed.
        count: usize,
    },
    /// Snapshot nodes without a key; they got one from their position.
    #[error("{count} node(s) without a key given a positional key")]
    MissingKeys {
        /// How many nodes.
        count: usize,
    },
    /// The dump's declared screen size disagrees with its root windows; the windows' extent was
    /// used.
    #[error(
        "declared screen size {declared_width}x{declared_height} disagrees with the root \
         windows; used {width}x{height}"
    )]
    ScreenSizeMismatch {
        /// Width the dump declared.
        declared_width: u32,
        /// Height the dump declared.
        declared_height: u32,
        /// Width used.
        width: u32,
        /// Height used.
        height: u32,
    },
    /// Nothing in the dump gave the screen size; a default was used.
    #[error("screen size unknown; assumed {width}x{height}")]
    ScreenSizeUnknown {
        /// Width assumed.
        width: u32,
        /// Height assumed.
        height: u32,
    },
}

/// The kinds of warnings that are counted per node and reported once, aggregated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Count {
    MissingBounds,
    UnparseableBounds,
    ClampedBounds,
    BadEntities,
    MalformedAttributes,
    InvalidUtf8,
    TooDeep,
    DanglingChildren,
    RepeatedChildren,
    OrphanViews,
    SkippedEntries,
    DuplicateKeys,
    MissingKeys,
}

/// Collects warnings while a dump is read: one-off warnings in order, per-node problems as
/// counters that [`Warnings::finish`] turns into one warning per kind.
#[derive(Debug, Default)]
pub(super) struct Warnings {
    events: Vec<ImportWarning>,
    counts: BTreeMap<Count, usize>,
}

impl Warnings {
    /// Records a one-off warning.
    pub(super) fn push(&mut self, warning: ImportWarning) {
        self.events.push(warning);
    }

    /// Counts `n` occurrences of a per-node problem.
    pub(super) fn count(&mut self, kind: Count, n: usize) {
        if n > 0 {
            *self.counts.entry(kind).or_insert(0) += n;
        }
    }

    /// How many of `kind` were counted so far.
    pub(super) fn counted(&self, kind: Count) -> usize {
        self.counts.get(&kind).copied().unwrap_or(0)
    }

    /// The one-off warnings in order, then one aggregated warning per counted kind.
    pub(super) fn finish(self) -> Vec<ImportWarning> {
        let mut out = self.events;
        let get = |kind| self.counts.get(&kind).copied().unwrap_or(0);
        let (missing, unparseable) = (get(Count::MissingBounds), get(Count::UnparseableBounds));
        if missing + unparseable > 0 {
            out.push(ImportWarning::UnknownBounds {
                missing,
                unparseable,
            });
        }
        for (kind, count) in self.counts {
            out.push(match kind {
                Count::MissingBounds | Count::UnparseableBounds => continue,
                Count::ClampedBounds => ImportWarning::ClampedBounds { count },
                Count::BadEntities => ImportWarning::BadEntities { count },
                Count::MalformedAttributes => ImportWarning::MalformedAttributes { count },
                Count::InvalidUtf8 => ImportWarning::InvalidUtf8 { count },
                Count::TooDeep => ImportWarning::TooDeep {
                    max_depth: super::MAX_DEPTH,
                    dropped: count,
                },
                Count::DanglingChildren => ImportWarning::DanglingChildren { count },
                Count::RepeatedChildren => ImportWarning::RepeatedChildren { count },
                Count::OrphanViews => ImportWarning::OrphanViews { count },
                Count::SkippedEntries => ImportWarning::SkippedEntries { count },
                Count::DuplicateKeys => ImportWarning::DuplicateKeys { count },
                Count::MissingKeys => ImportWarning::MissingKeys { count },
            });
        }
        out
    }
}

/// 1-based line number of byte `offset` in `bytes` (for messages about pretty-printed dumps).
pub(super) fn line_of(bytes: &[u8], offset: u64) -> usize {
    let end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_aggregate_into_one_warning_per_kind() {
        let mut w = Warnings::default();
        w.push(ImportWarning::Truncated { open_elements: 2 });
        w.count(Count::MissingBounds, 3);
        w.count(Count::MissingBounds, 2);
        w.count(Count::UnparseableBounds, 1);
        w.count(Count::DuplicateKeys, 0);
        w.count(Count::TooDeep, 4);
        assert_eq!(w.counted(Count::MissingBounds), 5);
        assert_eq!(
            w.finish(),
            vec![
                ImportWarning::Truncated { open_elements: 2 },
                ImportWarning::UnknownBounds {
                    missing: 5,
                    unparseable: 1
                },
                ImportWarning::TooDeep {
                    max_depth: crate::screen::import::MAX_DEPTH,
                    dropped: 4
                },
            ]
        );
    }

    #[test]
    fn json_errors_do_not_quote_values() {
        let err = serde_json::from_str::<bool>("\"secret text\"").err();
        let msg = err.map(|e| ImportError::json(&e).to_string());
        assert!(msg.is_some_and(|m| !m.contains("secret")));
    }

    #[test]
    fn line_numbers_count_newlines() {
        assert_eq!(line_of(b"a\nb\nc", 0), 1);
        assert_eq!(line_of(b"a\nb\nc", 2), 2);
        assert_eq!(line_of(b"a\nb\nc", 99), 3);
    }
}

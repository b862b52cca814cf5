//! Trajectories: every step of a task appended to a file as it completes.
//!
//! The format is a sequence of length-delimited protobuf `TrajectoryRecord`s
//! (`core/proto/trajectory.proto`): a header, one record per step, an end record. Each record
//! is written and flushed when its step completes, so a process killed mid-task (a phone
//! killing a background app, a crash) leaves every completed step readable, and a reader stops
//! cleanly at a torn last record. Password text is scrubbed from snapshots before writing, and
//! actions are recorded as the planner wrote them, with secret references, never their values.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use prost::Message;

pub use crate::proto::{
    Timings, TrajectoryEnd, TrajectoryHeader, TrajectoryRecord, TrajectoryStep,
    trajectory_record::Record,
};
use crate::screen::{Node, Snapshot};

/// Appends records to a trajectory file.
#[derive(Debug)]
pub struct TrajectoryWriter {
    file: BufWriter<File>,
}

impl TrajectoryWriter {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        Ok(Self {
            file: BufWriter::new(File::create(path)?),
        })
    }

    /// Writes one record and flushes it to the operating system.
    pub fn append(&mut self, record: Record) -> std::io::Result<()> {
        let record = TrajectoryRecord {
            record: Some(scrubbed(record)),
        };
        self.file
            .write_all(&record.encode_length_delimited_to_vec())?;
        self.file.flush()?;
        self.file.get_ref().sync_data()
    }
}

/// What a trajectory file held.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trajectory {
    /// The header, if it was written.
    pub header: Option<TrajectoryHeader>,
    /// The completed steps, in order.
    pub steps: Vec<TrajectoryStep>,
    /// The end record; `None` when the process stopped before the task ended.
    pub end: Option<TrajectoryEnd>,
    /// Whether the file ended inside a record (a write cut short); everything before it is kept.
    pub torn: bool,
}

/// Why a trajectory could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TrajectoryError {
    /// The file could not be read.
    #[error("reading the trajectory: {0}")]
    Io(#[from] std::io::Error),
    /// A complete record did not decode: the file is not a trajectory or is corrupt.
    #[error("record {index} at byte {offset} is not a trajectory record")]
    Corrupt {
        /// The record's index, from 0.
        index: usize,
        /// Its byte offset.
        offset: usize,
    },
}

/// Reads a trajectory file, keeping every complete record before a torn end.
pub fn read_trajectory(path: &Path) -> Result<Trajectory, TrajectoryError> {
    let mut bytes = Vec::new();
    File::open(path)?.read_to_end(&mut bytes)?;
    parse_trajectory(&bytes)
}

/// Parses the bytes of a trajectory file.
pub fn parse_trajectory(bytes: &[u8]) -> Result<Trajectory, TrajectoryError> {
    let mut trajectory = Trajectory::default();
    let mut offset = 0;
    let mut index = 0;
    while offset < bytes.len() {
        let mut rest = &bytes[offset..];
        let Ok(length) = prost::encoding::decode_varint(&mut rest) else {
            trajectory.torn = true;
            break;
        };
        let prefix = bytes.len() - offset - rest.len();
        let Some(body) = usize::try_from(length)
            .ok()
            .and_then(|length| rest.get(..length))
        else {
            trajectory.torn = true;
            break;
        };
        let record = TrajectoryRecord::decode(body)
            .map_err(|_| TrajectoryError::Corrupt { index, offset })?;
        match record.record {
            Some(Record::Header(header)) => trajectory.header = Some(header),
            Some(Record::Step(step)) => trajectory.steps.push(step),
            Some(Record::End(end)) => trajectory.end = Some(end),
            None => return Err(TrajectoryError::Corrupt { index, offset }),
        }
        offset += prefix + body.len();
        index += 1;
    }
    Ok(trajectory)
}

/// The record with password text removed from its snapshot.
fn scrubbed(mut record: Record) -> Record {
    if let Record::Step(step) = &mut record
        && let Some(snapshot) = &mut step.snapshot
    {
        scrub_snapshot(snapshot);
    }
    record
}

/// Clears the text of every password node.
pub fn scrub_snapshot(snapshot: &mut Snapshot) {
    for window in &mut snapshot.windows {
        if let Some(root) = &mut window.root {
            scrub_node(root);
        }
    }
}

fn scrub_node(node: &mut Node) {
    if node.password {
        node.text.clear();
    }
    for child in &mut node.children {
        scrub_node(child);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::WindowType;
    use crate::screen::test_support::*;

    fn step(number: u32) -> Record {
        let mut password = field("pw", "hunter2", "Password", 300);
        password.password = true;
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![password],
        );
        Record::Step(TrajectoryStep {
            step: number,
            snapshot: Some(snapshot(vec![window(
                1,
                WindowType::Application,
                "com.example",
                root,
            )])),
            action: "type 1 \"{secret:pin}\"".into(),
            ..TrajectoryStep::default()
        })
    }

    fn temp_path(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("lobster-{name}-{}.pb", std::process::id()))
    }

    #[test]
    fn records_round_trip_and_passwords_are_scrubbed() {
        let path = temp_path("traj");
        let mut writer = TrajectoryWriter::create(&path).unwrap();
        writer
            .append(Record::Header(TrajectoryHeader {
                goal: "Log in".into(),
                ..TrajectoryHeader::default()
            }))
            .unwrap();
        writer.append(step(1)).unwrap();
        writer.append(step(2)).unwrap();
        let read = read_trajectory(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(read.header.unwrap().goal, "Log in");
        assert_eq!(read.steps.len(), 2);
        assert!(read.end.is_none() && !read.torn);
        let bytes = format!("{:?}", read.steps);
        assert!(!bytes.contains("hunter2"));
        assert_eq!(read.steps[0].action, "type 1 \"{secret:pin}\"");
    }

    #[test]
    fn a_torn_last_record_keeps_the_complete_ones() {
        let mut bytes = Vec::new();
        for number in 1..=3 {
            let record = TrajectoryRecord {
                record: Some(step(number)),
            };
            bytes.extend(record.encode_length_delimited_to_vec());
        }
        for cut in [bytes.len() - 1, bytes.len() - 40, bytes.len() / 3 * 2 + 1] {
            let read = parse_trajectory(&bytes[..cut]).unwrap();
            assert!(read.torn, "cut at {cut}");
            assert!(
                !read.steps.is_empty() && read.steps.len() < 3,
                "cut at {cut}"
            );
        }
        assert_eq!(parse_trajectory(&bytes).unwrap().steps.len(), 3);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let garbage: Vec<u8> = (0..5_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        for end in [1, 10, 100, garbage.len()] {
            let _ = parse_trajectory(&garbage[..end]);
        }
        assert!(matches!(
            parse_trajectory(&[3, 0xff, 0xff, 0xff]),
            Err(TrajectoryError::Corrupt { .. })
        ));
    }
}

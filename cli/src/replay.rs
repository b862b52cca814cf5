//! `lobster replay FILE`: a trajectory, one readable block per step.
//!
//! Works on files cut short by a killed process: every complete step is printed, and the end
//! says the task did not finish.

use std::path::Path;

use anyhow::{Context, Result};
use lobster_core::agent::trajectory::{TrajectoryStep, read_trajectory};
use lobster_core::screen::{EncodedScreen, encode};

/// Prints the trajectory at `path`.
pub fn replay(path: &Path, show_screens: bool) -> Result<()> {
    let trajectory =
        read_trajectory(path).with_context(|| format!("replaying {}", path.display()))?;
    let mut out = String::new();
    match &trajectory.header {
        Some(header) => {
            out.push_str(&format!("goal: {}\n", header.goal));
            if !header.plan.is_empty() {
                out.push_str(&format!("plan:\n{}\n", indent(&header.plan)));
            }
        }
        None => out.push_str("(no header)\n"),
    }
    // Screens are encoded in sequence, as the loop encoded them, so ids match the actions.
    let mut previous = None;
    for step in &trajectory.steps {
        out.push_str(&step_block(step, show_screens, &mut previous));
    }
    match &trajectory.end {
        Some(end) if end.detail.is_empty() => out.push_str(&format!(
            "end: {} after {} steps in {} ms\n",
            end.status, end.steps, end.elapsed_ms
        )),
        Some(end) => out.push_str(&format!(
            "end: {} ({}) after {} steps in {} ms\n",
            end.status, end.detail, end.steps, end.elapsed_ms
        )),
        None if trajectory.torn => {
            out.push_str("end: none — the file was cut mid-record (the process was killed)\n")
        }
        None => out.push_str("end: none — the process stopped before the task ended\n"),
    }
    print!("{out}");
    Ok(())
}

fn step_block(
    step: &TrajectoryStep,
    show_screens: bool,
    previous: &mut Option<EncodedScreen>,
) -> String {
    let mut block = format!(
        "step {}: {}  [{}{}]\n",
        step.step,
        step.action,
        step.planner,
        if step.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", step.reason)
        }
    );
    let timings = step.timings.unwrap_or_default();
    block.push_str(&format!(
        "  guard: {}; outcome: {}; verified: {}\n  screen ≈{} tokens; observe {} µs, encode {} µs, plan {} µs, act {} µs\n",
        step.guard,
        if step.outcome.is_empty() { "-" } else { &step.outcome },
        if step.verification.is_empty() { "-" } else { &step.verification },
        step.screen_tokens,
        timings.observe_us,
        timings.encode_us,
        timings.plan_us,
        timings.act_us,
    ));
    if show_screens && let Some(snapshot) = &step.snapshot {
        let encoded = encode(snapshot, previous.as_ref());
        block.push_str(&indent(&encoded.text));
        block.push('\n');
        *previous = Some(encoded);
    }
    block
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

package dev.lobster.jvmtests

import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.PlannerConfig

/**
 * The planner modes every whole-task test runs with. A mode is a way to get the same actions
 * chosen on the Notes screen; the script mode replays them. The local planner on a tiny
 * generated model is the next case to add here once `LocalPlanner` is in lobster-core.
 */
object PlannerModes {
    /** A named way of configuring the agent for a list of actions. */
    class Mode(val name: String, val config: (List<String>) -> AgentConfig)

    /** Every mode this build can run. */
    val all: List<Mode> = listOf(
        Mode("script") { lines -> AgentConfig(planner = PlannerConfig.Script(lines)) },
    )
}

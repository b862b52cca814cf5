package dev.lobster.jvmtests

import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.CloudPlannerConfig
import dev.lobster.ffi.PlannerConfig

/**
 * The planner modes every whole-task test runs with. A mode is a way to get the same actions
 * chosen on the Notes screen: the script mode replays them in Rust; the cloud mode has the
 * cloud planner fetch them over real HTTP from [ScriptedOpenAiServer] on 127.0.0.1. The local
 * planner on the tiny generated model chooses its own actions, so it has tests of its own
 * ([LocalModelTest]).
 */
object PlannerModes {
    /** A named way of configuring the agent for a list of actions. */
    class Mode(val name: String, val config: (List<String>) -> AgentConfig)

    /** The key the cloud mode sends; it must appear in the `Authorization` header only. */
    const val CLOUD_KEY = "sk-jvm-test-3f9a"

    /** The server behind the cloud mode, for the life of the test JVM. */
    val cloudServer: ScriptedOpenAiServer by lazy { ScriptedOpenAiServer() }

    /** A cloud planner configuration for [server]. */
    fun cloud(server: ScriptedOpenAiServer): CloudPlannerConfig =
        CloudPlannerConfig(endpoint = server.endpoint, model = "scripted", apiKey = CLOUD_KEY)

    /**
     * Whether the library has the model planners (`bindings/jvm-tests/run` passes
     * `-Dlobster.modelPlanners=off` for a build without default features).
     */
    val modelPlanners: Boolean = System.getProperty("lobster.modelPlanners") != "off"

    /** Every mode this build can run. */
    val all: List<Mode> = listOfNotNull(
        Mode("script") { lines -> AgentConfig(planner = PlannerConfig.Script(lines)) },
        Mode("cloud") { lines ->
            cloudServer.script(lines)
            AgentConfig(planner = PlannerConfig.Cloud(cloud(cloudServer)))
        }.takeIf { modelPlanners },
    )
}

package dev.lobster.app

import android.content.Context
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.CloudPlannerConfig
import dev.lobster.ffi.LocalPlannerConfig
import dev.lobster.ffi.PlannerConfig
import dev.lobster.ffi.Policy

/**
 * The sample app's settings: which planner, the model file, the cloud endpoint. Stored in the
 * app's private preferences; the API key never leaves them except into the agent.
 */
data class AssistantSettings(
    /** `local`, `cloud` or `hybrid`. */
    val mode: String = "local",
    /** Path of the GGUF model on the device. */
    val modelPath: String = "",
    /** OpenAI-compatible endpoint. */
    val endpoint: String = "",
    /** Cloud model name. */
    val cloudModel: String = "",
    /** Cloud API key. */
    val apiKey: String = "",
) {
    /** The agent configuration these settings describe. */
    fun toConfig(): AgentConfig {
        val local = LocalPlannerConfig(modelPath = modelPath)
        val cloud = CloudPlannerConfig(endpoint = endpoint, model = cloudModel, apiKey = apiKey.ifEmpty { null })
        val planner = when (mode) {
            "cloud" -> PlannerConfig.Cloud(cloud)
            "hybrid" -> PlannerConfig.Hybrid(local, cloud)
            else -> PlannerConfig.Local(local)
        }
        return AgentConfig(planner = planner, policy = Policy())
    }

    /** Saves them. */
    fun save(context: Context) {
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit()
            .putString("mode", mode)
            .putString("modelPath", modelPath)
            .putString("endpoint", endpoint)
            .putString("cloudModel", cloudModel)
            .putString("apiKey", apiKey)
            .apply()
    }

    companion object {
        private const val PREFS = "lobster-settings"

        /** The saved settings, or the defaults. */
        fun load(context: Context): AssistantSettings {
            val prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)
            return AssistantSettings(
                mode = prefs.getString("mode", "local") ?: "local",
                modelPath = prefs.getString("modelPath", "") ?: "",
                endpoint = prefs.getString("endpoint", "") ?: "",
                cloudModel = prefs.getString("cloudModel", "") ?: "",
                apiKey = prefs.getString("apiKey", "") ?: "",
            )
        }
    }
}

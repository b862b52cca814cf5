package dev.lobster.app

import android.content.Context
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.CloudPlannerConfig
import dev.lobster.ffi.LocalPlannerConfig
import dev.lobster.ffi.PlannerConfig
import dev.lobster.ffi.Policy

/**
 * The sample app's settings: which planner, the model file, the cloud endpoint. Stored in the
 * app's private preferences; the API key only sealed by a key in the Android Keystore
 * ([SecretBox]), and it never leaves them except into the agent.
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

    /** Saves them, the API key sealed by [box]. */
    fun save(context: Context, box: SecretBox = SecretBox.androidKeystore()) {
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit()
            .putString("mode", mode)
            .putString("modelPath", modelPath)
            .putString("endpoint", endpoint)
            .putString("cloudModel", cloudModel)
            .putString(SEALED_KEY, if (apiKey.isEmpty()) "" else box.seal(apiKey))
            .remove(PLAIN_KEY)
            .apply()
    }

    companion object {
        private const val PREFS = "lobster-settings"
        private const val SEALED_KEY = "apiKeySealed"
        /** Where earlier versions kept the key in plain text; read once, then replaced. */
        private const val PLAIN_KEY = "apiKey"

        /** The saved settings, or the defaults; the API key opened by [box]. */
        fun load(context: Context, box: SecretBox = SecretBox.androidKeystore()): AssistantSettings {
            val prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)
            val sealed = prefs.getString(SEALED_KEY, "") ?: ""
            val plain = prefs.getString(PLAIN_KEY, null)
            return AssistantSettings(
                mode = prefs.getString("mode", "local") ?: "local",
                modelPath = prefs.getString("modelPath", "") ?: "",
                endpoint = prefs.getString("endpoint", "") ?: "",
                cloudModel = prefs.getString("cloudModel", "") ?: "",
                apiKey = plain ?: (if (sealed.isEmpty()) "" else box.open(sealed) ?: ""),
            ).also { if (plain != null) it.save(context, box) }
        }
    }
}

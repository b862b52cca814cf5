package dev.lobster.app

import android.content.Context
import dev.lobster.android.Models
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.CloudPlannerConfig
import dev.lobster.ffi.LocalPlannerConfig
import dev.lobster.ffi.PlannerConfig
import dev.lobster.ffi.Policy

/**
 * The sample app's settings: which planner, the on-device model, the cloud endpoint. Stored in
 * the app's private preferences; the API key only sealed by a key in the Android Keystore
 * ([SecretBox]), and it never leaves them except into the agent. The model is a name of the
 * model store ([Models]); its file is looked up when a task starts.
 */
data class AssistantSettings(
    /** `local`, `cloud` or `hybrid`. */
    val mode: String = "local",
    /** The chosen model's name in the model store; empty: the default for this phone's memory. */
    val modelName: String = "",
    /** OpenAI-compatible endpoint. */
    val endpoint: String = "",
    /** Cloud model name. */
    val cloudModel: String = "",
    /** Cloud API key. */
    val apiKey: String = "",
) {
    /** Whether these settings run a model on the phone. */
    val usesLocalModel: Boolean get() = mode != "cloud"

    /**
     * The chosen model, or the default for this phone when none was chosen; null when no model
     * suits the phone.
     */
    fun effectiveModel(context: Context): String? =
        modelName.ifEmpty { null } ?: Models.defaultFor(context)?.name

    /** The installed file of [effectiveModel], or null when it is not downloaded. */
    fun modelPath(context: Context): String? {
        val name = effectiveModel(context) ?: return null
        return Models.store(context).use { it.installedPath(name) }
    }

    /**
     * The agent configuration these settings describe, with the model file at [modelPath], the
     * tools the user allowed once and for all ([ToolGrants]), the phone's total memory
     * [deviceRamBytes] (it sizes the model's context and cache; 0 when unknown) and
     * [promptCacheDir], where the model's evaluated system prompts are kept between tasks (null:
     * not kept).
     */
    fun toConfig(
        modelPath: String,
        grantedTools: List<String> = emptyList(),
        deviceRamBytes: Long = 0,
        promptCacheDir: String? = null,
    ): AgentConfig {
        val local = LocalPlannerConfig(
            modelPath = modelPath,
            deviceRamBytes = deviceRamBytes.takeIf { it > 0 },
            promptCacheDir = promptCacheDir,
        )
        val cloud = CloudPlannerConfig(endpoint = endpoint, model = cloudModel, apiKey = apiKey.ifEmpty { null })
        val planner = when (mode) {
            "cloud" -> PlannerConfig.Cloud(cloud)
            "hybrid" -> PlannerConfig.Hybrid(local, cloud)
            else -> PlannerConfig.Local(local)
        }
        return AgentConfig(planner = planner, policy = Policy(grantedTools = grantedTools))
    }

    /** Saves them, the API key sealed by [box]. */
    fun save(context: Context, box: SecretBox = SecretBox.androidKeystore()) {
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit()
            .putString("mode", mode)
            .putString("modelName", modelName)
            .remove(OLD_MODEL_PATH)
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
        /** Where earlier versions kept a typed model path; models now come from the store. */
        private const val OLD_MODEL_PATH = "modelPath"

        /** The saved settings, or the defaults; the API key opened by [box]. */
        fun load(context: Context, box: SecretBox = SecretBox.androidKeystore()): AssistantSettings {
            val prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)
            val sealed = prefs.getString(SEALED_KEY, "") ?: ""
            val plain = prefs.getString(PLAIN_KEY, null)
            return AssistantSettings(
                mode = prefs.getString("mode", "local") ?: "local",
                modelName = prefs.getString("modelName", "") ?: "",
                endpoint = prefs.getString("endpoint", "") ?: "",
                cloudModel = prefs.getString("cloudModel", "") ?: "",
                apiKey = plain ?: (if (sealed.isEmpty()) "" else box.open(sealed) ?: ""),
            ).also { if (plain != null) it.save(context, box) }
        }
    }
}

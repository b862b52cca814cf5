package dev.lobster.app

import android.app.Activity
import android.content.Intent
import android.os.Bundle
import android.text.InputType
import android.view.View
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.RadioButton
import android.widget.RadioGroup
import android.widget.ScrollView
import android.widget.TextView
import dev.lobster.android.ModelDownloadService
import dev.lobster.android.Models
import dev.lobster.android.toolcatalog.ToolAvailability
import dev.lobster.android.tools.AndroidAbilities
import dev.lobster.android.download.DownloadBoard
import dev.lobster.android.download.DownloadBoard.Status
import dev.lobster.android.download.DownloadText
import dev.lobster.ffi.ModelInfo
import dev.lobster.ffi.ModelStoreException

/**
 * Model and cloud settings: the planner mode; the on-device model, chosen from the model
 * store's list (each with its size, quantisation and RAM tier; download, cancel, resume and
 * delete; the default picked by this phone's memory); the cloud endpoint, model and key.
 *
 * Downloads run in [ModelDownloadService] (a foreground service with a progress notification),
 * not here: they go on when this screen closes. The screen follows them through
 * [ModelDownloadService.board].
 */
class SettingsActivity : Activity(), DownloadBoard.Observer {
    private lateinit var modelRows: LinearLayout
    private lateinit var toolRows: LinearLayout
    private lateinit var memory: TextView
    /** The model that Save stores; initially the saved one, else the recommended one. */
    internal var chosen: String? = null
        private set
    /** The default for this phone's memory (null: none fits). */
    internal var recommended: String? = null
        private set
    private var models: List<ModelInfo> = emptyList()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setTitle("Lobster settings")
        val saved = AssistantSettings.load(this)
        val root = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(32, 32, 32, 32)
        }
        val modes = listOf("local" to "On-device model", "cloud" to "Cloud model", "hybrid" to "On-device, cloud when needed")
        val group = RadioGroup(this)
        val ids = modes.map { (mode, label) ->
            val button = RadioButton(this).apply {
                id = View.generateViewId()
                text = label
            }
            group.addView(button)
            button.id to mode
        }
        ids.firstOrNull { it.second == saved.mode }?.let { group.check(it.first) }
        root.addView(TextView(this).apply { text = "Planner" })
        root.addView(group)

        root.addView(TextView(this).apply { text = "On-device model" })
        memory = TextView(this)
        root.addView(memory)
        val ram = Models.totalRamBytes(this)
        recommended = modelsOrNull { it.defaultFor(ram) }?.name
        chosen = saved.modelName.ifEmpty { null } ?: recommended
        if (memory.text.isEmpty()) {
            memory.text = "This phone reports ${DownloadText.bytes(ram)} of memory; " +
                (recommended?.let { "$it suits it." } ?: "no on-device model suits it: use the cloud.")
        }
        modelRows = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        root.addView(modelRows)

        fun field(label: String, value: String, secret: Boolean = false): EditText {
            root.addView(TextView(this).apply { text = label })
            return EditText(this).apply {
                setText(value)
                setSingleLine(true)
                if (secret) inputType = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_PASSWORD
                root.addView(this)
            }
        }
        root.addView(TextView(this).apply { text = "Tools" })
        toolRows = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        root.addView(toolRows)

        val endpoint = field("Cloud endpoint (OpenAI-compatible)", saved.endpoint)
        val cloudModel = field("Cloud model", saved.cloudModel)
        val apiKey = field("API key", saved.apiKey, secret = true)
        root.addView(Button(this).apply {
            text = "Save"
            setOnClickListener {
                val mode = ids.firstOrNull { it.first == group.checkedRadioButtonId }?.second ?: "local"
                AssistantSettings(
                    mode = mode,
                    modelName = chosen ?: "",
                    endpoint = endpoint.text.toString().trim(),
                    cloudModel = cloudModel.text.toString().trim(),
                    apiKey = apiKey.text.toString(),
                ).save(this@SettingsActivity)
                finish()
            }
        })
        setContentView(ScrollView(this).apply { addView(root) })
    }

    override fun onResume() {
        super.onResume()
        ModelDownloadService.board.observe(this)
        refresh()
        renderTools()
    }

    /**
     * What the user could grant to enable more tools (a runtime permission is requested here, a
     * Settings access opens its page), and the tools allowed once and for all, each revocable.
     */
    internal fun renderTools() {
        toolRows.removeAllViews()
        for (grant in ToolAvailability(AndroidAbilities(this)).grants()) {
            toolRows.addView(Button(this).apply {
                text = grant.text
                tag = "grant:" + grant.tools.joinToString(",")
                setOnClickListener {
                    grant.permission?.let { requestPermissions(arrayOf(it), TOOL_PERMISSION_REQUEST) }
                    grant.settingsAction?.let { action -> startActivity(Intent(action)) }
                }
            })
        }
        val grants = ToolGrants(this)
        val granted = grants.granted()
        toolRows.addView(TextView(this).apply {
            text = if (granted.isEmpty()) "No tool is allowed without asking." else "Allowed without asking again:"
        })
        for (tool in granted) {
            toolRows.addView(Button(this).apply {
                text = "Revoke $tool"
                tag = "revoke:$tool"
                setOnClickListener {
                    grants.revoke(tool)
                    renderTools()
                }
            })
        }
    }

    override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
        super.onRequestPermissionsResult(requestCode, permissions, grantResults)
        if (requestCode == TOOL_PERMISSION_REQUEST) renderTools()
    }

    override fun onPause() {
        ModelDownloadService.board.unobserve(this)
        super.onPause()
    }

    /** A download changed: progress redraws the rows; an end re-reads the store. */
    override fun onChanged(name: String, status: Status) {
        if (isDestroyed) return
        if (status is Status.Running) render() else refresh()
    }

    /** The row of [name] (tagged with it), for tests. */
    internal fun rowOf(name: String): LinearLayout? = modelRows.findViewWithTag(name)

    /** Re-reads the models and their state from the store, then redraws. */
    private fun refresh() {
        models = modelsOrNull { it.models() } ?: emptyList()
        render()
    }

    private fun <T> modelsOrNull(read: (dev.lobster.ffi.ModelStore) -> T): T? = try {
        Models.store(this).use(read)
    } catch (error: ModelStoreException) {
        memory.text = "The model store cannot be read: ${error.message}"
        null
    }

    private fun render() {
        modelRows.removeAllViews()
        for (model in models) modelRows.addView(row(model))
    }

    private fun row(model: ModelInfo): LinearLayout {
        val status = ModelDownloadService.board.status(model.name)
        val downloading = model.downloading || status is Status.Running || status is Status.Queued
        val installed = model.installedPath != null
        val row = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            tag = model.name
            setPadding(0, 16, 0, 16)
        }
        val size = model.sizeBytes?.let { DownloadText.bytes(it) } ?: "size unknown"
        val marks = listOfNotNull(
            "in use".takeIf { model.name == chosen },
            "recommended for this phone".takeIf { model.name == recommended },
        )
        row.addView(TextView(this).apply {
            text = model.name + if (marks.isEmpty()) "" else " (${marks.joinToString(", ")})"
        })
        row.addView(TextView(this).apply {
            text = "$size · ${model.quant} · for phones with ${model.ramTier.uppercase().replace("GB", " GB")} RAM or more"
        })
        row.addView(TextView(this).apply { text = state(model, status, installed, downloading) })
        val buttons = LinearLayout(this).apply { orientation = LinearLayout.HORIZONTAL }
        buttons.addView(Button(this).apply {
            text = "Use"
            isEnabled = model.name != chosen
            setOnClickListener {
                chosen = model.name
                render()
            }
        })
        buttons.addView(Button(this).apply {
            when {
                downloading -> {
                    text = "Cancel"
                    setOnClickListener { ModelDownloadService.cancel(this@SettingsActivity, model.name) }
                }
                installed -> {
                    text = "Download"
                    isEnabled = false
                }
                else -> {
                    text = if (model.partialBytes > 0) "Resume" else "Download"
                    setOnClickListener {
                        ModelDownloadService.board.set(model.name, Status.Queued)
                        ModelDownloadService.download(this@SettingsActivity, model.name)
                    }
                }
            }
        })
        buttons.addView(Button(this).apply {
            text = "Delete"
            isEnabled = !downloading && (installed || model.partialBytes > 0)
            setOnClickListener {
                modelsOrNull { it.delete(model.name) }
                ModelDownloadService.board.forget(model.name)
                refresh()
            }
        })
        row.addView(buttons)
        return row
    }

    private fun state(model: ModelInfo, status: Status?, installed: Boolean, downloading: Boolean): String = when {
        status is Status.Running -> "Downloading: " + DownloadText.progress(status.progress)
        downloading -> "Waiting to download"
        installed -> "Downloaded"
        status is Status.Stopped && !status.cancelled -> status.message
        model.partialBytes > 0 -> "Paused at ${DownloadText.bytes(model.partialBytes)}" +
            (model.sizeBytes?.let { " of ${DownloadText.bytes(it)}" } ?: "") + "; Resume goes on from there"
        else -> "Not downloaded"
    }

    private companion object {
        const val TOOL_PERMISSION_REQUEST = 2
    }
}

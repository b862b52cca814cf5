package dev.lobster.app

import android.app.Activity
import android.os.Bundle
import android.text.InputType
import android.view.View
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.RadioButton
import android.widget.RadioGroup
import android.widget.TextView

/** Model and cloud settings: planner mode, model path, endpoint, model name, API key. */
class SettingsActivity : Activity() {
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
        fun field(label: String, value: String, secret: Boolean = false): EditText {
            root.addView(TextView(this).apply { text = label })
            return EditText(this).apply {
                setText(value)
                setSingleLine(true)
                if (secret) inputType = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_PASSWORD
                root.addView(this)
            }
        }
        val modelPath = field("Model file (GGUF) on this phone", saved.modelPath)
        val endpoint = field("Cloud endpoint (OpenAI-compatible)", saved.endpoint)
        val cloudModel = field("Cloud model", saved.cloudModel)
        val apiKey = field("API key", saved.apiKey, secret = true)
        root.addView(Button(this).apply {
            text = "Save"
            setOnClickListener {
                val mode = ids.firstOrNull { it.first == group.checkedRadioButtonId }?.second ?: "local"
                AssistantSettings(
                    mode = mode,
                    modelPath = modelPath.text.toString().trim(),
                    endpoint = endpoint.text.toString().trim(),
                    cloudModel = cloudModel.text.toString().trim(),
                    apiKey = apiKey.text.toString(),
                ).save(this@SettingsActivity)
                finish()
            }
        })
        setContentView(root)
    }
}

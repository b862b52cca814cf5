package dev.lobster.sample.todo

import android.app.Activity
import android.os.Bundle
import android.view.ViewGroup
import android.widget.ArrayAdapter
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.ListView

/**
 * The to-do list's one screen: a field and Add, then the tasks (tap one to mark it done). The
 * agent changes the same list through [TodoActionProvider]; the screen follows.
 */
class MainActivity : Activity() {
    private lateinit var adapter: ArrayAdapter<String>
    private lateinit var store: TodoStore
    private val changed: () -> Unit = { runOnUiThread { show() } }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        store = TodoStore.of(this)
        val field = EditText(this).apply { hint = "New task" }
        val add = Button(this).apply { text = "Add" }
        adapter = ArrayAdapter(this, android.R.layout.simple_list_item_1, mutableListOf())
        val list = ListView(this).apply {
            adapter = this@MainActivity.adapter
            setOnItemClickListener { _, _, position, _ ->
                store.tasks().getOrNull(position)?.takeIf { !it.done }?.let { store.complete(it.title) }
            }
        }
        add.setOnClickListener {
            val title = field.text.toString().trim()
            if (title.isNotEmpty()) {
                store.add(title)
                field.text.clear()
            }
        }
        setContentView(
            LinearLayout(this).apply {
                orientation = LinearLayout.VERTICAL
                addView(field, ViewGroup.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.WRAP_CONTENT))
                addView(add)
                addView(list, ViewGroup.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.MATCH_PARENT))
            },
        )
        store.addListener(changed)
        show()
    }

    override fun onDestroy() {
        store.removeListener(changed)
        super.onDestroy()
    }

    private fun show() {
        adapter.clear()
        adapter.addAll(store.tasks().map { if (it.done) "✓ ${it.title}" else it.title })
    }
}

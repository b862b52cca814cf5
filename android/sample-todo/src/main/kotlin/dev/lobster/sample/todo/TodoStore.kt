package dev.lobster.sample.todo

import android.content.Context
import android.content.SharedPreferences
import org.json.JSONArray
import org.json.JSONObject

/** One task of the list. */
data class Task(val id: Int, val title: String, val done: Boolean)

/**
 * The to-do list, kept in the app's shared preferences as JSON. Thread-safe: the screen and
 * the action provider's worker threads use it at once.
 */
class TodoStore private constructor(private val app: Context, private val prefs: SharedPreferences) {
    private val listeners = mutableListOf<() -> Unit>()

    /** Every task, oldest first. */
    @Synchronized
    fun tasks(): List<Task> {
        val array = JSONArray(prefs.getString(KEY_TASKS, "[]") ?: "[]")
        return (0 until array.length()).map { i ->
            val item = array.getJSONObject(i)
            Task(item.getInt("id"), item.getString("title"), item.getBoolean("done"))
        }
    }

    /** Adds an open task titled [title]. */
    @Synchronized
    fun add(title: String): Task {
        val task = Task(prefs.getInt(KEY_NEXT_ID, 1), title, false)
        save(tasks() + task, task.id + 1)
        return task
    }

    /** Marks the first open task titled [title] (any case) done; null when there is none. */
    @Synchronized
    fun complete(title: String): Task? {
        val all = tasks()
        val task = all.firstOrNull { !it.done && it.title.equals(title.trim(), ignoreCase = true) } ?: return null
        save(all.map { if (it.id == task.id) it.copy(done = true) else it })
        return task.copy(done = true)
    }

    /** Deletes the done tasks; how many. */
    @Synchronized
    fun clearCompleted(): Int {
        val all = tasks()
        val kept = all.filterNot { it.done }
        save(kept)
        return all.size - kept.size
    }

    /** Calls [listener] on the thread that changed the list, after each change. */
    @Synchronized
    fun addListener(listener: () -> Unit) {
        listeners += listener
    }

    /** Stops calling [listener]. */
    @Synchronized
    fun removeListener(listener: () -> Unit) {
        listeners -= listener
    }

    private fun save(tasks: List<Task>, nextId: Int = prefs.getInt(KEY_NEXT_ID, 1)) {
        val array = JSONArray()
        for (task in tasks) array.put(JSONObject().put("id", task.id).put("title", task.title).put("done", task.done))
        prefs.edit().putString(KEY_TASKS, array.toString()).putInt(KEY_NEXT_ID, nextId).apply()
        listeners.toList().forEach { it() }
    }

    companion object {
        private const val PREFS = "todo"
        private const val KEY_TASKS = "tasks"
        private const val KEY_NEXT_ID = "next_id"

        @Volatile private var instance: TodoStore? = null

        /** The app's list. */
        @JvmStatic
        fun of(context: Context): TodoStore {
            val app = context.applicationContext ?: context
            instance?.takeIf { it.app === app }?.let { return it }
            return synchronized(this) {
                instance?.takeIf { it.app === app }
                    ?: TodoStore(app, app.getSharedPreferences(PREFS, Context.MODE_PRIVATE)).also { instance = it }
            }
        }
    }
}

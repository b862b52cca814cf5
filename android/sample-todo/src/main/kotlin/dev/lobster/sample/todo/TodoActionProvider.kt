package dev.lobster.sample.todo

import dev.lobster.sdk.ActionResult
import dev.lobster.sdk.ErrorCode
import dev.lobster.sdk.LobsterActionProvider
import dev.lobster.sdk.LobsterActions
import org.json.JSONArray
import org.json.JSONObject

/**
 * The to-do list's actions for the Lobster agent, as declared in `res/raw/lobster_actions.json`
 * (check it with `lobster actions check`): add_task, complete_task, list_tasks (reads, returns
 * the tasks) and clear_completed (irreversible: the agent always asks the user first). Which
 * agents may call is the manifest's `dev.lobster.sdk.ALLOWED_AGENTS` (the SDK checks it).
 */
class TodoActionProvider : LobsterActionProvider() {
    private val store: TodoStore get() = TodoStore.of(checkNotNull(context))

    override fun registerActions(actions: LobsterActions) {
        actions.register("add_task") { args, _ ->
            val title = title(args) ?: return@register ActionResult.error(ErrorCode.INVALID_ARGUMENT, "title must be 1 to $MAX_TITLE characters")
            val task = store.add(title)
            ActionResult.success(JSONObject().put("id", task.id).put("title", task.title))
        }
        actions.register("complete_task") { args, _ ->
            val title = title(args) ?: return@register ActionResult.error(ErrorCode.INVALID_ARGUMENT, "title must be 1 to $MAX_TITLE characters")
            if (store.complete(title) == null) {
                ActionResult.error(ErrorCode.NOT_FOUND, "no open task has this title; call todo.list_tasks to see them")
            } else {
                ActionResult.done()
            }
        }
        actions.register("list_tasks") { args, _ ->
            val all = args.optBoolean("include_completed", false)
            val tasks = JSONArray()
            for (task in store.tasks()) {
                if (all || !task.done) tasks.put(JSONObject().put("title", task.title).put("done", task.done))
            }
            ActionResult.success(JSONObject().put("tasks", tasks))
        }
        actions.register("clear_completed") { _, call ->
            if (call.isCancelled) return@register ActionResult.error(ErrorCode.CANCELLED, "nothing was deleted")
            ActionResult.success(JSONObject().put("removed", store.clearCompleted()))
        }
    }

    private fun title(args: JSONObject): String? =
        args.optString("title", "").trim().takeIf { it.isNotEmpty() && it.length <= MAX_TITLE }

    private companion object {
        const val MAX_TITLE = 120
    }
}

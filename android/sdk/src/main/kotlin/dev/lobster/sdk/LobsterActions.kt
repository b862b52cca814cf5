package dev.lobster.sdk

import org.json.JSONObject
import java.util.concurrent.ConcurrentHashMap

/**
 * An action's implementation: the arguments (a JSON object the agent already checked against
 * the declared schema; check what your code relies on anyway) and the call in, a result out.
 * Runs on a worker thread of the provider, never the main thread. An exception it throws is
 * answered as [ErrorCode.FAILED] with no message (messages may carry the user's data).
 */
fun interface ActionHandler {
    /** Does the action. */
    fun handle(args: JSONObject, call: CallContext): ActionResult
}

/** The app's actions by id, as declared in its declaration resource. */
class LobsterActions {
    private val handlers = ConcurrentHashMap<String, ActionHandler>()

    /** Registers [handler] for the declared action [id] (`add_task`); a second one replaces the first. */
    fun register(id: String, handler: ActionHandler): LobsterActions {
        require(ID.matches(id)) { "an action id is lower_snake_case: $id" }
        handlers[id] = handler
        return this
    }

    /** The handler of [id], if registered. */
    fun handler(id: String): ActionHandler? = handlers[id]

    /** The registered ids, sorted. */
    fun ids(): List<String> = handlers.keys.sorted()

    private companion object {
        val ID = Regex("[a-z][a-z0-9_]{0,39}")
    }
}

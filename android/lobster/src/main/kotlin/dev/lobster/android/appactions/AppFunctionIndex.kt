package dev.lobster.android.appactions

import android.app.appsearch.GenericDocument
import android.util.Log
import androidx.annotation.RequiresApi
import dev.lobster.ffi.ActionConfirmation
import dev.lobster.ffi.ActionSideEffect
import dev.lobster.ffi.AppActionInfo

/**
 * Android 16's app functions as the platform indexes them, read into the agent's model: one
 * [Entry] (an [AppActionInfo] and where to call it) per function this agent may call.
 *
 * The index lives in AppSearch, written by the system (package `android`; the layout is that of
 * the platform's `AppFunctionStaticMetadataHelper` and `AppFunctionRuntimeMetadata`, hidden from
 * the SDK and so spelled out here):
 * - database `apps-db`, namespace [STATIC_NAMESPACE]: per function a document of schema type
 *   `AppFunctionStaticMetadata-PACKAGE` with `functionId`, `packageName`, `enabledByDefault`,
 *   `restrictCallersWithExecuteAppFunctions` and, from Jetpack's `appfunctions` compiler,
 *   `description`, `parameters` (each `name`, `isRequired`, `dataTypeMetadata`), `response`
 *   (`valueType`) and `schemaName`/`schemaCategory`; a package's shared data types in
 *   `AppFunctionComponentMetadataDocument-PACKAGE` documents (`dataTypes`, each `name` and
 *   `dataTypeMetadata`), which references name;
 * - database `appfunctions-db`, namespace [RUNTIME_NAMESPACE]: per function the state its app
 *   set at run time, `AppFunctionRuntimeMetadata-PACKAGE` with `enabled` (0 as declared, 1 on,
 *   2 off).
 *
 * What the agent makes of a function:
 * - left out when it is off, or restricted to callers trusted beyond `EXECUTE_APP_FUNCTIONS`
 *   (`restrictCallersWithExecuteAppFunctions`: this agent would be refused);
 * - named `PACKAGE.FUNCTION` in the syntax of app action names (`[a-z][a-z0-9_.]*`): the
 *   package's last segment that says something (`com.example.notes.app` → `notes`; two
 *   packages alike take more segments), and the function id's method (`…NoteFunctions#createNote`
 *   → `create_note`; two alike in one package get `_2`, `_3` in id order);
 * - described by its description, or for an older index without one by its id and schema;
 * - with a JSON Schema of its parameters only when every parameter's type has a faithful form
 *   ([AppFunctionType]); otherwise none (any object), and the arguments go by their JSON types;
 * - side effect [ActionSideEffect.REVERSIBLE] and confirmation [ActionConfirmation.ALWAYS]: the
 *   platform's metadata says nothing of what a function changes, so the agent cannot tell a read
 *   from a payment and asks the user before every call.
 */
@RequiresApi(36)
internal object AppFunctionIndex {
    /** The package whose AppSearch databases hold the index. */
    const val INDEXER_PACKAGE: String = "android"

    /** The namespace of the static metadata (functions and shared types). */
    const val STATIC_NAMESPACE: String = "app_functions"

    /** The namespace of the runtime state (enabled or not). */
    const val RUNTIME_NAMESPACE: String = "app_functions_runtime"

    private const val STATIC_SCHEMA = "AppFunctionStaticMetadata-"
    private const val COMPONENTS_SCHEMA = "AppFunctionComponentMetadataDocument-"
    private const val RUNTIME_SCHEMA = "AppFunctionRuntimeMetadata-"
    private const val STATE_ENABLED = 1L
    private const val STATE_DISABLED = 2L
    private const val TYPE_ARRAY = 10L
    private const val MAX_NAME_PART = 40
    private const val MAX_DESCRIPTION = 500
    private const val TAG = "lobster"

    /** Package tails that name no app (`….app`, `….android`): the segment before them does. */
    private val GENERIC_SEGMENTS = setOf("android", "app", "apps", "application", "client", "mobile", "main", "free", "pro", "lite")

    /** One callable function: what the planner sees and where the call goes. */
    class Entry(
        /** The action as the planner sees it. */
        val info: AppActionInfo,
        /** The package that runs it. */
        val packageName: String,
        /** The platform's id of the function in its package. */
        val functionId: String,
        /** Each parameter's type, or null when not all are known (arguments go by JSON type). */
        val parameters: Map<String, AppFunctionType>?,
        /** Whether the function returns a list (its result is shown as a JSON array). */
        val returnsList: Boolean,
    )

    /** The callable functions among the index's [documents] (static and runtime, in any order). */
    fun entries(documents: List<GenericDocument>): List<Entry> {
        val statics = documents.filter { it.schemaType.startsWith(STATIC_SCHEMA) }
        val runtime = documents.filter { it.schemaType.startsWith(RUNTIME_SCHEMA) }
            .associate { key(it.getPropertyString("packageName"), it.getPropertyString("functionId")) to it.getPropertyLong("enabled") }
        val components = HashMap<String, MutableMap<String, GenericDocument>>()
        for (document in documents) {
            val pkg = when {
                document.schemaType.startsWith(COMPONENTS_SCHEMA) -> document.schemaType.removePrefix(COMPONENTS_SCHEMA)
                document.schemaType.startsWith(STATIC_SCHEMA) -> document.schemaType.removePrefix(STATIC_SCHEMA)
                else -> continue
            }
            // Shared types: their own documents, or (an older layout) the function's `components`.
            val holder = if (document.schemaType.startsWith(STATIC_SCHEMA)) document.getPropertyDocument("components") else document
            for (named in holder?.getPropertyDocumentArray("dataTypes").orEmpty()) {
                val name = named.getPropertyString("name") ?: continue
                val type = named.getPropertyDocument("dataTypeMetadata") ?: continue
                components.getOrPut(pkg) { HashMap() }[name] = type
            }
        }
        val callable = statics.mapNotNull { document ->
            val pkg = document.getPropertyString("packageName") ?: return@mapNotNull null
            val id = document.getPropertyString("functionId") ?: return@mapNotNull null
            when {
                !enabled(document, runtime[key(pkg, id)]) -> null
                document.getPropertyBoolean("restrictCallersWithExecuteAppFunctions") -> {
                    Log.i(TAG, "skipped app function $id of $pkg: only for trusted callers")
                    null
                }
                else -> Triple(pkg, id, document)
            }
        }.distinctBy { key(it.first, it.second) }.sortedWith(compareBy({ it.first }, { it.second }))
        val prefixes = packagePrefixes(callable.map { it.first }.distinct())
        val taken = HashSet<String>()
        return callable.mapNotNull { (pkg, id, document) ->
            val prefix = prefixes[pkg] ?: run {
                Log.w(TAG, "skipped app function $id of $pkg: no name left for its package")
                return@mapNotNull null
            }
            val base = "$prefix.${functionName(id)}"
            var name = base
            var suffix = 2
            while (name in taken) name = "${base}_${suffix++}"
            taken += name
            entry(name, pkg, id, document, components[pkg].orEmpty())
        }
    }

    private fun entry(name: String, pkg: String, id: String, document: GenericDocument, components: Map<String, GenericDocument>): Entry {
        val parameters = parameters(document, components)
        val schema = parameters?.let { (types, required) -> AppFunctionType.parametersSchema(types, required).toString() }
        val info = AppActionInfo(
            name = name,
            packageName = pkg,
            description = description(id, pkg, document),
            parametersJson = schema,
            sideEffect = ActionSideEffect.REVERSIBLE,
            confirmation = ActionConfirmation.ALWAYS,
        )
        val returnsList = document.getPropertyDocument("response")?.getPropertyDocument("valueType")?.getPropertyLong("type") == TYPE_ARRAY
        return Entry(info, pkg, id, parameters?.first, returnsList)
    }

    /** Each parameter's type and the required ones, or null when any type has no faithful form. */
    private fun parameters(document: GenericDocument, components: Map<String, GenericDocument>): Pair<Map<String, AppFunctionType>, List<String>>? {
        // Only Jetpack's compiler indexes parameters; it always indexes the response too, so a
        // document without one is an older index that does not say what the function takes.
        if (document.getPropertyDocument("response") == null) return null
        val types = LinkedHashMap<String, AppFunctionType>()
        val required = ArrayList<String>()
        for (parameter in document.getPropertyDocumentArray("parameters").orEmpty()) {
            val name = parameter.getPropertyString("name") ?: return null
            types[name] = AppFunctionType.read(parameter.getPropertyDocument("dataTypeMetadata"), components) ?: return null
            if (parameter.getPropertyBoolean("isRequired")) required += name
        }
        return types to required
    }

    /** Whether the function is on: its runtime state, else its declared default (on when unsaid). */
    private fun enabled(document: GenericDocument, state: Long?): Boolean = when (state) {
        STATE_ENABLED -> true
        STATE_DISABLED -> false
        else -> document.getProperty("enabledByDefault") == null || document.getPropertyBoolean("enabledByDefault")
    }

    private fun description(id: String, pkg: String, document: GenericDocument): String {
        val declared = document.getPropertyString("description")?.trim().orEmpty()
        if (declared.isNotEmpty()) return declared.take(MAX_DESCRIPTION)
        val schema = listOfNotNull(document.getPropertyString("schemaCategory"), document.getPropertyString("schemaName"))
            .filter { it.isNotBlank() }.joinToString("/")
        val implements = if (schema.isEmpty()) "" else " (it implements the platform schema $schema)"
        return "The app function $id of $pkg$implements; the app gives no description.".take(MAX_DESCRIPTION)
    }

    /** Each package's name prefix: its telling last segment, more segments where two agree. */
    private fun packagePrefixes(packages: List<String>): Map<String, String> {
        val taken = HashSet<String>()
        val prefixes = HashMap<String, String>()
        val byFirstChoice = packages.groupBy { prefixCandidates(it).first() }
        for (pkg in packages.sorted()) {
            val candidates = prefixCandidates(pkg)
            // A short name two packages would share goes to neither: both take longer ones.
            val choices = if (byFirstChoice[candidates.first()]!!.size > 1) candidates.drop(1) else candidates
            val prefix = choices.firstOrNull { it !in taken } ?: continue
            taken += prefix
            prefixes[pkg] = prefix
        }
        return prefixes
    }

    /** `com.example.notes.app` → `notes`, `example_notes`, `com_example_notes_app`. */
    private fun prefixCandidates(pkg: String): List<String> {
        val segments = pkg.split('.').map { identifier(it) }.filter { it.isNotEmpty() }
        val telling = segments.dropLastWhile { it in GENERIC_SEGMENTS && segments.size > 1 }.ifEmpty { segments }
        return listOfNotNull(
            telling.lastOrNull(),
            telling.takeLast(2).takeIf { it.size == 2 }?.joinToString("_"),
            segments.joinToString("_"),
        ).map { letterFirst(it).take(MAX_NAME_PART).trimEnd('_') }.distinct()
    }

    /** `com.example.notes.NoteFunctions#createNote` → `create_note`. */
    private fun functionName(id: String): String {
        val method = id.substringAfterLast('#').let { if ('#' in id) it else it.substringAfterLast('.') }
        return letterFirst(identifier(method)).take(MAX_NAME_PART).trimEnd('_')
    }

    /** Lower snake case of [text]: `createNote2` → `create_note2`, other characters `_`. */
    private fun identifier(text: String): String {
        val snake = StringBuilder()
        text.forEachIndexed { index, c ->
            if (c.isUpperCase() && index > 0 && (text[index - 1].isLowerCase() || text[index - 1].isDigit())) snake.append('_')
            snake.append(if (c in 'a'..'z' || c in '0'..'9') c else if (c in 'A'..'Z') c.lowercaseChar() else '_')
        }
        return snake.toString().replace(Regex("_+"), "_").trim('_')
    }

    private fun letterFirst(name: String): String = when {
        name.isEmpty() -> "function"
        name[0] in 'a'..'z' -> name
        else -> "f_$name"
    }

    private fun key(pkg: String?, id: String?): String = "$pkg/$id"
}

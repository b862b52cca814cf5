package dev.lobster.android.framework

import android.app.Application
import android.app.appfunctions.AppFunctionException
import android.app.appfunctions.AppFunctionManager
import android.app.appfunctions.ExecuteAppFunctionRequest
import android.app.appfunctions.ExecuteAppFunctionResponse
import android.app.appsearch.GenericDocument
import android.content.Context
import dev.lobster.android.appactions.AppActionDirectory
import dev.lobster.android.appactions.AppFunctionIndex
import dev.lobster.android.appactions.AppFunctionPlatform
import dev.lobster.android.appactions.AppFunctionReplies
import dev.lobster.android.appactions.AppFunctionSource
import dev.lobster.android.appactions.AppFunctionType
import dev.lobster.ffi.ActionConfirmation
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.ActionSideEffect
import org.json.JSONObject
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows
import org.robolectric.annotation.Config
import java.lang.reflect.Proxy
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * Android 16's app functions as app actions, on Robolectric's API 36 with the framework's own
 * classes: the index's documents built as the system indexes them (real `GenericDocument`s of
 * the platform's layout) read into actions, arguments into the parameters document the app
 * reads, results and every error category into outcomes, and calls through the real
 * `AppFunctionManager` — its system service scripted (the AIDL interface, reached by
 * reflection: it is hidden from the SDK) — with the time limit and cancellation. Below API 36
 * (`AppFunctionsBelow16Test`) and without the permission nothing is found or asked.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [36])
class AppFunctionsTest {
    private val context: Application = RuntimeEnvironment.getApplication()

    // The index, as the system writes it (AppFunctionStaticMetadataHelper's layout and
    // Jetpack's metadata documents).

    private fun builder(namespace: String, id: String, schemaType: String): GenericDocument.Builder<*> =
        GenericDocument.Builder<GenericDocument.Builder<*>>(namespace, id, schemaType)

    private fun type(code: Long, description: String? = null, nullable: Boolean = false, more: GenericDocument.Builder<*>.() -> Unit = {}): GenericDocument =
        builder("app_functions", "unused", "AppFunctionDataTypeMetadataDocument").apply {
            setPropertyLong("type", code)
            if (nullable) setPropertyBoolean("isNullable", true)
            description?.let { setPropertyString("description", it) }
            more()
        }.build()

    private fun named(name: String, type: GenericDocument): GenericDocument =
        builder("app_functions", "unused", "AppFunctionNamedDataTypeMetadataDocument").apply {
            setPropertyString("name", name)
            setPropertyDocument("dataTypeMetadata", type)
        }.build()

    private fun parameter(name: String, required: Boolean, type: GenericDocument): GenericDocument =
        builder("app_functions", "unused", "AppFunctionParameterMetadataDocument").apply {
            setPropertyString("name", name)
            setPropertyBoolean("isRequired", required)
            setPropertyDocument("dataTypeMetadata", type)
        }.build()

    private fun objectType(qualifiedName: String, required: List<String>, vararg properties: Pair<String, GenericDocument>) =
        type(OBJECT) {
            setPropertyString("objectQualifiedName", qualifiedName)
            setPropertyDocument("properties", *properties.map { named(it.first, it.second) }.toTypedArray())
            if (required.isNotEmpty()) setPropertyString("required", *required.toTypedArray())
        }

    private fun function(
        pkg: String,
        id: String,
        description: String? = null,
        parameters: List<GenericDocument>? = emptyList(),
        returns: GenericDocument? = type(UNIT),
        more: GenericDocument.Builder<*>.() -> Unit = {},
    ): GenericDocument = builder("app_functions", "$pkg/$id", "AppFunctionStaticMetadata-$pkg").apply {
        setPropertyString("functionId", id)
        setPropertyString("packageName", pkg)
        setPropertyBoolean("enabledByDefault", true)
        description?.let { setPropertyString("description", it) }
        if (!parameters.isNullOrEmpty()) setPropertyDocument("parameters", *parameters.toTypedArray())
        returns?.let { value ->
            setPropertyDocument("response", builder("app_functions", "unused", "AppFunctionResponseMetadataDocument").setPropertyDocument("valueType", value).build())
        }
        more()
    }.build()

    private fun runtime(pkg: String, id: String, state: Long): GenericDocument =
        builder("app_functions_runtime", "$pkg/$id", "AppFunctionRuntimeMetadata-$pkg").apply {
            setPropertyString("functionId", id)
            setPropertyString("packageName", pkg)
            setPropertyLong("enabled", state)
        }.build()

    private fun components(pkg: String, vararg types: Pair<String, GenericDocument>): GenericDocument =
        builder("app_functions", pkg, "AppFunctionComponentMetadataDocument-$pkg")
            .setPropertyDocument("dataTypes", *types.map { named(it.first, it.second) }.toTypedArray()).build()

    private val note = objectType(
        "com.example.notes.Note", listOf("id", "title"),
        "id" to type(LONG), "title" to type(STRING), "tags" to type(ARRAY) { setPropertyDocument("itemType", type(STRING)) },
    )

    private val createNote = function(
        NOTES, "com.example.notes.NoteFunctions#createNote", "Creates a note.",
        listOf(
            parameter("title", true, type(STRING, "The note's title")),
            parameter("tags", false, type(ARRAY, nullable = true) { setPropertyDocument("itemType", type(STRING)) }),
            parameter("pinned", false, type(BOOLEAN)),
            parameter("priority", false, type(INT) { setPropertyString("enumValues", "1", "2", "3") }),
            parameter("weight", false, type(DOUBLE)),
        ),
        returns = type(REFERENCE) { setPropertyString("dataTypeReference", "com.example.notes.Note") },
    )

    private val findNotes = function(
        NOTES, "com.example.notes.NoteFunctions#findNotes", "Finds notes by words in them.",
        listOf(parameter("query", true, type(STRING))),
        returns = type(ARRAY) { setPropertyDocument("itemType", type(REFERENCE) { setPropertyString("dataTypeReference", "com.example.notes.Note") }) },
    )

    private val index: List<GenericDocument> by lazy {
        listOf(
            createNote,
            findNotes,
            components(NOTES, "com.example.notes.Note" to note),
            // Off at run time although on by default: left out.
            function(NOTES, "com.example.notes.NoteFunctions#deleteNote", "Deletes a note."),
            runtime(NOTES, "com.example.notes.NoteFunctions#deleteNote", 2),
            // Off by default, switched on at run time: kept.
            function(NOTES, "com.example.notes.NoteFunctions#archiveNotes", "Archives old notes.") { setPropertyBoolean("enabledByDefault", false) },
            runtime(NOTES, "com.example.notes.NoteFunctions#archiveNotes", 1),
            // Only for callers trusted beyond EXECUTE_APP_FUNCTIONS: left out.
            function(NOTES, "com.example.notes.NoteFunctions#exportAll", "Exports every note.") { setPropertyBoolean("restrictCallersWithExecuteAppFunctions", true) },
            // An older index: no description, no parameters or response, a platform schema.
            function(MAIL, "sendEmail", parameters = null, returns = null) {
                setPropertyString("schemaCategory", "email")
                setPropertyString("schemaName", "send_email")
            },
            // A parameter with no faithful JSON form (a PendingIntent): no schema at all.
            function(MAIL, "com.example.mail.MailFunctions#scheduleSend", "Sends later.", listOf(parameter("onSent", true, type(PARCELABLE)))),
        )
    }

    @Test
    fun theIndexReadsAsActions() {
        val entries = AppFunctionIndex.entries(index.shuffled(java.util.Random(7)))
        assertEquals(
            listOf("mail.schedule_send", "mail.send_email", "notes.archive_notes", "notes.create_note", "notes.find_notes"),
            entries.map { it.info.name },
        )
        for (entry in entries) {
            assertEquals(ActionSideEffect.REVERSIBLE, entry.info.sideEffect)
            assertEquals(ActionConfirmation.ALWAYS, entry.info.confirmation)
        }
        val create = entries.single { it.info.name == "notes.create_note" }
        assertEquals(NOTES, create.info.packageName)
        assertEquals("com.example.notes.NoteFunctions#createNote", create.functionId)
        assertEquals("Creates a note.", create.info.description)
        assertEquals(
            """{"type":"object","properties":{"title":{"type":"string","description":"The note's title"},""" +
                """"tags":{"type":["array","null"],"items":{"type":"string"}},"pinned":{"type":"boolean"},""" +
                """"priority":{"type":"integer","enum":[1,2,3]},"weight":{"type":"number"}},""" +
                """"required":["title"],"additionalProperties":false}""",
            create.info.parametersJson,
        )
        assertFalse(create.returnsList)
        assertTrue(entries.single { it.info.name == "notes.find_notes" }.returnsList)
        val legacy = entries.single { it.info.name == "mail.send_email" }
        assertNull(legacy.info.parametersJson)
        assertNull(legacy.parameters)
        assertTrue("sendEmail" in legacy.info.description && "email/send_email" in legacy.info.description, legacy.info.description)
        assertNull(entries.single { it.info.name == "mail.schedule_send" }.info.parametersJson)
        // A function without parameters takes an empty object.
        assertEquals("""{"type":"object","properties":{},"additionalProperties":false}""", entries.single { it.info.name == "notes.archive_notes" }.info.parametersJson)
    }

    @Test
    fun namesFollowTheActionNameSyntaxAndStayApart() {
        val entries = AppFunctionIndex.entries(
            listOf(
                function("com.alpha.notes", "com.alpha.notes.A#run"),
                function("com.alpha.notes", "com.alpha.notes.B#run"),
                function("org.beta.notes.android", "1st Thing!"),
                function("com.whatsapp", "com.whatsapp.Chats#sendMessageV2"),
            ),
        )
        assertEquals(
            listOf("alpha_notes.run", "alpha_notes.run_2", "whatsapp.send_message_v2", "beta_notes.f_1st_thing"),
            entries.map { it.info.name },
        )
        entries.forEach { assertTrue(Regex("[a-z][a-z0-9_.]*").matches(it.info.name), it.info.name) }
    }

    @Test
    fun sharedTypesReferencesAndAllOfResolveAndTheUnrepresentableLeavesNoSchema() {
        val pkg = "com.example.shop"
        val address = objectType("com.example.shop.Address", listOf("city"), "city" to type(STRING))
        val person = type(ALL_OF) {
            setPropertyString("objectQualifiedName", "com.example.shop.Customer")
            setPropertyDocument(
                "allOf",
                type(REFERENCE) { setPropertyString("dataTypeReference", "com.example.shop.Address") },
                objectType("com.example.shop.Named", listOf("name"), "name" to type(STRING)),
            )
        }
        // A list node that contains itself.
        val node = objectType("com.example.shop.Node", emptyList(), "next" to type(REFERENCE) { setPropertyString("dataTypeReference", "com.example.shop.Node") })
        val entries = AppFunctionIndex.entries(
            listOf(
                components(pkg, "com.example.shop.Address" to address, "com.example.shop.Node" to node),
                function(pkg, "com.example.shop.F#ship", parameters = listOf(parameter("to", true, person))),
                function(pkg, "com.example.shop.F#walk", parameters = listOf(parameter("start", true, type(REFERENCE) { setPropertyString("dataTypeReference", "com.example.shop.Node") }))),
                function(pkg, "com.example.shop.F#pay", parameters = listOf(parameter("amount", true, type(REFERENCE) { setPropertyString("dataTypeReference", "com.example.shop.Missing") }))),
            ),
        )
        val ship = entries.single { it.info.name == "shop.ship" }
        assertEquals(
            """{"type":"object","properties":{"to":{"type":"object","properties":{"city":{"type":"string"},"name":{"type":"string"}},""" +
                """"required":["city","name"],"additionalProperties":false}},"required":["to"],"additionalProperties":false}""",
            ship.info.parametersJson,
        )
        assertEquals("com.example.shop.Customer", (ship.parameters!!["to"] as AppFunctionType.Object).qualifiedName)
        assertNull(entries.single { it.info.name == "shop.walk" }.info.parametersJson)
        assertNull(entries.single { it.info.name == "shop.pay" }.info.parametersJson)
    }

    @Test
    fun argumentsBecomeTheDocumentTheAppReads() {
        val entries = AppFunctionIndex.entries(listOf(createNote, components(NOTES, "com.example.notes.Note" to note)))
        val types = entries.single().parameters!!
        val typed = AppFunctionType.parametersDocument(
            JSONObject("""{"title":"Milk","tags":["shop","home"],"pinned":true,"priority":2,"weight":3}"""),
            types,
        )
        assertEquals("", typed.schemaType)
        assertContentEquals(arrayOf("Milk"), typed.getPropertyStringArray("title"))
        assertContentEquals(arrayOf("shop", "home"), typed.getPropertyStringArray("tags"))
        assertContentEquals(booleanArrayOf(true), typed.getPropertyBooleanArray("pinned"))
        assertContentEquals(longArrayOf(2), typed.getPropertyLongArray("priority"))
        // A whole number for a double parameter is still a double, as the app reads it.
        assertContentEquals(doubleArrayOf(3.0), typed.getPropertyDoubleArray("weight"))
        // Null is left out (the schema said where it is allowed).
        assertNull(AppFunctionType.parametersDocument(JSONObject("""{"title":"A","tags":null}"""), types).getProperty("tags"))

        // Objects are nested documents of their qualified name.
        val objectTypes = mapOf("note" to AppFunctionType.read(note, emptyMap())!!)
        val nested = AppFunctionType.parametersDocument(JSONObject("""{"note":{"id":7,"title":"Milk","tags":["a"]}}"""), objectTypes)
            .getPropertyDocument("note")!!
        assertEquals("com.example.notes.Note", nested.schemaType)
        assertEquals(7L, nested.getPropertyLong("id"))
        assertEquals("Milk", nested.getPropertyString("title"))

        // Without types, each value goes by its JSON type.
        val untyped = AppFunctionType.parametersDocument(JSONObject("""{"n":3,"x":1.5,"s":"hi","b":false,"mixed":[1,2.5],"o":{"k":"v"}}"""), null)
        assertContentEquals(longArrayOf(3), untyped.getPropertyLongArray("n"))
        assertContentEquals(doubleArrayOf(1.5), untyped.getPropertyDoubleArray("x"))
        assertContentEquals(arrayOf("hi"), untyped.getPropertyStringArray("s"))
        assertContentEquals(booleanArrayOf(false), untyped.getPropertyBooleanArray("b"))
        assertContentEquals(doubleArrayOf(1.0, 2.5), untyped.getPropertyDoubleArray("mixed"))
        assertEquals("v", untyped.getPropertyDocument("o")!!.getPropertyString("k"))

        // What does not fit is refused with the place and the reason, never the value.
        for ((args, reason) in listOf(
            """{"title":5}""" to "/title: must be a string",
            """{"title":"A","priority":2.5}""" to "/priority: must be a whole number",
            """{"title":"A","pinned":[true]}""" to "/pinned: not a list",
            """{"title":"A","tags":"x"}""" to "/tags: must be a list",
            """{"title":"A","colour":"red"}""" to "/colour: no such parameter",
        )) {
            val error = assertFailsWith<IllegalArgumentException> { AppFunctionType.parametersDocument(JSONObject(args), types) }
            assertEquals(reason, error.message)
        }
        assertFailsWith<IllegalArgumentException> { AppFunctionType.parametersDocument(JSONObject("""{"l":[1,"a"]}"""), null) }
    }

    private fun response(vararg values: Any): ExecuteAppFunctionResponse {
        val result = builder("", "", "").apply {
            when (val first = values.firstOrNull()) {
                null -> {}
                is String -> setPropertyString(ExecuteAppFunctionResponse.PROPERTY_RETURN_VALUE, *values.map { it as String }.toTypedArray())
                is Long -> setPropertyLong(ExecuteAppFunctionResponse.PROPERTY_RETURN_VALUE, *values.map { it as Long }.toLongArray())
                is GenericDocument -> setPropertyDocument(ExecuteAppFunctionResponse.PROPERTY_RETURN_VALUE, *values.map { it as GenericDocument }.toTypedArray())
                else -> error("no such value $first")
            }
        }.build()
        return ExecuteAppFunctionResponse(result)
    }

    private val milk: GenericDocument = builder("", "", "com.example.notes.Note").apply {
        setPropertyLong("id", 7)
        setPropertyString("title", "Milk")
        setPropertyString("tags", "shop", "home")
        setPropertyDouble("weight", 1.5)
        setPropertyBoolean("pinned", false)
        setPropertyBytes("thumbnail", ByteArray(12))
    }.build()

    @Test
    fun resultsReadAsJsonForThePlanner() {
        assertEquals(ActionOutcome.Performed, AppFunctionReplies.outcome(response(), returnsList = false))
        assertEquals(ActionOutcome.Returned("Done"), AppFunctionReplies.outcome(response("Done"), returnsList = false))
        assertEquals(ActionOutcome.Returned("42"), AppFunctionReplies.outcome(response(42L), returnsList = false))
        val note = """{"id":7,"pinned":false,"tags":["shop","home"],"thumbnail":"(12 bytes)","title":"Milk","weight":1.5}"""
        assertEquals(ActionOutcome.Returned(note), AppFunctionReplies.outcome(response(milk), returnsList = false))
        // A list stays a list, even of one; an empty list is an empty list.
        assertEquals(ActionOutcome.Returned("[$note]"), AppFunctionReplies.outcome(response(milk), returnsList = true))
        assertEquals(ActionOutcome.Returned("[]"), AppFunctionReplies.outcome(response(), returnsList = true))
        assertEquals(ActionOutcome.Returned("""["a","b"]"""), AppFunctionReplies.outcome(response("a", "b"), returnsList = false))
        // Too long for the planner: it says so (the function did run).
        val long = AppFunctionReplies.outcome(response("x".repeat(AppFunctionReplies.MAX_RESULT_CHARS + 1)), returnsList = false)
        assertIs<ActionOutcome.Returned>(long)
        assertTrue(long.data.startsWith("the function ran;"), long.data)
    }

    @Test
    fun everyErrorCodeMapsByItsCategoryWithoutTheMessage() {
        val expected = mapOf(
            AppFunctionException.ERROR_DENIED to "DENIED: the system does not let this agent call the function (request error 1000)",
            AppFunctionException.ERROR_INVALID_ARGUMENT to "INVALID_ARGUMENT: the app refused the arguments (request error 1001); check them against the action's parameters",
            AppFunctionException.ERROR_DISABLED to "UNAVAILABLE: the app has turned this function off (request error 1002)",
            AppFunctionException.ERROR_SYSTEM_ERROR to "FAILED: the system could not run the function (system error 2000)",
            AppFunctionException.ERROR_CANCELLED to "CANCELLED: the call was cancelled (system error 2001)",
            AppFunctionException.ERROR_ENTERPRISE_POLICY_DISALLOWED to "DENIED: the device's work policy does not allow calling app functions (system error 2002)",
            AppFunctionException.ERROR_APP_UNKNOWN_ERROR to "FAILED: the app's function failed (app error 3000)",
            // Codes this agent does not know, by their category.
            1500 to "FAILED: the system refused the call (request error 1500)",
            2500 to "FAILED: the system could not run the function (system error 2500)",
            3500 to "FAILED: the app's function failed (app error 3500)",
            42 to "FAILED: the call failed (unknown error 42)",
        )
        for ((code, reason) in expected) {
            assertEquals(ActionOutcome.Rejected(reason), AppFunctionReplies.failure(AppFunctionException(code, "note 'Milk' of Alice is invalid")), "code $code")
        }
        // A function gone since the index was read has no handler.
        assertEquals(ActionOutcome.NoHandler, AppFunctionReplies.failure(AppFunctionException(AppFunctionException.ERROR_FUNCTION_NOT_FOUND, "gone")))
    }

    /**
     * The system's side of [AppFunctionManager] (its hidden AIDL interface `IAppFunctionManager`,
     * implemented by a proxy): each request goes to [answer] with a way to reply; a cancellation
     * of the call's signal reaches [cancelled].
     */
    private class ScriptedSystem {
        val requests = mutableListOf<ExecuteAppFunctionRequest>()
        val cancelled = CountDownLatch(1)

        @Volatile var answer: (ExecuteAppFunctionRequest, Reply) -> Unit = { _, _ -> }

        /** Replies to one call, as the system does on its binder thread. */
        class Reply(private val callback: Any, private val callbackInterface: Class<*>) {
            fun success(response: ExecuteAppFunctionResponse) {
                callbackInterface.getMethod("onSuccess", ExecuteAppFunctionResponse::class.java).invoke(callback, response)
            }

            fun error(error: AppFunctionException) {
                callbackInterface.getMethod("onError", AppFunctionException::class.java).invoke(callback, error)
            }
        }

        /** The real manager, bound to this scripted system. */
        fun manager(context: Context): AppFunctionManager {
            val service = Class.forName("android.app.appfunctions.IAppFunctionManager")
            val callbackInterface = Class.forName("android.app.appfunctions.IExecuteAppFunctionCallback")
            val signal = Class.forName("android.os.ICancellationSignal")
            val system = proxy(service) { name, args ->
                if (name != "executeAppFunction") return@proxy null
                val request = args[0].javaClass.getMethod("getClientRequest").invoke(args[0]) as ExecuteAppFunctionRequest
                synchronized(requests) { requests += request }
                answer(request, Reply(args[1], callbackInterface))
                proxy(signal) { method, _ -> if (method == "cancel") cancelled.countDown(); null }
            }
            return AppFunctionManager::class.java.getConstructor(service, Context::class.java).newInstance(system, context)
        }

        private fun proxy(type: Class<*>, handle: (String, Array<Any>) -> Any?): Any =
            Proxy.newProxyInstance(type.classLoader, arrayOf(type)) { self, method, args ->
                when (method.name) {
                    "hashCode" -> System.identityHashCode(self)
                    "equals" -> self === args?.get(0)
                    "toString" -> "scripted ${type.simpleName}"
                    "asBinder" -> null
                    else -> handle(method.name, args ?: emptyArray())
                }
            }
    }

    private fun grant() = Shadows.shadowOf(context).grantPermissions("android.permission.EXECUTE_APP_FUNCTIONS")

    @Test
    fun callsGoThroughTheRealManagerWithTheTimeLimit() {
        grant()
        val system = ScriptedSystem()
        val platform = AppFunctionPlatform({ index }, system.manager(context))
        val directory = AppActionDirectory(context, functions = AppFunctionSource(context, 500) { platform })
        assertTrue("notes.create_note" in directory.actions().map { it.name })

        system.answer = { _, reply -> reply.success(response(milk)) }
        val created = directory.call("notes.create_note", """{"title":"Milk","tags":["shop"],"pinned":false}""")
        assertIs<ActionOutcome.Returned>(created)
        assertEquals(7L, JSONObject(created.data).getLong("id"))
        val request = system.requests.single()
        assertEquals(NOTES, request.targetPackageName)
        assertEquals("com.example.notes.NoteFunctions#createNote", request.functionIdentifier)
        assertContentEquals(arrayOf("Milk"), request.parameters.getPropertyStringArray("title"))
        assertContentEquals(arrayOf("shop"), request.parameters.getPropertyStringArray("tags"))

        system.answer = { _, reply -> reply.error(AppFunctionException(AppFunctionException.ERROR_INVALID_ARGUMENT, "no note called Milk")) }
        val refused = directory.call("notes.create_note", """{"title":"Milk"}""")
        assertIs<ActionOutcome.Rejected>(refused)
        assertTrue(refused.reason.startsWith("INVALID_ARGUMENT:") && "Milk" !in refused.reason, refused.reason)

        // Arguments that do not fit never reach the system.
        val before = system.requests.size
        assertEquals(ActionOutcome.Rejected("INVALID_ARGUMENT: /title: must be a string"), directory.call("notes.create_note", """{"title":1}"""))
        assertEquals(ActionOutcome.Rejected("INVALID_ARGUMENT: the arguments are not a JSON object"), directory.call("notes.create_note", "[1]"))
        assertEquals(before, system.requests.size)

        // A function the index does not list has no handler; so has one gone from its app.
        assertEquals(ActionOutcome.NoHandler, directory.call("notes.delete_note", "{}"))
        system.answer = { _, reply -> reply.error(AppFunctionException(AppFunctionException.ERROR_FUNCTION_NOT_FOUND, "")) }
        assertEquals(ActionOutcome.NoHandler, directory.call("notes.find_notes", """{"query":"milk"}"""))

        // An app that never answers: TIMEOUT after the limit, and the call's signal cancelled.
        system.answer = { _, _ -> }
        val started = System.nanoTime()
        val hung = directory.call("notes.find_notes", """{"query":"milk"}""")
        assertIs<ActionOutcome.Rejected>(hung)
        assertTrue(hung.reason.startsWith("TIMEOUT:"), hung.reason)
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 500)
        assertTrue(system.cancelled.await(5, TimeUnit.SECONDS), "the call's signal was not cancelled")
    }

    @Test
    fun withoutThePermissionNothingIsFoundOrAsked() {
        var asked = 0
        val source = AppFunctionSource(context, 500) { asked++; AppFunctionPlatform({ index }, null) }
        assertEquals(emptyList(), source.actions())
        assertNull(source.call("notes.create_note", """{"title":"Milk"}"""))
        assertEquals(emptyList(), AppActionDirectory(context, functions = source).actions())
        assertEquals(ActionOutcome.NoHandler, AppActionDirectory(context, functions = source).call("notes.create_note", "{}"))
        assertEquals(0, asked)
        // The phone's own source, without the permission, finds nothing either.
        assertEquals(emptyList(), AppFunctionSource(context).actions())
    }

    @Test
    fun aPhoneWithoutTheManagerHasNoHandlerAndAFailingIndexKeepsTheLastReading() {
        grant()
        var fail = false
        val source = AppFunctionSource(context, 500) {
            AppFunctionPlatform({ if (fail) throw IllegalStateException("AppSearch failed") else index }, null)
        }
        val names = source.actions().map { it.name }
        assertTrue("notes.create_note" in names)
        fail = true
        assertEquals(names, source.actions().map { it.name })
        assertEquals(ActionOutcome.NoHandler, source.call("notes.create_note", """{"title":"Milk"}"""))
    }

    private companion object {
        const val NOTES = "com.example.notes"
        const val MAIL = "com.example.mail.app"

        // Jetpack's data type codes.
        const val UNIT = 0L
        const val BOOLEAN = 1L
        const val OBJECT = 3L
        const val DOUBLE = 4L
        const val LONG = 6L
        const val INT = 7L
        const val STRING = 8L
        const val ARRAY = 10L
        const val REFERENCE = 11L
        const val ALL_OF = 12L
        const val PARCELABLE = 13L
    }
}

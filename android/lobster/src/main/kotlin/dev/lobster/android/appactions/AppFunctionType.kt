package dev.lobster.android.appactions

import android.app.appsearch.GenericDocument
import androidx.annotation.RequiresApi
import org.json.JSONArray
import org.json.JSONObject

/**
 * The type of an app function's parameter (or of a member of one), as far as the agent can
 * state it faithfully both ways: as JSON Schema for the planner and as the `GenericDocument`
 * values the app reads (the encoding of Jetpack's `AppFunctionData`: integers as longs, floats
 * as doubles, objects as nested documents whose schema type is the object's qualified name,
 * lists as multi-valued properties).
 *
 * Read from the data type documents the platform indexes for a function (Jetpack's
 * `AppFunctionDataTypeMetadataDocument`, nested under the function's `parameters`), by [read].
 * What has no faithful form here — bytes, parcelables (`PendingIntent`), `oneOf` unions, unit,
 * lists of lists, recursive or unresolvable references — reads as null, and then the whole
 * function goes without a schema rather than with a wrong one.
 */
@RequiresApi(36)
internal sealed class AppFunctionType {
    /** Whether null (or leaving it out) is allowed. */
    abstract val nullable: Boolean

    /** The app's description of it, if any. */
    abstract val description: String?

    /** A boolean, number or string, with the values an enum allows. */
    class Scalar(
        val kind: Kind,
        override val nullable: Boolean,
        override val description: String?,
        val enumValues: List<String> = emptyList(),
    ) : AppFunctionType()

    /** A list of [item]s (a multi-valued property). */
    class ListOf(val item: AppFunctionType, override val nullable: Boolean, override val description: String?) : AppFunctionType()

    /** An object: a nested document of schema type [qualifiedName] with [properties]. */
    class Object(
        val qualifiedName: String?,
        val properties: Map<String, AppFunctionType>,
        val required: List<String>,
        override val nullable: Boolean,
        override val description: String?,
    ) : AppFunctionType()

    /** The scalar kinds and their JSON Schema types. */
    enum class Kind(val jsonType: String) {
        BOOLEAN("boolean"), INT("integer"), LONG("integer"), FLOAT("number"), DOUBLE("number"), STRING("string"),
    }

    /** This type as JSON Schema. */
    fun schema(): JSONObject {
        val schema = JSONObject()
        when (this) {
            is Scalar -> {
                schema.put("type", jsonType(kind.jsonType))
                if (enumValues.isNotEmpty()) {
                    val values = JSONArray()
                    enumValues.forEach { value -> values.put(if (kind == Kind.STRING) value else value.toLong()) }
                    schema.put("enum", values)
                }
            }
            is ListOf -> schema.put("type", jsonType("array")).put("items", item.schema())
            is Object -> objectSchema(schema, properties, required)
        }
        description?.let { schema.put("description", it) }
        return schema
    }

    private fun jsonType(type: String): Any = if (nullable) JSONArray().put(type).put("null") else type

    companion object {
        /** Jetpack's data type codes (`AppFunctionDataTypeMetadata.TYPE_*`). */
        private const val TYPE_BOOLEAN = 1L
        private const val TYPE_OBJECT = 3L
        private const val TYPE_DOUBLE = 4L
        private const val TYPE_FLOAT = 5L
        private const val TYPE_LONG = 6L
        private const val TYPE_INT = 7L
        private const val TYPE_STRING = 8L
        private const val TYPE_ARRAY = 10L
        private const val TYPE_REFERENCE = 11L
        private const val TYPE_ALL_OF = 12L

        /** The deepest nesting read (objects in lists in objects …). */
        private const val MAX_DEPTH = 8

        /**
         * The type a data type document describes; [components] are the package's shared types
         * by name, which a reference names. Null: no faithful form (see the class).
         */
        fun read(document: GenericDocument?, components: Map<String, GenericDocument>): AppFunctionType? =
            read(document, components, emptySet(), 0)

        private fun read(
            document: GenericDocument?,
            components: Map<String, GenericDocument>,
            references: Set<String>,
            depth: Int,
        ): AppFunctionType? {
            if (document == null || depth > MAX_DEPTH) return null
            val nullable = document.getPropertyBoolean("isNullable")
            val description = document.getPropertyString("description")?.trim()?.takeIf { it.isNotEmpty() }
            val enumValues = document.getPropertyStringArray("enumValues")?.toList().orEmpty()
            fun scalar(kind: Kind) = Scalar(kind, nullable, description, enumValues)
            return when (document.getPropertyLong("type")) {
                TYPE_BOOLEAN -> scalar(Kind.BOOLEAN)
                TYPE_INT -> if (enumValues.all { it.toLongOrNull() != null }) scalar(Kind.INT) else null
                TYPE_LONG -> scalar(Kind.LONG)
                TYPE_FLOAT -> scalar(Kind.FLOAT)
                TYPE_DOUBLE -> scalar(Kind.DOUBLE)
                TYPE_STRING -> scalar(Kind.STRING)
                TYPE_ARRAY -> {
                    val item = read(document.getPropertyDocument("itemType"), components, references, depth + 1)
                    if (item == null || item is ListOf) null else ListOf(item, nullable, description)
                }
                TYPE_OBJECT -> {
                    val properties = LinkedHashMap<String, AppFunctionType>()
                    for (named in document.getPropertyDocumentArray("properties").orEmpty()) {
                        val name = named.getPropertyString("name") ?: return null
                        properties[name] = read(named.getPropertyDocument("dataTypeMetadata"), components, references, depth + 1) ?: return null
                    }
                    val required = document.getPropertyStringArray("required")?.toList().orEmpty()
                    if (!properties.keys.containsAll(required)) return null
                    Object(document.getPropertyString("objectQualifiedName"), properties, required, nullable, description)
                }
                TYPE_REFERENCE -> {
                    val name = document.getPropertyString("dataTypeReference") ?: return null
                    // A type that contains itself has no finite schema here.
                    if (name in references) return null
                    val target = read(components[name], components, references + name, depth + 1) ?: return null
                    target.with(nullable || target.nullable, description ?: target.description)
                }
                TYPE_ALL_OF -> {
                    // One object with the members of all: each part must be an object.
                    val properties = LinkedHashMap<String, AppFunctionType>()
                    val required = LinkedHashSet<String>()
                    for (part in document.getPropertyDocumentArray("allOf").orEmpty()) {
                        val type = read(part, components, references, depth + 1) as? Object ?: return null
                        properties.putAll(type.properties)
                        required.addAll(type.required)
                    }
                    if (properties.isEmpty()) return null
                    Object(document.getPropertyString("objectQualifiedName"), properties, required.toList(), nullable, description)
                }
                // Unit, bytes, parcelables, oneOf and codes this agent does not know.
                else -> null
            }
        }

        /** The JSON Schema of a parameter list: an object of [parameters], [required] ones required. */
        fun parametersSchema(parameters: Map<String, AppFunctionType>, required: List<String>): JSONObject =
            objectSchema(JSONObject(), parameters, required)

        private fun objectSchema(schema: JSONObject, properties: Map<String, AppFunctionType>, required: List<String>): JSONObject {
            schema.put("type", "object")
            val members = JSONObject()
            properties.forEach { (name, type) -> members.put(name, type.schema()) }
            schema.put("properties", members)
            if (required.isNotEmpty()) schema.put("required", JSONArray(required))
            return schema.put("additionalProperties", false)
        }

        /**
         * The arguments [args] as the parameters document of a call: each member a property of
         * the type [parameters] gives it, or — without types — of its JSON type (a whole number a
         * long, a fraction a double, an object a nested document). Null members are left out.
         *
         * @throws IllegalArgumentException with a reason for the planner when a value does not fit.
         */
        fun parametersDocument(args: JSONObject, parameters: Map<String, AppFunctionType>?): GenericDocument =
            document("", args, parameters, "")

        private fun document(schemaType: String, json: JSONObject, types: Map<String, AppFunctionType>?, path: String): GenericDocument {
            val builder = GenericDocument.Builder<GenericDocument.Builder<*>>("", "", schemaType)
            for (name in json.keys()) {
                val value = json.get(name)
                val at = "$path/$name"
                val type = if (types == null) null else types[name] ?: throw IllegalArgumentException("$at: no such parameter")
                // Absent and null read alike in a document (the agent checked the arguments
                // against the schema, which says where null is allowed, before the call).
                if (value == JSONObject.NULL) continue
                val values = if (value is JSONArray) {
                    if (type != null && type !is ListOf) throw IllegalArgumentException("$at: not a list")
                    (0 until value.length()).map { value.get(it) }
                } else {
                    if (type is ListOf) throw IllegalArgumentException("$at: must be a list")
                    listOf(value)
                }
                val itemType = if (type is ListOf) type.item else type
                setProperty(builder, name, values, itemType, at)
            }
            return builder.build()
        }

        private fun setProperty(builder: GenericDocument.Builder<*>, name: String, values: List<Any>, type: AppFunctionType?, at: String) {
            if (values.any { it == JSONObject.NULL || it is JSONArray }) throw IllegalArgumentException("$at: a list of nulls or lists")
            val kind = when (type) {
                is Scalar -> type.kind
                is Object -> null
                is ListOf -> throw IllegalArgumentException("$at: a list of lists")
                null -> inferKind(values, at)
            }
            if (kind == null) {
                val fields = (type as? Object)?.properties
                val schemaType = (type as? Object)?.qualifiedName.orEmpty()
                val documents = values.mapIndexed { index, value ->
                    val member = value as? JSONObject ?: throw IllegalArgumentException("$at: must be an object")
                    document(schemaType, member, fields, if (values.size > 1) "$at/$index" else at)
                }
                builder.setPropertyDocument(name, *documents.toTypedArray())
                return
            }
            when (kind) {
                Kind.BOOLEAN -> builder.setPropertyBoolean(name, *BooleanArray(values.size) { values[it] as? Boolean ?: throw IllegalArgumentException("$at: must be true or false") })
                Kind.INT, Kind.LONG -> builder.setPropertyLong(name, *LongArray(values.size) { wholeNumber(values[it], kind, at) })
                Kind.FLOAT, Kind.DOUBLE -> builder.setPropertyDouble(name, *DoubleArray(values.size) { (values[it] as? Number)?.toDouble() ?: throw IllegalArgumentException("$at: must be a number") })
                Kind.STRING -> builder.setPropertyString(name, *Array(values.size) { values[it] as? String ?: throw IllegalArgumentException("$at: must be a string") })
            }
        }

        private fun wholeNumber(value: Any, kind: Kind, at: String): Long {
            val number = value as? Number ?: throw IllegalArgumentException("$at: must be a whole number")
            val long = number.toLong()
            if (number.toDouble() != long.toDouble()) throw IllegalArgumentException("$at: must be a whole number")
            if (kind == Kind.INT && long !in Int.MIN_VALUE..Int.MAX_VALUE) throw IllegalArgumentException("$at: out of range")
            return long
        }

        /** The kind of untyped JSON values, all alike; null for objects. */
        private fun inferKind(values: List<Any>, at: String): Kind? {
            val kinds = values.map { value ->
                when (value) {
                    is Boolean -> Kind.BOOLEAN
                    is String -> Kind.STRING
                    is Int, is Long -> Kind.LONG
                    is Number -> if (value.toDouble() == value.toLong().toDouble()) Kind.LONG else Kind.DOUBLE
                    is JSONObject -> null
                    else -> throw IllegalArgumentException("$at: not a JSON value the app can read")
                }
            }.distinct()
            return when {
                kinds.size == 1 -> kinds[0]
                kinds.toSet() == setOf(Kind.LONG, Kind.DOUBLE) -> Kind.DOUBLE
                else -> throw IllegalArgumentException("$at: a list of mixed types")
            }
        }

        private fun AppFunctionType.with(nullable: Boolean, description: String?): AppFunctionType = when (this) {
            is Scalar -> Scalar(kind, nullable, description, enumValues)
            is ListOf -> ListOf(item, nullable, description)
            is Object -> Object(qualifiedName, properties, required, nullable, description)
        }
    }
}

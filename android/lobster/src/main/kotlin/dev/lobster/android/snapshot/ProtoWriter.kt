package dev.lobster.android.snapshot

/**
 * A minimal protobuf wire-format writer: just what the snapshot needs (varints, 32-bit floats,
 * length-delimited strings and messages).
 *
 * Why hand-rolled: the protobuf-java/lite runtime and its code generator would add a build
 * plugin and a dependency to every app that embeds Lobster, for one message family written in
 * one direction. The schema is `core/proto/snapshot.proto`; Rust decodes with prost, and the JVM
 * tests check that every field written here decodes to the same values there. Fields holding
 * their default value (0, false, "") are skipped, as proto3 does.
 */
class ProtoWriter(capacity: Int = 4096) {
    private var buffer = ByteArray(capacity)
    private var position = 0

    /** Bytes written so far. */
    val size: Int get() = position

    /** The encoded bytes. */
    fun toByteArray(): ByteArray = buffer.copyOf(position)

    private fun ensure(extra: Int) {
        if (position + extra > buffer.size) {
            buffer = buffer.copyOf(maxOf(buffer.size * 2, position + extra))
        }
    }

    private fun rawVarint(value: Long) {
        ensure(10)
        var v = value
        while (v and 0x7FL.inv() != 0L) {
            buffer[position++] = ((v and 0x7F) or 0x80).toByte()
            v = v ushr 7
        }
        buffer[position++] = v.toByte()
    }

    private fun tag(field: Int, wireType: Int) = rawVarint(((field shl 3) or wireType).toLong())

    /** An `int32`, `uint32` or enum field; negative values take ten bytes, as protobuf says. */
    fun int32(field: Int, value: Int) {
        if (value == 0) return
        tag(field, WIRE_VARINT)
        rawVarint(value.toLong())
    }

    /** An `int64` field. */
    fun int64(field: Int, value: Long) {
        if (value == 0L) return
        tag(field, WIRE_VARINT)
        rawVarint(value)
    }

    /** A `bool` field. */
    fun bool(field: Int, value: Boolean) {
        if (!value) return
        tag(field, WIRE_VARINT)
        rawVarint(1)
    }

    /** A `float` field. */
    fun float(field: Int, value: Float) {
        if (value == 0f) return
        tag(field, WIRE_FIXED32)
        ensure(4)
        val bits = java.lang.Float.floatToRawIntBits(value)
        for (shift in 0 until 32 step 8) {
            buffer[position++] = (bits ushr shift).toByte()
        }
    }

    /** A `string` field, as UTF-8. */
    fun string(field: Int, value: String) {
        if (value.isEmpty()) return
        val bytes = value.toByteArray(Charsets.UTF_8)
        tag(field, WIRE_LENGTH_DELIMITED)
        rawVarint(bytes.size.toLong())
        ensure(bytes.size)
        System.arraycopy(bytes, 0, buffer, position, bytes.size)
        position += bytes.size
    }

    /**
     * An embedded message of [length] bytes, which [body] must write exactly (the caller knows
     * the length from a first pass; see [SnapshotEncoder]). Written even when empty, since a
     * present empty message differs from an absent one.
     */
    fun message(field: Int, length: Int, body: () -> Unit) {
        tag(field, WIRE_LENGTH_DELIMITED)
        rawVarint(length.toLong())
        val start = position
        body()
        check(position - start == length) { "message $field: wrote ${position - start} of $length bytes" }
    }

    companion object {
        private const val WIRE_VARINT = 0
        private const val WIRE_FIXED32 = 5
        private const val WIRE_LENGTH_DELIMITED = 2

        /** Bytes a varint of [value] takes. */
        fun varintSize(value: Long): Int {
            var v = value
            var n = 1
            while (v and 0x7FL.inv() != 0L) {
                n++
                v = v ushr 7
            }
            return n
        }

        /** Bytes a field's tag takes. */
        fun tagSize(field: Int): Int = varintSize((field shl 3).toLong())

        /** Bytes an `int32` field takes (0 when it holds the default). */
        fun int32Size(field: Int, value: Int): Int =
            if (value == 0) 0 else tagSize(field) + varintSize(value.toLong())

        /** Bytes an `int64` field takes. */
        fun int64Size(field: Int, value: Long): Int =
            if (value == 0L) 0 else tagSize(field) + varintSize(value)

        /** Bytes a `bool` field takes. */
        fun boolSize(field: Int, value: Boolean): Int = if (value) tagSize(field) + 1 else 0

        /** Bytes a `float` field takes. */
        fun floatSize(field: Int, value: Float): Int = if (value == 0f) 0 else tagSize(field) + 4

        /** Bytes a `string` field takes. */
        fun stringSize(field: Int, value: String): Int {
            if (value.isEmpty()) return 0
            val length = utf8Length(value)
            return tagSize(field) + varintSize(length.toLong()) + length
        }

        /** Bytes an embedded message of [length] bytes takes with its tag and length. */
        fun messageSize(field: Int, length: Int): Int =
            tagSize(field) + varintSize(length.toLong()) + length

        /** UTF-8 length of [text] without encoding it (lone surrogates count as `?`, 1 byte). */
        fun utf8Length(text: String): Int {
            var length = 0
            var i = 0
            while (i < text.length) {
                val c = text[i]
                length += when {
                    c.code < 0x80 -> 1
                    c.code < 0x800 -> 2
                    Character.isHighSurrogate(c) && i + 1 < text.length &&
                        Character.isLowSurrogate(text[i + 1]) -> { i++; 4 }
                    Character.isSurrogate(c) -> 1
                    else -> 3
                }
                i++
            }
            return length
        }
    }
}

package dev.lobster.android

import dev.lobster.android.snapshot.ProtoWriter
import org.junit.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals

class ProtoWriterTest {
    private fun bytes(vararg values: Int) = ByteArray(values.size) { values[it].toByte() }

    @Test
    fun scalarsUseTheWireFormat() {
        val writer = ProtoWriter(1)
        writer.int32(1, 150)
        writer.int32(2, -1)
        writer.bool(3, true)
        writer.bool(4, false)
        writer.string(5, "h\u00e9")
        writer.float(6, 1.5f)
        writer.int64(7, 0)
        assertContentEquals(
            bytes(
                0x08, 0x96, 0x01,
                0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
                0x18, 0x01,
                0x2a, 0x03, 0x68, 0xc3, 0xa9,
                0x35, 0x00, 0x00, 0xc0, 0x3f,
            ),
            writer.toByteArray(),
        )
    }

    @Test
    fun sizesMatchWhatIsWritten() {
        for (text in listOf("", "a", "\u00e9", "\u767b", "\uD83D\uDD07", "x".repeat(300), "\uD800 lone")) {
            val writer = ProtoWriter()
            writer.string(25, text)
            assertEquals(ProtoWriter.stringSize(25, text), writer.size, text)
        }
        for (value in listOf(0, 1, 127, 128, 16_383, 16_384, Int.MAX_VALUE, -1)) {
            val writer = ProtoWriter()
            writer.int32(3, value)
            assertEquals(ProtoWriter.int32Size(3, value), writer.size, "$value")
        }
    }
}

package dev.lobster.android

import dev.lobster.android.task.AgentSlot
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertSame
import kotlin.test.assertTrue

/** One agent, so one model, per process. */
class AgentSlotTest {
    /** A stand-in for a loaded model: counts how many are open at once. */
    private class Model(val config: String, val open: MutableList<Model>) : AutoCloseable {
        init {
            open += this
        }

        override fun close() {
            open -= this
        }
    }

    @Test
    fun theSameConfigurationReusesTheLoadedAgent() {
        val open = mutableListOf<Model>()
        val slot = AgentSlot<String, Model>()
        val first = slot.get("a") { Model(it, open) }
        assertSame(first, slot.get("a") { error("loaded again") })
        assertEquals(1, open.size)
    }

    @Test
    fun aNewConfigurationClosesTheOldModelBeforeLoadingTheNew() {
        val open = mutableListOf<Model>()
        var mostAtOnce = 0
        val slot = AgentSlot<String, Model>()
        val load = { config: String -> Model(config, open).also { mostAtOnce = maxOf(mostAtOnce, open.size) } }
        slot.get("a", load)
        assertTrue(slot.wouldReplace("b"))
        slot.get("b", load)
        slot.get("c", load)
        assertEquals(1, mostAtOnce, "two models were in memory at once")
        assertEquals(listOf("c"), open.map { it.config })
        slot.close()
        assertTrue(open.isEmpty())
    }

    @Test
    fun aFailedLoadHoldsNothing() {
        val open = mutableListOf<Model>()
        val slot = AgentSlot<String, Model>()
        slot.get("a") { Model(it, open) }
        assertFailsWith<IllegalStateException> { slot.get("b") { error("no such file") } }
        assertTrue(open.isEmpty())
        assertTrue(!slot.wouldReplace("b"))
    }
}

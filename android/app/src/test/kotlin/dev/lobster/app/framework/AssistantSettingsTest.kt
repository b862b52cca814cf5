package dev.lobster.app.framework

import android.content.Context
import dev.lobster.app.AssistantSettings
import dev.lobster.app.SecretBox
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config
import javax.crypto.KeyGenerator
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull

/**
 * The settings' API key is stored sealed (AES-GCM), never in plain text. Robolectric has no
 * Android Keystore provider ("AndroidKeyStore" is a system service), so the box here holds a
 * software AES key; on a device [SecretBox.androidKeystore] holds one that never leaves the
 * keystore. The sealing, the stored form and the migration are the same code.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class AssistantSettingsTest {
    private val context: Context = RuntimeEnvironment.getApplication()
    private val key = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    private val box = SecretBox { key }

    private fun stored(): String =
        context.getSharedPreferences("lobster-settings", Context.MODE_PRIVATE).all.values.joinToString("|")

    @Test
    fun theApiKeyIsStoredSealedAndReadBack() {
        AssistantSettings(mode = "cloud", endpoint = "https://example.test/v1", apiKey = "sk-secret-123").save(context, box)
        assertFalse("sk-secret-123" in stored(), "the API key is stored in plain text: ${stored()}")
        assertEquals("sk-secret-123", AssistantSettings.load(context, box).apiKey)
    }

    @Test
    fun aKeyStoredInPlainTextByAnEarlierVersionIsSealedOnFirstRead() {
        context.getSharedPreferences("lobster-settings", Context.MODE_PRIVATE).edit().putString("apiKey", "sk-old").commit()
        assertEquals("sk-old", AssistantSettings.load(context, box).apiKey)
        assertFalse("sk-old" in stored())
        assertEquals("sk-old", AssistantSettings.load(context, box).apiKey)
    }

    @Test
    fun aValueSealedUnderAnotherKeyOpensToNothing() {
        val other = SecretBox { KeyGenerator.getInstance("AES").apply { init(256) }.generateKey() }
        assertNull(box.open(other.seal("sk-1")))
        assertNull(box.open("not sealed"))
    }
}

package dev.lobster.app

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * Seals a secret (the cloud API key) with AES-GCM under a key that never leaves the Android
 * Keystore ([androidKeystore]); what is stored in the preferences is only the sealed text.
 *
 * Why the platform keystore directly: `EncryptedSharedPreferences` (androidx.security-crypto)
 * is deprecated, and the platform API is all it wrapped. GCM authenticates, so a tampered or
 * foreign value opens to null instead of to garbage.
 *
 * @param key the AES key; created in the keystore on first use by [androidKeystore].
 */
class SecretBox(private val key: () -> SecretKey) {
    /** [plain], sealed: `base64(iv):base64(ciphertext+tag)`. */
    fun seal(plain: String): String {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key())
        val sealed = cipher.doFinal(plain.toByteArray(Charsets.UTF_8))
        return encode(cipher.iv) + ":" + encode(sealed)
    }

    /** The secret [sealed] holds, or null when it was not sealed under this key or is damaged. */
    fun open(sealed: String): String? {
        val parts = sealed.split(':')
        if (parts.size != 2) return null
        return try {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, key(), GCMParameterSpec(TAG_BITS, decode(parts[0])))
            String(cipher.doFinal(decode(parts[1])), Charsets.UTF_8)
        } catch (error: java.security.GeneralSecurityException) {
            null
        } catch (error: IllegalArgumentException) {
            null
        }
    }

    companion object {
        private const val TRANSFORMATION = "AES/GCM/NoPadding"
        private const val TAG_BITS = 128
        private const val KEYSTORE = "AndroidKeyStore"

        private fun encode(bytes: ByteArray): String = Base64.encodeToString(bytes, Base64.NO_WRAP)
        private fun decode(text: String): ByteArray = Base64.decode(text, Base64.NO_WRAP)

        /** A box whose key [alias] lives in the Android Keystore (created on first use). */
        fun androidKeystore(alias: String = "lobster-settings"): SecretBox = SecretBox {
            val store = KeyStore.getInstance(KEYSTORE).apply { load(null) }
            (store.getKey(alias, null) as? SecretKey) ?: KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
                .apply {
                    init(
                        KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                            .setKeySize(256)
                            .build(),
                    )
                }
                .generateKey()
        }
    }
}

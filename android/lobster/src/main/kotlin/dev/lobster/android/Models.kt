package dev.lobster.android

import android.app.ActivityManager
import android.content.Context
import dev.lobster.ffi.ModelInfo
import dev.lobster.ffi.ModelStore
import dev.lobster.ffi.ModelStoreOptions
import java.io.File

/**
 * The app's model store: where models are downloaded to (the app's private files, so no
 * storage permission is needed and uninstalling removes them), with which options, and which
 * model suits this phone's memory. Downloads run in [ModelDownloadService].
 */
object Models {
    /**
     * The store's options: another manifest (an OEM's own models), a mirror (e.g.
     * `https://hf-mirror.com` where Hugging Face is blocked), timeouts. Set it before the
     * first download, e.g. in `Application.onCreate`.
     */
    @Volatile
    @JvmStatic
    var options: ModelStoreOptions = ModelStoreOptions()

    /** The models directory: `files/models` in the app's private storage. */
    @JvmStatic
    fun dir(context: Context): File = File(context.filesDir, "models")

    /**
     * A store over [dir] with [options]; close it after use (`use { }`). Cheap: it reads the
     * manifest, not the files. Throws `ModelStoreException.InvalidArgument` for bad [options].
     */
    @JvmStatic
    fun store(context: Context): ModelStore {
        Lobster.init(context)
        return ModelStore.withOptions(dir(context).path, options)
    }

    /**
     * The phone's total memory as Android reports it (`ActivityManager.MemoryInfo.totalMem`:
     * less than the RAM on the box, by what the kernel and firmware keep), or 0 when unknown.
     */
    @JvmStatic
    fun totalRamBytes(context: Context): Long {
        val activities = context.getSystemService(ActivityManager::class.java) ?: return 0
        val info = ActivityManager.MemoryInfo()
        activities.getMemoryInfo(info)
        return info.totalMem
    }

    /** The model this phone should use by default (by its memory), or null when none fits. */
    @JvmStatic
    fun defaultFor(context: Context): ModelInfo? = store(context).use { it.defaultFor(totalRamBytes(context)) }
}

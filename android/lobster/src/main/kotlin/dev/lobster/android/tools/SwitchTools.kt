package dev.lobster.android.tools

import android.content.Context
import android.hardware.camera2.CameraAccessException
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraManager
import android.provider.Settings
import dev.lobster.ffi.ActionOutcome

/**
 * `flashlight` and `screen_brightness`: the torch of the camera with a flash unit
 * (`CameraManager.setTorchMode`, the back camera first) and the system brightness
 * (`Settings.System.SCREEN_BRIGHTNESS`, which needs the user's "Modify system settings"
 * access). Setting the brightness switches adaptive brightness off, as moving the slider does;
 * the percent maps linearly to 1–255 (the slider's curve is the system UI's own).
 */
internal class SwitchTools(private val context: Context) {
    /** Turns the torch [on] or off; `NoHandler` without a flash unit. */
    fun flashlight(on: Boolean): ActionOutcome {
        val cameras = context.getSystemService(CameraManager::class.java) ?: return ActionOutcome.NoHandler
        return try {
            val camera = torchCamera(cameras) ?: return ActionOutcome.NoHandler
            cameras.setTorchMode(camera, on)
            ActionOutcome.Performed
        } catch (error: CameraAccessException) {
            ActionOutcome.Rejected("the camera is in use or disabled")
        }
    }

    /** Sets the screen brightness to [percent] of the maximum. */
    fun brightness(percent: Int): ActionOutcome {
        if (!Settings.System.canWrite(context)) return ActionOutcome.Rejected("Modify system settings access is not granted")
        val resolver = context.contentResolver
        Settings.System.putInt(resolver, Settings.System.SCREEN_BRIGHTNESS_MODE, Settings.System.SCREEN_BRIGHTNESS_MODE_MANUAL)
        val level = ((percent.coerceIn(0, 100) * MAX_BRIGHTNESS + 50) / 100).coerceIn(1, MAX_BRIGHTNESS)
        return if (Settings.System.putInt(resolver, Settings.System.SCREEN_BRIGHTNESS, level)) {
            ActionOutcome.Performed
        } else {
            ActionOutcome.Rejected("the system refused the brightness")
        }
    }

    /** The camera whose flash unit is the torch: the back one if it has one, else any with one. */
    private fun torchCamera(cameras: CameraManager): String? {
        val withFlash = cameras.cameraIdList.filter { id ->
            cameras.getCameraCharacteristics(id).get(CameraCharacteristics.FLASH_INFO_AVAILABLE) == true
        }
        return withFlash.firstOrNull { id ->
            cameras.getCameraCharacteristics(id).get(CameraCharacteristics.LENS_FACING) == CameraCharacteristics.LENS_FACING_BACK
        } ?: withFlash.firstOrNull()
    }

    private companion object {
        const val MAX_BRIGHTNESS = 255
    }
}

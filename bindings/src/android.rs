//! Android process glue: `JNI_OnLoad` and the platform init the Kotlin library calls once.
//!
//! UniFFI's Kotlin loads this library through JNA, which never runs `JNI_OnLoad`; the Android
//! library therefore also calls `System.loadLibrary("lobster_ffi")` from its `LobsterNative`
//! class (the same file, loaded once per process). That runs `JNI_OnLoad` here, which keeps
//! the `JavaVM` and registers `LobsterNative.initPlatform(Context)`. Kotlin calls it with the
//! application context before the first agent is built; Rust keeps a global reference to the
//! context for the parts that need the platform (the TLS verifier of the cloud planner asks
//! Android's trust store through it).
//!
//! This is the only file with `unsafe`: taking the VM pointer the JVM hands to `JNI_OnLoad`,
//! and registering the native method, whose signature is checked by hand below.

use std::ffi::c_void;
use std::sync::OnceLock;

use jni::objects::{Global, JClass, JObject};
use jni::sys::{JNI_ERR, JNI_VERSION_1_6, jint};
use jni::{Env, EnvUnowned, JavaVM, NativeMethod, jni_str};

/// The process's Java VM, kept from `JNI_OnLoad`.
static VM: OnceLock<JavaVM> = OnceLock::new();
/// The application context given to `initPlatform`.
static CONTEXT: OnceLock<Global<JObject<'static>>> = OnceLock::new();

/// The Kotlin class whose `external fun initPlatform(context: Context)` is implemented here.
const NATIVE_CLASS: &str = "dev/lobster/android/LobsterNative";

/// Called by the JVM when `System.loadLibrary("lobster_ffi")` loads this library.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "system" fn JNI_OnLoad(vm: *mut jni::sys::JavaVM, _reserved: *mut c_void) -> jint {
    if vm.is_null() {
        return JNI_ERR;
    }
    // SAFETY: the JVM passes its own, valid `JavaVM` pointer to `JNI_OnLoad`, and it lives as
    // long as the process.
    let vm = unsafe { JavaVM::from_raw(vm) };
    crate::logging::init();
    let registered = vm.attach_current_thread(|env| -> jni::errors::Result<()> {
        let init_platform = init_platform as *mut c_void;
        // SAFETY: `init_platform` is an `extern "system"` function taking (EnvUnowned, JClass,
        // JObject) and returning nothing, which is what the signature says of a static method
        // `initPlatform(Landroid/content/Context;)V`.
        let methods = [unsafe {
            NativeMethod::from_raw_parts(
                jni_str!("initPlatform"),
                jni_str!("(Landroid/content/Context;)V"),
                init_platform,
            )
        }];
        let class = env.find_class(jni::strings::JNIString::from(NATIVE_CLASS))?;
        // SAFETY: as above; `initPlatform` is declared `@JvmStatic external` in Kotlin.
        unsafe { env.register_native_methods(&class, &methods) }
    });
    if registered.is_err() {
        tracing::error!("registering LobsterNative.initPlatform failed");
        return JNI_ERR;
    }
    let _ = VM.set(vm);
    JNI_VERSION_1_6
}

/// `LobsterNative.initPlatform(context)`: keeps the application context.
extern "system" fn init_platform<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    context: JObject<'local>,
) {
    let outcome = env.with_env(|env: &mut Env<'_>| -> jni::errors::Result<()> {
        let context = env.call_method(
            &context,
            jni_str!("getApplicationContext"),
            jni::jni_sig!(() -> android.content.Context),
            &[],
        )?;
        let context = context.l()?;
        let global = env.new_global_ref(&context)?;
        let _ = CONTEXT.set(global);
        // reqwest (the cloud planner, model downloads) verifies TLS certificates with
        // Android's trust store through this crate, which needs the context (and the JavaVM it
        // finds through `env`).
        #[cfg(any(feature = "cloud", feature = "models"))]
        rustls_platform_verifier::android::init_with_env(env, context)?;
        Ok(())
    });
    outcome.resolve::<jni::errors::ThrowRuntimeExAndDefault>();
    tracing::info!("platform initialised");
}

/// The Java VM, once `JNI_OnLoad` ran.
#[allow(dead_code)]
pub(crate) fn java_vm() -> Option<&'static JavaVM> {
    VM.get()
}

/// The application context, once Kotlin called `initPlatform`.
#[allow(dead_code)]
pub(crate) fn application_context() -> Option<&'static Global<JObject<'static>>> {
    CONTEXT.get()
}

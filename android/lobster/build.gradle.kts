// The Lobster Android library: the accessibility service, screen reader, action performer and
// agent service, plus the Rust library (lobster-ffi) for each ABI and its generated Kotlin.
import org.gradle.api.provider.Provider
import org.gradle.api.tasks.Exec

plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

// The Cargo workspace is the parent of this Gradle project.
val repoRoot = rootProject.projectDir.parentFile
val abis = listOf("arm64-v8a", "x86_64")
val rustProfile = if (providers.gradleProperty("lobster.rustDebug").isPresent) "debug" else "release"
val jniLibsDir = layout.buildDirectory.dir("rust/jniLibs")
val generatedKotlin = layout.buildDirectory.dir("generated/source/uniffi/kotlin")
// Features of lobster-ffi: the default (llama + cloud) needs the NDK's clang and cmake.
val ffiFeatures = providers.gradleProperty("lobster.features").orNull

// The cloud planner's TLS on Android goes through rustls-platform-verifier, whose Kotlin half
// (`org.rustls:rustls-platform-verifier`, from the GitHub Maven archive declared in
// settings.gradle.kts) must have exactly the version of the Rust crate
// `rustls-platform-verifier-android` that Cargo.lock pins.
val rustlsPlatformVerifierVersion: Provider<String> = providers
    .fileContents(rootProject.layout.projectDirectory.file("../Cargo.lock"))
    .asText
    .map { lock ->
        val lines = lock.lines()
        val name = lines.indexOfFirst { it.trim() == "name = \"rustls-platform-verifier-android\"" }
        check(name >= 0) { "rustls-platform-verifier-android is not in Cargo.lock" }
        lines.drop(name + 1).first { it.startsWith("version = ") }
            .substringAfter('"').substringBefore('"')
    }

android {
    namespace = "dev.lobster.android"
    compileSdk = 36
    // 36: Android 16's AppFunctions (appactions/AppFunctionSource), used behind SDK_INT checks.
    ndkVersion = libs.versions.ndk.get()

    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    testOptions.unitTests.isIncludeAndroidResources = true
    sourceSets["main"].jniLibs.srcDir(jniLibsDir)
    sourceSets["main"].java.srcDir(generatedKotlin)
}

kotlin {
    jvmToolchain(17)
}

/** Builds liblobster_ffi.so for every ABI with cargo-ndk (`cargo install cargo-ndk`). */
val cargoNdk by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds lobster-ffi for ${abis.joinToString()} with cargo-ndk"
    workingDir = repoRoot
    val args = mutableListOf("cargo", "ndk", "--platform", "26", "-o", jniLibsDir.get().asFile.path)
    abis.forEach { args += listOf("-t", it) }
    args += listOf("build", "-p", "lobster-ffi")
    if (rustProfile == "release") args += "--release"
    ffiFeatures?.let { args += listOf("--no-default-features", "--features", it) }
    commandLine(args)
    // Everything cargo reads for lobster-ffi: a change to any of them must rebuild the library
    // (the lock file pins versions, the protos and build scripts generate code).
    inputs.files(File(repoRoot, "Cargo.lock"), File(repoRoot, "Cargo.toml"))
    for (crate in listOf("core", "models", "bindings")) {
        inputs.dir(File(repoRoot, "$crate/src"))
        inputs.files(File(repoRoot, "$crate/Cargo.toml"))
    }
    // models/: the manifest is compiled in (include_str!), and its build script runs.
    inputs.files(File(repoRoot, "core/build.rs"), File(repoRoot, "models/build.rs"), File(repoRoot, "models/manifest.toml"))
    inputs.dir(File(repoRoot, "core/proto"))
    inputs.property("profile", rustProfile)
    inputs.property("features", ffiFeatures ?: "default")
    outputs.dir(jniLibsDir)
}

/**
 * Generates the Kotlin bindings from the built library with the workspace's own
 * uniffi-bindgen (library mode): never committed, always matching the Rust side.
 */
val generateBindings by tasks.registering(Exec::class) {
    group = "rust"
    description = "Generates the UniFFI Kotlin bindings from liblobster_ffi.so"
    dependsOn(cargoNdk)
    workingDir = repoRoot
    val library = jniLibsDir.map { it.file("arm64-v8a/liblobster_ffi.so").asFile.path }
    commandLine(
        "cargo", "run", "--quiet", "-p", "uniffi-bindgen", "--",
        "generate", "--library", library.get(),
        "--language", "kotlin",
        "--config", File(repoRoot, "bindings/uniffi-android.toml").path,
        "--out-dir", generatedKotlin.get().asFile.path,
    )
    // The bindings are a function of the library, the UniFFI configuration and the generator.
    inputs.file(library)
    inputs.files(File(repoRoot, "bindings/uniffi.toml"), File(repoRoot, "bindings/uniffi-android.toml"))
    inputs.dir(File(repoRoot, "bindings/uniffi-bindgen"))
    outputs.dir(generatedKotlin)
}

tasks.named("preBuild") { dependsOn(generateBindings) }

dependencies {
    // UniFFI's Kotlin calls the library through JNA; the AAR carries JNA's own .so files.
    implementation("${libs.jna.get()}@aar")
    implementation(libs.androidx.annotation)
    // Apps' actions: the SDK's protocol constants and the signing-certificate digests.
    implementation(project(":sdk"))
    addProvider("implementation", rustlsPlatformVerifierVersion.map { "org.rustls:rustls-platform-verifier:$it" })
    testImplementation(libs.junit)
    testImplementation(libs.kotlin.test)
    // The framework tests (src/test/kotlin/dev/lobster/android/framework) run under Robolectric.
    testImplementation(libs.robolectric)
    testImplementation(testFixtures(project(":sdk")))
}

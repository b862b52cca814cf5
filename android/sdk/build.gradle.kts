// The Lobster SDK for app developers: declare actions in a JSON resource, implement them in a
// LobsterActionProvider, allow agents by package and certificate. No native code, no
// dependency beyond the platform (org.json is Android's).
plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "dev.lobster.sdk"
    compileSdk = 35

    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    testOptions.unitTests.isIncludeAndroidResources = true
    // src/testFixtures: the installed-packages helper the SDK's, the agent library's and the
    // sample app's Robolectric tests share.
    testFixtures.enable = true
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    testFixturesImplementation(libs.robolectric)
    testImplementation(libs.junit)
    testImplementation(libs.kotlin.test)
    testImplementation(libs.robolectric)
}

// A tiny to-do app that exposes its actions to the Lobster agent through the SDK (android/sdk).
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "dev.lobster.sample.todo"
    compileSdk = 35

    defaultConfig {
        applicationId = "dev.lobster.sample.todo"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        // The agents allowed to call the actions: "package:sha256" of each one's signing
        // certificate, comma separated (`apksigner verify --print-certs app.apk`), e.g.
        // -Plobster.allowedAgents=dev.lobster.app:AB:CD:… ; empty refuses every caller.
        manifestPlaceholders["lobsterAllowedAgents"] =
            providers.gradleProperty("lobster.allowedAgents").getOrElse("")
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    testOptions.unitTests.isIncludeAndroidResources = true
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    implementation(project(":sdk"))
    testImplementation(libs.junit)
    testImplementation(libs.kotlin.test)
    testImplementation(libs.robolectric)
    testImplementation(testFixtures(project(":sdk")))
    // The whole-chain tests run the agent's discovery and a scripted agent against this app.
    testImplementation(project(":lobster"))
}

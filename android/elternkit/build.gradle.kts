// The AAR: the generated Kotlin bindings and the JVM-tested platform code from bindings/kotlin,
// the Android glue from src/main/kotlin, and libelternkit_ffi.so per ABI built by cargo-ndk.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

val repoRoot = rootDir.parentFile
val rustJniLibs = layout.buildDirectory.dir("rustJniLibs")

android {
    namespace = "de.elternkit"
    compileSdk = 35
    defaultConfig {
        // java.time (SystemClock) and AndroidKeyStore AES-GCM need API 26.
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }
    sourceSets["main"].apply {
        kotlin.srcDirs(
            "$repoRoot/bindings/kotlin/generated",
            "$repoRoot/bindings/kotlin/src",
            "src/main/kotlin",
        )
        jniLibs.srcDir(rustJniLibs)
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

// The Rust library for the device ABIs (needs `cargo install cargo-ndk` and the NDK; the
// rustup targets aarch64-linux-android, armv7-linux-androideabi, x86_64-linux-android).
val cargoNdk by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64",
        "-o", rustJniLibs.get().asFile.path,
        "build", "--profile", "mobile", "-p", "elternkit-ffi",
    )
}
tasks.named("preBuild") { dependsOn(cargoNdk) }

// The Kotlin half of rustls-platform-verifier (Android's trust manager over JNI), at exactly
// the version Cargo.lock pins for the Rust half: the crate rustls-platform-verifier-android
// carries that version; its AAR is in the rustls project's Maven archive (settings.gradle.kts).
val rustlsVerifierVersion: String = run {
    val lines = File(repoRoot, "Cargo.lock").readLines()
    val at = lines.indexOfFirst { it.trim() == "name = \"rustls-platform-verifier-android\"" }
    check(at >= 0) { "rustls-platform-verifier-android is not in Cargo.lock" }
    lines[at + 1].substringAfter('"').substringBefore('"')
}

dependencies {
    implementation("rustls:rustls-platform-verifier:$rustlsVerifierVersion")
    // The generated bindings call the library through JNA (the AAR carries its .so files).
    implementation("net.java.dev.jna:jna:5.13.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
    implementation("androidx.work:work-runtime-ktx:2.10.0")
}

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "de.elternkit.sample"
    compileSdk = 35
    defaultConfig {
        applicationId = "de.elternkit.sample"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }
    buildFeatures { compose = true }
    // The demo case of the CLI, so the sample starts with a filled-in family.
    sourceSets["main"].assets.srcDir(layout.buildDirectory.dir("demoAssets"))
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

val copyDemoCase by tasks.registering(Copy::class) {
    from(rootDir.parentFile.resolve("cli/src/demo_case.json"))
    into(layout.buildDirectory.dir("demoAssets"))
}
tasks.named("preBuild") { dependsOn(copyDemoCase) }

dependencies {
    implementation(project(":elternkit"))
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-runtime-ktx:2.8.7")
}

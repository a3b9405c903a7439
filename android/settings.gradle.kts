// ElternKit for Android: the library module (AAR) and a small Compose sample app.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
        // rustls-platform-verifier's Android component (its README, "Gradle Setup").
        maven {
            url = uri("https://github.com/rustls/rustls-platform-verifier/raw/maven-archive/android-release-support/maven/")
            content { includeGroup("rustls") }
        }
    }
}
rootProject.name = "elternkit-android"
include(":elternkit", ":sample")

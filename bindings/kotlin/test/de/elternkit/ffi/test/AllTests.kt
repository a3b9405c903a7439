package de.elternkit.ffi.test

import org.junit.runner.RunWith
import org.junit.runners.Suite

@RunWith(Suite::class)
@Suite.SuiteClasses(AppTest::class, PlannerTest::class, SecretStoreTest::class, SubmissionTest::class)
class AllTests

package dev.lobster.jvmtests

import org.junit.runner.JUnitCore
import org.junit.runner.notification.Failure
import kotlin.system.exitProcess

/**
 * Entry point of `bindings/jvm-tests/run`: `test CLASS…` runs those JUnit 4 classes and ends
 * with the line `N passed, N failed`; `bench` runs [Bench].
 */
fun main(args: Array<String>) {
    when (args.firstOrNull()) {
        "bench" -> Bench.run()
        "test" -> {
            val classes = args.drop(1).map { Class.forName(it) }
            val result = JUnitCore().run(*classes.toTypedArray())
            result.failures.forEach { failure: Failure ->
                System.err.println("FAILED ${failure.testHeader}")
                System.err.println(failure.trace)
            }
            val failed = result.failureCount
            println("kotlin: ${result.runCount - failed} passed, $failed failed, ${result.ignoreCount} skipped")
            // Exit explicitly: the cloud mode's HTTP server and agents' worker threads must not
            // keep the JVM alive after the verdict.
            exitProcess(if (failed > 0 || result.runCount == 0) 1 else 0)
        }
        else -> {
            System.err.println("usage: Main test CLASS… | bench")
            exitProcess(2)
        }
    }
}

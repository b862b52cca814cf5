package dev.lobster.jvmtests.runner

import org.junit.runner.JUnitCore
import kotlin.system.exitProcess

/**
 * Runs the JUnit 4 classes named in [args] and ends with the line `N passed, N failed`: the
 * runner of the framework tests, which need a classpath of their own (the Android flavour of
 * the bindings and Robolectric) and so cannot share `Main`'s.
 */
fun main(args: Array<String>) {
    val classes = args.map { Class.forName(it) }
    val result = JUnitCore().run(*classes.toTypedArray())
    result.failures.forEach { failure ->
        System.err.println("FAILED ${failure.testHeader}")
        System.err.println(failure.trace)
    }
    val failed = result.failureCount
    println("framework: ${result.runCount - failed} passed, $failed failed, ${result.ignoreCount} skipped")
    // Exit explicitly: agents' worker threads and Robolectric's must not keep the JVM alive.
    exitProcess(if (failed > 0 || result.runCount == 0) 1 else 0)
}

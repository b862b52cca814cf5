package dev.lobster.jvmtests.lint

import org.objectweb.asm.ClassReader
import org.objectweb.asm.Opcodes
import org.objectweb.asm.tree.AbstractInsnNode
import org.objectweb.asm.tree.AnnotationNode
import org.objectweb.asm.tree.ClassNode
import org.objectweb.asm.tree.FieldInsnNode
import org.objectweb.asm.tree.IntInsnNode
import org.objectweb.asm.tree.LdcInsnNode
import org.objectweb.asm.tree.MethodInsnNode
import org.objectweb.asm.tree.MethodNode
import org.objectweb.asm.tree.TypeInsnNode
import java.io.File
import java.util.zip.ZipFile
import kotlin.system.exitProcess

/**
 * Android's NewApi lint, without the SDK: every framework class, method and field that the
 * compiled classes of android/ use is looked up in the framework of the newest API
 * (android-all, API 36) and of minSdk (android-all, API 26). One that exists in the first and
 * not in the second needs a version guard in the method that uses it: a comparison of
 * `Build.VERSION.SDK_INT` with, or a `Platform.atLeast` call on, a constant above minSdk (a
 * lambda, or a function's `$default` bridge, counts as part of the method it is written in), or
 * androidx's `@RequiresApi` above minSdk on the method or on its class (or a class it is nested
 * in). A use without one fails the check. Such a `@RequiresApi` moves the guard to the callers:
 * using an annotated class or method of android/ from a method without a guard is a finding too.
 *
 * What it does not know: the exact level of each member (two jars tell "above minSdk", not
 * which level), so a guard on too low a level above minSdk passes; and it reads bytecode, so
 * compile-time constants (inlined by the compiler, harmless on old devices) are not seen.
 *
 * Usage: ApiLint CLASSES_DIR NEWEST_JAR MIN_JAR MIN_SDK
 */
fun main(args: Array<String>) {
    if (args.size != 4) {
        System.err.println("usage: ApiLint CLASSES_DIR NEWEST_JAR MIN_JAR MIN_SDK")
        exitProcess(2)
    }
    val ours = File(args[0])
    val minSdk = args[3].toInt()
    val findings = ZipFile(args[1]).use { newest ->
        ZipFile(args[2]).use { min -> ApiLint(ours, Framework(newest), Framework(min), minSdk).check() }
    }
    findings.forEach { System.err.println("api-lint: $it") }
    if (findings.isNotEmpty()) {
        System.err.println("api-lint: ${findings.size} call(s) above minSdk $minSdk without a version guard")
        exitProcess(1)
    }
    println("api-lint: no unguarded call above minSdk $minSdk")
}

/** The classes of one framework jar, read on demand (headers and members only). */
class Framework(private val jar: ZipFile) {
    private val cache = HashMap<String, ClassNode?>()

    /** The class [name] (internal form), or null when this level has none. */
    fun find(name: String): ClassNode? = cache.getOrPut(name) {
        jar.getEntry("$name.class")?.let { entry ->
            jar.getInputStream(entry).use { input ->
                ClassNode().also { ClassReader(input).accept(it, ClassReader.SKIP_CODE) }
            }
        }
    }
}

/** The check over the classes under [ours]. */
class ApiLint(private val ours: File, private val newest: Framework, private val min: Framework, private val minSdk: Int) {
    private val own: Map<String, ClassNode> = ours.walkTopDown().filter { it.extension == "class" }.associate { file ->
        val node = ClassNode()
        file.inputStream().use { ClassReader(it).accept(node, 0) }
        node.name to node
    }

    /** Every unguarded use above minSdk, as `Class.method: owner.member`. */
    fun check(): List<String> {
        val findings = ArrayList<String>()
        for (cls in own.values.sortedBy { it.name }) {
            val classLevel = classRequires(cls.name)
            val guards = cls.methods.associate { it.name to maxOf(guardLevel(it), requiresApi(it.invisibleAnnotations, it.visibleAnnotations)) }
            for (method in cls.methods) {
                // A lambda's body is compiled to `outer$lambda$N`, default arguments to
                // `outer$default`: the outer method's guard holds.
                val outer = method.name.substringBefore("\$lambda").removeSuffix("\$default")
                val guarded = maxOf(classLevel, guards[method.name] ?: 0, guards[outer] ?: 0) > minSdk
                if (guarded) continue
                for (insn in method.instructions) {
                    val use = newApi(insn) ?: ownRequired(insn) ?: continue
                    findings += "${cls.name.replace('/', '.')}.${method.name}: $use"
                }
            }
        }
        return findings.distinct()
    }

    /** The `@RequiresApi` level of the class [name] or of a class it is nested in, or 0. */
    private fun classRequires(name: String): Int {
        var level = 0
        var current: String? = name
        while (current != null) {
            own[current]?.let { level = maxOf(level, requiresApi(it.invisibleAnnotations, it.visibleAnnotations)) }
            current = current.substringBeforeLast('$', "").ifEmpty { null }
        }
        return level
    }

    /** The level of androidx's `@RequiresApi` among [lists] (the larger of `value` and `api`), or 0. */
    private fun requiresApi(vararg lists: List<AnnotationNode>?): Int {
        val annotation = lists.asSequence().filterNotNull().flatten().firstOrNull { it.desc == REQUIRES_API } ?: return 0
        val values = annotation.values ?: return 1
        return values.chunked(2).filter { it[0] == "value" || it[0] == "api" }.maxOfOrNull { it[1] as Int } ?: 1
    }

    /** What [insn] uses of android/'s own classes and methods that need a level above minSdk, or null. */
    private fun ownRequired(insn: AbstractInsnNode): String? {
        val owner = when (insn) {
            is MethodInsnNode -> insn.owner
            is FieldInsnNode -> insn.owner
            is TypeInsnNode -> insn.desc
            else -> return null
        }
        val cls = own[owner] ?: return null
        val classLevel = classRequires(owner)
        if (classLevel > minSdk) return "${owner.replace('/', '.')} needs API $classLevel (@RequiresApi), above minSdk $minSdk"
        val call = insn as? MethodInsnNode ?: return null
        val called = cls.methods.firstOrNull { it.name == call.name && it.desc == call.desc } ?: return null
        val level = requiresApi(called.invisibleAnnotations, called.visibleAnnotations)
        if (level <= minSdk) return null
        return "${owner.replace('/', '.')}.${call.name} needs API $level (@RequiresApi), above minSdk $minSdk"
    }

    /** The highest API level [method] compares the running one with, or 0. */
    private fun guardLevel(method: MethodNode): Int {
        var level = 0
        var lastConstant: Int? = null
        var sawSdkInt = false
        for (insn in method.instructions) {
            when {
                insn is FieldInsnNode && insn.owner == "android/os/Build\$VERSION" && insn.name == "SDK_INT" -> sawSdkInt = true
                insn is IntInsnNode && (insn.opcode == Opcodes.BIPUSH || insn.opcode == Opcodes.SIPUSH) -> {
                    lastConstant = insn.operand
                    if (sawSdkInt) level = maxOf(level, insn.operand)
                }
                insn is LdcInsnNode && insn.cst is Int -> lastConstant = insn.cst as Int
                insn is MethodInsnNode && insn.name == "atLeast" && insn.desc == "(I)Z" ->
                    lastConstant?.let { level = maxOf(level, it) }
            }
        }
        return level
    }

    /** What [insn] uses that the newest framework has and minSdk's lacks, or null. */
    private fun newApi(insn: AbstractInsnNode): String? = frameworkOnly(insn)?.let { "$it is not in API $minSdk" }

    /** The framework class or member [insn] uses when the newest framework has it and minSdk's lacks it. */
    private fun frameworkOnly(insn: AbstractInsnNode): String? = when (insn) {
        is MethodInsnNode -> member(insn.owner, insn.name, insn.desc, method = true)
        is FieldInsnNode -> member(insn.owner, insn.name, insn.desc, method = false)
        is TypeInsnNode -> classOnly(insn.desc)
        is LdcInsnNode -> (insn.cst as? org.objectweb.asm.Type)?.takeIf { it.sort == org.objectweb.asm.Type.OBJECT }
            ?.let { classOnly(it.internalName) }
        else -> null
    }

    private fun classOnly(name: String): String? {
        if (own.containsKey(name) || newest.find(name) == null) return null
        return if (min.find(name) == null) name.replace('/', '.') else null
    }

    /** The framework member [owner].[name] when it exists in the newest level only. */
    private fun member(owner: String, name: String, desc: String, method: Boolean): String? {
        val declaring = declaring(owner, name, desc, method) { newest.find(it) } ?: return null
        if (own.containsKey(declaring)) return null
        val atMin = declaring(owner, name, desc, method) { min.find(it) }
        return if (atMin == null) "${declaring.replace('/', '.')}.$name$desc" else null
    }

    /** The class that declares the member, walking superclasses and interfaces from [owner]. */
    private fun declaring(owner: String, name: String, desc: String, method: Boolean, framework: (String) -> ClassNode?): String? {
        val seen = HashSet<String>()
        val queue = ArrayDeque(listOf(owner))
        while (queue.isNotEmpty()) {
            val current = queue.removeFirst()
            if (!seen.add(current)) continue
            val cls = own[current] ?: framework(current) ?: continue
            val has = if (method) {
                cls.methods.any { it.name == name && it.desc == desc }
            } else {
                cls.fields.any { it.name == name && it.desc == desc }
            }
            if (has) return current
            cls.superName?.let { queue.add(it) }
            queue.addAll(cls.interfaces)
        }
        return null
    }

    private companion object {
        const val REQUIRES_API = "Landroidx/annotation/RequiresApi;"
    }
}

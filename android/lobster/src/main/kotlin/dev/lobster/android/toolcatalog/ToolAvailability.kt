package dev.lobster.android.toolcatalog

/**
 * Which of the catalog's tools this phone can run now, and what the user could grant to run
 * more.
 *
 * The device reports [available] to the agent before each task (`Device.availableTools`), and
 * the planner is offered only those: a tool whose permission, special access, API level,
 * hardware, handling app or privilege is missing never reaches the model, instead of failing
 * when chosen. Activity tools count as available only when some app handles their intent
 * (`resolveActivity` of a [HandlerProbe]): a phone without a camera app is not offered
 * `take_photo`. A tool can still fail when run (access revoked meanwhile, a link no app takes);
 * the runner answers `Rejected` or `NoHandler` then and the agent goes on through the UI.
 *
 * @param catalog the tools and their needs; the whole catalog by default.
 */
class ToolAvailability(
    private val phone: PhoneAbilities,
    private val catalog: Map<String, ToolNeeds> = ToolCatalog.needs,
) {
    /** Everything that keeps [tool] from running: nothing when it can run, or when the catalog lacks it. */
    fun missing(tool: String): List<Missing> {
        val needs = catalog[tool] ?: return emptyList()
        val lacking = lacks(needs)
        return if (needs.handler == null || phone.handles(needs.handler)) lacking else lacking + Missing.Handler
    }

    /**
     * The tools the phone can run now, in catalog order. A handler is looked for only when
     * nothing else is missing: most tools are decided without a package query.
     */
    fun available(): List<String> = catalog.filter { (_, needs) ->
        lacks(needs).isEmpty() && (needs.handler == null || phone.handles(needs.handler))
    }.keys.toList()

    /**
     * What the user could grant, each with the tools it would make available (those it alone
     * holds back), most tools first: the runtime permissions and Settings accesses. An API level,
     * the hardware, a missing app or the privilege are not the user's to grant and are left out.
     */
    fun grants(): List<Grant> =
        catalog.keys
            .mapNotNull { tool -> missing(tool).singleOrNull()?.takeIf { it.grantable }?.let { it to tool } }
            .groupBy({ it.first }, { it.second })
            .map { (what, tools) -> Grant(what, tools) }
            .sortedWith(compareByDescending<Grant> { it.tools.size }.thenBy { it.text })

    /** What [needs] lacks on this phone, the handling app aside. */
    private fun lacks(needs: ToolNeeds): List<Missing> = buildList {
        if (phone.sdk < needs.minApi) add(Missing.ApiLevel(needs.minApi))
        needs.feature?.let { if (!phone.hasFeature(it)) add(Missing.Feature(it)) }
        if (needs.privileged && !phone.privileged) add(Missing.Privilege)
        needs.permission?.let { if (!phone.holds(it)) add(Missing.Permission(it)) }
        needs.access?.let { if (!phone.has(it)) add(Missing.Access(it)) }
    }

    /** One thing a tool lacks. */
    sealed interface Missing {
        /** Whether the user can grant it: a runtime permission or a special access. */
        val grantable: Boolean get() = false

        /** A permission not granted. */
        data class Permission(val permission: String) : Missing {
            override val grantable: Boolean get() = permission in ToolCatalog.runtimePermissions
        }

        /** A special access the user has not granted in Settings. */
        data class Access(val access: SpecialAccess) : Missing {
            override val grantable: Boolean get() = true
        }

        /** An API level above the phone's. */
        data class ApiLevel(val level: Int) : Missing

        /** A hardware feature the phone lacks. */
        data class Feature(val feature: String) : Missing

        /** No app handles the tool's activity. */
        data object Handler : Missing

        /** The tool needs a privileged agent. */
        data object Privilege : Missing
    }

    /**
     * Something the user can grant and the [tools] it would make available. The app asks for a
     * runtime [permission] itself (`requestPermissions`) or opens [settingsAction].
     */
    data class Grant(val what: Missing, val tools: List<String>) {
        /** The runtime permission to request, if it is one. */
        val permission: String? get() = (what as? Missing.Permission)?.permission

        /** The Settings page to open (`Intent(settingsAction)`), if it is a special access. */
        val settingsAction: String? get() = (what as? Missing.Access)?.access?.settingsAction

        /** A line for the user: "Grant Do Not Disturb access to enable 2 tools". */
        val text: String get() {
            val count = if (tools.size == 1) "1 tool" else "${tools.size} tools"
            return when (what) {
                is Missing.Access -> "Grant ${what.access.label} to enable $count"
                is Missing.Permission -> {
                    val group = ToolCatalog.runtimePermissions[what.permission] ?: what.permission
                    "Allow $group access to enable $count"
                }
                else -> "Enable $count"
            }
        }
    }
}

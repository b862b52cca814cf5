package dev.lobster.android.task

/**
 * The one agent of a process, and so the one model in memory: [get] returns the loaded agent
 * while the configuration is the same, and for a new configuration closes the old agent
 * *before* creating the new one.
 *
 * Why: a model takes hundreds of megabytes to gigabytes; creating the new agent first (and
 * closing the old one after) holds two for the length of a load, which on a phone ends in the
 * low-memory killer. The caller stops the old agent's task first (a running task keeps its
 * model), see `AgentService`.
 *
 */
class AgentSlot<C : Any, A : AutoCloseable> {
    private var config: C? = null
    private var agent: A? = null

    /**
     * The agent for [config]; [create] builds it (loads its model) when the held one has another
     * configuration or none is held. When [create] throws, no agent is held.
     */
    @Synchronized
    fun get(config: C, create: (C) -> A): A {
        val held = agent
        if (held != null && this.config == config) return held
        close()
        val created = create(config)
        this.config = config
        agent = created
        return created
    }

    /** Whether an agent for another configuration than [config] is held (and [get] would replace it). */
    @Synchronized
    fun wouldReplace(config: C): Boolean = agent != null && this.config != config

    /** Closes the held agent, if any. */
    @Synchronized
    fun close() {
        val held = agent
        agent = null
        config = null
        held?.close()
    }
}

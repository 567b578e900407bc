package io.relata.store;

/**
 * A value the platform set in a write beyond what the writer gave: a process's set-field action, a phase
 * it moved to by itself, or a plugin's record listener. The values of computed and score rules are not reported: they are what the field
 * is. Writers learn of them through {@link SecuredRecordStore#reportingTo}, to tell their user (a message
 * after saving, a field of the REST response).
 *
 * @param entity   the entity of the written record
 * @param id       the written record
 * @param field    the field that was set
 * @param previous the value the record would have had without it: the writer's, else the stored one (typed)
 * @param value    the value written (typed)
 * @param by       who set it: the name of the process, {@link #byPlugin} of a plugin, or null if the setter did
 *                 not say
 */
public record AutomaticChange(String entity, long id, String field, Object previous, Object value, String by) {

    private static final String PLUGIN = "plugin:";

    /** The {@code by} of a value a plugin set. */
    public static String byPlugin(String pluginId) {
        return PLUGIN + pluginId;
    }

    /** The plugin that set the value, if a plugin did. */
    public java.util.Optional<String> plugin() {
        return pluginIn(by);
    }

    /** The plugin a {@code by} names, if it names one (not a process). */
    public static java.util.Optional<String> pluginIn(String by) {
        return by != null && by.startsWith(PLUGIN) ? java.util.Optional.of(by.substring(PLUGIN.length()))
                : java.util.Optional.empty();
    }

    /** The process that set the value, if a process did. */
    public java.util.Optional<String> process() {
        return by == null || by.startsWith(PLUGIN) ? java.util.Optional.empty() : java.util.Optional.of(by);
    }
}

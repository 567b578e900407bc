package io.relata.runtime;

import java.util.List;

/**
 * Settings whose values cannot be used: names each with its variable, the value given and the form expected.
 * Stops the start (the web module's start-up listener) before anything else happens.
 */
public final class InvalidSettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    InvalidSettingException(Setting<?> setting, String value) {
        this(List.of(describe(setting, value)));
    }

    InvalidSettingException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per unusable setting. */
    public List<String> problems() {
        return problems;
    }

    private static String describe(Setting<?> setting, String value) {
        return setting.variable() + " (or -D" + setting.property() + ") is '" + value + "'; expected "
                + setting.expected() + ".";
    }
}

package io.relata.rules;

/**
 * Something wrong with a rule or an example, found when metadata is loaded. Blocks the load.
 *
 * @param file    the file to open (YAML file of an inline rule or example, .js file of a file rule)
 * @param line    1-based line in that file
 * @param column  1-based column in that file
 * @param code    {@link #RULE_SYNTAX}, {@link #RULE_EXAMPLE_FAILED} or {@link #RULE_FAILED}
 * @param message what is wrong, naming the rule or example
 * @param fix     what to change
 */
public record RuleProblem(String file, int line, int column, String code, String message, String fix) {

    /** The script does not parse. */
    public static final String RULE_SYNTAX = "RULE_SYNTAX";
    /** An example's expectation does not hold. */
    public static final String RULE_EXAMPLE_FAILED = "RULE_EXAMPLE_FAILED";
    /** A rule failed while running (threw, ran too long, returned the wrong type) or cannot run at all. */
    public static final String RULE_FAILED = "RULE_FAILED";

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + " [" + code + "] " + message + " " + fix;
    }
}

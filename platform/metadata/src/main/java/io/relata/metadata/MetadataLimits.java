package io.relata.metadata;

/**
 * How large and how nested one metadata file may be, so that no file can take the server down: an alias bomb
 * (a few lines whose aliases expand to billions of values) would run a reload out of memory, and ten thousand
 * nested brackets would overflow the stack of the YAML parser. Metadata that an admin writes by hand stays far
 * below every default; a file over a limit is a {@link MetadataProblem} at the position where the limit was
 * crossed, with a fix naming the setting that raises it (the platform's settings, listed in the README).
 *
 * @param maxAliases     alias uses ({@code *name}) per file; default {@value #DEFAULT_ALIASES}
 *                       ({@link ProblemCode#YAML_TOO_MANY_ALIASES})
 * @param maxDepth       nesting of lists and mappings, counted with what aliases bring in; default
 *                       {@value #DEFAULT_DEPTH} ({@link ProblemCode#YAML_TOO_DEEP})
 * @param maxNodes       values (keys, scalars, lists, mappings) of a file once its aliases are expanded; default
 *                       {@value #DEFAULT_NODES} ({@link ProblemCode#YAML_TOO_LARGE})
 * @param maxFileBytes   size of a file: bytes on disk, characters of a file given as text; default
 *                       {@value #DEFAULT_FILE_KB} KiB ({@link ProblemCode#FILE_TOO_LARGE})
 * @param maxScalarChars characters of one value (a label, a script); default {@value #DEFAULT_SCALAR_KB} KiB
 *                       ({@link ProblemCode#SCALAR_TOO_LONG})
 */
public record MetadataLimits(int maxAliases, int maxDepth, int maxNodes, long maxFileBytes, int maxScalarChars) {

    /** Default of {@link #maxAliases}: the shipped metadata uses none; a few shared blocks fit easily. */
    public static final int DEFAULT_ALIASES = 50;
    /** Default of {@link #maxDepth}: the shipped metadata nests fewer than 12 levels. */
    public static final int DEFAULT_DEPTH = 50;
    /** Default of {@link #maxNodes}: every shipped file has fewer than 5,000. */
    public static final int DEFAULT_NODES = 100_000;
    /** Default of {@link #maxFileBytes} in KiB: every shipped file has less than 16 KiB. */
    public static final int DEFAULT_FILE_KB = 1024;
    /** Default of {@link #maxScalarChars} in KiB (of characters): every shipped value has fewer than 4 KiB. */
    public static final int DEFAULT_SCALAR_KB = 100;

    /** The limits when none are configured. */
    public static final MetadataLimits DEFAULT = new MetadataLimits(DEFAULT_ALIASES, DEFAULT_DEPTH, DEFAULT_NODES,
            DEFAULT_FILE_KB * 1024L, DEFAULT_SCALAR_KB * 1024);

    /** The system property that sets {@link #maxAliases}; the environment variable is its upper-case form. */
    public static final String ALIASES_SETTING = "crm.metadata.max.aliases";
    /** The system property that sets {@link #maxDepth}. */
    public static final String DEPTH_SETTING = "crm.metadata.max.depth";
    /** The system property that sets {@link #maxNodes}. */
    public static final String NODES_SETTING = "crm.metadata.max.nodes";
    /** The system property that sets {@link #maxFileBytes}, in KiB. */
    public static final String FILE_SETTING = "crm.metadata.max.file.kb";
    /** The system property that sets {@link #maxScalarChars}, in KiB. */
    public static final String SCALAR_SETTING = "crm.metadata.max.scalar.kb";

    public MetadataLimits {
        if (maxAliases < 0 || maxDepth < 1 || maxNodes < 1 || maxFileBytes < 1 || maxScalarChars < 1) {
            throw new IllegalArgumentException("metadata limits must be positive (aliases may be 0): aliases="
                    + maxAliases + ", depth=" + maxDepth + ", nodes=" + maxNodes + ", file bytes=" + maxFileBytes
                    + ", scalar characters=" + maxScalarChars);
        }
    }

    /** "crm.metadata.max.depth (environment CRM_METADATA_MAX_DEPTH)", for the fix of a problem. */
    static String setting(String property) {
        return "the setting " + property + " (environment variable "
                + property.toUpperCase(java.util.Locale.ROOT).replace('.', '_') + ")";
    }
}

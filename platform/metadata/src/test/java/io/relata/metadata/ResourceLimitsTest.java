package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.ACCOUNT;
import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.entity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No file takes the loader down: alias bombs, deep nesting, huge files and values are problems at the position
 * where a limit is crossed, never an {@link Error}. Each test has a generous timeout: without the limits, these
 * inputs ran out of memory or overflowed the stack.
 */
@Timeout(30)
class ResourceLimitsTest {

    private static MetadataProblem only(MetadataLoader loader, MetadataFile file) {
        MetadataException e = catchThrowableOfType(MetadataException.class, () -> loader.load(List.of(file)));
        assertThat(e).as("expected a MetadataException").isNotNull();
        assertThat(e.problems()).as(e.problems().toString()).hasSize(1);
        return e.problems().get(0);
    }

    private static MetadataProblem only(MetadataFile file) {
        return only(new MetadataLoader(), file);
    }

    /** a: &a [x, x], b: &b [*a, *a], … : each level doubles, 2^46 values in all. */
    static String aliasBomb(int levels) {
        StringBuilder yaml = new StringBuilder("name: bomb\na0: &a0 [x, x]\n");
        for (int i = 1; i < levels; i++) {
            yaml.append('a').append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        return yaml.toString();
    }

    @Test
    void aliasBombIsRefusedAtTheAliasWhoseValuesCrossTheLimit() {
        MetadataProblem problem = only(entity("bomb", aliasBomb(46)));

        // a13 holds 2^15 - 1 values; after the lines before, the second *a13 of a14 (line 16) crosses 100,000
        assertAt(problem, "metadata/entities/bomb.yaml", 16, 18, ProblemCode.YAML_TOO_LARGE);
        assertThat(problem.message()).contains("alias", "100000");
        assertThat(problem.fix()).contains("crm.metadata.max.nodes", "CRM_METADATA_MAX_NODES");
    }

    @Test
    void moreAliasesThanTheLimitAreRefusedAtTheFirstOneTooMany() {
        MetadataProblem problem = only(entity("many", "name: many\nv: &v x\nlist: ["
                + String.join(", ", java.util.Collections.nCopies(60, "*v")) + "]\n"));

        // "list: [" is 7 characters, each "*v, " 4: the 51st alias is at column 8 + 50 * 4
        assertAt(problem, "metadata/entities/many.yaml", 3, 8 + 50 * 4, ProblemCode.YAML_TOO_MANY_ALIASES);
        assertThat(problem.message()).contains("51", "50");
        assertThat(problem.fix()).contains("crm.metadata.max.aliases", "CRM_METADATA_MAX_ALIASES");
    }

    @Test
    void aliasesWithinTheirLimitThatExpandTooFarAreRefusedAtTheAliasThatCrossesTheNodeLimit() {
        // 10 values, then 5 levels of ten aliases each: 10^6 values from 41 aliases
        StringBuilder yaml = new StringBuilder("name: wide\nl0: &l0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
        for (int i = 1; i <= 4; i++) {
            yaml.append('l').append(i).append(": &l").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, "*l" + (i - 1)))).append("]\n");
        }
        MetadataProblem problem = only(new MetadataLoader(null, new MetadataLimits(100, 50, 100_000, 1 << 20, 1000)),
                entity("wide", yaml.toString()));

        // 12,352 values before l4's aliases, each of which adds l3's 11,111: the 8th crosses 100,000
        assertThat(problem.code()).isEqualTo(ProblemCode.YAML_TOO_LARGE.name());
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.column()).isEqualTo(10 + 5 * 7);
        assertThat(problem.message()).contains("alias", "100000");
        assertThat(problem.fix()).contains("crm.metadata.max.nodes");
    }

    @Test
    void tenThousandNestedBracketsAreRefusedAtTheFirstBracketTooDeep() {
        MetadataProblem problem = only(entity("deep", "name: deep\nlabel: " + "[".repeat(10_000) + "\n"));

        // the root mapping is level 1, the first '[' (column 8) level 2: the 50th '[' is level 51
        assertAt(problem, "metadata/entities/deep.yaml", 2, 8 + 49, ProblemCode.YAML_TOO_DEEP);
        assertThat(problem.fix()).contains("crm.metadata.max.depth");
    }

    @Test
    void tenThousandNestedMappingsAreRefusedAtTheFirstMappingTooDeep() {
        MetadataProblem problem = only(entity("deep", "name: deep\nlabel: " + "{a: ".repeat(10_000) + "1\n"));

        // the root is level 1, the first '{' level 2: the 50th '{' is level 51; each '{a: ' is 4 characters
        assertAt(problem, "metadata/entities/deep.yaml", 2, 8 + 49 * 4, ProblemCode.YAML_TOO_DEEP);
    }

    @Test
    void deeplyIndentedBlockMappingsAreRefusedAtTheKeyTooDeep() {
        StringBuilder yaml = new StringBuilder("name: deep\n");
        for (int i = 0; i < 60; i++) {
            yaml.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        MetadataProblem problem = only(entity("deep", yaml.toString()));

        // k0 (line 2) is in the root mapping, level 1; k50 (line 52, indented 50) starts level 51
        assertAt(problem, "metadata/entities/deep.yaml", 52, 51, ProblemCode.YAML_TOO_DEEP);
    }

    @Test
    void anAliasThatBringsInDeepNestingIsRefusedAtTheAlias() {
        String deep = "[".repeat(30) + "]".repeat(30);
        MetadataProblem problem = only(entity("deep", "name: deep\nlabel: &d " + deep + "\nx: " + "[".repeat(25) + "*d"
                + "]".repeat(25) + "\n"));

        assertAt(problem, "metadata/entities/deep.yaml", 3, 4 + 25, ProblemCode.YAML_TOO_DEEP);
        assertThat(problem.message()).contains("alias");
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedWhereTheLimitIsCrossed() {
        MetadataLimits limits = new MetadataLimits(50, 50, 100_000, 100, 1000);
        String yaml = "name: big\n" + "# comment line of twenty\n".repeat(10);

        MetadataProblem problem = only(new MetadataLoader(null, limits), entity("big", yaml));

        // 10 + 3 * 25 = 85 characters before line 5; character 100 is its 16th
        assertAt(problem, "metadata/entities/big.yaml", 5, 16, ProblemCode.FILE_TOO_LARGE);
        assertThat(problem.fix()).contains("crm.metadata.max.file.kb");
    }

    @Test
    void aValueLongerThanTheLimitIsRefusedAtTheValue() {
        MetadataProblem problem = only(entity("account", ACCOUNT.replace("label: {de: Firma, en: Account}",
                "label: {de: Firma, en: " + "x".repeat(200_000) + "}")));

        assertAt(problem, "metadata/entities/account.yaml", 2, 24, ProblemCode.SCALAR_TOO_LONG);
        assertThat(problem.message()).contains("200000");
        assertThat(problem.fix()).contains("crm.metadata.max.scalar.kb");
    }

    @Test
    void theShippedMetadataStaysFarBelowEveryDefault() throws Exception {
        MetadataLimits tight = new MetadataLimits(0, 12, 5_000, 16 * 1024, 4 * 1024);

        new MetadataLoader(null, tight).load(MetadataFiles.fromDirectory(ShippedMetadataTest.METADATA));

        assertThat(MetadataLimits.DEFAULT.maxDepth()).isGreaterThan(tight.maxDepth());
        assertThat(MetadataLimits.DEFAULT.maxNodes()).isGreaterThan(tight.maxNodes());
        assertThat(MetadataLimits.DEFAULT.maxFileBytes()).isGreaterThan(tight.maxFileBytes());
        assertThat(MetadataLimits.DEFAULT.maxScalarChars()).isGreaterThan(tight.maxScalarChars());
    }

    @Test
    void aStackOverflowInTheParserIsAProblemNotAnError() throws Exception {
        // a thread with a tiny stack: even the limits' own depth may overflow it; the loader still answers
        MetadataLimits generous = new MetadataLimits(50, 100_000, 1_000_000, 1 << 20, 1000);
        String yaml = "name: deep\nlabel: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n";
        MetadataProblem[] found = new MetadataProblem[1];
        Thread thread = new Thread(null, () -> found[0] = only(new MetadataLoader(null, generous), entity("deep", yaml)),
                "small-stack", 256 * 1024);
        thread.start();
        thread.join(Duration.ofSeconds(20).toMillis());

        assertThat(found[0]).isNotNull();
        assertThat(found[0].code()).isEqualTo(ProblemCode.YAML_TOO_DEEP.name());
    }
}

package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.metadata.FieldReads.Read;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a rule script reads of its record, found by the lexical scan. */
class FieldReadsTest {

    @Test
    void findsDottedReadsWithTheirPositions() {
        FieldReads reads = FieldReads.of("record.amount * (record.probability || 0) / 100");

        assertThat(reads.reads()).containsExactly(new Read("record", "amount", 1, 8),
                new Read("record", "probability", 1, 25));
        assertThat(reads.wholeRecord()).isFalse();
        assertThat(reads.fields()).containsExactly("amount", "probability");
    }

    @Test
    void findsOptionalAndBracketReadsAndReadsOfPrevious() {
        FieldReads reads = FieldReads.of("record?.stage + record['close_date'] + previous?.['amount'] "
                + "+ previous.stage + record[`phase`]");

        assertThat(reads.reads()).extracting(Read::root, Read::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple("record", "stage"),
                org.assertj.core.groups.Tuple.tuple("record", "close_date"),
                org.assertj.core.groups.Tuple.tuple("previous", "amount"),
                org.assertj.core.groups.Tuple.tuple("previous", "stage"),
                org.assertj.core.groups.Tuple.tuple("record", "phase"));
        assertThat(reads.wholeRecord()).isFalse();
    }

    @Test
    void positionsCountLinesOfAFunctionBody() {
        FieldReads reads = FieldReads.of("""
                const errors = {};
                if (record.close_date < today) {
                    errors.close_date = 'in the past ' + record.nmae;
                }
                return errors;""");

        assertThat(reads.reads()).containsExactly(new Read("record", "close_date", 2, 12),
                new Read("record", "nmae", 3, 49));
    }

    @Test
    void textInStringsCommentsTemplatesAndRegularExpressionsIsNoRead() {
        FieldReads reads = FieldReads.of("""
                // record.in_comment
                /* record.in_block
                   comment */
                const a = 'record.in_single' + "record.in_double" + `record.in_template`;
                const b = /record.in_regex[/]/.test(record.name);
                return `${record.amount} of ${a}` + (x / record.total / 2);""");

        assertThat(reads.fields()).containsExactly("name", "amount", "total");
        assertThat(reads.wholeRecord()).isFalse();
    }

    @Test
    void testingWhetherPreviousExistsReadsNothing() {
        FieldReads reads = FieldReads.of("""
                if (!previous) return null;
                if (previous) { }
                const changed = previous && previous.stage !== record.stage;
                return previous == null || typeof previous === 'object' ? changed : null;""");

        assertThat(reads.fields()).containsExactly("stage");
        assertThat(reads.wholeRecord()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "record[name]",
        "record[`a${1}`]",
        "Object.keys(record).length",
        "({...record}).amount",
        "JSON.stringify(previous)",
        "(previous || {}).amount",
        "previous ?? record",
        "arguments[0].amount",
        "eval('record.amount')",
        "rec\\u006frd.amount",
        "record.valueOf().amount",
        "for (const k in record) { return k }",
        "return record"
    })
    void usingTheWholeRecordMayReadEveryField(String script) {
        assertThat(FieldReads.of(script).wholeRecord()).isTrue();
        assertThat(FieldReads.of(script).mayRead("amount")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "lookup('x', 1).items.map(record => record.total)",
        "lookup('x', 1).items.map((a, record) => record.total)",
        "const record = lookup('x', 1); return record.total",
        "function f(record) { return record.total } return f(1)",
        "let { record } = lookup('x', 1); return record.total",
        "try { return 1 } catch (record) { return record.total }",
        "record = lookup('x', 1); return record.total"
    })
    void aRootTheScriptRebindsIsNoLongerTheRecord(String script) {
        FieldReads reads = FieldReads.of(script);

        assertThat(reads.wholeRecord()).isTrue();
        assertThat(reads.reads()).isEmpty();
    }

    @Test
    void propertiesAndObjectKeysNamedLikeTheRecordAreNoUse() {
        FieldReads reads = FieldReads.of("({record: 1, previous: 2}).record + lookup('a', 1).previous");

        assertThat(reads.reads()).isEmpty();
        assertThat(reads.wholeRecord()).isFalse();
    }

    @Test
    void aScriptThatDoesNotTokenizeMayReadEverything() {
        assertThat(FieldReads.of("record.amount + 'unterminated").wholeRecord()).isTrue();
        assertThat(FieldReads.of("`${record.amount").wholeRecord()).isTrue();
    }

    @Test
    void divisionAfterANameOrParenthesisIsNoRegularExpression() {
        FieldReads reads = FieldReads.of("(record.a) / 2 / record.b + record.c / record.d");

        assertThat(reads.fields()).containsExactly("a", "b", "c", "d");
    }
}

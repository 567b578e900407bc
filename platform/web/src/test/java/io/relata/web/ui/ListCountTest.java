package io.relata.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/** Lists count up to the list count limit and say "10,000+" beyond it, in both languages. */
class ListCountTest {

    private static final RecordQuery ALL = new RecordQuery(List.of(), List.of(), null, 1, null);

    /** A store that has {@code records} records of every entity; it counts them with the interface's capped count. */
    private static RecordStore storeWith(long records) {
        return (RecordStore) Proxy.newProxyInstance(RecordStore.class.getClassLoader(), new Class<?>[] {RecordStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("count")) {
                        return records;
                    }
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aCountUpToTheLimitIsExactAndBeyondItTheLimitWithAPlus() {
        assertThat(RecordLazyModel.countUpTo(storeWith(10_000), "lead", ALL, 10_000))
                .isEqualTo(new RecordLazyModel.Count(10_000, true));
        assertThat(RecordLazyModel.countUpTo(storeWith(1_000_000), "lead", ALL, 10_000))
                .isEqualTo(new RecordLazyModel.Count(10_000, false));
        assertThat(RecordLazyModel.countUpTo(storeWith(0), "lead", ALL, 10_000))
                .isEqualTo(new RecordLazyModel.Count(0, true));
    }

    @Test
    void theLabelsSayHowManyInEnglishAndGerman() {
        assertThat(label(Locale.ENGLISH, "list.recordsAtLeast", 10_000)).isEqualTo("10,000+ records");
        assertThat(label(Locale.GERMAN, "list.recordsAtLeast", 10_000)).isEqualTo("10.000+ Datensätze");
        assertThat(label(Locale.ENGLISH, "list.records", 1)).isEqualTo("1 record");
        assertThat(label(Locale.ENGLISH, "list.records", 4321)).isEqualTo("4,321 records");
        assertThat(label(Locale.GERMAN, "list.records", 0)).isEqualTo("keine Datensätze");
        assertThat(label(Locale.GERMAN, "list.records", 4321)).isEqualTo("4.321 Datensätze");
    }

    private static String label(Locale locale, String key, long count) {
        String pattern = ResourceBundle.getBundle("io.relata.web.ui.messages", locale).getString(key);
        return new MessageFormat(pattern, locale).format(new Object[] {count});
    }
}

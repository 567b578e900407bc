package io.relata.api.plugin;

import io.relata.api.model.LocalizedText;
import io.relata.api.security.Actor;
import java.util.Map;
import java.util.Set;
import org.pf4j.ExtensionPoint;

/**
 * A panel on the record page of some entities, with data of its own (a household's policies, a subscriber's
 * usage). The platform renders what {@link #render} returns as HTML it escapes itself: a panel has no markup
 * and no script of its own. Other records come through {@link Request#records()}, which reads as the user.
 *
 * <p><b>When</b>: each time a record page with the panel is shown. <b>Thread</b>: a platform thread, with the
 * plugin call timeout; the page shows the panel's failure in place of the panel and the rest of the page as
 * usual. <b>May not</b>: show values the user may not read: {@link Request#record()} holds only the fields the
 * user may read, and a panel must not reach for more.
 */
public interface RecordPanel extends ExtensionPoint {

    /** Unique among the enabled plugins, e.g. {@code "household_policies"}. */
    String id();

    /** The entities on whose record page the panel appears. */
    Set<String> entities();

    /** The panel's heading. */
    LocalizedText title();

    /** The panel's content for one record. */
    PanelContent render(Request request) throws Exception;

    /**
     * @param entity  the record's entity
     * @param record  the record's values the user may read (id included)
     * @param actor   who looks
     * @param records other records as {@code actor} may read them (a household's members and their policies)
     */
    record Request(String entity, Map<String, Object> record, Actor actor, RecordReader records) {
        public Request {
            record = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(record));
            records = records == null ? RecordReader.NONE : records;
        }

        /** A request that reads no other records. */
        public Request(String entity, Map<String, Object> record, Actor actor) {
            this(entity, record, actor, RecordReader.NONE);
        }
    }
}

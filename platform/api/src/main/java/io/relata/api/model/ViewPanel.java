package io.relata.api.model;

import io.relata.api.record.Aggregate;
import io.relata.api.record.Sort;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One panel of a {@link CustomerView}. A related path ({@code list}) names reverse lists from the viewed record
 * outwards, dot-separated for depth: {@code contacts} are the account's contacts, {@code contacts.activities} the
 * activities of those contacts. Conditions ({@code where}) are field → accepted values (raw text, as in the REST
 * API's filters): a record matches when each field holds one of its values.
 */
public sealed interface ViewPanel {

    /** Unique within the view; names the panel in the page and in plugins' contributions. */
    String name();

    LocalizedText label();

    /** The roles that see the panel; empty: everyone who may read the record. */
    List<String> roles();

    SourceLocation location();

    default boolean isFor(Collection<String> userRoles) {
        return roles().isEmpty() || roles().stream().anyMatch(userRoles::contains);
    }

    /** Fields of the viewed record, as label and value. */
    record Facts(String name, LocalizedText label, List<String> roles, List<String> fields, SourceLocation location)
            implements ViewPanel {
        public Facts {
            roles = List.copyOf(roles);
            fields = List.copyOf(fields);
        }
    }

    /**
     * The records at a related path, filtered by {@code where}, in {@code sort} order (null: newest first), at most
     * {@code limit} with the total; {@code columns} empty: the listed fields of the related entity.
     */
    record Related(String name, LocalizedText label, List<String> roles, String list, List<String> columns,
                   Map<String, List<String>> where, Sort sort, int limit, SourceLocation location) implements ViewPanel {
        public Related {
            roles = List.copyOf(roles);
            columns = List.copyOf(columns);
            where = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(where));
        }
    }

    /** Figures of the customer, side by side. */
    record Kpis(String name, LocalizedText label, List<String> roles, List<Kpi> kpis, SourceLocation location)
            implements ViewPanel {
        public Kpis {
            roles = List.copyOf(roles);
            kpis = List.copyOf(kpis);
        }
    }

    /**
     * What happened, newest first, at most {@code limit} entries: the record's own changes (audit trail), phase
     * changes and process mails, and those of the records at the {@code sources}' paths, which also appear
     * themselves (an activity logged, an opportunity opened).
     */
    record Timeline(String name, LocalizedText label, List<String> roles, List<TimelineSource> sources, int limit,
                    SourceLocation location) implements ViewPanel {
        public Timeline {
            roles = List.copyOf(roles);
            sources = List.copyOf(sources);
        }
    }

    /** The panels plugins contribute to the entity's records, where this panel stands. */
    record Plugins(String name, LocalizedText label, List<String> roles, SourceLocation location) implements ViewPanel {
        public Plugins {
            roles = List.copyOf(roles);
        }
    }

    /**
     * A figure: a field of the viewed record itself ({@code list} null, {@code measure} null; a computed field such
     * as a lifetime value), or {@code measure} over {@code field} of the records at the related path {@code list}
     * that match {@code where} ({@code field} may be null for a count) and, with a {@code period}, whose date lies in
     * it (won in the last 365 days); or the {@code ratio} of two other figures of the panel (a share of wallet).
     */
    record Kpi(String name, LocalizedText label, Aggregate measure, String list, String field,
               Map<String, List<String>> where, DateWindow period, Ratio ratio) {
        public Kpi {
            where = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(where));
        }

        /** A figure without a period, not a ratio. */
        public Kpi(String name, LocalizedText label, Aggregate measure, String list, String field,
                   Map<String, List<String>> where) {
            this(name, label, measure, list, field, where, null, null);
        }

        public boolean ofRecord() {
            return list == null && ratio == null;
        }
    }

    /**
     * The figure {@code of} divided by the figure {@code to}, both of the same panel, shown as a percentage: what the
     * customer spent with us of what they spend in all (share of wallet).
     */
    record Ratio(String of, String to) {
    }

    /** Records at a related path that join a timeline, placed at their {@code at} field (null: when created). */
    record TimelineSource(String list, String at) {
    }
}

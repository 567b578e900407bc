package io.relata.api.dashboard;

import io.relata.api.model.DateWindow;
import io.relata.api.record.Grouping;
import java.util.List;
import java.util.Objects;

/**
 * A measure over the records of {@code entity} the viewer may read, computed in the database: grouped by up to two
 * keys ({@code by}: a field, {@code owner_user}, {@code owner_team}, or a date's period), narrowed by {@code where},
 * by a relative {@code window} of dates and to whose records ({@code records}).
 *
 * @param compareWithPrevious also compute the figure over the window's previous period (needs a window)
 * @param top                 the groups with the largest first measure only, at most this many (0: all groups)
 */
public record RecordFigure(String entity, Grouping.Measure measure, List<Grouping.Key> by, List<Condition> where,
                           DateWindow window, Records records, boolean compareWithPrevious, int top)
        implements Figure {

    public RecordFigure {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(measure, "measure");
        by = List.copyOf(by);
        where = List.copyOf(where);
        records = records == null ? Records.ALL : records;
    }

    /** Whose records count, within those the viewer may read. */
    public enum Records {
        /** all the viewer may read */
        ALL,
        /** the viewer's own (they own them) */
        MINE,
        /** those of the viewer's teams */
        MY_TEAMS
    }
}

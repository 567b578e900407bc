package io.relata.api.record;

import java.util.List;

/** One page of a query. {@code nextCursor} is null on the last page. */
public record RecordPage(List<Record> records, String nextCursor) {

    public RecordPage {
        records = List.copyOf(records);
    }
}

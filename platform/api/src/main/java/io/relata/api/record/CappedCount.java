package io.relata.api.record;

/**
 * A count that stops at a limit ({@link RecordStore#countUpTo}): {@code exact} if there are {@code count}
 * records; otherwise there are more than {@code count} (the limit), e.g. shown as "10,000+".
 */
public record CappedCount(long count, boolean exact) {
}

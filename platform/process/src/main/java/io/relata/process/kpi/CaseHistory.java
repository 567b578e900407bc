package io.relata.process.kpi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stamps of one case in the order they were written (time, then stamp id), each the entry into a phase.
 * The first is the start.
 */
record CaseHistory(long caseId, List<Stamp> stamps) {

    CaseHistory {
        stamps = List.copyOf(stamps);
        if (stamps.isEmpty()) {
            throw new IllegalArgumentException("case " + caseId + " has no stamps");
        }
    }

    /** Entering {@code phase} at {@code at}; {@code reason} as recorded (closing phases), else null. */
    record Stamp(String phase, Instant at, String reason) {
    }

    /** How a case stands at the end of its stamps: ended (with when, where and why) or still open. */
    record Ending(Instant at, String phase, String reason) {
    }

    Instant start() {
        return stamps.get(0).at();
    }

    Stamp last() {
        return stamps.get(stamps.size() - 1);
    }

    /**
     * The end of the case if its latest stamp enters a closing phase: the first stamp of the trailing run of
     * closing stamps, with the phase and reason of the last one.
     */
    Optional<Ending> ending(PipelineOrder order) {
        if (!order.isClosing(last().phase())) {
            return Optional.empty();
        }
        int first = stamps.size() - 1;
        while (first > 0 && order.isClosing(stamps.get(first - 1).phase())) {
            first--;
        }
        return Optional.of(new Ending(stamps.get(first).at(), last().phase(), last().reason()));
    }

    /** Index of the first stamp entering {@code phase} at or after {@code fromIndex}, or -1. */
    int firstEntry(String phase, int fromIndex) {
        for (int i = fromIndex; i < stamps.size(); i++) {
            if (stamps.get(i).phase().equals(phase)) {
                return i;
            }
        }
        return -1;
    }
}

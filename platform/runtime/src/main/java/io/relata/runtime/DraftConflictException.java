package io.relata.runtime;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A draft cannot be published because another administrator published changes to the same keys since it began.
 * Nothing was written; the draft is kept, so that its author can look at the other changes and decide.
 */
public final class DraftConflictException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<MetadataPublisher.Conflict> conflicts;

    public DraftConflictException(List<MetadataPublisher.Conflict> conflicts) {
        super("Since this draft began, another administrator published changes to the same places: "
                + conflicts.stream().map(c -> c.path() + " (" + String.join(", ", c.keys()) + ")")
                .collect(Collectors.joining("; "))
                + ". Nothing was published. Discard the draft's change of these files and make it again on top of "
                + "the published state.");
        this.conflicts = List.copyOf(conflicts);
    }

    public List<MetadataPublisher.Conflict> conflicts() {
        return conflicts;
    }
}

package io.relata.process.kpi;

import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Positions and outcomes of a process's phases. Stamps may name phases that were removed from the
 * metadata since: those count as open and stand nowhere in the pipeline.
 */
final class PipelineOrder {

    private final ProcessDefinition process;
    private final Map<String, Integer> positions = new HashMap<>();

    PipelineOrder(ProcessDefinition process) {
        this.process = process;
        List<PhaseDefinition> phases = process.phases();
        for (int i = 0; i < phases.size(); i++) {
            positions.putIfAbsent(phases.get(i).name(), i);
        }
    }

    List<PhaseDefinition> phases() {
        return process.phases();
    }

    /** Position in the pipeline, -1 for a phase the process does not (or no longer) define. */
    int position(String phase) {
        return positions.getOrDefault(phase, -1);
    }

    PhaseOutcome outcome(String phase) {
        int position = position(phase);
        return position < 0 ? PhaseOutcome.OPEN : process.phases().get(position).outcome();
    }

    /** Fails with the list of phases if {@code phase} is not one of the process. */
    void requirePhase(String phase) {
        if (position(phase) < 0) {
            throw new IllegalArgumentException("Process '" + process.name() + "' has no phase '" + phase
                    + "'; its phases are: " + process.phases().stream().map(PhaseDefinition::name)
                    .collect(Collectors.joining(", ")));
        }
    }
}

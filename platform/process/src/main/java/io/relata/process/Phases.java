package io.relata.process;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reading a process definition: which moves are allowed from a phase and what phases are called. A
 * transition from {@code '*'} (if the loader keeps it as such) stands for every open phase except its target;
 * a move written explicitly takes precedence over one that {@code '*'} produces.
 */
final class Phases {

    static final String ANY = "*";

    private Phases() {
    }

    /** The moves allowed from {@code from}, one per target phase, explicit ones first. */
    static List<TransitionDefinition> from(ProcessDefinition process, String from) {
        List<TransitionDefinition> moves = new ArrayList<>();
        Set<String> targets = new LinkedHashSet<>();
        for (TransitionDefinition t : process.transitions()) {
            if (t.from().equals(from) && targets.add(t.to())) {
                moves.add(t);
            }
        }
        boolean open = process.phase(from).map(p -> !p.isClosing()).orElse(false);
        if (open) {
            for (TransitionDefinition t : process.transitions()) {
                if (t.from().equals(ANY) && !t.to().equals(from) && targets.add(t.to())) {
                    moves.add(t);
                }
            }
        }
        return moves;
    }

    static Optional<TransitionDefinition> transition(ProcessDefinition process, String from, String to) {
        return from(process, from).stream().filter(t -> t.to().equals(to)).findFirst();
    }

    /** "Contacted (contacted), Disqualified (disqualified)" for error messages. */
    static LocalizedText describe(ProcessDefinition process, EntityDefinition entity, List<String> phases) {
        return new LocalizedText(Map.of("de", describe(process, entity, phases, "de"), "en",
                describe(process, entity, phases, "en")));
    }

    /** The phases' labels in {@code language}; in English with the technical name an API client sends. */
    private static String describe(ProcessDefinition process, EntityDefinition entity, List<String> phases, String language) {
        if (phases.isEmpty()) {
            return language.equals("de") ? "keine" : "none";
        }
        return String.join(", ", phases.stream()
                .map(p -> {
                    String label = process.phaseLabel(entity, p).in(language);
                    return label.equals(p) || !language.equals(LocalizedText.FALLBACK_LANGUAGE) ? label : label + " (" + p + ")";
                }).toList());
    }
}

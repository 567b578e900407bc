package io.relata.plugins;

import io.relata.api.model.LocalizedText;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An install, upgrade, enable, disable or removal that did not happen, with every reason (German and English,
 * naming the file and, for metadata, the line and column). Nothing changed.
 */
public class PluginRefusedException extends Exception {

    private final List<LocalizedText> problems;

    public PluginRefusedException(List<LocalizedText> problems) {
        super(problems.stream().map(p -> p.in("en")).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public PluginRefusedException(LocalizedText problem) {
        this(List.of(problem));
    }

    public List<LocalizedText> problems() {
        return problems;
    }
}

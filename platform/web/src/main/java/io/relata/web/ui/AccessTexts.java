package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import io.relata.store.access.AccessExplanation;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * "Why can I see this record?" as lines for people, in their language, with the labels of roles and fields.
 * Hidden fields are not mentioned to users who cannot see them (for them such fields do not exist);
 * administrators get the whole explanation, hidden fields and ignored roles included.
 */
final class AccessTexts {

    private final UiText ui;
    private final MetadataModel model;
    private final String language;

    private AccessTexts(UiText ui, MetadataModel model) {
        this.ui = ui;
        this.model = model;
        this.language = ui.locale().getLanguage();
    }

    static List<String> lines(AccessExplanation explanation, boolean administrator, MetadataModel model, UiText ui) {
        return new AccessTexts(ui, model).lines(explanation, administrator);
    }

    private List<String> lines(AccessExplanation explanation, boolean administrator) {
        List<String> lines = new ArrayList<>();
        explanation.reasons().forEach(reason -> lines.add(reason(reason)));
        if (!explanation.canUpdate()) {
            lines.add(ui.message("access.noUpdate"));
        }
        if (!explanation.canDelete()) {
            lines.add(ui.message("access.noDelete"));
        }
        EntityDefinition entity = model.entity(explanation.entity()).orElse(null);
        explanation.fields().stream().filter(f -> administrator || f.access() != FieldAccess.HIDDEN)
                .forEach(f -> lines.add(field(entity, f)));
        if (administrator && !explanation.ignoredRoles().isEmpty()) {
            lines.add(format("access.ignoredRoles", String.join(", ", explanation.ignoredRoles())));
        }
        return lines;
    }

    private String reason(AccessExplanation.Reason reason) {
        String who = reason.role() == null ? ui.message("access.system") : format("access.role", role(reason.role()));
        String verb = ui.message("access.verb." + reason.operation().label());
        String why = reason.why().in(language);
        if (reason.scope() == null) {
            return format("access.reason.linked", who, verb, why);
        }
        return format("access.reason", who, verb, ui.message("access.records." + reason.scope().yamlName()), why);
    }

    private String field(EntityDefinition entity, AccessExplanation.FieldRule rule) {
        String label = entity == null ? rule.field()
                : entity.field(rule.field()).map(ui::label).orElse(rule.field());
        List<String> parts = new ArrayList<>();
        if (!rule.roles().isEmpty()) {
            parts.add(format(rule.roles().size() == 1 ? "access.fromRole" : "access.fromRoles",
                    rule.roles().stream().map(this::role).collect(Collectors.joining(", "))));
        }
        if (rule.note() != null) {
            parts.add(rule.note().in(language));
        }
        String access = ui.message("access.field." + rule.access().yamlName().replace('-', '_'));
        return parts.isEmpty() ? format("access.fieldLine", label, access)
                : format("access.fieldLineWhy", label, access, String.join("; ", parts));
    }

    private String role(String name) {
        return model.role(name).map(RoleDefinition::label).map(ui::text).orElse(name);
    }

    private String format(String key, Object... arguments) {
        return new MessageFormat(ui.message(key), ui.locale()).format(arguments);
    }
}

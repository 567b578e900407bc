package io.relata.process.dialog;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ReverseList;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogField;
import io.relata.api.process.DialogFinish;
import io.relata.api.process.DialogStep;
import io.relata.api.process.DialogStep.DialogBranch;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import io.relata.api.security.AccessScope;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model of the dialog tests, as metadata/entities, roles, processes and dialogs/lead_qualification.yaml
 * would declare it:
 * <pre>
 * contact (company*, has_budget*; company at least 2 characters)
 *   ├─ has_budget → budget (budget* ≥ 100, decision_date) → needs
 *   └─ otherwise  → needs (topic*, notes) → summary
 * finish: status = qualified; create opportunity "{{record.company}}: {{dialog.topic}}" linked to the lead with
 *         the budget as amount; move the lead to phase "qualified"
 * </pre>
 * Roles: {@code sales} may do everything with leads and opportunities, {@code viewer} may only see leads,
 * {@code intern} may change leads but only see their budget, {@code outsider} may change leads but not see
 * their company.
 */
final class LeadQualification {

    static final String DIALOG = "lead_qualification";
    static final String FILE = "metadata/dialogs/lead_qualification.yaml";

    private LeadQualification() {
    }

    static MetadataModel model() {
        EntityDefinition lead = entity("lead", "name",
                field("name", FieldType.TEXT, true),
                field("company", FieldType.TEXT, false),
                field("budget", FieldType.MONEY, false),
                field("notes", FieldType.LONG_TEXT, false),
                choice("status", "new", "qualified"),
                choice("phase", "new", "contacted", "qualified"));
        EntityDefinition opportunity = entity("opportunity", "name",
                field("name", FieldType.TEXT, true),
                reference("lead", "lead"),
                field("amount", FieldType.MONEY, false));

        ProcessDefinition process = new ProcessDefinition("lead_process", "lead", text("Lead process"), "phase", null,
                List.of(phase("new"), phase("contacted"), phase("qualified")),
                List.of(new TransitionDefinition("*", "qualified", null, null, SourceLocation.UNKNOWN)),
                new SourceLocation("metadata/processes/lead_process.yaml", 1, 1));

        Map<String, EntityDefinition> entities = new LinkedHashMap<>();
        entities.put("lead", lead);
        entities.put("opportunity", opportunity);
        Map<String, RoleDefinition> roles = new LinkedHashMap<>();
        roles.put("sales", role("sales", grant("lead", AccessScope.ALL, Map.of()),
                grant("opportunity", AccessScope.ALL, Map.of())));
        roles.put("viewer", role("viewer", new EntityGrant("lead", false, AccessScope.ALL, AccessScope.NONE,
                AccessScope.NONE, false, FieldAccess.EDITABLE, Map.of(), SourceLocation.UNKNOWN)));
        roles.put("intern", role("intern", grant("lead", AccessScope.ALL, Map.of("budget", FieldAccess.READ_ONLY)),
                grant("opportunity", AccessScope.ALL, Map.of())));
        roles.put("outsider", role("outsider", grant("lead", AccessScope.ALL, Map.of("company", FieldAccess.HIDDEN))));
        return new MetadataModel(entities, roles, Map.of(process.name(), process),
                Map.of(DIALOG, dialog(lead)), Map.of(), "dialog-test", Instant.EPOCH);
    }

    /** {@code model} with the dialog's step {@code from} renamed to {@code to} (a later metadata version). */
    static MetadataModel withStepRenamed(MetadataModel model, String from, String to) {
        DialogDefinition dialog = model.dialog(DIALOG).orElseThrow();
        List<DialogStep> steps = dialog.steps().stream().map(step -> new DialogStep(
                step.name().equals(from) ? to : step.name(), step.title(), step.help(), step.fields(), step.validation(),
                step.next().stream().map(b -> new DialogBranch(b.when(), from.equals(b.step()) ? to : b.step(),
                        b.source())).toList(),
                step.source())).toList();
        return withDialog(model, new DialogDefinition(dialog.name(), dialog.label(), dialog.description(),
                dialog.entity(), steps, dialog.finish(), dialog.source()));
    }

    /** {@code model} with the dialog open only to {@code roles}. */
    static MetadataModel withRoles(MetadataModel model, String... roles) {
        DialogDefinition dialog = model.dialog(DIALOG).orElseThrow();
        return withDialog(model, new DialogDefinition(dialog.name(), dialog.label(), dialog.description(),
                dialog.entity(), dialog.steps(), dialog.finish(), dialog.source(), List.of(roles)));
    }

    /** {@code model} with the value of {@code field} of the created opportunity replaced. */
    static MetadataModel withCreatedValue(MetadataModel model, String field, Object value) {
        DialogDefinition dialog = model.dialog(DIALOG).orElseThrow();
        DialogFinish.CreateRecord create = dialog.finish().creates().get(0);
        Map<String, Object> values = new LinkedHashMap<>(create.values());
        values.put(field, value);
        DialogFinish finish = new DialogFinish(dialog.finish().setFields(),
                List.of(new DialogFinish.CreateRecord(create.entity(), values, create.source())),
                dialog.finish().movePhase(), dialog.finish().source());
        return withDialog(model, new DialogDefinition(dialog.name(), dialog.label(), dialog.description(),
                dialog.entity(), dialog.steps(), finish, dialog.source()));
    }

    private static MetadataModel withDialog(MetadataModel model, DialogDefinition dialog) {
        return new MetadataModel(model.entities(), model.roles(), model.processes(), Map.of(dialog.name(), dialog),
                model.templates(), model.revision() + "+", model.loadedAt());
    }

    private static DialogDefinition dialog(EntityDefinition lead) {
        DialogStep contact = new DialogStep("contact", LocalizedText.of("Kontakt", "Contact"), null,
                List.of(entityField(lead, "company", true),
                        dialogField("has_budget", FieldType.BOOLEAN, "Budget available?", true)),
                rule("contact_validation", RuleKind.VALIDATION,
                        "record.company.length > 1 || {company: 'Enter at least two characters'}", 10),
                List.of(new DialogBranch(rule("contact_to_budget", RuleKind.CONDITION, "record.has_budget", 12),
                                "budget", at(12)),
                        new DialogBranch(null, "needs", at(13))),
                at(5));
        DialogStep budget = new DialogStep("budget", LocalizedText.of("Budget", "Budget"), null,
                List.of(entityField(lead, "budget", true),
                        dialogField("decision_date", FieldType.DATE, "Decision by", false)),
                rule("budget_validation", RuleKind.VALIDATION,
                        "record.budget >= 100 || {budget: 'A budget below 100 is not worth a deal'}", 20),
                List.of(new DialogBranch(null, "needs", at(22))),
                at(15));
        DialogStep needs = new DialogStep("needs", LocalizedText.of("Bedarf", "Needs"), null,
                List.of(dialogField("topic", FieldType.TEXT, "Topic", true), entityField(lead, "notes", false)),
                null, List.of(), at(25));
        Map<String, Object> opportunity = new LinkedHashMap<>();
        opportunity.put("name", "{{record.company}}: {{dialog.topic}}");
        opportunity.put("lead", "{{record.id}}");
        opportunity.put("amount", "{{record.budget}}");
        DialogFinish finish = new DialogFinish(Map.of("status", "qualified"),
                List.of(new DialogFinish.CreateRecord("opportunity", opportunity, at(33))), "qualified", at(30));
        return new DialogDefinition(DIALOG, LocalizedText.of("Lead qualifizieren", "Qualify lead"), null, "lead",
                List.of(contact, budget, needs), finish, at(1));
    }

    // ---- building blocks ----

    private static DialogField entityField(EntityDefinition entity, String name, boolean required) {
        FieldDefinition f = entity.field(name).orElseThrow();
        return new DialogField(new FieldDefinition(f.name(), f.label(), f.type(), required, f.unique(), f.indexed(),
                f.searchable(), f.listed(), f.maxLength(), f.precision(), f.scale(), f.options(), f.referenceEntity(),
                f.reverseList(), f.help(), f.location()), true);
    }

    private static DialogField dialogField(String name, FieldType type, String label, boolean required) {
        return new DialogField(new FieldDefinition(name, text(label), type, required, false, false, false, false, null,
                null, null, List.of(), null, null, null, SourceLocation.UNKNOWN), false);
    }

    private static RuleDefinition rule(String name, RuleKind kind, String source, int line) {
        return new RuleDefinition(name, kind, null, null, source, FILE, at(line));
    }

    private static SourceLocation at(int line) {
        return new SourceLocation(FILE, line, 5);
    }

    private static EntityDefinition entity(String name, String title, FieldDefinition... fields) {
        return new EntityDefinition(name, text(Character.toUpperCase(name.charAt(0)) + name.substring(1)),
                text(name + "s"), null, title, Arrays.asList(fields), SourceLocation.UNKNOWN);
    }

    private static FieldDefinition field(String name, FieldType type, boolean required) {
        return new FieldDefinition(name, text(Character.toUpperCase(name.charAt(0)) + name.substring(1)), type,
                required, false, false, false, true, null, null, null, List.of(), null, null, null,
                SourceLocation.UNKNOWN);
    }

    private static FieldDefinition choice(String name, String... options) {
        List<ChoiceOption> choices = Arrays.stream(options).map(o -> new ChoiceOption(o, text(o))).toList();
        return new FieldDefinition(name, text(Character.toUpperCase(name.charAt(0)) + name.substring(1)),
                FieldType.CHOICE, false, false, false, false, true, null, null, null, choices, null, null, null,
                SourceLocation.UNKNOWN);
    }

    private static FieldDefinition reference(String name, String target) {
        return new FieldDefinition(name, text("Lead"), FieldType.REFERENCE, false, false, false, false, true, null,
                null, null, List.of(), target, new ReverseList("opportunities", text("Opportunities")), null,
                SourceLocation.UNKNOWN);
    }

    private static PhaseDefinition phase(String name) {
        return new PhaseDefinition(name, text(name), PhaseOutcome.OPEN, List.of(), null, List.of(), List.of(),
                List.of(), SourceLocation.UNKNOWN);
    }

    private static EntityGrant grant(String entity, AccessScope scope, Map<String, FieldAccess> fields) {
        return new EntityGrant(entity, true, scope, scope, scope, false, FieldAccess.EDITABLE, fields,
                SourceLocation.UNKNOWN);
    }

    private static RoleDefinition role(String name, EntityGrant... grants) {
        Map<String, EntityGrant> byEntity = new LinkedHashMap<>();
        for (EntityGrant grant : grants) {
            byEntity.put(grant.entity(), grant);
        }
        return new RoleDefinition(name, text(name), null, false, byEntity, SourceLocation.UNKNOWN);
    }

    private static LocalizedText text(String english) {
        return new LocalizedText(Map.of("en", english));
    }
}

package io.relata.process.diagram;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Processes as the metadata loader would build them, for the diagram and BPMN tests. */
final class SampleProcesses {

    private static final SourceLocation HERE = new SourceLocation("metadata/processes/sample.yaml", 1, 1);

    private SampleProcesses() {
    }

    /** lead: new → contacted → qualified → converted, and disqualified from any open phase (with a guard). */
    static ProcessDefinition linearLead() {
        return process("lead_qualification", "lead", LocalizedText.of("Lead-Qualifizierung", "Lead qualification"),
                List.of(open("new"), open("contacted"), open("qualified"),
                        closing("converted", PhaseOutcome.SUCCESS), closing("disqualified", PhaseOutcome.FAILURE)),
                List.of(move("new", "contacted"), move("contacted", "qualified"),
                        guarded("qualified", "converted", inlineGuard("record.budget > 0 || 'Needs a budget'")),
                        guarded("*", "disqualified", fileGuard("needs_disqualification_reason"))));
    }

    /** The opportunity pipeline of the issue: skips, back-moves, reopening, several closing phases. */
    static ProcessDefinition opportunitySales() {
        PhaseDefinition qualification = new PhaseDefinition("qualification", null, PhaseOutcome.OPEN, List.of(),
                null, List.of(new ProcessAction.CreateTodo(LocalizedText.of("Erstgespräch", "First call"),
                new ProcessAction.RecordOwner(), Duration.ofDays(2), HERE)), List.of(), List.of(), HERE);
        PhaseDefinition proposal = new PhaseDefinition("proposal", null, PhaseOutcome.OPEN,
                List.of("amount", "close_date"), null, List.of(), List.of(), List.of(), HERE);
        PhaseDefinition negotiation = new PhaseDefinition("negotiation", null, PhaseOutcome.OPEN, List.of(), null,
                List.of(), List.of(new ProcessAction.CallExtension("erp_sync", Map.of("mode", "full"), HERE)),
                List.of(new TimerDefinition("stale_negotiation", Duration.ofDays(14), List.of(
                        new ProcessAction.CreateTodo(LocalizedText.of("Nachfassen", "Follow up"),
                                new ProcessAction.Role("sales_manager"), Duration.ofDays(1), HERE),
                        new ProcessAction.MovePhase("lost", HERE)), HERE)), HERE);
        PhaseDefinition won = new PhaseDefinition("won", null, PhaseOutcome.SUCCESS, List.of(), null, List.of(
                new ProcessAction.SetFields(Map.of("probability", 100), HERE),
                new ProcessAction.SendMail("deal_won", new ProcessAction.RecordOwner(), HERE),
                new ProcessAction.CallWebhook("http://127.0.0.1:9999/hook", HERE)), List.of(), List.of(), HERE);
        PhaseDefinition lost = new PhaseDefinition("lost", null, PhaseOutcome.FAILURE, List.of(), "loss_reason",
                List.of(new ProcessAction.SetFields(Map.of("probability", 0), HERE)), List.of(), List.of(), HERE);
        return process("opportunity_sales", "opportunity", LocalizedText.of("Vertrieb", "Sales pipeline"),
                List.of(qualification, open("needs_analysis"), proposal, negotiation, won, lost,
                        closing("cancelled", PhaseOutcome.FAILURE)),
                List.of(move("qualification", "needs_analysis"), move("qualification", "proposal"),
                        move("needs_analysis", "proposal"),
                        guarded("proposal", "negotiation", fileGuard("proposal_needs_quote")),
                        move("proposal", "needs_analysis"), move("negotiation", "proposal"),
                        guarded("negotiation", "won", inlineGuard("record.signed_on != null || 'A won deal needs a "
                                + "signed contract date'")),
                        guarded("proposal", "won", inlineGuard("record.amount > 0\n|| 'A won deal needs an amount'")),
                        move("*", "lost"), move("*", "cancelled"), move("lost", "qualification"),
                        move("won", "lost")));
    }

    /** The demo: booking link, reminder after 3 days, automatic move once a meeting is booked. */
    static ProcessDefinition appointmentRequest() {
        PhaseDefinition requested = new PhaseDefinition("requested", LocalizedText.of("Angefragt", "Requested"),
                PhaseOutcome.OPEN, List.of("email"), null,
                List.of(new ProcessAction.SendMail("booking_link", new ProcessAction.Field("email"), HERE)), List.of(),
                List.of(new TimerDefinition("booking_reminder", Duration.ofDays(3), List.of(
                                new ProcessAction.SendMail("booking_reminder", new ProcessAction.Field("email"), HERE)), HERE),
                        new TimerDefinition("give_up", Duration.ofDays(14).plusHours(12), List.of(
                                new ProcessAction.MovePhase("expired", HERE)), HERE)), HERE);
        PhaseDefinition booked = new PhaseDefinition("booked", LocalizedText.of("Gebucht", "Booked"),
                PhaseOutcome.OPEN, List.of("meeting_at"), null,
                List.of(new ProcessAction.SendMail("meeting_preparation", new ProcessAction.Field("email"), HERE)),
                List.of(), List.of(), HERE);
        PhaseDefinition met = new PhaseDefinition("met", LocalizedText.of("Termin gehalten", "Meeting held"),
                PhaseOutcome.SUCCESS, List.of(), null, List.of(), List.of(), List.of(), HERE);
        PhaseDefinition expired = new PhaseDefinition("expired", LocalizedText.of("Verfallen", "Expired"),
                PhaseOutcome.FAILURE, List.of(), null, List.of(), List.of(), List.of(), HERE);
        return process("meeting_request", "meeting_request", LocalizedText.of("Terminanfrage", "Appointment request"),
                List.of(requested, booked, met, expired),
                List.of(new TransitionDefinition("requested", "booked", null,
                                condition("record.meeting_at != null"), HERE),
                        move("booked", "met"), move("requested", "expired"), move("booked", "requested")));
    }

    /** Many phases: every open phase may skip to the one after next and fall back to the first. */
    static ProcessDefinition manyPhases(int openPhases) {
        List<PhaseDefinition> phases = new ArrayList<>();
        List<TransitionDefinition> transitions = new ArrayList<>();
        for (int i = 1; i <= openPhases; i++) {
            phases.add(open("step_" + i));
            if (i > 1) {
                transitions.add(move("step_" + (i - 1), "step_" + i));
                transitions.add(move("step_" + i, "step_1"));
            }
            if (i > 2) {
                transitions.add(move("step_" + (i - 2), "step_" + i));
            }
        }
        phases.add(closing("done", PhaseOutcome.SUCCESS));
        phases.add(closing("done_early", PhaseOutcome.SUCCESS));
        phases.add(closing("dropped", PhaseOutcome.FAILURE));
        phases.add(closing("rejected", PhaseOutcome.FAILURE));
        transitions.add(move("step_" + openPhases, "done"));
        transitions.add(move("step_1", "done_early"));
        transitions.add(move("*", "dropped"));
        transitions.add(move("*", "rejected"));
        transitions.add(move("rejected", "dropped"));
        transitions.add(move("dropped", "step_2"));
        return process("long_pipeline", "ticket", null, phases, transitions);
    }

    static ProcessDefinition withoutTransitions() {
        return process("draft", "ticket", LocalizedText.of("Entwurf", "Draft"),
                List.of(open("open"), open("in_progress"), closing("resolved", PhaseOutcome.SUCCESS)), List.of());
    }

    /** Labels that need escaping, a phase without any label, a phase name that is no XML name. */
    static ProcessDefinition awkwardLabels() {
        PhaseDefinition escaped = new PhaseDefinition("offer", LocalizedText.of("Angebot <Entwurf> & \"final\"",
                "Offer <draft> & \"final\""), PhaseOutcome.OPEN, List.of(), null, List.of(), List.of(), List.of(), HERE);
        return process("awkward <one>", "deal", LocalizedText.of("Sonder & <Fälle>", "Odd & <cases>"),
                List.of(escaped, open("unlabelled"), closing("2nd call/ü", PhaseOutcome.SUCCESS)),
                List.of(guarded("offer", "unlabelled", inlineGuard("record.a < 1 && record.b > 2 || \"x\"")),
                        move("unlabelled", "2nd call/ü")));
    }

    static EntityDefinition entityWithPhaseField(String entity, String... phasesAndEnglishLabels) {
        List<ChoiceOption> options = new ArrayList<>();
        for (int i = 0; i < phasesAndEnglishLabels.length; i += 2) {
            options.add(new ChoiceOption(phasesAndEnglishLabels[i],
                    new LocalizedText(Map.of("en", phasesAndEnglishLabels[i + 1]))));
        }
        FieldDefinition phase = new FieldDefinition("phase", LocalizedText.of("Phase", "Phase"), FieldType.CHOICE,
                false, false, false, false, true, null, null, null, options, null, null, null, HERE);
        FieldDefinition amount = new FieldDefinition("amount", LocalizedText.of("Betrag", "Amount"), FieldType.MONEY,
                false, false, false, false, true, null, null, null, List.of(), null, null, null, HERE);
        FieldDefinition lossReason = new FieldDefinition("loss_reason", LocalizedText.of("Verlustgrund", "Loss reason"),
                FieldType.TEXT, false, false, false, false, true, null, null, null, List.of(), null, null, null, HERE);
        return new EntityDefinition(entity, LocalizedText.of("Verkaufschance", "Opportunity"),
                LocalizedText.of("Verkaufschancen", "Opportunities"), null, "name", List.of(phase, amount, lossReason), HERE);
    }

    static EntityDefinition opportunityEntity() {
        return entityWithPhaseField("opportunity", "qualification", "Qualification", "needs_analysis", "Needs analysis",
                "proposal", "Proposal", "negotiation", "Negotiation", "won", "Won", "lost", "Lost",
                "cancelled", "Cancelled");
    }

    static PhaseDefinition open(String name) {
        return new PhaseDefinition(name, null, PhaseOutcome.OPEN, List.of(), null, List.of(), List.of(), List.of(), HERE);
    }

    static PhaseDefinition closing(String name, PhaseOutcome outcome) {
        return new PhaseDefinition(name, null, outcome, List.of(), null, List.of(), List.of(), List.of(), HERE);
    }

    static TransitionDefinition move(String from, String to) {
        return new TransitionDefinition(from, to, null, null, HERE);
    }

    static TransitionDefinition guarded(String from, String to, RuleDefinition guard) {
        return new TransitionDefinition(from, to, guard, null, HERE);
    }

    static RuleDefinition inlineGuard(String source) {
        return new RuleDefinition("transition_guard", RuleKind.VALIDATION, null, null, source,
                "metadata/processes/sample.yaml", HERE);
    }

    static RuleDefinition fileGuard(String name) {
        return new RuleDefinition(name, RuleKind.VALIDATION, null, null,
                "const quotes = record.quote_count;\nreturn quotes > 0 || 'A proposal needs a quote';",
                "metadata/processes/rules/" + name + ".js", HERE);
    }

    static RuleDefinition condition(String source) {
        return new RuleDefinition("transition_when", RuleKind.CONDITION, null, null, source,
                "metadata/processes/sample.yaml", HERE);
    }

    static ProcessDefinition process(String name, String entity, LocalizedText label, List<PhaseDefinition> phases,
                                     List<TransitionDefinition> transitions) {
        return new ProcessDefinition(name, entity, label, "phase", null, phases, transitions, HERE);
    }

    /** Every sample, by name, for tests that must hold for any process. */
    static Map<String, ProcessDefinition> all() {
        Map<String, ProcessDefinition> all = new LinkedHashMap<>();
        Arrays.asList(linearLead(), opportunitySales(), appointmentRequest(), manyPhases(20), withoutTransitions(),
                awkwardLabels(), process("empty", "ticket", null, List.of(), List.of()))
                .forEach(p -> all.put(p.name(), p));
        return all;
    }
}

package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogField;
import io.relata.api.process.DialogStep;
import io.relata.api.process.MailTemplate;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The processes, dialogs and mail templates shipped in metadata/ load with the entities and mean what they say. */
class ShippedProcessesTest {

    static final String DIR = "../../metadata/";

    private static MetadataModel model;

    @BeforeAll
    static void load() throws MetadataException {
        model = new MetadataLoader().load(MetadataFiles.fromDirectory(ShippedMetadataTest.METADATA));
    }

    @Test
    void processesLoadInFileOrderWithTheInsurancePipelineBeforeTheStandardOne() {
        assertThat(model.processes().keySet()).containsExactly("contract", "lead_management", "meeting_booking",
                "opportunity_insurance", "opportunity_sales", "quote", "sales_order", "ticket_service");
        assertThat(model.processesOf("opportunity")).extracting(ProcessDefinition::name)
                .containsExactly("opportunity_insurance", "opportunity_sales");
        assertThat(model.dialogs().keySet()).containsExactly("lead_qualification");
        assertThat(model.templates().keySet()).containsExactlyInAnyOrder("booking_link", "booking_reminder",
                "meeting_preparation", "deal_won", "ticket_escalation", "ticket_customer_reminder", "quote_sent",
                "contract_renewal", "consent_confirmation");
    }

    @Test
    void leadManagementMovesFromNewToConvertedOrDisqualifiedWithAReason() {
        ProcessDefinition lead = model.process("lead_management").orElseThrow();
        assertThat(lead.entity()).isEqualTo("lead");
        assertThat(lead.phaseField()).isEqualTo("status");
        assertThat(lead.appliesWhen()).isNull();
        assertThat(lead.phases()).extracting(p -> p.name() + ":" + p.outcome()).containsExactly(
                "new:OPEN", "contacted:OPEN", "qualified:OPEN", "converted:SUCCESS", "disqualified:FAILURE");
        assertThat(lead.initialPhase().name()).isEqualTo("new");
        assertThat(lead.phase("disqualified").orElseThrow().reasonField()).isEqualTo("disqualify_reason");
        assertThat(lead.phase("qualified").orElseThrow().requiredFields()).containsExactly("company");
        assertThat(moves(lead)).containsExactly("new->contacted", "new->qualified", "contacted->qualified",
                "qualified->converted", "qualified->contacted", "new->disqualified", "contacted->disqualified",
                "qualified->disqualified", "disqualified->new");
        ProcessAction.CreateTodo todo = (ProcessAction.CreateTodo) lead.phase("contacted").orElseThrow().onEnter().get(0);
        assertThat(todo.assignee()).isEqualTo(new ProcessAction.RecordOwner());
        assertThat(todo.due()).isEqualTo(Duration.ofDays(2));
        assertThat(todo.subject().in("en")).isEqualTo(
                "Clarify needs: {{record.last_name}}{{#record.company}}, {{record.company}}{{/record.company}}");
        assertThat(todo.source()).isEqualTo(new SourceLocation(DIR + "processes/lead_management.yaml", 12, 9));
        FieldDefinition reason = model.entity("lead").orElseThrow().field("disqualify_reason").orElseThrow();
        assertThat(reason.type()).isEqualTo(FieldType.LONG_TEXT);
    }

    @Test
    void opportunitySalesGuardsProposalAndWonAndSetsTheProbability() {
        ProcessDefinition sales = model.process("opportunity_sales").orElseThrow();
        assertThat(sales.phases()).extracting(PhaseDefinition::name).containsExactly("qualification", "needs_analysis",
                "proposal", "negotiation", "won", "lost", "cancelled");
        assertThat(sales.phases()).filteredOn(PhaseDefinition::isClosing).extracting(PhaseDefinition::name)
                .containsExactly("won", "lost", "cancelled");
        assertThat(sales.phase("lost").orElseThrow().reasonField()).isEqualTo("loss_reason");
        assertThat(sales.phase("cancelled").orElseThrow().reasonField()).isEqualTo("loss_reason");

        TransitionDefinition toProposal = sales.transition("needs_analysis", "proposal").orElseThrow();
        String file = DIR + "processes/opportunity_sales.yaml";
        assertThat(toProposal.guard().kind()).isEqualTo(RuleKind.VALIDATION);
        assertThat(toProposal.guard().name()).isEqualTo("opportunity_sales.needs_analysis->proposal.guard");
        assertThat(toProposal.guard().source()).isEqualTo("record.amount > 0 || {amount: {de: 'Ein Angebot braucht einen Betrag', en: 'A proposal needs an amount'}}");
        assertThat(toProposal.guard().sourceName()).isEqualTo(file);
        assertThat(toProposal.guard().start()).isEqualTo(new SourceLocation(file, 62, 13));
        assertThat(sales.transition("qualification", "proposal").orElseThrow().guard().source())
                .isEqualTo(toProposal.guard().source());

        RuleDefinition wonGuard = sales.transition("negotiation", "won").orElseThrow().guard();
        assertThat(wonGuard.isExpression()).isFalse();
        assertThat(wonGuard.source()).contains("return {contract_signed_on: {de: 'Ein gewonnenes Geschäft braucht das Datum der Vertragsunterschrift', en: 'A won deal needs a signed contract date'}}");
        assertThat(wonGuard.start()).isEqualTo(new SourceLocation(file, 68, 7));
        assertThat(sales.transition("qualification", "won")).isEmpty();
        assertThat(sales.phase("won").orElseThrow().onEnter()).filteredOn(a -> a instanceof ProcessAction.UpdateReferenced
                || a instanceof ProcessAction.CreateRecord).extracting(Object::toString).hasSize(3)
                .anySatisfy(a -> assertThat(a).contains("account", "is_customer=true", "lifecycle_stage=customer"))
                .anySatisfy(a -> assertThat(a).contains("contact", "lifecycle_stage=customer"))
                .anySatisfy(a -> assertThat(a).contains("activity", "regarding", "Prepare the kick-off"));

        assertThat(sales.transitionsFrom("negotiation")).extracting(TransitionDefinition::to)
                .containsExactly("proposal", "won", "lost", "cancelled");
        assertThat(sales.transitionsFrom("won")).isEmpty();
        assertThat(sales.transitionsFrom("lost")).extracting(TransitionDefinition::to).containsExactly("qualification");

        ProcessAction.SetFields won = (ProcessAction.SetFields) sales.phase("won").orElseThrow().onEnter().get(0);
        assertThat(won.values()).containsExactly(java.util.Map.entry("probability", 100L));
        assertThat(won.force()).as("a won deal is certain, whatever was typed").isTrue();
        ProcessAction.SetFields today = (ProcessAction.SetFields) sales.phase("won").orElseThrow().onEnter().get(1);
        assertThat(today.force()).as("a close date typed with the move is kept").isFalse();
        RuleDefinition closeDate = (RuleDefinition) today.values().get("close_date");
        assertThat(closeDate.kind()).isEqualTo(RuleKind.COMPUTED);
        assertThat(closeDate.field()).isEqualTo("close_date");
        assertThat(closeDate.source()).isEqualTo("today");
        assertThat(closeDate.name()).isEqualTo("opportunity_sales.won.onEnter.close_date");
        assertThat(closeDate.start()).isEqualTo(new SourceLocation(file, 39, 29));
        assertThat(sales.phase("won").orElseThrow().onEnter().get(2))
                .isEqualTo(new ProcessAction.SendMail("deal_won", new ProcessAction.RecordOwner(),
                        new SourceLocation(file, 40, 9)));

        TimerDefinition stale = sales.phase("negotiation").orElseThrow().timers().get(0);
        assertThat(stale.name()).isEqualTo("stale_negotiation");
        assertThat(stale.after()).isEqualTo(Duration.ofDays(14));
        ProcessAction.CreateTodo escalation = (ProcessAction.CreateTodo) stale.actions().get(0);
        assertThat(escalation.assignee()).isEqualTo(new ProcessAction.Role("sales_manager"));
        assertThat(escalation.due()).isEqualTo(Duration.ofDays(1));

        EntityDefinition opportunity = model.entity("opportunity").orElseThrow();
        assertThat(opportunity.field("contract_signed_on").orElseThrow().type()).isEqualTo(FieldType.DATE);
        assertThat(opportunity.field("product_line").orElseThrow().options()).extracting(o -> o.value())
                .containsExactly("standard", "insurance");
    }

    @Test
    void insurancePipelineAppliesToInsuranceOpportunitiesWithASubsetOfThePhases() {
        ProcessDefinition insurance = model.process("opportunity_insurance").orElseThrow();
        assertThat(insurance.appliesWhen().kind()).isEqualTo(RuleKind.CONDITION);
        assertThat(insurance.appliesWhen().source()).isEqualTo("record.product_line == 'insurance'");
        assertThat(insurance.appliesWhen().field()).isNull();
        assertThat(insurance.phaseField()).isEqualTo("phase");
        assertThat(insurance.phases()).extracting(PhaseDefinition::name)
                .containsExactly("qualification", "needs_analysis", "proposal", "won", "lost");
        assertThat(moves(insurance)).containsExactly("qualification->needs_analysis", "needs_analysis->proposal",
                "proposal->needs_analysis", "proposal->won", "qualification->lost", "needs_analysis->lost",
                "proposal->lost", "lost->qualification");
    }

    @Test
    void ticketServiceEscalatesAfterEightHoursAndRemindsTheCustomerAfterAWeek() {
        ProcessDefinition tickets = model.process("ticket_service").orElseThrow();
        assertThat(tickets.phases()).extracting(p -> p.name() + ":" + p.outcome()).containsExactly("open:OPEN",
                "in_progress:OPEN", "waiting_for_customer:OPEN", "resolved:SUCCESS", "rejected:FAILURE");
        TimerDefinition escalation = tickets.phase("open").orElseThrow().timers().get(0);
        assertThat(escalation.after()).isEqualTo(Duration.ofHours(8));
        assertThat(escalation.actions()).hasSize(2);
        assertThat(((ProcessAction.CreateTodo) escalation.actions().get(0)).assignee())
                .isEqualTo(new ProcessAction.Role("service"));
        assertThat(((ProcessAction.SendMail) escalation.actions().get(1)).template()).isEqualTo("ticket_escalation");
        TimerDefinition reminder = tickets.phase("waiting_for_customer").orElseThrow().timers().get(0);
        assertThat(reminder.after()).isEqualTo(Duration.ofDays(7));
        assertThat(reminder.actions()).extracting(a -> ((ProcessAction.SendMail) a).to())
                .containsExactly(new ProcessAction.Field("customer_email"));
        assertThat(tickets.phase("rejected").orElseThrow().reasonField()).isEqualTo("rejection_reason");
        EntityDefinition ticket = model.entity("ticket").orElseThrow();
        assertThat(ticket.field("rejection_reason").orElseThrow().type()).isEqualTo(FieldType.CHOICE);
        assertThat(ticket.field("customer_email").orElseThrow().type()).isEqualTo(FieldType.EMAIL);
        assertThat(model.reverseReferences("ticket")).isEmpty(); // its to-dos link to it through activity.regarding
        assertThat(model.recordLinks()).extracting(r -> r.sourceEntity().name() + "." + r.sourceField().name())
                .containsExactly("activity.regarding");
    }

    @Test
    void meetingBookingMailsTheLinkRemindsExpiresAndMovesToBookedByItself() {
        ProcessDefinition booking = model.process("meeting_booking").orElseThrow();
        String file = DIR + "processes/meeting_booking.yaml";
        assertThat(booking.entity()).isEqualTo("meeting_request");
        PhaseDefinition requested = booking.initialPhase();
        assertThat(requested.name()).isEqualTo("requested");
        assertThat(requested.onEnter()).containsExactly(new ProcessAction.SendMail("booking_link",
                new ProcessAction.Field("email"), new SourceLocation(file, 12, 9)));
        assertThat(requested.timers()).extracting(t -> t.name() + ":" + t.after())
                .containsExactly("booking_reminder:PT72H", "booking_expired:PT240H");
        assertThat(requested.timers().get(0).actions()).extracting(a -> ((ProcessAction.SendMail) a).template())
                .containsExactly("booking_reminder");
        assertThat(requested.timers().get(1).actions()).containsExactly(
                new ProcessAction.MovePhase("expired", new SourceLocation(file, 23, 13)));

        TransitionDefinition automatic = booking.transition("requested", "booked").orElseThrow();
        assertThat(automatic.isAutomatic()).isTrue();
        assertThat(automatic.guard()).isNull();
        assertThat(automatic.when().kind()).isEqualTo(RuleKind.CONDITION);
        assertThat(automatic.when().name()).isEqualTo("meeting_booking.requested->booked.when");
        assertThat(automatic.when().source()).isEqualTo("record.meeting_at != null && record.meeting_link != null");
        assertThat(automatic.when().start()).isEqualTo(new SourceLocation(file, 35, 12));
        assertThat(booking.transitions()).filteredOn(TransitionDefinition::isAutomatic).hasSize(1);

        PhaseDefinition booked = booking.phase("booked").orElseThrow();
        assertThat(booked.requiredFields()).containsExactly("meeting_at", "meeting_link");
        assertThat(booked.onEnter()).extracting(a -> ((ProcessAction.SendMail) a).template())
                .containsExactly("meeting_preparation");
        assertThat(booking.phase("held").orElseThrow().outcome()).isEqualTo(PhaseOutcome.SUCCESS);
        assertThat(booking.phase("expired").orElseThrow().outcome()).isEqualTo(PhaseOutcome.FAILURE);
    }

    @Test
    void bookingTemplatesSpeakTheRequestersLanguageAndNameTheMeeting() {
        for (String name : List.of("booking_link", "booking_reminder", "meeting_preparation")) {
            MailTemplate template = model.template(name).orElseThrow();
            assertThat(template.languageField()).as(name).isEqualTo("language");
            assertBilingual(name, template.subject());
            assertBilingual(name, template.body());
        }
        MailTemplate preparation = model.template("meeting_preparation").orElseThrow();
        assertThat(preparation.body().in("en")).contains("{{record.meeting_at}}", "{{record.meeting_link}}");
        assertThat(preparation.body().in("de")).contains("{{record.meeting_at}}", "{{record.meeting_link}}");
        assertThat(model.template("booking_link").orElseThrow().body().in("de"))
                .contains("{{settings.base_url}}/book.xhtml?t={{record.booking_token}}");
        assertThat(model.template("deal_won").orElseThrow().languageField()).isNull();
        assertThat(preparation.source()).isEqualTo(new SourceLocation(DIR + "templates/meeting_preparation.yaml", 3, 7));
    }

    @Test
    void leadQualificationBranchesOnTheBudgetAndQualifiesTheLead() {
        DialogDefinition dialog = model.dialog("lead_qualification").orElseThrow();
        assertThat(model.dialogsOf("lead")).containsExactly(dialog);
        assertThat(dialog.steps()).extracting(DialogStep::name).containsExactly("contact", "budget", "needs", "nurture");
        assertThat(dialog.firstStep().name()).isEqualTo("contact");

        DialogStep contact = dialog.firstStep();
        assertThat(contact.fields()).extracting(f -> f.name() + ":" + f.recordField() + ":" + f.definition().required())
                .containsExactly("company:true:true", "first_name:true:false", "last_name:true:true",
                        "email:true:false", "phone:true:false");
        assertThat(contact.fields().get(0).definition().label().in("de")).isEqualTo("Firma");
        assertThat(contact.validation().kind()).isEqualTo(RuleKind.VALIDATION);
        assertThat(contact.validation().name()).isEqualTo("lead_qualification.contact.validation");

        DialogStep budget = dialog.step("budget").orElseThrow();
        DialogField hasBudget = budget.fields().get(0);
        assertThat(hasBudget.recordField()).isFalse();
        assertThat(hasBudget.definition().type()).isEqualTo(FieldType.BOOLEAN);
        assertThat(hasBudget.definition().label().in("en")).isEqualTo("Budget available?");
        assertThat(budget.fields().get(1).definition().help().in("en")).isEqualTo("A rough figure is enough");
        assertThat(budget.next()).extracting(b -> (b.when() == null ? "always" : b.when().source()) + "->" + b.step())
                .containsExactly("record.has_budget->needs", "always->nurture");
        assertThat(budget.next().get(0).when().kind()).isEqualTo(RuleKind.CONDITION);
        assertThat(budget.next().get(0).when().name()).isEqualTo("lead_qualification.budget.next.1.when");

        DialogStep needs = dialog.step("needs").orElseThrow();
        assertThat(needs.next()).singleElement().satisfies(b -> assertThat(b.step()).isNull());
        assertThat(needs.fields().get(1).definition().options()).extracting(o -> o.value())
                .containsExactly("this_quarter", "next_quarter", "later");
        assertThat(dialog.step("nurture").orElseThrow().next()).isEmpty();

        // each way through ends its own way: qualified with a follow-up to-do, or in contact with the call logged
        assertThat(dialog.finish()).isEqualTo(io.relata.api.process.DialogFinish.NOTHING);
        assertThat(dialog.finishAfter("needs").movePhase()).isEqualTo("qualified");
        assertThat(dialog.finishAfter("needs").creates()).singleElement().satisfies(create -> {
            assertThat(create.entity()).isEqualTo("activity");
            assertThat(create.values()).containsEntry("type", "todo").containsEntry("regarding", "{{record.id}}");
        });
        assertThat(dialog.finishAfter("nurture").movePhase()).isEqualTo("contacted");
        assertThat(dialog.finishAfter("nurture").creates()).singleElement().satisfies(create ->
                assertThat(create.values()).containsEntry("type", "call").containsEntry("done", true));
        assertThat(dialog.finishAfter("nurture").source().line()).isGreaterThan(dialog.finishAfter("needs").source().line());
        assertThat(model.entity("activity").orElseThrow().field("regarding").orElseThrow().type())
                .isEqualTo(FieldType.RECORD_LINK);
    }

    @Test
    void everyPhaseOfEveryShippedProcessIsAnOptionAndEveryOptionAPhase() {
        for (ProcessDefinition process : model.processes().values()) {
            FieldDefinition field = model.entity(process.entity()).orElseThrow().field(process.phaseField()).orElseThrow();
            assertThat(field.type()).isEqualTo(FieldType.CHOICE);
            process.phases().forEach(p -> assertThat(field.option(p.name())).as(process.name() + "." + p.name()).isPresent());
            assertThat(process.transitions()).as(process.name()).isNotEmpty();
            process.phases().stream().skip(1).forEach(p -> assertThat(process.transitions())
                    .as(process.name() + ": a move into " + p.name()).anyMatch(t -> t.to().equals(p.name())));
        }
        for (String entity : List.of("lead", "opportunity", "ticket", "meeting_request")) {
            List<ProcessDefinition> processes = model.processesOf(entity);
            FieldDefinition field = model.entity(entity).orElseThrow().field(processes.get(0).phaseField()).orElseThrow();
            field.options().forEach(o -> assertThat(processes).as(entity + "=" + o.value())
                    .anyMatch(p -> p.phase(o.value()).isPresent()));
        }
    }

    @Test
    void everyShippedLabelIsGivenInGermanAndEnglish() {
        model.processes().values().forEach(p -> {
            assertBilingual(p.name(), p.label());
            p.phases().forEach(phase -> phase.onEnter().forEach(a -> {
                if (a instanceof ProcessAction.CreateTodo todo) {
                    assertBilingual(p.name() + "." + phase.name(), todo.subject());
                }
            }));
        });
        model.dialogs().values().forEach(d -> {
            assertBilingual(d.name(), d.label());
            assertBilingual(d.name(), d.description());
            d.steps().forEach(s -> {
                assertBilingual(s.name(), s.title());
                s.fields().forEach(f -> assertBilingual(s.name() + "." + f.name(), f.definition().label()));
            });
        });
        model.templates().values().forEach(t -> {
            assertBilingual(t.name(), t.subject());
            assertBilingual(t.name(), t.body());
        });
    }

    private static List<String> moves(ProcessDefinition process) {
        return process.transitions().stream().map(t -> t.from() + "->" + t.to()).toList();
    }

    private static void assertBilingual(String what, LocalizedText text) {
        assertThat(text).as(what).isNotNull();
        assertThat(text.values()).as(what).containsKeys("de", "en");
        assertThat(text.values().values()).as(what).allMatch(v -> !v.isBlank());
    }
}

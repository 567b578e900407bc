package io.relata.process.diagram;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.process.ProcessDefinition;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reads the export with Camunda's BPMN model, which validates it against the BPMN 2.0 schema. */
class BpmnExportTest {

    static List<String> samples() {
        return new ArrayList<>(SampleProcesses.all().keySet());
    }

    private static BpmnModelInstance export(ProcessDefinition process) {
        String xml = BpmnExport.xml(process, SampleProcesses.opportunityEntity(), Locale.ENGLISH);
        return Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> flowsBetweenTasks(BpmnModelInstance bpmn) {
        return bpmn.getModelElementsByType(SequenceFlow.class).stream()
                .filter(f -> f.getSource() instanceof UserTask && f.getTarget() instanceof UserTask)
                .map(f -> f.getSource().getName() + "->" + f.getTarget().getName())
                .toList();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleIsValidBpmnWithOneUserTaskPerPhase(String sample) {
        ProcessDefinition process = SampleProcesses.all().get(sample);

        BpmnModelInstance bpmn = export(process);

        assertThat(bpmn.getModelElementsByType(UserTask.class)).hasSize(process.phases().size());
        assertThat(bpmn.getModelElementsByType(EndEvent.class))
                .hasSize((int) process.phases().stream().filter(p -> p.isClosing()).count());
    }

    @Test
    void namesTasksByPhaseLabelAndMakesOneFlowPerTransition() {
        BpmnModelInstance bpmn = export(SampleProcesses.opportunitySales());

        assertThat(bpmn.getModelElementsByType(UserTask.class)).extracting(UserTask::getName)
                .containsExactly("Qualification", "Needs analysis", "Proposal", "Negotiation", "Won", "Lost", "Cancelled");
        assertThat(flowsBetweenTasks(bpmn)).containsExactlyInAnyOrder(
                "Qualification->Needs analysis", "Qualification->Proposal", "Needs analysis->Proposal",
                "Proposal->Negotiation", "Proposal->Needs analysis", "Negotiation->Proposal", "Negotiation->Won",
                "Proposal->Won",
                "Qualification->Lost", "Needs analysis->Lost", "Proposal->Lost", "Negotiation->Lost",
                "Qualification->Cancelled", "Needs analysis->Cancelled", "Proposal->Cancelled", "Negotiation->Cancelled",
                "Lost->Qualification", "Won->Lost");
        // the timer of negotiation that moves to lost flows from its boundary event, not from the task
        assertThat(flow(bpmn, "after 14 days: to-do for role sales_manager, move to Lost", "Lost").getName())
                .isEqualTo("after 14 days");
    }

    @Test
    void startsInTheFirstPhaseAndEndsAfterEveryClosingPhase() {
        BpmnModelInstance bpmn = export(SampleProcesses.opportunitySales());

        StartEvent start = bpmn.getModelElementsByType(StartEvent.class).iterator().next();
        assertThat(start.getOutgoing()).extracting(f -> f.getTarget().getName()).containsExactly("Qualification");
        assertThat(bpmn.getModelElementsByType(EndEvent.class))
                .extracting(e -> e.getIncoming().iterator().next().getSource().getName())
                .containsExactly("Won", "Lost", "Cancelled");
    }

    @Test
    void guardsAndAutomaticMovesBecomeJavascriptConditions() {
        BpmnModelInstance sales = export(SampleProcesses.opportunitySales());
        BpmnModelInstance meeting = export(SampleProcesses.appointmentRequest());

        SequenceFlow won = flow(sales, "Negotiation", "Won");
        assertThat(won.getConditionExpression().getLanguage()).isEqualTo("javascript");
        assertThat(won.getConditionExpression().getTextContent())
                .isEqualTo("record.signed_on != null || 'A won deal needs a signed contract date'");
        assertThat(won.getName()).startsWith("[record.signed_on != null");
        SequenceFlow booked = flow(meeting, "Requested", "Booked");
        assertThat(booked.getConditionExpression().getTextContent()).isEqualTo("record.meeting_at != null");
        assertThat(booked.getName()).isEqualTo("when record.meeting_at != null");
        assertThat(flow(meeting, "Booked", "Meeting held").getConditionExpression()).isNull();
    }

    @Test
    void timersBecomeBoundaryEventsInterruptingOnlyWhenTheyMoveThePhase() {
        BpmnModelInstance bpmn = export(SampleProcesses.appointmentRequest());

        List<BoundaryEvent> timers = new ArrayList<>(bpmn.getModelElementsByType(BoundaryEvent.class));
        assertThat(timers).hasSize(2).allSatisfy(t -> assertThat(t.getAttachedTo().getName()).isEqualTo("Requested"));
        BoundaryEvent reminder = timers.get(0);
        BoundaryEvent giveUp = timers.get(1);
        assertThat(reminder.getName()).isEqualTo("after 3 days: mail booking_reminder to email");
        assertThat(reminder.cancelActivity()).isFalse();
        assertThat(reminder.getOutgoing()).isEmpty();
        assertThat(duration(reminder)).isEqualTo("P3D");
        assertThat(giveUp.cancelActivity()).isTrue();
        assertThat(duration(giveUp)).isEqualTo("P14DT12H");
        assertThat(giveUp.getOutgoing()).extracting(f -> f.getTarget().getName()).containsExactly("Expired");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyFlowNodeHasAShapeAndEveryFlowAnEdge(String sample) {
        BpmnModelInstance bpmn = export(SampleProcesses.all().get(sample));

        Collection<BpmnShape> shapes = bpmn.getModelElementsByType(BpmnShape.class);
        Collection<BpmnEdge> edges = bpmn.getModelElementsByType(BpmnEdge.class);
        assertThat(shapes).extracting(s -> s.getBpmnElement().getId()).containsExactlyInAnyOrderElementsOf(
                bpmn.getModelElementsByType(FlowNode.class).stream().map(FlowNode::getId).toList());
        assertThat(edges).extracting(e -> e.getBpmnElement().getId()).containsExactlyInAnyOrderElementsOf(
                bpmn.getModelElementsByType(SequenceFlow.class).stream().map(SequenceFlow::getId).toList());
        assertThat(shapes).allSatisfy(s -> {
            assertThat(s.getBounds().getX()).isGreaterThanOrEqualTo(0);
            assertThat(s.getBounds().getY()).isGreaterThanOrEqualTo(0);
            assertThat(s.getBounds().getWidth()).isPositive();
        });
        assertThat(edges).allSatisfy(e -> assertThat(e.getWaypoints()).hasSizeGreaterThanOrEqualTo(2));
    }

    @Test
    void makesXmlNamesOfAnyPhaseNameAndEscapesLabels() {
        BpmnModelInstance bpmn = export(SampleProcesses.awkwardLabels());

        assertThat(bpmn.getModelElementsByType(UserTask.class)).extracting(UserTask::getId)
                .containsExactly("Phase_offer", "Phase_unlabelled", "Phase_2nd_call__");
        assertThat(bpmn.getModelElementsByType(UserTask.class)).extracting(UserTask::getName)
                .contains("Offer <draft> & \"final\"");
        assertThat(flow(bpmn, "Offer <draft> & \"final\"", "unlabelled").getConditionExpression().getTextContent())
                .isEqualTo("record.a < 1 && record.b > 2 || \"x\"");
    }

    @Test
    void writesDurationsInIsoWithDays() {
        assertThat(BpmnExport.iso(Duration.ofDays(3))).isEqualTo("P3D");
        assertThat(BpmnExport.iso(Duration.ofHours(36))).isEqualTo("P1DT12H");
        assertThat(BpmnExport.iso(Duration.ofMinutes(90))).isEqualTo("PT1H30M");
        assertThat(BpmnExport.iso(Duration.ofMillis(1500))).isEqualTo("PT1.5S");
        assertThat(BpmnExport.iso(Duration.ZERO)).isEqualTo("PT0S");
    }

    private static String duration(BoundaryEvent event) {
        TimerEventDefinition timer = (TimerEventDefinition) event.getEventDefinitions().iterator().next();
        return timer.getTimeDuration().getTextContent();
    }

    private static SequenceFlow flow(BpmnModelInstance bpmn, String from, String to) {
        return bpmn.getModelElementsByType(SequenceFlow.class).stream()
                .filter(f -> from.equals(f.getSource().getName()) && to.equals(f.getTarget().getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no flow " + from + " -> " + to));
    }
}

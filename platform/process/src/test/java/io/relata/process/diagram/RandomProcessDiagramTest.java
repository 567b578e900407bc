package io.relata.process.diagram;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.process.TransitionDefinition;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any valid model must draw: processes generated from fixed seeds (so a failure is reproducible) with
 * every kind of move — skips, back-moves, moves to itself, between closing phases, reopening, from any
 * phase, automatic and guarded with long rules — and timers.
 */
class RandomProcessDiagramTest {

    private static final SourceLocation HERE = new SourceLocation("metadata/processes/random.yaml", 1, 1);

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 1_000L + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void drawsWithoutOverlapsAndExportsValidBpmn(long seed) {
        ProcessDefinition process = randomProcess(new Random(seed));

        SvgDocument svg = new SvgDocument(ProcessDiagram.svg(process, null, Locale.ENGLISH));
        List<SvgDocument.Box> boxes = svg.phases().stream().map(svg::box).toList();
        List<SvgDocument.Box> labels = svg.moveLabels();
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                assertThat(boxes.get(i).overlaps(boxes.get(j))).as("seed %d: %s and %s", seed, boxes.get(i), boxes.get(j))
                        .isFalse();
            }
            for (SvgDocument.Box label : labels) {
                assertThat(label.overlaps(boxes.get(i))).as("seed %d: %s over %s", seed, label, boxes.get(i)).isFalse();
            }
        }
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                assertThat(labels.get(i).overlaps(labels.get(j))).as("seed %d: %s and %s", seed, labels.get(i),
                        labels.get(j)).isFalse();
            }
        }
        for (SvgDocument.Box box : Stream.concat(boxes.stream(), labels.stream()).toList()) {
            assertThat(box.x()).as("seed %d: %s", seed, box).isGreaterThanOrEqualTo(0);
            assertThat(box.y()).as("seed %d: %s", seed, box).isGreaterThanOrEqualTo(0);
            assertThat(box.x() + box.width()).as("seed %d: %s", seed, box).isLessThanOrEqualTo(svg.viewBoxWidth());
            assertThat(box.y() + box.height()).as("seed %d: %s", seed, box).isLessThanOrEqualTo(svg.viewBoxHeight());
        }
        assertThat(svg.arrows()).hasSize(DiagramLayout.moves(process).size());

        String xml = BpmnExport.xml(process, null, Locale.GERMAN);
        BpmnModelInstance bpmn = Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(bpmn.getModelElementsByType(BpmnShape.class)).hasSameSizeAs(bpmn.getModelElementsByType(FlowNode.class));
    }

    private static ProcessDefinition randomProcess(Random random) {
        int count = 1 + random.nextInt(12);
        List<PhaseDefinition> phases = new ArrayList<>();
        PhaseOutcome[] outcomes = PhaseOutcome.values();
        for (int i = 0; i < count; i++) {
            PhaseOutcome outcome = i == 0 || random.nextInt(3) > 0 ? PhaseOutcome.OPEN : outcomes[random.nextInt(3)];
            List<TimerDefinition> timers = new ArrayList<>();
            for (int t = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0; t > 0; t--) {
                List<ProcessAction> actions = new ArrayList<>(List.of(new ProcessAction.SendMail("reminder_" + t,
                        new ProcessAction.RecordOwner(), HERE)));
                if (random.nextBoolean()) {
                    actions.add(new ProcessAction.MovePhase("p" + random.nextInt(count), HERE));
                }
                timers.add(new TimerDefinition("timer_" + t, Duration.ofHours(1 + random.nextInt(400)), actions, HERE));
            }
            List<ProcessAction> onEnter = random.nextBoolean() ? List.of() : List.of(
                    new ProcessAction.SetFields(Map.of("a_rather_long_field_name_" + i, 1), HERE),
                    new ProcessAction.CallWebhook("https://hooks.example.org/some/long/path/" + i, HERE));
            String label = random.nextInt(4) == 0 ? null : words(random, 1 + random.nextInt(5));
            phases.add(new PhaseDefinition("p" + i, label == null ? null : new LocalizedText(Map.of("en", label)),
                    outcome, random.nextBoolean() ? List.of() : List.of("amount", "close_date"), null, onEnter, List.of(),
                    timers, HERE));
        }
        List<TransitionDefinition> transitions = new ArrayList<>();
        int moves = random.nextInt(count * 3 + 1);
        for (int m = 0; m < moves; m++) {
            String from = random.nextInt(10) == 0 ? "*" : "p" + random.nextInt(count);
            String to = "p" + random.nextInt(count);
            transitions.add(new TransitionDefinition(from, to,
                    random.nextInt(3) == 0 ? SampleProcesses.inlineGuard("record.x > " + m + " || '" + words(random,
                            random.nextInt(8)) + "'") : null,
                    random.nextInt(5) == 0 ? SampleProcesses.condition("record." + words(random, 1) + " != null") : null,
                    HERE));
        }
        return new ProcessDefinition("random_" + random.nextInt(1000), "thing", null, "phase", null, phases,
                transitions, HERE);
    }

    private static String words(Random random, int count) {
        String[] words = {"Qualification", "needs", "analysis", "WIDE", "i", "mm", "Übergabe", "proposal", "x",
            "waiting", "for", "customer", "<&>", "\"quoted\""};
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chosen.add(words[random.nextInt(words.length)]);
        }
        return String.join(" ", chosen);
    }
}

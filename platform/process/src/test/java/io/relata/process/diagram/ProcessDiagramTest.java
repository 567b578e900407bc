package io.relata.process.diagram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.SourceLocation;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

class ProcessDiagramTest {

    static List<String> samples() {
        return new ArrayList<>(SampleProcesses.all().keySet());
    }

    private static SvgDocument draw(ProcessDefinition process, Locale locale) {
        return new SvgDocument(ProcessDiagram.svg(process, SampleProcesses.opportunityEntity(), locale));
    }

    @Test
    void showsEveryPhaseLabelAndEveryGuard() {
        SvgDocument svg = draw(SampleProcesses.opportunitySales(), Locale.ENGLISH);

        assertThat(svg.phases()).extracting(g -> svg.phaseTexts(g.getAttribute("data-phase")).get(0))
                .containsExactly("Qualification", "Needs analysis", "Proposal", "Negotiation", "Won", "Lost", "Cancelled");
        assertThat(svg.texts()).contains("[proposal_needs_quote]", "[record.amount > 0 …]");
        assertThat(svg.texts()).anyMatch(t -> t.startsWith("[record.signed_on != null || 'A won de") && t.endsWith("…"));
        assertThat(svg.titles()).contains(
                "Negotiation → Won\nguard: record.signed_on != null || 'A won deal needs a signed "
                        + "contract date'",
                "Proposal → Negotiation\nguard: proposal_needs_quote: const quotes = record.quote_count;\n"
                        + "return quotes > 0 || 'A proposal needs a quote';");
    }

    @Test
    void titlesTheDiagramWithTheProcessAndItsEntity() {
        SvgDocument svg = draw(SampleProcesses.opportunitySales(), Locale.GERMAN);

        assertThat(svg.root.getLocalName()).isEqualTo("svg");
        assertThat(SvgDocument.children(svg.root, "title").get(0).getTextContent()).isEqualTo("Vertrieb");
        assertThat(svg.texts()).contains("Vertrieb", "Verkaufschance · Phase");
    }

    @Test
    void summarisesRequiredFieldsReasonsAndActionsInThePhaseBox() {
        SvgDocument svg = draw(SampleProcesses.opportunitySales(), Locale.ENGLISH);

        assertThat(svg.phaseTexts("proposal")).containsExactly("Proposal", "requires: Amount, close_date");
        assertThat(svg.phaseTexts("lost")).containsExactly("Lost", "reason: Loss reason", "on enter: set probability");
        assertThat(String.join(" ", svg.phaseTexts("won")))
                .isEqualTo("Won on enter: set probability, mail deal_won to owner, webhook 127.0.0.1:9999/hook");
        assertThat(String.join(" ", svg.phaseTexts("negotiation"))).isEqualTo("Negotiation on leave: extension "
                + "erp_sync after 14 days: to-do for role sales_manager, move to Lost");
    }

    @Test
    void showsTimersAsClockNotesInTheirPhaseInTheUsersLanguage() {
        SvgDocument english = draw(SampleProcesses.appointmentRequest(), Locale.ENGLISH);
        SvgDocument german = draw(SampleProcesses.appointmentRequest(), Locale.GERMAN);

        assertThat(String.join(" ", english.phaseTexts("requested"))).endsWith(
                "after 3 days: mail booking_reminder to email after 14 days 12 hours: move to Expired");
        assertThat(String.join(" ", german.phaseTexts("requested"))).endsWith(
                "nach 3 Tagen: Mail booking_reminder an email nach 14 Tagen 12 Stunden: wechsle zu Verfallen");
        assertThat(SvgDocument.children(english.phase("requested"), "circle")).hasSize(2);
    }

    @Test
    void dashesAutomaticMovesAndLabelsThemWithTheirCondition() {
        SvgDocument svg = draw(SampleProcesses.appointmentRequest(), Locale.ENGLISH);

        Element automatic = SvgDocument.children(svg.arrow("requested", "booked"), "path").get(0);
        Element manual = SvgDocument.children(svg.arrow("booked", "met"), "path").get(0);
        assertThat(automatic.getAttribute("stroke-dasharray")).isEqualTo("6 4");
        assertThat(manual.hasAttribute("stroke-dasharray")).isFalse();
        assertThat(svg.texts()).contains("when record.meeting_at != null");
    }

    @Test
    void spellsOutMovesFromAnyPhaseAsOneArrowPerOpenPhase() {
        SvgDocument svg = draw(SampleProcesses.linearLead(), Locale.ENGLISH);

        assertThat(svg.arrows()).extracting(g -> g.getAttribute("data-from") + "->" + g.getAttribute("data-to"))
                .containsExactlyInAnyOrder("new->contacted", "contacted->qualified", "qualified->converted",
                        "new->disqualified", "contacted->disqualified", "qualified->disqualified");
        assertThat(svg.texts()).filteredOn("[needs_disqualification_reason]"::equals).hasSize(3);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void phaseBoxesNeverOverlap(String sample) {
        SvgDocument svg = draw(SampleProcesses.all().get(sample), Locale.ENGLISH);

        List<SvgDocument.Box> boxes = svg.phases().stream().map(svg::box).toList();
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                assertThat(boxes.get(i).overlaps(boxes.get(j))).as(boxes.get(i) + " and " + boxes.get(j)).isFalse();
            }
        }
        assertThat(boxes).hasSize(SampleProcesses.all().get(sample).phases().size());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void moveLabelsStayOutOfPhaseBoxesAndApartFromEachOther(String sample) {
        SvgDocument svg = draw(SampleProcesses.all().get(sample), Locale.ENGLISH);

        List<SvgDocument.Box> labels = svg.moveLabels();
        for (SvgDocument.Box label : labels) {
            for (Element phase : svg.phases()) {
                assertThat(label.overlaps(svg.box(phase))).as(label + " over " + svg.box(phase)).isFalse();
            }
        }
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                assertThat(labels.get(i).overlaps(labels.get(j))).as(labels.get(i) + " and " + labels.get(j)).isFalse();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void viewBoxHoldsEveryPhaseAndLabel(String sample) {
        SvgDocument svg = draw(SampleProcesses.all().get(sample), Locale.ENGLISH);

        List<SvgDocument.Box> boxes = new ArrayList<>(svg.phases().stream().map(svg::box).toList());
        boxes.addAll(svg.moveLabels());
        for (SvgDocument.Box box : boxes) {
            assertThat(box.x()).as(box.name()).isGreaterThanOrEqualTo(0);
            assertThat(box.y()).as(box.name()).isGreaterThanOrEqualTo(0);
            assertThat(box.x() + box.width()).as(box.name()).isLessThanOrEqualTo(svg.viewBoxWidth());
            assertThat(box.y() + box.height()).as(box.name()).isLessThanOrEqualTo(svg.viewBoxHeight());
        }
    }

    @Test
    void escapesMarkupInLabelsAndRules() {
        SvgDocument svg = draw(SampleProcesses.awkwardLabels(), Locale.ENGLISH);

        assertThat(svg.phaseTexts("offer")).containsExactly("Offer <draft> & \"final\"");
        assertThat(svg.texts()).contains("Odd & <cases>", "[record.a < 1 && record.b > 2 || \"x\"]");
        assertThat(svg.phase("2nd call/ü")).isNotNull();
    }

    @Test
    void labelsPhasesByTheirOwnLabelElseThePhaseFieldOptionElseTheirName() {
        SvgDocument withEntity = draw(SampleProcesses.opportunitySales(), Locale.ENGLISH);
        SvgDocument withoutEntity = new SvgDocument(ProcessDiagram.svg(SampleProcesses.opportunitySales(), null,
                Locale.ENGLISH));
        SvgDocument ownLabels = draw(SampleProcesses.appointmentRequest(), Locale.GERMAN);

        assertThat(withEntity.phaseTexts("needs_analysis").get(0)).isEqualTo("Needs analysis");
        assertThat(withoutEntity.phaseTexts("needs_analysis").get(0)).isEqualTo("needs_analysis");
        assertThat(withoutEntity.texts()).contains("opportunity · phase");
        assertThat(ownLabels.phaseTexts("booked").get(0)).isEqualTo("Gebucht");
    }

    @Test
    void drawsProcessesWithoutTransitionsOrWithoutPhases() {
        SvgDocument draft = draw(SampleProcesses.withoutTransitions(), Locale.ENGLISH);
        SvgDocument empty = draw(SampleProcesses.all().get("empty"), Locale.ENGLISH);

        assertThat(draft.phases()).hasSize(3);
        assertThat(draft.arrows()).isEmpty();
        assertThat(empty.phases()).isEmpty();
        assertThat(empty.texts()).contains("This process has no phases.");
    }

    @Test
    void sameModelGivesTheSameBytesWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        String first;
        String second;
        try {
            Locale.setDefault(Locale.GERMANY);
            first = ProcessDiagram.svg(SampleProcesses.opportunitySales(), SampleProcesses.opportunityEntity(), Locale.ENGLISH);
            Locale.setDefault(Locale.US);
            second = ProcessDiagram.svg(SampleProcesses.opportunitySales(), SampleProcesses.opportunityEntity(), Locale.ENGLISH);
        } finally {
            Locale.setDefault(before);
        }
        assertThat(first).isEqualTo(second);
        assertThat(first).containsPattern(" x=\"[0-9]+\\.[0-9]\"").doesNotContainPattern(" (x|y|width|height)=\"[^\"]*,");
    }

    @Test
    void refusesATransitionToAPhaseTheProcessLacks() {
        ProcessDefinition broken = SampleProcesses.process("broken", "lead", null,
                List.of(SampleProcesses.open("new")), List.of(new TransitionDefinition("new", "gone", null, null,
                        new SourceLocation("metadata/processes/broken.yaml", 7, 5))));

        assertThatThrownBy(() -> ProcessDiagram.svg(broken, null, Locale.ENGLISH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Process 'broken': the transition from 'new' to 'gone' (metadata/processes/broken.yaml:7:5) "
                        + "names the phase 'gone', which the process does not have; its phases are new");
    }

    @Test
    void keepsIdsApartWhenSeveralDiagramsShareAPage() {
        Map<String, ProcessDefinition> all = SampleProcesses.all();
        String lead = ProcessDiagram.svg(all.get("lead_qualification"), null, Locale.ENGLISH);
        String sales = ProcessDiagram.svg(all.get("opportunity_sales"), null, Locale.ENGLISH);

        assertThat(lead).contains("id=\"relata-arrow-lead_qualification\"").doesNotContain("<style");
        assertThat(sales).contains("id=\"relata-arrow-opportunity_sales\"");
    }
}

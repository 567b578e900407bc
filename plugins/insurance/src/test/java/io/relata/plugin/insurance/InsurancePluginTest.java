package io.relata.plugin.insurance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.plugin.Integration;
import io.relata.api.process.ProcessDefinition;
import io.relata.metadata.MetadataLoader;
import io.relata.metadata.RuleVerifier;
import io.relata.rules.HostFunctions;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import io.relata.runtime.EngineRuleVerifier;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The insurance plugin's tariff, underwriting and metadata: the metadata is loaded as the platform loads it, core
 * first and the plugin's layer after it, with the rules' examples run by the real rule engine calling the plugin's
 * rule functions.
 */
class InsurancePluginTest {

    private static final Path CORE = Path.of("../../metadata");
    private static final Path LAYER = Path.of("src/main/resources/metadata");

    private final RuleEngine rules = new RuleEngine(RuleLimits.DEFAULT, Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC));

    @AfterEach
    void close() {
        rules.close();
    }

    @Test
    void theTariffPricesByLineSumFrequencyAndAge() {
        assertThat(Tariffs.annualPremium("liability", new BigDecimal("1000000"), "yearly", null)).isEqualByComparingTo("600.00");
        assertThat(Tariffs.annualPremium("liability", new BigDecimal("1000000"), "monthly", null)).isEqualByComparingTo("630.00");
        assertThat(Tariffs.instalment("liability", new BigDecimal("1000000"), "monthly", null)).isEqualByComparingTo("52.50");
        assertThat(Tariffs.annualPremium("household", new BigDecimal("50000"), "yearly", null)).as("minimum").isEqualByComparingTo("80.00");
        assertThat(Tariffs.annualPremium("life", new BigDecimal("100000"), "yearly", 40)).isEqualByComparingTo("325.00");
        assertThatThrownBy(() -> Tariffs.annualPremium("life", new BigDecimal("100000"), "yearly", null))
                .hasMessageContaining("needs the insured person's age");
        assertThatThrownBy(() -> Tariffs.annualPremium("pets", BigDecimal.TEN, "yearly", null))
                .hasMessageContaining("no tariff for the line 'pets'");
        assertThatThrownBy(() -> Tariffs.annualPremium("liability", BigDecimal.TEN, "weekly", null))
                .hasMessageContaining("no payment frequency 'weekly'");
    }

    @Test
    void underwritingAcceptsRefersAndDeclinesByItsBuiltInRules() throws Exception {
        Underwriting underwriting = new Underwriting();
        Integration.Response small = underwriting.call(request("liability", "2000000", null));
        Integration.Response large = underwriting.call(request("household", "800000", null));
        Integration.Response oldLife = underwriting.call(request("life", "300000", "70"));

        assertThat(small.ok()).isTrue();
        assertThat(small.data()).containsEntry("decision", "accepted").containsEntry("risk_class", "a");
        assertThat(large.ok()).isFalse();
        assertThat(large.data()).containsEntry("decision", "referred");
        assertThat(large.message().in("de")).isEqualTo("An die Risikoprüfung verwiesen: Summe über 500000.");
        assertThat(oldLife.data()).containsEntry("decision", "declined");
    }

    @Test
    void withAConfiguredServiceTheServiceDecidesAndANonsenseDecisionIsRefused() throws Exception {
        List<Map<String, Object>> asked = new java.util.ArrayList<>();
        Map<String, Object> answer = new java.util.HashMap<>(Map.of("decision", "referred", "risk_class", "B"));
        io.relata.api.plugin.JsonEndpoint service = new io.relata.api.plugin.JsonEndpoint() {
            @Override
            public java.net.URI url() {
                return java.net.URI.create("http://127.0.0.1:9/underwriting");
            }

            @Override
            public Map<String, Object> post(Map<String, Object> body) {
                asked.add(body);
                return answer;
            }
        };
        Map<String, Object> policy = Map.of("number", "P-9", "line", "life", "sum_insured", new BigDecimal("100000"),
                "insured_age", new BigDecimal("44"));

        Integration.Response referred = new Underwriting().call(new Integration.Request("assess", policy, "policy", 9L,
                Map.of(), service));

        assertThat(asked).singleElement().satisfies(body -> assertThat(body).containsEntry("operation", "assess")
                .containsEntry("line", "life").containsEntry("insured_age", 44).containsEntry("policy", "P-9"));
        assertThat(referred.ok()).isFalse();
        assertThat(referred.data()).containsEntry("decision", "referred").containsEntry("risk_class", "b")
                .containsEntry("rules", "service");
        assertThat(referred.message().in("de")).isEqualTo("An die Risikoprüfung verwiesen.");
        answer.put("decision", "maybe");
        assertThatThrownBy(() -> new Underwriting().call(new Integration.Request("assess", policy, "policy", 9L,
                Map.of(), service))).hasMessage("The underwriting service at http://127.0.0.1:9/underwriting answered "
                + "the decision 'maybe'; expected one of [accepted, referred, declined]");
    }

    @Test
    void theHouseholdPanelShowsTheLinesHeldAgainstTheLinesOfferedFromWhatTheUserMayRead() {
        Map<String, List<Map<String, Object>>> rows = Map.of(
                "insurance_product:active=true", List.of(Map.of("id", 1L, "line", "liability"),
                        Map.of("id", 2L, "line", "household"), Map.of("id", 3L, "line", "life")),
                "contact:household=7", List.of(Map.of("id", 11L, "first_name", "Anna", "last_name", "Müller"),
                        Map.of("id", 12L, "first_name", "Jonas", "last_name", "Müller")),
                "policy:holder=11", List.of(Map.of("id", 21L, "number", "HV-1", "line", "liability", "status", "issued",
                        "premium", new BigDecimal("60.00")), Map.of("id", 22L, "number", "HR-2", "line", "household",
                        "status", "quote", "premium", new BigDecimal("84.00"))),
                "policy:holder=12", List.of(Map.of("id", 23L, "number", "RL-3", "line", "life", "status", "issued",
                        "premium", new BigDecimal("325.00"))));
        io.relata.api.plugin.RecordReader reader = new io.relata.api.plugin.RecordReader() {
            @Override
            public java.util.Optional<Map<String, Object>> find(String entity, long id) {
                return java.util.Optional.empty();
            }

            @Override
            public List<Map<String, Object>> where(String entity, String field, Object value, int limit) {
                return rows.getOrDefault(entity + ":" + field + "=" + value, List.of());
            }

            @Override
            public String display(String entity, String field, Object value) {
                return Map.of("liability", "Haftpflicht", "household", "Hausrat", "life", "Leben", "issued", "Policiert",
                        "quote", "Angebot").getOrDefault(String.valueOf(value), String.valueOf(value));
            }
        };

        io.relata.api.plugin.PanelContent panel = new HouseholdWallet().render(new io.relata.api.plugin.RecordPanel.Request(
                "household", Map.of("id", 7L, "name", "Familie Müller"), io.relata.api.security.Actor.SYSTEM, reader));

        assertThat(panel.facts()).extracting(f -> f.label().in("en") + ": " + f.value()).containsExactly(
                "Members: 2", "Lines held: Haftpflicht, Leben", "Share of the lines offered: 67 % (2/3)",
                "Annual premium of issued policies: 385.00");
        assertThat(panel.rows()).containsExactly(List.of("Anna Müller", "HV-1", "Haftpflicht", "Policiert", "60.00"),
                List.of("Anna Müller", "HR-2", "Hausrat", "Angebot", "84.00"),
                List.of("Jonas Müller", "RL-3", "Leben", "Policiert", "325.00"));
        assertThat(panel.note().in("de")).isEqualTo("Noch nicht im Bestand: Hausrat – Ansatz für ein Gespräch.");
    }

    private static Integration.Request request(String line, String sum, String age) {
        Map<String, Object> payload = new java.util.HashMap<>();
        payload.put("line", line);
        payload.put("sum_insured", new BigDecimal(sum));
        payload.put("age", age == null ? null : new BigDecimal(age));
        return new Integration.Request("assess", payload, "policy", 1L, Map.of());
    }

    @Test
    void theLayerLoadsOnTheCoreWithItsExamplesHoldingThroughTheRuleFunctions() throws Exception {
        rules.useFunctions(HostFunctions.direct(new InsuranceFunctions()));

        MetadataModel model = new MetadataLoader(verifier()).loadDirectories(List.of(CORE, LAYER));

        EntityDefinition policy = model.entity("policy").orElseThrow();
        assertThat(policy.examples()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(model.entity("contact").orElseThrow().field("household")).isPresent();
        assertThat(model.reverseReferences("household")).extracting(r -> r.list().name()).contains("members");
        assertThat(model.processes()).containsKeys("policy_lifecycle", "claim_handling");
        assertThat(model.entity("claim").orElseThrow().examples()).hasSize(2);
        assertThat(model.reverseReferences("policy")).extracting(r -> r.list().name()).contains("claims");

        ProcessDefinition lifecycle = model.process("policy_lifecycle").orElseThrow();
        assertThat(lifecycle.phase("underwriting").orElseThrow().onEnter())
                .filteredOn(io.relata.api.process.ProcessAction.CallIntegration.class::isInstance)
                .singleElement().satisfies(action -> {
                    var call = (io.relata.api.process.ProcessAction.CallIntegration) action;
                    assertThat(call.name()).isEqualTo(new Underwriting().name());
                    assertThat(call.answer()).containsEntry("underwriting_decision", "decision");
                });
        assertThat(lifecycle.phase("issued").orElseThrow().timers()).singleElement().satisfies(timer -> {
            assertThat(timer.anchor()).isEqualTo("end_date");
            assertThat(timer.after()).isEqualTo(java.time.Duration.ofDays(-60));
        });
        assertThat(model.templates()).containsKeys("policy_renewal", "policy_issued");
        assertThat(model.roles()).containsKeys("insurance_agent", "underwriter");

        io.relata.api.process.DialogDefinition cancellation = model.dialog("policy_cancellation").orElseThrow();
        assertThat(cancellation.entity()).isEqualTo("policy");
        assertThat(cancellation.finishAfter("confirm").movePhase()).isEqualTo("cancelled");
        assertThat(cancellation.finishAfter("kept").movePhase()).as("a kept customer keeps the policy").isNull();
        assertThat(cancellation.finishAfter("confirm").creates().get(0).values().get("subject"))
                .isInstanceOf(io.relata.api.model.LocalizedText.class);

        assertThat(policy.field("number").orElseThrow().autoNumber())
                .as("policies are numbered by the platform").isEqualTo(new io.relata.api.model.AutoNumber("POL-", 6));
        io.relata.api.process.DialogDefinition analysis = model.dialog("needs_analysis").orElseThrow();
        assertThat(analysis.entity()).isEqualTo("contact");
        assertThat(analysis.roles()).as("agents quote; core sales may change contacts but not create policies")
                .containsExactly("insurance_agent");
        assertThat(analysis.finishAfter("cover").creates()).extracting(c -> c.entity()).containsExactly("policy", "activity");
        assertThat(analysis.finishAfter("cover").creates().get(0).values())
                .as("a quote without a number: the platform gives it one")
                .containsEntry("status", "quote").containsEntry("line", "{{dialog.need}}").doesNotContainKey("number");
    }

    @Test
    void withoutTheRuleFunctionsTheExamplesFail() {
        assertThatThrownBy(() -> new MetadataLoader(verifier()).loadDirectories(List.of(CORE, LAYER)))
                .hasMessageContaining("insurance is not defined");
    }

    /** Entity rules, examples and the process scripts through the real engine, as the platform checks them. */
    private RuleVerifier verifier() {
        return new EngineRuleVerifier(rules);
    }
}

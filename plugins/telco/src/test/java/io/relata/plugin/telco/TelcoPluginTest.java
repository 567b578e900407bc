package io.relata.plugin.telco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.plugin.Integration;
import io.relata.api.plugin.JsonEndpoint;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.metadata.MetadataLoader;
import io.relata.rules.HostFunctions;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import io.relata.runtime.EngineRuleVerifier;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The telco plugin's SIM check, term arithmetic, integrations and metadata: the metadata is loaded as the platform
 * loads it, core first and the plugin's layer after it, with the examples run by the real rule engine calling the
 * plugin's rule functions.
 */
class TelcoPluginTest {

    private static final Path CORE = Path.of("../../metadata");
    private static final Path LAYER = Path.of("src/main/resources/metadata");

    private final RuleEngine rules = new RuleEngine(RuleLimits.DEFAULT,
            Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC));

    @AfterEach
    void close() {
        rules.close();
    }

    @Test
    void anIccidNeeds89AtTheStartNineteenOrTwentyDigitsAndItsLuhnCheckDigit() {
        assertThat(Iccid.checkDigit("894902000000123456")).isEqualTo(2);
        assertThat(Iccid.valid("8949020000001234562")).isTrue();
        assertThat(Iccid.valid("8949 0200 0000 1234 562")).as("spaces as printed on the card").isTrue();
        assertThat(Iccid.valid("8949020000001234567")).as("wrong check digit").isFalse();
        assertThat(Iccid.valid("8949020000001234526")).as("two digits swapped").isFalse();
        assertThat(Iccid.valid("7949020000001234562")).as("not a telecom number").isFalse();
        assertThat(Iccid.valid("894902000000123")).as("too short").isFalse();
        assertThat(Iccid.valid(null)).isFalse();
    }

    @Test
    void theMinimumTermEndsTheDayBeforeTheSameDateMonthsLater() {
        var termEnd = new TelcoFunctions().functions().get("termEnd");
        assertThat(termEnd.apply(List.of("2026-03-15", new BigDecimal("24")))).isEqualTo("2028-03-14");
        assertThat(termEnd.apply(List.of("2026-01-31", BigDecimal.ONE))).isEqualTo("2026-02-27");
        assertThat(termEnd.apply(java.util.Arrays.asList(null, new BigDecimal("24")))).isNull();
        assertThatThrownBy(() -> termEnd.apply(List.of("15.03.2026", new BigDecimal("24"))))
                .hasMessageContaining("must be a date like 2026-03-15");
    }

    @Test
    void theCreditCheckApprovesRefersAndDeclinesByItsBuiltInRulesOrAsksTheBureau() throws Exception {
        CreditCheck check = new CreditCheck();
        Integration.Response approved = check.call(request(Map.of("monthly_fee", new BigDecimal("29.99"),
                "device_price", new BigDecimal("840"), "device_instalment", new BigDecimal("30")), null));
        Integration.Response referred = check.call(request(Map.of("monthly_fee", new BigDecimal("129.99"),
                "device_instalment", new BigDecimal("50")), null));
        Integration.Response declined = check.call(request(Map.of("device_price", new BigDecimal("1500")), null));

        assertThat(approved.ok()).isTrue();
        assertThat(approved.data()).containsEntry("decision", "approved").containsEntry("limit", new BigDecimal("1500"));
        assertThat(referred.data()).containsEntry("decision", "referred");
        assertThat(referred.message().in("en")).isEqualTo("Referred: 179.99 a month, more than 150.");
        assertThat(declined.data()).containsEntry("decision", "declined");
        assertThat(declined.message().in("de")).isEqualTo("Abgelehnt: Gerät über 1200 nur mit Anzahlung.");

        Stub bureau = new Stub(Map.of("decision", "approved", "limit", new BigDecimal("2500")));
        Integration.Response asked = check.call(request(Map.of("customer", new BigDecimal("7"),
                "monthly_fee", new BigDecimal("19.99")), bureau));
        assertThat(bureau.bodies).singleElement().satisfies(body -> assertThat(body)
                .containsEntry("operation", "check").containsEntry("monthly_amount", new BigDecimal("19.99")));
        assertThat(asked.data()).containsEntry("limit", new BigDecimal("2500")).containsEntry("rules", "bureau");
        Stub confused = new Stub(Map.of("decision", "perhaps"));
        assertThatThrownBy(() -> check.call(request(Map.of(), confused)))
                .hasMessageContaining("answered the decision 'perhaps'");
    }

    @Test
    void portingAndProvisioningAnswerByTheirBuiltInRules() throws Exception {
        Map<String, Object> keep = new HashMap<>(Map.of("port_number", true, "previous_provider", "Telekom",
                "port_date", "2026-12-10", "msisdn", "+491701110002"));
        assertThat(new NumberPorting().call(request(keep, null)).data())
                .containsEntry("status", "confirmed").containsEntry("port_date", "2026-12-10");
        keep.remove("previous_provider");
        assertThat(new NumberPorting().call(request(keep, null)).data()).containsEntry("status", "rejected");
        assertThat(new NumberPorting().call(request(Map.of("port_number", false), null)).data())
                .containsEntry("status", "not_needed");

        assertThat(new Provisioning().call(request(Map.of("iccid", "8949020000001234562"), null)).data())
                .containsEntry("status", "activated");
        Integration.Response unknownSim = new Provisioning().call(request(Map.of("iccid", "8949020000001234567"), null));
        assertThat(unknownSim.ok()).isFalse();
        assertThat(unknownSim.message().in("en")).isEqualTo("Unknown SIM card: the ICCID is not valid.");
    }

    @Test
    void theLayerLoadsOnTheCoreWithItsExamplesHoldingThroughTheRuleFunctions() throws Exception {
        rules.useFunctions(HostFunctions.direct(new TelcoFunctions()));

        MetadataModel model = new MetadataLoader(new EngineRuleVerifier(rules)).loadDirectories(List.of(CORE, LAYER));

        assertThat(model.entity("subscription").orElseThrow().examples()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(model.entity("account").orElseThrow().field("telco_segment")).isPresent();
        assertThat(model.reverseReferences("account")).extracting(r -> r.list().name()).contains("subscriptions");
        ProcessDefinition order = model.process("subscription_order").orElseThrow();
        assertThat(order.phases()).flatExtracting(p -> p.onEnter()).filteredOn(ProcessAction.CallIntegration.class::isInstance)
                .extracting(a -> ((ProcessAction.CallIntegration) a).name())
                .containsExactly(new CreditCheck().name(), new NumberPorting().name(), new Provisioning().name());
        assertThat(order.phase("active").orElseThrow().timers()).singleElement().satisfies(timer -> {
            assertThat(timer.anchor()).isEqualTo("minimum_term_end");
            assertThat(timer.after()).isEqualTo(Duration.ofDays(-90));
        });
        assertThat(model.templates()).containsKeys("subscription_active", "upgrade_eligible");
        assertThat(model.roles()).containsKeys("telco_shop", "telco_retention");

        io.relata.api.process.DialogDefinition swap = model.dialog("sim_swap").orElseThrow();
        assertThat(swap.entity()).isEqualTo("subscription");
        assertThat(swap.steps()).extracting(io.relata.api.process.DialogStep::name)
                .containsExactly("identify", "block", "new_sim");
        assertThat(swap.step("new_sim").orElseThrow().fields()).extracting(io.relata.api.process.DialogField::name)
                .containsExactly("iccid");
    }

    @Test
    void withoutTheRuleFunctionsTheExamplesFail() {
        assertThatThrownBy(() -> new MetadataLoader(new EngineRuleVerifier(rules)).loadDirectories(List.of(CORE, LAYER)))
                .hasMessageContaining("telco is not defined");
    }

    private static Integration.Request request(Map<String, Object> payload, JsonEndpoint endpoint) {
        return new Integration.Request("check", payload, "subscription", 1L, Map.of(), endpoint);
    }

    /** A surrounding system that answers the same every time and remembers what it was asked. */
    private static final class Stub implements JsonEndpoint {
        final List<Map<String, Object>> bodies = new ArrayList<>();
        private final Map<String, Object> answer;

        Stub(Map<String, Object> answer) {
            this.answer = answer;
        }

        @Override
        public URI url() {
            return URI.create("http://127.0.0.1:9/system");
        }

        @Override
        public Map<String, Object> post(Map<String, Object> body) {
            bodies.add(body);
            return answer;
        }
    }
}

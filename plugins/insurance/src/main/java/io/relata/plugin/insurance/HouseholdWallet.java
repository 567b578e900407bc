package io.relata.plugin.insurance;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.PanelContent;
import io.relata.api.plugin.RecordPanel;
import io.relata.api.plugin.RecordReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pf4j.Extension;

/**
 * Share of wallet of a household, on its record page: which lines of business the household holds with issued
 * policies against the lines the insurer offers (products on sale), the annual premium of all its policies, and
 * the policies by member. Reads as the user who looks: members and policies the user may not read do not count.
 */
@Extension
public class HouseholdWallet implements RecordPanel {

    static final int MEMBERS = 50;
    static final int POLICIES_PER_MEMBER = 50;

    @Override
    public String id() {
        return "household_wallet";
    }

    @Override
    public Set<String> entities() {
        return Set.of("household");
    }

    @Override
    public LocalizedText title() {
        return LocalizedText.of("Anteil am Versicherungsbedarf", "Share of wallet");
    }

    @Override
    public PanelContent render(Request request) {
        RecordReader records = request.records();
        Object household = request.record().get("id");
        Set<String> offered = new TreeSet<>();
        for (Map<String, Object> product : records.where("insurance_product", "active", true, RecordReader.MAX_ROWS)) {
            if (product.get("line") instanceof String line) {
                offered.add(line);
            }
        }
        Set<String> held = new TreeSet<>();
        BigDecimal premiums = BigDecimal.ZERO;
        List<Object[]> rows = new ArrayList<>();
        List<Map<String, Object>> members = records.where("contact", "household", household, MEMBERS);
        for (Map<String, Object> member : members) {
            String name = (member.getOrDefault("first_name", "") + " " + member.getOrDefault("last_name", "")).strip();
            for (Map<String, Object> policy : records.where("policy", "holder", member.get("id"), POLICIES_PER_MEMBER)) {
                boolean issued = "issued".equals(policy.get("status"));
                if (issued && policy.get("line") instanceof String line) {
                    held.add(line);
                }
                if (issued && policy.get("premium") instanceof BigDecimal premium) {
                    premiums = premiums.add(premium);
                }
                rows.add(new Object[] {name, policy.get("number"), records.display("policy", "line", policy.get("line")),
                        records.display("policy", "status", policy.get("status")), policy.get("premium")});
            }
        }
        long heldOffered = held.stream().filter(offered::contains).count();
        String share = offered.isEmpty() ? "–" : Math.round(100.0 * heldOffered / offered.size()) + " %";
        Set<String> missing = new TreeSet<>(offered);
        missing.removeAll(held);
        PanelContent.Builder content = PanelContent.builder()
                .fact(LocalizedText.of("Mitglieder", "Members"), members.size())
                .fact(LocalizedText.of("Sparten im Bestand", "Lines held"), held.isEmpty() ? "–" : lines(records, held))
                .fact(LocalizedText.of("Anteil am Angebot", "Share of the lines offered"), share + " (" + heldOffered + "/"
                        + offered.size() + ")")
                .fact(LocalizedText.of("Jahresprämie policierter Verträge", "Annual premium of issued policies"),
                        premiums.toPlainString())
                .columns(LocalizedText.of("Mitglied", "Member"), LocalizedText.of("Police", "Policy"),
                        LocalizedText.of("Sparte", "Line"), LocalizedText.of("Status", "Status"),
                        LocalizedText.of("Jahresprämie", "Annual premium"));
        rows.forEach(content::row);
        if (!missing.isEmpty()) {
            content.note(LocalizedText.format("Noch nicht im Bestand: {0} – Ansatz für ein Gespräch.",
                    "Not held yet: {0} – a reason to talk.", lines(records, missing)));
        }
        return content.build();
    }

    /** The lines' labels in the user's language. */
    private static String lines(RecordReader records, Set<String> lines) {
        return String.join(", ", lines.stream().map(line -> records.display("policy", "line", line)).toList());
    }
}

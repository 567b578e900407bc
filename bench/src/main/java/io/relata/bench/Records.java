package io.relata.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fixed, seeded input records: varied enough that every branch of both rules is taken and no result is
 * constant, the same on every run. Values have the Java types the record store hands out (money as
 * {@link BigDecimal}, dates as {@link java.time.LocalDate}, integers as {@link Long}); absent values are
 * null.
 */
public final class Records {

    /** Records per kind; a power of two so the benchmarks can cycle with a mask. */
    public static final int COUNT = 512;
    public static final long SEED = 20250314L;

    private static final String[] COMPANIES = {"Acme GmbH", "Müller & Söhne KG", "Initech", "Globex Corp.",
        "Hooli", "Umbrella AG", "Stark Industries", "Wayne Enterprises"};
    private static final String[] BUSINESS_DOMAINS = {"acme.de", "initech.com", "globex.example", "hooli.io",
        "umbrella.ch", "Stark.COM"};
    private static final String[] FREEMAIL_DOMAINS = {"gmail.com", "GMX.de", "web.de", "outlook.com", "yahoo.com",
        "t-online.de"};
    private static final String[] SOURCES = {"trade_fair", "referral", "web", "cold_call", "partner", null};
    private static final String[] DESCRIPTIONS = {
        "Asked for a quote, budget approved for Q3.",
        "URGENT: needs a demo next week",
        "Met at the fair; will call back.",
        "Budgetary constraints, maybe next year.",
        "Wants it asap because the old system is failing.",
        "Interested in the premium plan.",
        "",
        null};
    private static final String[] STATUSES = {"new", "contacted", "qualified", "unqualified"};
    private static final String[] STAGES = {"prospecting", "proposal", "negotiation", "won", "lost"};
    private static final String[] LOSS_REASONS = {"Price too high", "Chose a competitor", "", null};

    private Records() {
    }

    public static List<Map<String, Object>> leads() {
        Random random = new Random(SEED);
        List<Map<String, Object>> leads = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            Map<String, Object> lead = new HashMap<>();
            int c = random.nextInt(10);
            lead.put("company", c < 7 ? pick(random, COMPANIES) : c < 8 ? "" : null);
            int e = random.nextInt(10);
            String[] domains = e < 4 ? FREEMAIL_DOMAINS : BUSINESS_DOMAINS;
            lead.put("email", e < 8 ? "contact" + i + "@" + pick(random, domains) : null);
            lead.put("phone", random.nextBoolean() ? "+49 30 " + (1_000_000 + random.nextInt(9_000_000)) : null);
            lead.put("source", pick(random, SOURCES));
            lead.put("description", pick(random, DESCRIPTIONS));
            lead.put("status", pick(random, STATUSES));
            leads.add(lead);
        }
        return List.copyOf(leads);
    }

    public static List<Map<String, Object>> opportunities() {
        Random random = new Random(SEED + 1);
        List<Map<String, Object>> opportunities = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            Map<String, Object> opportunity = new HashMap<>();
            opportunity.put("name", "Deal " + i);
            int a = random.nextInt(20);
            opportunity.put("amount", a < 2 ? null : a < 3 ? BigDecimal.ZERO.setScale(2)
                    : BigDecimal.valueOf(random.nextInt(20_000_000) - 100_000, 2));
            int p = random.nextInt(10);
            opportunity.put("probability", p < 1 ? null : Long.valueOf(random.nextInt(131) - 10));
            int d = random.nextInt(10);
            opportunity.put("close_date", d < 1 ? null : BenchRules.TODAY.plusDays(random.nextInt(241) - 120));
            String stage = pick(random, STAGES);
            opportunity.put("stage", stage);
            opportunity.put("loss_reason", "lost".equals(stage) ? pick(random, LOSS_REASONS) : null);
            opportunities.add(opportunity);
        }
        return List.copyOf(opportunities);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}

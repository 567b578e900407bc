package io.relata.bench;

import io.relata.api.record.FieldError;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The two rules written in plain Java, step for step like lead-score.js and opportunity-validation.js, on the
 * typed values of the record. The baseline: what the rules cost without any script engine.
 */
public final class JavaRules {

    private static final Set<String> FREEMAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
            "outlook.com", "live.com", "icloud.com", "aol.com", "gmx.de", "gmx.net", "web.de", "t-online.de");
    private static final Pattern BUDGET_OR_URGENT = Pattern.compile("\\b(budget|urgent|asap)\\b",
            Pattern.CASE_INSENSITIVE);

    private JavaRules() {
    }

    public static Score leadScore(Map<String, Object> record) {
        int score = 0;
        StringBuilder reasons = new StringBuilder();
        if (given(record.get("company"))) {
            score += reason(reasons, 20, "Company given");
        }
        String email = (String) record.get("email");
        if (given(email)) {
            String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            if (FREEMAIL.contains(domain)) {
                score += reason(reasons, 5, "Free-mail address");
            } else {
                score += reason(reasons, 15, "Business e-mail domain (" + domain + ")");
            }
        }
        if (given(record.get("phone"))) {
            score += reason(reasons, 10, "Phone given");
        }
        Object source = record.get("source");
        if ("trade_fair".equals(source) || "referral".equals(source)) {
            score += reason(reasons, 25, "Source: " + source);
        } else if ("web".equals(source)) {
            score += reason(reasons, 10, "Source: web");
        }
        String description = (String) record.get("description");
        if (given(description) && BUDGET_OR_URGENT.matcher(description).find()) {
            score += reason(reasons, 15, "Mentions budget or urgency");
        }
        Object status = record.get("status");
        if ("qualified".equals(status)) {
            score += reason(reasons, 20, "Qualified");
        } else if ("unqualified".equals(status)) {
            score += reason(reasons, -30, "Marked unqualified");
        }
        return new Score(Math.max(0, Math.min(100, score)), reasons.length() == 0 ? null : reasons.toString());
    }

    /** The validation's errors, in the order the script reports them; empty when the record is valid. */
    public static List<FieldError> opportunityErrors(Map<String, Object> record, LocalDate today) {
        List<FieldError> errors = new ArrayList<>(4);
        Object stage = record.get("stage");
        boolean closed = "won".equals(stage) || "lost".equals(stage);
        LocalDate closeDate = (LocalDate) record.get("close_date");
        if (!closed && closeDate != null && closeDate.isBefore(today)) {
            errors.add(error("close_date", "The close date " + closeDate
                    + " is in the past: move it, or mark the opportunity won or lost."));
        }
        BigDecimal amount = (BigDecimal) record.get("amount");
        if (amount == null || amount.signum() <= 0) {
            errors.add(error("amount", "Enter an amount greater than 0."));
        }
        Long probability = (Long) record.get("probability");
        if (probability != null && (probability < 0 || probability > 100)) {
            errors.add(error("probability", "The probability must be between 0 and 100, not " + probability + "."));
        }
        if ("lost".equals(stage) && !given(record.get("loss_reason"))) {
            errors.add(error("loss_reason", "Say why the opportunity was lost."));
        }
        return errors;
    }

    private static int reason(StringBuilder reasons, int points, String reason) {
        if (reasons.length() > 0) {
            reasons.append('\n');
        }
        reasons.append(points >= 0 ? "+" : "").append(points).append(' ').append(reason);
        return points;
    }

    private static FieldError error(String field, String message) {
        return new FieldError(field, "rule", message);
    }

    /** JavaScript truthiness for a text value: present and not empty. */
    private static boolean given(Object text) {
        return text != null && !((String) text).isEmpty();
    }
}

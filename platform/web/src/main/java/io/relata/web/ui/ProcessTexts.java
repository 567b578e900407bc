package io.relata.web.ui;

import java.time.Duration;
import java.util.Locale;

/** How processes read on the pages: phase names as people know them and durations in days and hours. */
final class ProcessTexts {

    private ProcessTexts() {
    }

    /**
     * A duration the way a sales person says it: the two largest units ("3 d 4 h", "2 h 5 min"); under a
     * minute "< 1 min". Null (no case to measure) is a dash.
     */
    static String duration(Duration duration, Locale locale) {
        if (duration == null) {
            return "–";
        }
        boolean german = "de".equals(locale.getLanguage());
        String day = german ? "T" : "d";
        String hour = german ? "Std" : "h";
        String minute = "min";
        long days = duration.toDays();
        long hours = duration.toHoursPart();
        long minutes = duration.toMinutesPart();
        if (days > 0) {
            return days + " " + day + (hours > 0 ? " " + hours + " " + hour : "");
        }
        if (hours > 0) {
            return hours + " " + hour + (minutes > 0 ? " " + minutes + " " + minute : "");
        }
        return minutes > 0 ? minutes + " " + minute : "< 1 " + minute;
    }

    /** A share in 0..1 as a whole percentage in the user's language; null (nothing to divide by) is a dash. */
    static String percent(Double share, Locale locale) {
        if (share == null) {
            return "–";
        }
        java.text.NumberFormat format = java.text.NumberFormat.getPercentInstance(locale);
        format.setMaximumFractionDigits(0);
        return format.format(share);
    }

    static String cssOutcome(io.relata.api.process.PhaseOutcome outcome) {
        return outcome == null ? "open" : outcome.yamlName();
    }
}

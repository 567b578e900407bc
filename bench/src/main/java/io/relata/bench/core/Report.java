package io.relata.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A benchmark's Markdown report, echoed to the console as it is written; and the figures' formats. */
final class Report {

    private final StringBuilder out = new StringBuilder();
    /** True after a table row: the next text needs a blank line first, or Markdown reads it as another row. */
    private boolean inTable;

    private StringBuilder text() {
        if (inTable) {
            out.append('\n');
            inTable = false;
        }
        return out;
    }

    void section(String title) {
        text().append("\n## ").append(title).append("\n\n");
        System.out.println("== " + title);
    }

    void line(String text) {
        if (text.isEmpty() && inTable) {
            text();
            return;
        }
        text().append(text).append("\n\n");
        System.out.println(text);
    }

    /** Text as it is (a code block, a heading), not echoed. */
    Report append(String text) {
        text().append(text);
        return this;
    }

    void table(String... headers) {
        text().append("| ").append(String.join(" | ", headers)).append(" |\n|");
        for (int i = 0; i < headers.length; i++) {
            out.append(i == 0 ? "---|" : "---:|");
        }
        out.append('\n');
        inTable = true;
    }

    void row(String... cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        inTable = true;
        System.out.println(String.join(" | ", cells));
    }

    /** Writes the report to {@code file} (creating its folder) and prints it. */
    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text().toString());
        System.out.println(out);
        System.out.println("Report: " + file);
    }

    /** Milliseconds: two decimals under 10, none above. */
    static String ms(double value) {
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.0f", value);
    }

    /** A whole number with thousands separators. */
    static String num(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The machine's load average over 1, 5 and 15 minutes. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

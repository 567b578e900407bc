package io.relata.metadata;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the closest known name to a misspelled one ("lable" → "label"). A suggestion must itself be a fix that
 * works: candidates are often names from the same file (its fields, phases, steps), which may be broken
 * themselves, so only candidates that look like a name are suggested ({@link #suggestible}).
 */
final class Suggestions {

    /**
     * What every name, key and value the schemas offer looks like: names ({@code ^[a-z][a-z0-9_]*$}), option
     * values and phases ({@code long-text}), keys ({@code pluralLabel}), script files ({@code lead.score.js}).
     * Never a space, a quote or an empty text.
     */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private Suggestions() {
    }

    /** Whether a candidate may be suggested: it looks like a name the schemas accept (no space, not empty). */
    static boolean suggestible(String candidate) {
        return candidate != null && candidate.length() <= 80 && NAME.matcher(candidate).matches();
    }

    /** The candidate with the smallest edit distance, if it is close enough to be a likely typo. */
    static Optional<String> closest(String wrong, Collection<String> candidates) {
        if (wrong == null || wrong.length() > 200) {
            return Optional.empty(); // no name is that long; and the distance table grows with the length
        }
        String lowerWrong = wrong.toLowerCase(java.util.Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (!suggestible(candidate) || candidate.equals(wrong)) {
                continue;
            }
            int distance = distance(lowerWrong, candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(2, wrong.length() / 3);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** " (did you mean 'label'?)" or "". */
    static String didYouMean(String wrong, Collection<String> candidates) {
        return closest(wrong, candidates).map(c -> "did you mean '" + c + "'? ").orElse("");
    }

    /** Levenshtein distance, counting a swap of two neighbouring letters as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

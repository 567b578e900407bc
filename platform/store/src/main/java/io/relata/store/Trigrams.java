package io.relata.store;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The similarity of two texts as PostgreSQL's pg_trgm computes it: the share of trigrams they have in common
 * (Jaccard), each word padded with two spaces in front and one behind, letters and digits only, lower case. Where
 * pg_trgm is not at hand (H2, or PostgreSQL without the extension) the store ranks candidates by this in Java, so
 * that "similar" means the same on every database.
 */
public final class Trigrams {

    private Trigrams() {
    }

    public static double similarity(String a, String b) {
        Set<String> left = trigrams(a);
        Set<String> right = trigrams(b);
        if (left.isEmpty() || right.isEmpty()) {
            return 0;
        }
        Set<String> common = new HashSet<>(left);
        common.retainAll(right);
        return (double) common.size() / (left.size() + right.size() - common.size());
    }

    static Set<String> trigrams(String text) {
        Set<String> trigrams = new HashSet<>();
        if (text == null) {
            return trigrams;
        }
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            String padded = "  " + word + " ";
            int[] points = padded.codePoints().toArray();
            for (int i = 0; i + 3 <= points.length; i++) {
                trigrams.add(new String(points, i, 3));
            }
        }
        return trigrams;
    }
}

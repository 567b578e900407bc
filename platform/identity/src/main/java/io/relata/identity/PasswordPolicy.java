package io.relata.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * Which passwords are accepted, after NIST SP 800-63B (5.1.1.2): at least 12 characters and no composition
 * rules, but never a password attackers try first: one from the shipped lists of common and breached
 * passwords and frequent words (also with digits or symbols around it, in capitals or with digits for
 * letters), repeated or sequential characters, the user's own name, or the product's name. A refusal says
 * which rule it broke, in German and English.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;

    /** Why a password was refused; the message key is {@code password.<name in camel case>}. */
    public enum Reason {
        TOO_SHORT("password.tooShort"),
        COMMON("password.common"),
        REPETITIVE("password.repetitive"),
        CONTAINS_USER_NAME("password.containsUserName"),
        CONTAINS_PRODUCT_NAME("password.containsProductName");

        private final String messageKey;

        Reason(String messageKey) {
            this.messageKey = messageKey;
        }

        public String messageKey() {
            return messageKey;
        }

        /** The code an API client sees, e.g. {@code password_common}. */
        public String code() {
            return "password_" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** A refused password: the rule and the part of the password or name it concerns (shown to the user). */
    public static final class RejectedException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final Reason reason;
        private final String argument;

        RejectedException(Reason reason, String argument) {
            super(PasswordPolicy.message(reason, argument, Locale.ENGLISH));
            this.reason = reason;
            this.argument = argument;
        }

        public Reason reason() {
            return reason;
        }

        /** The message in the user's language (German or English). */
        public String message(Locale locale) {
            return PasswordPolicy.message(reason, argument, locale);
        }
    }

    private static final String PRODUCT = "relata";
    /** Runs of keys and characters that people type as "patterns"; also checked backwards. */
    private static final List<String> RUNS = List.of(
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
            "012345678901234567890123456789012345678901234567890",
            "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm",
            "qwertzuiopasdfghjklyxcvbnmqwertzuiopasdfghjklyxcvbnm",
            "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
            "1qay2wsx3edc4rfv5tgb6zhn7ujm8ik9ol0p",
            "qazwsxedcrfvtgbyhnujmikolp",
            "qaywsxedcrfvtgbzhnujmikolp");

    private final Set<String> blocked;

    PasswordPolicy(Set<String> blocked) {
        this.blocked = Set.copyOf(blocked);
    }

    /** The policy with the lists shipped in {@code io/relata/identity/passwords/} (see the README there). */
    public static PasswordPolicy shipped() {
        Set<String> words = new HashSet<>(70_000);
        read("passwords/common-passwords.txt", words);
        read("passwords/common-german-words.txt", words);
        return new PasswordPolicy(words);
    }

    /**
     * Refuses {@code password} with the first rule it breaks.
     *
     * @param names the user name and display name of the account the password is for; the password may not
     *              contain them or their parts of four or more characters
     * @throws RejectedException saying why
     */
    public void check(String password, Collection<String> names) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw new RejectedException(Reason.TOO_SHORT, Integer.toString(MIN_LENGTH));
        }
        String lower = password.toLowerCase(Locale.ROOT);
        for (String name : nameParts(names)) {
            if (lower.contains(name)) {
                throw new RejectedException(Reason.CONTAINS_USER_NAME, name);
            }
        }
        if (lower.contains(PRODUCT)) {
            throw new RejectedException(Reason.CONTAINS_PRODUCT_NAME, "Relata");
        }
        for (String variant : variants(lower)) {
            String core = core(variant);
            boolean checkCore = core.length() >= 4 && !core.equals(variant);
            if (blocked.contains(variant) || checkCore && blocked.contains(core)) {
                throw new RejectedException(Reason.COMMON, "");
            }
            if (repetitive(variant) || checkCore && repetitive(core)) {
                throw new RejectedException(Reason.REPETITIVE, "");
            }
        }
    }

    /** The ways people disguise a word: capitals (already lowered), umlauts written out, digits for letters. */
    private static Set<String> variants(String lower) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(lower);
        String folded = lower.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss");
        variants.add(folded);
        String leet = folded.replace('@', 'a').replace('4', 'a').replace('3', 'e').replace('0', 'o').replace('$', 's')
                .replace('5', 's').replace('7', 't').replace('!', 'i');
        variants.add(leet.replace('1', 'i'));
        variants.add(leet.replace('1', 'l'));
        return variants;
    }

    /** The password without digits and symbols at its ends: "Sommer2024!" → "sommer". */
    static String core(String password) {
        int start = 0;
        int end = password.length();
        while (start < end && !Character.isLetter(password.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetter(password.charAt(end - 1))) {
            end--;
        }
        return password.substring(start, end);
    }

    /** Few distinct characters, one short part repeated, or a run along the alphabet, the digits or the keyboard. */
    static boolean repetitive(String text) {
        if (text.chars().distinct().count() <= 3) {
            return true;
        }
        int length = text.length();
        for (int unit = 1; unit <= length / 2; unit++) {
            if (length % unit == 0 && text.substring(0, unit).repeat(length / unit).equals(text)) {
                return true;
            }
        }
        for (String run : RUNS) {
            if (run.contains(text) || new StringBuilder(run).reverse().toString().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> nameParts(Collection<String> names) {
        Set<String> parts = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                continue;
            }
            String lower = name.trim().toLowerCase(Locale.ROOT);
            if (lower.length() >= 3) {
                parts.add(lower);
            }
            for (String part : lower.split("[\\s._@+-]+")) {
                if (part.length() >= 4) {
                    parts.add(part);
                }
            }
        }
        return parts;
    }

    static String message(Reason reason, String argument, Locale locale) {
        ResourceBundle bundle = ResourceBundle.getBundle("io.relata.identity.messages",
                locale == null ? Locale.ENGLISH : locale);
        return MessageFormat.format(bundle.getString(reason.messageKey()).replace("'", "''"), argument)
                + " " + bundle.getString("password.why");
    }

    private static void read(String resource, Set<String> into) {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The password list " + resource + " is missing from the build");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    into.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the password list " + resource, e);
        }
    }
}

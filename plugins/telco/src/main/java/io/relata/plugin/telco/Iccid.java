package io.relata.plugin.telco;

/**
 * The SIM card number (ICCID, ITU-T E.118): 19 or 20 digits starting with the telecom industry code 89, the
 * last digit a Luhn check digit over the others.
 */
final class Iccid {

    private Iccid() {
    }

    /** True if {@code iccid} (spaces allowed) is 19 or 20 digits, starts with 89 and its check digit holds. */
    static boolean valid(String iccid) {
        if (iccid == null) {
            return false;
        }
        String digits = iccid.replace(" ", "");
        if (!digits.matches("89\\d{17,18}")) {
            return false;
        }
        return checkDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1) - '0';
    }

    /** The Luhn check digit of {@code payload}: double every second digit from the right, sum the digits. */
    static int checkDigit(String payload) {
        int sum = 0;
        boolean doubled = true;
        for (int i = payload.length() - 1; i >= 0; i--) {
            int digit = payload.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return (10 - sum % 10) % 10;
    }
}

package io.relata.runtime.orders;

import java.util.Arrays;
import java.util.List;

/**
 * The company data printed on quote PDFs, from the settings {@code CRM_COMPANY_*}.
 *
 * @param name         the company's name, at the head
 * @param address      the address lines, under the name and in the sender line above the recipient
 * @param contact      phone, e-mail, web, in the footer
 * @param registration commercial register, VAT ID, in the footer
 * @param bank         bank account, in the footer
 */
public record Letterhead(String name, List<String> address, List<String> contact, List<String> registration,
                         List<String> bank) {

    public Letterhead {
        address = List.copyOf(address);
        contact = List.copyOf(contact);
        registration = List.copyOf(registration);
        bank = List.copyOf(bank);
    }

    /** The lines of a setting written as {@code line | line | line}; none for an empty one. */
    public static List<String> lines(String setting) {
        if (setting == null || setting.isBlank()) {
            return List.of();
        }
        return Arrays.stream(setting.split(";")).map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}

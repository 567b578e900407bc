package io.relata.runtime.orders;

import java.util.List;

/**
 * What a sales document (a quote, later an order confirmation) shows, already in the reader's language and
 * formatted: the renderer ({@link SalesDocumentPdf}) only lays it out. Built from records and metadata labels by
 * {@link Quotes}.
 *
 * @param title     the kind and number, e.g. "Angebot Q-2026-00007"
 * @param recipient the address block: company, person, street, city
 * @param facts     label and value pairs at the right of the recipient (date, valid until, contact person)
 * @param subject   the subject line above the table
 * @param intro     a sentence before the table, may be empty
 * @param columns   the table's column headings
 * @param numeric   per column: right-aligned (numbers and amounts)
 * @param rows      the table's cells, as many per row as columns
 * @param totals    label and value pairs under the table, the last one bold
 * @param terms     text after the totals (the document's terms), may be empty
 * @param footnote  a closing line (which prices apply, validity), may be empty
 */
public record SalesDocument(Letterhead letterhead, String title, List<String> recipient, List<Fact> facts,
                            String subject, String intro, List<String> columns, List<Boolean> numeric,
                            List<List<String>> rows, List<Fact> totals, String terms, String footnote) {

    public SalesDocument {
        recipient = List.copyOf(recipient);
        facts = List.copyOf(facts);
        columns = List.copyOf(columns);
        numeric = List.copyOf(numeric);
        rows = rows.stream().map(List::copyOf).toList();
        totals = List.copyOf(totals);
        int width = columns.size();
        if (numeric.size() != width || rows.stream().anyMatch(row -> row.size() != width)) {
            throw new IllegalArgumentException("every row needs one cell per column");
        }
    }

    /** A label with its value. */
    public record Fact(String label, String value) {
    }
}

package io.relata.runtime.orders;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Lays a {@link SalesDocument} out as an A4 PDF (OpenPDF): letterhead at the top, sender line and recipient at the
 * left with the facts at the right, subject, the lines as a table repeated with its heading on every page, totals,
 * terms, and the company's contact, register and bank details in the footer of every page with "page n of m". The
 * text font is Liberation Sans (shipped with OpenPDF, embedded as a subset) so that every name prints, not only
 * those of Latin-1.
 */
public final class SalesDocumentPdf {

    private static final String FONT = "font-fallback/LiberationSans-Regular.ttf";
    private static final Color GREY = new Color(0x55, 0x55, 0x55);
    private static final Color RULE = new Color(0xBB, 0xBB, 0xBB);
    private static final Color HEAD = new Color(0xEE, 0xF1, 0xF5);
    private static volatile byte[] fontBytes;

    private SalesDocumentPdf() {
    }

    /**
     * @param pageOf the footer's page count in the document's language: "Seite {0} von {1}" / "Page {0} of {1}"
     */
    public static byte[] render(SalesDocument document, String pageOf) {
        try {
            BaseFont base = BaseFont.createFont(FONT, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, font(), null);
            Fonts fonts = new Fonts(base);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Document pdf = new Document(PageSize.A4, 56, 56, 56, 90);
            PdfWriter writer = PdfWriter.getInstance(pdf, out);
            Footer footer = new Footer(document.letterhead(), fonts, pageOf);
            writer.setPageEvent(footer);
            pdf.addTitle(document.title());
            pdf.addCreator("Relata CRM");
            pdf.open();
            head(pdf, document, fonts);
            lines(pdf, document, fonts);
            totals(pdf, document, fonts);
            if (!document.terms().isBlank()) {
                Paragraph terms = new Paragraph(document.terms(), fonts.text);
                terms.setSpacingBefore(14);
                pdf.add(terms);
            }
            if (!document.footnote().isBlank()) {
                Paragraph footnote = new Paragraph(document.footnote(), fonts.small);
                footnote.setSpacingBefore(10);
                pdf.add(footnote);
            }
            pdf.close();
            return out.toByteArray();
        } catch (DocumentException e) {
            throw new IllegalStateException("The PDF could not be laid out: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("The PDF font could not be read: " + e.getMessage(), e);
        }
    }

    private static byte[] font() throws IOException {
        byte[] bytes = fontBytes;
        if (bytes == null) {
            try (InputStream in = SalesDocumentPdf.class.getClassLoader().getResourceAsStream(FONT)) {
                if (in == null) {
                    throw new IOException(FONT + " is not on the class path (it ships with OpenPDF)");
                }
                bytes = in.readAllBytes();
            }
            fontBytes = bytes;
        }
        return bytes;
    }

    /** The document's fonts, all of one embedded face (bold is drawn bolder by OpenPDF). */
    private record Fonts(Font title, Font text, Font bold, Font small, Font head) {
        Fonts(BaseFont base) {
            this(new Font(base, 16, Font.BOLD), new Font(base, 9.5f), new Font(base, 9.5f, Font.BOLD),
                    new Font(base, 7.5f, Font.NORMAL, GREY), new Font(base, 8.5f, Font.BOLD));
        }
    }

    private static void head(Document pdf, SalesDocument document, Fonts fonts) throws DocumentException {
        Letterhead letterhead = document.letterhead();
        Paragraph company = new Paragraph(letterhead.name(), new Font(fonts.title.getBaseFont(), 13, Font.BOLD));
        company.setAlignment(Element.ALIGN_RIGHT);
        pdf.add(company);
        Paragraph address = new Paragraph(String.join("\n", letterhead.address()), fonts.small);
        address.setAlignment(Element.ALIGN_RIGHT);
        address.setSpacingAfter(24);
        pdf.add(address);

        PdfPTable block = new PdfPTable(new float[] {55, 45});
        block.setWidthPercentage(100);
        PdfPCell recipient = cell(Rectangle.NO_BORDER);
        Paragraph sender = new Paragraph(letterhead.name() + (letterhead.address().isEmpty() ? ""
                : " · " + String.join(" · ", letterhead.address())), fonts.small);
        recipient.addElement(sender);
        recipient.addElement(new Paragraph(String.join("\n", document.recipient()), fonts.text));
        block.addCell(recipient);
        PdfPTable facts = new PdfPTable(new float[] {50, 50});
        for (SalesDocument.Fact fact : document.facts()) {
            PdfPCell label = cell(Rectangle.NO_BORDER);
            label.setPhrase(new Phrase(fact.label(), fonts.small));
            facts.addCell(label);
            PdfPCell value = cell(Rectangle.NO_BORDER);
            value.setPhrase(new Phrase(fact.value(), fonts.text));
            value.setHorizontalAlignment(Element.ALIGN_RIGHT);
            facts.addCell(value);
        }
        PdfPCell right = cell(Rectangle.NO_BORDER);
        right.addElement(facts);
        block.addCell(right);
        pdf.add(block);

        Paragraph title = new Paragraph(document.title(), fonts.title);
        title.setSpacingBefore(28);
        pdf.add(title);
        Paragraph subject = new Paragraph(document.subject(), fonts.bold);
        subject.setSpacingBefore(4);
        subject.setSpacingAfter(8);
        pdf.add(subject);
        if (!document.intro().isBlank()) {
            Paragraph intro = new Paragraph(document.intro(), fonts.text);
            intro.setSpacingAfter(10);
            pdf.add(intro);
        }
    }

    private static void lines(Document pdf, SalesDocument document, Fonts fonts) throws DocumentException {
        int count = document.columns().size();
        // the first column is the position, the first text column after it the description: it takes the room
        float[] widths = new float[count];
        boolean described = false;
        for (int i = 0; i < count; i++) {
            boolean numeric = document.numeric().get(i);
            widths[i] = i == 0 ? 6 : numeric ? 13 : described ? 10 : 40;
            described |= !numeric && i > 0;
        }
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setHeaderRows(1);
        for (int i = 0; i < count; i++) {
            PdfPCell heading = cell(Rectangle.BOTTOM);
            heading.setBackgroundColor(HEAD);
            heading.setPhrase(new Phrase(document.columns().get(i), fonts.head));
            heading.setHorizontalAlignment(document.numeric().get(i) ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT);
            table.addCell(heading);
        }
        for (List<String> row : document.rows()) {
            for (int i = 0; i < count; i++) {
                PdfPCell value = cell(Rectangle.BOTTOM);
                value.setBorderColor(RULE);
                value.setPhrase(new Phrase(row.get(i), fonts.text));
                value.setHorizontalAlignment(document.numeric().get(i) ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT);
                table.addCell(value);
            }
        }
        pdf.add(table);
    }

    private static void totals(Document pdf, SalesDocument document, Fonts fonts) throws DocumentException {
        PdfPTable totals = new PdfPTable(new float[] {45, 33, 22});
        totals.setWidthPercentage(100);
        totals.setSpacingBefore(6);
        List<SalesDocument.Fact> all = document.totals();
        for (int i = 0; i < all.size(); i++) {
            boolean last = i == all.size() - 1;
            Font font = last ? fonts.bold : fonts.text;
            totals.addCell(cell(Rectangle.NO_BORDER));
            PdfPCell label = cell(last ? Rectangle.TOP : Rectangle.NO_BORDER);
            label.setPhrase(new Phrase(all.get(i).label(), font));
            totals.addCell(label);
            PdfPCell value = cell(last ? Rectangle.TOP : Rectangle.NO_BORDER);
            value.setPhrase(new Phrase(all.get(i).value(), font));
            value.setHorizontalAlignment(Element.ALIGN_RIGHT);
            totals.addCell(value);
        }
        pdf.add(totals);
    }

    private static PdfPCell cell(int border) {
        PdfPCell cell = new PdfPCell();
        cell.setBorder(border);
        cell.setPadding(4);
        return cell;
    }

    /** The company's details and "page n of m" at the foot of every page; m is filled in when the document closes. */
    private static final class Footer extends PdfPageEventHelper {
        private final Letterhead letterhead;
        private final Fonts fonts;
        private final String pageOf;
        private com.lowagie.text.pdf.PdfTemplate total;

        Footer(Letterhead letterhead, Fonts fonts, String pageOf) {
            this.letterhead = letterhead;
            this.fonts = fonts;
            this.pageOf = pageOf;
        }

        @Override
        public void onOpenDocument(PdfWriter writer, Document document) {
            total = writer.getDirectContent().createTemplate(40, 12);
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte canvas = writer.getDirectContent();
            float left = document.left();
            float width = document.right() - document.left();
            float top = document.bottom() - 18;
            List<List<String>> columns = List.of(letterhead.contact(), letterhead.registration(), letterhead.bank());
            for (int i = 0; i < columns.size(); i++) {
                ColumnText text = new ColumnText(canvas);
                text.setSimpleColumn(left + i * width / 3, top - 50, left + (i + 1) * width / 3 - 8, top);
                text.addText(new Phrase(String.join("\n", columns.get(i)), fonts.small));
                try {
                    text.go();
                } catch (DocumentException e) {
                    throw new IllegalStateException(e);
                }
            }
            String[] parts = pageOf.split("\\{1}", 2);
            String before = parts[0].replace("{0}", Integer.toString(writer.getPageNumber()));
            float x = document.right() - 60;
            ColumnText.showTextAligned(canvas, Element.ALIGN_LEFT, new Phrase(new Chunk(before, fonts.small)), x,
                    document.top() + 20, 0);
            canvas.addTemplate(total, x + fonts.small.getBaseFont().getWidthPoint(before, fonts.small.getSize()),
                    document.top() + 20);
            if (parts.length > 1 && !parts[1].isEmpty()) {
                // text after the page count is rare ("Seite 1 von 3" has none); drawn after a fixed gap
                ColumnText.showTextAligned(canvas, Element.ALIGN_LEFT, new Phrase(parts[1], fonts.small), x + 70,
                        document.top() + 20, 0);
            }
        }

        @Override
        public void onCloseDocument(PdfWriter writer, Document document) {
            // the writer has moved on to the page after the last one
            ColumnText.showTextAligned(total, Element.ALIGN_LEFT, new Phrase(Integer.toString(writer.getPageNumber() - 1),
                    fonts.small), 0, 0, 0);
        }
    }
}

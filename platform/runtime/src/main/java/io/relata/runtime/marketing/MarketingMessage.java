package io.relata.runtime.marketing;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.time.Instant;
import java.util.Date;

/**
 * A marketing mail as it goes out, of a campaign or a sequence: the person's text (and HTML part, the text first, as a
 * program that shows no HTML shows it), the platform's own Message-ID (so that bounces and replies find their way
 * back), and the one-click unsubscribe headers of RFC 8058.
 */
final class MarketingMessage {

    private MarketingMessage() {
    }

    static MimeMessage of(Session session, String from, String to, CampaignMail.Text text, String messageId,
                          String oneClickUrl, Instant sent) throws MessagingException {
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
        message.setSubject(text.subject(), "UTF-8");
        if (text.html() == null) {
            message.setText(text.body(), "UTF-8");
        } else {
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text.body(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(text.html(), "UTF-8", "html");
            message.setContent(new MimeMultipart("alternative", plain, html));
        }
        message.setSentDate(Date.from(sent));
        message.setHeader("List-Unsubscribe", "<" + oneClickUrl + ">");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return message;
    }

    /** The host of the platform's address, for Message-IDs; {@code relata.invalid} if it has none. */
    static String host(String baseUrl) {
        try {
            String host = URI.create(baseUrl).getHost();
            return host == null ? "relata.invalid" : host;
        } catch (IllegalArgumentException e) {
            return "relata.invalid";
        }
    }

    /** A note on a record: at most the 1,000 characters its field holds. */
    static String shorten(String value) {
        return value.length() <= 1000 ? value : value.substring(0, 1000);
    }
}

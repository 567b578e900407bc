package io.relata.process;

import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/** A GreenMail SMTP server on 127.0.0.1 and the mail settings that point at it. */
final class Mails {

    private Mails() {
    }

    static ServerSetup smtpOnLoopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new ServerSetup(socket.getLocalPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MailSettings settings(ServerSetup smtp) {
        return new MailSettings("127.0.0.1", smtp.getPort(), "crm@example.com", null, null, false, Duration.ofSeconds(5));
    }

    /**
     * "to | subject | body" of a received mail, decoded; line breaks as in the template (SMTP sends CRLF and
     * drops a body's final line break).
     */
    static String describe(MimeMessage message) {
        try {
            return message.getAllRecipients()[0] + " | " + message.getSubject() + " | "
                    + String.valueOf(message.getContent()).replace("\r\n", "\n").stripTrailing();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

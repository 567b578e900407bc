package io.relata.runtime.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.runtime.files.RecordFiles;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mails to the customer record, read over IMAP from GreenMail, on H2 and PostgreSQL: a mail a rep sent with the
 * capture address in BCC is filed with the contact, its account, its text and its attachments (a refused one listed);
 * a forwarded mail about someone unknown waits for review and is filed to a contact by hand or discarded; a stranger's
 * mail is left alone; every mail once.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class MailCaptureTest {

    private static final Path METADATA = Path.of("../../metadata");
    private static final String MAILBOX = "crm@example.test";

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP_IMAP)
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, MAILBOX, "mailbox-secret"))
            .withPerMethodLifecycle(true);

    @Parameter
    String databaseKind;

    @TempDir
    Path directory;

    private final Actor anna = Actor.user(11, "anna", Set.of("sales"), List.of(1L));
    private final Actor ben = Actor.user(12, "ben", Set.of("sales"), List.of(1L));

    private io.relata.runtime.TestPlatform platform;
    private MetadataModel model;
    private JdbcRecordStore system;
    private RecordFiles files;
    private MailCapture capture;
    private long acme;
    private long mueller;

    @BeforeEach
    void start() throws Exception {
        platform = new io.relata.runtime.TestPlatform(databaseKind, List.of(), Clock.systemUTC(),
                p -> (files = new RecordFiles(p.database.dataSource(), new RecordFiles.Settings(RecordFiles.Storage.DATABASE,
                        directory, 100_000, Set.of("pdf", "txt")), () -> p.model, Clock.systemUTC())).hook());
        model = platform.model;
        system = platform.system;
        MailCapture.Settings mailbox = new MailCapture.Settings("127.0.0.1", ServerSetupTest.IMAP.getPort(), false, MAILBOX,
                "mailbox-secret", "INBOX", MAILBOX);
        Map<Long, Actor> byId = Map.of(anna.userId(), anna, ben.userId(), ben);
        Map<String, Actor> byEmail = Map.of("anna@relata.test", anna, "ben@relata.test", ben);
        MailCapture.Users users = new MailCapture.Users() {
            @Override
            public Optional<Actor> byId(long userId) {
                return Optional.ofNullable(byId.get(userId));
            }

            @Override
            public Optional<Actor> byEmail(String email) {
                return Optional.ofNullable(byEmail.get(email));
            }

            @Override
            public Optional<String> emailOf(long userId) {
                return Optional.of(byId.get(userId).username() + "@relata.test");
            }
        };
        capture = new MailCapture(platform.database.dataSource(), () -> mailbox, () -> model, users, this::as, files, Clock.systemUTC());
        acme = system.create("account", Map.of("name", "ACME"), anna.userId(), anna.primaryTeam()).id();
        mueller = system.create("contact", Map.of("last_name", "Müller", "first_name", "Anna",
                "email", "Anna.Mueller@Acme.example", "account", acme), anna.userId(), anna.primaryTeam()).id();
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private SecuredRecordStore as(Actor actor) {
        return platform.as(actor);
    }

    private static MimeMessage mail(String from, String to, String subject, String text) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
        message.setSubject(subject, "UTF-8");
        message.setText(text, "UTF-8");
        message.setSentDate(new java.util.Date());
        return message;
    }

    /** Into the CRM's mailbox, with the address it was sent to as the receiving server notes it. */
    private static void deliver(MimeMessage message, String deliveredTo) throws Exception {
        if (deliveredTo != null) {
            message.setHeader("Delivered-To", deliveredTo);
        }
        message.saveChanges();
        MAIL.getUserManager().getUser(MAILBOX).deliver(message);
    }

    private List<Record> emailsOf(long contact) {
        return system.query("activity", new io.relata.api.record.RecordQuery(List.of(new io.relata.api.record.Filter(
                "contact", io.relata.api.record.FilterOperator.EQ, contact)), List.of(), null, 50, null)).records();
    }

    @Test
    void aMailSentWithTheCaptureAddressInBccIsFiledWithTheContactAndItsAttachments() throws Exception {
        String address = capture.addressOf(anna.userId()).orElseThrow();
        assertThat(address).matches("crm\\+[a-z0-9]{10}@example\\.test");
        assertThat(capture.addressOf(anna.userId())).as("the same each time").contains(address);

        MimeMessage sent = mail("Anna <anna@relata.test>", "anna.mueller@acme.example", "Ihr Angebot", "");
        MimeMultipart parts = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Guten Tag Frau Müller,\nanbei das Angebot.", "UTF-8");
        parts.addBodyPart(text);
        MimeBodyPart offer = new MimeBodyPart();
        offer.setDataHandler(new DataHandler(new ByteArrayDataSource("%PDF-1.7 offer".getBytes(), "application/pdf")));
        offer.setFileName("Angebot.pdf");
        offer.setDisposition(MimeBodyPart.ATTACHMENT);
        parts.addBodyPart(offer);
        MimeBodyPart tool = new MimeBodyPart();
        tool.setDataHandler(new DataHandler(new ByteArrayDataSource("MZ".getBytes(), "application/octet-stream")));
        tool.setFileName("tool.exe");
        parts.addBodyPart(tool);
        sent.setContent(parts);
        deliver(sent, address);

        assertThat(capture.poll()).isEqualTo(new MailCapture.PollResult(1, 0, 0, 0));
        List<Record> filed = emailsOf(mueller);
        assertThat(filed).hasSize(1);
        Record activity = filed.get(0);
        assertThat(activity.ownerUser()).isEqualTo(anna.userId());
        assertThat(activity.get("type")).isEqualTo("email");
        assertThat(activity.get("done")).isEqualTo(true);
        assertThat(activity.get("subject")).isEqualTo("Ihr Angebot");
        assertThat(activity.get("account")).isEqualTo(acme);
        assertThat((String) activity.get("description")).contains("anbei das Angebot", "tool.exe");
        assertThat(files.of(as(anna), "activity", activity.id())).extracting(RecordFiles.StoredFile::name)
                .containsExactly("Angebot.pdf");

        // read once: a second poll finds nothing new, the same mail delivered again is known
        assertThat(capture.poll()).isEqualTo(new MailCapture.PollResult(0, 0, 0, 0));
        MimeMessage again = new MimeMessage(sent);
        again.setHeader("Message-ID", sent.getMessageID());
        MAIL.getUserManager().getUser(MAILBOX).deliver(again);
        assertThat(capture.poll()).isEqualTo(new MailCapture.PollResult(0, 0, 0, 1));
        assertThat(emailsOf(mueller)).hasSize(1);
    }

    @Test
    void aForwardedMailAboutSomeoneUnknownWaitsUntilTheRepFilesItOrDiscardsIt() throws Exception {
        deliver(mail("anna@relata.test", MAILBOX, "Fwd: Anfrage", "---------- Forwarded ----------\nFrom: Kurt "
                + "<kurt@unknown.example>\n\nKönnen Sie uns ein Angebot machen?"), null);
        deliver(mail("spam@elsewhere.example", MAILBOX, "Win!", "..."), null);
        deliver(mail("anna@relata.test", MAILBOX, "Fwd: Nochmal", "From: someone@else.example\n\nNoch eine."), null);
        assertThat(capture.poll()).isEqualTo(new MailCapture.PollResult(0, 2, 1, 0));

        List<MailCapture.CapturedMail> waiting = capture.waiting(anna.userId());
        assertThat(waiting).extracting(MailCapture.CapturedMail::subject).containsExactly("Fwd: Nochmal", "Fwd: Anfrage");
        assertThat(waiting.get(1).preview()).contains("Angebot machen");
        assertThat(capture.waitingCount(anna.userId())).isEqualTo(2);
        assertThat(capture.waiting(ben.userId())).isEmpty();

        long request = waiting.get(1).id();
        assertThatThrownBy(() -> capture.fileTo(as(ben), ben, request, mueller))
                .as("another user's mail").isInstanceOf(MailCapture.RefusedException.class);
        Record activity = capture.fileTo(as(anna), anna, request, mueller);
        assertThat(activity.get("contact")).isEqualTo(mueller);
        assertThat(activity.get("account")).isEqualTo(acme);
        assertThat((String) activity.get("description")).contains("Angebot machen");
        capture.discard(anna.userId(), waiting.get(0).id());
        assertThat(capture.waiting(anna.userId())).isEmpty();
        assertThatThrownBy(() -> capture.fileTo(as(anna), anna, request, mueller)).isInstanceOf(MailCapture.RefusedException.class);
    }

    @Test
    void theTextOfAnHtmlMailIsKept() throws Exception {
        MimeMessage html = mail("anna.mueller@acme.example", "anna@relata.test", "Rückfrage", "");
        html.setContent("<html><body><p>Sehr geehrte Frau Berger,</p><p>wann <b>passt</b> es Ihnen?</p>"
                + "<script>alert(1)</script></body></html>", "text/html; charset=UTF-8");
        deliver(html, capture.addressOf(anna.userId()).orElseThrow());
        assertThat(capture.poll().filed()).isEqualTo(1);
        String description = (String) emailsOf(mueller).get(0).get("description");
        assertThat(description).contains("Sehr geehrte Frau Berger", "wann passt es Ihnen?").doesNotContain("<p>", "alert");
    }
}

package io.relata.runtime.mail;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An IMAP mailbox the platform reads: the capture mailbox, the campaigns' mailbox of bounces and replies. Each round
 * reads the unread mails of a folder; a mail that was taken is marked read, one whose processing failed stays unread
 * and is tried again in the next round, without stopping the others.
 *
 * @param folder null or blank: {@code INBOX}
 */
public record ImapMailbox(String host, int port, boolean ssl, String user, String password, String folder) {

    private static final Logger LOG = Logger.getLogger(ImapMailbox.class.getName());

    /** What is done with one mail, given as its RFC 5322 bytes. */
    @FunctionalInterface
    public interface Reader {
        void take(byte[] raw) throws MessagingException, IOException;
    }

    public boolean configured() {
        return host != null && !host.isBlank();
    }

    /**
     * Hands at most {@code max} unread mails to {@code reader}, oldest first, and marks each it took as read.
     *
     * @return how many were taken
     * @throws MessagingException if the mailbox cannot be reached or opened
     */
    public int readUnread(int max, Reader reader) throws MessagingException {
        Properties properties = new Properties();
        String protocol = ssl ? "imaps" : "imap";
        properties.put("mail.store.protocol", protocol);
        properties.put("mail." + protocol + ".connectiontimeout", "10000");
        properties.put("mail." + protocol + ".timeout", "30000");
        int taken = 0;
        try (Store store = Session.getInstance(properties).getStore(protocol)) {
            store.connect(host, port, user, password);
            Folder inbox = store.getFolder(folder == null || folder.isBlank() ? "INBOX" : folder);
            inbox.open(Folder.READ_WRITE);
            try {
                Message[] unread = inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
                for (int i = 0; i < unread.length && i < max; i++) {
                    Message message = unread[i];
                    try {
                        reader.take(raw(message));
                    } catch (IOException | MessagingException | RuntimeException e) {
                        LOG.log(Level.WARNING, "A mail of " + user + " at " + host + " could not be processed; it stays"
                                + " unread and is tried again", e);
                        continue;
                    }
                    message.setFlag(Flags.Flag.SEEN, true);
                    taken++;
                }
            } finally {
                inbox.close(false);
            }
        }
        return taken;
    }

    private static byte[] raw(Message message) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "ImapMailbox[host=" + host + ", port=" + port + ", ssl=" + ssl + ", user=" + user + ", folder=" + folder
                + "]"; // no password in logs
    }
}

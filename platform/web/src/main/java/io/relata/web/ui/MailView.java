package io.relata.web.ui;

import io.relata.api.record.Record;
import io.relata.runtime.Platform;
import io.relata.runtime.mail.MailCapture;
import io.relata.web.security.CurrentActor;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "Mail to file": the user's capture address (to put in BCC or forward to) and the captured mails no contact matched,
 * each to be filed to a contact the user picks, or discarded. {@link MailCapture} does the work as the user.
 */
@Named
@ViewScoped
public class MailView implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String CONTACT = "contact";

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @Inject
    UiText ui;

    /** The contact picked per waiting mail (id → contact id as text). */
    private final Map<Long, String> chosen = new HashMap<>();
    private transient List<MailCapture.CapturedMail> waiting;

    public boolean isEnabled() {
        return platform.mailCapture().enabled();
    }

    public String getAddress() {
        return platform.mailCapture().addressOf(me.actor().userId()).orElse("");
    }

    public List<MailCapture.CapturedMail> getWaiting() {
        if (waiting == null) {
            waiting = platform.mailCapture().waiting(me.actor().userId());
        }
        return waiting;
    }

    public Map<Long, String> getChosen() {
        return chosen;
    }

    /** Contacts whose name or address matches what the user types (ids as text, for the picker). */
    public List<String> completeContact(String query) {
        if (!platform.access(me.actor()).canRead(CONTACT)) {
            return List.of();
        }
        return platform.records().query(CONTACT, new io.relata.api.record.RecordQuery(List.of(), List.of(), query, 8, null))
                .records().stream().map(r -> Long.toString(r.id())).toList();
    }

    public String contactLabel(String id) {
        if (id == null || id.isBlank()) {
            return "";
        }
        try {
            long contactId = Long.parseLong(id);
            Record contact = platform.records().find(CONTACT, contactId).orElse(null);
            String title = RecordCells.titlesIfReadable(platform.records(), CONTACT, List.of(contactId))
                    .getOrDefault(contactId, "#" + contactId);
            Object email = contact == null ? null : contact.get("email");
            return email == null ? title : title + " <" + email + ">";
        } catch (NumberFormatException e) {
            return id;
        }
    }

    public void file(long mailId) {
        String contact = chosen.get(mailId);
        if (contact == null || contact.isBlank()) {
            message(FacesMessage.SEVERITY_WARN, ui.message("mail.pickContact"));
            return;
        }
        try {
            Record activity = platform.mailCapture().fileTo(platform.securedRecords(), me.actor(), mailId, Long.parseLong(contact));
            message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("mail.filed"), activity.get("subject"),
                    contactLabel(contact)));
        } catch (MailCapture.RefusedException e) {
            message(FacesMessage.SEVERITY_ERROR, e.text().in(me.language()));
        }
        chosen.remove(mailId);
        waiting = null;
    }

    public void discard(long mailId) {
        try {
            platform.mailCapture().discard(me.actor().userId(), mailId);
            message(FacesMessage.SEVERITY_INFO, ui.message("mail.discarded"));
        } catch (MailCapture.RefusedException e) {
            message(FacesMessage.SEVERITY_ERROR, e.text().in(me.language()));
        }
        waiting = null;
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }
}

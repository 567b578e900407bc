package io.relata.web.ui;

import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.security.Actor;
import io.relata.runtime.Platform;
import io.relata.runtime.orders.Contracts;
import io.relata.runtime.orders.Quotes;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;

/**
 * The sales chain's actions on a record page. A quote: download the PDF, send it by e-mail (the mail prefilled from
 * the template, editable before it goes out; sending moves the quote to sent), make a new version. A contract: renew
 * it (the renewal opportunity and its quote). Each runs through {@link Quotes} or {@link Contracts} with the user's
 * rights; a refusal (an approval still missing, a frozen quote) is shown as the store says it.
 */
@Named
@ViewScoped
public class QuoteActionsView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @Inject
    UiText ui;

    private Long id;
    private String entity;
    private String status;
    private boolean changeable;
    private String to;
    private String subject;
    private String body;

    @PostConstruct
    void init() {
        String page = Pages.parameter("entity");
        String idParameter = Pages.parameter("id");
        boolean offered = Quotes.QUOTE.equals(page) ? platform.quotes().available()
                : Contracts.CONTRACT.equals(page) && platform.contracts().available();
        if (!offered || idParameter == null) {
            return;
        }
        try {
            long recordId = Long.parseLong(idParameter);
            Record record = platform.securedRecords().find(page, recordId).orElse(null);
            if (record == null) {
                return; // the record page answers what the user may not read
            }
            id = recordId;
            entity = page;
            status = String.valueOf(record.get("status"));
            changeable = platform.securedRecords().explain(page, recordId).canUpdate();
        } catch (NumberFormatException e) {
            // the record page answers a bad id
        }
    }

    public boolean isShown() {
        return id != null && Quotes.QUOTE.equals(entity);
    }

    public boolean isRenewable() {
        return id != null && Contracts.CONTRACT.equals(entity) && changeable && Contracts.RENEWABLE.contains(status);
    }

    public String renew() {
        try {
            Contracts.Renewal renewal = platform.contracts().renew(platform.securedRecords(), id);
            FacesContext.getCurrentInstance().getExternalContext().getFlash().setKeepMessages(true);
            message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("contract.renewed"),
                    renewal.quote().get("number")));
            return "/record?faces-redirect=true&entity=quote&id=" + renewal.quote().id();
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        return null;
    }

    public boolean isSendable() {
        return changeable && (Quotes.DRAFT.equals(status) || "approved".equals(status));
    }

    public boolean isVersionable() {
        return changeable && Quotes.VERSIONABLE_STATUSES.contains(status);
    }

    public String getPdfLink() {
        return Pages.contextPath() + "/api/v1/quotes/" + id + "/pdf";
    }

    /** Fills the send dialog with the mail the quote would go out with. */
    public void prepareSend() {
        try {
            Quotes.Mail mail = platform.quotes().draft(platform.securedRecords(), id, senderName());
            to = mail.to();
            subject = mail.subject();
            body = mail.body();
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
    }

    public String send() {
        try {
            Record current = platform.securedRecords().get(Quotes.QUOTE, id);
            platform.quotes().send(platform.securedRecords(), id, current.version(), new Quotes.Mail(to, subject, body));
            FacesContext.getCurrentInstance().getExternalContext().getFlash().setKeepMessages(true);
            message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("quote.sent"), to));
            return "/record?faces-redirect=true&entity=quote&id=" + id;
        } catch (ConcurrentUpdateException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("record.conflict"));
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        return null;
    }

    public String newVersion() {
        try {
            Record created = platform.quotes().newVersion(platform.securedRecords(), id);
            FacesContext.getCurrentInstance().getExternalContext().getFlash().setKeepMessages(true);
            message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("quote.versionMade"),
                    created.get("number"), created.get("version_no")));
            return "/record?faces-redirect=true&entity=quote&id=" + created.id();
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        return null;
    }

    private String senderName() {
        Actor actor = me.actor();
        return platform.users().user(actor.userId()).map(u -> u.getDisplayName()).orElse(actor.username());
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getBody() {
        return body;
    }

    public void setBody(String body) {
        this.body = body;
    }
}

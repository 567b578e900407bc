package io.relata.web.ui;

import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordNotFoundException;
import io.relata.runtime.Platform;
import io.relata.runtime.customer.LeadConversion;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Converting a lead (convert.xhtml?id=): what may exist already is shown first (similar accounts, contacts with the same
 * e-mail or a similar name there), the user links one or creates new ones, optionally with an opportunity, and
 * {@link LeadConversion} does it all at once.
 */
@Named
@ViewScoped
public class ConvertView implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The choice "create a new one" in the account and contact lists. */
    static final String CREATE = "new";

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private long leadId;
    private long leadVersion;
    private String leadTitle;
    private String status;
    private List<Option> accounts;
    private List<Option> contacts;
    private String account = CREATE;
    private String contact = CREATE;
    private boolean opportunity = true;
    private String opportunityName;
    private Result result;

    /** An existing record to link, or "create new". */
    public record Option(String value, String label, String detail) implements Serializable {
    }

    /** What the conversion made or linked, for the links after it. */
    public record Result(long account, String accountTitle, boolean accountCreated, long contact, String contactTitle,
                         boolean contactCreated, Long opportunity, String opportunityTitle, int carried) implements Serializable {
    }

    @PostConstruct
    void init() {
        if (!platform.leadConversion().available()) {
            throw new Pages.PageNotFoundException("No lead conversion in this model");
        }
        try {
            leadId = Long.parseLong(String.valueOf(Pages.parameter("id")));
            Record lead = platform.records().get(LeadConversion.LEAD, leadId);
            leadVersion = lead.version();
            status = String.valueOf(lead.get("status"));
            leadTitle = platform.records().titles(LeadConversion.LEAD, List.of(leadId)).getOrDefault(leadId, "#" + leadId);
            LeadConversion.Candidates candidates = platform.leadConversion().candidates(platform.securedRecords(), leadId);
            accounts = options("account", candidates.accounts(), "customer.convert.newAccount");
            contacts = options("contact", candidates.contacts(), "customer.convert.newContact");
            // a likely duplicate is proposed, not silently taken: the first candidate is preselected, "new" one click away
            account = candidates.accounts().isEmpty() ? CREATE : String.valueOf(candidates.accounts().get(0).id());
            contact = candidates.contacts().isEmpty() ? CREATE : String.valueOf(candidates.contacts().get(0).id());
            opportunityName = lead.get("company") instanceof String company ? company : leadTitle;
        } catch (NumberFormatException | RecordNotFoundException | io.relata.api.record.UnknownEntityException e) {
            throw new Pages.PageNotFoundException("No lead " + Pages.parameter("id") + " for " + me.getUsername());
        }
    }

    private List<Option> options(String entity, List<Record> candidates, String createLabel) {
        List<Option> list = new ArrayList<>();
        java.util.Map<Long, String> titles = candidates.isEmpty() ? java.util.Map.of()
                : platform.records().titles(entity, candidates.stream().map(Record::id).toList());
        for (Record candidate : candidates) {
            String detail = candidate.get("email") instanceof String email ? email
                    : candidate.get("city") instanceof String city ? city : "";
            list.add(new Option(String.valueOf(candidate.id()), titles.getOrDefault(candidate.id(), "#" + candidate.id()),
                    detail));
        }
        list.add(new Option(CREATE, ui.message(createLabel), ""));
        return list;
    }

    public String convert() {
        try {
            LeadConversion.Choice choice = new LeadConversion.Choice(CREATE.equals(account) ? null : Long.valueOf(account),
                    CREATE.equals(contact) ? null : Long.valueOf(contact), opportunity ? opportunityName : null);
            LeadConversion.Result done = platform.leadConversion().convert(platform.securedRecords(), leadId, leadVersion, choice);
            result = new Result(done.account().id(), title("account", done.account().id()), done.accountCreated(),
                    done.contact().id(), title("contact", done.contact().id()), done.contactCreated(),
                    done.opportunity() == null ? null : done.opportunity().id(),
                    done.opportunity() == null ? null : title("opportunity", done.opportunity().id()), done.activitiesCarried());
            message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("customer.convert.done"), leadTitle));
        } catch (ConcurrentUpdateException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("record.conflict"));
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        return null;
    }

    private String title(String entity, long id) {
        return platform.records().titles(entity, List.of(id)).getOrDefault(id, "#" + id);
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    public long getLeadId() {
        return leadId;
    }

    public String getLeadTitle() {
        return leadTitle;
    }

    public boolean isConverted() {
        return LeadConversion.CONVERTED.equals(status) || result != null;
    }

    public List<Option> getAccounts() {
        return accounts;
    }

    public List<Option> getContacts() {
        return contacts;
    }

    public String getAccount() {
        return account;
    }

    public void setAccount(String account) {
        this.account = account;
    }

    public String getContact() {
        return contact;
    }

    public void setContact(String contact) {
        this.contact = contact;
    }

    public boolean isOpportunity() {
        return opportunity;
    }

    public void setOpportunity(boolean opportunity) {
        this.opportunity = opportunity;
    }

    public String getOpportunityName() {
        return opportunityName;
    }

    public void setOpportunityName(String opportunityName) {
        this.opportunityName = opportunityName;
    }

    public Result getResult() {
        return result;
    }
}

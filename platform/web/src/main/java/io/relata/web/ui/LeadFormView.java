package io.relata.web.ui;

import io.relata.api.record.FieldError;
import io.relata.api.record.ValidationException;
import io.relata.runtime.Platform;
import io.relata.runtime.marketing.LeadCapture;
import io.relata.web.security.ClientAddress;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The public sign-up page of a campaign, signup.xhtml?campaign=ID (no login): name, company, address, a message and a
 * box per consent purpose, none ticked. In the browser's language (German or English); what it sends goes to
 * {@link LeadCapture}. The field "website" is hidden from people by the style sheet: programs fill it in.
 */
@Named
@ViewScoped
public class LeadFormView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    ClientAddress clientAddress;

    private LeadCapture.Form form;
    private String firstName;
    private String lastName;
    private String company;
    private String email;
    private String phone;
    private String message;
    private List<String> purposes = new ArrayList<>();
    private String website;
    private boolean done;

    @PostConstruct
    void init() {
        try {
            String campaign = Pages.parameter("campaign");
            form = campaign == null ? null : platform.leadCapture().form(Long.parseLong(campaign), locale().getLanguage())
                    .orElse(null);
        } catch (NumberFormatException e) {
            form = null; // the page says there is no such form
        }
    }

    public void submit() {
        if (form == null) {
            return;
        }
        HttpServletRequest request = (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest();
        try {
            platform.leadCapture().submit(form.campaignId(), new LeadCapture.Submission(firstName,
                    lastName, company, email, phone, message, new LinkedHashSet<>(purposes), website),
                    form.language(), clientAddress.of(request), request.getHeader("User-Agent"));
            done = true; // a filled-in trap is answered alike, so a program learns nothing
        } catch (LeadCapture.TooManySubmissions e) {
            error(null, text("signup.tooMany"));
        } catch (ValidationException e) {
            for (FieldError error : e.errors()) {
                error(error.field(), error.message(form.language()));
            }
        }
    }

    private void error(String field, String text) {
        FacesContext.getCurrentInstance().addMessage(field == null ? null : "signupForm:" + field,
                new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
    }

    public String text(String key) {
        return ResourceBundle.getBundle("io.relata.web.ui.messages", locale()).getString(key);
    }

    /** The form's language: the browser's, German or English. */
    private Locale locale() {
        if (form != null) {
            return Locale.forLanguageTag(form.language());
        }
        return Pages.browserLocale();
    }

    public String getLanguage() {
        return locale().getLanguage();
    }

    public LeadCapture.Form getForm() {
        return form;
    }

    public boolean isDone() {
        return done;
    }

    public String getFirstName() { return firstName; }
    public void setFirstName(String firstName) { this.firstName = firstName; }
    public String getLastName() { return lastName; }
    public void setLastName(String lastName) { this.lastName = lastName; }
    public String getCompany() { return company; }
    public void setCompany(String company) { this.company = company; }
    public String getEmail() { return email; }
    public void setEmail(String email) { this.email = email; }
    public String getPhone() { return phone; }
    public void setPhone(String phone) { this.phone = phone; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public List<String> getPurposes() { return purposes; }
    public void setPurposes(List<String> purposes) { this.purposes = purposes; }
    public String getWebsite() { return website; }
    public void setWebsite(String website) { this.website = website; }
}

package io.relata.web.ui;

import io.relata.runtime.Platform;
import io.relata.runtime.marketing.Consents;
import io.relata.runtime.marketing.Consents.LinkState;
import io.relata.web.security.ClientAddress;
import jakarta.annotation.PostConstruct;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.Locale;
import java.util.Optional;

/**
 * The two public pages of a consent's links (no login, a secret token in the URL): consent.xhtml confirms a double
 * opt-in, unsubscribe.xhtml withdraws a consent. Opening a page changes nothing, only its button does: programs that
 * open every link of a mail to check it must not confirm or unsubscribe anybody. In the consent's language (an
 * unknown link in the browser's).
 */
@Named
@ViewScoped
public class ConsentLinkView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    ClientAddress clientAddress;

    private String token;
    private Consents.LinkView link;
    private boolean done;

    @PostConstruct
    void init() {
        token = Pages.parameter("t");
        link = platform.consents().view(token).orElse(null);
    }

    /** The confirmation button of consent.xhtml. */
    public void confirm() {
        HttpServletRequest request = (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest();
        Optional<LinkState> state = link == null || !Consents.CONFIRM_KIND.equals(link.kind()) ? Optional.empty()
                : platform.consents().confirm(token, clientAddress.of(request), request.getHeader("User-Agent"));
        after(state);
    }

    /** The button of unsubscribe.xhtml. */
    public void withdraw() {
        Optional<LinkState> state = link == null || !Consents.WITHDRAW_KIND.equals(link.kind()) ? Optional.empty()
                : platform.consents().withdraw(token);
        after(state);
    }

    private void after(Optional<LinkState> state) {
        done = state.isPresent() && state.get() == LinkState.OPEN;
        link = platform.consents().view(token).orElse(null);
    }

    /** What the page shows: invalid, open (the button), done (just now or before), expired. */
    public String state(String kind) {
        if (link == null || !link.kind().equals(kind)) {
            return "invalid";
        }
        return switch (link.state()) {
            case OPEN -> "open";
            case DONE -> done ? "done" : "before";
            case EXPIRED -> "expired";
        };
    }

    public String text(String key) {
        return java.util.ResourceBundle.getBundle("io.relata.web.ui.messages", locale()).getString(key);
    }

    /** The consent's language; for a link that leads nowhere, the browser's (German or English). */
    private Locale locale() {
        if (link != null) {
            return Locale.forLanguageTag(link.language());
        }
        return Pages.browserLocale();
    }

    public String getLanguage() {
        return locale().getLanguage();
    }

    public String getEmail() {
        return link == null ? "" : link.email();
    }

    public String getPurpose() {
        return link == null ? "" : link.purpose();
    }

    public String getWording() {
        return link == null ? "" : link.wording();
    }
}

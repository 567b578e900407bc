package io.relata.web.ui;

import io.relata.web.security.CurrentActor;
import jakarta.enterprise.context.SessionScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/** The user's UI language: the browser's preference at first (German or English), switchable any time. */
@Named("prefs")
@SessionScoped
public class UserPreferences implements Serializable {

    private static final long serialVersionUID = 1L;
    static final List<String> LANGUAGES = CurrentActor.LANGUAGES;

    private Locale locale;

    public Locale getLocale() {
        if (locale == null) {
            Locale requested = FacesContext.getCurrentInstance().getExternalContext().getRequestLocale();
            locale = requested != null && LANGUAGES.contains(requested.getLanguage()) ? Locale.forLanguageTag(requested.getLanguage()) : Locale.ENGLISH;
            remember();
        }
        return locale;
    }

    public String getLanguage() {
        return getLocale().getLanguage();
    }

    public List<String> getLanguages() {
        return LANGUAGES;
    }

    public String switchTo(String language) {
        if (LANGUAGES.contains(language)) {
            locale = Locale.forLanguageTag(language);
            remember();
            FacesContext.getCurrentInstance().getViewRoot().setLocale(locale);
        }
        return FacesContext.getCurrentInstance().getViewRoot().getViewId() + "?faces-redirect=true&includeViewParams=true";
    }

    /** Tells the rest of the request handling (rules, messages of the store) which language the user reads. */
    private void remember() {
        FacesContext.getCurrentInstance().getExternalContext().getSessionMap().put(CurrentActor.SESSION_LANGUAGE, locale.getLanguage());
    }
}

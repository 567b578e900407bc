package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.runtime.Platform;
import jakarta.faces.context.FacesContext;

/** Request parameters shared by the generated pages. An unknown entity ends in the not-found page. */
final class Pages {

    private Pages() {
    }

    /** The application's context path ("" at the root), for links built outside a component. */
    static String contextPath() {
        return FacesContext.getCurrentInstance().getExternalContext().getRequestContextPath();
    }

    /** The language of a public page without a user: the browser's if it is German, English otherwise. */
    static java.util.Locale browserLocale() {
        java.util.Locale browser = FacesContext.getCurrentInstance().getExternalContext().getRequestLocale();
        return browser != null && "de".equals(browser.getLanguage()) ? java.util.Locale.GERMAN : java.util.Locale.ENGLISH;
    }

    static String parameter(String name) {
        return FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get(name);
    }

    static String requiredEntityParameter(Platform platform) {
        String name = parameter("entity");
        if (name == null || platform.model().entity(name).isEmpty()) {
            throw new PageNotFoundException("No entity '" + name + "'");
        }
        return name;
    }

    static EntityDefinition entity(Platform platform, String name) {
        return platform.model().entity(name).orElseThrow(() -> new PageNotFoundException("No entity '" + name + "'"));
    }

    /** Shown to the user as the not-found page, without details. */
    static final class PageNotFoundException extends RuntimeException {
        PageNotFoundException(String message) {
            super(message);
        }
    }
}

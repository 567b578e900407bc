package io.relata.web.ui;

import io.relata.admin.AdministratorsOnlyException;

import jakarta.faces.application.ViewExpiredException;
import jakarta.faces.context.ExceptionHandler;
import jakarta.faces.context.ExceptionHandlerFactory;
import jakarta.faces.context.ExceptionHandlerWrapper;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.event.ExceptionQueuedEvent;
import java.io.IOException;
import java.util.Iterator;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a user sees when a page fails: an unknown entity or record is a plain 404 page, an expired view
 * reloads the page, anything else is logged with an incident id and shown as the friendly error page —
 * for AJAX requests too, which would otherwise fail silently.
 */
public class UiExceptionHandlerFactory extends ExceptionHandlerFactory {

    public UiExceptionHandlerFactory(ExceptionHandlerFactory wrapped) {
        super(wrapped);
    }

    @Override
    public ExceptionHandler getExceptionHandler() {
        return new Handler(getWrapped().getExceptionHandler());
    }

    private static final class Handler extends ExceptionHandlerWrapper {

        private static final Logger LOG = Logger.getLogger(UiExceptionHandlerFactory.class.getName());

        Handler(ExceptionHandler wrapped) {
            super(wrapped);
        }

        @Override
        public void handle() {
            FacesContext context = FacesContext.getCurrentInstance();
            for (Iterator<ExceptionQueuedEvent> events = getUnhandledExceptionQueuedEvents().iterator(); events.hasNext(); ) {
                Throwable exception = events.next().getContext().getException();
                Throwable root = rootCause(exception);
                ExternalContext external = context.getExternalContext();
                try {
                    if (root instanceof Pages.PageNotFoundException || root instanceof AdministratorsOnlyException) {
                        external.responseSendError(404, null);
                    } else if (root instanceof ViewExpiredException) {
                        external.redirect(external.getRequestContextPath() + ((ViewExpiredException) root).getViewId()
                                + pageParameters(external));
                    } else {
                        String incident = UUID.randomUUID().toString().substring(0, 8);
                        LOG.log(Level.SEVERE, "Page failed, incident " + incident, exception);
                        if (context.getPartialViewContext().isAjaxRequest()) {
                            external.redirect(external.getRequestContextPath() + "/error.xhtml");
                        } else {
                            external.responseSendError(500, null);
                        }
                    }
                    context.responseComplete();
                } catch (IOException | IllegalStateException e) {
                    LOG.log(Level.WARNING, "Could not show the error page", e);
                } finally {
                    events.remove();
                }
            }
            getWrapped().handle();
        }

            /** The entity and record a page showed (and a start page's dialog), from the hidden fields its forms post. */
        private static String pageParameters(ExternalContext external) {
            StringBuilder query = new StringBuilder();
            for (String name : new String[] {"dialog", "entity", "id"}) {
                String value = external.getRequestParameterMap().get(name);
                if (value != null && !value.isBlank()) {
                    query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                            .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return query.toString();
        }

        /** The first cause that decides the page (not found, expired); otherwise the exception itself. */
        private static Throwable rootCause(Throwable exception) {
            for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
                if (cause instanceof Pages.PageNotFoundException || cause instanceof AdministratorsOnlyException
                        || cause instanceof ViewExpiredException) {
                    return cause;
                }
            }
            return exception;
        }
    }
}

package io.relata.web.ui;

import io.relata.api.record.Record;
import io.relata.runtime.Platform;
import io.relata.runtime.customer.Bookings;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The public booking page (book.xhtml?t=token, no login): the prospect of a meeting request sees the free slots of
 * the request's owner by day and books one; in the request's language. An unknown token, or a request no longer open
 * that was not booked, shows that the link is no longer valid, nothing else.
 */
@Named
@ViewScoped
public class BookingView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    private String token;
    private String name;
    private String topic;
    private Locale locale = Locale.ENGLISH;
    private List<Day> days = List.of();
    private String booked;
    private String slot;

    /** A day with its free slots (ISO instants as values, times as labels). */
    public record Day(String label, List<Slot> slots) implements Serializable {
    }

    public record Slot(String value, String label) implements Serializable {
    }

    @PostConstruct
    void init() {
        token = Pages.parameter("t");
        platform.bookings().request(token).ifPresent(request -> {
            name = String.valueOf(request.get("name"));
            topic = request.get("topic") instanceof String t ? t : null;
            locale = Locale.forLanguageTag(request.get("language") instanceof String l ? l : "en");
            if (request.get("meeting_at") instanceof OffsetDateTime at && !"requested".equals(request.get("phase"))) {
                booked = format(at);
            }
        });
        platform.bookings().offer(token).ifPresent(offer -> days = days(offer.slots()));
    }

    private List<Day> days(List<OffsetDateTime> slots) {
        ZoneId zone = ZoneId.systemDefault();
        Map<LocalDate, List<Slot>> byDay = new LinkedHashMap<>();
        DateTimeFormatter time = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale);
        for (OffsetDateTime start : slots) {
            byDay.computeIfAbsent(start.atZoneSameInstant(zone).toLocalDate(), d -> new ArrayList<>())
                    .add(new Slot(start.toInstant().toString(), start.atZoneSameInstant(zone).format(time)));
        }
        DateTimeFormatter day = DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(locale);
        List<Day> list = new ArrayList<>();
        byDay.forEach((date, daySlots) -> list.add(new Day(date.format(day), daySlots)));
        return list;
    }

    private String format(OffsetDateTime at) {
        return at.atZoneSameInstant(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.FULL, FormatStyle.SHORT).withLocale(locale));
    }

    public void book() {
        if (slot == null) {
            return; // a post without a slot (the page's own buttons always send one)
        }
        try {
            OffsetDateTime start = java.time.Instant.parse(slot).atOffset(java.time.ZoneOffset.UTC);
            Record request = platform.bookings().book(token, start, platform.config().baseUrl() + "/book.xhtml?t=" + token);
            booked = format((OffsetDateTime) request.get("meeting_at"));
            days = List.of();
        } catch (Bookings.SlotTakenException | java.time.format.DateTimeParseException e) {
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_WARN,
                    text("booking.taken"), null));
            platform.bookings().offer(token).ifPresent(offer -> days = days(offer.slots()));
        } catch (java.util.NoSuchElementException e) {
            days = List.of();
        }
    }

    /** A text in the request's language (the prospect is not logged in: their request says which). */
    public String text(String key) {
        return java.util.ResourceBundle.getBundle("io.relata.web.ui.messages", locale).getString(key);
    }

    public boolean isValid() {
        return name != null && (booked != null || !days.isEmpty());
    }

    public String getLanguage() {
        return locale.getLanguage();
    }

    public String getName() {
        return name;
    }

    public String getTopic() {
        return topic;
    }

    public List<Day> getDays() {
        return days;
    }

    public String getBooked() {
        return booked;
    }

    public String getSlot() {
        return slot;
    }

    public void setSlot(String slot) {
        this.slot = slot;
    }
}

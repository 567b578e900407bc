package io.relata.runtime.customer;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.RecordWriteHook;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The public booking page's work: a prospect with a booking link (a record with a {@value #TOKEN_FIELD}, e.g. a meeting
 * request, in the phase {@value #OPEN_PHASE}) sees the free slots of the record's owner and books one. The token is
 * given by the platform when the record is created ({@link #hook}); it leads nowhere once the request has left
 * {@value #OPEN_PHASE} (booked, expired). Booking writes, with the platform's rights and in one transaction: the slot
 * (its primary key makes a second booking of it fail: two prospects, one slot, one wins), the record's time and link
 * (the record's process moves it on and mails the details), and the appointment in the owner's calendar.
 */
public final class Bookings {

    public static final String TOKEN_FIELD = "booking_token";
    public static final String OPEN_PHASE = "requested";
    /** Slots: an hour each, on working days from 9 to 17 in the platform's zone, from tomorrow for two weeks. */
    static final Duration SLOT = Duration.ofHours(1);
    static final LocalTime FIRST = LocalTime.of(9, 0);
    static final LocalTime LAST_END = LocalTime.of(17, 0);
    static final int DAYS = 14;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<MetadataModel> models;
    private final Supplier<JdbcRecordStore> system;
    private final JdbcTransactions transactions;
    private final Clock clock;

    public Bookings(Supplier<MetadataModel> models, Supplier<JdbcRecordStore> system, JdbcTransactions transactions,
                    Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.system = Objects.requireNonNull(system, "system");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Gives every new record of an entity with a {@value #TOKEN_FIELD} its secret token (256 random bits). */
    public RecordWriteHook hook() {
        return new RecordWriteHook() {
            @Override
            public void checking(Check check) {
                if (check.isNew() && check.entity().field(TOKEN_FIELD).isPresent() && check.values().get(TOKEN_FIELD) == null) {
                    byte[] bytes = new byte[32];
                    RANDOM.nextBytes(bytes);
                    check.set(TOKEN_FIELD, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
                }
            }
        };
    }

    /** What the page offers for a token: the record (its name, topic, language) and the free slots. */
    public record Offer(Record request, List<OffsetDateTime> slots) {
    }

    /** The offer of a token; empty for an unknown token or a request that is no longer open. */
    public Optional<Offer> offer(String token) {
        return open(token).map(request -> new Offer(request, freeSlots(request.ownerUser())));
    }

    /** The record of a token, whatever its phase (the page says "booked for ..." once it is). */
    public Optional<Record> request(String token) {
        if (token == null || token.length() < 40 || token.length() > 64) {
            return Optional.empty();
        }
        for (String entity : entities()) {
            List<Record> found = system.get().query(entity, new RecordQuery(List.of(new Filter(TOKEN_FIELD,
                    FilterOperator.EQ, token)), List.of(), null, 1, null)).records();
            if (!found.isEmpty()) {
                return Optional.of(found.get(0));
            }
        }
        return Optional.empty();
    }

    private Optional<Record> open(String token) {
        return request(token).filter(r -> OPEN_PHASE.equals(r.get("phase")) && r.ownerUser() != null);
    }

    /** A slot was taken between showing and booking it, or is not one of the offered. */
    public static final class SlotTakenException extends RuntimeException {
        SlotTakenException(String message) {
            super(message);
        }
    }

    /**
     * Books {@code slot} for the request of {@code token}; the request is then no longer open.
     *
     * @throws SlotTakenException if the slot is no longer free (or never was offered)
     * @throws java.util.NoSuchElementException if the token leads to no open request
     */
    public Record book(String token, OffsetDateTime slot, String meetingLink) {
        return transactions.inTransaction(() -> {
            Record request = open(token).orElseThrow(() -> new java.util.NoSuchElementException("no open request"));
            Long owner = request.ownerUser();
            if (freeSlots(owner).stream().noneMatch(s -> s.isEqual(slot))) {
                throw new SlotTakenException("The slot " + slot + " is not free");
            }
            Connection c = transactions.currentConnection().orElseThrow();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_booked_slot (owner_user, slot_start, entity, "
                    + "record_id, booked_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setLong(1, owner);
                insert.setObject(2, slot.withOffsetSameInstant(java.time.ZoneOffset.UTC));
                insert.setString(3, request.entity());
                insert.setLong(4, request.id());
                insert.setObject(5, OffsetDateTime.now(clock));
                insert.executeUpdate();
            } catch (SQLException e) {
                // the primary key: someone booked this slot a moment ago
                throw new SlotTakenException("The slot " + slot + " was booked a moment ago");
            }
            Map<String, Object> booked = new LinkedHashMap<>();
            booked.put("meeting_at", slot);
            booked.put("meeting_link", meetingLink);
            Record updated = system.get().update(request.entity(), request.id(), request.version(), booked);
            appointment(request, slot);
            return updated;
        });
    }

    /** The appointment in the owner's calendar: it blocks the slot for other bookings and shows up in their day. */
    private void appointment(Record request, OffsetDateTime slot) {
        MetadataModel model = models.get();
        if (model.entity(Todos.ENTITY).flatMap(e -> e.field("due_at")).isEmpty()) {
            return;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("type", "meeting");
        values.put("subject", String.valueOf(request.get("name")) + (request.get("topic") instanceof String topic
                ? ": " + topic : ""));
        values.put("due_at", slot);
        values.put("done", false);
        model.entity(Todos.ENTITY).flatMap(e -> e.field("ends_at")).ifPresent(f -> values.put("ends_at", slot.plus(SLOT)));
        model.entity(Todos.ENTITY).flatMap(e -> e.field("regarding"))
                .ifPresent(f -> values.put("regarding", new RecordLink(request.entity(), request.id()).toString()));
        system.get().create(Todos.ENTITY, values, request.ownerUser(), request.ownerTeam());
    }

    /**
     * The owner's free slots: working days from tomorrow for {@value #DAYS} days, whole hours from 9 to 17 in the
     * platform's zone, without those overlapping an appointment of the owner or a slot booked already.
     */
    List<OffsetDateTime> freeSlots(long owner) {
        ZoneId zone = clock.getZone();
        LocalDate first = LocalDate.now(clock).plusDays(1);
        OffsetDateTime from = first.atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime to = first.plusDays(DAYS).atStartOfDay(zone).toOffsetDateTime();
        List<OffsetDateTime[]> busy = busy(owner, from, to);
        List<OffsetDateTime> slots = new ArrayList<>();
        for (LocalDate day = first; day.isBefore(first.plusDays(DAYS)); day = day.plusDays(1)) {
            if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
                continue;
            }
            for (LocalTime time = FIRST; !time.plus(SLOT).isAfter(LAST_END); time = time.plus(SLOT)) {
                OffsetDateTime start = day.atTime(time).atZone(zone).toOffsetDateTime();
                OffsetDateTime end = start.plus(SLOT);
                if (busy.stream().noneMatch(b -> b[0].isBefore(end) && b[1].isAfter(start))) {
                    slots.add(start);
                }
            }
        }
        return slots;
    }

    /** The owner's appointments and booked slots in the window, as [start, end). */
    private List<OffsetDateTime[]> busy(long owner, OffsetDateTime from, OffsetDateTime to) {
        List<OffsetDateTime[]> busy = new ArrayList<>();
        if (models.get().entity(Todos.ENTITY).flatMap(e -> e.field("due_at")).isPresent()) {
            for (Record activity : system.get().query(Todos.ENTITY, new RecordQuery(List.of(
                    new Filter("owner_user", FilterOperator.EQ, owner), new Filter("due_at", FilterOperator.GE, from.minusDays(1)),
                    new Filter("due_at", FilterOperator.LT, to)), List.of(Sort.asc("due_at")), null, RecordQuery.MAX_LIMIT, null))
                    .records()) {
                if (ActivityCalendar.isAppointment(activity) && activity.get("due_at") instanceof OffsetDateTime start) {
                    OffsetDateTime end = activity.get("ends_at") instanceof OffsetDateTime e && e.isAfter(start) ? e
                            : start.plus(ActivityCalendar.DEFAULT_LENGTH);
                    busy.add(new OffsetDateTime[] {start, end});
                }
            }
        }
        try {
            List<OffsetDateTime[]> booked = transactions.withConnection(c -> {
                List<OffsetDateTime[]> slots = new ArrayList<>();
                try (PreparedStatement query = c.prepareStatement("SELECT slot_start FROM crm_booked_slot WHERE owner_user = ? "
                        + "AND slot_start >= ? AND slot_start < ?")) {
                    query.setLong(1, owner);
                    query.setObject(2, from);
                    query.setObject(3, to);
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            OffsetDateTime start = rs.getObject(1, OffsetDateTime.class);
                            slots.add(new OffsetDateTime[] {start, start.plus(SLOT)});
                        }
                    }
                }
                return slots;
            });
            busy.addAll(booked);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the booked slots: " + e.getMessage(), e);
        }
        return busy;
    }

    /** The entities whose records can be booked: those with a booking token and a meeting time and link. */
    private List<String> entities() {
        return models.get().allEntities().stream().filter(e -> e.field(TOKEN_FIELD).isPresent()
                && e.field("meeting_at").isPresent() && e.field("meeting_link").isPresent()).map(e -> e.name()).toList();
    }
}

package io.relata.runtime.customer;

import ezvcard.Ezvcard;
import ezvcard.VCard;
import ezvcard.VCardVersion;
import ezvcard.parameter.EmailType;
import ezvcard.parameter.TelephoneType;
import ezvcard.property.StructuredName;
import ezvcard.property.Telephone;
import ezvcard.property.Uid;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.record.RecordStore;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Contacts as vCard 4 (RFC 6350), for address books and phones (ez-vcard). The entity is metadata, so the mapping
 * goes by convention: {@code first_name} and {@code last_name} make the structured name, the record's title the
 * formatted name, {@code position} the title, {@code birthday} the birthday, a reference to an account the
 * organisation; every e-mail field an EMAIL, every phone field a TEL ({@code mobile} as a cell phone), every URL
 * field a URL. Values come from the reader's own store: a hidden field is not in the card.
 */
public final class ContactCards {

    private final Supplier<MetadataModel> models;
    private final Supplier<String> baseUrl;

    public ContactCards(Supplier<MetadataModel> models, Supplier<String> baseUrl) {
        this.models = Objects.requireNonNull(models, "models");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** The vCard 4 text of the given records of {@code entity}, read through {@code records} (titles of accounts too). */
    public String cards(RecordStore records, String entity, List<Record> contacts) {
        return cards(records, entity, contacts, false);
    }

    /** As {@link #cards(RecordStore, String, List)}, as vCard 3.0 (RFC 2426) for older address books if asked. */
    public String cards(RecordStore records, String entity, List<Record> contacts, boolean vcard3) {
        EntityDefinition definition = models.get().entity(entity).orElseThrow();
        Map<Long, String> titles = records.titles(entity, contacts.stream().map(Record::id).toList());
        // the organisations of all cards at once, not one query per card
        Map<String, Map<Long, String>> organisations = new java.util.HashMap<>();
        for (FieldDefinition field : definition.fields()) {
            if (field.type() == FieldType.REFERENCE && "account".equals(field.referenceEntity())) {
                List<Long> ids = contacts.stream().map(c -> c.get(field.name())).filter(Long.class::isInstance)
                        .map(Long.class::cast).distinct().toList();
                organisations.put(field.name(), ids.isEmpty() ? Map.of() : titlesIfReadable(records, field.referenceEntity(), ids));
            }
        }
        List<VCard> cards = contacts.stream().map(contact -> card(definition, contact,
                titles.getOrDefault(contact.id(), "#" + contact.id()), organisations)).toList();
        return Ezvcard.write(cards).version(vcard3 ? VCardVersion.V3_0 : VCardVersion.V4_0).prodId(false).go();
    }

    private VCard card(EntityDefinition entity, Record contact, String title, Map<String, Map<Long, String>> organisations) {
        VCard card = new VCard();
        card.setFormattedName(title);
        if (contact.get("last_name") instanceof String family) {
            StructuredName name = new StructuredName();
            name.setFamily(family);
            if (contact.get("first_name") instanceof String given) {
                name.setGiven(given);
            }
            card.setStructuredName(name);
        }
        if (contact.get("position") instanceof String position && !position.isBlank()) {
            card.addTitle(position);
        }
        if (contact.get("birthday") instanceof LocalDate birthday) {
            card.setBirthday(birthday);
        }
        for (FieldDefinition field : entity.fields()) {
            Object value = contact.get(field.name());
            if (value == null) {
                continue;
            }
            switch (field.type()) {
                case EMAIL -> card.addEmail(String.valueOf(value), EmailType.WORK);
                case PHONE -> {
                    Telephone phone = new Telephone(String.valueOf(value));
                    phone.getTypes().add(field.name().contains("mobile") ? TelephoneType.CELL : TelephoneType.WORK);
                    phone.getTypes().add(TelephoneType.VOICE);
                    card.addTelephoneNumber(phone);
                }
                case URL -> card.addUrl(String.valueOf(value));
                case REFERENCE -> {
                    String organisation = organisations.getOrDefault(field.name(), Map.of()).get((Long) value);
                    if (organisation != null) {
                        card.setOrganization(organisation);
                    }
                }
                default -> {
                }
            }
        }
        String host = URI.create(baseUrl.get()).getHost();
        card.setUid(new Uid("urn:relata:" + (host == null ? "relata" : host) + ":" + entity.name() + ":" + contact.id()));
        if (contact.updatedAt() != null) {
            card.setRevision(contact.updatedAt().toInstant());
        }
        card.addUrl(baseUrl.get() + "/record.xhtml?entity=" + entity.name() + "&id=" + contact.id());
        return card;
    }

    private static Map<Long, String> titlesIfReadable(RecordStore records, String entity, List<Long> ids) {
        try {
            return records.titles(entity, ids);
        } catch (io.relata.api.record.UnknownEntityException e) {
            return Map.of(); // a reader who may not read accounts sees cards without organisation
        }
    }

    /** Whether records of {@code entity} make sensible cards: it has a person's name or an e-mail or phone field. */
    public boolean suits(String entity) {
        return models.get().entity(entity).map(e -> e.field("last_name").isPresent() || e.fields().stream()
                .anyMatch(f -> f.type() == FieldType.EMAIL || f.type() == FieldType.PHONE)).orElse(false);
    }
}

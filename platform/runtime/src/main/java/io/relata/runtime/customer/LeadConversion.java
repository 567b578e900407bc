package io.relata.runtime.customer;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.ValidationException;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a qualified lead into an account, a contact and (optionally) an opportunity in one step, all or nothing:
 * first it looks for what exists already (accounts with a similar name, contacts with the same e-mail or a similar
 * name at those accounts) so that the user links instead of creating a duplicate; then, in one transaction, it creates
 * or links them, carries the lead's history over (its activities now also belong to the account and contact) and moves
 * the lead to {@value #CONVERTED} with references to what it became. Everything runs through the user's own store:
 * their rights, the rules, the processes (the lead's process decides whether it may be converted now) and the audit.
 *
 * <p>What is carried over follows the shipped entities' names: the account's {@code name} from the lead's
 * {@code company}; the contact's {@code first_name}, {@code last_name}, {@code email}, {@code phone}; the opportunity's
 * {@code amount} from the lead's {@code budget} and its {@code campaign}. Fields an admin removed are left out.
 */
public final class LeadConversion {

    public static final String LEAD = "lead";
    public static final String CONVERTED = "converted";
    /** Set by the conversion only: read-only for users. */
    public static final Set<String> PLATFORM_FIELDS = Set.of("converted_account", "converted_contact",
            "converted_opportunity");
    static final int CANDIDATES = 5;
    /** The lifecycle field of accounts and contacts, moved on by a conversion. */
    public static final String LIFECYCLE_STAGE = "lifecycle_stage";
    private static final List<String> CONTACT_FIELDS = List.of("first_name", "last_name", "email", "phone");

    private final Supplier<MetadataModel> models;
    private final JdbcTransactions transactions;

    public LeadConversion(Supplier<MetadataModel> models, JdbcTransactions transactions) {
        this.models = Objects.requireNonNull(models, "models");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /** What may already exist: accounts with a similar name, contacts with the lead's e-mail or a similar name there. */
    public record Candidates(List<Record> accounts, List<Record> contacts) {
    }

    /**
     * The user's choice: link an existing account or contact (its id) or create one (null); an opportunity named
     * {@code opportunityName} (null or blank: no opportunity).
     */
    public record Choice(Long account, Long contact, String opportunityName) {
    }

    /** What the conversion made or linked, and how many of the lead's activities it carried over. */
    public record Result(Record lead, Record account, boolean accountCreated, Record contact, boolean contactCreated,
                         Record opportunity, int activitiesCarried) {
    }

    /** Whether the model supports conversion: the lead and the entities it becomes. */
    public boolean available() {
        MetadataModel model = models.get();
        return model.entity(LEAD).flatMap(e -> e.field("converted_contact")).isPresent()
                && model.entity("account").isPresent() && model.entity("contact").isPresent();
    }

    public Candidates candidates(SecuredRecordStore records, long leadId) {
        Record lead = records.get(LEAD, leadId);
        List<Record> accounts = text(lead, "company").map(company -> records.similar("account", "name", company, CANDIDATES))
                .orElse(List.of());
        Set<Long> seen = new LinkedHashSet<>();
        List<Record> contacts = new ArrayList<>();
        text(lead, "email").ifPresent(email -> records.query("contact", new RecordQuery(List.of(new Filter("email",
                FilterOperator.EQ, email)), List.of(), null, CANDIDATES, null)).records().forEach(c -> {
                    if (seen.add(c.id())) {
                        contacts.add(c);
                    }
                }));
        text(lead, "last_name").ifPresent(name -> {
            List<Long> accountIds = accounts.stream().map(Record::id).toList();
            for (Record similar : records.similar("contact", "last_name", name, CANDIDATES * 4)) {
                if (accountIds.contains(similar.get("account")) && seen.add(similar.id())) {
                    contacts.add(similar);
                }
            }
        });
        return new Candidates(accounts, contacts.size() > CANDIDATES ? contacts.subList(0, CANDIDATES) : contacts);
    }

    /** Converts the lead as {@code records}' user; nothing is stored unless all of it is. */
    public Result convert(SecuredRecordStore records, long leadId, long leadVersion, Choice choice) {
        return transactions.inTransaction(() -> {
            Record lead = records.get(LEAD, leadId);
            if (CONVERTED.equals(lead.get("status"))) {
                throw refusal("status", "Der Lead ist schon umgewandelt", "The lead is converted already");
            }
            boolean accountCreated = choice.account() == null;
            Record account = accountCreated ? records.create("account", accountValues(lead))
                    : records.get("account", choice.account());
            boolean contactCreated = choice.contact() == null;
            Record contact = contactCreated ? records.create("contact", contactValues(lead, account))
                    : records.get("contact", choice.contact());
            Record opportunity = null;
            if (choice.opportunityName() != null && !choice.opportunityName().isBlank()) {
                opportunity = records.create("opportunity", opportunityValues(lead, account, contact, choice.opportunityName()));
            }
            String stage = opportunity != null ? "opportunity" : "sales_qualified";
            account = moveForward(records, account, stage);
            contact = moveForward(records, contact, stage);
            int carried = carryHistory(records, lead, account, contact);
            Map<String, Object> converted = new LinkedHashMap<>();
            converted.put("status", CONVERTED);
            converted.put("converted_account", account.id());
            converted.put("converted_contact", contact.id());
            if (opportunity != null) {
                converted.put("converted_opportunity", opportunity.id());
            }
            Record done = records.updateOnBehalf(LEAD, leadId, leadVersion, converted, PLATFORM_FIELDS, null, null);
            return new Result(done, account, accountCreated, contact, contactCreated, opportunity, carried);
        });
    }

    private Map<String, Object> accountValues(Record lead) {
        Map<String, Object> values = new LinkedHashMap<>();
        String name = text(lead, "company").orElseGet(() -> String.join(" ", text(lead, "first_name").orElse(""),
                text(lead, "last_name").orElse("")).strip());
        values.put("name", name);
        return values;
    }

    private Map<String, Object> contactValues(Record lead, Record account) {
        EntityDefinition contact = models.get().entity("contact").orElseThrow();
        Map<String, Object> values = new LinkedHashMap<>();
        for (String field : CONTACT_FIELDS) {
            if (contact.field(field).isPresent() && lead.get(field) != null) {
                values.put(field, lead.get(field));
            }
        }
        if (contact.field("account").isPresent()) {
            values.put("account", account.id());
        }
        return values;
    }

    private Map<String, Object> opportunityValues(Record lead, Record account, Record contact, String name) {
        EntityDefinition opportunity = models.get().entity("opportunity")
                .orElseThrow(() -> refusal("opportunity", "Es gibt keine Verkaufschancen", "There are no opportunities"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name.strip());
        opportunity.field("account").ifPresent(f -> values.put("account", account.id()));
        opportunity.field("contact").ifPresent(f -> values.put("contact", contact.id()));
        if (opportunity.field("amount").isPresent() && lead.get("budget") != null) {
            values.put("amount", lead.get("budget"));
        }
        if (opportunity.field("campaign").isPresent() && lead.get("campaign") != null) {
            values.put("campaign", lead.get("campaign")); // the campaign the lead came from wins the deal
        }
        return values;
    }

    /**
     * Moves the record's lifecycle stage on to {@code stage} if it stands before it (the options' order is the
     * lifecycle's; a customer stays a customer); records without the field are left alone.
     */
    private Record moveForward(SecuredRecordStore records, Record record, String stage) {
        java.util.Optional<io.relata.api.model.FieldDefinition> field = models.get().entity(record.entity())
                .flatMap(e -> e.field(LIFECYCLE_STAGE));
        if (field.isEmpty() || !record.values().containsKey(LIFECYCLE_STAGE)) {
            return record;
        }
        List<String> order = field.get().options().stream().map(io.relata.api.model.ChoiceOption::value).toList();
        int target = order.indexOf(stage);
        Object current = record.get(LIFECYCLE_STAGE);
        if (target < 0 || current != null && order.indexOf(String.valueOf(current)) >= target) {
            return record;
        }
        return records.update(record.entity(), record.id(), record.version(), Map.of(LIFECYCLE_STAGE, stage));
    }

    /**
     * The lead's activities (those about it) now also belong to the account and contact, so that they appear in the
     * customer's view; those the user may not change stay as they were.
     */
    private int carryHistory(SecuredRecordStore records, Record lead, Record account, Record contact) {
        MetadataModel model = models.get();
        if (model.entity(Todos.ENTITY).flatMap(e -> e.field("regarding")).isEmpty()
                || !records.policy().canRead(Todos.ENTITY)) {
            return 0;
        }
        int carried = 0;
        List<Record> activities = records.query(Todos.ENTITY, new RecordQuery(List.of(new Filter("regarding",
                FilterOperator.EQ, new RecordLink(LEAD, lead.id()).toString())), List.of(), null, RecordQuery.MAX_LIMIT,
                null)).records();
        for (Record activity : activities) {
            if (!records.policy().allows(Todos.ENTITY, Operation.UPDATE, activity)) {
                continue;
            }
            Map<String, Object> changes = new LinkedHashMap<>();
            if (activity.get("account") == null && model.entity(Todos.ENTITY).flatMap(e -> e.field("account")).isPresent()) {
                changes.put("account", account.id());
            }
            if (activity.get("contact") == null && model.entity(Todos.ENTITY).flatMap(e -> e.field("contact")).isPresent()) {
                changes.put("contact", contact.id());
            }
            if (!changes.isEmpty()) {
                records.update(Todos.ENTITY, activity.id(), activity.version(), changes);
                carried++;
            }
        }
        return carried;
    }

    private static java.util.Optional<String> text(Record record, String field) {
        return record.get(field) instanceof String value && !value.isBlank() ? java.util.Optional.of(value.strip())
                : java.util.Optional.empty();
    }

    private static ValidationException refusal(String field, String german, String english) {
        return new ValidationException(List.of(new io.relata.api.record.FieldError(field, "conversion",
                LocalizedText.of(german, english))));
    }
}

package io.relata.store;

import static io.relata.api.model.FieldType.BOOLEAN;
import static io.relata.api.model.FieldType.CHOICE;
import static io.relata.api.model.FieldType.DATE;
import static io.relata.api.model.FieldType.DATE_TIME;
import static io.relata.api.model.FieldType.DECIMAL;
import static io.relata.api.model.FieldType.EMAIL;
import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.LONG_TEXT;
import static io.relata.api.model.FieldType.MONEY;
import static io.relata.api.model.FieldType.MULTI_CHOICE;
import static io.relata.api.model.FieldType.PHONE;
import static io.relata.api.model.FieldType.REFERENCE;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.model.FieldType.URL;

import io.relata.api.model.MetadataModel;

/**
 * The test CRM: accounts with a field of every type, a self reference (parent) and a reference to contacts
 * (primary_contact) that closes a cycle with contact.account; tasks with an optional title field.
 */
final class TestModels {

    private TestModels() {
    }

    static ModelBuilder crmBuilder() {
        ModelBuilder model = new ModelBuilder();
        model.entity("account", "name")
                .field("name", TEXT).required().searchable()
                .field("code", TEXT).unique().maxLength(20)
                .field("description", LONG_TEXT).searchable()
                .field("employees", INTEGER)
                .field("revenue", MONEY)
                .field("rating", DECIMAL).digits(5, 2)
                .field("founded", DATE)
                .field("last_contact", DATE_TIME)
                .field("active", BOOLEAN)
                .field("industry", CHOICE).options("tech", "retail", "finance").indexed()
                .field("tags", MULTI_CHOICE).options("vip", "partner", "lead")
                .field("email", EMAIL).searchable()
                .field("phone", PHONE)
                .field("website", URL)
                .field("parent", REFERENCE).references("account")
                .field("primary_contact", REFERENCE).references("contact")
                .entity("contact", "last_name")
                .field("first_name", TEXT)
                .field("last_name", TEXT).required().searchable()
                .field("email", EMAIL).unique()
                .field("account", REFERENCE).references("account")
                .entity("task", "subject")
                .field("subject", TEXT)
                .field("done", BOOLEAN)
                .field("contact", REFERENCE).references("contact");
        return model;
    }

    static MetadataModel crm() {
        return crmBuilder().build();
    }
}

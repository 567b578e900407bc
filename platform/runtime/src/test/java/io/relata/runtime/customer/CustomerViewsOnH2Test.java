package io.relata.runtime.customer;

import io.relata.runtime.Database;
import java.util.UUID;

/** The customer views on H2. */
class CustomerViewsOnH2Test extends CustomerViewsTest {

    @Override
    Database openDatabase() {
        return Database.open("jdbc:h2:mem:customer-views-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    @Override
    void dropDatabase() {
    }
}

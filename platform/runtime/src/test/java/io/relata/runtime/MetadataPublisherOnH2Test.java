package io.relata.runtime;

import java.util.UUID;

class MetadataPublisherOnH2Test extends MetadataPublisherTest {

    @Override
    Database openDatabase() {
        return Database.open("jdbc:h2:mem:publisher-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    @Override
    void dropDatabase() {
    }
}

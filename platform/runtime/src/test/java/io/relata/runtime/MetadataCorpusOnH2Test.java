package io.relata.runtime;

import java.util.UUID;

/** The metadata corpus on H2, the embedded default. */
class MetadataCorpusOnH2Test extends MetadataCorpusTest {

    @Override
    Database openDatabase() {
        return Database.open("jdbc:h2:mem:corpus-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
}

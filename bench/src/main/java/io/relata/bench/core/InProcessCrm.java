package io.relata.bench.core;

import io.relata.metadata.MetadataLimits;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import io.relata.runtime.Database;
import io.relata.runtime.MetadataRevision;
import io.relata.runtime.MetadataRuntime;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The runtime's database, rules, metadata and record store in the benchmark's own process, on the repository's
 * shipped metadata and a benchmark database: what the in-process benchmarks measure, without HTTP.
 */
final class InProcessCrm implements AutoCloseable {

    final Database db;
    final RuleEngine rules;
    final MetadataRuntime metadata;
    final JdbcRecordStore store;

    InProcessCrm(BenchDatabase database, Path repository) throws Exception {
        db = Database.open(database.url(), database.user(), "");
        rules = new RuleEngine(RuleLimits.DEFAULT, Clock.systemUTC());
        metadata = new MetadataRuntime(db, rules, repository.resolve("metadata"), List.of(), List::of,
                MetadataLimits.DEFAULT);
        metadata.load(MetadataRevision.Trigger.STARTUP);
        store = new JdbcRecordStore(new JdbcTransactions(db.dataSource(), db.schemaGate()), metadata::model,
                Clock.systemUTC(), rules);
    }

    @Override
    public void close() {
        rules.close();
        db.close();
    }
}

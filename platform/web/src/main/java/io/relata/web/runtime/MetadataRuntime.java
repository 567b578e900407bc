package io.relata.web.runtime;

import io.relata.api.process.DialogDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.rules.RuleDefinition;
import java.util.Map;

import io.relata.api.model.MetadataModel;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLoader;
import io.relata.metadata.MetadataProblem;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleProblem;
import io.relata.api.model.EntityDefinition;
import io.relata.store.SchemaMigrationException;
import io.relata.store.SchemaMigrator;
import io.relata.store.SchemaPlan;
import io.relata.store.SchemaPlanner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The live metadata model. {@link #load} reads all metadata directories, validates them, applies the
 * schema plan and only then swaps the model in: invalid metadata or a failing migration leaves the
 * running model serving unchanged. Loads are serialised; readers never block.
 */
public final class MetadataRuntime {

    private static final Logger LOG = Logger.getLogger(MetadataRuntime.class.getName());

    private final Database database;
    private final RuleEngine rules;
    private final List<Path> directories;
    private final MetadataLoader loader = new MetadataLoader();
    private final AtomicReference<MetadataModel> current = new AtomicReference<>();

    public MetadataRuntime(Database database, RuleEngine rules, Path base, List<Path> extraDirectories) {
        this.database = database;
        this.rules = rules;
        List<Path> all = new ArrayList<>();
        all.add(base);
        all.addAll(extraDirectories);
        this.directories = List.copyOf(all);
    }

    /** The model in force; never null once the platform has started. */
    public MetadataModel model() {
        MetadataModel model = current.get();
        if (model == null) {
            throw new IllegalStateException("Metadata has not been loaded yet");
        }
        return model;
    }

    public List<Path> directories() {
        return directories;
    }

    /**
     * Loads, validates and migrates; on success the new model is in force.
     *
     * @throws MetadataException with every problem found; the running model is unchanged
     * @throws SchemaConflictException when existing columns cannot hold the new model's values; nothing changed
     * @throws SchemaMigrationException when the database refused the plan; the model is unchanged
     */
    public synchronized LoadReport load(MetadataRevision.Trigger trigger) throws MetadataException {
        List<MetadataFile> files = MetadataFiles.fromDirectories(directories);
        MetadataLoader.Loaded loaded = loader.loadWithWarnings(files);
        MetadataModel candidate = loaded.model();
        checkRules(candidate);
        SchemaPlan plan;
        try (Connection connection = database.dataSource().getConnection()) {
            plan = new SchemaPlanner().plan(candidate, connection);
            if (plan.hasConflicts()) {
                throw new SchemaConflictException(plan.conflicts());
            }
            if (!plan.isEmpty()) {
                LOG.info(() -> "Applying schema plan for metadata revision " + candidate.revision() + ":\n" + plan);
            }
            new SchemaMigrator().apply(plan, connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the database: " + e.getMessage(), e);
        }
        List<String> changes = plan.changes().stream().map(c -> c.describe()).toList();
        List<String> warnings = new ArrayList<>();
        loaded.warnings().forEach(w -> warnings.add(w.toString()));
        warnings.forEach(w -> LOG.warning(() -> "Metadata: " + w));
        plan.warnings().forEach(w -> LOG.warning(() -> "Schema: " + w));
        warnings.addAll(plan.warnings());
        // Recorded before the swap: if the history cannot be written, the old model stays in force, which
        // the (purely additive) schema change does not disturb.
        String sources = abbreviate(directories.stream().map(Path::toString).collect(Collectors.joining(":")), 4000);
        database.inTransactionDo(em -> em.persist(new MetadataRevision(candidate.revision(), OffsetDateTime.now(),
                trigger, candidate.entities().size(), files.size(), sources,
                String.join("\n", changes), String.join("\n", warnings))));
        MetadataModel previous = current.getAndSet(candidate);
        LOG.info(() -> "Metadata revision " + candidate.revision() + " in force: " + candidate.entities().size()
                + " entities from " + files.size() + " files" + (previous == null ? "" : " (was " + previous.revision() + ")"));
        return new LoadReport(candidate.revision(), candidate.entities().size(), files.size(), changes,
                List.copyOf(warnings));
    }

    /** The schema changes the database still lacks for the model in force (empty after a successful load). */
    public SchemaPlan pendingPlan() {
        try (Connection connection = database.dataSource().getConnection()) {
            return new SchemaPlanner().plan(model(), connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database schema: " + e.getMessage(), e);
        }
    }

    public List<MetadataRevision> revisions(int limit) {
        return database.inTransaction(em -> em.createQuery(
                        "select r from MetadataRevision r order by r.id desc", MetadataRevision.class)
                .setMaxResults(limit)
                .getResultList());
    }

    /** Every rule must parse and every example must hold, or the model is rejected like invalid YAML. */
    private void checkRules(MetadataModel candidate) throws MetadataException {
        List<MetadataProblem> problems = new ArrayList<>();
        for (EntityDefinition entity : candidate.allEntities()) {
            List<RuleProblem> found = new ArrayList<>(rules.check(entity));
            if (found.isEmpty()) {
                found.addAll(rules.runExamples(entity));
            }
            found.forEach(p -> problems.add(new MetadataProblem(p.file(), p.line(), p.column(), p.code(), p.message(), p.fix())));
        }
        // guards, conditions and expressions of processes and dialogs must compile too
        Map<String, List<RuleDefinition>> standalone = new java.util.LinkedHashMap<>();
        for (ProcessDefinition process : candidate.processes().values()) {
            standalone.computeIfAbsent(process.entity(), e -> new ArrayList<>()).addAll(ProcessRules.of(process));
        }
        for (DialogDefinition dialog : candidate.dialogs().values()) {
            standalone.computeIfAbsent(dialog.entity(), e -> new ArrayList<>()).addAll(ProcessRules.of(dialog));
        }
        standalone.forEach((entityName, scripts) -> candidate.entity(entityName).ifPresent(entity ->
                rules.check(entity.withRules(scripts)).forEach(p -> problems.add(
                        new MetadataProblem(p.file(), p.line(), p.column(), p.code(), p.message(), p.fix())))));
        if (!problems.isEmpty()) {
            throw new MetadataException(problems);
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /**
     * What a successful load did.
     *
     * @param warnings what the admin should know: the metadata's warnings ({@code file:line:col: [CODE] …}, e.g. a
     *                 field hidden from a role because it is computed from a field the role cannot see), then the
     *                 schema plan's
     */
    public record LoadReport(String revision, int entityCount, int fileCount, List<String> appliedChanges,
                             List<String> warnings) {
    }
}

package io.relata.web.runtime;

import io.relata.api.model.MetadataModel;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLimits;
import io.relata.metadata.MetadataLoader;
import io.relata.metadata.MetadataProblem;
import io.relata.metadata.ProblemCode;
import io.relata.process.HiddenPhaseFields;
import io.relata.rules.RuleEngine;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
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
    private final List<Path> directories;
    private final MetadataLoader loader;
    private final RuleEngine rules;
    private final Supplier<List<Set<String>>> activeUserRoles;
    private final AtomicReference<MetadataModel> current = new AtomicReference<>();

    /**
     * @param activeUserRoles the roles of every user who may log in, asked at each load so that no model that
     *                        locks all administrators out is put in force ({@link AdministratorGuard})
     * @param limits          how large and nested a metadata file may be (the crm.metadata.max.* settings)
     */
    public MetadataRuntime(Database database, RuleEngine rules, Path base, List<Path> extraDirectories,
                           Supplier<List<Set<String>>> activeUserRoles, MetadataLimits limits) {
        this.database = database;
        this.rules = rules;
        this.activeUserRoles = activeUserRoles;
        // scripts must compile and examples hold, or the model is rejected like invalid YAML
        this.loader = new MetadataLoader(new EngineRuleVerifier(rules), limits);
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
        MetadataFiles.Read read = MetadataFiles.read(directories, loader.limits());
        List<MetadataFile> files = read.files();
        MetadataLoader.Loaded loaded = loader.loadWithWarnings(read);
        MetadataModel candidate = loaded.model();
        Optional<MetadataProblem> lockOut = AdministratorGuard.check(candidate, current.get(), activeUserRoles.get(),
                files, directories.get(0));
        if (lockOut.isPresent()) {
            throw new MetadataException(List.of(lockOut.get()));
        }
        List<String> metadataWarnings = metadataWarnings(loaded, candidate);
        metadataWarnings.forEach(w -> LOG.warning(() -> "Metadata: " + w));
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
        plan.warnings().forEach(w -> LOG.warning(() -> "Schema: " + w));
        List<String> warnings = new ArrayList<>(metadataWarnings);
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

    /**
     * What loads but will not work for some users, as {@code file:line:column: [CODE] message Fix: ...}: flows a
     * role cannot complete (the loader's) and phase fields the form hides (judged by the rules).
     */
    private List<String> metadataWarnings(MetadataLoader.Loaded loaded, MetadataModel candidate) {
        List<String> warnings = new ArrayList<>();
        loaded.warnings().forEach(w -> warnings.add(w.toString()));
        for (HiddenPhaseFields.Hidden hidden : HiddenPhaseFields.find(candidate, rules)) {
            warnings.add(new MetadataProblem(hidden.at().file(), hidden.at().line(), hidden.at().column(),
                    ProblemCode.PHASE_FIELD_HIDDEN, "The phase " + q(hidden.phase()) + " of process " + q(hidden.process())
                            + " requires " + q(hidden.field()) + ", but the field's visibleWhen hides it in that phase: "
                            + "users who edit such a record cannot see what they must keep filled in.",
                    "let the visibleWhen of " + q(hidden.field()) + " show it in phase " + q(hidden.phase())
                            + ", or remove it from the phase's 'requires' (the move dialog asks for it either way).")
                    .toString());
        }
        return warnings;
    }

    private static String q(String name) {
        return "'" + name + "'";
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

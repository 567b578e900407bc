package io.relata.runtime;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.metadata.FieldKeyLocator;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLimits;
import io.relata.metadata.MetadataLoader;
import io.relata.metadata.MetadataProblem;
import io.relata.metadata.ProblemCode;
import io.relata.process.HiddenPhaseFields;
import io.relata.rules.RuleEngine;
import io.relata.runtime.EngineRuleVerifier;
import io.relata.store.SchemaConflict;
import io.relata.store.SchemaMigrationException;
import io.relata.store.SchemaMigrator;
import io.relata.store.SchemaPlan;
import io.relata.store.SchemaPlanner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
    private final Path base;
    private final List<Path> siteDirectories;
    /** The metadata folders of the enabled plugins, between core and site; changed only by a successful load. */
    private volatile List<Path> pluginLayers = List.of();
    /** The kept extensions of plugins taken out: their options stay on their fields, retired. */
    private volatile List<Path> retiredLayers = List.of();
    private final MetadataLoader loader;
    /** Checks what the loader checks but compiles no rule and runs no example: for previews while an admin edits. */
    private final MetadataLoader structureLoader;
    private final RuleEngine rules;
    private final Supplier<List<Set<String>>> activeUserRoles;
    private final AppliedMetadata applied;
    private final RememberedRuleChecks ruleChecks;
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
        this.applied = new AppliedMetadata(database, limits);
        // scripts must compile and examples hold, or the model is rejected like invalid YAML; unchanged rules that
        // passed before are not checked again
        String engineBuild = RememberedRuleChecks.engineFingerprint(rules);
        // the plugins' rule functions change without a restart: asked at every check
        this.ruleChecks = new RememberedRuleChecks(new EngineRuleVerifier(rules), database.dataSource(),
                () -> engineBuild + "|" + rules.functions().fingerprint(), java.time.Instant::now);
        this.loader = new MetadataLoader(ruleChecks, limits);
        this.structureLoader = new MetadataLoader(null, limits);
        this.base = base;
        this.siteDirectories = List.copyOf(extraDirectories);
    }

    /** The model in force; never null once the platform has started. */
    public MetadataModel model() {
        MetadataModel model = current.get();
        if (model == null) {
            throw new IllegalStateException("Metadata has not been loaded yet");
        }
        return model;
    }

    /** The metadata directories in layer order: core, the enabled plugins' layers, the site's. */
    public List<Path> directories() {
        return layered(pluginLayers);
    }

    private List<Path> layered(List<Path> layers) {
        List<Path> all = new ArrayList<>();
        all.add(base);
        all.addAll(layers);
        all.addAll(siteDirectories);
        return List.copyOf(all);
    }

    /**
     * The layer a metadata element comes from, by the file it was read from: {@code core}, {@code plugin:<id>
     * <version>} or {@code site}.
     */
    public String layerOf(io.relata.api.model.SourceLocation location) {
        String file = location == null ? null : location.file();
        if (file == null) {
            return "core";
        }
        for (Path layer : pluginLayers) {
            if (file.startsWith(layer.toString())) {
                // the folder is <id>-<version>-<12 hex of the jar's SHA-256>
                java.util.regex.Matcher name = java.util.regex.Pattern.compile("(.+?)-(\\d+\\.\\d+\\.\\d+[^-]*)-[0-9a-f]{12}")
                        .matcher(layer.getFileName().toString());
                return name.matches() ? "plugin:" + name.group(1) + " " + name.group(2) : "plugin:" + layer.getFileName();
            }
        }
        for (Path site : siteDirectories) {
            if (file.startsWith(site.toString())) {
                return "site";
            }
        }
        return "core";
    }

    /** The plugin layers the first load reads (set before it, from the plugins that started). */
    void startWithPluginLayers(List<Path> layers, List<Path> retired) {
        this.pluginLayers = List.copyOf(layers);
        this.retiredLayers = List.copyOf(retired);
    }

    /**
     * Loads with another set of plugin layers (a plugin installed, upgraded, enabled, disabled or removed): on
     * success that set is in force for this and every later load; otherwise nothing changed.
     */
    public synchronized LoadReport loadWithPluginLayers(List<Path> layers, List<Path> retired) throws MetadataException {
        LoadReport report = load(MetadataRevision.Trigger.PLUGIN, new StartPhases(), layers, retired);
        pluginLayers = List.copyOf(layers);
        retiredLayers = List.copyOf(retired);
        return report;
    }

    /**
     * Loads, validates and migrates; on success the new model is in force.
     *
     * @throws MetadataException with every problem found; the running model is unchanged
     * @throws SchemaConflictException when stored data contradicts the new model (each as a problem at the key
     *                                 that changed); nothing changed
     * @throws SchemaMigrationException when the database still refused the plan; what it applied was taken back
     *                                  and the model is unchanged
     */
    public synchronized LoadReport load(MetadataRevision.Trigger trigger) throws MetadataException {
        return load(trigger, new StartPhases());
    }

    /** {@link #load(MetadataRevision.Trigger)}, noting how long reading and checking, and the schema, took. */
    synchronized LoadReport load(MetadataRevision.Trigger trigger, StartPhases phases) throws MetadataException {
        return load(trigger, phases, pluginLayers, retiredLayers);
    }

    private LoadReport load(MetadataRevision.Trigger trigger, StartPhases phases, List<Path> layers, List<Path> retired)
            throws MetadataException {
        List<Path> directories = layered(layers);
        MetadataFiles.Read read = MetadataFiles.read(directories, loader.limits());
        List<MetadataFile> files = read.files();
        List<MetadataFile> retiredExtensions = retired.isEmpty() ? List.of()
                : MetadataFiles.read(retired, loader.limits()).files().stream()
                        .filter(f -> f.isYaml() && "extensions".equals(f.kind())).toList();
        MetadataLoader.Loaded loaded = loader.loadWithWarnings(read, retiredExtensions);
        MetadataModel candidate = loaded.model();
        // what the tables were last brought in line with: the model in force, at start-up the files last applied
        MetadataModel inForce = current.get() != null ? current.get() : applied.model().orElse(null);
        Optional<MetadataProblem> lockOut = AdministratorGuard.check(candidate, inForce, activeUserRoles.get(),
                files, base);
        if (lockOut.isPresent()) {
            throw new MetadataException(List.of(lockOut.get()));
        }
        List<String> metadataWarnings = metadataWarnings(loaded, candidate);
        phases.lap("metadata and rule examples");
        LOG.info(() -> "Metadata read and checked: " + ruleChecks.takeSummary());
        metadataWarnings.forEach(w -> LOG.warning(() -> "Metadata: " + w));
        SchemaPlan plan;
        List<String> failedIndexBuilds;
        try (Connection connection = database.dataSource().getConnection()) {
            // values are checked for the fields that differ from the model in force
            plan = new SchemaPlanner().plan(candidate, inForce, connection);
            if (plan.hasConflicts()) {
                plan.conflicts().forEach(c -> LOG.warning(() -> "Schema conflict, metadata revision "
                        + candidate.revision() + " not applied: " + c));
                throw new SchemaConflictException(conflictProblems(plan.conflicts(), loaded.fieldKeys()));
            }
            if (!plan.isEmpty()) {
                LOG.info(() -> "Applying schema plan for metadata revision " + candidate.revision() + ":\n" + plan);
            }
            // indexes built concurrently after the plan: a failed one is dropped and said, the rest stays applied
            failedIndexBuilds = plan.isEmpty() ? List.of()
                    : database.schemaGate().changingSchema(() -> new SchemaMigrator().apply(plan, connection));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the database: " + e.getMessage(), e);
        }
        phases.lap("schema");
        List<String> changes = plan.changes().stream().map(c -> c.describe()).toList();
        plan.warnings().forEach(w -> LOG.warning(() -> "Schema: " + w));
        List<String> warnings = new ArrayList<>(metadataWarnings);
        warnings.addAll(plan.warnings());
        failedIndexBuilds.forEach(f -> LOG.warning(() -> "Schema: " + f));
        warnings.addAll(failedIndexBuilds);
        // Recorded before the swap, with the files now applied (what the next start compares with)
        String sources = abbreviate(directories.stream().map(Path::toString).collect(Collectors.joining(":")), 4000);
        database.inTransactionDo(em -> {
            applied.replace(em, files);
            em.persist(new MetadataRevision(candidate.revision(), OffsetDateTime.now(), trigger,
                    candidate.entities().size(), files.size(), sources, String.join("\n", changes),
                    String.join("\n", warnings)));
        });
        MetadataModel previous = current.getAndSet(candidate);
        LOG.info(() -> "Metadata revision " + candidate.revision() + " in force: " + candidate.entities().size()
                + " entities from " + files.size() + " files" + (previous == null ? "" : " (was " + previous.revision() + ")"));
        return new LoadReport(candidate.revision(), candidate.entities().size(), files.size(), changes,
                List.copyOf(warnings));
    }

    /**
     * What a load would find if the site layer's files were changed as given, without changing anything: the
     * problems of the metadata (every rule example run), or the model with its warnings and the schema plan
     * against the model in force. Serialised with loads.
     *
     * @param siteChanges files of the site layer by path ({@code entities/x.yaml}), null content for a deleted file
     */
    public synchronized Trial trial(SiteLayer site, Map<String, String> siteChanges) {
        return trial(site, siteChanges, true);
    }

    /**
     * The model the site layer's files changed as given would describe, for the designer to show while the admin
     * edits: the structure is checked as by a load, rule scripts are neither compiled nor their examples run, and no
     * schema plan is made ({@link Trial#plan()} is null). Not serialised with loads: it reads files and the model only.
     */
    public Trial preview(SiteLayer site, Map<String, String> siteChanges) {
        return trial(site, siteChanges, false);
    }

    private Trial trial(SiteLayer site, Map<String, String> siteChanges, boolean full) {
        MetadataLoader loader = full ? this.loader : structureLoader;
        List<MetadataFile> files;
        try {
            files = new ArrayList<>(MetadataFiles.read(directories(), loader.limits()).files());
        } catch (MetadataException e) {
            return new Trial(e.problems(), List.of(), null, null);
        }
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        siteChanges.forEach((path, content) -> byName.put(site.displayName(path), content));
        files.removeIf(f -> byName.containsKey(f.displayName()));
        // the changed files in the site's place: last, in the order the loader reads kinds
        byName.forEach((name, content) -> {
            if (content != null) {
                files.add(new MetadataFile(name, content));
            }
        });
        files.sort(java.util.Comparator.comparingInt((MetadataFile f) -> layerIndex(f.displayName(), site))
                .thenComparingInt(f -> MetadataLoader.KIND_ORDER.indexOf(f.kind()))
                .thenComparing(MetadataFile::displayName));
        List<MetadataFile> retiredExtensions;
        MetadataLoader.Loaded loaded;
        try {
            retiredExtensions = retiredLayers.isEmpty() ? List.of()
                    : MetadataFiles.read(retiredLayers, loader.limits()).files().stream()
                            .filter(f -> f.isYaml() && "extensions".equals(f.kind())).toList();
            loaded = loader.loadWithWarnings(files, retiredExtensions);
        } catch (MetadataException e) {
            return new Trial(e.problems(), List.of(), null, null);
        }
        MetadataModel candidate = loaded.model();
        Optional<MetadataProblem> lockOut = AdministratorGuard.check(candidate, model(), activeUserRoles.get(), files, base);
        if (lockOut.isPresent()) {
            return new Trial(List.of(lockOut.get()), List.of(), null, null);
        }
        if (!full) {
            return new Trial(List.of(), loaded.warnings().stream().map(Object::toString).toList(), null, candidate);
        }
        try (Connection connection = database.dataSource().getConnection()) {
            SchemaPlan plan = new SchemaPlanner().plan(candidate, model(), connection);
            if (plan.hasConflicts()) {
                return new Trial(conflictProblems(plan.conflicts(), loaded.fieldKeys()), List.of(), null, null);
            }
            List<String> warnings = new ArrayList<>(metadataWarnings(loaded, candidate));
            warnings.addAll(plan.warnings());
            return new Trial(List.of(), warnings, plan, candidate);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the database: " + e.getMessage(), e);
        }
    }

    /** Core first, then the plugins' layers, then the site's directories in their order. */
    private int layerIndex(String displayName, SiteLayer site) {
        List<Path> directories = directories();
        for (int i = directories.size() - 1; i >= 0; i--) {
            if (displayName.startsWith(directories.get(i).toString().replace('\\', '/') + "/")) {
                return i;
            }
        }
        return displayName.startsWith(site.root().toString().replace('\\', '/') + "/") ? directories.size() : 0;
    }

    /**
     * What {@link #trial} found: either problems (nothing would load), or the model that would be in force, its
     * warnings and the schema changes it needs.
     */
    public record Trial(List<MetadataProblem> problems, List<String> warnings, SchemaPlan plan, MetadataModel model) {
        public Trial {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }

        public boolean loads() {
            return problems.isEmpty();
        }
    }

    /**
     * Compiles the rules of an entity as a draft describes it and runs its examples, for the designer's rule editor:
     * nothing is remembered and nothing changes. Example problems are given to the example they are located in.
     */
    public RuleRun tryRules(EntityDefinition entity) {
        EngineRuleVerifier verifier = new EngineRuleVerifier(rules);
        List<MetadataProblem> compile = verifier.check(entity);
        if (!compile.isEmpty()) {
            return new RuleRun(compile, List.of());
        }
        List<MetadataProblem> failures = verifier.runExamples(entity);
        List<io.relata.api.rules.RuleExample> examples = entity.examples();
        List<ExampleResult> results = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            io.relata.api.rules.RuleExample example = examples.get(i);
            SourceLocation at = example.location();
            SourceLocation next = i + 1 < examples.size() ? examples.get(i + 1).location() : null;
            List<MetadataProblem> own = failures.stream()
                    .filter(p -> at != null && p.file().equals(at.file()) && p.line() >= at.line()
                            && (next == null || !next.file().equals(at.file()) || p.line() < next.line()))
                    .toList();
            results.add(new ExampleResult(example.name(), own.isEmpty(), own));
        }
        List<MetadataProblem> unplaced = failures.stream()
                .filter(p -> results.stream().noneMatch(r -> r.problems().contains(p))).toList();
        return new RuleRun(unplaced, results);
    }

    /** What {@link #tryRules} found: problems of the scripts (or not placed at an example), and each example's outcome. */
    public record RuleRun(List<MetadataProblem> problems, List<ExampleResult> examples) {
        public boolean allPassed() {
            return problems.isEmpty() && examples.stream().allMatch(ExampleResult::passed);
        }
    }

    /** One example: passed, or the problems that say why not. */
    public record ExampleResult(String name, boolean passed, List<MetadataProblem> problems) {
    }

    /**
     * How many records hold a value in the column of {@code field} (0 where table or column do not exist yet): the
     * designer refuses to rename or retype a field that holds values, which would leave them behind.
     */
    public long storedValues(String entity, String field) {
        if (!entity.matches("[a-z][a-z0-9_]*") || !field.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not an entity and field name: " + entity + "." + field);
        }
        String table = io.relata.store.Names.table(entity);
        try (Connection connection = database.dataSource().getConnection()) {
            // a missing table or column holds nothing; any other failure must not read as "no values"
            java.sql.DatabaseMetaData meta = connection.getMetaData();
            String escape = meta.getSearchStringEscape();
            java.util.function.UnaryOperator<String> literal = name -> name.replace("_", escape + "_");
            try (java.sql.ResultSet columns = meta.getColumns(null, null, literal.apply(table), literal.apply(field))) {
                if (!columns.next()) {
                    return 0;
                }
            }
            try (java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet rows = statement.executeQuery("SELECT COUNT(" + io.relata.store.Names.quote(field)
                         + ") FROM " + io.relata.store.Names.quote(table))) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count the values of " + entity + "." + field + ": " + e.getMessage(), e);
        }
    }

    /** The schema changes the database still lacks for the model in force (empty after a successful load). */
    public SchemaPlan pendingPlan() {
        try (Connection connection = database.dataSource().getConnection()) {
            MetadataModel model = model();
            return new SchemaPlanner().plan(model, model, connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database schema: " + e.getMessage(), e);
        }
    }

    /**
     * Each conflict as a problem at the key of the field whose change the data contradicts, with the code
     * {@code SCHEMA_<kind>}, in the order of the files.
     */
    static List<MetadataProblem> conflictProblems(List<SchemaConflict> conflicts, FieldKeyLocator keys) {
        List<MetadataProblem> problems = new ArrayList<>();
        for (SchemaConflict conflict : conflicts) {
            SourceLocation at = keys.locate(conflict.entity(), conflict.field(), conflict.key());
            problems.add(new MetadataProblem(at.file(), at.line(), at.column(), codeOf(conflict.kind()),
                    conflict.message(), conflict.fix()));
        }
        problems.sort(Comparator.comparing(MetadataProblem::file).thenComparingInt(MetadataProblem::line)
                .thenComparingInt(MetadataProblem::column));
        return problems;
    }

    /** The problem code of a kind of conflict: {@code SCHEMA_} and the kind's name. */
    static ProblemCode codeOf(SchemaConflict.Kind kind) {
        return ProblemCode.valueOf("SCHEMA_" + kind.name());
    }

    /**
     * The tables and columns no metadata of the model in force names, with their number of values. Read fresh
     * from the database on every call.
     */
    public List<SchemaPlan.Orphan> orphans() {
        return pendingPlan().orphans();
    }

    /**
     * Drops one orphan with its data, on an administrator's explicit request: a table ({@code column} null) or a
     * column that no metadata of the model in force names. Serialised with loads, so a reload cannot name it
     * again in between.
     *
     * @return what was dropped, with the number of values it held
     * @throws NotAnOrphanException if the name is in use by the model, or no such table or column exists
     */
    public synchronized SchemaPlan.Orphan dropOrphan(String table, String column, String by) {
        try (Connection connection = database.dataSource().getConnection()) {
            MetadataModel model = model();
            SchemaPlan.Orphan orphan = new SchemaPlanner().plan(model, model, connection).orphans().stream()
                    .filter(o -> o.table().equals(table) && java.util.Objects.equals(o.column(), column))
                    .findFirst()
                    .orElseThrow(() -> NotAnOrphanException.of(model, table, column));
            new SchemaMigrator().dropOrphan(orphan, connection);
            LOG.warning(() -> "Schema: " + by + " dropped the orphan " + orphan.describe());
            return orphan;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the database: " + e.getMessage(), e);
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
        // runs rules on a cold engine (seconds at a start): judged again only when a process or its entity changed
        String subject = RememberedRuleChecks.canonical(candidate.processes()) + "\n" + RememberedRuleChecks.canonical(
                candidate.processes().values().stream().map(p -> candidate.entity(p.entity()).orElse(null)).toList());
        for (HiddenPhaseFields.Hidden hidden : ruleChecks.rememberedWhenEmpty("hidden phase fields", subject,
                () -> HiddenPhaseFields.find(candidate, rules))) {
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

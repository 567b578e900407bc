package io.relata.runtime;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataLimits;
import io.relata.metadata.MetadataProblem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * How the designer's changes reach production. Each administrator edits a draft of the site layer (changed files,
 * kept in the database until published or discarded); {@link #check} loads the metadata with the draft as the loader
 * would (every rule example run) and shows the schema plan and a readable diff of every file; {@link #publish}
 * writes the files, loads them and records a revision; {@link #rollBack} makes an earlier revision's files the site
 * layer again. A publish merges what other administrators published since the draft began (key by key) or refuses
 * with the keys both changed: nothing is overwritten unseen. Core and plugin layers are never written.
 */
public final class MetadataPublisher {

    private static final Logger LOG = Logger.getLogger(MetadataPublisher.class.getName());
    /** A null of a number column (a plain null is bound as a text). */
    private static final Object NO_NUMBER = new Object();

    /** The longest comment a revision keeps (the designer's field allows as many). */
    public static final int MAX_COMMENT_LENGTH = 2000;

    private final MetadataRuntime runtime;
    private final SiteLayer site;
    private final Database database;
    private final MetadataLimits limits;
    private final Clock clock;

    public MetadataPublisher(MetadataRuntime runtime, SiteLayer site, Database database, MetadataLimits limits, Clock clock) {
        this.runtime = runtime;
        this.site = site;
        this.database = database;
        this.limits = limits;
        this.clock = clock;
    }

    /** One changed file of a draft: what it will hold (null: deleted) and what it held when the draft began. */
    public record DraftFile(String path, String content, String base) {
        public boolean deletes() {
            return content == null;
        }
    }

    /** A file a publish would change: before and after (null: absent) and their unified diff. */
    public record FileChange(String path, String before, String after, String diff) {
    }

    /** A file both this draft and a publish since changed, with the keys ({@code /fields/plate/label}) both changed. */
    public record Conflict(String path, List<String> keys) {
    }

    /**
     * What publishing the draft would do: the files it changes, what others changed meanwhile that cannot be
     * merged, and the trial load (problems, or warnings and schema plan).
     */
    public record Check(List<FileChange> changes, List<Conflict> conflicts, MetadataRuntime.Trial trial) {
        public boolean publishable() {
            return !changes.isEmpty() && conflicts.isEmpty() && trial != null && trial.loads();
        }
    }

    /** A published state of the site layer. */
    public record SiteRevision(long id, OffsetDateTime publishedAt, String publishedBy, String comment,
                               String metadataRevision, Long restores, List<String> schemaChanges) {
    }

    public SiteLayer site() {
        return site;
    }

    /** The site layer's files as they are on disk now, by path. */
    public Map<String, String> siteFiles() {
        try {
            return site.files(limits);
        } catch (MetadataException e) {
            throw new IllegalStateException("The site metadata directory cannot be read: " + e.getMessage(), e);
        }
    }

    /** The administrator's draft: the files it changes, by path. */
    public Map<String, DraftFile> draft(String admin) {
        Map<String, DraftFile> files = new LinkedHashMap<>();
        query("SELECT path, content, base_content FROM crm_designer_draft WHERE admin_name = ? ORDER BY path",
                List.of(admin), row -> files.put(row.getString(1),
                new DraftFile(row.getString(1), row.getString(2), row.getString(3))));
        return files;
    }

    /** What the administrator sees at {@code path}: the draft's content if it changes the file, else the site's. */
    public String contentFor(String admin, String path) {
        DraftFile changed = draft(admin).get(path);
        return changed != null ? changed.content() : siteFiles().get(path);
    }

    /**
     * Puts a file into the administrator's draft (null content: the draft deletes it). A draft that ends up as the
     * site file was when the draft began holds nothing for it.
     */
    public void change(String admin, String path, String content) {
        if (!SiteLayer.isValidPath(path)) {
            throw new IllegalArgumentException("Not a path of the site layer: " + path
                    + " (expected <kind>/<name>.yaml, e.g. extensions/account.yaml)");
        }
        DraftFile existing = draft(admin).get(path);
        String base = existing != null ? existing.base() : siteFiles().get(path);
        update(connection -> {
            execute(connection, "DELETE FROM crm_designer_draft WHERE admin_name = ? AND path = ?", admin, path);
            if (!Objects.equals(base, content)) {
                execute(connection, "INSERT INTO crm_designer_draft (admin_name, path, content, base_content, changed_at) "
                        + "VALUES (?, ?, ?, ?, ?)", admin, path, content, base, OffsetDateTime.now(clock));
            }
        });
    }

    /** Drops the administrator's whole draft. */
    public void discard(String admin) {
        update(connection -> execute(connection, "DELETE FROM crm_designer_draft WHERE admin_name = ?", admin));
    }

    /** What publishing the administrator's draft would do; changes nothing. */
    public Check check(String admin) {
        Merged merged = merge(admin);
        if (!merged.conflicts().isEmpty() || merged.changes().isEmpty()) {
            return new Check(merged.fileChanges(), merged.conflicts(), null);
        }
        return new Check(merged.fileChanges(), List.of(), runtime.trial(site, merged.changes()));
    }

    /**
     * The model the administrator's draft describes, quickly, for the designer's views: structure checked, rules
     * neither compiled nor run ({@link MetadataRuntime#preview}). Problems are the draft's.
     */
    public MetadataRuntime.Trial preview(String admin) {
        return preview(admin, Map.of());
    }

    /**
     * {@link #preview(String)} with files changed further than the draft (an edit not saved yet, such as a rule
     * whose examples the admin runs before saving it).
     */
    public MetadataRuntime.Trial preview(String admin, Map<String, String> unsaved) {
        Map<String, String> changes = new LinkedHashMap<>(merge(admin).changes());
        changes.putAll(unsaved);
        return runtime.preview(site, changes);
    }

    /**
     * Publishes the administrator's draft: merges it with what was published since it began, writes the files, loads
     * the metadata (schema changes applied in the same step) and records a revision. On any failure the site layer
     * is as before and the draft is kept.
     *
     * @param comment what and why, at most {@value #MAX_COMMENT_LENGTH} characters
     * @throws DraftConflictException   if others changed the same keys since the draft began
     * @throws MetadataException        with the problems the draft's metadata has (nothing was written)
     * @throws NothingToApplyException  if the draft changes nothing
     * @throws IllegalArgumentException if the comment is too long
     */
    public synchronized SiteRevision publish(String admin, String comment) throws MetadataException {
        if (comment != null && comment.length() > MAX_COMMENT_LENGTH) {
            throw new IllegalArgumentException("A revision's comment has at most " + MAX_COMMENT_LENGTH
                    + " characters; this one has " + comment.length());
        }
        Merged merged = merge(admin);
        if (!merged.conflicts().isEmpty()) {
            throw new DraftConflictException(merged.conflicts());
        }
        if (merged.changes().isEmpty()) {
            throw new NothingToApplyException("The draft changes nothing: there is nothing to publish.");
        }
        SiteRevision revision = apply(merged.changes(), admin, comment, null, MetadataRevision.Trigger.DESIGNER);
        discard(admin);
        return revision;
    }

    /**
     * Makes an earlier revision's files the site layer again, as a new revision. Columns and tables that later
     * revisions added stay, with their data (a schema change never drops anything).
     */
    public synchronized SiteRevision rollBack(long revisionId, String admin, String comment) throws MetadataException {
        Map<String, String> target = filesOf(revisionId);
        Map<String, String> current = siteFiles();
        Map<String, String> changes = new LinkedHashMap<>();
        new TreeSet<>(union(current, target)).forEach(path -> {
            if (!Objects.equals(current.get(path), target.get(path))) {
                changes.put(path, target.get(path));
            }
        });
        if (changes.isEmpty()) {
            throw new NothingToApplyException("The site layer is already as revision " + revisionId + " left it.");
        }
        return apply(changes, admin, comment, revisionId, MetadataRevision.Trigger.ROLLBACK);
    }

    private SiteRevision apply(Map<String, String> changes, String admin, String comment, Long restores,
                               MetadataRevision.Trigger trigger) throws MetadataException {
        MetadataRuntime.Trial trial = runtime.trial(site, changes);
        if (!trial.loads()) {
            throw new MetadataException(trial.problems());
        }
        Map<String, String> before = siteFiles();
        if (revisions(1).isEmpty()) {
            record(before, "-", "", null, null, List.of());
        }
        Map<String, String> previous = new LinkedHashMap<>();
        changes.keySet().forEach(path -> previous.put(path, before.get(path)));
        changes.keySet().stream().filter(path -> !SiteLayer.isValidPath(path)).findFirst().ifPresent(path -> {
            throw new IllegalArgumentException("The site layer holds " + path + ", which the designer cannot write"
                    + " (expected <kind>/<name>.yaml): rename or remove it by hand. Nothing was changed.");
        });
        MetadataRuntime.LoadReport report;
        try {
            site.write(changes);
            report = runtime.load(trigger);
        } catch (MetadataException | RuntimeException e) {
            site.write(previous);
            LOG.warning(() -> "Publishing the site layer failed, its files are as before: " + e.getMessage());
            throw e;
        }
        SiteRevision revision = record(siteFiles(), admin, comment == null ? "" : comment, report.revision(), restores,
                report.appliedChanges());
        LOG.info(() -> admin + " published site revision " + revision.id() + " (" + changes.keySet() + ")"
                + (restores == null ? "" : ", restoring revision " + restores));
        return revision;
    }

    /** Newest first. */
    public List<SiteRevision> revisions(int limit) {
        List<SiteRevision> revisions = new ArrayList<>();
        query("SELECT id, published_at, published_by, comment_text, metadata_revision, restores, schema_changes "
                + "FROM crm_site_revision ORDER BY id DESC", List.of(), row -> {
            if (revisions.size() < limit) {
                revisions.add(new SiteRevision(row.getLong(1), row.getObject(2, OffsetDateTime.class), row.getString(3),
                        row.getString(4), row.getString(5), (Long) row.getObject(6, Long.class),
                        row.getString(7).isEmpty() ? List.of() : List.of(row.getString(7).split("\n"))));
            }
        });
        return revisions;
    }

    /** The site layer's files as the revision published them. */
    public Map<String, String> filesOf(long revisionId) {
        Map<String, String> files = new LinkedHashMap<>();
        boolean[] exists = {false};
        query("SELECT id FROM crm_site_revision WHERE id = ?", List.of(revisionId), row -> exists[0] = true);
        if (!exists[0]) {
            throw new IllegalArgumentException("There is no site revision " + revisionId + ".");
        }
        query("SELECT path, content FROM crm_site_revision_file WHERE revision_id = ? ORDER BY path",
                List.of(revisionId), row -> files.put(row.getString(1), row.getString(2)));
        return files;
    }

    private SiteRevision record(Map<String, String> files, String by, String comment, String metadataRevision,
                                Long restores, List<String> schemaChanges) {
        OffsetDateTime at = OffsetDateTime.now(clock);
        long[] id = new long[1];
        update(connection -> {
            try (PreparedStatement next = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM crm_site_revision");
                 ResultSet row = next.executeQuery()) {
                row.next();
                id[0] = row.getLong(1);
            }
            execute(connection, "INSERT INTO crm_site_revision (id, published_at, published_by, comment_text, "
                            + "metadata_revision, restores, schema_changes) VALUES (?, ?, ?, ?, ?, ?, ?)", id[0], at, by,
                    comment, metadataRevision, restores == null ? NO_NUMBER : restores, String.join("\n", schemaChanges));
            for (Map.Entry<String, String> file : files.entrySet()) {
                execute(connection, "INSERT INTO crm_site_revision_file (revision_id, path, content) VALUES (?, ?, ?)",
                        id[0], file.getKey(), file.getValue());
            }
        });
        return new SiteRevision(id[0], at, by, comment, metadataRevision, restores, schemaChanges);
    }

    /** The draft merged with the site layer as it is now. */
    private record Merged(Map<String, String> changes, List<FileChange> fileChanges, List<Conflict> conflicts) {
    }

    private Merged merge(String admin) {
        Map<String, String> current = siteFiles();
        Map<String, String> changes = new LinkedHashMap<>();
        List<FileChange> fileChanges = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (DraftFile file : draft(admin).values()) {
            DraftMerge.Result result = DraftMerge.merge(file.path(), file.base(), current.get(file.path()), file.content());
            if (!result.merged()) {
                conflicts.add(new Conflict(file.path(), result.conflicts()));
                continue;
            }
            String after = result.deleted() ? null : result.content();
            String before = current.get(file.path());
            if (!Objects.equals(before, after)) {
                changes.put(file.path(), after);
                fileChanges.add(new FileChange(file.path(), before, after, diff(file.path(), before, after)));
            }
        }
        return new Merged(changes, fileChanges, conflicts);
    }

    /** A unified diff as {@code git diff} shows it, three lines of context. */
    static String diff(String path, String before, String after) {
        List<String> from = before == null ? List.of() : before.lines().toList();
        List<String> to = after == null ? List.of() : after.lines().toList();
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(before == null ? "/dev/null" : "a/" + path,
                after == null ? "/dev/null" : "b/" + path, from, DiffUtils.diff(from, to), 3);
        return String.join("\n", lines);
    }

    private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private interface Row {
        void read(ResultSet row) throws SQLException;
    }

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void query(String sql, List<Object> parameters, Row row) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    row.read(rows);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the designer's tables: " + e.getMessage(), e);
        }
    }

    private void update(Work work) {
        try (Connection connection = database.dataSource().getConnection()) {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot write the designer's tables: " + e.getMessage(), e);
        }
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] == NO_NUMBER) {
                    statement.setNull(i + 1, java.sql.Types.BIGINT);
                } else if (parameters[i] == null) {
                    statement.setNull(i + 1, java.sql.Types.VARCHAR);
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            statement.executeUpdate();
        }
    }

    /** Problems as {@code file:line:col: [CODE] message Fix: …}, for messages that list them. */
    public static List<String> describe(List<MetadataProblem> problems) {
        return problems.stream().map(MetadataProblem::toString).toList();
    }
}

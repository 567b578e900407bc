package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.RecordQuery;
import io.relata.api.security.AccessScope;
import io.relata.api.security.Actor;
import io.relata.identity.CountingPasswordHash;
import io.relata.identity.LoginThrottle;
import io.relata.identity.PasswordPolicy;
import io.relata.identity.UserDirectory;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLoader;
import io.relata.store.JdbcRecordStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The designer's "what would this user see" on the shipped metadata and demo data, against a draft that changes the
 * sales role: the row scopes and hidden fields of the draft hold in the figures (the authorization matrix's rules,
 * applied to a model not in force yet), and the model in force is untouched.
 */
class AccessPreviewTest {

    private static final Path METADATA = Path.of("../../metadata");
    /** The draft: sales sees every opportunity but not its amount, and only its own accounts. */
    private static final String SALES_DRAFT = """
            extends: sales
            entities:
              opportunity: {create: true, read: all, update: own, delete: own, fields: {amount: hidden}}
              account: {create: true, read: own, update: own, delete: none}
            """;

    private Database database;
    private TestPlatform platform;
    private JdbcRecordStore records;
    private AuditLog audit;
    private Actor anna;
    /** A sales rep of another team, owning nothing. */
    private Actor ben;

    @BeforeEach
    void openPlatform() throws Exception {
        // the processes in the write path, as the platform seeds the demo
        platform = new TestPlatform("h2", List.of(), Clock.systemUTC(), p -> io.relata.store.RecordWriteHook.NONE);
        database = platform.database;
        UserDirectory users = new UserDirectory(database, new CountingPasswordHash(), Clock.systemUTC(),
                LoginThrottle.Policy.DEFAULT, PasswordPolicy.shipped());
        records = platform.system;
        audit = platform.audit;
        new DemoData(database, records, users, platform.histories(), METADATA.resolve("demo")).seedOnce();
        anna = users.actor("anna.berger").orElseThrow();
        ben = Actor.user(anna.userId() + 1000, "ben", Set.of("sales"), List.of(anna.primaryTeam() + 1000));
    }

    @AfterEach
    void close() throws Exception {
        platform.close();
    }

    private MetadataModel draft() throws Exception {
        List<MetadataFile> files = new ArrayList<>(MetadataFiles.fromDirectory(METADATA));
        files.add(new MetadataFile("site/role-extensions/sales.yaml", SALES_DRAFT));
        return new MetadataLoader().load(files);
    }

    private Map<String, AccessPreview.EntityAccess> preview(MetadataModel model, Actor actor) {
        return AccessPreview.of(model, platform.model, actor, records, audit).stream()
                .collect(Collectors.toMap(a -> a.entity().name(), Function.identity()));
    }

    private long all(String entity) {
        return records.count(entity, RecordQuery.all());
    }

    private long ownedBy(String entity, Actor actor) {
        return records.query(entity, new RecordQuery(List.of(), List.of(), null, RecordQuery.MAX_LIMIT, null)).records()
                .stream().filter(r -> r.ownerUser() != null && r.ownerUser() == actor.userId()).count();
    }

    @Test
    void theDraftsScopesAndHiddenFieldsHoldInWhatAUserWouldSee() throws Exception {
        assertThat(all("opportunity")).isPositive();
        assertThat(all("account")).isPositive();

        Map<String, AccessPreview.EntityAccess> inForce = preview(platform.model, ben);
        assertThat(inForce.get("opportunity").read()).isEqualTo(AccessScope.TEAM);
        assertThat(inForce.get("opportunity").visibleRecords()).as("another team's deals").isZero();
        assertThat(inForce.get("account").visibleRecords()).isEqualTo(all("account"));
        assertThat(inForce.get("opportunity").hiddenFields()).doesNotContain("amount");

        MetadataModel draft = draft();
        Map<String, AccessPreview.EntityAccess> benDraft = preview(draft, ben);
        assertThat(benDraft.get("opportunity").read()).isEqualTo(AccessScope.ALL);
        assertThat(benDraft.get("opportunity").visibleRecords()).isEqualTo(all("opportunity"));
        assertThat(benDraft.get("opportunity").hiddenFields()).as("a figure computed from a hidden field is hidden too")
                .contains("amount", "weighted_amount");
        assertThat(benDraft.get("account").read()).isEqualTo(AccessScope.OWN);
        assertThat(benDraft.get("account").visibleRecords()).as("he owns no account").isZero();
        assertThat(benDraft.get("ticket").read()).as("no grant").isEqualTo(AccessScope.NONE);
        assertThat(benDraft.get("ticket").visibleRecords()).isNull();

        Map<String, AccessPreview.EntityAccess> annaDraft = preview(draft, anna);
        assertThat(annaDraft.get("account").visibleRecords()).isEqualTo(ownedBy("account", anna));
        assertThat(annaDraft.get("opportunity").update()).isEqualTo(AccessScope.OWN);

        assertThat(preview(platform.model, ben).get("opportunity").visibleRecords())
                .as("the model in force is unchanged").isZero();
    }
}

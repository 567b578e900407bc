package io.relata.runtime.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.MetadataModel;
import io.relata.store.access.Operation;
import io.relata.api.security.Actor;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of records join the authorization matrix: for every shipped role's user and every record of the
 * customer entities (owned by users of two teams), listing, downloading and thumbnails of the record's files are
 * possible exactly when the record store lets the user read the record, and adding and deleting exactly when it lets
 * them change it (the store's decisions are the matrix of {@code AuthorizationMatrixTest}); a file field the role
 * hides hides its file. Runs on H2 (the decisions are the store's, tested on both databases there).
 */
class FilesAccessMatrixTest {

    private static final Path METADATA = Path.of("../../metadata");
    private static final List<String> ENTITIES = List.of("account", "contact", "opportunity", "activity", "ticket", "lead");

    @TempDir
    Path directory;

    private final List<Actor> actors = List.of(
            Actor.user(11, "anna", Set.of("sales"), List.of(1L)),
            Actor.user(12, "olga", Set.of("sales"), List.of(2L)),
            Actor.user(13, "mara", Set.of("sales_manager"), List.of(1L)),
            Actor.user(14, "sven", Set.of("service"), List.of(1L)),
            Actor.user(15, "mia", Set.of("marketing"), List.of(2L)),
            Actor.user(16, "rita", Set.of("read_only"), List.of(1L)));

    private io.relata.runtime.TestPlatform platform;
    private MetadataModel model;
    private JdbcRecordStore system;
    private RecordFiles files;
    /** entity → the ids of its records, one owned by anna (team 1), one by olga (team 2). */
    private final Map<String, List<Long>> records = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        platform = new io.relata.runtime.TestPlatform("h2", List.of(), Clock.systemUTC(),
                p -> (files = new RecordFiles(p.database.dataSource(), new RecordFiles.Settings(RecordFiles.Storage.DATABASE,
                        directory, 100_000, Set.of("txt", "pdf")), () -> p.model, Clock.systemUTC())).hook());
        model = platform.model;
        system = platform.system;
        long account = system.create("account", Map.of("name", "ACME"), 11L, 1L).id();
        long contact = system.create("contact", Map.of("last_name", "Müller", "account", account), 11L, 1L).id();
        Map<String, Map<String, Object>> values = Map.of(
                "account", Map.of("name", "Beta"),
                "contact", Map.of("last_name", "Schmidt", "account", account),
                "opportunity", Map.of("name", "Fleet", "account", account, "phase", "qualification"),
                "activity", Map.of("subject", "Call", "type", "call", "done", true),
                "ticket", Map.of("subject", "Broken", "account", account, "contact", contact, "phase", "open"),
                "lead", Map.of("last_name", "Neu", "company", "Neu GmbH", "status", "new"));
        for (String entity : ENTITIES) {
            List<Long> ids = new ArrayList<>();
            for (long[] owner : new long[][] {{11L, 1L}, {12L, 2L}}) {
                Map<String, Object> own = new LinkedHashMap<>(values.get(entity));
                own.replaceAll((field, value) -> field.equals("name") ? value + " " + owner[0] : value); // names are unique
                ids.add(system.create(entity, own, owner[0], owner[1]).id());
            }
            records.put(entity, ids);
        }
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private SecuredRecordStore as(Actor actor) {
        return platform.as(actor);
    }

    @Test
    void filesFollowTheRecordsReadAndUpdateRightsForEveryRoleAndRecord() {
        SecuredRecordStore admin = as(new Actor(1, "admin", Set.of("administrator"), List.of(), false));
        int cases = 0;
        for (Actor actor : actors) {
            SecuredRecordStore store = as(actor);
            AccessPolicy policy = new AccessPolicy(model, actor);
            for (Map.Entry<String, List<Long>> entity : records.entrySet()) {
                for (long id : entity.getValue()) {
                    String what = actor.username() + " " + entity.getKey() + " " + id;
                    RecordFiles.StoredFile file = files.add(admin, entity.getKey(), id, null, "f.txt",
                            new ByteArrayInputStream(new byte[] {'x'}));
                    boolean reads = reads(store, entity.getKey(), id);
                    boolean changes = reads && policy.allows(entity.getKey(), Operation.UPDATE,
                            system.get(entity.getKey(), id));
                    assertThat(files.file(store, file.id()).isPresent()).as(what + " download").isEqualTo(reads);
                    boolean lists;
                    try {
                        lists = files.of(store, entity.getKey(), id).stream().anyMatch(f -> f.id() == file.id());
                    } catch (io.relata.api.record.RecordNotFoundException | io.relata.api.record.UnknownEntityException e) {
                        lists = false;
                    }
                    assertThat(lists).as(what + " list").isEqualTo(reads);
                    boolean adds;
                    try {
                        files.add(store, entity.getKey(), id, null, "mine.txt", new ByteArrayInputStream(new byte[] {'y'}));
                        adds = true;
                    } catch (RecordFiles.RefusedException | io.relata.api.record.RecordNotFoundException
                             | io.relata.api.record.UnknownEntityException e) {
                        adds = false;
                    }
                    assertThat(adds).as(what + " add").isEqualTo(changes);
                    boolean deletes;
                    try {
                        files.delete(store, file.id());
                        deletes = true;
                    } catch (RecordFiles.RefusedException e) {
                        deletes = false;
                    }
                    assertThat(deletes).as(what + " delete").isEqualTo(changes);
                    cases += 4;
                }
            }
        }
        assertThat(cases).isEqualTo(actors.size() * ENTITIES.size() * 2 * 4);
    }

    @Test
    void aHiddenFileFieldHidesItsFile() {
        long deal = records.get("opportunity").get(0);
        SecuredRecordStore anna = as(actors.get(0));
        RecordFiles.StoredFile contract = files.addAsValue(anna, "opportunity", deal, "signed_contract", "c.pdf",
                new ByteArrayInputStream("%PDF-1.7".getBytes()));
        // the sales manager's role with signed_contract hidden: the record readable, its file field's file not
        Actor hiding = Actor.user(20, "hidden", Set.of("sales_manager"), List.of(1L));
        MetadataModel hidden = withFieldHidden(model, "sales_manager", "opportunity", "signed_contract");
        SecuredRecordStore store = new SecuredRecordStore(system, () -> hidden, () -> hiding, platform.audit);
        assertThat(store.find("opportunity", deal)).isPresent();
        assertThat(files.file(store, contract.id())).isEmpty();
        assertThat(files.of(store, "opportunity", deal)).isEmpty();
        assertThat(files.ofRecords("opportunity", List.of(deal), field -> !field.equals("signed_contract"), 10)).isEmpty();
    }

    private static boolean reads(SecuredRecordStore store, String entity, long id) {
        try {
            return store.find(entity, id).isPresent();
        } catch (io.relata.api.record.UnknownEntityException e) {
            return false;
        }
    }

    private static MetadataModel withFieldHidden(MetadataModel model, String role, String entity, String field) {
        io.relata.api.security.RoleDefinition shipped = model.roles().get(role);
        io.relata.api.security.EntityGrant grant = shipped.grants().get(entity);
        Map<String, io.relata.api.security.FieldAccess> fields = new LinkedHashMap<>(grant.fields());
        fields.put(field, io.relata.api.security.FieldAccess.HIDDEN);
        Map<String, io.relata.api.security.EntityGrant> grants = new LinkedHashMap<>(shipped.grants());
        grants.put(entity, new io.relata.api.security.EntityGrant(grant.entity(), grant.create(), grant.read(), grant.update(),
                grant.delete(), grant.export(), grant.fieldDefault(), fields, grant.showDerived(), grant.derived(),
                grant.location()));
        Map<String, io.relata.api.security.RoleDefinition> roles = new LinkedHashMap<>(model.roles());
        roles.put(role, new io.relata.api.security.RoleDefinition(shipped.name(), shipped.label(), shipped.description(),
                shipped.administrator(), grants, shipped.location()));
        return new MetadataModel(model.entities(), roles, model.processes(), model.dialogs(), model.templates(),
                model.revision(), model.loadedAt(), model.forms(), model.views());
    }
}

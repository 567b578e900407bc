package io.relata.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The record page reads a record's phase stamps by (entity, record_id): an index serves it (migration V7). */
class PhaseStampIndexTest {

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aRecordsStampsAreFoundByAnIndexOnEntityAndRecordId(TestDb.Kind kind) throws SQLException {
        try (TestDb db = TestDb.open(kind); Connection c = db.dataSource().getConnection()) {
            String table = kind == TestDb.Kind.H2 ? "CRM_PHASE_STAMP" : "crm_phase_stamp";
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getIndexInfo(null, c.getSchema(), table, false, false)) {
                while (rs.next()) {
                    if ("ix_crm_phase_stamp_record".equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
                        columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            assertThat(columns).containsExactly("entity", "record_id", "changed_at", "id");
        }
    }
}

package io.relata.process;

import static io.relata.process.Models.choice;
import static io.relata.process.Models.entity;
import static io.relata.process.Models.field;
import static io.relata.process.Models.phase;
import static io.relata.process.Models.process;
import static io.relata.process.Models.reference;
import static io.relata.process.Models.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.ProcessAction;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.store.SecuredRecordStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Actions on other records: an order that is placed marks its product reserved ({@code update}) and creates a
 * shipment pointing back to it ({@code create}), in the same transaction and with the platform's rights; when
 * either cannot be written, the order's save is refused as a whole.
 */
class OtherRecordsTest {

    private Kit kit;
    private SecuredRecordStore anna;

    private static ProcessAction.UpdateReferenced update(String reference, Object... pairs) {
        return new ProcessAction.UpdateReferenced(reference, values(pairs), Models.at("metadata/processes/order.yaml", 9));
    }

    private static ProcessAction.CreateRecord create(String entity, String link, Object... pairs) {
        return new ProcessAction.CreateRecord(entity, link, values(pairs), Models.at("metadata/processes/order.yaml", 12));
    }

    static MetadataModel model() {
        EntityDefinition product = entity("product", "name", required("name", FieldType.TEXT),
                choice("status", "available", "reserved", "sold"));
        EntityDefinition order = entity("order", "title", required("title", FieldType.TEXT),
                choice("phase", "draft", "placed", "cancelled"), reference("product", "product"));
        EntityDefinition shipment = entity("shipment", "label", required("label", FieldType.TEXT),
                reference("order", "order"), field("quantity", FieldType.INTEGER));
        return Models.model(List.of(product, order, shipment), List.of(
                process("ordering", "order", "phase")
                        .phases(phase("draft"),
                                phase("placed").onEnter(update("product", "status", "reserved"),
                                        create("shipment", "order", "label", "Ship {{record.title}}", "quantity", 1)),
                                phase("cancelled").onEnter(update("product", "status", "no such option")))
                        .moves("draft", "placed")
                        .moves("draft", "cancelled")
                        .build()), List.of());
    }

    private void open(TestDb.Kind kind) {
        kit = Kit.open(kind, model());
        anna = kit.node.as(Kit.ANNA);
    }

    @AfterEach
    void close() {
        if (kit != null) {
            kit.close();
        }
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void placingAnOrderReservesItsProductAndCreatesAShipmentPointingBack(TestDb.Kind kind) {
        open(kind);
        Record product = anna.create("product", values("name", "Lamp", "status", "available"));
        Record order = anna.create("order", values("title", "Lamp for Ada", "phase", "draft", "product", product.id()));
        assertThat(kit.find("product", product.id()).get("status")).isEqualTo("available");

        anna.update("order", order.id(), order.version(), values("phase", "placed"));

        assertThat(kit.find("product", product.id()).get("status")).isEqualTo("reserved");
        List<Record> shipments = kit.node.store.query("shipment", RecordQuery.all()).records();
        assertThat(shipments).singleElement().satisfies(shipment -> {
            assertThat(shipment.get("label")).isEqualTo("Ship Lamp for Ada");
            assertThat(shipment.get("order")).isEqualTo(order.id());
            assertThat(shipment.get("quantity")).isEqualTo(1L);
            assertThat(shipment.ownerUser()).as("owned like the order").isEqualTo(Kit.ANNA.userId());
        });
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void anOrderWithoutAProductStillCreatesItsShipment(TestDb.Kind kind) {
        open(kind);
        Record order = anna.create("order", values("title", "Nothing yet", "phase", "draft"));

        anna.update("order", order.id(), order.version(), values("phase", "placed"));

        assertThat(kit.node.store.query("shipment", RecordQuery.all()).records()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aReferencedRecordThatRefusesTheValuesRollsTheWholeSaveBack(TestDb.Kind kind) {
        open(kind);
        Record product = anna.create("product", values("name", "Lamp", "status", "available"));
        Record order = anna.create("order", values("title", "Lamp for Ada", "phase", "draft", "product", product.id()));

        assertThatThrownBy(() -> anna.update("order", order.id(), order.version(), values("phase", "cancelled")))
                .isInstanceOf(ProcessActionException.class)
                .hasMessageContaining("The process 'ordering' could not update the record in 'product' (status)")
                .hasMessageContaining("entering the phase 'cancelled'")
                .hasMessageContaining("metadata/processes/order.yaml:9")
                .hasMessageContaining("status:")
                .hasMessageContaining("Nothing was saved");

        assertThat(kit.find("order", order.id()).get("phase")).isEqualTo("draft");
        assertThat(kit.find("product", product.id()).get("status")).isEqualTo("available");
    }
}

package io.relata.runtime.orders;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import io.relata.api.record.Record;
import io.relata.api.record.RecordStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hand-over of an order to the ERP ({@value #NAME}, operation {@code create_order}), called through the outbox
 * (retried while the ERP is unreachable, at most once per order). With {@code CRM_INTEGRATION_ERP_ORDERS_URL} it
 * POSTs the order with its customer and lines (those of the accepted quote) and expects {order_number, status,
 * message} back; the process writes them into the order, and the ERP's number confirms it. Without an ERP it answers
 * "manual": the order waits for someone to hand it over and enter the ERP's number. A plugin that offers an
 * integration of the same name replaces this one.
 */
public final class ErpOrders implements Integration {

    public static final String NAME = "erp_orders";

    private final Supplier<? extends RecordStore> records;

    /** @param records the platform's store: the order's quote, lines, products and account */
    public ErpOrders(Supplier<? extends RecordStore> records) {
        this.records = records;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Response call(Request request) throws IOException {
        if (request.endpoint() == null) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("status", "manual");
            return new Response(false, data, LocalizedText.of(
                    "Kein ERP eingerichtet (CRM_INTEGRATION_ERP_ORDERS_URL): übergeben Sie den Auftrag von Hand und"
                            + " tragen Sie die ERP-Auftragsnummer ein.",
                    "No ERP is set up (CRM_INTEGRATION_ERP_ORDERS_URL): hand the order over yourself and enter the"
                            + " ERP's order number."));
        }
        Map<String, Object> answer = request.endpoint().post(order(request));
        Object number = answer.get("order_number");
        if (number == null || String.valueOf(number).isBlank()) {
            throw new IOException("The ERP at " + request.endpoint().url() + " answered without an order_number: "
                    + answer);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("order_number", String.valueOf(number));
        data.put("status", answer.get("status") == null ? "created" : String.valueOf(answer.get("status")));
        String said = answer.get("message") == null ? "" : " " + answer.get("message");
        return new Response(true, data, LocalizedText.of("Im ERP angelegt als " + number + "." + said,
                "Created in the ERP as " + number + "." + said));
    }

    /** What the ERP receives: the order, its customer and its lines. */
    Map<String, Object> order(Request request) {
        Map<String, Object> payload = request.payload();
        RecordStore store = records.get();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("operation", request.operation());
        order.put("crm_id", request.recordId());
        for (String field : List.of("number", "order_date", "customer_reference", "currency", "net_total", "gross_total")) {
            order.put(field, payload.get(field));
        }
        if (payload.get("account") instanceof Number account) {
            store.find("account", account.longValue()).ifPresent(a -> {
                Map<String, Object> customer = new LinkedHashMap<>();
                customer.put("crm_id", a.id());
                for (String field : List.of("name", "street", "postal_code", "city", "country", "email", "phone")) {
                    if (a.values().containsKey(field)) {
                        customer.put(field, plain(a.get(field)));
                    }
                }
                order.put("customer", customer);
            });
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        if (payload.get("quote") instanceof Number quote) {
            for (Record line : store.query(Quotes.LINE, new io.relata.api.record.RecordQuery(List.of(
                    new io.relata.api.record.Filter("quote", io.relata.api.record.FilterOperator.EQ, quote.toString())),
                    List.of(io.relata.api.record.Sort.asc("position")), null, io.relata.api.record.RecordQuery.MAX_LIMIT,
                    null)).records()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("position", line.get("position"));
                if (line.get("product") instanceof Number product) {
                    item.put("product_code", store.find("product", product.longValue()).map(p -> p.get("code"))
                            .orElse(null));
                }
                for (String field : List.of("description", "quantity", "unit", "list_price", "discount_percent", "net",
                        "tax_rate", "tax", "total")) {
                    item.put(field, plain(line.get(field)));
                }
                lines.add(item);
            }
        }
        order.put("lines", lines);
        return order;
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof BigDecimal || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Long || value instanceof Integer) {
            return new BigDecimal(value.toString());
        }
        return value.toString();
    }
}

package io.relata.api.plugin;

import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * Java code a process calls as an action ({@code extension: name} in a process's YAML): hand an order to an ERP,
 * book a credit check, provision a contract.
 *
 * <p><b>When</b>: after the write that triggered the action has committed, from the outbox: at most once per
 * attempt, retried with back-off when it throws (so it must tolerate being called again for the same record, e.g.
 * by sending the record id as an idempotency key). <b>Thread</b>: the platform's background worker, never a
 * user's request. <b>Transaction</b>: none; the record is a copy of its values at the write. <b>May not</b>:
 * block longer than the platform's plugin call timeout, or keep the record map beyond the call.
 */
public interface ProcessExtension extends ExtensionPoint {

    /** The name processes use in {@code extension:}; unique among the enabled plugins. */
    String name();

    /**
     * @param entity     the entity of the record
     * @param record     the record's values (id included), read-only
     * @param parameters the action's parameters from the YAML, read-only
     * @throws Exception to have the outbox retry the call later; the message is shown to administrators
     */
    void run(String entity, Map<String, Object> record, Map<String, Object> parameters) throws Exception;
}

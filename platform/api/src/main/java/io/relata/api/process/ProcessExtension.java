package io.relata.api.process;

import java.util.Map;

/**
 * Java code a process can call as an action ({@code extension: name}): credit checks, ERP orders, pricing.
 * Plugins register extensions by name. Runs after the write that triggered it has committed; a failure is
 * logged and retried, it never undoes the write.
 */
public interface ProcessExtension {

    /** The name processes use in {@code extension:}. */
    String name();

    /**
     * @param entity     the entity of the record
     * @param record     the record's values (id included)
     * @param parameters the action's parameters from the YAML
     */
    void run(String entity, Map<String, Object> record, Map<String, Object> parameters) throws Exception;
}

package io.relata.metadata;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.ProcessDefinition;
import java.util.List;

/**
 * Runs what the loader cannot judge from the text alone: whether scripts compile and examples hold. The
 * platform implements it over its rule engine and passes it to {@link MetadataLoader#MetadataLoader(RuleVerifier)};
 * the loader calls it once per load, after both passes, for every entity, process and dialog that was built,
 * even when other files have problems, so that a failing example shows up in the same list as an unrelated
 * typo. Each method returns its problems with file, line and column (empty when all is well) and must not
 * throw for bad scripts.
 */
public interface RuleVerifier {

    /** Compiles the entity's rules and checks the fields they name. */
    List<MetadataProblem> check(EntityDefinition entity);

    /** Runs the entity's examples; called only when {@link #check(EntityDefinition)} found nothing. */
    List<MetadataProblem> runExamples(EntityDefinition entity);

    /** Compiles the scripts of a process (appliesWhen, guards, automatic moves, set expressions) on its entity. */
    List<MetadataProblem> check(EntityDefinition entity, ProcessDefinition process);

    /** Compiles the scripts of a dialog (step validations, branch conditions) on its entity. */
    List<MetadataProblem> check(EntityDefinition entity, DialogDefinition dialog);
}

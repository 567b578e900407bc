package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogFinish;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.security.AccessScope;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.RoleDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Warnings about a valid model in which shipped roles cannot complete the flows meant for them: to-dos that go
 * to users whose roles cannot read them, and dialogs whose users may start them but not finish them. The model
 * still loads — a user holding a second role may well be able to — but the admin is told where.
 *
 * <p>Judged per role, as the role files say (a user's roles add up, so a user with several roles may do more).
 * Process actions run with the platform's rights, so creating a to-do needs no right; seeing it does. A dialog
 * finishes with the rights of its user, so creating its records does.
 */
final class FlowAccessChecks {

    private final MetadataModel model;
    private final List<MetadataProblem> warnings = new ArrayList<>();

    private FlowAccessChecks(MetadataModel model) {
        this.model = model;
    }

    static List<MetadataProblem> check(MetadataModel model) {
        FlowAccessChecks checks = new FlowAccessChecks(model);
        model.processes().values().forEach(checks::process);
        model.dialogs().values().forEach(checks::dialog);
        return checks.warnings;
    }

    // ---- to-dos ----

    private void process(ProcessDefinition process) {
        if (model.entity(ProcessAction.CreateTodo.ENTITY).isEmpty()) {
            return; // no to-dos are made at all; the process engine logs it
        }
        for (PhaseDefinition phase : process.phases()) {
            phase.onEnter().forEach(action -> todo(process, action));
            phase.onLeave().forEach(action -> todo(process, action));
            for (TimerDefinition timer : phase.timers()) {
                timer.actions().forEach(action -> todo(process, action));
            }
        }
    }

    private void todo(ProcessDefinition process, ProcessAction action) {
        if (!(action instanceof ProcessAction.CreateTodo todo)) {
            return;
        }
        String todos = ProcessAction.CreateTodo.ENTITY;
        if (todo.assignee() instanceof ProcessAction.Role named) {
            model.role(named.role()).filter(role -> !reads(role, todos)).ifPresent(role -> warn(todo.source(),
                    ProblemCode.ASSIGNEE_CANNOT_READ,
                    "The to-do goes to a user holding role " + q(role.name()) + ", which cannot read " + todos
                            + " records: the assignee would never see it.",
                    "grant role " + q(role.name()) + " read on " + todos + " (at least 'own': a to-do is owned by its "
                            + "assignee), or assign the to-do to another role."));
        } else if (todo.assignee() instanceof ProcessAction.RecordOwner) {
            for (RoleDefinition role : model.roles().values()) {
                if (creates(role, process.entity()) && !reads(role, todos)) {
                    warn(todo.source(), ProblemCode.ASSIGNEE_CANNOT_READ,
                            "The to-do goes to the owner of the " + process.entity() + ", and users of role "
                                    + q(role.name()) + " own the " + process.entity() + " records they create, but the "
                                    + "role cannot read " + todos + " records: they would never see their to-do.",
                            "grant role " + q(role.name()) + " read on " + todos + " (at least 'own': a to-do is owned "
                                    + "by its assignee).");
                }
            }
        }
    }

    // ---- dialogs ----

    private void dialog(DialogDefinition dialog) {
        for (DialogFinish finish : dialog.finishes()) {
            for (DialogFinish.CreateRecord create : finish.creates()) {
                for (RoleDefinition role : model.roles().values()) {
                    boolean mayRun = role.administrator() || dialog.openTo(java.util.Set.of(role.name()));
                    if (mayRun && updates(role, dialog.entity()) && !creates(role, create.entity())) {
                        warn(create.source(), ProblemCode.FINISH_NOT_PERMITTED,
                                "Role " + q(role.name()) + " may start dialog " + q(dialog.name()) + " (it may change "
                                        + dialog.entity() + " records), but finishing creates a " + create.entity()
                                        + " record, which the role may not create: its users cannot finish.",
                                "grant role " + q(role.name()) + " create on " + create.entity()
                                        + ", or give the steps its users take a finish without this record.");
                    }
                }
            }
        }
    }

    // ---- one role, as its file says ----

    private static boolean reads(RoleDefinition role, String entity) {
        return role.administrator() || grant(role, entity).map(g -> scope(g.read()) != AccessScope.NONE).orElse(false);
    }

    private static boolean creates(RoleDefinition role, String entity) {
        return role.administrator() || grant(role, entity).map(g -> g.create() && scope(g.read()) != AccessScope.NONE)
                .orElse(false);
    }

    private static boolean updates(RoleDefinition role, String entity) {
        return role.administrator() || grant(role, entity).map(g -> scope(g.update()) != AccessScope.NONE
                && scope(g.read()) != AccessScope.NONE).orElse(false);
    }

    private static Optional<EntityGrant> grant(RoleDefinition role, String entity) {
        return role.grant(entity);
    }

    private static AccessScope scope(AccessScope scope) {
        return scope == null ? AccessScope.NONE : scope;
    }

    private void warn(SourceLocation at, ProblemCode code, String message, String fix) {
        SourceLocation where = at == null ? SourceLocation.UNKNOWN : at;
        MetadataProblem warning = new MetadataProblem(where.file(), where.line(), where.column(), code, message, fix);
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }
}

package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.record.ValidationException;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.AccessPolicy;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.primefaces.PrimeFaces;
import org.primefaces.event.DragDropEvent;

/**
 * The kanban board of one process: a column per phase (closing phases last and narrow), a card per record the
 * user may read, newest arrivals first. Dropping a card on another column moves the record through the record
 * store like the phase bar does; a refused move says why and the card stays where it was.
 */
@Named
@ViewScoped
public class KanbanView implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Cards per open column; the rest is counted and reached through the list. */
    static final int CARDS_PER_COLUMN = 50;
    /** Ended cases pile up over the years: their columns show only the latest few. */
    static final int CARDS_PER_CLOSING_COLUMN = 10;
    /** Ids per query: well below the store's page limit and the databases' parameter limits. */
    private static final int IDS_PER_QUERY = 500;
    private static final int DETAIL_FIELDS = 3;
    // client ids of a dragged card and of the column it is dropped on, as the repeats number them
    private static final Pattern CARD_ID = Pattern.compile(".*:columns:(\\d+):cards:(\\d+):card$");
    private static final Pattern COLUMN_ID = Pattern.compile(".*:columns:(\\d+):drop$");

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private String processName;
    /** The board as last rendered: a drop names cards and columns by their position in it. */
    private List<Column> columns = List.of();
    /** The card the move dialog asks about, and the dialog (what the move needs). */
    private Card pendingCard;
    private final MoveForm moveForm = new MoveForm();

    @PostConstruct
    void init() {
        processName = Pages.parameter("process");
        ProcessDefinition process = process();
        if (!platform.access(me.actor()).canRead(process.entity())) {
            throw new Pages.PageNotFoundException("No process '" + processName + "' for " + me.getUsername());
        }
        load();
    }

    private ProcessDefinition process() {
        return platform.model().process(processName == null ? "" : processName)
                .orElseThrow(() -> new Pages.PageNotFoundException("No process '" + processName + "'"));
    }

    /** Reads the board again: the phases from the metadata, the cards from the database. */
    void load() {
        ProcessDefinition process = process();
        EntityDefinition entity = Pages.entity(platform, process.entity());
        RecordStore store = platform.records();
        Map<String, List<Long>> idsByPhase = new ProcessCaseIndex(platform.database().dataSource())
                .recordIdsByPhase(process.name());
        List<FieldDefinition> details = detailFields(process, entity);
        List<PhaseDefinition> ordered = new ArrayList<>(process.phases());
        ordered.sort(Comparator.comparing(PhaseDefinition::isClosing)); // stable: pipeline order within each group
        List<Column> loaded = new ArrayList<>();
        for (PhaseDefinition phase : ordered) {
            int cap = phase.isClosing() ? CARDS_PER_CLOSING_COLUMN : CARDS_PER_COLUMN;
            List<Record> records = new ArrayList<>();
            long readable = readableRecords(store, entity.name(), idsByPhase.getOrDefault(phase.name(), List.of()), cap,
                    records);
            RecordCells cells = RecordCells.of(entity, records, store);
            Map<Long, String> titles = store.titles(entity.name(), records.stream().map(Record::id).toList());
            List<Card> cards = records.stream().map(r -> card(details, cells, titles.get(r.id()), r)).toList();
            loaded.add(new Column(phase.name(), ui.text(process.phaseLabel(entity, phase.name())),
                    ProcessTexts.cssOutcome(phase.outcome()), phase.isClosing(),
                    readable, cards, readable - cards.size()));
        }
        columns = List.copyOf(loaded);
    }

    /**
     * Collects up to {@code cap} of the records the user may read among {@code ids} (in that order) into
     * {@code into} and returns how many of them the user may read in all.
     */
    private static long readableRecords(RecordStore store, String entity, List<Long> ids, int cap, List<Record> into) {
        long readable = 0;
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
            RecordQuery query = new RecordQuery(List.of(new Filter("id", FilterOperator.IN, chunk)), List.of(), null,
                    IDS_PER_QUERY, null);
            if (into.size() >= cap) {
                readable += store.count(entity, query);
                continue;
            }
            Map<Long, Record> found = new HashMap<>();
            store.query(entity, query).records().forEach(r -> found.put(r.id(), r));
            readable += found.size();
            for (Long id : chunk) {
                Record record = found.get(id);
                if (record != null && into.size() < cap) {
                    into.add(record);
                }
            }
        }
        return readable;
    }

    /** The listed fields of the entity besides its title and phase that the user may see, at most three. */
    private List<FieldDefinition> detailFields(ProcessDefinition process, EntityDefinition entity) {
        AccessPolicy access = platform.access(me.actor());
        return ListView.columnsOf(entity).stream()
                .filter(f -> !f.name().equals(entity.titleField()) && !f.name().equals(process.phaseField()))
                .filter(f -> access.fieldAccess(entity.name(), f.name()) != FieldAccess.HIDDEN)
                .limit(DETAIL_FIELDS).toList();
    }

    /** A card named like the record everywhere else (its title template), with up to three details. */
    private Card card(List<FieldDefinition> details, RecordCells cells, String title, Record record) {
        List<String> lines = new ArrayList<>();
        for (FieldDefinition field : details) {
            String text = cells.text(record, field, ui);
            if (text != null && !text.isBlank()) {
                lines.add(ui.label(field) + ": " + text);
            }
        }
        return new Card(record.id(), record.version(), title == null || title.isBlank() ? "#" + record.id() : title,
                lines);
    }

    // ---- moving cards ----

    /** A card was dropped on a column: move its record there, asking first for what the move needs (a reason). */
    public void onDrop(DragDropEvent<?> event) {
        Matcher cardMatch = CARD_ID.matcher(event.getDragId() == null ? "" : event.getDragId());
        Matcher columnMatch = COLUMN_ID.matcher(event.getDropId() == null ? "" : event.getDropId());
        if (!cardMatch.matches() || !columnMatch.matches()) {
            return; // something else was dropped: nothing to move
        }
        int fromColumn = Integer.parseInt(cardMatch.group(1));
        int cardIndex = Integer.parseInt(cardMatch.group(2));
        int toColumn = Integer.parseInt(columnMatch.group(1));
        if (fromColumn == toColumn || fromColumn >= columns.size() || toColumn >= columns.size()
                || cardIndex >= columns.get(fromColumn).cards().size()) {
            return;
        }
        Card card = columns.get(fromColumn).cards().get(cardIndex);
        Column target = columns.get(toColumn);
        ProcessDefinition process = process();
        Optional<Record> record = platform.records().find(process.entity(), card.id());
        List<String> asked = record.isEmpty() ? List.of()
                : MoveForm.asked(platform, platform.access(me.actor()), process, record.get(), target.phase());
        if (!asked.isEmpty()) {
            pendingCard = card;
            moveForm.open(platform, Pages.entity(platform, process.entity()), record.get(), target.phase(),
                    target.label(), asked);
            PrimeFaces.current().ajax().update("kanbanMoveForm");
            PrimeFaces.current().executeScript("PF('kanbanMove').show()");
            return;
        }
        pendingCard = null;
        moveForm.clear();
        move(card, target.phase(), Map.of());
    }

    /** Moves the card the move dialog asked about, with the values entered there. */
    public void confirmMove() {
        if (pendingCard == null || !moveForm.isOpen()) {
            return;
        }
        if (!moveForm.filled(ui, Pages.entity(platform, process().entity()))) {
            FacesContext.getCurrentInstance().validationFailed();
            return;
        }
        if (move(pendingCard, moveForm.getPhase(), moveForm.values())) {
            pendingCard = null;
            moveForm.clear();
            PrimeFaces.current().executeScript("PF('kanbanMove').hide()");
        } else {
            FacesContext.getCurrentInstance().validationFailed();
        }
    }

    private boolean move(Card card, String phase, Map<String, Object> otherChanges) {
        ProcessDefinition process = process();
        boolean moved = false;
        try {
            platform.processCases().move(platform.records(), process.entity(), card.id(), card.version(), phase,
                    otherChanges);
            growl(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("kanban.moved"), card.title(),
                    ui.text(process.phaseLabel(Pages.entity(platform, process.entity()), phase))));
            moved = true;
        } catch (ValidationException e) {
            refused(card, phase, e.errors());
        } catch (ConcurrentUpdateException e) {
            growl(FacesMessage.SEVERITY_ERROR, card.title() + ": " + ui.message("record.conflict"));
        } catch (RecordException | IllegalArgumentException e) {
            growl(FacesMessage.SEVERITY_ERROR, card.title() + ": " + ui.problem(e));
        }
        load();
        return moved;
    }

    /** Errors about fields the user may fill in open (or stay in) the move dialog; the others are shown. */
    private void refused(Card card, String phase, List<FieldError> errors) {
        ProcessDefinition process = process();
        EntityDefinition entity = Pages.entity(platform, process.entity());
        Optional<Record> record = platform.records().find(entity.name(), card.id());
        List<FieldError> rest = errors;
        if (record.isPresent()) {
            boolean wasOpen = moveForm.isOpen() && phase.equals(moveForm.getPhase()) && card.equals(pendingCard);
            if (!wasOpen) {
                moveForm.open(platform, entity, record.get(), phase,
                        ui.text(process.phaseLabel(entity, phase)), List.of());
            }
            rest = moveForm.absorb(platform, platform.access(me.actor()), entity, record.get(), process.phaseField(),
                    errors, ui.locale());
            if (moveForm.getFields().isEmpty()) {
                moveForm.clear();
            } else if (!wasOpen) {
                pendingCard = card;
                PrimeFaces.current().ajax().update("kanbanMoveForm");
                PrimeFaces.current().executeScript("PF('kanbanMove').show()");
            }
        }
        for (FieldError error : rest) {
            growl(FacesMessage.SEVERITY_ERROR, card.title() + ": " + error.message(ui.locale()));
        }
    }

    private static void growl(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }


    // ---- page properties ----

    public List<Column> getColumns() {
        return columns;
    }

    public String getProcessName() {
        return processName;
    }

    public String getTitle() {
        return ui.text(process().label());
    }

    public String getEntityName() {
        return process().entity();
    }

    public String getEntityLabel() {
        return ui.plural(Pages.entity(platform, process().entity()));
    }

    public String getPendingTitle() {
        return pendingCard == null ? "" : pendingCard.title();
    }

    public MoveForm getMoveForm() {
        return moveForm;
    }

    /**
     * One column.
     *
     * @param count the records in this phase the user may read
     * @param more  how many of them have no card
     */
    public record Column(String phase, String label, String outcome, boolean closing, long count,
                         List<Card> cards, long more) implements Serializable {
    }

    /** One record on the board, with the version the move is made against. */
    public record Card(long id, long version, String title, List<String> details) implements Serializable {
    }
}

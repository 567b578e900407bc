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
import io.relata.web.runtime.Platform;
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
    private Card pendingCard;
    private String pendingPhase;
    private String reason;

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
            List<Card> cards = records.stream().map(r -> card(entity, details, cells, r)).toList();
            loaded.add(new Column(phase.name(), ui.text(process.phaseLabel(entity, phase.name())),
                    ProcessTexts.cssOutcome(phase.outcome()), phase.isClosing(),
                    phase.isClosing() && phase.reasonField() != null, readable, cards, readable - cards.size()));
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

    private Card card(EntityDefinition entity, List<FieldDefinition> details, RecordCells cells, Record record) {
        String title = entity.titleField() == null ? null
                : entity.field(entity.titleField()).map(f -> cells.text(record, f, ui)).orElse(null);
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

    /** A card was dropped on a column: move its record there, asking for the reason first if the phase needs one. */
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
        if (target.asksReason()) {
            pendingCard = card;
            pendingPhase = target.phase();
            reason = null;
            PrimeFaces.current().ajax().update("kanbanReasonForm");
            PrimeFaces.current().executeScript("PF('kanbanReason').show()");
            return;
        }
        move(card, target.phase(), Map.of());
    }

    /** Moves the card the reason dialog asked about, with the reason. */
    public void confirmReason() {
        if (pendingCard == null) {
            return;
        }
        String field = process().phase(pendingPhase).map(PhaseDefinition::reasonField).orElse(null);
        if (field != null && (reason == null || reason.isBlank())) {
            growl(FacesMessage.SEVERITY_ERROR, ui.message("process.reason.missing"));
            FacesContext.getCurrentInstance().validationFailed();
            return;
        }
        if (move(pendingCard, pendingPhase, field == null ? Map.of() : Map.of(field, reason.strip()))) {
            pendingCard = null;
            PrimeFaces.current().executeScript("PF('kanbanReason').hide()");
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
            for (FieldError error : e.errors()) {
                growl(FacesMessage.SEVERITY_ERROR, card.title() + ": " + error.message(ui.locale()));
            }
        } catch (ConcurrentUpdateException e) {
            growl(FacesMessage.SEVERITY_ERROR, card.title() + ": " + ui.message("record.conflict"));
        } catch (RecordException | IllegalArgumentException e) {
            growl(FacesMessage.SEVERITY_ERROR, card.title() + ": " + e.getMessage());
        }
        load();
        return moved;
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

    public String getPendingPhaseLabel() {
        if (pendingPhase == null) {
            return "";
        }
        ProcessDefinition process = process();
        return ui.text(process.phaseLabel(Pages.entity(platform, process.entity()), pendingPhase));
    }

    public String getReasonLabel() {
        ProcessDefinition process = process();
        String field = pendingPhase == null ? null : process.phase(pendingPhase).map(PhaseDefinition::reasonField).orElse(null);
        return field == null ? "" : Pages.entity(platform, process.entity()).field(field).map(ui::label).orElse(field);
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    /**
     * One column.
     *
     * @param count the records in this phase the user may read
     * @param more  how many of them have no card
     */
    public record Column(String phase, String label, String outcome, boolean closing, boolean asksReason, long count,
                         List<Card> cards, long more) implements Serializable {
    }

    /** One record on the board, with the version the move is made against. */
    public record Card(long id, long version, String title, List<String> details) implements Serializable {
    }
}

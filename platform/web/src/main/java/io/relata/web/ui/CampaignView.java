package io.relata.web.ui;

import io.relata.api.model.FieldDefinition;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.runtime.Platform;
import io.relata.runtime.marketing.CampaignAudience;
import io.relata.runtime.marketing.CampaignMail;
import io.relata.runtime.marketing.CampaignProgress;
import io.relata.runtime.marketing.CampaignResults;
import io.relata.store.SecuredRecordStore;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.model.SelectItem;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The marketing panel of a campaign's and a target group's record page. A target group: how many people meet its
 * conditions now. A campaign: its target group's count, the mail as a chosen person of the group would get it, and
 * its sending: prepare, start, pause, cancel, the progress (sent, failed, in doubt, skipped, queued, time left)
 * counted from the members, so a reload or a colleague sees the same, and what to do with mails in doubt. Everything
 * is read with the user's rights; the actions need their right to change the campaign.
 */
@Named
@ViewScoped
public class CampaignView implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int SAMPLE = 20;
    /** The member statuses in the order the progress shows them. */
    private static final List<String> STATUSES = List.of("sent", "queued", "sending", "failed", "in_doubt", "skipped");

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    private Long id;
    private String entity;
    private boolean changeable;
    private Long previewPerson;
    private String previewError;
    private transient CampaignMail.Text preview;

    @PostConstruct
    void init() {
        String page = Pages.parameter("entity");
        String idParameter = Pages.parameter("id");
        if (!(CampaignAudience.CAMPAIGN.equals(page) || CampaignAudience.TARGET_GROUP.equals(page)) || idParameter == null) {
            return;
        }
        try {
            long recordId = Long.parseLong(idParameter);
            if (records().find(page, recordId).isEmpty()) {
                return; // the record page answers what the user may not read
            }
            id = recordId;
            entity = page;
            changeable = records().explain(page, recordId).canUpdate();
        } catch (NumberFormatException e) {
            // the record page answers a bad id
        }
    }

    public boolean isCampaign() {
        return id != null && CampaignAudience.CAMPAIGN.equals(entity);
    }

    public boolean isTargetGroup() {
        return id != null && CampaignAudience.TARGET_GROUP.equals(entity);
    }

    private SecuredRecordStore records() {
        return platform.securedRecords();
    }

    private Record campaign() {
        return perRequest("campaign", () -> records().get(CampaignAudience.CAMPAIGN, id));
    }

    /**
     * A value read once per request: the page asks for the campaign and its progress many times while it renders, and
     * a poll or an action must see them new.
     */
    @SuppressWarnings("unchecked")
    private static <T> T perRequest(String key, java.util.function.Supplier<T> read) {
        Map<Object, Object> attributes = FacesContext.getCurrentInstance().getAttributes();
        return (T) attributes.computeIfAbsent(CampaignView.class.getName() + "." + key, k -> read.get());
    }

    private static void forget() {
        FacesContext.getCurrentInstance().getAttributes().keySet()
                .removeIf(k -> k.toString().startsWith(CampaignView.class.getName() + "."));
    }

    private Optional<Record> group() {
        if (isTargetGroup()) {
            return records().find(CampaignAudience.TARGET_GROUP, id);
        }
        return campaign().get("target_group") instanceof Number group
                ? records().find(CampaignAudience.TARGET_GROUP, group.longValue()) : Optional.empty();
    }

    public String getStatus() {
        return String.valueOf(campaign().get("status"));
    }

    public String getStatusLabel() {
        return label(CampaignAudience.CAMPAIGN, "status", getStatus());
    }

    // ---- the target group ----

    /** How many people meet the target group's conditions now, or why they cannot be counted. */
    public String getAudienceCount() {
        Optional<Record> group = group();
        if (group.isEmpty()) {
            return ui.message("campaign.noTargetGroup");
        }
        try {
            long count = platform.campaignAudience().count(records(), group.get());
            return MessageFormat.format(ui.message("campaign.audienceCount"), count,
                    label(CampaignAudience.TARGET_GROUP, "audience", String.valueOf(group.get().get("audience"))));
        } catch (RecordException e) {
            return ui.problem(e);
        }
    }

    /** How many of them the campaign may reach now (address, bounce, consent), or null if that cannot be said. */
    public String getReachable() {
        if (!isCampaign()) {
            return null;
        }
        // asked twice per render (whether to show it, and its text): counted once per request; the campaign is read
        // first, as reading it inside would change the request's attributes while they are being changed
        Record campaign = campaign();
        Optional<String> text = perRequest("reachable", () -> {
            try {
                java.util.OptionalLong reachable = platform.campaignAudience().reachable(records(), campaign);
                return reachable.isPresent() ? Optional.of(MessageFormat.format(ui.message("campaign.reachable"),
                        reachable.getAsLong())) : Optional.empty();
            } catch (RecordException e) {
                return Optional.empty(); // the count above says what is wrong with the conditions
            }
        });
        return text.orElse(null);
    }

    // ---- the preview ----

    /** The people of the target group to preview the mail for: the first ones the user may read. */
    public List<SelectItem> getPreviewPeople() {
        List<SelectItem> people = new ArrayList<>();
        group().ifPresent(group -> {
            try {
                String audience = CampaignAudience.people(group).entity();
                List<Record> sample = platform.campaignAudience().sample(records(), group, SAMPLE);
                Map<Long, String> titles = records().titles(audience, sample.stream().map(Record::id).toList());
                for (Record person : sample) {
                    people.add(new SelectItem(person.id(), titles.getOrDefault(person.id(), "#" + person.id())
                            + (person.get("email") == null ? "" : " <" + person.get("email") + ">")));
                }
            } catch (RecordException e) {
                // the count shows why the group has no people
            }
        });
        return people;
    }

    public Long getPreviewPerson() {
        return previewPerson;
    }

    public void setPreviewPerson(Long previewPerson) {
        this.previewPerson = previewPerson;
    }

    /** Renders the mail for the chosen person, or the first of the group. */
    public void showPreview() {
        preview = null;
        previewError = null;
        Optional<Record> group = group();
        if (group.isEmpty()) {
            previewError = ui.message("campaign.noTargetGroup");
            return;
        }
        try {
            String audience = CampaignAudience.people(group.get()).entity();
            Optional<Record> person = previewPerson != null ? records().find(audience, previewPerson)
                    : platform.campaignAudience().sample(records(), group.get(), 1).stream().findFirst();
            if (person.isEmpty()) {
                previewError = ui.message("campaign.nobodyToPreview");
                return;
            }
            previewPerson = person.get().id();
            preview = platform.campaignMail().preview(campaign(), person.get());
        } catch (RecordException e) {
            previewError = ui.problem(e);
        } catch (IllegalArgumentException e) { // a placeholder that is not a valid template, with where it is
            previewError = MessageFormat.format(ui.message("campaign.previewInvalid"), e.getMessage());
        }
    }

    public CampaignMail.Text getPreview() {
        return preview;
    }

    public String getPreviewError() {
        return previewError;
    }

    // ---- sending ----

    public boolean isPreparable() {
        return changeable && "planned".equals(getStatus());
    }

    public boolean isStartable() {
        return changeable && Set.of("prepared", "paused").contains(getStatus());
    }

    public boolean isPausable() {
        return changeable && "sending".equals(getStatus());
    }

    public boolean isCancellable() {
        return changeable && Set.of("planned", "prepared", "sending", "paused").contains(getStatus());
    }

    public boolean isSending() {
        return "sending".equals(getStatus());
    }

    public void prepare() {
        act(() -> {
            CampaignAudience.Prepared prepared = platform.campaignAudience().prepare(records(), id);
            int skipped = prepared.skipped().values().stream().mapToInt(Integer::intValue).sum();
            return MessageFormat.format(ui.message("campaign.prepared"), prepared.queued(), skipped);
        });
    }

    public void start() {
        act(() -> {
            platform.campaignSender().start(id);
            return ui.message("campaign.started");
        });
    }

    public void pause() {
        act(() -> {
            platform.campaignSender().pause(id);
            return ui.message("campaign.paused");
        });
    }

    public void cancel() {
        act(() -> {
            platform.campaignSender().cancel(id);
            return ui.message("campaign.cancelled");
        });
    }

    /** The mails in doubt are sent again (the campaign pauses if it was done, to be started). */
    public void resendInDoubt() {
        act(() -> MessageFormat.format(ui.message("campaign.inDoubtResent"),
                platform.campaignSender().settleInDoubt(records(), id, true)));
    }

    /** The mails in doubt count as sent. */
    public void countInDoubtAsSent() {
        act(() -> MessageFormat.format(ui.message("campaign.inDoubtCounted"),
                platform.campaignSender().settleInDoubt(records(), id, false)));
    }

    private void act(java.util.function.Supplier<String> action) {
        if (!changeable) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("campaign.notAllowed"));
            return;
        }
        try {
            message(FacesMessage.SEVERITY_INFO, action.get());
        } catch (ConcurrentUpdateException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("record.conflict"));
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        forget(); // the page shows the campaign as the action left it
    }

    /** One status of the progress: its label and how many members have it. */
    public record Figure(String status, String label, long count) implements Serializable {
    }

    public CampaignProgress getProgress() {
        return perRequest("progress", () -> CampaignProgress.of(records(), campaign()));
    }

    public List<Figure> getFigures() {
        CampaignProgress progress = getProgress();
        return STATUSES.stream().filter(s -> progress.count(s) > 0 || !s.equals("sending") && !s.equals("in_doubt"))
                .map(s -> new Figure(s, label(CampaignAudience.MEMBER, "status", s), progress.count(s))).toList();
    }

    /** The time the queued mails still take at the campaign's rate, e.g. "4 min". */
    public String getTimeLeft() {
        Duration eta = getProgress().eta();
        if (eta.isZero()) {
            return "";
        }
        long minutes = eta.toMinutes();
        return MessageFormat.format(ui.message(minutes == 0 ? "campaign.secondsLeft" : "campaign.minutesLeft"),
                minutes == 0 ? eta.toSeconds() : minutes + (eta.toSecondsPart() > 0 ? 1 : 0));
    }

    // ---- results ----

    public CampaignResults getResults() {
        return perRequest("results", () -> CampaignResults.of(records(), platform.model(), campaign()));
    }

    /** The members' responses and bounces, each with its label, in the order of their options. */
    public List<Figure> getResultFigures() {
        CampaignResults results = getResults();
        List<Figure> figures = new ArrayList<>();
        for (String field : List.of("response", "bounce")) {
            Map<String, Long> counts = field.equals("response") ? results.responses() : results.bounces();
            platform.model().entity(CampaignAudience.MEMBER).flatMap(e -> e.field(field)).ifPresent(f ->
                    f.options().forEach(o -> figures.add(new Figure(field + "-" + o.value(), ui.text(o.label()),
                            counts.getOrDefault(o.value(), 0L)))));
        }
        return figures;
    }

    public String getWonRevenue() {
        return getResults().wonRevenue().map(v -> money("opportunity", "amount", v)).orElse("");
    }

    public String getCost() {
        return getResults().cost().map(v -> money(CampaignAudience.CAMPAIGN, "budget", v)).orElse("");
    }

    public String getNet() {
        return getResults().net().map(v -> money(CampaignAudience.CAMPAIGN, "budget", v)).orElse("");
    }

    private String money(String entityName, String field, java.math.BigDecimal value) {
        return platform.model().entity(entityName).flatMap(e -> e.field(field)).map(f -> ui.format(f, value))
                .orElse(value.toPlainString());
    }

    public boolean isInDoubt() {
        return getProgress().count("in_doubt") > 0;
    }

    private String label(String entityName, String field, String value) {
        Optional<FieldDefinition> definition = platform.model().entity(entityName).flatMap(e -> e.field(field));
        return definition.map(f -> ui.format(f, value)).orElse(value);
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }
}

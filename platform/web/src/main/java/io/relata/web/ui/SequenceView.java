package io.relata.web.ui;

import io.relata.api.record.RecordException;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.runtime.Platform;
import io.relata.runtime.marketing.CampaignAudience;
import io.relata.runtime.marketing.SequenceSender;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.model.SelectItem;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.List;

/**
 * The panel of an e-mail sequence's record page: enroll the people of a target group, read and written with the user's
 * rights (who may create enrollments); the enrollments themselves are the page's related list.
 */
@Named
@ViewScoped
public class SequenceView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    private Long id;
    private Long targetGroup;

    @PostConstruct
    void init() {
        String idParameter = Pages.parameter("id");
        if (!SequenceSender.SEQUENCE.equals(Pages.parameter("entity")) || idParameter == null) {
            return;
        }
        try {
            long recordId = Long.parseLong(idParameter);
            if (platform.securedRecords().find(SequenceSender.SEQUENCE, recordId).isPresent()
                    && platform.securedRecords().policy().canCreate(SequenceSender.ENROLLMENT)) {
                id = recordId;
            }
        } catch (NumberFormatException e) {
            // the record page answers a bad id
        }
    }

    /** Whether the page shows the panel: a sequence the user may read, and may enroll people in. */
    public boolean isSequence() {
        return id != null;
    }

    /** The target groups the user may read, by name. */
    public List<SelectItem> getTargetGroups() {
        return platform.securedRecords().query(CampaignAudience.TARGET_GROUP, new RecordQuery(List.of(),
                List.of(Sort.asc("name")), null, 200, null)).records().stream()
                .map(group -> new SelectItem(group.id(), String.valueOf(group.get("name")))).toList();
    }

    public Long getTargetGroup() {
        return targetGroup;
    }

    public void setTargetGroup(Long targetGroup) {
        this.targetGroup = targetGroup;
    }

    public void enroll() {
        FacesContext context = FacesContext.getCurrentInstance();
        if (targetGroup == null) {
            context.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, ui.message("sequence.chooseGroup"), null));
            return;
        }
        try {
            SequenceSender.Enrolled enrolled = platform.sequenceSender().enroll(platform.securedRecords(), id, targetGroup);
            context.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, MessageFormat.format(
                    ui.message("sequence.enrolled"), enrolled.enrolled(), enrolled.already()), null));
        } catch (RecordException e) {
            context.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, ui.problem(e), null));
        }
    }
}

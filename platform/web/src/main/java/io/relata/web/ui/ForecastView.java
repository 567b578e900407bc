package io.relata.web.ui;

import io.relata.api.record.RecordException;
import io.relata.identity.UserAccount;
import io.relata.runtime.Platform;
import io.relata.runtime.orders.Forecast;
import io.relata.api.record.FilterParameters;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The forecast page: per salesperson and month the chosen measure (commit, best case, pipeline, weighted, won), the
 * quota and its attainment, and the change since last week's snapshot; every figure links to the opportunities behind
 * it (the list page with the same filters). Sales management sets quotas here. Figures are the viewer's: their rows,
 * their fields ({@link Forecast}).
 */
@Named
@ViewScoped
public class ForecastView implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int MAX_MONTHS = 12;

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @Inject
    UiText ui;

    private String from;
    private int months = 3;
    private Forecast.Measure measure = Forecast.Measure.COMMIT;
    private Forecast.By by = Forecast.By.OWNER;
    private transient Forecast.Table table;
    /** The page's rows, made once per table: JSF asks for them more than once per render. */
    private transient List<Line> lines;
    private String unavailable;
    private Long quotaOwner;
    private String quotaMonth;
    private BigDecimal quotaAmount;

    @PostConstruct
    void init() {
        YearMonth month = YearMonth.from(platform.forecast().thisMonth());
        String given = Pages.parameter("from");
        if (given != null && !given.isBlank()) {
            try {
                month = YearMonth.parse(given);
            } catch (DateTimeParseException e) {
                // this month, as when none was given
            }
        }
        from = month.toString();
        quotaMonth = from;
        String count = Pages.parameter("months");
        if (count != null && count.matches("\\d{1,2}")) {
            months = Math.max(1, Math.min(MAX_MONTHS, Integer.parseInt(count)));
        }
        if ("team".equalsIgnoreCase(Pages.parameter("by"))) {
            by = Forecast.By.TEAM;
        }
        String chosen = Pages.parameter("measure");
        if (chosen != null) {
            for (Forecast.Measure m : Forecast.Measure.values()) {
                if (m.name().equalsIgnoreCase(chosen)) {
                    measure = m;
                }
            }
        }
    }

    private Forecast.Table table() {
        if (table == null && unavailable == null) {
            if (!platform.forecast().available() || !platform.access(me.actor()).canRead(Forecast.OPPORTUNITY)) {
                unavailable = ui.message("forecast.unavailable");
            } else {
                try {
                    table = platform.forecast().table(platform.securedRecords(), firstMonth(), months, by);
                } catch (RecordException e) {
                    unavailable = ui.message("forecast.hidden");
                }
            }
        }
        return table;
    }

    private LocalDate firstMonth() {
        return YearMonth.parse(from).atDay(1);
    }

    public boolean isAvailable() {
        return table() != null;
    }

    public String getUnavailable() {
        table();
        return unavailable;
    }

    /** One row of the page: a salesperson, or the total (owner null). */
    public record Line(Long owner, String name, List<Cell> cells, Cell total, String quota, String attainment,
                       String change, boolean changeUp) {
    }

    /** A figure and the link to the opportunities behind it. */
    public record Cell(String value, String link) {
    }

    public List<String> getMonthLabels() {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("MMM yyyy", ui.locale());
        return table() == null ? List.of() : table().months().stream().map(format::format).toList();
    }

    public List<Line> getLines() {
        Forecast.Table forecast = table();
        if (forecast == null) {
            return List.of();
        }
        if (lines != null) {
            return lines;
        }
        lines = new ArrayList<>();
        for (Forecast.Row row : forecast.rows()) {
            lines.add(line(row.ownerUser(), name(row.ownerUser()), row.months(), row.total(), row.lastWeek()));
        }
        lines.sort(Comparator.comparing(Line::name, String.CASE_INSENSITIVE_ORDER));
        lines.add(line(null, ui.message("forecast.total"), forecast.monthTotals(), forecast.total(), null));
        return lines;
    }

    private Line line(Long owner, String name, Map<LocalDate, Forecast.Figures> byMonth, Forecast.Figures total,
                      Forecast.Figures lastWeek) {
        List<Cell> cells = new ArrayList<>();
        byMonth.forEach((month, figures) -> cells.add(new Cell(money(measure.of(figures)), link(owner, month, 1))));
        BigDecimal attainment = total.attainment();
        String change = null;
        boolean up = false;
        if (lastWeek != null) {
            BigDecimal delta = measure.of(total).subtract(measure.of(lastWeek));
            up = delta.signum() >= 0;
            change = delta.signum() == 0 ? "±0" : (up ? "+" : "−") + money(delta.abs());
        }
        return new Line(owner, name, cells, new Cell(money(measure.of(total)), link(owner, firstMonth(), months)),
                money(total.quota()), attainment == null ? "" : attainment.toPlainString() + " %", change, up);
    }

    private String link(Long owner, LocalDate month, int count) {
        StringBuilder url = new StringBuilder(Pages.contextPath()).append("/list.xhtml?entity=").append(Forecast.OPPORTUNITY);
        for (io.relata.api.record.Filter filter : platform.forecast().drillDown(measure, by, owner, month, count)) {
            url.append("&filter=").append(URLEncoder.encode(FilterParameters.format(filter), StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    private String money(BigDecimal amount) {
        NumberFormat format = NumberFormat.getNumberInstance(ui.locale());
        format.setMaximumFractionDigits(0);
        return format.format(amount);
    }

    private String name(long row) {
        if (by == Forecast.By.TEAM) {
            return platform.users().teams().stream().filter(t -> t.getId() == row).map(t -> t.getName()).findFirst()
                    .orElse("#" + row);
        }
        return platform.users().user(row).map(UserAccount::getDisplayName).orElse("#" + row);
    }

    public String getSnapshotWeek() {
        return table() == null || table().snapshotWeek() == null ? null
                : DateTimeFormatter.ofPattern("dd.MM.yyyy").format(table().snapshotWeek());
    }

    // ---- quotas (sales management) ----

    public boolean isQuotaEditable() {
        return platform.access(me.actor()).canCreate(Forecast.QUOTA);
    }

    /** The salespeople a quota may be set for: the active users, by name. */
    public List<UserAccount> getSalespeople() {
        return platform.users().users().stream().filter(UserAccount::isActive)
                .sorted(Comparator.comparing(UserAccount::getDisplayName, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    public void saveQuota() {
        try {
            YearMonth month = YearMonth.parse(quotaMonth);
            UserAccount owner = platform.users().user(quotaOwner).orElseThrow();
            Long team = platform.users().actor(owner.getUsername()).map(a -> a.primaryTeam()).orElse(null);
            platform.forecast().setQuota(platform.securedRecords(), quotaOwner, team, month.atDay(1), quotaAmount);
            table = null;
            lines = null;
            message(FacesMessage.SEVERITY_INFO, java.text.MessageFormat.format(ui.message("forecast.quotaSaved"),
                    owner.getDisplayName(), month.toString()));
        } catch (DateTimeParseException | java.util.NoSuchElementException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("forecast.quotaInvalid"));
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    /** Shows the forecast for the chosen months and measure (an address to keep or share). */
    public String reload() {
        String month;
        try {
            month = YearMonth.parse(from.strip()).toString();
        } catch (DateTimeParseException e) {
            month = YearMonth.from(platform.forecast().thisMonth()).toString();
        }
        return "/forecast?faces-redirect=true&from=" + month + "&months=" + months + "&measure="
                + measure.name().toLowerCase(java.util.Locale.ROOT) + "&by=" + by.name().toLowerCase(java.util.Locale.ROOT);
    }

    // ---- page parameters ----

    public List<Forecast.Measure> getMeasures() {
        return List.of(Forecast.Measure.values());
    }

    public String measureLabel(Forecast.Measure m) {
        return ui.message("forecast.measure." + m.name().toLowerCase(java.util.Locale.ROOT));
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public int getMonths() {
        return months;
    }

    public void setMonths(int months) {
        this.months = months;
    }

    public Forecast.By getBy() {
        return by;
    }

    public void setBy(Forecast.By by) {
        this.by = by;
    }

    public List<Forecast.By> getRowKinds() {
        return List.of(Forecast.By.values());
    }

    public String rowKindLabel(Forecast.By kind) {
        return ui.message("forecast.by." + kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    public String getRowHeading() {
        return ui.message(by == Forecast.By.TEAM ? "forecast.team" : "forecast.salesperson");
    }

    public Forecast.Measure getMeasure() {
        return measure;
    }

    public void setMeasure(Forecast.Measure measure) {
        this.measure = measure;
    }

    public Long getQuotaOwner() {
        return quotaOwner;
    }

    public void setQuotaOwner(Long quotaOwner) {
        this.quotaOwner = quotaOwner;
    }

    public String getQuotaMonth() {
        return quotaMonth;
    }

    public void setQuotaMonth(String quotaMonth) {
        this.quotaMonth = quotaMonth;
    }

    public BigDecimal getQuotaAmount() {
        return quotaAmount;
    }

    public void setQuotaAmount(BigDecimal quotaAmount) {
        this.quotaAmount = quotaAmount;
    }
}

package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.CustomerView;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.RelatedPath;
import io.relata.api.model.ViewPanel;
import io.relata.api.record.Aggregate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code views/<entity>.yaml}: customer views, checked against entities, related paths, roles and measures. */
class CustomerViewsTest {

    private static final MetadataFile ACCOUNT = new MetadataFile("core/entities/account.yaml", """
            name: account
            label: {de: Firma, en: Account}
            pluralLabel: {de: Firmen, en: Accounts}
            fields:
              name: {type: text, label: {de: Name, en: Name}, required: true}
              city: {type: text, label: {de: Ort, en: City}}
              value: {type: money, label: {de: Kundenwert, en: Customer value}}
            """);
    private static final MetadataFile CONTACT = new MetadataFile("core/entities/contact.yaml", """
            name: contact
            label: {de: Kontakt, en: Contact}
            pluralLabel: {de: Kontakte, en: Contacts}
            fields:
              last_name: {type: text, label: {de: Nachname, en: Last name}}
              account: {type: reference, entity: account, label: {de: Firma, en: Account}, reverse: {name: contacts}}
            """);
    private static final MetadataFile CALL = new MetadataFile("core/entities/call.yaml", """
            name: call
            label: {de: Anruf, en: Call}
            pluralLabel: {de: Anrufe, en: Calls}
            fields:
              subject: {type: text, label: {de: Betreff, en: Subject}}
              at: {type: date-time, label: {de: Zeitpunkt, en: At}}
              minutes: {type: integer, label: {de: Minuten, en: Minutes}}
              outcome:
                type: choice
                label: {de: Ergebnis, en: Outcome}
                options:
                  - {value: reached, label: {de: Erreicht, en: Reached}}
                  - {value: voicemail, label: {de: Mailbox, en: Voicemail}}
              contact: {type: reference, entity: contact, label: {de: Kontakt, en: Contact}, reverse: {name: calls}}
            """);
    private static final MetadataFile SALES = new MetadataFile("core/roles/sales.yaml", """
            name: sales
            label: {de: Vertrieb, en: Sales}
            entities:
              account: {read: all}
            """);

    private static List<MetadataFile> with(MetadataFile... more) {
        List<MetadataFile> files = new ArrayList<>(List.of(ACCOUNT, CONTACT, CALL, SALES));
        files.addAll(List.of(more));
        return files;
    }

    private static List<MetadataProblem> problems(String view) {
        MetadataException e = (MetadataException) org.assertj.core.api.Assertions.catchThrowable(
                () -> new MetadataLoader().load(with(new MetadataFile("site/views/account.yaml", view))));
        assertThat(e).as("the load is refused").isNotNull();
        return e.problems();
    }

    @Test
    void panelsOfEveryKindWithRolesAndPathsOfAnyDepth() throws Exception {
        MetadataModel model = new MetadataLoader().load(with(new MetadataFile("site/views/account.yaml", """
                entity: account
                panels:
                  - name: facts
                    kind: facts
                    label: {de: Eckdaten, en: Key facts}
                    fields: [city, value]
                  - name: figures
                    kind: kpis
                    label: {de: Kennzahlen, en: Figures}
                    roles: [sales]
                    kpis:
                      - {name: value, label: {en: Value}, field: value}
                      - {name: reached, label: {en: Reached}, measure: count, list: contacts.calls, where: {outcome: reached}}
                      - {name: minutes, label: {en: Minutes}, measure: sum, list: contacts.calls, field: minutes}
                  - name: calls
                    kind: related
                    label: {en: Calls of its contacts}
                    list: contacts.calls
                    columns: [subject, at]
                    where: {outcome: [reached, voicemail]}
                    sort: -at
                    limit: 5
                  - name: timeline
                    kind: timeline
                    label: {en: Timeline}
                    sources: [contacts, {list: contacts.calls, at: at}]
                  - name: plugins
                    kind: plugins
                    label: {en: From plugins}
                """)));
        CustomerView view = model.view("account").orElseThrow();
        assertThat(view.panels()).extracting(ViewPanel::name).containsExactly("facts", "figures", "calls", "timeline", "plugins");
        assertThat(view.panelsFor(Set.of("service"))).extracting(ViewPanel::name).as("figures are for sales only")
                .containsExactly("facts", "calls", "timeline", "plugins");
        ViewPanel.Kpis figures = (ViewPanel.Kpis) view.panels().get(1);
        assertThat(figures.kpis().get(0).ofRecord()).isTrue();
        assertThat(figures.kpis().get(1).measure()).isEqualTo(Aggregate.COUNT);
        assertThat(figures.kpis().get(1).where()).containsEntry("outcome", List.of("reached"));
        ViewPanel.Related calls = (ViewPanel.Related) view.panels().get(2);
        assertThat(calls.sort().descending()).isTrue();
        assertThat(calls.limit()).isEqualTo(5);
        ViewPanel.Timeline timeline = (ViewPanel.Timeline) view.panels().get(3);
        assertThat(timeline.sources()).containsExactly(new ViewPanel.TimelineSource("contacts", null),
                new ViewPanel.TimelineSource("contacts.calls", "at"));
        assertThat(timeline.limit()).isEqualTo(ViewChecks.DEFAULT_TIMELINE_LIMIT);
        RelatedPath path = RelatedPath.resolve(model.allEntities(), "account", "contacts.calls").orElseThrow();
        assertThat(path.steps()).extracting(s -> s.sourceEntity().name() + "." + s.sourceField().name())
                .containsExactly("contact.account", "call.contact");
    }

    @Test
    void mistakesInTheFileItselfAreReportedAtTheirPlaceWithTheFix() {
        List<MetadataProblem> problems = problems("""
                entity: account
                panels:
                  - name: facts
                    kind: facts
                    label: {en: Facts}
                    fields: [city]
                    list: contacts
                  - name: facts
                    kind: kpis
                    label: {en: Figures}
                    kpis:
                      - {name: b, label: {en: B}, measure: sum, list: contacts}
                      - {name: d, label: {en: D}, list: contacts}
                      - {name: e, label: {en: E}, field: value, where: {city: Berlin}}
                  - name: empty
                    kind: related
                    label: {en: Nothing}
                """);
        assertThat(problems).extracting(p -> p.code()).containsOnly("VIEW_INVALID");
        assertThat(problems).extracting(p -> p.line() + ": " + p.message() + " " + p.fix()).containsExactly(
                "7: A panel of kind 'facts' takes no 'list'. remove it; this kind takes: fields.",
                "8: The panel name 'facts' is used twice in this view. give each panel its own name.",
                "12: The measure 'sum' of the figure 'b' needs a 'field' to work on. add 'field: <field of the related records>'.",
                "13: The figure 'd' names a 'list' but no 'measure'. give both 'measure' and 'list', or only 'field' for a field of the record itself.",
                "14: The figure 'e' shows a field of the record: 'where' has nothing to filter. remove 'where'.",
                "15: The panel 'empty' of kind 'related' needs 'list'. add 'list: ...' to it.");
    }

    @Test
    void namesThatDoNotExistInTheModelAreReportedAtTheirPlaceWithTheFix() {
        List<MetadataProblem> problems = problems("""
                entity: account
                panels:
                  - name: facts
                    kind: facts
                    label: {en: Facts}
                    fields: [city, cty]
                  - name: calls
                    kind: related
                    label: {en: Calls}
                    list: contacts.cals
                  - name: figures
                    kind: kpis
                    label: {en: Figures}
                    roles: [sails]
                    kpis:
                      - {name: a, label: {en: A}, measure: sum, list: contacts.calls, field: subject}
                      - {name: c, label: {en: C}, measure: count, list: contacts.calls, where: {outcome: reachd}}
                  - name: timeline
                    kind: timeline
                    label: {en: Timeline}
                    sources: [{list: contacts.calls, at: subject}]
                """);
        assertThat(problems).extracting(p -> p.code()).containsOnly("VIEW_INVALID");
        assertThat(problems).extracting(p -> p.line() + ": " + p.message() + " " + p.fix()).containsExactly(
                "6: The entity 'account' has no field 'cty'. did you mean 'city'? use one of: name, city, value.",
                "10: Records of 'contact' have no related list 'cals' (in 'contacts.cals'). did you mean 'calls'? use one of: calls.",
                "14: There is no role 'sails'. did you mean 'sales'? use one of: sales.",
                "16: The measure 'sum' does not work on the field 'subject' of type text. use count, or a field of type integer, decimal or money.",
                "17: The field 'outcome' has no option 'reachd'. did you mean 'reached'? use one of: reached, voicemail.",
                "21: The field 'subject' is a text, not a date: it cannot place records on the timeline. name a date or date-time field.");
    }

    @Test
    void figuresOfAPeriodAndRatiosOfTwoFigures() throws Exception {
        MetadataModel model = new MetadataLoader().load(with(new MetadataFile("site/views/account.yaml", """
                entity: account
                panels:
                  - name: value
                    kind: kpis
                    label: {en: Value}
                    kpis:
                      - {name: reached, label: {en: Reached}, measure: count, list: contacts.calls,
                         where: {outcome: reached}, period: {field: at, range: last_90_days}}
                      - {name: all, label: {en: All}, measure: count, list: contacts.calls,
                         period: {field: created_at, range: this_year}}
                      - {name: share, label: {en: Share}, ratio: {of: reached, to: all}}
                """)));
        List<ViewPanel.Kpi> kpis = ((ViewPanel.Kpis) model.view("account").orElseThrow().panels().get(0)).kpis();
        assertThat(kpis.get(0).period()).isEqualTo(new io.relata.api.model.DateWindow("at",
                io.relata.api.model.RelativePeriod.LAST_90_DAYS));
        assertThat(kpis.get(2).ratio()).isEqualTo(new ViewPanel.Ratio("reached", "all"));
        assertThat(kpis.get(2).ofRecord()).isFalse();

        List<MetadataProblem> problems = problems("""
                entity: account
                panels:
                  - name: value
                    kind: kpis
                    label: {en: Value}
                    kpis:
                      - {name: a, label: {en: A}, measure: count, list: contacts.calls, period: {field: minutes, range: this_year}}
                      - {name: b, label: {en: B}, field: value, period: {field: at, range: this_year}}
                      - {name: c, label: {en: C}, ratio: {of: a, to: aa}, measure: sum}
                      - {name: d, label: {en: D}, ratio: {of: d, to: a}}
                """);
        assertThat(problems).extracting(p -> p.line() + ": " + p.message() + " " + p.fix()).containsExactly(
                "8: The figure 'b' shows a field of the record: 'period' has nothing to filter. remove 'period'.",
                "9: The ratio 'c' divides by 'aa', which is no other figure of this panel. did you mean 'a'? name one of: a, b, d.",
                "9: The figure 'c' is a ratio of two figures: it takes no 'measure'. remove 'measure'.",
                "10: The ratio 'd' divides 'd', which is itself. name one of: a, b, c.");
        assertThat(problems("""
                entity: account
                panels:
                  - name: value
                    kind: kpis
                    label: {en: Value}
                    kpis:
                      - {name: a, label: {en: A}, measure: count, list: contacts.calls, period: {field: minutes, range: this_year}}
                """)).extracting(p -> p.line() + ":" + p.column() + " " + p.message() + " " + p.fix()).containsExactly(
                "7:89 The field 'minutes' is a integer, not a date: it cannot place records in a period. name a date or "
                        + "date-time field of 'call' (or created_at).");
    }

    @Test
    void theViewNamesTheEntityOfItsFile() {
        assertThat(problems("""
                entity: acount
                panels:
                  - {name: p, kind: plugins, label: {en: P}}
                """)).extracting(p -> p.code() + " " + p.message()).containsExactly(
                "VIEW_NAME_MISMATCH The file is the view of the entity 'acount' but is named 'account'.");
    }

    @Test
    void theViewIsOfAnEntityThatExists() throws Exception {
        MetadataException e = (MetadataException) org.assertj.core.api.Assertions.catchThrowable(
                () -> new MetadataLoader().load(with(new MetadataFile("site/views/acount.yaml", """
                        entity: acount
                        panels:
                          - {name: p, kind: plugins, label: {en: P}}
                        """))));
        assertThat(e.problems()).extracting(p -> p.code() + " " + p.message() + " " + p.fix()).containsExactly(
                "VIEW_INVALID There is no entity 'acount' whose records this view could show. did you mean 'account'? "
                        + "name an entity of any layer.");
    }

    @Test
    void theShippedViewsLoadWithTheShippedMetadata() throws Exception {
        MetadataModel model = new MetadataLoader().loadDirectories(List.of(Path.of("../../metadata")));
        assertThat(model.views()).containsKeys("account", "contact");
        assertThat(model.view("account").orElseThrow().panelsFor(Set.of("service")))
                .extracting(ViewPanel::name).contains("service_figures", "tickets").doesNotContain("sales_figures", "opportunities");
    }
}

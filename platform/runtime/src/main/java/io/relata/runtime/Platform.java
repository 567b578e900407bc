package io.relata.runtime;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.RecordStore;
import io.relata.metadata.MetadataException;
import io.relata.api.security.Actor;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import java.time.Clock;
import io.relata.process.MailSettings;
import io.relata.process.Outbox;
import io.relata.process.CaseHistoryImport;
import io.relata.process.ProcessCases;
import io.relata.process.ProcessEngine;
import io.relata.process.ProcessSettings;
import io.relata.process.Timers;
import io.relata.process.dialog.DialogRunner;
import io.relata.process.kpi.ProcessKpis;
import io.relata.plugins.PluginCalls;
import io.relata.plugins.PluginEngine;
import io.relata.plugins.PluginLayer;
import io.relata.plugins.PluginLedger;
import io.relata.plugins.PluginRefusedException;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import io.relata.identity.LoginThrottle;
import io.relata.identity.PasswordPolicy;
import io.relata.identity.UserDirectory;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running CRM: configuration, database, live metadata and the record store, created once at start-up
 * by the web module's start-up listener and shared by the REST API and the UI.
 */
@ApplicationScoped
public class Platform {

    private static final Logger LOG = Logger.getLogger(Platform.class.getName());

    /** The role that may do everything; shipped in metadata/roles/administrator.yaml. */
    public static final String ADMINISTRATOR_ROLE = "administrator";

    @Inject
    Pbkdf2PasswordHash passwordHash;

    /**
     * The request's actor, through the request scope's proxy: {@code CDI.current()} per call walked the stack
     * and built a container facade, 40 % of the server time of reading one record (issue 12).
     */
    @Inject
    RequestActor currentActor;

    private CrmConfig config;
    private Database database;
    private MetadataRuntime metadata;
    private MetadataPublisher publisher;
    private RuleEngine rules;
    private JdbcRecordStore systemRecords;
    private SecuredRecordStore records;
    private UserDirectory users;
    private AuditLog audit;
    private PlatformClock clock;
    private Outbox outbox;
    private ProcessEngine processes;
    private ProcessCases processCases;
    private CaseHistoryImport caseHistories;
    private io.relata.runtime.customer.CustomerViews customerViews;
    private io.relata.runtime.customer.Todos todos;
    private io.relata.runtime.customer.QuickCapture quickCapture;
    private io.relata.runtime.customer.CalendarFeeds calendarFeeds;
    private io.relata.runtime.customer.ActivityCalendar activityCalendar;
    private io.relata.runtime.customer.ContactCards contactCards;
    private io.relata.runtime.customer.CalendarCollection calendarCollection;
    private io.relata.runtime.files.RecordFiles recordFiles;
    private io.relata.runtime.mail.MailCapture mailCapture;
    /** When the capture mailbox was last read. */
    private final MailboxRounds captureRounds = new MailboxRounds("The capture mailbox", () -> config.mailCapture().user()
            + " at " + config.mailCapture().host() + ":" + config.mailCapture().port());
    private final MailboxRounds campaignMailRounds = new MailboxRounds("The campaign mailbox",
            () -> config.campaignMailbox().toString());
    /** When the files directory was last swept of deleted records' files (an hour apart at most once). */
    private java.time.Instant filesSwept = java.time.Instant.EPOCH;
    private java.time.Instant consentsChecked = java.time.Instant.EPOCH;
    private io.relata.runtime.customer.VisitReports visitReports;
    private io.relata.runtime.customer.LeadConversion leadConversion;
    private io.relata.runtime.orders.Quotes quotes;
    private io.relata.runtime.orders.Contracts contracts;
    private io.relata.runtime.orders.Forecast forecast;
    private io.relata.runtime.dashboard.Dashboards dashboards;
    private io.relata.runtime.dashboard.DashboardPins dashboardPins;
    private io.relata.runtime.marketing.Consents consents;
    private io.relata.runtime.marketing.CampaignAudience campaignAudience;
    private io.relata.runtime.marketing.CampaignMail campaignMail;
    private io.relata.runtime.marketing.CampaignMailbox campaignMailbox;
    private io.relata.runtime.marketing.CampaignResponses campaignResponses;
    private io.relata.runtime.marketing.LeadCapture leadCapture;
    private io.relata.runtime.marketing.CampaignLinks campaignLinks;
    private io.relata.runtime.marketing.CampaignSender campaignSender;
    private io.relata.runtime.marketing.SequenceSender sequenceSender;
    /** When the weekly forecast snapshot was last looked for (hourly). */
    private java.time.Instant forecastChecked = java.time.Instant.EPOCH;
    private io.relata.runtime.customer.LifecycleReport lifecycle;
    private io.relata.runtime.customer.Bookings bookings;
    private io.relata.runtime.customer.Reminders reminders;
    private Timers timers;
    private ProcessKpis kpis;
    private ScheduledExecutorService background;
    private StartPhases startPhases;
    private PluginCalls pluginCalls;
    private PluginEngine plugins;
    private io.relata.plugins.IntegrationCalls integrations;

    /** Opens the database, loads the metadata, migrates the schema and seeds demo data on first start. */
    public synchronized void start(Path bundledMetadata) throws MetadataException, java.io.IOException {
        StartPhases phases = new StartPhases();
        startPhases = phases;
        config = CrmConfig.fromEnvironment();
        if (config.isH2File()) {
            config.ensureDataDir();
        }
        database = Database.open(config);
        phases.lap("database");
        Path base = config.metadataBase().orElse(bundledMetadata);
        // The statement limit stops endless loops deterministically; the deadline is the backstop for what
        // statements do not count (regex backtracking, huge strings). It must allow a cold first run,
        // interpreted, on a busy machine: 200 ms did not.
        // records are stamped in UTC; rules see "today" in the server's zone
        clock = new PlatformClock(Clock.systemUTC(), config.clockAdjustable());
        rules = new RuleEngine(new RuleLimits(RuleLimits.DEFAULT.statementLimit(), config.rulesTimeout()),
                clock.withZone(ZoneId.systemDefault()));
        LOG.info(rules::mode);
        phases.lap("rule engine");
        users = new UserDirectory(database, passwordHash, clock, LoginThrottle.Policy.DEFAULT, PasswordPolicy.shipped());
        phases.lap("user directory");
        pluginCalls = new PluginCalls(config.pluginTimeout(), 32);
        plugins = new PluginEngine(config.pluginsDir(), io.relata.plugins.PlatformVersion.current(), new PluginLedger(database.dataSource()),
                pluginCalls, Duration.ofSeconds(30));
        plugins.useMigrations((pluginId, scripts) -> {
            try {
                int ran = database.migratePlugin(pluginId, scripts);
                LOG.info(() -> "Plugin " + pluginId + ": " + ran + " migration(s) of its own tables applied");
            } catch (RuntimeException e) {
                throw new PluginRefusedException(io.relata.api.model.LocalizedText.format(
                        "Die Migrationen des Plugins {0} sind gescheitert: {1}",
                        "The migrations of the plugin {0} failed: {1}", pluginId, String.valueOf(e.getMessage())));
            }
        });
        plugins.startInstalled();
        PluginRuleFunctions ruleFunctions = new PluginRuleFunctions(plugins.extensions());
        rules.useFunctions(ruleFunctions);
        phases.lap("plugins");
        SiteLayer site = new SiteLayer(config.metadataSite());
        site.create();
        List<Path> siteDirectories = new ArrayList<>(config.metadataPath());
        siteDirectories.add(site.root());
        metadata = new MetadataRuntime(database, rules, base, siteDirectories, users::rolesOfUsersWhoMayLogIn,
                config.metadataLimits());
        publisher = new MetadataPublisher(metadata, site, database, config.metadataLimits(), clock);
        metadata.startWithPluginLayers(layerDirectories(plugins.layers()), plugins.retiredLayers());
        plugins.useLayers((layers, retired, extensions) -> {
            try {
                ruleFunctions.checking(extensions, () -> {
                    metadata.loadWithPluginLayers(layerDirectories(layers), retired);
                    // a plugin installed or enabled now brings its demo records (once), computed with its functions
                    seedPluginDemos(layers);
                    return null;
                });
            } catch (MetadataException e) {
                throw new PluginRefusedException(e.problems().stream()
                        .map(p -> io.relata.api.model.LocalizedText.of(p.toString(), p.toString())).toList());
            } catch (PluginRefusedException e) {
                throw e;
            } catch (Exception e) {
                throw new PluginRefusedException(io.relata.api.model.LocalizedText.format(
                        "Die Metadaten ließen sich mit diesen Plugins nicht laden: {0}",
                        "The metadata could not be loaded with these plugins: {0}", String.valueOf(e)));
            }
        });
        loadAtStart(metadata, phases);
        // the rules compile while the rest of the start runs, not on the first save (nor in readiness)
        Thread ruleWarmUp = new Thread(this::warmUpRules, "relata-rule-warm-up");
        ruleWarmUp.setDaemon(true);
        ruleWarmUp.start();
        JdbcTransactions transactions = new JdbcTransactions(database.dataSource(), database.schemaGate());
        String node = nodeName();
        MailSettings mail = mailSettings(config);
        outbox = new Outbox(transactions, clock, mail, plugins.extensions()::processExtensions,
                Outbox.Policy.DEFAULT, node).withIntegrations((integration, operation, payload, entity, recordId, actor) ->
                integrations.call(integration, operation, payload, entity, recordId, actor)
                        .map(io.relata.plugins.IntegrationCalls.Recorded::response), () -> systemRecords,
                config.defaultLanguage());
        processes = new ProcessEngine(metadata::model, rules, clock, () -> systemRecords,
                new UserAssignees(database.dataSource()), outbox,
                new ProcessSettings(config.baseUrl(), config.defaultLanguage(), node));
        lifecycle = new io.relata.runtime.customer.LifecycleReport(metadata::model, database.dataSource(),
                clock.withZone(ZoneId.systemDefault()));
        bookings = new io.relata.runtime.customer.Bookings(metadata::model, () -> systemRecords, transactions,
                clock.withZone(ZoneId.systemDefault()));
        recordFiles = new io.relata.runtime.files.RecordFiles(database.dataSource(), config.files(), metadata::model, clock);
        consents = new io.relata.runtime.marketing.Consents(metadata::model,
                () -> securedRecordsOf(io.relata.api.security.Actor.SYSTEM), transactions, outbox, config::baseUrl,
                clock);
        campaignResponses = new io.relata.runtime.marketing.CampaignResponses(
                () -> securedRecordsOf(io.relata.api.security.Actor.SYSTEM), clock);
        systemRecords = new JdbcRecordStore(transactions, metadata::model, clock, rules).withHook(
                io.relata.store.RecordWriteHook.all(bookings.hook(), processes,
                        new PluginRecordListeners(plugins.extensions(), transactions), lifecycle.hook(),
                        recordFiles.hook(), consents.hook(), campaignResponses.hook()));
        processCases = new ProcessCases(transactions, metadata::model);
        caseHistories = new CaseHistoryImport(transactions, metadata::model);
        IntegrationSettings integrationSettings = IntegrationSettings.fromSystem();
        integrations = new io.relata.plugins.IntegrationCalls(plugins.extensions(), database.dataSource(),
                integrationSettings::of, new io.relata.plugins.PlainJson() {
                    @Override
                    public String write(Object value) {
                        return io.relata.process.ProcessJson.toJson(value).toString();
                    }

                    @Override
                    public Object read(String json) {
                        return io.relata.process.ProcessJson.readValue(json);
                    }
                }, clock, List.of(new io.relata.runtime.orders.CreditCheck(),
                        new io.relata.runtime.orders.ErpOrders(() -> systemRecords)));
        timers = new Timers(processes);
        audit = new AuditLog(database.dataSource());
        records = new SecuredRecordStore(systemRecords, metadata::model, this::currentActor, audit);
        mailCapture = new io.relata.runtime.mail.MailCapture(database.dataSource(), config::mailCapture, metadata::model,
                new CaptureUsers(users), this::securedRecordsOf, recordFiles, clock);
        customerViews = new io.relata.runtime.customer.CustomerViews(metadata::model, audit, processCases, outbox,
                recordFiles, clock);
        reminders = new io.relata.runtime.customer.Reminders(metadata::model, () -> systemRecords, transactions, outbox,
                userId -> users.user(userId).filter(io.relata.identity.UserAccount::isActive)
                        .flatMap(user -> users.actor(user.getUsername()).map(actor -> new io.relata.runtime.customer
                                .Reminders.Recipient(user.getEmail(), actor.language()))), clock, config::baseUrl);
        todos = new io.relata.runtime.customer.Todos(metadata::model, clock.withZone(ZoneId.systemDefault()));
        quickCapture = new io.relata.runtime.customer.QuickCapture(metadata::model, clock);
        calendarFeeds = new io.relata.runtime.customer.CalendarFeeds(database.dataSource(), clock);
        activityCalendar = new io.relata.runtime.customer.ActivityCalendar(metadata::model, clock, config::baseUrl);
        contactCards = new io.relata.runtime.customer.ContactCards(metadata::model, config::baseUrl);
        calendarCollection = new io.relata.runtime.customer.CalendarCollection(database.dataSource(), activityCalendar,
                metadata::model, clock.withZone(ZoneId.systemDefault()));
        visitReports = new io.relata.runtime.customer.VisitReports(metadata::model, clock);
        leadConversion = new io.relata.runtime.customer.LeadConversion(metadata::model, transactions);
        quotes = new io.relata.runtime.orders.Quotes(metadata::model, transactions, outbox, recordFiles,
                config.letterhead(), id -> users.user(id).map(io.relata.identity.UserAccount::getDisplayName),
                config.defaultLanguage());
        contracts = new io.relata.runtime.orders.Contracts(metadata::model, transactions, config.defaultLanguage(),
                clock.withZone(ZoneId.systemDefault()));
        forecast = new io.relata.runtime.orders.Forecast(metadata::model, database.dataSource(),
                clock.withZone(ZoneId.systemDefault()));
        kpis = new ProcessKpis(database.dataSource(), clock, records::readScope);
        dashboards = new io.relata.runtime.dashboard.Dashboards(metadata::model, clock.withZone(ZoneId.systemDefault()));
        dashboardPins = new io.relata.runtime.dashboard.DashboardPins(database.dataSource());
        campaignAudience = new io.relata.runtime.marketing.CampaignAudience(metadata::model,
                () -> securedRecordsOf(io.relata.api.security.Actor.SYSTEM), transactions, consents, clock);
        campaignMail = new io.relata.runtime.marketing.CampaignMail(
                () -> securedRecordsOf(io.relata.api.security.Actor.SYSTEM),
                id -> users.user(id).map(u -> new io.relata.runtime.marketing.CampaignMail.Sender(u.getDisplayName(),
                        u.getEmail())), config::baseUrl);
        leadCapture = new io.relata.runtime.marketing.LeadCapture(
                () -> securedRecordsOf(io.relata.api.security.Actor.SYSTEM), transactions, consents, clock);
        campaignMailbox = new io.relata.runtime.marketing.CampaignMailbox(metadata::model,
                () -> securedRecordsOf(io.relata.api.security.Actor.SYSTEM), transactions, campaignResponses,
                config::campaignMailbox, config.defaultLanguage(), clock);
        campaignLinks = new io.relata.runtime.marketing.CampaignLinks(
                () -> securedRecordsOf(io.relata.api.security.Actor.SYSTEM), transactions, campaignResponses,
                config::baseUrl, clock);
        campaignSender = new io.relata.runtime.marketing.CampaignSender(
                () -> securedRecordsOf(io.relata.api.security.Actor.SYSTEM), transactions, consents, campaignMail,
                campaignLinks, () -> mail, config::baseUrl, config.defaultLanguage(), clock);
        sequenceSender = new io.relata.runtime.marketing.SequenceSender(
                () -> securedRecordsOf(io.relata.api.security.Actor.SYSTEM), transactions, consents, campaignMail,
                () -> mail, config::baseUrl, config.defaultLanguage(), clock);
        phases.lap("stores and processes");
        users.bootstrapAdministrator(config.adminPassword(), ADMINISTRATOR_ROLE).ifPresent(password -> LOG.warning(
                "Created the user 'admin' with the generated password " + password
                        + " (shown only now). Log in and change it under 'My account', or set CRM_ADMIN_PASSWORD before the first start."));
        if (config.demoData()) {
            new DemoData(database, systemRecords, users, caseHistories, base.resolve("demo")).seedOnce();
        }
        if (!config.pluginsInstall().isEmpty()) {
            List<String> shipped = plugins.installShipped(config.pluginsInstall(), "system");
            if (!shipped.isEmpty()) {
                LOG.info(() -> "Shipped plugins installed: " + shipped);
            }
        }
        seedPluginDemos(plugins.layers());
        phases.lap("users and demo data");
        LOG.info(() -> "Database: " + database.productName() + " at " + config.dbUrl()
                + "; metadata from " + metadata.directories());
        if (config.smtp().host() != null) {
            LOG.info(() -> "Process mails go to " + config.smtp());
        } else {
            LOG.info("No mail server configured (CRM_SMTP_HOST): process mails wait in the outbox");
        }
        if (clock.isAdjustable()) {
            LOG.warning("The platform clock is adjustable (CRM_CLOCK_ADJUSTABLE): for tests and demos only");
        }
        int inDoubt = campaignSender.markInDoubt();
        if (inDoubt > 0) {
            LOG.warning(inDoubt + " campaign mail(s) were being sent when the server stopped: whether they went out is not"
                    + " known; they are marked 'in doubt' on their campaigns and not sent again by themselves");
        }
        int movedOn = sequenceSender.markInDoubt();
        if (movedOn > 0) {
            LOG.warning(movedOn + " sequence mail(s) were being sent when the server stopped: whether they went out is"
                    + " not known; those people moved on to their next step without them being sent again");
        }
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relata-process-timers");
            t.setDaemon(true);
            return t;
        });
        long every = config.timerInterval().toMillis();
        background.scheduleWithFixedDelay(this::runDueWork, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The first load. Whatever stops it is reported as a failure to load the metadata: problems in the files as
     * they are, anything else (a schema change the database refuses, a loader failure, even a
     * {@link StackOverflowError}) wrapped, so that the start ends with one message and exit status 2.
     */
    static void loadAtStart(MetadataRuntime metadata) throws MetadataException {
        loadAtStart(metadata, new StartPhases());
    }

    private static void loadAtStart(MetadataRuntime metadata, StartPhases phases) throws MetadataException {
        try {
            metadata.load(MetadataRevision.Trigger.STARTUP, phases);
        } catch (MetadataException e) {
            throw e;
        } catch (SchemaConflictException e) {
            throw new MetadataException(e.problems()); // listed like problems in the files: they are at keys
        } catch (RuntimeException | StackOverflowError e) {
            throw new MetadataLoadFailedException("The metadata could not be loaded: " + e, e);
        }
    }

    /**
     * Fires due timers, then delivers the outbox (mails the timers queued go out in the same round). Never
     * throws: the scheduler would stop for good.
     */
    public synchronized void runDueWork() {
        try {
            timers.fireDue();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Process timers could not run; retrying in the next round", e);
        }
        try {
            reminders.sendDue();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reminders could not be sent; retrying in the next round", e);
        }
        try {
            outbox.deliver();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The outbox could not be delivered; retrying in the next round", e);
        }
        try {
            campaignSender.sendDue();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Campaign mails could not be sent; retrying in the next round", e);
        }
        try {
            sequenceSender.sendDue();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sequence mails could not be sent; retrying in the next round", e);
        }
        if (campaignMailbox.enabled()) {
            campaignMailRounds.runIfDue(() -> {
                io.relata.runtime.marketing.CampaignMailbox.Read read = campaignMailbox.poll();
                return read.hardBounces() + read.softBounces() + read.replies() == 0 ? null : "Campaign mailbox: "
                        + read.hardBounces() + " hard and " + read.softBounces() + " soft bounce(s), " + read.replies()
                        + " repl(ies) filed";
            });
        }
        if (mailCapture.enabled()) {
            captureRounds.runIfDue(() -> {
                io.relata.runtime.mail.MailCapture.PollResult read = mailCapture.poll();
                return read.filed() + read.unmatched() == 0 ? null : "Mail capture: " + read.filed() + " mail(s) filed, "
                        + read.unmatched() + " waiting for review, " + read.ignored() + " of nobody left alone";
            });
        }
        if (java.time.Duration.between(forecastChecked, clock.instant()).toHours() >= 1) {
            forecastChecked = clock.instant();
            try {
                int kept = forecast.snapshotIfDue(securedRecordsOf(io.relata.api.security.Actor.SYSTEM));
                if (kept > 0) {
                    LOG.info(() -> "Kept this week's forecast: " + kept + " figures");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The forecast of this week could not be kept; trying again in an hour", e);
            }
        }
        if (java.time.Duration.between(consentsChecked, clock.instant()).toHours() >= 1) {
            consentsChecked = clock.instant();
            try {
                int expired = consents.expireUnconfirmed();
                if (expired > 0) {
                    LOG.info(() -> expired + " consent(s) not confirmed within "
                            + io.relata.runtime.marketing.Consents.CONFIRM_WITHIN.toDays() + " days: expired");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Unconfirmed consents could not be expired; trying again in an hour", e);
            }
        }
        if (java.time.Duration.between(filesSwept, clock.instant()).toHours() >= 1) {
            filesSwept = clock.instant();
            try {
                int removed = recordFiles.sweep();
                if (removed > 0) {
                    LOG.info(() -> "Removed " + removed + " file(s) of deleted records from the files directory");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The files directory could not be swept; trying again in an hour", e);
            }
        }
    }

    private static MailSettings mailSettings(CrmConfig config) {
        CrmConfig.Smtp smtp = config.smtp();
        return new MailSettings(smtp.host(), smtp.port(), smtp.from(), smtp.user(), smtp.password(), smtp.startTls(),
                MailSettings.DEFAULT_TIMEOUT);
    }

    private static String nodeName() {
        try {
            return InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
        } catch (java.io.IOException e) {
            return "node:" + ProcessHandle.current().pid();
        }
    }

    /** The demo records of each plugin layer ({@code demo/}), once per plugin, when demo data is on. */
    private void seedPluginDemos(List<PluginLayer> layers) {
        if (!config.demoData() || systemRecords == null) {
            return;
        }
        for (PluginLayer layer : layers) {
            try {
                new DemoData(database, systemRecords, users, caseHistories, layer.directory().resolve("demo"),
                        PlatformSetting.DEMO_DATA_SEEDED + "." + layer.pluginId()).seedOnce();
            } catch (RuntimeException | java.io.IOException e) {
                // a plugin's demo records are a nicety: the plugin and the platform work without them
                LOG.log(Level.WARNING, "The demo records of the plugin " + layer.pluginId() + " were not seeded", e);
            }
        }
    }

    private static List<Path> layerDirectories(List<PluginLayer> layers) {
        return layers.stream().map(PluginLayer::directory).toList();
    }

    @PreDestroy
    synchronized void stop() {
        if (background != null) {
            background.shutdownNow();
            background = null;
        }
        if (plugins != null) {
            plugins.close();
            plugins = null;
        }
        if (pluginCalls != null) {
            pluginCalls.close();
            pluginCalls = null;
        }
        if (rules != null) {
            rules.close();
            rules = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /**
     * Runs each entity's rules once on an empty record, so that the first page or save does not pay for parsing
     * and compiling them (seconds on a cold engine): in the background from the metadata load on, never for
     * readiness. A rule that
     * fails on an empty record has still been compiled; its failure is not reported here (the rule checks do).
     */
    private void warmUpRules() {
        long started = System.nanoTime();
        RuleEngine engine = rules;
        if (engine == null) {
            return;
        }
        for (var entity : model().entities().values()) {
            if (entity.rules().isEmpty()) {
                continue;
            }
            Map<String, Object> empty = new java.util.HashMap<>();
            entity.fields().forEach(field -> empty.put(field.name(), null));
            try {
                engine.evaluate(new io.relata.api.rules.RuleInput(entity, java.util.Collections.unmodifiableMap(empty), null,
                        Actor.SYSTEM, io.relata.api.rules.RuleInput.RecordLookup.NONE));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Warm-up of the rules of " + entity.name(), e);
            }
        }
        LOG.info(() -> "Rules compiled in the background in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /** How long the steps of the start took (one log line). */
    public String startPhases() {
        return String.valueOf(startPhases);
    }

    public CrmConfig config() {
        return config;
    }

    /**
     * What the user {@code username} could do and see if {@code draft} were in force (the designer's "what would this
     * user see"); empty if no such user exists.
     */
    public java.util.Optional<List<AccessPreview.EntityAccess>> accessPreview(MetadataModel draft, String username) {
        return users.actor(username).map(actor -> AccessPreview.of(draft, metadata.model(), actor, systemRecords, audit));
    }

    /** The designer's way to production: drafts, check, publish, revisions and roll-back of the site layer. */
    public MetadataPublisher publisher() {
        return publisher;
    }

    public MetadataRuntime metadata() {
        return metadata;
    }

    public MetadataModel model() {
        return metadata.model();
    }

    /** The record store as the logged-in user of the current request may use it. */
    public RecordStore records() {
        return records;
    }

    /** The same store with its form helpers (live rule evaluation). */
    public SecuredRecordStore securedRecords() {
        return records;
    }

    /** Records as {@code actor} may read them, for plugin panels (which render outside the request's thread). */
    public io.relata.api.plugin.RecordReader recordsReadBy(io.relata.api.security.Actor actor) {
        return new io.relata.store.SecuredRecordReader(systemRecords, metadata::model, actor);
    }

    /** The unrestricted store for platform work (start-up, demo data); never for a user's request. */
    public JdbcRecordStore systemRecords() {
        return systemRecords;
    }

    public PlatformClock clock() {
        return clock;
    }

    /** The process runtime (the store's write hook). */
    public ProcessEngine processes() {
        return processes;
    }

    /** Where records stand in their processes; moves and history. */
    public ProcessCases processCases() {
        return processCases;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** Process figures for the logged-in user of the current request: over the records they may read. */
    public ProcessKpis kpis() {
        return kpis;
    }

    /** Guided dialogs for the logged-in user of the current request. */
    public DialogRunner dialogs() {
        return new DialogRunner(records, systemRecords.transactions(), metadata::model, rules, clock);
    }

    public UserDirectory users() {
        return users;
    }

    public AuditLog audit() {
        return audit;
    }

    /** The secret tokens of users' calendar feeds. */
    public io.relata.runtime.customer.CalendarFeeds calendarFeeds() {
        return calendarFeeds;
    }

    /** The public booking page's offers and bookings. */
    public io.relata.runtime.customer.Bookings bookings() {
        return bookings;
    }

    /** The customer lifecycle: its moves, written with every change, and its report. */
    public io.relata.runtime.customer.LifecycleReport lifecycle() {
        return lifecycle;
    }

    /** Converting qualified leads into account, contact and opportunity. */
    public io.relata.runtime.customer.LeadConversion leadConversion() {
        return leadConversion;
    }

    /** Quotes as PDF, sent by e-mail, and their new versions. */
    public io.relata.runtime.orders.Quotes quotes() {
        return quotes;
    }

    /** The sales forecast and its weekly snapshots. */
    public io.relata.runtime.orders.Forecast forecast() {
        return forecast;
    }

    /** Dashboards and the figures of their widgets. */
    public io.relata.runtime.dashboard.Dashboards dashboards() {
        return dashboards;
    }

    /** Preparing a campaign: its members from the target group, queued or skipped with the reason. */
    public io.relata.runtime.marketing.CampaignAudience campaignAudience() {
        return campaignAudience;
    }

    /** A campaign's mail as one person reads it: what is sent and what is previewed. */
    public io.relata.runtime.marketing.CampaignMail campaignMail() {
        return campaignMail;
    }

    /** The links of campaign mails that count clicks. */
    public io.relata.runtime.marketing.CampaignLinks campaignLinks() {
        return campaignLinks;
    }

    /** The campaigns' public sign-up forms. */
    public io.relata.runtime.marketing.LeadCapture leadCapture() {
        return leadCapture;
    }

    /** Sending prepared campaigns at their rate; start, pause, cancel, settling mails in doubt. */
    public io.relata.runtime.marketing.CampaignSender campaignSender() {
        return campaignSender;
    }

    public io.relata.runtime.marketing.SequenceSender sequenceSender() {
        return sequenceSender;
    }

    /** Consents per person and purpose, their double opt-in and unsubscribe links. */
    public io.relata.runtime.marketing.Consents consents() {
        return consents;
    }

    /** The dashboards users pinned. */
    public io.relata.runtime.dashboard.DashboardPins dashboardPins() {
        return dashboardPins;
    }

    /**
     * Whom dashboard figures are for: {@code actor}'s own record store and process figures (their rows, their fields),
     * their rights, and keys named in their language (users and teams by name).
     */
    public io.relata.runtime.dashboard.Dashboards.Viewer dashboardViewer(Actor actor) {
        SecuredRecordStore store = securedRecordsOf(actor);
        java.util.Map<Long, String> teams = new java.util.HashMap<>();
        return new io.relata.runtime.dashboard.Dashboards.Viewer(store,
                new ProcessKpis(database.dataSource(), clock, store::readScope), access(actor),
                new io.relata.runtime.dashboard.KeyLabels(actor.language(),
                        id -> users.user(id).map(io.relata.identity.UserAccount::getDisplayName).orElse(null),
                        id -> {
                            if (teams.isEmpty()) {
                                users.teams().forEach(team -> teams.put(team.getId(), team.getName()));
                            }
                            return teams.get(id);
                        }));
    }

    /** Renewing contracts. */
    public io.relata.runtime.orders.Contracts contracts() {
        return contracts;
    }

    /** Visit reports written after customer appointments. */
    public io.relata.runtime.customer.VisitReports visitReports() {
        return visitReports;
    }

    /** Contacts as vCard 4, for address books. */
    public io.relata.runtime.customer.ContactCards contactCards() {
        return contactCards;
    }

    /** Users' activities as iCalendar, for the calendar feed and CalDAV. */
    public io.relata.runtime.customer.ActivityCalendar activityCalendar() {
        return activityCalendar;
    }

    /** E-mail to the customer record (the users' capture addresses, the review list). */
    public io.relata.runtime.mail.MailCapture mailCapture() {
        return mailCapture;
    }

    /** Files of records (files panel, file fields). */
    public io.relata.runtime.files.RecordFiles recordFiles() {
        return recordFiles;
    }

    /** The users' calendars as CalDAV collections. */
    public io.relata.runtime.customer.CalendarCollection calendarCollection() {
        return calendarCollection;
    }

    /**
     * The secured store of {@code actor} rather than of the request's user: for requests that stand for a user without
     * their login (a calendar app with the user's feed token). Audited as theirs.
     */
    public SecuredRecordStore securedRecordsOf(io.relata.api.security.Actor actor) {
        return new SecuredRecordStore(systemRecords, metadata::model, () -> actor, audit);
    }

    /** Activities logged in one step from a customer's page. */
    public io.relata.runtime.customer.QuickCapture quickCapture() {
        return quickCapture;
    }

    /** Users' to-dos ("My work"), read and changed through their own store. */
    public io.relata.runtime.customer.Todos todos() {
        return todos;
    }

    /** The customer views (360°) of records, read for a viewer through their own store. */
    public io.relata.runtime.customer.CustomerViews customerViews() {
        return customerViews;
    }

    /** What {@code actor} may do under the model in force. */
    public AccessPolicy access(Actor actor) {
        return new AccessPolicy(model(), actor);
    }

    /** The logged-in user of the current request. */
    public Actor currentActor() {
        return currentActor.actor();
    }

    /** The integrations of the enabled plugins, each call recorded. */
    public io.relata.plugins.IntegrationCalls integrations() {
        return integrations;
    }

    /** Installed plugins: install, upgrade, enable, disable, remove; their extensions. */
    public PluginEngine plugins() {
        return plugins;
    }

    public Database database() {
        return database;
    }

    public boolean isStarted() {
        return records != null;
    }

    /** When a mailbox was last read, and whether reading it failed (said once, not every round while it is away). */
    private final class MailboxRounds {

        interface Round {
            /** Reads the mailbox; what it did, to log, or null if nothing. */
            String read() throws jakarta.mail.MessagingException;
        }

        private final String name;
        private final java.util.function.Supplier<String> where;
        private java.time.Instant polled = java.time.Instant.EPOCH;
        private boolean failing;

        MailboxRounds(String name, java.util.function.Supplier<String> where) {
            this.name = name;
            this.where = where;
        }

        void runIfDue(Round round) {
            if (java.time.Duration.between(polled, clock.instant()).minus(config.mailCaptureInterval()).isNegative()) {
                return;
            }
            polled = clock.instant();
            try {
                String done = round.read();
                if (done != null) {
                    LOG.info(done);
                }
                failing = false;
            } catch (jakarta.mail.MessagingException | RuntimeException e) {
                LOG.log(failing ? Level.FINE : Level.WARNING, name + " " + where.get() + " could not be read ("
                        + e.getMessage() + "); trying again every " + config.mailCaptureInterval().toSeconds() + " s");
                failing = true;
            }
        }
    }
}

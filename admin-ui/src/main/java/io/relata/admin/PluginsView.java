package io.relata.admin;

import io.relata.plugins.PluginEngine;
import io.relata.plugins.PluginLedger;
import io.relata.plugins.PluginManifest;
import io.relata.plugins.PluginRefusedException;
import io.relata.runtime.Platform;
import io.relata.runtime.RequestActor;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.MessageFormat;
import java.util.List;
import org.primefaces.model.file.UploadedFile;

/**
 * The admin page of the plugins: upload a jar (a new plugin is installed, a newer version of an installed one
 * upgrades it), enable, disable, uninstall; what each provides, its metadata files, who installed which jar when,
 * and its history. A refused change lists every reason and changes nothing.
 */
@Named
@RequestScoped
public class PluginsView {

    @Inject
    Platform platform;

    @Inject
    PluginEngine engine;

    @Inject
    AdminTexts ui;

    @Inject
    RequestActor me;

    private UploadedFile upload;
    private List<String> problems = List.of();
    private List<PluginEngine.PluginInfo> plugins;

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    public UploadedFile getUpload() {
        return upload;
    }

    public void setUpload(UploadedFile upload) {
        this.upload = upload;
    }

    /** Installs the uploaded jar, or upgrades the plugin it is a version of. */
    public void installOrUpgrade() {
        AdminGuard.require(platform, me);
        if (upload == null || upload.getSize() == 0) {
            add(FacesMessage.SEVERITY_WARN, ui.message("plugins.noFile"));
            return;
        }
        String fileName = Path.of(upload.getFileName()).getFileName().toString();
        Path received = null;
        try {
            received = Files.createTempFile("relata-plugin-upload-", ".jar");
            try (InputStream in = upload.getInputStream()) {
                Files.copy(in, received, StandardCopyOption.REPLACE_EXISTING);
            }
            String id = PluginManifest.idOf(received, fileName);
            boolean installed = engine.plugins().stream().anyMatch(p -> p.recorded().id().equals(id));
            String actor = me.actor().username();
            PluginEngine.PluginInfo info = installed ? engine.upgrade(received, fileName, actor)
                    : engine.install(received, fileName, actor);
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message(installed ? "plugins.upgraded" : "plugins.installed"),
                    info.recorded().id(), info.recorded().version()));
        } catch (PluginRefusedException e) {
            refused(e);
        } catch (IOException e) {
            refused(new PluginRefusedException(io.relata.api.model.LocalizedText.format(
                    "{0} konnte nicht empfangen werden: {1}", "{0} could not be received: {1}", fileName, e.getMessage())));
        } finally {
            if (received != null) {
                try {
                    Files.deleteIfExists(received);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
            plugins = null;
        }
    }

    public void enable(String id) {
        change(id, "plugins.enabled", () -> engine.enable(id, me.actor().username()));
    }

    public void disable(String id) {
        change(id, "plugins.disabled", () -> engine.disable(id, me.actor().username()));
    }

    public void uninstall(String id) {
        change(id, "plugins.uninstalled", () -> {
            engine.uninstall(id, me.actor().username());
            return null;
        });
    }

    @FunctionalInterface
    private interface Change {
        Object run() throws PluginRefusedException;
    }

    private void change(String id, String done, Change change) {
        AdminGuard.require(platform, me);
        try {
            change.run();
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message(done), id));
        } catch (PluginRefusedException e) {
            refused(e);
        }
        plugins = null;
    }

    private void refused(PluginRefusedException e) {
        problems = e.problems().stream().map(ui::text).toList();
        add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("plugins.refused"), e.problems().size()));
    }

    public List<PluginEngine.PluginInfo> getPlugins() {
        if (plugins == null) {
            plugins = engine.plugins();
        }
        return plugins;
    }

    /** The reasons of the last refusal, one per line (file:line:col for metadata). */
    public List<String> getProblems() {
        return problems;
    }

    public List<PluginLedger.Event> getHistory() {
        return engine.history(null, 30);
    }

    public String state(PluginEngine.PluginInfo plugin) {
        return ui.message("plugins.state." + plugin.state().name());
    }

    public String problem(PluginEngine.PluginInfo plugin) {
        return plugin.problem() == null ? "" : ui.text(plugin.problem());
    }

    public String action(PluginLedger.Event event) {
        return ui.message("plugins.action." + event.action().name());
    }

    public String installed(PluginEngine.PluginInfo plugin) {
        PluginLedger.Installed recorded = plugin.recorded();
        String text = MessageFormat.format(ui.message("plugins.installedBy"), recorded.installedBy(),
                ui.timestamp(recorded.installedAt()));
        return recorded.previousVersion() == null ? text
                : text + " (" + MessageFormat.format(ui.message("plugins.replaced"), recorded.previousVersion()) + ")";
    }

    public String time(java.time.OffsetDateTime time) {
        return ui.timestamp(time);
    }

    private static void add(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }
}

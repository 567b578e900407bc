package io.relata.web.runtime;

import io.relata.metadata.MetadataException;
import io.relata.runtime.InvalidSettingException;
import io.relata.runtime.MetadataLoadFailedException;
import io.relata.runtime.Platform;
import io.relata.runtime.StartFailure;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the platform when the application is deployed. Invalid settings or metadata stop the start: the
 * problems are logged as one list and, when run by the run command ({@code crm.exit.on.startup.failure=true}),
 * the process exits with the status of {@link StartFailure}.
 */
@WebListener
public class PlatformStartup implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(PlatformStartup.class.getName());
    private static final String STARTS_PROPERTY = "relata.crm.starts";

    @Inject
    Platform platform;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        long started = System.nanoTime();
        String bundled = event.getServletContext().getRealPath("/WEB-INF/metadata");
        warnIfStartedBefore();
        try {
            platform.start(Path.of(bundled));
            int port = platform.config().httpPort();
            LOG.info(() -> String.format("Relata CRM started in %d ms (%s). Open http://localhost:%d/",
                    (System.nanoTime() - started) / 1_000_000, platform.startPhases(), port));
            Warmup.startInBackground(port);
        } catch (InvalidSettingException e) {
            LOG.severe("The CRM does not start because of invalid settings (see README.md, 'Configuration'):\n"
                    + e.getMessage());
            exitIfConfigured(StartFailure.exitStatus(e));
            throw new IllegalStateException("Invalid settings: " + e.getMessage(), e);
        } catch (MetadataException e) {
            LOG.severe("The CRM does not start because the metadata is invalid.\n" + e.getMessage());
            exitIfConfigured(StartFailure.exitStatus(e));
            throw new IllegalStateException("Invalid metadata: " + e.problems().size() + " problem(s), see the log", e);
        } catch (MetadataLoadFailedException e) {
            LOG.log(Level.SEVERE, "The CRM does not start because the metadata could not be loaded.\n" + e.getMessage(), e);
            exitIfConfigured(StartFailure.exitStatus(e));
            throw new IllegalStateException("Metadata not loaded: " + e.getMessage(), e);
        } catch (Exception | Error e) {
            LOG.log(Level.SEVERE, "The CRM could not start: " + e.getMessage(), e);
            exitIfConfigured(StartFailure.exitStatus(e));
            throw new IllegalStateException("Start failed: " + e.getMessage(), e);
        }
    }

    /**
     * Payara Micro starts the applications kept in its --rootdir again before --deploy deploys the war once more:
     * the CRM then started twice, and the second instance, the one that serves, ran the rules interpreted (the
     * first had taken the Graal compiler). platform/run.sh starts with an empty --rootdir; other launchers are
     * told here. Counted in a system property: each deployment has its own class loader.
     */
    private static void warnIfStartedBefore() {
        Object starts = System.getProperties().merge(STARTS_PROPERTY, "1",
                (before, one) -> Integer.toString(Integer.parseInt(before.toString()) + 1));
        if (!"1".equals(starts)) {
            LOG.warning(() -> "The CRM is initialised for the " + starts + ". time in this Java process (a redeployment):"
                    + " start Payara Micro with an empty --rootdir, as platform/run.sh does, so that it deploys the CRM once;"
                    + " JavaScript rules may run interpreted in this instance");
        }
    }

    private static void exitIfConfigured(int status) {
        if (StartFailure.exitRequested()) {
            System.err.println("Relata CRM stopped (exit status " + status + "), see the messages above.");
            Runtime.getRuntime().halt(status);
        }
    }
}

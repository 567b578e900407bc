package io.relata.bench.designer;

import io.relata.api.model.MetadataModel;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLimits;
import io.relata.metadata.MetadataLoader;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import io.relata.runtime.Database;
import io.relata.runtime.MetadataRevision;
import io.relata.runtime.MetadataRuntime;
import io.relata.runtime.SiteLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The designer's latencies on the shipped core metadata (issue 14): the preview it loads after every edit (the
 * draft's model, structure checked, no rule run) against the baseline of loading the same files with the same
 * loader directly, and the Check before a publish (the full load with the schema plan; rule checks remembered from
 * the first run, as on a running server). Each edit relabels a field, so no two previews see the same text.
 * {@code bench/run.sh -- DesignerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DesignerBenchmark {

    private Path work;
    private Database database;
    private RuleEngine rules;
    private MetadataRuntime runtime;
    private SiteLayer site;
    private List<MetadataFile> coreFiles;
    private final MetadataLoader structureLoader = new MetadataLoader(null, MetadataLimits.DEFAULT);
    private long edits;

    @Setup(Level.Trial)
    public void start() throws Exception {
        Path metadata = Path.of(System.getProperty("bench.metadata", "../metadata"));
        work = Files.createTempDirectory("designer-bench");
        site = new SiteLayer(work.resolve("site"));
        Files.createDirectories(site.root());
        database = Database.open("jdbc:h2:mem:designer-bench;DB_CLOSE_DELAY=-1", "sa", "");
        rules = new RuleEngine(RuleLimits.DEFAULT, Clock.systemUTC());
        runtime = new MetadataRuntime(database, rules, metadata, List.of(site.root()),
                () -> List.of(Set.of("administrator")), MetadataLimits.DEFAULT);
        runtime.load(MetadataRevision.Trigger.STARTUP);
        coreFiles = MetadataFiles.fromDirectory(metadata);
    }

    @TearDown(Level.Trial)
    public void stop() {
        rules.close();
        database.close();
    }

    private String overlay() {
        return "extends: account\nchanges:\n  city: {label: {de: Ort " + edits + ", en: Town " + (edits++) + "}}\n";
    }

    /** Baseline: the same files loaded by the loader alone, structure only. */
    @Benchmark
    public MetadataModel loadStructureOnly() throws Exception {
        List<MetadataFile> files = new ArrayList<>(coreFiles);
        files.add(new MetadataFile(site.displayName("extensions/account.yaml"), overlay()));
        return structureLoader.load(files);
    }

    /** What the designer loads after each edit: files read from disk, the draft's file in its place, structure checked. */
    @Benchmark
    public MetadataModel previewWhileEditing() {
        MetadataRuntime.Trial trial = runtime.preview(site, Map.of("extensions/account.yaml", overlay()));
        if (!trial.loads()) {
            throw new IllegalStateException(trial.problems().toString());
        }
        return trial.model();
    }

    /** The Check before a publish: the full load (rule checks remembered) and the schema plan against the database. */
    @Benchmark
    public MetadataRuntime.Trial checkBeforePublish() {
        MetadataRuntime.Trial trial = runtime.trial(site, Map.of("extensions/account.yaml", overlay()));
        if (!trial.loads()) {
            throw new IllegalStateException(trial.problems().toString());
        }
        return trial;
    }
}

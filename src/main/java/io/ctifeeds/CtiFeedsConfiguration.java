package io.ctifeeds;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

import io.ctifeeds.config.SchedulePropertiesFunction;
import io.ctifeeds.feed.DownloadGuard;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.state.SnapshotDelta;
import io.ctifeeds.state.StateStore;
import io.ctifeeds.stix.StixBundleAggregator;
import io.ctifeeds.stix.StixBundleWriter;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.util.concurrent.SynchronousExecutorService;

/**
 * The feed-independent beans the route files call (found by Camel Main's package scan). Feed-specific beans
 * are declared in each feed's route file, next to the route that uses them.
 */
public class CtiFeedsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) {
        SchedulePropertiesFunction schedule = new SchedulePropertiesFunction();
        schedule.setCamelContext(camelContext);
        camelContext.getPropertiesComponent().addPropertiesFunction(schedule);
    }

    @BindToRegistry("stateStore")
    public StateStore stateStore(@PropertyInject("connector.data-path") String dataPath) {
        StateStore store = new StateStore();
        store.setDirectory(Path.of(dataPath, "state").toString());
        return store;
    }

    @BindToRegistry("feedRuns")
    public FeedRuns feedRuns(@PropertyInject("connector.data-path") String dataPath) {
        FeedRuns runs = new FeedRuns();
        runs.setStateStore(stateStore(dataPath));
        return runs;
    }

    @BindToRegistry("snapshotDelta")
    public SnapshotDelta snapshotDelta() {
        return new SnapshotDelta();
    }

    @BindToRegistry("downloadGuard")
    public DownloadGuard downloadGuard(@PropertyInject("connector.data-path") String dataPath) {
        DownloadGuard guard = new DownloadGuard();
        guard.setDirectory(Path.of(dataPath, "downloads").toString());
        return guard;
    }

    @BindToRegistry("stixBundleAggregator")
    public StixBundleAggregator stixBundleAggregator(@PropertyInject("connector.bundle-size") int bundleSize) {
        StixBundleAggregator aggregator = new StixBundleAggregator();
        aggregator.setMaxObjects(bundleSize);
        return aggregator;
    }

    @BindToRegistry("callerRunsExecutor")
    public ExecutorService callerRunsExecutor() {
        return new SynchronousExecutorService();
    }

    @BindToRegistry("stixBundleWriter")
    public StixBundleWriter stixBundleWriter() {
        return new StixBundleWriter();
    }
}

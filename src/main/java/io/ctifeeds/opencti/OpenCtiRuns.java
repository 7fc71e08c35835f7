package io.ctifeeds.opencti;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.RunHook;
import io.ctifeeds.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenCTI's part in each run: skip it while the connector's queue is over the threshold, open a work, and
 * close it with the run's summary (in error when the run failed); then push the new state at once.
 * A platform that does not answer never stops a run: its bundles are dead-lettered and replayed later.
 */
public class OpenCtiRuns implements RunHook {

    private static final Logger LOG = LoggerFactory.getLogger(OpenCtiRuns.class);
    private static final DateTimeFormatter FRIENDLY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final OpenCtiConnector connector;
    private final AmqpPublisher publisher;
    private final StateStore stateStore;
    private String connectorName = "cti-feeds";
    /** API mode: how long a run's end waits for the workers to count its expectations before closing the work. */
    private java.time.Duration workerWait = java.time.Duration.ofSeconds(30);

    /** @param stateStore where the feeds' last successes are read from (every replica's, when it is shared) */
    public OpenCtiRuns(OpenCtiConnector connector, AmqpPublisher publisher, StateStore stateStore) {
        this.connector = connector;
        this.publisher = publisher;
        this.stateStore = stateStore;
    }

    @Override
    public String vetoStart(String feed) {
        try {
            double size = connector.queueSizeMb();
            if (size >= connector.queueThresholdMb()) {
                return String.format("the connector's queue on OpenCTI holds %.1f MB, at or over "
                        + "CONNECTOR_QUEUE_THRESHOLD (%.0f MB); the next trigger checks again",
                        size, connector.queueThresholdMb());
            }
        } catch (OpenCtiException e) {
            LOG.warn("{}: cannot read the queue size from OpenCTI ({}); running anyway", feed, e.getMessage());
        }
        return null;
    }

    @Override
    public void begun(FeedRun run) {
        try {
            PlatformRun.of(run).setWorkId(connector.workAdd(connectorName + " " + run.feed() + " run @ "
                    + FRIENDLY.format(run.started())));
        } catch (OpenCtiException e) {
            LOG.warn("{}: no OpenCTI work for this run ({}); bundles go without one", run.feed(), e.getMessage());
        }
        run.setIdRules(connector.platformVersion().idRules());
    }

    @Override
    public void ending(FeedRun run, String summary) {
        publisher.close(run.id());
        PlatformRun platformRun = PlatformRun.of(run);
        String workId = platformRun.workId();
        if (workId != null) {
            long expected = platformRun.workerExpectations();
            if (expected > 0 && !connector.awaitExpectations(workId, expected, workerWait)) {
                LOG.warn("{}: OpenCTI's workers had not split the pushed bundles within {} s "
                        + "(CONNECTOR_WORKER_WAIT); work {} may show complete before its data is in", run.feed(),
                        workerWait.toSeconds(), workId);
            }
            try {
                connector.workToProcessed(workId, summary, run.failed());
            } catch (OpenCtiException e) {
                LOG.warn("{}: could not close work {} ({})", run.feed(), workId, e.getMessage());
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try {
            connector.recordRun(state(now), OpenCtiConnector.PYCTI_UTC.format(now));
        } catch (RuntimeException e) {
            LOG.warn("cannot read the feeds' state for OpenCTI ({}); the next run sends it", e.getMessage());
        }
        try {
            connector.ping();
        } catch (OpenCtiException e) {
            LOG.warn("could not send the connector state to OpenCTI ({}); the next ping will", e.getMessage());
        }
    }

    /**
     * {"last_run": ..., "feeds": {"ipsum": {"last_success": ...}}}: what the UI shows as the state, from the state
     * store, so that replicas sharing one send the same.
     */
    private String state(Instant now) {
        ObjectNode state = OpenCtiApi.JSON.createObjectNode();
        state.put("last_run", FRIENDLY.format(now));
        ObjectNode feeds = state.putObject("feeds");
        for (String feed : stateStore.feeds()) {
            String lastSuccess = stateStore.loadState(feed).lastSuccess();
            if (lastSuccess != null) {
                feeds.putObject(feed).put("last_success", lastSuccess);
            }
        }
        return state.toString();
    }

    public void setWorkerWait(java.time.Duration workerWait) {
        this.workerWait = workerWait;
    }

    public void setConnectorName(String connectorName) {
        this.connectorName = connectorName;
    }
}

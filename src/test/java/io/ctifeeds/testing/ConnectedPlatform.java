package io.ctifeeds.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ctifeeds.config.Setting;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The OpenCTI side of a test in which the connector talks to a platform, as a JUnit extension
 * ({@code @RegisterExtension}): the fake platform, started on first use (in the default version unless the test
 * {@link #play(String) plays another}), this test's connector id, its push queue on the real broker, and the
 * applications the test starts. All are closed after each test: the applications first, the platform last, because
 * closing it fails the test on an operation it refused.
 */
public final class ConnectedPlatform implements AfterEachCallback {

    private final String connectorId = UUID.randomUUID().toString();
    private FakeOpenCti platform;
    private PushQueue queue;
    private final TestApps apps = new TestApps();

    /** Starts the fake platform playing this version; before any other use of the platform. */
    public FakeOpenCti play(String version) throws Exception {
        if (platform != null) {
            throw new IllegalStateException("the platform is already started");
        }
        platform = FakeOpenCti.start(version);
        return platform;
    }

    public FakeOpenCti platform() throws Exception {
        return platform != null ? platform : play(FakeOpenCti.DEFAULT_VERSION);
    }

    public String connectorId() {
        return connectorId;
    }

    /** The push queue the platform's registration hands this connector, declared on first use. */
    public PushQueue queue() throws Exception {
        if (queue == null) {
            queue = new PushQueue(connectorId);
        }
        return queue;
    }

    /**
     * The settings that connect an application to the platform, and keep a test short: a delivery retried after
     * 10 ms, no dead-letter replay but the start-up one.
     */
    public Map<String, String> settings() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("opencti.url", platform().url());
        settings.put("opencti.token", platform().token());
        settings.put("connector.id", connectorId);
        settings.put("connector.delivery-retry-delay-ms", "10");
        settings.put("connector.dead-letter-replay-period-ms", "3600000");
        return settings;
    }

    /**
     * Starts an application on this data folder connected to the platform: its {@link #settings()}, then these, each
     * map winning over the ones before it.
     */
    @SafeVarargs
    public final TestApp start(Path data, Map<String, String>... settings) throws Exception {
        List<Map<String, String>> all = new ArrayList<>(List.of(settings()));
        all.addAll(List.of(settings));
        return apps.start(data, TestApps.merged(all));
    }

    /** The applications this test starts, stopped before the platform closes (those not connected to it too). */
    public TestApps apps() {
        return apps;
    }

    /** The same settings as a separate process takes them: the official connectors' environment names. */
    public Map<String, String> environment() throws Exception {
        Map<String, String> environment = new HashMap<>();
        settings().forEach((key, value) -> environment.put(Setting.environmentVariable(key), value));
        return environment;
    }

    /** Waits until the connector has registered and its first heartbeat reached the platform. */
    public void awaitFirstPing(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (platform().calls("pingConnector").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no heartbeat reached the platform within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            apps.afterEach(context);
        } finally {
            closePlatform();
        }
    }

    private void closePlatform() throws Exception {
        try {
            if (queue != null) {
                queue.close();
            }
        } finally {
            if (platform != null) {
                platform.close();
            }
        }
    }
}

package io.ctifeeds.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The applications a test starts, stopped after it: a JUnit extension ({@code @RegisterExtension}) of its own, or
 * part of a fixture that must stop them before it closes what they talk to.
 */
public final class TestApps implements AfterEachCallback {

    private final List<TestApp> apps = new ArrayList<>();

    /** Starts an application on this data folder with these settings, each map winning over the ones before it. */
    @SafeVarargs
    public final TestApp start(Path data, Map<String, String>... settings) throws Exception {
        return add(new TestApp(data, merged(settings))).start();
    }

    /** An application to stop after the test (one the test configures further before it starts it). */
    public TestApp add(TestApp app) {
        apps.add(app);
        return app;
    }

    @SafeVarargs
    public static Map<String, String> merged(Map<String, String>... settings) {
        return merged(List.of(settings));
    }

    public static Map<String, String> merged(List<Map<String, String>> settings) {
        Map<String, String> all = new HashMap<>();
        settings.forEach(all::putAll);
        return all;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (TestApp app : apps) {
            try {
                app.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

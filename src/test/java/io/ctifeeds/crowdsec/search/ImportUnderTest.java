package io.ctifeeds.crowdsec.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestApps;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The CrowdSec import as its tests run it, a JUnit extension ({@code @RegisterExtension}): a local CTI API serving
 * the fixtures' five search items until a test serves others, and the applications started with the import pointed
 * at it (pages of three unless a test says otherwise) and IPsum off. All are stopped after each test.
 */
final class ImportUnderTest implements AfterEachCallback {

    static final String KEY = "cti-test-key-0123456789";
    static final String FEED = "crowdsec-import";

    private final CtiApiServer api;
    private final TestApps apps = new TestApps();

    ImportUnderTest() {
        try {
            api = new CtiApiServer(KEY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        api.serve(CtiApiServer.fixtureItems());
    }

    CtiApiServer api() {
        return api;
    }

    /** The import on, against this API, with its key; IPsum off. */
    Map<String, String> settings() {
        return Map.of("crowdsec.key", KEY, "crowdsec.api-base-url", api.url(), "crowdsec.import-page-size", "3",
                "connector.ipsum.enabled", "false");
    }

    /** Starts an application on this data folder; the overrides win over the import's settings. */
    TestApp start(Path data, Map<String, String> overrides) throws Exception {
        return apps.start(data, settings(), overrides);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            apps.afterEach(context);
        } finally {
            api.close();
        }
    }
}

package io.ctifeeds.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake CrowdSec API refuses what the real one refuses, with the real one's statuses, and never throws. */
class CtiApiServerTest {

    private static final String KEY = "cti-test-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CtiApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = new CtiApiServer(KEY).serve(CtiApiServer.fixtureItems());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> get(String pathAndQuery, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url().replace("/v2", "") + pathAndQuery));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGoodSearchIsAnswered() throws Exception {
        HttpResponse<String> page = get("/v2/smoke/search?query=a&since=24h&page=1&limit=2", KEY);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("\"next\""), page.body());
    }

    @Test
    void badParametersAre400s() throws Exception {
        api.quota(100);
        for (String query : new String[] {"limit=0", "limit=1001", "limit=-5", "limit=ten", "page=0", "page=x",
                "page=99999999999", "since=24", "since=h", "since=24w", "since=24h%20OR%201"}) {
            HttpResponse<String> answer = get("/v2/smoke/search?query=a&" + query, KEY);
            assertEquals(400, answer.statusCode(), query + ": " + answer.body());
            assertTrue(answer.body().startsWith("{\"message\""), query + ": " + answer.body());
        }
        assertEquals(100, api.quotaLeft(), "a refused request costs nothing");
    }

    @Test
    void keysAndPathsAreCheckedAsTheApiDoes() throws Exception {
        assertEquals(401, get("/v2/smoke/search?query=a", null).statusCode(), "no key");
        assertEquals(403, get("/v2/smoke/search?query=a", "wrong").statusCode(), "wrong key");
        assertEquals(404, get("/v3/smoke/search?query=a", KEY).statusCode(), "outside /v2");
        assertEquals(404, get("/smoke/search?query=a", KEY).statusCode(), "outside /v2");
    }

    @Test
    void itsThrottle429sCarryNoRetryAfter() throws Exception {
        api.maxPerSecond(1);
        HttpResponse<String> last = null;
        for (int i = 0; i < 5 && (last == null || last.statusCode() != 429); i++) {
            last = get("/v2/smoke/search?query=a", KEY);
        }
        assertEquals(429, last.statusCode());
        assertTrue(last.headers().firstValue("Retry-After").isEmpty(), "the API documents no Retry-After");
    }
}

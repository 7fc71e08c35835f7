package io.ctifeeds.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container's HEALTHCHECK: GET http://127.0.0.1:$CAMEL_SERVER_PORT/observe/health (or the path given as
 * argument) and exit 0 when it answers 200, 1 otherwise. The answer is printed, so that
 * {@code docker inspect} shows which check is DOWN and why. A JRE image has no curl to rely on.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("CAMEL_SERVER_PORT", "8080");
        String path = args.length > 0 ? args[0] : "/observe/health";
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        int status;
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            System.out.println(answer.statusCode() + " " + answer.body());
            status = answer.statusCode() == 200 ? 0 : 1;
        } catch (java.io.IOException e) {
            System.out.println(uri + ": " + e);
            status = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        System.exit(status);
    }
}

package io.ctifeeds.opencti;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.display.DisplayUrl;
import io.ctifeeds.display.LogText;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;

/**
 * POSTs GraphQL operations to {@code {OPENCTI_URL}/graphql} through camel-http (its timeouts and TLS
 * settings), with the token as a Bearer header and the optional custom headers, and turns every kind of bad
 * answer into one {@link OpenCtiException} line: HTTP errors, HTML instead of JSON, a GraphQL errors member.
 */
public class OpenCtiApi implements CamelContextAware {

    static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP answers that say the request itself is refused: the same request gets them again. */
    private static final java.util.Set<Integer> REFUSED_STATUS = java.util.Set.of(400, 413, 422);
    /**
     * GraphQL error codes that refuse the request itself (Apollo's validation and input codes, the platform's
     * business refusals of errors.js), not the platform's state: no retry can change them.
     */
    private static final java.util.Set<String> REFUSED_CODES = java.util.Set.of("GRAPHQL_VALIDATION_FAILED",
            "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT", "BAD_REQUEST", "FUNCTIONAL_ERROR", "UNSUPPORTED_ERROR",
            "VALIDATION_ERROR");
    /** The most characters of the platform's own words in a message. */
    private static final int SAID = 300;
    /** OpenCTI 7 looks a bearer token up only for a user whose role has this capability (user.js:2063-2070). */
    static final String USE_TOKEN_HINT = "; on OpenCTI 7 the token's user also needs the capability "
            + "APIACCESS_USETOKEN in one of its roles";

    private CamelContext camelContext;
    private ProducerTemplate template;
    private String url = "";
    private String token = "";
    private boolean sslVerify = true;
    private Map<String, String> customHeaders = Map.of();

    /** @return the data member of the answer */
    public JsonNode execute(String query, ObjectNode variables) {
        ObjectNode request = JSON.createObjectNode();
        request.put("query", query);
        request.set("variables", variables == null ? JSON.createObjectNode() : variables);
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Exchange answer = template().send(endpointUri(), exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setHeader("Accept", "application/json");
            exchange.getMessage().setHeader("User-Agent", "cti-feeds (pycti-compatible)");
            customHeaders.forEach(exchange.getMessage()::setHeader);
            exchange.getMessage().setHeader("Authorization", "Bearer " + token);
        });
        if (answer.getException() != null) {
            Throwable e = answer.getException();
            throw new OpenCtiException("OpenCTI at " + url() + " is unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + said(DisplayUrl.inText(e.getMessage()))), false, e);
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = answer.getMessage().getBody(String.class);
        return interpret(status, text == null ? "" : text);
    }

    /** The platform's version: pycti's health check query, also the first call of a registration. */
    public String version() {
        return execute(GraphQlOperations.ABOUT, null).path("about").path("version").asText("");
    }

    JsonNode interpret(int status, String text) {
        String start = text.stripLeading().toLowerCase(Locale.ROOT);
        if (status == 401 || status == 403) {
            throw new OpenCtiException("OpenCTI at " + url() + " refused the token (HTTP " + status
                    + "): check OPENCTI_TOKEN" + USE_TOKEN_HINT, true);
        }
        if (start.startsWith("<")) {
            throw new OpenCtiException("OpenCTI at " + url() + " answered an HTML page (HTTP " + status
                    + ") instead of JSON: check OPENCTI_URL points at the platform, not a proxy or login page",
                    status < 500);
        }
        if (REFUSED_STATUS.contains(status)) {
            // Apollo's answer to an operation or input it refuses, or a proxy's to a body too large
            throw new PlatformRefusal("OpenCTI at " + url() + " refused the request (HTTP " + status + ")"
                    + start(text));
        }
        if (status != 200) {
            throw new OpenCtiException("OpenCTI at " + url() + " answered HTTP " + status + start(text), false);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OpenCtiException("OpenCTI at " + url() + " answered something that is not JSON" + start(text),
                    false);
        }
        JsonNode errors = answer.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode first = errors.get(0);
            String code = first.path("extensions").path("code").asText("");
            String message = said(first.path("message").asText("unknown error"));
            boolean auth = code.equals("AUTH_REQUIRED") || code.equals("FORBIDDEN_ACCESS")
                    || code.equals("UNAUTHENTICATED");
            if (auth) {
                throw new OpenCtiException("OpenCTI at " + url() + " refused the request (" + message
                        + "): check OPENCTI_TOKEN and that its user has the connector capability"
                        + USE_TOKEN_HINT, true);
            }
            String line = "OpenCTI GraphQL error: " + message + (code.isEmpty() ? "" : " (" + said(code) + ")");
            if (REFUSED_CODES.contains(code)) {
                throw new PlatformRefusal(line);
            }
            throw new OpenCtiException(line, false);
        }
        return answer.path("data");
    }

    /** The beginning of an answer that is not what was asked, on one line. */
    private static String start(String text) {
        String line = said(text);
        return line.isEmpty() ? "" : ": " + line;
    }

    /** What the platform said, made fit for a line of ours: it may hold line breaks, escapes, megabytes. */
    static String said(String text) {
        return LogText.oneLine(text, SAID);
    }

    private String endpointUri() {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String uri = base + "/graphql?throwExceptionOnFailure=false";
        if (!sslVerify) {
            uri += "&sslContextParameters=#openctiTrustAll&x509HostnameVerifier=#openctiNoHostnameCheck";
        }
        return uri;
    }

    private ProducerTemplate template() {
        if (template == null) {
            template = camelContext.createProducerTemplate();
        }
        return template;
    }

    /** pycti's OPENCTI_CUSTOM_HEADERS format: {@code "h1:v1;h2:v2"}, split on ';', then on the first ':'. */
    static Map<String, String> parseHeaders(String spec) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return headers;
        }
        for (String pair : spec.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("expected name:value pairs separated by ';'");
            }
            headers.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
        }
        return headers;
    }

    /**
     * OPENCTI_SSL_VERIFY=false: the user chose to trust any certificate and host name of their platform (a
     * self-signed lab install); binds what {@link #setSslVerify(boolean) setSslVerify(false)} refers to.
     */
    public static void bindTrustAll(Registry registry) {
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setTrustManager(new TrustingEveryone());
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        registry.bind("openctiTrustAll", ssl);
        registry.bind("openctiNoHostnameCheck", NoopHostnameVerifier.INSTANCE);
    }

    public boolean isConfigured() {
        return url != null && !url.isBlank();
    }

    /** The platform's URL as log lines show it: without user-info nor query string. */
    public String url() {
        return url.isEmpty() ? url : DisplayUrl.of(url);
    }

    public void setUrl(String url) {
        this.url = url == null ? "" : url.trim();
    }

    public void setToken(String token) {
        this.token = token == null ? "" : token.trim();
    }

    public void setSslVerify(boolean sslVerify) {
        this.sslVerify = sslVerify;
    }

    public void setCustomHeaders(String spec) {
        this.customHeaders = parseHeaders(spec);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}

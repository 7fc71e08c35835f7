package io.ctifeeds.crowdsec.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one HTTP answer of the CrowdSec CTI API means (seed-connectors §3.2, §3.5), for the search pages and the
 * single-IP lookups alike. CrowdSec tells its two 429s apart by the body only: "Too Many Requests" is a burst
 * throttle (wait, then go on), "Limit Exceeded" is the quota spent (stop until it resets).
 */
public sealed interface CtiAnswer {

    /** The longest wait a Retry-After may impose on one retry; a longer one is not a burst throttle. */
    Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

    /** 200 with a JSON body. */
    record Json(JsonNode body) implements CtiAnswer {
    }

    /** 404 on smoke/{ip}: CrowdSec knows nothing of the IP. */
    record NotFound() implements CtiAnswer {
    }

    /** 429 "Limit Exceeded": the key's quota is spent. */
    record QuotaSpent() implements CtiAnswer {
    }

    /**
     * Classifies an answer; throws for the ones that are not data.
     *
     * @param what       what was asked, for messages ("smoke/search page 3", "smoke/192.0.2.1")
     * @param notFoundOk true where a 404 means "unknown IP" rather than a wrong URL
     * @param retryAfter receives the delay a throttled answer asked for, in ms (or -1 for none)
     * @throws CtiUnavailableException for answers that may pass: retry them
     * @throws CtiApiException         for answers that will not: stop
     */
    static CtiAnswer classify(int status, byte[] body, String retryAfterHeader, String what, boolean notFoundOk,
                              Instant now, java.util.function.LongConsumer retryAfter, ObjectMapper json)
            throws CtiUnavailableException {
        retryAfter.accept(-1);
        if (status == 200) {
            try {
                return new Json(json.readTree(body));
            } catch (java.io.IOException e) {
                throw new CtiApiException("CrowdSec answered " + what + " with a body that is not valid JSON ("
                        + body.length + " bytes; cut off on the way?)");
            }
        }
        // only an error's body is read for its message: a page is parsed once, above
        String message = message(body, json);
        if (status == 429) {
            if (isQuotaSpent(message)) {
                return new QuotaSpent();
            }
            long delay = retryAfterMillis(retryAfterHeader, now);
            retryAfter.accept(delay);
            throw new CtiUnavailableException("CrowdSec throttled " + what + " (HTTP 429 " + quote(message, "Too Many "
                    + "Requests") + ")" + (delay >= 0 ? "; it asked to wait " + delay / 1000 + " s" : ""));
        }
        if (status == 404 && notFoundOk) {
            return new NotFound();
        }
        if (status >= 500 || status == 408) {
            throw new CtiUnavailableException("CrowdSec failed on " + what + " (HTTP " + status
                    + quote(message, "") + ")");
        }
        boolean search = what.startsWith("smoke/search");
        throw new CtiApiException(switch (status) {
            case 401, 403 -> "CrowdSec refused the API key on " + what + " (HTTP " + status + quote(message, "")
                    + "): check CROWDSEC_KEY" + (search ? "; a valid key may also lack this endpoint, as the "
                    + "CrowdSec docs put smoke/search behind an advanced CTI plan" : "");
            case 400 -> "CrowdSec refused the request for " + what + " (HTTP 400" + quote(message, "")
                    + (search ? "): check CROWDSEC_IMPORT_QUERY (Lucene syntax) and CROWDSEC_IMPORT_QUERY_SINCE"
                    : "): check CROWDSEC_API_BASE_URL");
            case 404 -> "CrowdSec has no " + what + " (HTTP 404): check CROWDSEC_API_BASE_URL";
            default -> "CrowdSec answered " + what + " with HTTP " + status + quote(message, "");
        });
    }

    /** A 429 body that says the quota is spent, not a burst throttle. */
    static boolean isQuotaSpent(byte[] body, ObjectMapper json) {
        return isQuotaSpent(message(body, json));
    }

    private static boolean isQuotaSpent(String message) {
        return message.toLowerCase(Locale.ROOT).contains("limit exceeded");
    }

    /** Retry-After as seconds or an HTTP date, capped; -1 when absent or unreadable. */
    static long retryAfterMillis(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String value = header.strip();
        long millis;
        try {
            millis = Long.parseLong(value) * 1000;
        } catch (NumberFormatException e) {
            try {
                millis = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant()).toMillis();
            } catch (java.time.format.DateTimeParseException e2) {
                return -1;
            }
        }
        return Math.max(0, Math.min(millis, MAX_RETRY_AFTER.toMillis()));
    }

    /** The API's {@code {"message": ...}}, as one short line (it is untrusted text going to the log). */
    private static String message(byte[] body, ObjectMapper json) {
        String text;
        try {
            JsonNode node = json.readTree(body);
            text = node != null && node.path("message").isTextual() ? node.path("message").asText() : "";
        } catch (java.io.IOException e) {
            text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
        text = CtiText.oneLine(text).strip();
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }

    private static String quote(String message, String fallback) {
        String m = message.isEmpty() ? fallback : message;
        return m.isEmpty() ? "" : " \"" + m + "\"";
    }
}

package io.ctifeeds.crowdsec.http;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.crowdsec.api.CtiAnswer;
import io.ctifeeds.crowdsec.api.CtiUnavailableException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Camel side of one call to the CTI API, the same for the search import and the enrichment's lookups: what the
 * message holds when the request leaves, and how the HTTP answer it holds after is read. The API client itself
 * ({@code crowdsec.api}) knows no Camel.
 */
public final class CtiExchange {

    private CtiExchange() {
    }

    /**
     * Before the request (whose URI and headers the route file sets): nothing of the exchange goes with it but the
     * error handler's own headers, in which it counts the retries of this step.
     */
    public static void clearForRequest(Message message) {
        message.removeHeaders("*", "CamelRedeliver*");
        message.setBody(null);
    }

    public static int status(Message message) {
        return message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
    }

    public static byte[] body(Message message) {
        return Objects.requireNonNullElse(message.getBody(byte[].class), new byte[0]);
    }

    /**
     * The answer the message holds, classified (see {@link CtiAnswer#classify}); the wait CrowdSec asks for before a
     * retry becomes the error handler's redelivery delay, and is taken off when it asks for none.
     *
     * @param notFoundOk a 404 is an answer (a lookup of an IP CrowdSec does not know), not an error
     */
    public static CtiAnswer answer(Message message, String what, boolean notFoundOk, Instant now, ObjectMapper json)
            throws CtiUnavailableException {
        return CtiAnswer.classify(status(message), body(message), message.getHeader("Retry-After", String.class),
                what, notFoundOk, now, delay -> {
                    if (delay >= 0) {
                        message.setHeader(Exchange.REDELIVERY_DELAY, delay);
                    } else {
                        message.removeHeader(Exchange.REDELIVERY_DELAY);
                    }
                }, json);
    }
}

package io.ctifeeds.crowdsec.api;

import java.io.IOException;

/**
 * An answer of the CrowdSec CTI API that may pass: a burst throttle (429 Too Many Requests), a failing server
 * (5xx), a timeout (408). It is an IOException so that the feed routes' error handler retries it with backoff, as
 * it retries network errors; the delay the API asked for, if any, goes in the {@code CamelRedeliveryDelay} header.
 */
public class CtiUnavailableException extends IOException {

    public CtiUnavailableException(String message) {
        super(message);
    }
}

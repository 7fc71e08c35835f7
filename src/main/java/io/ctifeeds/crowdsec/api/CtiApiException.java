package io.ctifeeds.crowdsec.api;

/**
 * An answer of the CrowdSec CTI API that ends the run: a refused key, a refused query, an unknown endpoint, a body
 * that is not JSON. The message says what to fix and never holds the key.
 */
public class CtiApiException extends RuntimeException {

    public CtiApiException(String message) {
        super(message);
    }
}

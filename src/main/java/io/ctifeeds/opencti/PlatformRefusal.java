package io.ctifeeds.opencti;

import io.ctifeeds.deadletter.PermanentRefusal;

/**
 * The platform refused this request for good: a GraphQL validation error, an input or a bundle it does not accept.
 * Sending the same request again gets the same answer, unlike an outage; a dead letter refused so is set aside
 * (rejected/) rather than holding back the letters behind it.
 */
public class PlatformRefusal extends OpenCtiException implements PermanentRefusal {

    public PlatformRefusal(String message) {
        super(message, false);
    }
}

package io.ctifeeds.ip;

/**
 * Thrown when a text is not a single literal IPv4 or IPv6 address.
 *
 * <p>The message is only a short reason ("CIDR prefix not allowed", "IPv4 octet > 255") and
 * never echoes the input: the input is untrusted feed data, and callers that log it should
 * escape and truncate it themselves.
 */
public final class InvalidIpAddressException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidIpAddressException(String reason) {
        super(reason);
    }

    /** The short reason, the same text as {@link #getMessage()}. */
    public String reason() {
        return getMessage();
    }
}

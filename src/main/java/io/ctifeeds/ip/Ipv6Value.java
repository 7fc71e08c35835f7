package io.ctifeeds.ip;

/** The 128 bits of an IPv6 address, most significant 64 in {@code high}. */
record Ipv6Value(long high, long low) {

    /** The 16-bit group {@code index} (0 = leftmost). */
    int group(int index) {
        long half = index < 4 ? high : low;
        return (int) (half >>> (48 - 16 * (index & 3))) & 0xffff;
    }

    /** True for {@code ::ffff:0:0/96} (RFC 4291 section 2.5.5.2). */
    boolean isIpv4Mapped() {
        return high == 0 && (low >>> 32) == 0xffffL;
    }

    /** The low 32 bits, read as an IPv4 address. */
    int lowIpv4() {
        return (int) low;
    }

    /**
     * RFC 5952 section 4 text: lower-case hex without leading zeros, the longest run of two or
     * more zero groups (the first one on a tie) compressed to "::", a single zero group kept.
     *
     * <p>The mixed notation of RFC 5952 section 5 ("::ffff:192.0.2.1") is not used. The only
     * prefix where it matters for us, IPv4-mapped, never reaches this method (see
     * {@link IpAddress}). For the others (NAT64, IPv4-compatible) pure hex is what Java's
     * {@code Inet6Address} and Python's {@code ipaddress} print, so values stay comparable.
     */
    String toCanonicalString() {
        int bestStart = -1;
        int bestLength = 1; // a run must beat 1 to be compressed: single zero groups stay "0"
        for (int i = 0; i < 8; ) {
            if (group(i) != 0) {
                i++;
                continue;
            }
            int runStart = i;
            while (i < 8 && group(i) == 0) {
                i++;
            }
            if (i - runStart > bestLength) { // strictly greater keeps the first run on a tie
                bestStart = runStart;
                bestLength = i - runStart;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; ) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(group(i)));
            i++;
        }
        return text.toString();
    }
}

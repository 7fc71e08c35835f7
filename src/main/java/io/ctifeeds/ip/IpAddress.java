package io.ctifeeds.ip;

import java.util.Optional;

/**
 * A single IPv4 or IPv6 address in canonical text form.
 *
 * <p>The value is canonical because STIX 2.1 derives the id of an {@code ipv4-addr} /
 * {@code ipv6-addr} observable from its {@code value}: "2001:DB8::0001" and "2001:db8::1" would
 * otherwise become two OpenCTI observables for one host. Canonical means:
 * <ul>
 * <li>IPv4: dotted quad without leading zeros;</li>
 * <li>IPv6: RFC 5952 section 4 (lower case, no leading zeros, longest run of two or more zero
 *     groups shortened to "::", the first such run on a tie);</li>
 * <li>IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}, in any notation) becomes the IPv4 address
 *     {@code a.b.c.d} with version 4. It is the same host (RFC 4291 section 2.5.5.2: the form
 *     only carries an IPv4 address through an IPv6 API), so it must dedupe with the IPv4
 *     observable, and only then does the IPv4 private-range filter see it:
 *     "::ffff:10.0.0.1" is private.</li>
 * </ul>
 *
 * <p>The constructor accepts only values that are already canonical; use {@link #parse} for
 * untrusted text.
 *
 * @param value   canonical text form
 * @param version 4 or 6
 */
public record IpAddress(String value, int version) implements IpValue {

    public IpAddress {
        // Re-checking here keeps the canonical invariant for instances made outside parse()
        // (tests, deserialisation); for IPv4 it costs one more pass over ~14 characters.
        String canonical = IpLiteral.canonicalize(value);
        if (!canonical.equals(value)) {
            throw new IllegalArgumentException("not in canonical form; use IpAddress.parse");
        }
        if (version != versionOf(canonical)) {
            throw new IllegalArgumentException("version " + version + " does not match the address");
        }
    }

    /**
     * Parses a single literal IP address and canonicalises it. Never performs a DNS lookup.
     *
     * @throws InvalidIpAddressException if {@code text} is not exactly one IPv4 or IPv6 literal
     *     (hostnames, CIDR, ranges, ports, zone ids, brackets, whitespace, leading zeros in an
     *     IPv4 octet, wrong number of parts, non-ASCII, empty or null)
     */
    public static IpAddress parse(String text) {
        String canonical = IpLiteral.canonicalize(text);
        return new IpAddress(canonical, versionOf(canonical));
    }

    /** An IPv4 address as its 32 bits, most significant octet first: compact to hold a list's worth of them. */
    public int ipv4Bits() {
        if (version != 4) {
            throw new IllegalStateException("not an IPv4 address: " + value);
        }
        return IpLiteral.parseIpv4(value, 0, value.length());
    }



    /**
     * Why this address is not a public unicast address ("private", "loopback", "multicast",
     * "documentation", "shared (CGNAT)", ...), or empty when it is public. The blocks and their
     * reasons are listed in one table, {@link SpecialPurposeBlocks}.
     */
    @Override
    public Optional<String> nonPublicReason() {
        return version == 4
                ? SpecialPurposeBlocks.classifyIpv4(IpLiteral.parseIpv4(value, 0, value.length()))
                : SpecialPurposeBlocks.classifyIpv6(IpLiteral.parseIpv6(value));
    }

    /** True when {@link #nonPublicReason()} is empty. */
    public boolean isPublic() {
        return nonPublicReason().isEmpty();
    }

    @Override
    public String toString() {
        return value;
    }

    private static int versionOf(String canonical) {
        return canonical.indexOf(':') < 0 ? 4 : 6;
    }
}

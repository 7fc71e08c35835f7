package io.ctifeeds.ip;

import java.util.List;
import java.util.Optional;

/**
 * The address blocks that are not public unicast, with the reason reported for each.
 *
 * <p>Sources: the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890) and the
 * IANA IPv6 Address Space registry. The first block that contains an address wins, so a
 * block nested in a wider one comes first (255.255.255.255 before 240/4).
 *
 * <p>Deliberate simplifications:
 * <ul>
 * <li>A few small sub-blocks that the registries mark "globally reachable" are classified with
 *     their enclosing block: 192.0.0.9/32 and 192.0.0.10/32 (PCP/TURN anycast) inside
 *     192.0.0.0/24, and 2001:1::1/128, 2001:1::2/128, 2001:3::/32 (AMT), 2001:4:112::/48 (AS112),
 *     2001:20::/28 (ORCHIDv2) inside 2001::/23. They are infrastructure anycast or
 *     non-routed identifiers, not hosts that show up in threat feeds.</li>
 * <li>IPv6 outside 2000::/3 that no specific block names is "reserved": IANA has allocated
 *     only 2000::/3 for global unicast, so nothing else can be a public host.</li>
 * <li>6to4 (2002::/16, RFC 3056) is not in the table: such an address is a public host exactly
 *     when the IPv4 address in its bits 16-47 is one, so it takes that address's status.
 *     Flagging all of 6to4 would drop real (if rare) attacker addresses; passing all of it
 *     would let "2002:c0a8:101::" (192.168.1.1) through the private filter.</li>
 * <li>IPv4-mapped ::ffff:0:0/96 is listed for completeness, but {@link IpAddress#parse}
 *     turns such addresses into IPv4, so they are classified by the IPv4 table.</li>
 * </ul>
 */
final class SpecialPurposeBlocks {

    private static final List<Block> IPV4 = List.of(
            Block.of("255.255.255.255/32", "broadcast"),           // RFC 919
            Block.of("0.0.0.0/32", "unspecified"),                 // RFC 1122
            Block.of("0.0.0.0/8", "this network"),                 // RFC 791
            Block.of("10.0.0.0/8", "private"),                     // RFC 1918
            Block.of("100.64.0.0/10", "shared (CGNAT)"),           // RFC 6598
            Block.of("127.0.0.0/8", "loopback"),                   // RFC 1122
            Block.of("169.254.0.0/16", "link-local"),              // RFC 3927
            Block.of("172.16.0.0/12", "private"),                  // RFC 1918
            Block.of("192.0.0.0/24", "reserved (IETF protocol assignments)"), // RFC 6890
            Block.of("192.0.2.0/24", "documentation"),             // RFC 5737 TEST-NET-1
            Block.of("192.88.99.0/24", "reserved (6to4 relay anycast, deprecated)"), // RFC 7526
            Block.of("192.168.0.0/16", "private"),                 // RFC 1918
            Block.of("198.18.0.0/15", "benchmarking"),             // RFC 2544
            Block.of("198.51.100.0/24", "documentation"),          // RFC 5737 TEST-NET-2
            Block.of("203.0.113.0/24", "documentation"),           // RFC 5737 TEST-NET-3
            Block.of("224.0.0.0/4", "multicast"),                  // RFC 5771
            Block.of("240.0.0.0/4", "reserved (future use)"));     // RFC 1112

    private static final List<Block> IPV6 = List.of(
            Block.of("::/128", "unspecified"),                     // RFC 4291
            Block.of("::1/128", "loopback"),                       // RFC 4291
            Block.of("::ffff:0:0/96", "IPv4-mapped"),              // RFC 4291
            Block.of("64:ff9b::/96", "NAT64 (well-known prefix)"), // RFC 6052
            Block.of("64:ff9b:1::/48", "NAT64 (local use)"),       // RFC 8215
            Block.of("100::/64", "discard-only"),                  // RFC 6666
            Block.of("2001::/32", "Teredo"),                       // RFC 4380
            Block.of("2001:2::/48", "benchmarking"),               // RFC 5180
            Block.of("2001::/23", "reserved (IETF protocol assignments)"), // RFC 2928
            Block.of("2001:db8::/32", "documentation"),            // RFC 3849
            Block.of("3fff::/20", "documentation"),                // RFC 9637
            Block.of("5f00::/16", "reserved (SRv6 SIDs)"),         // RFC 9602
            Block.of("fc00::/7", "private (unique local)"),        // RFC 4193
            Block.of("fe80::/10", "link-local"),                   // RFC 4291
            Block.of("fec0::/10", "site-local (deprecated)"),      // RFC 3879
            Block.of("ff00::/8", "multicast"),                     // RFC 4291
            // The complement of 2000::/3 global unicast (IANA IPv6 Address Space registry).
            Block.of("::/3", "reserved (not global unicast)"),
            Block.of("4000::/2", "reserved (not global unicast)"),
            Block.of("8000::/1", "reserved (not global unicast)"));

    private static final int SIX_TO_FOUR_PREFIX = 0x2002;

    private SpecialPurposeBlocks() {
    }

    static Optional<String> classifyIpv4(int address) {
        return firstMatch(IPV4, 0, address & 0xffffffffL);
    }

    static Optional<String> classifyIpv6(Ipv6Value address) {
        if ((address.high() >>> 48) == SIX_TO_FOUR_PREFIX) {
            int embedded = (int) (address.high() >>> 16);
            return classifyIpv4(embedded).map(reason -> "6to4 of a non-public IPv4 (" + reason + ")");
        }
        return firstMatch(IPV6, address.high(), address.low());
    }

    /**
     * Why the block {@code network/prefix} is not wholly public: the reason of the first special-purpose
     * block it overlaps (contains, or lies in), or empty when it overlaps none.
     */
    static Optional<String> classifyIpv4Range(int network, int prefix) {
        return firstOverlap(IPV4, 0, network & 0xffffffffL, prefix + 96);
    }

    static Optional<String> classifyIpv6Range(Ipv6Value network, int prefix) {
        if (prefix >= 48 && (network.high() >>> 48) == SIX_TO_FOUR_PREFIX) {
            int embedded = (int) (network.high() >>> 16);
            return classifyIpv4Range(embedded, prefix - 16)
                    .map(reason -> "6to4 of a non-public IPv4 (" + reason + ")");
        }
        if (prefix < 48 && covers(network.high(), prefix, (long) SIX_TO_FOUR_PREFIX << 48, 16)) {
            // a 6to4 block this wide holds addresses of private IPv4 networks
            return Optional.of("6to4 of a non-public IPv4");
        }
        return firstOverlap(IPV6, network.high(), network.low(), prefix);
    }

    private static Optional<String> firstOverlap(List<Block> blocks, long high, long low, int prefix) {
        for (Block block : blocks) {
            if (block.overlaps(high, low, prefix)) {
                return block.reason();
            }
        }
        return Optional.empty();
    }

    /** Whether two blocks of the high half (prefixes up to 64) overlap: they agree on the shorter prefix. */
    private static boolean covers(long high, int prefix, long other, int otherPrefix) {
        int shorter = Math.min(prefix, otherPrefix);
        long mask = shorter == 0 ? 0L : -1L << (64 - shorter);
        return (high & mask) == (other & mask);
    }

    private static Optional<String> firstMatch(List<Block> blocks, long high, long low) {
        for (Block block : blocks) {
            if (block.contains(high, low)) {
                return block.reason();
            }
        }
        return Optional.empty();
    }

    /**
     * A CIDR block as 128 bits plus masks. IPv4 blocks sit in the low 32 bits (as in ::a.b.c.d)
     * with the prefix length shifted by 96, so one comparison serves both tables.
     */
    private record Block(long high, long low, long highMask, long lowMask, int prefix, Optional<String> reason) {

        static Block of(String cidr, String reason) {
            int slash = cidr.indexOf('/');
            String network = cidr.substring(0, slash);
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            long high;
            long low;
            if (network.indexOf(':') >= 0) {
                Ipv6Value value = IpLiteral.parseIpv6(network);
                high = value.high();
                low = value.low();
            } else {
                high = 0;
                low = IpLiteral.parseIpv4(network, 0, network.length()) & 0xffffffffL;
                prefix += 96;
            }
            long highMask = prefix >= 64 ? -1L : prefix == 0 ? 0L : -1L << (64 - prefix);
            long lowMask = prefix <= 64 ? 0L : -1L << (128 - prefix);
            if ((high & ~highMask) != 0 || (low & ~lowMask) != 0) {
                // Catches a typo in the table at class load instead of a silent mismatch.
                throw new IllegalStateException("host bits set in " + cidr);
            }
            return new Block(high, low, highMask, lowMask, prefix, Optional.of(reason));
        }

        boolean contains(long addressHigh, long addressLow) {
            return (addressHigh & highMask) == high && (addressLow & lowMask) == low;
        }

        /** Two aligned blocks overlap exactly when the wider one contains the network of the narrower. */
        boolean overlaps(long networkHigh, long networkLow, int networkPrefix) {
            if (networkPrefix >= prefix) {
                return contains(networkHigh, networkLow);
            }
            long otherHighMask = networkPrefix >= 64 ? -1L : networkPrefix == 0 ? 0L : -1L << (64 - networkPrefix);
            long otherLowMask = networkPrefix <= 64 ? 0L : -1L << (128 - networkPrefix);
            return (high & otherHighMask) == networkHigh && (low & otherLowMask) == networkLow;
        }
    }
}

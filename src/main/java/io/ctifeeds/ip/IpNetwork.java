package io.ctifeeds.ip;

import java.util.Optional;

/**
 * A CIDR block in canonical form: the network address (host bits cleared) and the prefix length. STIX 2.1 lets
 * an {@code ipv4-addr} / {@code ipv6-addr} value be such a block, and OpenCTI stores it as one observable.
 *
 * @param network      the canonical network address (its host bits are zero)
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record IpNetwork(IpAddress network, int prefixLength) implements IpValue {

    public IpNetwork {
        int max = network.version() == 4 ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new InvalidIpAddressException("prefix length out of range (0-" + max + ")");
        }
        if (!network.equals(clearHostBits(network, prefixLength))) {
            throw new IllegalArgumentException("host bits set; use IpNetwork.parse");
        }
    }

    /**
     * Parses {@code address/prefix}. Host bits set after the prefix are cleared ("1.2.3.4/24" is the block
     * 1.2.3.0/24), as lists mean the block that holds the address they name.
     *
     * @throws InvalidIpAddressException if the address or the prefix length is not valid
     */
    public static IpNetwork parse(String text) {
        if (text == null) {
            throw new InvalidIpAddressException("null");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new InvalidIpAddressException("not a CIDR block (no '/')");
        }
        String digits = text.substring(slash + 1);
        if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || (digits.length() > 1 && digits.charAt(0) == '0')) {
            throw new InvalidIpAddressException("prefix length is not a decimal number");
        }
        String address = text.substring(0, slash);
        if (address.indexOf(':') >= 0 && IpLiteral.parseIpv6(address).isIpv4Mapped()) {
            // ::ffff:a.b.c.d/n would silently become an IPv4 block with another prefix: refused, not guessed
            throw new InvalidIpAddressException("IPv4-mapped IPv6 block");
        }
        IpAddress parsed = IpAddress.parse(address);
        int prefix = Integer.parseInt(digits);
        int max = parsed.version() == 4 ? 32 : 128;
        if (prefix > max) {
            throw new InvalidIpAddressException("prefix length out of range (0-" + max + ")");
        }
        return new IpNetwork(clearHostBits(parsed, prefix), prefix);
    }

    /** True for a /32 (IPv4) or /128 (IPv6) block. */
    public boolean isSingleAddress() {
        return prefixLength == (version() == 4 ? 32 : 128);
    }

    @Override
    public String value() {
        return network.value() + "/" + prefixLength;
    }

    @Override
    public int version() {
        return network.version();
    }

    /** The reason of the first special-purpose block the range overlaps: a range with one private host is refused. */
    @Override
    public Optional<String> nonPublicReason() {
        String text = network.value();
        return version() == 4
                ? SpecialPurposeBlocks.classifyIpv4Range(IpLiteral.parseIpv4(text, 0, text.length()), prefixLength)
                : SpecialPurposeBlocks.classifyIpv6Range(IpLiteral.parseIpv6(text), prefixLength);
    }

    @Override
    public String toString() {
        return value();
    }

    private static IpAddress clearHostBits(IpAddress address, int prefix) {
        String text = address.value();
        if (address.version() == 4) {
            int bits = IpLiteral.parseIpv4(text, 0, text.length());
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return IpAddress.parse(IpLiteral.formatIpv4(bits & mask));
        }
        Ipv6Value value = IpLiteral.parseIpv6(text);
        long highMask = prefix >= 64 ? -1L : prefix == 0 ? 0L : -1L << (64 - prefix);
        long lowMask = prefix <= 64 ? 0L : -1L << (128 - prefix);
        return IpAddress.parse(new Ipv6Value(value.high() & highMask, value.low() & lowMask).toCanonicalString());
    }
}

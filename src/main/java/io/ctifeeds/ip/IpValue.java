package io.ctifeeds.ip;

import java.util.Optional;

/**
 * What an {@code ipv4-addr} / {@code ipv6-addr} observable's {@code value} may hold in STIX 2.1: one address, or
 * a CIDR block. Canonical in both cases, because the observable's id is derived from the value.
 */
public sealed interface IpValue permits IpAddress, IpNetwork {

    /** Canonical text: the address, or the network address and prefix length ("1.10.16.0/20"). */
    String value();

    /** 4 or 6. */
    int version();

    /** Why some of it is not public unicast, or empty when all of it is. */
    Optional<String> nonPublicReason();

    /** The STIX 2.1 cyber-observable type. */
    default String stixType() {
        return version() == 4 ? "ipv4-addr" : "ipv6-addr";
    }

    /** The OpenCTI entity type. */
    default String openctiType() {
        return version() == 4 ? "IPv4-Addr" : "IPv6-Addr";
    }

    /**
     * An address ({@link IpAddress#parse}) or a CIDR block ({@link IpNetwork#parse}); a block of one address
     * (/32, /128) is that address.
     *
     * @throws InvalidIpAddressException if {@code text} is neither
     */
    static IpValue parse(String text) {
        if (text != null && text.indexOf('/') >= 0) {
            IpNetwork network = IpNetwork.parse(text);
            return network.isSingleAddress() ? network.network() : network;
        }
        return IpAddress.parse(text);
    }
}

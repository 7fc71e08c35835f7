package io.ctifeeds.ip;

import java.util.Arrays;

/**
 * Strict, allocation-light parser for IP address literals.
 *
 * <p>Hand-written rather than {@code InetAddress.getByName}: that method resolves anything it
 * cannot read as a literal through DNS (a feed line like "deadbeef.example" would cause a
 * lookup), it is lenient where we must be strict ("1.2.3" and "010.1.1.1" are accepted), and
 * it is slower than a single pass over at most 45 characters.
 *
 * <p>Grammar: IPv4 is exactly four decimal octets 0-255 without leading zeros (a leading zero
 * is read as octal by inet_aton and as decimal by others, so "010.1.1.1" is ambiguous).
 * IPv6 is RFC 4291 section 2.2: up to eight groups of 1-4 hex digits, at most one "::"
 * standing for one or more zero groups, optionally ending in a dotted-quad IPv4 that fills
 * the last 32 bits. No zone id, no brackets, no prefix length, no port.
 */
final class IpLiteral {

    /** "0000:0000:0000:0000:0000:ffff:255.255.255.255": no longer text can be a literal. */
    static final int MAX_LENGTH = 45;

    private IpLiteral() {
    }

    /**
     * The canonical text of {@code text}: a valid IPv4 literal is returned as is (the strict
     * grammar admits only the canonical form), IPv4-mapped IPv6 becomes its IPv4 address, any
     * other IPv6 is printed in RFC 5952 form. A result contains ':' if and only if it is IPv6.
     */
    static String canonicalize(String text) {
        if (text == null) {
            throw new InvalidIpAddressException("null");
        }
        int length = text.length();
        if (length == 0) {
            throw new InvalidIpAddressException("empty");
        }
        if (length > MAX_LENGTH) {
            throw new InvalidIpAddressException("too long for an IP address");
        }
        int colons = 0;
        int firstColon = -1;
        boolean hexLetters = false;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || c == '.') {
                continue;
            }
            if (c == ':') {
                if (colons++ == 0) {
                    firstColon = i;
                }
            } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                hexLetters = true;
            } else {
                throw new InvalidIpAddressException(describeForeign(c));
            }
        }
        if (colons == 0) {
            if (hexLetters) {
                throw new InvalidIpAddressException("hostname, not an IP address");
            }
            parseIpv4(text, 0, length);
            return text;
        }
        if (colons == 1) {
            // Every IPv6 literal has at least two colons ("::"), so one colon means host:port.
            throw new InvalidIpAddressException(text.lastIndexOf('.', firstColon) >= 0
                    ? "port not allowed" : "not an IPv6 address (single colon)");
        }
        Ipv6Value value = parseIpv6(text);
        return value.isIpv4Mapped() ? formatIpv4(value.lowIpv4()) : value.toCanonicalString();
    }

    /** The 32 bits of the dotted quad in {@code text[from, to)}, most significant octet first. */
    static int parseIpv4(String text, int from, int to) {
        int address = 0;
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int octet = 0;
            while (i < to) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                octet = octet * 10 + (c - '0');
                i++;
                if (i - start > 3) {
                    throw new InvalidIpAddressException("IPv4 octet > 255");
                }
            }
            if (i == start) {
                throw new InvalidIpAddressException(i < to && text.charAt(i) != '.'
                        ? "unexpected character in IPv4 address" : "empty IPv4 octet");
            }
            if (octet > 255) {
                throw new InvalidIpAddressException("IPv4 octet > 255");
            }
            if (i - start > 1 && text.charAt(start) == '0') {
                throw new InvalidIpAddressException("IPv4 octet with a leading zero (octal or decimal?)");
            }
            address = (address << 8) | octet;
            octets++;
            if (i == to) {
                break;
            }
            if (text.charAt(i) != '.') {
                throw new InvalidIpAddressException("unexpected character in IPv4 address");
            }
            if (octets == 4) {
                throw new InvalidIpAddressException("more than 4 IPv4 octets");
            }
            i++;
        }
        if (octets != 4) {
            throw new InvalidIpAddressException("fewer than 4 IPv4 octets");
        }
        return address;
    }

    /**
     * The bits of an IPv6 literal. The caller has checked that {@code text} holds only hex
     * digits, '.' and ':' and is at most {@link #MAX_LENGTH} long.
     */
    static Ipv6Value parseIpv6(String text) {
        int length = text.length();
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int i = 0;
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.charAt(0) == ':') {
            throw new InvalidIpAddressException("IPv6 address starts with a single colon");
        }
        while (i < length) {
            int start = i;
            int group = 0;
            int digit;
            while (i < length && (digit = hexDigit(text.charAt(i))) >= 0) {
                group = (group << 4) | digit;
                i++;
            }
            if (i < length && text.charAt(i) == '.') {
                if (text.indexOf(':', start) >= 0) {
                    throw new InvalidIpAddressException("embedded IPv4 must be the last 32 bits");
                }
                if (count > 6) {
                    throw new InvalidIpAddressException("too many IPv6 groups");
                }
                int ipv4 = parseIpv4(text, start, length);
                groups[count++] = ipv4 >>> 16;
                groups[count++] = ipv4 & 0xffff;
                break;
            }
            if (i == start) {
                throw new InvalidIpAddressException("empty IPv6 group (':::')");
            }
            if (i - start > 4) {
                throw new InvalidIpAddressException("IPv6 group longer than 4 hex digits");
            }
            if (count == 8) {
                throw new InvalidIpAddressException("too many IPv6 groups");
            }
            groups[count++] = group;
            if (i == length) {
                break;
            }
            i++; // the ':' after the group; only ':' and '.' can follow hex digits here
            if (i == length) {
                throw new InvalidIpAddressException("IPv6 address ends with a single colon");
            }
            if (text.charAt(i) == ':') {
                if (gap >= 0) {
                    throw new InvalidIpAddressException("more than one '::'");
                }
                gap = count;
                i++;
            }
        }
        if (gap >= 0) {
            if (count == 8) {
                // RFC 4291: "::" stands for one or more zero groups, so 8 explicit ones leave no room.
                throw new InvalidIpAddressException("too many IPv6 groups");
            }
            int tail = count - gap;
            System.arraycopy(groups, gap, groups, 8 - tail, tail);
            Arrays.fill(groups, gap, 8 - tail, 0);
        } else if (count != 8) {
            throw new InvalidIpAddressException("too few IPv6 groups");
        }
        long high = 0;
        long low = 0;
        for (int g = 0; g < 4; g++) {
            high = (high << 16) | groups[g];
            low = (low << 16) | groups[g + 4];
        }
        return new Ipv6Value(high, low);
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static String formatIpv4(int address) {
        return new StringBuilder(15)
                .append(address >>> 24).append('.')
                .append((address >>> 16) & 0xff).append('.')
                .append((address >>> 8) & 0xff).append('.')
                .append(address & 0xff)
                .toString();
    }

    /** Why a character that can never occur in a literal is there, phrased for a log line. */
    private static String describeForeign(char c) {
        return switch (c) {
            case '/' -> "CIDR prefix not allowed";
            case '%' -> "zone id not allowed";
            case '-' -> "range not allowed";
            case '[', ']' -> "brackets not allowed";
            case ',', ';' -> "list, not a single address";
            case ' ', '\t', '\n', '\u000B', '\f', '\r' -> "contains whitespace";
            default -> {
                if (c > 0x7f) {
                    yield "non-ASCII character";
                }
                if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') || c == '_') {
                    yield "hostname, not an IP address";
                }
                yield c < 0x20 || c == 0x7f ? "control character" : "unexpected character '" + c + "'";
            }
        };
    }
}

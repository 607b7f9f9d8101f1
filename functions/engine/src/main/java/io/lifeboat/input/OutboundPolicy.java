package io.lifeboat.input;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which addresses Lifeboat may open a connection to, for every outbound client (object stores, token
 * endpoints, clusters). A host name is resolved once, every address it resolves to is checked, and the client connects
 * to those checked addresses only, so a name that resolves to another address later (DNS rebinding) cannot slip
 * through. Always refused: cloud metadata (by name or address), link-local, unspecified, multicast and reserved
 * addresses, in any spelling (IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 forms are read as their IPv4
 * address). Loopback only in local mode. Private ranges (RFC 1918, 100.64.0.0/10, fc00::/7) only inside the ranges
 * the operator allows ({@code lifeboat.outbound.allowed-private-cidrs}).
 */
public final class OutboundPolicy {
    private static final Set<String> METADATA_HOSTS = Set.of(
            "metadata.google.internal", "metadata", "metadata.goog", "instance-data", "instance-data.ec2.internal");
    private static final List<Cidr> METADATA = Cidr.list(
            "169.254.169.254/32", "169.254.170.2/32", "169.254.170.23/32", "100.100.100.200/32", "192.0.0.192/32",
            "fd00:ec2::254/128", "fd00:ec2::23/128");
    private static final List<Cidr> PRIVATE = Cidr.list(
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "198.18.0.0/15", "fc00::/7", "fec0::/10",
            "64:ff9b:1::/48");
    private static final List<Cidr> RESERVED = Cidr.list(
            "0.0.0.0/8", "192.0.0.0/24", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
            "240.0.0.0/4", "::/128", "100::/64", "2001:db8::/32", "ff00::/8");

    /** Resolves a host name to its addresses; the system resolver in production, a fake in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = InetAddress::getAllByName;
    }

    private final boolean allowLoopback;
    private final List<Cidr> allowedPrivate;
    private final Resolver resolver;

    public OutboundPolicy(boolean allowLoopback, List<Cidr> allowedPrivate, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.allowedPrivate = List.copyOf(allowedPrivate);
        this.resolver = resolver;
    }

    /** The cloud: no loopback (Lambda's runtime API lives there), no private range. */
    public static OutboundPolicy production() {
        return new OutboundPolicy(false, List.of(), Resolver.SYSTEM);
    }

    /** Local mode and tests: loopback allowed as well. */
    public static OutboundPolicy localMode() {
        return new OutboundPolicy(true, List.of(), Resolver.SYSTEM);
    }

    /**
     * From configuration: {@code cidrs} is a comma-separated list such as {@code 10.0.0.0/8,fd12::/16} (blank: none).
     * A range that is not private address space is refused, so the list cannot open metadata or the Internet's
     * reserved ranges.
     */
    public static OutboundPolicy configured(boolean allowLoopback, String cidrs) {
        List<Cidr> allowed = cidrs == null || cidrs.isBlank() ? List.of()
                : Arrays.stream(cidrs.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
        for (Cidr cidr : allowed) {
            if (PRIVATE.stream().noneMatch(p -> p.contains(cidr.network()) && p.prefix() <= cidr.prefix())) {
                throw new IllegalArgumentException("lifeboat.outbound.allowed-private-cidrs: " + cidr
                        + " is not inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7)");
            }
        }
        return new OutboundPolicy(allowLoopback, allowed, Resolver.SYSTEM);
    }

    /** The same rules with another resolver (tests: a fake DNS). */
    public OutboundPolicy withResolver(Resolver other) {
        return new OutboundPolicy(allowLoopback, allowedPrivate, other);
    }

    public boolean allowsLoopback() {
        return allowLoopback;
    }

    /**
     * Resolves {@code host} (a name or a literal address, brackets allowed) and returns its addresses once every one
     * has been checked: the caller must connect to these and nothing else. A name that does not resolve, or one of
     * whose addresses is refused, is an {@link OutboundRefusedException} that says why.
     */
    public List<InetAddress> resolve(String host) throws OutboundRefusedException {
        String name = normalized(host);
        refuseMetadataName(host, name);
        InetAddress[] addresses;
        try {
            addresses = isLiteral(name) ? new InetAddress[]{InetAddress.getByName(name)} : resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw new OutboundRefusedException(host, "cannot be resolved (unknown host)", true);
        }
        if (addresses == null || addresses.length == 0) {
            throw new OutboundRefusedException(host, "cannot be resolved (no address)", true);
        }
        for (InetAddress address : addresses) {
            check(host, address);
        }
        return List.of(addresses);
    }

    /** Checks a name without resolving it: only metadata names are refused here. */
    public void checkName(String host) throws OutboundRefusedException {
        refuseMetadataName(host, normalized(host));
    }

    /** Checks one address, the one about to be connected to. */
    public void check(String host, InetAddress address) throws OutboundRefusedException {
        String refusal = refusal(address);
        if (refusal != null) {
            String shown = host == null || host.equals(address.getHostAddress()) ? address.getHostAddress()
                    : host + " (" + address.getHostAddress() + ")";
            throw new OutboundRefusedException(shown, refusal, false);
        }
    }

    /** Why this address is refused, or null when it is allowed. */
    public String refusal(InetAddress address) {
        byte[] raw = address.getAddress();
        byte[] v4 = embeddedIpv4(raw);
        for (byte[] candidate : v4 == null ? List.of(raw) : List.of(raw, v4)) {
            String why = refusalOf(candidate);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private String refusalOf(byte[] b) {
        if (in(METADATA, b)) {
            return "is a cloud metadata address, which is never allowed";
        }
        if (isLinkLocal(b)) {
            return "is a link-local address, which is never allowed";
        }
        if (in(RESERVED, b)) {
            return "is an unspecified, multicast or reserved address, which is never allowed";
        }
        if (isLoopback(b)) {
            return allowLoopback ? null : "is a loopback address, which is allowed only in local mode";
        }
        if (in(PRIVATE, b) && !in(allowedPrivate, b)) {
            return "is a private address, which is allowed only inside lifeboat.outbound.allowed-private-cidrs "
                    + "(Terraform: allowed_private_cidrs)";
        }
        return null;
    }

    private static void refuseMetadataName(String host, String name) throws OutboundRefusedException {
        if (METADATA_HOSTS.contains(name)) {
            throw new OutboundRefusedException(host, "is a cloud metadata service, which is never allowed", false);
        }
    }

    /** Lower case, without brackets and without the trailing dot of a fully qualified name. */
    static String normalized(String host) {
        String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** An IPv4 or IPv6 literal, which is parsed, never looked up. */
    static boolean isLiteral(String name) {
        return !name.isEmpty() && (name.matches("[0-9.]+") || (name.contains(":") && name.matches("[0-9a-f:.%]+[0-9a-z]*")));
    }

    private static boolean in(List<Cidr> ranges, byte[] address) {
        for (Cidr cidr : ranges) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLinkLocal(byte[] b) {
        return b.length == 4 ? (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254
                : (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
    }

    private static boolean isLoopback(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[15] == 1;
    }

    /**
     * The IPv4 address an IPv6 address carries: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
     * NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::). Null when it carries none.
     */
    static byte[] embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean firstTenZero = allZero(b, 0, 10);
        if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if (firstTenZero && b[10] == 0 && b[11] == 0 && !allZero(b, 12, 15)) {
            return Arrays.copyOfRange(b, 12, 16); // ::a.b.c.d, but not :: or ::1
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An address range, IPv4 or IPv6. */
    public record Cidr(byte[] network, int prefix) {
        public static Cidr parse(String text) {
            String[] parts = text.strip().split("/", 2);
            byte[] network;
            try {
                if (!parts[0].matches("[0-9a-fA-F.:]+")) {
                    throw new UnknownHostException(parts[0]);
                }
                network = InetAddress.getByName(parts[0]).getAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(text + " is not a CIDR range such as 10.0.0.0/8");
            }
            int prefix;
            try {
                prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(text + " is not a CIDR range such as 10.0.0.0/8");
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException(text + " has a prefix length out of range");
            }
            return new Cidr(network, prefix);
        }

        static List<Cidr> list(String... ranges) {
            return Arrays.stream(ranges).map(Cidr::parse).toList();
        }

        public boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                return Arrays.toString(network) + "/" + prefix;
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(network) * 31 + prefix;
        }
    }
}

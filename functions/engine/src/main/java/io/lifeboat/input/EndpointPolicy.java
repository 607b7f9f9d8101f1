package io.lifeboat.input;

import io.lifeboat.error.InvalidInputException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which user-supplied endpoints Lifeboat may connect to. Link-local and cloud-metadata addresses are
 * always refused (they would let a caller read the function's own credentials); loopback only when the
 * deployment allows it (local mode and tests).
 */
public final class EndpointPolicy {
    private static final Set<String> METADATA_HOSTS = Set.of(
            "metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal");

    private final boolean allowLoopback;

    public EndpointPolicy(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    public static EndpointPolicy production() {
        return new EndpointPolicy(false);
    }

    public boolean allowsLoopback() {
        return allowLoopback;
    }

    /** Checks an http(s) URL; returns it unchanged. */
    public String requireUrl(String field, String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidInputException(field, "must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidInputException(field, "must name a host");
        }
        if (uri.getUserInfo() != null) {
            throw new InvalidInputException(field, "must not carry credentials in the URL");
        }
        requireHost(field, uri.getHost());
        return url.trim();
    }

    /** Checks a host name or literal address. Names are resolved, so a name that points at metadata is refused too. */
    public void requireHost(String field, String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (METADATA_HOSTS.contains(host)) {
            throw new InvalidInputException(field, "points at a cloud metadata service, which is not allowed");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return; // an unknown host is not a security problem; validation reports it as unreachable
        }
        for (InetAddress address : addresses) {
            check(field, address);
        }
    }

    private void check(String field, InetAddress address) {
        byte[] b = address.getAddress();
        if (address.isLinkLocalAddress() || isAlibabaMetadata(b) || isAwsIpv6Metadata(b)) {
            throw new InvalidInputException(field, "points at a link-local or cloud metadata address, which is not allowed");
        }
        if ((address.isLoopbackAddress() || address.isAnyLocalAddress()) && !allowLoopback) {
            throw new InvalidInputException(field, "points at a loopback address, which is allowed only in local mode");
        }
    }

    private static boolean isAlibabaMetadata(byte[] b) {
        return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xff) == 100 && (b[2] & 0xff) == 100
                && (b[3] & 0xff) == 200;
    }

    /** fd00:ec2::254, the EC2 instance metadata service over IPv6. */
    private static boolean isAwsIpv6Metadata(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        byte[] metadata = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
        return java.util.Arrays.equals(b, metadata);
    }
}

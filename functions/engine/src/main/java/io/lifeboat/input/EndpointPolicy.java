package io.lifeboat.input;

import io.lifeboat.error.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks user-supplied endpoints when they are saved, with the {@link OutboundPolicy} every client applies again when
 * it connects: a refused address is a 400 naming the field. A name that does not resolve yet is accepted here (it
 * may be created later); the clients refuse it when they connect, as they refuse a name that resolves elsewhere by then.
 */
public final class EndpointPolicy {
    private final OutboundPolicy outbound;

    public EndpointPolicy(OutboundPolicy outbound) {
        this.outbound = outbound;
    }

    /** Loopback allowed or not, no private range, the system resolver. */
    public EndpointPolicy(boolean allowLoopback) {
        this(allowLoopback ? OutboundPolicy.localMode() : OutboundPolicy.production());
    }

    public static EndpointPolicy production() {
        return new EndpointPolicy(false);
    }

    public boolean allowsLoopback() {
        return outbound.allowsLoopback();
    }

    public OutboundPolicy outbound() {
        return outbound;
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
        try {
            outbound.resolve(rawHost);
        } catch (OutboundRefusedException e) {
            if (!e.reason().equals("UnknownHost")) {
                throw new InvalidInputException(field, "is not allowed: " + e.getMessage());
            }
        }
    }
}

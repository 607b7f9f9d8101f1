package io.lifeboat.input;

import java.net.UnknownHostException;

/**
 * A connection Lifeboat refused to open: the host is not resolvable, or it is (or resolves to) an address the
 * {@link OutboundPolicy} does not allow. It is an {@link UnknownHostException} so that every HTTP client's DNS hook may
 * throw it, and the clients fail before a single packet is sent.
 */
public final class OutboundRefusedException extends UnknownHostException {
    private final boolean unresolvable;

    public OutboundRefusedException(String host, String why, boolean unresolvable) {
        super("the host " + host + " " + why);
        this.unresolvable = unresolvable;
    }

    /** The short reason a status carries: UnknownHost (nothing to connect to) or AddressNotAllowed. */
    public String reason() {
        return unresolvable ? "UnknownHost" : "AddressNotAllowed";
    }

    /** Finds a refusal among a failure's causes (clients wrap it), or null. */
    public static OutboundRefusedException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutboundRefusedException refused) {
                return refused;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}

package io.lifeboat.objectstore.providers;

import io.lifeboat.input.OutboundRefusedException;
import io.lifeboat.objectstore.StoreException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;

/** Names network-level failures the same way for every provider. */
public final class Failures {
    private Failures() {
    }

    /**
     * A provider's error code from a remote answer, if it looks like one (letters, digits, dots, dashes, at most 64):
     * anything else in that place is the remote's text, and is not repeated.
     */
    public static String errorCode(String code, String fallback) {
        return code != null && code.matches("[A-Za-z0-9._-]{1,64}") ? code : fallback;
    }

    /** A StoreException for a failure below the provider's protocol (DNS, TCP, TLS), or null when it is not one. */
    public static StoreException network(Throwable failure, String endpoint) {
        OutboundRefusedException refused = OutboundRefusedException.in(failure);
        if (refused != null) {
            return new StoreException(refused.reason(), refused.getMessage() + " (" + endpoint + ")", failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return new StoreException("UnknownHost", "the host of " + endpoint + " is unknown", failure);
            }
            if (t instanceof ConnectException) {
                return new StoreException("ConnectionRefused", "nothing answers at " + endpoint, failure);
            }
            if (t instanceof SocketTimeoutException) {
                return new StoreException("Timeout", endpoint + " did not answer in time", failure);
            }
            if (t instanceof CertificateException || t instanceof SSLException) {
                return new StoreException("CertificateError", "the TLS certificate of " + endpoint
                        + " is not trusted (PKIX path building failed or handshake refused); give the CA certificate "
                        + "that signed it", failure);
            }
        }
        return null;
    }
}

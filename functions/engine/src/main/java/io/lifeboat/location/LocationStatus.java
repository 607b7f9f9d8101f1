package io.lifeboat.location;

import java.time.Instant;

/** The outcome of the latest validation; {@code reason} says why a location is Unavailable (null otherwise). */
public record LocationStatus(Phase phase, Reason reason, String message, Instant lastValidatedAt) {

    public enum Phase { Pending, Available, Unavailable }

    /**
     * Why a location is Unavailable: the store's failure, named the same way for every provider. The constants are
     * the wire names. A store's answer with a code of its own that is none of these is {@link #StoreError} (the code
     * is in the message); {@link #Error} is a failure of Lifeboat's side.
     */
    public enum Reason {
        NoSuchBucket, AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch, InvalidCredentials, InvalidLocation,
        CertificateError, UnknownHost, AddressNotAllowed, ConnectionRefused, Timeout, ReadBackMismatch, ListMismatch,
        /** The location asks for immutability, and its bucket or container cannot lock objects. */
        ImmutabilityNotEnabled,
        /** The location asks for encryption, and its KMS key cannot make and unwrap a data key. */
        KeyNotUsable,
        StoreError, Error;

        /** The reason a store's failure word names; a word that is none of them is {@link #StoreError}. */
        public static Reason of(String word) {
            for (Reason r : values()) {
                if (r.name().equals(word)) {
                    return r;
                }
            }
            return StoreError;
        }
    }

    public static LocationStatus pending() {
        return new LocationStatus(Phase.Pending, null, "not validated yet", null);
    }

    public static LocationStatus available(Instant at) {
        return new LocationStatus(Phase.Available, null, "the bucket can be written, read, listed and deleted from", at);
    }

    public static LocationStatus unavailable(Reason reason, String message, Instant at) {
        return new LocationStatus(Phase.Unavailable, reason, message, at);
    }
}

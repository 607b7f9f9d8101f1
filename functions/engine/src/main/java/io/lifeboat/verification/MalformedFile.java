package io.lifeboat.verification;

/** A file of a backup (its manifest, its resource list) that is not in the form its writer gives it. */
final class MalformedFile extends RuntimeException {
    MalformedFile(String message) {
        super(message);
    }
}

package io.lifeboat.error;

/**
 * A backup's archive that cannot be read for what was asked (refused by the safe reader, not the one its backup
 * recorded, or holding an item that is not a JSON object): answered with 422.
 */
public class UnreadableArchiveException extends LifeboatException {
    public UnreadableArchiveException(String message) {
        super(422, "UnreadableArchive", null, message);
    }
}

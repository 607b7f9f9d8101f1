package io.lifeboat.encryption;

import java.io.IOException;

/**
 * An encrypted object that does not open as written: a chunk changed, dropped, moved or added, the object cut short,
 * or written for another object or with another key. Thrown before any byte of the chunk at fault is handed on.
 */
public class TamperedObjectException extends IOException {
    public TamperedObjectException(String message) {
        super(message);
    }

    public TamperedObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}

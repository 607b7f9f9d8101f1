package io.lifeboat.objectstore.parts;

import io.lifeboat.objectstore.StoreException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The proof an S3-compatible store gives that it stored each part of an upload as it was sent. Unless the object is
 * encrypted with a KMS key or a customer's key, Amazon S3 and MinIO answer every UploadPart and PutObject with an
 * ETag that is the hex MD5 of the bytes they received. Lifeboat never sends a Content-MD5, so a store can only know
 * that MD5 by computing it from what it got: an ETag equal to the MD5 of the bytes sent is no echo.
 *
 * <p>Each answer is checked here. An ETag that is not an MD5 at all (some stores), or that the store says is not one
 * (SSE-KMS and SSE-C ETags are 32 hex digits too, but no MD5 of the content), proves nothing: the upload is then not
 * {@link #allMatched() verified}, and its caller reads it back. An MD5 that differs from the bytes sent means the
 * store holds other bytes, and fails the upload at once.
 */
public final class Md5Etags {
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-fA-F]{32}");

    private volatile boolean anyUnproven;
    private volatile int matched;

    /** The MD5 of {@code length} bytes of {@code body} from {@code offset}, in lower-case hex. */
    public static String md5(byte[] body, int offset, int length) {
        MessageDigest md5 = newMd5();
        md5.update(body, offset, length);
        return HexFormat.of().formatHex(md5.digest());
    }

    public static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /**
     * Whether an S3 answer's ETag can be the content's MD5, from its encryption headers: not when the object is
     * encrypted with a KMS key ({@code x-amz-server-side-encryption: aws:kms} or {@code aws:kms:dsse}) or a customer's
     * key ({@code x-amz-server-side-encryption-customer-algorithm}); yes when it is stored plainly or with the store's
     * own keys (SSE-S3, {@code AES256}). Either header may be null.
     */
    public static boolean etagCanBeMd5(String serverSideEncryption, String customerAlgorithm) {
        boolean kms = serverSideEncryption != null && serverSideEncryption.toLowerCase(Locale.ROOT).startsWith("aws:kms");
        boolean customerKey = customerAlgorithm != null && !customerAlgorithm.isBlank();
        return !kms && !customerKey;
    }

    /**
     * Checks the store's answer for one part (or a whole object): {@code what} names it in the failure ("part 3 of
     * key"), {@code md5} is the hex MD5 of the bytes sent, {@code etag} the ETag answered, quoted or not, and
     * {@code canBeMd5} what {@link #etagCanBeMd5} says of the answer's encryption.
     *
     * @throws StoreException VerificationFailed when the ETag is an MD5 other than the bytes sent
     */
    public synchronized void check(String what, String md5, String etag, boolean canBeMd5) {
        String answered = etag == null ? "" : unquote(etag.trim());
        if (!canBeMd5 || !MD5_HEX.matcher(answered).matches()) {
            anyUnproven = true;
            return;
        }
        if (!answered.equalsIgnoreCase(md5)) {
            throw new StoreException("VerificationFailed", "the store answered " + what + " with the MD5 " + answered
                    + ", but the bytes sent have the MD5 " + md5 + ": it did not store what was sent (or it is a store "
                    + "whose unencrypted ETags are not MD5s, unlike S3 and MinIO)");
        }
        matched++;
    }

    /** Whether every answer so far was the MD5 of the bytes sent, and there was at least one. */
    public boolean allMatched() {
        return !anyUnproven && matched > 0;
    }

    private static String unquote(String etag) {
        if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}

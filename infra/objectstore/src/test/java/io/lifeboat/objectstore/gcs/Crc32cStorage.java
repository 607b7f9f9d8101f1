package io.lifeboat.objectstore.gcs;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * google-cloud-nio's in-memory Storage with what GCS has and it lacks: every object's metadata carries the CRC32C
 * of the bytes stored (base64, big-endian), computed from those bytes as GCS does. With {@code corruptWrites}, each
 * writer stores one byte changed, as a fault on the way to the store would. Test scaffolding: it proves how the
 * upload uses the CRC32C, not that GCS computes one (its documentation says it does, for every object).
 */
final class Crc32cStorage {
    private Crc32cStorage() {
    }

    static Storage over(Storage memory, boolean corruptWrites) {
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[]{Storage.class},
                (proxy, method, args) -> {
                    Object result = invoke(memory, method, args);
                    if (method.getName().equals("get") && args.length >= 1 && args[0] instanceof BlobId id
                            && result instanceof Blob blob) {
                        return blob.toBuilder().setCrc32c(crc32c(memory.readAllBytes(id))).build();
                    }
                    if (method.getName().equals("writer") && corruptWrites && result instanceof WriteChannel writer) {
                        return corrupting(writer);
                    }
                    return result;
                });
    }

    /** A writer that changes one byte of the first buffer written. */
    private static WriteChannel corrupting(WriteChannel writer) {
        boolean[] done = {false};
        return (WriteChannel) Proxy.newProxyInstance(WriteChannel.class.getClassLoader(),
                new Class<?>[]{WriteChannel.class}, (proxy, method, args) -> {
                    if (method.getName().equals("write") && !done[0] && args[0] instanceof ByteBuffer src
                            && src.remaining() > 0) {
                        ByteBuffer copy = ByteBuffer.allocate(src.remaining());
                        copy.put(src).flip();
                        copy.put(copy.limit() / 2, (byte) (copy.get(copy.limit() / 2) ^ 0x20));
                        done[0] = true;
                        int n = copy.remaining();
                        while (copy.hasRemaining()) {
                            writer.write(copy);
                        }
                        return n;
                    }
                    return invoke(writer, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        long v = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
}

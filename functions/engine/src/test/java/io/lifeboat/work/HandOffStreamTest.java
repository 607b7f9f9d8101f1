package io.lifeboat.work;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandOffStreamTest {

    @Test
    void everyByteArrivesInOrderOnAnotherThreadAndIsThereWhenDrained() throws Exception {
        byte[] data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        String[] writer = new String[1];
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                target.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writer[0] = Thread.currentThread().getName();
                target.write(b, off, len);
            }
        };
        HandOffStream stream = new HandOffStream(recording, 4096, 3, "test-hand-off");
        for (int off = 0; off < data.length; off += 777) {
            stream.write(data, off, Math.min(777, data.length - off));
        }
        stream.drain();
        assertArrayEquals(data, target.toByteArray());
        assertEquals("test-hand-off", writer[0]);
        assertNotEquals(Thread.currentThread().getName(), writer[0]);
    }

    @Test
    void aFailureUnderneathReachesTheWriterAndNothingAfterItIsWritten() {
        AtomicLong writes = new AtomicLong();
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writes.incrementAndGet();
                throw new IOException("the upload broke");
            }
        };
        HandOffStream stream = new HandOffStream(failing, 16, 2, "test-hand-off");
        IOException thrown = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                stream.write(new byte[16]);
            }
            stream.drain();
        });
        assertTrue(thrown.getMessage().contains("the upload broke"), thrown.getMessage());
        assertEquals(1, writes.get(), "after the failure no chunk reaches the stream");
    }

    @Test
    void aSlowConsumerHoldsTheWriterBackWithinTheBuffers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        OutputStream slow = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                target.write(b, off, len);
            }
        };
        HandOffStream stream = new HandOffStream(slow, 10, 2, "test-hand-off");
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    stream.write(new byte[10]);
                    written.addAndGet(10);
                }
                stream.drain();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        // one buffer being written, two waiting, one being filled: at most 40 bytes accepted, whatever the timing
        assertTrue(written.get() <= 40, "accepted " + written.get() + " bytes with the consumer stuck");
        release.countDown();
        writer.get(10, TimeUnit.SECONDS);
        assertEquals(1000, target.size());
    }
}

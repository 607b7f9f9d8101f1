package io.lifeboat.work;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanoutTest {
    @Test
    void resultsComeBackInTheItemsOrderWithNoMoreThanTheConcurrencyInFlight() {
        List<Integer> items = IntStream.range(0, 200).boxed().toList();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch eightAtOnce = new CountDownLatch(8);
        List<Integer> doubled = Fanout.map(items, 8, i -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            eightAtOnce.countDown();
            try {
                eightAtOnce.await(5, TimeUnit.SECONDS); // the first eight wait for each other: all eight run at once
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            inFlight.decrementAndGet();
            return i * 2;
        });
        assertEquals(items.stream().map(i -> i * 2).toList(), doubled);
        assertEquals(8, most.get(), "eight in flight, never more");
    }

    @Test
    void itemsAreTakenOnlyWhileAllowedAndTheRestComeBackEmpty() {
        AtomicInteger taken = new AtomicInteger();
        List<Optional<Integer>> results = Fanout.mapWhile(IntStream.range(0, 100).boxed().toList(), 1,
                () -> taken.get() < 10, i -> {
                    taken.incrementAndGet();
                    return i;
                });
        assertEquals(100, results.size());
        assertEquals(IntStream.range(0, 10).boxed().map(Optional::of).toList(), results.subList(0, 10));
        assertTrue(results.subList(10, 100).stream().allMatch(Optional::isEmpty));
    }

    @Test
    void aFailingTaskLetsTheOthersEndThenIsThrown() {
        AtomicInteger ended = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Fanout.map(
                IntStream.range(0, 50).boxed().toList(), 4, i -> {
                    if (i == 3) {
                        throw boom;
                    }
                    return ended.incrementAndGet();
                }));
        assertSame(boom, thrown);
        assertEquals(49, ended.get(), "every other item still ran");
        assertThrows(IllegalArgumentException.class, () -> Fanout.map(List.of(1), 0, i -> i));
    }

    @Test
    void anErrorInATaskIsThrownTooNotLostWithItsThread() {
        AtomicInteger ended = new AtomicInteger();
        AbstractMethodError mismatch = new AbstractMethodError("advance");
        AbstractMethodError thrown = assertThrows(AbstractMethodError.class, () -> Fanout.mapWhile(
                IntStream.range(0, 50).boxed().toList(), 4, () -> true, i -> {
                    if (i == 7) {
                        throw mismatch;
                    }
                    return ended.incrementAndGet();
                }));
        assertSame(mismatch, thrown);
        assertEquals(49, ended.get(), "the worker that met it went on with the other items");
    }
}

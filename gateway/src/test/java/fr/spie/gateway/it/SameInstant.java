package fr.spie.gateway.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs the same operation from several threads released together by one start gate, as partners' retries, two
 * SFTP drops or two instances do: the concurrency tests' helper.
 */
final class SameInstant {
    private SameInstant() {
    }

    /**
     * Runs {@code call} on {@code threads} threads at once (each gets its index) and returns the results in index
     * order; a call that threw fails the run with its exception.
     */
    static <T> List<T> run(int threads, IntFunction<T> call) {
        CyclicBarrier gate = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    gate.await(10, TimeUnit.SECONDS);
                    return call.apply(index);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } catch (Exception e) {
            throw new AssertionError("a concurrent call failed", e);
        } finally {
            pool.shutdownNow();
        }
    }
}

package fr.spie.gateway.bench;

import java.util.Arrays;

/** Collects latencies; percentiles over all samples. */
final class LatencyRecorder {
    private long[] samples = new long[1 << 16];
    private int size;

    synchronized void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized String summary() {
        if (size == 0) {
            return "no samples";
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return String.format("p50 %.1f, p95 %.1f, p99 %.1f, max %.1f (n=%d)", ms(sorted, 0.50), ms(sorted, 0.95),
                ms(sorted, 0.99), sorted[size - 1] / 1e6, size);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}

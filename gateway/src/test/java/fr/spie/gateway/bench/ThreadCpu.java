package fr.spie.gateway.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Where the CPU of this JVM goes between two moments: CPU time per group of threads (names with their digits folded,
 * e.g. {@code http-nio-auto-1-exec-12} is {@code http-nio-auto-#-exec-#}), and what no visible thread accounts for
 * (the JIT compiler threads, the garbage collector and the VM's own threads are hidden from {@link ThreadMXBean}).
 * Threads are sampled every 250 ms, so that one that ends before the report still counts.
 * Thread CPU time, unlike sampling profilers, does not count a thread that is runnable but waiting for a core.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> cpuAtStart;
    private final Map<Long, Long> cpuLastSeen = new ConcurrentHashMap<>();
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final long processCpu;
    private final ScheduledExecutorService sampler;

    private ThreadCpu(Map<Long, Long> cpuAtStart, long processCpu) {
        this.cpuAtStart = cpuAtStart;
        this.processCpu = processCpu;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-thread-cpu");
            t.setDaemon(true);
            return t;
        });
        // threads that end before the report (a file's storing thread...) keep what they used up to the last sample
        sampler.scheduleAtFixedRate(this::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    /** Starts measuring: the CPU time of every live thread and of the process, now. */
    static ThreadCpu now() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return new ThreadCpu(cpu, processCpuNanos());
    }

    private void sample() {
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long t = THREADS.getThreadCpuTime(ids[i]);
            if (t >= 0 && infos[i] != null) {
                cpuLastSeen.put(ids[i], t);
                names.putIfAbsent(ids[i], infos[i].getThreadName());
            }
        }
    }

    /**
     * The CPU used from {@link #now()} to now, per thread group, largest first, as lines "share of the process's
     * CPU, seconds, microseconds per unit, group"; stops measuring.
     */
    String reportUntilNow(long units, String unit) {
        sampler.shutdown();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        long process = processCpuNanos() - processCpu;
        Map<String, Long> byGroup = new HashMap<>();
        long threadsTotal = 0;
        for (Map.Entry<Long, Long> seen : cpuLastSeen.entrySet()) {
            long used = seen.getValue() - cpuAtStart.getOrDefault(seen.getKey(), 0L);
            threadsTotal += used;
            byGroup.merge(names.get(seen.getKey()).replaceAll("\\d+", "#"), used, Long::sum);
        }
        byGroup.put("(JIT compiler, GC and VM threads)", Math.max(0, process - threadsTotal));
        Map<String, Long> sorted = byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> e.getValue() * 200 >= process) // 0.5 % and more
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        StringBuilder out = new StringBuilder(String.format("CPU of this JVM: %.1f s = %.0f us per %s; by thread "
                + "group (0.5 %% and more):%n", process / 1e9, process / 1e3 / Math.max(1, units), unit));
        sorted.forEach((group, nanos) -> out.append(String.format("  %5.1f %%  %7.1f s  %6.0f us/%s  %s%n",
                100.0 * nanos / Math.max(1, process), nanos / 1e9, nanos / 1e3 / Math.max(1, units), unit, group)));
        return out.toString();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}

package fr.spie.connector.caf.bench;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.caf.CnafBeneficiairesConnector;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates a synthetic VRSB0801 monthly file (default 1,000,000 persons in ≈500,000 households: alternately a couple
 * and a single person with a child, streamed to a temp file), then reads and maps it with a counting sink and reports
 * records/s and peak heap.
 *
 * <pre>
 * java -Xmx512m -cp &lt;test-classes:classes:deps&gt; fr.spie.connector.caf.bench.CnafFluxBenchmark [persons] [runs]
 * </pre>
 */
public final class CnafFluxBenchmark {

    private CnafFluxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int persons = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path file = Files.createTempFile("RSABEM-bench-", ".xml");
        try {
            long t0 = System.nanoTime();
            int foyers = fr.spie.connector.caf.SyntheticFluxGenerator.write(file, persons);
            long genMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf(Locale.ROOT, "generated %,d persons in %,d households, %,d MB, in %,d ms%n",
                    persons, foyers, Files.size(file) / (1024 * 1024), genMs);
            CnafBeneficiairesConnector connector = new CnafBeneficiairesConnector();
            for (int run = 1; run <= runs; run++) {
                System.gc();
                resetPeaks();
                AtomicLong maxUsed = new AtomicLong();
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        Runtime rt = Runtime.getRuntime();
                        maxUsed.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.setDaemon(true);
                sampler.start();
                CountingSink sink = new CountingSink();
                long start = System.nanoTime();
                ReadSummary summary;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                    summary = connector.read(in, sink);
                }
                long ns = System.nanoTime() - start;
                sampler.interrupt();
                sampler.join();
                double seconds = ns / 1e9;
                System.out.printf(Locale.ROOT,
                        "run %d: %,d households, %,d records (%,d persons), %,d rejected in %.2f s = %,.0f records/s"
                                + " (%,.0f persons/s); peak heap used %,d MB (pools), %,d MB (sampled); max heap %,d MB%n",
                        run, summary.nativeRecords(), sink.records, sink.records / 2, sink.rejected, seconds,
                        sink.records / seconds, sink.records / 2 / seconds, peakHeap() / (1024 * 1024),
                        maxUsed.get() / (1024 * 1024), Runtime.getRuntime().maxMemory() / (1024 * 1024));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static final class CountingSink implements RecordSink {
        long records;
        long rejected;
        long checksum;

        @Override
        public void accept(SpieRecord record) {
            records++;
            checksum += record.payload().size() + record.changeKey().length();
        }

        @Override
        public void reject(RecordRejection rejection) {
            rejected++;
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

}

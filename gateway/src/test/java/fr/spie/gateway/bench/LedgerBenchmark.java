package fr.spie.gateway.bench;

import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.LedgerVerifier;
import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.MerkleLog;
import fr.spie.gateway.ledger.MerkleVerifier;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.VerificationReport;
import fr.spie.gateway.ledger.store.FileLeafHashStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Ledger benchmark (not a test): append rate on the file store, inclusion proof latency at
 * 10 million leaves, and full offline verification rate.
 *
 * <p>Arguments (optional): {@code [workDir] [appendLeaves=2000000] [proofLeaves=10000000]}.
 */
public final class LedgerBenchmark {

    private static final int ENTRY_SIZE = 400;
    private static final int BATCH = 500;
    private static final byte[] TEMPLATE = template();

    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("ledger-bench");
        long appendLeaves = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
        long proofLeaves = args.length > 2 ? Long.parseLong(args[2]) : 10_000_000L;
        Files.createDirectories(dir);
        Path leafFile = dir.resolve("leaves.bin");
        Files.deleteIfExists(leafFile);
        printMachine();

        // 1. append rate, durable batches (sync after every batch of 500)
        MerkleLog log = new MerkleLog(FileLeafHashStore.open(leafFile));
        long t0 = System.nanoTime();
        appendRange(log, 0, appendLeaves, true);
        double s1 = seconds(t0);
        System.out.printf("append (file store, %d-byte entries, batches of %d, sync per batch): %,d leaves in %.2f s = %,.0f leaves/s%n",
                ENTRY_SIZE, BATCH, appendLeaves, s1, appendLeaves / s1);

        // 2. build up to proofLeaves (sync every 100 batches)
        long t1 = System.nanoTime();
        appendRange(log, appendLeaves, proofLeaves, false);
        log.sync();
        double s2 = seconds(t1);
        long built = proofLeaves - appendLeaves;
        System.out.printf("build to %,d leaves (sync every 50,000): %,d leaves in %.2f s = %,.0f leaves/s%n",
                proofLeaves, built, s2, built / s2);
        byte[] root = log.rootHash();
        log.close();

        // 3. reopen (rebuilds the in-memory subtree cache from the leaf file)
        long t2 = System.nanoTime();
        log = new MerkleLog(FileLeafHashStore.open(leafFile));
        double s3 = seconds(t2);
        System.out.printf("reopen + cache rebuild at %,d leaves: %.2f s (root unchanged: %s)%n",
                log.size(), s3, Arrays.equals(root, log.rootHash()));

        // 4. inclusion proofs at the full size, random indexes (plus warm-up)
        Random random = new Random(1);
        long n = log.size();
        for (int i = 0; i < 2000; i++) {
            log.inclusionProof(Math.floorMod(random.nextLong(), n), n);
        }
        int proofs = 10_000;
        long[] nanos = new long[proofs];
        long[] indexes = new long[proofs];
        List<List<byte[]>> kept = new ArrayList<>();
        for (int i = 0; i < proofs; i++) {
            long index = Math.floorMod(random.nextLong(), n);
            long s = System.nanoTime();
            List<byte[]> proof = log.inclusionProof(index, n);
            nanos[i] = System.nanoTime() - s;
            indexes[i] = index;
            if (i % 100 == 0) {
                kept.add(proof);
            }
        }
        for (int i = 0; i < kept.size(); i++) {
            long index = indexes[i * 100];
            if (!MerkleVerifier.verifyInclusion(MerkleHash.leafHash(entry(index)), index, n, kept.get(i), root)) {
                throw new IllegalStateException("proof for " + index + " does not verify");
            }
        }
        Arrays.sort(nanos);
        System.out.printf("inclusion proof at %,d leaves (%,d random indexes): p50 %.1f us, p99 %.1f us, max %.1f us%n",
                n, proofs, nanos[proofs / 2] / 1e3, nanos[proofs * 99 / 100] / 1e3, nanos[proofs - 1] / 1e3);

        // 5. consistency proofs between random historical sizes
        long[] cnanos = new long[proofs];
        for (int i = 0; i < proofs; i++) {
            long second = 1 + Math.floorMod(random.nextLong(), n);
            long first = 1 + Math.floorMod(random.nextLong(), second);
            long s = System.nanoTime();
            log.consistencyProof(first, second);
            cnanos[i] = System.nanoTime() - s;
        }
        Arrays.sort(cnanos);
        System.out.printf("consistency proof, random sizes <= %,d: p50 %.1f us, p99 %.1f us%n",
                n, cnanos[proofs / 2] / 1e3, cnanos[proofs * 99 / 100] / 1e3);

        // 6. full offline verification: recompute all leaf hashes and the root, check the signature
        GatewayKeys keys = GatewayKeys.generate();
        SignedTreeHead sth = new TreeHeadSigner(keys).sign(log.treeHead(Instant.now()));
        log.close();
        LedgerVerifier verifier = new LedgerVerifier(keys.publicKey());
        long t3 = System.nanoTime();
        VerificationReport report = verifier.verify(entries(n), List.of(sth));
        double s6 = seconds(t3);
        System.out.printf("full verification (entries only): %,d entries in %.2f s = %,.0f entries/s, ok=%s%n",
                report.entriesChecked(), s6, report.entriesChecked() / s6, report.ok());

        Files.deleteIfExists(leafFile);
        try (Stream<Path> rest = Files.list(dir)) {
            if (rest.findAny().isEmpty() && args.length == 0) {
                Files.delete(dir);
            }
        }
    }

    private static void appendRange(MerkleLog log, long from, long to, boolean syncEachBatch) {
        List<byte[]> batch = new ArrayList<>(BATCH);
        int batches = 0;
        for (long i = from; i < to; i++) {
            batch.add(entry(i));
            if (batch.size() == BATCH || i == to - 1) {
                log.appendAll(batch);
                batch.clear();
                batches++;
                if (syncEachBatch || batches % 100 == 0) {
                    log.sync();
                }
            }
        }
    }

    private static Iterable<byte[]> entries(long n) {
        return () -> new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public byte[] next() {
                return entry(next++);
            }
        };
    }

    /** A ~400-byte JSON-like audit entry with the index written into it. */
    static byte[] entry(long index) {
        byte[] e = TEMPLATE.clone();
        long v = index;
        for (int p = 28; p >= 9; p--) {
            e[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return e;
    }

    private static byte[] template() {
        StringBuilder sb = new StringBuilder("{\"index\":00000000000000000000,\"event\":\"DELIVERY_ACKNOWLEDGED\","
                + "\"partner\":\"france-travail\",\"route\":\"rsa-orientation\",\"legalBasis\":\"L5411-1\","
                + "\"payload\":\"");
        while (sb.length() < ENTRY_SIZE - 2) {
            sb.append('x');
        }
        sb.append("\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void printMachine() throws IOException {
        String cpu = "unknown";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            }
        }
        System.out.printf("JVM: %s %s (%s), max heap %d MiB; CPU: %s, %d available processors, %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("java.vm.vendor"), Runtime.getRuntime().maxMemory() >> 20, cpu,
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"));
    }
}

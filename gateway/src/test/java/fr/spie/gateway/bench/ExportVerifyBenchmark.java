package fr.spie.gateway.bench;

import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.MerkleLog;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHead;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.export.ExportCodec;
import fr.spie.gateway.ledger.export.ExportRecord;
import fr.spie.gateway.ledger.export.ExportVerifier;
import fr.spie.gateway.ledger.store.InMemoryLeafHashStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What an auditor's {@code audit verify} costs on a full export: writes a full export of N audit entries (the
 * {@code ledger.jsonl} and {@code leaves.bin} that {@code audit export-full} writes, three signed tree heads), then
 * verifies it with {@link ExportVerifier} several times in this JVM and prints entries per second.
 *
 * <p>Arguments: [entries=1000000] [rounds=5] [directory]. With a directory, the export (and its
 * {@code ledger-public-key.pem}) is written there and kept, e.g. to try {@code audit verify} on it. Run with
 * {@code ./gateway/bench.sh ExportVerifyBenchmark}.
 */
public final class ExportVerifyBenchmark {

    private ExportVerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean keep = args.length > 2;
        Path dir = keep ? Files.createDirectories(Path.of(args[2])) : Files.createTempDirectory("spie-export-bench");
        try {
            GatewayKeys keys = GatewayKeys.generate();
            long t0 = System.nanoTime();
            writeFullExport(dir, n, keys);
            Files.writeString(dir.resolve("ledger-public-key.pem"), keys.publicKeyPem());
            System.out.printf("full export: %,d entries, ledger.jsonl %,d MB, written in %.1f s%n", n,
                    Files.size(dir.resolve("ledger.jsonl")) >> 20, (System.nanoTime() - t0) / 1e9);
            System.out.printf("machine: %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.version"));
            ExportVerifier verifier = new ExportVerifier(keys.publicKey());
            for (int r = 1; r <= rounds; r++) {
                long start = System.nanoTime();
                ExportVerifier.Result result = verifier.verify(dir);
                double s = (System.nanoTime() - start) / 1e9;
                if (!result.ok()) {
                    throw new IllegalStateException("the export does not verify: " + result.message());
                }
                System.out.printf("round %d: %,d entries verified in %.2f s = %,.0f entries/s%n", r, result.events(),
                        s, result.events() / s);
            }
        } finally {
            if (keep) {
                System.out.println("export kept in " + dir);
            } else {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** Entries shaped like the gateway's audit entries (canonical JSON, ~400 bytes), heads at n/4, n/2 and n. */
    private static void writeFullExport(Path dir, int n, GatewayKeys keys) throws Exception {
        MerkleLog log = new MerkleLog(new InMemoryLeafHashStore());
        Instant t0 = Instant.parse("2026-01-05T08:00:00Z");
        String[] types = {"RECEIVED", "ROUTED", "DELIVERY_ATTEMPTED", "DELIVERED"};
        byte[] leaves = new byte[n * 32];
        try (OutputStream out = Files.newOutputStream(dir.resolve("ledger.jsonl"))) {
            ExportCodec.RecordWriter writer = new ExportCodec.RecordWriter(out, ExportCodec.Format.JSONL);
            writer.write(ExportRecord.header(ExportRecord.KIND_FULL, t0, Map.of(), keys.keyId(), keys.publicKeyPem()));
            String[] entries = new String[n];
            for (int i = 0; i < n; i++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("actor", "caf-51");
                e.put("configVersion", "9f2c".repeat(16));
                e.put("eventType", types[i % types.length]);
                e.put("exchangeId", new java.util.UUID(0x5e1eL, i / types.length).toString());
                e.put("ledgerIndex", i);
                e.put("payloadDigest", String.format("%064x", i));
                e.put("recipient", "cd-51");
                e.put("recordType", "rsa-situation");
                e.put("recordedAt", t0.plusMillis(i).toString());
                e.put("seq", i + 1);
                e.put("sourcePartner", "caf-51");
                e.put("subjectPseudonym", String.format("%064x", (long) i * 2_654_435_761L));
                entries[i] = ExportCodec.JSON.writeValueAsString(e);
                byte[] bytes = entries[i].getBytes(StandardCharsets.UTF_8);
                log.append(bytes);
                System.arraycopy(MerkleHash.leafHash(bytes), 0, leaves, i * 32, 32);
            }
            TreeHeadSigner signer = new TreeHeadSigner(keys);
            for (long size : new long[] {n / 4, n / 2, n}) {
                SignedTreeHead head = signer.sign(new TreeHead(size, log.rootHash(size), t0.plusSeconds(size)));
                writer.write(ExportRecord.treeHead(head));
            }
            for (int i = 0; i < n; i++) {
                writer.write(ExportRecord.event(i, java.util.Arrays.copyOfRange(leaves, i * 32, i * 32 + 32),
                        entries[i], null, null));
            }
            writer.flush();
        }
        Files.write(dir.resolve("leaves.bin"), leaves);
    }
}

package fr.spie.gateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The load generator of the end-to-end benchmarks: N client threads POST {@code rsa-situation} envelopes from
 * {@code caf-51} for a warm-up then a measured window, spread round-robin over the gateways' intake URLs (as a load
 * balancer would). Each envelope names a different person (NIR and name), as in real traffic: the tasks of one person
 * form one message group and are delivered one at a time, so a load of a single person would measure that instead.
 */
final class IntakeLoad {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What the clients saw in the measured window.
     *
     * @param cpu where this JVM's CPU went during the window ({@link ThreadCpu}), per accepted exchange
     */
    record Result(long accepted, int errors, LatencyRecorder intakeLatency, String cpu) {
    }

    private IntakeLoad() {
    }

    static Result run(List<URI> intakes, int clients, int seconds, int warmup, RecipientSink sink)
            throws IOException, InterruptedException {
        ObjectNode template;
        try (InputStream in = IntakeLoad.class.getResourceAsStream(
                "/spie/examples/v1/rsa-situation/rsa-situation.open-payable-applicant.valid.json")) {
            template = (ObjectNode) JSON.readTree(in);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        LatencyRecorder intakeLatency = new LatencyRecorder();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        long measureFrom = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
        long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
        sink.measureFrom(measureFrom);
        CountDownLatch done = new CountDownLatch(clients);
        // the CPU of the window is read at its end, while the clients are still alive (a thread that ended is not
        // counted by its name any more)
        CompletableFuture<String> cpuReport = new CompletableFuture<>();
        Thread cpuClock = new Thread(() -> {
            try {
                Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
                ThreadCpu start = ThreadCpu.now();
                Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
                cpuReport.complete(start.reportUntilNow(accepted.get(), "exchange"));
            } catch (InterruptedException e) {
                cpuReport.completeExceptionally(e);
            }
        }, "bench-cpu-clock");
        cpuClock.setDaemon(true);
        cpuClock.start();
        for (int c = 0; c < clients; c++) {
            int client = c;
            URI intake = intakes.get(c % intakes.size());
            Thread worker = new Thread(() -> {
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        ObjectNode envelope = template.deepCopy();
                        String id = UUID.randomUUID().toString();
                        envelope.put("exchangeId", id);
                        ObjectNode subject = (ObjectNode) envelope.path("subject");
                        subject.put("birthName", "BENCH" + client + "X" + n);
                        subject.put("nir", String.format("282025%02d%05d", client % 100, n++ % 100_000));
                        HttpRequest request = HttpRequest.newBuilder(intake)
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer test-token-caf-51")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(envelope)))
                                .build();
                        long t0 = System.nanoTime();
                        sink.submitted(id, t0);
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        long t1 = System.nanoTime();
                        if (response.statusCode() != 202) {
                            sink.forget(id);
                            errors.incrementAndGet();
                        } else if (t0 >= measureFrom) {
                            intakeLatency.record(t1 - t0);
                            accepted.incrementAndGet();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    errors.incrementAndGet();
                } finally {
                    done.countDown();
                }
            }, "bench-client-" + c);
            worker.start();
        }
        done.await();
        String cpu;
        try {
            cpu = cpuReport.get();
        } catch (java.util.concurrent.ExecutionException e) {
            cpu = "CPU of this JVM: not measured (" + e.getCause() + ")";
        }
        return new Result(accepted.get(), errors.get(), intakeLatency, cpu);
    }
}

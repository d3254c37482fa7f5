package fr.spie.gateway.delivery;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The body of a recipient's answer, which a delivery does not need: the status says it all. The response is handed
 * over as soon as its status and headers arrive; the body is read and thrown away behind it (so that the connection
 * can serve the next delivery), but no more than {@link #MAX_BYTES} nor for longer than the delivery's timeout: then
 * the connection is dropped. A recipient that answers with a body without end, or one byte at a time, cannot hold a
 * consumer of its queue.
 */
public final class UnreadResponseBody implements HttpResponse.BodyHandler<Void> {
    /** The most of an answer's body read before its connection is dropped. */
    public static final long MAX_BYTES = 64 * 1024;

    /** Drops the connections whose body takes too long; a body read to its end takes its task off at once. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final Duration readFor;

    /** @param readFor how long the body is read at most before its connection is dropped */
    public UnreadResponseBody(Duration readFor) {
        this.readFor = readFor;
    }

    @Override
    public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo responseInfo) {
        return new Drain();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "spie-response-body-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private final class Drain implements HttpResponse.BodySubscriber<Void> {
        private Flow.Subscription subscription;
        private ScheduledFuture<?> deadline;
        private long read;
        private boolean finished;

        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            deadline = TIMER.schedule(this::giveUp, readFor.toMillis(), TimeUnit.MILLISECONDS);
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> item) {
            for (ByteBuffer buffer : item) {
                read += buffer.remaining();
            }
            if (read > MAX_BYTES) {
                giveUp();
            }
        }

        @Override
        public synchronized void onError(Throwable throwable) {
            finish();
        }

        @Override
        public synchronized void onComplete() {
            finish();
        }

        private void finish() {
            finished = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
        }

        private synchronized void giveUp() {
            if (!finished) {
                finish();
                subscription.cancel();
            }
        }
    }
}

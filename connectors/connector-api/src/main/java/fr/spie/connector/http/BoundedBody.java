package fr.spie.connector.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
 * An answer's body, read within bounds: at most {@code maxBytes}, and complete within {@code readFor} of its headers
 * (a request's timeout only covers the wait for the headers). Beyond either the connection is dropped and the body
 * fails with an {@link IOException} (an {@link HttpTimeoutException} for the time): a server answering a body without
 * end, or one byte at a time, neither fills the memory nor holds the caller.
 */
public final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {
    /** Drops the connections whose body takes too long; a body read to its end takes its task off at once. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final long maxBytes;
    private final Duration readFor;

    public BoundedBody(long maxBytes, Duration readFor) {
        this.maxBytes = maxBytes;
        this.readFor = readFor;
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo responseInfo) {
        return new Reader();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "spie-http-body-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private final class Reader implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream read = new ByteArrayOutputStream();
        private Flow.Subscription subscription;
        private ScheduledFuture<?> deadline;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            deadline = TIMER.schedule(() -> giveUp(new HttpTimeoutException("answer body not complete within "
                    + readFor.toMillis() + " ms")), readFor.toMillis(), TimeUnit.MILLISECONDS);
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> item) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : item) {
                if (read.size() + (long) buffer.remaining() > maxBytes) {
                    giveUp(new IOException("answer body over " + maxBytes + " bytes"));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                read.writeBytes(bytes);
            }
        }

        @Override
        public synchronized void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
            deadline.cancel(false);
        }

        @Override
        public synchronized void onComplete() {
            body.complete(read.toByteArray());
            deadline.cancel(false);
        }

        private synchronized void giveUp(IOException why) {
            deadline.cancel(false);
            if (body.completeExceptionally(why)) {
                subscription.cancel();
            }
        }
    }
}

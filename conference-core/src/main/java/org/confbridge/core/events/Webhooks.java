package org.confbridge.core.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session events POSTed to {@code events.webhookUrl}, one JSON object each with a unique {@code id},
 * signed with {@code X-Confbridge-Timestamp: <unix seconds>} and
 * {@code X-Confbridge-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">} under
 * {@code events.webhookSecret}: a receiver that checks the signature, refuses old timestamps and
 * remembers ids can be neither forged nor replayed to. A bounded queue and one sender thread: a room never waits; a full
 * queue drops the event; a failed delivery (no answer, or not 2xx) is retried three times with
 * growing pauses. Delivered, failed and dropped events are counted.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    static final int QUEUE = 1000;
    private static final long[] RETRY_MILLIS = {1000, 4000, 16000};

    private final Supplier<String> url;
    private final Supplier<String> secret;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread sender;
    private final Counter delivered;
    private final Counter failed;
    private final Counter dropped;
    private volatile boolean running = true;

    private final java.time.Clock clock;

    public Webhooks(Supplier<String> url, Supplier<String> secret, MeterRegistry registry) {
        this(url, secret, registry, java.time.Clock.systemUTC());
    }

    Webhooks(Supplier<String> url, Supplier<String> secret, MeterRegistry registry, java.time.Clock clock) {
        this.clock = clock;
        this.url = url;
        this.secret = secret;
        this.delivered = counter(registry, "delivered");
        this.failed = counter(registry, "failed");
        this.dropped = counter(registry, "dropped");
        this.sender = new Thread(this::run, "webhooks");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("bridge.webhooks").tag("result", result).description("session events sent to the webhook")
                .register(registry);
    }

    /** Queues an event (never blocks); nothing when no webhook is configured. */
    public void publish(Map<String, Object> event) {
        if (url.get().isEmpty()) {
            return;
        }
        Map<String, Object> identified = new java.util.LinkedHashMap<>();
        identified.put("id", eventId());
        identified.putAll(event);
        byte[] body;
        try {
            body = json.writeValueAsBytes(identified);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (!queue.offer(body)) {
            dropped.increment();
            log.warn("webhook queue full ({} events): event {} dropped", QUEUE, event.get("type"));
        }
    }

    private void run() {
        while (running) {
            byte[] body;
            try {
                body = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (body != null) {
                deliver(body);
            }
        }
    }

    private void deliver(byte[] body) {
        for (int attempt = 0; attempt <= RETRY_MILLIS.length && running; attempt++) {
            String target = url.get();
            if (target.isEmpty()) {
                return;
            }
            String problem;
            try {
                // Signed afresh at each attempt: a receiver may refuse timestamps older than a few minutes.
                String timestamp = Long.toString(clock.instant().getEpochSecond());
                HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-Confbridge-Timestamp", timestamp)
                        .header("X-Confbridge-Signature", "sha256=" + sign(timestamp, body, secret.get()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    delivered.increment();
                    return;
                }
                problem = "HTTP " + status;
            } catch (java.io.IOException | IllegalArgumentException e) {
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt == RETRY_MILLIS.length) {
                failed.increment();
                log.warn("webhook {}: event not delivered after {} attempts ({})", target, attempt + 1, problem);
                return;
            }
            try {
                Thread.sleep(RETRY_MILLIS[attempt]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final java.security.SecureRandom IDS = new java.security.SecureRandom();

    /** 128 random bits in hex: unique per event, so a receiver can refuse a replayed one. */
    private static String eventId() {
        byte[] id = new byte[16];
        IDS.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** Hex HMAC-SHA256 of {@code "<timestamp>.<body>"} under {@code key}. */
    public static String sign(String timestamp, byte[] body, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.isEmpty() ? new byte[1] : key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gives what is queued two seconds to go out, then stops. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running = false;
        sender.interrupt();
    }
}

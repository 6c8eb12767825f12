package org.confbridge.core.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API's requests for a room that runs on another node, sent on to that node's API: one
 * hop (a forwarded request carries {@link #FORWARDED} and is never sent on again), the caller's
 * token as it came (the nodes share {@code admin.token}), two seconds at most, and the owner's
 * answer returned as it is. Which node runs a room comes from the last sync, so this works while
 * Redis is away, as far as that picture still holds.
 */
public final class RoomForwarding {
    /** Set on a forwarded request: the node that sent it on. */
    public static final String FORWARDED = "X-Confbridge-Forwarded-By";
    /** Set on a forwarded request's answer: the node that acted. */
    public static final String ACTED = "X-Confbridge-Node";
    private static final Pattern ROOM_PATH = Pattern.compile("/api/rooms/([0-9]{1,20})(/.*)?");

    private final ClusterNode cluster;
    private final Predicate<String> openHere;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** A request to send on: where, and the node that runs the room. */
    public record Target(String node, String base) {
    }

    public RoomForwarding(ClusterNode cluster, Predicate<String> openHere) {
        this.cluster = cluster;
        this.openHere = openHere;
    }

    /**
     * Where a request for {@code path} goes instead of here: the node running its room, or null
     * when this node acts (the room is open here, runs nowhere, or the request was forwarded already).
     */
    public Target target(String path, String forwardedBy) {
        Matcher m = ROOM_PATH.matcher(path);
        if (forwardedBy != null || !m.matches() || openHere.test(m.group(1))) {
            return null;
        }
        ClusterNode.Running running = cluster.runningElsewhere().get(m.group(1));
        String base = running == null ? null : cluster.apiOf(running.node());
        return base == null ? null : new Target(running.node(), base);
    }

    /** Sends the request on; completes with the owner's answer, or exceptionally when it gave none in time. */
    public CompletableFuture<HttpResponse<byte[]>> send(Target to, String method, String uri, String contentType,
                                                        String authorization, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(to.base() + uri)).timeout(Duration.ofSeconds(2))
                .header(FORWARDED, cluster.nodeId())
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}

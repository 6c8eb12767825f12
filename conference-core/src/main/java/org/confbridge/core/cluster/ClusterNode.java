package org.confbridge.core.cluster;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.confbridge.config.NumberRange;
import org.confbridge.core.room.OnDemandRooms;
import org.confbridge.core.security.SourceGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * This node among the others, through Redis (DESIGN section 10). One thread, once a second: says
 * the node is alive, names the rooms running here, mirrors the rooms made over any node's API into
 * this node's folder, and takes over the guessing blocks of the others. Every key expires, so a
 * dead node's traces go by themselves. Redis away: nothing here waits on it (see {@link RedisLink}),
 * running calls and static rooms go on, creating rooms answers 503. Redis back, and empty (the
 * {@link #EPOCH} key gone): the nodes announce again what they hold.
 */
public final class ClusterNode implements AutoCloseable, OnDemandRooms.Shared, org.confbridge.core.security.SharedGuessing {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    static final String PREFIX = "confbridge:";
    private static final String ROOM = PREFIX + "room:";
    private static final String RUNNING = PREFIX + "running:";
    private static final String NODE = PREFIX + "node:";
    private static final String BLOCK = PREFIX + "block:";
    private static final String GUESS = PREFIX + "guess:";
    /** Set once by the first node to see an empty Redis: its absence means Redis forgot everything. */
    static final String EPOCH = PREFIX + "epoch";
    private static final long ALIVE_MILLIS = 10_000;
    /** How long a room stays in Redis after its expiry: the nodes still running it sweep it when empty. */
    private static final Duration AFTER_EXPIRY = Duration.ofHours(6);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One number of the range no node has, from a random start; the key held empty until stored. */
    private static final String CLAIM = """
            local low, high, start = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local taken = {}
            for i = 5, #ARGV do taken[ARGV[i]] = true end
            local n = high - low + 1
            for i = 0, n - 1 do
              local num = string.format('%d', low + (start - low + i) % n)
              if not taken[num] and redis.call('EXISTS', ARGV[4] .. num) == 0 then
                redis.call('SET', ARGV[4] .. num, '', 'PX', 60000)
                return num
              end
            end
            return false
            """;
    /** A room's running record removed only while it still names this node. */
    private static final String RELEASE = """
            if redis.call('GET', ARGV[1]) and string.find(redis.call('GET', ARGV[1]), ARGV[2] .. ' ', 1, true) == 1 then
              return redis.call('DEL', ARGV[1])
            end
            return 0
            """;
    /** A wrong entry counted for a source, its window starting with the first. */
    private static final String COUNT = """
            local c = redis.call('INCR', ARGV[1])
            if c == 1 then redis.call('PEXPIRE', ARGV[1], ARGV[2]) end
            return c
            """;

    private final RedisLink redis;
    private final String nodeId;
    private final String apiUrl;
    private final String sipAddress;
    private final OnDemandRooms rooms;
    private final SourceGuard guard;
    private final Supplier<Map<String, Integer>> runningHere;
    private final LongSupplier millis;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster");
        t.setDaemon(true);
        return t;
    });
    /** Blocks seen in Redis (address to until), to lift here when their key goes before its time. */
    private final Map<String, Long> blocksFromOthers = new HashMap<>();
    private volatile Map<String, Running> runningElsewhere = Map.of();
    /** The rooms this node named as running at the last sync: one that closed is released at once. */
    private java.util.Set<String> namedHere = java.util.Set.of();
    private volatile Map<String, String> nodeApis = Map.of();
    private final SessionIndex sessions;

    /** A room running on another node: which, and how many are in it. */
    public record Running(String node, int participants) {
    }

    /**
     * @param rooms       rooms made over the API (null: this node has no folder for them)
     * @param runningHere the rooms open on this node, number to participants
     */
    public ClusterNode(String redisUri, String nodeId, String apiUrl, String sipAddress, OnDemandRooms rooms, SourceGuard guard,
                       Supplier<Map<String, Integer>> runningHere, java.util.function.IntSupplier retentionDays,
                       LongSupplier millis) {
        this.redis = new RedisLink(redisUri, millis);
        this.sessions = new SessionIndex(redis, nodeId, thread, retentionDays);
        this.nodeId = nodeId;
        this.apiUrl = apiUrl;
        this.sipAddress = sipAddress;
        this.rooms = rooms;
        this.guard = guard;
        this.runningHere = runningHere;
        this.millis = millis;
    }

    /** Joins the others: shares this node's rooms and blocks, and syncs once a second from now on. */
    public void start() {
        if (rooms != null) {
            rooms.share(this);
        }
        guard.share(this);
        thread.scheduleWithFixedDelay(this::sync, 0, 1, TimeUnit.SECONDS);
        log.info("cluster: node {} (API {}) shares its rooms through Redis {}", nodeId, apiUrl, redis.where());
    }

    public String nodeId() {
        return nodeId;
    }

    /** Whether Redis answers: the node is "degraded" while it does not. */
    public boolean redisUp() {
        return redis.up();
    }

    /** Every node's sessions. */
    public SessionIndex sessions() {
        return sessions;
    }

    /** The API address of a live node, as the last sync saw it; null for one not seen. */
    public String apiOf(String node) {
        String record = nodeApis.get(node);
        return record == null ? null : record.split(" ")[0];
    }

    /** The SIP host:port of the live node running {@code room}, as the last sync saw it; null when none other does. */
    public String sipOfRoom(String room) {
        Running running = runningElsewhere.get(room);
        String record = running == null ? null : nodeApis.get(running.node());
        String[] parts = record == null ? new String[0] : record.split(" ");
        return parts.length == 2 ? parts[1] : null;
    }

    /** Rooms running on other nodes, as the last sync saw them. */
    public Map<String, Running> runningElsewhere() {
        return runningElsewhere;
    }

    private void sync() {
        try {
            if (!redis.call(j -> j.exists(EPOCH))) {
                // A Redis that knows nothing: this node tells it what it holds, and only then says
                // so, lest another node mirror a half-told Redis and end rooms that still exist.
                announce();
                redis.call(j -> j.set(EPOCH, nodeId + " " + Instant.ofEpochMilli(millis.getAsLong())));
            }
            redis.call(j -> j.set(NODE + nodeId, apiUrl + " " + sipAddress, SetParams.setParams().px(ALIVE_MILLIS)));
            nodeApis = Map.copyOf(values(NODE));
            Map<String, Integer> here = runningHere.get();
            for (Map.Entry<String, Integer> e : here.entrySet()) {
                redis.call(j -> j.set(RUNNING + e.getKey(), nodeId + " " + e.getValue(), SetParams.setParams().px(ALIVE_MILLIS)));
            }
            for (String closed : namedHere) {
                if (!here.containsKey(closed)) {
                    redis.call(j -> j.eval(RELEASE, List.of(), List.of(RUNNING + closed, nodeId)));
                }
            }
            namedHere = java.util.Set.copyOf(here.keySet());
            Map<String, Running> elsewhere = new HashMap<>();
            values(RUNNING).forEach((room, value) -> {
                String[] parts = value.split(" ");
                if (!here.containsKey(room) && parts.length == 2 && !parts[0].equals(nodeId)) {
                    elsewhere.put(room, new Running(parts[0], Integer.parseInt(parts[1])));
                }
            });
            runningElsewhere = Map.copyOf(elsewhere);
            if (rooms != null) {
                Map<String, String> shared = new HashMap<>();
                values(ROOM).forEach((number, text) -> {
                    if (!text.isEmpty()) {
                        shared.put(number, text); // empty: a number being claimed
                    }
                });
                for (String gone : rooms.mirror(shared)) {
                    log.info("cluster: room {} was deleted through another node: ended and removed here", gone);
                }
            }
            syncBlocks();
        } catch (OnDemandRooms.Unavailable e) {
            // said by the link, once a minute
        } catch (IOException | RuntimeException e) {
            log.warn("cluster: sync failed: {}", e.toString());
        }
    }

    private void syncBlocks() {
        Map<String, String> blocks = values(BLOCK);
        for (Map.Entry<String, String> e : blocks.entrySet()) {
            long until = Long.parseLong(e.getValue());
            guard.blockedElsewhere(e.getKey(), until);
            blocksFromOthers.put(e.getKey(), until);
        }
        blocksFromOthers.entrySet().removeIf(e -> {
            if (!blocks.containsKey(e.getKey()) && e.getValue() > millis.getAsLong()) {
                guard.unblockedElsewhere(e.getKey()); // lifted through another node
                return true;
            }
            return !blocks.containsKey(e.getKey());
        });
    }

    /** After Redis forgot everything: this node's rooms and blocks go back in, where no other node put them. */
    private void announce() throws IOException {
        int count = 0;
        if (rooms != null) {
            for (Map.Entry<String, String> e : rooms.ownFiles().entrySet()) {
                Instant expires = expiresOf(e.getValue());
                long ttl = Duration.between(Instant.ofEpochMilli(millis.getAsLong()), expires.plus(AFTER_EXPIRY)).toMillis();
                if (ttl > 0 && redis.call(j -> j.set(ROOM + e.getKey(), e.getValue(), SetParams.setParams().nx().px(ttl))) != null) {
                    count++;
                }
            }
        }
        for (SourceGuard.Blocked b : guard.blocked()) {
            long until = Instant.parse(b.until()).toEpochMilli();
            long ttl = until - millis.getAsLong();
            if (ttl > 0) {
                redis.call(j -> j.set(BLOCK + b.address(), Long.toString(until), SetParams.setParams().nx().px(ttl)));
            }
        }
        log.info("cluster: Redis held nothing: node {} announced its {} room(s) made over the API and its blocks",
                nodeId, count);
    }

    private static Instant expiresOf(String fileText) {
        for (String line : fileText.split("\n")) {
            if (line.startsWith("expires = ")) {
                return Instant.parse(line.substring("expires = ".length()).trim());
            }
        }
        return Instant.EPOCH;
    }

    /** Every key under {@code prefix}, without it, to its value. */
    private Map<String, String> values(String prefix) {
        List<String> keys = new ArrayList<>();
        ScanParams params = new ScanParams().match(prefix + "*").count(500);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            String from = cursor;
            ScanResult<String> page = redis.call(j -> j.scan(from, params));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        Map<String, String> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        List<String> got = redis.call(j -> j.mget(keys.toArray(new String[0])));
        for (int i = 0; i < keys.size(); i++) {
            if (got.get(i) != null) {
                out.put(keys.get(i).substring(prefix.length()), got.get(i));
            }
        }
        return out;
    }

    // ---- rooms made over the API (OnDemandRooms.Shared), on the API's thread ----

    @Override
    public Optional<String> claim(NumberRange range, Set<String> takenHere) {
        List<String> args = new ArrayList<>(List.of(Long.toString(range.low()), Long.toString(range.high()),
                Long.toString(range.low() + (long) (RANDOM.nextDouble() * (range.high() - range.low() + 1))), ROOM));
        args.addAll(takenHere);
        Object number = redis.call(j -> j.eval(CLAIM, List.of(), args));
        return Optional.ofNullable(number instanceof String s ? s : null);
    }

    @Override
    public void store(String number, String fileText, Instant expires) {
        long ttl = Duration.between(Instant.ofEpochMilli(millis.getAsLong()), expires.plus(AFTER_EXPIRY)).toMillis();
        redis.call(j -> j.set(ROOM + number, fileText, SetParams.setParams().px(ttl)));
    }

    @Override
    public void remove(String number) {
        redis.call(j -> j.del(ROOM + number));
    }

    // ---- guessing (org.confbridge.core.security.SharedGuessing): from room threads, so never waited for there ----

    @Override
    public void wrongEntry(String address, int threshold, long windowMillis, long blockMillis) {
        thread.execute(() -> quietly(() -> {
            Object count = redis.call(j -> j.eval(COUNT, List.of(), List.of(GUESS + address, Long.toString(windowMillis))));
            if (count instanceof Long c && c >= threshold) {
                long until = millis.getAsLong() + blockMillis;
                redis.call(j -> j.set(BLOCK + address, Long.toString(until), SetParams.setParams().px(blockMillis)));
                log.info("cluster: {} made {} wrong entries across the nodes: blocked on all", address, c);
            }
        }));
    }

    @Override
    public void blocked(String address, long untilMillis) {
        long ttl = untilMillis - millis.getAsLong();
        thread.execute(() -> quietly(() -> redis.call(j -> j.set(BLOCK + address, Long.toString(untilMillis),
                SetParams.setParams().px(Math.max(1, ttl))))));
    }

    @Override
    public void unblocked(String address) {
        thread.execute(() -> quietly(() -> redis.call(j -> j.del(BLOCK + address, GUESS + address))));
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (OnDemandRooms.Unavailable e) {
            // said by the link; the block stays on this node
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            redis.call(j -> j.del(NODE + nodeId));
        } catch (OnDemandRooms.Unavailable e) {
            // its key expires by itself
        }
        redis.close();
    }
}

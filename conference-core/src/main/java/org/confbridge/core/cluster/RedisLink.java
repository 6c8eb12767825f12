package org.confbridge.core.cluster;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.confbridge.core.room.OnDemandRooms;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes' one connection to Redis: every command with a one-second timeout, behind a breaker (a
 * failure keeps the next commands from trying for two seconds, so a Redis that is away costs the
 * API and the nodes' sync no waiting). Whether Redis answers is {@link #up()}: the node says
 * "degraded" while it does not, with one warning a minute, and says when it is back.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final int TIMEOUT_MILLIS = 1000;
    private static final long OPEN_MILLIS = 2000;
    private static final long WARN_EVERY_MILLIS = 60_000;

    private final UnifiedJedis jedis;
    private final String where;
    private final LongSupplier millis;
    private volatile boolean up = true;
    private long openUntil;
    private long lastWarning = Long.MIN_VALUE / 2;

    RedisLink(String redisUri, LongSupplier millis) {
        URI uri = URI.create(redisUri);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MILLIS).socketTimeoutMillis(TIMEOUT_MILLIS)
                .ssl("rediss".equals(uri.getScheme())).clientName("confbridge");
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : decode(userInfo.substring(0, colon));
            String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            if (!user.isEmpty()) {
                config.user(user);
            }
            config.password(password);
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            config.database(Integer.parseInt(path.substring(1)));
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        this.jedis = new JedisPooled(new HostAndPort(uri.getHost(), port), config.build());
        this.where = uri.getScheme() + "://" + uri.getHost() + ":" + port + (path == null ? "" : path);
        this.millis = millis;
    }

    /** Redis as the log names it: never the password. */
    String where() {
        return where;
    }

    /** Whether the last command reached Redis. */
    boolean up() {
        return up;
    }

    /** Runs a command; throws {@link OnDemandRooms.Unavailable} when Redis is away (or was, a moment ago). */
    <T> T call(Function<UnifiedJedis, T> command) {
        synchronized (this) {
            if (millis.getAsLong() < openUntil) {
                throw new OnDemandRooms.Unavailable("Redis (" + where + ") is unreachable");
            }
        }
        try {
            T result = command.apply(jedis);
            if (!up) {
                up = true;
                log.info("cluster: Redis {} answers again", where);
            }
            return result;
        } catch (JedisException e) {
            failed(e);
            throw new OnDemandRooms.Unavailable("Redis (" + where + ") is unreachable");
        }
    }

    private void failed(JedisException e) {
        long now = millis.getAsLong();
        boolean warn;
        synchronized (this) {
            openUntil = now + OPEN_MILLIS;
            warn = up || now - lastWarning >= WARN_EVERY_MILLIS;
            if (warn) {
                lastWarning = now;
            }
        }
        up = false;
        if (warn) {
            log.warn("cluster: Redis {} unreachable ({}): running calls and static rooms go on, rooms cannot be "
                    + "created; said again in a minute while it lasts", where, e.getClass().getSimpleName());
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        jedis.close();
    }
}

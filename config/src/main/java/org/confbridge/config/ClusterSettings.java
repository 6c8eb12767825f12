package org.confbridge.config;

import java.net.URI;
import java.util.List;

/**
 * Several nodes acting as one bridge through Redis (DESIGN section 10). Off unless
 * {@code cluster.redis} is set: then one node on files, as without it.
 *
 * @param redis  {@code redis://[user:password@]host:port[/db]} or {@code rediss://} (TLS); empty: one node
 * @param nodeId this node's name among the others (empty: host name and SIP port)
 * @param apiUrl where the other nodes reach this node's HTTP API (empty: {@code http://<http.bind>:<http.port>})
 */
public record ClusterSettings(String redis, String nodeId, String apiUrl) {
    public static final SettingKey<String> REDIS = SettingKey.text("cluster.redis", "",
            "Redis the nodes share rooms on demand, running rooms, guessing blocks and sessions through: "
                    + "redis://[user:password@]host:port[/db] or rediss:// (TLS); empty: one node on files");
    public static final SettingKey<String> NODE_ID = SettingKey.text("cluster.nodeId", "",
            "this node's name among the others (letters, digits, . _ -); empty: <host name>-<sip.port>");
    public static final SettingKey<String> API_URL = SettingKey.text("cluster.apiUrl", "",
            "where the other nodes reach this node's HTTP API; empty: http://<http.bind>:<http.port>");

    public static final List<SettingKey<?>> KEYS = List.of(REDIS, NODE_ID, API_URL);

    /** Whether this node shares state with others. */
    public boolean enabled() {
        return !redis.isEmpty();
    }

    static ClusterSettings from(KeyReader r, String file) throws ConfigException {
        String redis = r.get(REDIS).trim();
        if (!redis.isEmpty()) {
            URI uri;
            try {
                uri = URI.create(redis);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, REDIS.name(), "not a URI: " + e.getMessage());
            }
            if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(file, REDIS.name(), "must be redis://host:port or rediss://host:port");
            }
        }
        String node = r.get(NODE_ID).trim();
        if (!node.matches("[A-Za-z0-9._-]{0,64}")) {
            throw new ConfigException(file, NODE_ID.name(), "letters, digits, '.', '_' and '-' only, at most 64");
        }
        String api = r.get(API_URL).trim();
        if (!api.isEmpty() && !api.startsWith("http://") && !api.startsWith("https://")) {
            throw new ConfigException(file, API_URL.name(), "must be an http:// or https:// URL");
        }
        return new ClusterSettings(redis, node, api.endsWith("/") ? api.substring(0, api.length() - 1) : api);
    }
}

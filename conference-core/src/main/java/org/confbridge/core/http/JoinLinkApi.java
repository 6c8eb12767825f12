package org.confbridge.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.FullHttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.confbridge.core.admission.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/rooms/{room}/links} {@code {"displayName","role","expiresMinutes"}}: a join link
 * for a browser (DESIGN section 13), {@code 201 {"url","expires"}}. The token was checked before.
 */
public final class JoinLinkApi {
    private static final Logger log = LoggerFactory.getLogger(JoinLinkApi.class);

    /** Mints the links: the join side of the bridge. */
    public interface Linker {
        /**
         * A link to {@code room} for {@code displayName} in {@code role}, valid {@code minutes}:
         * {@code {"url","expires"}}. Throws {@link java.util.NoSuchElementException} for an unknown
         * room, {@link IllegalStateException} where browsers cannot join.
         */
        Map<String, Object> mint(String room, String displayName, Role role, int minutes);

        /** The room was deleted: its links open nothing any more. */
        void roomDeleted(String room);
    }

    /** The status and JSON body to answer. */
    record Answer(int status, Object body) {
    }

    private final Linker linker;
    private final ObjectMapper json;

    JoinLinkApi(Linker linker, ObjectMapper json) {
        this.linker = linker;
        this.json = json;
    }

    Answer post(String room, FullHttpRequest request) {
        try {
            JsonNode b = request.content().isReadable()
                    ? json.readTree(request.content().toString(StandardCharsets.UTF_8))
                    : json.createObjectNode();
            Role role = AdminHttpServer.role(b.path("role").asText("participant"));
            int minutes = b.path("expiresMinutes").asInt(60);
            if (minutes < 1 || minutes > 7 * 24 * 60) {
                throw new IllegalArgumentException("expiresMinutes must be 1-10080");
            }
            String name = b.path("displayName").asText("");
            if (name.length() > 64) {
                throw new IllegalArgumentException("displayName: at most 64 characters");
            }
            Map<String, Object> link = linker.mint(room, name.replaceAll("\\p{Cntrl}", ""), role, minutes);
            log.info("HTTP POST /api/rooms/{}/links -> 201 ({} min, {})", room, minutes, role.label());
            return new Answer(201, link);
        } catch (java.util.NoSuchElementException e) {
            return new Answer(404, Map.of("error", "no such room: " + room));
        } catch (IllegalStateException e) {
            return new Answer(503, Map.of("error", e.getMessage()));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return new Answer(400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    void roomDeleted(String room) {
        linker.roomDeleted(room);
    }
}

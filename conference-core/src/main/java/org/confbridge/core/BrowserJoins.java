package org.confbridge.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.admission.Role;
import org.confbridge.core.join.BrowserDesk;
import org.confbridge.core.join.JoinLinks;
import org.confbridge.core.room.Caller;
import org.confbridge.core.room.Room;
import org.confbridge.core.room.RoomDirectory;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.ice.IceLite;
import org.confbridge.media.room.LegListener;
import org.confbridge.media.room.LegSpec;
import org.confbridge.sip.sdp.SdpException;
import org.confbridge.sip.sdp.WebRtcAnswer;
import org.confbridge.sip.sdp.WebRtcOffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browsers joining rooms from join links (DESIGN section 13): an offer becomes a leg on the room's
 * loop (ICE-lite, DTLS-SRTP, Opus) and a participant in the link's role without a PIN, through the
 * room's entry rules like a dialled callee; the session's DELETE, a kick or lost consent end it.
 */
final class BrowserJoins implements BrowserDesk {
    private static final Logger log = LoggerFactory.getLogger(BrowserJoins.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RoomDirectory rooms;
    private final MediaEngine media;
    private final LegListener legs;
    private final Supplier<String> newLegId;
    private final Consumer<Caller> track;
    private final Consumer<BrowserCall> ended;
    /** The live sessions, by id: each a caller whose call is a {@link BrowserCall}. */
    private final Map<String, Caller> sessions = new ConcurrentHashMap<>();

    BrowserJoins(RoomDirectory rooms, LegListener legs, Supplier<String> newLegId, Consumer<Caller> track,
                 Consumer<BrowserCall> ended) {
        this.rooms = rooms;
        this.media = rooms.media();
        this.legs = legs;
        this.newLegId = newLegId;
        this.track = track;
        this.ended = ended;
    }

    @Override
    public CompletableFuture<Answer> join(JoinLinks.Link link, String offer, InetAddress page, String address) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        RoomSettings settings = rooms.configured(link.room()).orElse(null);
        if (settings == null) {
            result.completeExceptionally(new Refused(404, "the room is gone"));
            return result;
        }
        Role role = link.role();
        String displayName = link.displayName();
        WebRtcOffer parsed;
        try {
            parsed = WebRtcOffer.parse(offer);
        } catch (SdpException e) {
            result.completeExceptionally(new Refused(400, e.getMessage()));
            return result;
        }
        Room open = rooms.open(settings.number()).orElse(null);
        if (open != null && open.locked() && role != Role.MODERATOR) {
            result.completeExceptionally(new Refused(403, "the room is locked"));
            return result;
        }
        String session = newSession();
        BrowserCall call = new BrowserCall(session, link.token(), displayName, page, this::hungUp);
        Room room = rooms.reserveRoom(settings);
        String legId = newLegId.get();
        Caller caller = rooms.dialled(room, legId, call);
        IceLite ice = new IceLite(parsed.iceUfrag(), room.group().nanos());
        LegSpec spec = new LegSpec("OPUS", parsed.opusPayloadType(), parsed.dtmfPayloadType(), 20,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), call.callId(), page, true, null);
        room.group().openLeg(legId, spec, legs, media.browserLeg(ice, parsed.fingerprint())).whenComplete((leg, error) -> {
            if (error != null) {
                rooms.cancel(room);
                result.completeExceptionally(new Refused(503, "no media resources"));
                return;
            }
            String answer = WebRtcAnswer.build(parsed, ice.localUfrag(), ice.localPassword(),
                    media.dtlsCertificate().fingerprint(), address, leg.localPort(), RANDOM.nextLong() & Long.MAX_VALUE);
            sessions.put(session, caller);
            track.accept(caller);
            log.info("browser {} joins room {} as {} (leg {}, port {})", session, settings.number(), role.label(), legId,
                    leg.localPort());
            rooms.admitDialled(caller, leg, role, false);
            result.complete(new Answer(session, answer));
        });
        return result;
    }

    @Override
    public boolean leave(String session) {
        Caller caller = sessions.get(session);
        if (caller == null) {
            return false;
        }
        caller.call().hangup();
        return true;
    }

    @Override
    public int chat(String token, String text) {
        for (Caller caller : sessions.values()) {
            if (((BrowserCall) caller.call()).token().equals(token)) {
                return rooms.chat(caller, text);
            }
        }
        return 404;
    }

    private void hungUp(BrowserCall call) {
        sessions.remove(call.session());
        ended.accept(call);
    }

    private static String newSession() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}

package org.confbridge.core;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.room.Participant;
import org.confbridge.core.room.Role;
import org.confbridge.core.room.Room;
import org.confbridge.core.room.RoomDirectory;
import org.confbridge.media.LegListener;
import org.confbridge.media.LegSpec;
import org.confbridge.media.MediaLeg;
import org.confbridge.sip.CallDecision;
import org.confbridge.sip.CallHandler;
import org.confbridge.sip.SipCall;
import org.confbridge.sip.sdp.NegotiatedMedia;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a SIP call meets a media leg: resolves the room from the Request-URI, opens the leg on
 * the room's event loop, answers the call, and tears both down together.
 */
public final class ConferenceService implements CallHandler, LegListener {
    private static final Logger log = LoggerFactory.getLogger(ConferenceService.class);

    private final RoomDirectory rooms;
    private final String dialinUser;
    private final Map<String, Membership> byCallId = new ConcurrentHashMap<>();
    private final AtomicLong legCounter = new AtomicLong();
    private final String legPrefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);

    /** A call's place: its room and, once joined, its participant. */
    private static final class Membership {
        final Room room;
        final String legId;
        volatile Participant participant;
        volatile boolean ended;

        Membership(Room room, String legId) {
            this.room = room;
            this.legId = legId;
        }
    }

    public ConferenceService(RoomDirectory rooms, String dialinUser) {
        this.rooms = rooms;
        this.dialinUser = dialinUser;
    }

    @Override
    public CompletionStage<CallDecision> onInvite(SipCall call) {
        String user = call.requestUser();
        Optional<RoomSettings> settings = rooms.configured(user);
        if (settings.isEmpty()) {
            String reason = user.equals(dialinUser) ? "dial-in by room number is not available" : "no such room";
            return CompletableFuture.completedFuture(CallDecision.reject(404, reason));
        }
        NegotiatedMedia m = call.media();
        InetSocketAddress remote;
        try {
            remote = IpLiteral.socketAddress(m.remoteAddress(), m.remotePort());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CallDecision.reject(488, "c= address must be an IP address"));
        }
        Room room = rooms.reserve(settings.get());
        String legId = legPrefix + "-" + Long.toString(legCounter.incrementAndGet(), 36);
        Membership membership = new Membership(room, legId);
        byCallId.put(call.callId(), membership);
        LegSpec spec = new LegSpec(m.codec(), m.payloadType(), m.dtmfPayloadType(), m.ptimeMs(), remote, call.callId());
        return room.group().openLeg(legId, spec, this).handle((leg, error) -> {
            if (error != null) {
                log.warn("call {}: no media for room {}: {}", call.callId(), room.number(), error.getMessage());
                byCallId.remove(call.callId());
                rooms.cancel(room);
                return CallDecision.reject(503, "no media resources");
            }
            membership.participant = rooms.join(room, legId, call, leg, Role.PARTICIPANT);
            return CallDecision.accept(leg.localPort());
        });
    }

    @Override
    public void onCallEnded(SipCall call, String reason) {
        Membership m = byCallId.remove(call.callId());
        if (m == null || m.ended) {
            return;
        }
        m.ended = true;
        if (m.participant != null) {
            rooms.leave(m.room, m.legId);
        }
    }

    @Override
    public void onDigit(SipCall call, char digit) {
        Membership m = byCallId.get(call.callId());
        if (m != null) {
            log.info("call {} key '{}' (SIP INFO) in room {}", call.callId(), digit, m.room.number());
        }
    }

    @Override
    public void onDigit(MediaLeg leg, char digit) {
        log.info("call {} key '{}' (RFC 4733) in room {}", leg.spec().label(), digit, leg.group().name());
    }

    @Override
    public void onMediaTimeout(MediaLeg leg) {
        Membership m = byCallId.get(leg.spec().label());
        if (m != null && m.participant != null) {
            log.info("call {}: no RTP for too long, hanging up", leg.spec().label());
            m.participant.call().hangup();
        }
    }

    /** Participants currently known, for the API. */
    public int callCount() {
        return byCallId.size();
    }
}

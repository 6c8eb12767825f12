package org.confbridge.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.confbridge.config.IpLiteral;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.room.Caller;
import org.confbridge.core.room.RoomDirectory;
import org.confbridge.core.security.DialOutTargets;
import org.confbridge.core.security.SourceGuard;
import org.confbridge.media.room.LegListener;
import org.confbridge.media.room.LegSpec;
import org.confbridge.media.room.ReservedSockets;
import org.confbridge.sip.SipCall;
import org.confbridge.sip.sdp.NegotiatedMedia;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the bridge places over the API: only to targets {@code dialout.allow} names, bounded per
 * room, in all and by {@code sip.maxCalls} from the INVITE until the call ends; an answered callee
 * joins its room through the lobby (so the room's entry rules apply); a failure is a
 * {@code dial-failed} event with the SIP status.
 */
final class DialOuts {
    private static final Logger log = LoggerFactory.getLogger(DialOuts.class);

    /**
     * Dial-outs per room and in all, from the INVITE until the call ends: an API client cannot
     * flood a trunk, nor hold more calls than the bridge admits.
     */
    static final int DIAL_OUTS_PER_ROOM = 5;
    static final int DIAL_OUTS = 50;
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> dialled = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger dialledAll = new java.util.concurrent.atomic.AtomicInteger();
    /** What gives an answered dial-out's places back when its call ends, by Call-ID. */
    private final Map<String, Runnable> dialledPlaces = new ConcurrentHashMap<>();
    private final RoomDirectory rooms;
    private final SourceGuard guard;
    private final java.util.function.BooleanSupplier strictRtp;
    private final LegListener legs;
    private final java.util.function.Supplier<String> newLegId;
    private final java.util.function.Consumer<Caller> track;
    private volatile org.confbridge.sip.SipGateway dialer;
    private volatile java.util.function.IntSupplier ringSeconds = () -> 45;
    private volatile DialOutTargets targets = new DialOutTargets(List::of);

    /** Enables dial-out through {@code sip} to {@code allowed} targets, ringing at most {@code seconds} each time. */
    void dialer(org.confbridge.sip.SipGateway sip, java.util.function.IntSupplier seconds,
                       java.util.function.Supplier<List<String>> allowed) {
        this.dialer = sip;
        this.ringSeconds = seconds;
        this.targets = new DialOutTargets(allowed);
    }

    /**
     * @param legs     hears the dialled legs' media events (the conference service)
     * @param newLegId makes a leg id
     * @param track    takes an answered callee into the calls the service knows
     */
    DialOuts(RoomDirectory rooms, SourceGuard guard, java.util.function.BooleanSupplier strictRtp, LegListener legs,
             java.util.function.Supplier<String> newLegId, java.util.function.Consumer<Caller> track) {
        this.rooms = rooms;
        this.guard = guard;
        this.strictRtp = strictRtp;
        this.legs = legs;
        this.newLegId = newLegId;
        this.track = track;
    }

    /** A call ended: an answered dial-out gives its places back. */
    void callEnded(String callId) {
        Runnable placesBack = dialledPlaces.remove(callId);
        if (placesBack != null) {
            placesBack.run();
        }
    }

    /**
     * Calls {@code to} into {@code room} (the API's dial): the callee joins in {@code role} when it
     * answers; a failure is a {@code dial-failed} event with the SIP status. Returns the leg id the
     * callee will have; throws {@link IllegalArgumentException} (bad request), {@link SecurityException}
     * (a target {@code dialout.allow} does not name), {@link java.util.NoSuchElementException} (no
     * such room) or {@link IllegalStateException} (over the limits).
     */
    String dial(String room, String to, String displayName, org.confbridge.core.admission.Role role, boolean confirm) {
        RoomSettings settings = rooms.configured(room).orElseThrow(() -> new java.util.NoSuchElementException(room));
        targets.check(to);
        if (!guard.roomForOneMore()) {
            throw new IllegalStateException("the bridge is at its call limit (sip.maxCalls)");
        }
        var perRoom = dialled.computeIfAbsent(room, r -> new java.util.concurrent.atomic.AtomicInteger());
        if (perRoom.incrementAndGet() > DIAL_OUTS_PER_ROOM | dialledAll.incrementAndGet() > DIAL_OUTS) {
            perRoom.decrementAndGet();
            dialledAll.decrementAndGet();
            throw new IllegalStateException("too many dial-outs (" + DIAL_OUTS_PER_ROOM + " per room, " + DIAL_OUTS
                    + " in all, until they end)");
        }
        Runnable placesBack = new Runnable() {
            private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public void run() {
                if (done.compareAndSet(false, true)) {
                    perRoom.decrementAndGet();
                    dialledAll.decrementAndGet();
                }
            }
        };
        String legId = newLegId.get();
        org.confbridge.core.room.Room r = rooms.reserveRoom(settings);
        // Only the address family matters here; a name is resolved by the dial-out thread, never on this one.
        InetAddress family = IpLiteral.orNull(DialOutTargets.host(to));
        r.group().reserveSockets(new InetSocketAddress(family == null ? InetAddress.getLoopbackAddress() : family, 9))
                .whenComplete((sockets, error) -> {
                    if (error != null) {
                        placesBack.run();
                        dialFailed(r, to, 503, "no media resources");
                        return;
                    }
                    dialer.dial(to, room, displayName == null ? "" : displayName, sockets.port(), ringSeconds.getAsInt(),
                            new org.confbridge.sip.SipGateway.DialOutcome() {
                                @Override
                                public void answered(SipCall call) {
                                    guard.callStarted(call.callId(), null);
                                    dialledPlaces.put(call.callId(), placesBack);
                                    dialAnswered(r, legId, call, sockets, role, confirm);
                                }

                                @Override
                                public void failed(int status, String reason) {
                                    placesBack.run();
                                    sockets.release();
                                    dialFailed(r, to, status, reason);
                                }
                            });
                });
        return legId;
    }

    private void dialAnswered(org.confbridge.core.room.Room room, String legId, SipCall call, ReservedSockets sockets,
                              org.confbridge.core.admission.Role role, boolean confirm) {
        Caller caller = rooms.dialled(room, legId, call);
        track.accept(caller);
        NegotiatedMedia m = call.media();
        InetSocketAddress remote = IpLiteral.socketAddress(m.remoteAddress(), m.remotePort());
        caller.keys(m.srtp());
        LegSpec spec = new LegSpec(m.codec(), m.payloadType(), m.dtmfPayloadType(), m.ptimeMs(), remote, call.callId(),
                remote.getAddress(), strictRtp.getAsBoolean(), ConferenceService.keying(m.srtp()));
        sockets.group().openLeg(legId, spec, legs, sockets).whenComplete((leg, error) -> {
            if (error != null) {
                call.hangup();
            } else {
                rooms.admitDialled(caller, leg, role, confirm);
            }
        });
    }

    private void dialFailed(org.confbridge.core.room.Room room, String to, int status, String reason) {
        log.info("room {}: dial-out to {} failed: {} {}", room.number(), to, status, reason);
        room.execute(() -> room.event("dial-failed", null, Map.of("to", to, "status", status,
                "reason", reason == null ? "" : reason)));
        rooms.cancel(room);
    }
}

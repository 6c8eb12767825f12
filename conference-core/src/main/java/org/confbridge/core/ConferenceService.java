package org.confbridge.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.confbridge.config.IpLiteral;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.admission.KeyPressFilter;
import org.confbridge.core.room.Caller;
import org.confbridge.core.room.DialIn;
import org.confbridge.core.room.DialInDesk;
import org.confbridge.core.room.Party;
import org.confbridge.core.room.RoomDirectory;
import org.confbridge.core.security.SourceGuard;
import org.confbridge.media.room.LegListener;
import org.confbridge.media.room.LegSpec;
import org.confbridge.media.room.MediaLeg;
import org.confbridge.media.room.ReservedSockets;
import org.confbridge.media.audio.AudioClip;
import org.confbridge.media.srtp.SrtpKeying;
import org.confbridge.media.srtp.SrtpSuite;
import org.confbridge.sip.CallDecision;
import org.confbridge.sip.CallHandler;
import org.confbridge.sip.SipCall;
import org.confbridge.sip.sdp.NegotiatedMedia;
import org.confbridge.sip.sdp.SdesKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a SIP call meets a media leg: resolves the room from the Request-URI, opens the leg on
 * the room's event loop, answers the call, puts the caller in the lobby, and tears both down
 * together. Key presses from SIP INFO and from RTP both reach the caller on the room's loop.
 */
public final class ConferenceService implements CallHandler, LegListener {
    private static final Logger log = LoggerFactory.getLogger(ConferenceService.class);

    private final RoomDirectory rooms;
    private final DialInDesk dialIns;
    /** Read per call: {@code dialin.user} may change while the bridge runs. */
    private final java.util.function.Supplier<String> dialinUser;
    /** Read per call: {@code rtp.strict} may change while the bridge runs. */
    private final java.util.function.BooleanSupplier strictRtp;
    private final SourceGuard guard;
    private final NodeDrain drain;
    private final Map<String, Party> byCallId = new ConcurrentHashMap<>();
    private final Map<String, Party> byLegId = new ConcurrentHashMap<>();
    private final AtomicLong legCounter = new AtomicLong();
    private final String legPrefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    private final DialOuts dialOuts;
    private final BrowserJoins browserJoins;

    public ConferenceService(RoomDirectory rooms, DialInDesk dialIns, java.util.function.Supplier<String> dialinUser,
                             java.util.function.BooleanSupplier strictRtp, SourceGuard guard, NodeDrain drain) {
        this.rooms = rooms;
        this.dialIns = dialIns;
        this.dialinUser = dialinUser;
        this.strictRtp = strictRtp;
        this.guard = guard;
        this.drain = drain;
        this.dialOuts = new DialOuts(rooms, guard, strictRtp, this, this::newLegId, caller -> {
            byCallId.put(caller.call().callId(), caller);
            byLegId.put(caller.legId(), caller);
        });
        this.browserJoins = new BrowserJoins(rooms, this, this::newLegId, caller -> {
            byCallId.put(caller.call().callId(), caller);
            byLegId.put(caller.legId(), caller);
        }, this::browserEnded);
        // A dial-in caller who named a room is a room's caller from then on.
        dialIns.onMovedToRoom(caller -> {
            byCallId.put(caller.call().callId(), caller);
            byLegId.put(caller.legId(), caller);
        });
    }

    /** A leg id unique in this bridge's run: a random prefix, then a counter. */
    private String newLegId() {
        return legPrefix + "-" + Long.toString(legCounter.incrementAndGet(), 36);
    }

    @Override
    public CallDecision.Reject screen(InetAddress source, List<String> viaHosts) {
        SourceGuard.Verdict v = guard.screen(guard.callerAddress(source, viaHosts));
        return v.admitted() ? null : new CallDecision.Reject(v.status(), v.reason(), v.retryAfterSeconds());
    }

    /** Where a room runs when on another node (its SIP host:port), or null: set with several nodes. */
    private volatile java.util.function.Function<String, String> runningElsewhere = room -> null;

    /** With several nodes: callers of a room running on another node are sent there (302). */
    public void redirectTo(java.util.function.Function<String, String> runningElsewhere) {
        this.runningElsewhere = runningElsewhere;
    }

    @Override
    public CompletionStage<CallDecision> onInvite(SipCall call) {
        guard.callStarted(call.callId(), guard.callerAddress(call.sourceAddress(), call.viaHosts()));
        String user = call.requestUser();
        if (drain.draining() && rooms.open(user).isEmpty()) {
            // Drained: conferences here finish; a room not active here belongs on another node.
            return CompletableFuture.completedFuture(CallDecision.reject(503, "draining: no new rooms on this node", 30));
        }
        Optional<RoomSettings> settings = rooms.configured(user);
        String runsOn = settings.isPresent() && rooms.open(user).isEmpty() ? runningElsewhere.apply(user) : null;
        if (runsOn != null) {
            // Several nodes: the room runs on another one; one room is never opened twice.
            return CompletableFuture.completedFuture(CallDecision.redirect("sip:" + user + "@" + runsOn));
        }
        boolean dialIn = settings.isEmpty() && user.equals(dialinUser.get());
        if (settings.isEmpty() && !dialIn) {
            guard.wrongEntry(call.callId(), "(unknown room)"); // scanning room numbers is guessing too
            return CompletableFuture.completedFuture(CallDecision.reject(404, "no such room"));
        }
        NegotiatedMedia m = call.media();
        if (settings.isPresent() && settings.get().srtpRequired() && (m == null || m.srtp() == null)) {
            return CompletableFuture.completedFuture(CallDecision.reject(488, m == null
                    ? "SRTP is required for this room: offer it in the INVITE" : "SRTP is required for this room"));
        }
        if (m == null) {
            return lateOffer(call, settings, dialIn);
        }
        InetSocketAddress remote;
        try {
            remote = IpLiteral.socketAddress(m.remoteAddress(), m.remotePort());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CallDecision.reject(488, "c= address must be an IP address"));
        }
        String legId = newLegId();
        LegSpec legSpec = new LegSpec(m.codec(), m.payloadType(), m.dtmfPayloadType(), m.ptimeMs(), remote, call.callId(),
                signallingAddress(call), strictRtp.getAsBoolean(), keying(m.srtp()));
        if (dialIn) {
            DialIn d = dialIns.dialIn(legId, call);
            byCallId.put(call.callId(), d);
            byLegId.put(legId, d);
            return dialIns.group().openLeg(legId, legSpec, this).handle((leg, error) -> {
                if (error != null) {
                    byCallId.remove(call.callId());
                    byLegId.remove(legId);
                    dialIns.ended(d);
                    return CallDecision.reject(503, "no media resources");
                }
                dialIns.start(d, leg);
                return CallDecision.accept(leg.localPort());
            });
        }
        Caller caller = rooms.reserve(settings.get(), legId, call);
        byCallId.put(call.callId(), caller);
        byLegId.put(legId, caller);
        return caller.room().group().openLeg(legId, legSpec, this).handle((leg, error) -> {
            if (error != null) {
                log.warn("call {}: no media for room {}: {}", call.callId(), caller.room().number(), error.getMessage());
                byCallId.remove(call.callId());
                byLegId.remove(legId);
                rooms.cancel(caller);
                return CallDecision.reject(503, "no media resources");
            }
            rooms.enterLobby(caller, leg);
            return CallDecision.accept(leg.localPort());
        });
    }

    /**
     * An INVITE without an offer: the caller's place is taken and its sockets bound now, so our
     * offer can name the port; the leg is made when the answer comes with the ACK.
     */
    private CompletionStage<CallDecision> lateOffer(SipCall call, Optional<RoomSettings> settings, boolean dialIn) {
        String legId = newLegId();
        Party party;
        org.confbridge.media.room.MixGroup group;
        if (dialIn) {
            DialIn d = dialIns.dialIn(legId, call);
            party = d;
            group = dialIns.group();
        } else {
            Caller caller = rooms.reserve(settings.get(), legId, call);
            party = caller;
            group = caller.room().group();
        }
        byCallId.put(call.callId(), party);
        byLegId.put(legId, party);
        return group.reserveSockets(new InetSocketAddress(call.sourceAddress(), 9)).handle((sockets, error) -> {
            if (error != null) {
                forget(party, call);
                return CallDecision.reject(503, "no media resources");
            }
            party.reserved(sockets);
            return CallDecision.accept(sockets.port());
        });
    }

    /** Enables dial-out through {@code sip} to {@code allowed} targets, ringing at most {@code seconds} each time. */
    public void dialer(org.confbridge.sip.SipGateway sip, java.util.function.IntSupplier seconds,
                       java.util.function.Supplier<List<String>> allowed) {
        dialOuts.dialer(sip, seconds, allowed);
    }

    /** The API's dial: see {@link DialOuts#dial}. */
    public String dialOut(String room, String to, String displayName, org.confbridge.core.admission.Role role,
                          boolean confirm) {
        return dialOuts.dial(room, to, displayName, role, confirm);
    }

    /** Browsers joining from links (the join listener's side of the conference). */
    public org.confbridge.core.join.BrowserDesk browserDesk() {
        return browserJoins;
    }

    /** A browser's session ended (its page left, a kick, consent lost): it leaves its room. */
    private void browserEnded(BrowserCall call) {
        Party party = byCallId.remove(call.callId());
        if (party == null) {
            return;
        }
        byLegId.remove(party.legId());
        if (party instanceof Caller caller) {
            rooms.leave(caller, "left");
        }
    }

    /** Drops a party whose media never came up. */
    private void forget(Party party, SipCall call) {
        byCallId.remove(call.callId());
        byLegId.remove(party.legId());
        if (party instanceof Caller caller) {
            rooms.cancel(caller);
        } else if (party instanceof DialIn d) {
            dialIns.ended(d);
        }
    }

    /** A late offer's answer came with the ACK: the leg is made on the reserved sockets. */
    @Override
    public void onMediaAnswered(SipCall call) {
        Party party = byCallId.get(call.callId());
        ReservedSockets sockets = party == null ? null : party.takeReserved();
        if (sockets == null) {
            return;
        }
        NegotiatedMedia m = call.media();
        InetSocketAddress remote;
        try {
            remote = IpLiteral.socketAddress(m.remoteAddress(), m.remotePort());
        } catch (IllegalArgumentException e) {
            sockets.release();
            call.hangup();
            return;
        }
        party.keys(m.srtp());
        LegSpec legSpec = new LegSpec(m.codec(), m.payloadType(), m.dtmfPayloadType(), m.ptimeMs(), remote, call.callId(),
                signallingAddress(call), strictRtp.getAsBoolean(), keying(m.srtp()));
        sockets.group().openLeg(party.legId(), legSpec, this, sockets).whenComplete((leg, error) -> {
            if (error != null) {
                log.warn("call {}: no media after the answer: {}", call.callId(), error.getMessage());
                call.hangup();
            } else if (party instanceof Caller caller) {
                rooms.enterLobby(caller, leg);
            } else if (party instanceof DialIn d) {
                dialIns.start(d, leg);
            }
        });
    }

    /**
     * The caller's own signalling address for strict RTP: below a trusted proxy the one its Via
     * names, not the proxy's (whose address no caller's media comes from).
     */
    private InetAddress signallingAddress(SipCall call) {
        return guard.callerAddress(call.sourceAddress(), call.viaHosts());
    }

    /** The media side's view of SDES keys; null for plain RTP. */
    static SrtpKeying keying(SdesKeys keys) {
        return keys == null ? null : new SrtpKeying(SrtpSuite.named(keys.suite()), keys.remoteKeySalt(), keys.localKeySalt());
    }

    @Override
    public void onCallEnded(SipCall call, String reason) {
        guard.callEnded(call.callId());
        dialOuts.callEnded(call.callId());
        Party party = byCallId.remove(call.callId());
        if (party == null) {
            return;
        }
        byLegId.remove(party.legId());
        ReservedSockets unused = party.takeReserved();
        if (unused != null) {
            // Ended before its answer came: no leg, no lobby; the place and the sockets go back.
            unused.release();
            if (party instanceof Caller caller) {
                rooms.cancel(caller);
                return;
            }
        }
        if (party instanceof Caller caller) {
            rooms.leave(caller, reason);
        } else if (party instanceof DialIn d) {
            dialIns.ended(d);
        }
    }

    /**
     * A re-INVITE changed the stream: on hold (the caller sendonly or inactive) its audio, music on
     * hold included, reaches nobody, it gets nothing, and its silence is not a dead call; resumed,
     * all as before. A new media address re-latches (strict RTP); a new codec is taken.
     */
    @Override
    public void onMediaChanged(SipCall call) {
        Party party = byCallId.get(call.callId());
        if (party == null || party.leg() == null) {
            return;
        }
        NegotiatedMedia m = call.media();
        String ours = m.direction();
        InetSocketAddress sdp;
        try {
            sdp = IpLiteral.socketAddress(m.remoteAddress(), m.remotePort());
        } catch (IllegalArgumentException e) {
            sdp = null; // not an IP literal: the media stays where it is
        }
        boolean held = call.onHold();
        if (m.srtp() != null && m.srtp() != party.keys()) {
            party.leg().rekey(keying(m.srtp())); // a new key in the re-offer (RFC 4568 section 7.1.4)
            party.keys(m.srtp());
        }
        LegSpec spec = party.leg().spec();
        if (!spec.sameFormat(m.codec(), m.payloadType(), m.dtmfPayloadType(), m.ptimeMs())) {
            log.info("call {} changes codec: {} pt {} -> {} pt {}", call.callId(), spec.codec(), spec.payloadType(),
                    m.codec(), m.payloadType());
            party.leg().changeCodec(spec.withCodec(m.codec(), m.payloadType(), m.dtmfPayloadType(), m.ptimeMs()));
        }
        party.leg().setDirection(ours.equals("sendrecv") || ours.equals("sendonly"), ours.equals("sendrecv"), held, sdp);
        if (party instanceof Caller caller) {
            caller.holdChanged(held);
        }
    }

    /**
     * A chat message: from a caller in its own dialog, or in page mode to a room's URI from the
     * same From URI and the same signalling address and port (below trusted proxies) as one of
     * that room's callers' INVITE. Anything else is refused (403): sharing an address (everybody
     * behind the proxy does) credits nobody. Relayed by the room when the writer is admitted there.
     */
    @Override
    public int onChat(SipCall call, String room, String fromUri, org.confbridge.sip.SignallingOrigin origin, String text) {
        Party party = call != null ? byCallId.get(call.callId()) : pageWriter(room, fromUri, origin);
        if (!(party instanceof Caller caller)) {
            return 403; // the gateway logs it, within its budget of lines
        }
        return rooms.chat(caller, text);
    }

    private Party pageWriter(String room, String fromUri, org.confbridge.sip.SignallingOrigin origin) {
        InetSocketAddress writer = guard.callerSocket(origin.address(), origin.port(), origin.viaHosts(), origin.viaPorts());
        String uri = plainUri(fromUri);
        for (Party p : byCallId.values()) {
            if (p instanceof Caller c && c.room().number().equals(room) && plainUri(c.call().callerUri()).equals(uri)) {
                org.confbridge.sip.SignallingOrigin o = c.call().origin();
                if (writer.equals(guard.callerSocket(o.address(), o.port(), o.viaHosts(), o.viaPorts()))) {
                    return p;
                }
            }
        }
        return null;
    }

    /** A SIP URI without its parameters or headers, host in lower case: what two From URIs must share. */
    static String plainUri(String uri) {
        String u = uri == null ? "" : uri.replaceAll("[;?].*$", "");
        int at = u.indexOf('@');
        return at < 0 ? u.toLowerCase(java.util.Locale.ROOT) : u.substring(0, at + 1) + u.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** A source was just blocked for guessing: those of its calls still asked for a PIN or room number hear goodbye. */
    public void sourceBlocked(List<String> callIds) {
        for (String id : callIds) {
            Party party = byCallId.get(id);
            if (party != null) {
                party.execute(() -> party.sourceBlocked(rooms.millis()));
            }
        }
    }

    @Override
    public void onDigit(SipCall call, char digit) {
        Party party = byCallId.get(call.callId());
        if (party != null) {
            party.execute(() -> party.key(digit, KeyPressFilter.Method.SIP_INFO, rooms.millis()));
        }
    }

    @Override
    public void onDigit(MediaLeg leg, char digit) {
        Party party = byLegId.get(leg.id());
        if (party != null) {
            party.key(digit, KeyPressFilter.Method.RFC4733, rooms.millis());
        }
    }

    @Override
    public void onInbandDigit(MediaLeg leg, char digit) {
        Party party = byLegId.get(leg.id());
        if (party != null) {
            party.key(digit, KeyPressFilter.Method.INBAND, rooms.millis());
        }
    }

    @Override
    public void onPromptFinished(MediaLeg leg, AudioClip clip) {
        Party party = byLegId.get(leg.id());
        if (party != null) {
            party.promptFinished(rooms.millis());
        }
    }

    @Override
    public void onMediaTimeout(MediaLeg leg) {
        Party party = byLegId.get(leg.id());
        if (party != null) {
            log.info("call {}: {}, hanging up", party.call().callId(), leg.timeoutReason());
            party.call().hangup();
        }
    }
}

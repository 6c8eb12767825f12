package org.confbridge.media.webrtc;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import org.confbridge.media.dtls.DtlsCertificate;
import org.confbridge.media.dtls.DtlsSrtpServer;
import org.confbridge.media.ice.IceLite;
import org.confbridge.media.ice.StunMessage;
import org.confbridge.media.srtp.SrtpKeying;

/**
 * What stands between a browser and a leg's SRTP on the leg's one port: ICE-lite checks and the
 * DTLS handshake, told apart from media by their first byte (RFC 7983). DTLS is taken only from an
 * address that passed a check; media flows only once DTLS has given the keys. The room loop calls
 * it; the handshake runs on its own thread and reports through {@link Events}.
 */
public final class BrowserTransport {
    /** What the transport asks of its leg; {@link #keys} and {@link #failed} come from the handshake's thread. */
    public interface Events {
        /** Sends {@code datagram} from the leg's port to {@code to}. */
        void send(byte[] datagram, InetSocketAddress to);

        /** The browser's checks chose {@code address}: the leg's media goes there from now on. */
        void selected(InetSocketAddress address);

        /** DTLS is done: the leg's SRTP keys. */
        void keys(SrtpKeying keys);

        /** DTLS failed (a wrong certificate, a timeout, garbage): the leg cannot carry media. */
        void failed(String why);
    }

    /** What a datagram was. */
    public enum Kind {
        /** A connectivity check or DTLS record, handled here. */
        HANDLED,
        /** STUN or DTLS that was refused or dropped (no password, an unchecked address, a full queue). */
        REFUSED,
        /** RTP or RTCP: for the SRTP path. */
        MEDIA
    }

    private final IceLite ice;
    private final DtlsSrtpServer dtls;
    private final Executor handshakes;
    private final Events events;
    private volatile InetSocketAddress selected;
    private boolean started;
    private volatile boolean secured;

    public BrowserTransport(IceLite ice, DtlsCertificate certificate, String remoteFingerprint, Executor handshakes,
                            Events events) {
        this.ice = ice;
        this.handshakes = handshakes;
        this.events = events;
        this.dtls = new DtlsSrtpServer(certificate, remoteFingerprint, this::sendHandshake);
    }

    /** One datagram from {@code from}, on the room loop. */
    public Kind receive(byte[] buf, int off, int len, InetSocketAddress from, long now) {
        if (len < 1) {
            return Kind.REFUSED;
        }
        int first = buf[off] & 0xFF;
        if (first < 4) {
            IceLite.Verdict verdict = ice.receive(buf, off, len, from, now);
            if (ice.answer() != null) {
                events.send(ice.answer(), from);
            }
            if (verdict == IceLite.Verdict.ANSWERED) {
                if (!ice.selected().equals(selected)) {
                    selected = ice.selected();
                    events.selected(selected);
                }
                return Kind.HANDLED;
            }
            return Kind.REFUSED;
        }
        if (first >= 20 && first <= 63) {
            // Only from where a check passed: DTLS from anyone else is not the browser's.
            if (selected == null || !selected.equals(from) || !dtls.received(buf, off, len)) {
                return Kind.REFUSED;
            }
            if (!started) {
                started = true;
                dtls.start(handshakes).whenComplete((keys, failure) -> {
                    if (failure != null) {
                        events.failed(failure.getMessage() != null ? failure.getMessage() : failure.toString());
                    } else {
                        secured = true;
                        events.keys(keys);
                    }
                });
            }
            return Kind.HANDLED;
        }
        return first >= 128 && first <= 191 ? Kind.MEDIA : Kind.REFUSED;
    }

    /** The handshake's flights go where the checks chose. */
    private void sendHandshake(byte[] datagram) {
        InetSocketAddress to = selected;
        if (to != null) {
            events.send(datagram, to);
        }
    }

    /** Whether DTLS has given the keys: media may flow. */
    public boolean secured() {
        return secured;
    }

    /** Where the browser's checks chose to receive, or null before any passed. */
    public InetSocketAddress selected() {
        return selected;
    }

    /** Whether the browser has not proven for 30 s that it still wants our media (RFC 7675). */
    public boolean consentExpired(long now) {
        return ice.consentExpired(now);
    }

    /** The leg has ended: the handshake, if it still runs, ends too. */
    public void close() {
        dtls.close();
    }
}

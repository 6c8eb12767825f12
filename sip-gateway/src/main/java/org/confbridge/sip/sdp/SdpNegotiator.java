package org.confbridge.sip.sdp;

import java.util.List;
import java.util.stream.Collectors;

/**
 * RFC 3264 answerer for one audio stream: picks the first codec of the bridge's preference list
 * that the caller offers, keeps the caller's payload type numbers, adds telephone-event when
 * offered (at the codec's clock rate if there is a choice), and honours the caller's ptime.
 */
public final class SdpNegotiator {
    private final List<String> preference;

    /** @param preference encoding names the bridge can run, best first */
    public SdpNegotiator(List<String> preference) {
        this.preference = List.copyOf(preference);
    }

    public NegotiatedMedia negotiate(SessionDescription offer) throws SdpException {
        SessionDescription.Media audio = audioStream(offer);
        MediaFormat chosen = null;
        for (String codec : preference) {
            for (MediaFormat f : audio.formats()) {
                if (f.is(codec) && f.clockRate() == expectedClockRate(codec)) {
                    chosen = f;
                    break;
                }
            }
            if (chosen != null) {
                break;
            }
        }
        if (chosen == null) {
            throw new SdpException("no common codec: offered "
                    + audio.formats().stream().map(f -> f.encoding() + "/" + f.clockRate()).collect(Collectors.joining(","))
                    + ", supported " + String.join(",", preference));
        }
        // RFC 4733 wants telephone-event at the codec's clock rate; many phones offer only
        // telephone-event/8000 next to Opus, which works as well (key presses need no clock).
        int dtmf = -1;
        int dtmfClock = 0;
        for (MediaFormat f : audio.formats()) {
            if (f.is("telephone-event") && (f.clockRate() == chosen.clockRate() || dtmf < 0)) {
                dtmf = f.payloadType();
                dtmfClock = f.clockRate();
                if (f.clockRate() == chosen.clockRate()) {
                    break;
                }
            }
        }
        String rtpmap = chosen.encoding() + "/" + chosen.clockRate() + (chosen.channels() > 1 ? "/" + chosen.channels() : "");
        return new NegotiatedMedia(chosen.encoding().toUpperCase(java.util.Locale.ROOT), rtpmap, chosen.payloadType(),
                chosen.clockRate(), dtmf, dtmfClock, packetTime(audio.ptimeMs()), audio.connectionAddress(), audio.port(),
                answerDirection(audio.direction()));
    }

    /** The first audio stream we can take part in. */
    static SessionDescription.Media audioStream(SessionDescription offer) throws SdpException {
        SessionDescription.Media found = null;
        boolean secure = false;
        for (SessionDescription.Media m : offer.media()) {
            if (m.type().equals("audio") && m.port() != 0) {
                if (m.protocol().equals("RTP/AVP") || m.protocol().equals("RTP/AVPF")) {
                    found = m;
                    break;
                }
                secure |= m.protocol().contains("SAVP");
            }
        }
        if (found == null) {
            throw new SdpException(secure ? "SRTP (RTP/SAVP) is not supported yet" : "no audio stream offered");
        }
        return found;
    }

    /** Rounds the peer's ptime to what the packetizer supports: 10..60 ms in 10 ms steps. */
    static int packetTime(int offered) {
        if (offered <= 0) {
            return 20;
        }
        int rounded = Math.round(offered / 10f) * 10;
        return Math.max(10, Math.min(60, rounded));
    }

    private static String answerDirection(String offered) {
        return switch (offered) {
            case "sendonly" -> "recvonly";
            case "recvonly" -> "sendonly";
            case "inactive" -> "inactive";
            default -> "sendrecv";
        };
    }

    private static int expectedClockRate(String codec) {
        return switch (codec.toUpperCase(java.util.Locale.ROOT)) {
            case "OPUS" -> 48000;
            default -> 8000; // PCMU, PCMA, and G722 (whose RTP clock is 8000 for historic reasons)
        };
    }
}

package org.confbridge.sip.sdp;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * RFC 3264 answerer for one audio stream: picks the first codec of the bridge's preference list
 * that the caller offers, keeps the caller's payload type numbers, adds telephone-event when
 * offered (at the codec's clock rate if there is a choice), and honours the caller's ptime. With
 * SRTP (RFC 4568 SDES) it takes the first {@code a=crypto} of the stream it can use and answers
 * it with a fresh key of its own.
 */
public final class SdpNegotiator {
    private static final SecureRandom KEYS = new SecureRandom();

    private final List<String> preference;
    private final SrtpMode srtp;
    private final Map<String, Integer> suites;

    /** Plain RTP only. */
    public SdpNegotiator(List<String> preference) {
        this(preference, SrtpMode.OFF, Map.of());
    }

    /**
     * @param preference encoding names the bridge can run, best first
     * @param srtp       whether SRTP is used
     * @param suites     the SRTP suites the bridge speaks, each with the bytes of key and salt it needs
     */
    public SdpNegotiator(List<String> preference, SrtpMode srtp, Map<String, Integer> suites) {
        this.preference = List.copyOf(preference);
        this.srtp = srtp;
        this.suites = Map.copyOf(suites);
    }

    /** The SRTP suites the bridge speaks, with their key and salt lengths. */
    public Map<String, Integer> suites() {
        return suites;
    }

    public NegotiatedMedia negotiate(SessionDescription offer) throws SdpException {
        return negotiate(offer, null);
    }

    /**
     * Answers {@code offer}; {@code current} is the keying of the call so far (a re-offer of the
     * same key keeps ours, a new key gets a new one of ours too), or null.
     */
    public NegotiatedMedia negotiate(SessionDescription offer, SdesKeys current) throws SdpException {
        Chosen stream = chooseStream(offer);
        SessionDescription.Media audio = stream.media;
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
        SdesKeys keys = null;
        if (stream.crypto != null) {
            SdesCrypto c = stream.crypto;
            keys = current != null && current.sameOffer(c) ? current
                    : new SdesKeys(c.tag(), c.suite(), c.keySalt(), freshKey(suites.get(c.suite())));
        }
        String rtpmap = chosen.encoding() + "/" + chosen.clockRate() + (chosen.channels() > 1 ? "/" + chosen.channels() : "");
        return new NegotiatedMedia(chosen.encoding().toUpperCase(java.util.Locale.ROOT), rtpmap, chosen.payloadType(),
                chosen.clockRate(), dtmf, dtmfClock, packetTime(audio.ptimeMs()), audio.connectionAddress(), audio.port(),
                answerDirection(audio.direction()), stream.index, audio.protocol(), keys);
    }

    /** The preference list: the codecs our own offer names, best first. */
    public List<String> codecs() {
        return preference;
    }

    /** The SDES keys to offer when calls must be encrypted (a late offer), or null for plain RTP. */
    public SdesKeys offerKeys() {
        if (srtp != SrtpMode.REQUIRED) {
            return null;
        }
        String suite = suites.containsKey("AES_CM_128_HMAC_SHA1_80") ? "AES_CM_128_HMAC_SHA1_80"
                : suites.keySet().iterator().next();
        return new SdesKeys(SdpOffer.CRYPTO_TAG, suite, null, freshKey(suites.get(suite)));
    }

    /**
     * The caller's answer to our offer (a late offer's, in the ACK): the first codec of the answer
     * that we offered, its telephone-event, its address, and with {@code offered} keys the
     * caller's key for the same tag and suite.
     */
    public NegotiatedMedia negotiateAnswer(SessionDescription answer, SdesKeys offered) throws SdpException {
        List<SessionDescription.Media> all = answer.media();
        SessionDescription.Media audio = null;
        int index = -1;
        for (int i = 0; i < all.size() && audio == null; i++) {
            SessionDescription.Media m = all.get(i);
            if (m.type().equals("audio") && m.port() != 0 && m.rtpProfile()) {
                audio = m;
                index = i;
            }
        }
        if (audio == null) {
            throw new SdpException("the answer takes no audio stream");
        }
        MediaFormat chosen = null;
        for (MediaFormat f : audio.formats()) {
            for (String codec : preference) {
                if (chosen == null && f.is(codec) && f.clockRate() == expectedClockRate(codec)) {
                    chosen = f;
                }
            }
        }
        if (chosen == null) {
            throw new SdpException("the answer names no codec of our offer");
        }
        int dtmf = -1;
        int dtmfClock = 0;
        for (MediaFormat f : audio.formats()) {
            if (f.is("telephone-event") && dtmf < 0) {
                dtmf = f.payloadType();
                dtmfClock = f.clockRate();
            }
        }
        SdesKeys keys = null;
        if (offered != null) {
            for (String line : audio.crypto()) {
                SdesCrypto c = SdesCrypto.parse(line, suites);
                if (c.tag() == offered.tag() && c.suite().equals(offered.suite())) {
                    keys = new SdesKeys(c.tag(), c.suite(), c.keySalt(), offered.localKeySalt());
                }
            }
            if (keys == null) {
                throw new SdpException("the answer has no key for our a=crypto (SRTP is required)");
            }
        }
        String rtpmap = chosen.encoding() + "/" + chosen.clockRate() + (chosen.channels() > 1 ? "/" + chosen.channels() : "");
        return new NegotiatedMedia(chosen.encoding().toUpperCase(java.util.Locale.ROOT), rtpmap, chosen.payloadType(),
                chosen.clockRate(), dtmf, dtmfClock, packetTime(audio.ptimeMs()), audio.connectionAddress(), audio.port(),
                answerDirection(audio.direction()), index, audio.protocol(), keys);
    }

    private static byte[] freshKey(int length) {
        byte[] k = new byte[length];
        KEYS.nextBytes(k);
        return k;
    }

    /** The audio stream taken, its position in the offer, and its crypto when SRTP. */
    private record Chosen(SessionDescription.Media media, int index, SdesCrypto crypto) {
    }

    /**
     * The first audio stream we can take part in under the SRTP mode: with SRTP allowed, the first
     * one with a usable {@code a=crypto} (in an SRTP profile, or in a plain one as best-effort
     * SRTP), else (not required) the first plain one.
     */
    private Chosen chooseStream(SessionDescription offer) throws SdpException {
        Chosen plain = null;
        String cryptoProblem = null;
        boolean secureOffered = false;
        List<SessionDescription.Media> all = offer.media();
        for (int i = 0; i < all.size(); i++) {
            SessionDescription.Media m = all.get(i);
            if (!m.type().equals("audio") || m.port() == 0 || !m.rtpProfile()) {
                continue;
            }
            secureOffered |= m.secureProfile() || !m.crypto().isEmpty();
            if (srtp != SrtpMode.OFF) {
                for (String line : m.crypto()) {
                    try {
                        return new Chosen(m, i, SdesCrypto.parse(line, suites));
                    } catch (SdpException e) {
                        cryptoProblem = cryptoProblem == null ? e.getMessage() : cryptoProblem;
                    }
                }
            }
            if (plain == null && !m.secureProfile()) {
                plain = new Chosen(m, i, null);
            }
        }
        if (srtp == SrtpMode.REQUIRED) {
            throw new SdpException(cryptoProblem != null ? "SRTP is required; " + cryptoProblem
                    : "SRTP is required; the offer is plain RTP");
        }
        if (plain != null) {
            return plain;
        }
        if (cryptoProblem != null) {
            throw new SdpException(cryptoProblem);
        }
        if (secureOffered && srtp == SrtpMode.OFF) {
            throw new SdpException("SRTP is switched off here (srtp = off)");
        }
        if (secureOffered) {
            throw new SdpException("SRTP offered without an a=crypto key (SDES); DTLS-SRTP is not supported");
        }
        throw new SdpException("no audio stream offered");
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

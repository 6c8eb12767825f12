package org.confbridge.core.it;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.confbridge.media.testing.BrowserPeer;

/** A browser's side of the join signalling, as a page's {@code fetch} does it, for a {@link BrowserPeer}. */
final class JoinOffer {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private JoinOffer() {
    }

    /** POSTs the peer's offer to a join link; the bridge's response (201 and the answer, or a refusal). */
    static HttpResponse<String> post(String url, BrowserPeer browser) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(sdp(browser))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An audio offer as Chromium writes one, with the peer's ICE ufrag and certificate. */
    static String sdp(BrowserPeer browser) {
        byte[] pwd = new byte[12];
        new SecureRandom().nextBytes(pwd);
        return String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111 126", "c=IN IP4 0.0.0.0", "a=ice-ufrag:" + browser.ufrag(),
                "a=ice-pwd:" + HexFormat.of().formatHex(pwd), "a=fingerprint:" + browser.fingerprint(),
                "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
                "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:126 telephone-event/8000", "");
    }

    /** The value of the answer's first line starting with {@code prefix}. */
    static String value(String sdp, String prefix) {
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new AssertionError("no " + prefix + " in " + sdp);
    }

    /** Where the answer's host candidate says the leg listens. */
    static InetSocketAddress candidate(String answer) {
        Matcher candidate = Pattern.compile("a=candidate:1 1 udp \\d+ (\\S+) (\\d+) typ host").matcher(answer);
        if (!candidate.find()) {
            throw new AssertionError("no host candidate in " + answer);
        }
        return new InetSocketAddress(candidate.group(1), Integer.parseInt(candidate.group(2)));
    }
}

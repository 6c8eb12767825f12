package org.confbridge.sip;

import java.util.List;
import java.util.Map;
import org.confbridge.sip.sdp.SrtpMode;

/**
 * How the gateway listens and what it advertises.
 *
 * @param bindAddress        address of the listening points ({@code 0.0.0.0} for all)
 * @param port               SIP port for every transport
 * @param transports         {@code udp}, {@code tcp}, {@code tls}
 * @param advertisedAddress  address written into Contact and SDP (empty: derived from bindAddress)
 * @param codecs             encoding names the media side can run, in order of preference
 * @param serverHeader       product token of the Server and User-Agent headers
 * @param srtp               whether calls use SRTP
 * @param srtpSuites         the SRTP suites the media side speaks, each with its bytes of key and salt
 * @param tlsPort            SIP over TLS port (with {@code tls} in transports)
 * @param tlsCertificate     PEM certificate chain for TLS
 * @param tlsPrivateKey      PEM private key for TLS
 * @param outboundProxy      SIP URI dial-outs are routed through, or empty
 * @param dialoutFrom        From URI of dial-outs, or empty for the room's URI
 */
public record SipSettings(String bindAddress, int port, List<String> transports, String advertisedAddress,
                          List<String> codecs, String serverHeader, SrtpMode srtp, Map<String, Integer> srtpSuites,
                          int tlsPort, String tlsCertificate, String tlsPrivateKey, String outboundProxy,
                          String dialoutFrom) {
    /** The port a transport listens on. */
    public int portOf(String transport) {
        return "tls".equalsIgnoreCase(transport) ? tlsPort : port;
    }

    public SipSettings {
        transports = List.copyOf(transports);
        codecs = List.copyOf(codecs);
        srtpSuites = Map.copyOf(srtpSuites);
    }
}

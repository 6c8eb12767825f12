package org.confbridge.media.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.confbridge.media.codec.OpusCodec;
import org.confbridge.media.dtls.DtlsCertificate;
import org.confbridge.media.dtls.DtlsSrtpServer;
import org.confbridge.media.ice.StunMessage;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.srtp.SrtpKeying;
import org.confbridge.media.srtp.SrtpProtection;

/**
 * A browser's media side in Java, on a real UDP socket: ICE connectivity checks signed with the
 * bridge's password, a DTLS-SRTP client handshake (its own certificate, the bridge's checked by
 * fingerprint), then Opus over SRTP both ways. What a WebRTC stack does, minus the page.
 */
public final class BrowserPeer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DatagramSocket socket;
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final String ufrag = "peer" + Integer.toHexString(RANDOM.nextInt(0xFFFF));
    /** One each way: the sending and the receiving side may run on two threads. */
    private SrtpProtection srtpOut;
    private SrtpProtection srtpIn;
    private final OpusCodec encoder = new OpusCodec(48000, 32000);
    private final OpusCodec decoder = new OpusCodec(48000, 32000);
    private int sequence;

    public BrowserPeer(String bindAddress) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
    }

    public String ufrag() {
        return ufrag;
    }

    /** The certificate's fingerprint, as the browser's offer carries it. */
    public String fingerprint() {
        return certificate.fingerprint();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** A connectivity check to {@code bridge} signed with {@code password}; the bridge's answer, or null when none came. */
    public StunMessage check(InetSocketAddress bridge, String bridgeUfrag, String password, boolean nominate) throws Exception {
        byte[] tid = new byte[12];
        RANDOM.nextBytes(tid);
        StunMessage.Builder b = new StunMessage.Builder(StunMessage.BINDING_REQUEST, tid)
                .add(StunMessage.USERNAME, (bridgeUfrag + ":" + ufrag).getBytes(StandardCharsets.UTF_8))
                .add(StunMessage.PRIORITY, new byte[] {0x6e, 0, 1, (byte) 0xff})
                .add(StunMessage.ICE_CONTROLLING, new byte[8]);
        if (nominate) {
            b.add(StunMessage.USE_CANDIDATE, new byte[0]);
        }
        byte[] request = b.build(password.getBytes(StandardCharsets.UTF_8), true);
        socket.send(new DatagramPacket(request, request.length, bridge));
        long deadline = System.nanoTime() + 2_000_000_000L;
        byte[] buf = new byte[2048];
        while (System.nanoTime() < deadline) {
            int n = receive(buf, 200);
            if (n > 0 && StunMessage.looksLikeStun(buf, 0, n)) {
                StunMessage answer = StunMessage.parse(buf, 0, n);
                if (Arrays.equals(answer.transactionId(), tid)) {
                    return answer;
                }
            }
        }
        return null;
    }

    /** What arrives within {@code millis}: the datagrams' first bytes (STUN 0-3, DTLS 20-63, RTP 128-191). */
    public List<Integer> firstBytesWithin(long millis) throws IOException {
        List<Integer> seen = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000;
        byte[] buf = new byte[2048];
        while (System.nanoTime() < deadline) {
            if (receive(buf, 20) > 0) {
                seen.add(buf[0] & 0xFF);
            }
        }
        return seen;
    }

    /** The DTLS handshake as client with {@code bridge}, whose certificate must match {@code bridgeFingerprint}. */
    public SrtpKeying handshake(InetSocketAddress bridge, String bridgeFingerprint) throws IOException {
        DtlsClient client = new DtlsClient(certificate, bridgeFingerprint);
        new DTLSClientProtocol().connect(client, new Transport(bridge));
        srtpOut = client.keys().protection();
        srtpIn = client.keys().protection();
        return client.keys();
    }

    /** One 20 ms Opus frame of {@code pcm} (960 samples at 48 kHz) over SRTP to {@code bridge}. */
    public void sendOpus(InetSocketAddress bridge, short[] pcm, int from) throws IOException {
        byte[] frame = new byte[1500];
        int n = encoder.encode(pcm, from, 960, frame, 0);
        sendOpusFrame(bridge, Arrays.copyOf(frame, n));
    }

    /** {@code pcm} as 20 ms Opus frames, encoded ahead: sending them then costs no encoding. */
    public byte[][] encodeOpus(short[] pcm, int frames) {
        byte[][] out = new byte[frames][];
        byte[] frame = new byte[1500];
        for (int i = 0; i < frames; i++) {
            out[i] = Arrays.copyOf(frame, encoder.encode(pcm, i * 960, 960, frame, 0));
        }
        return out;
    }

    /** One encoded Opus frame over SRTP to {@code bridge}, the next in the stream. */
    public void sendOpusFrame(InetSocketAddress bridge, byte[] opus) throws IOException {
        byte[] packet = new byte[12 + opus.length + 16];
        System.arraycopy(opus, 0, packet, 12, opus.length);
        RtpHeader.write(packet, 0, false, 111, sequence, sequence * 960L, 0x5EB);
        sequence++;
        int protectedLength = srtpOut.protectRtp(packet, 0, 12 + opus.length);
        socket.send(new DatagramPacket(packet, protectedLength, bridge));
    }

    /**
     * Takes the SRTP packets that arrived within {@code millis}, unprotects and decodes them (48 kHz);
     * a packet that does not unprotect counts in {@code unprotectable[0]}.
     */
    public short[] receiveOpus(long millis, int[] unprotectable) throws IOException {
        List<short[]> frames = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000;
        byte[] buf = new byte[2048];
        while (System.nanoTime() < deadline) {
            int length = receive(buf, 20);
            if (length <= 0) {
                continue;
            }
            int first = buf[0] & 0xFF;
            if (first < 128 || first > 191 || ((buf[1] & 0xFF) >= 192 && (buf[1] & 0xFF) <= 223)) {
                continue; // STUN, DTLS, RTCP
            }
            int plain = srtpIn.unprotectRtp(buf, 0, length);
            if (plain < 0) {
                unprotectable[0]++;
                continue;
            }
            short[] frame = new short[5760];
            int n = decoder.decode(buf, 12, plain - 12, frame, 0);
            frames.add(Arrays.copyOf(frame, n));
        }
        return frames.stream().reduce(new short[0], (a, b) -> {
            short[] joined = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            return joined;
        });
    }

    /** One datagram into {@code buf} within {@code millis}: its length, or -1 when none came. */
    private int receive(byte[] buf, int millis) throws IOException {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(millis);
        try {
            socket.receive(p);
            return p.getLength();
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        socket.close();
        encoder.close();
        decoder.close();
        if (srtpOut != null) {
            srtpOut.close();
            srtpIn.close();
        }
    }

    /** The socket as DTLS's transport: STUN and media that arrive meanwhile are passed over. */
    private final class Transport implements DatagramTransport {
        private final InetSocketAddress bridge;

        Transport(InetSocketAddress bridge) {
            this.bridge = bridge;
        }

        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            long deadline = System.nanoTime() + waitMillis * 1_000_000L;
            byte[] in = new byte[2048];
            while (System.nanoTime() < deadline) {
                DatagramPacket p = new DatagramPacket(in, in.length);
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    return -1;
                }
                int first = in[0] & 0xFF;
                if (first >= 20 && first <= 63) {
                    int n = Math.min(len, p.getLength());
                    System.arraycopy(in, 0, buf, off, n);
                    return n;
                }
            }
            return -1;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            socket.send(new DatagramPacket(buf, off, len, bridge));
        }

        @Override
        public void close() {
        }
    }

    /**
     * A browser's DTLS client: {@code use_srtp} offered, its own certificate presented, the
     * bridge's checked against the answer's fingerprint, SRTP keys exported (RFC 5764).
     */
    public static final class DtlsClient extends DefaultTlsClient {
        private final DtlsCertificate certificate;
        private final String bridgeFingerprint;
        private SrtpKeying keys;

        public DtlsClient(DtlsCertificate certificate, String bridgeFingerprint) {
            super(new BcTlsCrypto(RANDOM));
            this.certificate = certificate;
            this.bridgeFingerprint = bridgeFingerprint;
        }

        /** The client's keys once the handshake is done: it sends with the client key. */
        public SrtpKeying keys() {
            return keys;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return 5000;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = super.getClientExtensions();
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(
                    new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                    String presented = DtlsCertificate.fingerprintOf(server.getCertificate().getCertificateAt(0).getEncoded());
                    if (!DtlsCertificate.sameFingerprint(presented, bridgeFingerprint)) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    Certificate chain = new Certificate(new TlsCertificate[] {getCrypto().createCertificate(certificate.der())});
                    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                            certificate.privateKey(), chain, new SignatureAndHashAlgorithm(HashAlgorithm.sha256,
                            SignatureAlgorithm.ecdsa));
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keys = DtlsSrtpServer.keying(context, true);
        }
    }
}

package org.confbridge.media.room;

import static org.confbridge.media.room.LoopbackLegs.concatPayloads;
import static org.confbridge.media.room.LoopbackLegs.decode;
import static org.confbridge.media.room.LoopbackLegs.engine;
import static org.confbridge.media.room.LoopbackLegs.open;
import static org.confbridge.media.room.LoopbackLegs.rtp;
import static org.confbridge.media.room.LoopbackLegs.socket;
import static org.confbridge.media.room.LoopbackLegs.takeAvailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.ice.IceLite;
import org.confbridge.media.ice.StunMessage;
import org.confbridge.media.metrics.MediaMetrics;
import org.confbridge.media.testing.BrowserPeer;
import org.confbridge.media.testing.Tone;
import org.junit.jupiter.api.Test;

/**
 * A browser's leg on a real loop and socket, the browser played by {@link BrowserPeer}: nothing
 * reaches it before its checks and DTLS, then a phone and the browser hear each other (Opus over
 * SRTP one side, PCMU the other); a certificate that is not the offer's ends the leg, and checks
 * without the password or DTLS from an unchecked address are refused and counted.
 */
class BrowserLegIT {
    @Test
    void aBrowserAndAPhoneHearEachOtherOnlyAfterIceAndDtls() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine("127.0.0.1", 1, 0, false, true, registry);
             DatagramSocket phone = socket(); BrowserPeer browser = new BrowserPeer("127.0.0.1")) {
            MixGroup room = engine.createGroup("web");
            MediaLeg phoneLeg = open(room, "phone", phone);
            IceLite ice = new IceLite(browser.ufrag(), room.nanos());
            MediaLeg browserLeg = room.openLeg("browser", browserSpec(), (l, d) -> { },
                    engine.browserLeg(ice, browser.fingerprint())).get(5, TimeUnit.SECONDS);
            browserLeg.setMixed(true);
            assertTrue(browserLeg.browser());
            InetSocketAddress bridge = new InetSocketAddress("127.0.0.1", browserLeg.localPort());

            assertEquals(List.of(), browser.firstBytesWithin(200), "nothing is sent to a browser before its checks");
            StunMessage answer = browser.check(bridge, ice.localUfrag(), ice.localPassword(), true);
            assertNotNull(answer, "the check is answered");
            assertEquals(StunMessage.BINDING_SUCCESS, answer.type());
            assertTrue(answer.integrityValid(ice.localPassword().getBytes()) && answer.fingerprintValid());
            assertEquals(browser.address(), answer.xorMappedAddress());
            assertTrue(browser.firstBytesWithin(200).stream().noneMatch(b -> b >= 128),
                    "no media before DTLS, though the check passed");

            browser.handshake(bridge, engine.dtlsCertificate().fingerprint());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!browserLeg.encrypted() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(browserLeg.encrypted(), "the leg's media is SRTP with the exported keys");

            short[] browserTone = Tone.sine(440, 48000, 48000 * 3, 12000);
            short[] phoneTone = Tone.sine(1000, 8000, 8000 * 3, 12000);
            InetSocketAddress phoneTarget = new InetSocketAddress("127.0.0.1", phoneLeg.localPort());
            List<byte[]> phoneHeard = new ArrayList<>();
            CompletableFuture<short[]> browserHeard = CompletableFuture.supplyAsync(() -> {
                try {
                    return browser.receiveOpus(2200, new int[1]);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long next = System.nanoTime(); // paced by a clock, as phones and browsers send: no drift
            for (int i = 0; i < 100; i++) {
                browser.sendOpus(bridge, browserTone, i * 960);
                phone.send(new DatagramPacket(rtp(i, 9, phoneTone, i * 160), 172, phoneTarget));
                next += 20_000_000L;
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                takeAvailable(phone, i >= 40 ? phoneHeard : null);
            }
            Thread.sleep(100);
            takeAvailable(phone, phoneHeard); // what the last ticks sent
            assertTrue(phoneHeard.size() >= 40, "the phone got " + phoneHeard.size() + " packets");
            double atPhone = LoopbackLegs.heardLevel(phoneHeard, 440);
            assertTrue(atPhone > 3000, "the phone hears the browser: " + atPhone);
            short[] atBrowser = browserHeard.get(5, TimeUnit.SECONDS);
            assertTrue(atBrowser.length > 48000, "the browser decoded " + atBrowser.length + " samples of SRTP");
            double atBrowserLevel = Tone.heardLevel(atBrowser, atBrowser.length / 2, atBrowser.length, 1000, 48000);
            assertTrue(atBrowserLevel > 3000, "the browser hears the phone: " + atBrowserLevel);
            browserLeg.close();
            phoneLeg.close();
            room.close();
        }
    }

    @Test
    void aCertificateThatIsNotTheOffersEndsTheLegAndStrangersAreRefused() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine("127.0.0.1", 1, 0, false, true, registry);
             BrowserPeer browser = new BrowserPeer("127.0.0.1"); BrowserPeer stranger = new BrowserPeer("127.0.0.2")) {
            MixGroup room = engine.createGroup("web");
            IceLite ice = new IceLite(browser.ufrag(), room.nanos());
            CompletableFuture<String> ended = new CompletableFuture<>();
            LegListener listener = new LegListener() {
                @Override
                public void onDigit(MediaLeg leg, char digit) {
                }

                @Override
                public void onTransportFailed(MediaLeg leg, String why) {
                    ended.complete(why);
                }
            };
            String someoneElses = new BrowserPeer("127.0.0.1").fingerprint();
            MediaLeg leg = room.openLeg("browser", browserSpec(), listener, engine.browserLeg(ice, someoneElses))
                    .get(5, TimeUnit.SECONDS);
            InetSocketAddress bridge = new InetSocketAddress("127.0.0.1", leg.localPort());
            double refusedBefore = dropped(registry);
            StunMessage refused = stranger.check(bridge, ice.localUfrag(), "notThePasswordAtAllReally", true);
            assertEquals(StunMessage.BINDING_ERROR, refused.type(), "a check without the password gets 401");
            DatagramSocket raw = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            byte[] garbage = new byte[300];
            garbage[0] = 22; // a DTLS handshake record's first byte, from an address no check passed
            raw.send(new DatagramPacket(garbage, garbage.length, bridge));
            raw.close();
            assertNotNull(browser.check(bridge, ice.localUfrag(), ice.localPassword(), true));
            assertThrows(java.io.IOException.class, () -> browser.handshake(bridge, engine.dtlsCertificate().fingerprint()));
            String why = ended.get(10, TimeUnit.SECONDS);
            assertTrue(why.contains("certificate"), why);
            assertTrue(dropped(registry) - refusedBefore >= 2, "the stranger's check and DTLS were counted");
            leg.close();
            room.close();
        }
    }

    /** A browser's leg before ICE: Opus at 48 kHz, no address yet (the checks choose it), strict. */
    private static LegSpec browserSpec() throws Exception {
        return new LegSpec("OPUS", 111, -1, 20, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 9), "browser",
                null, true, null);
    }

    private static double dropped(SimpleMeterRegistry registry) {
        return registry.find(MediaMetrics.PACKETS_DROPPED).tag("reason", "ice-dtls-refused").functionCounter().count();
    }
}

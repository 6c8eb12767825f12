package org.confbridge.media.room;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.confbridge.media.loop.LegSockets;
import org.confbridge.media.net.LegSocket;
import org.confbridge.media.net.RtcpPort;
import org.confbridge.media.webrtc.BrowserLeg;

/**
 * How legs come into one room: on sockets opened for them, on sockets reserved before their media
 * was known, or moved with their sockets from another room. Every leg arrives unmixed (in the
 * lobby); a leg that cannot be made closes its sockets.
 */
final class LegArrivals {
    private final MixGroup group;

    LegArrivals(MixGroup group) {
        this.group = group;
    }

    CompletableFuture<MediaLeg> open(String id, LegSpec spec, LegListener listener, BrowserLeg browser) {
        CompletableFuture<MediaLeg> result = new CompletableFuture<>();
        openSockets(spec.remote(), result, opened -> group.execute(
                () -> add(id, spec, listener, opened.rtp(), opened.rtcp(), browser, result)));
        return result;
    }

    CompletableFuture<ReservedSockets> reserve(InetSocketAddress peer) {
        CompletableFuture<ReservedSockets> result = new CompletableFuture<>();
        openSockets(peer, result, opened -> result.complete(new ReservedSockets(group, opened.rtp(), opened.rtcp())));
        return result;
    }

    CompletableFuture<MediaLeg> open(String id, LegSpec spec, LegListener listener, ReservedSockets sockets) {
        CompletableFuture<MediaLeg> result = new CompletableFuture<>();
        group.execute(() -> add(id, spec, listener, sockets.rtp(), sockets.rtcp(), null, result));
        return result;
    }

    /** Binds a leg's sockets for a caller at {@code peer} unless the room has closed; {@code then} gets them. */
    private void openSockets(InetSocketAddress peer, CompletableFuture<?> result,
                             java.util.function.Consumer<LegSockets.Opened> then) {
        group.execute(() -> {
            if (group.closed()) {
                result.completeExceptionally(new IllegalStateException("room " + group.name() + " is closed"));
                return;
            }
            group.loops().sockets().open(group.loop(), group.io(), peer).whenComplete((opened, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    then.accept(opened);
                }
            });
        });
    }

    /**
     * Adds a leg on sockets already bound and starts the room's tick if it was not running. Room's
     * loop.
     */
    void add(String id, LegSpec spec, LegListener listener, LegSocket rtp, RtcpPort rtcp, BrowserLeg browser,
             CompletableFuture<MediaLeg> result) {
        MediaLeg leg;
        try {
            if (group.closed()) {
                throw new IllegalStateException("room " + group.name() + " is closed");
            }
            leg = new MediaLeg(id, group, spec, listener, rtp, rtcp, group.settings(), group.metrics(), browser);
        } catch (RuntimeException e) {
            rtp.close(group.io());
            if (rtcp != null) {
                rtcp.close();
            }
            result.completeExceptionally(e);
            return;
        }
        group.addLeg(leg);
        result.complete(leg);
    }

    /** Moves {@code leg} from this room to {@code target}'s (see {@link MixGroup#transfer}). */
    CompletableFuture<Void> transfer(MediaLeg leg, LegArrivals target) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        group.loop().execute(() -> {
            if (!group.detach(leg)) {
                done.completeExceptionally(new IllegalStateException(leg + " is not in room " + group.name()));
                return;
            }
            // The RTP socket stays where it is; the next tick that reads it is the target's.
            leg.leavingLoop();
            RtcpPort rtcp = leg.rtcpPort();
            if (rtcp == null || rtcp.channel() == null) {
                target.adopt(leg, done);
            } else {
                rtcp.channel().deregister().addListener(g -> target.adopt(leg, done));
            }
        });
        return done;
    }

    private void adopt(MediaLeg leg, CompletableFuture<Void> done) {
        Runnable finish = () -> {
            leg.movedTo(group);
            group.addLeg(leg);
            done.complete(null);
        };
        RtcpPort rtcp = leg.rtcpPort();
        if (rtcp == null || rtcp.channel() == null) {
            group.loop().execute(finish);
        } else {
            // A leg works without RTCP: if its socket cannot move, the leg moves without it.
            group.loop().register(rtcp.channel()).addListener(g -> {
                if (!g.isSuccess()) {
                    rtcp.close();
                }
                finish.run();
            });
        }
    }
}

package org.confbridge.core.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session file sent from disk as it is: the kernel copies it to the socket ({@link DefaultFileRegion},
 * sendfile), so a recording of a whole day costs no heap however many download it at once. One
 * byte range ({@code Range: bytes=a-b}, {@code a-}, {@code -n}) answers {@code 206} for a player
 * that seeks; several ranges get the whole file, which RFC 9110 allows; a range past the end gets
 * {@code 416}. {@code HEAD} reads nothing.
 */
final class FileDownload {
    private static final Pattern ONE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private FileDownload() {
    }

    /** The part of a file of {@code length} bytes a Range header asks for: [first, last], or null for all. */
    record Span(long first, long last) {
        long count() {
            return last - first + 1;
        }
    }

    /** Thrown for a range that lies wholly past the end. */
    static final class Unsatisfiable extends Exception {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    /** The span a {@code Range} header asks of {@code length} bytes; null for the whole file. */
    static Span span(String range, long length) throws Unsatisfiable {
        if (range == null) {
            return null;
        }
        Matcher m = ONE_RANGE.matcher(range.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())
                || m.group(1).length() > 18 || m.group(2).length() > 18) {
            return null; // several ranges, another unit, or nonsense: the whole file
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || length == 0) {
                throw new Unsatisfiable();
            }
            return new Span(Math.max(0, length - suffix), length - 1);
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
        if (first >= length) {
            throw new Unsatisfiable();
        }
        if (last < first) {
            return null;
        }
        return new Span(first, last);
    }

    /** Answers {@code request} with {@code file}; closes the connection after it unless kept alive. */
    static void send(ChannelHandlerContext ctx, HttpRequest request, Path file, String contentType) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long length = channel.size();
        Span span;
        try {
            span = span(request.headers().get(HttpHeaderNames.RANGE), length);
        } catch (Unsatisfiable e) {
            channel.close();
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length);
            finish(ctx, request, r, null, 0, 0);
            return;
        }
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                span == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        r.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        long first = span == null ? 0 : span.first();
        long count = span == null ? length : span.count();
        if (span != null) {
            r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + span.first() + "-" + span.last() + "/" + length);
        }
        if (request.method() == HttpMethod.HEAD) {
            channel.close();
            finish(ctx, request, r, null, 0, count);
            return;
        }
        finish(ctx, request, r, channel, first, count);
    }

    private static void finish(ChannelHandlerContext ctx, HttpRequest request, HttpResponse r, FileChannel body,
                               long first, long count) {
        HttpUtil.setContentLength(r, count);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.write(r);
        if (body != null) {
            ctx.write(new DefaultFileRegion(body, first, count)); // closes the channel once sent or failed
        }
        ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }
}

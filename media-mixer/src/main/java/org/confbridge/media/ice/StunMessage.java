package org.confbridge.media.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A STUN message (RFC 8489) as ICE uses it: parsed from untrusted bytes with every length checked,
 * or built with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (HMAC-SHA1 under a short-term password) and
 * FINGERPRINT. Immutable once parsed.
 */
public final class StunMessage {
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    static final int HEADER = 20;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int FINGERPRINT_XOR = 0x5354554E;
    private static final int INTEGRITY_LENGTH = 20;
    /** More than a browser's check ever holds; longer is not a message we take. */
    private static final int MAX_LENGTH = 1200;

    /** Bytes that are not a well-formed STUN message; the message says what is wrong, never the bytes. */
    public static final class Malformed extends Exception {
        Malformed(String why) {
            super(why, null, false, false);
        }
    }

    private final byte[] raw;
    private final int type;

    private StunMessage(byte[] raw) {
        this.raw = raw;
        this.type = u16(raw, 0);
    }

    /**
     * Whether a datagram is STUN rather than DTLS or (S)RTP on a shared port (RFC 7983: a first
     * byte of 0-3) and carries the magic cookie.
     */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return len >= HEADER && (buf[off] & 0xFF) < 4 && u32(buf, off + 4) == MAGIC_COOKIE;
    }

    /** Parses {@code buf[off..off+len)}: header, cookie, length and every attribute's bounds checked. */
    public static StunMessage parse(byte[] buf, int off, int len) throws Malformed {
        if (len < HEADER || len > MAX_LENGTH) {
            throw new Malformed("a STUN message of " + len + " bytes");
        }
        if ((buf[off] & 0xC0) != 0) {
            throw new Malformed("not STUN: the first two bits are set");
        }
        if (u32(buf, off + 4) != MAGIC_COOKIE) {
            throw new Malformed("no magic cookie");
        }
        int bodyLength = u16(buf, off + 2);
        if (bodyLength % 4 != 0 || HEADER + bodyLength != len) {
            throw new Malformed("length field " + bodyLength + " against " + (len - HEADER) + " bytes");
        }
        byte[] raw = Arrays.copyOfRange(buf, off, off + len);
        for (int at = HEADER; at < len; ) {
            if (at + 4 > len) {
                throw new Malformed("an attribute header cut short");
            }
            int valueLength = u16(raw, at + 2);
            int next = at + 4 + padded(valueLength);
            if (next > len) {
                throw new Malformed("attribute " + Integer.toHexString(u16(raw, at)) + " runs past the end");
            }
            at = next;
        }
        return new StunMessage(raw);
    }

    public int type() {
        return type;
    }

    /** The 96-bit transaction id. */
    public byte[] transactionId() {
        return Arrays.copyOfRange(raw, 8, HEADER);
    }

    /** The first attribute of {@code attributeType}'s value, or null. */
    public byte[] attribute(int attributeType) {
        int at = find(attributeType);
        return at < 0 ? null : Arrays.copyOfRange(raw, at + 4, at + 4 + u16(raw, at + 2));
    }

    /** USERNAME as text, or null. */
    public String username() {
        byte[] value = attribute(USERNAME);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /**
     * Whether MESSAGE-INTEGRITY is present and right under {@code key} (for ICE, the password as
     * bytes): HMAC-SHA1 over the message up to the attribute, its length field counting to the
     * attribute's end. Compared in constant time.
     */
    public boolean integrityValid(byte[] key) {
        int at = find(MESSAGE_INTEGRITY);
        if (at < 0 || u16(raw, at + 2) != INTEGRITY_LENGTH) {
            return false;
        }
        byte[] expected = hmac(key, raw, at, at + 4 + INTEGRITY_LENGTH - HEADER);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, at + 4, at + 4 + INTEGRITY_LENGTH));
    }

    /** Whether FINGERPRINT is present, last, and matches the message before it. */
    public boolean fingerprintValid() {
        int at = find(FINGERPRINT);
        if (at < 0 || at + 8 != raw.length || u16(raw, at + 2) != 4) {
            return false;
        }
        return u32(raw, at + 4) == fingerprint(raw, at);
    }

    /** XOR-MAPPED-ADDRESS decoded, or null where absent or malformed. */
    public InetSocketAddress xorMappedAddress() {
        byte[] value = attribute(XOR_MAPPED_ADDRESS);
        if (value == null || value.length < 8) {
            return null;
        }
        int family = value[1];
        int port = u16(value, 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] mask = new byte[16];
        putU32(mask, 0, MAGIC_COOKIE);
        System.arraycopy(raw, 8, mask, 4, 12);
        int size = family == 1 ? 4 : family == 2 ? 16 : -1;
        if (size < 0 || value.length != 4 + size) {
            return null;
        }
        byte[] address = new byte[size];
        for (int i = 0; i < size; i++) {
            address[i] = (byte) (value[4 + i] ^ mask[i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            return null; // never: the length is 4 or 16
        }
    }

    /** The message as it came. */
    public byte[] bytes() {
        return raw.clone();
    }

    private int find(int attributeType) {
        for (int at = HEADER; at + 4 <= raw.length; at += 4 + padded(u16(raw, at + 2))) {
            if (u16(raw, at) == attributeType) {
                return at;
            }
        }
        return -1;
    }

    /** A message being built: attributes in order, then integrity and fingerprint at {@link #build}. */
    public static final class Builder {
        private final byte[] transactionId;
        private final int type;
        private byte[] body = new byte[0];

        public Builder(int type, byte[] transactionId) {
            if (transactionId.length != 12) {
                throw new IllegalArgumentException("a transaction id has 12 bytes");
            }
            this.type = type;
            this.transactionId = transactionId.clone();
        }

        public Builder add(int attributeType, byte[] value) {
            byte[] grown = Arrays.copyOf(body, body.length + 4 + padded(value.length));
            putU16(grown, body.length, attributeType);
            putU16(grown, body.length + 2, value.length);
            System.arraycopy(value, 0, grown, body.length + 4, value.length);
            body = grown;
            return this;
        }

        /** XOR-MAPPED-ADDRESS of {@code address} (RFC 8489 section 14.2). */
        public Builder xorMappedAddress(InetSocketAddress address) {
            byte[] ip = address.getAddress().getAddress();
            byte[] value = new byte[4 + ip.length];
            value[1] = (byte) (ip.length == 4 ? 1 : 2);
            putU16(value, 2, address.getPort() ^ (MAGIC_COOKIE >>> 16));
            byte[] mask = new byte[16];
            putU32(mask, 0, MAGIC_COOKIE);
            System.arraycopy(transactionId, 0, mask, 4, 12);
            for (int i = 0; i < ip.length; i++) {
                value[4 + i] = (byte) (ip[i] ^ mask[i]);
            }
            return add(XOR_MAPPED_ADDRESS, value);
        }

        /**
         * The message, with MESSAGE-INTEGRITY under {@code integrityKey} (none where null) and then
         * FINGERPRINT where asked.
         */
        public byte[] build(byte[] integrityKey, boolean fingerprint) {
            int length = HEADER + body.length + (integrityKey != null ? 4 + INTEGRITY_LENGTH : 0) + (fingerprint ? 8 : 0);
            byte[] out = new byte[length];
            putU16(out, 0, type);
            putU32(out, 4, MAGIC_COOKIE);
            System.arraycopy(transactionId, 0, out, 8, 12);
            System.arraycopy(body, 0, out, HEADER, body.length);
            int at = HEADER + body.length;
            if (integrityKey != null) {
                byte[] mac = hmac(integrityKey, out, at, at + 4 + INTEGRITY_LENGTH - HEADER);
                putU16(out, at, MESSAGE_INTEGRITY);
                putU16(out, at + 2, INTEGRITY_LENGTH);
                System.arraycopy(mac, 0, out, at + 4, INTEGRITY_LENGTH);
                at += 4 + INTEGRITY_LENGTH;
            }
            putU16(out, 2, length - HEADER);
            if (fingerprint) {
                putU16(out, at, FINGERPRINT);
                putU16(out, at + 2, 4);
                putU32(out, at + 4, fingerprint(out, at));
            }
            return out;
        }
    }

    /** HMAC-SHA1 over {@code message[0..end)} whose length field reads {@code lengthField}. */
    private static byte[] hmac(byte[] key, byte[] message, int end, int lengthField) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
            mac.update(message, 0, 2);
            mac.update((byte) (lengthField >>> 8));
            mac.update((byte) lengthField);
            mac.update(message, 4, end - 4);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 missing from the JCE", e);
        }
    }

    /** CRC-32 of {@code message[0..end)} XOR 0x5354554e; the length field already counts the fingerprint. */
    private static int fingerprint(byte[] message, int end) {
        CRC32 crc = new CRC32();
        crc.update(message, 0, end);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int u32(byte[] b, int at) {
        return (u16(b, at) << 16) | u16(b, at + 2);
    }

    private static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void putU32(byte[] b, int at, int v) {
        putU16(b, at, v >>> 16);
        putU16(b, at + 2, v);
    }
}

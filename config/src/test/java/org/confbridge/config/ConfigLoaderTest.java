package org.confbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void embeddedConfigurationHasDemoRoom() throws Exception {
        BridgeConfiguration c = ConfigLoader.embedded();
        RoomSettings room = c.room("1000").orElseThrow();
        assertEquals("1234", room.pin());
        assertEquals("4321", room.moderatorPin());
        assertEquals(5060, c.bridge().sipPort());
        assertEquals(List.of("udp", "tcp"), c.bridge().sipTransports());
        assertEquals("127.0.0.1", c.bridge().httpBind());
        assertEquals(16000, c.bridge().mixerSampleRate());
        assertEquals("auto", c.bridge().opusLibrary());
        assertEquals(8, c.bridge().mixerMaxTalkers());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void readsBridgeKeysWithTrailingComments() throws Exception {
        write("bridge.properties", """
                sip.port = 5070
                sip.transports = udp            # tls needs sip.tls.keystore
                rtp.ports = 30000-30100
                mixer.sampleRate = 8000
                http.port = 0
                codecs.opusLibrary = LibOpus
                mixer.maxTalkers = 0           # everyone who talks
                """);
        BridgeSettings b = ConfigLoader.load(dir).bridge();
        assertEquals("libopus", b.opusLibrary(), "a word of the vocabulary in its own spelling");
        assertEquals(5070, b.sipPort());
        assertEquals(List.of("udp"), b.sipTransports());
        assertEquals(new PortRange(30000, 30100), b.rtpPorts());
        assertEquals(8000, b.mixerSampleRate());
        assertEquals(0, b.mixerMaxTalkers());
        assertEquals(0, b.httpPort());
    }

    @Test
    void badBridgeValueNamesFileKeyAndProblem() throws Exception {
        write("bridge.properties", "mixer.sampleRate = 11025\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertEquals("mixer.sampleRate", e.key());
        assertTrue(e.getMessage().contains("bridge.properties"), e.getMessage());
        assertTrue(e.getMessage().contains("11025"), e.getMessage());

        write("bridge.properties", "codecs.opusLibrary = ffmpeg\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertEquals("codecs.opusLibrary", e.key());
        assertTrue(e.getMessage().contains("auto | concentus | libopus, got 'ffmpeg'"), e.getMessage());

        write("bridge.properties", "mixer.maxTalkers = -1\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertEquals("mixer.maxTalkers", e.key());
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void unknownKeyInBridgePropertiesStopsTheStartWithSuggestion() throws Exception {
        write("bridge.properties", "admin.tokn = secret\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertEquals("admin.tokn", e.key());
        assertTrue(e.getMessage().contains("bridge.properties") && e.getMessage().contains("did you mean 'admin.token'"),
                e.getMessage());
    }

    @Test
    void misspelledPinRejectsTheRoomInsteadOfOpeningIt() throws Exception {
        write("rooms/1000.properties", "pim = 4711\n");
        write("rooms/2000.properties", "pin = 4711\n");
        BridgeConfiguration c = ConfigLoader.load(dir);
        assertEquals(List.of("2000"), List.copyOf(c.rooms().keySet()));
        ConfigException pim = c.rejected().get(0);
        assertTrue(pim.file().endsWith("1000.properties"), pim.file());
        assertEquals("pim", pim.key());
        assertTrue(pim.problem().contains("did you mean 'pin'"), pim.problem());
    }

    @Test
    void brokenRoomFileIsRejectedAloneWithKey() throws Exception {
        write("rooms/1000.properties", "pin = 1234\n");
        write("rooms/2000.properties", "pin = 12a4\n");
        write("rooms/3000.properties", "record = sometimes\n");
        BridgeConfiguration c = ConfigLoader.load(dir);
        assertEquals(List.of("1000"), List.copyOf(c.rooms().keySet()));
        assertEquals(2, c.rejected().size());
        ConfigException pin = c.rejected().get(0);
        assertTrue(pin.file().endsWith("2000.properties"));
        assertEquals("pin", pin.key());
        assertTrue(pin.problem().contains("digits"), pin.problem());
        assertEquals("record", c.rejected().get(1).key());
        assertTrue(c.rejected().get(1).problem().contains("off | always | on-demand"));
    }

    @Test
    void roomFileNameMustBeDigits() throws Exception {
        write("rooms/sales.properties", "pin = 1\n");
        BridgeConfiguration c = ConfigLoader.load(dir);
        assertTrue(c.rooms().isEmpty());
        assertTrue(c.rejected().get(0).getMessage().contains("sales.properties"));
    }

    @Test
    void duplicatePinsAcrossRolesAreRejected() throws Exception {
        write("rooms/1000.properties", "pin = 1234\nmoderatorPin = 1234\n");
        BridgeConfiguration c = ConfigLoader.load(dir);
        assertEquals("moderatorPin", c.rejected().get(0).key());
    }

    @Test
    void roomDefaultsApply() throws Exception {
        write("rooms/77.properties", "");
        RoomSettings r = ConfigLoader.load(dir).room("77").orElseThrow();
        assertEquals("77", r.name());
        assertEquals(50, r.maxParticipants());
        assertEquals(RecordMode.OFF, r.record());
        assertEquals("de", r.language());
        assertEquals(false, r.requiresPin());
    }

    @Test
    void keyGivenTwiceIsAnError() throws Exception {
        write("rooms/1.properties", "pin = 1\npin = 2\n");
        assertEquals("pin", ConfigLoader.load(dir).rejected().get(0).key());
    }

    @Test
    void valuesAreTextNeverTemplates() throws Exception {
        write("bridge.properties", "dialin.user = ${env:HOME}\n");
        write("rooms/7000.properties", "name = ${moderatorPin}\npin = 4711\nmoderatorPin = 9876\n");
        write("rooms/7001.properties", "name = ${env:HOME} ${sys:user.dir}\npin = 4712\n");
        write("rooms/7002.properties", "name = ${file:UTF-8:/etc/hostname}\npin = 4713\n");
        BridgeConfiguration c = ConfigLoader.load(dir);
        assertEquals("${env:HOME}", c.bridge().dialinUser());
        assertEquals("${moderatorPin}", c.room("7000").orElseThrow().name());
        assertEquals("${env:HOME} ${sys:user.dir}", c.room("7001").orElseThrow().name());
        assertEquals("${file:UTF-8:/etc/hostname}", c.room("7002").orElseThrow().name());
    }

    @Test
    void roomsOfTheStateFolderLoadBesideTheAdminsAndNeverReplaceOne() throws Exception {
        write("bridge.properties", "state.dir = " + dir.resolve("var") + "\n");
        write("rooms/1000.properties", "name = Admin\npin = 1111\n");
        write("var/rooms/7000.properties", "name = From the API\npin = 222222\n");
        write("var/rooms/1000.properties", "name = Hijack\n");
        BridgeConfiguration c = ConfigLoader.load(dir);
        assertEquals("Admin", c.room("1000").orElseThrow().name());
        assertEquals("From the API", c.room("7000").orElseThrow().name());
        assertTrue(c.rejected().get(0).getMessage().contains("is also an admin's file"), c.rejected().toString());
        assertEquals(dir.resolve("var").resolve("rooms"),
                RoomFolders.of(dir, c.bridge()).onDemandRooms());
        assertEquals(dir.resolve("state").resolve("rooms"),
                RoomFolders.of(dir, BridgeSettings.defaults(), null).onDemandRooms(), "the default state folder");
        assertEquals(Path.of("/var/lib/confbridge/rooms"),
                RoomFolders.of(dir, BridgeSettings.defaults(), "/var/lib/confbridge:/var/lib/other").onDemandRooms(),
                "systemd's StateDirectory");
    }

    @Test
    void aWebhookUrlNeedsASecretOfSixteenBytes() throws Exception {
        write("bridge.properties", "events.webhookUrl = https://crm.example.com/hook\nevents.webhookSecret = short\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertEquals("events.webhookSecret", e.key());
        assertTrue(ConfigLoader.check(dir).get(0).getMessage().contains("at least 16 bytes"));
        write("bridge.properties", "events.webhookUrl = https://crm.example.com/hook\n"
                + "events.webhookSecret = 0123456789abcdef\n");
        assertEquals("0123456789abcdef", ConfigLoader.load(dir).bridge().webhookSecret());
    }

    @Test
    void theJoinListenerSpeaksPlainHttpOnlyOnLoopbackAndNeedsBothTlsFiles() throws Exception {
        write("bridge.properties", "join.port = 8443\njoin.bind = 192.0.2.10\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertTrue(e.getMessage().contains("join.bind") && e.getMessage().contains("HTTPS"), e.getMessage());

        write("bridge.properties", "join.port = 8443\njoin.bind = 192.0.2.10\njoin.tls.certificate = /etc/cb/cert.pem\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertTrue(e.getMessage().contains("join.tls.privateKey"), e.getMessage());

        write("bridge.properties", "join.port = 8443\njoin.bind = 192.0.2.10\njoin.tls.certificate = /etc/cb/cert.pem\n"
                + "join.tls.privateKey = /etc/cb/key.pem\n");
        JoinSettings join = ConfigLoader.load(dir).bridge().join();
        assertTrue(join.enabled() && join.tls(), join.toString());
        assertEquals("/etc/cb/key.pem", join.tlsPrivateKey());
    }

    private void write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void checkListsEveryProblemOfEveryFile() throws Exception {
        write("bridge.properties", "sip.prot = 5070\nmixer.sampleRate = 11025\nsip.port = 5060\n");
        write("rooms/1000.properties", "pin = 1234\n");
        write("rooms/2000.properties", "pim = 4711\nrecord = sometimes\n");
        write("rooms/3000.properties", "pin = 1111\nmoderatorPin = 1111\n");
        List<ConfigException> problems = ConfigLoader.check(dir);
        List<String> keys = problems.stream().map(e -> e.file().replaceAll(".*/", "") + " " + e.key()).toList();
        assertEquals(List.of("bridge.properties sip.prot", "bridge.properties mixer.sampleRate",
                "2000.properties pim", "2000.properties record", "3000.properties moderatorPin"), keys);
        assertTrue(problems.get(0).getMessage().contains("did you mean 'sip.port'"), problems.get(0).getMessage());
    }

    @Test
    void checkOfAGoodDirectoryFindsNothing() throws Exception {
        write("bridge.properties", "sip.port = 5070\n");
        write("rooms/1000.properties", "pin = 1234\n");
        assertEquals(List.of(), ConfigLoader.check(dir));
    }
}

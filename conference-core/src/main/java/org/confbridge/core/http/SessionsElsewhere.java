package org.confbridge.core.http;

import java.util.List;
import java.util.Map;

/** The sessions other nodes hold (several nodes through Redis): listed beside this node's, their files a redirect away. */
public interface SessionsElsewhere {
    /** Other nodes' sessions, as {@link SessionFiles#list} lists this node's, each with its {@code node}. */
    List<Map<String, Object>> list(String room);

    /** The API base URL of the node holding session {@code id}'s files, or null when none is known. */
    String locate(String id);
}

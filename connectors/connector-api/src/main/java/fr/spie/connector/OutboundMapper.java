package fr.spie.connector;

import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Maps a SPIE record to what a partner's system takes. Plain Java, thread-safe. */
public interface OutboundMapper {

    /** The format id used in config/ to select this mapper. */
    String format();

    /** The SPIE record types this mapper can express in the partner's format. */
    Set<String> recordTypes();

    /**
     * @param recordType the SPIE record type
     * @param subject    the envelope's subject (already minimised for this recipient)
     * @param payload    the record (already minimised for this recipient)
     * @throws IllegalArgumentException when the record cannot be expressed in the partner's format (the reason says why)
     */
    OutboundMessage map(String recordType, JsonNode subject, JsonNode payload);
}

package fr.spie.connector;

import java.io.InputStream;

/**
 * Maps a partner's native input (a file, an API response) to SPIE records, streaming: memory use must not grow
 * with the size of the input. Implementations are plain Java (no Spring, no Camel) and thread-safe.
 */
public interface InboundConnector {

    /** The format id used in config/ to select this connector, e.g. {@code cnaf-vrsb0801}. */
    String format();

    /**
     * Reads the whole input, passing each mapped record or rejected native record to the sink in input order.
     *
     * @throws UnreadableInputException when the input as a whole cannot be read; records already passed to the sink
     *                                  must then be discarded by the caller
     */
    ReadSummary read(InputStream input, RecordSink sink) throws UnreadableInputException;
}

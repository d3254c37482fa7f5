package fr.spie.gateway.delivery;

/**
 * The recipient counts as down ({@link RecipientBreaker}) and it is not this record's turn to probe: nothing was sent
 * nor counted; the record waits (retried after {@code probeEvery}, never dead-lettered for this).
 */
public class RecipientPaused extends DeliveryFailure {
    public RecipientPaused(String recipient) {
        super("recipient '" + recipient + "' is down: waiting for its next probe", true);
    }
}

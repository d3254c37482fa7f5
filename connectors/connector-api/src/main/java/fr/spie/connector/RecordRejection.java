package fr.spie.connector;

/**
 * A native record the connector could not map. The rest of the input goes on.
 *
 * @param location where it is in the native input (line number, element path)
 * @param reason   what is wrong, specific enough for the partner to fix it; never personal data
 */
public record RecordRejection(String location, String reason) {
}

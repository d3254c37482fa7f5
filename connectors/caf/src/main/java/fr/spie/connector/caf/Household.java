package fr.spie.connector.caf;

import fr.spie.connector.identity.Matricule;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an InfosFoyerRSA gives every one of its persons: the fund, the dossier number, the household part of the
 * rsa-situation payload (with a {@code rightsAndDuties} placeholder where the per-person fields go) and the address.
 */
record Household(String fonorg, String numorg, Matricule matricule, ObjectNode situation, ObjectNode address) {
}

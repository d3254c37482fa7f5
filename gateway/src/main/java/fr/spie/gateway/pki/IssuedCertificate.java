package fr.spie.gateway.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate with its private key and the chain up to (and including) its CA. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key, X509Certificate... chain) {
}

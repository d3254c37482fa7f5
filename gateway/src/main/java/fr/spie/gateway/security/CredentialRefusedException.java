package fr.spie.gateway.security;

import org.springframework.security.core.AuthenticationException;

/** A credential was presented but is refused; the message says why (it becomes the problem's detail). */
public class CredentialRefusedException extends AuthenticationException {
    public CredentialRefusedException(String message) {
        super(message);
    }
}

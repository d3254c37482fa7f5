package fr.spie.gateway.config;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;

import static fr.spie.gateway.config.GatewayConfigLoader.DEFAULT_CONNECT_TIMEOUT;
import static fr.spie.gateway.config.GatewayConfigLoader.DEFAULT_INITIAL_BACKOFF;
import static fr.spie.gateway.config.GatewayConfigLoader.DEFAULT_JITTER;
import static fr.spie.gateway.config.GatewayConfigLoader.DEFAULT_MAX_ATTEMPTS;
import static fr.spie.gateway.config.GatewayConfigLoader.DEFAULT_MAX_BACKOFF;
import static fr.spie.gateway.config.GatewayConfigLoader.DEFAULT_MULTIPLIER;
import static fr.spie.gateway.config.GatewayConfigLoader.DEFAULT_TIMEOUT;
import static fr.spie.gateway.config.GatewayConfigLoader.block;
import static fr.spie.gateway.config.GatewayConfigLoader.readable;
import static fr.spie.gateway.config.GatewayConfigLoader.text;

/**
 * Reads a partner's {@code delivery}: its endpoint, transport and signature, timeouts, retries and backoff, rate limit
 * and outage settings, with their defaults.
 */
final class DeliveryReader {
    private final CheckedDocument doc;
    private final TransportSettingsReader transports;

    DeliveryReader(CheckedDocument doc, TransportSettingsReader transports) {
        this.doc = doc;
        this.transports = transports;
    }

    /** The delivery settings, or null when invalid (reported). */
    Delivery delivery(JsonNode node, String at) {
        if (!node.isObject()) {
            return null;
        }
        boolean valid = true;
        String transportName = text(node, "transport");
        if (transportName == null) {
            transportName = TransportSettings.SPIE_JSON;
        } else if (doc.flagged(at + "/transport")) {
            return null;
        }
        URI url = null;
        if (node.has("url") && !TransportSettings.SPIE_JSON.equals(transportName)) {
            doc.report(at + "/url", readable(at + "/url") + ": transport '" + transportName
                    + "' does not use url (its endpoint is in " + readable(at + "/" + block(transportName)) + ")");
            valid = false;
        } else if (node.has("url")) {
            url = doc.url(node, at, "url");
            valid &= url != null;
        } else if (TransportSettings.SPIE_JSON.equals(transportName)) {
            doc.report(at, readable(at) + ": missing required key 'url' (transport spie-json posts the records"
                    + " to it)");
            valid = false;
        }
        TransportSettings transport = transports.transport(node, at, transportName);
        valid &= transport != null;
        if (node.has("signature")) {
            String sigAt = at + "/signature";
            if (!TransportSettings.SPIE_JSON.equals(transportName)) {
                doc.report(sigAt, readable(sigAt) + ": transport '" + transportName
                        + "' does not sign requests (signature is for transport spie-json)");
                valid = false;
            } else if (doc.flagged(sigAt) || doc.anyFlagged(sigAt, "header", "secret")) {
                valid = false;
            } else {
                String header = text(node.get("signature"), "header");
                String secret = text(node.get("signature"), "secret");
                if (header == null || secret == null) {
                    valid = false;
                } else {
                    transport = new TransportSettings.SpieJson(new TransportSettings.Signature(header, secret));
                }
            }
        }
        Duration connectTimeout = doc.duration(node, at, "connectTimeout", DEFAULT_CONNECT_TIMEOUT);
        Duration timeout = doc.duration(node, at, "timeout", DEFAULT_TIMEOUT);
        JsonNode backoff = node.path("backoff");
        String backoffAt = at + "/backoff";
        Duration initial = doc.duration(backoff, backoffAt, "initial", DEFAULT_INITIAL_BACKOFF);
        Duration max = doc.duration(backoff, backoffAt, "max", DEFAULT_MAX_BACKOFF);
        valid &= connectTimeout != null && timeout != null && initial != null && max != null;
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            String pointer = backoffAt + (backoff.has("max") ? "/max" : "/initial");
            doc.report(pointer, readable(pointer) + ": backoff.max (" + max
                    + ") is shorter than backoff.initial (" + initial + ")");
            valid = false;
        }
        JsonNode attempts = node.get("maxAttempts");
        JsonNode multiplier = backoff.get("multiplier");
        JsonNode jitter = backoff.get("jitter");
        JsonNode rate = node.get("maxRatePerSecond");
        JsonNode outage = node.path("outage");
        String outageAt = at + "/outage";
        JsonNode pauseAfter = outage.get("pauseAfterFailures");
        Duration probeEvery = doc.duration(outage, outageAt, "probeEvery", Delivery.Outage.DEFAULT.probeEvery());
        valid &= (attempts == null || attempts.canConvertToInt()) && (multiplier == null || multiplier.isNumber())
                && (jitter == null || jitter.isNumber()) && (rate == null || rate.isNumber())
                && (pauseAfter == null || pauseAfter.canConvertToInt()) && probeEvery != null;
        if (!valid || doc.flagged(at + "/maxAttempts") || doc.flagged(backoffAt + "/multiplier")
                || doc.flagged(backoffAt + "/jitter") || doc.flagged(at + "/maxRatePerSecond")
                || doc.flagged(outageAt + "/pauseAfterFailures")) {
            return null;
        }
        return new Delivery(url, connectTimeout, timeout,
                attempts == null ? DEFAULT_MAX_ATTEMPTS : attempts.asInt(),
                initial, multiplier == null ? DEFAULT_MULTIPLIER : multiplier.asDouble(),
                max, jitter == null ? DEFAULT_JITTER : jitter.asDouble(), transport,
                rate == null ? null : rate.asDouble(),
                new Delivery.Outage(pauseAfter == null ? Delivery.Outage.DEFAULT.pauseAfterFailures()
                        : pauseAfter.asInt(), probeEvery), subjectFields(node.get("subjectFields")));
    }

    /** The subject fields listed (checked against the subject's fields by the partners schema), or null: all. */
    private static java.util.List<String> subjectFields(JsonNode list) {
        if (list == null || !list.isArray()) {
            return null;
        }
        java.util.List<String> fields = new java.util.ArrayList<>();
        list.forEach(f -> fields.add(f.asString()));
        return fields;
    }
}

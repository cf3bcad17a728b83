package io.aigne.hub.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aigne.hub.secret.Masking;
import io.aigne.hub.secret.Redaction;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The last line of defence between a change and the append-only audit log, where a leaked secret could never be
 * deleted again. By field name: passwords and hashes are replaced by {@value #REMOVED}; keys, secrets and tokens
 * are masked ({@code sk-o****...6789}), which is how the hub shows them anywhere. Every other string is searched
 * for anything shaped like a key ({@link Redaction}). Fields that already hold a masked form are left as they are.
 */
final class SecretScrubber {
    static final String REMOVED = "[removed]";
    private static final Set<String> REMOVE = Set.of("password", "hash", "sealed", "privatekey");
    private static final Set<String> MASK = Set.of("secret", "apikey", "accesskeyid", "credentialvalue");
    private static final Set<String> ALREADY_MASKED = Set.of("masked", "maskedvalue", "displaytext", "hint", "keyhint");

    private enum Treatment { KEEP, MASK, REMOVE }

    private SecretScrubber() {
    }

    static JsonNode scrub(JsonNode node) {
        return node == null ? null : scrub(node, Treatment.KEEP);
    }

    private static JsonNode scrub(JsonNode node, Treatment inherited) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = object.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                Treatment t = inherited == Treatment.KEEP ? treatment(field.getKey()) : inherited;
                if (t == Treatment.KEEP && ALREADY_MASKED.contains(normalise(field.getKey()))) {
                    out.set(field.getKey(), field.getValue().deepCopy());
                } else {
                    out.set(field.getKey(), scrub(field.getValue(), t));
                }
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = array.arrayNode();
            array.forEach(item -> out.add(scrub(item, inherited)));
            return out;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(switch (inherited) {
                case REMOVE -> REMOVED;
                case MASK -> Masking.mask(node.asText());
                case KEEP -> Redaction.redact(node.asText());
            });
        }
        // Numbers, booleans and nulls say whether something is set, never what it is.
        return node.deepCopy();
    }

    private static Treatment treatment(String field) {
        String name = normalise(field);
        if (REMOVE.stream().anyMatch(name::contains)) {
            return Treatment.REMOVE;
        }
        // "sessionToken" is a secret, "inputCreditsPerToken" and "maxTokens" are not.
        boolean token = name.endsWith("token") && !name.endsWith("pertoken");
        if (token || MASK.stream().anyMatch(name::contains)) {
            return Treatment.MASK;
        }
        return Treatment.KEEP;
    }

    private static String normalise(String field) {
        return field.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }
}

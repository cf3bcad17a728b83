package io.aigne.hub.billing.payment;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body in the order fields are added. Nested parameters are written
 * the way Stripe reads them, with the path in brackets ({@code line_items[0][quantity]}); the brackets stay
 * readable, everything else is percent-encoded.
 */
final class FormBody {
    private final List<Map.Entry<String, String>> fields = new ArrayList<>();

    FormBody add(String name, String value) {
        fields.add(Map.entry(name, value));
        return this;
    }

    String encode() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> field : fields) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]"))
                    .append('=').append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}

package io.aigne.hub.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads {@link HubConfig}: built-in defaults, then the YAML file, then environment variables.
 * <ul>
 *   <li>Any string in the file may reference the environment as {@code ${VAR}} or {@code ${VAR:-fallback}}, so
 *   secrets never need to be written into the file.</li>
 *   <li>Every scalar setting has an environment override named {@code AIGNE_HUB_} + its path in upper snake case
 *   ({@code server.maxBodyBytes} → {@code AIGNE_HUB_SERVER_MAX_BODY_BYTES}).</li>
 * </ul>
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "AIGNE_HUB_";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigLoader() {
    }

    public static HubConfig load(Optional<Path> file, Map<String, String> env) {
        ObjectNode tree = defaults();
        String source = "built-in defaults";
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.isRegularFile(path)) {
                throw new ConfigException("configuration file " + path.toAbsolutePath() + " does not exist");
            }
            source = path.toString();
            try {
                JsonNode fromFile = YAML.readTree(path.toFile());
                if (fromFile != null && !fromFile.isMissingNode() && !fromFile.isNull()) {
                    if (!fromFile.isObject()) {
                        throw new ConfigException(path + ": the top level must be a mapping of settings");
                    }
                    substituteReferences(fromFile, env, "");
                    merge(tree, (ObjectNode) fromFile);
                }
            } catch (IOException e) {
                throw new ConfigException(path + " is not valid YAML: " + e.getMessage());
            }
        }
        applyEnvironment(tree, HubConfig.class, "", env);
        try {
            return YAML.treeToValue(tree, HubConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown setting '" + pathOf(e) + "' in " + source
                    + "; known settings at that level: " + e.getKnownPropertyIds());
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String path = pathOf(e);
            String fromEnv = env.get(envName(path.replaceAll("\\[\\d+]", "")));
            String where = fromEnv != null ? "environment variable " + envName(path) + "=" + fromEnv : source;
            throw new ConfigException("setting '" + path + "' (from " + where + ") has an invalid value: "
                    + firstLine(e.getOriginalMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("invalid setting in " + source + ": " + e.getOriginalMessage());
        }
    }

    /** The environment variable that overrides a setting path such as {@code server.maxBodyBytes}. */
    public static String envName(String path) {
        StringBuilder sb = new StringBuilder(ENV_PREFIX);
        for (char c : path.toCharArray()) {
            if (c == '.') {
                sb.append('_');
            } else if (Character.isUpperCase(c)) {
                sb.append('_').append(c);
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    private static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("built-in defaults.yaml missing from the jar", e);
        }
    }

    private static void merge(ObjectNode target, ObjectNode overlay) {
        for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode overlayObject) {
                merge(existingObject, overlayObject);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void substituteReferences(JsonNode node, Map<String, String> env, String path) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getValue().isTextual()) {
                    field.setValue(new TextNode(expand(field.getValue().asText(), env, childPath)));
                } else {
                    substituteReferences(field.getValue(), env, childPath);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String childPath = path + "[" + i + "]";
                if (array.get(i).isTextual()) {
                    array.set(i, new TextNode(expand(array.get(i).asText(), env, childPath)));
                } else {
                    substituteReferences(array.get(i), env, childPath);
                }
            }
        }
    }

    static String expand(String value, Map<String, String> env, String path) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = env.get(m.group(1));
            if (m.group(2) != null && (replacement == null || replacement.isEmpty())) {
                replacement = m.group(2);
            }
            if (replacement == null) {
                throw new ConfigException("setting '" + path + "' refers to environment variable " + m.group(1)
                        + ", which is not set (set it, or write ${" + m.group(1) + ":-default})");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void applyEnvironment(ObjectNode tree, Class<?> type, String path, Map<String, String> env) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = component.getName();
            String childPath = path.isEmpty() ? name : path + "." + name;
            Class<?> componentType = component.getType();
            if (componentType.isRecord()) {
                JsonNode child = tree.get(name);
                ObjectNode childObject = child instanceof ObjectNode o ? o : tree.putObject(name);
                applyEnvironment(childObject, componentType, childPath, env);
            } else if (java.util.List.class.isAssignableFrom(componentType)) {
                String value = env.get(envName(childPath));
                if (value != null && component.getGenericType() instanceof ParameterizedType pt
                        && pt.getActualTypeArguments()[0] == String.class) {
                    ArrayNode list = tree.putArray(name);
                    for (String item : value.split(",")) {
                        if (!item.isBlank()) {
                            list.add(item.trim());
                        }
                    }
                }
            } else {
                String value = env.get(envName(childPath));
                if (value != null) {
                    tree.put(name, value);
                }
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String pathOf(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}

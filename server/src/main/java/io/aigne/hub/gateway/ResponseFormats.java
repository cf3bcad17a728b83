package io.aigne.hub.gateway;

import static io.aigne.hub.gateway.JsonFields.bool;
import static io.aigne.hub.gateway.JsonFields.object;
import static io.aigne.hub.gateway.JsonFields.path;
import static io.aigne.hub.gateway.JsonFields.requiredObject;
import static io.aigne.hub.gateway.JsonFields.requiredString;
import static io.aigne.hub.gateway.JsonFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.server.ApiException;

/**
 * A response format option as every front door takes it: {@code {"type": "text"}} (no constraint),
 * {@code "json_object"}, or {@code "json_schema"} with {@code {name, schema, strict}} under the door's spelling of
 * the schema field. The reading is shared; what differs between doors is configured on an immutable reader: the
 * field names, whether {@code type} may be left out, whether {@code json_object} is accepted, whether
 * {@code schema} is required, and whether 400 messages quote the path ({@code 'response_format.type' must be...})
 * or name it bare ({@code input.responseFormat.type must be...}). Build one with {@link #of} and the
 * configuring methods rather than the canonical constructor.
 */
public record ResponseFormats(String field, String schemaField, boolean typeRequired, boolean jsonObject,
                              boolean schemaRequired, boolean quotePaths) {
    /**
     * A reader of the option {@code field} whose JSON schema sits in {@code schemaField}: {@code type} required,
     * {@code json_object} accepted, {@code schema} optional, paths quoted, until configured otherwise.
     */
    public static ResponseFormats of(String field, String schemaField) {
        return new ResponseFormats(field, schemaField, true, true, false, true);
    }

    /** The same reader, taking an option without {@code type} as free text. */
    public ResponseFormats typeOptional() {
        return new ResponseFormats(field, schemaField, false, jsonObject, schemaRequired, quotePaths);
    }

    /** The same reader, refusing {@code json_object} as an unknown type. */
    public ResponseFormats withoutJsonObject() {
        return new ResponseFormats(field, schemaField, typeRequired, false, schemaRequired, quotePaths);
    }

    /** The same reader, requiring the JSON schema's {@code schema}. */
    public ResponseFormats requireSchema() {
        return new ResponseFormats(field, schemaField, typeRequired, jsonObject, true, quotePaths);
    }

    /** The same reader, naming paths bare in its messages. */
    public ResponseFormats barePaths() {
        return new ResponseFormats(field, schemaField, typeRequired, jsonObject, schemaRequired, false);
    }

    /** The format in {@code parent}, whose path is {@code parentPath}; null for free text (or none given). */
    public ResponseFormat read(JsonNode parent, String parentPath) {
        ObjectNode format = object(parent, field, parentPath);
        if (format == null) {
            return null;
        }
        String at = path(parentPath, field);
        String type = typeRequired ? requiredString(format, "type", at) : string(format, "type", at);
        if (type == null || type.equals("text")) {
            return null;
        }
        if (jsonObject && type.equals("json_object")) {
            return ResponseFormat.JSON_OBJECT;
        }
        if (type.equals("json_schema")) {
            ObjectNode schema = requiredObject(format, schemaField, at);
            String schemaPath = path(at, schemaField);
            String name = requiredString(schema, "name", schemaPath);
            ObjectNode jsonSchema = schemaRequired ? requiredObject(schema, "schema", schemaPath)
                    : object(schema, "schema", schemaPath);
            return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, name, jsonSchema,
                    bool(schema, "strict", schemaPath));
        }
        String typePath = path(at, "type");
        throw ApiException.invalid(typePath, (quotePaths ? "'" + typePath + "'" : typePath) + " must be "
                + (jsonObject ? "text, json_object or json_schema" : "text or json_schema") + "; got '" + type + "'");
    }
}

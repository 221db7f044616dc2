package io.jtgt.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A request's JSON object with typed fields, each error one line naming the field. Numbers may be
 * JSON numbers or strings of digits, as in gotgt's JSON and Config Admin's files.
 */
public final class JsonBody {

    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    /** Parses a JSON object; an empty body is an empty object. */
    public static JsonBody parse(ObjectMapper mapper, String body) {
        if (body == null || body.isBlank()) {
            return new JsonBody(mapper.createObjectNode());
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("request body: not JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("request body: a JSON object expected");
        }
        return new JsonBody(node);
    }

    /** Refuses fields this request does not know, so that a typo is not silently ignored. */
    public JsonBody only(String... known) {
        Set<String> allowed = Set.of(known);
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("request body: unknown field '" + name + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
        return this;
    }

    public boolean has(String field) {
        JsonNode node = root.get(field);
        return node != null && !node.isNull();
    }

    public String string(String field) {
        JsonNode node = require(field);
        if (!node.isTextual()) {
            throw ApiException.badRequest(field + ": a string expected, got " + node);
        }
        return node.asText();
    }

    /** A string field, or null when absent. */
    public String optionalString(String field) {
        return has(field) ? string(field) : null;
    }

    public long number(String field, long min, long max) {
        JsonNode node = require(field);
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Args.inRange(field, node.asLong(), min, max);
        }
        if (node.isTextual()) {
            return Args.number(field, node.asText(), min, max);
        }
        throw ApiException.badRequest(field + ": '" + node + "' is not a whole number");
    }

    public JsonNode node(String field) {
        return require(field);
    }

    /**
     * Every field as a Config Admin property value: strings, whole numbers (Long), booleans and
     * other numbers (as their text). Objects and arrays are refused, naming the field.
     */
    public Map<String, Object> properties() {
        Map<String, Object> props = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode v = field.getValue();
            Object value;
            if (v.isTextual()) {
                value = v.asText();
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                value = v.asLong();
            } else if (v.isBoolean()) {
                value = v.asBoolean();
            } else if (v.isNumber()) {
                value = v.asText();
            } else if (v.isNull()) {
                continue;
            } else {
                throw ApiException.badRequest(field.getKey() + ": a string, number or boolean expected, got " + v);
            }
            props.put(field.getKey(), value);
        }
        return props;
    }

    private JsonNode require(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(field + ": required");
        }
        return node;
    }
}

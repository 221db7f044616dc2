package io.jtgt.rest;

import java.util.List;
import java.util.Map;

/**
 * One request as the resources see it.
 *
 * @param method the HTTP method, upper case
 * @param path the decoded path segments below the API root ({@code /targets/x/luns} = targets, x, luns)
 * @param query the query parameters (first value of each)
 * @param body the request body, empty when there is none
 */
public record Call(String method, List<String> path, Map<String, String> query, String body) {

    public Call {
        path = List.copyOf(path);
        query = Map.copyOf(query);
        body = body == null ? "" : body;
    }

    /** Splits a path such as {@code /targets/iqn.x:y/luns} into its non-empty segments. */
    public static List<String> segments(String path) {
        if (path == null) {
            return List.of();
        }
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** The parameters of a raw query string ({@code force=true&grace=5}); the first value of each wins. */
    public static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!name.isEmpty()) {
                query.putIfAbsent(name, value);
            }
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("query: '" + text + "' is not URL-encoded");
        }
    }

    public int size() {
        return path.size();
    }

    public String segment(int i) {
        return path.get(i);
    }

    /** True when the path has exactly these segments, {@code null} standing for any one. */
    public boolean matches(String... pattern) {
        if (pattern.length != path.size()) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] != null && !pattern[i].equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    public boolean is(String httpMethod) {
        return method.equals(httpMethod);
    }

    /** The path as the client wrote it, for messages. */
    public String pathText() {
        return "/" + String.join("/", path);
    }

    /** A boolean query flag: absent, {@code true} or {@code false}; anything else is a 400 naming it. */
    public boolean flag(String name) {
        String value = query.get(name);
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.badRequest(name + ": '" + value + "' is not true or false");
        };
    }
}

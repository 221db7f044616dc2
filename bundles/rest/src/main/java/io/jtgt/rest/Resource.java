package io.jtgt.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * One area of the API (its first path segment). A resource only parses the call and calls a
 * service, like a shell command; what it answers is rendered as indented JSON.
 */
public abstract class Resource {

    /** Shared, configured once: Jackson's ObjectMapper is thread-safe after configuration. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The first path segment this resource serves, e.g. {@code targets}. */
    public abstract String name();

    /** Answers a call whose first segment is {@link #name()}. */
    public abstract Reply handle(Call call);

    protected static JsonBody body(Call call) {
        return JsonBody.parse(MAPPER, call.body());
    }

    protected static Reply ok(Object value) {
        return Reply.json(200, render(value));
    }

    protected static Reply created(Object value) {
        return Reply.json(201, render(value));
    }

    /** 202: the change was started and finishes by itself (a session logout). */
    protected static Reply accepted(Object value) {
        return Reply.json(202, render(value));
    }

    /** 404 for a path this resource does not have, 405 for a method its path does not take. */
    protected static ApiException unknown(Call call, boolean pathExists) {
        if (pathExists) {
            return new ApiException(405, call.method() + " is not allowed on " + call.pathText());
        }
        return ApiException.notFound("no resource " + call.pathText());
    }

    static String render(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}

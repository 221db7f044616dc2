package io.jtgt.rest;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API: routes a {@link Call} to the resource named by its first path segment and turns
 * every refusal into a JSON error with the message the shell prints for the same mistake:
 * {@code {"error": "target iqn...: does not exist", "status": 404}}. A malformed argument or a
 * refused change is 400, a missing object 404, an object that exists already or is in use 409
 * (from {@link ConfigException#kind()}).
 */
public final class RestApi {

    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

    private final Map<String, Resource> resources = new LinkedHashMap<>();

    public RestApi(AdminService admin, ManagementService management) {
        this(List.of(new TargetsResource(admin, management), new LunsResource(management),
                new PortalsResource(admin, management), new StoragesResource(admin, management), new AclsResource(admin),
                new SessionsResource(management), new StatsResource(management), new ConfigResource(admin)));
    }

    RestApi(List<Resource> all) {
        all.forEach(r -> resources.put(r.name(), r));
    }

    /** Answers one request; never throws. */
    public Reply handle(Call call) {
        try {
            if (call.size() == 0) {
                if (!call.is("GET") && !call.is("HEAD")) {
                    throw new ApiException(405, call.method() + " is not allowed on /");
                }
                return Resource.ok(Map.of("resources", resources.keySet().stream().map(n -> "/" + n).toList()));
            }
            Resource resource = resources.get(call.segment(0));
            if (resource == null) {
                throw ApiException.notFound("no resource " + call.pathText() + " (have " + resources.keySet() + ")");
            }
            return resource.handle(call);
        } catch (ApiException e) {
            return error(e.status(), e.getMessage());
        } catch (ConfigException e) {
            return error(status(e.kind()), e.getMessage());
        } catch (IllegalArgumentException e) {
            // ManagementService's refusals (e.g. a session its transport cannot end).
            return error(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("REST {} {} failed", call.method(), call.pathText(), e);
            return error(500, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    static int status(ConfigException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
        };
    }

    /** The JSON error body every failure gets (the access guard's 401 and 403 too). */
    public static Reply error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        return Reply.json(status, Resource.render(body));
    }
}

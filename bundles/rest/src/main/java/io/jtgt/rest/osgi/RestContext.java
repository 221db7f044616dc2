package io.jtgt.rest.osgi;

import io.jtgt.rest.AccessGuard;
import io.jtgt.rest.JaasAuthenticator;
import io.jtgt.rest.RestApi;
import java.io.IOException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The HTTP Whiteboard context {@value #NAME} at {@value #PATH}: every servlet in it (the REST API,
 * /metrics) passes {@link AccessGuard} first, in {@link #handleSecurity} (OSGi Compendium 140.3).
 */
@Component(service = ServletContextHelper.class, scope = ServiceScope.BUNDLE, configurationPid = RestConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HttpWhiteboardContext(name = RestContext.NAME, path = RestContext.PATH)
@Designate(ocd = RestConfig.class)
public class RestContext extends ServletContextHelper {

    public static final String NAME = "io.jtgt";
    public static final String PATH = "/jtgt";
    /** What servlets of this context put into their {@code osgi.http.whiteboard.context.select}. */
    public static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";

    private AccessGuard guard;

    @Activate
    void activate(RestConfig config) {
        guard = new AccessGuard(new JaasAuthenticator(config.realm()), config.realm(), config.readRole(), config.writeRole());
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AccessGuard.Decision decision = guard.check(request.getMethod(), request.getHeader("Authorization"),
                request.getHeader("Origin"), ownOrigin(request));
        if (decision.allowed()) {
            // As the specification asks (ServletContextHelper.REMOTE_USER / AUTHENTICATION_TYPE).
            request.setAttribute(REMOTE_USER, decision.user());
            request.setAttribute(AUTHENTICATION_TYPE, HttpServletRequest.BASIC_AUTH);
            return true;
        }
        if (decision.status() == 401) {
            response.setHeader("WWW-Authenticate", guard.challenge());
        }
        RestServlet.write(response, RestApi.error(decision.status(), decision.message()));
        return false;
    }

    private static String ownOrigin(HttpServletRequest request) {
        int port = request.getServerPort();
        boolean defaultPort = (request.getScheme().equals("http") && port == 80) || (request.getScheme().equals("https") && port == 443);
        return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }
}

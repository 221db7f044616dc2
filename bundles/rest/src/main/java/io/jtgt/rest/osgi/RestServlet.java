package io.jtgt.rest.osgi;

import io.jtgt.rest.ApiException;
import io.jtgt.rest.Call;
import io.jtgt.rest.Reply;
import io.jtgt.rest.RestApi;
import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.ManagementService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The REST API at {@code /jtgt/api/*}: copies the request into a {@link Call}, lets {@link RestApi}
 * answer, copies the {@link Reply} back. Authentication happened in {@link RestContext}.
 */
@Component(service = Servlet.class)
// A name of its own: Pax Web keeps one servlet per name and context (default: the class name).
@HttpWhiteboardServletName("jtgt-rest")
@HttpWhiteboardServletPattern("/api/*")
@HttpWhiteboardContextSelect(RestContext.SELECT)
public class RestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** A gotgt JSON of a few thousand objects fits; more is refused (413) before it is read. */
    static final int MAX_BODY_BYTES = 8 << 20;

    @Reference
    private AdminService admin;

    @Reference
    private ManagementService management;

    private transient RestApi api;

    @Activate
    void activate() {
        api = new RestApi(admin, management);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body = readBody(request);
        if (body == null) {
            write(response, RestApi.error(413, "request body larger than " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        Reply reply;
        try {
            // The query string only: a form-encoded body is never taken for parameters.
            reply = api.handle(new Call(request.getMethod(), Call.segments(request.getPathInfo()),
                    Call.query(request.getQueryString()), body));
        } catch (ApiException e) {
            reply = RestApi.error(e.status(), e.getMessage());
        }
        if (request.getMethod().equals("HEAD")) {
            reply = new Reply(reply.status(), reply.contentType(), "");
        }
        write(response, reply);
    }

    /** The body as UTF-8, or null when it is larger than {@link #MAX_BODY_BYTES}. */
    private static String readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0;) {
                if (bytes.size() + n > MAX_BODY_BYTES) {
                    return null;
                }
                bytes.write(buffer, 0, n);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static void write(HttpServletResponse response, Reply reply) throws IOException {
        response.setStatus(reply.status());
        // Answers change with every call; never from a cache.
        response.setHeader("Cache-Control", "no-store");
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        if (reply.contentType() != null) {
            response.setContentType(reply.contentType());
        }
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}

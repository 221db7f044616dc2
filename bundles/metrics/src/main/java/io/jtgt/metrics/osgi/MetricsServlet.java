package io.jtgt.metrics.osgi;

import io.jtgt.metrics.JtgtMetrics;
import io.jtgt.metrics.PrometheusText;
import io.jtgt.scsi.api.ManagementService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /jtgt/metrics}: Prometheus text. It lives in the REST bundle's whiteboard context
 * ({@code io.jtgt}), so the same credentials and read role guard it; without that bundle it is
 * not served at all (never unauthenticated).
 */
@Component(service = Servlet.class)
// A name of its own: Pax Web keeps one servlet per name and context (default: the class name).
@HttpWhiteboardServletName("jtgt-metrics")
@HttpWhiteboardServletPattern("/metrics")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=io.jtgt)")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Reference
    private transient ManagementService management;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = JtgtMetrics.scrape(management).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(PrometheusText.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

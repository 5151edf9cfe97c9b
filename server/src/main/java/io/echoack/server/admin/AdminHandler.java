package io.echoack.server.admin;

import static io.echoack.common.text.FieldMessage.field;
import static io.echoack.server.admin.AdminResponses.text;

import io.echoack.common.text.FieldMessage;
import io.echoack.server.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the admin requests. Reading needs nothing: {@code GET /metrics} (Prometheus text format),
 * {@code GET /healthz} (200 while the process serves at all), {@code GET /readyz} (200 when ready for traffic,
 * 503 while starting, draining or held by hand) and {@code GET /faults}. Changing state ({@code POST /ready},
 * {@code POST /unready}, {@code PUT} and {@code DELETE /faults}) needs control on and the bearer token
 * ({@link AdminAccess}). Checked in this order: unknown path 404, wrong method 405 (with {@code Allow}),
 * control off 403, no or wrong token 401 (with {@code WWW-Authenticate: Bearer}), bad parameters or body 400
 * naming the key. {@code HEAD} works where {@code GET} does. Keep-alive is honoured.
 */
@Sharable
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    private static final String REALM = "Bearer realm=\"echoack-admin\"";

    /** The paths served, each with the methods it takes. */
    private enum Route {
        METRICS("/metrics", HttpMethod.GET, HttpMethod.HEAD),
        HEALTHZ("/healthz", HttpMethod.GET, HttpMethod.HEAD),
        READYZ("/readyz", HttpMethod.GET, HttpMethod.HEAD),
        READY("/ready", HttpMethod.POST),
        UNREADY("/unready", HttpMethod.POST),
        FAULTS("/faults", HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE);

        private final String path;
        private final List<HttpMethod> methods;

        Route(String path, HttpMethod... methods) {
            this.path = path;
            this.methods = List.of(methods);
        }

        /** The {@code Allow} header's value. */
        String allow() {
            return methods.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
        }
    }

    private final ServerMetrics metrics;
    private final Readiness readiness;
    private final AdminAccess access;
    private final FaultsEndpoint faults;
    private final String controlOff;
    private final String paths;

    /**
     * @param faults       every listener's faults, or null when the server has none to offer ({@code /faults}
     *                     is then 404)
     * @param settingNames how the 403 answer names the settings that turn control on, given their field name
     *                     (a command line passes its flags)
     */
    public AdminHandler(ServerMetrics metrics, Readiness readiness, AdminAccess access, FaultControl faults,
                        Function<String, String> settingNames) {
        this.metrics = metrics;
        this.readiness = readiness;
        this.access = access;
        this.faults = faults == null ? null : new FaultsEndpoint(faults);
        this.controlOff = FieldMessage.of("run-time control is off: start the server with ", field("adminControl"),
                " and ", field("tokenFile"), "\n").render(settingNames);
        this.paths = Arrays.stream(Route.values()).filter(r -> r != Route.FAULTS || faults != null)
                .map(r -> r.path).collect(Collectors.joining(", "));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        FullHttpResponse response = respond(ctx, request);
        if (request.method() == HttpMethod.HEAD) {
            int length = response.content().readableBytes();
            response.content().clear();
            HttpUtil.setContentLength(response, length);
        } else {
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse respond(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        }
        String path = new QueryStringDecoder(request.uri()).path();
        Route route = Arrays.stream(Route.values()).filter(r -> r.path.equals(path)).findFirst().orElse(null);
        if (route == null || (route == Route.FAULTS && faults == null)) {
            return text(HttpResponseStatus.NOT_FOUND, "not found: try " + paths + "\n");
        }
        HttpMethod method = request.method();
        if (!route.methods.contains(method)) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + route.allow() + "\n");
            r.headers().set(HttpHeaderNames.ALLOW, route.allow());
            return r;
        }
        String from = String.valueOf(ctx.channel().remoteAddress());
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            FullHttpResponse refused = authorize(request, from);
            if (refused != null) {
                return refused;
            }
        }
        String query = QueryPairs.queryOf(request.uri());
        String body = request.content().toString(StandardCharsets.UTF_8);
        return switch (route) {
            case HEALTHZ -> text(HttpResponseStatus.OK, "ok\n");
            case READYZ -> text(readiness.isReady() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    readiness.describe() + "\n");
            case READY, UNREADY -> setReadiness(route, query, body, from);
            case FAULTS -> faults.handle(method, query, body, from);
            case METRICS -> metrics(ctx);
        };
    }

    /** Null when the request may change state; else the 403 or 401 answer. Never logs the credential. */
    private FullHttpResponse authorize(FullHttpRequest request, String from) {
        AdminAccess.Verdict verdict = access.check(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        switch (verdict) {
            case ALLOWED:
                return null;
            case CONTROL_OFF:
                return text(HttpResponseStatus.FORBIDDEN, controlOff);
            default:
                log.info("admin: refused {} {} from {}: {}", request.method(), new QueryStringDecoder(request.uri())
                        .path(), from, verdict == AdminAccess.Verdict.NO_TOKEN ? "no bearer token" : "wrong token");
                FullHttpResponse r = text(HttpResponseStatus.UNAUTHORIZED, verdict == AdminAccess.Verdict.NO_TOKEN
                        ? "unauthorized: send the token: Authorization: Bearer TOKEN\n" : "unauthorized: wrong token\n");
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE,
                        verdict == AdminAccess.Verdict.NO_TOKEN ? REALM : REALM + ", error=\"invalid_token\"");
                return r;
        }
    }

    /** {@code POST /ready} releases the hold by hand, {@code POST /unready} sets it; answers what /readyz says. */
    private FullHttpResponse setReadiness(Route route, String query, String body, String from) {
        List<Map.Entry<String, String>> params = QueryPairs.parse(query);
        if (!params.isEmpty()) {
            return text(HttpResponseStatus.BAD_REQUEST, params.get(0).getKey() + ": unknown key; POST " + route.path
                    + " takes no parameters\n");
        }
        if (!body.isBlank()) {
            return text(HttpResponseStatus.BAD_REQUEST, "POST " + route.path + " takes no body\n");
        }
        boolean changed = route == Route.UNREADY ? readiness.holdByHand() : readiness.releaseByHand();
        String now = readiness.describe();
        if (changed) {
            log.info("admin: POST {} from {}: {}", route.path, from, now);
        }
        return text(HttpResponseStatus.OK, now + "\n");
    }

    private FullHttpResponse metrics(ChannelHandlerContext ctx) {
        ByteBuf body = ctx.alloc().buffer(8192);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            metrics.writeTo(out);
        } catch (IOException | RuntimeException e) {
            body.release();
            log.warn("could not render metrics", e);
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics unavailable\n");
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, ServerMetrics.CONTENT_TYPE);
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} admin connection error: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}

/*
 * Starts DynamoDB Local bound to 127.0.0.1 only, answering only requests addressed to a loopback
 * host name.
 *
 * DynamoDB Local has no host option: its DynamoDBProxyServer builds a Jetty `new Server(port)`,
 * whose connector listens on every interface, so anyone on the network could read and write the
 * table. This launcher (run by `java` as a single source file, JEP 330; no build step) builds the
 * server exactly as the jar's own main does, then, before it starts, sets the Jetty connector's
 * host to 127.0.0.1 and wraps its handler with a Host header check, so that a web page that
 * rebinds its DNS name to 127.0.0.1 cannot reach the table from a browser either.
 *
 * Arguments: those of DynamoDBLocal.jar (-port, -inMemory, -dbPath, -sharedDb, ...).
 */
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Set;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.HandlerWrapper;

public class LoopbackDynamoDbLocal {
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector");
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        // Refuse to start rather than listen on every interface.
        throw new IllegalStateException("unexpected connector " + connector.getClass().getName());
      }
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    HandlerWrapper hostCheck =
        new HandlerWrapper() {
          @Override
          public void handle(
              String target, Request base, HttpServletRequest request, HttpServletResponse response)
              throws IOException, ServletException {
            if (!LOOPBACK_HOSTS.contains(request.getServerName().toLowerCase())) {
              base.setHandled(true);
              response.sendError(403, "Host must be a loopback name");
              return;
            }
            super.handle(target, base, request, response);
          }
        };
    hostCheck.setHandler(server.getHandler());
    server.setHandler(hostCheck);
    proxy.start();
  }
}

// A small Java soak target for judging soak's JVM columns: an HTTP server on 127.0.0.1 that, for
// each GET /work, allocates a 4 KiB block and either keeps it in a static list (--hold: a leak in
// the old generation) or drops it (--release: garbage for the next GC).
//
//   java ci/targets/java/Main.java --port 0 [--hold|--release] [--block-bytes N]
//
// It prints "listening on 127.0.0.1:PORT" once ready, answers GET /health, and exits on SIGTERM.
// Only the JDK: com.sun.net.httpserver, no dependency to download.
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

public final class Main {
    private static final List<byte[]> HELD = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        int port = 0;
        boolean hold = true;
        int blockBytes = 4096;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--hold" -> hold = true;
                case "--release" -> hold = false;
                case "--block-bytes" -> blockBytes = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("Main: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        final boolean keep = hold;
        final int size = blockBytes;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/work", exchange -> {
            byte[] block = new byte[size];
            block[0] = 1;
            int held;
            synchronized (HELD) {
                if (keep) HELD.add(block);
                held = HELD.size();
            }
            reply(exchange, 200, "held " + held + " blocks\n");
        });
        server.createContext("/health", exchange -> reply(exchange, 200, "ok\n"));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
        System.out.println("listening on 127.0.0.1:" + server.getAddress().getPort());
        System.out.flush();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String text)
            throws IOException {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

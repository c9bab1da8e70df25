// A small Java soak target for judging soak's JVM columns: an HTTP server on 127.0.0.1 that, for
// each GET /work, allocates a 4 KiB block and either keeps it in a static list (--hold: a leak in
// the old generation) or drops it (--release: garbage for the next GC). With --records it keeps a
// 16 SessionRecords (4.25 KiB) per request instead: a class of its own for the class histogram to name.
//
//   java ci/targets/java/Main.java --port 0 [--hold|--release|--records] [--block-bytes N]
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
    private static final List<SessionRecord> RECORDS = new ArrayList<>();

    /** What --records keeps per request: 32 longs of its own, no array, so the leak is this class. */
    static final class SessionRecord {
        long a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7;
        long c0, c1, c2, c3, c4, c5, c6, c7, d0, d1, d2, d3, d4, d5, d6, d7;

        SessionRecord(long seed) { a0 = seed; d7 = seed; }
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        boolean hold = true;
        boolean records = false;
        int blockBytes = 4096;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--hold" -> hold = true;
                case "--release" -> hold = false;
                case "--records" -> { records = true; hold = false; }
                case "--block-bytes" -> blockBytes = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("Main: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        final boolean keep = hold;
        final boolean keepRecords = records;
        final int size = blockBytes;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/work", exchange -> {
            byte[] block = new byte[size];
            block[0] = 1;
            int held;
            synchronized (HELD) {
                if (keep) HELD.add(block);
                if (keepRecords) for (int i = 0; i < 16; i++) RECORDS.add(new SessionRecord(RECORDS.size()));
                held = HELD.size() + RECORDS.size();
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

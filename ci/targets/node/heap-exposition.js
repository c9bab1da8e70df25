// A Node target for judging soak's Prometheus columns without npm: an HTTP server on 127.0.0.1
// that writes prom-client's heap figures by hand. Each GET /work makes the reported
// nodejs_heap_size_used_bytes grow by --grow-bytes (default 2 KiB) while the process itself holds
// nothing more, so RSS stays flat and only the declared column can show the leak.
//
//   node ci/targets/node/heap-exposition.js --port PORT [--grow-bytes N]
const http = require("http");

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const port = option("--port", 0);
const growBytes = option("--grow-bytes", 2048);
let requests = 0;

function exposition() {
  const memory = process.memoryUsage();
  const used = 4_000_000 + requests * growBytes;
  return [
    "# HELP process_resident_memory_bytes Resident memory size in bytes.",
    "# TYPE process_resident_memory_bytes gauge",
    `process_resident_memory_bytes ${memory.rss}`,
    "# HELP nodejs_heap_size_total_bytes Process heap size from Node.js in bytes.",
    "# TYPE nodejs_heap_size_total_bytes gauge",
    `nodejs_heap_size_total_bytes ${memory.heapTotal}`,
    "# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.",
    "# TYPE nodejs_heap_size_used_bytes gauge",
    `nodejs_heap_size_used_bytes ${used}`,
    "# HELP nodejs_heap_space_size_used_bytes Process heap space size used from Node.js in bytes.",
    "# TYPE nodejs_heap_space_size_used_bytes gauge",
    `nodejs_heap_space_size_used_bytes{space="old"} ${used - 1_000_000}`,
    `nodejs_heap_space_size_used_bytes{space="new"} 1000000`,
    "",
  ].join("\n");
}

const server = http.createServer((request, response) => {
  if (request.url === "/metrics") {
    response.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
    response.end(exposition());
  } else if (request.url === "/work" || request.url === "/warm") {
    if (request.url === "/work") requests += 1;
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.end(`request ${requests}\n`);
  } else {
    response.writeHead(404);
    response.end();
  }
});
// Serve a few hundred requests to itself before saying it is ready, so the code pages of Node's
// HTTP server are already resident: otherwise RSS climbs for the first minute as they fault in,
// which is start-up, not a leak, but would sit in a short run's steady window.
function warmUp(remaining, done) {
  if (remaining === 0) return done();
  const path = remaining % 2 ? "/metrics" : "/warm";
  http.get({ host: "127.0.0.1", port: server.address().port, path }, (response) => {
    response.resume();
    response.on("end", () => warmUp(remaining - 1, done));
  });
}
server.listen(port, "127.0.0.1", () => {
  warmUp(600, () => console.log(`listening on 127.0.0.1:${server.address().port}`));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));

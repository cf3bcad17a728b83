// A fast Anthropic Messages API mock for benchmarking the hub's translated path (OpenAI door → Anthropic
// provider). Answers POST /v1/messages with a fixed message, or with a stream of the same size as the rig's
// OpenAI mock stream (26 word deltas). Usage: node bench/anthropic-mock.mjs [port]
import http from "node:http";

const port = Number(process.argv[2] ?? 18120);
const words = "The quick brown fox jumps over the lazy dog while the gateway translates every single event it sees on the way to the caller who asked for it".split(" ").slice(0, 26);
const text = words.join(" ");
const usage = { input_tokens: 24, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 26 };
const message = JSON.stringify({
  id: "msg_bench_1", type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929",
  content: [{ type: "text", text }], stop_reason: "end_turn", stop_sequence: null, usage,
});
const event = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const stream = [
  event("message_start", { message: { id: "msg_bench_1", type: "message", role: "assistant",
    model: "claude-sonnet-4-5-20250929", content: [], stop_reason: null, stop_sequence: null,
    usage: { ...usage, output_tokens: 1 } } }),
  event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  event("ping", {}),
  ...words.map((w, i) => event("content_block_delta", { index: 0, delta: { type: "text_delta", text: (i ? " " : "") + w } })),
  event("content_block_stop", { index: 0 }),
  event("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 26 } }),
  event("message_stop", {}),
];

http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.method !== "POST" || !req.url.startsWith("/v1/messages")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end('{"type":"error","error":{"type":"not_found_error","message":"not found"}}');
      return;
    }
    if (Buffer.concat(chunks).toString().includes('"stream":true')) {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "request-id": "req_bench" });
      for (const e of stream) res.write(e);
      res.end();
    } else {
      res.writeHead(200, { "content-type": "application/json", "request-id": "req_bench" });
      res.end(message);
    }
  });
}).listen(port, "127.0.0.1", () => console.log(`anthropic mock on 127.0.0.1:${port}`));

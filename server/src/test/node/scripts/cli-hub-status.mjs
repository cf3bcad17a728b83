// `aigne hub status` of @aigne/cli against the hub's HTTPS listener: the CLI always calls
// https://<stored host>/api/user/info, whatever scheme the hub was stored with.
//
// The hub is pre-seeded in the CLI's file store (~/.aigne/aigne-hub-connected.yaml under a fresh HOME, as
// `aigne hub connect` would leave it), because connecting needs a browser. The child sees no CI/NODE_ENV (they
// would switch the CLI to a test store) and no keyring (no D-Bus or display), so the file store is used.
// NODE_EXTRA_CA_CERTS (the hub's self-signed certificate) is how a user makes node trust the hub.
//
// `status` asks which stored hub to show with a select prompt, even without a terminal; the script answers it
// with Enter (the only hub) as soon as the prompt appears.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { env, report } from "./lib.mjs";

const cli = fileURLToPath(new URL("../node_modules/.bin/aigne", import.meta.url));
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const PROMPT = "Choose a hub to view info";

await report(async (partial) => {
  const home = await mkdtemp(join(tmpdir(), "aigne-cli-home-"));
  try {
    const url = env("HUB_URL");
    const host = new URL(url).host;
    await mkdir(join(home, ".aigne"), { recursive: true });
    await writeFile(join(home, ".aigne", "aigne-hub-connected.yaml"),
      `${JSON.stringify(host)}:\n  AIGNE_HUB_API_URL: ${url}\n  AIGNE_HUB_API_KEY: ${env("HUB_KEY")}\n` +
      `default:\n  AIGNE_HUB_API_URL: ${url}\n`);
    const child = spawn(process.execPath, [cli, "hub", "status"], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    partial.stdout = "";
    partial.stderr = "";
    let answered = false;
    const watch = (key) => (data) => {
      partial[key] += data.toString().replace(ANSI, "");
      if (!answered && partial[key].includes(PROMPT)) {
        answered = true;
        child.stdin.write("\r");
      }
    };
    child.stdout.on("data", watch("stdout"));
    child.stderr.on("data", watch("stderr"));
    const exitCode = await new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve(code));
    });
    return { exitCode, answered, stdout: partial.stdout, stderr: partial.stderr };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

// `aigne run` of @aigne/cli against the hub, on the one-agent project in ../cli-project, with --input HUB_PROMPT.
// By default configured by environment only (AIGNE_HUB_API_URL and AIGNE_HUB_API_KEY) in a fresh HOME; with
// CLI_HOME it runs in that HOME instead and, without HUB_URL/HUB_KEY, uses the hub `aigne hub connect` stored.
//
// On a model error the CLI asks "Retry / Exit" even without a terminal and then waits for ever; this
// script stops it as soon as that prompt appears and reports the error message the CLI showed.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { env, report } from "./lib.mjs";

const projectDir = fileURLToPath(new URL("../cli-project", import.meta.url));
const cli = fileURLToPath(new URL("../node_modules/.bin/aigne", import.meta.url));
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const PROMPTED_ERROR = /\? Error: ([\s\S]*?)\n\s*❯ Retry/;

await report(async (partial) => {
  // A fresh HOME: nothing stored under ~/.aigne by a developer (or by an earlier run) takes part.
  const home = process.env.CLI_HOME || await mkdtemp(join(tmpdir(), "aigne-cli-home-"));
  try {
    const args = ["run", "--path", projectDir, "--model", `aignehub/${env("HUB_MODEL")}`, "--input", env("HUB_PROMPT")];
    const child = spawn(process.execPath, [cli, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        ...(process.env.HUB_URL ? { AIGNE_HUB_API_URL: process.env.HUB_URL } : {}),
        ...(process.env.HUB_KEY ? { AIGNE_HUB_API_KEY: process.env.HUB_KEY } : {}),
        ...(process.env.BLOCKLET_APP_PID ? { BLOCKLET_APP_PID: process.env.BLOCKLET_APP_PID } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    partial.stdout = "";
    partial.stderr = "";
    let prompted;
    const watch = (key) => (data) => {
      partial[key] += data.toString().replace(ANSI, "");
      const match = PROMPTED_ERROR.exec(partial[key]);
      if (match && !prompted) {
        // The prompt wraps long messages onto indented lines; one line is what the CLI had.
        prompted = match[1].replace(/\s*\n\s*/g, " ").trim();
        child.kill("SIGKILL");
      }
    };
    child.stdout.on("data", watch("stdout"));
    child.stderr.on("data", watch("stderr"));
    const exitCode = await new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve(code));
    });
    if (prompted) throw new Error(prompted);
    return { exitCode, stdout: partial.stdout, stderr: partial.stderr };
  } finally {
    if (!process.env.CLI_HOME) await rm(home, { recursive: true, force: true });
  }
});

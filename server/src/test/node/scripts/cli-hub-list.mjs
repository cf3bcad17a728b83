// `aigne hub list` of @aigne/cli in CLI_HOME: the table of the hubs the CLI has stored there.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { env, report } from "./lib.mjs";

const cli = fileURLToPath(new URL("../node_modules/.bin/aigne", import.meta.url));
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

await report(async (partial) => {
  const child = spawn(process.execPath, [cli, "hub", "list"], {
    env: { PATH: process.env.PATH, HOME: env("CLI_HOME") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  partial.stdout = "";
  partial.stderr = "";
  child.stdout.on("data", (data) => { partial.stdout += data.toString().replace(ANSI, ""); });
  child.stderr.on("data", (data) => { partial.stderr += data.toString().replace(ANSI, ""); });
  const exitCode = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  return { exitCode, stdout: partial.stdout, stderr: partial.stderr };
});

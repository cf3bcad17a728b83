// `aigne hub connect HUB_URL` of @aigne/cli, as a user runs it on a machine without a desktop.
//
// The CLI never prints the approval URL: it hands it to the `open` package, whose bundled xdg-open falls back to
// the command in $BROWSER when no desktop is detected. The test passes BROWSER (a script that writes the URL to
// a file it watches), HOME (so it can read ~/.aigne/aigne-hub-connected.yaml afterwards), and nothing that
// would change where the CLI stores the key: no CI or NODE_ENV=test (the CLI would store a fake "test-key"),
// and no DBUS_SESSION_BUS_ADDRESS/DISPLAY (a keyring would be used instead of the file).
//
// Input: HUB_URL, CONNECT_HOME, CONNECT_BROWSER. Output: {"result": {"exitCode", "stdout", "stderr"}}.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { env, report } from "./lib.mjs";

const cli = fileURLToPath(new URL("../node_modules/.bin/aigne", import.meta.url));
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

await report(async (partial) => {
  const child = spawn(process.execPath, [cli, "hub", "connect", env("HUB_URL")], {
    env: { PATH: process.env.PATH, HOME: env("CONNECT_HOME"), BROWSER: env("CONNECT_BROWSER") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  partial.stdout = "";
  partial.stderr = "";
  child.stdout.on("data", (data) => (partial.stdout += data.toString().replace(ANSI, "")));
  child.stderr.on("data", (data) => (partial.stderr += data.toString().replace(ANSI, "")));
  const exitCode = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  return { exitCode, stdout: partial.stdout, stderr: partial.stderr };
});

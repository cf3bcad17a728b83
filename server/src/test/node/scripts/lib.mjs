// What every script shares: how the JUnit test hands over the hub, and how a script reports back.
//
// Input (environment, set by io.aigne.hub.testing.NodeScripts):
//   HUB_URL    the hub's origin, e.g. http://127.0.0.1:PORT (the SDK finds the mount point itself)
//   HUB_KEY    the access key sent as Authorization: Bearer (may be absent)
//   HUB_MODEL  the hub model id, provider/model
//   HUB_INPUT  the model input as JSON (messages, tools, responseFormat, prompt…)
//   HUB_STREAMING=true  ask for a streamed answer
//
// Output: the last line of stdout is one JSON object, {"result": …} when the client returned, or
// {"error": {"name", "message", "type"?}, "partial": …} when it threw (partial: what arrived before).

export function env(name) {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set`);
  return value;
}

export function jsonEnv(name) {
  return JSON.parse(env(name));
}

export function streaming() {
  return process.env.HUB_STREAMING === "true";
}

// The exported AIGNEHubChatModel/AIGNEHubImageModel look at the model's prefix first: a known provider
// ("openai/…", "anthropic/…") makes them call that provider's API directly at baseURL. The "aignehub/"
// prefix is how a user selects the hub protocol itself; the hub then receives the model without it.
// (The option is `baseURL`; the SDK README's `baseUrl` is ignored by the option schema.)
export function hubOptions() {
  const options = { baseURL: env("HUB_URL"), model: `aignehub/${env("HUB_MODEL")}` };
  if (process.env.HUB_KEY) options.apiKey = process.env.HUB_KEY;
  return options;
}

// Runs `work(partial)`; `partial` is an object the script fills as data arrives, reported with an error.
export async function report(work) {
  const partial = {};
  let line;
  try {
    line = { result: await work(partial) };
  } catch (e) {
    line = {
      error: { name: e?.name, message: e?.message ?? String(e), ...(e?.type ? { type: e.type } : {}) },
      partial,
    };
  }
  // A trailing newline keeps the JSON on a line of its own even if a library printed without one.
  process.stdout.write(`\n${JSON.stringify(line)}\n`, () => process.exit(0));
}

// The hub's model list as the SDK reads it: AIGNEHubChatModel#models() / AIGNEHubImageModel#models(),
// which discover the hub and GET /api/ai/models?type=chat|image without a key, then validate every entry.
//
// The exported classes' models() ignore the instance's baseURL (0.10.16 calls getModels without it) and
// find the hub from AIGNE_HUB_API_URL (else BLOCKLET_AIGNE_API_URL, else https://hub.aigne.io/), so that
// variable is how an application points models() at its hub.
import { AIGNEHubChatModel, AIGNEHubImageModel } from "@aigne/aigne-hub";
import { env, hubOptions, report } from "./lib.mjs";

process.env.AIGNE_HUB_API_URL = env("HUB_URL");

await report(async () => {
  const chat = await new AIGNEHubChatModel(hubOptions()).models();
  const image = await new AIGNEHubImageModel(hubOptions()).models();
  return { chat, image };
});

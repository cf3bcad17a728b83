// The hub's model list as the SDK reads it: AIGNEHubChatModel#models() / AIGNEHubImageModel#models(),
// which discover the hub and GET /api/ai/models?type=chat|image without a key, then validate every entry.
import { AIGNEHubChatModel, AIGNEHubImageModel } from "@aigne/aigne-hub";
import { hubOptions, report } from "./lib.mjs";

await report(async () => {
  const chat = await new AIGNEHubChatModel(hubOptions()).models();
  const image = await new AIGNEHubImageModel(hubOptions()).models();
  return { chat, image };
});

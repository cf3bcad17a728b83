// One chat call through AIGNEHubChatModel: HUB_INPUT is the ChatModel input; with HUB_STREAMING=true the
// answer is streamed and the text deltas are reported as they arrived, beside the merged output.
import { AIGNEHubChatModel } from "@aigne/aigne-hub";
import { mergeAgentResponseChunk } from "@aigne/core/utils/stream-utils.js";
import { hubOptions, jsonEnv, report, streaming } from "./lib.mjs";

await report(async (partial) => {
  const model = new AIGNEHubChatModel(hubOptions());
  const input = jsonEnv("HUB_INPUT");
  if (!streaming()) {
    return { output: await model.invoke(input) };
  }
  const stream = await model.invoke(input, { streaming: true });
  partial.textDeltas = [];
  partial.output = {};
  for await (const chunk of stream) {
    const text = chunk?.delta?.text?.text;
    if (text) partial.textDeltas.push(text);
    mergeAgentResponseChunk(partial.output, chunk);
  }
  return partial;
});

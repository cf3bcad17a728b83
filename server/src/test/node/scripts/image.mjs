// One image generation through AIGNEHubImageModel; HUB_INPUT is the ImageModel input (prompt, n…).
import { AIGNEHubImageModel } from "@aigne/aigne-hub";
import { hubOptions, jsonEnv, report } from "./lib.mjs";

await report(async () => {
  const model = new AIGNEHubImageModel(hubOptions());
  // The SDK always asks the hub for URLs; "file" makes it hand back base64 data either way (downloading a URL
  // answer from the hub), so a test sees the image bytes whatever form the hub chose.
  const output = await model.invoke({ ...jsonEnv("HUB_INPUT"), outputFileType: "file" });
  return { output };
});

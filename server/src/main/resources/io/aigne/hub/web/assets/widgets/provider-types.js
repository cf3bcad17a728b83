// The provider types the hub accepts (io.aigne.hub.provider.ProviderType), with what a form needs to know of them.
export const PROVIDER_TYPES = [
  { id: 'openai', label: 'OpenAI' },
  { id: 'anthropic', label: 'Anthropic' },
  { id: 'google', label: 'Google Gemini' },
  { id: 'deepseek', label: 'DeepSeek' },
  { id: 'xai', label: 'xAI' },
  { id: 'doubao', label: 'Doubao' },
  { id: 'ideogram', label: 'Ideogram' },
  { id: 'bedrock', label: 'Amazon Bedrock', keyPair: true, needsRegion: true },
  { id: 'openrouter', label: 'OpenRouter' },
  { id: 'poe', label: 'Poe' },
  { id: 'ollama', label: 'Ollama', keyOptional: true },
  { id: 'lmstudio', label: 'LM Studio', keyOptional: true },
];

export function providerType(id) {
  return PROVIDER_TYPES.find(t => t.id === id) || { id, label: id };
}

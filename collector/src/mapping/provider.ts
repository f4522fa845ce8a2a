/**
 * Provider names as instrumentations spell them, mapped to the provider ids of
 * the genai-prices table so that pricing finds them. Keys are lowercase.
 * Sources: GenAI semconv `gen_ai.provider.name` members (gcp.gemini, aws.bedrock,
 * azure.ai.openai, mistral_ai, x_ai, …), the OpenInference LLMProvider and
 * LLMSystem enums (mistralai, vertexai, xai, amazon, …), and the Vercel AI SDK
 * provider strings (`google.generative-ai`, `amazon-bedrock`, `xai.chat`, …).
 */
const PROVIDER_IDS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  gemini: 'google',
  vertex: 'google',
  vertexai: 'google',
  vertex_ai: 'google',
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  'google-vertex': 'google',
  'google.vertex': 'google',
  aws: 'aws',
  amazon: 'aws',
  bedrock: 'aws',
  'aws.bedrock': 'aws',
  'amazon-bedrock': 'aws',
  amazon_bedrock: 'aws',
  azure: 'azure',
  'azure-openai': 'azure',
  azure_openai: 'azure',
  'azure.ai.openai': 'azure',
  'az.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  'az.ai.inference': 'azure',
  mistral: 'mistral',
  mistralai: 'mistral',
  mistral_ai: 'mistral',
  cohere: 'cohere',
  groq: 'groq',
  deepseek: 'deepseek',
  xai: 'x-ai',
  x_ai: 'x-ai',
  'x-ai': 'x-ai',
  perplexity: 'perplexity',
  moonshot: 'moonshotai',
  moonshotai: 'moonshotai',
  moonshot_ai: 'moonshotai',
  together: 'together',
  togetherai: 'together',
  together_ai: 'together',
  'together-ai': 'together',
  fireworks: 'fireworks',
  fireworks_ai: 'fireworks',
  cerebras: 'cerebras',
  openrouter: 'openrouter',
};

/**
 * Normalises a provider name. A Vercel-style `<provider>.<api>` name
 * (`openai.chat`, `anthropic.messages`) is matched by its first segment when
 * the whole name is unknown. Unknown providers are kept, lowercased, so a
 * custom price in the config can still name them.
 */
export function normaliseProvider(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (name === '') return '';
  const exact = PROVIDER_IDS[name];
  if (exact !== undefined) return exact;
  const dot = name.indexOf('.');
  if (dot > 0) {
    const head = PROVIDER_IDS[name.slice(0, dot)];
    if (head !== undefined) return head;
  }
  return name;
}

-- Prompt-cache writes (Anthropic's cache_creation_input_tokens, Bedrock's cacheWriteInputTokens) are billed at
-- their own rate, so the ledger keeps them apart from cache reads.
ALTER TABLE model_calls ADD COLUMN cache_write_tokens BIGINT NOT NULL DEFAULT 0;

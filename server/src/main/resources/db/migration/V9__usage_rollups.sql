-- Usage rollups: pre-aggregated call measures per hour and per day, kept up to date by the ledger writer in the
-- transaction that inserts the calls (analytics.UsageRollups), so that analytics never scan model_calls.
--
-- One table holds every family of rows: `period` is 'hour' or 'day' (bucket = epoch ms of the UTC hour or day) and
-- `grain` says which dimensions the row keeps; the others are ''. 'full' keeps user, app, provider, model (as
-- requested) and type; 'all' none; 'model' provider+model+type; 'app' the app; 'user' the user. The small grains
-- answer the all-user questions (trends, top models/apps/users) from few rows. Key columns are never NULL ('' for
-- a call without a value) so that UPSERT conflicts always match.
--
-- Latency and TTFB figures count successful calls; lat_bNN / ttfb_bNN are counts per fixed log-scale bucket of
-- milliseconds (analytics.Histogram: <10, 10-25, 25-50, 50-75, 75-100, 100-150, ... 180000-300000, >=300000).
-- latency_max, ttfb_max and last_call_at combine by keeping the larger value; every other measure is a sum.
-- credits are BIGINT nanocredits, like model_calls.credits.

-- Indexes for the call history. Its pages are ordered by (created_at, id), newest first: indexes that end in both
-- columns serve that order without a sort, whatever the planner estimates (with only created_at, PostgreSQL's
-- generic plans sort every match of a busy user's filter to return twenty rows). The V1 indexes on (created_at)
-- and (user_id, created_at) are replaced by their longer versions.
DROP INDEX model_calls_time;
DROP INDEX model_calls_user_time;
CREATE INDEX model_calls_time ON model_calls (created_at, id);
CREATE INDEX model_calls_user_time ON model_calls (user_id, created_at, id);
CREATE INDEX model_calls_app_time ON model_calls (app_did, created_at, id);
CREATE INDEX model_calls_model_time ON model_calls (model_requested, created_at, id);
CREATE INDEX model_calls_request ON model_calls (request_id);

CREATE TABLE usage_rollups (
    period             TEXT NOT NULL CHECK (period IN ('hour', 'day')),
    grain              TEXT NOT NULL CHECK (grain IN ('all', 'model', 'app', 'user', 'full')),
    bucket             BIGINT NOT NULL,
    user_id            TEXT NOT NULL DEFAULT '',
    app_did            TEXT NOT NULL DEFAULT '',
    provider           TEXT NOT NULL DEFAULT '',
    model              TEXT NOT NULL DEFAULT '',
    type               TEXT NOT NULL DEFAULT '',
    calls              BIGINT NOT NULL DEFAULT 0,
    success            BIGINT NOT NULL DEFAULT 0,
    failed             BIGINT NOT NULL DEFAULT 0,
    cancelled          BIGINT NOT NULL DEFAULT 0,
    input_tokens       BIGINT NOT NULL DEFAULT 0,
    output_tokens      BIGINT NOT NULL DEFAULT 0,
    cached_tokens      BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens   BIGINT NOT NULL DEFAULT 0,
    total_tokens       BIGINT NOT NULL DEFAULT 0,
    images             BIGINT NOT NULL DEFAULT 0,
    video_seconds      BIGINT NOT NULL DEFAULT 0,
    total_usage        BIGINT NOT NULL DEFAULT 0,
    credits            BIGINT NOT NULL DEFAULT 0,
    latency_sum        BIGINT NOT NULL DEFAULT 0,
    latency_max        BIGINT NOT NULL DEFAULT 0,
    ttfb_sum           BIGINT NOT NULL DEFAULT 0,
    ttfb_count         BIGINT NOT NULL DEFAULT 0,
    ttfb_max           BIGINT NOT NULL DEFAULT 0,
    last_call_at       BIGINT NOT NULL DEFAULT 0,
    lat_b00            BIGINT NOT NULL DEFAULT 0,
    lat_b01            BIGINT NOT NULL DEFAULT 0,
    lat_b02            BIGINT NOT NULL DEFAULT 0,
    lat_b03            BIGINT NOT NULL DEFAULT 0,
    lat_b04            BIGINT NOT NULL DEFAULT 0,
    lat_b05            BIGINT NOT NULL DEFAULT 0,
    lat_b06            BIGINT NOT NULL DEFAULT 0,
    lat_b07            BIGINT NOT NULL DEFAULT 0,
    lat_b08            BIGINT NOT NULL DEFAULT 0,
    lat_b09            BIGINT NOT NULL DEFAULT 0,
    lat_b10            BIGINT NOT NULL DEFAULT 0,
    lat_b11            BIGINT NOT NULL DEFAULT 0,
    lat_b12            BIGINT NOT NULL DEFAULT 0,
    lat_b13            BIGINT NOT NULL DEFAULT 0,
    lat_b14            BIGINT NOT NULL DEFAULT 0,
    lat_b15            BIGINT NOT NULL DEFAULT 0,
    lat_b16            BIGINT NOT NULL DEFAULT 0,
    lat_b17            BIGINT NOT NULL DEFAULT 0,
    lat_b18            BIGINT NOT NULL DEFAULT 0,
    lat_b19            BIGINT NOT NULL DEFAULT 0,
    lat_b20            BIGINT NOT NULL DEFAULT 0,
    lat_b21            BIGINT NOT NULL DEFAULT 0,
    lat_b22            BIGINT NOT NULL DEFAULT 0,
    lat_b23            BIGINT NOT NULL DEFAULT 0,
    lat_b24            BIGINT NOT NULL DEFAULT 0,
    lat_b25            BIGINT NOT NULL DEFAULT 0,
    lat_b26            BIGINT NOT NULL DEFAULT 0,
    lat_b27            BIGINT NOT NULL DEFAULT 0,
    lat_b28            BIGINT NOT NULL DEFAULT 0,
    ttfb_b00           BIGINT NOT NULL DEFAULT 0,
    ttfb_b01           BIGINT NOT NULL DEFAULT 0,
    ttfb_b02           BIGINT NOT NULL DEFAULT 0,
    ttfb_b03           BIGINT NOT NULL DEFAULT 0,
    ttfb_b04           BIGINT NOT NULL DEFAULT 0,
    ttfb_b05           BIGINT NOT NULL DEFAULT 0,
    ttfb_b06           BIGINT NOT NULL DEFAULT 0,
    ttfb_b07           BIGINT NOT NULL DEFAULT 0,
    ttfb_b08           BIGINT NOT NULL DEFAULT 0,
    ttfb_b09           BIGINT NOT NULL DEFAULT 0,
    ttfb_b10           BIGINT NOT NULL DEFAULT 0,
    ttfb_b11           BIGINT NOT NULL DEFAULT 0,
    ttfb_b12           BIGINT NOT NULL DEFAULT 0,
    ttfb_b13           BIGINT NOT NULL DEFAULT 0,
    ttfb_b14           BIGINT NOT NULL DEFAULT 0,
    ttfb_b15           BIGINT NOT NULL DEFAULT 0,
    ttfb_b16           BIGINT NOT NULL DEFAULT 0,
    ttfb_b17           BIGINT NOT NULL DEFAULT 0,
    ttfb_b18           BIGINT NOT NULL DEFAULT 0,
    ttfb_b19           BIGINT NOT NULL DEFAULT 0,
    ttfb_b20           BIGINT NOT NULL DEFAULT 0,
    ttfb_b21           BIGINT NOT NULL DEFAULT 0,
    ttfb_b22           BIGINT NOT NULL DEFAULT 0,
    ttfb_b23           BIGINT NOT NULL DEFAULT 0,
    ttfb_b24           BIGINT NOT NULL DEFAULT 0,
    ttfb_b25           BIGINT NOT NULL DEFAULT 0,
    ttfb_b26           BIGINT NOT NULL DEFAULT 0,
    ttfb_b27           BIGINT NOT NULL DEFAULT 0,
    ttfb_b28           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (period, grain, bucket, user_id, app_did, provider, model, type)
);
CREATE INDEX usage_rollups_user ON usage_rollups (period, grain, user_id, bucket);
CREATE INDEX usage_rollups_app ON usage_rollups (period, grain, app_did, bucket);

-- Backfill from the calls already recorded: the full-grain hours from model_calls, every other family from those
-- hours. ./hub admin rollups rebuild runs the same statements (built by analytics.RollupSql) for a range.

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'hour', 'full', (created_at / 3600000) * 3600000, COALESCE(user_id, ''), COALESCE(app_did, ''),
       COALESCE(provider, ''), COALESCE(model_requested, ''), COALESCE(type, ''),
       SUM(1),
       SUM(CASE WHEN status = 'success' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END),
       SUM(input_tokens),
       SUM(output_tokens),
       SUM(cached_tokens),
       SUM(cache_write_tokens),
       SUM(reasoning_tokens),
       SUM(total_tokens),
       SUM(image_count),
       SUM(video_seconds),
       SUM(CASE type WHEN 'image' THEN image_count WHEN 'video' THEN video_seconds ELSE total_tokens END),
       SUM(credits),
       SUM(CASE WHEN status = 'success' THEN latency_ms ELSE 0 END),
       MAX(CASE WHEN status = 'success' THEN latency_ms ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL THEN ttfb_ms ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL THEN 1 ELSE 0 END),
       MAX(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL THEN ttfb_ms ELSE 0 END),
       MAX(created_at),
       SUM(CASE WHEN status = 'success' AND latency_ms < 10 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 10 AND latency_ms < 25 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 25 AND latency_ms < 50 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 50 AND latency_ms < 75 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 75 AND latency_ms < 100 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 100 AND latency_ms < 150 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 150 AND latency_ms < 200 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 200 AND latency_ms < 300 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 300 AND latency_ms < 400 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 400 AND latency_ms < 500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 500 AND latency_ms < 750 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 750 AND latency_ms < 1000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 1000 AND latency_ms < 1500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 1500 AND latency_ms < 2000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 2000 AND latency_ms < 3000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 3000 AND latency_ms < 4000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 4000 AND latency_ms < 5000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 5000 AND latency_ms < 7500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 7500 AND latency_ms < 10000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 10000 AND latency_ms < 15000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 15000 AND latency_ms < 20000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 20000 AND latency_ms < 30000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 30000 AND latency_ms < 45000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 45000 AND latency_ms < 60000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 60000 AND latency_ms < 90000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 90000 AND latency_ms < 120000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 120000 AND latency_ms < 180000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 180000 AND latency_ms < 300000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND latency_ms >= 300000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms < 10 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 10 AND ttfb_ms < 25 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 25 AND ttfb_ms < 50 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 50 AND ttfb_ms < 75 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 75 AND ttfb_ms < 100 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 100 AND ttfb_ms < 150 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 150 AND ttfb_ms < 200 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 200 AND ttfb_ms < 300 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 300 AND ttfb_ms < 400 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 400 AND ttfb_ms < 500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 500 AND ttfb_ms < 750 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 750 AND ttfb_ms < 1000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 1000 AND ttfb_ms < 1500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 1500 AND ttfb_ms < 2000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 2000 AND ttfb_ms < 3000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 3000 AND ttfb_ms < 4000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 4000 AND ttfb_ms < 5000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 5000 AND ttfb_ms < 7500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 7500 AND ttfb_ms < 10000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 10000 AND ttfb_ms < 15000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 15000 AND ttfb_ms < 20000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 20000 AND ttfb_ms < 30000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 30000 AND ttfb_ms < 45000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 45000 AND ttfb_ms < 60000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 60000 AND ttfb_ms < 90000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 90000 AND ttfb_ms < 120000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 120000 AND ttfb_ms < 180000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 180000 AND ttfb_ms < 300000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'success' AND ttfb_ms IS NOT NULL AND ttfb_ms >= 300000 THEN 1 ELSE 0 END)
FROM model_calls
GROUP BY (created_at / 3600000) * 3600000, COALESCE(user_id, ''), COALESCE(app_did, ''), COALESCE(provider, ''),
         COALESCE(model_requested, ''), COALESCE(type, '');

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'hour', 'all', bucket, '', '', '', '', '',
       SUM(calls), SUM(success), SUM(failed), SUM(cancelled), SUM(input_tokens), SUM(output_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(images),
       SUM(video_seconds), SUM(total_usage), SUM(credits), SUM(latency_sum), MAX(latency_max), SUM(ttfb_sum),
       SUM(ttfb_count), MAX(ttfb_max), MAX(last_call_at), SUM(lat_b00), SUM(lat_b01), SUM(lat_b02), SUM(lat_b03),
       SUM(lat_b04), SUM(lat_b05), SUM(lat_b06), SUM(lat_b07), SUM(lat_b08), SUM(lat_b09), SUM(lat_b10),
       SUM(lat_b11), SUM(lat_b12), SUM(lat_b13), SUM(lat_b14), SUM(lat_b15), SUM(lat_b16), SUM(lat_b17),
       SUM(lat_b18), SUM(lat_b19), SUM(lat_b20), SUM(lat_b21), SUM(lat_b22), SUM(lat_b23), SUM(lat_b24),
       SUM(lat_b25), SUM(lat_b26), SUM(lat_b27), SUM(lat_b28), SUM(ttfb_b00), SUM(ttfb_b01), SUM(ttfb_b02),
       SUM(ttfb_b03), SUM(ttfb_b04), SUM(ttfb_b05), SUM(ttfb_b06), SUM(ttfb_b07), SUM(ttfb_b08), SUM(ttfb_b09),
       SUM(ttfb_b10), SUM(ttfb_b11), SUM(ttfb_b12), SUM(ttfb_b13), SUM(ttfb_b14), SUM(ttfb_b15), SUM(ttfb_b16),
       SUM(ttfb_b17), SUM(ttfb_b18), SUM(ttfb_b19), SUM(ttfb_b20), SUM(ttfb_b21), SUM(ttfb_b22), SUM(ttfb_b23),
       SUM(ttfb_b24), SUM(ttfb_b25), SUM(ttfb_b26), SUM(ttfb_b27), SUM(ttfb_b28)
FROM usage_rollups WHERE period = 'hour' AND grain = 'full'
GROUP BY bucket;

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'hour', 'model', bucket, '', '', provider, model, type,
       SUM(calls), SUM(success), SUM(failed), SUM(cancelled), SUM(input_tokens), SUM(output_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(images),
       SUM(video_seconds), SUM(total_usage), SUM(credits), SUM(latency_sum), MAX(latency_max), SUM(ttfb_sum),
       SUM(ttfb_count), MAX(ttfb_max), MAX(last_call_at), SUM(lat_b00), SUM(lat_b01), SUM(lat_b02), SUM(lat_b03),
       SUM(lat_b04), SUM(lat_b05), SUM(lat_b06), SUM(lat_b07), SUM(lat_b08), SUM(lat_b09), SUM(lat_b10),
       SUM(lat_b11), SUM(lat_b12), SUM(lat_b13), SUM(lat_b14), SUM(lat_b15), SUM(lat_b16), SUM(lat_b17),
       SUM(lat_b18), SUM(lat_b19), SUM(lat_b20), SUM(lat_b21), SUM(lat_b22), SUM(lat_b23), SUM(lat_b24),
       SUM(lat_b25), SUM(lat_b26), SUM(lat_b27), SUM(lat_b28), SUM(ttfb_b00), SUM(ttfb_b01), SUM(ttfb_b02),
       SUM(ttfb_b03), SUM(ttfb_b04), SUM(ttfb_b05), SUM(ttfb_b06), SUM(ttfb_b07), SUM(ttfb_b08), SUM(ttfb_b09),
       SUM(ttfb_b10), SUM(ttfb_b11), SUM(ttfb_b12), SUM(ttfb_b13), SUM(ttfb_b14), SUM(ttfb_b15), SUM(ttfb_b16),
       SUM(ttfb_b17), SUM(ttfb_b18), SUM(ttfb_b19), SUM(ttfb_b20), SUM(ttfb_b21), SUM(ttfb_b22), SUM(ttfb_b23),
       SUM(ttfb_b24), SUM(ttfb_b25), SUM(ttfb_b26), SUM(ttfb_b27), SUM(ttfb_b28)
FROM usage_rollups WHERE period = 'hour' AND grain = 'full'
GROUP BY bucket, provider, model, type;

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'hour', 'app', bucket, '', app_did, '', '', '',
       SUM(calls), SUM(success), SUM(failed), SUM(cancelled), SUM(input_tokens), SUM(output_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(images),
       SUM(video_seconds), SUM(total_usage), SUM(credits), SUM(latency_sum), MAX(latency_max), SUM(ttfb_sum),
       SUM(ttfb_count), MAX(ttfb_max), MAX(last_call_at), SUM(lat_b00), SUM(lat_b01), SUM(lat_b02), SUM(lat_b03),
       SUM(lat_b04), SUM(lat_b05), SUM(lat_b06), SUM(lat_b07), SUM(lat_b08), SUM(lat_b09), SUM(lat_b10),
       SUM(lat_b11), SUM(lat_b12), SUM(lat_b13), SUM(lat_b14), SUM(lat_b15), SUM(lat_b16), SUM(lat_b17),
       SUM(lat_b18), SUM(lat_b19), SUM(lat_b20), SUM(lat_b21), SUM(lat_b22), SUM(lat_b23), SUM(lat_b24),
       SUM(lat_b25), SUM(lat_b26), SUM(lat_b27), SUM(lat_b28), SUM(ttfb_b00), SUM(ttfb_b01), SUM(ttfb_b02),
       SUM(ttfb_b03), SUM(ttfb_b04), SUM(ttfb_b05), SUM(ttfb_b06), SUM(ttfb_b07), SUM(ttfb_b08), SUM(ttfb_b09),
       SUM(ttfb_b10), SUM(ttfb_b11), SUM(ttfb_b12), SUM(ttfb_b13), SUM(ttfb_b14), SUM(ttfb_b15), SUM(ttfb_b16),
       SUM(ttfb_b17), SUM(ttfb_b18), SUM(ttfb_b19), SUM(ttfb_b20), SUM(ttfb_b21), SUM(ttfb_b22), SUM(ttfb_b23),
       SUM(ttfb_b24), SUM(ttfb_b25), SUM(ttfb_b26), SUM(ttfb_b27), SUM(ttfb_b28)
FROM usage_rollups WHERE period = 'hour' AND grain = 'full'
GROUP BY bucket, app_did;

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'hour', 'user', bucket, user_id, '', '', '', '',
       SUM(calls), SUM(success), SUM(failed), SUM(cancelled), SUM(input_tokens), SUM(output_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(images),
       SUM(video_seconds), SUM(total_usage), SUM(credits), SUM(latency_sum), MAX(latency_max), SUM(ttfb_sum),
       SUM(ttfb_count), MAX(ttfb_max), MAX(last_call_at), SUM(lat_b00), SUM(lat_b01), SUM(lat_b02), SUM(lat_b03),
       SUM(lat_b04), SUM(lat_b05), SUM(lat_b06), SUM(lat_b07), SUM(lat_b08), SUM(lat_b09), SUM(lat_b10),
       SUM(lat_b11), SUM(lat_b12), SUM(lat_b13), SUM(lat_b14), SUM(lat_b15), SUM(lat_b16), SUM(lat_b17),
       SUM(lat_b18), SUM(lat_b19), SUM(lat_b20), SUM(lat_b21), SUM(lat_b22), SUM(lat_b23), SUM(lat_b24),
       SUM(lat_b25), SUM(lat_b26), SUM(lat_b27), SUM(lat_b28), SUM(ttfb_b00), SUM(ttfb_b01), SUM(ttfb_b02),
       SUM(ttfb_b03), SUM(ttfb_b04), SUM(ttfb_b05), SUM(ttfb_b06), SUM(ttfb_b07), SUM(ttfb_b08), SUM(ttfb_b09),
       SUM(ttfb_b10), SUM(ttfb_b11), SUM(ttfb_b12), SUM(ttfb_b13), SUM(ttfb_b14), SUM(ttfb_b15), SUM(ttfb_b16),
       SUM(ttfb_b17), SUM(ttfb_b18), SUM(ttfb_b19), SUM(ttfb_b20), SUM(ttfb_b21), SUM(ttfb_b22), SUM(ttfb_b23),
       SUM(ttfb_b24), SUM(ttfb_b25), SUM(ttfb_b26), SUM(ttfb_b27), SUM(ttfb_b28)
FROM usage_rollups WHERE period = 'hour' AND grain = 'full'
GROUP BY bucket, user_id;

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'day', 'all', (bucket / 86400000) * 86400000, '', '', '', '', '',
       SUM(calls), SUM(success), SUM(failed), SUM(cancelled), SUM(input_tokens), SUM(output_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(images),
       SUM(video_seconds), SUM(total_usage), SUM(credits), SUM(latency_sum), MAX(latency_max), SUM(ttfb_sum),
       SUM(ttfb_count), MAX(ttfb_max), MAX(last_call_at), SUM(lat_b00), SUM(lat_b01), SUM(lat_b02), SUM(lat_b03),
       SUM(lat_b04), SUM(lat_b05), SUM(lat_b06), SUM(lat_b07), SUM(lat_b08), SUM(lat_b09), SUM(lat_b10),
       SUM(lat_b11), SUM(lat_b12), SUM(lat_b13), SUM(lat_b14), SUM(lat_b15), SUM(lat_b16), SUM(lat_b17),
       SUM(lat_b18), SUM(lat_b19), SUM(lat_b20), SUM(lat_b21), SUM(lat_b22), SUM(lat_b23), SUM(lat_b24),
       SUM(lat_b25), SUM(lat_b26), SUM(lat_b27), SUM(lat_b28), SUM(ttfb_b00), SUM(ttfb_b01), SUM(ttfb_b02),
       SUM(ttfb_b03), SUM(ttfb_b04), SUM(ttfb_b05), SUM(ttfb_b06), SUM(ttfb_b07), SUM(ttfb_b08), SUM(ttfb_b09),
       SUM(ttfb_b10), SUM(ttfb_b11), SUM(ttfb_b12), SUM(ttfb_b13), SUM(ttfb_b14), SUM(ttfb_b15), SUM(ttfb_b16),
       SUM(ttfb_b17), SUM(ttfb_b18), SUM(ttfb_b19), SUM(ttfb_b20), SUM(ttfb_b21), SUM(ttfb_b22), SUM(ttfb_b23),
       SUM(ttfb_b24), SUM(ttfb_b25), SUM(ttfb_b26), SUM(ttfb_b27), SUM(ttfb_b28)
FROM usage_rollups WHERE period = 'hour' AND grain = 'full'
GROUP BY (bucket / 86400000) * 86400000;

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'day', 'model', (bucket / 86400000) * 86400000, '', '', provider, model, type,
       SUM(calls), SUM(success), SUM(failed), SUM(cancelled), SUM(input_tokens), SUM(output_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(images),
       SUM(video_seconds), SUM(total_usage), SUM(credits), SUM(latency_sum), MAX(latency_max), SUM(ttfb_sum),
       SUM(ttfb_count), MAX(ttfb_max), MAX(last_call_at), SUM(lat_b00), SUM(lat_b01), SUM(lat_b02), SUM(lat_b03),
       SUM(lat_b04), SUM(lat_b05), SUM(lat_b06), SUM(lat_b07), SUM(lat_b08), SUM(lat_b09), SUM(lat_b10),
       SUM(lat_b11), SUM(lat_b12), SUM(lat_b13), SUM(lat_b14), SUM(lat_b15), SUM(lat_b16), SUM(lat_b17),
       SUM(lat_b18), SUM(lat_b19), SUM(lat_b20), SUM(lat_b21), SUM(lat_b22), SUM(lat_b23), SUM(lat_b24),
       SUM(lat_b25), SUM(lat_b26), SUM(lat_b27), SUM(lat_b28), SUM(ttfb_b00), SUM(ttfb_b01), SUM(ttfb_b02),
       SUM(ttfb_b03), SUM(ttfb_b04), SUM(ttfb_b05), SUM(ttfb_b06), SUM(ttfb_b07), SUM(ttfb_b08), SUM(ttfb_b09),
       SUM(ttfb_b10), SUM(ttfb_b11), SUM(ttfb_b12), SUM(ttfb_b13), SUM(ttfb_b14), SUM(ttfb_b15), SUM(ttfb_b16),
       SUM(ttfb_b17), SUM(ttfb_b18), SUM(ttfb_b19), SUM(ttfb_b20), SUM(ttfb_b21), SUM(ttfb_b22), SUM(ttfb_b23),
       SUM(ttfb_b24), SUM(ttfb_b25), SUM(ttfb_b26), SUM(ttfb_b27), SUM(ttfb_b28)
FROM usage_rollups WHERE period = 'hour' AND grain = 'full'
GROUP BY (bucket / 86400000) * 86400000, provider, model, type;

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'day', 'app', (bucket / 86400000) * 86400000, '', app_did, '', '', '',
       SUM(calls), SUM(success), SUM(failed), SUM(cancelled), SUM(input_tokens), SUM(output_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(images),
       SUM(video_seconds), SUM(total_usage), SUM(credits), SUM(latency_sum), MAX(latency_max), SUM(ttfb_sum),
       SUM(ttfb_count), MAX(ttfb_max), MAX(last_call_at), SUM(lat_b00), SUM(lat_b01), SUM(lat_b02), SUM(lat_b03),
       SUM(lat_b04), SUM(lat_b05), SUM(lat_b06), SUM(lat_b07), SUM(lat_b08), SUM(lat_b09), SUM(lat_b10),
       SUM(lat_b11), SUM(lat_b12), SUM(lat_b13), SUM(lat_b14), SUM(lat_b15), SUM(lat_b16), SUM(lat_b17),
       SUM(lat_b18), SUM(lat_b19), SUM(lat_b20), SUM(lat_b21), SUM(lat_b22), SUM(lat_b23), SUM(lat_b24),
       SUM(lat_b25), SUM(lat_b26), SUM(lat_b27), SUM(lat_b28), SUM(ttfb_b00), SUM(ttfb_b01), SUM(ttfb_b02),
       SUM(ttfb_b03), SUM(ttfb_b04), SUM(ttfb_b05), SUM(ttfb_b06), SUM(ttfb_b07), SUM(ttfb_b08), SUM(ttfb_b09),
       SUM(ttfb_b10), SUM(ttfb_b11), SUM(ttfb_b12), SUM(ttfb_b13), SUM(ttfb_b14), SUM(ttfb_b15), SUM(ttfb_b16),
       SUM(ttfb_b17), SUM(ttfb_b18), SUM(ttfb_b19), SUM(ttfb_b20), SUM(ttfb_b21), SUM(ttfb_b22), SUM(ttfb_b23),
       SUM(ttfb_b24), SUM(ttfb_b25), SUM(ttfb_b26), SUM(ttfb_b27), SUM(ttfb_b28)
FROM usage_rollups WHERE period = 'hour' AND grain = 'full'
GROUP BY (bucket / 86400000) * 86400000, app_did;

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'day', 'user', (bucket / 86400000) * 86400000, user_id, '', '', '', '',
       SUM(calls), SUM(success), SUM(failed), SUM(cancelled), SUM(input_tokens), SUM(output_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(images),
       SUM(video_seconds), SUM(total_usage), SUM(credits), SUM(latency_sum), MAX(latency_max), SUM(ttfb_sum),
       SUM(ttfb_count), MAX(ttfb_max), MAX(last_call_at), SUM(lat_b00), SUM(lat_b01), SUM(lat_b02), SUM(lat_b03),
       SUM(lat_b04), SUM(lat_b05), SUM(lat_b06), SUM(lat_b07), SUM(lat_b08), SUM(lat_b09), SUM(lat_b10),
       SUM(lat_b11), SUM(lat_b12), SUM(lat_b13), SUM(lat_b14), SUM(lat_b15), SUM(lat_b16), SUM(lat_b17),
       SUM(lat_b18), SUM(lat_b19), SUM(lat_b20), SUM(lat_b21), SUM(lat_b22), SUM(lat_b23), SUM(lat_b24),
       SUM(lat_b25), SUM(lat_b26), SUM(lat_b27), SUM(lat_b28), SUM(ttfb_b00), SUM(ttfb_b01), SUM(ttfb_b02),
       SUM(ttfb_b03), SUM(ttfb_b04), SUM(ttfb_b05), SUM(ttfb_b06), SUM(ttfb_b07), SUM(ttfb_b08), SUM(ttfb_b09),
       SUM(ttfb_b10), SUM(ttfb_b11), SUM(ttfb_b12), SUM(ttfb_b13), SUM(ttfb_b14), SUM(ttfb_b15), SUM(ttfb_b16),
       SUM(ttfb_b17), SUM(ttfb_b18), SUM(ttfb_b19), SUM(ttfb_b20), SUM(ttfb_b21), SUM(ttfb_b22), SUM(ttfb_b23),
       SUM(ttfb_b24), SUM(ttfb_b25), SUM(ttfb_b26), SUM(ttfb_b27), SUM(ttfb_b28)
FROM usage_rollups WHERE period = 'hour' AND grain = 'full'
GROUP BY (bucket / 86400000) * 86400000, user_id;

INSERT INTO usage_rollups (
    period, grain, bucket, user_id, app_did, provider, model, type, calls, success, failed, cancelled,
    input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, images,
    video_seconds, total_usage, credits, latency_sum, latency_max, ttfb_sum, ttfb_count, ttfb_max, last_call_at,
    lat_b00, lat_b01, lat_b02, lat_b03, lat_b04, lat_b05, lat_b06, lat_b07, lat_b08, lat_b09, lat_b10, lat_b11,
    lat_b12, lat_b13, lat_b14, lat_b15, lat_b16, lat_b17, lat_b18, lat_b19, lat_b20, lat_b21, lat_b22, lat_b23,
    lat_b24, lat_b25, lat_b26, lat_b27, lat_b28, ttfb_b00, ttfb_b01, ttfb_b02, ttfb_b03, ttfb_b04, ttfb_b05,
    ttfb_b06, ttfb_b07, ttfb_b08, ttfb_b09, ttfb_b10, ttfb_b11, ttfb_b12, ttfb_b13, ttfb_b14, ttfb_b15, ttfb_b16,
    ttfb_b17, ttfb_b18, ttfb_b19, ttfb_b20, ttfb_b21, ttfb_b22, ttfb_b23, ttfb_b24, ttfb_b25, ttfb_b26, ttfb_b27,
    ttfb_b28)
SELECT 'day', 'full', (bucket / 86400000) * 86400000, user_id, app_did, provider, model, type,
       SUM(calls), SUM(success), SUM(failed), SUM(cancelled), SUM(input_tokens), SUM(output_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(images),
       SUM(video_seconds), SUM(total_usage), SUM(credits), SUM(latency_sum), MAX(latency_max), SUM(ttfb_sum),
       SUM(ttfb_count), MAX(ttfb_max), MAX(last_call_at), SUM(lat_b00), SUM(lat_b01), SUM(lat_b02), SUM(lat_b03),
       SUM(lat_b04), SUM(lat_b05), SUM(lat_b06), SUM(lat_b07), SUM(lat_b08), SUM(lat_b09), SUM(lat_b10),
       SUM(lat_b11), SUM(lat_b12), SUM(lat_b13), SUM(lat_b14), SUM(lat_b15), SUM(lat_b16), SUM(lat_b17),
       SUM(lat_b18), SUM(lat_b19), SUM(lat_b20), SUM(lat_b21), SUM(lat_b22), SUM(lat_b23), SUM(lat_b24),
       SUM(lat_b25), SUM(lat_b26), SUM(lat_b27), SUM(lat_b28), SUM(ttfb_b00), SUM(ttfb_b01), SUM(ttfb_b02),
       SUM(ttfb_b03), SUM(ttfb_b04), SUM(ttfb_b05), SUM(ttfb_b06), SUM(ttfb_b07), SUM(ttfb_b08), SUM(ttfb_b09),
       SUM(ttfb_b10), SUM(ttfb_b11), SUM(ttfb_b12), SUM(ttfb_b13), SUM(ttfb_b14), SUM(ttfb_b15), SUM(ttfb_b16),
       SUM(ttfb_b17), SUM(ttfb_b18), SUM(ttfb_b19), SUM(ttfb_b20), SUM(ttfb_b21), SUM(ttfb_b22), SUM(ttfb_b23),
       SUM(ttfb_b24), SUM(ttfb_b25), SUM(ttfb_b26), SUM(ttfb_b27), SUM(ttfb_b28)
FROM usage_rollups WHERE period = 'hour' AND grain = 'full'
GROUP BY (bucket / 86400000) * 86400000, user_id, app_did, provider, model, type;

import { z } from 'zod';

/**
 * Every setting, declared once: env var, schema (with default), and a one-line doc.
 * README's configuration table is generated from this list (`bridge config --markdown`).
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const url = (example: string) =>
  z.url({ error: `must be an absolute URL such as ${example}` }).transform((v) => v.replace(/\/+$/, ''));

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const SETTINGS = {
  PORT: {
    schema: z.coerce
      .number({ error: 'must be a port number such as 8080' })
      .int()
      .min(0)
      .max(65535)
      .default(8080),
    doc: 'HTTP port of the local server (Cloud Run sets it).',
  },
  BRIDGE_BACKEND: {
    schema: z.enum(['local', 'gcp'], { error: 'must be "local" or "gcp"' }).default('local'),
    doc: 'Which backends to use: embedded (SQLite, in-process queue, local secrets) or Google Cloud.',
  },
  BRIDGE_DATA_DIR: {
    schema: z.string().min(1).default('.bridge'),
    doc: 'Directory for the embedded backends (SQLite file, encrypted secrets, demo repository).',
  },
  BRIDGE_PUBLIC_URL: {
    schema: url('https://bridge.example.com').optional(),
    doc: 'Base address of a server that answers every route (the local server, or one domain in front of the functions); the default of the three addresses below (default http://localhost:$PORT).',
  },
  BRIDGE_API_URL: {
    schema: url('https://bridge.example.com').optional(),
    doc: "Where the status API and dashboard live: the OpenAPI document's server, the base of the GitHub OAuth callback (default BRIDGE_PUBLIC_URL).",
  },
  BRIDGE_DRIVE_NOTIFICATIONS_URL: {
    schema: url('https://bridge.example.com/drive/notifications').optional(),
    doc: 'Where Drive channels deliver notifications (default BRIDGE_PUBLIC_URL/drive/notifications).',
  },
  BRIDGE_GITHUB_WEBHOOK_URL: {
    schema: url('https://bridge.example.com/github/webhook').optional(),
    doc: 'Where GitHub delivers the webhooks of the hooks the bridge creates (default BRIDGE_PUBLIC_URL/github/webhook).',
  },
  BRIDGE_ADMIN_TOKEN: {
    schema: optionalString,
    doc: 'Bootstrap admin bearer token for /api/v1 (local mode; on GCP it lives in Secret Manager).',
    secret: true,
  },
  BRIDGE_METRICS_TOKEN: {
    schema: optionalString,
    doc: 'Bearer token a Prometheus scraper sends to GET /metrics (local mode); the admin token works too, nothing else does.',
    secret: true,
  },
  BRIDGE_SECRETS_KEY: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, { error: 'must be 32 random bytes in base64 (openssl rand -base64 32)' })
      .optional(),
    doc: 'Key for the local encrypted secret file; generated into the data dir when unset.',
    secret: true,
  },
  BRIDGE_LOCAL_LINKS: {
    schema: z.enum(['admin', 'any'], { error: 'must be "admin" or "any"' }).default('admin'),
    doc: 'Who may link file:// repositories and designs (they read this machine): the admin token only, or also API keys, inside local folders granted to their tenant.',
  },
  BRIDGE_DEMO: {
    schema: booleanish.optional(),
    doc: 'Create the demo link (local git repo + local design folder); default: when no credentials are set.',
  },
  LOG_LEVEL: {
    schema: z
      .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
      .default('info'),
    doc: 'Lowest severity written to the log.',
  },
  GITHUB_WEBHOOK_SECRET: {
    schema: optionalString,
    doc: 'Webhook secret(s), comma-separated: current first, then previous ones still accepted.',
    secret: true,
  },
  GITHUB_TOKEN: {
    schema: optionalString,
    doc: 'GitHub token (PAT or app installation token) for the GitHub provider.',
    secret: true,
  },
  GITHUB_APP_ID: {
    schema: z.string().regex(/^\d+$/, { error: 'must be the numeric GitHub App id' }).optional(),
    doc: 'GitHub App id (with GITHUB_APP_PRIVATE_KEY); the installation is found per repository.',
  },
  GITHUB_APP_PRIVATE_KEY: {
    schema: optionalString,
    doc: 'GitHub App private key (PEM).',
    secret: true,
  },
  GITHUB_API_URL: {
    schema: url('https://api.github.com').default('https://api.github.com'),
    doc: 'GitHub API base (GitHub Enterprise Server, or a loopback test server).',
  },
  GITHUB_OAUTH_CLIENT_ID: {
    schema: optionalString,
    doc: 'Client id of the GitHub OAuth App behind /api/integrations/github/connect.',
  },
  GITHUB_OAUTH_CLIENT_SECRET: {
    schema: optionalString,
    doc: 'Client secret of that OAuth App (on GCP: secret github-oauth-client-secret).',
    secret: true,
  },
  GITHUB_OAUTH_BASE: {
    schema: url('https://github.com').default('https://github.com'),
    doc: 'Where GitHub OAuth lives (/login/oauth/authorize, /login/oauth/access_token); GHES or a loopback.',
  },
  GITHUB_OAUTH_SCOPES: {
    schema: z
      .string()
      .regex(/^[a-z:_]*( [a-z:_]+)*$/, { error: 'must be space-separated GitHub scopes such as "repo"' })
      .default('repo'),
    doc: 'Scopes asked for when a user connects a GitHub account (space-separated).',
  },
  GOOGLE_ACCESS_TOKEN: {
    schema: optionalString,
    doc: 'Short-lived Google access token (gcloud auth print-access-token) instead of ADC.',
    secret: true,
  },
  GOOGLE_APPLICATION_CREDENTIALS: {
    schema: optionalString,
    doc: 'Path to a credentials file for Application Default Credentials (read by the Google clients).',
  },
  DRIVE_API_ROOT_URL: {
    schema: url('https://www.googleapis.com').optional(),
    doc: "Google Drive API root (default Google's; a loopback test server in tests).",
  },
  GOOGLE_CLOUD_PROJECT: {
    schema: optionalString,
    doc: 'Google Cloud project id (gcp backend).',
  },
  MONITORING_API_ENDPOINT: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, {
        error: 'must be host:port, such as monitoring.googleapis.com:443',
      })
      .default('monitoring.googleapis.com:443'),
    doc: 'host:port of the Cloud Monitoring API (HTTPS) the gcp backend exports its metrics to.',
  },
  FIRESTORE_DATABASE: {
    schema: z.string().min(1).default('(default)'),
    doc: 'Firestore database id (gcp backend).',
  },
  SECRET_MANAGER_EMULATOR_HOST: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { error: 'must be host:port, such as 127.0.0.1:9090' })
      .optional(),
    doc: "host:port of a stand-in speaking Secret Manager's gRPC API without TLS or credentials (gcp backend; tests and laptop runs of the topology on the emulators, since Secret Manager has none).",
  },
  BRIDGE_TOPIC_PREFIX: {
    schema: z.string().default(''),
    doc: 'Prefix of every Pub/Sub topic and subscription name (the topics are declared in shared/topology).',
  },
  OPENAI_API_KEY: {
    schema: optionalString,
    doc: 'OpenAI API key; enables OpenAI in the AI layer (off when no provider key is set).',
    secret: true,
  },
  OPENAI_BASE_URL: {
    schema: url('https://api.openai.com/v1').optional(),
    doc: "OpenAI API base (default OpenAI's; a gateway, a proxy or a loopback test server).",
  },
  OPENAI_MODEL: {
    schema: z.string().min(1).default('gpt-4.1-mini'),
    doc: 'The OpenAI model the AI layer routes to.',
  },
  ANTHROPIC_API_KEY: {
    schema: optionalString,
    doc: 'Anthropic API key; enables Anthropic in the AI layer.',
    secret: true,
  },
  ANTHROPIC_BASE_URL: {
    schema: url('https://api.anthropic.com').optional(),
    doc: "Anthropic API base (default Anthropic's).",
  },
  ANTHROPIC_MODEL: {
    schema: z.string().min(1).default('claude-haiku-4-5'),
    doc: 'The Anthropic model the AI layer routes to.',
  },
  GEMINI_API_KEY: {
    schema: optionalString,
    doc: 'Gemini API key (Google AI Studio); enables Gemini in the AI layer.',
    secret: true,
  },
  GEMINI_BASE_URL: {
    schema: url('https://generativelanguage.googleapis.com').optional(),
    doc: "Gemini API base (default Google's).",
  },
  GEMINI_MODEL: {
    schema: z.string().min(1).default('gemini-2.5-flash'),
    doc: 'The Gemini model the AI layer routes to.',
  },
  AI_ROUTING: {
    schema: z
      .enum(['cost', 'latency', 'weighted'], { error: 'must be cost, latency or weighted' })
      .default('cost'),
    doc: 'How the AI layer orders the models able to serve a request: cheapest, fastest measured, or weighted random.',
  },
  AI_ROUTING_WEIGHTS: {
    schema: z
      .string()
      .regex(/^((openai|anthropic|gemini)=\d+(\.\d+)?)(,(openai|anthropic|gemini)=\d+(\.\d+)?)*$/, {
        error: 'must be provider=weight pairs such as openai=3,anthropic=1',
      })
      .optional(),
    doc: 'Weights of the weighted policy (default 1 each).',
  },
  AI_TENANT_ROUTING: {
    schema: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*=(cost|latency|weighted)(,[a-z0-9][a-z0-9-]*=(cost|latency|weighted))*$/, {
        error: 'must be tenant=policy pairs such as acme=latency,beta=weighted',
      })
      .optional(),
    doc: 'Per-tenant routing policies over AI_ROUTING (a request may still name its own).',
  },
  AI_ATTEMPT_TIMEOUT_MS: {
    schema: z.coerce
      .number({ error: 'must be milliseconds such as 1500' })
      .int()
      .min(50)
      .max(60_000)
      .default(1500),
    doc: "Time to a provider's first streamed event before the AI layer fails over to the next one.",
  },
  AI_REQUEST_TIMEOUT_MS: {
    schema: z.coerce
      .number({ error: 'must be milliseconds such as 120000' })
      .int()
      .min(1000)
      .default(120_000),
    doc: 'Bound on one whole model call once it answers (the client timeout).',
  },
  AI_MONTHLY_BUDGET_USD: {
    schema: z.coerce
      .number({ error: 'must be US dollars such as 25 or 7.5' })
      .min(0)
      .max(1_000_000)
      .optional(),
    doc: "Each tenant's AI spend per calendar month (UTC), reserved before each call; none when unset.",
  },
  AI_ENTERPRISE_DAILY_REQUESTS: {
    schema: z.coerce.number({ error: 'must be a whole number such as 10000' }).int().min(0).default(10_000),
    doc: 'AI requests a day for the enterprise tier (free 10, starter 100, pro 1000; other tiers get free).',
  },
  AI_ENTERPRISE_HOURLY_TOKENS: {
    schema: z.coerce
      .number({ error: 'must be a whole number such as 20000000' })
      .int()
      .min(0)
      .default(20_000_000),
    doc: 'AI tokens (input + output) an hour for the enterprise tier (free 20,000, starter 200,000, pro 2,000,000).',
  },
  AI_TENANT_RPM: {
    schema: z.coerce.number({ error: 'must be a whole number such as 60' }).int().min(1).default(60),
    doc: 'AI requests a minute each tenant may start in one instance (beyond: a short wait, then 429).',
  },
  AI_TENANT_BURST: {
    schema: z.coerce.number({ error: 'must be a whole number such as 10' }).int().min(1).default(10),
    doc: 'AI requests a tenant may start at once after being idle.',
  },
  AI_QUEUE_WAIT_MS: {
    schema: z.coerce
      .number({ error: 'must be milliseconds such as 5000' })
      .int()
      .min(0)
      .max(60_000)
      .default(5_000),
    doc: 'Longest an AI request waits for its tenant’s turn before 429; at most 100 wait per tenant.',
  },
  AI_AUDIT_STORE_PROMPTS: {
    schema: booleanish.optional(),
    doc: 'Keep each AI call’s prompt (after scrubbing, at most 20,000 characters) in its audit record; by default only its sha256.',
  },
  AI_AUDIT_TTL_DAYS: {
    schema: z.coerce
      .number({ error: 'must be a number of days such as 90' })
      .int()
      .min(1)
      .max(3650)
      .default(90),
    doc: 'How long the audit record of each AI call is kept.',
  },
  AI_SUMMARY_TIMEOUT_MS: {
    schema: z.coerce
      .number({ error: 'must be milliseconds such as 20000' })
      .int()
      .min(500)
      .max(120_000)
      .default(20_000),
    doc: "Longest a sync waits for a model's change summary before it uses the deterministic one (a later answer is cached).",
  },
  AI_SUMMARY_CACHE_DAYS: {
    schema: z.coerce
      .number({ error: 'must be a number of days such as 30' })
      .int()
      .min(1)
      .max(365)
      .default(30),
    doc: "How long a model's change summary is kept for the same changes (an unchanged proposal asks no model again).",
  },
} as const satisfies Record<string, { schema: z.ZodType; doc: string; secret?: boolean }>;

export type SettingName = keyof typeof SETTINGS;

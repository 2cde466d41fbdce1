import { http } from '@google-cloud/functions-framework';
import { cloudRunHttp, githubWebhook } from '../../shared/entry/index.ts';

// Cloud Run entry point (--target=github-webhook); the logic lives in shared/.
http('github-webhook', cloudRunHttp(githubWebhook));

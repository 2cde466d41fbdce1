import { http } from '@google-cloud/functions-framework';
import { cloudRunFunction } from '../../shared/edge/cloud-run.ts';

// Cloud Run entry point (--target=github-webhook): its handler is the github-webhook entry of shared/edge/function-table.ts.
http('github-webhook', cloudRunFunction('github-webhook'));

import { http } from '@google-cloud/functions-framework';
import { cloudRunFunction } from '../../shared/edge/cloud-run.ts';

// Cloud Run entry point (--target=sync-worker): its handler is the sync-worker entry of shared/edge/function-table.ts.
http('sync-worker', cloudRunFunction('sync-worker'));

import { http } from '@google-cloud/functions-framework';
import { cloudRunHttp, syncWorker } from '../../shared/entry/index.ts';

// Cloud Run entry point (--target=sync-worker); the logic lives in shared/.
http('sync-worker', cloudRunHttp(syncWorker));

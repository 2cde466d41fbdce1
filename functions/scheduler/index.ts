import { http } from '@google-cloud/functions-framework';
import { cloudRunHttp, scheduler } from '../../shared/entry/index.ts';

// Cloud Run entry point (--target=scheduler); the logic lives in shared/.
http('scheduler', cloudRunHttp(scheduler));

import { http } from '@google-cloud/functions-framework';
import { cloudRunHttp, statusApi } from '../../shared/entry/index.ts';

// Cloud Run entry point (--target=status-api); the logic lives in shared/.
http('status-api', cloudRunHttp(statusApi));

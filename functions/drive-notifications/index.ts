import { http } from '@google-cloud/functions-framework';
import { cloudRunHttp, driveNotifications } from '../../shared/entry/index.ts';

// Cloud Run entry point (--target=drive-notifications); the logic lives in shared/.
http('drive-notifications', cloudRunHttp(driveNotifications));

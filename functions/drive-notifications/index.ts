import { http } from '@google-cloud/functions-framework';
import { cloudRunFunction } from '../../shared/edge/cloud-run.ts';

// Cloud Run entry point (--target=drive-notifications): its handler is the drive-notifications entry of shared/edge/function-table.ts.
http('drive-notifications', cloudRunFunction('drive-notifications'));

import { http } from '@google-cloud/functions-framework';
import { cloudRunFunction } from '../../shared/edge/cloud-run.ts';

// Cloud Run entry point (--target=status-api): its handler is the status-api entry of shared/edge/function-table.ts.
http('status-api', cloudRunFunction('status-api'));

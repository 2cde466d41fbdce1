import { http } from '@google-cloud/functions-framework';
import { cloudRunFunction } from '../../shared/edge/cloud-run.ts';

// Cloud Run entry point (--target=scheduler): its handler is the scheduler entry of shared/edge/function-table.ts.
http('scheduler', cloudRunFunction('scheduler'));

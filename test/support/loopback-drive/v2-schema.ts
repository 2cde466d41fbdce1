import type { DiscoverySchema } from './discovery.ts';

/**
 * The part of Drive v2's `File` resource the loopback serves, in discovery-document form. Names and
 * types follow the v2 reference (https://developers.google.com/workspace/drive/api/reference/rest/v2/files)
 * and @googleapis/drive's `drive_v2.Schema$File`; int64 values are strings as in every discovery API.
 */
export const V2_SCHEMAS: Record<string, DiscoverySchema> = {
  File: {
    id: 'File',
    type: 'object',
    properties: {
      kind: { type: 'string' },
      id: { type: 'string' },
      etag: { type: 'string' },
      selfLink: { type: 'string' },
      title: { type: 'string' },
      mimeType: { type: 'string' },
      version: { type: 'string', format: 'int64' },
      createdDate: { type: 'string', format: 'date-time' },
      modifiedDate: { type: 'string', format: 'date-time' },
      md5Checksum: { type: 'string' },
      headRevisionId: { type: 'string' },
      fileSize: { type: 'string', format: 'int64' },
      downloadUrl: { type: 'string' },
      labels: {
        type: 'object',
        properties: {
          hidden: { type: 'boolean' },
          modified: { type: 'boolean' },
          restricted: { type: 'boolean' },
          starred: { type: 'boolean' },
          trashed: { type: 'boolean' },
          viewed: { type: 'boolean' },
        },
      },
    },
  },
};

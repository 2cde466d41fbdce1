import { readFileSync } from 'node:fs';
import { V2_SCHEMAS } from './v2-schema.ts';

export interface DiscoverySchema {
  id?: string;
  type?: string;
  $ref?: string;
  format?: string;
  enum?: string[];
  properties?: Record<string, DiscoverySchema>;
  additionalProperties?: DiscoverySchema;
  items?: DiscoverySchema;
}

export interface DiscoveryParameter {
  type: string;
  required?: boolean;
  format?: string;
  enum?: string[];
  repeated?: boolean;
}

export interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  path: string;
  parameters?: Record<string, DiscoveryParameter>;
  request?: { $ref: string };
  response?: { $ref: string };
  supportsMediaDownload?: boolean;
  supportsMediaUpload?: boolean;
}

export interface DiscoveryDocument {
  schemas: Record<string, DiscoverySchema>;
  parameters: Record<string, DiscoveryParameter>;
  resources: Record<string, { methods: Record<string, DiscoveryMethod> }>;
}

/**
 * Google's Drive v3 discovery document (a copy of the revision the project was given, kept next to
 * the server so the suite needs nothing outside the repository).
 */
export const DRIVE_V3: DiscoveryDocument = JSON.parse(
  readFileSync(new URL('./drive-v3.discovery.json', import.meta.url), 'utf8'),
);

/** The Drive v2 calls the bridge makes, described the same way (no v2 discovery document is vendored). */
export const DRIVE_V2: DiscoveryDocument = {
  schemas: V2_SCHEMAS,
  parameters: DRIVE_V3.parameters,
  resources: {
    files: {
      methods: {
        get: {
          id: 'drive.files.get',
          httpMethod: 'GET',
          path: 'files/{fileId}',
          parameters: {
            fileId: { type: 'string', required: true },
            acknowledgeAbuse: { type: 'boolean' },
            includeLabels: { type: 'string' },
            includePermissionsForView: { type: 'string' },
            projection: { type: 'string', enum: ['BASIC', 'FULL'] },
            revisionId: { type: 'string' },
            supportsAllDrives: { type: 'boolean' },
            supportsTeamDrives: { type: 'boolean' },
            updateViewedDate: { type: 'boolean' },
          },
          response: { $ref: 'File' },
          supportsMediaDownload: true,
        },
        update: {
          id: 'drive.files.update',
          httpMethod: 'PUT',
          path: 'files/{fileId}',
          parameters: {
            fileId: { type: 'string', required: true },
            addParents: { type: 'string' },
            convert: { type: 'boolean' },
            enforceSingleParent: { type: 'boolean' },
            includeLabels: { type: 'string' },
            includePermissionsForView: { type: 'string' },
            modifiedDateBehavior: { type: 'string' },
            newRevision: { type: 'boolean' },
            ocr: { type: 'boolean' },
            ocrLanguage: { type: 'string' },
            pinned: { type: 'boolean' },
            removeParents: { type: 'string' },
            setModifiedDate: { type: 'boolean' },
            supportsAllDrives: { type: 'boolean' },
            supportsTeamDrives: { type: 'boolean' },
            timedTextLanguage: { type: 'string' },
            timedTextTrackName: { type: 'string' },
            updateViewedDate: { type: 'boolean' },
            useContentAsIndexableText: { type: 'boolean' },
          },
          request: { $ref: 'File' },
          response: { $ref: 'File' },
          supportsMediaUpload: true,
        },
      },
    },
  },
};

export function discoveryMethod(doc: DiscoveryDocument, resource: string, method: string): DiscoveryMethod {
  const m = doc.resources[resource]?.methods[method];
  if (!m) throw new Error(`discovery document has no ${resource}.${method}`);
  return m;
}

/** Test data builders for Drive provider tests. */
export interface ServiceSeed {
  id: string;
  name?: string;
  version?: string;
}

export function designJson(services: ServiceSeed[]): string {
  return `${JSON.stringify(
    {
      source: 'ai-studio',
      export_format: 'architecture-v1',
      components: services.map((s) => ({
        id: s.id,
        name: s.name ?? s.id,
        layer: 'backend',
        version: s.version ?? '1.0.0',
        status: 'active',
      })),
    },
    null,
    2,
  )}\n`;
}

export const TOKEN = 'ya29.loopback-test-token';
export const FILE_ID = 'design-file-1';

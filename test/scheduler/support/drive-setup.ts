import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppContext } from '../../../shared/context/index.ts';
import { fromNodeRequest, type HttpHandler, sendNodeResponse } from '../../../shared/http/index.ts';
import { createDriveNotificationsHandler } from '../../../shared/ingress/index.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../../support/loopback-drive/index.ts';
import { startHarness, testClock } from './scheduler-harness.ts';

/**
 * A harness whose Drive is the loopback server (sharing the test clock) and whose public URL is a
 * real drive-notifications ingress over the same context, so channel tokens are checked end to end.
 */
export async function startDriveHarness(files: string[] = [], env: Record<string, string> = {}) {
  const clock = testClock();
  let handler: HttpHandler | undefined;
  const ingress = createServer((req, res) => {
    const request = fromNodeRequest(req);
    if (!handler) {
      res.writeHead(503).end();
      return;
    }
    void handler(request).then((response) => sendNodeResponse(res, response));
  });
  await new Promise<void>((resolve) => ingress.listen(0, '127.0.0.1', resolve));
  const publicUrl = `http://127.0.0.1:${(ingress.address() as AddressInfo).port}`;
  const drive: LoopbackDrive = await startLoopbackDrive({
    now: clock.ms,
    autoNotify: false,
    files: Object.fromEntries(files.map((id) => [id, { name: `${id}.json`, content: '{}' }])),
  });
  const h = await startHarness(
    {
      DRIVE_API_ROOT_URL: drive.url,
      GOOGLE_ACCESS_TOKEN: 'ya29.loopback-test-token',
      BRIDGE_PUBLIC_URL: publicUrl,
      ...env,
    },
    clock,
  );
  handler = createDriveNotificationsHandler(h.ctx as AppContext);
  return {
    ...h,
    drive,
    publicUrl,
    async close() {
      await drive.close();
      ingress.closeAllConnections();
      await new Promise<void>((resolve) => ingress.close(() => resolve()));
      await h.close();
    },
  };
}

export type DriveHarness = Awaited<ReturnType<typeof startDriveHarness>>;

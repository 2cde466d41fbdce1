import { describe, expect, it } from 'vitest';
import { deliveryDocId } from '../../shared/ingress/delivery-record.ts';
import { markerId } from '../../shared/scheduler/markers.ts';

/** What Firestore accepts as a document id (https://firebase.google.com/docs/firestore/quotas#limits). */
function expectValidDocumentId(id: string): void {
  expect(id).not.toContain('/');
  expect(Buffer.byteLength(id)).toBeLessThanOrEqual(1500);
  expect(['.', '..']).not.toContain(id);
  expect(id).not.toMatch(/^__.*__$/);
}

const TRICKY = [
  'd/3',
  'd_3',
  'd%2F3',
  'd%3',
  'd%',
  'd 3',
  'd~3',
  'd~',
  'dé3',
  'd\u00003',
  'd😀3',
  'd\ud8003',
  'd\udc003',
  '.',
  '..',
  '__x__',
  '_x__',
  '',
  'x'.repeat(199),
  'x'.repeat(200),
  'x'.repeat(201),
  `${'x'.repeat(300)}a`,
  `${'x'.repeat(300)}b`,
  `${'é'.repeat(2000)}`,
  `${'é'.repeat(2000)}e`,
];

describe('document ids built from delivery ids', () => {
  it.each([
    ['hook-42', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
    ['Integration-1234', 'a.b_c-D9'],
    ['hook-1', 'x'.repeat(200)],
  ])('plain ids keep the form earlier markers were stored under: %s / %s', (hook, delivery) => {
    expect(deliveryDocId(hook, delivery)).toBe(`${hook}~${delivery}`);
  });

  it('ids that differ in any character give different document ids, each valid for Firestore', () => {
    const ids = TRICKY.map((d) => deliveryDocId('hook-1', d));
    expect(new Set(ids).size).toBe(TRICKY.length);
    for (const id of ids) expectValidDocumentId(id);
    // The hook part and the delivery part cannot be confused either.
    expect(deliveryDocId('a~b', 'c')).not.toBe(deliveryDocId('a', 'b~c'));
  });

  it('a hook or delivery id shaped like a reserved id does not make a reserved document id', () => {
    expectValidDocumentId(deliveryDocId('__x', 'y__'));
    expectValidDocumentId(deliveryDocId('__', '__'));
  });
});

describe('scheduler marker ids', () => {
  it('keep their plain form (with @ and :) and tell apart what differs', () => {
    expect(markerId('drive-changes', 'lnk_1', 'removed@2024-01-01T00:00:00.000Z')).toBe(
      'drive-changes~lnk_1~removed@2024-01-01T00:00:00.000Z',
    );
    const ids = TRICKY.map((guid) => markerId('redelivery', guid));
    expect(new Set(ids).size).toBe(TRICKY.length);
    for (const id of ids) expectValidDocumentId(id);
  });
});

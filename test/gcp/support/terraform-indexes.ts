import { instances, interpolation, resourcesOf } from '../../terraform/support/terraform-lookup.ts';
import { isBody, parseTerraform } from '../../terraform/support/terraform-model.ts';
import type { CompositeIndex, Direction } from './firestore-query-shapes.ts';

/**
 * The composite indexes terraform/ declares: each instance of a `google_firestore_index` with a
 * `dynamic "fields"` over `each.value.fields` (pairs of field path and order), as firestore.tf writes
 * them. Any other way of writing one is refused, so no index goes unread.
 */
export async function terraformIndexes(sources: Record<string, string>): Promise<CompositeIndex[]> {
  const model = await parseTerraform(sources);
  const out: CompositeIndex[] = [];
  for (const [name, body] of resourcesOf(model, 'google_firestore_index')) {
    const dynamic = JSON.stringify(body.dynamic ?? null);
    const expected =
      body.collection === interpolation('each.value.collection') &&
      dynamic.includes(`"for_each":"${interpolation('each.value.fields')}"`) &&
      dynamic.includes(`"field_path":"${interpolation('fields.value[0]')}"`) &&
      dynamic.includes(`"order":"${interpolation('fields.value[1]')}"`);
    if (!expected) throw new Error(`google_firestore_index.${name} is not written the way this reader knows`);
    for (const { key, value } of instances(model, body)) {
      if (!isBody(value) || !Array.isArray(value.fields)) throw new Error(`index ${key} has no fields`);
      out.push({
        name: key,
        collection: String(value.collection),
        fields: value.fields.map((pair) => {
          const [field, order] = Array.isArray(pair) ? pair : [];
          if (order !== 'ASCENDING' && order !== 'DESCENDING')
            throw new Error(`index ${key}: order ${order}`);
          return { field: String(field), direction: order as Direction };
        }),
      });
    }
  }
  return out;
}

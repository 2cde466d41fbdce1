import { z } from 'zod';

/**
 * A link's sync policy. Every field is optional on input; parsing applies the defaults, which follow
 * the original spec: concurrent edits → design wins (written to GitHub as a pull request), a removal
 * → manual review (GitHub issue), a version clash → the higher semver wins.
 */
export const LinkPolicy = z
  .object({
    /** How definition changes reach the repository: a `bridge/<link-id>` pull request, or the branch itself. */
    writes: z.enum(['pull-request', 'direct']).default('pull-request'),
    /** Both sides changed one field differently. `manual` leaves each side as it is and opens the conflict. */
    onConflict: z.enum(['design-wins', 'definitions-wins', 'manual']).default('design-wins'),
    /** A service removed on one side and kept or changed on the other. `manual` keeps it everywhere. */
    onRemoval: z.enum(['manual', 'propagate']).default('manual'),
    /** Both sides changed `version`: the higher semver wins, or it is an ordinary field conflict. */
    versions: z.enum(['higher-wins', 'conflict']).default('higher-wins'),
    /** A sync that would delete more than this share of the services stops and asks for confirmation. */
    maxDeletePercent: z.number().min(0).max(100).default(50),
    /** `report-only` computes the plan and drift but writes nothing. */
    mode: z.enum(['sync', 'report-only']).default('sync'),
  })
  .strict();

export type LinkPolicy = z.infer<typeof LinkPolicy>;
export type LinkPolicyInput = z.input<typeof LinkPolicy>;

export const DEFAULT_POLICY: LinkPolicy = LinkPolicy.parse({});

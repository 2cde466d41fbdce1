import { AppError } from '../../errors/index.ts';
import { type IssueRecord, nextNumber, readRecords, updateRecords } from './bridge-records.ts';

/**
 * Issues of a local git repository, kept as records under `<gitdir>/bridge/issues.json` (what GitHub
 * would keep): opened, edited, commented on and closed like GitHub's, so a local link behaves alike.
 */
export function localIssues(gitDir: () => Promise<string>, url: string, now: () => Date) {
  const urlOf = (number: number) => `${url}#issue/${number}`;
  return {
    async openIssue({ title, body, labels }: { title: string; body: string; labels?: string[] }) {
      const number = await updateRecords(await gitDir(), 'issues', (issues) => {
        const created: IssueRecord = {
          number: nextNumber(issues),
          title,
          body,
          labels: labels ?? [],
          state: 'open',
          createdAt: now().toISOString(),
          comments: [],
        };
        return { next: [...issues, created], result: created.number };
      });
      return { number, url: urlOf(number) };
    },

    async updateIssue(number: number, patch: { title?: string; body?: string; state?: 'open' | 'closed' }) {
      await updateRecords(await gitDir(), 'issues', (issues) => {
        const issue = issues.find((i) => i.number === number);
        if (!issue) throw new AppError('not_found', `issue #${number} not found in ${url}`);
        Object.assign(issue, patch, { updatedAt: now().toISOString() });
        return { next: issues, result: undefined };
      });
      return { number, url: urlOf(number) };
    },

    async commentOnIssue(number: number, body: string) {
      await updateRecords(await gitDir(), 'issues', (issues) => {
        const issue = issues.find((i) => i.number === number);
        if (!issue) throw new AppError('not_found', `issue #${number} not found in ${url}`);
        issue.comments = [...(issue.comments ?? []), { body, createdAt: now().toISOString() }];
        return { next: issues, result: undefined };
      });
    },

    async findOpenIssue({ label, marker }: { label: string; marker: string }) {
      const issues = await readRecords(await gitDir(), 'issues');
      const found = [...issues]
        .reverse()
        .find((i) => i.state === 'open' && i.labels.includes(label) && i.body.includes(marker));
      return found ? { number: found.number, url: urlOf(found.number) } : undefined;
    },
  };
}

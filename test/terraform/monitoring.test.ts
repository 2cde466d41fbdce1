import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_CHANGED } from '../../shared/health/index.ts';
import { METRIC_NAMES } from '../../shared/metrics/index.ts';
import {
  type Body,
  firstBlock,
  parseTerraform,
  readTerraformSources,
  type TerraformModel,
} from './support/terraform-model.ts';

const TERRAFORM_DIR = fileURLToPath(new URL('../../terraform/', import.meta.url));

/** An HCL expression as hcl2json renders it. */
const expr = (inner: string) => `\${${inner}}`;

/** The metric-threshold alerts the observability issue asks for (local.threshold_alerts), by key. */
const THRESHOLD_ALERTS = ['sync_failures', 'dead_letters', 'rate_limit_headroom', 'webhook_errors'];

describe('terraform/ monitoring: alerts, dashboard, log retention', () => {
  let model: TerraformModel;
  let sources: Record<string, string>;
  beforeAll(async () => {
    sources = readTerraformSources(TERRAFORM_DIR);
    model = await parseTerraform(sources);
  });
  const policies = () => model.resources.google_monitoring_alert_policy ?? {};

  it('declares each alert, each telling the configured channels and saying what to do', () => {
    expect(Object.keys(policies()).sort()).toEqual(['health_unhealthy', 'threshold']);
    for (const name of Object.keys(policies())) {
      const policy = policies()[name] as Body;
      expect(policy.notification_channels, name).toBe(expr('local.notification_channels'));
      expect(firstBlock(policy.documentation), name).toBeDefined();
    }
    expect((policies().threshold as Body).for_each).toBe(expr('local.threshold_alerts'));
    const alerts = model.locals.threshold_alerts as Record<string, Record<string, unknown>>;
    expect(Object.keys(alerts).sort()).toEqual([...THRESHOLD_ALERTS].sort());
    for (const [name, alert] of Object.entries(alerts)) {
      expect(String(alert.doc), name).toMatch(/\w+ .*\./);
      expect(String(alert.filter), name).toMatch(/^\$\{local\.filters\.\w+\}$/);
    }
    const channels = model.resources.google_monitoring_notification_channel ?? {};
    expect(Object.keys(channels).sort()).toEqual(['email', 'slack']);
  });

  it('the health alert matches the line the health job logs on a change to unhealthy', () => {
    const filters = String(sources['monitoring.tf']);
    expect(filters).toContain(`"jsonPayload.message = \${format("%q", "${HEALTH_CHANGED}")}"`);
    expect(filters).toMatch(/"severity = ERROR"/);
    const condition = firstBlock(
      firstBlock((policies().health_unhealthy as Body).conditions)?.condition_matched_log,
    );
    expect(condition?.filter).toBe(expr('local.filters.health_unhealthy'));
  });

  it('every bridge.* series an alert or chart reads is an instrument the meter declares, with the labels it filters on', () => {
    const text = `${sources['monitoring.tf']}\n${sources['monitoring-dashboard.tf']}`;
    const named = [...text.matchAll(/metric_prefix\}(bridge\.[a-z_.]+)"/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(5);
    const declared = new Set<string>(Object.values(METRIC_NAMES));
    for (const name of named) expect(declared, `${name} is not declared in shared/metrics`).toContain(name);
    // The failed-sync alert filters on outcome="failed", the value the meter records for a failed run.
    expect(sources['monitoring.tf']).toContain(`"metric.label.outcome = ${expr('format("%q", "failed")')}"`);
  });

  it('keeps logs 90 days by default and has a dashboard', () => {
    const bucket = model.resources.google_logging_project_bucket_config?.default as Body;
    expect(bucket).toMatchObject({ bucket_id: '_Default', retention_days: expr('var.log_retention_days') });
    expect(model.variables.log_retention_days?.default).toBe(90);
    expect(Object.keys(model.resources.google_monitoring_dashboard ?? {})).toEqual(['bridge']);
    expect(model.resources.google_project_iam_member?.function_metric_writer).toMatchObject({
      role: 'roles/monitoring.metricWriter',
    });
  });
});

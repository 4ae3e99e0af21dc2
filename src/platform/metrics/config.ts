import { z } from 'zod';

/** The metrics variable of the environment: a token that may read /metrics besides an admin key. */
export const METRICS_VARIABLES = {
  REDRESS_METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
};

export function metricsConfig(env: { REDRESS_METRICS_TOKEN?: string | undefined }): {
  metricsToken: string | undefined;
} {
  return { metricsToken: env.REDRESS_METRICS_TOKEN };
}

import type { TimerRegistry } from '../platform/timers.ts';
import { markReportOverdue, REPORT_DUE_TIMER } from './regulator-reports.ts';

export function registerSafetyTimers(registry: TimerRegistry): void {
  registry.set(REPORT_DUE_TIMER, (tx, timer, ctx) => markReportOverdue(tx, ctx, timer.subject_id));
}

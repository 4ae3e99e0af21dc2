import { Badge, Button, Card, Group, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components, paths } from '../../api/schema.ts';
import { ProblemAlert } from '../ui.tsx';
import { useAction } from './use-action.ts';

type Claim = components['schemas']['Claim'];
type Matter = components['schemas']['Matter'];
type OpenMatter = NonNullable<
  paths['/v1/claims/{id}/matter']['post']['requestBody']
>['content']['application/json'];

const CAUSES: { value: OpenMatter['cause']; label: string }[] = [
  { value: 'claimant_sued', label: 'The claimant sued' },
  { value: 'counsel_involved', label: 'Counsel is involved (no suit yet)' },
];

/**
 * Litigation on a claim, for the people who work it (staff and a TPA): once a matter, automated
 * deadlines and step-in stop and only a person closes it (docs/matters.md). Counsel and court are
 * staff-only; the parties never see this card's details.
 */
export function MatterCard({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  // The claim's actions say whether it is a matter (close_matter) or may become one (open_matter).
  const isMatter = claim.actions.some((a) => a.name === 'close_matter');
  const mayOpen = claim.actions.some((a) => a.name === 'open_matter');
  const [matter, setMatter] = useState<Matter | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const load = useCallback(() => {
    if (!isMatter) return setMatter(null);
    call(api.GET('/v1/claims/{id}/matter', { params: { path: { id: claim.id } } }))
      .then(setMatter)
      .catch(setLoadError);
  }, [claim.id, isMatter]);
  useEffect(() => load(), [load]);
  const { error, busy, run } = useAction(() => {
    load();
    onDone();
  });
  const [cause, setCause] = useState<OpenMatter['cause'] | ''>('');
  const [counsel, setCounsel] = useState('');
  const [court, setCourt] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [note, setNote] = useState('');

  if (!isMatter && !mayOpen) return null;
  if (isMatter && !matter) return loadError ? <ProblemAlert error={loadError} /> : null;
  const open = matter !== null && matter.closedAt === null;

  return (
    <Card withBorder data-testid="matter">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>Litigation</Title>
          {matter && <Badge color={open ? 'red' : 'gray'}>{open ? 'Matter open' : 'Matter closed'}</Badge>}
        </Group>
        <ProblemAlert error={error} />
        {matter ? (
          <>
            <Text size="sm">
              {CAUSES.find((c) => c.value === matter.cause)?.label} · opened{' '}
              {new Date(matter.openedAt).toLocaleDateString()}
              {matter.closedAt ? ` · closed ${new Date(matter.closedAt).toLocaleDateString()}` : ''}
            </Text>
            {matter.counsel && <Text size="sm">Counsel: {matter.counsel}</Text>}
            {(matter.court || matter.caseNumber) && (
              <Text size="sm">
                Court: {[matter.court, matter.caseNumber].filter(Boolean).join(', case ')}
              </Text>
            )}
            {matter.closingNote && <Text size="sm">How it ended: {matter.closingNote}</Text>}
            {open && (
              <>
                <Text size="sm" c="dimmed">
                  Automated deadlines and step-in are stopped while the matter is open.
                </Text>
                <Textarea
                  label="How the litigation ended"
                  description="At least 10 characters"
                  value={note}
                  onChange={(e) => setNote(e.currentTarget.value)}
                />
                <Group>
                  <Button
                    loading={busy}
                    onClick={() =>
                      run(() =>
                        call(
                          api.POST('/v1/claims/{id}/matter/close', {
                            params: { path: { id: claim.id } },
                            body: { note },
                          }),
                        ),
                      )
                    }
                  >
                    Close the matter
                  </Button>
                </Group>
              </>
            )}
          </>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              If the claimant sues or a lawyer writes, make the claim a matter: automated deadlines and
              step-in stop, and only a person can close it.
            </Text>
            <Radio.Group
              label="What happened"
              value={cause}
              onChange={(v) => setCause(v as OpenMatter['cause'])}
            >
              <Stack gap={4} mt={4}>
                {CAUSES.map((c) => (
                  <Radio key={c.value} value={c.value} label={c.label} />
                ))}
              </Stack>
            </Radio.Group>
            <TextInput
              label="Counsel (name, firm, contact)"
              value={counsel}
              onChange={(e) => setCounsel(e.currentTarget.value)}
            />
            <Group grow>
              <TextInput label="Court" value={court} onChange={(e) => setCourt(e.currentTarget.value)} />
              <TextInput
                label="Case number"
                value={caseNumber}
                onChange={(e) => setCaseNumber(e.currentTarget.value)}
              />
            </Group>
            <Group>
              <Button
                color="red"
                variant="light"
                disabled={!cause}
                loading={busy}
                onClick={() =>
                  cause &&
                  run(() =>
                    call(
                      api.POST('/v1/claims/{id}/matter', {
                        params: { path: { id: claim.id } },
                        body: {
                          cause,
                          ...(counsel.trim() ? { counsel: counsel.trim() } : {}),
                          ...(court.trim() ? { court: court.trim() } : {}),
                          ...(caseNumber.trim() ? { caseNumber: caseNumber.trim() } : {}),
                        },
                      }),
                    ),
                  )
                }
              >
                Make it a matter
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}

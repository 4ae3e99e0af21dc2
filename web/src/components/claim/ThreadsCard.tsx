import { Button, Card, Stack, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components, paths } from '../../api/schema.ts';
import { ProblemAlert } from '../ui.tsx';
import { useAction } from './use-action.ts';

type Claim = components['schemas']['Claim'];
type Message =
  paths['/v1/claims/{id}/messages']['get']['responses'][200]['content']['application/json']['data'][number];
type Thread = Message['thread'];

const TABS: { thread: Thread; label: string; action: Claim['actions'][number]['name'] }[] = [
  { thread: 'internal', label: 'Internal notes', action: 'note' },
  { thread: 'claimant', label: 'Claimant', action: 'message_claimant' },
  { thread: 'seller', label: 'Seller', action: 'message_seller' },
];

function Composer({ claim, thread, onSent }: { claim: Claim; thread: Thread; onSent: () => void }) {
  const { error, busy, run } = useAction(onSent);
  const [text, setText] = useState('');
  const path = { params: { path: { id: claim.id } } };
  const send = () =>
    run(async () => {
      if (thread === 'internal')
        await call(api.POST('/v1/claims/{id}/notes', { ...path, body: { note: text } }));
      else await call(api.POST('/v1/claims/{id}/messages', { ...path, body: { to: thread, message: text } }));
      setText('');
    });
  const label =
    thread === 'internal'
      ? 'New internal note (staff only)'
      : `Message to the ${thread === 'claimant' ? 'claimant' : 'seller'} (e-mailed to them)`;
  return (
    <Stack gap="xs">
      <ProblemAlert error={error} />
      <Textarea
        label={label}
        autosize
        minRows={2}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      <Button
        size="xs"
        disabled={!text.trim()}
        loading={busy}
        onClick={send}
        style={{ alignSelf: 'flex-start' }}
      >
        {thread === 'internal' ? 'Add note' : 'Send message'}
      </Button>
    </Stack>
  );
}

/**
 * Internal notes apart from each party's thread: staff see all three, and write in those the
 * server allows (claim.actions: note, message_claimant, message_seller).
 */
export function ThreadsCard({ claim }: { claim: Claim }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    call(api.GET('/v1/claims/{id}/messages', { params: { path: { id: claim.id } } }))
      .then((r) => setMessages(r.data))
      .catch(setError);
  }, [claim.id]);
  useEffect(load, [load]);
  const may = (name: Claim['actions'][number]['name']) => claim.actions.some((a) => a.name === name);
  return (
    <Card withBorder data-testid="threads">
      <Title order={4} mb="xs">
        Notes and messages
      </Title>
      <ProblemAlert error={error} />
      <Tabs defaultValue="internal">
        <Tabs.List>
          {TABS.map((t) => (
            <Tabs.Tab key={t.thread} value={t.thread}>
              {t.label} ({messages.filter((m) => m.thread === t.thread).length})
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.thread} value={t.thread} pt="xs">
            <Stack gap="xs">
              {messages
                .filter((m) => m.thread === t.thread)
                .map((m) => (
                  <Card key={m.id} padding="xs" bg={m.direction === 'in' ? 'gray.0' : undefined} withBorder>
                    <Text size="xs" c="gray.7">
                      {m.direction === 'in'
                        ? `from the ${m.author.role}`
                        : m.direction === 'note'
                          ? 'note'
                          : 'sent'}{' '}
                      · {new Date(m.at).toLocaleString()}
                    </Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {m.message}
                    </Text>
                  </Card>
                ))}
              {may(t.action) ? (
                <Composer claim={claim} thread={t.thread} onSent={load} />
              ) : (
                <Text size="xs" c="gray.7">
                  {t.thread === 'seller'
                    ? 'The seller has not been told of this claim yet.'
                    : 'Closed to new messages.'}
                </Text>
              )}
            </Stack>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Card>
  );
}

import {
  Button,
  Chip,
  Collapse,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { paths } from '../../api/schema.ts';
import { type Claim, ClaimList } from '../../components/claim/ClaimList.tsx';
import { ProblemAlert } from '../../components/ui.tsx';

type ListQuery = NonNullable<paths['/v1/claims']['get']['parameters']['query']>;
type QueueCount =
  paths['/v1/claim-queues']['get']['responses'][200]['content']['application/json']['data'][number];
type Agent = paths['/v1/agents']['get']['responses'][200]['content']['application/json']['data'][number];

const STATUSES: NonNullable<ListQuery['status']>[] = [
  'screening',
  'needs_info',
  'expert_review',
  'awaiting_seller',
  'awaiting_insurer',
  'under_review',
  'approved',
  'paid',
  'denied',
  'withdrawn',
  'closed',
];

/** The filters of the search form, as typed; empty means "any". */
interface Filters {
  q: string;
  status: string | null;
  owner: string | null;
  sellerId: string;
  productId: string;
  customerId: string;
  hazard: string;
  minAmount: number | string;
  maxAmount: number | string;
  filedFrom: string;
  filedTo: string;
}

const NO_FILTERS: Filters = {
  q: '',
  status: null,
  owner: null,
  sellerId: '',
  productId: '',
  customerId: '',
  hazard: '',
  minAmount: '',
  maxAmount: '',
  filedFrom: '',
  filedTo: '',
};

const ALL = 'all';

/** The form's filters as the API's query: money typed in dollars, sent in cents. */
function toQuery(f: Filters, queue: string | null): ListQuery {
  const cents = (v: number | string) => (v === '' ? undefined : Math.round(Number(v) * 100));
  const text = (v: string) => v.trim() || undefined;
  const query: Record<string, unknown> = {
    sort: 'due',
    limit: 100,
    queue: queue && queue !== ALL ? queue : undefined,
    q: text(f.q),
    status: f.status ?? undefined,
    owner: f.owner ?? undefined,
    sellerId: text(f.sellerId),
    productId: text(f.productId),
    customerId: text(f.customerId),
    hazard: text(f.hazard),
    minAmount: cents(f.minAmount),
    maxAmount: cents(f.maxAmount),
    filedFrom: text(f.filedFrom),
    filedTo: text(f.filedTo),
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as ListQuery;
}

/**
 * The agent console: queues with counts in working order (the agent lands on the first with
 * work in it), each listed oldest-due first; search and filters served by the API; take a claim
 * from the list. Queue membership and counts are the server's (GET /v1/claim-queues).
 */
export function AgentConsole() {
  const [queues, setQueues] = useState<QueueCount[] | null>(null);
  const [queue, setQueue] = useState<string | null>(null);
  const [agents, setAgents] = useState<Agent[]>([]);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [claims, setClaims] = useState<Claim[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [showFilters, { toggle: toggleFilters }] = useDisclosure(false);

  const loadCounts = useCallback(
    () =>
      call(api.GET('/v1/claim-queues')).then((counts) => {
        setQueues(counts.data);
        setQueue((chosen) => chosen ?? counts.data.find((q) => q.count > 0)?.queue ?? ALL);
      }),
    [],
  );
  useEffect(() => {
    loadCounts().catch(setError);
    call(api.GET('/v1/agents'))
      .then((r) => setAgents(r.data))
      .catch(setError);
  }, [loadCounts]);

  const loadList = useCallback(() => {
    if (!queue) return;
    setError(null);
    call(api.GET('/v1/claims', { params: { query: toQuery(filters, queue) } }))
      .then((page) => {
        setClaims(page.data);
        setMore(page.nextCursor !== null);
      })
      .catch(setError);
  }, [queue, filters]);
  useEffect(loadList, [loadList]);

  const take = (claim: Claim) =>
    call(
      api.POST('/v1/claims/{id}/assignment', { params: { path: { id: claim.id } }, body: { owner: 'me' } }),
    )
      .then(() => Promise.all([loadCounts(), loadList()]))
      .catch(setError);

  const set =
    <K extends keyof Filters>(key: K) =>
    (value: Filters[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const current = queues?.find((q) => q.queue === queue);
  return (
    <Stack>
      <Title order={2}>Claims queues</Title>
      {queues && queue && (
        <Chip.Group multiple={false} value={queue} onChange={(v) => setQueue(v)}>
          <Group gap={6} role="radiogroup" aria-label="Queue">
            {queues.map((q) => (
              <Chip key={q.queue} value={q.queue} size="sm" variant="outline" radius="sm">
                {`${q.label} (${q.count})`}
              </Chip>
            ))}
            <Chip value={ALL} size="sm" variant="outline" radius="sm">
              All claims
            </Chip>
          </Group>
        </Chip.Group>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
        aria-label="Search claims"
      >
        <Stack gap="xs">
          <Group align="flex-end" gap="xs" wrap="wrap">
            <TextInput
              label="Search"
              placeholder="Claim number, order, product, customer or seller"
              value={draft.q}
              onChange={(e) => set('q')(e.currentTarget.value)}
              style={{ flex: '1 1 16rem' }}
            />
            <Select
              label="Owner"
              placeholder="Anyone"
              clearable
              data={[
                { value: 'me', label: 'Me' },
                { value: 'none', label: 'Nobody (unassigned)' },
                ...agents.map((a) => ({ value: a.id, label: `${a.name} (${a.openClaims})` })),
              ]}
              value={draft.owner}
              onChange={set('owner')}
              style={{ flex: '0 1 12rem' }}
            />
            <Button type="submit">Search</Button>
            <Button variant="subtle" onClick={toggleFilters} aria-expanded={showFilters}>
              {showFilters ? 'Fewer filters' : 'More filters'}
            </Button>
            <Button
              variant="subtle"
              color="gray"
              onClick={() => {
                setDraft(NO_FILTERS);
                setFilters(NO_FILTERS);
              }}
            >
              Clear
            </Button>
          </Group>
          <Collapse expanded={showFilters}>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="xs">
              <Select
                label="Status"
                placeholder="Any status"
                clearable
                data={STATUSES.map((s) => ({ value: s, label: s.replace(/_/g, ' ') }))}
                value={draft.status}
                onChange={set('status')}
              />
              <TextInput
                label="Seller id"
                value={draft.sellerId}
                onChange={(e) => set('sellerId')(e.currentTarget.value)}
              />
              <TextInput
                label="Product id"
                value={draft.productId}
                onChange={(e) => set('productId')(e.currentTarget.value)}
              />
              <TextInput
                label="Customer id"
                value={draft.customerId}
                onChange={(e) => set('customerId')(e.currentTarget.value)}
              />
              <TextInput
                label="Hazard"
                placeholder="e.g. fire_burn"
                value={draft.hazard}
                onChange={(e) => set('hazard')(e.currentTarget.value)}
              />
              <NumberInput
                label="Amount from ($)"
                min={0}
                value={draft.minAmount}
                onChange={set('minAmount')}
              />
              <NumberInput
                label="Amount to ($)"
                min={0}
                value={draft.maxAmount}
                onChange={set('maxAmount')}
              />
              <TextInput
                label="Filed from"
                type="date"
                value={draft.filedFrom}
                onChange={(e) => set('filedFrom')(e.currentTarget.value)}
              />
              <TextInput
                label="Filed before"
                type="date"
                value={draft.filedTo}
                onChange={(e) => set('filedTo')(e.currentTarget.value)}
              />
            </SimpleGrid>
          </Collapse>
        </Stack>
      </form>
      <ProblemAlert error={error} />
      {claims && (
        <Text size="sm" c="gray.7" data-testid="list-summary">
          {claims.length}
          {more ? '+' : ''} claim{claims.length === 1 ? '' : 's'}
          {current ? ` in ${current.label}` : ''}, oldest due first
        </Text>
      )}
      {claims && claims.length === 0 && <Text c="gray.7">Nothing here.</Text>}
      {claims && claims.length > 0 && (
        <ClaimList
          claims={claims}
          columns={{ customer: true, seller: true, score: true, owner: true }}
          onTake={take}
        />
      )}
    </Stack>
  );
}

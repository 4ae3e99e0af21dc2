import {
  Badge,
  Button,
  Card,
  Code,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components, paths } from '../../api/schema.ts';
import { ProblemAlert } from '../../components/ui.tsx';

type Marketplace = paths['/v1/marketplaces/{id}']['get']['responses']['200']['content']['application/json'];
type Version = components['schemas']['PolicyVersion'];
type Diff =
  paths['/v1/marketplaces/{id}/policy-diff']['get']['responses']['200']['content']['application/json'];
type Json = unknown;

/** A policy's leaves by dotted path; lists stay whole (edited as JSON), as the diff reads them. */
function leaves(value: Json, prefix = ''): [string, Json][] {
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix, value]];
}

function setPath(root: Record<string, Json>, path: string, value: Json): Record<string, Json> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...root, [head]: value };
  return { ...root, [head]: setPath((root[head] ?? {}) as Record<string, Json>, rest.join('.'), value) };
}

const show = (v: Json) => (v === null || v === undefined ? '—' : JSON.stringify(v));

/** One field of the policy: a number, a switch, text, or a list as JSON. */
function PolicyField({ path, value, onChange }: { path: string; value: Json; onChange: (v: Json) => void }) {
  const [draft, setDraft] = useState(() => JSON.stringify(value));
  const [invalid, setInvalid] = useState(false);
  if (typeof value === 'number')
    return (
      <NumberInput label={path} value={value} onChange={(v) => onChange(typeof v === 'number' ? v : 0)} />
    );
  if (typeof value === 'boolean')
    return (
      <Switch label={path} checked={value} onChange={(e) => onChange(e.currentTarget.checked)} mt="lg" />
    );
  if (typeof value === 'string')
    return <TextInput label={path} value={value} onChange={(e) => onChange(e.currentTarget.value)} />;
  return (
    <Textarea
      label={`${path} (JSON)`}
      autosize
      minRows={1}
      value={draft}
      error={invalid ? 'not valid JSON' : undefined}
      onChange={(e) => {
        const text = e.currentTarget.value;
        setDraft(text);
        try {
          onChange(JSON.parse(text));
          setInvalid(false);
        } catch {
          setInvalid(true);
        }
      }}
    />
  );
}

/**
 * A marketplace's programme: its policy as a form (each change saved becomes a new version),
 * every version, and what changed between any two.
 */
export function MarketplacesPage() {
  const [list, setList] = useState<{ id: string; name: string }[] | null>(null);
  const [id, setId] = useState<string | null>(null);
  const [marketplace, setMarketplace] = useState<Marketplace | null>(null);
  const [policy, setPolicy] = useState<Record<string, Json> | null>(null);
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    call(api.GET('/v1/marketplaces'))
      .then((r) => {
        setList(r.data);
        setId((current) => current ?? r.data[0]?.id ?? null);
      })
      .catch(setError);
  }, []);

  const load = useCallback((marketplaceId: string) => {
    call(api.GET('/v1/marketplaces/{id}', { params: { path: { id: marketplaceId } } }))
      .then((m) => {
        setMarketplace(m);
        setPolicy(m.policy as Record<string, Json>);
      })
      .catch(setError);
    call(api.GET('/v1/marketplaces/{id}/policy-versions', { params: { path: { id: marketplaceId } } }))
      .then((r) => {
        setVersions(r.data);
        setTo(String(r.data[0]?.version ?? ''));
        setFrom(String(r.data[1]?.version ?? r.data[0]?.version ?? ''));
      })
      .catch(setError);
  }, []);
  useEffect(() => {
    if (id) load(id);
  }, [id, load]);

  const save = async () => {
    if (!marketplace || !policy) return;
    setError(null);
    setSaved(null);
    try {
      const updated = await call(
        api.PUT('/v1/marketplaces/{id}', {
          params: { path: { id: marketplace.id } },
          body: {
            name: marketplace.name,
            currency: marketplace.currency,
            region: marketplace.region,
            holidayCalendar: marketplace.holidayCalendar,
            timeZone: marketplace.timeZone,
            policy: policy as never,
          },
        }),
      );
      setSaved(
        updated.policyVersion.version === marketplace.policyVersion.version
          ? 'Nothing changed: no new version.'
          : `Saved as version ${updated.policyVersion.version}.`,
      );
      setDiff(null);
      load(marketplace.id);
    } catch (e) {
      setError(e);
    }
  };

  const compare = async () => {
    if (!id || !from || !to) return;
    setError(null);
    try {
      setDiff(
        await call(
          api.GET('/v1/marketplaces/{id}/policy-diff', {
            params: { path: { id }, query: { from: Number(from), to: Number(to) } },
          }),
        ),
      );
    } catch (e) {
      setError(e);
    }
  };

  const versionOptions = (versions ?? []).map((v) => ({
    value: String(v.version),
    label: `version ${v.version} · ${new Date(v.effectiveAt).toLocaleString()}`,
  }));

  return (
    <Stack>
      <Title order={2}>Marketplaces</Title>
      <ProblemAlert error={error} />
      <Select
        label="Marketplace"
        data={(list ?? []).map((m) => ({ value: m.id, label: `${m.name} (${m.id})` }))}
        value={id}
        onChange={setId}
        allowDeselect={false}
        maw={420}
      />
      {marketplace && policy && (
        <Card withBorder>
          <Stack>
            <Group justify="space-between">
              <Title order={3}>Policy in force</Title>
              <Badge variant="light">
                version {marketplace.policyVersion.version} · {marketplace.currency} · {marketplace.timeZone}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              Amounts are in minor units ({marketplace.currency} cents). Saving a changed policy makes a new
              version, effective now; claims filed before keep theirs.
            </Text>
            <SimpleGrid
              cols={{ base: 1, md: 3 }}
              key={`${marketplace.id}-${marketplace.policyVersion.version}`}
            >
              {leaves(policy).map(([path, value]) => (
                <PolicyField
                  key={path}
                  path={path}
                  value={value}
                  onChange={(v) => setPolicy((p) => (p ? setPath(p, path, v) : p))}
                />
              ))}
            </SimpleGrid>
            <Group>
              <Button onClick={() => void save()}>Save policy</Button>
              {saved && <Text data-testid="policy-saved">{saved}</Text>}
            </Group>
          </Stack>
        </Card>
      )}
      {versions && (
        <Card withBorder>
          <Stack>
            <Title order={3}>Versions</Title>
            <Table data-testid="policy-versions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Version</Table.Th>
                  <Table.Th>In force from</Table.Th>
                  <Table.Th>Made by</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {versions.map((v) => (
                  <Table.Tr key={v.id}>
                    <Table.Td>{v.version}</Table.Td>
                    <Table.Td>{new Date(v.effectiveAt).toLocaleString()}</Table.Td>
                    <Table.Td>
                      <Code>{v.createdBy}</Code>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group align="end">
              <Select
                label="From"
                data={versionOptions}
                value={from}
                onChange={setFrom}
                allowDeselect={false}
              />
              <Select label="To" data={versionOptions} value={to} onChange={setTo} allowDeselect={false} />
              <Button variant="light" onClick={() => void compare()}>
                Compare
              </Button>
            </Group>
            {diff && (
              <Stack gap="xs" data-testid="policy-diff">
                <Text fw={600}>
                  Version {diff.from.version} → {diff.to.version}: {diff.changes.length} field
                  {diff.changes.length === 1 ? '' : 's'} changed
                </Text>
                {diff.changes.length > 0 && (
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Field</Table.Th>
                        <Table.Th>Before</Table.Th>
                        <Table.Th>After</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {diff.changes.map((c) => (
                        <Table.Tr key={c.path}>
                          <Table.Td>
                            <Code>{c.path}</Code>
                          </Table.Td>
                          <Table.Td>{show(c.before)}</Table.Td>
                          <Table.Td>{show(c.after)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Stack>
            )}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

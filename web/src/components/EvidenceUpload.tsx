import { Group, Progress, Stack, Text } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import { useState } from 'react';
import { upload } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { ProblemAlert } from './ui.tsx';

type Evidence = components['schemas']['Evidence'];

const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'];
const MAX_BYTES = 10 * 1024 * 1024;

/**
 * Drag-and-drop evidence upload with progress. Type and size are checked here for a quick
 * answer and again by the server, which recognises files by their content, not their name.
 */
export function EvidenceUpload({
  claimId,
  purpose,
  onUploaded,
}: {
  claimId: string;
  purpose: string;
  onUploaded: (evidence: Evidence) => void;
}) {
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rejected, setRejected] = useState<string | null>(null);
  const send = async (files: File[]) => {
    setError(null);
    setRejected(null);
    for (const file of files) {
      setProgress(0);
      try {
        onUploaded(
          await upload<Evidence>(`/v1/claims/${claimId}/evidence?purpose=${purpose}`, file, setProgress),
        );
      } catch (e) {
        setError(e);
      } finally {
        setProgress(null);
      }
    }
  };
  const reject = (rejections: FileRejection[]) =>
    setRejected(
      rejections.map((r) => `${r.file.name}: ${r.errors.map((e) => e.message).join(', ')}`).join('; '),
    );
  return (
    <Stack gap="xs">
      <Dropzone
        onDrop={(f) => void send(f)}
        onReject={reject}
        accept={ACCEPTED}
        maxSize={MAX_BYTES}
        aria-label="Evidence files"
      >
        <Group justify="center" mih={80}>
          <Text size="sm">
            Drop photos, receipts or reports here, or click to choose (JPEG, PNG, WebP, HEIC, PDF; 10 MB)
          </Text>
        </Group>
      </Dropzone>
      {progress !== null && <Progress value={progress * 100} aria-label="Upload progress" />}
      {rejected && (
        <Text c="red" size="sm" role="alert">
          {rejected}
        </Text>
      )}
      <ProblemAlert error={error} />
    </Stack>
  );
}

import type { BackendCandidate, BackendName } from '../../shared/apiTypes';
import type { UserMessage } from './i18n/userMessage';

/** What the backend lists say of one candidate: in use, available, or why not, in the user's language. */
export function candidateMessage(candidate: BackendCandidate, active: BackendName | null): UserMessage {
  if (candidate.name === active) return { key: 'backend.inUse' };
  // A report without a keyed reason (an older worker) is shown in its own words.
  if (!candidate.why) return candidate.reason ? { key: 'error.detail', params: { message: candidate.reason } } : { key: 'backend.available' };
  const reason: UserMessage = { key: `backendReason.${candidate.why.key}`, params: candidate.why.params };
  if (!candidate.why.dawnNotes) return reason;
  return { key: 'backend.withDawnNotes', params: { reason, said: { key: 'backendReason.dawnSaid', params: { notes: candidate.why.dawnNotes } } } };
}

import type { Team, TeamBody, TeamUpdateBody } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../../api/api-client';

export const TEAMS_KEY = ['teams'] as const;
export type TeamInput = Static<typeof TeamBody>;
export type TeamPatch = Static<typeof TeamUpdateBody>;

export function useTeams(enabled = true) {
  return useQuery({ queryKey: TEAMS_KEY, queryFn: async () => (await api<{ items: Team[] }>('GET', '/teams')).items, enabled });
}

export function useSaveTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: TeamInput & { version?: number } }) =>
      id ? api<Team>('PATCH', `/teams/${id}`, { body: body as TeamPatch }) : api<Team>('POST', '/teams', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TEAMS_KEY }),
  });
}

export function useDeleteTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/teams/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TEAMS_KEY }),
  });
}

export interface TeamNode {
  team: Team;
  depth: number;
}

/** Teams in tree order (parents first, children indented under them); orphans of a hidden parent start a root. */
export function teamTree(teams: Team[]): TeamNode[] {
  const ids = new Set(teams.map((team) => team.id));
  const children = new Map<string | null, Team[]>();
  for (const team of teams) {
    const parent = team.parentId && ids.has(team.parentId) ? team.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(team);
    children.set(parent, list);
  }
  const result: TeamNode[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const team of list) {
      if (seen.has(team.id)) continue;
      seen.add(team.id);
      result.push({ team, depth });
      walk(team.id, depth + 1);
    }
  };
  walk(null, 0);
  return result;
}

/** Ids of a team and everything under it: a team cannot move below itself. */
export function subtreeIds(teams: Team[], rootId: string): Set<string> {
  const result = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const team of teams) {
      if (team.parentId && result.has(team.parentId) && !result.has(team.id)) {
        result.add(team.id);
        grew = true;
      }
    }
  }
  return result;
}

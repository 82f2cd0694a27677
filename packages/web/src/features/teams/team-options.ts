import type { Team } from '@rapport/shared';
import { teamTree } from './use-teams';

// Native selects cannot indent; non-breaking spaces keep the hierarchy readable.
const INDENT = '\u00a0\u00a0\u00a0';

/** Teams as select options in tree order, children indented under their parent. */
export function teamOptions(teams: Team[], exclude: Set<string> = new Set()): { value: string; label: string }[] {
  return teamTree(teams)
    .filter((node) => !exclude.has(node.team.id))
    .map((node) => ({ value: node.team.id, label: `${INDENT.repeat(node.depth)}${node.team.name}` }));
}

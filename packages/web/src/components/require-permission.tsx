import type { PermissionAction, PermissionObject } from '@rapport/shared';
import type { ReactNode } from 'react';
import { useCan } from '../app/session';
import { NotAllowed } from './not-allowed';

/** A page guard: without the right the page is not even requested. */
export function RequirePermission({ object, action, children }: { object: PermissionObject; action: PermissionAction; children: ReactNode }) {
  const can = useCan();
  return can(object, action) ? <>{children}</> : <NotAllowed />;
}

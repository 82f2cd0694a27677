import type { ElementMark } from '@rapport/shared';
import { Alert, Badge, Group } from '@mantine/core';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDuration } from '../deals/use-duration';
import { createViewer, type NavigatedViewer } from './bpmn-canvas';

const MARK_STATES = ['active', 'failed', 'done'] as const;

/**
 * A deployed diagram, read-only (pan and zoom), with each element's state marked: done, active, failed. With
 * `counts` every marked element also carries badges: how many instances are there in each state, and their mean time.
 */
export function ProcessMap({ xml, marks, counts }: { xml: string; marks: ElementMark[]; counts: boolean }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const container = useRef<HTMLDivElement>(null);
  const [viewer, setViewer] = useState<NavigatedViewer | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const created = createViewer(container.current);
    let alive = true;
    created
      .importXML(xml)
      .then(() => {
        if (!alive) return;
        created.get<Canvas>('canvas').zoom('fit-viewport');
        setViewer(created);
      })
      .catch((failure: Error) => alive && setError(failure.message));
    return () => {
      alive = false;
      created.destroy();
    };
  }, [xml]);

  useEffect(() => {
    if (!viewer) return;
    const canvas = viewer.get<Canvas>('canvas');
    const registry = viewer.get<ElementRegistry>('elementRegistry');
    const overlays = viewer.get<Overlays>('overlays');
    const present = marks.filter((mark) => registry.get(mark.elementId));
    for (const mark of present) canvas.addMarker(mark.elementId, `rp-${mark.state}`);
    if (counts) {
      const byElement = new Map<string, ElementMark[]>();
      for (const mark of present) byElement.set(mark.elementId, [...(byElement.get(mark.elementId) ?? []), mark]);
      for (const [elementId, elementMarks] of byElement) {
        const badges = document.createElement('div');
        badges.style.display = 'flex';
        badges.style.gap = '2px';
        for (const state of MARK_STATES) {
          const mark = elementMarks.find((candidate) => candidate.state === state);
          if (!mark || mark.count === 0) continue;
          const badge = document.createElement('div');
          badge.className = `rp-count rp-count-${state}`;
          badge.textContent = String(mark.count);
          badge.dataset.testid = `count-${state}-${elementId}`;
          badge.title = mark.meanSeconds === null ? t(`processes.map.${state}`, { count: mark.count }) : `${t(`processes.map.${state}`, { count: mark.count })} · ${t('processes.map.mean', { time: duration(mark.meanSeconds) })}`;
          badges.append(badge);
        }
        if (badges.childElementCount > 0) overlays.add(elementId, 'rp-counts', { position: { top: -12, right: 12 }, html: badges });
      }
    }
    return () => {
      for (const mark of present) canvas.removeMarker(mark.elementId, `rp-${mark.state}`);
      overlays.remove({ type: 'rp-counts' });
    };
  }, [viewer, marks, counts, t, duration]);

  return (
    <>
      {error ? (
        <Alert color="red" title={t('processes.importFailed')} mb="sm">
          {error}
        </Alert>
      ) : null}
      <div className="rp-map">
        <div className="rp-canvas" ref={container} data-testid="process-map" />
      </div>
      <Group gap="xs" mt="xs">
        {MARK_STATES.map((state) => (
          <Badge key={state} variant="light" color={state === 'active' ? 'blue' : state === 'failed' ? 'red' : 'green'}>
            {t(`processes.legend.${state}`)}
          </Badge>
        ))}
      </Group>
    </>
  );
}

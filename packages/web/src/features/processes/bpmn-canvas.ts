import { rapportModdle } from '@rapport/shared';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import Modeler from 'bpmn-js/lib/Modeler';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type { Element, ModdleElement } from 'bpmn-js/lib/model/Types';
import { getDi } from 'bpmn-js/lib/util/ModelUtil';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type EventBus from 'diagram-js/lib/core/EventBus';
import './processes.css';

/** bpmn-js with our `rapport:` extension registered, so its attributes are read, kept and written as typed properties. */
const MODDLE_EXTENSIONS = { rapport: rapportModdle as unknown as Record<string, unknown> };

/**
 * bpmn-js rebuilds each diagram plane from the shapes it drew when it saves, which drops the diagram shapes it could
 * not draw: shapes of a process no pool refers to, edges without a model element (files of other modelers have them).
 * They are kept as they were imported and put back after its reordering, so an export loses nothing.
 */
function KeepUndrawnDi(eventBus: EventBus, canvas: Canvas, elementRegistry: ElementRegistry) {
  let undrawn = new Map<ModdleElement, ModdleElement[]>();
  eventBus.on('import.done', () => {
    const drawn = new Set(elementRegistry.getAll().map((element) => getDi(element as Element)));
    undrawn = new Map();
    for (const root of canvas.getRootElements()) {
      const plane = getDi(root as Element);
      const missing = ((plane?.planeElement ?? []) as ModdleElement[]).filter((di) => !drawn.has(di));
      if (missing.length > 0) undrawn.set(plane, missing);
    }
  });
  // bpmn-js reorders at priority 2000; this runs after it.
  eventBus.on('saveXML.start', 1_000, () => {
    for (const [plane, missing] of undrawn) {
      const current = plane.get('planeElement') as ModdleElement[];
      plane.set('planeElement', [...current, ...missing.filter((di) => !current.includes(di))]);
    }
  });
}
KeepUndrawnDi.$inject = ['eventBus', 'canvas', 'elementRegistry'];
const KEEP_UNDRAWN_DI = { __init__: ['keepUndrawnDi'], keepUndrawnDi: ['type', KeepUndrawnDi] };

export function createModeler(container: HTMLElement): Modeler {
  return new Modeler({ container, moddleExtensions: MODDLE_EXTENSIONS, additionalModules: [KEEP_UNDRAWN_DI] });
}

export function createViewer(container: HTMLElement): NavigatedViewer {
  return new NavigatedViewer({ container, moddleExtensions: MODDLE_EXTENSIONS });
}

export type { Element, Modeler, NavigatedViewer };


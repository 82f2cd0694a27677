import { rapportModdle } from '@rapport/shared';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import Modeler from 'bpmn-js/lib/Modeler';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type { Element } from 'bpmn-js/lib/model/Types';
import './processes.css';

/** bpmn-js with our `rapport:` extension registered, so its attributes are read, kept and written as typed properties. */
const MODDLE_EXTENSIONS = { rapport: rapportModdle as unknown as Record<string, unknown> };

export function createModeler(container: HTMLElement): Modeler {
  return new Modeler({ container, moddleExtensions: MODDLE_EXTENSIONS });
}

export function createViewer(container: HTMLElement): NavigatedViewer {
  return new NavigatedViewer({ container, moddleExtensions: MODDLE_EXTENSIONS });
}

export type { Element, Modeler, NavigatedViewer };


import { reachable, type Flow, type FlowNode, type ProcessGraph } from './compile.js';
import { feelHolds } from './feel.js';
import { firstDue, isoCycle, type TimerSpec } from './iso-time.js';

/**
 * The token machine: one step of one instance, in memory. The caller loads the instance's live tokens (in a transaction
 * that locks the instance), applies one trigger (start, a task completed, a timer, a message, a retry), and persists
 * the tokens the step touched and carries out its effects (tasks, timers, service runs, cancellations, history) in the
 * same transaction. No I/O here: the step is deterministic given the graph, the tokens, the values and the time.
 */

export type TokenState = 'active' | 'waiting' | 'done' | 'cancelled' | 'failed';

export interface Token {
  id: string;
  elementId: string;
  parentId: string | null;
  state: TokenState;
  viaFlow: string | null;
  error: string | null;
  enteredAt: Date;
  leftAt: Date | null;
}

export type Effect =
  | { type: 'user_task'; tokenId: string; node: FlowNode }
  | { type: 'service'; tokenId: string; node: FlowNode }
  /** A call activity starts an instance of the called process, after the step. */
  | { type: 'call'; tokenId: string; node: FlowNode }
  | { type: 'timer'; tokenId: string; elementId: string; dueAt: Date; repeat: number | null }
  /** Pending timers, service runs and open user tasks of these tokens are void. */
  | { type: 'cancel_work'; tokenIds: string[] }
  /** A signal thrown: broadcast to every instance and definition of the workspace that waits for it, after the step. */
  | { type: 'signal'; name: string; elementId: string }
  | { type: 'event'; kind: string; elementId: string | null; data: Record<string, unknown> };

export interface StepEnv {
  now: Date;
  newId(): string;
  /** The values FEEL reads: the instance's variables and the linked record. */
  values(): Record<string, unknown>;
}

const LIVE: TokenState[] = ['active', 'waiting', 'failed'];

export class Step {
  readonly effects: Effect[] = [];
  /** Tokens created or changed by the step, to persist. */
  readonly touched = new Set<Token>();
  /** Set when the instance ends (no live token left) or fails. */
  outcome: 'running' | 'completed' | 'failed' = 'running';
  error: string | null = null;
  /** A BPMN error no boundary caught: a called instance hands it to its call activity. */
  uncaught: { code: string | null; thrownBy: string } | null = null;

  constructor(
    readonly graph: ProcessGraph,
    readonly tokens: Token[],
    private readonly env: StepEnv,
  ) {}

  // ——— triggers ———

  start(elementId: string): void {
    this.enter(elementId, null, null);
    this.settle();
  }

  /** A wait state's work is done (user task completed, service action ran, message arrived at a receive task). */
  complete(tokenId: string): boolean {
    const token = this.live(tokenId);
    if (!token || token.state !== 'waiting') return false;
    this.leave(token, this.takeable(this.node(token)));
    this.settle();
    return true;
  }

  /** A timer came due: a catch event, a boundary of the token's activity, or a target of its event-based gateway. */
  timer(tokenId: string, elementId: string, repeat: number | null): boolean {
    const token = this.live(tokenId);
    if (!token || token.state !== 'waiting') return false;
    const node = this.graph.nodes.get(elementId);
    if (!node) return false;
    this.event('timer_fired', elementId, {});
    if (node.id === token.elementId) this.leave(token, this.takeable(node));
    else if (node.kind === 'boundary') this.boundary(token, node, repeat);
    else this.resolveGateway(token, node);
    this.settle();
    return true;
  }

  /** Correlates a message by name with the first token waiting for it; false when none waits. */
  message(name: string): boolean {
    for (const token of this.tokens.filter((candidate) => candidate.state === 'waiting')) {
      const node = this.node(token);
      if ((node.kind === 'receiveTask' || (node.kind === 'catch' && node.event === 'message')) && node.message === name) {
        this.event('message', node.id, { name });
        this.leave(token, this.takeable(node));
        this.settle();
        return true;
      }
      if (node.kind === 'eventBased') {
        const target = this.targets(node).find((candidate) => candidate.message === name && (candidate.kind === 'receiveTask' || candidate.event === 'message'));
        if (target) {
          this.event('message', target.id, { name });
          this.resolveGateway(token, target);
          this.settle();
          return true;
        }
      }
      const boundary = node.boundaries.map((id) => this.graph.nodes.get(id)!).find((candidate) => candidate.event === 'message' && candidate.message === name);
      if (boundary) {
        this.event('message', boundary.id, { name });
        this.boundary(token, boundary, null);
        this.settle();
        return true;
      }
    }
    return false;
  }

  /**
   * A signal is broadcast: every token waiting for it catches it — signal catch events, event-based gateways with a
   * signal target, and every signal boundary of a waiting activity (a non-interrupting one leaves the activity waiting).
   * Tokens the signal creates do not catch it again. Returns how many caught it.
   */
  signal(name: string): number {
    let caught = 0;
    for (const token of this.tokens.filter((candidate) => candidate.state === 'waiting')) {
      if (token.state !== 'waiting') continue;
      const node = this.node(token);
      if (node.kind === 'catch' && node.signal === name) {
        this.event('signal', node.id, { name });
        this.leave(token, this.takeable(node));
        caught += 1;
        continue;
      }
      const target = node.kind === 'eventBased' ? this.targets(node).find((candidate) => candidate.kind === 'catch' && candidate.signal === name) : undefined;
      if (target) {
        this.event('signal', target.id, { name });
        this.resolveGateway(token, target);
        caught += 1;
        continue;
      }
      for (const boundary of node.boundaries.map((id) => this.graph.nodes.get(id)!).filter((candidate) => candidate.event === 'signal' && candidate.signal === name)) {
        if (token.state !== 'waiting') break;
        this.event('signal', boundary.id, { name });
        this.boundary(token, boundary, null);
        caught += 1;
      }
    }
    this.settle();
    return caught;
  }

  /** A step of the token failed for good: an error boundary of its activity (catching any error) takes over, else the instance fails. */
  fail(tokenId: string, error: string): void {
    const token = this.live(tokenId);
    if (!token) return;
    const node = this.node(token);
    const catcher = node.boundaries.map((id) => this.graph.nodes.get(id)!).find((candidate) => candidate.event === 'error' && candidate.errorCode === null);
    if (catcher) {
      this.event('error_caught', catcher.id, { error });
      this.cancel(token);
      this.enter(catcher.id, token.parentId, null);
    } else this.failToken(token, error);
    this.settle();
  }

  /** A called instance ended with an error: the call activity's error boundaries (then the enclosing ones') may catch it. */
  throwError(tokenId: string, code: string | null, thrownBy: string): void {
    const token = this.live(tokenId);
    if (!token) return;
    this.raise(token, code, thrownBy);
    this.settle();
  }

  /** Retries the failed tokens: each runs its element again (a service task is queued again, a gateway re-evaluates). */
  retry(): number {
    const failed = this.tokens.filter((token) => token.state === 'failed');
    this.outcome = 'running';
    this.error = null;
    for (const token of failed) {
      token.state = 'active';
      token.error = null;
      this.touched.add(token);
      this.run(token);
    }
    this.settle();
    return failed.length;
  }

  /** Cancels every live token (the instance is cancelled). */
  cancelAll(): void {
    for (const token of this.tokens.filter((candidate) => candidate.parentId === null && LIVE.includes(candidate.state))) this.cancel(token);
  }

  // ——— movement ———

  private node(token: Token): FlowNode {
    const node = this.graph.nodes.get(token.elementId);
    if (!node) throw new Error(`the version has no element ${token.elementId}`);
    return node;
  }

  private live(tokenId: string): Token | undefined {
    return this.tokens.find((token) => token.id === tokenId && LIVE.includes(token.state));
  }

  private event(kind: string, elementId: string | null, data: Record<string, unknown>): void {
    this.effects.push({ type: 'event', kind, elementId, data });
  }

  private enter(elementId: string, parentId: string | null, viaFlow: string | null): Token {
    const token: Token = { id: this.env.newId(), elementId, parentId, state: 'active', viaFlow, error: null, enteredAt: this.env.now, leftAt: null };
    this.tokens.push(token);
    this.touched.add(token);
    this.run(token);
    return token;
  }

  private wait(token: Token): void {
    token.state = 'waiting';
    this.touched.add(token);
  }

  private run(token: Token): void {
    const node = this.node(token);
    switch (node.kind) {
      case 'throw':
        this.throwSignal(node);
        this.leave(token, this.takeable(node));
        return;
      case 'start':
      case 'task':
      case 'boundary':
        this.leave(token, this.takeable(node));
        return;
      case 'end':
        this.end(token, node);
        return;
      case 'userTask':
        this.wait(token);
        this.effects.push({ type: 'user_task', tokenId: token.id, node });
        this.armBoundaries(token, node);
        return;
      case 'serviceTask':
        this.wait(token);
        this.effects.push({ type: 'service', tokenId: token.id, node });
        this.armBoundaries(token, node);
        return;
      case 'callActivity':
        this.wait(token);
        this.effects.push({ type: 'call', tokenId: token.id, node });
        this.armBoundaries(token, node);
        return;
      case 'receiveTask':
        this.wait(token);
        this.armBoundaries(token, node);
        return;
      case 'catch':
        this.wait(token);
        if (node.timer) this.armTimer(token, node.id, node.timer);
        return;
      case 'eventBased':
        this.wait(token);
        for (const target of this.targets(node)) if (target.timer) this.armTimer(token, target.id, target.timer);
        return;
      case 'exclusive': {
        const flows = this.exclusiveFlow(node);
        if (flows) this.leave(token, flows);
        else this.failToken(token, `No condition of the gateway holds and it has no default flow`);
        return;
      }
      case 'parallel':
      case 'inclusive':
        if (node.incoming.length > 1) {
          this.wait(token);
          if (node.kind === 'parallel') this.tryParallelJoin(node, token.parentId);
          return;
        }
        this.split(token, node);
        return;
      case 'subProcess':
        this.wait(token);
        this.armBoundaries(token, node);
        this.enter(node.start!, token.id, null);
        return;
    }
  }

  private leave(token: Token, flows: Flow[]): void {
    token.state = 'done';
    token.leftAt = this.env.now;
    this.touched.add(token);
    this.effects.push({ type: 'cancel_work', tokenIds: [token.id] });
    for (const flow of flows) this.enter(flow.target, token.parentId, flow.id);
    if (flows.length === 0) this.scopeMayEnd(token.parentId);
  }

  private throwSignal(node: FlowNode): void {
    if (node.event !== 'signal' || !node.signal) return;
    this.event('signal_thrown', node.id, { name: node.signal });
    this.effects.push({ type: 'signal', name: node.signal, elementId: node.id });
  }

  private end(token: Token, node: FlowNode): void {
    token.state = 'done';
    token.leftAt = this.env.now;
    this.touched.add(token);
    this.throwSignal(node);
    if (node.event === 'terminate') {
      this.event('terminated', node.id, {});
      for (const other of this.tokens.filter((candidate) => candidate.parentId === token.parentId && LIVE.includes(candidate.state))) this.cancel(other);
    }
    if (node.event === 'error') {
      const parent = token.parentId ? this.live(token.parentId) : undefined;
      this.raise(parent, node.errorCode, node.id);
      return;
    }
    this.scopeMayEnd(token.parentId);
  }

  /** A scope whose last live token ended completes: the sub-process moves on, or the instance ends. */
  private scopeMayEnd(parentId: string | null): void {
    if (this.tokens.some((candidate) => candidate.parentId === parentId && LIVE.includes(candidate.state))) return;
    if (parentId === null) {
      if (this.outcome === 'running') this.outcome = 'completed';
      return;
    }
    const scope = this.live(parentId);
    if (scope) this.leave(scope, this.takeable(this.node(scope)));
  }

  /** An error thrown at `from` (a sub-process's token, or none at the top): the nearest error boundary with the code catches it. */
  private raise(from: Token | undefined, code: string | null, thrownBy: string): void {
    for (let scope = from; scope; scope = scope.parentId ? this.live(scope.parentId) : undefined) {
      const catcher = this.node(scope)
        .boundaries.map((id) => this.graph.nodes.get(id)!)
        .find((candidate) => candidate.event === 'error' && (candidate.errorCode === null || candidate.errorCode === code));
      if (catcher) {
        this.event('error_caught', catcher.id, { code, thrownBy });
        this.cancel(scope);
        this.enter(catcher.id, scope.parentId, null);
        return;
      }
    }
    this.outcome = 'failed';
    this.uncaught = { code, thrownBy };
    this.error = `The error ${code ?? '(without a code)'} thrown by ${thrownBy} was not caught`;
    this.event('failed', thrownBy, { error: this.error });
  }

  /** Cancels a token and everything inside it (a sub-process's tokens). */
  private cancel(token: Token): void {
    const ids: string[] = [];
    const visit = (current: Token) => {
      if (!LIVE.includes(current.state)) return;
      current.state = 'cancelled';
      current.leftAt = this.env.now;
      this.touched.add(current);
      ids.push(current.id);
      for (const child of this.tokens.filter((candidate) => candidate.parentId === current.id)) visit(child);
    };
    visit(token);
    if (ids.length > 0) this.effects.push({ type: 'cancel_work', tokenIds: ids });
  }

  private failToken(token: Token, error: string): void {
    token.state = 'failed';
    token.error = error;
    this.touched.add(token);
    this.outcome = 'failed';
    this.error = error;
    this.event('failed', token.elementId, { error });
  }

  private boundary(token: Token, node: FlowNode, repeat: number | null): void {
    if (node.interrupting) this.cancel(token);
    else if (node.timer?.type === 'cycle' && repeat !== 0) {
      const cycle = isoCycle(node.timer.value)!;
      this.effects.push({ type: 'timer', tokenId: token.id, elementId: node.id, dueAt: new Date(this.env.now.getTime() + cycle.intervalMs), repeat: repeat === null ? null : repeat - 1 });
    }
    this.enter(node.id, token.parentId, null);
  }

  /** The event-based gateway's race is decided: the others' timers go, the winning event is passed. */
  private resolveGateway(token: Token, target: FlowNode): void {
    token.state = 'done';
    token.leftAt = this.env.now;
    this.touched.add(token);
    this.effects.push({ type: 'cancel_work', tokenIds: [token.id] });
    const flow = target.incoming.map((id) => this.graph.flows.get(id)!).find((candidate) => candidate.source === token.elementId)!;
    const passed: Token = { id: this.env.newId(), elementId: target.id, parentId: token.parentId, state: 'active', viaFlow: flow.id, error: null, enteredAt: this.env.now, leftAt: null };
    this.tokens.push(passed);
    this.leave(passed, this.takeable(target));
  }

  private armBoundaries(token: Token, node: FlowNode): void {
    for (const id of node.boundaries) {
      const boundary = this.graph.nodes.get(id)!;
      if (boundary.timer) this.armTimer(token, boundary.id, boundary.timer);
    }
  }

  private armTimer(token: Token, elementId: string, spec: TimerSpec): void {
    const repeat = spec.type === 'cycle' ? isoCycle(spec.value)!.repeat : null;
    this.effects.push({ type: 'timer', tokenId: token.id, elementId, dueAt: firstDue(spec, this.env.now), repeat: repeat === null ? null : repeat - 1 });
  }

  private targets(node: FlowNode): FlowNode[] {
    return node.outgoing.map((id) => this.graph.nodes.get(this.graph.flows.get(id)!.target)!).filter(Boolean);
  }

  // ——— conditions, splits and joins ———

  private holds(flow: Flow): boolean {
    return flow.condition === null || feelHolds(flow.condition, this.env.values());
  }

  /** Flows an activity or event leaves by: unconditional ones and those whose condition holds; the default if none does. */
  private takeable(node: FlowNode): Flow[] {
    const flows = node.outgoing.filter((id) => id !== node.defaultFlow).map((id) => this.graph.flows.get(id)!);
    const taken = flows.filter((flow) => this.holds(flow));
    if (taken.length === 0 && node.defaultFlow) return [this.graph.flows.get(node.defaultFlow)!];
    return taken;
  }

  /** The first flow (in the file's order) whose condition holds, else the default. */
  private exclusiveFlow(node: FlowNode): Flow[] | null {
    const flow = node.outgoing.filter((id) => id !== node.defaultFlow).map((id) => this.graph.flows.get(id)!).find((candidate) => this.holds(candidate));
    if (flow) return [flow];
    return node.defaultFlow ? [this.graph.flows.get(node.defaultFlow)!] : null;
  }

  /** Parallel and inclusive split: every flow whose condition holds (all, for parallel), else the default. */
  private split(token: Token, node: FlowNode): void {
    if (node.kind === 'parallel') {
      this.leave(token, node.outgoing.map((id) => this.graph.flows.get(id)!));
      return;
    }
    const flows = this.takeable(node);
    if (flows.length === 0) this.failToken(token, 'No condition of the inclusive gateway holds and it has no default flow');
    else this.leave(token, flows);
  }

  private arrivals(node: FlowNode, parentId: string | null): Token[] {
    return this.tokens.filter((token) => token.elementId === node.id && token.parentId === parentId && token.state === 'waiting');
  }

  /** One arrival per incoming flow fires the join; the extra arrivals of a flow wait for the next round. */
  private consume(node: FlowNode, arrived: Token[]): Token {
    const used: Token[] = [];
    for (const flow of node.incoming) {
      const first = arrived.find((token) => token.viaFlow === flow);
      if (first) used.push(first);
    }
    for (const token of used.slice(1)) {
      token.state = 'done';
      token.leftAt = this.env.now;
      this.touched.add(token);
    }
    return used[0]!;
  }

  private tryParallelJoin(node: FlowNode, parentId: string | null): void {
    const arrived = this.arrivals(node, parentId);
    if (!node.incoming.every((flow) => arrived.some((token) => token.viaFlow === flow))) return;
    this.split(this.consume(node, arrived), node);
  }

  /**
   * Inclusive joins fire when every incoming flow has a token or no live token of the scope can still reach the
   * gateway: looked at after the rest of the step has moved, until nothing changes.
   */
  private settle(): void {
    for (let changed = true; changed && this.outcome === 'running'; ) {
      changed = false;
      const waiting = this.tokens.filter((token) => token.state === 'waiting' && this.node(token).kind === 'inclusive' && this.node(token).incoming.length > 1);
      for (const token of waiting) {
        if (token.state !== 'waiting') continue;
        const node = this.node(token);
        const arrived = this.arrivals(node, token.parentId);
        const complete = node.incoming.every((flow) => arrived.some((candidate) => candidate.viaFlow === flow));
        const pending = this.tokens.some((other) => other.parentId === token.parentId && LIVE.includes(other.state) && other.elementId !== node.id && reachable(this.graph, other.elementId).has(node.id));
        if (complete || !pending) {
          this.split(this.consume(node, arrived), node);
          changed = true;
        }
      }
    }
  }
}

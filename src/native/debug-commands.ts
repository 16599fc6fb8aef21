// GPUDebugCommandsMixin, shared by the command encoder and the pass encoders.
import { str } from "../api/check.ts";
import { withScratch } from "./convert/scratch.ts";
import { rt } from "./runtime.ts";

type LabelFn = (handle: bigint, label: { data: bigint | null; length: number }) => void;

/** Calls `wgpu<Kind>PushDebugGroup`/`InsertDebugMarker` with a label. */
export function debugLabel(kind: string, op: "PushDebugGroup" | "InsertDebugMarker", handle: bigint, label: unknown): void {
  const text = str(
    `GPU${kind}.${op === "PushDebugGroup" ? "pushDebugGroup" : "insertDebugMarker"}`,
    op === "PushDebugGroup" ? "groupLabel" : "markerLabel",
    label,
  );
  const fn = (rt().fns as unknown as Record<string, LabelFn>)[`wgpu${kind}${op}`];
  withScratch((s) => fn(handle, s.stringViewValue(text)));
}

export function popDebugGroup(kind: string, handle: bigint): void {
  (rt().fns as unknown as Record<string, (h: bigint) => void>)[`wgpu${kind}PopDebugGroup`](handle);
}
